"""The evidence on a page: citations sorted by what they do, and numbered where they are shown.

- `Evidence`: the citations behind one fact, as the page shows them: plain references, attributed
  opinions, and disputes.
- `References`: the page's numbered list. Numbers are given as the template shows the facts
  (the `cite` tag, public.templatetags.evidence), so they always follow the page's order; the
  list at the end of the page is then complete.
- `shared()`: whether a group of rows (one report's list of countries) says the same thing for
  every row, so the page says it once, for the group.
- `Marks`: the reference marks of a page drawn in Python, their labels translated once; and
  `draw_references()`, the list they lead to (templates/includes/references.html).
"""

from html import escape

from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext

from conferences.models import Stance
from core.dates import format_partial_date, iso_partial_date

from .templatetags.site_tags import isolate_runs


class Evidence:
    """The citations behind one fact, sorted the way the page shows them.

    - `supports`: sources that state the fact; they become plain references [1] [2].
    - `opinions`: citations with `attributed_to` set; shown as attributed, never as fact.
    - `disputes`: sources that contradict the fact; each shows its own version (`claim`).
    """

    def __init__(self, citations):
        self.citations = list(citations)
        self.supports = [c for c in self.citations if c.stance != Stance.CONTRADICTS and not c.attributed_to]
        self.opinions = [c for c in self.citations if c.stance != Stance.CONTRADICTS and c.attributed_to]
        self.disputes = [c for c in self.citations if c.stance == Stance.CONTRADICTS]

    def __bool__(self):
        return bool(self.citations)

    @property
    def in_order(self):
        """Plain support, then opinions, then disputes: the order the page shows them in."""
        return self.supports + self.opinions + self.disputes


class References:
    """The numbered references of one page, [1], [2] … in the order the page cites them.

    Citations that say the same thing (the same source, words, stance and note: one report's
    list backing each of its countries) share one number, and the list shows them once. Only
    the first to be cited carries the `anchor` the list links back to.
    """

    def __init__(self):
        self.citations = []
        self._numbers = {}

    def cite(self, citations):
        """The Evidence of `citations`, each numbered."""
        evidence = Evidence(citations)
        for citation in evidence.in_order:
            if getattr(citation, "ref_number", None) is not None:
                continue
            number = self._numbers.get(citation.identity)
            if number is None:
                self.citations.append(citation)
                number = self._numbers[citation.identity] = len(self.citations)
                citation.anchor = f"cite-{number}"
            citation.ref_number = number
        return evidence

    def __bool__(self):
        return bool(self.citations)

    def __iter__(self):
        return iter(self.citations)

    def as_html(self):
        """The list the numbers lead to (`draw_references`)."""
        return draw_references(self)


def says(row):
    """What a row says: its note, and what its citations say."""
    return row.note, tuple(sorted(citation.identity for citation in row.cited))


def shared(rows):
    """{"shared": the first row} when every row of a group says the same thing, and has citations;
    else {}. The page then shows the note and the references once, for the group."""
    if len(rows) > 1 and rows[0].cited and len({says(row) for row in rows}) == 1:
        return {"shared": rows[0]}
    return {}


class Marks:
    """The reference marks of one page, [1] [2], numbered by `references` in the order they are
    drawn: what the `evidence` template tag writes (public/templatetags/evidence.py), for a page
    that draws hundreds of rows in Python."""

    def __init__(self, references):
        self.references = references
        # "Reference 3": translated once, the number put in each time (digits need no escaping).
        self.label = escape(gettext("Reference %(number)s"))

    def __call__(self, citations):
        """The marks of `citations`; opinions and disputes, which say more, as the tag draws them."""
        if not citations:
            return SafeString()
        found = self.references.cite(citations)
        if found.opinions or found.disputes:
            return get_template("includes/evidence.html").render(
                {"evidence": found, "LANGUAGE_CODE": translation.get_language()}
            )
        label = self.label
        parts = []
        for citation in found.supports:
            number = citation.ref_number
            anchor = getattr(citation, "anchor", None)
            anchor = f' id="{escape(anchor)}"' if anchor else ""
            parts.append(
                f'<sup class="ref"><a href="#ref-{number}"{anchor} '
                f'aria-label="{label % {"number": number}}">[{number}]</a></sup>'
            )
        return SafeString("".join(parts))


def draw_references(references):
    """The numbered list at the end of a page: each reference's source (its title, outlet and date),
    what it backs, its words and our note. Translated texts are trusted, as in a template; every
    value is escaped."""
    if not references:
        return ""
    language = translation.get_language()
    comma = gettext(",")
    back = escape(gettext("Back to the text of reference %(number)s"))
    no_outlet = gettext("outlet not stated")
    no_date = gettext("date not stated in the source")
    contradicts = gettext("contradicts the record")
    attributed = gettext("an opinion attributed to <bdi>%(who)s</bdi>")
    our_translation = gettext("Our translation:")
    heading = gettext("References")
    facts = {}
    parts = [
        '<section class="references" aria-labelledby="references-heading">\n'
        f'  <h2 id="references-heading">{heading}</h2>\n'
        '  <ol class="reference-list">\n'
    ]
    for citation in references:
        number = citation.ref_number
        source = citation.source
        outlet = f"<bdi>{escape(source.outlet)}</bdi>" if source.outlet else no_outlet
        if source.published_on:
            precision = source.published_precision
            published = (
                f'<time datetime="{escape(iso_partial_date(source.published_on, precision))}">'
                f"{escape(format_partial_date(source.published_on, precision))}</time>"
            )
        else:
            published = no_date
        fact = facts.get(citation.fact)
        if fact is None:
            fact = facts[citation.fact] = escape(str(capfirst(citation.get_fact_display())))
        meta = fact
        if citation.stance == Stance.CONTRADICTS:
            meta += f" · {contradicts}"
        if citation.attributed_to:
            meta += " · " + attributed % {"who": escape(citation.attributed_to)}
        quote_language = citation.quote_language
        translated = ""
        if quote_language != language and citation.excerpt:
            translated = (
                f'<p class="excerpt-translation"><span class="label">{our_translation}</span> '
                f"{escape(citation.excerpt)}</p>\n"
            )
        note = f'<p class="meta">{isolate_runs(citation.note)}</p>' if citation.note else ""
        parts.append(
            f'    <li id="ref-{number}">\n'
            f'      <a class="ref-number" href="#cite-{number}" aria-label="{back % {"number": number}}">'
            f"[{number}]</a>\n"
            f'      <a href="{escape(source.get_absolute_url())}"><bdi>{escape(source.title)}</bdi></a>{comma} '
            f"{outlet}{comma} {published}.\n"
            f'      <span class="meta">{meta}</span>\n'
            f'      <blockquote class="excerpt" lang="{escape(quote_language)}" dir="{citation.quote_direction}">'
            f"<p>{escape(citation.quotation)}</p></blockquote>\n{translated}\n"
            f"      {note}\n"
            "    </li>\n"
        )
    parts.append("  </ol>\n</section>\n")
    return SafeString("".join(parts))
