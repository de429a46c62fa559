from core.bilingual import BilingualOptions, register

from .models import Organization, OrganizationAlias, Position


@register(Organization)
class OrganizationTranslationOptions(BilingualOptions):
    fields = ("name", "description")
    required = ("name",)


@register(Position)
class PositionTranslationOptions(BilingualOptions):
    fields = ("title",)
    required = ("title",)


@register(OrganizationAlias)
class OrganizationAliasTranslationOptions(BilingualOptions):
    fields = ("note",)
