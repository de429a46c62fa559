from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from portal.models import (
    AliasBase,
    TrackedModel,
    bilingual_required_constraints,
    check_bilingual,
)
from portal.permalinks import cached_reverse, get_by_slug, short_url, with_slug

from .ranks import english_rank


class Region(models.TextChoices):
    NORTH_AFRICA = "north-africa", _("North Africa")
    SAHEL = "sahel", _("Sahel")
    WEST_AFRICA = "west-africa", _("West Africa")
    CENTRAL_AFRICA = "central-africa", _("Central Africa")
    EAST_AFRICA = "east-africa", _("East Africa")
    SOUTHERN_AFRICA = "southern-africa", _("Southern Africa")
    EUROPE = "europe", _("Europe")
    WESTERN_ASIA = "western-asia", _("Western Asia")


class CountryManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Country(TrackedModel):
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1."))],
        help_text=_("ISO 3166-1 alpha-2 code in capitals, for example LY."),
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)

    objects = CountryManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code=Upper("code")),
                name="country_code_upper_case",
                violation_error_message=_("The ISO code is written in capitals."),
            ),
            *bilingual_required_constraints("country", "name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return cached_reverse("participants:country", code=self.code.lower())

    def get_short_url(self):
        """The short address of the country page (portal.permalinks)."""
        return short_url(self)

    def natural_key(self):
        return (self.code,)

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "name")
        if errors:
            raise ValidationError(errors)


class PersonManager(models.Manager):
    def get_by_natural_key(self, slug):
        # A record renamed by an editor is still found by the slug the fixtures know.
        return get_by_slug(self, slug)


class Person(TrackedModel):
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True,
        help_text=_("ASCII identifier used in the page address; the same in both languages."),
    )
    name = models.CharField(
        _("name"), max_length=200,
        help_text=_("Full name: Arabic as the reports write it, English as English-language press spells it."),
    )
    rank = models.CharField(
        _("rank or honorific"), max_length=100, blank=True,
        help_text=_("As the report writes it (الفريق أول، اللواء), with its English rendering."),
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True,
        # A person outlives a country record being merged away: keep the person.
        on_delete=models.SET_NULL, related_name="people",
    )
    description = models.TextField(
        _("description"), blank=True,
        help_text=_("A short description in our own words, backed by the cited sources."),
    )

    objects = PersonManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = bilingual_required_constraints("person", "name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("participants:person", slug=self.slug)

    def get_short_url(self):
        """The short address that never changes, whatever happens to the slug (portal.permalinks)."""
        return short_url(self)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "name")
        errors.update(check_bilingual(self, "rank", "description", required=False))
        expected = english_rank(self.rank_ar or "")
        if expected and (self.rank_en or "").strip() != expected:
            errors["rank_en"] = _("In English the portal writes this rank as “%(rank)s”.") % {
                "rank": expected
            }
        if errors:
            raise ValidationError(errors)


class PersonAliasManager(models.Manager):
    def get_by_natural_key(self, person_slug, name):
        return self.get(person__in=with_slug(Person, person_slug), name=name)


class PersonAlias(AliasBase):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="aliases"
    )

    objects = PersonAliasManager()

    class Meta:
        ordering = ["person", "language", "name"]
        verbose_name = _("alternative name")
        verbose_name_plural = _("alternative names")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"], name="person_alias_unique",
                violation_error_message=_("This person already has this alternative name."),
            ),
        ]

    def natural_key(self):
        return (*self.person.natural_key(), self.name)

    natural_key.dependencies = ["participants.person"]


class SlugHistory(models.Model):
    """A slug a record had before its current one, so its old addresses keep answering.

    Kept for every kind of record whose page address carries a slug (conferences, people,
    organizations, sources, topics): the content type tells the kinds apart, so this app,
    the bottom one, needs no import from the apps above it. Rows are written by
    TrackedModel.save() when a slug changes, and removed when their record is deleted.
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"),
        # The rows mean nothing once their kind of record is gone.
        on_delete=models.CASCADE, related_name="+",
    )
    slug = models.SlugField(_("earlier slug"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record"))
    created_at = models.DateTimeField(_("replaced on"), auto_now_add=True)

    class Meta:
        ordering = ["content_type", "slug"]
        verbose_name = _("earlier address")
        verbose_name_plural = _("earlier addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="slug_history_unique",
                violation_error_message=_("This address was used before by another record."),
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="slug_history_record")]

    def __str__(self):
        return f"{self.content_type.app_label}.{self.content_type.model} {self.slug} → {self.object_id}"
