"""Formula injection: text a user typed comes out as text in every CSV and XLSX the application writes.

Writers: the incident list export (CSV and XLSX), the action-plan matrix (XLSX) and the periodic
report (XLSX). Each is fed titles and descriptions that start with `=`, `+`, `-`, `@`, a tab or a
carriage return, then read back: no XLSX cell is a formula (openpyxl's data type "f") and each keeps the
user's text; every CSV cell carries the leading apostrophe that spreadsheet programs read as "text".
"""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from actionplans.periods import WIB
from actionplans.tests import factories as plan_factories
from dashboard import services as report_services
from incidents.tests.factories import IncidentFactory
from teams.models import FollowUp, Meeting
from teams.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# A single-line field refuses a tab or a carriage return (konflik.validators): those two payloads can
# only reach a sheet through multi-line text (descriptions, chronologies).
SINGLE_LINE_PAYLOADS = [payload for payload in PAYLOADS if payload[0] not in "\t\r"]


def cells(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_text_not_formula(content: bytes, payloads):
    """Every payload is in the workbook as a text cell with the user's text; no cell is a formula."""
    workbook = load_workbook(io.BytesIO(content))
    found = {}
    for cell in cells(workbook):
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            found[cell.value] = cell
    for payload in payloads:
        # XML turns a bare carriage return into a line feed: the text is otherwise the user's.
        cell = found.get(payload) or found.get(payload.replace("\r", "\n"))
        assert cell is not None, f"{payload!r} not written as text ({sorted(found)[:20]})"
        assert cell.data_type == "s"


def test_incident_csv_and_xlsx_exports(web, sec_a):
    for payload in PAYLOADS:
        IncidentFactory(title=payload, chronology=payload)
    browser = web(sec_a)
    response = browser.get(reverse("incidents:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    values = {value for row in csv.reader(io.StringIO(text)) for value in row}
    for payload in PAYLOADS:
        assert "'" + payload in values
        assert payload not in values
    response = browser.get(reverse("incidents:export_xlsx"))
    assert_text_not_formula(b"".join(response.streaming_content), PAYLOADS)


def test_action_plan_export(web, sec_a):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, tzinfo=WIB), tick=False):
        plan = plan_factories.plan(sec_a, "61.71")
        for index, payload in enumerate(PAYLOADS):
            single = SINGLE_LINE_PAYLOADS[index % len(SINGLE_LINE_PAYLOADS)]
            plan_factories.activity(sec_a, plan, title=single, description=payload, indicator=single)
        response = web(sec_a).get(reverse("actionplans:export", args=[plan.pk]))
    assert response.status_code == 200
    assert_text_not_formula(response.content, PAYLOADS)


def test_periodic_report_xlsx(sec_a):
    with time_machine.travel(datetime.datetime(2026, 12, 20, 9, tzinfo=WIB), tick=False):
        plan = plan_factories.plan(sec_a, "61.71", year=2026)
        team = plan.team
        meeting = Meeting.objects.create(
            team=team,
            kind=Meeting.Kind.PERIOD_EVALUATION,
            period="B04",
            title=PAYLOADS[0],
            start=datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC),
            end=datetime.datetime(2026, 3, 10, 5, tzinfo=datetime.UTC),
            status=Meeting.Status.HELD,
            reminder_offsets=[],
        )
        owner = MemberFactory(team=team, name=PAYLOADS[3])
        for index, payload in enumerate(PAYLOADS):
            single = SINGLE_LINE_PAYLOADS[index % len(SINGLE_LINE_PAYLOADS)]
            plan_factories.activity(sec_a, plan, title=f"{single} {index}", targets=(1, 1, 1))
            FollowUp.objects.create(
                meeting=meeting,
                team=team,
                owner=owner,
                description=payload,
                due_date=datetime.date(2026, 4, 10),
            )
        report = report_services.report_request(actor=sec_a, team=team, year=2026, period="B04")
        assert report_services.report_generate(report.pk) is True
    report.refresh_from_db()
    assert_text_not_formula(default_storage.open(report.xlsx_file.name).read(), PAYLOADS)
