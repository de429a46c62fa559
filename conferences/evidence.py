"""Whether an excerpt quotes its report word for word.

An excerpt is verbatim when, whitespace aside (runs of spaces, no-break spaces and line breaks
count as one space), it is a piece of the report's text. An editor may mark a change in square
brackets: «[…]» where words are left out, «[sic]» after a word kept as the report misspells it,
«[the conference]» for words added. Each stretch between two marks must then be a piece of the
report, in the order the report has them.
"""

import re
from dataclasses import dataclass
from pathlib import Path

_SPACES = re.compile(r"\s+")
_EDITORIAL_MARK = re.compile(r"\[[^\]]*\]")


def folded(text):
    return _SPACES.sub(" ", text or "").strip()


def is_verbatim(excerpt, report_text):
    """True when `excerpt` quotes `report_text` word for word, editorial marks aside."""
    text = folded(report_text)
    start = 0
    pieces = [folded(piece) for piece in _EDITORIAL_MARK.split(excerpt or "")]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return False
    for piece in pieces:
        found = text.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


@dataclass
class Problem:
    citation: str
    source: str
    excerpt: str
    reason: str

    def __str__(self):
        return f"{self.citation} ({self.source}): {self.reason}: «{self.excerpt}»"


def check_citations(citations, reports_dir):
    """The problems of the citations that quote a report of `reports_dir` in its own language.

    `citations` carry their source (`source.seed_file` names the report's file). A report whose
    file is missing is a problem too: nothing can be checked against it.
    """
    reports_dir = Path(reports_dir)
    texts, problems = {}, []
    for citation in citations:
        name = citation.source.seed_file
        if not name:
            continue
        if name not in texts:
            path = reports_dir / name
            texts[name] = path.read_text(encoding="utf-8") if path.is_file() else None
        if texts[name] is None:
            problems.append(Problem(citation.key, name, "", f"no file {name} in {reports_dir}"))
            continue
        excerpt = citation.quotation
        if not is_verbatim(excerpt, texts[name]):
            problems.append(Problem(citation.key, name, excerpt, "not word for word in the report"))
    return problems
