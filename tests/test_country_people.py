"""The people and organizations of a country page, read as plain rows and drawn in Python
(public/views/countries.py): the same markup as the template's loop drew from their records,
in both languages (a text empty in English in Arabic, as the translated fields fall back), and
the same cache tags as loading the records gave the page."""

import pytest
from django.db.models import Prefetch
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from core import tags
from organizations.models import Organization
from participants.models import Country, Person
from tests import factories as make
from tests.helpers import LANGUAGES, get, url

pytestmark = pytest.mark.django_db

TAG_HEADER = "xkey"

# The sections as the country page's template drew them from the country's records.
RECORDS_TEMPLATE = """{% load i18n %}<section aria-labelledby="people-heading">
  <h2 id="people-heading">{% translate "People" %}</h2>
  {% if country.people.all %}
  <ul class="plain-list">
    {% for person in country.people.all %}
    <li>{% if person.rank %}<bdi>{{ person.rank }}</bdi> {% endif %}<a href="{{ person.get_absolute_url }}"><bdi>{{ person.name }}</bdi></a></li>
    {% endfor %}
  </ul>
  {% else %}
  <p class="meta">{% translate "None recorded." %}</p>
  {% endif %}
</section>

<section aria-labelledby="organizations-heading">
  <h2 id="organizations-heading">{% translate "Organizations" %}</h2>
  {% if country.organizations.all %}
  <ul class="plain-list">
    {% for organization in country.organizations.all %}
    <li><a href="{{ organization.get_absolute_url }}"><bdi>{{ organization.name }}</bdi></a>{% if organization.acronym %} (<bdi>{{ organization.acronym }}</bdi>){% endif %}
      <span class="meta">— {{ organization.get_kind_display }}</span></li>
    {% endfor %}
  </ul>
  {% else %}
  <p class="meta">{% translate "None recorded." %}</p>
  {% endif %}
</section>"""  # noqa: E501 (the template as it stood)


@pytest.fixture
def country(db):
    libya, egypt = make.named_country("LY"), make.named_country("EG")
    make.person(name_ar="اللواء علي", name_en="Ali <Sr.> & \"Co\"", rank_ar="اللواء", rank_en="Major General",
                country=libya)
    # No English rank: the English page shows the Arabic one.
    make.person(name_ar="أحمد", name_en="Ahmed 'A'", rank_ar="العقيد", rank_en="", country=libya)
    make.person(name_ar="بشير", name_en="Bashir", country=libya)
    make.person(name_ar="غريب", name_en="Stranger", country=egypt)
    parent = make.organization(name_ar="هيئة أم", name_en="Parent body", kind="government", country=egypt)
    make.organization(name_ar="جهاز المخابرات", name_en="Intelligence <Service>", acronym="LIS&",
                      kind="intelligence-service", country=libya, parent=parent)
    make.organization(name_ar="وزارة الداخلية", name_en="Ministry of Interior", kind="ministry", country=libya)
    return libya


def sections(html):
    start = html.index('<section aria-labelledby="people-heading">')
    end = html.index("</section>", html.index('<section aria-labelledby="organizations-heading">'))
    return html[start:end + len("</section>")]


def from_records(code, language):
    """The sections and the people's and organizations' cache tags, as the records gave them."""
    with translation.override(language), tags.collecting() as shown:
        record = Country.objects.prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by("name")),
            Prefetch("organizations", queryset=Organization.objects.select_related("parent").order_by("name")),
        ).get(code=code)
        # The page about the country carries its about tag, which stands for what points to it.
        tags.add(tags.about_tag(record))
        markup = Template(RECORDS_TEMPLATE).render(Context({"country": record}))
    return markup, {tag for tag in shown if tag.startswith(("person-", "organization-"))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_people_and_organizations_are_drawn_as_from_their_records(client, country, language):
    with override_settings(PORTAL_CACHE_TAG_HEADER=TAG_HEADER):
        response = get(client, url("countries:detail", language, code="ly"))
    markup, expected_tags = from_records("LY", language)
    assert sections(response.content.decode()) == markup
    page_tags = {tag for tag in response[TAG_HEADER].split() if tag.startswith(("person-", "organization-"))}
    assert page_tags == expected_tags
    # The parent, in another country, is not shown but was loaded: its tag stays, as it did.
    assert expected_tags == {tags.tag(Organization, Organization.objects.get(name_en="Parent body").pk)}


def test_exact_markup_in_both_languages(client, country):
    english = sections(get(client, url("countries:detail", "en", code="ly")).content.decode())
    assert '<li><bdi>Major General</bdi> <a href="/en/people/' in english
    assert "<bdi>Ali &lt;Sr.&gt; &amp; &quot;Co&quot;</bdi></a></li>" in english
    # The English rank is empty: the Arabic one stands in.
    assert "<li><bdi>العقيد</bdi> <a" in english and "<bdi>Ahmed &#x27;A&#x27;</bdi>" in english
    assert "Stranger" not in english and "Parent body" not in english
    assert ("<bdi>Intelligence &lt;Service&gt;</bdi></a> (<bdi>LIS&amp;</bdi>)\n"
            '      <span class="meta">— intelligence or security service</span></li>') in english
    arabic = sections(get(client, url("countries:detail", "ar", code="ly")).content.decode())
    assert '<li><bdi>اللواء</bdi> <a href="/ar/people/' in arabic and "<bdi>اللواء علي</bdi>" in arabic
    assert "<bdi>وزارة الداخلية</bdi></a>\n      <span class=\"meta\">— " in arabic


def test_a_country_with_no_people_or_organizations(client, db):
    make.named_country("TN")
    for language in LANGUAGES:
        html = get(client, url("countries:detail", language, code="tn")).content.decode()
        assert sections(html) == from_records("TN", language)[0]


@pytest.mark.slow
def test_every_seeded_country_as_from_its_records(seeds, client):
    """On the seed data: each country with people or organizations, in both languages."""
    codes = sorted(
        Country.objects.filter(people__isnull=False).order_by().values_list("code", flat=True).union(
            Country.objects.filter(organizations__isnull=False).order_by().values_list("code", flat=True)
        )
    )
    assert len(codes) > 1, codes
    with override_settings(PORTAL_CACHE_TAG_HEADER=TAG_HEADER):
        for code in codes:
            for language in LANGUAGES:
                response = get(client, url("countries:detail", language, code=code.lower()))
                markup, expected_tags = from_records(code, language)
                assert sections(response.content.decode()) == markup, (code, language)
                page_tags = {tag for tag in response[TAG_HEADER].split()
                             if tag.startswith(("person-", "organization-"))}
                assert page_tags == expected_tags, (code, language)
