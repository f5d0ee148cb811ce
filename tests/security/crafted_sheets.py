"""Hostile .xlsx files, written part by part with zipfile so that they stay small on disk.

Each builder returns the workbook's bytes. The worksheet is streamed into the archive in chunks, so a
part that unpacks to hundreds of megabytes never sits in this process's memory.
"""

import io
import zipfile
from xml.sax.saxutils import escape

MEMBER_HEADER = ["Nama", "Jabatan", "Instansi", "Kedudukan"]
MEMBER_ROW = ["Anggota Contoh", "Kepala Bidang", "Badan Kesbangpol", "Anggota"]
PLAN_HEADER = ["No", "Sub-lingkup", "Kegiatan"]
PLAN_ROW = [1, "Sistem peringatan dini", "Pemetaan potensi konflik"]

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Lembar1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
CHUNK = 1 << 20


def cell(value):
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row(values):
    return "<row>" + "".join(cell(v) for v in values) + "</row>"


def workbook(sheet_chunks, *, dimension="A1:D3", level=9):
    """An .xlsx whose first worksheet is SHEET_HEAD, then every chunk of `sheet_chunks`, then the tail.
    Level 1 packs a run of one byte about 230:1 in a third of level 9's time (which packs it 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(SHEET_HEAD.format(dimension=dimension).encode())
            for chunk in sheet_chunks:
                part.write(chunk.encode() if isinstance(chunk, str) else chunk)
            part.write(SHEET_TAIL.encode())
    return buffer.getvalue()


def huge_dimension(header, body, *, dimension="A1:XFD1048576"):
    """A little sheet that declares itself as wide and as long as `dimension`, and ends with an empty
    cell in the declared last row: a reader that trusts the dimension pads every row in between to
    the declared width (16,384 columns for XFD)."""
    last = int("".join(c for c in dimension.split(":")[1] if c.isdigit()))
    end = f'<row r="{last}"><c r="A{last}"/></row>'
    return workbook([row(header)] + [row(r) for r in body] + [end], dimension=dimension)


def huge_cell(header, body_row, *, column, chars, level=9):
    """One inline-string cell of `chars` characters, streamed into the part."""

    def chunks():
        yield row(header)
        before = "".join(cell(v) for v in body_row[:column])
        after = "".join(cell(v) for v in body_row[column + 1 :])
        yield f'<row>{before}<c t="inlineStr"><is><t>'
        left = chars
        while left > 0:
            n = min(CHUNK, left)
            yield b"A" * n
            left -= n
        yield f"</t></is></c>{after}</row>"

    return workbook(chunks(), dimension="A1:D2", level=level)


def many_rows(header, body_row, *, rows, level=9):
    """`rows` copies of one body row after the header (rows without `r`, as some writers omit it).
    With a one-number row, a million rows unpack to 26 MB: under the unpacked-size cap, so it is the
    row limit that has to stop the reading."""
    line = row(body_row)

    def chunks():
        yield row(header)
        batch = line * 10_000
        for _ in range(rows // 10_000):
            yield batch
        yield line * (rows % 10_000)

    return workbook(chunks(), dimension=f"A1:D{rows + 1}", level=level)


def zip_bomb(header, body, *, unpacked_bytes, level=9):
    """A valid sheet padded with `unpacked_bytes` of blanks between its rows: tiny packed, huge unpacked."""

    def chunks():
        yield row(header)
        yield from (row(r) for r in body)
        left = unpacked_bytes
        blank = b" " * CHUNK
        while left > 0:
            n = min(CHUNK, left)
            yield blank[:n]
            left -= n

    return workbook(chunks(), dimension="A1:D3", level=level)


def suite(kind, *, full=False):
    """The crafted files, by name, for the member import ("members") or the plan import ("plan").

    `full` gives the probe's sizes (a 1.5 GB cell in a 1.4 MB file; 1 GB of padding); otherwise the
    huge parts unpack to 256 MB, packed at level 1 so a test builds each in about two seconds. Either
    is far beyond the unpacked-size cap, and beyond what the unfixed readers survive under 512 MB."""
    header, body = (MEMBER_HEADER, MEMBER_ROW) if kind == "members" else (PLAN_HEADER, PLAN_ROW)
    column = 0 if kind == "members" else 2
    huge, level = (1_500_000_000, 9) if full else (256 << 20, 1)
    return {
        "dimension-XFD8000": lambda: huge_dimension(header, [body], dimension="A1:XFD8000"),
        "dimension-XFD1048576": lambda: huge_dimension(header, [body]),
        "huge-cell": lambda: huge_cell(header, body, column=column, chars=huge, level=level),
        "long-cell": lambda: huge_cell(header, body, column=column, chars=50_000),
        "million-rows": lambda: many_rows(header, [1], rows=1_000_000, level=level),
        "zip-bomb": lambda: zip_bomb(header, [body], unpacked_bytes=huge if full else 256 << 20, level=level),
    }
