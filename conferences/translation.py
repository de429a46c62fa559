import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Attendance,
    Citation,
    Conference,
    ConferenceOrganization,
    Participation,
    Series,
    SourceReport,
    Topic,
)


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"ar": ("name",), "en": ("name",)}


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ar", "en")


@register(Conference)
class ConferenceTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "city", "theme", "preparations", "summary", "background", "outcomes")
    required_languages = {
        "ar": ("name", "short_name", "summary"),
        "en": ("name", "short_name", "summary"),
    }


@register(ConferenceOrganization)
class ConferenceOrganizationTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Participation)
class ParticipationTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(Attendance)
class AttendanceTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(SourceReport)
class SourceReportTranslationOptions(TranslationOptions):
    fields = ("title", "outlet", "author", "summary")
    required_languages = {
        "ar": ("title", "summary"),
        "en": ("title", "summary"),
    }


@register(Citation)
class CitationTranslationOptions(TranslationOptions):
    fields = ("excerpt", "claim", "attributed_to", "note")
    required_languages = {"ar": ("excerpt",), "en": ("excerpt",)}


# History is registered after translation, so the history tables hold both languages.
for model in (
    Topic, Series, ConferenceOrganization, Participation, Attendance,
    SourceReport, Citation,
):
    simple_history.register(model, app="conferences")
# A conference's topics are a plain many-to-many: their changes are kept with it.
simple_history.register(Conference, app="conferences", m2m_fields=["topics"])
