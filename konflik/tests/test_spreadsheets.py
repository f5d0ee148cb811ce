"""The shared sheet reader reads what openpyxl writes (shared strings, dates, booleans, gaps) and
refuses what no spreadsheet program writes (a DTD, a field past csv's limit)."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from konflik import spreadsheets


def workbook_bytes(rows, **cells):
    workbook = Workbook()  # the normal mode writes a shared-string table and a styles part
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reads_values_as_openpyxl_would_in_data_only_mode():
    data = workbook_bytes(
        [
            ["Nama", "Tanggal", "Angka", "Ya"],
            ["Ani", datetime.date(2026, 1, 5), 1.5, True],
            [],
            ["Budi", datetime.datetime(2026, 1, 5, 10, 30), 3, False],
        ],
        Z9="beyond the columns read",
    )
    assert list(spreadsheets.iter_xlsx_rows(data, max_cols=4)) == [
        (1, ["Nama", "Tanggal", "Angka", "Ya"]),
        (2, ["Ani", datetime.datetime(2026, 1, 5), 1.5, True]),
        (4, ["Budi", datetime.datetime(2026, 1, 5, 10, 30), 3, False]),
    ]


def test_a_long_shared_string_is_refused_with_its_row():
    data = workbook_bytes([["Nama"], ["x" * 101]])
    with pytest.raises(spreadsheets.SheetError) as caught:
        list(spreadsheets.iter_xlsx_rows(data, max_cols=4, max_cell_chars=100))
    assert caught.value.row == 2


def test_a_part_with_a_dtd_is_unreadable():
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([["Nama"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                laugh = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                content = laugh + content
            target.writestr(info, content)
    with pytest.raises(spreadsheets.SheetUnreadable):
        list(spreadsheets.iter_xlsx_rows(buffer.getvalue(), max_cols=4))


def test_not_a_zip_is_unreadable():
    with pytest.raises(spreadsheets.SheetUnreadable):
        list(spreadsheets.iter_xlsx_rows(b"PK\x03\x04 not really", max_cols=4))


def test_csv_rows_and_a_field_past_the_csv_limit():
    rows = list(spreadsheets.iter_csv_rows("a;b\n\n;\nc;d\n", delimiter=";", max_cols=4, max_cell_chars=10))
    assert rows == [(1, ["a", "b"]), (4, ["c", "d"])]
    with pytest.raises(spreadsheets.SheetError) as caught:
        list(spreadsheets.iter_csv_rows('a\n"' + "x" * 200_000 + '"\n', delimiter=";", max_cols=4))
    assert caught.value.row == 2


def test_csv_cells_that_would_run_are_marked_as_text():
    lines = list(spreadsheets.csv_stream([["=1+1", "+1", "-1", "@x", "\tx", "\rx", "ok", -1]]))
    assert lines[0] == "\ufeff"
    assert lines[1].startswith("'=1+1,'+1,'-1,'@x,'\tx,")
    assert lines[1].rstrip("\r\n").endswith(",ok,-1")
