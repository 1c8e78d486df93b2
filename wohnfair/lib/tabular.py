"""Writing a small table as CSV or XLSX, safe to open in a spreadsheet.

Spreadsheets run cell text that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (CSV injection, OWASP). Text cells starting with one of these (or with
a tab or carriage return) are prefixed with an apostrophe in CSV; in XLSX
every text cell is written as a string, never as a formula, and numbers stay
numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

Value = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: Value) -> Value:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """UTF-8 with BOM and semicolons: what German spreadsheet programs open correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_text(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else safe_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles: at most 31 characters, none of []:*?/\
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Tabelle"
    sheet.append([str(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = TYPE_STRING
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Never a formula, whatever the text starts with.
                cell.data_type = TYPE_STRING
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
