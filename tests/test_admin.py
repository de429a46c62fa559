"""Editors correct records in the admin: what they see, what they may do, and what is refused.

The admin forms are posted whole, as a browser would send them: `form_data` reads
the rendered change form (fields, inline management forms and all) and the tests
change only what an editor would change.
"""

from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pytest_django.asserts import assertContains, assertNotContains

from conferences.models import Conference, Participation, Topic
from core.models import SLUG_USED_BEFORE
from participants.models import Country

SLUG = "cissa-20-benghazi-2025"
PASSWORD = "Sahara-Atlas-2025!"
NEW_NAME = "20th Conference of CISSA, the African intelligence and security services committee"
STALE = "This record was changed by someone else since you opened it; reload to see their changes."


class FormReader(HTMLParser):
    """Collects what a browser would submit for one form: inputs, selects and textareas."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.textarea = None

    def add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.add(attrs.get("name"), attrs.get("value") or "on")
                return
            self.add(attrs.get("name"), attrs.get("value") or "")
        elif tag == "select":
            self.select = {"name": attrs.get("name"), "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = {"name": attrs.get("name"), "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([] if self.select["multiple"] else self.select["options"][:1])
            for value in chosen:
                self.add(self.select["name"], value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            self.add(self.textarea["name"], text[1:] if text.startswith("\n") else text)
            self.textarea = None


def form_data(response, form_id=None):
    """The POST data of the page's admin form (its id is "<model>_form"), as a browser sends it."""
    assert response.status_code == 200, response.status_code
    form_id = form_id or f"{response.context['opts'].model_name}_form"
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"no form #{form_id} on the page"
    return {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}


def add_inline_row(data, prefix, **fields):
    """Fill in one more row of an inline formset, as the "Add another" link does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return index


def inline_row(data, prefix, field, value):
    """The index of the existing inline row whose `field` holds `value`."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index in range(total):
        if data.get(f"{prefix}-{index}-{field}") == str(value):
            return index
    raise AssertionError(f"no {prefix} row with {field}={value}")


@pytest.fixture
def editor(db, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "amina", stdout=StringIO())
    return get_user_model().objects.get(username="amina")


def logged_in(username):
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        reverse("admin:login"), {"username": username, "password": PASSWORD, "next": reverse("admin:index")}
    )
    assert response.status_code == 302 and response.url == reverse("admin:index")
    return client


@pytest.fixture
def editor_client(editor):
    return logged_in(editor.username)


@pytest.fixture
def second_editor_client(db, monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "yusuf", stdout=StringIO())
    return logged_in("yusuf")


@pytest.fixture
def conference(db):
    return Conference.objects.get(slug=SLUG)


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def open_form(client, record):
    response = client.get(change_url(record))
    return form_data(response)


def save(client, record, data):
    return client.post(change_url(record), data)


# --- The main flow: correct, publish, survive the seeds, see and revert in the history ---


def test_editor_corrects_a_conference_and_the_public_page_shows_it(editor_client, conference):
    old_name = conference.name_en
    data = open_form(editor_client, conference)
    assert data["name_en"] == old_name
    data["name_en"] = NEW_NAME

    response = save(editor_client, conference, data)

    assert response.status_code == 302
    assert response.url == reverse("admin:conferences_conference_changelist")
    conference.refresh_from_db()
    assert conference.name_en == NEW_NAME
    assert conference.version == 2
    page = Client().get(f"/en/conferences/{SLUG}/")
    assertContains(page, NEW_NAME)
    assertNotContains(page, old_name)

    # The seed loader, run again as on a redeploy, leaves the correction alone.
    call_command("load_seeds", verbosity=0)
    conference.refresh_from_db()
    assert conference.name_en == NEW_NAME
    assertContains(Client().get(f"/en/conferences/{SLUG}/"), NEW_NAME)


def test_history_shows_the_change_and_reverts_it(editor_client, conference):
    old_name = conference.name_en
    data = open_form(editor_client, conference)
    data["name_en"] = NEW_NAME
    assert save(editor_client, conference, data).status_code == 302

    history = editor_client.get(reverse("admin:conferences_conference_history", args=[conference.pk]))
    assertContains(history, old_name)
    assertContains(history, NEW_NAME)
    assertContains(history, "amina")  # who changed it
    assertContains(history, "&rarr;")  # from which value to which

    before = conference.history.filter(name_en=old_name).latest("history_date")
    revert_url = reverse("admin:conferences_conference_simple_history", args=[conference.pk, before.history_id])
    revert_page = editor_client.get(revert_url)
    assertContains(revert_page, "Revert")
    revert_data = form_data(revert_page)
    assert revert_data["name_en"] == old_name

    response = editor_client.post(revert_url, revert_data)

    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.name_en == old_name
    assert conference.version == 3  # a revert is a new version, never an old number again
    history = editor_client.get(reverse("admin:conferences_conference_history", args=[conference.pk]))
    assertContains(history, "<strong>Name [en]:</strong>", count=2)  # the change, and its revert
    assertNotContains(history, "<strong>Name:</strong>")  # modeltranslation's bare column is no news
    assertContains(history, "4 entries")  # the seed loader's two (created, then its topics linked), and these



def test_history_keeps_a_change_of_topics(editor_client, conference):
    piracy = Topic.objects.create(slug="piracy", name_ar="القرصنة", name_en="Piracy")
    topics_before = list(conference.topics.all())
    data = open_form(editor_client, conference)
    data["topics"] = [*data["topics"], str(piracy.pk)]
    assert save(editor_client, conference, data).status_code == 302
    assert piracy in conference.topics.all()

    history = editor_client.get(reverse("admin:conferences_conference_history", args=[conference.pk]))
    assertContains(history, "<strong>Topics:</strong>")
    assertContains(history, "Piracy")
    assert conference.history.latest("history_date").topics.filter(topic=piracy).exists()

    # Reverting to the version before brings the old topics back.
    before = conference.history.order_by("-history_date", "-history_id")[1]
    revert_url = reverse("admin:conferences_conference_simple_history", args=[conference.pk, before.history_id])
    revert_data = form_data(editor_client.get(revert_url))
    assert str(piracy.pk) not in revert_data["topics"]
    assert editor_client.post(revert_url, revert_data).status_code == 302
    assert piracy not in conference.topics.all()
    assert conference.topics.count() == len(topics_before)


# --- Rights ----------------------------------------------------------------------------------


def test_editor_cannot_delete_a_conference_country_or_source(editor_client, conference):
    for record in (conference, Country.objects.get(code="LY"), conference.citations.first().source):
        delete_url = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_delete", args=[record.pk])
        assert editor_client.get(delete_url).status_code == 403
        assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
        assert type(record).objects.filter(pk=record.pk).exists()
    assertNotContains(editor_client.get(change_url(conference)), "deletelink")


def test_editor_cannot_manage_users_or_groups(editor_client, editor):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assertNotContains(editor_client.get(reverse("admin:index")), reverse("admin:auth_user_changelist"))


def test_editor_removes_a_participation_through_the_conference_form(editor_client, conference):
    participation = conference.participations.order_by("pk").first()
    data = open_form(editor_client, conference)
    row = inline_row(data, "participations", "id", participation.pk)
    data[f"participations-{row}-DELETE"] = "on"

    assert save(editor_client, conference, data).status_code == 302
    assert not Participation.objects.filter(pk=participation.pk).exists()


def test_editor_links_and_unlinks_topics(editor_client, conference):
    linked = list(conference.topics.order_by("pk"))
    newcomer = Topic.objects.exclude(conferences=conference).first()
    data = open_form(editor_client, conference)
    data["topics"] = [str(topic.pk) for topic in linked[1:]] + [str(newcomer.pk)]

    assert save(editor_client, conference, data).status_code == 302
    assert set(conference.topics.all()) == {*linked[1:], newcomer}


# --- Refused edits, each with its message --------------------------------------------------


def refused(client, record, data, message):
    response = save(client, record, data)
    assertContains(response, message)
    assert response.context["errors"], "the form should list its errors"
    return response


def test_an_end_before_the_start_is_refused(editor_client, conference):
    data = open_form(editor_client, conference)
    data.update(start_date="2025-08-25", start_precision="day", end_date="2025-08-20", end_precision="day")
    refused(editor_client, conference, data, "The end date cannot be before the start date.")
    conference.refresh_from_db()
    assert str(conference.end_date) == "2025-08-26"


def test_a_country_listed_twice_is_refused(editor_client, conference):
    listed = conference.participations.order_by("pk").first().country
    data = open_form(editor_client, conference)
    add_inline_row(data, "participations", country=str(listed.pk), role="participant")
    refused(editor_client, conference, data, "This country is already listed for this conference.")


def test_a_new_country_entered_twice_is_refused(editor_client, conference):
    newcomer = Country.objects.exclude(participations__conference=conference).first()
    data = open_form(editor_client, conference)
    add_inline_row(data, "participations", country=str(newcomer.pk), role="participant")
    add_inline_row(data, "participations", country=str(newcomer.pk), role="announced")
    refused(editor_client, conference, data, "This country is already listed for this conference.")
    assert not conference.participations.filter(country=newcomer).exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [("name_ar", "The Arabic text is required."), ("name_en", "The English text is required.")],
)
def test_a_missing_name_is_refused(editor_client, conference, field, message):
    data = open_form(editor_client, conference)
    data[field] = ""
    response = refused(editor_client, conference, data, message)
    assert response.content.decode().count(message) == 1, "said once, not once per check"


def test_an_arabic_field_without_arabic_script_is_refused(editor_client, conference):
    data = open_form(editor_client, conference)
    data["name_ar"] = "CISSA 20 conference"
    refused(editor_client, conference, data, "The Arabic text must be written in Arabic script.")


def test_a_clashing_slug_is_refused(editor_client, conference):
    data = open_form(editor_client, conference)
    data["slug"] = "cissa-21"
    refused(editor_client, conference, data, "Another record already uses this slug; choose a different one.")
    conference.refresh_from_db()
    assert conference.slug == SLUG


def test_a_slug_another_record_had_before_is_refused(editor_client, conference):
    other = Conference.objects.get(slug="cissa-21")
    data = open_form(editor_client, other)
    data["slug"] = "cissa-21-libya"
    assert save(editor_client, other, data).status_code == 302  # cissa-21 is now an earlier address

    data = open_form(editor_client, conference)
    data["slug"] = "cissa-21"
    refused(editor_client, conference, data, str(SLUG_USED_BEFORE))


def test_messages_follow_the_editors_language(editor, conference):
    """The admin in Arabic says it in Arabic, as the catalogue translates it."""
    client = Client(headers={"accept-language": "ar"})
    client.force_login(editor)
    data = open_form(client, conference)
    data.update(start_date="2025-08-25", start_precision="day", end_date="2025-08-20", end_precision="day")
    response = save(client, conference, data)
    assertContains(response, '<html lang="ar" dir="rtl"')
    with translation.override("ar"):
        expected = str(_("The end date cannot be before the start date."))
    assertContains(response, expected)


# --- Concurrent edits ------------------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_is_refused(editor_client, second_editor_client, conference):
    mine = open_form(editor_client, conference)
    theirs = open_form(second_editor_client, conference)
    theirs["name_en"] = "Their correction"
    assert save(second_editor_client, conference, theirs).status_code == 302

    mine["name_en"] = NEW_NAME
    response = save(editor_client, conference, mine)

    assertContains(response, STALE)
    conference.refresh_from_db()
    assert conference.name_en == "Their correction"
    # Reloading shows their change, and saving from there works.
    fresh = open_form(editor_client, conference)
    assert fresh["name_en"] == "Their correction"
    fresh["name_en"] = NEW_NAME
    assert save(editor_client, conference, fresh).status_code == 302
    conference.refresh_from_db()
    assert conference.name_en == NEW_NAME


def test_a_save_that_loses_the_race_after_validation_is_refused(editor_client, conference, monkeypatch):
    """Someone commits between this form's version check and its write: the guarded UPDATE refuses it.

    The other editor's write is simulated inside this request's transaction, so it is
    rolled back together with the refused save; what counts is that nothing of this
    editor's save is written and the editor is told why.
    """
    model_admin = admin.site._registry[Conference]
    original_save_form = model_admin.save_form

    def someone_saves_first(request, form, change):
        Conference.objects.filter(pk=conference.pk).update(name_en="Their correction", version=F("version") + 1)
        return original_save_form(request, form, change)

    monkeypatch.setattr(model_admin, "save_form", someone_saves_first)
    old_name = conference.name_en
    data = open_form(editor_client, conference)
    data["name_en"] = NEW_NAME

    response = editor_client.post(change_url(conference), data, follow=True)

    assert response.redirect_chain == [(change_url(conference), 302)]
    assertContains(response, STALE)
    conference.refresh_from_db()
    assert conference.name_en == old_name
    assert conference.version == 1


def test_an_inline_row_changed_by_someone_else_is_not_overwritten(editor_client, conference):
    participation = conference.participations.order_by("pk").first()
    data = open_form(editor_client, conference)
    row = inline_row(data, "participations", "id", participation.pk)
    # Another editor corrects the participation on its own page meanwhile.
    participation.note_en = "Their note"
    participation.note_ar = "ملاحظتهم"
    participation.save()

    data[f"participations-{row}-note_en"] = "My note"
    data[f"participations-{row}-note_ar"] = "ملاحظتي"
    assertContains(save(editor_client, conference, data), STALE)
    participation.refresh_from_db()
    assert participation.note_en == "Their note"

    # Had this editor left the row alone, the rest of the form would have saved, and the row kept.
    untouched = open_form(editor_client, conference)
    untouched["name_en"] = NEW_NAME
    assert save(editor_client, conference, untouched).status_code == 302
    participation.refresh_from_db()
    assert participation.note_en == "Their note"


# --- The editing interface ------------------------------------------------------------------


def test_arabic_inputs_are_right_to_left_and_english_left_to_right(editor_client, conference):
    page = editor_client.get(change_url(conference))
    html = page.content.decode()
    assert 'name="name_ar"' in html and 'name="name_en"' in html
    for field, direction, language in (("name_ar", "rtl", "ar"), ("summary_en", "ltr", "en")):
        tag = next(part for part in html.split("<") if f'name="{field}"' in part)
        assert f'dir="{direction}"' in tag and f'lang="{language}"' in tag, tag
    assertContains(page, "admin-portal/admin.css")
    assertContains(page, "jquery-ui-tabs")  # modeltranslation's tabs, served locally


def test_every_model_has_an_admin_and_editors_can_open_what_they_edit(editor_client, admin_client):
    from django.apps import apps

    from conferences.apps import EDITED_MODELS

    for label in ("participants", "organizations", "conferences"):
        for model in apps.get_app_config(label).get_models():
            if hasattr(model, "instance_type"):
                continue  # simple-history's tables: shown on each record's history page
            assert model in admin.site._registry, model
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert admin_client.get(changelist).status_code == 200, model
            if model._meta.label_lower not in EDITED_MODELS:
                assert editor_client.get(changelist).status_code == 403, model  # bookkeeping, not records
                continue
            assert editor_client.get(changelist).status_code == 200, model
            record = model._default_manager.first()
            if record is not None:
                assert editor_client.get(change_url(record)).status_code == 200, model
                assert str(record).strip(), model


def test_conference_list_filters(editor_client):
    url = reverse("admin:conferences_conference_changelist")
    page = editor_client.get(url, {"year": "2025"})
    assertContains(page, "CISSA 20")
    assertContains(page, "Marrakech Platform 4")
    assertNotContains(page, "CISSA 21")
    assertContains(editor_client.get(url, {"year": "unknown"}), "CISSA 21")
    morocco = Country.objects.get(code="MA")
    assertNotContains(editor_client.get(url, {"host_country__id__exact": morocco.pk}), "CISSA 20")
    for title in ("By host country", "By year", "By series", "By status", "By organizations"):
        assertContains(editor_client.get(url), title)


@pytest.mark.parametrize(
    "query",
    [
        "الافريقيه",  # no hamza, ه for ة: the record says الإفريقية
        "الإفريقيّة",  # with a shadda
        "سيسا 20",
        "cissa 20",
    ],
)
def test_search_finds_arabic_spelling_variants(editor_client, query):
    page = editor_client.get(reverse("admin:conferences_conference_changelist"), {"q": query})
    assertContains(page, "CISSA 20")
    assertNotContains(page, "Military intelligence chiefs")


def test_autocomplete_matches_spelling_variants(editor_client):
    """The organization picker of a series finds لجنة أجهزة الأمن… typed without hamza or ة."""
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "conferences", "model_name": "series", "field_name": "organization", "term": "لجنه اجهزه الامن"},
    )
    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert any("CISSA" in name for name in names), names


def test_view_on_site_opens_the_public_page(editor_client, conference):
    page = editor_client.get(change_url(conference))
    assertContains(page, "View on site")
    shortcut = reverse("admin:view_on_site", args=[page.context["content_type_id"], conference.pk])
    response = editor_client.get(shortcut)
    assert response.status_code == 302
    assert response.url.endswith(f"/en/conferences/{SLUG}/")  # the page in the admin's language
    public = editor_client.get(response.url)
    assertContains(public, conference.name_en)


def test_view_on_site_of_a_participation_opens_its_conference(editor_client, conference):
    participation = conference.participations.first()
    page = editor_client.get(change_url(participation))
    assertContains(page, f'href="/en/conferences/{SLUG}/"')
