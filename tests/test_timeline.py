"""The timeline on the home page, read as a visitor reads it, and the list's month filter.

A conference known to the day sits in its month (and spans the months it runs into); one
known only to its month spans that month and says so; one known only to its year spans the
year and says so; one with no known date is listed apart, never placed.
"""

import datetime
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders

from tests import factories as make
from tests.helpers import entry, get, page, page_text, parse, text, timeline, url

pytestmark = pytest.mark.django_db

D = datetime.date
HEADINGS = "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"


def dated(slug, start=None, precision="unknown", end=None, end_precision="unknown", **fields):
    """A conference with dates of any precision (factories.conference knows days only).

    Its short name, which the timeline shows, is "Short <slug>".
    """
    return make.conference(
        slug, start_date=start, start_precision=precision, end_date=end, end_precision=end_precision,
        short_name_ar=f"قصير {slug}", short_name_en=f"Short {slug}", **fields,
    )


@pytest.fixture
def calendar():
    """Conferences like the reports' ones: four known to the day over three years, one not yet dated."""
    libya, morocco = make.named_country("LY"), make.named_country("MA")
    dated("chiefs-of-staff-2026", D(2026, 2, 10), "day", D(2026, 2, 12), "day", host_country=libya)
    dated("cissa-20-2025", D(2025, 8, 25), "day", D(2025, 8, 26), "day", host_country=libya)
    dated("agadir-2025", D(2025, 6, 17), "day", D(2025, 6, 17), "day", host_country=morocco)
    dated("tripoli-2024", D(2024, 12, 21), "day", D(2024, 12, 22), "day", host_country=libya)
    dated("rabat-2024", D(2024, 8, 12), "day", D(2024, 8, 13), "day", host_country=morocco)
    dated("cissa-21", status="planned")


def home(client, language="en"):
    return timeline(page(client, "pages:home", language))


def headings(document):
    return [text(heading) for heading in document.xpath(HEADINGS)]


def conference_list(client, query="", language="en"):
    return parse(get(client, url("conferences:list", language) + query))


def listed(client, query, language="en"):
    """The slugs of the conferences the list shows, in its order."""
    hrefs = conference_list(client, query, language).xpath('//ul[@class="cards"]//article//h2/a/@href')
    return [href.split("/")[3] for href in hrefs]


# --- Conferences known to the day ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "year", "first", "last", "dates"),
    [
        ("chiefs-of-staff-2026", 2026, 2, 2, "10–12 February 2026"),
        ("cissa-20-2025", 2025, 8, 8, "25–26 August 2025"),
        ("agadir-2025", 2025, 6, 6, "17 June 2025"),
        ("tripoli-2024", 2024, 12, 12, "21–22 December 2024"),
    ],
)
def test_each_conference_sits_in_its_year_and_month_with_a_link(client, calendar, slug, year, first, last, dates):
    years, _undated = home(client)
    assert sorted(years, reverse=True) == [2026, 2025, 2024]
    item = entry(years, year, f"/en/conferences/{slug}/")
    assert {"tl-exact", f"tl-s{first}", f"tl-e{last}"} <= item["classes"]
    assert item["text"] == f"Short {slug} {dates}"
    for other_year, items in years.items():
        if other_year != year:
            assert f"/en/conferences/{slug}/" not in [i["href"] for i in items]


def test_the_conference_with_no_date_is_listed_apart(client, calendar):
    document = page(client, "pages:home", "en")
    years, undated = timeline(document)
    assert [item["href"] for item in undated] == ["/en/conferences/cissa-21/"]
    assert all("/en/conferences/cissa-21/" != item["href"] for items in years.values() for item in items)
    assert "Date not known" in headings(document)


def test_the_timeline_reads_in_arabic_with_the_sites_month_names(client, calendar):
    dated("month-only-2025", D(2025, 3, 1), "month")
    dated("year-only-2025", D(2025, 1, 1), "year")
    document = page(client, "pages:home", "ar")
    assert "الخط الزمني" in headings(document)
    assert "التاريخ غير معروف" in headings(document)
    years, undated = timeline(document)
    assert "25–26 أغسطس 2025" in entry(years, 2025, "/ar/conferences/cissa-20-2025/")["text"]
    assert "(الشهر فقط)" in entry(years, 2025, "/ar/conferences/month-only-2025/")["text"]
    assert "(السنة فقط)" in entry(years, 2025, "/ar/conferences/year-only-2025/")["text"]
    assert [item["href"] for item in undated] == ["/ar/conferences/cissa-21/"]
    # The month row over the grid uses the site's own month names (أبريل, not إبريل).
    scale = document.xpath('//ol[@class="tl-scale"][@aria-hidden="true"]')[0]
    assert [text(month) for month in scale.xpath("li")] == [
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ]


# --- Partly known dates -------------------------------------------------------------------------


def test_a_conference_known_to_its_month_spans_the_month_and_says_month_only(client):
    dated("march-2025", D(2025, 3, 1), "month")
    item = entry(home(client)[0], 2025, "/en/conferences/march-2025/")
    assert {"tl-month-only", "tl-s3", "tl-e3"} <= item["classes"]
    assert "March 2025" in item["text"]
    assert "(month only)" in item["text"]


def test_a_conference_known_to_its_year_spans_the_year_and_says_year_only(client):
    dated("sometime-2025", D(2025, 1, 1), "year")
    item = entry(home(client)[0], 2025, "/en/conferences/sometime-2025/")
    assert {"tl-year-only", "tl-s1", "tl-e12"} <= item["classes"]
    assert "(year only)" in item["text"]
    # It is not placed in January: nothing says it was then.
    assert "January" not in item["text"]


def test_precisions_are_told_apart_by_words_and_outline_not_colour(client):
    dated("march-2025", D(2025, 3, 1), "month")
    dated("sometime-2025", D(2025, 1, 1), "year")
    document = page(client, "pages:home", "en")
    key = [text(item) for item in document.xpath('//ul[@class="tl-key"]/li')]
    assert key == ["exact dates (solid outline)", "month only (dashed outline)", "year only (dotted outline, hatched)"]
    stylesheet = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    rules = dict(re.findall(r"\n(\.[\w-]+) \{([^}]*)\}", stylesheet))
    assert "border-style: dashed" in rules[".tl-month-only"]
    assert "border-style: dotted" in rules[".tl-year-only"]
    assert "repeating-linear-gradient" in rules[".tl-year-only"]
    # No inline styles anywhere on the page: the Content-Security-Policy forbids them.
    assert document.xpath("//@style") == []
    assert document.xpath("//body//style") == []


def test_a_conference_crossing_a_month_boundary_spans_both_months(client):
    dated("end-of-september", D(2025, 9, 29), "day", D(2025, 10, 2), "day")
    item = entry(home(client)[0], 2025, "/en/conferences/end-of-september/")
    assert {"tl-exact", "tl-s9", "tl-e10"} <= item["classes"]
    assert "29 September – 2 October 2025" in item["text"]


def test_a_conference_crossing_the_new_year_shows_in_both_years(client, calendar):
    # The timeline shows the years in which conferences start: the calendar has some in 2025.
    dated("new-year", D(2024, 12, 30), "day", D(2025, 1, 2), "day")
    years = home(client)[0]
    december = entry(years, 2024, "/en/conferences/new-year/")
    january = entry(years, 2025, "/en/conferences/new-year/")
    assert {"tl-s12", "tl-e12", "tl-runs-on"} <= december["classes"]
    assert {"tl-s1", "tl-e1", "tl-runs-in"} <= january["classes"]


@pytest.mark.parametrize(
    ("fields", "says"), [({}, ""), ({"end": D(2025, 5, 5), "end_precision": "day"}, "until 5 May 2025")]
)
def test_a_conference_with_no_known_start_is_listed_apart_never_placed(client, fields, says):
    dated("undated", **fields)
    years, undated = home(client)
    item = next(item for item in undated if item["href"] == "/en/conferences/undated/")
    assert item["text"] == (f"Short undated ({says})" if says else "Short undated")
    assert "/en/conferences/undated/" not in [item["href"] for items in years.values() for item in items]


# --- Bounded at scale ---------------------------------------------------------------------------------


def test_a_busy_month_shows_a_few_links_and_how_many_more(client, calendar):
    for day in range(1, 7):
        dated(f"august-{day}", D(2025, 8, day), "day")
    years, _undated = home(client)
    august = [item for item in years[2025] if "tl-s8" in item["classes"]]
    bars = [item for item in august if "tl-bar" in item["classes"]]
    more = [item for item in august if "tl-bar" not in item["classes"]]
    assert [item["href"] for item in bars] == ["/en/conferences/august-1/", "/en/conferences/august-2/"]
    assert [item["text"] for item in more] == ["+5 more in August 2025"]  # 6 created and CISSA 20
    link = urlsplit(more[0]["href"])
    assert (link.path, parse_qs(link.query)) == ("/en/conferences/", {"year": ["2025"], "month": ["8"]})
    assert len(listed(client, f"?{link.query}")) == 2 + 5


def test_many_undated_conferences_show_a_few_and_how_many_more(client, calendar):
    for number in range(4):
        dated(f"undated-{number}")
    _years, undated = home(client)
    assert len([item for item in undated if "tl-rest" not in item["classes"]]) == 2
    assert undated[-1]["text"] == "+3 more with no known date"  # 4 created and CISSA 21
    assert undated[-1]["href"] == "/en/conferences/?page=last"
    assert client.get(undated[-1]["href"]).status_code == 200


def test_only_the_most_recent_years_are_shown_and_the_rest_are_counted(client, calendar):
    dated("older", D(2019, 5, 1), "month")
    dated("oldest", D(2010, 1, 1), "year")
    document = page(client, "pages:home", "en")
    years, _undated = timeline(document)
    assert sorted(years, reverse=True) == [2026, 2025, 2024]
    earlier = document.xpath('//p[@class="tl-earlier"]')
    assert len(earlier) == 1
    assert text(earlier[0]).startswith("2 conferences of earlier years are not on this timeline.")


# --- The list's month filter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2025&month=8", ["cissa-20-2025"]),
        ("?year=2025&month=6", ["agadir-2025"]),
        ("?year=2025&month=7", []),
        ("?month=12", ["tripoli-2024"]),
        ("?month=8", ["cissa-20-2025", "rabat-2024"]),
        ("?month=8&country=ly", ["cissa-20-2025"]),
    ],
)
def test_the_list_filters_by_month(client, calendar, query, expected):
    assert listed(client, query) == expected


def test_the_month_filter_takes_month_only_dates_and_leaves_out_year_only_ones(client):
    dated("march-2025", D(2025, 3, 1), "month")
    dated("sometime-2025", D(2025, 1, 1), "year")
    assert listed(client, "?year=2025&month=3") == ["march-2025"]
    assert listed(client, "?year=2025&month=1") == []
    document = conference_list(client, "?year=2025&month=1")
    assert "those known only by their year are left out" in page_text(document)


@pytest.mark.parametrize("month", ["13", "0", "abc", "-1", "8.5", "０٨"])
def test_a_bad_month_is_reported_and_ignored(client, calendar, month):
    document = conference_list(client, f"?year=2025&month={month}")
    errors = document.xpath('//select[@name="month"]/following-sibling::ul[contains(@class, "errorlist")]')
    assert len(errors) == 1
    assert text(errors[0]).startswith("Select a valid choice")
    # The other filters still apply.
    assert listed(client, f"?year=2025&month={month}") == ["cissa-20-2025", "agadir-2025"]


def test_the_month_filter_shows_in_the_form_in_both_languages(client, calendar):
    def selected_month(language):
        document = conference_list(client, "?year=2025&month=8", language)
        return [(option.get("value"), text(option)) for option in
                document.xpath('//select[@name="month"]/option[@selected]')]

    assert selected_month("en") == [("8", "August")]
    assert selected_month("ar") == [("8", "أغسطس")]
    assert listed(client, "?year=2025&month=8", language="ar") == ["cissa-20-2025"]


def test_in_a_busy_month_exact_dates_come_before_month_only_ones(client):
    dated("july-sometime", D(2025, 7, 1), "month")
    dated("july-20", D(2025, 7, 20), "day")
    dated("july-28", D(2025, 7, 28), "day")
    july = [item for item in home(client)[0][2025] if "tl-s7" in item["classes"]]
    assert [item["href"] for item in july] == [
        "/en/conferences/july-20/", "/en/conferences/july-28/", "/en/conferences/?year=2025&month=7",
    ]
    assert july[-1]["text"] == "+1 more in July 2025"
