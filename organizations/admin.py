from django.contrib import admin

from participants.admin import RECORD_FIELDSET
from participants.admin import PersonAdmin as BasePersonAdmin
from participants.models import Person
from portal.admin import PortalAdmin, PortalStackedInline, PortalTabularInline, public_page

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
    readonly_fields = ("created_at", "updated_at", "version")
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
    readonly_fields = ("created_at", "updated_at", "version")
    view_on_site = public_page(lambda position: position.person.get_absolute_url())


# Positions live in this app, and dependencies point from organizations to
# participants, never back: so the person admin gets its positions inline here.
admin.site.unregister(Person)


@admin.register(Person)
class PersonAdmin(BasePersonAdmin):
    inlines = [*BasePersonAdmin.inlines, PersonPositionInline]
