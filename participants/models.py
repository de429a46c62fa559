"""Countries and people, the bottom of the domain: nothing here knows organizations or conferences."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from core.addresses import cached_reverse
from core.models import AliasBase, SluggedModel, TrackedModel

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


class CountryQuerySet(models.QuerySet):
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

    objects = CountryQuerySet.as_manager()

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
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return cached_reverse("countries:detail", code=self.code.lower())

    def get_short_url(self, language=None):
        """The short address of the country page: its ISO code, which never changes."""
        if language:
            return cached_reverse("short:country", code=self.code.lower(), language=language)
        return cached_reverse("short:country", code=self.code.lower())

    def natural_key(self):
        return (self.code,)


class Person(SluggedModel):
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

    url_name = "people:detail"
    short_url_name = "short:person"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def record_errors(self):
        errors = super().record_errors()
        expected = english_rank(self.rank_ar or "")
        if expected and (self.rank_en or "").strip() != expected:
            errors["rank_en"] = _("In English the portal writes this rank as “%(rank)s”.") % {"rank": expected}
        return errors


class PersonAliasQuerySet(models.QuerySet):
    def get_by_natural_key(self, person_slug, name):
        return self.get(person__in=Person.objects.with_slug(person_slug), name=name)


class PersonAlias(AliasBase):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="aliases"
    )

    objects = PersonAliasQuerySet.as_manager()

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
