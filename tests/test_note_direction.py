"""Notes follow the page's direction: an English note that opens with an Arabic name still reads
left to right, and the name in the other script sits in its own <bdi>, so it cannot turn the
sentence around (or move its full stop)."""

import pytest

from tests import factories as make
from tests.helpers import record_page, text

pytestmark = pytest.mark.django_db

NOTE_EN = "عقيلة صالح attended as Speaker of the House."
NOTE_AR = "حضر بصفته رئيس لجنة CISSA للشؤون الأمنية."


def note_elements(document):
    return document.xpath('//*[contains(concat(" ", @class, " "), " evidence-note ")]')


def the_note(document, words):
    notes = [element for element in note_elements(document) if words in text(element)]
    assert len(notes) == 1, [text(element) for element in note_elements(document)]
    return notes[0]


def direction_of(element):
    """The direction a browser gives the element: its own dir, else its nearest ancestor's."""
    for node in [element, *element.iterancestors()]:
        if node.get("dir"):
            return node.get("dir")
    return None


@pytest.fixture
def records():
    conference = make.full_conference()
    speaker = make.person("aguila-saleh", name_ar="عقيلة صالح", name_en="Aguila Saleh")
    make.attendance(conference, speaker, note_ar=NOTE_AR, note_en=NOTE_EN)
    libya = conference.host_country
    row = conference.participations.get(country=libya)
    row.note_ar, row.note_en = NOTE_AR, NOTE_EN
    row.save()
    return conference, speaker, libya


@pytest.mark.parametrize("where", ["conference", "person", "country"])
def test_an_english_note_opening_with_an_arabic_name_reads_left_to_right(client, records, where):
    conference, speaker, libya = records
    document = record_page(client, {"conference": conference, "person": speaker, "country": libya}[where], "en")
    notes = [element for element in note_elements(document) if "Speaker of the House" in text(element)]
    assert notes
    for note in notes:
        assert direction_of(note) == "ltr"
        assert text(note) == NOTE_EN
        assert [text(bdi) for bdi in note.xpath(".//bdi")] == ["عقيلة صالح"]
        # The sentence itself, with its full stop, is not isolated.
        assert "Speaker of the House." in (note.xpath(".//bdi")[0].tail or "")


def test_an_arabic_note_reads_right_to_left_with_the_latin_word_isolated(client, records):
    conference, _speaker, _libya = records
    notes = [element for element in note_elements(record_page(client, conference, "ar")) if "لجنة" in text(element)]
    assert len(notes) == 2  # the attendee's and the host country's
    for note in notes:
        assert direction_of(note) == "rtl"
        assert text(note) == NOTE_AR
        assert [text(bdi) for bdi in note.xpath(".//bdi")] == ["CISSA"]


def test_a_note_is_still_escaped(client, records):
    conference, speaker, _libya = records
    make.attendance(conference, make.person("other"), note_en="<b>bold</b> عقيلة")
    document = record_page(client, conference, "en")
    note = the_note(document, "bold")
    assert text(note) == "<b>bold</b> عقيلة"
    assert not note.xpath(".//b")
