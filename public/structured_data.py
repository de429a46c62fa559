"""What a page tells machines about itself: its description, its preview, and schema.org JSON-LD.

- `describe(text)`: a meta description, whitespace folded and cut at a word near 160 characters.
- `PageMeta`: a page's title, description and Open Graph type, for the page_meta_tags tag
  (public/templatetags/site_tags.py: the meta description, Open Graph and Twitter card tags in
  the head of every page).
- `event()`, `person()`, `organization()`, `place()`: schema.org JSON-LD for a conference, a person,
  an organization and a country, in the active language, built only from what is recorded:
  a date is written only as far as it is known ("2025-08-25", "2026-02", "2025") and left out
  when unknown; an empty optional text is left out rather than filled from the other language.
- `json_ld(data)`: the JSON for a <script type="application/ld+json"> data block, escaped like
  Django's json_script (<, > and & as \\u escapes), with Arabic left readable (ensure_ascii=False).

Each object says which page it comes from, and in which language, in `mainEntityOfPage`
(a WebPage with `inLanguage`). The language of the page is not the language of the event:
a conference's own `inLanguage` would claim the language spoken there, which no source records.

Every record is identified (`@id`) by its short link, the address that never changes, so the
same person is one node whether met on their own page or among a conference's attendees.
"""

import json
import re
import weakref
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from conferences.models import NOT_YET_HELD, OrganizationRole
from core.dates import iso_or_none

SITE_NAME = gettext_lazy("Security Conferences in Africa")
DESCRIPTION_LENGTH = 160

SCHEMA = "https://schema.org"
EVENT_SCHEDULED = "https://schema.org/EventScheduled"

# A conference not yet held is scheduled. A held one gets no eventStatus (schema.org has no
# "held"), and none is ever cancelled here.
SCHEDULED_STATUSES = NOT_YET_HELD
# The roles that make an organization an organizer.
ORGANIZER_ROLES = (OrganizationRole.ORGANIZER, OrganizationRole.CO_CHAIR)

# Django's json_script escapes: the JSON cannot close the <script> element or start markup.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# --- Descriptions and previews ---------------------------------------------------------


def describe(text, limit=DESCRIPTION_LENGTH):
    """`text` on one line, cut at the last whole word that fits in `limit` characters, with "…"."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.،؛") + "…"


@dataclass
class PageMeta:
    """The title and description a page's preview shows, and its Open Graph type.

    `title` and `text` may be lazy translations: they are read when the page is drawn, in its
    language. The description is `text` cut to DESCRIPTION_LENGTH, whatever a translation's
    length. `og_type` is "website", "article" or "profile"; `modified` (a datetime) becomes
    article:modified_time. `image` is the address of the page's own preview image
    (public/previews.py) and `image_alt` its description; without one the page shows the site's.
    """

    title: str
    text: str
    og_type: str = "website"
    modified: object = None
    image: str = ""
    image_alt: str = ""

    @property
    def description(self):
        return describe(self.text)


def text_in(record, field, language=None):
    """A translated field in the given (or active) language only: never the other language's text."""
    language = language or translation.get_language()
    return (getattr(record, f"{field}_{language}", None) or "").strip()


# --- JSON-LD ----------------------------------------------------------------------------


def json_ld(data):
    """The JSON of a <script type="application/ld+json"> block, safe to put inside it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))


# The scheme and host of each request's absolute addresses, found once: a conference's JSON-LD
# holds a hundred addresses.
_origins = weakref.WeakKeyDictionary()


def _absolute(request, path):
    """request.build_absolute_uri(path); for the site's own paths (from reverse(), already quoted),
    the request's origin and the path."""
    if path.startswith("/") and not path.startswith("//"):
        origin = _origins.get(request)
        if origin is None:
            origin = _origins[request] = request.build_absolute_uri("/")[:-1]
        return origin + path
    return request.build_absolute_uri(path)


def _node(request, record, schema_type):
    """A reference to a record: its type, permanent @id, name and page in the active language."""
    node = {"@type": schema_type}
    short = record.get_short_url()
    if short:
        node["@id"] = _absolute(request, short)
    node["name"] = record.name
    node["url"] = _absolute(request, record.get_absolute_url())
    return node


def _web_page(request, record, page_type="WebPage"):
    """The page a record is shown on, in the active language."""
    language = translation.get_language()
    url = _absolute(request, record.get_absolute_url())
    page = {"@type": page_type, "@id": url, "url": url, "inLanguage": language}
    if getattr(record, "updated_at", None):
        page["dateModified"] = record.updated_at.isoformat()
    page["isPartOf"] = {
        "@type": "WebSite",
        "name": str(SITE_NAME),
        "url": _absolute(request, reverse("pages:home")),
    }
    return page


def _alternate_names(record, *names):
    """Other names of a record: its name in the other languages, then the given ones; no repeats."""
    own = record.name
    seen, result = {own}, []
    others = [text_in(record, "name", code) for code, _name in settings.LANGUAGES]
    for name in [*others, *names]:
        name = (name or "").strip()
        if name and name not in seen:
            seen.add(name)
            result.append(name)
    return result


def _put(data, key, value):
    """Set `key` only when there is something to say."""
    if value not in (None, "", [], {}):
        data[key] = value


def _country_address(country):
    return {"@type": "PostalAddress", "addressCountry": country.code}


def event(request, conference, attendances=(), organization_roles=(), topics=None):
    """schema.org Event for a conference page.

    `attendances` (with person and organization), `organization_roles` (with organization) and
    `topics` (else the conference's) are what the page already loaded, records or the plain rows
    of public/conference_page.py, so building this costs no query.
    """
    data = {"@context": SCHEMA, **_node(request, conference, "Event")}
    _put(data, "alternateName", conference.short_name if conference.short_name != conference.name else None)
    _put(data, "description", text_in(conference, "summary"))
    _put(data, "startDate", iso_or_none(conference.start_date, conference.start_precision))
    _put(data, "endDate", iso_or_none(conference.end_date, conference.end_precision))
    if conference.status in SCHEDULED_STATUSES:
        data["eventStatus"] = EVENT_SCHEDULED

    city, country = text_in(conference, "city"), conference.host_country
    if city or country:
        address = {"@type": "PostalAddress"}
        _put(address, "addressLocality", city)
        if country:
            address["addressCountry"] = country.code
        # The interface's own comma: "Benghazi, Libya", «بنغازي، ليبيا».
        separator = gettext(",") + " "
        name = separator.join(part for part in (city, country.name if country else "") if part)
        data["location"] = {"@type": "Place", "name": name, "address": address}

    _put(
        data,
        "organizer",
        [_organization_node(request, row.organization) for row in organization_roles if row.role in ORGANIZER_ROLES],
    )
    attendees, seen = [], set()
    for row in attendances:
        if row.person.pk in seen:
            continue
        seen.add(row.person.pk)
        attendee = _node(request, row.person, "Person")
        if row.organization is not None:
            attendee["affiliation"] = _organization_node(request, row.organization)
        attendees.append(attendee)
    _put(data, "attendee", attendees)
    if conference.series_id:
        data["superEvent"] = {"@type": "EventSeries", "name": conference.series.name}
    topics = conference.topics.all() if topics is None else topics
    _put(data, "about", [_node(request, topic, "Thing") for topic in topics])
    data["mainEntityOfPage"] = _web_page(request, conference)
    return data


def _organization_node(request, organization):
    node = _node(request, organization, "Organization")
    _put(node, "alternateName", organization.acronym)
    return node


def person(request, person, positions=()):
    """schema.org Person for a person page: aliases, rank, and the posts held (Popolo memberships).

    `positions` (with organization) are the rows the page loaded. Each becomes an
    OrganizationRole in `memberOf`, with its title and dates as far as known, and its
    organization in `affiliation`.
    """
    data = {"@context": SCHEMA, **_node(request, person, "Person")}
    _put(data, "alternateName", _alternate_names(person, *(alias.name for alias in person.aliases.all())))
    _put(data, "honorificPrefix", text_in(person, "rank"))
    _put(data, "description", text_in(person, "description"))
    affiliations, memberships = {}, []
    for position in positions:
        organization = _organization_node(request, position.organization)
        affiliations.setdefault(position.organization_id, organization)
        role = {"@type": "OrganizationRole", "roleName": position.title, "memberOf": organization}
        _put(role, "startDate", iso_or_none(position.start_date, position.start_precision))
        _put(role, "endDate", iso_or_none(position.end_date, position.end_precision))
        memberships.append(role)
    _put(data, "affiliation", list(affiliations.values()))
    _put(data, "memberOf", memberships)
    data["mainEntityOfPage"] = _web_page(request, person, "ProfilePage")
    return data


def organization(request, organization):
    """schema.org Organization: other names, parent and units, the country, the founding year if recorded."""
    data = {"@context": SCHEMA, **_node(request, organization, "Organization")}
    _put(
        data,
        "alternateName",
        _alternate_names(organization, organization.acronym, *(alias.name for alias in organization.aliases.all())),
    )
    _put(data, "description", text_in(organization, "description"))
    if organization.founding_year:
        data["foundingDate"] = f"{organization.founding_year:04d}"
    if organization.parent_id:
        data["parentOrganization"] = _organization_node(request, organization.parent)
    _put(data, "subOrganization", [_organization_node(request, child) for child in organization.children.all()])
    if organization.country_id:
        data["address"] = _country_address(organization.country)
    data["mainEntityOfPage"] = _web_page(request, organization, "AboutPage")
    return data


def place(request, country):
    """schema.org Place for a country page, identified by its ISO 3166-1 alpha-2 code."""
    data = {"@context": SCHEMA, **_node(request, country, "Place")}
    _put(data, "alternateName", _alternate_names(country))
    data["identifier"] = country.code
    data["address"] = _country_address(country)
    data["mainEntityOfPage"] = _web_page(request, country)
    return data

