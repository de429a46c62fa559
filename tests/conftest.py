"""The suite's shared fixtures. Tests build their own records (tests/factories.py); the real seed data
is loaded only for the tests about it (`seeds`)."""

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="module")
def seeds(django_db_setup, django_db_blocker):
    """The real seed data, loaded once for a module whose tests are about it, and removed after it.

    Each test still runs in a transaction that is rolled back, so what a test changes is undone.
    """
    with django_db_blocker.unblock():
        call_command("load_seeds", verbosity=0)
    yield
    with django_db_blocker.unblock():
        # flush empties every table, then recreates what migrate makes (content types, permissions,
        # the Editors group).
        call_command("flush", interactive=False, verbosity=0)
