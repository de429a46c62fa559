"""The evidence on a page: citations sorted by what they do, and numbered where they are shown.

- `Evidence`: the citations behind one fact, as the page shows them: plain references, attributed
  opinions, and disputes.
- `References`: the page's numbered list. Numbers are given as the template shows the facts
  (the `cite` tag, public.templatetags.evidence), so they always follow the page's order; the
  list at the end of the page is then complete.
- `shared()`: whether a group of rows (one report's list of countries) says the same thing for
  every row, so the page says it once, for the group.
"""

from conferences.models import Stance


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


def says(row):
    """What a row says: its note, and what its citations say."""
    return row.note, tuple(sorted(citation.identity for citation in row.cited))


def shared(rows):
    """{"shared": the first row} when every row of a group says the same thing, and has citations;
    else {}. The page then shows the note and the references once, for the group."""
    if len(rows) > 1 and rows[0].cited and len({says(row) for row in rows}) == 1:
        return {"shared": rows[0]}
    return {}
