"""Rollups for the matrix, the province's submission table and the dashboard."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from actionplans import selectors, services
from actionplans.periods import WIB

from . import factories as f


@pytest.fixture
def reported_plan(sec_a, province_sec, plan_a):
    """Prevention: 150% and 50% reported; stopping: one draft (counts 0) and one without B04 target."""
    a1 = f.activity(sec_a, plan_a, title="A1", targets=(10, 10, None))
    a2 = f.activity(sec_a, plan_a, title="A2", targets=(4, None, None))
    s1 = f.activity(
        sec_a, plan_a, title="S1", strategy="stopping", sub_type="stopping_violence", targets=(2, 2, 2)
    )
    f.activity(
        sec_a, plan_a, title="S2", strategy="stopping", sub_type="stopping_rescue", targets=(0, 1, None)
    )
    for activity, value in ((a1, 15), (a2, 2)):
        r = services.realisation_create(actor=sec_a, activity=activity, period="B04", value=value)
        services.realisation_submit(actor=sec_a, realisation=r)
    services.realisation_accept(actor=province_sec, realisation=a1.realisations.get())
    services.realisation_create(actor=sec_a, activity=s1, period="B04", value=2)  # draft: not reported
    return plan_a


def test_plan_matrix_groups_and_achievement(sec_a, reported_plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # activities, related institutions, realisations, evidence
        matrix = selectors.plan_matrix(user=sec_a, plan=reported_plan)
    groups = {g.strategy: g for g in matrix["groups"]}
    assert [g.strategy for g in matrix["groups"]] == ["prevention", "stopping", "recovery"]
    assert [r.activity.title for r in groups["prevention"].rows] == ["A1", "A2"]
    assert groups["prevention"].achievement["B04"] == Decimal("75.00")  # (min(150,100) + 50) / 2
    assert groups["stopping"].achievement["B04"] == Decimal("0.00")  # S1 draft counts 0, S2 has no target
    assert groups["recovery"].achievement["B04"] is None  # nothing targeted
    assert matrix["overall"]["B04"] == Decimal("50.00")  # (100 + 50 + 0) / 3
    assert matrix["overall"]["B12"] == Decimal("0.00")  # S1 targeted in B12, nothing reported


def test_sql_rollups_agree_with_the_matrix(sec_a, province_sec, reported_plan, plan_b, sec_b):
    f.activity(sec_b, plan_b, targets=(5, 5, 5))  # Sambas: nothing reported
    by_strategy = selectors.achievement_by_strategy(user=sec_a, year=2026, period="B04")
    assert by_strategy["prevention"] == {"activities": 2, "achievement": Decimal("75.00")}
    assert by_strategy["stopping"] == {"activities": 1, "achievement": Decimal("0.00")}
    assert by_strategy["recovery"] == {"activities": 0, "achievement": None}
    assert by_strategy["overall"] == {"activities": 3, "achievement": Decimal("50.00")}
    by_regency = selectors.achievement_by_regency(user=province_sec, year=2026, period="B04")
    assert by_regency["61.71"] == Decimal("50.00") and by_regency["61.01"] == Decimal("0.00")
    # a regency sees only itself
    assert set(selectors.achievement_by_regency(user=sec_a, year=2026, period="B04")) == {"61.71"}


def test_submission_table_states(sec_a, sec_b, province_sec, django_assert_max_num_queries):
    with time_machine.travel(datetime.datetime(2026, 5, 8, 10, tzinfo=WIB), tick=False) as traveller:
        plan_a, plan_b = f.plan(sec_a, "61.71"), f.plan(sec_b, "61.01")
        a = f.activity(sec_a, plan_a, targets=(1, 1, None))
        b1 = f.activity(sec_b, plan_b, targets=(1, None, None))
        b2 = f.activity(sec_b, plan_b, title="B2", targets=(2, None, None))
        r = services.realisation_create(actor=sec_a, activity=a, period="B04", value=1)
        services.realisation_submit(actor=sec_a, realisation=r)  # A complete on time
        rb = services.realisation_create(actor=sec_b, activity=b1, period="B04", value=1)
        services.realisation_submit(actor=sec_b, realisation=rb)
        with django_assert_max_num_queries(5):
            table = {
                row.team.region_id: row for row in selectors.submission_table(user=province_sec, year=2026)
            }
        assert table["61.71"].cells[0].state == "on_time"
        assert table["61.01"].cells[0].state == "pending"  # 1 of 2, deadline ahead
        traveller.move_to(datetime.datetime(2026, 5, 12, 10, tzinfo=WIB))
        table = {row.team.region_id: row for row in selectors.submission_table(user=province_sec, year=2026)}
        assert (table["61.01"].cells[0].state, table["61.01"].cells[0].submitted) == ("missing", 1)
        rb2 = services.realisation_create(actor=sec_b, activity=b2, period="B04", value=1)
        services.realisation_submit(actor=sec_b, realisation=rb2)
        table = {row.team.region_id: row for row in selectors.submission_table(user=province_sec, year=2026)}
    assert table["61.01"].cells[0].state == "late"
    assert table["61.01"].cells[0].achievement == Decimal("75.00")  # (100 + 50) / 2
    assert table["61.71"].cells[1].state == "pending" and table["61.71"].cells[2].state == "no_target"
    assert table["61.71"].plan_id == plan_a.pk
    assert "61.01" not in {row.team.region_id for row in selectors.submission_table(user=sec_a, year=2026)}


def test_due_and_overdue(sec_a, sec_b, plan_a, plan_b):
    a = f.activity(sec_a, plan_a, targets=(1, 1, 1))
    f.activity(sec_b, plan_b, targets=(1, 1, 1))
    due = selectors.due_activities(user=sec_a, year=2026, period="B08")
    assert [x.pk for x in due] == [a.pk] and due[0].period_realisation is None
    overdue = selectors.overdue_activities(user=sec_a)
    assert [(y, p, x.pk) for y, p, x in overdue] == [(2026, "B04", a.pk)]
    r = services.realisation_create(actor=sec_a, activity=a, period="B04", value=1)
    services.realisation_submit(actor=sec_a, realisation=r)
    assert selectors.overdue_activities(user=sec_a) == []
