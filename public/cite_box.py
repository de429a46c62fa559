"""“Cite this page” on a conference page: the short link, the title, the dates, and citations.

Both citations are on both language pages: the Arabic one is written with the Arabic title and
month names and links the Arabic page (/c/12/ar/), the English one the English ones (/c/12/en/).
The BibTeX entry, the RIS and CSL-JSON downloads and the page's citation_* meta tags follow the
page's language. The citations are plain text, shown in <pre> so they copy without JavaScript.

The BibTeX key and the CSL-JSON id name the record by its id, so they outlive a change of slug.

The access date is today's date when the page is rendered, in the site's time zone (TIME_ZONE,
UTC). A page served from a cache can show a date a few minutes stale around midnight.

The box sits under the page's title: a <details> disclosure, which opens and closes without
JavaScript. Inside: the short link in the page's language, the title, the last update and today's
date, a citation in Arabic and one in English (each in its own direction, on both language pages),
a BibTeX entry, and RIS and CSL-JSON downloads. Plain text in <pre>, so it can be selected and
copied without JavaScript; static/js/cite.js adds copy buttons where it runs. `CiteBox.html()`
draws it, in Python: its texts are translated once each.
"""

import json
import re
from dataclasses import dataclass
from html import escape

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.dates import format_partial_date

from .addresses import absolute_url
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
    url: str  # the short link in the page's language
    title: str
    site: str
    language: str
    updated: object  # a date
    accessed: object  # a date
    arabic: str
    english: str
    bibtex: str
    ris_url: str
    csl_url: str

    def html(self):
        """The box's markup. Translated texts are trusted, as a template trusts them; every value is
        escaped."""
        updated, accessed = self.updated, self.accessed
        # Translated outside the f-strings, where makemessages finds them.
        text = {
            "copy": gettext("Copy"),
            "copied": gettext("Copied"),
            "failed": gettext("Select the text and copy it"),
            "heading": gettext("Cite / permanent link"),
            "link": gettext("Permanent link"),
            "title": gettext("Title"),
            "updated": gettext("Last updated"),
            "accessed": gettext("Accessed"),
            "arabic": gettext("Citation in Arabic"),
            "english": gettext("Citation in English"),
            "managers": gettext("For a reference manager"),
            "ris": gettext("RIS (EndNote, Zotero, Mendeley)"),
            "csl": gettext("CSL-JSON (Zotero, Pandoc)"),
        }
        return SafeString(
            f'<details class="cite-box" data-copy-label="{text["copy"]}" data-copied-label="{text["copied"]}" '
            f'data-failed-label="{text["failed"]}">\n'
            f'  <summary><h2 id="cite-heading">{text["heading"]}</h2></summary>\n'
            '  <dl class="cite-facts">\n'
            f'    <dt>{text["link"]}</dt>\n'
            f'    <dd><a href="{escape(self.url)}" dir="ltr">{escape(self.url)}</a></dd>\n'
            f'    <dt>{text["title"]}</dt>\n'
            f"    <dd>{escape(self.title)}</dd>\n"
            f'    <dt>{text["updated"]}</dt>\n'
            f'    <dd><time datetime="{updated.isoformat()}">{escape(format_partial_date(updated))}</time></dd>\n'
            f'    <dt>{text["accessed"]}</dt>\n'
            f'    <dd><time datetime="{accessed.isoformat()}">{escape(format_partial_date(accessed))}</time></dd>\n'
            "  </dl>\n"
            f'  <h3 id="cite-arabic">{text["arabic"]}</h3>\n'
            f'  <pre class="citation copyable" dir="rtl" lang="ar">{escape(self.arabic)}</pre>\n'
            f'  <h3 id="cite-english">{text["english"]}</h3>\n'
            f'  <pre class="citation copyable" dir="ltr" lang="en">{escape(self.english)}</pre>\n'
            '  <h3 id="cite-bibtex">BibTeX</h3>\n'
            f'  <pre class="citation bibtex copyable" dir="ltr"><code>{escape(self.bibtex)}</code></pre>\n'
            f'  <h3 id="cite-downloads">{text["managers"]}</h3>\n'
            '  <ul class="inline-list cite-downloads" aria-labelledby="cite-downloads">\n'
            f'    <li><a href="{escape(self.ris_url)}" download type="application/x-research-info-systems">'
            f'{text["ris"]}</a></li>\n'
            f'    <li><a href="{escape(self.csl_url)}" download type="application/vnd.citationstyles.csl+json">'
            f'{text["csl"]}</a></li>\n'
            "  </ul>\n"
            "</details>\n"
        )


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


def citation_key(conference, language):
    """The record's id, not its slug: "secconf-africa-c12-en" is the same key after a rename."""
    return f"secconf-africa-c{conference.pk}-{language}"


def bibtex(key, language, title, url, updated, accessed):
    """A BibTeX @misc entry: year and month of the last update, the address in `url`, the access
    date in `urldate` (biblatex, natbib) and in `note` (for styles that know neither)."""
    with translation.override(language):
        site = str(SITE_NAME)
        note = gettext("Accessed %(date)s") % {"date": format_partial_date(accessed)}
    fields = [
        # Double braces keep the title's and the site's capitals as they are.
        ("title", "{" + bibtex_escape(title) + "}"),
        ("author", "{" + bibtex_escape(site) + "}"),
        ("url", url),
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


@dataclass
class Reference:
    """What a reference manager keeps of the page in one language."""

    key: str
    language: str
    title: str
    url: str
    updated: object  # a date
    accessed: object  # a date


def reference(request, conference, language, today=None):
    with translation.override(language):
        title = conference.name
    return Reference(
        key=citation_key(conference, language),
        language=language,
        title=title,
        url=absolute_url(request, conference.get_short_url(language)),
        updated=timezone.localdate(conference.updated_at),
        accessed=today or timezone.localdate(),
    )


def ris(ref):
    """An RIS record (type ELEC, a web page): one `TAG  - value` line each, CRLF as the format says."""
    with translation.override(ref.language):
        site = str(SITE_NAME)
    lines = [
        ("TY", "ELEC"),
        ("ID", ref.key),
        ("TI", " ".join(ref.title.split())),
        ("AU", site),
        ("T2", site),
        ("PY", f"{ref.updated.year:04d}"),
        ("DA", ref.updated.strftime("%Y/%m/%d")),
        ("Y2", ref.accessed.strftime("%Y/%m/%d")),
        ("UR", ref.url),
        ("LA", ref.language),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(ref):
    """The page as CSL-JSON: a list of one item of type "webpage"."""
    with translation.override(ref.language):
        site = str(SITE_NAME)
    item = {
        "id": ref.key,
        "type": "webpage",
        "title": ref.title,
        "author": [{"literal": site}],
        "container-title": site,
        "URL": ref.url,
        "issued": {"date-parts": [[ref.updated.year, ref.updated.month, ref.updated.day]]},
        "accessed": {"date-parts": [[ref.accessed.year, ref.accessed.month, ref.accessed.day]]},
        "language": ref.language,
    }
    return json.dumps([item], ensure_ascii=False, indent=2)


def cite_box(request, conference, today=None):
    """Everything the cite box of a conference page shows, for the page's language."""
    language = translation.get_language()
    refs = {code: reference(request, conference, code, today) for code in ("ar", "en")}
    page = refs[language]
    return CiteBox(
        url=page.url,
        title=conference.name,
        site=str(SITE_NAME),
        language=language,
        updated=page.updated,
        accessed=page.accessed,
        arabic=citation("ar", refs["ar"].title, refs["ar"].url, page.updated, page.accessed),
        english=citation("en", refs["en"].title, refs["en"].url, page.updated, page.accessed),
        bibtex=bibtex(page.key, language, page.title, page.url, page.updated, page.accessed),
        ris_url=reverse("conferences:ris", kwargs={"slug": conference.slug}),
        csl_url=reverse("conferences:csl", kwargs={"slug": conference.slug}),
    )
