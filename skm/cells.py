"""Cells written into files other people open: never a formula the public wrote.

Saran text is typed by anyone at the kiosk. A CSV or spreadsheet cell that
begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking for those) is run as a formula when
the file is opened: ``=HYPERLINK(...)`` could send a staff member anywhere.
In CSV such text gets a leading apostrophe, which spreadsheets read as
"this is text" and do not show; in XLSX it is stored as a text cell with
Excel's quote prefix, so it stays text even after the cell is edited.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 forbids; openpyxl refuses to write them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (for DOCX as for XLSX)."""
    return _ILLEGAL.sub("", text)


def is_risky(value: Any) -> bool:
    """True for text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: risky text prefixed with an apostrophe, control characters gone."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    return "'" + value if is_risky(value) else value


def text_or_value(value: Any) -> tuple[Any, bool]:
    """(value for an XLSX cell, whether it must be forced to text)."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        return value, is_risky(value)
    return value, False


def xlsx_cell(sheet: Any, value: Any, number_format: str | None = None, **style: Any) -> Any:
    """A cell for a write-only sheet. Text always stays text: risky text is stored as a
    string with the quote prefix; characters XML cannot hold are dropped."""
    from openpyxl.cell import WriteOnlyCell

    value, risky = text_or_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if risky:
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def xlsx_formula(sheet: Any, text: str, number_format: str | None = None, **style: Any) -> Any:
    """A cell holding a formula this module built (never text from a user)."""
    from openpyxl.cell import WriteOnlyCell

    if not text.startswith("="):
        raise ValueError("Rumus harus diawali '='.")
    cell = WriteOnlyCell(sheet, value=text)
    if number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell
