"""Excel: export in the matrix layout, import into another team's empty plan (same activities), a bad
row refuses the whole file naming the row and the reason; scope of export and import."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actionplans import services
from actionplans.models import ACTIVITY_FIELDS, Activity

from . import factories as f

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the activity's own values (its institutions are compared by name, its place and position belong
# to the team it is in)
COMPARED = tuple(
    name
    for name in ACTIVITY_FIELDS
    if name not in ("position", "responsible_institution", "related_institutions", "place")
)


@pytest.fixture
def full_plan(sec_a, province_sec, plan_a):
    kesbang = f.institution("61.71", "Kesbangpol")
    polres = f.institution("61.71", "Polres")
    a1 = f.activity(
        sec_a,
        plan_a,
        title="Pemetaan potensi konflik",
        sub_type="prevention_early_warning",
        description="Pemetaan per kecamatan",
        targets=(1, 1, 1),
        target_year=Decimal(3),
        responsible_institution=kesbang,
        related_institutions=[polres, kesbang],
        budget=Decimal(50_000_000),
        funding_source="apbd",
        is_national=True,
    )
    f.activity(
        sec_a,
        plan_a,
        title="Patroli gabungan",
        strategy="stopping",
        sub_type="stopping_violence",
        targets=(6, 6, None),
        responsible_institution=polres,
        funding_source="other",
    )
    f.activity(
        sec_a,
        plan_a,
        title="Rekonsiliasi",
        strategy="recovery",
        sub_type="recovery_reconciliation",
        targets=(Decimal("0.5"), None, 2),
        budget=Decimal(1500),
    )
    r = services.realisation_create(actor=sec_a, activity=a1, period="B04", value=1)
    services.realisation_submit(actor=sec_a, realisation=r)
    return plan_a


def _export(client, plan):
    response = client.get(reverse("actionplans:export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX and response["Content-Disposition"].startswith("attachment")
    return response.content


def _upload(client, plan, content, name="rencana.xlsx"):
    return client.post(
        reverse("actionplans:import", args=[plan.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def test_export_is_the_matrix_layout(web, sec_a, full_plan):
    ws = load_workbook(io.BytesIO(_export(web(sec_a), full_plan))).active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[3][:3] == ["No", "Sub-lingkup", "Kegiatan"]
    assert rows[4][:2] == ["I", "PENCEGAHAN KONFLIK"]
    assert rows[5][2] == "Pemetaan potensi konflik" and rows[5][10] == 1 and rows[5][11] == 100
    assert rows[5][17] == "Polres; Kesbangpol" or rows[5][17] == "Kesbangpol; Polres"
    assert rows[6][1] == "Capaian Pencegahan konflik" and rows[6][11] == 100
    assert rows[7][:2] == ["II", "PENGHENTIAN KONFLIK"]
    assert rows[-1][1] == "Capaian keseluruhan"


def test_round_trip_into_another_teams_empty_plan(web, sec_a, sec_b, full_plan, plan_b):
    content = _export(web(sec_a), full_plan)
    for name in ("Kesbangpol", "Polres"):  # the same institutions, registered in Sambas
        f.institution("61.01", name)
    response = _upload(web(sec_b), plan_b, content)
    assert response.status_code == 302, response.content.decode()[-2000:]

    def shape(plan):
        return sorted(
            (
                *(getattr(a, field) for field in COMPARED),
                a.responsible_institution.name if a.responsible_institution else None,
                tuple(sorted(i.name for i in a.related_institutions.all())),
            )
            for a in Activity.objects.filter(plan=plan)
        )

    assert shape(plan_b) == shape(full_plan)
    assert all(
        a.responsible_institution is None or a.responsible_institution.region_id == "61.01"
        for a in plan_b.activities.all()
    )
    assert not plan_b.activities.filter(realisations__isnull=False).exists()  # activities only


def _rows_with(content, changes):
    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    for (row, col), value in changes.items():
        ws.cell(row=row, column=col, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_bad_row_refuses_the_whole_file(web, sec_a, sec_b, full_plan, plan_b):
    content = _export(web(sec_a), full_plan)
    for name in ("Kesbangpol", "Polres"):
        f.institution("61.01", name)
    # row 6 (first activity): a negative target; row 9 (second activity): an unknown sub-type;
    # row 12: an institution not registered in Sambas
    bad = _rows_with(content, {(6, 7): -5, (9, 2): "Bukan sub-lingkup", (12, 17): "Dinas Entah"})
    response = _upload(web(sec_b), plan_b, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Baris 6: Target B.04 tidak boleh negatif" in page
    assert "Baris 9: sub-lingkup tidak dikenal: Bukan sub-lingkup" in page
    assert "Baris 12: penanggung jawab tidak terdaftar di wilayah tim ini: Dinas Entah" in page
    assert not plan_b.activities.exists()


@pytest.mark.parametrize(
    "changes,message",
    [
        ({(6, 3): "x" * 301}, "Baris 6: Kegiatan:"),
        ({(6, 7): "banyak"}, "Baris 6: Target B.04 bukan angka: banyak"),
        ({(6, 20): "Hibah"}, "Baris 6: sumber dana tidak dikenal"),
        ({(6, 21): "61.71"}, "Baris 6: lokasi 61.71 bukan wilayah tim ini"),
        ({(6, 2): "Rekonsiliasi"}, "Baris 6: sub-lingkup Rekonsiliasi tidak termasuk strategi di atasnya"),
        ({(6, 22): "mungkin"}, "Baris 6: kegiatan nasional harus Ya atau Tidak"),
    ],
)
def test_each_kind_of_bad_cell_is_named(web, sec_a, sec_b, full_plan, plan_b, changes, message):
    content = _export(web(sec_a), full_plan)
    for name in ("Kesbangpol", "Polres"):
        f.institution("61.01", name)
    response = _upload(web(sec_b), plan_b, _rows_with(content, changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not plan_b.activities.exists()


def test_indonesian_number_formats_are_read(web, sec_a, sec_b, full_plan, plan_b):
    content = _export(web(sec_a), full_plan)
    for name in ("Kesbangpol", "Polres"):
        f.institution("61.01", name)
    fixed = _rows_with(content, {(6, 19): "Rp 1.500.000", (6, 7): "2,5"})
    assert _upload(web(sec_b), plan_b, fixed).status_code == 302
    first = plan_b.activities.get(title="Pemetaan potensi konflik")
    assert (first.budget, first.target_b04) == (Decimal(1500000), Decimal("2.5"))


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not a workbook", b"PK\x03\x04garbage", b"No;Sub-lingkup;Kegiatan\n1;x;y"],
)
def test_not_a_workbook_is_refused(web, sec_a, plan_a, content):
    response = _upload(web(sec_a), plan_a, content)
    assert response.status_code == 400
    assert "Excel" in response.content.decode()


def test_import_needs_a_draft_plan_and_scope(web, sec_a, sec_b, leadership, full_plan, plan_b):
    content = _export(web(sec_a), full_plan)
    assert _upload(web(sec_a), plan_b, content).status_code == 404  # another regency's plan
    assert _upload(web(leadership), full_plan, content).status_code == 403
    assert web(sec_b).get(reverse("actionplans:export", args=[full_plan.pk])).status_code == 404
    import datetime

    services.plan_approve(
        actor=sec_b, plan=plan_b, approved_on=datetime.date(2026, 1, 5), approval_reference="SK"
    )
    for name in ("Kesbangpol", "Polres"):
        f.institution("61.01", name)
    response = _upload(web(sec_b), plan_b, content)
    assert response.status_code == 400 and "sudah disetujui" in response.content.decode()
    assert not plan_b.activities.exists()


def test_excel_requests_are_rate_limited(web, sec_a, plan_a, settings):
    settings.KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE = 2
    client = web(sec_a)
    codes = [client.get(reverse("actionplans:export", args=[plan_a.pk])).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
