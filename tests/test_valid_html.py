"""Markup the HTML standard allows, on every page type in both languages: no `label` attribute but
where HTML defines one, and a <time> only around a date a machine can read (its datetime)."""

import pytest

from tests import factories as make
from tests.helpers import EXAMPLES, LANGUAGES, PAGES, page, record_page

pytestmark = pytest.mark.django_db

# The elements HTML gives a `label` attribute.
LABELLED = {"option", "optgroup", "track"}


@pytest.fixture
def records():
    summit = make.full_conference()
    # A conference no report dates, beside one known to the day.
    undated = make.conference("undated-meeting", series=summit.series, host_country=summit.host_country)
    make.attendance(undated, summit.attendances.get().person)
    return summit, undated


def check(document, where):
    misplaced = [element.tag for element in document.xpath("//*[@label]") if element.tag not in LABELLED]
    assert not misplaced, (where, misplaced)
    bare_times = [element.text_content() for element in document.xpath("//time[not(@datetime)]")]
    assert not bare_times, (where, bare_times)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_uses_attributes_html_allows(client, records, name, language):
    kwargs, _path = EXAMPLES[name]
    check(page(client, name, language, **kwargs), name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_undated_conference_shows_no_time_element(client, records, language):
    _summit, undated = records
    document = record_page(client, undated, language)
    check(document, "conference")
    assert not document.xpath('//dl[@class="facts"]//time')
