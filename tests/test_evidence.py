"""How a page shows its evidence: quotations honest about their language, one reference for what
many rows share, a status that post-event reports contradict refused, and excerpts word for word."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from conferences.evidence import is_verbatim
from tests import factories as make
from tests.helpers import json_ld, page_text, record_page, text

pytestmark = pytest.mark.django_db

EVENT_SCHEDULED = "https://schema.org/EventScheduled"


def references(document):
    """The numbered references at the foot of a page."""
    return document.xpath('//section[@class="references"]//li[starts-with(@id, "ref-")]')


# --- Quotations and translations ---------------------------------------------------------------


@pytest.fixture
def cited_in_three_languages():
    conference = make.conference(start=make.day("2025-08-25"))
    arabic = make.source(language="ar")
    english = make.source(language="en")
    italian = make.source(language="it")
    make.citation(arabic, conference=conference, excerpt_ar="استمرت ليومين", excerpt_en="lasted two days")
    make.citation(english, conference=conference, fact="conference-place", quote_language="en",
                  excerpt_ar="انعقد في بنغازي", excerpt_en="held in Benghazi")
    make.citation(italian, conference=conference, fact="conference-name", quote_language="it",
                  original="il ventesimo congresso", excerpt_ar="المؤتمر العشرون", excerpt_en="the twentieth congress")
    return conference


@pytest.mark.parametrize("language, label", [("ar", "ترجمتنا:"), ("en", "Our translation:")])
def test_each_quotation_is_shown_in_its_own_words_and_language(client, cited_in_three_languages, language, label):
    document = record_page(client, cited_in_three_languages, language)
    quotes = {
        quote.get("lang"): (quote.get("dir"), text(quote))
        for quote in document.xpath('//section[@class="references"]//blockquote')
    }
    assert quotes == {
        "ar": ("rtl", "استمرت ليومين"),
        "en": ("ltr", "held in Benghazi"),
        "it": ("ltr", "il ventesimo congresso"),
    }
    marked = [text(item) for item in document.xpath('//p[@class="excerpt-translation"]')]
    # Every quotation not in the page's language comes with our translation, marked as ours.
    assert all(item.startswith(label) for item in marked)
    assert len(marked) == 2


def test_a_quotation_in_the_pages_language_has_no_translation(client, cited_in_three_languages):
    document = record_page(client, cited_in_three_languages, "en")
    entry = next(item for item in references(document) if "held in Benghazi" in text(item))
    assert not entry.xpath('.//p[@class="excerpt-translation"]')


def test_an_original_is_required_exactly_for_a_language_without_its_own_excerpt():
    conference = make.conference()
    citation = make.citation(make.source(), conference=conference)
    citation.quote_language = "fr"
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "original" in error.value.message_dict
    citation.quote_language, citation.original = "ar", "un texte"
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "original" in error.value.message_dict


# --- One citation shown once -------------------------------------------------------------------


@pytest.fixture
def listed_countries():
    """A preview lists five countries: each row cites the same words of the same report."""
    conference = make.conference(start=make.day("2026-02-10"))
    preview = make.source()
    # Malta is not among factories.named_country's countries.
    countries = [make.named_country(code) for code in ("TN", "DZ", "ML", "TR")]
    for country in [*countries, make.country("MT", "مالطا", "Malta", "europe")]:
        row = make.participation(conference, country, role="announced",
                                 note_ar="مدرجة في القائمة.", note_en="On the list.")
        make.citation(preview, participation=row, excerpt_ar="يشارك في المؤتمر 5 دول",
                      excerpt_en="five countries take part")
    return conference


def test_a_citation_many_rows_share_is_shown_once_for_the_group(client, listed_countries):
    document = record_page(client, listed_countries, "en")
    entries = [item for item in references(document) if "five countries take part" in text(item)]
    assert len(entries) == 1
    group = document.xpath('//p[@class="group-evidence"]')
    assert len(group) == 1
    assert text(group[0]).count("On the list.") == 1
    assert [text(link) for link in group[0].xpath(".//sup/a")] == ["[1]"]
    countries = document.xpath('//p[@class="group-evidence"]/following-sibling::ul[1]/li')
    assert sorted(text(item) for item in countries) == ["Algeria", "Mali", "Malta", "Tunisia", "Türkiye"]


def test_each_back_link_anchor_is_on_the_page_once(client, listed_countries):
    document = record_page(client, listed_countries, "ar")
    ids = document.xpath("//@id")
    assert len(ids) == len(set(ids))
    for link in document.xpath('//a[starts-with(@href, "#cite-")]'):
        assert document.xpath(f'//*[@id="{link.get("href")[1:]}"]'), link.get("href")


def test_rows_with_their_own_evidence_keep_it(client, listed_countries, django_capture_on_commit_callbacks):
    tunisia = listed_countries.participations.get(country__code="TN")
    with django_capture_on_commit_callbacks(execute=True):
        tunisia.note_en, tunisia.note_ar = "Confirmed by its ministry.", "أكدتها وزارتها."
        tunisia.save()
    document = record_page(client, listed_countries, "en")
    assert not document.xpath('//p[@class="group-evidence"]')
    assert "Confirmed by its ministry." in page_text(document)


# --- Outlets and disputes ----------------------------------------------------------------------


def test_a_source_without_a_named_outlet_says_so(client):
    conference = make.conference()
    make.citation(make.source(outlet_ar="", outlet_en="", title_en="Untitled analysis"), conference=conference)
    entry = references(record_page(client, conference, "en"))[0]
    assert "Untitled analysis, outlet not stated, date not stated in the source." in text(entry)


def test_a_dispute_reads_as_a_sentence_in_both_languages(client):
    conference = make.conference()
    make.citation(make.source(outlet_en="GMedia", outlet_ar="جي ميديا"), conference=conference, fact="conference-name",
                  stance="contradicts", claim_en="the session was chaired by Yassine Mansouri",
                  claim_ar="كانت الجلسة برئاسة ياسين المنصوري")
    english = text(record_page(client, conference, "en").xpath('//span[contains(@class, "dispute")]')[0])
    assert english.startswith("Disputed: according to GMedia, the session was chaired by Yassine Mansouri")
    arabic = text(record_page(client, conference, "ar").xpath('//span[contains(@class, "dispute")]')[0])
    assert arabic.startswith("محل خلاف: بحسب جي ميديا، كانت الجلسة برئاسة ياسين المنصوري")


# --- The status rule ---------------------------------------------------------------------------


def test_a_conference_cited_from_a_report_after_it_began_cannot_stay_announced():
    conference = make.conference(start=make.day("2026-02-10"), end=make.day("2026-02-12"))
    make.citation(make.source(published_on=make.day("2026-02-13")), conference=conference)
    conference.status = "announced"
    with pytest.raises(ValidationError) as error:
        conference.full_clean()
    assert "status" in error.value.message_dict
    conference.status = "held"
    conference.full_clean()


def test_a_report_after_the_start_cannot_be_cited_for_an_announced_conference():
    conference = make.conference(start=make.day("2026-02-10"), status="announced")
    row = make.participation(conference, make.named_country("EG"))
    preview = make.citation(make.source(published_on=make.day("2026-02-08")), participation=row)
    preview.full_clean()
    later = make.source(published_on=make.day("2026-02-13"))
    citation = make.citation(later, participation=row)
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "source" in error.value.message_dict


def test_a_held_conference_is_no_scheduled_event(client):
    held = make.conference(start=make.day("2026-02-10"), status="held")
    announced = make.conference(start=make.day("2027-02-10"), status="announced")
    for record, scheduled in ((held, False), (announced, True)):
        data = json_ld(record_page(client, record, "en"))
        assert data["@type"] == "Event"
        assert (data.get("eventStatus") == EVENT_SCHEDULED) is scheduled


# --- Excerpts word for word --------------------------------------------------------------------


@pytest.mark.parametrize("excerpt, verbatim", [
    ("يشارك في المؤتمر 18 دولة، وهي: مصر", True),
    ("تونس، تركيا اليونان، إيطاليا", True),  # the report's line break is whitespace
    ("تونس، تركيا، اليونان", False),  # a comma the report does not have
    ("يشارك في المؤتمر […] مصر", True),
    ("مصر […] يشارك", False),  # the pieces in the report's order only
    ("بنسفها [sic]", True),
])
def test_verbatim_allows_whitespace_and_marked_changes_only(excerpt, verbatim):
    report = "يشارك في المؤتمر 18 دولة، وهي: مصر، تونس، تركيا\nاليونان، إيطاليا\u00a0و بنسفها"
    assert is_verbatim(excerpt, report) is verbatim


def test_check_evidence_lists_an_excerpt_the_report_does_not_hold(tmp_path):
    conference = make.conference()
    report = make.source(seed_file="report.txt")
    make.citation(report, conference=conference, key="good", excerpt_ar="انعقد المؤتمر في بنغازي")
    make.citation(report, conference=conference, key="bad", fact="conference-place",
                  excerpt_ar="انعقد المؤتمر، في بنغازي")
    (tmp_path / "report.txt").write_text("انعقد  المؤتمر في بنغازي يوم الاثنين.", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_evidence", str(tmp_path), stdout=out)
    assert "bad (report.txt)" in out.getvalue()
    assert "good" not in out.getvalue().replace("word for word", "")

