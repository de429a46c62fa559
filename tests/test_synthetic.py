"""The synthetic data generator: shaped like the real data, and never mixed into it by accident."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from conferences.models import Citation, Conference, Participation

pytestmark = pytest.mark.django_db


def test_refuses_a_database_holding_seed_data():
    with pytest.raises(CommandError, match="holds the seed data"):
        call_command("generate_synthetic", conferences=5)
    assert not Conference.objects.filter(slug__startswith="synthetic-").exists()


def test_generates_conferences_shaped_like_the_real_data():
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
    assert Conference.objects.exclude(slug__startswith="synthetic-").count() == 5
