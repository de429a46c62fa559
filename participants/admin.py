from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import PortalAdmin, PortalTabularInline, public_page

from .models import Country, Person, PersonAlias, SlugHistory

RECORD_FIELDSET = (_("Record"), {"fields": ("created_at", "updated_at", "version"), "classes": ("collapse",)})


@admin.register(Country)
class CountryAdmin(PortalAdmin):
    list_display = ("code", "name_ar", "name_en", "region", "updated_at")
    list_filter = ("region",)
    search_fields = ("code", "name_ar", "name_en")
    fieldsets = ((None, {"fields": ("code", "name", "region")}), RECORD_FIELDSET)
    readonly_fields = ("created_at", "updated_at", "version")


class PersonAliasInline(PortalTabularInline):
    model = PersonAlias
    fields = ("name", "language", "script", "note")
    auto_direction_fields = ("name",)


@admin.register(Person)
class PersonAdmin(PortalAdmin):
    """People. organizations.admin adds the positions inline (positions live in that app)."""

    list_display = ("slug", "name_ar", "name_en", "country", "updated_at")
    list_filter = (("country", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("country",)
    search_fields = ("slug", "name_ar", "name_en", "rank_ar", "rank_en", "aliases__name")
    autocomplete_fields = ("country",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = ((None, {"fields": ("slug", "name", "rank", "country", "description")}), RECORD_FIELDSET)
    readonly_fields = ("created_at", "updated_at", "version")
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


@admin.register(SlugHistory)
class SlugHistoryAdmin(admin.ModelAdmin):
    """The earlier addresses of records, written by TrackedModel.save(): for reading, never for editing."""

    list_display = ("slug", "content_type", "object_id", "created_at")
    list_filter = ("content_type",)
    search_fields = ("slug",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
