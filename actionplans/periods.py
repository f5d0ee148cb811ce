"""The deadlines of the three reporting periods of a plan year (`konflik.periods`).

B04 covers January–April, B08 May–August, B12 September–December (domain.md). A period's report is
due `KONFLIK_ACTIONPLAN_DEADLINE_DAYS` days (default 10) after the period ends, up to the end of that
day in WIB: B04 of 2026 is due by 10 May 2026 23:59:59 WIB. A submission is *on time* when it is made
strictly before the first instant of the following day (`deadline_at()`).
"""

import datetime

from django.conf import settings
from django.utils import timezone

# The period type and its calendar are the core's (`konflik.periods`), shared with the meetings.
from konflik.periods import PERIODS, WIB, Period, period_end, period_start  # noqa: F401 (Period: re-exported)


def deadline_days() -> int:
    return int(getattr(settings, "KONFLIK_ACTIONPLAN_DEADLINE_DAYS", 10))


def deadline_date(year: int, period: str) -> datetime.date:
    """The last day on which a report is on time."""
    return period_end(year, period) + datetime.timedelta(days=deadline_days())


def deadline_at(year: int, period: str) -> datetime.datetime:
    """The first instant (WIB) at which a submission is late: midnight after the deadline date."""
    day = deadline_date(year, period) + datetime.timedelta(days=1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=WIB)


def period_started(year: int, period: str, *, now=None) -> bool:
    today = timezone.localtime(now or timezone.now(), WIB).date()
    return today >= period_start(year, period)


def is_on_time(year: int, period: str, submitted_at: datetime.datetime) -> bool:
    return submitted_at < deadline_at(year, period)


def due_period(*, now=None) -> tuple[int, str]:
    """The period whose report is due next: the started period with the nearest deadline not yet
    passed. On 5 May that is B04 (due 10 May), on 11 May B08."""
    now = now or timezone.now()
    today = timezone.localtime(now, WIB).date()
    for year in (today.year - 1, today.year):
        for period in PERIODS:
            if period_start(year, period) <= today and now < deadline_at(year, period):
                return year, period
    return today.year, PERIODS[0]  # not reached: some period of this year has always started
