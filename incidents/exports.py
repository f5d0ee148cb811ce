"""CSV and XLSX exports of exactly the filtered list the user sees, streamed in bounded memory.

Rows come from `queryset.iterator()` in chunks (one query per chunk, regions joined); the CSV is
written row by row into a `StreamingHttpResponse`; the XLSX with openpyxl's write-only mode into a
temporary file that is then streamed. Both through `konflik.spreadsheets`, so text that a spreadsheet
would run as a formula stays text.
"""

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik import spreadsheets

CHUNK = 2000


def columns():
    return [
        (_("Nomor"), lambda i: i.number),
        (_("Status"), lambda i: str(i.get_status_display())),
        (_("Kode wilayah"), lambda i: i.region_id),
        (_("Kabupaten/kota"), lambda i: i.region.name),
        (_("Kecamatan"), lambda i: i.district.name if i.district_id else ""),
        (_("Desa/kelurahan"), lambda i: i.village.name if i.village_id else ""),
        (_("Tempat"), lambda i: i.place),
        (_("Lintang"), lambda i: float(i.latitude) if i.latitude is not None else ""),
        (_("Bujur"), lambda i: float(i.longitude) if i.longitude is not None else ""),
        (_("Tanggal kejadian"), lambda i: i.occurred_on),
        (_("Ketepatan tanggal"), lambda i: str(i.get_date_precision_display())),
        (_("Dilaporkan"), lambda i: timezone.localtime(i.reported_at).replace(tzinfo=None)),
        (_("Judul"), lambda i: i.title),
        (_("Sumber konflik"), lambda i: i.source_of_conflict),
        (_("Isu SNPK"), lambda i: i.snpk_issue),
        (_("Pihak"), lambda i: "; ".join(f"{p.get('name')} ({p.get('kind')})" for p in i.parties or [])),
        (_("Orang terlibat"), lambda i: i.people_involved),
        (_("Tewas"), lambda i: i.deaths),
        (_("Luka"), lambda i: i.injured),
        (_("Pengungsi"), lambda i: i.displaced),
        (_("Bangunan rusak"), lambda i: i.buildings_damaged),
        (_("Kerugian (Rp)"), lambda i: int(i.estimated_loss)),
        (_("Kronologi"), lambda i: i.chronology),
        (_("Penanganan"), lambda i: i.handling),
        (_("Ditangani oleh"), lambda i: i.handled_by),
        (_("Sumber informasi"), lambda i: i.information_source),
        (_("Tahap"), lambda i: i.stage),
        (_("Tanggal penyelesaian"), lambda i: i.resolved_on or ""),
    ]


def rows(queryset):
    cols = columns()
    yield [str(title) for title, _get in cols]
    for incident in queryset.iterator(chunk_size=CHUNK):
        yield [get(incident) for _title, get in cols]


def _filename(ext):
    return f"kejadian-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


def csv_response(queryset):
    response = StreamingHttpResponse(
        spreadsheets.csv_stream(rows(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(queryset):
    workbook = spreadsheets.XlsxWriter()
    sheet = workbook.sheet(_("Kejadian"))
    for row in rows(queryset):
        sheet.append(row)
    return FileResponse(
        workbook.to_temporary_file(),
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
