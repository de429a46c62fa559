"""The timeline on the home page, read as a visitor reads it, and the list's month filter.

A conference known to the day sits in its month (and spans the months it runs into); one
known only to its month spans that month and says so; one known only to its year spans the
year and says so; one with no known date is listed apart, never placed.
"""

import datetime
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders

from conferences.models import Conference
from tests.test_public_pages import Page, fetch, listed, url

pytestmark = pytest.mark.django_db

D = datetime.date


def timeline(content):
    """The timeline of a page: {year: [entry]} and the undated entries.

    An entry is a dict: `classes` (a set), `href`, and `text` (what it says, tags removed).
    """
    content = content.decode() if isinstance(content, bytes) else content
    section = content[content.index('<section class="timeline"'):]
    years = {}
    for year, body in re.findall(r'<section class="tl-year" aria-labelledby="timeline-(\d+)">(.*?)</section>',
                                 section, re.S):
        years[int(year)] = entries(body)
    undated = re.search(r'<section class="tl-undated".*?</section>', section, re.S)
    return years, entries(undated.group(0)) if undated else []


def entries(html):
    html = re.sub(r'<ol class="tl-scale".*?</ol>', "", html, flags=re.S)
    found = []
    for attributes, body in re.findall(r"<li( class=\"[^\"]*\")?>(.*?)</li>", html, re.S):
        href = re.search(r'href="([^"]*)"', body)
        found.append({
            "classes": set(re.findall(r'class="([^"]*)"', attributes)[0].split()) if attributes else set(),
            "href": unescape(href.group(1)) if href else None,
            "text": re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", body))).strip(),
        })
    return found


def entry(years, year, href):
    matches = [item for item in years.get(year, []) if item["href"] == href]
    assert len(matches) == 1, (year, href, years.get(year))
    return matches[0]


def home(client, language="en"):
    response = client.get(url("pages:home", language))
    assert response.status_code == 200
    return timeline(response.content)


def create(slug, start=None, precision="unknown", end=None, end_precision="unknown", **fields):
    return Conference.objects.create(
        slug=slug, name_ar=f"مؤتمر {slug}", name_en=f"Conference {slug}", short_name_ar=f"قصير {slug}",
        short_name_en=f"Short {slug}", status="held", summary_ar="ملخص", summary_en="Summary",
        start_date=start, start_precision=precision, end_date=end, end_precision=end_precision, **fields,
    )


# --- The seed conferences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "year", "first", "last", "dates"),
    [
        ("benghazi-chiefs-of-staff-2026", 2026, 2, 2, "10–12 February 2026"),
        ("cissa-20-benghazi-2025", 2025, 8, 8, "25–26 August 2025"),
        ("marrakech-platform-4-agadir-2025", 2025, 6, 6, "17 June 2025"),
        ("tripoli-military-intelligence-chiefs-2024", 2024, 12, 12, "21–22 December 2024"),
    ],
)
def test_each_seed_conference_sits_in_its_year_and_month_with_a_link(client, slug, year, first, last, dates):
    years, _undated = home(client)
    assert sorted(years, reverse=True) == [2026, 2025, 2024]
    item = entry(years, year, f"/en/conferences/{slug}/")
    assert {"tl-exact", f"tl-s{first}", f"tl-e{last}"} <= item["classes"]
    assert dates in item["text"]
    assert "month only" not in item["text"] and "year only" not in item["text"]
    for other_year, items in years.items():
        if other_year != year:
            assert f"/en/conferences/{slug}/" not in [i["href"] for i in items]


def test_the_seed_conference_with_no_date_is_listed_apart(client):
    years, undated = home(client)
    assert [item["href"] for item in undated] == ["/en/conferences/cissa-21/"]
    assert all("/en/conferences/cissa-21/" != item["href"] for items in years.values() for item in items)
    page = Page(client.get(url("pages:home", "en")).content)
    assert "Date not known" in [text.strip() for _level, text in page.headings]


def test_the_timeline_reads_in_arabic_with_the_sites_month_names(client):
    create("month-only-2025", D(2025, 3, 1), "month")
    create("year-only-2025", D(2025, 1, 1), "year")
    response = client.get(url("pages:home", "ar"))
    page = Page(response.content)
    headings = [text.strip() for _level, text in page.headings]
    assert "الخط الزمني" in headings
    assert "التاريخ غير معروف" in headings
    years, undated = timeline(response.content)
    assert "25–26 أغسطس 2025" in entry(years, 2025, "/ar/conferences/cissa-20-benghazi-2025/")["text"]
    assert "(الشهر فقط)" in entry(years, 2025, "/ar/conferences/month-only-2025/")["text"]
    assert "(السنة فقط)" in entry(years, 2025, "/ar/conferences/year-only-2025/")["text"]
    assert [item["href"] for item in undated] == ["/ar/conferences/cissa-21/"]
    # The month row over the grid uses the site's own month names (أبريل, not إبريل).
    scale = re.search(r'<ol class="tl-scale" aria-hidden="true">(.*?)</ol>', response.content.decode()).group(1)
    assert re.findall(r"<li>(.*?)</li>", scale) == [
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ]


# --- Partly known dates -------------------------------------------------------------------------


def test_a_conference_known_to_its_month_spans_the_month_and_says_month_only(client):
    create("march-2025", D(2025, 3, 1), "month")
    item = entry(home(client)[0], 2025, "/en/conferences/march-2025/")
    assert {"tl-month-only", "tl-s3", "tl-e3"} <= item["classes"]
    assert "March 2025" in item["text"]
    assert "(month only)" in item["text"]


def test_a_conference_known_to_its_year_spans_the_year_and_says_year_only(client):
    create("sometime-2025", D(2025, 1, 1), "year")
    item = entry(home(client)[0], 2025, "/en/conferences/sometime-2025/")
    assert {"tl-year-only", "tl-s1", "tl-e12"} <= item["classes"]
    assert "(year only)" in item["text"]
    # It is not placed in January: nothing says it was then.
    assert "January" not in item["text"]


def test_precisions_are_told_apart_by_words_and_outline_not_colour(client):
    create("march-2025", D(2025, 3, 1), "month")
    create("sometime-2025", D(2025, 1, 1), "year")
    content = client.get(url("pages:home", "en")).content.decode()
    for words in ("exact dates (solid outline)", "month only (dashed outline)", "year only (dotted outline, hatched)"):
        assert words in content
    stylesheet = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    rules = dict(re.findall(r"\n(\.[\w-]+) \{([^}]*)\}", stylesheet))
    assert "border-style: dashed" in rules[".tl-month-only"]
    assert "border-style: dotted" in rules[".tl-year-only"]
    assert "repeating-linear-gradient" in rules[".tl-year-only"]
    # No inline styles anywhere on the page: the Content-Security-Policy forbids them.
    assert "style=" not in content


def test_a_conference_crossing_a_month_boundary_spans_both_months(client):
    create("end-of-september", D(2025, 9, 29), "day", D(2025, 10, 2), "day")
    item = entry(home(client)[0], 2025, "/en/conferences/end-of-september/")
    assert {"tl-exact", "tl-s9", "tl-e10"} <= item["classes"]
    assert "29 September – 2 October 2025" in item["text"]


def test_a_conference_crossing_the_new_year_shows_in_both_years(client):
    create("new-year", D(2024, 12, 30), "day", D(2025, 1, 2), "day")
    years = home(client)[0]
    december = entry(years, 2024, "/en/conferences/new-year/")
    january = entry(years, 2025, "/en/conferences/new-year/")
    assert {"tl-s12", "tl-e12", "tl-runs-on"} <= december["classes"]
    assert {"tl-s1", "tl-e1", "tl-runs-in"} <= january["classes"]


@pytest.mark.parametrize(
    ("fields", "says"), [({}, ""), ({"end": D(2025, 5, 5), "end_precision": "day"}, "until 5 May 2025")]
)
def test_a_conference_with_no_known_start_is_listed_apart_never_placed(client, fields, says):
    create("undated", **fields)
    years, undated = home(client)
    item = next(item for item in undated if item["href"] == "/en/conferences/undated/")
    assert item["text"] == (f"Short undated ({says})" if says else "Short undated")
    assert "/en/conferences/undated/" not in [item["href"] for items in years.values() for item in items]


# --- Bounded at scale ---------------------------------------------------------------------------------


def test_a_busy_month_shows_a_few_links_and_how_many_more(client):
    for day in range(1, 7):
        create(f"august-{day}", D(2025, 8, day), "day")
    years, _undated = home(client)
    august = [item for item in years[2025] if "tl-s8" in item["classes"]]
    bars = [item for item in august if "tl-bar" in item["classes"]]
    more = [item for item in august if "tl-bar" not in item["classes"]]
    assert [item["href"] for item in bars] == ["/en/conferences/august-1/", "/en/conferences/august-2/"]
    assert [item["text"] for item in more] == ["+5 more in August 2025"]  # 6 created and CISSA 20
    link = urlsplit(more[0]["href"])
    assert (link.path, parse_qs(link.query)) == ("/en/conferences/", {"year": ["2025"], "month": ["8"]})
    assert len(listed(client, f"?{link.query}")) == 2 + 5


def test_many_undated_conferences_show_a_few_and_how_many_more(client):
    for number in range(4):
        create(f"undated-{number}")
    _years, undated = home(client)
    assert len([item for item in undated if "tl-rest" not in item["classes"]]) == 2
    assert undated[-1]["text"] == "+3 more with no known date"  # 4 created and CISSA 21
    assert undated[-1]["href"] == "/en/conferences/?page=last"
    assert client.get(undated[-1]["href"]).status_code == 200


def test_only_the_most_recent_years_are_shown_and_the_rest_are_counted(client):
    create("older", D(2019, 5, 1), "month")
    create("oldest", D(2010, 1, 1), "year")
    years, _undated = home(client)
    assert sorted(years, reverse=True) == [2026, 2025, 2024]
    content = client.get(url("pages:home", "en")).content.decode()
    assert "2 conferences of earlier years are not on this timeline." in content


# --- The list's month filter -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2025&month=8", ["cissa-20-benghazi-2025"]),
        ("?year=2025&month=6", ["marrakech-platform-4-agadir-2025"]),
        ("?year=2025&month=7", []),
        ("?month=12", ["tripoli-military-intelligence-chiefs-2024"]),
        ("?month=8&country=ly", ["cissa-20-benghazi-2025"]),
    ],
)
def test_the_list_filters_by_month(client, query, expected):
    assert listed(client, query) == expected


def test_the_month_filter_takes_month_only_dates_and_leaves_out_year_only_ones(client):
    create("march-2025", D(2025, 3, 1), "month")
    create("sometime-2025", D(2025, 1, 1), "year")
    assert listed(client, "?year=2025&month=3") == ["march-2025"]
    assert listed(client, "?year=2025&month=1") == []
    html = fetch(client, "conferences:list", "en", query="?year=2025&month=1")
    assert "those known only by their year are left out" in html.text


@pytest.mark.parametrize("month", ["13", "0", "abc", "-1", "8.5", "０٨"])
def test_a_bad_month_is_reported_and_ignored(client, month):
    response = client.get(f"/en/conferences/?year=2025&month={month}")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    # The other filters still apply.
    assert listed(client, f"?year=2025&month={month}") == ["cissa-20-benghazi-2025", "marrakech-platform-4-agadir-2025"]


def test_the_month_filter_shows_in_the_form_in_both_languages(client):
    english = client.get("/en/conferences/?year=2025&month=8").content.decode()
    assert '<option value="8" selected>August</option>' in english
    arabic = client.get("/ar/conferences/?year=2025&month=8").content.decode()
    assert '<option value="8" selected>أغسطس</option>' in arabic
    assert listed(client, "?year=2025&month=8", language="ar") == ["cissa-20-benghazi-2025"]


def test_in_a_busy_month_exact_dates_come_before_month_only_ones(client):
    create("july-sometime", D(2025, 7, 1), "month")
    create("july-20", D(2025, 7, 20), "day")
    create("july-28", D(2025, 7, 28), "day")
    july = [item for item in home(client)[0][2025] if "tl-s7" in item["classes"]]
    assert [item["href"] for item in july] == [
        "/en/conferences/july-20/", "/en/conferences/july-28/", "/en/conferences/?year=2025&month=7",
    ]
    assert july[-1]["text"] == "+1 more in July 2025"
