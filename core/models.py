"""The bottom of the portal: base models every domain app builds on, and the site's own state.

- `TrackedModel`: timestamps and an edit counter (`version`), used by the admin's optimistic
  locking and by the seed loader to tell an editor's change from its own; its `clean()` applies
  the translated-field rules (core.bilingual), and its text never holds a control character
  that XML cannot write (core.text).
- `SluggedModel`: a record with a page of its own found by slug. It keeps its earlier slugs
  (`SlugHistory`), so old addresses answer with a redirect, and has a short link that never
  changes (core.permalinks).
- `AliasBase`: an alternative spelling of a name, with its language and script (Popolo style).
- `SiteState`: one row, the data's version and when it last changed (core.state).
- `SeedRecord`: what the seed loader wrote, at which version (core.seeding).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import tags
from .addresses import cached_reverse
from .bilingual import LATIN_LETTER, bilingual_errors, has_arabic, translated_fields
from .text import strip_control_characters_from

SLUG_USED_BEFORE = _("This address was used before by another record.")


class TrackedModel(models.Model):
    """Adds an edit counter and timestamps. `version` grows by one on every save."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.strip_control_characters()
        if self.pk is not None and not self._state.adding:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        tags.loaded(instance)  # for the cache tags of the answer being made (core.tags)
        return instance

    def clean_fields(self, exclude=None):
        # Before the fields are checked, so that a required text of nothing but them is refused.
        self.strip_control_characters()
        super().clean_fields(exclude)

    def strip_control_characters(self):
        """Takes out of the text fields the control characters XML cannot hold (core.text)."""
        strip_control_characters_from(self, skip=translated_fields(type(self))[0])

    def clean(self):
        super().clean()
        errors = self.record_errors()
        if errors:
            raise ValidationError(errors)

    def record_errors(self):
        """{field: message} for what is wrong with the record, said to the editor on their field.

        Subclasses add theirs to what super() found; clean() reports them all at once. Here: the
        translated fields' rules (core.bilingual). Every check constraint of a model is mirrored
        here, in Python.
        """
        return bilingual_errors(self)

    def get_constraints(self):
        """The constraints full_clean() asks the database about: the unique ones only.

        Check constraints are mirrored by record_errors(); asking the database about each of them
        again would cost a query and a savepoint apiece on every save. The database still
        enforces them all on write.
        """
        return [
            (model, [constraint for constraint in constraints if isinstance(constraint, models.UniqueConstraint)])
            for model, constraints in super().get_constraints()
        ]


class SluggedQuerySet(models.QuerySet):
    def that_had(self, slug):
        """The records of this kind that had `slug` before (a subquery on SlugHistory)."""
        return self.filter(pk__in=SlugHistory.objects.ids_that_had(self.model, slug))

    def with_slug(self, slug):
        """The records whose slug is `slug`, now or before: for lookups across relations.

        `Participation.objects.get(conference__in=Conference.objects.with_slug("cissa-21"), …)`
        finds the row of the conference the fixtures still call cissa-21 after an editor renamed it.
        """
        return self.filter(models.Q(slug=slug) | models.Q(pk__in=SlugHistory.objects.ids_that_had(self.model, slug)))

    def get_by_natural_key(self, slug):
        # A record renamed by an editor is still found by the slug the fixtures know.
        try:
            return self.get(slug=slug)
        except self.model.DoesNotExist:
            record = self.that_had(slug).first()
            if record is None:
                raise
            return record


class SluggedModel(TrackedModel):
    """A record whose page address carries its slug, which it keeps when it changes.

    Subclasses name their page's URL in `url_name` and their short link's in `short_url_name`.
    Saving a new slug records the one it replaces in SlugHistory, for good; a slug that another
    record of the same kind had before is refused, by clean() for the editor and by save() (an
    IntegrityError) for everyone else. Deleting a record frees its old slugs (SlugHistory's
    receiver in core.apps).
    """

    slug = models.SlugField(
        _("slug"), max_length=100, unique=True,
        help_text=_("ASCII identifier used in the page address; the same in both languages."),
    )

    objects = SluggedQuerySet.as_manager()

    url_name = None
    short_url_name = None

    class Meta:
        abstract = True

    def __str__(self):
        return self.slug

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        replaced = None
        if update_fields is None or "slug" in update_fields:
            replaced = self._stored_slug()
            if replaced != self.slug and self._slug_used_before_by_another():
                raise IntegrityError(f"{self._meta.label_lower} slug {self.slug!r} was used before by another record.")
        super().save(*args, **kwargs)
        if replaced and replaced != self.slug:
            SlugHistory.objects.get_or_create(
                content_type=ContentType.objects.get_for_model(type(self)), slug=replaced,
                defaults={"object_id": self.pk},
            )
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return cached_reverse(self.url_name, slug=self.slug)

    def get_short_url(self, language=None):
        """The short address that never changes, whatever happens to the slug; with a `language`,
        the one that always opens the page in that language."""
        if language:
            return cached_reverse(self.short_url_name, pk=self.pk, language=language)
        return cached_reverse(self.short_url_name, pk=self.pk)

    def natural_key(self):
        return (self.slug,)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The slug as read, to see on save whether it changes (without reading it again).
        if "slug" in instance.__dict__:
            instance._loaded_slug = instance.slug
        return instance

    def _stored_slug(self):
        if self._state.adding or self.pk is None:
            return None
        if hasattr(self, "_loaded_slug"):
            return self._loaded_slug
        return type(self)._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first()

    def _slug_used_before_by_another(self):
        return SlugHistory.objects.for_model(type(self)).filter(slug=self.slug).exclude(object_id=self.pk).exists()

    def record_errors(self):
        errors = super().record_errors()
        if self.slug and self._stored_slug() != self.slug and self._slug_used_before_by_another():
            errors["slug"] = SLUG_USED_BEFORE
        return errors


class Language(models.TextChoices):
    """The languages of names and sources on record."""

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
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices)
    note = models.CharField(
        _("note"), max_length=300, blank=True,
        help_text=_("Where this spelling is used, for example the outlet."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def record_errors(self):
        errors = super().record_errors()
        if self.script == Script.ARABIC and not has_arabic(self.name):
            errors["name"] = _("This alias is marked Arabic script but holds none.")
        if self.script == Script.LATIN and not LATIN_LETTER.search(self.name or ""):
            errors["name"] = _("This alias is marked Latin script but holds none.")
        return errors


class SlugHistoryQuerySet(models.QuerySet):
    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def ids_that_had(self, model, slug):
        """A subquery: the id of the record of `model` that had `slug` before."""
        opts = model._meta.concrete_model._meta
        return self.filter(
            content_type__app_label=opts.app_label, content_type__model=opts.model_name, slug=slug
        ).values("object_id")


class SlugHistory(models.Model):
    """A slug a record had before its current one, so its old addresses keep answering.

    Kept for every kind of SluggedModel: the content type tells the kinds apart. Rows are
    written by SluggedModel.save() when a slug changes, and removed when their record is deleted
    (core.permalinks.forget_slugs).
    """

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"),
        # The rows mean nothing once their kind of record is gone.
        on_delete=models.CASCADE, related_name="+",
    )
    slug = models.SlugField(_("earlier slug"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record"))
    created_at = models.DateTimeField(_("replaced on"), auto_now_add=True)

    objects = SlugHistoryQuerySet.as_manager()

    class Meta:
        # The table it has had since it lived in the participants app.
        db_table = "participants_slughistory"
        ordering = ["content_type", "slug"]
        verbose_name = _("earlier address")
        verbose_name_plural = _("earlier addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="slug_history_unique",
                violation_error_message=SLUG_USED_BEFORE,
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="slug_history_record")]

    def __str__(self):
        return f"{self.content_type.app_label}.{self.content_type.model} {self.slug} → {self.object_id}"


class SiteState(models.Model):
    """One row: a counter moved on by every change to the portal's records, and when (core.state)."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "site state"

    def __str__(self):
        return f"version {self.version} ({self.changed_at:%Y-%m-%d %H:%M})"


class SeedRecord(models.Model):
    """Which rows the seed loader wrote, and the version it left them at.

    A row whose version has moved on since was changed by an editor: the loader leaves it alone.
    """

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=400, help_text="The fixture's natural key, as JSON.")
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, help_text="Hash of the fixture entry last applied.")

    class Meta:
        # The table it has had since it lived in the conferences app.
        db_table = "conferences_seedrecord"
        verbose_name = "seed record"
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="seed_record_unique_key"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"
