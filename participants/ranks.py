"""Military ranks and titles: one English rendering for each Arabic form, everywhere.

Libyan, Egyptian, Algerian and Moroccan armies use the Arab rank scale, and English-language
press renders it unevenly (the same «فريق أول» is "General" in one outlet and "Lieutenant
General" in another). The portal keeps one scale, so that two different Arabic ranks never
read as the same English one (docs/ranks.md gives the reasons and the outlets):

- «المشير» Field Marshal, «الفريق أول» General, «الفريق» Lieutenant General, «اللواء» Major
  General, «العميد» Brigadier General, «العقيد» Colonel;
- «ركن» after a rank marks a staff-qualified officer: "Staff" before the rank
  («الفريق أول ركن» Staff General), as English-language Arab press writes it;
- «الجنرال», a journalist's loan word rather than a rank, is "General";
- titles that are not ranks: «الملك» King, «السيد» Mr.

`english_rank()` gives the rendering of a person's rank; Person.clean() refuses another one,
and the test of the seed data checks the English excerpts against the same table.
"""

from core.arabic import normalise

# Arabic rank → English rank, most specific first: «الفريق أول» before «الفريق».
RANKS = (
    ("المشير", "Field Marshal"),
    ("الفريق أول", "General"),
    ("الفريق", "Lieutenant General"),
    ("اللواء", "Major General"),
    ("العميد", "Brigadier General"),
    ("العقيد", "Colonel"),
    ("الجنرال", "General"),
)
TITLES = (
    ("الملك", "King"),
    ("السيد", "Mr"),
)
STAFF = "ركن"
STAFF_ENGLISH = "Staff"


def english_rank(arabic):
    """The English rendering of an Arabic rank or title ('' for one the table does not know).

    >>> english_rank("الفريق أول ركن")
    'Staff General'
    """
    words = normalise(arabic).split()
    staff = bool(words) and words[-1] == normalise(STAFF)
    if staff:
        words = words[:-1]
    text = " ".join(words)
    for table in (RANKS, TITLES):
        for rank, english in table:
            if text == normalise(rank):
                if staff and table is RANKS:
                    return f"{STAFF_ENGLISH} {english}"
                return "" if staff else english
    return ""


def ranks_in(arabic_text):
    """The ranks an Arabic text names, as (Arabic form, English form), in the order they appear.

    For checking translations: each rank of an Arabic excerpt must be rendered by its English
    form in the English excerpt. A rank with «ركن» is matched whole, before the plain one.
    """
    found = []
    text = normalise(arabic_text)
    position = 0
    while position < len(text):
        match = None
        for rank, _english in RANKS:
            key = normalise(rank)
            for candidate in (f"{key} {normalise(STAFF)}", key):
                if text.startswith(candidate, position) and _word_ends(text, position + len(candidate)):
                    match = candidate
                    break
            if match:
                break
        if match and _word_starts(text, position):
            found.append((match, english_rank(match)))
            position += len(match)
        else:
            position += 1
    return found


def _word_starts(text, index):
    """At the start of a word, or after the conjunction «و» written joined to it (والمشير)."""
    if index == 0 or not text[index - 1].isalpha():
        return True
    return text[index - 1] == "و" and (index == 1 or not text[index - 2].isalpha())


def _word_ends(text, index):
    return index >= len(text) or not text[index].isalpha()
