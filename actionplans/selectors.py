"""Reads of the action plans app, all built on `visible_to(user)`. The leadership dashboard calls
`achievement_by_strategy`, `achievement_by_regency` and `submission_table`; every one of them is a
fixed number of aggregate queries whatever the number of plans and activities.

The achievement rule is documented in `actionplans.models`; `achievement.py` is its Python twin
(used for one plan's matrix, whose rows are already loaded).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from konflik.scoping import scoped_prefetch
from teams.models import Team

from . import periods
from .achievement import average_achievement
from .models import ActionPlan, Activity, Evidence, Realisation, Strategy
from .periods import PERIODS

_CENT = Decimal("0.01")


def _round(value):
    return None if value is None else Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


# --- lists -------------------------------------------------------------------------------------------


def plan_list(*, user):
    return (
        ActionPlan.objects.visible_to(user)
        .select_related("team__region")
        .annotate(activity_count=Count("activities"))
        .order_by("-year", "team__region")
    )


def activity_list(*, user):
    return (
        Activity.objects.visible_to(user)
        .select_related("plan__team", "responsible_institution", "place")
        .prefetch_related(scoped_prefetch("related_institutions", user))
    )


def realisation_list(*, user):
    return (
        Realisation.objects.visible_to(user)
        .select_related("activity__plan__team", "submitted_by", "reviewed_by")
        .prefetch_related(scoped_prefetch("evidence", user))
    )


def realisation_evidence(*, user, realisation):
    return list(Evidence.objects.visible_to(user).filter(realisation=realisation))


def team_choices(*, user):
    """The teams a user may write a plan for."""
    return Team.objects.visible_to(user).select_related("region").order_by("region_id")


def previous_plan(*, user, plan):
    return (
        ActionPlan.objects.visible_to(user)
        .filter(team_id=plan.team_id, year__lt=plan.year)
        .order_by("-year")
        .first()
    )


# --- one plan's matrix -------------------------------------------------------------------------------


@dataclass
class MatrixRow:
    activity: Activity
    realisations: dict  # period -> Realisation

    @property
    def cells(self):
        """One entry per period, in order, for templates."""
        return [
            {
                "period": p.value,
                "target": self.activity.target_for(p),
                "realisation": self.realisations.get(p.value),
            }
            for p in PERIODS
        ]


@dataclass
class MatrixGroup:
    strategy: str
    label: str
    rows: list = field(default_factory=list)
    achievement: dict = field(default_factory=dict)  # period -> Decimal | None

    @property
    def achievement_cells(self):
        return [self.achievement.get(p.value) for p in PERIODS]


def _group_achievement(rows, period):
    entries = []
    for row in rows:
        target = row.activity.target_for(period)
        if target is None or target <= 0:
            continue
        realisation = row.realisations.get(period)
        reported = realisation is not None and realisation.status in Realisation.REPORTED
        entries.append(realisation.achievement if reported else None)
    return average_achievement(entries)


def plan_matrix(*, user, plan, activities=None):
    """The plan's activities grouped by strategy (in the order of the law), each row with its
    realisation per period, and the achievement per strategy and overall for each period.
    Three queries: activities, their related institutions, their realisations."""
    if activities is None:
        activities = Activity.objects.visible_to(user).filter(plan=plan)
    activities = (
        activities.select_related("responsible_institution", "place")
        .prefetch_related(
            scoped_prefetch("related_institutions", user),
            scoped_prefetch(
                "realisations",
                user,
                Realisation.objects.order_by("period").prefetch_related(scoped_prefetch("evidence", user)),
            ),
        )
        .order_by("strategy", "position", "id")
    )
    groups = {s.value: MatrixGroup(strategy=s.value, label=s.label) for s in Strategy}
    for activity in activities:
        row = MatrixRow(activity=activity, realisations={r.period: r for r in activity.realisations.all()})
        groups[activity.strategy].rows.append(row)
    all_rows = [row for g in groups.values() for row in g.rows]
    for group in groups.values():
        group.achievement = {p.value: _group_achievement(group.rows, p) for p in PERIODS}
    overall = {p.value: _group_achievement(all_rows, p) for p in PERIODS}
    return {
        "groups": list(groups.values()),
        "overall": overall,
        "overall_cells": [overall[p.value] for p in PERIODS],
        "count": len(all_rows),
    }


# --- aggregates for the province and the dashboard --------------------------------------------------


def _targeted(user, year, period, *, region_code=None):
    """Activities of `year` with a target in `period`, each joined (at most once) with its reported
    realisation of that period (`rep`) and with its realisation if it was ever submitted (`sub`)."""
    target = f"target_{period.lower()}"
    qs = Activity.objects.visible_to(user).filter(plan__year=year, **{f"{target}__gt": 0})
    if region_code:
        from konflik.scoping import scope_q

        qs = qs.filter(scope_q("plan__team__region", region_code))
    return qs.annotate(
        rep=FilteredRelation(
            "realisations",
            condition=Q(realisations__period=period, realisations__status__in=Realisation.REPORTED),
        ),
        sub=FilteredRelation(
            "realisations",
            condition=Q(realisations__period=period, realisations__first_submitted_at__isnull=False),
        ),
    )


_CAPPED = Least(
    Coalesce(
        "rep__achievement", Value(Decimal(0)), output_field=DecimalField(max_digits=9, decimal_places=2)
    ),
    Value(Decimal(100)),
    output_field=DecimalField(max_digits=9, decimal_places=2),
)


def achievement_by_strategy(*, user, year, period, region_code=None):
    """`{strategy: {"activities": n, "achievement": Decimal | None}}` for every strategy, plus the key
    `"overall"`, over the plans the user can see (optionally one region's). One query."""
    rows = (
        _targeted(user, year, period, region_code=region_code)
        .values("strategy")
        .annotate(n=Count("id"), avg=Avg(_CAPPED))
        .order_by()
    )
    result = {s.value: {"activities": 0, "achievement": None} for s in Strategy}
    total_n, total_sum = 0, Decimal(0)
    for row in rows:
        result[row["strategy"]] = {"activities": row["n"], "achievement": _round(row["avg"])}
        total_n += row["n"]
        total_sum += Decimal(row["avg"]) * row["n"]
    result["overall"] = {
        "activities": total_n,
        "achievement": _round(total_sum / total_n) if total_n else None,
    }
    return result


def achievement_by_regency(*, user, year, period):
    """`{region_code: Decimal | None}` for every team the user can see (None: nothing targeted).
    Two queries."""
    rows = _targeted(user, year, period).values("plan__team__region_id").annotate(avg=Avg(_CAPPED)).order_by()
    by_region = {row["plan__team__region_id"]: _round(row["avg"]) for row in rows}
    codes = Team.objects.visible_to(user).order_by("region_id").values_list("region_id", flat=True)
    return {code: by_region.get(code) for code in codes}


@dataclass
class SubmissionCell:
    period: str
    state: str  # on_time | late | missing | pending | no_target
    targeted: int = 0
    submitted: int = 0
    completed_at: object = None
    achievement: Decimal | None = None
    deadline: object = None


@dataclass
class SubmissionRow:
    team: Team
    plan_id: int | None
    cells: list


def submission_table(*, user, year, now=None):
    """For each team the user can see and each period of `year`: was the period's report submitted on
    time, late, or is it missing (deadline passed) / pending (deadline ahead), with the achievement.

    A team's report for a period is complete when every activity with a target in the period has a
    submitted realisation (a returned one counts: it was submitted); it was on time when the last of
    those first submissions came before the deadline. Five queries."""
    now = now or timezone.now()
    teams = list(Team.objects.visible_to(user).select_related("region").order_by("region_id"))
    plans = dict(ActionPlan.objects.visible_to(user).filter(year=year).values_list("team_id", "id"))
    stats = {}
    for period in PERIODS:
        rows = (
            _targeted(user, year, period)
            .values("plan__team_id")
            .annotate(
                n=Count("id", distinct=True),
                n_sub=Count("sub__id", distinct=True),
                last=Max("sub__first_submitted_at"),
                avg=Avg(_CAPPED),
            )
            .order_by()
        )
        for row in rows:
            stats[(row["plan__team_id"], period.value)] = row
    result = []
    for team in teams:
        cells = []
        for period in PERIODS:
            deadline = periods.deadline_at(year, period)
            row = stats.get((team.pk, period.value))
            cell = SubmissionCell(
                period=period.value, state="no_target", deadline=periods.deadline_date(year, period)
            )
            if row:
                cell.targeted, cell.submitted = row["n"], row["n_sub"]
                cell.achievement = _round(row["avg"])
                if row["n_sub"] >= row["n"]:
                    cell.completed_at = row["last"]
                    cell.state = "on_time" if row["last"] < deadline else "late"
                else:
                    cell.state = "missing" if now >= deadline else "pending"
            cells.append(cell)
        result.append(SubmissionRow(team=team, plan_id=plans.get(team.pk), cells=cells))
    return result


# --- the regency's "due this period" page -----------------------------------------------------------


def due_activities(*, user, year, period):
    """The activities with a target in the period, of the plans the user can see, each with its
    realisation of that period (`period_realisation`, or None). Three queries."""
    target = f"target_{period.lower()}"
    qs = (
        Activity.objects.visible_to(user)
        .filter(plan__year=year, **{f"{target}__gt": 0})
        .select_related("plan__team")
        .prefetch_related(
            scoped_prefetch(
                "realisations", user, Realisation.objects.filter(period=period), to_attr="period_list"
            )
        )
        .order_by("plan__team__region", "strategy", "position", "id")
    )
    items = list(qs)
    for activity in items:
        activity.period_realisation = activity.period_list[0] if activity.period_list else None
        activity.target_for_period = activity.target_for(period)
    return items


def reported_exists(period):
    """An activity's realisation of `period` was reported (submitted or accepted)."""
    return Exists(
        Realisation.objects.filter(activity=OuterRef("pk"), period=period, status__in=Realisation.REPORTED)
    )


def overdue_activities(*, user, now=None):
    """(year, period, activity) for every activity whose period deadline has passed (this year and the
    previous one) without a reported realisation. At most four queries."""
    now = now or timezone.now()
    today_year = timezone.localtime(now, periods.WIB).year
    result = []
    for year in (today_year - 1, today_year):
        for period in PERIODS:
            if now < periods.deadline_at(year, period) or (
                year < today_year and period != periods.Period.B12
            ):
                continue
            target = f"target_{period.lower()}"
            qs = (
                Activity.objects.visible_to(user)
                .filter(plan__year=year, **{f"{target}__gt": 0})
                .exclude(reported_exists(period))
                .select_related("plan__team")
                .order_by("plan__team__region", "strategy", "position", "id")
            )
            result.extend((year, period, activity) for activity in qs)
    return result
