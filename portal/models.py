"""Building blocks shared by the portal's domain apps.

`portal` is the project package, not an app: nothing here is a concrete model.
"""

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from portal import permalinks

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def has_arabic(text):
    return bool(text and ARABIC_LETTER.search(text))


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UNKNOWN = "unknown", _("unknown")


def partial_date_constraint(date_field, precision_field, name):
    """A date is empty exactly when its precision is unknown: no invented days."""
    return models.CheckConstraint(
        condition=(
            models.Q(**{f"{precision_field}": DatePrecision.UNKNOWN, f"{date_field}__isnull": True})
            | (
                ~models.Q(**{precision_field: DatePrecision.UNKNOWN})
                & models.Q(**{f"{date_field}__isnull": False})
            )
        ),
        name=name,
        violation_error_message=_("A date is empty exactly when its precision is unknown."),
    )


def clean_partial_date(date_value, precision, field_name):
    """Mirror of partial_date_constraint, with the message on the editor's field."""
    if precision == DatePrecision.UNKNOWN and date_value is not None:
        return {field_name: _("Clear the date, or give its precision (day, month or year).")}
    if precision != DatePrecision.UNKNOWN and date_value is None:
        return {field_name: _("Give the date, or set its precision to unknown.")}
    return {}


def normalise_partial_date(date_value, precision):
    """Store a month-precise date on the 1st and a year-precise one on 1 January."""
    if date_value is None:
        return None
    if precision == DatePrecision.MONTH:
        return date_value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return date_value.replace(month=1, day=1)
    return date_value


@cache
def _choice_labels(field):
    """A field's choices as {value: label}, the labels still lazy (untranslated)."""
    return dict(field.flatchoices)


class TrackedModel(models.Model):
    """Adds an edit counter and timestamps, and keeps old page addresses working.

    `version` grows by one on every save. The admin uses it for optimistic locking,
    and the seed loader uses it to tell an editor's change from its own.

    A record whose address carries a slug keeps its earlier slugs (portal.permalinks):
    save() records the one it replaces, and a slug another record had before is refused,
    by clean() for the editor and by save() for everyone else.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
        update_fields = kwargs.get("update_fields")
        previous_slug = permalinks.slug_before_save(self, update_fields)
        super().save(*args, **kwargs)
        permalinks.slug_after_save(self, previous_slug, update_fields)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        permalinks.remember_loaded_slug(instance)
        return instance

    def _get_FIELD_display(self, field):
        """What get_<field>_display() returns: the label of the value, translated.

        Django's own version hashes every label of the field, which translates each of them,
        on every call; pages call it once per row, so this looks the value up by key instead.
        """
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(value, value), strings_only=True)

    def clean(self):
        super().clean()
        errors = permalinks.slug_errors(self)
        if errors:
            raise ValidationError(errors)


def check_bilingual(instance, *field_names, required=True):
    """Errors for translated fields: both languages present, Arabic in Arabic script."""
    errors = {}
    for name in field_names:
        value_ar = getattr(instance, f"{name}_ar", "") or ""
        value_en = getattr(instance, f"{name}_en", "") or ""
        if required and not value_ar.strip():
            errors[f"{name}_ar"] = _("The Arabic text is required.")
        elif value_ar.strip() and not has_arabic(value_ar):
            errors[f"{name}_ar"] = _("The Arabic text must be written in Arabic script.")
        if required and not value_en.strip():
            errors[f"{name}_en"] = _("The English text is required.")
    return errors


def bilingual_required_constraints(prefix, *field_names):
    """Database guard: required translated fields are never empty in either language."""
    return [
        models.CheckConstraint(
            condition=~models.Q(**{f"{name}_{lang}": ""}) & models.Q(**{f"{name}_{lang}__isnull": False}),
            name=f"{prefix}_{name}_{lang}_required",
            violation_error_message=_("Both the Arabic and the English text are required."),
        )
        for name in field_names
        for lang in ("ar", "en")
    ]


class AliasLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ITALIAN = "it", _("Italian")
    TURKISH = "tr", _("Turkish")


class Script(models.TextChoices):
    ARABIC = "Arab", _("Arabic script")
    LATIN = "Latn", _("Latin script")


class AliasBase(TrackedModel):
    """An alternative spelling of a name, with its language and script (Popolo style)."""

    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=5, choices=AliasLanguage.choices)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    note = models.CharField(
        _("note"), max_length=300, blank=True,
        help_text=_("Where this spelling is used, for example the outlet."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "note", required=False)
        if errors:
            raise ValidationError(errors)
        if self.script == Script.ARABIC and not has_arabic(self.name):
            raise ValidationError({"name": _("This alias is marked Arabic script but holds none.")})
        if self.script == Script.LATIN and not LATIN_LETTER.search(self.name or ""):
            raise ValidationError({"name": _("This alias is marked Latin script but holds none.")})


class SiteState(models.Model):
    """One row: a counter bumped by every change to the portal's records, and when.

    Cached pages are keyed by the counter, so an edit invalidates every page at once, in
    every worker process, whatever the cache backend; the time is the Last-Modified date.
    """

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "site state"

    def __str__(self):
        return f"version {self.version} ({self.changed_at:%Y-%m-%d %H:%M})"
