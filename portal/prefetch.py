"""Prefetching one reverse relation for records of several kinds in a single query."""

from django.db.models import Q


def attach_prefetched(queryset, relation, targets):
    """Load `queryset` once and attach its rows to their records as if prefetched.

    `targets` maps the name of a foreign key on the queryset's model to the records it may
    point at, by primary key: {"participation": {pk: participation, …}, …}. Each row goes
    to the record its (first non-empty) key points at; afterwards `record.<relation>.all()`
    runs no query, and `row.<key>` is the record itself, so the way back is free too.
    """
    condition = Q(pk__in=[])
    for field, records in targets.items():
        if records:
            condition |= Q(**{f"{field}_id__in": list(records)})
    buckets = {(field, pk): [] for field, records in targets.items() for pk in records}
    if buckets:
        for row in queryset.filter(condition):
            for field, records in targets.items():
                pk = getattr(row, f"{field}_id")
                if pk in records:
                    setattr(row, field, records[pk])
                    buckets[(field, pk)].append(row)
                    break
    empty = queryset.none()
    for (field, pk), rows in buckets.items():
        record = targets[field][pk]
        # What Django's own prefetching stores: a queryset whose results are already known.
        # (A clone of one queryset: building each record's related manager would cost more.)
        cached = empty._chain()
        cached._result_cache = rows
        cached._prefetch_done = True
        if not hasattr(record, "_prefetched_objects_cache"):
            record._prefetched_objects_cache = {}
        record._prefetched_objects_cache[relation] = cached
