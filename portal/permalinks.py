"""Addresses that never break: slug history, redirects from old slugs, and short links.

Slug history. A record whose page address carries a slug (it has a `slug` field and a
`get_absolute_url`: conferences, people, organizations, sources, topics) keeps every slug
it had before, in `participants.SlugHistory`:

- TrackedModel.save() writes the old slug when the slug changes, and refuses with an
  IntegrityError a slug that another record of the same kind had before;
- TrackedModel.clean() says so to the editor first, on the slug field;
- the detail views (SlugHistoryMixin) answer an old slug with a 301 to the current page,
  in the language of the request;
- deleting a record frees its old slugs (a post_delete signal, see participants/apps.py);
- natural keys resolve old slugs too (get_by_slug, with_slug), so the seed fixtures keep
  finding records an editor renamed.

Addresses of records. `cached_reverse` remembers what reverse() gave for a view name, its
arguments and the language: a page links to hundreds of records, and their addresses only
change when a slug does, which gives a new argument.

Short links. /c/<id>/, /p/<id>/, /o/<id>/, /s/<id>/, /t/<id>/, /e/<id>/ (series) and /k/<code>/
never change,
whatever happens to slugs. They answer 302 to the page in the visitor's language, which
varies, so the redirect is temporary and varies on Accept-Language and Cookie.
"""

from functools import cache, lru_cache

from django import template
from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import IntegrityError, models
from django.db.models.signals import post_delete
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import get_script_prefix, path, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

SLUG_USED_BEFORE = _("This address was used before by another record.")


# --- Addresses of records --------------------------------------------------------


@lru_cache(maxsize=50_000)
def _remembered_reverse(viewname, arguments, language, script_prefix):
    return reverse(viewname, kwargs=dict(arguments))


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered per language and script prefix."""
    return _remembered_reverse(viewname, tuple(kwargs.items()), translation.get_language(), get_script_prefix())


def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _remembered_reverse.cache_clear()


setting_changed.connect(_forget_addresses, dispatch_uid="portal.permalinks.forget_addresses")


# --- Slug history ---------------------------------------------------------------


@cache
def keeps_slug_history(model):
    """True for the kinds of record whose page address carries their slug."""
    if not hasattr(model, "get_absolute_url"):
        return False
    return any(field.name == "slug" for field in model._meta.concrete_fields)


def slug_history_model():
    # Looked up lazily: portal sits below the apps and imports none of their models.
    return apps.get_model("participants", "SlugHistory")


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def used_before_by_another(instance, slug):
    """Whether another record of this kind had `slug` before."""
    return (
        slug_history_model()
        .objects.filter(content_type=_content_type(type(instance)), slug=slug)
        .exclude(object_id=instance.pk)
        .exists()
    )


def slug_errors(instance):
    """clean()'s share: a slug that another record of the same kind had is refused."""
    if not keeps_slug_history(type(instance)) or not instance.slug:
        return {}
    if slug_changing(instance) and used_before_by_another(instance, instance.slug):
        return {"slug": SLUG_USED_BEFORE}
    return {}


def remember_loaded_slug(instance):
    """Called from TrackedModel.from_db(): the slug as read, to spot a change on save."""
    if "slug" in instance.__dict__:
        instance._loaded_slug = instance.__dict__["slug"]


def _stored_slug(instance):
    if instance._state.adding or instance.pk is None:
        return None
    if hasattr(instance, "_loaded_slug"):
        return instance._loaded_slug
    return type(instance)._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()


def slug_changing(instance):
    """True when saving would give the record a slug it does not have now (or a new record)."""
    return _stored_slug(instance) != instance.slug


def slug_before_save(instance, update_fields=None):
    """Check the new slug; return the slug being replaced (None when there is none).

    The database only knows that an earlier slug belongs to one record (the unique
    constraint of SlugHistory); that a current slug is not someone else's earlier one is
    checked here, like clean() does, and refused with an IntegrityError.
    """
    if not keeps_slug_history(type(instance)):
        return None
    if update_fields is not None and "slug" not in update_fields:
        return None
    previous = _stored_slug(instance)
    if previous == instance.slug:
        return None
    if used_before_by_another(instance, instance.slug):
        raise IntegrityError(
            f"{type(instance)._meta.label_lower} slug {instance.slug!r} was used before by another record."
        )
    return previous


def slug_after_save(instance, previous, update_fields=None):
    """Record the slug that was replaced, for good."""
    if not keeps_slug_history(type(instance)):
        return
    if update_fields is not None and "slug" not in update_fields:
        return
    if previous:
        slug_history_model().objects.get_or_create(
            content_type=_content_type(type(instance)), slug=previous, defaults={"object_id": instance.pk}
        )
    instance._loaded_slug = instance.slug


def forget_slugs(sender, instance, **kwargs):
    """post_delete: a deleted record's earlier slugs are free again (its pages answer 404)."""
    if keeps_slug_history(sender) and instance.pk is not None:
        slug_history_model().objects.filter(content_type=_content_type(sender), object_id=instance.pk).delete()


def connect_signals():
    """Called from participants' AppConfig.ready()."""
    post_delete.connect(forget_slugs, dispatch_uid="portal.permalinks.forget_slugs")


def find_by_previous_slug(model, slug, queryset=None):
    """The record of this kind that had `slug` before, or None. One query."""
    if not slug or not keeps_slug_history(model):
        return None
    queryset = model._default_manager.all() if queryset is None else queryset
    return queryset.filter(pk__in=_ids_that_had(model, slug)).first()


def _ids_that_had(model, slug):
    """A subquery: the id of the record of this kind that had `slug` before."""
    opts = model._meta.concrete_model._meta
    return (
        slug_history_model()
        .objects.filter(content_type__app_label=opts.app_label, content_type__model=opts.model_name, slug=slug)
        .values("object_id")
    )


def with_slug(model, slug):
    """The records of `model` whose slug is `slug`, now or before: for lookups across relations.

    `Participation.objects.get(conference__in=with_slug(Conference, "cissa-21"), …)` finds the
    row of the conference that fixtures still call cissa-21 after an editor renamed it.
    """
    return model._default_manager.filter(models.Q(slug=slug) | models.Q(pk__in=_ids_that_had(model, slug)))


def get_by_slug(manager, slug):
    """manager.get(slug=slug), or else the record that had this slug before.

    For get_by_natural_key(): fixtures name records by slug, and keep naming them by the
    slug they were loaded with after an editor changed it.
    """
    try:
        return manager.get(slug=slug)
    except manager.model.DoesNotExist:
        record = find_by_previous_slug(manager.model, slug, manager.all())
        if record is None:
            raise
        return record


def redirect_from_previous_slug(model, slug, request=None):
    """A 301 to the current page of the record that had `slug` before, or None.

    The page is reversed in the active language, so /en/ stays /en/. The query string
    (a page number, say) is kept.
    """
    record = find_by_previous_slug(model, slug)
    if record is None:
        return None
    url = record.get_absolute_url()
    if request is not None and request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponsePermanentRedirect(url)


class _Moved(Exception):
    def __init__(self, response):
        self.response = response


class SlugHistoryMixin:
    """For a DetailView found by slug: an old slug answers 301 to the current page.

    Put it first among the bases: `class ConferenceDetailView(SlugHistoryMixin, …, DetailView)`.
    Only a slug that matches no current record costs the extra query.
    """

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            slug = self.kwargs.get(self.slug_url_kwarg)
            model = (queryset if queryset is not None else self.get_queryset()).model
            response = redirect_from_previous_slug(model, slug, self.request)
            if response is None:
                raise
            raise _Moved(response) from None

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except _Moved as moved:
            return moved.response


# --- Short links -------------------------------------------------------------------

# The letter of each kind's short link. Countries use their ISO code: /k/ly/.
SHORT_LINKS = {
    "conference": ("c", "conferences.conference"),
    "person": ("p", "participants.person"),
    "organization": ("o", "organizations.organization"),
    "source": ("s", "conferences.sourcereport"),
    "topic": ("t", "conferences.topic"),
    "series": ("e", "conferences.series"),
}
SHORT_NAME_BY_LABEL = {label: name for name, (_letter, label) in SHORT_LINKS.items()}


def short_url(record):
    """The short link of a record (a path), or None for a kind that has none."""
    label = record._meta.label_lower
    if label == "participants.country":
        return cached_reverse("short:country", code=record.code.lower())
    name = SHORT_NAME_BY_LABEL.get(label)
    return cached_reverse(f"short:{name}", pk=record.pk) if name else None


def visitor_language(request):
    language = translation.get_language_from_request(request, check_path=False)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _to_page(request, record):
    with translation.override(visitor_language(request)):
        response = HttpResponseRedirect(record.get_absolute_url())
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@csrf_exempt
@require_safe
def short_link(request, pk, kind):
    _letter, label = SHORT_LINKS[kind]
    model = apps.get_model(label)
    record = model._default_manager.filter(pk=pk).first()
    if record is None:
        raise Http404
    return _to_page(request, record)


@csrf_exempt
@require_safe
def country_short_link(request, code):
    record = apps.get_model("participants.country")._default_manager.filter(code=code.upper()).first()
    if record is None:
        raise Http404
    return _to_page(request, record)


def short_link_patterns():
    """The URL patterns of the short links, for portal/urls.py (outside i18n_patterns)."""
    patterns = [
        path(f"{letter}/<int:pk>/", short_link, {"kind": name}, name=name)
        for name, (letter, _label) in SHORT_LINKS.items()
    ]
    patterns.append(path("k/<str:code>/", country_short_link, name="country"))
    return patterns, "short"


# --- Template tag ---------------------------------------------------------------------
# Registered as the `permalinks` library in settings.TEMPLATES: {% load permalinks %}.

register = template.Library()


@register.simple_tag(takes_context=True)
def short_link_url(context, record):
    """The absolute short link of a record: {% short_link_url conference %}."""
    path = short_url(record)
    if not path:
        return ""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
