from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import SearchEntry, SearchWord


@admin.register(SearchEntry)
class SearchEntryAdmin(ReadOnlyAdmin):
    """The search index, rebuilt from the records (`rebuild_search_index`)."""

    list_display = ("kind", "object_id", "title_ar", "title_en")
    list_filter = ("kind",)
    search_fields = ("title_ar", "title_en")


@admin.register(SearchWord)
class SearchWordAdmin(ReadOnlyAdmin):
    """The words of the search index, for "did you mean"."""

    list_display = ("display", "key", "frequency")
    search_fields = ("key", "display")
