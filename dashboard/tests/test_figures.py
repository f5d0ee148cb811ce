"""Every incident figure of the dashboard equals the count computed straight from the rows (by the
incidents app's own selectors), on randomly generated reports taken through random workflows, for
the province's leadership and for a regency's."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import selectors
from dashboard.models import IncidentRollup
from incidents import selectors as incident_selectors
from incidents import services
from incidents.models import Incident, SourceOfConflict

from . import factories as f

pytestmark = pytest.mark.django_db

REGIONS = ["61.71", "61.01", "61.12"]
STATES = ["draft", "submitted", "returned", "verified", "closed", "deleted", "updated"]

report = st.fixed_dictionaries(
    {
        "region": st.sampled_from(REGIONS),
        "year": st.sampled_from([2025, 2026, 2026]),
        "month": st.integers(1, 12),
        "day": st.integers(1, 19),  # the clock is frozen on 20 December 2026
        "source": st.sampled_from(SourceOfConflict.values),
        "stage": st.sampled_from(["potential", "occurring", "handled", "recovery"]),
        "deaths": st.integers(0, 3),
        "injured": st.integers(0, 5),
        "displaced": st.sampled_from([0, 0, 10, 250]),
        "state": st.sampled_from(STATES),
        "later_stage": st.sampled_from(["handled", "recovery", "resolved"]),
    }
)


def _file(spec, actors, province_sec):
    actor = actors[spec["region"]]
    incident = f.incident(
        actor,
        spec["region"],
        occurred_on=datetime.date(spec["year"], spec["month"], spec["day"]),
        source_of_conflict=spec["source"],
        stage=spec["stage"],
        deaths=spec["deaths"],
        injured=spec["injured"],
        displaced=spec["displaced"],
    )
    state = spec["state"]
    if state == "deleted":
        services.incident_delete(incident=incident, actor=actor)
        return
    target = "verified" if state == "updated" else state
    incident = f.advance(incident, to=target, actor=actor, reviewer=province_sec)
    if state == "updated":
        services.incident_add_update(
            incident=incident,
            actor=actor,
            data={"description": "Perkembangan.", "stage": spec["later_stage"], "deaths": spec["deaths"] + 1},
        )


def expected(user, selection):
    """The figures straight from the incident rows, through the incidents app's selectors."""
    first, last = selection.months
    rows = {
        "occurred_on__year": selection.year,
        "occurred_on__month__gte": first,
        "occurred_on__month__lte": last,
    }
    by_month = incident_selectors.counts_by_month(user=user, year=selection.year)
    totals = incident_selectors.casualties(user=user, **rows)
    resolved = (
        Incident.objects.visible_to(user)
        .filter(**rows)
        .exclude(status="draft")
        .filter(selectors.RESOLVED)
        .count()
    )
    return {
        "months": {m: by_month.get(m, 0) for m in range(first, last + 1)},
        "regions": incident_selectors.counts_by_regency(user=user, **rows),
        "sources": incident_selectors.counts_by_source(user=user, **rows),
        "stages": incident_selectors.counts_by_stage(user=user, **rows),
        "totals": {
            "incidents": totals["incidents"],
            "deaths": totals["deaths"],
            "injured": totals["injured"],
            "displaced": totals["displaced"],
            "resolved": resolved,
        },
    }


def shown(user, selection):
    """The same figures as the dashboard shows them."""
    data = selectors.dashboard(user=user, selection=selection)
    return {
        "months": {int(fig.key): fig.value for fig in data.by_month},
        "regions": {fig.key: fig.value for fig in data.by_area if fig.value},
        "sources": {fig.key: fig.value for fig in data.by_source if fig.value},
        "stages": {fig.key: fig.value for fig in data.by_stage if fig.value},
        "totals": {key: fig.value for key, fig in data.totals.items()},
        "rate": data.resolution_rate,
    }


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(reports=st.lists(report, min_size=0, max_size=12), period=st.sampled_from(["", "B04", "B08", "B12"]))
def test_dashboard_figures_equal_direct_counts(
    reports, period, late_2026, sec_a, sec_b, province_sec, leadership, leadership_a
):
    Incident.objects.all().delete()  # each example starts from an empty table
    IncidentRollup.objects.all().delete()
    actors = {"61.71": sec_a, "61.01": sec_b, "61.12": province_sec}
    for spec in reports:
        _file(spec, actors, province_sec)
    for user in (leadership, leadership_a):
        for year in (2025, 2026):
            selection = selectors.Selection(year=year, period=period)
            want, got = expected(user, selection), shown(user, selection)
            assert got["months"] == want["months"]
            assert got["regions"] == want["regions"]
            assert got["sources"] == want["sources"]
            assert got["stages"] == want["stages"]
            assert got["totals"] == want["totals"]
            if want["totals"]["incidents"]:
                rate = round(100 * want["totals"]["resolved"] / want["totals"]["incidents"], 1)
                assert got["rate"] == rate
                if not period:
                    assert got["rate"] == incident_selectors.resolution_rate(user=user, year=year)
            else:
                assert got["rate"] is None
    # A regency chosen by the province's leadership gives that regency's figures.
    selection = selectors.Selection(year=2026, period=period, region="61.71")
    assert (
        shown(leadership, selection)["totals"]
        == shown(leadership_a, selectors.Selection(2026, period))["totals"]
    )
