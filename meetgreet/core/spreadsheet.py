"""CSV that Dutch Excel opens as it should, and that runs no formula from a cell."""

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font


def safe_cell(value) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(header: Iterable, rows: Iterable[Iterable]) -> str:
    """UTF-8 with BOM and `;`, as Dutch Excel opens it without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes(title: str, header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """The same table as an Excel workbook; text cells stay text (no formulas)."""
    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles allow 31 characters and none of []:*?/\ .
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "List"
    sheet.append([safe_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([value if isinstance(value, int) else safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
