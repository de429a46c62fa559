"""The public pages of countries and people."""

import datetime
import zlib
from dataclasses import dataclass
from functools import cache
from html import escape

from django.core.paginator import Paginator
from django.db import router
from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from conferences.models import Attendance, Citation, Conference, Participation
from core import state, tags
from core.addresses import cached_reverse, reverser
from core.prepared import Prepared, concrete
from core.tags import reads
from organizations.models import Organization, OrganizationKind, Position
from participants.models import Country, Person, Region

from .. import maps, previews, structured_data
from ..evidence import References
from ..maps import ABSENT, ANNOUNCED, HOST, PARTICIPANT
from ..queries import related_count
from ..structured_data import PageMeta, text_in
from ..templatetags.cards import CARD_COLUMNS, cards_of, tag_cards
from .base import PublicViewMixin, SlugHistoryMixin, moved_to

# The groups of a country page, in the order they are shown.
COUNTRY_GROUPS = [
    (HOST, _("Conferences it hosted")),
    (PARTICIPANT, _("Conferences it took part in")),
    (ANNOUNCED, _("Conferences it was announced for")),
    (ABSENT, _("Conferences it stayed away from")),
]


def map_groups(roles, countries, kind):
    """The text beside a map: the countries of each role, by name, in the legend's words."""
    labels = maps.LEGENDS[kind]
    by_role = {role: [] for role in maps.ROLES}
    for country in countries:
        if country.code in roles:
            by_role[roles[country.code]].append(country)
    return [
        {"role": role, "label": labels[role], "countries": sorted(by_role[role], key=lambda c: c.name)}
        for role in maps.ROLES
        if by_role[role]
    ]


GROUP_PAGE_SIZE = 20


@dataclass(slots=True)
class Entry:
    """A conference in a group of a country page, as far as sorting, paging and the map need it;
    `conference`, the record its card shows, is loaded only for the entries of the pages shown."""

    pk: int
    start_date: datetime.date | None = None
    slug: str = ""
    place: object = None
    note: str = ""
    conference: object = None


@dataclass(frozen=True, slots=True)
class Place:
    """A country where conferences were held, as the map and the text beside it link it."""

    code: str
    name: str
    url: str = ""

    def get_absolute_url(self):
        return self.url or cached_reverse("countries:detail", code=self.code.lower())


def newest_first(entry):
    """Sort key: conferences with a date, newest first, then the undated ones."""
    start = entry.start_date
    return (start is None, -start.toordinal() if start else 0, entry.slug)


# The columns of the people and organizations of a country page (what each one's line shows, and
# what its record points to, for its cache tag), its organizations' parents' too.
PERSON_COLUMNS = ("pk", "slug", "name_ar", "name_en", "rank_ar", "rank_en", *tags.parent_columns(Person))
ORGANIZATION_PARENTS = tags.parent_columns(Organization)
ORGANIZATION_COLUMNS = (
    "pk", "slug", "name_ar", "name_en", "acronym", "kind", *ORGANIZATION_PARENTS,
    *(f"parent__{column}" for column in ORGANIZATION_PARENTS),
)

# Compiled once per database and language (core/prepared.py), by name in the page's language
# as the translated field orders them.
PEOPLE = Prepared(Person, lambda rows, key: rows.filter(country=key).order_by(
    f"name_{translation.get_language()}"
).values_list(*PERSON_COLUMNS))
ORGANIZATIONS = Prepared(Organization, lambda rows, key: rows.filter(country=key).order_by(
    f"name_{translation.get_language()}"
).values_list(*ORGANIZATION_COLUMNS))
# The country of a page by its ISO code, as a whole record: the ORM's get() built and compiled its
# query anew for every request (0.9 ms of CPU, against 0.2 ms for this one).
COUNTRY = Prepared(Country, lambda rows, key: rows.filter(code=key).values_list(*concrete(Country)))
# The cards of the group pages shown, by their keys: up to a page of each group in one query.
CARDS = Prepared(
    Conference, lambda rows, keys: rows.filter(pk__in=keys).order_by().values_list(*CARD_COLUMNS),
    slots=len(COUNTRY_GROUPS) * GROUP_PAGE_SIZE,
)


@cache
def kind_labels(language):
    """{kind: its label, escaped}, in a language."""
    return {kind: escape(str(label)) for kind, label in OrganizationKind.choices}


def people_items(country):
    """The <li>s of the country's people, by name, as a loop of the template drew them from their
    records: read as plain rows, in the page's language or in Arabic as the models fall back to.
    Each row adds its record's tag, as loading it would (core.tags.shown)."""
    english, address = translation.get_language() == "en", reverser("people:detail")
    rows = PEOPLE(country.pk)
    items = []
    for pk, slug, name_ar, name_en, rank_ar, rank_en, *parents in rows:
        tags.shown(Person, pk, tuple(parents))
        rank = (rank_en if english else None) or rank_ar
        rank = f"<bdi>{escape(rank)}</bdi> " if rank else ""
        name = (name_en if english else None) or name_ar or ""
        items.append(
            f'\n    <li>{rank}<a href="{escape(address(slug=slug))}"><bdi>{escape(name)}</bdi></a></li>\n    '
        )
    # Every text is escaped where it is drawn.
    return mark_safe("".join(items))


def organization_items(country):
    """The <li>s of the country's organizations, by name, as people_items() draws its people; the
    parent each record loaded with adds its tag too, as before."""
    english, address = translation.get_language() == "en", reverser("organizations:detail")
    kinds = kind_labels(translation.get_language())
    width, parent_index = len(ORGANIZATION_PARENTS), ORGANIZATION_PARENTS.index("parent_id")
    rows = ORGANIZATIONS(country.pk)
    items = []
    for pk, slug, name_ar, name_en, acronym, kind, *rest in rows:
        parents = tuple(rest[:width])
        tags.shown(Organization, pk, parents)
        if parents[parent_index] is not None:
            tags.shown(Organization, parents[parent_index], tuple(rest[width:]))
        name = (name_en if english else None) or name_ar or ""
        acronym = f" (<bdi>{escape(acronym)}</bdi>)" if acronym else ""
        items.append(
            f'\n    <li><a href="{escape(address(slug=slug))}"><bdi>{escape(name)}</bdi></a>{acronym}\n'
            f'      <span class="meta">— {kinds[kind] if kind in kinds else escape(str(kind))}</span></li>\n    '
        )
    return mark_safe("".join(items))


# What the countries index reads of whole kinds (its summary: state.remember).
COUNTRY_INDEX_READS = reads(Country) | reads(Conference, "host_country") | reads(Participation, "country", "role")


class CountryListView(PublicViewMixin, ListView):
    """Every country, grouped by region. Countries are a bounded list: no pagination."""

    model = Country
    # Every country, and the counts of conferences hosted, attended, announced and stayed away
    # from: an edit of a conference's text leaves the index cached.
    reads = COUNTRY_INDEX_READS
    context_object_name = "countries"
    extra_context = {
        "page_meta": PageMeta(
            _("Countries"),
            _(
                "Every country in the records, by region: the security and intelligence conferences it hosted, "
                "took part in or stayed away from."
            ),
        )
    }

    def get_queryset(self):
        return Country.objects.order_by("name")

    def counted(self):
        """The countries with their counts. One correlated count per column: joining both
        relations at once would multiply rows."""
        return self.get_queryset().annotate(
            hosted_count=related_count(Country, "hosted_conferences"),
            participant_count=related_count(Country, "participations", role=PARTICIPANT),
            announced_count=related_count(Country, "participations", role=ANNOUNCED),
            absent_count=related_count(Country, "participations", role=ABSENT),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The counts read the whole participation table, and hundreds of rows take longer to draw
        # than the rest of the page: the index is drawn once for the data's version (state.remember).
        context["index"] = mark_safe(
            state.remember(
                self.request, "countries-index", lambda: self.draw_index(list(self.counted())),
                reads=self.reads,
            )
        )
        return context

    def draw_index(self, countries):
        """The map and the tables by region, as markup."""
        regions = {value: {"region": value, "label": label, "countries": []} for value, label in Region.choices}
        for country in countries:
            regions.setdefault(
                country.region, {"region": country.region, "label": country.region, "countries": []}
            )["countries"].append(country)
        # The map: each country by the strongest part it had (hosting, then taking part, ...).
        roles = {}
        for country in countries:
            counts = zip(
                maps.ROLES,
                (country.hosted_count, country.participant_count, country.announced_count, country.absent_count),
                strict=True,
            )
            role = next((role for role, count in counts if count), None)
            if role:
                roles[country.code] = role
        groups = map_groups(roles, countries, "index")
        unplaced = [c for c in countries if c.code not in roles and c.code in maps.SHAPES]
        if unplaced:
            groups.append({"role": "land", "label": maps.LAND_LABEL, "countries": unplaced})
        return render_to_string("participants/country_index.html", {
            "countries": countries,
            "regions": [group for group in regions.values() if group["countries"]],
            "map_roles": roles,
            "map_groups": groups,
        })


class CountryDetailView(PublicViewMixin, DetailView):
    """A country: the conferences it hosted, took part in, was announced for or stayed away
    from, each group with its own pager, and the map of where they were held.

    A country may be at thousands of conferences: what sorts, pages and maps them is read as
    plain rows (dates, slugs and places), and whole records only for the cards of the pages shown.
    """

    model = Country

    def get(self, request, *args, **kwargs):
        code = kwargs["code"]
        if code != code.lower() or not request.path_info.endswith("/"):
            # /countries/LY/ or /countries/ly: one 301 to the page's own address.
            country = Country.objects.filter(code=code.upper()).first() if len(code) == 2 else None
            if country is None:
                raise Http404
            return moved_to(country, request)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        code = self.kwargs["code"]
        # The address carries the ISO code in lower case, and only that.
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise Http404
        found = COUNTRY(code.upper())
        if not found:
            raise Http404
        return Country.from_db(router.db_for_read(Country), concrete(Country), found[0])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        # Sorting, paging and mapping its conferences reads every one of them: done once for the
        # data's version and language (state.remember), kept as plain values.
        summary = state.remember(self.request, f"country-conferences:{country.code}", self.summary)
        context["conference_groups"] = []
        shown = []
        for role, heading in COUNTRY_GROUPS:
            # Each group is a side list with its own pager; the map shows all of them.
            param = f"{role}-page"
            page_obj = Paginator(summary["groups"][role], GROUP_PAGE_SIZE).get_page(self.request.GET.get(param))
            page_obj.object_list = [Entry(pk, note=note) for pk, note in page_obj.object_list]
            shown += page_obj.object_list
            context["conference_groups"].append(
                {"role": role, "heading": heading, "param": param, "page_obj": page_obj}
            )
        # The cards of the pages shown, as plain rows, in one query by primary key.
        cards = {row.pk: row for row in cards_of(CARDS([entry.pk for entry in shown]), False)}
        for entry in shown:
            entry.conference = cards[entry.pk]
        # Their tags, but for the conferences it hosted: this page's about tag answers for those (core.tags).
        tag_cards([row for row in cards.values() if row.host_country_id != country.pk])
        context["map"] = mark_safe(zlib.decompress(summary["map"]).decode())
        context["people"] = people_items(country)
        context["organizations"] = organization_items(country)
        description = gettext(
            "%(name)s at security conferences in Africa: hosting, taking part and staying away, "
            "with its officials and organizations."
        ) % {"name": country.name}
        context.update(
            page_meta=PageMeta(
                country.name, description, "website", country.updated_at,
                **previews.page_image(self.request, "countries", country, code=country.code.lower()),
            ),
            structured_data=structured_data.json_ld(structured_data.place(self.request, country)),
        )
        return context

    def summary(self):
        """Each group's conferences, newest first, as (pk, note); the map's roles, and its places as
        (code, name, address), None standing for the country itself."""
        groups = self.entries()
        return {
            "groups": {
                role: [(entry.pk, entry.note) for entry in sorted(groups[role].values(), key=newest_first)]
                for role, _heading in COUNTRY_GROUPS
            },
            # Drawn here, once: the map is the page's largest piece (about 40 KB), kept compressed.
            "map": zlib.compress(self.draw_map(*self.map_of(groups)).encode()),
        }

    def draw_map(self, roles, places):
        """The map of where its conferences were held, and the text beside it."""
        country = self.object
        return render_to_string("participants/country_map.html", {
            "country": country, "map_roles": roles, "map_countries": places,
            "map_groups": map_groups(roles, places, "country"),
        })

    def entries(self):
        """{role: {conference pk: Entry}}: the conferences it hosted, then those of its parts.

        Two indexed queries, each with the conferences' dates, slugs and places: the conferences
        it hosted (by the host's key), then its parts (by the participation's country).
        """
        country = self.object
        english = translation.get_language() == "en"
        place_columns = ("start_date", "slug", "host_country__code", "host_country__name_ar", "host_country__name_en")
        hosted = Conference.objects.filter(host_country=country).order_by().values_list("pk", *place_columns)
        # The note in the page's language, or in Arabic as the models fall back to: read as two
        # plain columns, since the translated field's own fallback costs more than the query.
        parts = Participation.objects.filter(country=country).order_by().values_list(
            "conference_id", "role", "note_ar", "note_en", *(f"conference__{column}" for column in place_columns)
        )
        groups = {role: {} for role, _heading in COUNTRY_GROUPS}
        places = {}
        address = reverser("countries:detail")

        def place(code, name_ar, name_en):
            if code is not None and code not in places:
                # The name in the page's language, or in Arabic as the models fall back to.
                places[code] = Place(code, (name_en if english else "") or name_ar, address(code=code.lower()))
            return places.get(code)

        for pk, start_date, slug, code, name_ar, name_en in hosted:
            groups[HOST][pk] = Entry(pk, start_date, slug, place(code, name_ar, name_en))
        for pk, role, note_ar, note_en, start_date, slug, code, name_ar, name_en in parts:
            group = groups.setdefault(role, {})
            if pk not in group:
                # One conference may be in two groups, each with its own note.
                group[pk] = Entry(pk, start_date, slug, place(code, name_ar, name_en))
            group[pk].note = (note_en if english else "") or note_ar
        return groups

    def map_of(self, groups):
        """Where the country's conferences were held: {code: the strongest part it had there}, and
        the places (the country itself among them), which the map links.

        Its own territory is "host" when it hosted there; a conference it co-hosted elsewhere
        counts as taking part at that place. Conferences with no recorded place are not drawn.
        """
        country = self.object
        found, places = {}, {}
        for role, entries in groups.items():
            for entry in entries.values():
                place = entry.place
                if place is None:
                    continue
                part = PARTICIPANT if role == HOST and place.code != country.code else role
                places[place.code] = place
                found.setdefault(place.code, set()).add(part)
        roles = {code: maps.strongest(found_roles) for code, found_roles in found.items()}
        places[country.code] = country
        return roles, list(places.values())


class PersonListView(PublicViewMixin, ListView):
    model = Person
    paginate_by = 30
    context_object_name = "people"
    extra_context = {
        "page_meta": PageMeta(
            _("People"),
            _(
                "Officials named in the reports on security conferences in Africa: the posts they held and the "
                "conferences they attended."
            ),
        )
    }

    def get_queryset(self):
        return Person.objects.select_related("country").order_by("name")


class PersonDetailView(SlugHistoryMixin, PublicViewMixin, DetailView):
    model = Person

    def get_queryset(self):
        return Person.objects.select_related("country").prefetch_related(
            "aliases",
            Prefetch("positions", queryset=Position.objects.select_related("organization")),
            Prefetch(
                "attendances", queryset=Attendance.objects.select_related("conference__host_country", "organization")
            ),
        )

    def get_object(self, queryset=None):
        # Their conferences show as links with their dates: their cards' tags (core.tags.part).
        with tags.shown_as(Conference, "card"):
            person = super().get_object(queryset)
        # The citations of their positions and attendances, in one query.
        Citation.objects.attach_to(position=person.positions.all(), attendance=person.attendances.all())
        return person

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        positions = list(person.positions.all())
        description = text_in(person, "description") or gettext(
            "%(name)s: positions and attendance at security conferences in Africa, as the cited reports record them."
        ) % {"name": person.name}
        context.update(
            positions=positions,
            attendances=list(person.attendances.all()),
            references=References(),
            page_meta=PageMeta(person.name, description, "profile", person.updated_at),
            structured_data=structured_data.json_ld(structured_data.person(self.request, person, positions)),
        )
        return context
