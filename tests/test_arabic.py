"""The Arabic normaliser: every common spelling of a name folds to the same form."""

import pytest

from core.arabic import matches, normalise, search_terms


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أحمد", "احمد"),  # hamza above
        ("إبراهيم", "ابراهيم"),  # hamza below
        ("آمن", "امن"),  # madda
        ("ٱلأمن", "الامن"),  # alef wasla
        ("الاستخبارات العامة", "الاستخبارات العامه"),  # ta marbuta
        ("موسى", "موسي"),  # alef maqsura
        ("مُؤْتَمَر", "مؤتمر"),  # short vowels and sukun
        ("الأمـــن", "الامن"),  # tatweel
        ("علی", "علي"),  # Persian yeh
        ("کبیر", "كبير"),  # Persian kaf and yeh
        ("ﻷمن", "لامن"),  # lam-alef presentation form, as pasted from a PDF
    ],
)
def test_spelling_variants_fold_to_one_form(variant, plain):
    assert normalise(variant) == normalise(plain)
    assert normalise(variant) == plain


def test_letters_that_differ_stay_different():
    assert normalise("ؤ") == "ؤ"
    assert normalise("ئ") == "ئ"
    assert normalise("بنغازي") != normalise("بنغازة")
    assert normalise("ك") != normalise("ق")


def test_latin_is_case_folded_and_spaces_collapsed():
    assert normalise("  Al-Ayeb   CISSA ") == "al-ayeb cissa"
    assert normalise("Straße") == normalise("STRASSE")


def test_empty_values():
    assert normalise(None) == ""
    assert normalise("") == ""
    assert normalise("ـَ") == ""


def test_normalising_twice_changes_nothing():
    text = "المُؤتمرُ العشرون لِلَجنة أجهزة الأمن والاستخبارات في إفريقيا (سيسا) — Benghazi"
    assert normalise(normalise(text)) == normalise(text)


def test_search_terms_split_words_and_keep_quoted_phrases():
    assert search_terms('الإستخبارات "لجنة أجهزة"') == ["الاستخبارات", "لجنه اجهزه"]
    assert search_terms("   ") == []
    assert search_terms(None) == []


def test_matches_needs_every_term_somewhere():
    texts = [normalise("لجنة أجهزة الأمن والاستخبارات في أفريقيا"), normalise("CISSA")]
    assert matches(search_terms("الامن cissa"), texts)
    assert matches(search_terms("إفريقيا"), texts)  # hamza below, where the text has hamza above
    assert matches(search_terms("أفريقيا الأمن"), texts)
    assert not matches(search_terms("الأمن ليبيا"), texts)
