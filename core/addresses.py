"""Addresses of records: `cached_reverse`, the one cache of reversed URLs.

A page links to hundreds of records, whose addresses only change when a slug does, which
gives a new argument; so reverse() is remembered per view name, arguments, language and
script prefix. Settings that change the URLs (tests overriding ROOT_URLCONF) empty it.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse
from django.utils import translation


@lru_cache(maxsize=50_000)
def _remembered_reverse(viewname, arguments, language, script_prefix):
    return reverse(viewname, kwargs=dict(arguments))


def cached_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered per language and script prefix."""
    return _remembered_reverse(viewname, tuple(kwargs.items()), translation.get_language(), get_script_prefix())


def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _remembered_reverse.cache_clear()


setting_changed.connect(_forget_addresses, dispatch_uid="core.addresses.forget")


def reverser(viewname):
    """cached_reverse for one view name, with the language and script prefix read once: for a
    page that links to hundreds of records of one kind."""
    language, script_prefix = translation.get_language(), get_script_prefix()
    return lambda **kwargs: _remembered_reverse(viewname, tuple(kwargs.items()), language, script_prefix)
