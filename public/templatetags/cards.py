"""{% load cards %}{% conference_card conference 3 %}: one conference in a list, as a card.

A list shows twenty cards, a country page up to eighty: drawn by a template included per card,
they took most of those pages' time. So the card is drawn here, in Python, once per conference:
its title (linked; a heading of the given level, 2 unless told), its status and dates, and its
place when one is known. Every text is escaped (html.escape, as Django's escape).

A list reads its cards as plain rows (`card_rows`): only the columns a card shows, in the
page's language, without building records.
"""

from collections import namedtuple
from functools import cache, lru_cache
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from conferences.models import Conference, ConferenceStatus
from core import tags
from core.addresses import reverser
from core.dates import format_date_range, iso_partial_date
from participants.models import Country

from .site_tags import isolate_runs

register = template.Library()

STATUS_LABELS = dict(ConferenceStatus.choices)

# The columns of a card, and the texts among them in each language (_ar, _en).
CARD_COLUMNS = (
    "pk", "slug", "status", "start_date", "start_precision", "end_date", "end_precision", "host_country_id",
    "name_ar", "name_en", "city_ar", "city_en", "host_country__name_ar", "host_country__name_en",
)
HostCountry = namedtuple("HostCountry", "name")


class CardRow:
    """A conference as its card shows it, from a row of CARD_COLUMNS: the texts in the page's
    language, or in Arabic where that one is empty, as the translated fields fall back."""

    __slots__ = ("pk", "slug", "status", "start_date", "start_precision", "end_date", "end_precision",
                 "host_country_id", "name", "city", "host_country", "url")

    def __init__(self, row, english, address):
        (self.pk, self.slug, self.status, self.start_date, self.start_precision, self.end_date,
         self.end_precision, self.host_country_id, name_ar, name_en, city_ar, city_en, country_ar, country_en) = row
        self.name = (name_en if english else "") or name_ar
        self.city = (city_en if english else "") or city_ar
        country = (country_en if english else "") or country_ar
        self.host_country = HostCountry(country) if self.host_country_id is not None else None
        self.url = address(slug=self.slug)

    def get_absolute_url(self):
        return self.url


def card_rows(queryset, tagged=True):
    """The cards of a queryset of conferences, as CardRows in its order.

    The answer carries the tags of the conferences' cards and of the host countries shown
    (core.tags); `tagged=False` leaves that to the caller.
    """
    return cards_of(queryset.values_list(*CARD_COLUMNS), tagged)


def cards_of(rows, tagged=True):
    """CardRows of rows of CARD_COLUMNS, as card_rows() reads them."""
    english, address = get_language() == "en", reverser("conferences:detail")
    cards = [CardRow(row, english, address) for row in rows]
    if tagged:
        tag_cards(cards)
    return cards


def tag_cards(rows):
    """The cache tags of the conferences' cards (core.tags.part: an edit of a conference's summary
    leaves them) and of the host countries of these cards."""
    tags.add(
        *tags.part_tags(Conference, {row.pk for row in rows}, "card"),
        *tags.tags_of(Country, {row.host_country_id for row in rows if row.host_country_id is not None}),
    )


@cache
def comma(language):
    """The language's comma between two names, and a space."""
    return f"{escape(gettext(','))} "


@cache
def status_labels(language):
    """{status: its label, escaped}, in a language."""
    return {status: escape(str(label)) for status, label in STATUS_LABELS.items()}


def dates(conference, language=None):
    """The card's dates, in a <time> when the start is known."""
    return _dates(
        language or get_language(), conference.start_date, conference.start_precision, conference.end_date,
        conference.end_precision,
    )


@lru_cache(maxsize=20_000)
def _dates(language, start, start_precision, end, end_precision):
    """The dates' markup in a language: remembered, as many cards share their dates and each
    month's name is translated anew."""
    span = escape(format_date_range(start, start_precision, end, end_precision))
    if not start:
        return span
    return f'<time datetime="{escape(iso_partial_date(start, start_precision))}">{span}</time>'


def place(conference, language=None):
    """The city and host country, each isolated in its own direction; "" when neither is known."""
    city, country = conference.city, conference.host_country
    if not city and not country:
        return ""
    parts = []
    if city:
        parts.append(f"<bdi>{escape(city)}</bdi>")
        if country:
            parts.append(comma(language or get_language()))
    if country:
        parts.append(f"<bdi>{escape(country.name)}</bdi>")
    return f'\n  <p class="meta">{"".join(parts)}</p>'


@register.simple_tag
def entry_cards(entries, level=3):
    """The <li>s of a country page's group: each entry's card, then its note, as a loop of the
    template drew them: in Python, as a page shows up to eighty."""
    items, language = [], get_language()
    for entry in entries:
        note = f'<p class="evidence-note">{isolate_runs(entry.note)}</p>' if entry.note else ""
        items.append(f"\n    <li>\n      {card(entry.conference, level, language)}\n      {note}\n    </li>\n    ")
    # Each card and note is escaped where it is drawn.
    return mark_safe("".join(items))


@register.simple_tag
def conference_card(conference, level=2):
    return mark_safe(card(conference, level, get_language()))


def card(conference, level, language):
    """A conference's card in a language, as markup (each text escaped)."""
    level = int(level)
    status = escape(conference.status)
    label = status_labels(language).get(conference.status, status)
    return (
        '<article class="card">\n'
        f'  <h{level}><a href="{escape(conference.get_absolute_url())}">{escape(conference.name)}</a></h{level}>\n'
        '  <p class="meta">\n'
        f'    <span class="status status-{status}">{label}</span>\n'
        f"    {dates(conference, language)}\n"
        f"  </p>{place(conference, language)}\n"
        "</article>"
    )
