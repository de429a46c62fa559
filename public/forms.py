"""The public pages' forms: the conference list's filters, and the widgets that draw them.

A filter with a few dozen choices is a menu. One with more (thousands of organizations at
scale) is a text box suggesting the most used (a <datalist>), where the name can be typed:
a menu of thousands of names is too long to send and to read. Either way the filter keeps its
address: ?organization=<slug>, ?country=<code>.
"""

from functools import cache, partial

from django import forms
from django.db.models import Q
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conferences.models import (
    Conference,
    ConferenceOrganization,
    ConferenceStatus,
    Participation,
    ParticipationRole,
    Topic,
)
from core import state
from core.dates import MONTH_NAMES
from core.tags import reads
from organizations.models import Organization
from participants.models import Country

from .queries import related_count

FILTER_CHOICES_SECONDS = 3600
# A filter with more choices than this is a text box with suggestions, the most used this many.
MENU_LIMIT = 60

# The part a country played at a conference, in the words of the countries index's columns.
ROLE_CHOICES = [
    (ParticipationRole.HOST, _("Hosted")),
    (ParticipationRole.PARTICIPANT, _("Took part")),
    (ParticipationRole.ANNOUNCED, _("Announced")),
    (ParticipationRole.ABSENT, _("Absent")),
]


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

    def use_required_attribute(self, initial):
        # The filters are never required; Select would read the first choice to say so.
        return False

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


class SuggestingInput(forms.TextInput):
    """A text box with a <datalist> of suggestions, drawn once per version (`options_html`)."""

    options_html = ""

    def render(self, name, value, attrs=None, renderer=None):
        attributes = self.build_attrs(self.attrs, attrs)
        suggestions = f"{attributes.get('id', name)}-suggestions"
        return format_html(
            '<input type="text" name="{}"{}{} list="{}" autocomplete="off" dir="auto">'
            '<datalist id="{}">{}</datalist>',
            name, format_html(' value="{}"', value) if value else "", forms.utils.flatatt(attributes),
            suggestions, suggestions, mark_safe(self.options_html),
        )


class NamedChoiceField(forms.ChoiceField):
    """A choice given by its value or, as typed in a text box, by its name: "Libya" is ly.

    `values`, set by the form, gives {value: name} of every choice: a value is checked by one
    lookup, not by walking through thousands of choices.
    """

    values = None

    def valid_value(self, value):
        if self.values is None:
            return super().valid_value(value)
        return str(value) in self.values()

    def to_python(self, value):
        value = super().to_python(value).strip()
        if value and not self.valid_value(value):
            choices = self.values().items() if self.values is not None else self.choices
            names = {str(label).casefold(): key for key, label in choices if key}
            value = names.get(value.casefold(), value)
        return value


def country_rows():
    return [
        (code.lower(), name, uses)
        for code, name, uses in Country.objects.filter(
            Q(pk__in=Conference.objects.values("host_country")) | Q(pk__in=Participation.objects.values("country"))
        )
        .annotate(uses=related_count(Country, "participations"))
        .order_by("name")
        .values_list("code", "name", "uses")
    ]


def organization_rows():
    return list(
        Organization.objects.filter(pk__in=ConferenceOrganization.objects.values("organization"))
        .annotate(uses=related_count(Organization, "conference_roles"))
        .order_by("name")
        .values_list("slug", "name", "uses")
    )


def year_rows():
    days = Conference.objects.dates("start_date", "year", order="DESC")
    return [(str(day.year), str(day.year), None) for day in days]


def topic_rows():
    return [(slug, name, None) for slug, name in Topic.objects.order_by("name").values_list("slug", "name")]


# Each filter that reads a table: how to read its values, and its first option, which clears it.
FILTER_VALUES = {
    "country": (country_rows, _("All countries")),
    "year": (year_rows, _("All years")),
    "organization": (organization_rows, _("All organizations")),
    "topic": (topic_rows, _("All topics")),
}


# What each filter's values read (state.remember): a title edit leaves them kept.
FILTER_READS = {
    "country": reads(Country) | reads(Conference, "host_country") | reads(Participation, "country"),
    "year": reads(Conference, "start_date"),
    "organization": reads(Organization) | reads(ConferenceOrganization, "organization"),
    "topic": reads(Topic),
}


def filter_values(request, name):
    """The (value, name, uses) rows of a filter, kept for the data's version and language
    (state.remember): they read whole tables (every country at a conference, organization,
    year). Read to check a value a reader sent, and to draw the menus once per version."""
    rows, _label = FILTER_VALUES[name]
    return state.remember(
        request, f"conference-filter-values:{name}", rows, FILTER_CHOICES_SECONDS, reads=FILTER_READS[name]
    )


def values_of(request, name):
    """{value: name} of every choice of a filter but the first, which clears it."""
    return {value: label for value, label, _uses in filter_values(request, name)}


def choices_of(request, name):
    return [("", FILTER_VALUES[name][1]), *((value, label) for value, label, _uses in filter_values(request, name))]


def filter_menus(request):
    """{field: (its <option>s drawn, whether it is a text box)}, drawn once per version."""
    return state.remember(
        request, "conference-filters", lambda: draw_filter_menus(request), FILTER_CHOICES_SECONDS,
        reads=set().union(*FILTER_READS.values()),
    )


def most_used(rows):
    """The (value, name) pairs of (value, name, uses) rows, most used first; a tie by name."""
    return [(value, name) for value, name, _uses in sorted(rows, key=lambda row: (-row[2], row[1]))]


def draw_filter_menus(request):
    """Each filter's <option>s: all of a menu's, or the most used as a text box's suggestions."""
    drawn = {}
    for name in FILTER_VALUES:
        rows = filter_values(request, name)
        if name in ("country", "organization") and len(rows) > MENU_LIMIT:
            drawn[name] = (render_options(most_used(rows)[:MENU_LIMIT]), True)
        else:
            drawn[name] = (render_options(choices_of(request, name)), False)
    return drawn


STATUS_CHOICES = [("", _("Any status")), *ConferenceStatus.choices]
MONTH_CHOICES = [("", _("All months")), *((str(n), name) for n, name in MONTH_NAMES.items())]


@cache
def fixed_options(language):
    """The <option>s of the filters whose choices are fixed, drawn once per language."""
    return {
        "status": render_options(STATUS_CHOICES),
        "role": render_options([("", _("Hosted")), *ROLE_CHOICES[1:]]),
        "month": render_options(MONTH_CHOICES),
    }


class ConferenceFilterForm(forms.Form):
    """The list's filters. They combine, and live in the query string so a view can be linked."""

    country = NamedChoiceField(label=_("Country"), required=False, widget=PlainSelect)
    # The part the country played; none is hosting, as `?country=` alone has always meant.
    role = forms.ChoiceField(label=_("Role"), required=False, widget=PlainSelect)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    organization = NamedChoiceField(label=_("Organization"), required=False, widget=PlainSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)

    def __init__(self, data=None, request=None):
        super().__init__(data)
        for name, (options_html, suggesting) in filter_menus(request).items():
            if suggesting:
                self.fields[name].widget = SuggestingInput()
            # A callable: the choices are only read to check a value the reader sent.
            self.fields[name].choices = partial(choices_of, request, name)
            if isinstance(self.fields[name], NamedChoiceField):
                self.fields[name].values = cache(partial(values_of, request, name))
            self.fields[name].widget.options_html = options_html
        fixed = fixed_options(get_language())
        self.fields["status"].choices = STATUS_CHOICES
        self.fields["status"].widget.options_html = fixed["status"]
        # No role is hosting; "host" is taken too, as the API takes it, but not offered twice.
        self.fields["role"].choices = [("", _("Hosted")), *ROLE_CHOICES]
        self.fields["role"].widget.options_html = fixed["role"]
        self.fields["month"].choices = MONTH_CHOICES
        self.fields["month"].widget.options_html = fixed["month"]

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("country") or cleaned_data.get("role") == ParticipationRole.HOST:
            # A role says which part the country played: with none chosen it says nothing.
            cleaned_data["role"] = ""
        return cleaned_data

    def filters(self):
        """The filters that hold a valid value, as Conference.objects.filtered() takes them; an
        invalid one is reported on the form."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}

    def draw(self):
        """Each field with its label and any errors, as `{% for field in form %}` drew them: the
        widgets draw themselves from the value sent, with the attributes BoundField gives them
        (the id; on an error, aria-invalid and the errors' id), without the template and bound fields' machinery."""
        errors = self.errors if self.is_bound else {}
        parts = []
        for name, field in self.fields.items():
            attrs = {"id": self.auto_id % name}
            field_errors = errors.get(name)
            if field_errors:
                attrs.update({"aria-invalid": "true", "aria-describedby": f"{attrs['id']}_error"})
            value = field.widget.value_from_datadict(self.data, self.files, name) if self.is_bound else None
            parts.append(format_html(
                '\n  <div>\n    <label for="{}">{}</label>\n    {}\n    {}\n  </div>\n  ',
                attrs["id"], field.label, field.widget.render(name, value, attrs), field_errors or "",
            ))
        return mark_safe("".join(parts))

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in self.fields if name != "role")
