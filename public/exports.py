"""CSV downloads of the conference list and of the countries' participations.

UTF-8 with a byte-order mark, so spreadsheet programs show Arabic; every translated text
has a column per language (name_ar, name_en); dates are written only as far as they are
known (2025-08-25, 2025-08, 2025), with their precision beside them. Text that a spreadsheet
would take for a formula gets a leading apostrophe. The views are endpoints of the API
(public/api.py), which validates the filters.
"""

import csv

from django.db.models import F, Prefetch
from django.http import HttpResponse

from conferences.models import ConferenceOrganization, Participation, Topic
from core.dates import iso_or_none

from .schemas import page_urls

BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A text value that starts like a formula, behind an apostrophe; numbers and dates as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BYTE_ORDER_MARK)
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([neutralised(value) for value in row] for row in rows)
    return response


def bilingual(record, *fields):
    """The Arabic and the English value of each translated field, in that order."""
    return [getattr(record, f"{field}_{language}") or "" for field in fields for language in ("ar", "en")]


CONFERENCE_COLUMNS = [
    "id", "slug",
    "name_ar", "name_en", "short_name_ar", "short_name_en",
    "status",
    "start_date", "start_precision", "end_date", "end_precision",
    "city_ar", "city_en",
    "host_country", "host_country_name_ar", "host_country_name_en",
    "series", "edition",
    "theme_ar", "theme_en",
    "topics", "organizations",
    "url_ar", "url_en", "short_url",
    "updated_at",
]


def conferences_csv(request, conferences):
    """One row per conference. `topics` lists slugs; `organizations` lists slug:role pairs."""
    conferences = conferences.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("slug")),
        Prefetch(
            "organization_roles",
            queryset=ConferenceOrganization.objects.select_related("organization").order_by("organization__slug"),
        ),
    )
    rows = []
    for conference in conferences:
        host = conference.host_country
        urls = page_urls(request, conference)
        rows.append([
            conference.pk, conference.slug,
            *bilingual(conference, "name", "short_name"),
            conference.status,
            iso_or_none(conference.start_date, conference.start_precision), conference.start_precision,
            iso_or_none(conference.end_date, conference.end_precision), conference.end_precision,
            *bilingual(conference, "city"),
            host.code if host else "", *(bilingual(host, "name") if host else ["", ""]),
            conference.series.slug if conference.series_id else "", conference.edition or "",
            *bilingual(conference, "theme"),
            ";".join(topic.slug for topic in conference.topics.all()),
            ";".join(f"{row.organization.slug}:{row.role}" for row in conference.organization_roles.all()),
            urls["ar"], urls["en"], request.build_absolute_uri(conference.get_short_url()),
            conference.updated_at.isoformat(),
        ])
    return csv_response("conferences.csv", CONFERENCE_COLUMNS, rows)


PARTICIPATION_COLUMNS = [
    "conference", "conference_name_ar", "conference_name_en",
    "conference_short_name_ar", "conference_short_name_en",
    "conference_status", "conference_start_date", "conference_start_precision",
    "country", "country_name_ar", "country_name_en",
    "role",
    "note_ar", "note_en",
    "conference_url_ar", "conference_url_en",
]


def participations_csv(request, conferences):
    """One row per country and conference: host, participant, announced or absent."""
    participations = (
        Participation.objects.filter(conference__in=conferences)
        .select_related("conference", "country")
        .order_by(F("conference__start_date").desc(nulls_last=True), "conference__slug", "role", "country__code")
    )
    rows = []
    for participation in participations:
        conference, country = participation.conference, participation.country
        urls = page_urls(request, conference)
        rows.append([
            conference.slug, *bilingual(conference, "name", "short_name"),
            conference.status,
            iso_or_none(conference.start_date, conference.start_precision), conference.start_precision,
            country.code, *bilingual(country, "name"),
            participation.role,
            *bilingual(participation, "note"),
            urls["ar"], urls["en"],
        ])
    return csv_response("participations.csv", PARTICIPATION_COLUMNS, rows)
