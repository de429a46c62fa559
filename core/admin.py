"""What every admin page of the portal shares.

The domain apps' admin modules build on these classes; what is registered here is the
bookkeeping of this app, for reading only.

- `PortalAdmin` (translated models) and `PortalPlainAdmin` (the rest) combine
  modeltranslation's Arabic/English tabs with django-simple-history's history and
  revert views.
- Arabic inputs are right-to-left with lang="ar", English ones left-to-right with
  lang="en"; a missing translation says which language is missing.
- Optimistic locking on `TrackedModel.version`: the change form carries the version
  it was loaded with, and saving compares it with the database inside the
  transaction, so the second of two editors is warned instead of overwriting.
- Search matches Arabic spelling variants (core.arabic) as well as the raw text.
"""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.widgets import ClearableWidgetWrapper
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from .arabic import matches, normalise, search_terms
from .bilingual import REQUIRED_IN
from .models import SeedRecord, SlugHistory, TrackedModel

VERSION_FIELD = "loaded_version"

STALE_RECORD = _("This record was changed by someone else since you opened it; reload to see their changes.")
DELETED_RECORD = _("This record was deleted by someone else since you opened it.")
SLUG_TAKEN = _("Another record already uses this slug; choose a different one.")
KEY_TAKEN = _("Another record already uses this key; choose a different one.")
DIRECTION = {"ar": "rtl", "en": "ltr"}

admin.site.site_header = _("African security conferences: editing")
admin.site.site_title = _("Conferences portal")
admin.site.index_title = _("Records")


# --- Optimistic locking ---------------------------------------------------------------


class StaleRecordError(Exception):
    """Someone saved the record between this form's version check and its write."""


def is_tracked(model_or_instance):
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    return issubclass(model, TrackedModel)


def current_version(model, pk):
    """The version in the database, row-locked until the end of the transaction where one is open."""
    queryset = model._base_manager.filter(pk=pk)
    if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.values_list("version", flat=True).first()


def claim_version(instance, loaded_version):
    """UPDATE … WHERE version = the loaded version, before the real save.

    The no-op update takes the row's write lock, or touches no row because someone
    saved first. The instance then saves as loaded_version + 1, also when it is a
    reconstruction of an older version (a revert from the history).
    """
    model = type(instance)
    claimed = model._base_manager.filter(pk=instance.pk, version=loaded_version).update(version=loaded_version)
    if not claimed:
        raise StaleRecordError
    instance.version = loaded_version


class PortalModelForm(forms.ModelForm):
    """Carries the version a TrackedModel was loaded with, and refuses a stale save."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # The main form writes every field, so it is checked even when unchanged; an inline
    # row is written only when changed (see PortalInlineForm).
    check_unchanged = True

    class Meta:
        error_messages = {
            "slug": {"unique": SLUG_TAKEN},
            "key": {"unique": KEY_TAKEN},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_tracked(self._meta.model):
            self.fields.pop(VERSION_FIELD, None)
        elif self.instance.pk is not None and VERSION_FIELD in self.fields:
            self.fields[VERSION_FIELD].required = True
            self.initial[VERSION_FIELD] = self._version_when_opened()
        self._show_old_links()

    def _show_old_links(self):
        """A revert form shows the old version's many-to-many links (a conference's topics) too.

        The rebuilt instance would read its links from the database as they are now; the
        historical record kept them as they were.
        """
        record = getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        for field in getattr(record, "_history_m2m_fields", ()):
            if field.name in self.fields:
                target = f"{field.m2m_reverse_field_name()}_id"
                self.initial[field.name] = [getattr(row, target) for row in getattr(record, field.name).all()]

    def _version_when_opened(self):
        if getattr(self.instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None:
            # A revert form shows an old version's values; the record as it stands is what it replaces.
            return current_version(type(self.instance), self.instance.pk)
        return self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        self._check_version(cleaned_data.get(VERSION_FIELD))
        return cleaned_data

    def _check_version(self, loaded_version):
        if VERSION_FIELD not in self.fields or self.instance.pk is None or loaded_version is None:
            return
        if not self.check_unchanged and not self.has_changed():
            return
        version = current_version(type(self.instance), self.instance.pk)
        if version is None:
            raise ValidationError(DELETED_RECORD, code="deleted")
        if version != loaded_version:
            raise ValidationError(STALE_RECORD, code="stale")

    def _post_clean(self):
        super()._post_clean()
        # The form's "required" and the model's clean() can say the same thing: say it once.
        for errors in self._errors.values():
            seen, unique = set(), []
            for error in errors.data:
                text = tuple(str(message) for message in ValidationError(error).messages)
                if text not in seen:
                    seen.add(text)
                    unique.append(error)
            errors.data[:] = unique


class PortalInlineForm(PortalModelForm):
    check_unchanged = False


class PortalInlineFormSet(BaseInlineFormSet):
    """Duplicate rows are reported with the model constraint's own message."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == set(unique_check):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


def with_version_field(fieldsets, include):
    """The fieldsets with the hidden loaded_version in the first one (so the form renders it), or without it.

    It is left out for models without a version, and for people who may only view.
    """
    fieldsets = [
        (name, {**options, "fields": [field for field in options.get("fields", ()) if field != VERSION_FIELD]})
        for name, options in fieldsets
    ]
    if include and fieldsets:
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
    return fieldsets


class VersionLockMixin:
    """Optimistic locking for a ModelAdmin (see the module docstring)."""

    form = PortalModelForm

    def get_fieldsets(self, request, obj=None):
        include = is_tracked(self.model) and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), include)

    def save_model(self, request, obj, form, change):
        if change and is_tracked(obj):
            claim_version(obj, form.cleaned_data[VERSION_FIELD])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if is_tracked(formset.model):
            deleted = set(formset.deleted_forms)
            for row in formset.initial_forms:
                if row not in deleted and row.has_changed() and VERSION_FIELD in row.cleaned_data:
                    claim_version(row.instance, row.cleaned_data[VERSION_FIELD])
        super().save_formset(request, form, formset, change)

    def _refuse_stale(self, request, view, *args):
        # A save that loses the race between its check and its write is rolled back and
        # the view runs again: its check now sees the newer version and says so, with
        # the editor's input kept in the form.
        for _attempt in range(2):
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    return view(request, *args)
            except StaleRecordError:
                continue
        self.message_user(request, STALE_RECORD, messages.ERROR)
        return HttpResponseRedirect(request.path)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        return self._refuse_stale(request, super().changeform_view, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        return self._refuse_stale(request, super().history_form_view, object_id, version_id, extra_context)


class VersionLockInlineMixin:
    form = PortalInlineForm
    formset = PortalInlineFormSet

    def get_fieldsets(self, request, obj=None):
        include = is_tracked(self.model) and self.has_change_permission(request, obj)
        return with_version_field(super().get_fieldsets(request, obj), include)


# --- Bilingual widgets ----------------------------------------------------------------


def innermost_widget(widget):
    while isinstance(widget, RelatedFieldWidgetWrapper | ClearableWidgetWrapper):
        widget = widget.widget
    return widget


class BilingualWidgetsMixin:
    """Arabic inputs right-to-left, English ones left-to-right, each with its lang.

    `auto_direction_fields` name fields whose language changes from row to row (an
    alias can be Arabic or French): the browser picks their direction.
    """

    auto_direction_fields = ()
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 60})},
        models.URLField: {"assume_scheme": "https"},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        language = getattr(db_field, "language", None)
        widget = innermost_widget(field.widget)
        if language in DIRECTION:
            widget.attrs.update({"dir": DIRECTION[language], "lang": language})
            field.error_messages["required"] = REQUIRED_IN[language]
        elif db_field.name in self.auto_direction_fields:
            widget.attrs["dir"] = "auto"
        return field


# --- Search -------------------------------------------------------------------------------


class ArabicSearchMixin:
    """The admin's search, plus a match on the normalised text (core.arabic).

    `search_fields` are plain field paths ("name_ar", "series__name_en"). The
    normalised match reads those columns for the filtered rows and compares them in
    Python: simple, identical on SQLite and PostgreSQL, and cheap for tables of a few
    thousand rows. Autocomplete widgets search through here too.
    """

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        terms = search_terms(search_term)
        paths = [field.lstrip("^=@") for field in self.get_search_fields(request)]
        if not terms or not paths:
            return results, may_have_duplicates
        texts = defaultdict(list)
        for pk, *values in queryset.order_by().values_list("pk", *paths):
            texts[pk].extend(normalise(value) for value in values if value not in (None, ""))
        found = [pk for pk, row_texts in texts.items() if matches(terms, row_texts)]
        if not found:
            return results, may_have_duplicates
        return queryset.filter(models.Q(pk__in=results.values("pk")) | models.Q(pk__in=found)), False


# --- History -------------------------------------------------------------------------------


class HistoryMixin:
    """The history page lists, for every version, each field's old and new value.

    Like simple-history's own "Changes" column, with two differences: the bare
    column of a translated field (`name`, beside `name_ar` and `name_en`) is left
    out, since modeltranslation fills it with whichever language the saver used;
    and the oldest record on a page is compared with its predecessor too.
    """

    history_list_per_page = 50
    # simple-history's list, with each value in a <bdi> and the arrow pointing the reading way.
    object_history_list_template = "admin/portal/object_history_list.html"

    def history_diff_excluded_fields(self):
        try:
            return set(translator.get_options_for_model(self.model).all_fields)
        except NotRegistered:
            return set()

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        excluded = self.history_diff_excluded_fields()
        records = list(historical_records)
        for newer, older in zip(records, [*records[1:], None], strict=True):
            older = older if older is not None else newer.prev_record
            if older is None:
                continue
            delta = newer.diff_against(older, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs)
            helper = self.get_historical_record_context_helper(request, newer)
            newer.history_delta_changes = helper.context_for_delta_changes(delta)


# --- The base classes the apps use ----------------------------------------------------------


class PortalAdmin(
    VersionLockMixin, ArabicSearchMixin, BilingualWidgetsMixin, HistoryMixin, SimpleHistoryAdmin, TabbedTranslationAdmin
):
    """For models with translated fields."""

    list_per_page = 50
    save_on_top = True


class PortalPlainAdmin(VersionLockMixin, ArabicSearchMixin, BilingualWidgetsMixin, HistoryMixin, SimpleHistoryAdmin):
    """For models without translated fields."""

    list_per_page = 50


class PortalTabularInline(VersionLockInlineMixin, BilingualWidgetsMixin, TranslationTabularInline):
    extra = 0
    formfield_overrides = {
        **BilingualWidgetsMixin.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    }


class PortalStackedInline(VersionLockInlineMixin, BilingualWidgetsMixin, TranslationStackedInline):
    extra = 0


def public_page(url_of):
    """A ModelAdmin.view_on_site for a record shown on another record's page.

    For example a participation is shown on its conference's page:
    `view_on_site = public_page(lambda obj: obj.conference.get_absolute_url())`.
    """

    def view_on_site(model_admin, obj):
        try:
            return url_of(obj)
        except NoReverseMatch:
            return None

    return view_on_site


RECORD_FIELDSET = (_("Record"), {"fields": ("created_at", "updated_at", "version"), "classes": ("collapse",)})
READONLY_RECORD = ("created_at", "updated_at", "version")


# --- Bookkeeping: for reading, never for editing ---------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the portal derives or writes itself."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SlugHistory)
class SlugHistoryAdmin(ReadOnlyAdmin):
    """The earlier addresses of records, written by SluggedModel.save()."""

    list_display = ("slug", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    search_fields = ("slug",)


@admin.register(SeedRecord)
class SeedRecordAdmin(ReadOnlyAdmin):
    """What the seed loader wrote and at which version."""

    list_display = ("model", "key", "object_id", "version")
    list_filter = ("model",)
    search_fields = ("model", "key")
