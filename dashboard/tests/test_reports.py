"""Periodic reports: requested by a secretariat, produced by the task with visible progress, kept
for download behind the scope check; the PDF and XLSX carry the expected figures (read back); the
province's report is produced once per period by the beat sweep, and leadership is told in-app."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook
from pypdf import PdfReader

from actionplans import services as plan_services
from actionplans.tests import factories as plan_factories
from dashboard import services
from dashboard.models import PeriodicReport
from dashboard.notifications import PERIOD_REPORT_READY
from konflik import reminders
from konflik.models import Notification, Reminder
from teams.models import FollowUp, Meeting
from teams.tests.factories import MemberFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_data(late_2026, sec_a, sec_b, province_sec):
    """The province's plan with a B.04 realisation, reports in two regencies, a meeting held in
    B.04 with a follow-up, all in 2026."""
    plan = plan_factories.plan(province_sec, "61", year=2026)
    activity = plan_factories.activity(
        province_sec, plan, title="Dialog kerukunan umat", targets=(10, 10, 10)
    )
    plan_factories.activity(
        province_sec,
        plan,
        title="Patroli gabungan",
        strategy="stopping",
        sub_type="stopping_violence",
        targets=(4, None, 4),
    )
    realisation = plan_services.realisation_create(
        actor=province_sec,
        activity=activity,
        period="B04",
        value=Decimal(8),
        now=datetime.datetime(2026, 4, 28, 10, tzinfo=datetime.UTC),
    )
    plan_services.realisation_submit(
        actor=province_sec,
        realisation=realisation,
        now=datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC),
    )
    for region, actor, day in (("61.71", sec_a, 3), ("61.01", sec_b, 4), ("61.01", sec_b, 5)):
        f.advance(
            f.incident(actor, region, occurred_on=datetime.date(2026, 2, day), deaths=1, injured=2),
            to="verified",
            actor=actor,
            reviewer=province_sec,
        )
    f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 6, 1))  # another period
    team = plan.team
    meeting = Meeting.objects.create(
        team=team,
        kind=Meeting.Kind.PERIOD_EVALUATION,
        period="B04",
        title="Rapat evaluasi B.04 provinsi",
        start=datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 3, 10, 5, tzinfo=datetime.UTC),
        status=Meeting.Status.HELD,
        reminder_offsets=[],
    )
    owner = MemberFactory(team=team, name="Kepala Bidang Kewaspadaan")
    FollowUp.objects.create(
        meeting=meeting,
        team=team,
        owner=owner,
        description="Susun peta rawan konflik",
        due_date=datetime.date(2026, 4, 10),
    )
    return team


def produce(report):
    assert services.report_generate(report.pk) is True
    report.refresh_from_db()
    return report


def test_report_figures_read_back_from_pdf_and_xlsx(province_data, province_sec):
    report = services.report_request(actor=province_sec, team=province_data, year=2026, period="B04")
    assert report.status == "pending" and report.progress == 0
    report = produce(report)
    assert report.status == "done" and report.progress == 100

    text = "\n".join(
        page.extract_text() for page in PdfReader(default_storage.open(report.pdf_file.name)).pages
    )
    assert "Laporan Periode B.04 Tahun 2026" in text
    assert province_data.name in text
    assert "Dialog kerukunan umat" in text and "80%" in text  # 8 of 10
    assert "Rapat evaluasi B.04 provinsi" in text
    assert "Susun peta rawan konflik" in text
    assert "Kabupaten Sambas" in text

    workbook = load_workbook(io.BytesIO(default_storage.open(report.xlsx_file.name).read()))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Laporan"] == "Laporan Periode B.04 Tahun 2026"
    assert summary["Kejadian"] == 3  # the June report is another period
    assert summary["Tewas"] == 3 and summary["Luka"] == 6
    assert summary["Rapat yang dilaksanakan"] == 1
    strategies = {row[0]: row for row in workbook["Per strategi"].iter_rows(min_row=2, values_only=True)}
    assert strategies["Pencegahan konflik"][1:] == (1, 80.0)
    assert strategies["Penghentian konflik"][1:] == (1, 0.0)  # targeted, nothing reported
    areas = [
        row
        for row in workbook["Kejadian"].iter_rows(min_row=2, values_only=True)
        if row[0] == "Kabupaten/kota"
    ]
    assert ("Kabupaten/kota", "Kabupaten Sambas", 2) in areas and (
        "Kabupaten/kota",
        "Kota Pontianak",
        1,
    ) in areas
    assert [r[1] for r in workbook["Tindak lanjut"].iter_rows(min_row=2, values_only=True)] == [
        "Susun peta rawan konflik"
    ]


def test_a_regency_report_holds_only_that_regency(province_data, sec_a):
    from teams.tests.factories import TeamFactory

    team = TeamFactory(region_id="61.71", name="Tim Terpadu Kota Pontianak")
    report = produce(services.report_request(actor=sec_a, team=team, year=2026, period="B04"))
    workbook = load_workbook(io.BytesIO(default_storage.open(report.xlsx_file.name).read()))
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Kejadian"] == 1
    text = "\n".join(p.extract_text() for p in PdfReader(default_storage.open(report.pdf_file.name)).pages)
    assert "Sambas" not in text


def test_download_is_scoped_and_an_attachment(
    web, province_data, province_sec, leadership, leadership_a, sec_b
):
    report = produce(services.report_request(actor=province_sec, team=province_data, year=2026, period="B04"))
    response = web(leadership).get(f"/dasbor/laporan/{report.pk}/unduh.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert web(leadership).get(f"/dasbor/laporan/{report.pk}/unduh.xlsx").status_code == 200
    # The province's report is not a regency's to open.
    assert web(leadership_a).get(f"/dasbor/laporan/{report.pk}/unduh.pdf").status_code == 404
    assert web(sec_b).get(f"/dasbor/laporan/{report.pk}/").status_code == 404
    assert web(leadership).get(f"/dasbor/laporan/{report.pk}/unduh.html").status_code == 404


def test_progress_page_refreshes_until_done(web, province_data, province_sec, leadership):
    report = services.report_request(actor=province_sec, team=province_data, year=2026, period="B04")
    html = web(leadership).get(f"/dasbor/laporan/{report.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html and "<progress" in html
    produce(report)
    html = web(leadership).get(f"/dasbor/laporan/{report.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html and 'data-download="pdf"' in html


def test_requests_by_role(web, api, province_data, leadership, sec_a, sec_b, province_sec):
    form = {"team": province_data.pk, "year": 2026, "period": "B04"}
    assert web(leadership).post("/dasbor/laporan/", form).status_code == 403
    assert api(leadership).post("/api/period-reports/", form, format="json").status_code == 403
    # a regency's secretariat cannot ask for the province's report
    assert web(sec_a).post("/dasbor/laporan/", form).status_code == 400
    assert api(sec_a).post("/api/period-reports/", form, format="json").status_code == 400
    assert not PeriodicReport.objects.exists()
    response = web(province_sec).post("/dasbor/laporan/", form)
    assert response.status_code == 302
    response = api(province_sec).post("/api/period-reports/", {**form, "period": "B08"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert PeriodicReport.objects.count() == 2
    # a period that has not started yet
    response = api(province_sec).post("/api/period-reports/", {**form, "year": 2027}, format="json")
    assert response.status_code == 400
    listing = api(sec_b).get("/api/period-reports/").json()
    assert listing["count"] == 0


def test_the_task_is_quiet_about_gone_or_taken_rows(province_data, province_sec):
    report = services.report_request(actor=province_sec, team=province_data, year=2026, period="B04")
    assert services.report_generate(report.pk) is True
    assert services.report_generate(report.pk) is False  # already done: nothing twice
    assert services.report_generate(10**9) is False


def test_sweep_produces_the_province_report_once_and_tells_leadership(
    province_data, leadership, leadership_a
):
    # 20 December 2026: the last closed period is B.08 (due 10 September).
    first = services.sweep_period_reports()
    second = services.sweep_period_reports()
    assert len(first) == 1 and second == []
    report = PeriodicReport.objects.get()
    assert (report.team, report.year, report.period, report.automatic) == (province_data, 2026, "B08", True)
    produce(report)
    reminder = Reminder.objects.get(kind=PERIOD_REPORT_READY)
    assert reminder.dedupe_key == f"period-report:{report.pk}"
    reminders.deliver(reminder.pk)
    notification = Notification.objects.get(user=leadership)
    assert "Laporan Periode B.08 Tahun 2026" in notification.title
    assert notification.url == report.get_absolute_url()
    assert not Notification.objects.filter(
        user=leadership_a
    ).exists()  # a regency is not told of the province's


def test_sweep_requeues_lost_reports(province_data, province_sec, late_2026):
    report = services.report_request(actor=province_sec, team=province_data, year=2026, period="B04")
    late_2026.shift(datetime.timedelta(minutes=20))
    assert report.pk in services.sweep_period_reports()
    PeriodicReport.objects.filter(pk=report.pk).update(
        status="running", started_at=datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC)
    )
    late_2026.shift(datetime.timedelta(hours=2))
    assert report.pk in services.sweep_period_reports()
    assert produce(report).status == "done"


def test_report_requests_are_limited_per_minute(web, province_data, province_sec, settings):
    settings.KONFLIK_DASHBOARD_REPORTS_PER_MINUTE = 2
    browser = web(province_sec)
    answers = [
        browser.post(
            "/dasbor/laporan/", {"team": province_data.pk, "year": 2026, "period": period}
        ).status_code
        for period in ("B04", "B08", "B12")
    ]
    assert answers == [302, 302, 429]
    assert PeriodicReport.objects.count() == 2
