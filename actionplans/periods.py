"""The three reporting periods of a plan year and their deadlines.

B04 covers January–April, B08 May–August, B12 September–December (domain.md). A period's report is
due `KONFLIK_ACTIONPLAN_DEADLINE_DAYS` days (default 10) after the period ends, up to the end of that
day in WIB: B04 of 2026 is due by 10 May 2026 23:59:59 WIB. A submission is *on time* when it is made
strictly before the first instant of the following day (`deadline_at()`).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WIB = zoneinfo.ZoneInfo("Asia/Pontianak")


class Period(models.TextChoices):
    B04 = "B04", _("B.04 (Januari–April)")
    B08 = "B08", _("B.08 (Mei–Agustus)")
    B12 = "B12", _("B.12 (September–Desember)")


PERIODS = [Period.B04, Period.B08, Period.B12]
_MONTHS = {Period.B04: (1, 4), Period.B08: (5, 8), Period.B12: (9, 12)}


def deadline_days() -> int:
    return int(getattr(settings, "KONFLIK_ACTIONPLAN_DEADLINE_DAYS", 10))


def period_start(year: int, period: str) -> datetime.date:
    return datetime.date(year, _MONTHS[Period(period)][0], 1)


def period_end(year: int, period: str) -> datetime.date:
    """The last day of the period (30 April, 31 August, 31 December)."""
    last_month = _MONTHS[Period(period)][1]
    if last_month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


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
