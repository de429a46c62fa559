"""A page of search results as the template shows it.

Two views of one query:
- all kinds: the best few results of each kind, with each kind's total, in two queries
  (the ranking, then the rows shown);
- one kind (`?kind=person`): all its results, paginated, in two queries (the kinds'
  totals for the tabs, then the page).
When nothing holds the query's keys, PostgreSQL tries their stems; when still nothing
matches, "did you mean" looks for a near spelling (SearchWord.objects.suggestion).

Matched words are marked on the displayed text: the text is cut into words, each word is
escaped, and the words whose search key holds a query key (or makes up part of one, as
«عبد» and «السلام» do for «عبدالسلام») are wrapped in <mark>. Matching is done on keys,
so «الافريقية» marks «الإفريقية», and «Hamouchi» marks «Hammouchi».
"""

import html
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import router
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import tags
from core.addresses import cached_reverse
from core.prepared import Prepared

from .models import INDEX_TAG, SearchEntry, SearchKind, SearchWord
from .query import DISPLAY_WORD, SHORT_KEY, Query, planned_for_each_query, word_keys

# Searches the empty search page offers, one of each way a name may be spelt (README: seed data).
EXAMPLES = [("سيسا", "ar"), ("حفتر", "ar"), ("المخابرات", "ar"), ("Benghazi", "en"), ("Hafter", "en"),
            ("Marrakesh", "en")]
GROUP_SIZE = 5
PAGE_SIZE = 20
EXCERPT_WORDS = 30

# What a result shows of its entry: every column but the searched text.
SHOWN_COLUMNS = [field.attname for field in SearchEntry._meta.concrete_fields if field.name not in ("names", "text")]
# The entries of the results, read by primary key: at most a group of each kind.
SHOWN = Prepared(
    SearchEntry, lambda rows, keys: rows.filter(pk__in=keys).order_by().values_list(*SHOWN_COLUMNS),
    slots=GROUP_SIZE * len(SearchKind),
)

# Headings of the groups, in the order they are shown (the site's own menu names).
HEADINGS = {
    SearchKind.CONFERENCE: _("Conferences"),
    SearchKind.SERIES: pgettext_lazy("plural", "Series"),
    SearchKind.PERSON: _("People"),
    SearchKind.ORGANIZATION: _("Organizations"),
    SearchKind.COUNTRY: _("Countries"),
    SearchKind.TOPIC: _("Topics"),
    SearchKind.SOURCE: _("Sources"),
}
URL_NAMES = {
    SearchKind.CONFERENCE: ("conferences:detail", "slug"),
    SearchKind.SERIES: ("series:detail", "slug"),
    SearchKind.PERSON: ("people:detail", "slug"),
    SearchKind.ORGANIZATION: ("organizations:detail", "slug"),
    SearchKind.COUNTRY: ("countries:detail", "code"),
    SearchKind.TOPIC: ("topics:detail", "slug"),
    SearchKind.SOURCE: ("sources:detail", "slug"),
}


# --- Marking the matched words ----------------------------------------------------------------


def _matches(keys, query_words):
    """Whether a displayed word, by its keys, is one the query asked for."""
    for key in keys:
        for word in query_words:
            if key.startswith(word) or (len(word) >= SHORT_KEY and word in key):
                return True
            # A displayed word that is the start or end of a query word: «عبد» of «عبدالسلام».
            if len(key) >= 3 and (word.startswith(key) or word.endswith(key)):
                return True
    return False


@lru_cache(maxsize=100_000)
def _marked(word, query_words):
    """Whether the displayed `word` is one the query's words (a tuple) asked for; remembered, since
    the same words recur in every result."""
    return _matches(word_keys(word), query_words)


def highlight(text, query_words):
    """`text`, escaped, with its matched words in <mark>; and whether any matched."""
    query_words = tuple(query_words)
    parts, last, found = [], 0, False
    for match in DISPLAY_WORD.finditer(text or ""):
        if _marked(match.group(), query_words):
            parts.append(html.escape(text[last:match.start()]))
            parts.append(f"<mark>{html.escape(match.group())}</mark>")
            last, found = match.end(), True
    parts.append(html.escape((text or "")[last:]))
    return mark_safe("".join(parts)), found


def excerpt(text, query_words, size=EXCERPT_WORDS):
    """About `size` words of `text` around its first matched word (or from its start), marked."""
    words = (text or "").split()
    if not words:
        return ""
    query_words = tuple(query_words)
    first = next(
        (index for index, word in enumerate(words)
         if any(_marked(match.group(), query_words) for match in DISPLAY_WORD.finditer(word))),
        0,
    )
    start = max(0, min(first - size // 3, len(words) - size))
    end = start + size
    shown = " ".join(words[start:end])
    marked, _found = highlight(shown, query_words)
    return format_html("{}{}{}", "… " if start > 0 else "", marked, " …" if end < len(words) else "")


# --- Results --------------------------------------------------------------------------------------


@dataclass
class Hit:
    url: str
    title: str  # marked-up, safe
    detail: str
    date: object
    date_precision: str
    also: str  # another name that matched, marked-up, when the title did not
    excerpt: str

    @classmethod
    def of(cls, entry, query_words, language):
        url_name, argument = URL_NAMES[entry.kind]
        title, title_matched = highlight(getattr(entry, f"title_{language}"), query_words)
        also = ""
        if not title_matched:
            other = "en" if language == "ar" else "ar"
            for name in (getattr(entry, f"title_{other}"), *entry.aliases.splitlines()):
                marked, found = highlight(name, query_words)
                if found:
                    also = marked
                    break
        return cls(
            url=cached_reverse(url_name, **{argument: entry.slug}),
            title=title,
            detail=getattr(entry, f"detail_{language}"),
            date=entry.date,
            date_precision=entry.date_precision,
            also=also,
            excerpt=excerpt(getattr(entry, f"body_{language}"), query_words),
        )


@dataclass
class Group:
    kind: str
    heading: str
    total: int
    hits: list
    more_url: str = ""  # all the results of this kind, when the group shows only the best


@dataclass
class Tab:
    kind: str
    heading: str
    total: int
    url: str
    current: bool


@dataclass
class Results:
    query: Query
    kind: str = ""
    groups: list = field(default_factory=list)
    tabs: list = field(default_factory=list)
    total: int = 0
    page_obj: object = None
    suggestion: str = ""
    suggestion_url: str = ""

    @property
    def examples(self):
        return [{"text": text, "language": language, "url": _url(q=text)} for text, language in EXAMPLES]


def _url(**params):
    return "?" + urlencode({name: value for name, value in params.items() if value})


def _tabs(query, counts, kind):
    tabs = [Tab("", _("All"), sum(counts.values()), _url(q=query.text), not kind)]
    for value in SearchKind.values:
        if counts.get(value):
            tabs.append(Tab(value, HEADINGS[value], counts[value], _url(q=query.text, kind=value), value == kind))
    return tabs


def kinds_in_order(best):
    """The kinds of `best` (best_of_each_kind's rows), the kind whose best result the query names
    best first: a country's, a person's, an organization's or a series' own name puts its kind
    before the others. A source's title is not the name of what it reports, so sources never lead;
    between equals, and when no name matches, the kinds keep their usual order (SearchKind)."""
    tiers = {kind: 0.0 for kind in SearchKind.values}
    for _pk, kind, _total, tier in best:
        if kind != SearchKind.SOURCE:
            tiers[kind] = max(tiers[kind], tier)
    order = sorted(SearchKind.values, key=lambda kind: -tiers[kind])  # stable: ties keep SearchKind's order
    return [kind for kind in order if any(row[1] == kind for row in best)]


def search(query, kind, language, page_number=None):
    """The results of `query` (a Query) for a page in `language`; `kind` narrows to one kind.

    Records that hold the query's keys; if none does, those that share its stems
    (PostgreSQL); if none does either, a near spelling to try. Its queries are planned for the
    words searched, each time (search.query.planned_for_each_query).
    """
    with planned_for_each_query():
        return _search(query, kind, language, page_number)


def _shown(pks):
    """{pk: entry} of the entries `pks`, with the columns a result shows."""
    alias = router.db_for_read(SearchEntry)
    return {row[0]: SearchEntry.from_db(alias, SHOWN_COLUMNS, row) for row in SHOWN(pks)}


def _search(query, kind, language, page_number):
    results = Results(query=query, kind=kind if kind in SearchKind.values else "")
    tags.add(INDEX_TAG)
    if not query:
        return results
    entries = SearchEntry.objects.all()
    words = query.words
    if results.kind:
        counts, by_stem = entries.kind_counts(query), False
        if not counts:
            counts, by_stem = entries.kind_counts(query, by_stem=True), True
        ranked = (
            entries.matching(query, by_stem).filter(kind=results.kind)
            .ranked(query, language).order_by(*entries.ordering(language))
        )
        paginator = Paginator(ranked, PAGE_SIZE)
        paginator.count = counts.get(results.kind, 0)  # known already: no COUNT query
        results.page_obj = paginator.get_page(page_number)
        hits = [Hit.of(entry, words, language) for entry in results.page_obj.object_list]
        if hits:
            results.groups = [Group(results.kind, HEADINGS[results.kind], paginator.count, hits)]
    else:
        best = entries.best_of_each_kind(query, language, GROUP_SIZE)
        if not best:
            best = entries.best_of_each_kind(query, language, GROUP_SIZE, by_stem=True)
        counts = {kind: total for _pk, kind, total, _tier in best}
        shown = _shown([pk for pk, _kind, _total, _tier in best]) if best else {}
        for value in kinds_in_order(best):
            # A row gone between the two queries (a rebuild committed meanwhile) is left out.
            hits = [
                Hit.of(shown[pk], words, language) for pk, kind, _total, _tier in best if kind == value and pk in shown
            ]
            if hits:
                more = _url(q=query.text, kind=value) if counts[value] > len(hits) else ""
                results.groups.append(Group(value, HEADINGS[value], counts[value], hits, more))
    results.tabs = _tabs(query, counts, results.kind)
    results.total = sum(counts.values())
    if not results.total:
        suggestion = SearchWord.objects.suggestion(query)
        if suggestion and entries.matching(Query.parse(suggestion)).exists():
            results.suggestion, results.suggestion_url = suggestion, _url(q=suggestion)
    return results
