from core.bilingual import BilingualOptions, register

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
class TopicTranslationOptions(BilingualOptions):
    fields = ("name", "description")
    required = ("name",)


@register(Series)
class SeriesTranslationOptions(BilingualOptions):
    fields = ("name",)
    required = ("name",)


@register(Conference)
class ConferenceTranslationOptions(BilingualOptions):
    fields = ("name", "short_name", "city", "theme", "preparations", "summary", "background", "outcomes")
    required = ("name", "short_name", "summary")


@register(ConferenceOrganization)
class ConferenceOrganizationTranslationOptions(BilingualOptions):
    fields = ("note",)


@register(Participation)
class ParticipationTranslationOptions(BilingualOptions):
    fields = ("note",)


@register(Attendance)
class AttendanceTranslationOptions(BilingualOptions):
    fields = ("note",)


@register(SourceReport)
class SourceReportTranslationOptions(BilingualOptions):
    fields = ("title", "outlet", "author", "summary")
    required = ("title", "summary")


@register(Citation)
class CitationTranslationOptions(BilingualOptions):
    fields = ("excerpt", "claim", "attributed_to", "note")
    required = ("excerpt",)
