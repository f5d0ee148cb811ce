"""Member import from the Excel (.xlsx) or CSV sheets the secretariats keep.

Every row is checked first; any error, and nothing is imported, the report names each wrong row (its
number in the sheet, header = row 1) with its messages in Indonesian.

Columns (header names, case and spaces ignored): `nama` (required), `jabatan`, `instansi`,
`kedudukan` (a position from the configured list; required), `telepon`, `email`, `aktif_mulai`,
`aktif_sampai` (dates as 2026-01-31, 31-01-2026 or 31/01/2026, or Excel dates).

The sheet is read through `konflik.spreadsheets` as a stream and no further than one row past
KONFLIK_TEAMS_IMPORT_MAX_ROWS, so a crafted workbook (a huge declared dimension, a zip bomb, a giant
cell) is refused in bounded memory and time.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from konflik import spreadsheets

from .models import Position

COLUMNS = {
    "nama": "name",
    "name": "name",
    "jabatan": "office",
    "office": "office",
    "instansi": "institution",
    "institution": "institution",
    "kedudukan": "position",
    "kedudukan_dalam_tim": "position",
    "position": "position",
    "telepon": "phone",
    "hp": "phone",
    "phone": "phone",
    "email": "email",
    "surel": "email",
    "aktif_mulai": "active_from",
    "active_from": "active_from",
    "aktif_sampai": "active_until",
    "active_until": "active_until",
}
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
MAX_COLUMNS = 64  # columns read from each row; the known ones are eight, in any order


@dataclass
class ImportRow:
    line: int
    name: str = ""
    office: str = ""
    institution_name: str = ""
    position: Position | None = None
    phone: str = ""
    email: str = ""
    active_from: date | None = None
    active_until: date | None = None


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [(line, [messages])]; line 0 = the whole sheet

    @property
    def ok(self):
        return not self.errors


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _rows(upload):
    """The sheet's non-empty rows as (row number, values), read lazily: Excel (.xlsx) or CSV."""
    data = upload.read(settings.KONFLIK_TEAMS_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.KONFLIK_TEAMS_IMPORT_MAX_BYTES:
        raise ValidationError(_("Berkas terlalu besar."))
    if data.startswith(b"PK\x03\x04"):
        return spreadsheets.iter_xlsx_rows(data, max_cols=MAX_COLUMNS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(_("Berkas bukan Excel (.xlsx) atau CSV."))
    if "\x00" in text:
        raise ValidationError(_("Berkas bukan Excel (.xlsx) atau CSV."))
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return spreadsheets.iter_csv_rows(text, delimiter=delimiter, max_cols=MAX_COLUMNS)


def _read_table(upload, result):
    """The header and the member rows, reading no further than one row past the limit; on a refusal
    the result's errors say why and None is returned."""
    table = []
    try:
        rows = _rows(upload)
        for line, values in rows:
            if not any(_text(v) for v in values):
                continue
            if not table:
                header = [COLUMNS.get(_text(h).lower().replace(" ", "_")) for h in values]
                missing = {"name", "position"} - set(header)
                if missing:
                    cols = ", ".join(sorted({"name": "nama", "position": "kedudukan"}[m] for m in missing))
                    result.errors.append((line, [_("Kolom wajib tidak ada: %(cols)s.") % {"cols": cols}]))
                    return None
            table.append((line, values))
            if len(table) - 1 > settings.KONFLIK_TEAMS_IMPORT_MAX_ROWS:
                rows.close()
                limit = settings.KONFLIK_TEAMS_IMPORT_MAX_ROWS
                result.errors.append((0, [_("Terlalu banyak baris (maksimal %(n)s).") % {"n": limit}]))
                return None
    except ValidationError as exc:
        result.errors.append((0, list(exc.messages)))
        return None
    except spreadsheets.SheetUnreadable:
        result.errors.append((0, [_("Berkas Excel tidak dapat dibaca.")]))
        return None
    except spreadsheets.SheetError as exc:
        result.errors.append((exc.row or 0, [f"{capfirst(exc.message)}." if exc.row else exc.message]))
        return None
    if not table:
        result.errors.append((0, [_("Lembar kosong.")]))
        return None
    return table


def parse_members(upload) -> ImportResult:
    result = ImportResult()
    table = _read_table(upload, result)
    if table is None:
        return result
    header = [COLUMNS.get(_text(h).lower().replace(" ", "_")) for h in table[0][1]]
    positions = {p.name.lower(): p for p in Position.objects.all()}
    for offset, raw in table[1:]:
        values = {}
        for key, value in zip(header, raw, strict=False):
            if key:
                values[key] = value
        row, messages = ImportRow(line=offset), []
        row.name = _text(values.get("name"))[:150]
        row.office = _text(values.get("office"))[:200]
        row.institution_name = _text(values.get("institution"))[:200]
        row.phone = _text(values.get("phone"))
        row.email = _text(values.get("email")).lower()
        if not row.name:
            messages.append(_("Nama wajib diisi."))
        position_name = _text(values.get("position"))
        row.position = positions.get(position_name.lower())
        if row.position is None:
            messages.append(_("Kedudukan '%(value)s' tidak dikenal.") % {"value": position_name})
        if row.phone and not PHONE_RE.match(row.phone):
            messages.append(_("Nomor telepon '%(value)s' tidak valid.") % {"value": row.phone})
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                messages.append(_("Surel '%(value)s' tidak valid.") % {"value": row.email})
        for key in ("active_from", "active_until"):
            try:
                setattr(row, key, _date(values.get(key)))
            except ValueError as exc:
                messages.append(_("Tanggal '%(value)s' tidak valid.") % {"value": exc.args[0]})
        if row.active_from and row.active_until and row.active_until < row.active_from:
            messages.append(_("Tanggal akhir sebelum tanggal mulai."))
        if messages:
            result.errors.append((offset, messages))
        else:
            result.rows.append(row)
    return result
