"""Fill an empty database with synthetic conferences, shaped like the real data, for benchmarks.

Every record is marked synthetic in its slug and summary. The command refuses a database that
holds the seed data (real records) unless given --force.
"""

import datetime
import itertools
import random
import string
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from conferences.models import (
    Attendance,
    AttendanceRole,
    Citation,
    Conference,
    ConferenceOrganization,
    OrganizationRole,
    Participation,
    ParticipationRole,
    Series,
    SourceReport,
    Topic,
)
from core.changes import bulk_write
from core.models import SeedRecord
from organizations.models import Organization, OrganizationKind
from participants.models import Country, Person, Region

AR_WORDS = ["الأمن", "الاستخبارات", "التعاون", "الإقليمي", "مكافحة", "الإرهاب", "الحدود", "الساحل", "المتوسط",
            "الأفريقي", "الاستراتيجي", "الدفاع", "المعلومات", "الهجرة", "البحري", "السيبراني", "الشراكة", "القارة"]
EN_WORDS = ["Security", "Intelligence", "Cooperation", "Regional", "Counter-Terrorism", "Border", "Sahel",
            "Mediterranean", "African", "Strategic", "Defence", "Information", "Migration", "Maritime", "Cyber",
            "Partnership", "Continental"]
AR_CITIES = ["بنغازي", "طرابلس", "أكادير", "الرباط", "تونس", "الجزائر", "نواكشوط", "نيامي", "باماكو", "القاهرة"]
EN_CITIES = ["Benghazi", "Tripoli", "Agadir", "Rabat", "Tunis", "Algiers", "Nouakchott", "Niamey", "Bamako", "Cairo"]
AR_GIVEN = ["محمد", "أحمد", "خالد", "حسين", "محمود", "عبد الله", "يوسف", "عمر", "سالم", "إبراهيم"]
EN_GIVEN = ["Mohammed", "Ahmed", "Khaled", "Hussein", "Mahmoud", "Abdullah", "Youssef", "Omar", "Salem", "Ibrahim"]
AR_FAMILY = ["العائب", "حمزة", "الحداد", "النمروش", "الزوبي", "المنصوري", "الحموشي", "خليفة", "بن علي", "الطاهر"]
EN_FAMILY = ["al-Ayeb", "Hamza", "al-Haddad", "al-Namroush", "al-Zoubi", "Mansouri", "Hammouchi", "Khalifa",
             "Ben Ali", "al-Taher"]

BATCH = 5000


class Command(BaseCommand):
    help = "Generate N synthetic conferences with proportional countries, people, organizations and citations."

    def add_arguments(self, parser):
        parser.add_argument("--conferences", type=int, required=True, help="How many conferences to create.")
        parser.add_argument("--force", action="store_true", help="Also run on a database that holds seed data.")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed, for repeatable data.")

    def handle(self, *args, **options):
        count = options["conferences"]
        if count < 1:
            raise CommandError("--conferences must be at least 1.")
        if SeedRecord.objects.exists() and not options["force"]:
            raise CommandError(
                "This database holds the seed data (real records). Synthetic records must not be mixed into "
                "real data: use an empty database, or pass --force if you really mean it."
            )
        if Conference.objects.filter(slug__startswith="synthetic-").exists():
            raise CommandError("This database already holds synthetic conferences.")
        started = time.monotonic()
        # A bulk write: what derives from the records (the site's version, the search index) is
        # brought up to date once, after the commit (core.changes).
        with transaction.atomic(), bulk_write():
            Generator(random.Random(options["seed"]), count).run()
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them PostgreSQL plans the pages' joins for the
            # empty tables it last looked at.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {count} synthetic conferences in {time.monotonic() - started:.1f} s."
        ))


def bulk(model, objects):
    return model.objects.bulk_create(objects, batch_size=BATCH)


class Generator:
    def __init__(self, rng, count):
        self.rng = rng
        self.count = count

    def words(self, n):
        picks = [self.rng.randrange(len(EN_WORDS)) for _ in range(n)]
        return " ".join(AR_WORDS[i] for i in picks), " ".join(EN_WORDS[i] for i in picks)

    def run(self):
        self.countries = self.make_countries(min(600, 40 + self.count // 20))
        self.topics = bulk(Topic, [
            Topic(slug=f"synthetic-topic-{i}", name_ar=f"موضوع {i}", name_en=f"Topic {i}")
            for i in range(40)
        ])
        self.organizations = bulk(Organization, [
            Organization(
                slug=f"synthetic-org-{i}", name_ar=f"هيئة {i}", name_en=f"Agency {i}",
                kind=self.rng.choice(OrganizationKind.values), country=self.rng.choice(self.countries),
                description_ar="سجل اصطناعي لاختبار الأداء.", description_en="Synthetic record for performance tests.",
            )
            for i in range(max(20, self.count // 5))
        ])
        self.people = bulk(Person, [
            Person(
                slug=f"synthetic-person-{i}",
                name_ar=f"{AR_GIVEN[i % 10]} {AR_FAMILY[(i // 10) % 10]} {i}",
                name_en=f"{EN_GIVEN[i % 10]} {EN_FAMILY[(i // 10) % 10]} {i}",
                rank_ar="اللواء", rank_en="Major General", country=self.rng.choice(self.countries),
            )
            for i in range(max(50, self.count // 2))
        ])
        self.series = bulk(Series, [
            Series(slug=f"synthetic-series-{i}", name_ar=f"سلسلة {self.words(2)[0]} {i}",
                   name_en=f"{self.words(2)[1]} Series {i}", organization=self.rng.choice(self.organizations))
            for i in range(max(1, self.count // 20))
        ])
        self.sources = bulk(SourceReport, [
            SourceReport(
                slug=f"synthetic-source-{i}", title_ar=f"تقرير {i}", title_en=f"Report {i}",
                outlet_ar="وكالة اصطناعية", outlet_en="Synthetic Agency", kind="news", language="ar",
                summary_ar="ملخص اصطناعي.", summary_en="Synthetic summary.",
            )
            for i in range(self.count)
        ])
        conferences = bulk(Conference, [self.conference(i) for i in range(self.count)])
        self.links(conferences)

    def make_countries(self, n):
        existing = set(Country.objects.values_list("code", flat=True))
        codes = ["".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2)]
        codes = [code for code in codes if code not in existing][:n]
        regions = Region.values
        bulk(Country, [
            Country(code=code, name_ar=f"بلد {code}", name_en=f"Country {code}", region=regions[i % len(regions)])
            for i, code in enumerate(codes)
        ])
        return list(Country.objects.filter(code__in=codes))

    def conference(self, i):
        rng = self.rng
        start = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 27))
        precision = rng.choices(["day", "month", "year", "unknown"], weights=[80, 10, 5, 5])[0]
        if precision == "unknown":
            start = end = None
            end_precision = "unknown"
        else:
            start = {"day": start, "month": start.replace(day=1), "year": start.replace(month=1, day=1)}[precision]
            end = start + datetime.timedelta(days=rng.randrange(4)) if precision == "day" else None
            end_precision = "day" if end else "unknown"
        city = rng.randrange(len(EN_CITIES))
        ar, en = self.words(4)
        series_index, edition = i % len(self.series), i // len(self.series) + 1
        return Conference(
            slug=f"synthetic-{i}", name_ar=f"مؤتمر {ar} {i}", name_en=f"{en} Conference {i}",
            short_name_ar=f"مؤتمر {i}", short_name_en=f"Conference {i}",
            series=self.series[series_index], edition=edition,
            status=rng.choices(["held", "announced", "planned"], weights=[85, 10, 5])[0],
            start_date=start, start_precision=precision, end_date=end, end_precision=end_precision,
            city_ar=AR_CITIES[city], city_en=EN_CITIES[city], host_country=rng.choice(self.countries),
            theme_ar=ar, theme_en=en,
            summary_ar=f"مؤتمر اصطناعي لاختبار الأداء: {ar}.",
            summary_en=f"Synthetic conference for performance tests: {en}.",
            outcomes_ar="نتائج اصطناعية.", outcomes_en="Synthetic outcomes.",
        )

    def links(self, conferences):
        """The link tables hold most rows: write them as plain rows, with COPY on PostgreSQL."""
        rng = self.rng
        now = timezone.now()
        participations, attendances, organizations, topic_links = [], [], [], []
        for conference in conferences:
            countries = rng.sample(self.countries, rng.randint(10, min(40, len(self.countries))))
            if conference.host_country in countries:
                countries.remove(conference.host_country)
            participations.append((conference.pk, conference.host_country.pk, "host"))
            for country in countries:
                role = rng.choices(ParticipationRole.values[1:], weights=[80, 15, 5])[0]
                participations.append((conference.pk, country.pk, role))
            for person in rng.sample(self.people, rng.randint(5, min(30, len(self.people)))):
                attendances.append((conference.pk, person.pk, rng.choice(AttendanceRole.values),
                                    rng.choice(self.organizations).pk))
            for organization in rng.sample(self.organizations, 2):
                organizations.append((conference.pk, organization.pk, rng.choice(OrganizationRole.values)))
            for topic in rng.sample(self.topics, rng.randint(2, 6)):
                topic_links.append((conference.pk, topic.pk))

        tracked = (now, now, 1)
        insert_rows(Participation, ["conference", "country", "role", "note", "created_at", "updated_at", "version"],
                    [(*row, "", *tracked) for row in participations])
        insert_rows(Attendance, ["conference", "person", "role", "organization", "note", "created_at", "updated_at",
                                 "version"], [(*row, "", *tracked) for row in attendances])
        insert_rows(ConferenceOrganization, ["conference", "organization", "role", "note", "created_at",
                                             "updated_at", "version"], [(*row, "", *tracked) for row in organizations])
        insert_rows(Conference.topics.through, ["conference", "topic"], topic_links)

        conference_ids = [conference.pk for conference in conferences]
        source_of = {conference.pk: self.sources[i].pk for i, conference in enumerate(conferences)}
        columns = ["key", "source", "fact", "conference", "participation", "attendance", "quote_language", "excerpt",
                   "excerpt_ar", "excerpt_en", "original", "claim", "stance", "attributed_to", "note", "created_at",
                   "updated_at", "version"]

        def citation(key, fact, conference_id, target):
            return (key, source_of[conference_id], fact, target.get("conference"), target.get("participation"),
                    target.get("attendance"), "ar", "مقتطف اصطناعي.", "مقتطف اصطناعي.", "Synthetic excerpt.", "", "",
                    "supports", "", "", *tracked)

        rows = []
        for pk in conference_ids:
            rows.append(citation(f"synthetic-c{pk}-dates", "conference-dates", pk, {"conference": pk}))
            rows.append(citation(f"synthetic-c{pk}-place", "conference-place", pk, {"conference": pk}))
        for pk, conference_id in Participation.objects.filter(conference_id__in=conference_ids).values_list(
            "pk", "conference_id"
        ).iterator(chunk_size=BATCH):
            rows.append(citation(f"synthetic-p{pk}", "participation", conference_id, {"participation": pk}))
        for pk, conference_id in Attendance.objects.filter(conference_id__in=conference_ids).values_list(
            "pk", "conference_id"
        ).iterator(chunk_size=BATCH):
            rows.append(citation(f"synthetic-a{pk}", "attendance", conference_id, {"attendance": pk}))
        insert_rows(Citation, columns, rows)


def insert_rows(model, field_names, rows):
    """Insert plain rows fast: COPY on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in field_names]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            for start in range(0, len(rows), BATCH):
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows[start:start + BATCH])
