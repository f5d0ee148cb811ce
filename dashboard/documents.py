"""The periodic report's content and its two renderings (PDF with fpdf2, XLSX with openpyxl).

`gather()` reads everything through the other apps' selectors as a reader whose scope is the team's
region; `render_pdf()` and `render_xlsx()` only lay that content out, so both files carry the same
figures.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from actionplans import periods
from actionplans import selectors as actionplan_selectors
from konflik import spreadsheets
from teams import selectors as team_selectors
from teams.models import Meeting

from . import selectors

STATES = {
    "on_time": "tepat waktu",
    "late": "terlambat",
    "missing": "belum dikirim (lewat batas)",
    "pending": "belum dikirim",
    "no_target": "tidak bertarget",
}


@dataclass
class ReportContent:
    title: str
    team: str
    region_code: str
    year: int
    period: str
    period_label: str
    generated_at: str
    strategies: list = field(default_factory=list)  # (label, activities, achievement)
    overall: object = None
    activities: list = field(
        default_factory=list
    )  # (strategy, title, unit, target, value, achievement, status)
    regencies: list = field(default_factory=list)  # (name, achievement, submission state)
    incident_totals: dict = field(default_factory=dict)
    resolution_rate: object = None
    by_source: list = field(default_factory=list)  # (label, n)
    by_stage: list = field(default_factory=list)
    by_area: list = field(default_factory=list)
    meetings: list = field(default_factory=list)  # (date, title, kind, status)
    followups: list = field(default_factory=list)  # (meeting, description, owner, due, status)


def _pct(value):
    return None if value is None else Decimal(value)


def gather(report, progress=lambda percent, step: None) -> ReportContent:
    team = report.team
    year, period = report.year, report.period
    from .services import scope_reader

    reader = scope_reader(team.region_id)
    content = ReportContent(
        title=str(report.title),
        team=team.name,
        region_code=team.region_id,
        year=year,
        period=period,
        period_label=str(periods.Period(period).label),
        generated_at=timezone.localtime(timezone.now(), periods.WIB).strftime("%d-%m-%Y %H:%M WIB"),
    )

    progress(20, _("rencana aksi"))
    plan = actionplan_selectors.plan_list(user=reader).filter(team=team, year=year).first()
    if plan is not None:
        matrix = actionplan_selectors.plan_matrix(user=reader, plan=plan)
        for group in matrix["groups"]:
            targeted = [row for row in group.rows if (row.activity.target_for(period) or 0) > 0]
            content.strategies.append((str(group.label), len(targeted), _pct(group.achievement.get(period))))
            for row in targeted:
                realisation = row.realisations.get(period)
                content.activities.append(
                    (
                        str(group.label),
                        row.activity.title,
                        row.activity.unit,
                        row.activity.target_for(period),
                        realisation.value if realisation else None,
                        realisation.achievement if realisation else None,
                        str(realisation.get_status_display()) if realisation else _("belum ada"),
                    )
                )
        content.overall = _pct(matrix["overall"].get(period))
    if "." not in team.region_id:  # a province's report also shows its regencies
        names = dict(selectors.regency_choices(user=reader))
        achievement = actionplan_selectors.achievement_by_regency(user=reader, year=year, period=period)
        states = {}
        for row in actionplan_selectors.submission_table(user=reader, year=year):
            for cell in row.cells:
                if cell.period == period:
                    states[row.team.region_id] = STATES.get(cell.state, cell.state)
        for code, name in names.items():
            content.regencies.append(
                (name, _pct(achievement.get(code)), states.get(code, STATES["no_target"]))
            )

    progress(40, _("kejadian"))
    selection = selectors.Selection(year=year, period=period)
    figures = selectors.incident_figures(user=reader, selection=selection)
    content.incident_totals = figures["totals"]
    content.resolution_rate = selectors.resolution_rate(figures["totals"])
    from incidents.models import Incident, SourceOfConflict

    content.by_source = [
        (str(label), figures["sources"].get(value, 0)) for value, label in SourceOfConflict.choices
    ]
    content.by_stage = [
        (str(label), figures["stages"].get(value, 0)) for value, label in Incident.Stage.choices
    ]
    for code, name in selectors.regency_choices(user=reader):
        content.by_area.append((name, figures["regions"].get(code, 0)))

    progress(55, _("rapat dan tindak lanjut"))
    start = datetime.datetime.combine(periods.period_start(year, period), datetime.time(), tzinfo=periods.WIB)
    end = datetime.datetime.combine(
        periods.period_end(year, period) + datetime.timedelta(days=1), datetime.time(), tzinfo=periods.WIB
    )
    meetings = (
        team_selectors.meeting_list(user=reader)
        .filter(team=team, start__gte=start, start__lt=end, status=Meeting.Status.HELD)
        .order_by("start", "id")
    )
    for meeting in meetings:
        content.meetings.append(
            (
                timezone.localtime(meeting.start, periods.WIB).strftime("%d-%m-%Y"),
                meeting.title,
                str(meeting.get_kind_display()),
                str(meeting.get_status_display()),
            )
        )
    today = timezone.localdate()
    followups = (
        team_selectors.followup_list(user=reader)
        .filter(meeting__team=team, meeting__start__gte=start, meeting__start__lt=end)
        .order_by("due_date", "id")
    )
    for item in followups:
        status = str(item.get_status_display())
        if item.is_overdue(today):
            status = _("terlambat")
        content.followups.append(
            (
                item.meeting.title,
                item.description,
                item.owner.name,
                item.due_date.strftime("%d-%m-%Y"),
                status,
            )
        )
    return content


def _num(value):
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def _pct_text(value):
    return "-" if value is None else f"{_num(Decimal(value))}%"


# --- PDF --------------------------------------------------------------------------------------------

_LATIN1 = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"})


def _latin1(text) -> str:
    """The PDF's built-in fonts cover Latin-1: map typographic marks, drop what cannot be shown."""
    return str(text).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def render_pdf(content: ReportContent) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_latin1(f"{content.title} - {content.team}"))
    pdf.set_author("konflik")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    bold = FontFace(emphasis="BOLD", fill_color=(229, 233, 239))

    def heading(text, size=12):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)

    def table(head, rows, widths):
        pdf.set_font("Helvetica", "", 9)
        with pdf.table(
            col_widths=widths, headings_style=bold, line_height=5, first_row_as_headings=True
        ) as t:
            row = t.row()
            for cell in head:
                row.cell(_latin1(cell))
            for values in rows:
                row = t.row()
                for cell in values:
                    row.cell(_latin1(cell))

    heading(content.title, 16)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(0, 6, _latin1(content.team), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(
        0,
        6,
        _latin1(f"{content.period_label} · {_('dibuat')} {content.generated_at}".replace("·", "-")),
        new_x="LMARGIN",
        new_y="NEXT",
    )

    heading(_("1. Rencana aksi dan realisasi per strategi"))
    if content.strategies:
        rows = [(label, _num(n), _pct_text(a)) for label, n, a in content.strategies]
        rows.append(
            (
                _("Seluruh strategi"),
                _num(sum(n for _l, n, _a in content.strategies)),
                _pct_text(content.overall),
            )
        )
        table((_("Strategi"), _("Kegiatan bertarget"), _("Capaian")), rows, (90, 45, 45))
        if content.activities:
            pdf.ln(2)
            table(
                (_("Strategi"), _("Kegiatan"), _("Target"), _("Realisasi"), _("Capaian"), _("Status")),
                [
                    (s, t, f"{_num(target)} {unit}".strip(), _num(value), _pct_text(a), status)
                    for s, t, unit, target, value, a, status in content.activities
                ],
                (30, 62, 22, 20, 20, 26),
            )
    else:
        pdf.multi_cell(
            0, 6, _latin1(_("Belum ada rencana aksi untuk tahun ini.")), new_x="LMARGIN", new_y="NEXT"
        )
    if content.regencies:
        heading(_("Capaian dan pengiriman kabupaten/kota"))
        table(
            (_("Kabupaten/kota"), _("Capaian"), _("Pengiriman")),
            [(name, _pct_text(a), state) for name, a, state in content.regencies],
            (80, 40, 60),
        )

    heading(_("2. Ringkasan kejadian"))
    totals = content.incident_totals
    table(
        (_("Kejadian"), _("Tewas"), _("Luka"), _("Pengungsi"), _("Selesai"), _("Persentase penyelesaian")),
        [
            (
                _num(totals.get("incidents", 0)),
                _num(totals.get("deaths", 0)),
                _num(totals.get("injured", 0)),
                _num(totals.get("displaced", 0)),
                _num(totals.get("resolved", 0)),
                _pct_text(content.resolution_rate),
            )
        ],
        (25, 25, 25, 30, 25, 50),
    )
    pdf.ln(2)
    table(
        (_("Sumber konflik"), _("Kejadian")), [(label, _num(n)) for label, n in content.by_source], (140, 40)
    )
    pdf.ln(2)
    table((_("Tahap"), _("Kejadian")), [(label, _num(n)) for label, n in content.by_stage], (140, 40))
    if len(content.by_area) > 1:
        pdf.ln(2)
        table(
            (_("Kabupaten/kota"), _("Kejadian")),
            [(label, _num(n)) for label, n in content.by_area],
            (140, 40),
        )

    heading(_("3. Rapat yang dilaksanakan"))
    if content.meetings:
        table((_("Tanggal"), _("Rapat"), _("Jenis"), _("Status")), content.meetings, (25, 95, 35, 25))
    else:
        pdf.multi_cell(0, 6, _latin1(_("Tidak ada rapat pada periode ini.")), new_x="LMARGIN", new_y="NEXT")

    heading(_("4. Tindak lanjut"))
    if content.followups:
        table(
            (_("Rapat"), _("Tindak lanjut"), _("Penanggung jawab"), _("Tenggat"), _("Status")),
            content.followups,
            (40, 60, 35, 22, 23),
        )
    else:
        pdf.multi_cell(
            0, 6, _latin1(_("Tidak ada tindak lanjut pada periode ini.")), new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())


# --- XLSX -------------------------------------------------------------------------------------------


def render_xlsx(content: ReportContent) -> bytes:
    from openpyxl.styles import Font

    workbook = spreadsheets.XlsxWriter()
    bold = Font(bold=True)

    def plain(value):
        return (
            float(value)
            if isinstance(value, Decimal)
            else str(value)
            if isinstance(value, Promise)
            else value
        )

    def sheet(title, head, rows):
        head = [plain(h) for h in head]
        rows = [[plain(v) for v in row] for row in rows]
        widths = [
            min(max(10, max(len(str(r[i] or "")) for r in (head, *rows) if i < len(r)) + 2), 60)
            for i in range(max(len(r) for r in (head, *rows)))
        ]
        ws = workbook.sheet(str(title), widths=widths)
        ws.append(head, font=bold)
        for row in rows:
            ws.append(row)
        return ws

    totals = content.incident_totals
    sheet(
        str(_("Ringkasan")),
        (_("Isian"), _("Nilai")),
        [
            (_("Laporan"), content.title),
            (_("Tim terpadu"), content.team),
            (_("Kode wilayah"), content.region_code),
            (_("Periode"), content.period_label),
            (_("Dibuat"), content.generated_at),
            (_("Capaian seluruh strategi (%)"), content.overall),
            (_("Kejadian"), totals.get("incidents", 0)),
            (_("Tewas"), totals.get("deaths", 0)),
            (_("Luka"), totals.get("injured", 0)),
            (_("Pengungsi"), totals.get("displaced", 0)),
            (_("Selesai"), totals.get("resolved", 0)),
            (_("Persentase penyelesaian (%)"), content.resolution_rate),
            (_("Rapat yang dilaksanakan"), len(content.meetings)),
            (_("Tindak lanjut"), len(content.followups)),
        ],
    )
    sheet(
        _("Per strategi"),
        (_("Strategi"), _("Kegiatan bertarget"), _("Capaian (%)")),
        [
            *content.strategies,
            (_("Seluruh strategi"), sum(n for _l, n, _a in content.strategies), content.overall),
        ],
    )
    sheet(
        _("Kegiatan"),
        (
            _("Strategi"),
            _("Kegiatan"),
            _("Satuan"),
            _("Target"),
            _("Realisasi"),
            _("Capaian (%)"),
            _("Status"),
        ),
        content.activities,
    )
    if content.regencies:
        sheet(
            _("Kabupaten-kota"), (_("Kabupaten/kota"), _("Capaian (%)"), _("Pengiriman")), content.regencies
        )
    sheet(
        _("Kejadian"),
        (_("Rincian"), _("Nilai"), _("Kejadian")),
        [(_("Sumber konflik"), label, n) for label, n in content.by_source]
        + [(_("Tahap"), label, n) for label, n in content.by_stage]
        + [(_("Kabupaten/kota"), label, n) for label, n in content.by_area],
    )
    sheet(_("Rapat"), (_("Tanggal"), _("Rapat"), _("Jenis"), _("Status")), content.meetings)
    sheet(
        _("Tindak lanjut"),
        (_("Rapat"), _("Tindak lanjut"), _("Penanggung jawab"), _("Tenggat"), _("Status")),
        content.followups,
    )
    return workbook.to_bytes()
