"""The numbered references of a page, given where the facts are shown.

    {% load evidence %}
    {% evidence facts.conference_dates %}  the reference marks, opinions and disputes of a fact
    {% references_list %}                  the list they lead to, at the end of the page

The view puts `references` (public.evidence.References) in the context; numbering as the page
is drawn keeps the numbers in the page's order, wherever a section moves.

Opinions and disputes, which say more than a mark, are drawn by templates/includes/evidence.html.
A conference page, which marks hundreds of rows, draws its marks in Python with the same markup
(public.evidence.Marks).
"""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def mark(citation):
    """A reference mark, [3], linking to the list; the first mark of a reference is the list's way back."""
    anchor = format_html(' id="{}"', citation.anchor) if getattr(citation, "anchor", None) else ""
    label = gettext("Reference %(number)s") % {"number": citation.ref_number}
    return format_html(
        '<sup class="ref"><a href="#ref-{}"{} aria-label="{}">[{}]</a></sup>',
        citation.ref_number, anchor, label, citation.ref_number,
    )


@register.simple_tag(takes_context=True)
def evidence(context, citations):
    found = context["references"].cite(citations or [])
    if found.opinions or found.disputes:
        return get_template("includes/evidence.html").render(
            {"evidence": found, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
        )
    # Each mark is escaped by format_html.
    return mark_safe("".join(mark(citation) for citation in found.supports))


@register.inclusion_tag("includes/references.html", takes_context=True)
def references_list(context):
    return {"references": context["references"], "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
