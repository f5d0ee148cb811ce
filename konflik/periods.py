"""The three reporting periods of a year, one type for every app (domain.md): B.04 covers
January–April, B.08 May–August, B.12 September–December.

The action plans report per period (`actionplans.periods` adds the deadlines), an evaluation meeting
of a team is held for one (`teams.Meeting.period`), the dashboard's periodic reports cover one.
"""

import datetime
import zoneinfo

from django.db import models
from django.utils.translation import gettext_lazy as _

WIB = zoneinfo.ZoneInfo("Asia/Pontianak")


class Period(models.TextChoices):
    B04 = "B04", _("B.04 (Januari–April)")
    B08 = "B08", _("B.08 (Mei–Agustus)")
    B12 = "B12", _("B.12 (September–Desember)")


PERIODS = [Period.B04, Period.B08, Period.B12]
MONTHS = {Period.B04: (1, 4), Period.B08: (5, 8), Period.B12: (9, 12)}


def period_start(year: int, period: str) -> datetime.date:
    """The first day of the period (1 January, 1 May, 1 September)."""
    return datetime.date(year, MONTHS[Period(period)][0], 1)


def period_end(year: int, period: str) -> datetime.date:
    """The last day of the period (30 April, 31 August, 31 December)."""
    last_month = MONTHS[Period(period)][1]
    if last_month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
