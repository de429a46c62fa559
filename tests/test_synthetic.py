"""The synthetic data generator: shaped like the real data, and never mixed into it by accident."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from conferences.models import Citation, Conference, Participation
from tests import factories as make

pytestmark = pytest.mark.django_db

TOPIC = {
    "model": "conferences.topic",
    "fields": {"slug": "terrorism", "name_ar": "الإرهاب", "name_en": "Terrorism",
               "description_ar": "مكافحة الإرهاب.", "description_en": "Countering terrorism."},
}


def test_refuses_a_database_holding_seed_data(tmp_path):
    """Seed data is whatever the seed loader wrote: here one topic, from a fixture of one record."""
    (tmp_path / "02_topics.json").write_text(json.dumps([TOPIC], ensure_ascii=False), encoding="utf-8")
    call_command("load_seeds", dir=str(tmp_path), verbosity=0)

    with pytest.raises(CommandError, match="holds the seed data"):
        call_command("generate_synthetic", conferences=5)
    assert not Conference.objects.filter(slug__startswith="synthetic-").exists()


def test_generates_conferences_shaped_like_the_real_data():
    real = [make.full_conference("summit-2025"), make.conference("cissa-21", status="announced")]
    before = {conference.pk: (conference.name_en, conference.participations.count()) for conference in real}

    call_command("generate_synthetic", conferences=30, force=True, verbosity=0)
    synthetic = Conference.objects.filter(slug__startswith="synthetic-")
    assert synthetic.count() == 30
    per_conference = synthetic.annotate(
        n_countries=Count("participations", distinct=True), n_people=Count("attendances", distinct=True)
    )
    for conference in per_conference:
        assert 10 <= conference.n_countries <= 41
        assert 5 <= conference.n_people <= 30
        assert conference.name_ar and conference.name_en and conference.summary_ar and conference.summary_en
    editions = list(synthetic.filter(series__isnull=False).values_list("series", "edition"))
    assert len(editions) == len(set(editions)) == 30
    # Every participation is cited, like the real data.
    synthetic_participations = Participation.objects.filter(conference__in=synthetic)
    assert synthetic_participations.exists()
    assert not synthetic_participations.filter(citations__isnull=True).exists()
    assert Citation.objects.filter(conference__in=synthetic, fact="conference-dates").count() == 30
    # The real records are untouched.
    others = Conference.objects.exclude(slug__startswith="synthetic-")
    assert sorted(others.values_list("slug", flat=True)) == ["cissa-21", "summit-2025"]
    assert {conference.pk: (conference.name_en, conference.participations.count()) for conference in others} == before
