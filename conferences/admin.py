from django.contrib import admin
from django.db.models import BLANK_CHOICE_DASH
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.admin import (
    READONLY_RECORD,
    RECORD_FIELDSET,
    PortalAdmin,
    PortalStackedInline,
    PortalTabularInline,
    public_page,
)

from .models import (
    FACT_TARGET,
    TARGET_FIELDS,
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    Series,
    SourceReport,
    Topic,
)

CITATION_TEXT_FIELDS = ("quote_language", "excerpt", "original", "claim", "stance", "attributed_to", "note")
CONFERENCE_SEARCH = ("conference__slug", "conference__short_name_ar", "conference__short_name_en")


def conference_page(record):
    return record.conference.get_absolute_url()


# --- Citations ------------------------------------------------------------------------


class CitationInline(PortalStackedInline):
    """The evidence for the record being edited: only the facts about that kind of record."""

    model = Citation
    fields = ("key", "source", "fact", *CITATION_TEXT_FIELDS)
    autocomplete_fields = ("source",)
    verbose_name = _("citation")
    verbose_name_plural = _("citations")
    classes = ("collapse",)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "fact":
            facts = [fact for fact, target in FACT_TARGET.items() if target == self.fk_name]
            if len(facts) == 1:
                kwargs["initial"] = facts[0].value
                kwargs["choices"] = [(facts[0].value, facts[0].label)]
            else:
                kwargs["choices"] = BLANK_CHOICE_DASH + [(fact.value, fact.label) for fact in facts]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class ConferenceCitationInline(CitationInline):
    fk_name = "conference"


class ParticipationCitationInline(CitationInline):
    fk_name = "participation"


class AttendanceCitationInline(CitationInline):
    fk_name = "attendance"


class ConferenceOrganizationCitationInline(CitationInline):
    fk_name = "conference_organization"


# What each kind of record a citation backs needs for its label (its __str__).
TARGET_LABEL_RELATIONS = {
    "conference_organization": ("conference", "organization"),
    "participation": ("conference", "country"),
    "attendance": ("conference", "person"),
    "position": ("person", "organization"),
}


class CitationTargetsMixin:
    """Loads what the labels of the records a citation backs need, in the same query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name in TARGET_LABEL_RELATIONS:
            field.queryset = field.queryset.select_related(*TARGET_LABEL_RELATIONS[db_field.name])
        return field


class SourceCitationInline(CitationTargetsMixin, PortalTabularInline):
    """Every fact a source backs, whatever record it is about.

    Each citation's record and excerpt are corrected on the citation's own page (the
    change link); a new citation of the source starts from the link in the source's form.
    """

    model = Citation
    fk_name = "source"
    fields = ("key", "fact", "backs", "stance")
    readonly_fields = ("backs",)
    show_change_link = True
    verbose_name = _("citation")
    verbose_name_plural = _("citations")

    @admin.display(description=_("record it backs"))
    def backs(self, citation):
        return citation.target or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        relations = [f"{target}__{related}" for target, pair in TARGET_LABEL_RELATIONS.items() for related in pair]
        return super().get_queryset(request).select_related(*TARGET_FIELDS, *relations)


@admin.register(Citation)
class CitationAdmin(CitationTargetsMixin, PortalAdmin):
    list_display = ("key", "fact", "source", "stance", "updated_at")
    list_filter = ("fact", "stance", ("source", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("source",)
    search_fields = (
        "key", "excerpt_ar", "excerpt_en", "claim_ar", "claim_en", "attributed_to_ar", "attributed_to_en",
        "source__slug", "source__title_ar", "source__title_en", "source__outlet_ar", "source__outlet_en",
    )
    autocomplete_fields = ("source", *TARGET_FIELDS)
    fieldsets = (
        (None, {"fields": ("key", "source", "fact")}),
        (_("The record it backs"), {"fields": TARGET_FIELDS}),
        (_("Evidence"), {"fields": CITATION_TEXT_FIELDS}),
        RECORD_FIELDSET,
    )
    readonly_fields = READONLY_RECORD
    view_on_site = public_page(lambda citation: citation.source.get_absolute_url())


# --- Sources -------------------------------------------------------------------------------


@admin.register(SourceReport)
class SourceReportAdmin(PortalAdmin):
    list_display = ("slug", "title_ar", "title_en", "outlet_en", "language", "published_on", "updated_at")
    list_filter = ("kind", "language")
    search_fields = (
        "slug", "title_ar", "title_en", "outlet_ar", "outlet_en", "author_ar", "author_en", "url", "seed_file",
    )
    prepopulated_fields = {"slug": ("title_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "title", "outlet", "author", "kind", "language")}),
        (_("Publication"), {"fields": (("published_on", "published_precision"), "url", "seed_file")}),
        (_("Summary"), {"fields": ("summary",)}),
        (_("Citations"), {"fields": ("new_citation",)}),
        RECORD_FIELDSET,
    )
    readonly_fields = (*READONLY_RECORD, "new_citation")
    inlines = [SourceCitationInline]

    @admin.display(description=_("new citation"))
    def new_citation(self, source):
        if source.pk is None:
            return _("Save the source first.")
        url = f"{reverse('admin:conferences_citation_add')}?{urlencode({'source': source.pk})}"
        return format_html('<a class="addlink" href="{}">{}</a>', url, _("Cite this source for another fact"))


# --- Topics and series -------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(PortalAdmin):
    list_display = ("slug", "name_ar", "name_en", "updated_at")
    search_fields = ("slug", "name_ar", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = ((None, {"fields": ("slug", "name", "description")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD


@admin.register(Series)
class SeriesAdmin(PortalAdmin):
    list_display = ("slug", "name_ar", "name_en", "organization", "updated_at")
    list_select_related = ("organization",)
    search_fields = ("slug", "name_ar", "name_en", "organization__name_ar", "organization__name_en")
    autocomplete_fields = ("organization",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = ((None, {"fields": ("slug", "name", "organization")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD


# --- Conferences ------------------------------------------------------------------------


class StartYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"
    UNKNOWN = "unknown"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years] + [(self.UNKNOWN, _("date unknown"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.UNKNOWN:
            return queryset.filter(start_date__isnull=True)
        if value and value.isdigit():
            return queryset.filter(start_date__year=int(value))
        return queryset


class ParticipationInline(PortalTabularInline):
    model = Participation
    fields = ("country", "role", "note")
    autocomplete_fields = ("country",)
    show_change_link = True


class AttendanceInline(PortalTabularInline):
    model = Attendance
    fields = ("person", "role", "organization", "note")
    autocomplete_fields = ("person", "organization")
    show_change_link = True


class ConferenceOrganizationInline(PortalTabularInline):
    model = ConferenceOrganization
    fields = ("organization", "role", "note")
    autocomplete_fields = ("organization",)
    show_change_link = True


@admin.register(Conference)
class ConferenceAdmin(PortalAdmin):
    list_display = ("short_name_ar", "short_name_en", "start_date", "host_country", "status", "updated_at")
    list_filter = (
        ("host_country", admin.RelatedOnlyFieldListFilter),
        StartYearFilter,
        "series",
        "status",
        ("organizations", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("host_country", "series")
    search_fields = (
        "slug", "name_ar", "name_en", "short_name_ar", "short_name_en", "city_ar", "city_en",
        "theme_ar", "theme_en", "series__name_ar", "series__name_en",
        "host_country__name_ar", "host_country__name_en",
    )
    # Topics are the form's own field, not an inline of the link table: saving them goes
    # through topics.set(), which the history records (m2m_fields in translation.py).
    autocomplete_fields = ("series", "host_country", "topics")
    prepopulated_fields = {"slug": ("short_name_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "name", "short_name", "series", "edition", "status")}),
        (
            _("Dates and place"),
            {
                "fields": (
                    ("start_date", "start_precision"), ("end_date", "end_precision"), "preparations", "city",
                    "host_country", "country_count",
                )
            },
        ),
        (_("Description"), {"fields": ("theme", "summary", "background", "outcomes", "topics")}),
        RECORD_FIELDSET,
    )
    readonly_fields = READONLY_RECORD
    inlines = [
        ParticipationInline,
        AttendanceInline,
        ConferenceOrganizationInline,
        ConferenceCitationInline,
    ]


@admin.register(Participation)
class ParticipationAdmin(PortalAdmin):
    list_display = ("conference", "country", "role", "updated_at")
    list_filter = ("role", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("conference", "country")
    search_fields = (*CONFERENCE_SEARCH, "country__code", "country__name_ar", "country__name_en")
    autocomplete_fields = ("conference", "country")
    fieldsets = ((None, {"fields": ("conference", "country", "role", "note")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD
    inlines = [ParticipationCitationInline]
    view_on_site = public_page(conference_page)


@admin.register(Attendance)
class AttendanceAdmin(PortalAdmin):
    list_display = ("conference", "person", "role", "organization", "updated_at")
    list_filter = ("role",)
    list_select_related = ("conference", "person", "organization")
    search_fields = (*CONFERENCE_SEARCH, "person__slug", "person__name_ar", "person__name_en")
    autocomplete_fields = ("conference", "person", "organization")
    fieldsets = ((None, {"fields": ("conference", "person", "role", "organization", "note")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD
    inlines = [AttendanceCitationInline]
    view_on_site = public_page(conference_page)


@admin.register(ConferenceOrganization)
class ConferenceOrganizationAdmin(PortalAdmin):
    list_display = ("conference", "organization", "role", "updated_at")
    list_filter = ("role",)
    list_select_related = ("conference", "organization")
    search_fields = (
        *CONFERENCE_SEARCH, "organization__slug", "organization__name_ar", "organization__name_en",
        "organization__acronym",
    )
    autocomplete_fields = ("conference", "organization")
    fieldsets = ((None, {"fields": ("conference", "organization", "role", "note")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD
    inlines = [ConferenceOrganizationCitationInline]
    view_on_site = public_page(conference_page)
