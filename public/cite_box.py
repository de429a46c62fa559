"""“Cite this page” on a conference page: the short link, the title, the dates, and citations.

Both citations are on both language pages: the Arabic one is written with the Arabic title and
month names, the English one with the English ones. The BibTeX entry follows the page's language.
All of it is plain text, shown in <pre> so it copies without JavaScript.

The access date is today's date when the page is rendered, in the site's time zone (TIME_ZONE,
UTC). A page served from a cache can show a date a few minutes stale around midnight.
"""

import re
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext

from core.dates import format_partial_date

from .structured_data import SITE_NAME

# Quotation marks around a title, tried in order: the first pair the title does not use itself,
# so «مؤتمر … «سيسا 20»» never happens.
QUOTES = {
    "ar": [("«", "»"), ('"', '"')],
    "en": [("“", "”"), ("‘", "’"), ('"', '"')],
}
# A left-to-right address inside right-to-left text is isolated (LRI … PDI), so its slashes and
# the punctuation after it stay where they belong, on screen and once pasted elsewhere.
LEFT_TO_RIGHT_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2066", "\u2069"

BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
BIBTEX_LANGUAGES = {"ar": "arabic", "en": "english"}
BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@dataclass
class CiteBox:
    url: str
    title: str
    updated: object  # a date
    accessed: object  # a date
    arabic: str
    english: str
    bibtex: str


def quoted(title, language):
    opening, closing = next(
        ((opening, closing) for opening, closing in QUOTES[language] if opening not in title and closing not in title),
        QUOTES[language][-1],
    )
    return f"{opening}{title}{closing}"


def citation(language, title, url, updated, accessed):
    """A ready-to-copy citation in `language`, with the title in that language."""
    with translation.override(language):
        if translation.get_language_bidi():
            url = f"{LEFT_TO_RIGHT_ISOLATE}{url}{POP_DIRECTIONAL_ISOLATE}"
        return gettext("%(title)s. %(site)s. Last updated %(updated)s. %(url)s (accessed %(accessed)s).") % {
            "title": quoted(title, language),
            "site": SITE_NAME,
            "updated": format_partial_date(updated),
            "url": url,
            "accessed": format_partial_date(accessed),
        }


def bibtex_escape(text):
    return BIBTEX_SPECIAL.sub(lambda match: BIBTEX_ESCAPES[match.group()], text)


def bibtex(key, language, title, url, updated, accessed):
    """A BibTeX @misc entry: year and month of the last update, the access date in `note` and `urldate`."""
    with translation.override(language):
        site = str(SITE_NAME)
        note = gettext("Accessed %(date)s") % {"date": format_partial_date(accessed)}
    fields = [
        # Double braces keep the title's and the site's capitals as they are.
        ("title", "{" + bibtex_escape(title) + "}"),
        ("author", "{" + bibtex_escape(site) + "}"),
        ("howpublished", r"\url{" + url + "}"),
        ("year", str(updated.year)),
        ("note", bibtex_escape(note)),
        ("urldate", accessed.isoformat()),
        ("language", BIBTEX_LANGUAGES.get(language, language)),
    ]
    lines = [f"@misc{{{key},"]
    for name, value in fields:
        lines.append(f"  {name} = {{{value}}},")
        if name == "year":
            lines.append(f"  month = {BIBTEX_MONTHS[updated.month - 1]},")  # a BibTeX month macro, unbraced
    lines.append("}")
    return "\n".join(lines)


def cite_box(request, conference, today=None):
    """Everything the cite box of a conference page shows, for the page's language."""
    url = request.build_absolute_uri(conference.get_short_url())
    updated = timezone.localdate(conference.updated_at)
    accessed = today or timezone.localdate()
    language = translation.get_language()
    titles = {code: getattr(conference, f"name_{code}") or conference.name for code in ("ar", "en")}
    return CiteBox(
        url=url,
        title=conference.name,
        updated=updated,
        accessed=accessed,
        arabic=citation("ar", titles["ar"], url, updated, accessed),
        english=citation("en", titles["en"], url, updated, accessed),
        bibtex=bibtex(conference.slug, language, conference.name, url, updated, accessed),
    )
