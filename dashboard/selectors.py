"""Reads of the dashboard. Incident figures come from the rollup (a few hundred summary rows however
many reports there are); everything else from the other apps' selectors. Every figure starts from
`visible_to(user)`, and every figure carries the link to the list behind it, with the scope kept.

`dashboard(user=..., year=..., period=..., region=...)` returns everything the page, the API and the
periodic report show, in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans import periods
from actionplans import selectors as actionplan_selectors
from actionplans.models import Strategy
from incidents import selectors as incident_selectors
from incidents.models import ConflictPotential, Incident, RiskLevel, SourceOfConflict
from konflik.models import Region
from konflik.periods import MONTHS as PERIOD_MONTHS
from konflik.scoping import code_in_scope, regency_scope_q, scope_q
from teams import selectors as team_selectors

from .models import IncidentRollup

MONTHS = range(1, 13)
MONTH_LABELS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


@dataclass(frozen=True)
class Selection:
    """What the dashboard is asked for: a year, optionally a period and a regency in the user's scope."""

    year: int
    period: str = ""  # "" = the whole year
    region: str = ""  # "" = the user's whole scope

    @property
    def months(self):
        return PERIOD_MONTHS.get(self.period, (1, 12))

    @property
    def date_from(self):
        return datetime.date(self.year, self.months[0], 1)

    @property
    def date_to(self):
        last = self.months[1]
        if last == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last + 1, 1) - datetime.timedelta(days=1)

    @property
    def plan_period(self):
        """The reporting period the action-plan figures use: the chosen one, else the latest period of
        the year that has started (B.12 for a past year)."""
        if self.period:
            return self.period
        today = timezone.localdate()
        started = [p.value for p in periods.PERIODS if periods.period_start(self.year, p) <= today]
        return started[-1] if started else periods.PERIODS[0].value


@dataclass
class Figure:
    """One number on the dashboard and the list it comes from."""

    key: str
    label: str
    value: object
    url: str = ""


@dataclass
class Dashboard:
    selection: Selection
    scope_label: str
    totals: dict = field(default_factory=dict)  # name -> Figure
    resolution_rate: object = None
    by_month: list = field(default_factory=list)
    by_area: list = field(default_factory=list)
    area_level: str = "regency"  # regency | province
    by_source: list = field(default_factory=list)
    by_stage: list = field(default_factory=list)
    potentials: list = field(default_factory=list)  # rows: risk level with open/escalated Figures
    active_statuses: list = field(default_factory=list)
    achievement_by_strategy: list = field(default_factory=list)
    achievement_overall: object = None
    achievement_by_regency: list = field(default_factory=list)
    submissions: list = field(default_factory=list)
    submission_periods: list = field(default_factory=list)
    upcoming_meetings: list = field(default_factory=list)
    overdue_followups: list = field(default_factory=list)
    overdue_followups_count: Figure = None
    regions: list = field(default_factory=list)  # (code, name) the user may choose from
    links: dict = field(default_factory=dict)


def _url(name, **params):
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def regency_choices(*, user):
    """The regencies/cities the user may pick (their scope only, never an ancestor's siblings)."""
    return list(
        Region.objects.in_scope_of(user)
        .filter(level__in=[Region.Level.REGENCY, Region.Level.CITY])
        .order_by("code")
        .values_list("code", "name")
    )


def rollup_rows(*, user, selection):
    """The user's rollup rows of the selection, drafts left out (they are not yet reports)."""
    first, last = selection.months
    qs = (
        IncidentRollup.objects.visible_to(user)
        .filter(year=selection.year, month__gte=first, month__lte=last)
        .exclude(status=Incident.Status.DRAFT)
    )
    if selection.region:
        qs = qs.filter(regency_scope_q("region", selection.region))
    return qs


RESOLVED = Q(status=Incident.Status.CLOSED) | Q(stage=Incident.Stage.RESOLVED)


def incident_figures(*, user, selection):
    """Counts and sums from the rollup. Two queries: by (regency, month), by (source, stage)."""
    qs = rollup_rows(user=user, selection=selection).order_by()
    by_region_month = list(
        qs.values("region_id", "month").annotate(
            n=Sum("incidents"),
            deaths=Sum("deaths"),
            injured=Sum("injured"),
            displaced=Sum("displaced"),
            resolved=Sum("incidents", filter=RESOLVED),
        )
    )
    by_source_stage = list(qs.values("source_of_conflict", "stage").annotate(n=Sum("incidents")))
    months = dict.fromkeys(MONTHS, 0)
    regions, sources, stages = {}, {}, {}
    totals = {"incidents": 0, "deaths": 0, "injured": 0, "displaced": 0, "resolved": 0}
    for row in by_region_month:
        months[row["month"]] += row["n"]
        regions[row["region_id"]] = regions.get(row["region_id"], 0) + row["n"]
        totals["incidents"] += row["n"]
        for name in ("deaths", "injured", "displaced", "resolved"):
            totals[name] += row[name] or 0
    for row in by_source_stage:
        sources[row["source_of_conflict"]] = sources.get(row["source_of_conflict"], 0) + row["n"]
        stages[row["stage"]] = stages.get(row["stage"], 0) + row["n"]
    return {"months": months, "regions": regions, "sources": sources, "stages": stages, "totals": totals}


def resolution_rate(totals):
    """Persentase Penyelesaian Konflik Sosial: resolved ÷ occurred × 100 (None when nothing occurred)."""
    if not totals["incidents"]:
        return None
    return round(100 * totals["resolved"] / totals["incidents"], 1)


def _scope_label(user):
    if user.is_admin_role or not user.region_id:
        return "Indonesia"
    return Region.objects.filter(code=user.region_id).values_list("name", flat=True).first() or user.region_id


def dashboard(*, user, selection: Selection) -> Dashboard:
    """Everything the leadership dashboard shows for `selection`, within the user's scope."""
    choices = regency_choices(user=user)
    if selection.region and selection.region not in {code for code, _ in choices}:
        selection = Selection(year=selection.year, period=selection.period)  # not theirs: whole scope
    result = Dashboard(selection=selection, scope_label=_scope_label(user), regions=choices)
    base = {
        "date_from": selection.date_from.isoformat(),
        "date_to": selection.date_to.isoformat(),
        "region": selection.region,
        "reported": "true",
    }
    list_url = lambda **extra: _url("incidents:list", **{**base, **extra})  # noqa: E731

    figures = incident_figures(user=user, selection=selection)
    totals = figures["totals"]
    result.totals = {
        "incidents": Figure("incidents", _("Kejadian"), totals["incidents"], list_url()),
        "deaths": Figure("deaths", _("Tewas"), totals["deaths"], list_url(with_casualties="true")),
        "injured": Figure("injured", _("Luka"), totals["injured"], list_url(with_casualties="true")),
        "displaced": Figure("displaced", _("Pengungsi"), totals["displaced"], list_url()),
        "resolved": Figure(
            "resolved", _("Selesai"), totals["resolved"], list_url(stage=Incident.Stage.RESOLVED)
        ),
    }
    result.resolution_rate = resolution_rate(totals)

    first, last = selection.months
    for month in range(first, last + 1):
        start = datetime.date(selection.year, month, 1)
        end = (
            datetime.date(selection.year, 12, 31)
            if month == 12
            else datetime.date(selection.year, month + 1, 1) - datetime.timedelta(days=1)
        )
        result.by_month.append(
            Figure(
                str(month),
                MONTH_LABELS[month - 1],
                figures["months"][month],
                _url(
                    "incidents:list", **{**base, "date_from": start.isoformat(), "date_to": end.isoformat()}
                ),
            )
        )

    # By area: a national scope (admin) by province, a province by regency, a regency itself.
    if user.is_admin_role and not selection.region:
        result.area_level = "province"
        per_province = {}
        for code, n in figures["regions"].items():
            per_province[code.split(".")[0]] = per_province.get(code.split(".")[0], 0) + n
        provinces = dict(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name"))
        for code in sorted(set(provinces) | set(per_province)):
            result.by_area.append(
                Figure(code, provinces.get(code, code), per_province.get(code, 0), list_url(region=code))
            )
    else:
        shown = [(c, n) for c, n in choices if not selection.region or c == selection.region]
        for code, name in shown:
            result.by_area.append(Figure(code, name, figures["regions"].get(code, 0), list_url(region=code)))

    for value, label in SourceOfConflict.choices:
        result.by_source.append(
            Figure(value, str(label), figures["sources"].get(value, 0), list_url(source_of_conflict=value))
        )
    for value, label in Incident.Stage.choices:
        result.by_stage.append(
            Figure(value, str(label), figures["stages"].get(value, 0), list_url(stage=value))
        )

    result.potentials = early_warning(user=user, selection=selection)
    result.active_statuses = [
        status
        for status in incident_selectors.active_statuses(user=user)
        if not selection.region
        or code_in_scope(status.region_id, selection.region)
        or code_in_scope(selection.region, status.region_id)
    ]
    _action_plans(result, user=user, selection=selection)
    _meetings(result, user=user, selection=selection)
    result.links = {
        "incidents": list_url(),
        "map": _url("incidents:map", **{k: v for k, v in base.items() if k != "reported"}),
        "submissions": _url("actionplans:submissions", year=selection.year),
        "reports": reverse("dashboard:reports"),
    }
    return result


def early_warning(*, user, selection):
    """Open early-warning records by risk level: watched and escalated, each with its list link. One query."""
    qs = incident_selectors.potential_list(user=user).exclude(status=ConflictPotential.Status.CLOSED)
    if selection.region:
        qs = qs.filter(scope_q("region", selection.region))
    counts = {}
    for row in qs.order_by().values("risk_level", "status").annotate(n=Count("id")):
        counts[(row["risk_level"], row["status"])] = row["n"]
    rows = []
    for value, label in reversed(RiskLevel.choices):
        cells = []
        for status in (ConflictPotential.Status.OPEN, ConflictPotential.Status.ESCALATED):
            cells.append(
                Figure(
                    status,
                    str(status.label),
                    counts.get((value, status.value), 0),
                    _url(
                        "incidents:potential_list",
                        risk_level=value,
                        status=status.value,
                        region=selection.region,
                    ),
                )
            )
        rows.append(
            {"risk": value, "label": str(label), "cells": cells, "total": sum(c.value for c in cells)}
        )
    return rows


def _action_plans(result, *, user, selection):
    period = selection.plan_period
    year = selection.year
    realisations = lambda **extra: _url(  # noqa: E731
        "actionplans:realisations", year=year, period=period, region=selection.region, **extra
    )
    by_strategy = actionplan_selectors.achievement_by_strategy(
        user=user, year=year, period=period, region_code=selection.region or None
    )
    for value, label in Strategy.choices:
        entry = by_strategy[value]
        result.achievement_by_strategy.append(
            {
                "strategy": value,
                "label": str(label),
                "activities": entry["activities"],
                "achievement": entry["achievement"],
                "url": realisations(strategy=value),
            }
        )
    result.achievement_overall = by_strategy["overall"]
    names = dict(result.regions)
    by_regency = actionplan_selectors.achievement_by_regency(user=user, year=year, period=period)
    for code, achievement in by_regency.items():
        if selection.region and code != selection.region:
            continue
        if code not in names and code != user.region_id:
            continue  # only regions the user may open
        label = names.get(code) or result.scope_label
        result.achievement_by_regency.append(
            Figure(
                code,
                label,
                achievement,
                _url("actionplans:realisations", year=year, period=period, region=code),
            )
        )
    rows = actionplan_selectors.submission_table(user=user, year=year)
    if selection.region:
        rows = [row for row in rows if row.team.region_id == selection.region]
    result.submissions = rows
    result.submission_periods = [p.value for p in periods.PERIODS]


def _meetings(result, *, user, selection):
    meetings = team_selectors.upcoming_meetings(user=user, limit=20)
    followups = team_selectors.followup_list(user=user).overdue().order_by("due_date", "id")
    meetings = list(meetings)
    if selection.region:
        meetings = [m for m in meetings if m.team.region_id == selection.region]
        followups = followups.filter(scope_q("meeting__team__region", selection.region))
    result.upcoming_meetings = meetings[:8]
    result.overdue_followups = list(followups[:8])
    result.overdue_followups_count = Figure(
        "overdue_followups",
        _("Tindak lanjut terlambat"),
        followups.count(),
        _url("teams:followup_list", overdue="true", region=selection.region),
    )
