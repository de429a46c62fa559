"""The rules of translated fields, written once and derived from the translation options.

A model's `translation.py` registers its translated fields with `core.bilingual.register` and
says which of them are required, in both languages, with `required = (...)`. From that one
declaration:

- modeltranslation makes those inputs required in the admin (`required_languages`);
- `bilingual_errors()` (called by TrackedModel.clean) refuses an empty one, and an Arabic text
  with no Arabic script in it, with the message on the editor's field;
- the database refuses an empty one: a CheckConstraint per field and language is added to the
  model when it is registered, so the migrations carry them too.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, TranslationOptions, translator

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")
LANGUAGES = [code for code, _name in settings.LANGUAGES]

REQUIRED_IN = {
    "ar": _("The Arabic text is required."),
    "en": _("The English text is required."),
}
NOT_ARABIC = _("The Arabic text must be written in Arabic script.")


def has_arabic(text):
    return bool(text and ARABIC_LETTER.search(text))


class BilingualOptions(TranslationOptions):
    """Translation options whose `required` fields are required in every language."""

    required = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.required_languages = {language: tuple(cls.required) for language in LANGUAGES}


def register(model):
    """Like modeltranslation's @register, for BilingualOptions: also adds the database's guards."""

    def wrapper(options):
        translator.register(model, options)
        model._meta.constraints.extend(required_constraints(model, options.required))
        # Migrations read the constraints of a model whose Meta names some (ModelState.from_model).
        model._meta.original_attrs["constraints"] = model._meta.constraints
        return options

    return wrapper


def required_constraints(model, fields):
    return [
        models.CheckConstraint(
            condition=~models.Q(**{f"{name}_{language}": ""}) & models.Q(**{f"{name}_{language}__isnull": False}),
            name=f"{model._meta.model_name}_{name}_{language}_required",
            violation_error_message=_("Both the Arabic and the English text are required."),
        )
        for name in fields
        for language in LANGUAGES
    ]


def translated_fields(model):
    """The translated fields of a model, and those of them required in every language."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return (), ()
    return tuple(options.fields), tuple(getattr(options, "required", ()))


def bilingual_errors(instance):
    """{field: message} for the translated fields of `instance` that break the rules above."""
    fields, required = translated_fields(type(instance))
    errors = {}
    for name in fields:
        for language in LANGUAGES:
            value = (getattr(instance, f"{name}_{language}", "") or "").strip()
            if not value and name in required:
                errors[f"{name}_{language}"] = REQUIRED_IN[language]
            elif value and language == "ar" and not has_arabic(value):
                errors[f"{name}_{language}"] = NOT_ARABIC
    return errors
