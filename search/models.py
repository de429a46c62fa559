"""The search index: one entry per record the public search finds, and the words of their names.

Derived data, never edited: written by search.index from the records of the apps below.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import DatePrecision

from .query import SearchEntryQuerySet, SearchWordQuerySet


class SearchKind(models.TextChoices):
    """What a search result is, in the order the results page shows the kinds."""

    CONFERENCE = "conference", _("conference")
    SERIES = "series", _("series")
    PERSON = "person", _("person")
    ORGANIZATION = "organization", _("organization")
    COUNTRY = "country", _("country")
    TOPIC = "topic", _("topic")
    SOURCE = "source", _("source report")


# The cache tag (core.tags) of every answer read from the index: dropped once a change is in it.
INDEX_TAG = "search-index"


class SearchEntry(models.Model):
    """One record as the public search sees it: a conference, series, person, organization, country,
    topic or source report.

    Derived data, never edited: `rebuild_search_index` (also run by load_seeds and
    generate_synthetic) writes every row, and signals rewrite a record's row when it, its
    alternative names or its positions change (search.index).

    `names` and `text` hold search keys (core.arabic.search_key), each part between
    "| " and " |" so that a phrase never runs from one part into the next: `names` the
    record's names in both languages (titles, short names, acronym, alternative names),
    `text` those and everything else searched (place, description, summary, slug; for a
    conference also the names of its series, people and organizations, and the titles of the
    reports cited for it).

    On PostgreSQL the table also has a `document` column that the model does not declare:
    a tsvector the database generates from the display text for full-text search; and GIN
    indexes, trigram on `text` and full-text on `document` (migrations 0002 and 0003 of conferences,
    where the table began), and trigram on `names`. Its rows' words are indexed in `search_term`
    and `search_posting`, and counted by kind in `search_term_total`, which the search reads
    instead of `text` (search migrations 0005 and 0006, search.index); triggers delete a row's
    postings with it, and take them off the totals.
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
        # The table it has had since the search lived in the conferences app.
        db_table = "conferences_searchentry"
        ordering = ["kind", "object_id"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.slug}"


class SearchWord(models.Model):
    """A word of the records' names, for "did you mean" (search.query).

    Written with the index (search.index): `rebuild` counts every word anew,
    a record's save adds the words it brings. On PostgreSQL a GiST trigram index on `key`
    finds the nearest words to a misspelt one (migration 0003).
    """

    key = models.CharField(max_length=100, unique=True, help_text="The word's search key.")
    display = models.CharField(max_length=100, help_text="The word as a record writes it.")
    frequency = models.PositiveIntegerField(default=1, help_text="How many records' names hold it.")

    objects = SearchWordQuerySet.as_manager()

    class Meta:
        db_table = "conferences_searchword"
        ordering = ["key"]
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.display
