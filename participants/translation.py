from core.bilingual import BilingualOptions, register

from .models import Country, Person, PersonAlias


@register(Country)
class CountryTranslationOptions(BilingualOptions):
    fields = ("name",)
    required = ("name",)


@register(Person)
class PersonTranslationOptions(BilingualOptions):
    fields = ("name", "rank", "description")
    required = ("name",)


@register(PersonAlias)
class PersonAliasTranslationOptions(BilingualOptions):
    fields = ("note",)
