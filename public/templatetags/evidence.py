"""The numbered references of a page, given where the facts are shown.

    {% load evidence %}
    {% evidence facts.conference_dates %}  the reference marks, opinions and disputes of a fact
    {% references_list %}                  the list they lead to, at the end of the page

The view puts `references` (public.evidence.References) in the context; numbering as the page
is drawn keeps the numbers in the page's order, wherever a section moves.
"""

from django import template

register = template.Library()


@register.inclusion_tag("includes/evidence.html", takes_context=True)
def evidence(context, citations):
    return {"evidence": context["references"].cite(citations), "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}


@register.inclusion_tag("includes/references.html", takes_context=True)
def references_list(context):
    return {"references": context["references"], "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
