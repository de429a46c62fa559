"""Queries across the apps that the public pages share."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

# How many countries, organizations and topics the home page offers as ways in.
WAYS_IN_COUNT = 12


def related_count(model, related_name, **filters):
    """An annotation counting the rows of a reverse relation, as a correlated subquery.

    Several of these on one queryset stay cheap, where Count() over several joins would
    multiply the rows; the foreign key's index answers each count.
    """
    relation = model._meta.get_field(related_name)
    rows = relation.related_model._default_manager.filter(**{relation.field.name: OuterRef("pk")}, **filters)
    counted = rows.order_by().values(relation.field.name).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted), 0)


def busiest(queryset, related_name, limit=WAYS_IN_COUNT):
    """The `limit` records of `queryset` with the most conferences through `related_name`, as
    `conference_count`, counted on the link's index (related_count); those with none are left out."""
    return (
        queryset.annotate(conference_count=related_count(queryset.model, related_name))
        .filter(conference_count__gt=0)
        .order_by("-conference_count", "name")[:limit]
    )
