"""The public pages' forms: the conference list's filters, and the widget that draws them."""

from functools import partial

from django import forms
from django.db.models import Q
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
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
from organizations.models import Organization
from participants.models import Country

FILTER_CHOICES_SECONDS = 3600

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


def filter_choices(request):
    """The options of the list's filters, kept for the data's version and language
    (state.remember): they read whole tables (every country at a conference, organization, year)."""
    return state.remember(request, "conference-filter-choices", compute_filter_choices, FILTER_CHOICES_SECONDS)


def compute_filter_choices():
    """{field: (choices, the <option>s drawn)}. Only the columns the options show: thousands of
    rows must stay cheap, and so must drawing them, once per version rather than per request."""
    choices = {
        "country": [("", gettext("All countries"))] + [
            (code.lower(), name)
            for code, name in Country.objects.filter(
                Q(pk__in=Conference.objects.values("host_country")) | Q(pk__in=Participation.objects.values("country"))
            )
            .order_by("name")
            .values_list("code", "name")
        ],
        "year": [("", gettext("All years"))] + [
            (str(day.year), str(day.year)) for day in Conference.objects.dates("start_date", "year", order="DESC")
        ],
        "organization": [("", gettext("All organizations"))] + list(
            Organization.objects.filter(pk__in=ConferenceOrganization.objects.values("organization"))
            .order_by("name")
            .values_list("slug", "name")
        ),
        "topic": [("", gettext("All topics"))] + list(Topic.objects.order_by("name").values_list("slug", "name")),
    }
    return {name: (options, render_options(options)) for name, options in choices.items()}


class ConferenceFilterForm(forms.Form):
    """The list's filters. They combine, and live in the query string so a view can be linked."""

    country = forms.ChoiceField(label=_("Country"), required=False, widget=PlainSelect)
    # The part the country played; none is hosting, as `?country=` alone has always meant.
    role = forms.ChoiceField(label=_("Role"), required=False, widget=PlainSelect)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None, widget=PlainSelect)
    organization = forms.ChoiceField(label=_("Organization"), required=False, widget=PlainSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=PlainSelect)

    def __init__(self, data=None, request=None):
        super().__init__(data)
        for name, (choices, options_html) in filter_choices(request).items():
            # A callable: the choices are only read to check a value the reader sent.
            self.fields[name].choices = partial(list, choices)
            self.fields[name].widget.options_html = options_html
        self.fields["status"].choices = [("", _("Any status")), *ConferenceStatus.choices]
        # No role is hosting; "host" is taken too, as the API takes it, but not offered twice.
        self.fields["role"].choices = [("", _("Hosted")), *ROLE_CHOICES]
        self.fields["role"].widget.options_html = render_options([("", _("Hosted")), *ROLE_CHOICES[1:]])
        self.fields["month"].choices = [("", _("All months")), *((str(n), name) for n, name in MONTH_NAMES.items())]

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("country") or cleaned_data.get("role") == ParticipationRole.HOST:
            # A role says which part the country played: with none chosen it says nothing.
            cleaned_data["role"] = ""
        return cleaned_data

    def filter(self, queryset):
        """Apply every filter that holds a valid value; an invalid one is reported on the form."""
        self.is_valid()
        return queryset.filtered(**getattr(self, "cleaned_data", {}))

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in self.fields if name != "role")
