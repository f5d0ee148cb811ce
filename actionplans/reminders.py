"""Reminder kinds of the action plans, for the engine in `konflik.reminders`.

Both are about a plan and one period (in the payload) and go to the secretariat of the plan's team
(the regency secretariat users of its region; for the province's own plan, the province secretariat):

- `actionplans.period_closing`: `KONFLIK_ACTIONPLAN_REMIND_DAYS_BEFORE_END` days (default 7) before
  the period ends, at 08:00 WIB, when realisations of that period are still missing;
- `actionplans.realisation_overdue`: at 08:00 WIB the morning after the deadline, when realisations
  are still not submitted.

They are planned when a plan is created (`plan_create`, and so also by copying and by the demo), in
the same transaction, with a dedupe key per plan, period and kind: planning twice is a no-op.
Times already past when the plan is created are not planned (nobody wants a backlog of stale
reminders). When the reminder comes due the engine re-reads the plan: with nothing missing any more,
nothing is sent.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik import reminders
from konflik.models import User

from . import periods

PERIOD_CLOSING = "actionplans.period_closing"
REALISATION_OVERDUE = "actionplans.realisation_overdue"


def missing_count(plan, period) -> int:
    """Activities with a target in the period whose realisation was not reported (submitted or
    accepted) yet."""
    from .selectors import reported_exists

    target = f"target_{period.lower()}"
    return plan.activities.filter(**{f"{target}__gt": 0}).exclude(reported_exists(period)).count()


def _at_eight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 8, tzinfo=periods.WIB)


def closing_due_at(year, period):
    days = getattr(settings, "KONFLIK_ACTIONPLAN_REMIND_DAYS_BEFORE_END", 7)
    return _at_eight(periods.period_end(year, period) - datetime.timedelta(days=days))


def overdue_due_at(year, period):
    return _at_eight(periods.deadline_date(year, period) + datetime.timedelta(days=1))


class _PlanPeriodKind(reminders.ReminderKind):
    def recipients(self, reminder, obj):
        users = User.objects.filter(
            Q(role=User.Role.REGENCY_SECRETARIAT) | Q(role=User.Role.PROVINCE_SECRETARIAT),
            region_id=obj.team.region_id,
            is_active=True,
        )
        return [reminders.Recipient(name=u.get_full_name() or u.username, user=u) for u in users]

    def is_relevant(self, reminder, obj):
        period = reminder.payload.get("period")
        return period in periods.Period.values and missing_count(obj, period) > 0

    def _context(self, reminder, obj):
        period = reminder.payload["period"]
        return {
            "period": periods.Period(period).label,
            "year": obj.year,
            "team": obj.team.name,
            "missing": missing_count(obj, period),
            "deadline": periods.deadline_date(obj.year, period).strftime("%d-%m-%Y"),
            "end": periods.period_end(obj.year, period).strftime("%d-%m-%Y"),
        }


class PeriodClosing(_PlanPeriodKind):
    key = PERIOD_CLOSING

    def render(self, reminder, obj, recipient):
        ctx = self._context(reminder, obj)
        subject = _("Periode %(period)s %(year)s segera berakhir") % ctx
        text = (
            _(
                "Periode %(period)s %(year)s berakhir pada %(end)s. Rencana aksi %(team)s masih memiliki "
                "%(missing)s realisasi yang belum dikirim. Batas pengiriman: %(deadline)s pukul 23.59 WIB."
            )
            % ctx
        )
        return reminders.Message(subject=subject, text=text, url=reverse("actionplans:due"))


class RealisationOverdue(_PlanPeriodKind):
    key = REALISATION_OVERDUE

    def render(self, reminder, obj, recipient):
        ctx = self._context(reminder, obj)
        subject = _("Realisasi %(period)s %(year)s terlambat") % ctx
        text = (
            _(
                "Batas pengiriman realisasi %(period)s %(year)s (%(deadline)s) telah lewat. Rencana aksi "
                "%(team)s masih memiliki %(missing)s realisasi yang belum dikirim ke provinsi."
            )
            % ctx
        )
        return reminders.Message(subject=subject, text=text, url=reverse("actionplans:due"))


def register():
    reminders.register(PeriodClosing())
    reminders.register(RealisationOverdue())


def schedule_for_plan(plan, *, now=None):
    """Plan both reminders of every period of the plan's year that are still ahead."""
    now = now or timezone.now()
    planned = []
    for period in periods.PERIODS:
        for kind, due_at in (
            (PERIOD_CLOSING, closing_due_at(plan.year, period)),
            (REALISATION_OVERDUE, overdue_due_at(plan.year, period)),
        ):
            if due_at <= now:
                continue
            reminder = reminders.schedule(
                kind=kind,
                obj=plan,
                due_at=due_at,
                dedupe_key=f"plan:{plan.pk}:{period}",
                payload={"period": str(period)},
                region_code=plan.team.region_id,
            )
            if reminder is not None:
                planned.append(reminder)
    return planned


def cancel_for_plan(plan):
    return reminders.cancel_pending(obj=plan)
