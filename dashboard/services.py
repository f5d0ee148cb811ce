"""Writes of the dashboard: periodic reports.

- `report_request(...)`: a secretariat asks for a team's report; the row is written and the Celery
  task enqueued after commit.
- `report_generate(report_id)` (the task's body): claims the row with a conditional update, gathers the
  figures, renders PDF and XLSX, updating `progress` as it goes (the page polls it).
- `sweep_period_reports()` (beat): once a period's deadline has passed, the province's report is
  produced automatically, once: the unique constraint on automatic reports is the claim. It also
  re-enqueues reports whose task was lost (broker down, worker killed).
"""

import logging
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from actionplans import periods
from konflik import reminders
from konflik.access import require_write
from konflik.models import Region, User
from konflik.services import audit_log, snapshot
from teams.models import Team

from . import documents
from .models import PeriodicReport
from .notifications import PERIOD_REPORT_READY

log = logging.getLogger(__name__)
STALE_PENDING = timedelta(minutes=15)
STALE_RUNNING = timedelta(minutes=30)
# What a report's audit event records (its files are written later, by the task).
AUDITED = ("team", "year", "period", "status", "automatic", "requested_by")


def _enqueue(report_id):
    from .tasks import generate_period_report

    try:
        generate_period_report.delay(report_id)
    except Exception:  # broker down: the sweep re-enqueues pending reports later
        log.warning("could not enqueue period report %s; the sweep will retry", report_id, exc_info=True)


def _validate_period(year, period):
    errors = {}
    if period not in periods.Period.values:
        errors["period"] = [_("Pilih periode B.04, B.08 atau B.12.")]
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Tahun tidak valid.")]
    elif not errors and not periods.period_started(year, period):
        errors["period"] = [_("Periode ini belum dimulai.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_request(*, actor, team, year: int, period: str) -> PeriodicReport:
    """Queue a team's periodic report (a secretariat or admin, for a team in their scope)."""
    require_write(actor, region_code=team.region_id, message=_("Anda tidak berhak membuat laporan."))
    _validate_period(year, period)
    report = PeriodicReport(team=team, year=year, period=period, requested_by=actor)
    report.full_clean()
    report.save()
    audit_log(actor=actor, action="create", obj=report, after=snapshot(report, fields=AUDITED))
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def scope_reader(region_code: str) -> User:
    """An unsaved read-only user whose scope is the team's region: the report shows what that team's
    own leadership would see, whoever asked for it."""
    return User(
        username=f"laporan-{region_code}", role=User.Role.LEADERSHIP, region_id=region_code, is_active=True
    )


def _progress(report_id, percent, step):
    PeriodicReport.objects.filter(pk=report_id).update(
        progress=percent, step=step[:200], updated=timezone.now()
    )


def _store(report, content: bytes, extension: str) -> str:
    return default_storage.save(
        f"dashboard/reports/{report.year}/{uuid.uuid4().hex}.{extension}", ContentFile(content)
    )


def report_generate(report_id: int) -> bool:
    """Produce the files of one report. Returns False when there was nothing to do (gone, taken by
    another worker, already done)."""
    now = timezone.now()
    claimed = PeriodicReport.objects.filter(pk=report_id, status=PeriodicReport.Status.PENDING).update(
        status=PeriodicReport.Status.RUNNING, started_at=now, progress=5, step="mulai", updated=now
    )
    if not claimed:
        return False
    report = PeriodicReport.objects.select_related("team__region").get(pk=report_id)
    try:
        with override("id"):
            content = documents.gather(report, progress=lambda p, s: _progress(report_id, p, s))
            _progress(report_id, 70, "PDF")
            pdf_name = _store(report, documents.render_pdf(content), "pdf")
            _progress(report_id, 85, "XLSX")
            xlsx_name = _store(report, documents.render_xlsx(content), "xlsx")
    except Exception as exc:
        log.exception("period report %s failed", report_id)
        PeriodicReport.objects.filter(pk=report_id).update(
            status=PeriodicReport.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        return False
    with transaction.atomic():
        PeriodicReport.objects.filter(pk=report_id).update(
            status=PeriodicReport.Status.DONE,
            progress=100,
            step="selesai",
            pdf_file=pdf_name,
            xlsx_file=xlsx_name,
            finished_at=timezone.now(),
            updated=timezone.now(),
        )
        report.refresh_from_db()
        if report.automatic:
            reminders.alert(kind=PERIOD_REPORT_READY, obj=report, dedupe_key=f"period-report:{report.pk}")
    return True


def last_closed_period(now=None):
    """(year, period) of the most recent period whose deadline has passed."""
    now = now or timezone.now()
    year = timezone.localtime(now, periods.WIB).year
    passed = [
        (periods.deadline_at(y, p), y, p.value)
        for y in (year - 1, year)
        for p in periods.PERIODS
        if periods.deadline_at(y, p) <= now
    ]
    _deadline, y, p = max(passed)
    return y, p


def sweep_period_reports(*, now=None) -> list[int]:
    """Beat: the province's automatic report for the last closed period (once, ever), and a retry
    for reports whose task was lost. Returns the ids enqueued."""
    now = now or timezone.now()
    year, period = last_closed_period(now)
    enqueued = []
    for team in Team.objects.filter(region__level=Region.Level.PROVINCE).order_by("region_id"):
        try:
            with transaction.atomic():
                report = PeriodicReport.objects.create(team=team, year=year, period=period, automatic=True)
                audit_log(actor=None, action="create", obj=report, after=snapshot(report, fields=AUDITED))
        except IntegrityError:
            continue  # claimed by an earlier sweep (or one running right now)
        enqueued.append(report.pk)
    # Lost work: pending too long, or running far longer than a report takes (a killed worker).
    stale = list(
        PeriodicReport.objects.filter(
            Q(status=PeriodicReport.Status.PENDING, updated__lt=now - STALE_PENDING)
            | Q(status=PeriodicReport.Status.RUNNING, started_at__lt=now - STALE_RUNNING)
        )
        .exclude(pk__in=enqueued)
        .values_list("pk", flat=True)[:100]
    )
    # back to pending (the task claims pending rows only), and not stale again for a while
    PeriodicReport.objects.filter(pk__in=stale).update(status=PeriodicReport.Status.PENDING, updated=now)
    for report_id in [*enqueued, *stale]:
        transaction.on_commit(lambda report_id=report_id: _enqueue(report_id))
    return [*enqueued, *stale]
