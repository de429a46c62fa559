from django.contrib import admin

from core.admin import READONLY_RECORD, RECORD_FIELDSET, PortalAdmin, PortalTabularInline, public_page

from .models import Country, PersonAlias


@admin.register(Country)
class CountryAdmin(PortalAdmin):
    list_display = ("code", "name_ar", "name_en", "region", "updated_at")
    list_filter = ("region",)
    search_fields = ("code", "name_ar", "name_en")
    fieldsets = ((None, {"fields": ("code", "name", "region")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD


class PersonAliasInline(PortalTabularInline):
    model = PersonAlias
    fields = ("name", "language", "script", "note")
    auto_direction_fields = ("name",)


class PersonAdmin(PortalAdmin):
    """People. A person's positions are edited with them, and positions belong to organizations,
    the app above this one: so organizations.admin registers Person, with this class and the
    positions inline."""

    list_display = ("slug", "name_ar", "name_en", "country", "updated_at")
    list_filter = (("country", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("country",)
    search_fields = ("slug", "name_ar", "name_en", "rank_ar", "rank_en", "aliases__name")
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = ((None, {"fields": ("slug", "name", "rank", "country", "description")}), RECORD_FIELDSET)
    readonly_fields = READONLY_RECORD
    inlines = [PersonAliasInline]


@admin.register(PersonAlias)
class PersonAliasAdmin(PortalAdmin):
    list_display = ("name", "person", "language", "script")
    list_filter = ("language", "script")
    list_select_related = ("person",)
    search_fields = ("name", "person__name_ar", "person__name_en", "person__slug")
    autocomplete_fields = ("person",)
    auto_direction_fields = ("name",)
    view_on_site = public_page(lambda alias: alias.person.get_absolute_url())
