"""The public pages of countries and people."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from conferences.models import Attendance, Citation, Conference, Participation
from organizations.models import Organization, Position
from participants.models import Country, Person, Region

from .. import maps, previews, structured_data
from ..evidence import References
from ..maps import ABSENT, ANNOUNCED, HOST, PARTICIPANT
from ..queries import related_count
from ..structured_data import PageMeta, text_in
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


def newest_first(entry):
    """Sort key: conferences with a date, newest first, then the undated ones."""
    start = entry["conference"].start_date
    return (start is None, -start.toordinal() if start else 0, entry["conference"].slug)


class CountryListView(PublicViewMixin, ListView):
    """Every country, grouped by region. Countries are a bounded list: no pagination."""

    model = Country
    # The counts of conferences hosted, attended, announced and stayed away from.
    lists = (Conference, Participation)
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
        # One correlated count per column: joining both relations at once would multiply rows.
        return Country.objects.annotate(
            hosted_count=related_count(Country, "hosted_conferences"),
            participant_count=related_count(Country, "participations", role=PARTICIPANT),
            announced_count=related_count(Country, "participations", role=ANNOUNCED),
            absent_count=related_count(Country, "participations", role=ABSENT),
        ).order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = {value: {"region": value, "label": label, "countries": []} for value, label in Region.choices}
        for country in context["countries"]:
            regions.setdefault(
                country.region, {"region": country.region, "label": country.region, "countries": []}
            )["countries"].append(country)
        context["regions"] = [group for group in regions.values() if group["countries"]]
        # The map: each country by the strongest part it had (hosting, then taking part, ...).
        roles = {}
        for country in context["countries"]:
            counts = zip(
                maps.ROLES,
                (country.hosted_count, country.participant_count, country.announced_count, country.absent_count),
                strict=True,
            )
            role = next((role for role, count in counts if count), None)
            if role:
                roles[country.code] = role
        context["map_roles"] = roles
        context["map_groups"] = map_groups(roles, context["countries"], "index")
        unplaced = [c for c in context["countries"] if c.code not in roles and c.code in maps.SHAPES]
        if unplaced:
            context["map_groups"].append({"role": "land", "label": maps.LAND_LABEL, "countries": unplaced})
        return context


class CountryDetailView(PublicViewMixin, DetailView):
    model = Country

    def get_queryset(self):
        # The conferences come in a second, indexed query (by primary key), rather than a join
        # that would read the whole conference table; the view sorts them, newest first.
        participations = Participation.objects.order_by().prefetch_related(
            Prefetch("conference", queryset=Conference.objects.for_cards().order_by())
        )
        return Country.objects.prefetch_related(
            Prefetch("hosted_conferences", queryset=Conference.objects.for_cards()),
            Prefetch("participations", queryset=participations),
            Prefetch("people", queryset=Person.objects.order_by("name")),
            Prefetch("organizations", queryset=Organization.objects.select_related("parent").order_by("name")),
        )

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
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(code=code.upper())
        except Country.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        groups = {role: {} for role, _heading in COUNTRY_GROUPS}
        for conference in country.hosted_conferences.all():
            groups[HOST][conference.pk] = {"conference": conference, "note": ""}
        for participation in country.participations.all():
            entry = groups.setdefault(participation.role, {}).setdefault(
                participation.conference_id, {"conference": participation.conference, "note": ""}
            )
            entry["note"] = participation.note
        context["conference_groups"] = []
        for role, heading in COUNTRY_GROUPS:
            # Each group is a side list with its own pager; the map shows all of them.
            param = f"{role}-page"
            entries = Paginator(sorted(groups[role].values(), key=newest_first), GROUP_PAGE_SIZE)
            context["conference_groups"].append({
                "role": role, "heading": heading, "param": param,
                "page_obj": entries.get_page(self.request.GET.get(param)),
            })
        context["map_roles"], context["map_countries"] = self.map_of(groups)
        context["map_groups"] = map_groups(context["map_roles"], context["map_countries"], "country")
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

    def map_of(self, groups):
        """Where the country's conferences were held: {code: the strongest part it had there}, and
        the Country records of those places and of the country itself, which the map links.

        Its own territory is "host" when it hosted there; a conference it co-hosted elsewhere
        counts as taking part at that place. Conferences with no recorded place are not drawn.
        """
        country = self.object
        found, places = {}, {}
        for role, entries in groups.items():
            for entry in entries.values():
                place = entry["conference"].host_country
                if place is None:
                    continue
                part = PARTICIPANT if role == HOST and place.pk != country.pk else role
                places[place.code] = place
                found.setdefault(place.code, set()).add(part)
        roles = {code: maps.strongest(found_roles) for code, found_roles in found.items()}
        places.setdefault(country.code, country)
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
