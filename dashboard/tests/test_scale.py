"""The national seed and the page benchmark, run at a tiny scale (the real national run is done by
hand on its own database, never in tests): set-based generation gives the promised shape, the rollup
equals the rows afterwards, and the benchmark prints its table."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import make_user
from dashboard import demo, rollups
from dashboard.models import IncidentRollup
from incidents.models import Incident
from konflik.models import Region
from teams.models import Meeting, Team

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the national seed is PostgreSQL-only"),
]


def test_tiny_national_seed_and_benchmark(late_2026):
    for username, role, region in (
        ("pimpinan", "leadership", "61"),
        ("pimpinan-pontianak", "leadership", "61.71"),
        ("sekprov", "province_secretariat", "61"),
        ("sek-pontianak", "regency_secretariat", "61.71"),
    ):
        make_user(username, role, region)
    out = io.StringIO()
    demo.seed_national(stdout=out, incidents=3000, activities=1100, meetings=550)
    rollups.rebuild()

    assert Region.objects.filter(level="province").count() == 38
    assert Region.objects.filter(level__in=["regency", "city"]).count() == 514
    assert Team.objects.count() == 38 + 514
    assert Incident.objects.count() == 3000
    assert Meeting.objects.count() >= 550
    # numbers stay unique per regency and year, and the counters continue after them
    assert Incident.objects.values("number").distinct().count() == 3000
    assert sum(IncidentRollup.objects.values_list("incidents", flat=True)) == 3000

    report = io.StringIO()
    call_command("bench_pages", "--label", "tiny", "--iterations", "2", "--warmup", "0", stdout=report)
    lines = [line for line in report.getvalue().splitlines() if line.startswith("| tiny |")]
    assert len(lines) == 13
    assert all(int(line.split("|")[4]) > 0 for line in lines)  # query counts are measured
