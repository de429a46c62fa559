"""{% load permalinks %}{% short_link_url record %}: the absolute short link of a record, in the
page's language (/c/12/en/ on an English page), so whoever follows it reads what was copied."""

from django import template
from django.conf import settings
from django.utils import translation

from ..addresses import absolute_url

register = template.Library()


def page_language():
    language = translation.get_language()
    return language if language in dict(settings.LANGUAGES) else None


@register.simple_tag(takes_context=True)
def short_link_url(context, record):
    path = record.get_short_url(page_language())
    request = context.get("request")
    return absolute_url(request, path) if request is not None else path
