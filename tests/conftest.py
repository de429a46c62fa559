import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real seed data once per test session; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_seeds", verbosity=0)
