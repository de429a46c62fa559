"""On PostgreSQL, the statements a kept connection runs again and again are prepared, with their
parameters bound on the server (portal/settings.py: DJANGO_DB_PREPARE_THRESHOLD), and the pages
read through them are the ones read before they were prepared."""

import pytest
from django.conf import settings
from django.db import connection

from tests import factories as make

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_pages_queries_are_prepared_and_answer_as_before_for_each_record(client):
    first = make.full_conference("summit-2025")
    second = make.conference("summit-2026", series=first.series, edition=3, host_country=make.named_country("TN"))
    make.participation(second, make.named_country("DZ"), note_en="A note")
    paths = [f"/{language}/conferences/{record.slug}/" for record in (first, second) for language in ("en", "ar")]
    paths += ["/en/countries/tn/", "/ar/conferences/", "/en/"]
    before = {path: client.get(path).content for path in paths}
    assert not any("conferences_citation" in statement for statement in prepared_statements())

    for _ in range(settings.DATABASE_PREPARE_THRESHOLD):
        after = {path: client.get(path).content for path in paths}
        assert after == before
    # The conference page's queries, and the site version every page reads, are kept prepared.
    statements = prepared_statements()
    assert any("conferences_citation" in statement and "$1" in statement for statement in statements)
    assert any("core_sitestate" in statement for statement in statements)


def test_the_searchs_queries_are_planned_for_the_words_searched_each_time(client):
    make.full_conference("summit-2025")
    paths = ["/en/search/?q=summit", "/ar/search/?q=summit", "/en/search/?q=summit&kind=conference",
             "/en/search/?q=sumit"]
    before = {path: client.get(path).content for path in paths}
    for _ in range(settings.DATABASE_PREPARE_THRESHOLD + 1):
        assert {path: client.get(path).content for path in paths} == before
    assert not [statement for statement in prepared_statements() if "conferences_search" in statement]
    # The rest of the page still is.
    assert any("core_sitestate" in statement for statement in prepared_statements())
