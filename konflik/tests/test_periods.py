"""One period type: the meetings, the action plans and the dashboard's reports share `konflik.periods`."""

import datetime

from actionplans import periods as plan_periods
from dashboard.models import PeriodicReport
from dashboard.selectors import PERIOD_MONTHS
from konflik.periods import PERIODS, Period, period_end, period_start
from teams.models import Meeting


def test_every_app_uses_the_one_type_with_its_values_and_labels():
    assert Meeting.Period is Period and plan_periods.Period is Period
    assert Meeting._meta.get_field("period").choices == Period.choices
    assert PeriodicReport._meta.get_field("period").choices == Period.choices
    assert [(p.value, str(p.label)) for p in PERIODS] == [
        ("B04", "B.04 (Januari–April)"),
        ("B08", "B.08 (Mei–Agustus)"),
        ("B12", "B.12 (September–Desember)"),
    ]


def test_the_calendar_of_a_period():
    assert (period_start(2026, "B08"), period_end(2026, "B08")) == (
        datetime.date(2026, 5, 1),
        datetime.date(2026, 8, 31),
    )
    assert period_end(2028, "B04") == datetime.date(2028, 4, 30)
    assert PERIOD_MONTHS.get("B12") == (9, 12)  # a plain string finds its period
