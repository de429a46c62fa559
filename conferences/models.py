"""The conference domain: series, topics, conferences and the part each country, person and
organization played in them, the source reports and the citations that back every fact."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import tags
from core.dates import (
    DatePrecision,
    clean_date_span,
    clean_partial_date,
    month_range,
    normalise_partial_date,
    partial_date_constraint,
)
from core.models import Language, SluggedModel, SluggedQuerySet, TrackedModel
from organizations.models import Organization, Position
from participants.models import Country, Person


class Topic(SluggedModel):
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)

    url_name = "topics:detail"
    short_url_name = "short:topic"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class Series(SluggedModel):
    """A recurring conference: CISSA's annual conferences, the Marrakech Platform meetings."""

    name = models.CharField(_("name"), max_length=250)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True,
        # The series stays if the organization record goes.
        on_delete=models.SET_NULL, related_name="series",
    )

    url_name = "series:detail"
    short_url_name = "short:series"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.name


class ConferenceStatus(models.TextChoices):
    HELD = "held", _("held")
    ANNOUNCED = "announced", _("announced")
    PLANNED = "planned", _("planned")


# A report published after such a conference began says it was held (Conference.clean).
NOT_YET_HELD = (ConferenceStatus.ANNOUNCED, ConferenceStatus.PLANNED)


class ConferenceQuerySet(SluggedQuerySet):
    def with_host_and_series(self):
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
        first, following = month_range(year, month)
        queryset = queryset.filter(start_date__gte=first)
        return queryset if following is None else queryset.filter(start_date__lt=following)

    def filtered(
        self, country=None, role=None, year=None, month=None, organization=None, topic=None, status=None
    ):
        """The conference list's filters, as the list page and the API take them; they combine.

        `country` is an ISO code (either case) and `role` the part it played there (a
        ParticipationRole): with no role, the host country, as the country page counts hosting.
        `role` without a country does not filter. `organization` and `topic` are slugs. A filter
        left empty does not filter.
        """
        queryset = self
        if country:
            queryset = queryset.with_country(country.upper(), role or ParticipationRole.HOST)
        if year:
            queryset = queryset.filter(start_date__year=year)
        if month:
            queryset = queryset.starting_in(month, year)
        if organization:
            queryset = queryset.filter(organization_roles__organization__slug=organization)
        if topic:
            queryset = queryset.filter(topics__slug=topic)
        if status:
            queryset = queryset.filter(status=status)
        return queryset

    def with_country(self, code, role):
        """The conferences at which the country of ISO code `code` played `role`. Hosting is
        being the host country or a host among the countries (co-hosting)."""
        played = Participation.objects.filter(country__code=code, role=role).order_by().values("conference")
        if role == ParticipationRole.HOST:
            # One list of conferences rather than an OR, which no index answers.
            played = played.union(Conference.objects.filter(host_country__code=code).order_by().values("pk"))
        return self.filter(pk__in=played)

    def with_rows(self):
        """With everything a conference's full record shows but the citations: its host and
        series, topics, countries, people and organizations, in a fixed number of queries.
        `Citation.objects.attach()` then gives them their citations, in one query more."""
        return self.with_host_and_series().prefetch_related(
            models.Prefetch("topics", queryset=Topic.objects.order_by("slug")),
            models.Prefetch("participations", queryset=Participation.objects.select_related("country")),
            models.Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
            models.Prefetch(
                "organization_roles", queryset=ConferenceOrganization.objects.select_related("organization")
            ),
        )


class Conference(SluggedModel):
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

    objects = ConferenceQuerySet.as_manager()

    url_name = "conferences:detail"
    short_url_name = "short:conference"

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
        ]
        indexes = [
            models.Index(fields=["status"], name="conference_status_idx"),
            models.Index(fields=["start_date", "slug"], name="conference_start_idx"),
        ]

    def __str__(self):
        return self.short_name or self.name

    def record_errors(self):
        errors = super().record_errors()
        errors.update(clean_date_span(self, _("The end date cannot be before the start date.")))
        if self.edition is not None and self.series_id is None:
            errors["edition"] = _("An edition number needs a series.")
        if self.status in NOT_YET_HELD and self.pk is not None:
            later = self.reported_after_start()
            if later:
                errors["status"] = _(
                    "%(source)s, published after the conference began, is cited for it: it was held."
                ) % {"source": later}
        return errors

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


# A conference as a card or a link shows it (public/templatetags/cards.py, a conference page's other
# editions): a page that shows no more of it keeps an edit of the rest (core.tags.part).
tags.part(Conference, "card", (
    "slug", "name", "short_name", "status", "start_date", "start_precision", "end_date", "end_precision", "city",
    "host_country",
))
# The pages about its host country and its series (their pages, previews and API records) show a
# conference as its card: an edit of its summary leaves them too.
tags.about_parents(Conference, "card")


class OrganizationRole(models.TextChoices):
    ORGANIZER = "organizer", _("organizer")
    CO_CHAIR = "co-chair", _("co-chair")
    PARTNER = "partner", _("partner")
    PARTICIPANT = "participant", _("participant")
    SPEAKER = "speaker", _("speaker")


class ConferenceOrganizationQuerySet(models.QuerySet):
    def get_by_natural_key(self, conference_slug, organization_slug):
        return self.get(
            conference__in=Conference.objects.with_slug(conference_slug),
            organization__in=Organization.objects.with_slug(organization_slug),
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

    objects = ConferenceOrganizationQuerySet.as_manager()

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


class ParticipationQuerySet(models.QuerySet):
    def get_by_natural_key(self, conference_slug, country_code):
        return self.get(conference__in=Conference.objects.with_slug(conference_slug), country__code=country_code)


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

    objects = ParticipationQuerySet.as_manager()

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


class AttendanceRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    HOST = "host", _("host")
    OPENING_SPEAKER = "opening-speaker", _("opened the meeting")
    SPEAKER = "speaker", _("speaker")
    DELEGATION_HEAD = "delegation-head", _("head of delegation")
    ATTENDEE = "attendee", _("attendee")


class AttendanceQuerySet(models.QuerySet):
    def get_by_natural_key(self, conference_slug, person_slug, role):
        return self.get(
            conference__in=Conference.objects.with_slug(conference_slug),
            person__in=Person.objects.with_slug(person_slug),
            role=role,
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

    objects = AttendanceQuerySet.as_manager()

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


class SourceKind(models.TextChoices):
    NEWS = "news", _("news report")
    ANALYSIS = "analysis", _("analysis or commentary")
    OFFICIAL = "official", _("official website")
    REFERENCE = "reference", _("reference work")


class SourceReport(SluggedModel):
    """An article or page a fact comes from. We keep excerpts and our own summary, never the text."""

    title = models.CharField(_("title"), max_length=400)
    outlet = models.CharField(
        _("outlet"), max_length=200, blank=True,
        help_text=_("As the source names itself (its site's name or domain); empty when no source states it."),
    )
    author = models.CharField(_("author"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
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

    url_name = "sources:detail"
    short_url_name = "short:source"

    class Meta:
        ordering = ["slug"]
        verbose_name = _("source report")
        verbose_name_plural = _("source reports")
        constraints = [
            partial_date_constraint(
                "published_on", "published_precision", "source_published_precision"
            ),
        ]

    def __str__(self):
        return f"{self.outlet}: {self.title}" if self.outlet else self.title

    def record_errors(self):
        errors = super().record_errors()
        self.published_on = normalise_partial_date(self.published_on, self.published_precision)
        errors.update(clean_partial_date(self.published_on, self.published_precision, "published_on"))
        return errors


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


class CitationQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)

    def attach(self, conferences):
        """Give each of `conferences`, and each of their countries, people and organizations, a
        `cited` list: the citations behind it, with their sources, read in one query.

        The conferences come from `Conference.objects.with_rows()`, so their rows are loaded.
        """
        conferences = list(conferences)
        self.attach_to(
            conference=conferences,
            participation=[row for conference in conferences for row in conference.participations.all()],
            attendance=[row for conference in conferences for row in conference.attendances.all()],
            conference_organization=[
                row for conference in conferences for row in conference.organization_roles.all()
            ],
        )
        return conferences

    def attach_to(self, **records):
        """Give each record a `cited` list of its citations, with their sources, in one query for all:
        `attach_to(organization=[cissa], position=positions)`, by the name of the citation's key to
        the record. Each citation points back at its record, so that way costs no query either."""
        targets = {field: {record.pk: record for record in rows} for field, rows in records.items()}
        for rows in targets.values():
            for record in rows.values():
                record.cited = []
        condition = models.Q(pk__in=[])
        for field, rows in targets.items():
            if rows:
                condition |= models.Q(**{f"{field}_id__in": list(rows)})
        for citation in self.select_related("source").filter(condition).order_by("pk"):
            for field, rows in targets.items():
                record = rows.get(getattr(citation, f"{field}_id"))
                if record is not None:
                    setattr(citation, field, record)
                    record.cited.append(citation)
                    break


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
        _("language of the quotation"), max_length=5, choices=Language.choices, default=Language.ARABIC,
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

    objects = CitationQuerySet.as_manager()

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


    def record_errors(self):
        errors = super().record_errors()
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
        return errors


