"""{% load permalinks %}{% short_link_url record %}: the absolute short link of a record."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def short_link_url(context, record):
    path = record.get_short_url()
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
