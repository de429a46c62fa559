"""Addresses that never break: old slugs answer 301 for good, short links never change."""

import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference, SourceReport, Topic
from core.models import SeedRecord, SlugHistory
from organizations.models import Organization
from participants.models import Person
from tests import factories as make
from tests.helpers import LANGUAGES, parse, text, url

pytestmark = pytest.mark.django_db

# Each kind of record whose address carries a slug: how to build one, its slug, and its page and API names.
KINDS = {
    "conference": (make.conference, "cissa-20-benghazi-2025", "conferences:detail", "api:conference"),
    "person": (make.person, "hussein-al-ayeb", "people:detail", "api:person"),
    "organization": (make.organization, "cissa", "organizations:detail", "api:organization"),
    "source": (make.source, "cissa-about", "sources:detail", "api:source"),
    "topic": (make.topic, "terrorism", "topics:detail", "api:topic"),
}


def rename(record, slug):
    record.slug = slug
    record.full_clean()
    record.save()
    return record


@pytest.fixture(params=list(KINDS))
def kind(request, db):
    """A record of each kind in turn, with its first slug, its page's and API's URL names, and its builder."""
    build, slug, name, api_name = KINDS[request.param]
    return SimpleNamespace(record=build(slug), slug=slug, page=name, api=api_name, build=build)


# --- An old slug keeps answering -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_address_answers_301_to_the_new_one_in_the_same_language(client, kind, language):
    slug = kind.slug
    rename(kind.record, f"{slug}-renamed")

    response = client.get(url(kind.page, language, slug=slug))

    assert response.status_code == 301
    assert response["Location"] == url(kind.page, language, slug=f"{slug}-renamed")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(url(kind.page, language, slug=f"{slug}-renamed")).status_code == 200
    assert SlugHistory.objects.filter(slug=slug, object_id=kind.record.pk).exists()


def test_every_earlier_address_leads_to_the_current_page_after_several_renames(client):
    conference = make.conference("cissa-20-benghazi-2025")
    rename(conference, "cissa-20")
    rename(conference, "cissa-20-benghazi")

    for old in ("cissa-20-benghazi-2025", "cissa-20"):
        for language in LANGUAGES:
            response = client.get(url("conferences:detail", language, slug=old))
            assert response.status_code == 301
            assert response["Location"] == url("conferences:detail", language, slug="cissa-20-benghazi")


def test_the_redirect_keeps_the_query_string_and_answers_head(client):
    topic = rename(make.topic("terrorism"), "counter-terrorism")
    old = url("topics:detail", "en", slug="terrorism")

    response = client.get(f"{old}?page=2")
    assert response.status_code == 301
    assert response["Location"] == url("topics:detail", "en", slug=topic.slug) + "?page=2"
    assert client.head(old).status_code == 301


@pytest.mark.parametrize("language", LANGUAGES)
def test_any_address_a_reader_may_hold_reaches_the_page_in_one_redirect(client, kind, language):
    """Another letter case, a missing trailing slash, an old slug, or all three: one 301."""
    slug = kind.slug
    current = url(kind.page, language, slug=slug)
    rename(kind.record, f"{slug}-renamed")
    renamed = url(kind.page, language, slug=f"{slug}-renamed")
    for held in (current, current.rstrip("/"), current.replace(slug, slug.upper()),
                 current.rstrip("/").replace(slug, slug.upper()), renamed.replace(slug, slug.upper()),
                 renamed.rstrip("/")):
        response = client.get(f"{held}?page=2", follow=True)
        assert response.redirect_chain == [(f"{renamed}?page=2", 301)], held
        assert response.status_code == 200


def test_a_country_address_in_capitals_or_without_its_slash_redirects_once(client):
    make.named_country("LY")
    page = url("countries:detail", "en", code="ly")
    for held in ("/en/countries/LY/", "/en/countries/ly", "/en/countries/Ly"):
        response = client.get(held, follow=True)
        assert response.redirect_chain == [(page, 301)], held
    assert client.get("/en/countries/XX/").status_code == 404


def test_an_address_that_never_existed_is_still_404(client, kind):
    assert client.get(url(kind.page, "en", slug="never-existed")).status_code == 404


def test_the_api_answers_an_old_slug_with_301_to_the_current_record(client, kind):
    slug = kind.slug
    rename(kind.record, f"{slug}-renamed")

    response = client.get(reverse(kind.api, kwargs={"slug": slug}))

    assert response.status_code == 301
    assert response["Location"] == reverse(kind.api, kwargs={"slug": f"{slug}-renamed"})
    assert client.get(response["Location"]).json()["slug"] == f"{slug}-renamed"


def test_the_page_shows_the_record_under_its_new_address(client):
    person = make.person("hussein-al-ayeb", name_ar="حسين محمد خليفة العائب",
                         name_en="Hussein Mohammed Khalifa al-Ayeb")
    rename(person, "hussein-mohammed-khalifa-al-ayeb")
    response = client.get(url("people:detail", "en", slug="hussein-al-ayeb"), follow=True)
    current = url("people:detail", "en", slug="hussein-mohammed-khalifa-al-ayeb")
    assert response.redirect_chain == [(current, 301)]
    assert text(parse(response).xpath("//h1")[0]) == "Hussein Mohammed Khalifa al-Ayeb"


# --- An old slug belongs to its record --------------------------------------------------------


def test_a_slug_used_before_cannot_be_given_to_another_record_of_the_same_kind(kind):
    slug, model = kind.slug, type(kind.record)
    rename(kind.record, f"{slug}-renamed")
    other = kind.build(f"another-{slug}")
    other.slug = slug

    with pytest.raises(ValidationError) as refused:
        other.full_clean()
    assert refused.value.message_dict["slug"] == ["This address was used before by another record."]

    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    assert not model.objects.filter(slug=slug).exists()


def test_a_new_record_cannot_take_an_old_slug_either():
    rename(make.topic("terrorism"), "counter-terrorism")
    newcomer = Topic(slug="terrorism", name_ar="الإرهاب", name_en="Terrorism")

    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()
    assert "slug" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        newcomer.save()


def test_another_kind_of_record_may_use_the_slug():
    rename(make.topic("terrorism"), "counter-terrorism")
    source = rename(make.source("cissa-about"), "terrorism")
    assert SourceReport.objects.get(slug="terrorism") == source


def test_a_record_may_take_back_its_own_earlier_slug(client):
    organization = make.organization("cissa", acronym="CISSA")
    rename(organization, "cissa-committee")
    rename(organization, "cissa")

    assert client.get(url("organizations:detail", "en", slug="cissa")).status_code == 200
    response = client.get(url("organizations:detail", "en", slug="cissa-committee"))
    assert response.status_code == 301
    assert response["Location"] == url("organizations:detail", "en", slug="cissa")


def test_the_database_keeps_an_earlier_slug_to_one_record():
    rename(make.conference("cissa-20-benghazi-2025"), "cissa-20")
    row = SlugHistory.objects.get(slug="cissa-20-benghazi-2025")
    with pytest.raises(IntegrityError), transaction.atomic():
        SlugHistory.objects.create(content_type=row.content_type, slug=row.slug, object_id=row.object_id + 1000)


def test_saving_without_a_change_of_slug_records_nothing():
    conference = make.conference("cissa-21")
    conference.theme_en = "A theme"
    conference.save()
    assert not SlugHistory.objects.exists()


def test_deleting_a_record_frees_its_earlier_slugs(client, django_capture_on_commit_callbacks):
    topic = make.topic("piracy", name_ar="القرصنة", name_en="Piracy")
    rename(topic, "maritime-piracy")
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()

    assert client.get(url("topics:detail", "en", slug="piracy")).status_code == 404
    newcomer = Topic(slug="piracy", name_ar="القرصنة البحرية", name_en="Sea piracy")
    newcomer.full_clean()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer.save()
    assert client.get(url("topics:detail", "en", slug="piracy")).status_code == 200


def write_seeds(folder, files):
    """Seed fixture files in `folder`: {file name: [(model label, fields), …]}."""
    folder.mkdir(exist_ok=True)
    for file_name, records in files.items():
        entries = [{"model": model, "fields": fields} for model, fields in records]
        (folder / file_name).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return folder


def test_the_seeds_still_load_after_editors_renamed_records(tmp_path):
    """Fixtures name records by the slug they were loaded with; a rename must not break them."""
    seeds = write_seeds(tmp_path / "seeds", {
        "01_countries.json": [
            ("participants.country", {"code": "LY", "name_ar": "ليبيا", "name_en": "Libya", "region": "north-africa"}),
        ],
        "03_organizations.json": [
            ("organizations.organization", {"slug": "cissa", "name_ar": "لجنة أجهزة الأمن والاستخبارات الأفريقية",
                                            "name_en": "Committee of Intelligence and Security Services of Africa",
                                            "acronym": "CISSA", "kind": "intergovernmental"}),
            ("organizations.organizationalias", {"organization": ["cissa"], "name": "سيسا", "language": "ar",
                                                 "script": "Arab"}),
        ],
        "04_people.json": [
            ("participants.person", {"slug": "hussein-al-ayeb", "name_ar": "حسين محمد خليفة العائب",
                                     "name_en": "Hussein Mohammed Khalifa al-Ayeb", "country": ["LY"]}),
            ("participants.personalias", {"person": ["hussein-al-ayeb"], "name": "حسين محمد العائب",
                                          "language": "ar", "script": "Arab"}),
        ],
        "07_conferences.json": [
            ("conferences.series", {"slug": "cissa-conferences", "name_ar": "مؤتمرات سيسا",
                                    "name_en": "CISSA conferences", "organization": ["cissa"]}),
            ("conferences.conference", {"slug": "cissa-21", "name_ar": "المؤتمر الحادي والعشرون لسيسا",
                                        "name_en": "21st CISSA conference", "short_name_ar": "سيسا 21",
                                        "short_name_en": "CISSA 21", "series": ["cissa-conferences"], "edition": 21,
                                        "status": "planned", "host_country": ["LY"], "summary_ar": "أعلنت ليبيا.",
                                        "summary_en": "Libya announced it.", "topics": []}),
        ],
        "08_conference_roles.json": [
            ("conferences.conferenceorganization", {"conference": ["cissa-21"], "organization": ["cissa"],
                                                    "role": "organizer"}),
            ("conferences.participation", {"conference": ["cissa-21"], "country": ["LY"], "role": "host"}),
            ("conferences.attendance", {"conference": ["cissa-21"], "person": ["hussein-al-ayeb"], "role": "chair",
                                        "organization": ["cissa"]}),
        ],
    })
    call_command("load_seeds", dir=str(seeds), verbosity=0)
    rename(Conference.objects.get(slug="cissa-21"), "cissa-21-libya")
    rename(Person.objects.get(slug="hussein-al-ayeb"), "hussein-ayeb")
    rename(Organization.objects.get(slug="cissa"), "cissa-committee")

    call_command("load_seeds", dir=str(seeds), verbosity=0)

    assert not Conference.objects.filter(slug="cissa-21").exists()
    assert Conference.objects.get(slug="cissa-21-libya").participations.get().country.code == "LY"
    assert Person.objects.get_by_natural_key("hussein-al-ayeb").slug == "hussein-ayeb"
    assert not Person.objects.filter(slug="hussein-al-ayeb").exists()
    assert Organization.objects.get_by_natural_key("cissa").slug == "cissa-committee"
    assert not Organization.objects.filter(slug="cissa").exists()


# --- Short links -----------------------------------------------------------------------------

SHORT = {
    "conference": ("c", make.conference, "cissa-20-benghazi-2025", "conferences:detail"),
    "person": ("p", make.person, "hussein-al-ayeb", "people:detail"),
    "organization": ("o", make.organization, "cissa", "organizations:detail"),
    "source": ("s", make.source, "cissa-about", "sources:detail"),
    "topic": ("t", make.topic, "terrorism", "topics:detail"),
}


@pytest.mark.parametrize("kind", list(SHORT))
def test_a_short_link_leads_to_the_page_in_the_visitors_language(client, kind):
    letter, build, slug, name = SHORT[kind]
    record = build(slug)
    short = f"/{letter}/{record.pk}/"
    assert record.get_short_url() == short

    arabic = client.get(short)  # no preference: Arabic, the default
    assert arabic.status_code == 302
    assert arabic["Location"] == url(name, "ar", slug=slug)
    assert "Accept-Language" in arabic["Vary"]

    english = client.get(short, headers={"accept-language": "en-GB,en;q=0.9"})
    assert english.status_code == 302
    assert english["Location"] == url(name, "en", slug=slug)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(SHORT))
def test_a_short_link_with_a_language_opens_that_language_for_every_reader(client, kind, language):
    """/c/12/en/, copied from the English page, opens it in English for a French or Arabic reader too."""
    letter, build, slug, name = SHORT[kind]
    record = build(slug)
    short = f"/{letter}/{record.pk}/{language}/"
    assert record.get_short_url(language) == short
    for preference in ("fr-FR,fr;q=0.9", "ar", "en-GB,en;q=0.9"):
        client.cookies["django_language"] = preference[:2]
        response = client.get(short, headers={"accept-language": preference})
        assert response.status_code == 302
        assert response["Location"] == url(name, language, slug=slug)
    rename(record, f"{slug}-renamed")
    assert client.get(short)["Location"] == url(name, language, slug=f"{slug}-renamed")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_country_short_link_with_a_language_opens_that_language(client, language):
    libya = make.named_country("LY")
    assert libya.get_short_url(language) == f"/k/ly/{language}/"
    for preference in ("fr", "ar", "en"):
        response = client.get(f"/k/ly/{language}/", headers={"accept-language": preference})
        assert response["Location"] == url("countries:detail", language, code="ly")


@pytest.mark.parametrize("address", ["/c/{pk}/fr/", "/c/{pk}/EN/", "/c/{pk}/en/x/"])
def test_a_short_link_in_a_language_the_site_has_not_is_404(client, address):
    conference = make.conference("cissa-21")
    assert client.get(address.format(pk=conference.pk)).status_code == 404


def test_the_language_cookie_chooses_the_language_of_a_short_link(client):
    conference = make.conference("cissa-21")
    client.cookies["django_language"] = "en"
    response = client.get(f"/c/{conference.pk}/", headers={"accept-language": "ar"})
    assert response["Location"] == url("conferences:detail", "en", slug="cissa-21")


def test_a_short_link_survives_a_change_of_slug(client):
    conference = make.conference("cissa-21")
    short = conference.get_short_url()
    rename(conference, "cissa-21-libya")
    response = client.get(short, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == url("conferences:detail", "en", slug="cissa-21-libya")
    assert conference.get_short_url() == short


def test_a_country_short_link_uses_its_iso_code(client):
    libya = make.named_country("LY")
    assert libya.get_short_url() == "/k/ly/"
    assert client.get("/k/ly/")["Location"] == url("countries:detail", "ar", code="ly")
    assert client.get("/k/LY/", headers={"accept-language": "en"})["Location"] == url(
        "countries:detail", "en", code="ly"
    )


@pytest.mark.parametrize("address", ["/c/999999/", "/p/999999/", "/o/999999/", "/s/999999/", "/t/999999/", "/k/zz/"])
def test_a_short_link_to_nothing_is_404(client, address):
    assert client.get(address).status_code == 404


def test_short_links_are_read_only(client):
    conference = make.conference("cissa-21")
    assert client.post(conference.get_short_url()).status_code == 405


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_template_tag_gives_the_absolute_short_link_in_the_pages_language(language):
    conference = make.conference("cissa-21")
    request = RequestFactory().get(f"/{language}/conferences/cissa-21/")
    with translation.override(language):
        rendered = Template("{% load permalinks %}{% short_link_url conference %}").render(
            Context({"conference": conference, "request": request})
        )
    assert rendered == f"http://testserver/c/{conference.pk}/{language}/"


def test_remembered_addresses_follow_the_language_and_the_slug():
    conference = make.conference("cissa-20-benghazi-2025")
    with translation.override("ar"):
        assert conference.get_absolute_url() == "/ar/conferences/cissa-20-benghazi-2025/"
    with translation.override("en"):
        assert conference.get_absolute_url() == "/en/conferences/cissa-20-benghazi-2025/"
        conference.slug = "cissa-20"
        assert conference.get_absolute_url() == "/en/conferences/cissa-20/"


def test_choice_labels_are_translated_in_the_reader_s_language():
    participation = make.participation(make.conference(), make.named_country("LY"), role="host")
    with translation.override("en"):
        assert participation.get_role_display() == "host"
    with translation.override("ar"):
        assert participation.get_role_display() == translation.gettext("host") != "host"


def test_the_reports_earlier_addresses_still_answer_after_their_slugs_lost_the_prefix(client):
    """A database loaded before the reports' slugs were renamed: the migration renames them, keeps the
    old addresses answering, and lets the seed loader go on recognising the rows it wrote."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("conferences.migrations.0008_readable_source_addresses")
    # The models as that migration sees them; the tables are the same.
    historical = MigrationExecutor(connection).loader.project_state(
        ("conferences", "0008_readable_source_addresses")
    ).apps
    # The report as the seed loader wrote it, under the slug it had then.
    source = make.source("seed-000-espacemanager-cissa-20-closing")
    SeedRecord.objects.create(
        model="conferences.sourcereport", key=json.dumps(["seed-000-espacemanager-cissa-20-closing"]),
        object_id=source.pk, version=source.version, digest="0" * 64,
    )
    migration.forwards(historical, None)
    assert SourceReport.objects.get(pk=source.pk).slug == "espacemanager-cissa-20-closing"
    assert SeedRecord.objects.filter(key=json.dumps(["espacemanager-cissa-20-closing"])).exists()
    response = client.get("/en/sources/seed-000-espacemanager-cissa-20-closing/")
    assert (response.status_code, response["Location"]) == (301, "/en/sources/espacemanager-cissa-20-closing/")
