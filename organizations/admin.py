from django.contrib import admin

from core.admin import (
    READONLY_RECORD,
    RECORD_FIELDSET,
    PortalAdmin,
    PortalStackedInline,
    PortalTabularInline,
    public_page,
)
from participants.admin import PersonAdmin
from participants.models import Person

from .models import Organization, OrganizationAlias, Position

POSITION_FIELDS = ("key", "title", "start_date", "start_precision", "end_date", "end_precision")
# Stacked and paired: a row of seven columns does not fit beside the admin's sidebar.
POSITION_LINES = ("title", ("start_date", "start_precision"), ("end_date", "end_precision"))


class OrganizationAliasInline(PortalTabularInline):
    model = OrganizationAlias
    fields = ("name", "language", "script", "note")
    auto_direction_fields = ("name",)


class OrganizationPositionInline(PortalStackedInline):
    """The people who held posts in an organization."""

    model = Position
    fk_name = "organization"
    fields = (("person", "key"), *POSITION_LINES)
    autocomplete_fields = ("person",)


class PersonPositionInline(PortalStackedInline):
    """The posts a person held."""

    model = Position
    fk_name = "person"
    fields = (("organization", "key"), *POSITION_LINES)
    autocomplete_fields = ("organization",)


@admin.register(Organization)
class OrganizationAdmin(PortalAdmin):
    list_display = ("slug", "name_ar", "name_en", "acronym", "kind", "country", "updated_at")
    list_filter = ("kind", ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("country",)
    search_fields = (
        "slug", "name_ar", "name_en", "acronym", "aliases__name",
        "country__name_ar", "country__name_en",
    )
    autocomplete_fields = ("country", "parent")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("slug", "name", "acronym", "kind", "country", "parent", "founding_year", "description")}),
        RECORD_FIELDSET,
    )
    readonly_fields = READONLY_RECORD
    inlines = [OrganizationAliasInline, OrganizationPositionInline]


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(PortalAdmin):
    list_display = ("name", "organization", "language", "script")
    list_filter = ("language", "script")
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name_ar", "organization__name_en", "organization__slug")
    autocomplete_fields = ("organization",)
    auto_direction_fields = ("name",)
    view_on_site = public_page(lambda alias: alias.organization.get_absolute_url())


@admin.register(Position)
class PositionAdmin(PortalAdmin):
    list_display = ("person", "title_ar", "title_en", "organization", "start_date", "end_date")
    list_filter = (("organization", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("person", "organization")
    search_fields = (
        "key", "title_ar", "title_en", "person__name_ar", "person__name_en", "person__slug",
        "organization__name_ar", "organization__name_en", "organization__acronym",
    )
    autocomplete_fields = ("person", "organization")
    fieldsets = ((None, {"fields": ("person", "organization", *POSITION_FIELDS)}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD
    view_on_site = public_page(lambda position: position.person.get_absolute_url())


# A person is edited with their positions, which live in this app: participants.admin defines
# the person's admin, and it is registered here, once, with the positions inline.
admin.site.register(Person, PersonAdmin, inlines=[*PersonAdmin.inlines, PersonPositionInline])
