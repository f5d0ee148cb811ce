"""The plan matrix as an Excel workbook, and reading activities back from the same layout.

Layout (one sheet): a title block, one header row starting with "No", then for each strategy a
section row (I / II / III and the strategy's name), its activity rows, and a row with the strategy's
achievement per period; an overall achievement row closes the sheet. The import reads the activity
rows only (those with a title in the "Kegiatan" column) and ignores realisations and achievement
columns: what it creates is the plan's activities. Every row is checked first; one bad row and
nothing is imported, with each bad row named by its number in the sheet. The workbook is read and
written through `konflik.spreadsheets`: read as a bounded stream, written with text kept as text.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from konflik import spreadsheets
from konflik.models import Region
from konflik.scoping import code_in_scope, scope_q, user_can_see_region
from teams.models import Institution

from . import uploads
from .models import Activity, FundingSource, Strategy, SubType
from .periods import PERIODS

ROMAN = ["I", "II", "III"]

# (key, header, width)
COLUMNS = [
    ("no", "No", 5),
    ("sub_type", "Sub-lingkup", 28),
    ("title", "Kegiatan", 40),
    ("description", "Uraian", 30),
    ("indicator", "Ukuran keberhasilan", 28),
    ("unit", "Satuan", 12),
    ("target_b04", "Target B.04", 11),
    ("target_b08", "Target B.08", 11),
    ("target_b12", "Target B.12", 11),
    ("target_year", "Target tahunan", 12),
    ("real_b04", "Realisasi B.04", 12),
    ("ach_b04", "Capaian B.04 (%)", 12),
    ("real_b08", "Realisasi B.08", 12),
    ("ach_b08", "Capaian B.08 (%)", 12),
    ("real_b12", "Realisasi B.12", 12),
    ("ach_b12", "Capaian B.12 (%)", 12),
    ("responsible", "Penanggung jawab", 24),
    ("related", "Instansi terkait", 30),
    ("budget", "Anggaran (Rp)", 16),
    ("funding", "Sumber dana", 12),
    ("place", "Lokasi (kode wilayah)", 14),
    ("national", "Kegiatan nasional", 10),
]
COL = {key: index for index, (key, _h, _w) in enumerate(COLUMNS)}
HEADERS = [header for _k, header, _w in COLUMNS]
BOLD = Font(bold=True)
SECTION_FILL = PatternFill("solid", fgColor="D7EFE3")


def _num(value):
    return None if value is None else float(value)


def export_plan(*, plan, matrix) -> bytes:
    book = spreadsheets.XlsxWriter()
    ws = book.sheet(f"Rencana Aksi {plan.year}", widths=[width for _k, _h, width in COLUMNS], freeze="D5")
    ws.append(["RENCANA AKSI TERPADU PENANGANAN KONFLIK SOSIAL"], font=BOLD)
    ws.append([f"{plan.team.name} · Tahun {plan.year} · {plan.get_status_display()}"], font=BOLD)
    ws.append([])
    ws.append(HEADERS, font=BOLD, alignment=Alignment(wrap_text=True, vertical="top"))
    number = 0
    for roman, group in zip(ROMAN, matrix["groups"], strict=True):
        section = [roman, str(group.label).upper()] + [None] * (len(COLUMNS) - 2)
        ws.append(section, font=BOLD, fill=SECTION_FILL)
        for row in group.rows:
            number += 1
            a = row.activity
            line = [None] * len(COLUMNS)
            line[COL["no"]] = number
            line[COL["sub_type"]] = str(a.get_sub_type_display())
            line[COL["title"]] = a.title
            line[COL["description"]] = a.description
            line[COL["indicator"]] = a.indicator
            line[COL["unit"]] = a.unit
            for key in ("target_b04", "target_b08", "target_b12", "target_year"):
                line[COL[key]] = _num(getattr(a, key))
            for period in PERIODS:
                r = row.realisations.get(period.value)
                if r is not None:
                    line[COL[f"real_{period.lower()}"]] = _num(r.value)
                    line[COL[f"ach_{period.lower()}"]] = _num(r.achievement)
            line[COL["responsible"]] = a.responsible_institution.name if a.responsible_institution else None
            line[COL["related"]] = "; ".join(i.name for i in a.related_institutions.all()) or None
            line[COL["budget"]] = _num(a.budget)
            line[COL["funding"]] = str(a.get_funding_source_display()) if a.funding_source else None
            line[COL["place"]] = a.place_id if a.place_id and a.place_id != plan.team.region_id else None
            line[COL["national"]] = "Ya" if a.is_national else "Tidak"
            ws.append(line)
        ws.append(
            _achievement_line(_("Capaian %(strategy)s") % {"strategy": group.label}, group.achievement),
            font=BOLD,
            styled={COL["sub_type"]},
        )
    ws.append(_achievement_line(_("Capaian keseluruhan"), matrix["overall"]), font=BOLD)
    return book.to_bytes()


def _achievement_line(label, achievement):
    line = [None] * len(COLUMNS)
    line[COL["sub_type"]] = str(label)
    for period in PERIODS:
        line[COL[f"ach_{period.lower()}"]] = _num(achievement.get(period.value))
    return line


# --- import ------------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    row_number: int
    fields: dict
    related_institutions: list = field(default_factory=list)


class ImportRefused(ValidationError):
    """The workbook was refused: `row_errors` lists (row number or None, reason)."""

    def __init__(self, row_errors):
        self.row_errors = row_errors
        super().__init__([self.format(n, reason) for n, reason in row_errors])

    @staticmethod
    def format(row_number, reason):
        if row_number is None:
            return str(reason)
        return _("Baris %(row)s: %(reason)s") % {"row": row_number, "reason": reason}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value, label):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_("%(field)s bukan angka") % {"field": label})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).replace("Rp", "").replace(" ", "").replace("\u00a0", "")
        if "," in text and "." in text:  # Indonesian thousands dots and decimal comma: 1.500,25
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):  # typed with thousands dots: 1.500.000
            text = text.replace(".", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("%(field)s bukan angka: %(value)s") % {"field": label, "value": value})
    if not number.is_finite():
        raise ValueError(_("%(field)s bukan angka") % {"field": label})
    if number < 0:
        raise ValueError(_("%(field)s tidak boleh negatif") % {"field": label})
    return number


def _lookup(choices_cls, value):
    """A choice by its value or its label (Indonesian), case-insensitively."""
    text = _text(value).lower()
    for choice in choices_cls:
        if text in (choice.value.lower(), str(choice.label).lower()):
            return choice.value
    return None


def _strategy_of_section(label):
    text = _text(label).lower()
    for strategy in Strategy:
        if text in (strategy.value, str(strategy.label).lower()):
            return strategy.value
    return None


def _is_header(values):
    return _text(values[COL["no"]]).lower() == "no" and _text(values[COL["title"]]).lower() == "kegiatan"


def read_rows(uploaded):
    """The sheet's non-empty rows as (row_number, [values]) after its header row, read lazily and no
    further than one row past the limit (`konflik.spreadsheets` bounds the rest)."""
    data = uploaded.read(settings.KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES + 1)
    if len(data) > settings.KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES:
        raise ImportRefused([(None, _("Berkas terlalu besar."))])
    if uploads.detect(data) != uploads.XLSX:
        raise ImportRefused([(None, _("Berkas bukan buku kerja Excel (.xlsx)."))])
    limit = settings.KONFLIK_ACTIONPLAN_IMPORT_MAX_ROWS
    header_seen, body, before = False, [], 0
    try:
        rows = spreadsheets.iter_xlsx_rows(data, max_cols=len(COLUMNS))
        for row_number, values in rows:
            if header_seen:
                body.append((row_number, values))
            elif _is_header(values):
                header_seen = True
            else:
                before += 1
            if len(body) > limit or before > limit:
                rows.close()
                if header_seen:
                    raise ImportRefused([(None, _("Terlalu banyak baris."))])
                break
    except spreadsheets.SheetUnreadable:
        raise ImportRefused([(None, _("Berkas Excel rusak atau tidak dapat dibaca."))])
    except spreadsheets.SheetError as exc:
        raise ImportRefused([(exc.row, exc.message)])
    if not header_seen:
        raise ImportRefused(
            [(None, _("Baris judul kolom (No, Sub-lingkup, Kegiatan, ...) tidak ditemukan."))]
        )
    return body


def parse_activities(*, uploaded, plan, user) -> list[ParsedRow]:
    """Check every activity row of the workbook; raises ImportRefused naming each bad row."""
    rows = read_rows(uploaded)
    region = plan.team.region_id
    institutions = {
        i.name.strip().lower(): i
        for i in Institution.objects.visible_to(user).filter(scope_q("region", region))
    }
    places = set(Region.objects.in_scope_of(user).filter(scope_q("", region)).values_list("code", flat=True))
    strategy = None
    parsed, errors = [], []
    for row_number, values in rows:
        first, title = _text(values[COL["no"]]), _text(values[COL["title"]])
        if not title:
            section = _strategy_of_section(values[COL["sub_type"]]) if first.upper() in ROMAN else None
            if section:
                strategy = section
            continue
        try:
            parsed.append(_parse_row(row_number, values, strategy, institutions, places, plan, user, region))
        except ValueError as exc:
            errors.append((row_number, str(exc)))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = Activity._meta.get_field(name).verbose_name if name != "__all__" else ""
                for message in messages:
                    errors.append((row_number, f"{str(label).capitalize()}: {message}" if label else message))
    if errors:
        raise ImportRefused(errors)
    if not parsed:
        raise ImportRefused([(None, _("Tidak ada baris kegiatan dalam berkas."))])
    return parsed


def _parse_row(row_number, values, strategy, institutions, places, plan, user, region):
    sub_type = _lookup(SubType, values[COL["sub_type"]])
    if sub_type is None:
        raise ValueError(
            _("sub-lingkup tidak dikenal: %(value)s") % {"value": _text(values[COL["sub_type"]]) or "—"}
        )
    row_strategy = strategy or sub_type.split("_")[0]
    if not sub_type.startswith(f"{row_strategy}_"):
        raise ValueError(
            _("sub-lingkup %(value)s tidak termasuk strategi di atasnya")
            % {"value": _text(values[COL["sub_type"]])}
        )
    fields = {
        "strategy": row_strategy,
        "sub_type": sub_type,
        "title": _text(values[COL["title"]]),
        "description": _text(values[COL["description"]]),
        "indicator": _text(values[COL["indicator"]]),
        "unit": _text(values[COL["unit"]]),
    }
    for key, label in (
        ("target_b04", "Target B.04"),
        ("target_b08", "Target B.08"),
        ("target_b12", "Target B.12"),
        ("target_year", _("Target tahunan")),
        ("budget", _("Anggaran")),
    ):
        fields[key] = _decimal(values[COL[key]], label)
    funding = values[COL["funding"]]
    fields["funding_source"] = ""
    if _text(funding):
        fields["funding_source"] = _lookup(FundingSource, funding)
        if fields["funding_source"] is None:
            raise ValueError(
                _("sumber dana tidak dikenal: %(value)s (APBD, APBN, Lainnya)") % {"value": _text(funding)}
            )
    national = _text(values[COL["national"]]).lower()
    if national not in ("", "ya", "tidak", "true", "false", "1", "0", "yes", "no"):
        raise ValueError(_("kegiatan nasional harus Ya atau Tidak"))
    fields["is_national"] = national in ("ya", "true", "1", "yes")
    place = _text(values[COL["place"]])
    fields["place"] = None
    if place:
        if place not in places or not code_in_scope(place, region) or not user_can_see_region(user, place):
            raise ValueError(_("lokasi %(code)s bukan wilayah tim ini") % {"code": place})
        fields["place"] = Region(code=place)
    responsible = _text(values[COL["responsible"]])
    fields["responsible_institution"] = None
    if responsible:
        fields["responsible_institution"] = institutions.get(responsible.lower())
        if fields["responsible_institution"] is None:
            raise ValueError(
                _("penanggung jawab tidak terdaftar di wilayah tim ini: %(name)s") % {"name": responsible}
            )
    related = []
    for name in filter(None, (n.strip() for n in _text(values[COL["related"]]).split(";"))):
        institution = institutions.get(name.lower())
        if institution is None:
            raise ValueError(
                _("instansi terkait tidak terdaftar di wilayah tim ini: %(name)s") % {"name": name}
            )
        related.append(institution)
    candidate = Activity(plan=plan, position=1, **fields)
    candidate.full_clean(exclude=["plan", "position"], validate_unique=False)
    return ParsedRow(row_number=row_number, fields=fields, related_institutions=related)
