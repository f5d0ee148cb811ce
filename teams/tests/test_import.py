"""Member import: a good sheet imports every row; one bad row and nothing is imported, the row named."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from konflik.models import AuditEvent
from teams.models import Institution, Member

HEADER = ["Nama", "Jabatan", "Instansi", "Kedudukan", "Telepon", "Email", "Aktif mulai", "Aktif sampai"]
GOOD = [
    [
        "Wali Kota (contoh)",
        "Wali Kota Pontianak",
        "Pemerintah Kota Pontianak",
        "Ketua",
        "0561-733000",
        "walikota@example.test",
        "2026-01-05",
        "",
    ],
    [
        "Kapolresta (contoh)",
        "Kapolresta Pontianak",
        "Polresta Pontianak",
        "Wakil Ketua I",
        "",
        "",
        "05-01-2026",
        "31/12/2026",
    ],
    [
        "Kepala Kesbangpol (contoh)",
        "Kepala Badan Kesbangpol",
        "Badan Kesbangpol Kota Pontianak",
        "sekretaris",
        "+62 812 0000 0001",
        "",
        "",
        "",
    ],
]


def xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("anggota.xlsx", buffer.getvalue())


def csv_file(rows, delimiter=";"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in [HEADER, *rows]:
        writer.writerow(row)
    return SimpleUploadedFile("anggota.csv", buffer.getvalue().encode("utf-8-sig"))


def post(web, user, team, upload):
    return web(user).post(reverse("teams:member_import", args=[team.pk]), {"sheet": upload})


def test_good_excel_sheet_imports_every_row(web, sec_a, team_a):
    response = post(web, sec_a, team_a, xlsx(GOOD))
    assert response.status_code == 302
    members = Member.objects.filter(team=team_a).select_related("position", "institution")
    assert sorted(m.position.name for m in members) == ["Ketua", "Sekretaris", "Wakil Ketua I"]
    assert Institution.objects.filter(region_id="61.71").count() == 3  # created as needed
    kapolresta = members.get(name="Kapolresta (contoh)")
    assert str(kapolresta.active_until) == "2026-12-31"
    assert AuditEvent.objects.filter(action="create", note="impor").count() == 3


def test_good_csv_sheet_imports_every_row(web, sec_a, team_a):
    assert post(web, sec_a, team_a, csv_file(GOOD)).status_code == 302
    assert Member.objects.filter(team=team_a).count() == 3


def test_one_bad_row_imports_nothing_and_names_the_row(web, sec_a, team_a):
    bad = [
        *GOOD[:2],
        ["Tanpa kedudukan", "Staf", "Polresta Pontianak", "Bendahara", "telp?", "bukan-surel", "kemarin", ""],
        GOOD[2],
    ]
    response = post(web, sec_a, team_a, xlsx(bad))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-line="4"' in page
    assert "Kedudukan &#x27;Bendahara&#x27; tidak dikenal." in page
    assert "Surel &#x27;bukan-surel&#x27; tidak valid." in page
    assert "Tanggal &#x27;kemarin&#x27; tidak valid." in page
    assert 'data-line="2"' not in page
    assert (
        not Member.objects.exists() and not Institution.objects.exists() and not AuditEvent.objects.exists()
    )


def test_missing_columns_and_junk_files(web, sec_a, team_a):
    page = post(web, sec_a, team_a, SimpleUploadedFile("a.csv", b"foo,bar\n1,2\n")).content.decode()
    assert "Kolom wajib tidak ada: kedudukan, nama." in page
    page = post(web, sec_a, team_a, SimpleUploadedFile("a.xlsx", b"PK\x03\x04rusak")).content.decode()
    assert "Berkas Excel tidak dapat dibaca." in page
    assert not Member.objects.exists()


def test_import_is_for_the_teams_own_secretariat(web, sec_b, leadership_a, team_a):
    assert post(web, sec_b, team_a, xlsx(GOOD)).status_code == 404
    assert post(web, leadership_a, team_a, xlsx(GOOD)).status_code == 403
    assert not Member.objects.exists()
