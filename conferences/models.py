import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Position
from participants.models import Country, Person
from portal.models import (
    DatePrecision,
    TrackedModel,
    bilingual_required_constraints,
    check_bilingual,
    clean_partial_date,
    normalise_partial_date,
    partial_date_constraint,
)
from portal.permalinks import cached_reverse, get_by_slug, short_url, with_slug
from portal.prefetch import attach_prefetched

from .search.query import SearchEntryQuerySet, SearchWordQuerySet


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        # A record renamed by an editor is still found by the slug the fixtures know.
        return get_by_slug(self, slug)


class Topic(TrackedModel):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = bilingual_required_constraints("topic", "name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("conferences:topic", slug=self.slug)

    def get_short_url(self):
        """The short address that never changes, whatever happens to the slug (portal.permalinks)."""
        return short_url(self)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "name")
        errors.update(check_bilingual(self, "description", required=False))
        if errors:
            raise ValidationError(errors)


class Series(TrackedModel):
    """A recurring conference: CISSA's annual conferences, the Marrakech Platform meetings."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=250)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        # The series stays if the organization record goes.
        on_delete=models.SET_NULL, related_name="series",
    )

    objects = SlugManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = bilingual_required_constraints("series", "name")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("conferences:series", slug=self.slug)

    def get_short_url(self):
        return short_url(self)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "name")
        if errors:
            raise ValidationError(errors)


class ConferenceStatus(models.TextChoices):
    HELD = "held", _("held")
    ANNOUNCED = "announced", _("announced")
    PLANNED = "planned", _("planned")


# A report published after such a conference began says it was held (Conference.clean).
NOT_YET_HELD = (ConferenceStatus.ANNOUNCED, ConferenceStatus.PLANNED)


CARD_FIELDS = (
    "slug", "name", "name_ar", "name_en", "status", "start_date", "start_precision", "end_date", "end_precision",
    "city", "city_ar", "city_en", "host_country__code", "host_country__name",
    "host_country__name_ar", "host_country__name_en",
)


class ConferenceQuerySet(models.QuerySet):
    _with_evidence = False

    def public(self):
        return self.select_related("series", "host_country")

    def newest_first(self):
        return self.order_by(models.F("start_date").desc(nulls_last=True), "slug")

    def starting_in(self, month, year=None):
        """The conferences that start in `month` (of `year`, if given), as far as their dates say.

        A conference known only by its year is stored on 1 January and is not known to start in
        any month: it is left out. With a year, the month is a range of the start-date index.
        """
        queryset = self.filter(start_precision__in=[DatePrecision.DAY, DatePrecision.MONTH])
        if year is None:
            return queryset.filter(start_date__month=month)
        queryset = queryset.filter(start_date__gte=datetime.date(year, month, 1))
        if (year, month) == (datetime.MAXYEAR, 12):  # the month after it has no date
            return queryset
        return queryset.filter(start_date__lt=datetime.date(year + month // 12, month % 12 + 1, 1))

    def for_cards(self):
        """Only what a conference's card in a list shows (includes/card_conference.html), with
        its host country: a country page lists hundreds, and whole records cost more to build."""
        return self.select_related("host_country").only(*CARD_FIELDS)

    def with_evidence(self):
        """Everything a conference's full record shows, in a fixed number of queries.

        The citations of the conferences and of their participations, attendances and
        organization roles come in one query (see attach_citations), not one per relation.
        """
        queryset = self.public().prefetch_related(
            models.Prefetch("topics", queryset=Topic.objects.order_by("slug")),
            models.Prefetch("participations", queryset=Participation.objects.select_related("country")),
            models.Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
            models.Prefetch(
                "organization_roles", queryset=ConferenceOrganization.objects.select_related("organization")
            ),
        )
        queryset._with_evidence = True
        return queryset

    def _clone(self):
        clone = super()._clone()
        clone._with_evidence = self._with_evidence
        return clone

    def _prefetch_related_objects(self):
        super()._prefetch_related_objects()
        if self._with_evidence:
            attach_citations(self._result_cache)


class ConferenceManager(models.Manager.from_queryset(ConferenceQuerySet)):
    def get_by_natural_key(self, slug):
        # A record renamed by an editor is still found by the slug the fixtures know.
        return get_by_slug(self, slug)


class Conference(TrackedModel):
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True,
        help_text=_("ASCII identifier used in the page address; the same in both languages."),
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(
        _("short name"), max_length=120,
        help_text=_("A short title for lists and page titles, e.g. سيسا 20 / CISSA 20."),
    )
    series = models.ForeignKey(
        Series, verbose_name=_("series"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="conferences",
    )
    edition = models.PositiveSmallIntegerField(
        _("edition"), null=True, blank=True,
        help_text=_("The edition number within the series, when a source states it."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ConferenceStatus.choices,
        help_text=_(
            "Held; announced when the only report was written before the event; "
            "planned for an announced future edition."
        ),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision of the start date"), max_length=10, choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end date"), max_length=10, choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    host_country = models.ForeignKey(
        Country, verbose_name=_("host country"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hosted_conferences",
    )
    theme = models.CharField(
        _("theme or slogan"), max_length=300, blank=True,
        help_text=_("Only as a source words it."),
    )
    preparations = models.CharField(
        _("preparatory meetings"), max_length=300, blank=True,
        help_text=_("Meetings before the conference itself, as a source states them (experts' meetings …)."),
    )
    country_count = models.PositiveSmallIntegerField(
        _("number of countries taking part"), null=True, blank=True,
        help_text=_("Only when a source states the number; never counted from the list of countries."),
    )
    summary = models.TextField(_("summary"), help_text=_("Our own words, not the article's."))
    background = models.TextField(
        _("background"), blank=True,
        help_text=_("The context the sources give, in our own words; an opinion is attributed, never stated."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    topics = models.ManyToManyField(
        "Topic", verbose_name=_("topics"), blank=True, related_name="conferences"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), through="ConferenceOrganization",
        blank=True, related_name="conferences",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), through="Participation", blank=True,
        related_name="conferences",
    )

    objects = ConferenceManager()

    class Meta:
        ordering = [models.F("start_date").desc(nulls_last=True), "slug"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="conference_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            partial_date_constraint("start_date", "start_precision", "conference_start_precision"),
            partial_date_constraint("end_date", "end_precision", "conference_end_precision"),
            models.UniqueConstraint(
                fields=["series", "edition"], name="conference_unique_edition",
                violation_error_message=_("This series already has a conference with this edition."),
            ),
            models.CheckConstraint(
                condition=models.Q(edition__isnull=True) | models.Q(series__isnull=False),
                name="conference_edition_needs_series",
                violation_error_message=_("An edition number needs a series."),
            ),
            *bilingual_required_constraints("conference", "name", "short_name", "summary"),
        ]
        indexes = [
            models.Index(fields=["status"], name="conference_status_idx"),
            models.Index(fields=["start_date", "slug"], name="conference_start_idx"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return cached_reverse("conferences:detail", slug=self.slug)

    def get_short_url(self):
        """The short address that never changes, whatever happens to the slug (portal.permalinks)."""
        return short_url(self)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self.start_date = normalise_partial_date(self.start_date, self.start_precision)
        self.end_date = normalise_partial_date(self.end_date, self.end_precision)
        errors = check_bilingual(self, "name", "short_name", "summary")
        errors.update(
            check_bilingual(self, "city", "theme", "preparations", "background", "outcomes", required=False)
        )
        errors.update(clean_partial_date(self.start_date, self.start_precision, "start_date"))
        errors.update(clean_partial_date(self.end_date, self.end_precision, "end_date"))
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.edition is not None and self.series_id is None:
            errors["edition"] = _("An edition number needs a series.")
        if self.status in NOT_YET_HELD and self.pk is not None:
            later = self.reported_after_start()
            if later:
                errors["status"] = _(
                    "%(source)s, published after the conference began, is cited for it: it was held."
                ) % {"source": later}
        if errors:
            raise ValidationError(errors)

    def reported_after_start(self):
        """A source cited for the conference (or for its countries, people or organizations) that was
        published after the day it began, or None. Only days that are known are compared."""
        if self.start_precision != DatePrecision.DAY:
            return None
        targets = (
            models.Q(conference=self) | models.Q(participation__conference=self)
            | models.Q(attendance__conference=self) | models.Q(conference_organization__conference=self)
        )
        return (
            SourceReport.objects.filter(
                published_precision=DatePrecision.DAY, published_on__gt=self.start_date,
                pk__in=Citation.objects.filter(targets).values("source"),
            )
            .order_by("published_on")
            .first()
        )


class OrganizationRole(models.TextChoices):
    ORGANIZER = "organizer", _("organizer")
    CO_CHAIR = "co-chair", _("co-chair")
    PARTNER = "partner", _("partner")
    PARTICIPANT = "participant", _("participant")
    SPEAKER = "speaker", _("speaker")


class ConferenceOrganizationManager(models.Manager):
    def get_by_natural_key(self, conference_slug, organization_slug):
        return self.get(
            conference__in=with_slug(Conference, conference_slug),
            organization__in=with_slug(Organization, organization_slug),
        )


class ConferenceOrganization(TrackedModel):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
        related_name="organization_roles",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT,
        related_name="conference_roles",
    )
    role = models.CharField(_("role"), max_length=12, choices=OrganizationRole.choices)
    note = models.TextField(_("note"), blank=True)

    objects = ConferenceOrganizationManager()

    class Meta:
        ordering = ["conference", "role", "organization"]
        verbose_name = _("organization at a conference")
        verbose_name_plural = _("organizations at conferences")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "organization"], name="conference_organization_unique",
                violation_error_message=_("This organization is already listed for this conference."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_role_display()} — {self.conference}"

    def natural_key(self):
        return (self.conference.slug, self.organization.slug)

    natural_key.dependencies = ["conferences.conference", "organizations.organization"]


class ParticipationRole(models.TextChoices):
    HOST = "host", _("host")
    PARTICIPANT = "participant", _("participant")
    ANNOUNCED = "announced", _("announced participant")
    ABSENT = "absent", _("absent")


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, conference_slug, country_code):
        return self.get(conference__in=with_slug(Conference, conference_slug), country__code=country_code)


class Participation(TrackedModel):
    """A country's part in a conference: host, participant, announced, or absent."""

    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
        related_name="participations",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=12, choices=ParticipationRole.choices)
    note = models.TextField(_("note"), blank=True)

    objects = ParticipationManager()

    class Meta:
        ordering = ["conference", "role", "country__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "country"], name="participation_one_per_country",
                violation_error_message=_("This country is already listed for this conference."),
            ),
        ]
        indexes = [models.Index(fields=["country", "role"], name="participation_country_role")]

    def __str__(self):
        return f"{self.country.name} — {self.get_role_display()} — {self.conference}"

    def natural_key(self):
        return (self.conference.slug, self.country.code)

    natural_key.dependencies = ["conferences.conference", "participants.country"]

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "note", required=False)
        if errors:
            raise ValidationError(errors)


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    HOST = "host", _("host")
    OPENING_SPEAKER = "opening-speaker", _("opened the meeting")
    SPEAKER = "speaker", _("speaker")
    DELEGATION_HEAD = "delegation-head", _("head of delegation")
    ATTENDEE = "attendee", _("attendee")


class AttendanceManager(models.Manager):
    def get_by_natural_key(self, conference_slug, person_slug, role):
        return self.get(
            conference__in=with_slug(Conference, conference_slug), person__in=with_slug(Person, person_slug), role=role
        )


class Attendance(TrackedModel):
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
        related_name="attendances",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendances"
    )
    role = models.CharField(_("role"), max_length=20, choices=AttendanceRole.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization represented"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="attendances",
    )
    note = models.TextField(_("note"), blank=True)

    objects = AttendanceManager()

    class Meta:
        ordering = ["conference", "role", "person"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person", "role"], name="attendance_unique_role",
                violation_error_message=_("This person already has this role at this conference."),
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} — {self.conference}"

    def natural_key(self):
        return (self.conference.slug, self.person.slug, self.role)

    natural_key.dependencies = ["conferences.conference", "participants.person"]

    def clean(self):
        super().clean()
        errors = check_bilingual(self, "note", required=False)
        if errors:
            raise ValidationError(errors)


class SourceLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ITALIAN = "it", _("Italian")
    TURKISH = "tr", _("Turkish")


class SourceKind(models.TextChoices):
    NEWS = "news", _("news report")
    ANALYSIS = "analysis", _("analysis or commentary")
    OFFICIAL = "official", _("official website")
    REFERENCE = "reference", _("reference work")


class SourceReport(TrackedModel):
    """An article or page a fact comes from. We keep excerpts and our own summary, never the text."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=400)
    outlet = models.CharField(
        _("outlet"), max_length=200, blank=True,
        help_text=_("As the source names itself (its site's name or domain); empty when no source states it."),
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=SourceLanguage.choices)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the publication date"), max_length=10, choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    url = models.URLField(_("address"), max_length=600, blank=True)
    seed_file = models.CharField(
        _("seed file"), max_length=100, blank=True,
        help_text=_("Name of the report's text in the seed collection, if it is one."),
    )
    summary = models.TextField(_("summary"), help_text=_("Our own summary, not the article's text."))

    objects = SlugManager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("source report")
        verbose_name_plural = _("source reports")
        constraints = [
            partial_date_constraint(
                "published_on", "published_precision", "source_published_precision"
            ),
            *bilingual_required_constraints("source", "title", "summary"),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.title}" if self.outlet else self.title

    def get_absolute_url(self):
        return cached_reverse("conferences:source", slug=self.slug)

    def get_short_url(self):
        """The short address that never changes, whatever happens to the slug (portal.permalinks)."""
        return short_url(self)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        self.published_on = normalise_partial_date(self.published_on, self.published_precision)
        errors = check_bilingual(self, "title", "summary")
        errors.update(check_bilingual(self, "outlet", "author", required=False))
        errors.update(
            clean_partial_date(self.published_on, self.published_precision, "published_on")
        )
        if errors:
            raise ValidationError(errors)


# The languages of the portal's translated fields: a quotation in another language is kept as `original`.
TRANSLATED_LANGUAGES = ["ar", "en"]


class Fact(models.TextChoices):
    CONFERENCE_DATES = "conference-dates", _("conference dates")
    CONFERENCE_PLACE = "conference-place", _("conference place")
    CONFERENCE_NAME = "conference-name", _("conference name")
    CONFERENCE_STATUS = "conference-status", _("conference status")
    CONFERENCE_THEME = "conference-theme", _("conference theme")
    CONFERENCE_TOPICS = "conference-topics", _("conference topics")
    CONFERENCE_OUTCOMES = "conference-outcomes", _("conference outcomes")
    CONFERENCE_PREPARATIONS = "conference-preparations", _("preparatory meetings")
    CONFERENCE_COUNTRY_COUNT = "conference-country-count", _("number of countries taking part")
    CONFERENCE_BACKGROUND = "conference-background", _("background")
    CONFERENCE_ORGANIZATION = "conference-organization", _("organization's role")
    PARTICIPATION = "participation", _("country's participation")
    ATTENDANCE = "attendance", _("person's attendance")
    POSITION = "position", _("position held")
    FOUNDING_YEAR = "founding-year", _("founding year")


CONFERENCE_FACTS = [
    Fact.CONFERENCE_DATES, Fact.CONFERENCE_PLACE, Fact.CONFERENCE_NAME, Fact.CONFERENCE_STATUS,
    Fact.CONFERENCE_THEME, Fact.CONFERENCE_TOPICS, Fact.CONFERENCE_OUTCOMES, Fact.CONFERENCE_PREPARATIONS,
    Fact.CONFERENCE_COUNTRY_COUNT, Fact.CONFERENCE_BACKGROUND,
]
TARGET_FIELDS = ["conference", "conference_organization", "participation", "attendance",
                 "position", "organization"]
FACT_TARGET = {
    **{fact: "conference" for fact in CONFERENCE_FACTS},
    Fact.CONFERENCE_ORGANIZATION: "conference_organization",
    Fact.PARTICIPATION: "participation",
    Fact.ATTENDANCE: "attendance",
    Fact.POSITION: "position",
    Fact.FOUNDING_YEAR: "organization",
}


def _target_condition():
    """Each fact kind points at exactly one record of the right kind."""
    condition = None
    for target in TARGET_FIELDS:
        facts = [fact for fact, field in FACT_TARGET.items() if field == target]
        only_target = models.Q(**{f"{target}__isnull": False})
        for other in TARGET_FIELDS:
            if other != target:
                only_target &= models.Q(**{f"{other}__isnull": True})
        branch = models.Q(fact__in=facts) & only_target
        condition = branch if condition is None else condition | branch
    return condition


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    CONTRADICTS = "contradicts", _("contradicts")


class CitationManager(models.Manager):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Citation(TrackedModel):
    """The evidence for one fact: a source, a short excerpt, and whether it agrees."""

    key = models.SlugField(
        _("key"), max_length=120, unique=True,
        help_text=_("Stable ASCII identifier of this piece of evidence."),
    )
    source = models.ForeignKey(
        SourceReport, verbose_name=_("source"), on_delete=models.PROTECT,
        related_name="citations",
    )
    fact = models.CharField(_("fact"), max_length=30, choices=Fact.choices)
    conference = models.ForeignKey(
        Conference, verbose_name=_("conference"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="citations",
    )
    conference_organization = models.ForeignKey(
        ConferenceOrganization, verbose_name=_("organization at a conference"), null=True,
        blank=True, on_delete=models.CASCADE, related_name="citations",
    )
    participation = models.ForeignKey(
        Participation, verbose_name=_("participation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="citations",
    )
    attendance = models.ForeignKey(
        Attendance, verbose_name=_("attendance"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="citations",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="citations",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="citations",
    )
    excerpt = models.TextField(
        _("excerpt"),
        help_text=_(
            "A short quotation from the source, word for word in its own language, and our translation into the "
            "other; mark any change to the quoted words with […] or [sic]."
        ),
    )
    quote_language = models.CharField(
        _("language of the quotation"), max_length=5, choices=SourceLanguage.choices, default=SourceLanguage.ARABIC,
        help_text=_(
            "The language the source's own words are in. The excerpt in any other language is our translation."
        ),
    )
    original = models.TextField(
        _("quotation in its own language"), blank=True,
        help_text=_("The source's own words when they are neither Arabic nor English; both excerpts are then ours."),
    )
    claim = models.CharField(
        _("what the source says"), max_length=300, blank=True,
        help_text=_("The value this source gives, e.g. 2005, when it differs or is disputed."),
    )
    stance = models.CharField(
        _("stance"), max_length=12, choices=Stance.choices, default=Stance.SUPPORTS,
        help_text=_("Whether the source supports or contradicts the fact as recorded."),
    )
    attributed_to = models.CharField(
        _("attributed to"), max_length=200, blank=True,
        help_text=_("Whose view this is, when the source reports an opinion (e.g. observers)."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = CitationManager()

    class Meta:
        ordering = ["source", "key"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=_target_condition(),
                name="citation_one_target_matching_fact",
                violation_error_message=_(
                    "A citation backs exactly one record, of the kind its fact names."
                ),
            ),
            models.CheckConstraint(
                condition=(models.Q(quote_language__in=TRANSLATED_LANGUAGES) & models.Q(original=""))
                | (~models.Q(quote_language__in=TRANSLATED_LANGUAGES) & ~models.Q(original="")),
                name="citation_original_only_for_other_languages",
                violation_error_message=_(
                    "Give the quotation in its own language exactly when it is neither Arabic nor English."
                ),
            ),
            *bilingual_required_constraints("citation", "excerpt"),
        ]

    def __str__(self):
        return f"[{self.key}] {self.get_fact_display()} — {self.source.outlet}"

    def natural_key(self):
        return (self.key,)

    @property
    def target(self):
        return getattr(self, FACT_TARGET.get(self.fact, "conference"), None)

    @property
    def backed_conference(self):
        """The conference this citation speaks of, directly or through one of its rows; None for a
        position or an organization's founding."""
        if self.conference_id:
            return self.conference
        for row in ("participation", "attendance", "conference_organization"):
            if getattr(self, f"{row}_id"):
                return getattr(self, row).conference
        return None

    @property
    def is_opinion(self):
        return bool(self.attributed_to)

    @property
    def identity(self):
        """What the citation says: two citations equal in it say the same thing of different records."""
        fields = ("fact", "source_id", "quote_language", "original", "stance")
        translated = ("excerpt", "claim", "attributed_to", "note")
        return tuple(getattr(self, name) for name in fields) + tuple(
            getattr(self, f"{name}_{language}") for name in translated for language in TRANSLATED_LANGUAGES
        )

    @property
    def quote_direction(self):
        return "rtl" if self.quote_language == "ar" else "ltr"

    @property
    def quotation(self):
        """The source's own words: the excerpt in the quotation's language, or the original."""
        if self.quote_language in TRANSLATED_LANGUAGES:
            return getattr(self, f"excerpt_{self.quote_language}")
        return self.original


    def clean(self):
        super().clean()
        errors = check_bilingual(self, "excerpt")
        errors.update(check_bilingual(self, "claim", "attributed_to", "note", required=False))
        if self.quote_language in TRANSLATED_LANGUAGES and self.original:
            errors["original"] = _("Leave this empty: the excerpt in that language is the quotation itself.")
        elif self.quote_language not in TRANSLATED_LANGUAGES and not (self.original or "").strip():
            errors["original"] = _("Give the source's own words: neither excerpt is in the quotation's language.")
        conference = self.backed_conference
        if (
            conference is not None and conference.status in NOT_YET_HELD and self.source_id
            and conference.start_precision == DatePrecision.DAY
            and self.source.published_precision == DatePrecision.DAY
            and self.source.published_on > conference.start_date
        ):
            errors["source"] = _(
                "This source was published after the conference began, which was then held: "
                "mark the conference held first."
            )
        expected = FACT_TARGET.get(self.fact)
        if expected:
            if getattr(self, f"{expected}_id") is None:
                errors[expected] = _("This fact needs the record it backs.")
            for other in TARGET_FIELDS:
                if other != expected and getattr(self, f"{other}_id") is not None:
                    errors[other] = _("Leave this empty: the fact backs another kind of record.")
        if errors:
            raise ValidationError(errors)


class SeedRecord(models.Model):
    """Which rows the seed loader wrote, and the version it left them at.

    A row whose version has moved on since was changed by an editor: the loader
    leaves it alone.
    """

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=400, help_text="The fixture's natural key, as JSON.")
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, help_text="Hash of the fixture entry last applied.")

    class Meta:
        verbose_name = "seed record"
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="seed_record_unique_key"),
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


def attach_citations(conferences):
    """Load, in one query, the citations behind conferences and their participations,
    attendances and organization roles; afterwards `record.citations.all()` runs no query.

    The conferences' participations, attendances and organization roles must already be
    prefetched (ConferenceQuerySet.with_evidence does both).
    """
    targets = {"conference": {}, "participation": {}, "attendance": {}, "conference_organization": {}}
    for conference in conferences:
        targets["conference"][conference.pk] = conference
        targets["participation"].update((row.pk, row) for row in conference.participations.all())
        targets["attendance"].update((row.pk, row) for row in conference.attendances.all())
        targets["conference_organization"].update((row.pk, row) for row in conference.organization_roles.all())
    attach_prefetched(Citation.objects.select_related("source"), "citations", targets)


# --- Search ---------------------------------------------------------------------------------


class SearchKind(models.TextChoices):
    """What a search result is, in the order the results page shows the kinds."""

    CONFERENCE = "conference", _("conference")
    PERSON = "person", _("person")
    ORGANIZATION = "organization", _("organization")
    COUNTRY = "country", _("country")
    TOPIC = "topic", _("topic")
    SOURCE = "source", _("source report")


class SearchEntry(models.Model):
    """One record as the public search sees it (conferences.search).

    Derived data, never edited: `rebuild_search_index` (also run by load_seeds and
    generate_synthetic) writes every row, and signals rewrite a record's row when it, its
    alternative names or its positions change (conferences.search.index).

    `names` and `text` hold search keys (portal.arabic.search_key), each part between
    "| " and " |" so that a phrase never runs from one part into the next: `names` the
    record's names in both languages (titles, short names, acronym, alternative names),
    `text` those and everything else searched (place, description, summary, slug).

    On PostgreSQL the table also has a `document` column that the model does not declare:
    a tsvector the database generates from the display text for full-text search; and GIN
    indexes, trigram on `text` and full-text on `document` (migrations 0002 and 0003).
    """

    kind = models.CharField(max_length=12, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=100, help_text="The slug in the record's address (a country's code).")
    title_ar = models.CharField(max_length=400)
    title_en = models.CharField(max_length=400)
    detail_ar = models.CharField(max_length=400, blank=True, help_text="The line under the title.")
    detail_en = models.CharField(max_length=400, blank=True, help_text="The line under the title.")
    body_ar = models.TextField(blank=True, help_text="Description or summary, for the excerpt.")
    body_en = models.TextField(blank=True, help_text="Description or summary, for the excerpt.")
    aliases = models.TextField(blank=True, help_text="Other names as written, one a line.")
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    names = models.TextField()
    text = models.TextField()

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.slug}"


class SearchWord(models.Model):
    """A word of the records' names, for "did you mean" (conferences.search.query).

    Written with the index (conferences.search.index): `rebuild` counts every word anew,
    a record's save adds the words it brings. On PostgreSQL a GiST trigram index on `key`
    finds the nearest words to a misspelt one (migration 0003).
    """

    key = models.CharField(max_length=100, unique=True, help_text="The word's search key.")
    display = models.CharField(max_length=100, help_text="The word as a record writes it.")
    frequency = models.PositiveIntegerField(default=1, help_text="How many records' names hold it.")

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.display


def connect_search_index():
    """The search index follows every change to what it shows (conferences.search.index)."""
    from .search.index import connect_signals

    connect_signals()


connect_search_index()
