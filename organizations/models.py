from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import DatePrecision, clean_date_span, partial_date_constraint
from core.models import AliasBase, SluggedModel, SluggedQuerySet, TrackedModel
from participants.models import Country, Person


class OrganizationKind(models.TextChoices):
    INTELLIGENCE_SERVICE = "intelligence-service", _("intelligence or security service")
    POLICE = "police", _("police or internal security")
    ARMED_FORCES = "armed-forces", _("armed forces")
    MILITARY_COMMAND = "military-command", _("armed-forces command")
    MINISTRY = "ministry", _("ministry")
    GOVERNMENT = "government", _("government")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental body")
    PLATFORM = "platform", _("cooperation platform")
    HEAD_OF_STATE = "head-of-state", _("head of state")


FOUNDING_YEARS = (1800, 2100)
FOUNDING_YEAR_MESSAGE = _("The founding year must be between 1800 and 2100.")


class OrganizationQuerySet(SluggedQuerySet):
    def with_relations(self):
        return self.select_related("country", "parent")


class Organization(SluggedModel):
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(
        _("acronym"), max_length=30, blank=True,
        help_text=_("The Latin acronym, e.g. CISSA. Arabic short forms such as سيسا go in the alternative names."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True,
        help_text=_("Empty for international bodies."),
        # Organizations are kept if a country record is removed.
        on_delete=models.SET_NULL, related_name="organizations",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent organization"), null=True, blank=True,
        # Deleting a parent leaves its children standing, without a parent.
        on_delete=models.SET_NULL, related_name="children",
    )
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True,
        help_text=_("Only when a source states it; cite the source and any that disagree."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    url_name = "organizations:detail"
    short_url_name = "short:organization"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=models.Q(founding_year__isnull=True)
                | models.Q(founding_year__gte=FOUNDING_YEARS[0], founding_year__lte=FOUNDING_YEARS[1]),
                name="organization_founding_year_plausible",
                violation_error_message=FOUNDING_YEAR_MESSAGE,
            ),
        ]

    def __str__(self):
        acronym = self.acronym
        return f"{self.name} ({acronym})" if acronym else self.name

    def record_errors(self):
        errors = super().record_errors()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An organization cannot be its own parent.")
        if self.founding_year is not None and not FOUNDING_YEARS[0] <= self.founding_year <= FOUNDING_YEARS[1]:
            errors["founding_year"] = FOUNDING_YEAR_MESSAGE
        return errors


class OrganizationAliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, organization_slug, name):
        return self.get(organization__in=Organization.objects.with_slug(organization_slug), name=name)


class OrganizationAlias(AliasBase):
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE,
        related_name="aliases",
    )

    objects = OrganizationAliasQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "language", "name"]
        verbose_name = _("alternative name")
        verbose_name_plural = _("alternative names")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="organization_alias_unique",
                violation_error_message=_("This organization already has this alternative name."),
            ),
        ]

    def natural_key(self):
        return (*self.organization.natural_key(), self.name)

    natural_key.dependencies = ["organizations.organization"]


class PositionQuerySet(models.QuerySet):
    def get_by_natural_key(self, person_slug, organization_slug, key):
        return self.get(
            person__in=Person.objects.with_slug(person_slug),
            organization__in=Organization.objects.with_slug(organization_slug),
            key=key,
        )


class Position(TrackedModel):
    """A post a person held in an organization (a Popolo membership)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"),
        # A post cannot outlive the record of its organization silently.
        on_delete=models.PROTECT, related_name="positions",
    )
    key = models.SlugField(
        _("key"), max_length=60,
        help_text=_("Short ASCII label telling this post from the person's others, e.g. director."),
    )
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("from"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision of 'from'"), max_length=10, choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of 'until'"), max_length=10, choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["person", "start_date"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "key"], name="position_unique_key",
                violation_error_message=_("This person already has a position with this key here."),
            ),
            partial_date_constraint("start_date", "start_precision", "position_start_precision"),
            partial_date_constraint("end_date", "end_precision", "position_end_precision"),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.title} ({self.organization})"

    def natural_key(self):
        return (self.person.slug, self.organization.slug, self.key)

    natural_key.dependencies = ["participants.person", "organizations.organization"]

    def record_errors(self):
        errors = super().record_errors()
        errors.update(clean_date_span(self, _("A position cannot end before it starts.")))
        return errors
