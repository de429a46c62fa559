"""Addresses that never break: old slugs answer 301 for good, short links never change."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conferences.models import Conference, SourceReport, Topic
from core.models import SlugHistory
from organizations.models import Organization
from participants.models import Country, Person

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "en"]

# Each kind of record whose address carries a slug: a record of it, and its page and API names.
KINDS = {
    "conference": (Conference, "cissa-20-benghazi-2025", "conferences:detail", "api:conference"),
    "person": (Person, "hussein-al-ayeb", "people:detail", "api:person"),
    "organization": (Organization, "cissa", "organizations:detail", "api:organization"),
    "source": (SourceReport, "cissa-about", "sources:detail", "api:source"),
    "topic": (Topic, "terrorism", "topics:detail", "api:topic"),
}


def page(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def rename(record, slug):
    record.slug = slug
    record.full_clean()
    record.save()
    return record


@pytest.fixture(params=list(KINDS))
def kind(request):
    return KINDS[request.param]


# --- An old slug keeps answering -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_address_answers_301_to_the_new_one_in_the_same_language(client, kind, language):
    model, slug, name, _api_name = kind
    record = rename(model.objects.get(slug=slug), f"{slug}-renamed")

    response = client.get(page(name, language, slug=slug))

    assert response.status_code == 301
    assert response["Location"] == page(name, language, slug=f"{slug}-renamed")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(page(name, language, slug=f"{slug}-renamed")).status_code == 200
    assert SlugHistory.objects.filter(slug=slug, object_id=record.pk).exists()


def test_every_earlier_address_leads_to_the_current_page_after_several_renames(client):
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    rename(conference, "cissa-20")
    rename(conference, "cissa-20-benghazi")

    for old in ("cissa-20-benghazi-2025", "cissa-20"):
        for language in LANGUAGES:
            response = client.get(page("conferences:detail", language, slug=old))
            assert response.status_code == 301
            assert response["Location"] == page("conferences:detail", language, slug="cissa-20-benghazi")


def test_the_redirect_keeps_the_query_string_and_answers_head(client):
    topic = rename(Topic.objects.get(slug="terrorism"), "counter-terrorism")
    old = page("topics:detail", "en", slug="terrorism")

    response = client.get(f"{old}?page=2")
    assert response.status_code == 301
    assert response["Location"] == page("topics:detail", "en", slug=topic.slug) + "?page=2"
    assert client.head(old).status_code == 301


def test_an_address_that_never_existed_is_still_404(client, kind):
    _model, _slug, name, _api_name = kind
    assert client.get(page(name, "en", slug="never-existed")).status_code == 404


def test_the_api_answers_an_old_slug_with_301_to_the_current_record(client, kind):
    model, slug, _name, api_name = kind
    rename(model.objects.get(slug=slug), f"{slug}-renamed")

    response = client.get(reverse(api_name, kwargs={"slug": slug}))

    assert response.status_code == 301
    assert response["Location"] == reverse(api_name, kwargs={"slug": f"{slug}-renamed"})
    assert client.get(response["Location"]).json()["slug"] == f"{slug}-renamed"


def test_the_page_shows_the_record_under_its_new_address(client):
    rename(Person.objects.get(slug="hussein-al-ayeb"), "hussein-mohammed-khalifa-al-ayeb")
    response = client.get(page("people:detail", "en", slug="hussein-al-ayeb"), follow=True)
    current = page("people:detail", "en", slug="hussein-mohammed-khalifa-al-ayeb")
    assert response.redirect_chain == [(current, 301)]
    assert "Hussein Mohammed Khalifa al-Ayeb" in response.content.decode()


# --- An old slug belongs to its record --------------------------------------------------------


def test_a_slug_used_before_cannot_be_given_to_another_record_of_the_same_kind(kind):
    model, slug, _name, _api_name = kind
    rename(model.objects.get(slug=slug), f"{slug}-renamed")
    other = model.objects.exclude(slug=f"{slug}-renamed").first()
    other.slug = slug

    with pytest.raises(ValidationError) as refused:
        other.full_clean()
    assert refused.value.message_dict["slug"] == ["This address was used before by another record."]

    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()
    assert not model.objects.filter(slug=slug).exists()


def test_a_new_record_cannot_take_an_old_slug_either():
    rename(Topic.objects.get(slug="terrorism"), "counter-terrorism")
    newcomer = Topic(slug="terrorism", name_ar="الإرهاب", name_en="Terrorism")

    with pytest.raises(ValidationError) as refused:
        newcomer.full_clean()
    assert "slug" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        newcomer.save()


def test_another_kind_of_record_may_use_the_slug():
    rename(Topic.objects.get(slug="terrorism"), "counter-terrorism")
    source = SourceReport.objects.get(slug="cissa-about")
    rename(source, "terrorism")
    assert SourceReport.objects.get(slug="terrorism") == source


def test_a_record_may_take_back_its_own_earlier_slug(client):
    organization = Organization.objects.get(slug="cissa")
    rename(organization, "cissa-committee")
    rename(organization, "cissa")

    assert client.get(page("organizations:detail", "en", slug="cissa")).status_code == 200
    response = client.get(page("organizations:detail", "en", slug="cissa-committee"))
    assert response.status_code == 301
    assert response["Location"] == page("organizations:detail", "en", slug="cissa")


def test_the_database_keeps_an_earlier_slug_to_one_record():
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    rename(conference, "cissa-20")
    row = SlugHistory.objects.get(slug="cissa-20-benghazi-2025")
    with pytest.raises(IntegrityError), transaction.atomic():
        SlugHistory.objects.create(content_type=row.content_type, slug=row.slug, object_id=row.object_id + 1000)


def test_saving_without_a_change_of_slug_records_nothing():
    conference = Conference.objects.get(slug="cissa-21")
    conference.theme_en = "A theme"
    conference.save()
    assert not SlugHistory.objects.exists()


def test_deleting_a_record_frees_its_earlier_slugs(client):
    topic = Topic.objects.create(slug="piracy", name_ar="القرصنة", name_en="Piracy")
    rename(topic, "maritime-piracy")
    topic.delete()

    assert client.get(page("topics:detail", "en", slug="piracy")).status_code == 404
    newcomer = Topic(slug="piracy", name_ar="القرصنة البحرية", name_en="Sea piracy")
    newcomer.full_clean()
    newcomer.save()
    assert client.get(page("topics:detail", "en", slug="piracy")).status_code == 200


def test_the_seeds_still_load_after_editors_renamed_records():
    """Fixtures name records by the slug they were loaded with; a rename must not break them."""
    rename(Conference.objects.get(slug="cissa-21"), "cissa-21-libya")
    rename(Person.objects.get(slug="hussein-al-ayeb"), "hussein-ayeb")
    rename(Organization.objects.get(slug="cissa"), "cissa-committee")

    call_command("load_seeds", verbosity=0)

    assert not Conference.objects.filter(slug="cissa-21").exists()
    assert Conference.objects.get(slug="cissa-21-libya").participations.get().country.code == "LY"
    assert Person.objects.get_by_natural_key("hussein-al-ayeb").slug == "hussein-ayeb"
    assert not Person.objects.filter(slug="hussein-al-ayeb").exists()


# --- Short links -----------------------------------------------------------------------------

SHORT = {
    "conference": ("c", Conference, "cissa-20-benghazi-2025", "conferences:detail"),
    "person": ("p", Person, "hussein-al-ayeb", "people:detail"),
    "organization": ("o", Organization, "cissa", "organizations:detail"),
    "source": ("s", SourceReport, "cissa-about", "sources:detail"),
    "topic": ("t", Topic, "terrorism", "topics:detail"),
}


@pytest.mark.parametrize("kind", list(SHORT))
def test_a_short_link_leads_to_the_page_in_the_visitors_language(client, kind):
    letter, model, slug, name = SHORT[kind]
    record = model.objects.get(slug=slug)
    short = f"/{letter}/{record.pk}/"
    assert record.get_short_url() == short

    arabic = client.get(short)  # no preference: Arabic, the default
    assert arabic.status_code == 302
    assert arabic["Location"] == page(name, "ar", slug=slug)
    assert "Accept-Language" in arabic["Vary"]

    english = client.get(short, headers={"accept-language": "en-GB,en;q=0.9"})
    assert english.status_code == 302
    assert english["Location"] == page(name, "en", slug=slug)


def test_the_language_cookie_chooses_the_language_of_a_short_link(client):
    conference = Conference.objects.get(slug="cissa-21")
    client.cookies["django_language"] = "en"
    response = client.get(f"/c/{conference.pk}/", headers={"accept-language": "ar"})
    assert response["Location"] == page("conferences:detail", "en", slug="cissa-21")


def test_a_short_link_survives_a_change_of_slug(client):
    conference = Conference.objects.get(slug="cissa-21")
    short = conference.get_short_url()
    rename(conference, "cissa-21-libya")
    response = client.get(short, headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == page("conferences:detail", "en", slug="cissa-21-libya")
    assert conference.get_short_url() == short


def test_a_country_short_link_uses_its_iso_code(client):
    libya = Country.objects.get(code="LY")
    assert libya.get_short_url() == "/k/ly/"
    assert client.get("/k/ly/")["Location"] == page("countries:detail", "ar", code="ly")
    assert client.get("/k/LY/", headers={"accept-language": "en"})["Location"] == page(
        "countries:detail", "en", code="ly"
    )


@pytest.mark.parametrize("address", ["/c/999999/", "/p/999999/", "/o/999999/", "/s/999999/", "/t/999999/", "/k/zz/"])
def test_a_short_link_to_nothing_is_404(client, address):
    assert client.get(address).status_code == 404


def test_short_links_are_read_only(client):
    conference = Conference.objects.get(slug="cissa-21")
    assert client.post(conference.get_short_url()).status_code == 405


def test_the_template_tag_gives_the_absolute_short_link():
    conference = Conference.objects.get(slug="cissa-21")
    request = RequestFactory().get("/en/conferences/cissa-21/")
    rendered = Template("{% load permalinks %}{% short_link_url conference %}").render(
        Context({"conference": conference, "request": request})
    )
    assert rendered == f"http://testserver/c/{conference.pk}/"


def test_remembered_addresses_follow_the_language_and_the_slug():
    conference = Conference.objects.get(slug="cissa-20-benghazi-2025")
    with translation.override("ar"):
        assert conference.get_absolute_url() == "/ar/conferences/cissa-20-benghazi-2025/"
    with translation.override("en"):
        assert conference.get_absolute_url() == "/en/conferences/cissa-20-benghazi-2025/"
        conference.slug = "cissa-20"
        assert conference.get_absolute_url() == "/en/conferences/cissa-20/"


def test_choice_labels_are_translated_in_the_reader_s_language():
    participation = Conference.objects.get(slug="cissa-20-benghazi-2025").participations.get(role="host")
    with translation.override("en"):
        assert participation.get_role_display() == "host"
    with translation.override("ar"):
        assert participation.get_role_display() == translation.gettext("host") != "host"


def test_the_reports_earlier_addresses_still_answer_after_their_slugs_lost_the_prefix(client):
    """A database loaded before the reports' slugs were renamed: the migration renames them, keeps the
    old addresses answering, and lets the seed loader go on recognising the rows it wrote."""
    import importlib
    import json

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from conferences.models import SourceReport
    from core.models import SeedRecord

    migration = importlib.import_module("conferences.migrations.0008_readable_source_addresses")
    # The models as that migration sees them; the tables are the same.
    historical = MigrationExecutor(connection).loader.project_state(
        ("conferences", "0008_readable_source_addresses")
    ).apps
    source = SourceReport.objects.get(slug="espacemanager-cissa-20-closing")
    SourceReport.objects.filter(pk=source.pk).update(slug="seed-000-espacemanager-cissa-20-closing")
    record = SeedRecord.objects.get(
        model="conferences.sourcereport", key=json.dumps(["espacemanager-cissa-20-closing"])
    )
    record.key = json.dumps(["seed-000-espacemanager-cissa-20-closing"])
    record.save()
    migration.forwards(historical, None)
    assert SourceReport.objects.get(pk=source.pk).slug == "espacemanager-cissa-20-closing"
    assert SeedRecord.objects.filter(key=json.dumps(["espacemanager-cissa-20-closing"])).exists()
    response = client.get("/en/sources/seed-000-espacemanager-cissa-20-closing/")
    assert (response.status_code, response["Location"]) == (301, "/en/sources/espacemanager-cissa-20-closing/")
