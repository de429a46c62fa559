"""Folding Arabic spelling variants, so a search finds a name however it was typed.

Reports and editors spell the same name several ways: with or without hamza on the
alef (أ إ آ ٱ or plain ا), with ة or ه at the end, with ى or ي, with or without
short vowels and tatweel, or with Persian-keyboard ی and ک. `normalise` maps all of
them to one form; compare normalised strings, never raw ones. Latin text is
case-folded, so "Al-Ayeb" and "al-ayeb" meet too.

The admin search uses this today; the public search will reuse it.
"""

import re
import unicodedata

from django.utils.text import smart_split, unescape_string_literal

# Harakat, tanwin, shadda, sukun, dagger alef, Quranic annotation marks, and tatweel (ـ).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ alef with hamza above -> ا
        "\u0625": "\u0627",  # إ alef with hamza below -> ا
        "\u0622": "\u0627",  # آ alef with madda -> ا
        "\u0671": "\u0627",  # ٱ alef wasla -> ا
        "\u0629": "\u0647",  # ة ta marbuta -> ه
        "\u0649": "\u064a",  # ى alef maqsura -> ي
        "\u06cc": "\u064a",  # ی Persian yeh -> ي
        "\u06a9": "\u0643",  # ک Persian kaf -> ك
    }
)
_SPACES = re.compile(r"\s+")


def normalise(text):
    """One spelling for all the variants of `text`; '' for None."""
    if not text:
        return ""
    # NFKC first: it turns presentation forms (ﻷ, ﺍ) pasted from PDFs into plain letters.
    text = unicodedata.normalize("NFKC", str(text))
    text = _MARKS.sub("", text)
    text = text.translate(_LETTERS).casefold()
    return _SPACES.sub(" ", text).strip()


def search_terms(query):
    """The normalised words of a search box query; "quoted phrases" stay whole, like the admin's."""
    terms = []
    for bit in smart_split(query or ""):
        if bit[:1] in "\"'" and bit[-1:] == bit[:1]:
            bit = unescape_string_literal(bit)
        term = normalise(bit)
        if term:
            terms.append(term)
    return terms


def matches(terms, texts):
    """True when every term occurs in at least one of the texts (all already normalised)."""
    return all(any(term in text for text in texts) for term in terms)
