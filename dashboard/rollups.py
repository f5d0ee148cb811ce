"""The incident rollup, kept in step with the reports.

The incidents services call `record(before=..., after=...)` inside the transaction that changes a
report, with the report's `facts()` before and after the change (None for a report that did not
exist / no longer exists). The old key loses the report's count and figures, the new key gains them,
as atomic upserts (`INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`), so concurrent filings
add up without a lost update. `rebuild()` recomputes the whole table from the rows in one
`INSERT ... SELECT ... GROUP BY` (used after bulk loads and by `manage.py rebuild_rollups`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from .models import IncidentRollup


@dataclass(frozen=True)
class Facts:
    """What the rollup knows of one report: its key and its figures."""

    region_id: str
    year: int
    month: int
    source_of_conflict: str
    stage: str
    status: str
    deaths: int
    injured: int
    displaced: int
    buildings_damaged: int
    estimated_loss: Decimal

    @property
    def key(self):
        return (self.region_id, self.year, self.month, self.source_of_conflict, self.stage, self.status)

    @property
    def figures(self):
        return (1, self.deaths, self.injured, self.displaced, self.buildings_damaged, self.estimated_loss)


def facts(incident) -> Facts:
    return Facts(
        region_id=incident.region_id,
        year=incident.occurred_on.year,
        month=incident.occurred_on.month,
        source_of_conflict=incident.source_of_conflict,
        stage=incident.stage,
        status=incident.status,
        deaths=int(incident.deaths or 0),
        injured=int(incident.injured or 0),
        displaced=int(incident.displaced or 0),
        buildings_damaged=int(incident.buildings_damaged or 0),
        estimated_loss=Decimal(incident.estimated_loss or 0),
    )


_COLUMNS = IncidentRollup.KEY + IncidentRollup.FIGURES


def _upsert_sql():
    table = connection.ops.quote_name(IncidentRollup._meta.db_table)
    columns = ", ".join(_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in IncidentRollup.FIGURES)
    # Table and column names are the model's own; the values are parameters.
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(IncidentRollup.KEY)}) DO UPDATE SET {updates}"
    )


def record(*, before: Facts | None, after: Facts | None) -> None:
    """Move one report's contribution from `before` to `after` (either may be None)."""
    if before == after:
        return
    changes = []
    if before is not None:
        changes.append((before.key, tuple(-v for v in before.figures)))
    if after is not None:
        changes.append((after.key, after.figures))
    # Always touch keys in one order, so two transactions never wait on each other's rows crosswise.
    changes.sort(key=lambda change: change[0])
    sql = _upsert_sql()
    with connection.cursor() as cursor:
        for key, figures in changes:
            cursor.execute(sql, [*key, *figures])
    if before is not None and (after is None or after.key != before.key):
        # An emptied key is removed, so the table holds only what exists.
        IncidentRollup.objects.filter(
            **dict(zip(IncidentRollup.KEY, before.key, strict=True)), incidents=0
        ).delete()


def source_rows():
    """The rollup computed straight from the incident rows (a GROUP BY, never loaded into Python)."""
    from incidents.models import Incident

    return (
        Incident.objects.order_by()
        .annotate(r_year=ExtractYear("occurred_on"), r_month=ExtractMonth("occurred_on"))
        .values("region_id", "r_year", "r_month", "source_of_conflict", "stage", "status")
        .annotate(
            n=Count("id"),
            s_deaths=Coalesce(Sum("deaths"), 0),
            s_injured=Coalesce(Sum("injured"), 0),
            s_displaced=Coalesce(Sum("displaced"), 0),
            s_buildings=Coalesce(Sum("buildings_damaged"), 0),
            s_loss=Coalesce(Sum("estimated_loss"), Decimal(0)),
        )
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute the whole rollup from the incident table, set-based; returns the number of rows."""
    IncidentRollup.objects.all().delete()
    select_sql, params = source_rows().query.sql_with_params()
    table = connection.ops.quote_name(IncidentRollup._meta.db_table)
    with connection.cursor() as cursor:
        # Columns picked by name from the grouped subquery, whatever order Django selects them in.
        picked = "region_id, r_year, r_month, source_of_conflict, stage, status, n, s_deaths, s_injured, s_displaced, s_buildings, s_loss"
        # Names are the model's own; the subquery is Django's, with its parameters.
        # Written in key order, so one province's rows of a year sit together on few pages.
        sql = (
            f"INSERT INTO {table} ({', '.join(_COLUMNS)}) SELECT {picked} FROM ({select_sql}) src "  # noqa: S608
            "ORDER BY region_id, r_year, r_month"
        )
        cursor.execute(sql, params)
    return IncidentRollup.objects.count()
