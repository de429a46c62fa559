"""Form widgets for the public pages."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A <select> drawn in Python rather than one template per <option>.

    Django's Select renders every option through a template, which costs milliseconds per
    hundred options; a filter over thousands of organizations must not.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        attributes = self.build_attrs(self.attrs, attrs)
        options = format_html_join(
            "",
            "<option value=\"{}\"{}>{}</option>",
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, forms.utils.flatatt(attributes), options)
