"""Offline tabulations: a CSV or XLSX with one row per respondent.

Offices that still tabulate paper questionnaires in a spreadsheet can score
them without a server (``skm score FILE``). Columns are named U1…Un or by
unsur key; a blank cell is an unanswered question. Every bad cell is
reported with its spreadsheet row and column, and nothing is scored.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from questionnaires import Instrument, Unsur

#: Numbering columns found in almost every hand-made tabulation; not answers.
NUMBERING_COLUMNS = frozenset({"no", "no.", "nomor", "responden", "no responden"})

MAX_REPORTED_ERRORS = 50


@dataclass(frozen=True)
class CellError:
    row: int  # spreadsheet row, the header being row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class TabulationError(ValueError):
    """A file that cannot be scored; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[CellError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Tabulation:
    """Answers read from a file: ``answers[r, j]`` is the answer of data row r
    to the unsur in report position j, NaN when blank."""

    instrument: Instrument
    answers: npt.NDArray[np.float64]
    rows: tuple[int, ...]


def read_tabulation(path: Path, instrument: Instrument) -> Tabulation:
    """Read and validate a CSV or XLSX tabulation."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = list(_xlsx_rows(path))
    elif suffix in (".csv", ".txt"):
        table = list(_csv_rows(path))
    else:
        raise TabulationError(
            [CellError(0, "", f"Jenis berkas '{suffix}' tidak didukung; gunakan CSV atau XLSX.")]
        )
    return parse_rows(table, instrument)


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel on Windows saves CSV in the ANSI code page.
        text = raw.decode("cp1252", errors="replace")
    # Excel in Indonesian locale separates with ';' (the comma is the decimal
    # mark). Column names never contain separators, so the header row tells.
    header = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TabulationError(
            [CellError(0, "", f"Berkas XLSX tidak dapat dibaca: {error}")]
        ) from error
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_rows(table: list[list[Any]], instrument: Instrument) -> Tabulation:
    """Validate a header row plus data rows (already split into cells)."""
    while table and all(_is_blank(v) for v in table[-1]):
        table.pop()
    if not table:
        raise TabulationError([CellError(1, "", "Berkas kosong: tidak ada baris judul kolom.")])

    errors: list[CellError] = []
    header = table[0]
    positions: dict[int, Unsur] = {}
    seen: dict[str, str] = {}
    for index, name in enumerate(header):
        if _is_blank(name):
            continue
        label = str(name).strip()
        if label.lower() in NUMBERING_COLUMNS:
            continue
        unsur = instrument.resolve_column(label)
        if unsur is None:
            known = ", ".join(u.code for u in instrument.unsur)
            errors.append(
                CellError(1, label, f"kolom tidak dikenal; gunakan {known} atau kunci unsur.")
            )
        elif unsur.key in seen:
            errors.append(
                CellError(1, label, f"unsur {unsur.code} sudah ada di kolom {seen[unsur.key]}.")
            )
        else:
            positions[index] = unsur
            seen[unsur.key] = label
    for unsur in instrument.unsur:
        if unsur.key not in seen:
            errors.append(CellError(1, unsur.code, f"kolom untuk {unsur.name} tidak ada."))
    if errors:
        raise TabulationError(errors)

    answers: list[list[float]] = []
    rows: list[int] = []
    for row_number, cells in enumerate(table[1:], start=2):
        if all(_is_blank(v) for v in cells):
            continue
        values = [math.nan] * instrument.n_unsur
        for index, unsur in positions.items():
            cell = cells[index] if index < len(cells) else None
            if _is_blank(cell):
                continue
            value = _answer_value(cell, instrument)
            if value is None:
                errors.append(
                    CellError(
                        row_number,
                        str(header[index]).strip(),
                        f"nilai '{cell}' tidak sah; isi {instrument.scale_min}"
                        f"–{instrument.scale_max} atau kosongkan.",
                    )
                )
                continue
            values[unsur.position] = value
        answers.append(values)
        rows.append(row_number)
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        raise TabulationError(errors)
    if not answers:
        raise TabulationError([CellError(2, "", "Berkas tidak berisi data responden.")])
    matrix = np.array(answers, dtype=np.float64)
    for unsur in instrument.unsur:
        if np.all(np.isnan(matrix[:, unsur.position])):
            errors.append(CellError(0, unsur.code, "tidak ada satu pun jawaban untuk unsur ini."))
    if errors:
        raise TabulationError(errors)
    return Tabulation(instrument, matrix, tuple(rows))


def _answer_value(cell: Any, instrument: Instrument) -> int | None:
    """The answer in a cell, or None when it is not a whole number on the scale."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = str(cell).strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    if not number.is_integer():
        return None
    value = int(number)
    if not instrument.scale_min <= value <= instrument.scale_max:
        return None
    return value
