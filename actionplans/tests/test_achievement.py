"""The achievement arithmetic and the period deadlines, with time frozen around the boundary."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from actionplans import periods, services
from actionplans.achievement import achievement_percent, average_achievement
from actionplans.periods import WIB, Period

from . import factories as f


@pytest.mark.parametrize(
    "value,target,expected",
    [
        (5, 10, Decimal("50.00")),
        (10, 10, Decimal("100.00")),
        (15, 10, Decimal("150.00")),  # over-achievement is shown as it is
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),  # half-up rounding
        (0, 4, Decimal("0.00")),
        (5, 0, None),  # a zero target: nothing was planned, no achievement
        (5, None, None),  # no target for the period
        (None, 10, None),  # no value yet
        (Decimal("0.5"), Decimal("0.25"), Decimal("200.00")),
    ],
)
def test_achievement_percent(value, target, expected):
    assert achievement_percent(value, target) == expected


def test_average_caps_each_activity_and_counts_missing_as_zero():
    assert average_achievement([Decimal(150), Decimal(50)]) == Decimal("75.00")  # 100 + 50
    assert average_achievement([Decimal(80), None]) == Decimal("40.00")  # a missing report is 0
    assert average_achievement([Decimal(100), Decimal(100), Decimal(0)]) == Decimal("66.67")
    assert average_achievement([]) is None  # nothing targeted in the period


@pytest.mark.parametrize(
    "period,end,deadline",
    [
        (Period.B04, datetime.date(2026, 4, 30), datetime.date(2026, 5, 10)),
        (Period.B08, datetime.date(2026, 8, 31), datetime.date(2026, 9, 10)),
        (Period.B12, datetime.date(2026, 12, 31), datetime.date(2027, 1, 10)),
    ],
)
def test_period_ends_and_deadlines(period, end, deadline):
    assert periods.period_end(2026, period) == end
    assert periods.deadline_date(2026, period) == deadline
    assert periods.deadline_at(2026, period) == datetime.datetime.combine(
        deadline + datetime.timedelta(days=1), datetime.time(0), tzinfo=WIB
    )


def test_deadline_days_are_configurable(settings):
    settings.KONFLIK_ACTIONPLAN_DEADLINE_DAYS = 5
    assert periods.deadline_date(2026, Period.B04) == datetime.date(2026, 5, 5)


def test_february_of_a_leap_year_does_not_matter_but_month_ends_do():
    assert periods.period_end(2028, Period.B04) == datetime.date(2028, 4, 30)
    assert periods.period_start(2028, Period.B08) == datetime.date(2028, 5, 1)


@pytest.mark.parametrize(
    "moment,expected",
    [
        (datetime.datetime(2026, 5, 5, 12, tzinfo=WIB), (2026, "B04")),
        (datetime.datetime(2026, 5, 10, 23, 59, tzinfo=WIB), (2026, "B04")),
        (datetime.datetime(2026, 5, 11, 0, 0, tzinfo=WIB), (2026, "B08")),
        (datetime.datetime(2027, 1, 5, 8, tzinfo=WIB), (2026, "B12")),
        (datetime.datetime(2027, 1, 11, 8, tzinfo=WIB), (2027, "B04")),
    ],
)
def test_due_period(moment, expected):
    assert periods.due_period(now=moment) == expected


@pytest.mark.parametrize(
    "moment,on_time",
    [
        (datetime.datetime(2026, 5, 10, 23, 59, 59, tzinfo=WIB), True),
        (datetime.datetime(2026, 5, 11, 0, 0, 0, tzinfo=WIB), False),
        # 16:59:59 UTC on 10 May is still 23:59:59 WIB: the deadline is in WIB, not UTC
        (datetime.datetime(2026, 5, 10, 16, 59, 59, tzinfo=datetime.UTC), True),
        (datetime.datetime(2026, 5, 10, 17, 0, 0, tzinfo=datetime.UTC), False),
    ],
)
def test_submission_stamped_on_time_or_late_at_the_boundary(sec_a, moment, on_time):
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=WIB), tick=False) as traveller:
        plan = f.plan(sec_a, "61.71")
        activity = f.activity(sec_a, plan)
        realisation = services.realisation_create(actor=sec_a, activity=activity, period="B04", value=4)
        traveller.move_to(moment)
        realisation = services.realisation_submit(actor=sec_a, realisation=realisation)
    assert realisation.on_time is on_time
    assert realisation.first_submitted_at == moment


def test_a_return_does_not_make_a_first_on_time_submission_late(sec_a, province_sec):
    with time_machine.travel(datetime.datetime(2026, 5, 9, 10, tzinfo=WIB), tick=False) as traveller:
        plan = f.plan(sec_a, "61.71")
        realisation = services.realisation_create(
            actor=sec_a, activity=f.activity(sec_a, plan), period="B04", value=4
        )
        services.realisation_submit(actor=sec_a, realisation=realisation)
        services.realisation_return(actor=province_sec, realisation=realisation, note="Lengkapi foto.")
        traveller.move_to(datetime.datetime(2026, 5, 20, 10, tzinfo=WIB))
        realisation = services.realisation_submit(actor=sec_a, realisation=realisation)
    assert realisation.on_time is True
    assert realisation.submitted_at > realisation.first_submitted_at


def test_achievement_is_stored_and_follows_target_changes(sec_a, plan_a):
    activity = f.activity(sec_a, plan_a, targets=(4, None, 0))
    b04 = services.realisation_create(actor=sec_a, activity=activity, period="B04", value=3)
    b08 = services.realisation_create(actor=sec_a, activity=activity, period="B08", value=3)
    assert b04.achievement == Decimal("75.00")
    assert b08.achievement is None  # no target for B08
    services.activity_update(actor=sec_a, activity=activity, target_b04=Decimal(6), target_b08=Decimal(3))
    b04.refresh_from_db()
    b08.refresh_from_db()
    assert (b04.achievement, b08.achievement) == (Decimal("50.00"), Decimal("100.00"))
