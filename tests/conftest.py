import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real seed data once per test session; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_seeds", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: each starts at the same site version."""
    from django.core.cache import cache

    cache.clear()
    yield
