"""`manage.py create_editor`: a staff account in the Editors group, with the least rights needed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from conferences.apps import EDITORS_GROUP, ensure_editors_group

PASSWORD = "Sahara-Atlas-2025!"
User = get_user_model()


def run(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("create_editor", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def prompts(monkeypatch, *answers):
    """Type `answers` at the password prompts, in order; returns the prompts shown."""
    shown, queue = [], list(answers)

    def fake_getpass(prompt):
        shown.append(prompt)
        return queue.pop(0)

    monkeypatch.setattr("conferences.management.commands.create_editor.getpass.getpass", fake_getpass)
    return shown


@pytest.fixture(autouse=True)
def no_password_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)


@pytest.mark.django_db
def test_creates_a_staff_user_in_the_editors_group_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    out, _err = run("amina", email="amina@example.org")

    assert "Created the editor amina" in out
    user = User.objects.get(username="amina")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert user.email == "amina@example.org"
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]


@pytest.mark.django_db
def test_running_it_again_changes_nothing_and_says_so(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    run("amina")
    before = User.objects.values().get(username="amina")

    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "A-different-passphrase-2026")
    out, _err = run("amina")

    assert "already exists; nothing was changed" in out
    assert User.objects.values().get(username="amina") == before
    assert User.objects.get(username="amina").check_password(PASSWORD)


@pytest.mark.django_db
def test_an_existing_account_is_not_made_an_editor(django_user_model):
    django_user_model.objects.create_user("reader", password=PASSWORD)
    out, _err = run("reader", interactive=False)
    assert "already exists" in out
    reader = django_user_model.objects.get(username="reader")
    assert not reader.is_staff and not reader.groups.exists()


@pytest.mark.django_db
def test_the_password_is_asked_twice_until_both_match_and_it_is_valid(monkeypatch):
    shown = prompts(monkeypatch, "one-Passphrase-2025", "another-Passphrase-2025", "123", "123", PASSWORD, PASSWORD)
    _out, err = run("yusuf")

    assert len(shown) == 6
    assert "The two passwords differ" in err
    assert "This password is too short" in err
    assert "entirely numeric" in err
    assert User.objects.get(username="yusuf").check_password(PASSWORD)


@pytest.mark.django_db
def test_a_weak_password_from_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        run("amina")
    assert not User.objects.filter(username="amina").exists()


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "fatima.benali")
    with pytest.raises(CommandError, match="too similar"):
        run("fatima.benali")


@pytest.mark.django_db
def test_without_a_terminal_or_the_variable_it_stops():
    with pytest.raises(CommandError, match="DJANGO_EDITOR_PASSWORD"):
        run("amina", interactive=False)
    assert not User.objects.filter(username="amina").exists()


@pytest.mark.django_db
def test_the_editors_group_has_the_least_rights_needed():
    group = Group.objects.get(name=EDITORS_GROUP)  # made by migrate, through post_migrate
    rights = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    for model in ("conference", "participation", "attendance", "citation", "sourcereport", "topic"):
        assert f"conferences.add_{model}" in rights and f"conferences.change_{model}" in rights
    assert {"participants.change_person", "participants.change_country", "organizations.change_organization"} <= rights
    for removable in (
        "conferences.delete_participation", "conferences.delete_attendance", "conferences.delete_citation",
        "conferences.delete_conferenceorganization", "organizations.delete_position",
        "organizations.delete_organizationalias", "participants.delete_personalias",
    ):
        assert removable in rights
    for kept in ("conferences.delete_conference", "participants.delete_country", "conferences.delete_sourcereport"):
        assert kept not in rights
    assert not any(right.startswith(("auth.", "admin.", "contenttypes.", "sessions.")) for right in rights)
    assert not any(".delete_historical" in right or "seedrecord" in right for right in rights)


@pytest.mark.django_db
def test_refreshing_the_group_is_idempotent_and_undoes_extra_rights():
    from django.contrib.auth.models import Permission

    group = ensure_editors_group()
    expected = set(group.permissions.values_list("pk", flat=True))
    group.permissions.add(Permission.objects.get(codename="delete_conference"))

    ensure_editors_group()
    ensure_editors_group()

    assert Group.objects.filter(name=EDITORS_GROUP).count() == 1
    assert set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("pk", flat=True)) == expected
