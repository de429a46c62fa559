"""A source's address is printed as a link, or given as one to machines, only when it is http or https.

The admin refuses other addresses, but a record changed around it (a data migration, a bulk
update, a restored backup) must not turn a `javascript:` address into a link a reader can click.
"""

import json
from urllib.parse import urlsplit

import pytest

from conferences.models import SourceReport
from tests import factories as make
from tests.helpers import json_ld, links, page, record_page, text

pytestmark = pytest.mark.django_db

API = "/api/v1"
UNSAFE = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
          "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="]


@pytest.fixture
def conference(db):
    return make.full_conference("summit-2024")  # cites "report-en", whose address is https://libyaherald.com/item


def pages(client, conference, source):
    for language in ("ar", "en"):
        yield record_page(client, source, language)
        yield record_page(client, conference, language)
        yield page(client, "sources:list", language)


@pytest.mark.parametrize("address", UNSAFE)
def test_an_unsafe_source_address_is_never_a_link(client, conference, address):
    SourceReport.objects.filter(slug="report-en").update(url=address)
    source = SourceReport.objects.get(slug="report-en")
    for document in pages(client, conference, source):
        assert all(urlsplit(href).scheme in ("", "http", "https") for href in links(document)), links(document)
        data = json_ld(document)
        assert data is None or "script:" not in json.dumps(data).lower()
    # The address is still shown, as text only.
    document = record_page(client, source, "en")
    original = document.xpath('//dt[.="Original"]/following-sibling::dd[1]')[0]
    assert original.xpath(".//a") == []
    assert text(original) == " ".join(address.split())

    assert client.get(f"{API}/sources/report-en/").json()["address"] == ""
    cited = client.get(f"{API}/conferences/summit-2024/").json()["sources"]
    assert {row["slug"]: row["address"] for row in cited}["report-en"] == ""


def test_a_web_address_stays_a_link(client, conference):
    source = SourceReport.objects.get(slug="report-en")
    assert "https://libyaherald.com/item" in links(record_page(client, source, "en"))
    assert client.get(f"{API}/sources/report-en/").json()["address"] == "https://libyaherald.com/item"
    cited = client.get(f"{API}/conferences/summit-2024/").json()["sources"]
    assert {row["slug"]: row["address"] for row in cited}["report-en"] == "https://libyaherald.com/item"
