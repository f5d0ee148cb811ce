"""Every spreadsheet the application reads or writes goes through this module.

Writing: a text cell that a spreadsheet program would evaluate (one starting with `=`, `+`, `-`, `@`,
a tab or a carriage return) must stay text. In CSV it gets a leading apostrophe, the mark spreadsheet
programs read as "this is text" (`csv_cell`, `csv_stream`). In XLSX the cell is written as a string
cell, never a formula, with Excel's quote prefix so that editing it keeps it text; its value is the
user's text, unchanged (`XlsxWriter`, openpyxl's write-only mode, so rows stream to the file).

Reading (`iter_xlsx_rows`, `iter_csv_rows`): an uploaded workbook is a zip of XML parts, and what it
says about itself cannot be trusted. Before parsing, every part's unpacked size and their total are
checked against `KONFLIK_SHEET_MAX_UNPACKED_BYTES` (Python's zipfile stops a part at its declared
size, so a part that lies about it fails its CRC instead of growing). The first worksheet is then
parsed with expat as a stream, 64 KiB at a time, keeping only the current row: the declared
`<dimension>` is ignored, columns beyond `max_cols` are dropped as they are read, a cell longer than
`KONFLIK_SHEET_MAX_CELL_CHARS` stops the reading with the row's number, and a caller that has seen
enough rows simply stops iterating. A DTD (entity expansion) is refused; OOXML parts never carry one.
"""

import csv
import io
import posixpath
import tempfile
import zipfile
import zlib
from datetime import datetime
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
READ_CHUNK = 64 * 1024


# --- writing ----------------------------------------------------------------------------------------


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A CSV value that no spreadsheet program evaluates."""
    return "'" + value if is_formula_like(value) else value


class _Echo:
    def write(self, value):
        return value


def csv_stream(rows, *, delimiter=","):
    """The lines of a UTF-8 CSV (with a BOM, so spreadsheet programs read UTF-8), one row at a time."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


class XlsxSheet:
    def __init__(self, worksheet):
        self.worksheet = worksheet

    def cell(self, value, *, font=None, fill=None, alignment=None):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.worksheet, value=value)
        if isinstance(value, str):
            # openpyxl types "=..." as a formula and "#N/A" as an error: text stays text.
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def append(self, values, *, font=None, fill=None, alignment=None, styled=None):
        """One row. `font`/`fill`/`alignment` apply to every cell, or to the columns in `styled`."""
        row = []
        for index, value in enumerate(values):
            style = styled is None or index in styled
            row.append(
                self.cell(
                    value,
                    font=font if style else None,
                    fill=fill if style else None,
                    alignment=alignment if style else None,
                )
            )
        self.worksheet.append(row)


class XlsxWriter:
    """A write-only workbook: sheets are written row by row and never held as cell objects."""

    def __init__(self):
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)

    def sheet(self, title, *, widths=None, freeze=None) -> XlsxSheet:
        """A new sheet; column `widths` (a list, from column A) and panes must be set before rows."""
        from openpyxl.utils import get_column_letter

        worksheet = self.workbook.create_sheet(title=str(title)[:31])
        for index, width in enumerate(widths or [], start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            worksheet.freeze_panes = freeze
        return XlsxSheet(worksheet)

    def save(self, target):
        self.workbook.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()

    def to_temporary_file(self):
        """A temporary file holding the workbook, rewound, for a FileResponse to stream and close."""
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by its reader)
        self.save(handle)
        handle.seek(0)
        return handle


# --- reading ----------------------------------------------------------------------------------------


class SheetError(Exception):
    """A sheet refused while reading: `message` in Indonesian, `row` its number in the sheet or None."""

    def __init__(self, message, row=None):
        super().__init__(message)
        self.message = message
        self.row = row


class SheetUnreadable(SheetError):
    """Not a workbook we can read (damaged, no worksheet, a DTD): callers word it their own way."""

    def __init__(self, message=""):
        super().__init__(message or _("Berkas Excel tidak dapat dibaca."))


def cell_too_long(row, limit):
    return SheetError(_("isian sel terlalu panjang (maksimal %(n)s karakter)") % {"n": limit}, row=row)


def _limits(max_cell_chars, max_unpacked_bytes):
    return (
        max_cell_chars or settings.KONFLIK_SHEET_MAX_CELL_CHARS,
        max_unpacked_bytes or settings.KONFLIK_SHEET_MAX_UNPACKED_BYTES,
    )


def open_workbook_archive(data: bytes, *, max_unpacked_bytes=None) -> zipfile.ZipFile:
    """The workbook's zip, once each part's and the total unpacked size are within the cap."""
    _cells, cap = _limits(None, max_unpacked_bytes)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SheetUnreadable()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > cap or total > cap:
            archive.close()
            raise SheetError(
                _("Isi berkas Excel terlalu besar setelah dibuka (maksimal %(mb)s MB).")
                % {"mb": round(cap / (1024 * 1024))}
            )
    return archive


def _local(name):
    return name.rpartition(" ")[2]


def _parse(archive, name, start=None, end=None, text=None):
    """Stream one XML part through expat, calling the handlers with local names; no DTD allowed."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse_dtd(*_args):
        raise SheetUnreadable()

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    if start:
        parser.StartElementHandler = lambda tag, attrs: start(
            _local(tag), {_local(k): v for k, v in attrs.items()}
        )
    if end:
        parser.EndElementHandler = lambda tag: end(_local(tag))
    if text:
        parser.CharacterDataHandler = text
    try:
        with archive.open(name) as part:
            while True:
                chunk = part.read(READ_CHUNK)
                yield parser
                if not chunk:
                    parser.Parse(b"", True)
                    return
                parser.Parse(chunk, False)
    except KeyError:
        raise SheetUnreadable()
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, UnicodeError):
        raise SheetUnreadable()
    except (NotImplementedError, RuntimeError):  # a compression method zipfile lacks; an encrypted part
        raise SheetUnreadable()


def _drain(parsing):
    for _parser in parsing:
        pass


def _part_path(base, target):
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive, part):
    rels = {}
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", f"{name}.rels")
    if path not in archive.namelist():
        return rels

    def start(tag, attrs):
        if tag == "Relationship" and attrs.get("TargetMode") != "External":
            rels[attrs.get("Id")] = (attrs.get("Type", ""), _part_path(part, attrs.get("Target", "")))

    _drain(_parse(archive, path, start=start))
    return rels


class _Workbook:
    """What the first worksheet needs from the rest of the archive: shared strings, date styles, epoch."""

    def __init__(self, archive, max_cell_chars):
        self.archive = archive
        self.max_cell_chars = max_cell_chars
        workbook = "xl/workbook.xml"
        for _kind, target in _relationships(archive, "").values():
            if _kind.endswith("/officeDocument"):
                workbook = target
        sheet_ids, self.date1904 = [], False

        def start(tag, attrs):
            if tag == "sheet":
                sheet_ids.append(attrs.get("id"))
            elif tag == "workbookPr":
                self.date1904 = attrs.get("date1904") in ("1", "true")

        _drain(_parse(archive, workbook, start=start))
        rels = _relationships(archive, workbook)
        worksheets = [rels[i][1] for i in sheet_ids if i in rels and rels[i][0].endswith("/worksheet")]
        if not worksheets:
            raise SheetUnreadable()
        self.sheet = worksheets[0]
        names = set(archive.namelist())
        shared = next((t for k, t in rels.values() if k.endswith("/sharedStrings")), None)
        styles = next((t for k, t in rels.values() if k.endswith("/styles")), None)
        self.shared_strings = self._shared_strings(shared) if shared in names else []
        self.date_styles = self._date_styles(styles) if styles in names else set()

    def _shared_strings(self, path):
        strings, parts, state = [], [], {"depth_rph": 0, "in_t": False, "length": 0}

        def start(tag, attrs):
            if tag == "si":
                parts.clear()
                state["length"] = 0
            elif tag == "rPh":
                state["depth_rph"] += 1
            elif tag == "t" and not state["depth_rph"]:
                state["in_t"] = True

        def end(tag):
            if tag == "si":
                strings.append("".join(parts))
            elif tag == "rPh":
                state["depth_rph"] -= 1
            elif tag == "t":
                state["in_t"] = False

        def text(data):
            # Keep one character past the limit: enough to refuse the cell that uses it, no more.
            if state["in_t"] and state["length"] <= self.max_cell_chars:
                piece = data[: self.max_cell_chars + 1 - state["length"]]
                parts.append(piece)
                state["length"] += len(piece)

        _drain(_parse(self.archive, path, start=start, end=end, text=text))
        return strings

    def _date_styles(self, path):
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom, formats, depth = {}, [], {"cell_xfs": False}

        def start(tag, attrs):
            if tag == "numFmt":
                custom[attrs.get("numFmtId")] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cell_xfs"] = True
            elif tag == "xf" and depth["cell_xfs"]:
                formats.append(attrs.get("numFmtId", "0"))

        def end(tag):
            if tag == "cellXfs":
                depth["cell_xfs"] = False

        _drain(_parse(self.archive, path, start=start, end=end))
        dates = set()
        for index, fmt_id in enumerate(formats):
            code = custom.get(fmt_id)
            if code is None and fmt_id.isdigit():
                code = BUILTIN_FORMATS.get(int(fmt_id))
            if code and is_date_format(code):
                dates.add(str(index))
        return dates


def _column_index(reference):
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            number = number * 26 + ord(char) - 96
        else:
            break
    return number


def _number(text):
    text = text.strip()
    if not text:
        return None
    if any(c in text for c in ".eE") or text.lower() in ("nan", "inf", "-inf"):
        return float(text)
    return int(text)


class _SheetReader:
    def __init__(self, book, max_cols, max_cell_chars):
        self.book, self.max_cols, self.max_cell_chars = book, max_cols, max_cell_chars
        self.pending = []
        self.row_number = 0
        self.values = None
        self.column = 0
        self.cell = None  # (column, type, style) of the cell being read
        self.capture = False
        self.rph = 0
        self.buffer, self.length = [], 0

    def start(self, tag, attrs):
        if tag == "row":
            ref = attrs.get("r")
            self.row_number = int(ref) if ref and ref.isdigit() else self.row_number + 1
            self.values, self.column = [None] * self.max_cols, 0
        elif tag == "c" and self.values is not None:
            ref = attrs.get("r")
            self.column = _column_index(ref) if ref else self.column + 1
            self.cell = (self.column, attrs.get("t", "n"), attrs.get("s"))
            self.buffer, self.length = [], 0
        elif self.cell is not None:
            if tag == "rPh":
                self.rph += 1
            elif tag == "v" or (tag == "t" and not self.rph):
                self.capture = True

    def text(self, data):
        if self.capture and self.cell[0] <= self.max_cols:
            self.length += len(data)
            if self.length > self.max_cell_chars:
                raise cell_too_long(self.row_number, self.max_cell_chars)
            self.buffer.append(data)

    def end(self, tag):
        if tag in ("v", "t"):
            self.capture = False
        elif tag == "rPh":
            self.rph -= 1
        elif tag == "c" and self.cell is not None:
            column, kind, style = self.cell
            self.cell = None
            if 1 <= column <= self.max_cols:
                self.values[column - 1] = self._value(kind, style, "".join(self.buffer))
        elif tag == "row" and self.values is not None:
            if any(v is not None and v != "" for v in self.values):
                self.pending.append((self.row_number, self.values))
            self.values = None

    def _value(self, kind, style, text):
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "s":
            try:
                value = self.book.shared_strings[int(text)]
            except (ValueError, IndexError):
                raise SheetUnreadable()
            if len(value) > self.max_cell_chars:
                raise cell_too_long(self.row_number, self.max_cell_chars)
            return value
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.fromisoformat(text.strip())
            except ValueError:
                return text
        try:
            number = _number(text)
        except ValueError:
            raise SheetUnreadable()
        if number is not None and style in self.book.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if self.book.date1904 else CALENDAR_WINDOWS_1900)
            except (ValueError, OverflowError):
                return number
        return number


def iter_xlsx_rows(data: bytes, *, max_cols: int, max_cell_chars=None, max_unpacked_bytes=None):
    """The first worksheet's non-empty rows as (row number, [values of columns 1..max_cols]), lazily.

    Raises SheetError (over a cap; `row` set for a cell too long) or SheetUnreadable. Stop iterating
    once you have enough rows: nothing after that is read."""
    max_cell_chars, max_unpacked_bytes = _limits(max_cell_chars, max_unpacked_bytes)
    with open_workbook_archive(data, max_unpacked_bytes=max_unpacked_bytes) as archive:
        book = _Workbook(archive, max_cell_chars)
        reader = _SheetReader(book, max_cols, max_cell_chars)
        for _parser in _parse(archive, book.sheet, start=reader.start, end=reader.end, text=reader.text):
            if reader.pending:
                rows, reader.pending = reader.pending, []
                yield from rows
        yield from reader.pending


def iter_csv_rows(text: str, *, delimiter: str, max_cols: int, max_cell_chars=None):
    """A CSV's non-empty rows as (record number, [values]), lazily, with the same cell-length cap."""
    max_cell_chars, _bytes = _limits(max_cell_chars, None)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    number = 0
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a field past csv's own limit (128 KiB), or a stray NUL
            raise cell_too_long(number, max_cell_chars)
        if any(len(value) > max_cell_chars for value in values):
            raise cell_too_long(number, max_cell_chars)
        if any(value.strip() for value in values):
            yield number, values[:max_cols]
