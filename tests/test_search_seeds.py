"""The public search on the real seed data: the searches a newcomer tried, and what they meant.

In a module of its own: the `seeds` fixture loads the seeds for the whole module, and
tests/test_search.py builds records of its own under the same codes and slugs.
"""

from urllib.parse import urlencode

import pytest

from tests.helpers import get, parse, text, url

pytestmark = pytest.mark.django_db


def results(client, query, language):
    """The result titles' addresses, in the page's order, and the groups' headings."""
    document = parse(get(client, url("pages:search", language) + "?" + urlencode({"q": query})))
    links = document.xpath('//ol[@class="search-results"]/li/h3/a/@href')
    return links, [text(heading) for heading in document.xpath("//h2")]


@pytest.mark.parametrize(("query", "language"), [("ليبيا", "ar"), ("Libya", "en"), ("ليبيا", "en")])
def test_a_country_name_leads_to_the_country(client, seeds, query, language):
    links, _headings = results(client, query, language)
    assert links[0] == f"/{language}/countries/ly/"
    assert len(links) > 10  # the conferences, people, organizations and sources about Libya follow


def test_a_person_leads_to_the_meeting_he_opened(client, seeds):
    """Hammouchi gave the opening speech at the Agadir meeting of the Marrakesh Platform."""
    for query, language in (("Hammouchi", "en"), ("Hamouchi", "en"), ("الحموشي", "ar")):
        links, headings = results(client, query, language)
        assert links[:2] == [
            f"/{language}/people/abdellatif-hammouchi/",
            f"/{language}/conferences/marrakech-platform-4-agadir-2025/",
        ], query
        assert len(headings) >= 2


@pytest.mark.parametrize("query", ["المخابرات العسكريه", "المخابرات العسكرية", "للمخابرات العسكريه"])
def test_the_tripoli_meeting_is_found_by_what_its_report_calls_it(client, seeds, query):
    """The meeting's record says «الاستخبارات العسكرية»; the report cited for it «للمخابرات العسكرية»."""
    links, _headings = results(client, query, "ar")
    assert "/ar/conferences/tripoli-military-intelligence-chiefs-2024/" in links
    assert "/ar/sources/tripoli-military-intelligence-conference/" in links


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Marrakech Platform", "/en/organizations/marrakech-platform/"),
        ("CISSA", "/en/organizations/cissa/"),
        ("Khalifa Haftar", "/en/people/khalifa-haftar/"),
        ("Conferences of the Committee of Intelligence and Security Services of Africa (CISSA)",
         "/en/series/cissa-conferences/"),
    ],
)
def test_an_exact_name_leads_to_its_page(client, seeds, query, first):
    links, _headings = results(client, query, "en")
    assert links[0] == first
