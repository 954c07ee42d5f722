"""CSV that Dutch Excel opens as it should, and that runs no formula from a cell."""

import csv
import io
from collections.abc import Iterable


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
