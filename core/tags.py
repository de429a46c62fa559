"""Surrogate keys ("cache tags"): what an answer shows, so that an edit drops only the answers
that show the edited record.

- While an answer is made inside `collecting()`, every record loaded from the database adds its
  tag (`conference-12`, TrackedModel.from_db), and a view adds what it shows without loading it
  as records: `add(list_tag(Conference))` for a page that lists conferences, `add(*tags_of(...))`
  for rows read as values.
- The page about a record (its detail page in HTML or in the API, its preview image) carries
  `about_tag(record)` too (`about-country-7`): it lists what points to the record.
- A change to a record, once its transaction commits, sends `invalidated` with the tags of the
  answers it may change: the record's own; its kind's list tag (`conference-list`); and the about
  tags of the records it points to, before and after the change (a new participation changes the
  pages about its conference and its country, not every page that names them). Links of a
  many-to-many field drop both ends' tags. A bulk write (the seed loader) sends `ALL`, which
  every answer carries.
- Finer tags for what counts or sorts a whole kind (core.state.remember's summaries): a new or
  deleted record, or a link of a many-to-many field added or removed, sends its kind's rows tag
  (`conference-rows`); a save sends a field tag for each field it changed (`conference.start_date`),
  so that a summary that counts conferences by host country outlives an edit of their summaries.
- A part of a record that pages show without the rest (`part()`: a conference's card, its name,
  dates and place) has its own tag (`conference-12.card`), which a save sends only when it
  changes one of the part's fields (and a new or deleted record always). A page that shows only
  the part carries the part's tag instead of the record's: an edit of a conference's summary
  leaves the lists that show its card.
- A kind whose records the pages about what they point to show only as a part (`about_parents()`:
  a country's and a series' pages show a conference as its card) sends those pages' about tags
  only when a save changes one of the part's fields or what the record points to: an edit of a
  conference's summary leaves its host country's page. Such a record's own tag stays on the page
  about what it points to (prune() leaves it), for a page that shows more of it.
- Receivers (public.page_cache, and a cache in front of the portal through the `xkey` header)
  drop what carries any of the tags. In a shared cache, each tag has a token (`tokens()`), a
  random number that dropping the tag replaces: what is kept with the tokens of its tags is out
  of date once one of them differs.
"""

import contextlib
import contextvars
import functools
import secrets

from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal

from .changes import after_commit, bulk_written, in_bulk_write

# Carried by every answer: sent when everything may have changed.
ALL = "all"
# Sent after a commit, with `tags`: the set of tags whose answers are out of date.
invalidated = Signal()

_collected = contextvars.ContextVar("cache_tags", default=None)
# {model: part}: the records of these models loaded now are shown as that part only (shown_as()).
_shown_parts = contextvars.ContextVar("cache_tags_shown_parts", default=None)


def token_key(tag):
    return f"tag:{tag}"


def new_token():
    # A number, which Django's Redis backend keeps as it is rather than pickled: cheap to read back.
    return secrets.randbits(62)


def current_tokens(store, keys):
    """The tokens now in the cache `store` under `keys`, in order (None where missing)."""
    if hasattr(store, "get_numbers"):  # public.cache.RedisCache: one MGET, nothing unpickled
        return store.get_numbers(keys)
    found = store.get_many(keys)
    return [found.get(key) for key in keys]


def tokens(store, tags, also=()):
    """(keys, tokens) of `tags` now in the cache `store`, a token made for a tag that has none, and
    for each of the keys `also` (read alongside, not returned); None if the cache cannot keep
    them (unreachable).

    Read before the data they stand for: an edit that commits after that changes them."""
    keys = [token_key(tag) for tag in sorted(tags)]
    current = current_tokens(store, [*keys, *also])
    if None in current:
        for key, token in zip([*keys, *also], current, strict=True):
            if token is None:
                store.add(key, new_token(), None)
        current = current_tokens(store, keys)
        if None in current:
            return None
    return keys, current[: len(keys)]


def replacements(tags, also=()):
    """{key: new token} for the token keys of `tags` and the keys `also`: what dropping them writes."""
    return {**{key: new_token() for key in also}, **{token_key(tag): new_token() for tag in tags}}



def tag(model, pk):
    return f"{model._meta.concrete_model._meta.model_name}-{pk}"


def about_tag(record):
    """Carried by the page about `record`: dropped when a record that points to it changes."""
    return f"about-{tag(type(record), record.pk)}"


def list_tag(model):
    """Carried by answers that list records of `model`: dropped by any change to one of them."""
    return f"{model._meta.concrete_model._meta.model_name}-list"


def tags_of(model, pks):
    return {tag(model, pk) for pk in pks}


def rows_tag(model):
    """Dropped when a record of `model` is created or deleted (a link, for a many-to-many field's
    table): carried by what counts them or chooses among them."""
    return f"{model._meta.concrete_model._meta.model_name}-rows"


def field_tag(model, name):
    """Dropped when a save changes the field `name` of a record of `model` (in any language, for a
    translated field)."""
    return f"{model._meta.concrete_model._meta.model_name}.{name}"


_parts = {}


def part(model, name, fields):
    """Declares the part `name` of the records of `model`: `fields` (translated fields by their
    own name, foreign keys by the field's name), all that a page showing the part shows of a record."""
    _parts.setdefault(model._meta.concrete_model, {})[name] = frozenset(fields)


def parts(model):
    """{name: fields} of the parts declared for `model`."""
    return _parts.get(model._meta.concrete_model, {})


_parent_parts = {}


def about_parents(model, name):
    """Declares that the pages about what a record of `model` points to show it as its part `name`
    only: a save that changes none of the part's fields and none of what the record points to
    leaves them."""
    _parent_parts[model._meta.concrete_model] = name


def parents_show(model, changed):
    """Whether the pages about what a record of `model` points to show one of the fields `changed`
    (None: every field, for a new or deleted record)."""
    name = _parent_parts.get(model._meta.concrete_model)
    if name is None or changed is None:
        return True
    return not (parts(model)[name] | {field.name for field in _parent_fields(model)}).isdisjoint(changed)


def part_tag(model, pk, name):
    """Carried by a page that shows only the part `name` of a record: dropped when a save changes
    one of the part's fields."""
    return f"{tag(model, pk)}.{name}"


def part_tags(model, pks, name):
    return {part_tag(model, pk, name) for pk in pks}


def reads(model, *fields):
    """The tags of a summary that reads `fields` of every record of `model`, or, without fields,
    anything of them: it is out of date after a new or deleted record, and after a change to one
    of those fields (any change, without fields)."""
    if not fields:
        return {rows_tag(model), list_tag(model)}
    return {rows_tag(model), *(field_tag(model, name) for name in fields)}


class _Tags(set):
    """The tags of an answer being made, and what each loaded record points to."""

    def __init__(self):
        super().__init__({ALL})
        self.parents = {}

    def prune(self):
        """Leaves out the tag of a record shown on the page about a record it points to: a change
        to it drops that page's about tag anyway. Fewer tags, cheaper hits (a conference page's
        rows: its participations, attendances, citations). Not for a kind whose changes drop that
        page only for a part of it (about_parents())."""
        for record_tag, (model, ids) in self.parents.items():
            if model._meta.concrete_model not in _parent_parts and not _parent_tags(model, ids).isdisjoint(self):
                self.discard(record_tag)


@contextlib.contextmanager
def collecting():
    """Collects the tags of what is shown while the block runs; yields the set."""
    tags = _Tags()
    token = _collected.set(tags)
    try:
        yield tags
    finally:
        _collected.reset(token)
        tags.prune()


def add(*tags):
    """Adds tags to the answer being made, if one is collecting."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tags)


def loaded(instance):
    """A record was loaded from the database (TrackedModel.from_db)."""
    # What the record points to as loaded: a save that changes it drops those records' answers too.
    instance._loaded_parents = ids = _parent_ids(instance)
    model = type(instance)
    shown_part = (_shown_parts.get() or {}).get(model._meta.concrete_model)
    if shown_part is not None:
        add(part_tag(model, instance.pk, shown_part))
    else:
        shown(model, instance.pk, ids)


@contextlib.contextmanager
def shown_as(model, name):
    """While the block runs, the records of `model` loaded are shown as their part `name` only (the
    conferences of a person's page, as links with their dates): they add the part's tag, not their own."""
    token = _shown_parts.set({**(_shown_parts.get() or {}), model._meta.concrete_model: name})
    try:
        yield
    finally:
        _shown_parts.reset(token)


def shown(model, pk, parent_ids):
    """A record read as a plain row is shown: its tag, as loading it would add (loaded()).
    `parent_ids` are the values of `parent_columns(model)`, in that order."""
    collected = _collected.get()
    if collected is not None:
        record_tag = tag(model, pk)
        collected.add(record_tag)
        if parent_ids:
            collected.parents[record_tag] = (model, parent_ids)


def parent_columns(model):
    """The columns of what a record of `model` points to, as shown() takes their values."""
    return tuple(field.attname for field in _parent_fields(model))


@functools.cache
def _parent_fields(model):
    return tuple(field for field in model._meta.concrete_fields if field.many_to_one or field.one_to_one)


def _parent_ids(instance):
    return tuple(instance.__dict__.get(field.attname) for field in _parent_fields(type(instance)))


def _parent_tags(model, ids):
    fields = _parent_fields(model)
    return {f"about-{tag(field.related_model, pk)}" for field, pk in zip(fields, ids, strict=True) if pk is not None}


def _changed_tags(instance, changed):
    """The record's own tag, its kind's list, and the pages about what it points to, now and as
    loaded, when they show one of the fields `changed` (None: a new or deleted record)."""
    model = type(instance)
    tags = {tag(model, instance.pk), list_tag(model)}
    if parents_show(model, changed):
        tags |= _parent_tags(model, _parent_ids(instance))
        if hasattr(instance, "_loaded_parents"):
            tags |= _parent_tags(model, instance._loaded_parents)
    return tags


def _field_name(field):
    # A translated field's columns (name_en, name_ar) go by the field's own name.
    return getattr(field, "translated_field", field).name


def _changed_fields(instance, stored):
    """The names of the fields a save changed: every field's when what was stored is not known."""
    return {
        _field_name(field)
        for field in type(instance)._meta.concrete_fields
        if stored is None or stored.get(field.attname) != getattr(instance, field.attname)
    }


def _changed_part_tags(instance, changed):
    """The tags of the parts of the record that have a field among `changed` (all: a new or deleted record)."""
    model = type(instance)
    return {
        part_tag(model, instance.pk, name)
        for name, fields in parts(model).items()
        if changed is None or not fields.isdisjoint(changed)
    }


_tracked = ()


def _is_tracked(instance):
    return isinstance(instance, _tracked)


def _send(tags):
    invalidated.send(sender=None, tags=frozenset(tags))


def _before_save(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if raw or in_bulk_write() or not _is_tracked(instance) or instance._state.adding:
        return
    # The record as stored, inside the saving transaction: what the save changes, and, for one
    # saved without having been loaded, what it pointed to.
    model = type(instance)
    names = [field.attname for field in model._meta.concrete_fields]
    row = model._base_manager.using(using).filter(pk=instance.pk).values_list(*names).first()
    if row is None:
        return
    instance._stored = stored = dict(zip(names, row, strict=True))
    if not hasattr(instance, "_loaded_parents"):
        instance._loaded_parents = tuple(stored[field.attname] for field in _parent_fields(model))


def _record_changed(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, created=None, **kwargs):
    """After a save (`created` True or False) or a delete (None)."""
    if raw or in_bulk_write() or not _is_tracked(instance):
        return
    model = type(instance)
    if created is False:
        changed = _changed_fields(instance, instance.__dict__.pop("_stored", None))
        tags = {field_tag(model, name) for name in changed}
    else:
        changed, tags = None, {rows_tag(model)}
    tags |= _changed_tags(instance, changed) | _changed_part_tags(instance, changed)
    instance._loaded_parents = _parent_ids(instance)
    after_commit(_send, *tags, using=using)


def _links_changed(sender, instance, action, reverse, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if in_bulk_write() or not _is_tracked(instance):
        return
    if action == "pre_clear":
        # What the clear will unlink: post_clear no longer knows.
        instance._cleared_links = _linked_pks(sender, instance, model, reverse)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    pks = pk_set if action != "post_clear" else instance.__dict__.pop("_cleared_links", set())
    ends = tags_of(type(instance), [instance.pk]) | tags_of(model, pks)
    tags = ends | {f"about-{end}" for end in ends} | {list_tag(type(instance)), list_tag(model), rows_tag(sender)}
    after_commit(_send, *tags, using=using)


def _linked_pks(through, instance, model, reverse):
    owner = model if reverse else type(instance)
    field = next(field for field in owner._meta.many_to_many if field.remote_field.through is through)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if reverse:
        source, target = target, source
    return set(through._base_manager.filter(**{source: instance.pk}).values_list(target, flat=True))


def _bulk_write_finished(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    _send({ALL})


def connect_signals(tracked_model):
    """Tags are sent for changes to records of `tracked_model` (core.models.TrackedModel)."""
    global _tracked
    _tracked = tracked_model
    pre_save.connect(_before_save, dispatch_uid="core.tags.before_save")
    post_save.connect(_record_changed, dispatch_uid="core.tags.save")
    post_delete.connect(_record_changed, dispatch_uid="core.tags.delete")
    m2m_changed.connect(_links_changed, dispatch_uid="core.tags.links")
    bulk_written.connect(_bulk_write_finished, dispatch_uid="core.tags.bulk")
