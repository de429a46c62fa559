"""Folding Arabic spelling variants, so a search finds a name however it was typed.

Reports and editors spell the same name several ways: with or without hamza on the
alef (أ إ آ ٱ or plain ا), with ة or ه at the end, with ى or ي, with or without
short vowels and tatweel, or with Persian-keyboard ی and ک. `normalise` maps all of
them to one form; compare normalised strings, never raw ones. Latin text is
case-folded, so "Al-Ayeb" and "al-ayeb" meet too.

The admin search uses `normalise`; the public search (the search app) uses
`search_key` below, which builds on it and also folds Latin transliterations.
"""

import re
import unicodedata
from functools import lru_cache

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


# --- Search keys: one form for every spelling, Arabic or Latin ---------------------------
#
# `search_key` goes further than `normalise`, for the public search (the search app):
# it is applied alike to the indexed text and to the query, so that any two spellings a
# reader may meet fold to the same key.
#
# - Arabic: `normalise`'s letters, and hamza on waw and yeh too (ؤ → و, ئ → ي: العائب and
#   العايب meet); Arabic-Indic digits become 0-9; the article ال at the start of a word is
#   dropped, also after و ب ف ك (والمخابرات, بالمغرب), when a stem of three letters or
#   more remains (two after a bare ال); «عبد ال…» is written as one word, as in عبدالسلام.
# - Latin: accents fold (é → e); hyphens, apostrophes, the signs for ʿayn and hamza and
#   dots vanish inside a word (al-Ayeb → alayeb, Al-A'eb → alaeb); a lone «al» or «el»
#   joins the next word (Al Jazeera → aljazeera); then the usual transliteration variants
#   fold: doubled letters (Hammouchi → hamouchi), ou → u (Zoubi → zubi), ch → sh
#   (Marrakech → marakesh), dj → j, and a final «ah»/«eh» loses its h (Dbeibah → dbeiba).
# - Everything else that is not a letter or a digit is a space.
#
# Matching is by substring of keys (every query word must occur in the record's key), so
# «Ayeb» finds «alayeb» and «عبد السلام» finds «عبدالسلام».

_HAMZA_CARRIERS = str.maketrans({"\u0624": "\u0648", "\u0626": "\u064a"})  # ؤ → و, ئ → ي
# The combining marks NFKD splits off Latin letters (and off the rarer Arabic letters with hamza).
_COMBINING = re.compile("[\u0300-\u036f\u0653-\u0655\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Deleted, not turned into a space: they join the parts of one transliterated name.
_JOINERS = re.compile("[-\u2010\u2011'`\u00b4\u2018\u2019\u02bb\u02bc\u02be\u02bf.]")
_NOT_WORD = re.compile(r"[\W_]+")
_LATIN = re.compile(r"[a-z]")
_DOUBLED = re.compile(r"([a-z])\1+")
_LATIN_FOLDS = (("ou", "u"), ("ch", "sh"), ("dj", "j"))
# The article and the one-letter words written joined to it, longest first.
_ARTICLES = (("وال", 3), ("بال", 3), ("فال", 3), ("كال", 3), ("ال", 2))
_ARTICLE_KEPT = {"الله"}
_ABD = "عبد"


def _fold_accents(text):
    """é → e, ç → c, and ؤ → و, ئ → ي."""
    text = text.translate(_HAMZA_CARRIERS)
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=200_000)
def _word_key(word):
    """One word's key (cached: the same words recur in every record)."""
    if _LATIN.match(word):
        word = _DOUBLED.sub(r"\1", word)
        for variant, folded in _LATIN_FOLDS:
            word = word.replace(variant, folded)
        if len(word) > 3 and word.endswith(("ah", "eh")):
            word = word[:-1]
        return word
    if word in _ARTICLE_KEPT:
        return word
    for prefix, shortest_stem in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= shortest_stem:
            return word[len(prefix):]
    return word


def search_words(text):
    """The words of `text` as search keys: see the notes above."""
    text = _fold_accents(normalise(text)).translate(_DIGITS)
    words = _NOT_WORD.sub(" ", _JOINERS.sub("", text)).split()
    keys = []
    joined = False
    for index, word in enumerate(words):
        if joined:  # this word went into the one before it
            joined = False
            continue
        if word == _ABD or word in ("al", "el"):
            following = words[index + 1] if index + 1 < len(words) else ""
            if word == _ABD and following.startswith("ال"):
                keys.append(word + following)  # عبد السلام → عبدالسلام
                joined = True
                continue
            if word != _ABD and _LATIN.match(following):
                word, joined = word + following, True  # Al Jazeera → aljazeera
        keys.append(_word_key(word))
    return keys


def search_key(text):
    """`text` as one search key: its words' keys, separated by single spaces; '' for None."""
    return " ".join(search_words(text))


def _stem_query_word(word):
    """Reduce a query word so that it also finds its other forms as a substring.

    English plurals (services → service, countries → countr), and the لل of «للمخابرات»,
    which the index keeps (للجنة is لجنة with its article and a preposition).
    """
    if _LATIN.match(word):
        if len(word) > 5 and word.endswith("ies"):
            return word[:-3]
        if len(word) > 3 and word.endswith("s"):
            return word[:-1]
        return word
    if word.startswith("لل") and len(word) >= 5:
        return word[2:]
    return word


def query_keys(query):
    """The keys of a search box query: one per word, or per "quoted phrase", without repeats.

    Each word is stemmed as `_stem_query_word` says; in a phrase, only its last word is.
    """
    keys = []
    for bit in smart_split(query or ""):
        if bit[:1] in "\"'" and bit[-1:] == bit[:1] and len(bit) > 1:
            words = search_words(unescape_string_literal(bit))
            if words:
                words[-1] = _stem_query_word(words[-1])
                phrases = [" ".join(words)]
            else:
                phrases = []
        else:
            phrases = [_stem_query_word(word) for word in search_words(bit)]
        for phrase in phrases:
            if phrase and phrase not in keys:
                keys.append(phrase)
    return keys
