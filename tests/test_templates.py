"""Template comments never reach the reader: `{# … #}` is one line only, longer ones use {% comment %}."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from public.views.base import server_error, service_unavailable
from tests import factories as make

TEMPLATES = Path(settings.BASE_DIR) / "templates"
MULTI_LINE_COMMENT = re.compile(r"\{#(?:(?!#\}).)*\n", re.DOTALL)


def test_no_template_holds_a_comment_django_would_print():
    offenders = [
        str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
        if MULTI_LINE_COMMENT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_no_rendered_page_shows_a_template_comment(client, language):
    conference = make.full_conference()
    country = conference.host_country
    person = conference.attendances.first().person
    organization = conference.organization_roles.first().organization
    records = [conference, country, person, organization, conference.series, conference.topics.first(),
               conference.citations.first().source]
    with translation.override(language):
        addresses = [record.get_absolute_url() for record in records]
    addresses += [f"/{language}/{path}" for path in (
        "", "conferences/", "countries/", "people/", "organizations/", "series/", "topics/", "sources/",
        "search/?q=intelligence", "conferences/?page=99", "no-such-page/",
    )]
    for address in addresses:
        content = client.get(address).content.decode()
        assert "{#" not in content and "#}" not in content, address
    request = RequestFactory().get(f"/{language}/conferences/")
    for response in (server_error(request), service_unavailable(request, language)):
        assert "{#" not in response.content.decode()


def test_the_error_pages_render_without_a_database():
    """A 500 page drawn while nothing works: no template comment either."""
    response = server_error(RequestFactory().get("/en/"))
    assert response.status_code == 500 and "{#" not in response.content.decode()
