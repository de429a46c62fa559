"""Form widgets for the public pages."""

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe


def render_options(choices):
    """The <option>s of (value, label) pairs, none selected: markup a page can keep and reuse."""
    return format_html_join("", '<option value="{}">{}</option>', ((value, label) for value, label in choices))


class PlainSelect(forms.Select):
    """A <select> drawn in Python rather than one template per <option>.

    Django's Select renders every option through a template, which costs milliseconds per
    hundred options; a filter over thousands of organizations must not. A form may hand it
    its options already drawn (`options_html`, from render_options), kept with the choices.
    """

    options_html = None

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v is not None}
        options = self.options_html if self.options_html is not None else render_options(self.choices)
        for chosen in selected:
            option = f'<option value="{escape(chosen)}">'
            options = options.replace(option, f'{option[:-1]} selected>', 1)
        attributes = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, forms.utils.flatatt(attributes), mark_safe(options)
        )
