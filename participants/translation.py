import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Country, Person, PersonAlias


@register(Country)
class CountryTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ar", "en")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "rank", "description")
    required_languages = {"ar": ("name",), "en": ("name",)}


@register(PersonAlias)
class PersonAliasTranslationOptions(TranslationOptions):
    fields = ("note",)


# History is registered after translation, so the history tables hold both languages.
for model in (Country, Person, PersonAlias):
    simple_history.register(model, app="participants")
