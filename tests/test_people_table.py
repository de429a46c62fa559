"""The tables of a record's people and conferences name each cell's column in the cell itself
(data-label), which the stylesheet shows above the cell when a phone stacks the rows."""

import pytest

from tests import factories as make
from tests.helpers import record_page, text

pytestmark = pytest.mark.django_db


def labelled_rows(document, heading_id):
    table = document.xpath(f'//section[@aria-labelledby="{heading_id}"]//table')[0]
    headers = [text(th) for th in table.xpath("thead/tr/th")]
    rows = [[cell.get("data-label") for cell in row.xpath("td")] for row in table.xpath("tbody/tr")]
    return table.get("class"), headers, rows


@pytest.mark.parametrize("language, headers", [
    ("ar", ["الشخص", "الدور", "الجهة الممثَّلة"]),
    ("en", ["Person", "Role", "Representing"]),
])
def test_each_cell_of_the_conference_people_table_names_its_column(client, language, headers):
    conference = make.full_conference()
    make.attendance(conference, make.person("second"))
    css_class, shown, rows = labelled_rows(record_page(client, conference, language), "people-heading")
    assert "stacked" in css_class.split()
    assert shown == headers
    assert rows == [headers, headers]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_each_cell_of_a_person_or_organization_conference_table_names_its_column(client, language):
    conference = make.full_conference()
    chief = conference.attendances.get().person
    agency = conference.organization_roles.get().organization
    for record in (chief, agency):
        css_class, headers, rows = labelled_rows(record_page(client, record, language), "conferences-heading")
        assert "stacked" in css_class.split()
        assert rows == [headers]
