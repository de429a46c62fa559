import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Organization, OrganizationAlias, Position


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"ar": ("name",), "en": ("name",)}


@register(Position)
class PositionTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("ar", "en")


@register(OrganizationAlias)
class OrganizationAliasTranslationOptions(TranslationOptions):
    fields = ("note",)


# History is registered after translation, so the history tables hold both languages.
for model in (Organization, OrganizationAlias, Position):
    simple_history.register(model, app="organizations")
