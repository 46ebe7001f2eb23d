"""Offline tabulations: a CSV or XLSX with one row per respondent.

Offices that still tabulate paper questionnaires in a spreadsheet can score
them without a server (``skm score FILE``) or import them into the database
(``skm.paper.imports``). Columns are named U1…Un or by unsur key; a blank
cell is an unanswered question. Every bad cell is reported with its
spreadsheet row and column, and nothing is scored.

Besides the answers a tabulation may carry optional columns: the survey
date (``tanggal``), the layanan (``layanan``), the respondent profile
(``jenis_kelamin``, ``usia``, ``pendidikan``, ``pekerjaan`` — any profile
field of the instrument, by key or label) and ``saran``. They are read
as raw cells into :attr:`Tabulation.details`; scoring ignores them, an
import checks them (the helpers below do the checks that need no
database).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from questionnaires import Instrument, ProfileField, Unsur
from skm.columns import (  # noqa: F401 - re-exported for older callers
    DETAIL_ALIASES,
    IGNORE,
    NUMBERING_COLUMNS,
    PROFILE_ALIASES,
    AnswerReader,
    ColumnRole,
    detail_column_names,
    match_columns,
)
from skm.formatting import MONTHS_ID, format_number

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
    """A file that cannot be scored; ``errors`` lists every problem found,
    ``columns`` what each header was taken to hold (when the header was read),
    so that the import preview can offer to correct it."""

    def __init__(self, errors: Sequence[CellError], columns: Sequence[ColumnRole] = ()):
        self.errors = tuple(errors)
        self.columns = tuple(columns)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(frozen=True)
class Tabulation:
    """Answers read from a file: ``answers[r, j]`` is the answer of data row r
    to the unsur in report position j, NaN when blank.

    ``details[r]`` holds the non-blank optional cells of data row r
    (``"tanggal"``, ``"layanan"``, ``"saran"`` or a profile field key ->
    the cell as read); ``detail_columns`` maps each optional column found to
    its header as written in the file, for error messages. ``errors`` is
    only ever non-empty when read with ``strict=False``: the bad answer
    cells (left NaN in ``answers``), so that an import can name them
    together with its own problems. ``columns`` says which header went
    where (:func:`skm.columns.match_columns`).
    """

    instrument: Instrument
    answers: npt.NDArray[np.float64]
    rows: tuple[int, ...]
    details: tuple[Mapping[str, Any], ...] = ()
    detail_columns: Mapping[str, str] = field(default_factory=dict)
    errors: tuple[CellError, ...] = ()
    columns: tuple[ColumnRole, ...] = ()


def read_tabulation(
    path: Path,
    instrument: Instrument,
    *,
    max_errors: int | None = MAX_REPORTED_ERRORS,
    columns: Mapping[int, str] | None = None,
) -> Tabulation:
    """Read and validate a CSV or XLSX tabulation (``columns``: see :func:`parse_rows`)."""
    return read_tabulation_bytes(
        path.read_bytes(), path.name, instrument, max_errors=max_errors, columns=columns
    )


def read_tabulation_bytes(
    content: bytes,
    filename: str,
    instrument: Instrument,
    *,
    max_errors: int | None = MAX_REPORTED_ERRORS,
    strict: bool = True,
    columns: Mapping[int, str] | None = None,
) -> Tabulation:
    """Read and validate a tabulation given as bytes (an upload); the file
    name's extension says whether it is CSV or XLSX. See :func:`parse_rows`
    for ``max_errors``, ``strict`` and ``columns``."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = list(_xlsx_rows(io.BytesIO(content)))
    elif suffix in (".csv", ".txt"):
        table = list(_csv_rows(content))
    else:
        raise TabulationError(
            [CellError(0, "", f"Jenis berkas '{suffix}' tidak didukung; gunakan CSV atau XLSX.")]
        )
    return parse_rows(table, instrument, max_errors=max_errors, strict=strict, columns=columns)


#: A tabulation has one column per unsur and a few optional ones; a header
#: wider than this is not a tabulation (and would cost memory for every row).
MAX_COLUMNS = 200
#: Rows read at most, the header included (a year of a busy kecamatan is ~20 000).
MAX_ROWS = 100_000
#: An XLSX is a zip: its parts may unpack to at most this much. A zip bomb
#: of a few kilobytes can claim gigabytes.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024


def _too_wide(width: int) -> TabulationError:
    return TabulationError(
        [CellError(1, "", f"Berkas memiliki {width} kolom; paling banyak {MAX_COLUMNS} kolom.")]
    )


def _too_long() -> TabulationError:
    limit = format_number(MAX_ROWS, 0)
    return TabulationError(
        [CellError(0, "", f"Berkas lebih dari {limit} baris; bagi menjadi beberapa berkas.")]
    )


def _bounded(rows: Iterator[Sequence[Any]]) -> Iterator[list[Any]]:
    """Rows cut to the header's width (cells beyond it belong to no column),
    at most MAX_ROWS of them; text holding NUL is refused (no database keeps it)."""
    width = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise _too_long()
        if number == 1:
            width = len(row)
            while width and _is_blank(row[width - 1]):
                width -= 1
            if width > MAX_COLUMNS:
                raise _too_wide(width)
        cells = list(row[:width])
        if any(isinstance(cell, str) and "\x00" in cell for cell in cells):
            raise TabulationError(
                [CellError(number, "", "sel berisi karakter NUL; berkas ini bukan tabulasi teks.")]
            )
        yield cells


def _decode_text(raw: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), UTF-16 with its BOM
    (Excel's "Unicode text"), or else the Windows ANSI code page of older Excel."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv_rows(raw: bytes) -> Iterator[list[Any]]:
    text = _decode_text(raw)
    if "\x00" in text:
        raise TabulationError(
            [
                CellError(
                    0,
                    "",
                    "Berkas ini bukan CSV teks (berisi data biner); simpan ulang sebagai CSV.",
                )
            ]
        )
    # Excel in Indonesian locale separates with ';' (the comma is the decimal
    # mark). Column names never contain separators, so the header row tells.
    header = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count)
    try:
        yield from _bounded(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise TabulationError(
            [CellError(0, "", f"Berkas CSV tidak dapat dibaca: {error}")]
        ) from error


def _unpacked_size(source: IO[bytes]) -> int:
    """What the XLSX's zip parts unpack to, from its directory (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(source) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TabulationError(
            [
                CellError(
                    0, "", "Berkas XLSX tidak dapat dibaca: bukan berkas Excel (XLSX) yang utuh."
                )
            ]
        ) from error
    finally:
        source.seek(0)


def _xlsx_rows(source: IO[bytes]) -> Iterator[list[Any]]:
    """The first sheet's rows, streamed (openpyxl's read-only mode).

    The sheet's claimed dimension is ignored: a sheet saying ``A1:XFD4000``
    would otherwise have every row padded to 16 384 cells. The header row
    says how many columns to read; every later row is read only that wide.
    """
    from openpyxl import load_workbook

    if _unpacked_size(source) > MAX_XLSX_UNPACKED_BYTES:
        raise TabulationError(
            [
                CellError(
                    0,
                    "",
                    f"Isi berkas XLSX lebih dari {MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB "
                    "setelah dibuka; bagi menjadi beberapa berkas.",
                )
            ]
        )
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise TabulationError(
            [CellError(0, "", f"Berkas XLSX tidak dapat dibaca: {error}")]
        ) from error
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        width = len(header)
        while width and _is_blank(header[width - 1]):
            width -= 1
        if width > MAX_COLUMNS:
            raise _too_wide(width)
        yield from _bounded(sheet.iter_rows(min_col=1, max_col=max(width, 1), values_only=True))
    except TabulationError:
        raise
    except Exception as error:  # a broken sheet part shows only while it is read
        raise TabulationError(
            [CellError(0, "", f"Berkas XLSX tidak dapat dibaca: {error}")]
        ) from error
    finally:
        workbook.close()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_rows(
    table: list[list[Any]],
    instrument: Instrument,
    *,
    max_errors: int | None = MAX_REPORTED_ERRORS,
    strict: bool = True,
    columns: Mapping[int, str] | None = None,
) -> Tabulation:
    """Validate a header row plus data rows (already split into cells).

    Headers and answer cells are read by :mod:`skm.columns` (codes, keys or
    question texts; digits, letters or labels); ``columns`` (column index ->
    target) overrides what a header was taken to hold. Stops after
    ``max_errors`` problems (None: reports every one). A header that cannot
    be read always raises TabulationError; bad answer cells raise it too
    unless ``strict`` is False, in which case they come back in
    :attr:`Tabulation.errors`.
    """
    while table and all(_is_blank(v) for v in table[-1]):
        table.pop()
    if not table:
        raise TabulationError([CellError(1, "", "Berkas kosong: tidak ada baris judul kolom.")])

    header = table[0]
    roles = match_columns(header, instrument, columns)
    positions, detail_positions, detail_headers, errors = _header_plan(roles, instrument)
    if errors:
        raise TabulationError(errors, roles)

    reader = AnswerReader(instrument)
    answers: list[list[float]] = []
    rows: list[int] = []
    details: list[dict[str, Any]] = []
    for row_number, cells in enumerate(table[1:], start=2):
        if all(_is_blank(v) for v in cells):
            continue
        details.append(
            {
                column: cells[index]
                for index, column in detail_positions.items()
                if index < len(cells) and not _is_blank(cells[index])
            }
        )
        values, problems = _row_answers(cells, row_number, header, positions, reader)
        errors += problems
        answers.append(values)
        rows.append(row_number)
        if max_errors is not None and len(errors) >= max_errors:
            break
    if errors and strict:
        raise TabulationError(errors, roles)
    if not answers:
        raise TabulationError([CellError(2, "", "Berkas tidak berisi data responden.")], roles)
    matrix = np.array(answers, dtype=np.float64)
    for unsur in instrument.unsur:
        if np.all(np.isnan(matrix[:, unsur.position])):
            errors.append(CellError(0, unsur.code, "tidak ada satu pun jawaban untuk unsur ini."))
    if errors and strict:
        raise TabulationError(errors, roles)
    return Tabulation(
        instrument, matrix, tuple(rows), tuple(details), detail_headers, tuple(errors),
        tuple(roles),
    )  # fmt: skip


def _row_answers(
    cells: Sequence[Any],
    row_number: int,
    header: Sequence[Any],
    positions: Mapping[int, Unsur],
    reader: AnswerReader,
) -> tuple[list[float], list[CellError]]:
    """One data row's answers by unsur position (NaN: not answered), and its bad cells."""
    values = [math.nan] * reader.instrument.n_unsur
    problems: list[CellError] = []
    for index, unsur in positions.items():
        cell = cells[index] if index < len(cells) else None
        if _is_blank(cell):
            continue
        value = reader.value(cell, unsur)
        if value is None:
            problems.append(
                CellError(
                    row_number,
                    str(header[index]).strip(),
                    f"nilai '{cell}' tidak sah; {reader.allowed(unsur)}.",
                )
            )
            continue
        values[unsur.position] = value
    return values, problems


def _header_plan(
    roles: Sequence[ColumnRole], instrument: Instrument
) -> tuple[dict[int, Unsur], dict[int, str], dict[str, str], list[CellError]]:
    """Answer columns by index, optional columns by index, the header of each
    optional column, and every header problem (unknown, duplicate, missing)."""
    positions: dict[int, Unsur] = {}
    detail_positions: dict[int, str] = {}
    detail_headers: dict[str, str] = {}
    errors: list[CellError] = []
    seen: dict[str, str] = {}
    for role in roles:
        label = role.header or f"kolom ke-{role.index + 1}"
        if role.target is None:
            known = ", ".join(u.code for u in instrument.unsur)
            optional = ", ".join(
                ["tanggal", "layanan", *(spec.key for spec in instrument.profile), "saran"]
            )
            errors.append(
                CellError(
                    1,
                    label,
                    f"kolom tidak dikenal; gunakan {known}, kunci unsur atau teks pertanyaan "
                    f"kuesioner (kolom tambahan yang boleh: {optional}), atau tetapkan isinya di "
                    "tabel kolom pratinjau impor (skm score: --kolom).",
                )
            )
        elif role.target == IGNORE:
            continue
        elif role.target in seen:
            what = (
                "kolom ini sama dengan kolom"
                if role.target in detail_headers
                else (f"unsur {role.target} sudah ada di kolom")
            )
            errors.append(CellError(1, label, f"{what} {seen[role.target]}."))
        elif role.target.startswith("U") and role.target[1:].isdigit():
            seen[role.target] = label
            positions[role.index] = instrument.unsur_by_code(role.target)
        else:
            seen[role.target] = label
            detail_positions[role.index] = role.target
            detail_headers[role.target] = label
    for unsur in instrument.unsur:
        if unsur.code not in seen:
            errors.append(CellError(1, unsur.code, f"kolom untuk {unsur.name} tidak ada."))
    return positions, detail_positions, detail_headers, errors


_MONTHS = {name.casefold(): number for number, name in enumerate(MONTHS_ID, start=1)}
# Short and English month names seen in exported spreadsheets.
_MONTHS.update({name[:3].casefold(): number for name, number in list(_MONTHS.items())})
_MONTHS.update({"agu": 8, "ags": 8, "agt": 8, "okt": 10, "des": 12, "may": 5, "aug": 8,
                "oct": 10, "dec": 12})  # fmt: skip

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
# A time of day after the date, as Google Forms and Excel write it in an
# Indonesian locale ("15/01/2026 9:41:12", "15/01/2026 9.41") or ISO ("T09:41").
_TIME_OF_DAY = re.compile(r"^(.+?)[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
# Excel serial days (day 0 = 30 December 1899) of 2000-01-01 .. 2099-12-31:
# an XLSX timestamp cell without a date format arrives as such a number.
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_SERIALS = (36526, 73416)
_WORDED_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")


def parse_date_cell(cell: Any) -> date | datetime:
    """The survey date (or date and time) in a cell.

    Accepts spreadsheet date cells, Excel serial numbers (46037.40) in
    numeric cells, ``2026-11-22``, ``22/11/2026``, ``22-11-2026``,
    ``22.11.26`` (day first, as Indonesian forms are written) and
    ``22 November 2026`` / ``22 Nov 2026``, each optionally followed by a
    time (``15/01/2026 9:41:12``, the Google Forms timestamp in an
    Indonesian locale; ``2026-01-15 09:41:12``). A datetime is returned
    only when the cell carries a time of day other than midnight. Raises
    ValueError with a message for the user.
    """
    if isinstance(cell, datetime):
        if (cell.hour, cell.minute, cell.second) == (0, 0, 0):
            return cell.date()
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return cell
    serial = isinstance(cell, int | float) and not isinstance(cell, bool)
    if serial and _EXCEL_SERIALS[0] <= cell <= _EXCEL_SERIALS[1]:
        # Whole seconds: Excel stores 9:41:12 as a fraction that is not exact.
        return parse_date_cell(_EXCEL_EPOCH + timedelta(seconds=round(cell * 86400)))
    text = str(cell).strip()
    timed = _TIME_OF_DAY.match(text)
    if timed:
        day = parse_date_cell(timed.group(1))
        hour, minute, second = (int(part or 0) for part in timed.group(2, 3, 4))
        if isinstance(day, date) and hour < 24 and minute < 60 and second < 60:
            return parse_date_cell(datetime.combine(day, time(hour, minute, second)))
    numeric = _NUMERIC_DATE.match(text)
    worded = _WORDED_DATE.match(text)
    try:
        if numeric:
            first, second, third = (int(part) for part in numeric.groups())
            if len(numeric.group(1)) == 4:
                return date(first, second, third)
            year = third + 2000 if len(numeric.group(3)) == 2 else third
            if len(numeric.group(3)) not in (2, 4):
                raise ValueError
            return date(year, second, first)
        if worded:
            month = _MONTHS.get(worded.group(2).casefold())
            if month is None:
                raise ValueError
            return date(int(worded.group(3)), month, int(worded.group(1)))
    except ValueError:
        pass
    raise ValueError(
        f"tanggal '{text}' tidak dikenali; tulis seperti 22/11/2026, 2026-11-22 "
        "atau 22 November 2026."
    )


def _option_aliases(spec: ProfileField) -> dict[str, str]:
    """Spellings of each option a tabulation may use -> the option key."""
    aliases: dict[str, str] = {}
    for option in spec.options:
        label = option.label.casefold()
        names = {option.key.casefold(), label, label.split()[0]}
        names.update(part.strip() for part in re.split(r"[/–-]", label) if part.strip())
        for name in names:
            aliases.setdefault(name, option.key)
    return aliases


def profile_cell_value(spec: ProfileField, cell: Any) -> str | int:
    """The profile value in a cell: an option key (by key, label or part of
    the label: ``P``, ``Perempuan``; ``SMA``; ``S1`` for D4/S1) or a whole
    number for an integer field (``45``, ``45 tahun``). Raises ValueError."""
    text = str(cell).strip()
    if spec.kind == "integer":
        match = re.match(r"^(\d+)(?:[.,]0+)?(?:\s*(?:th|thn|tahun)\.?)?$", text, re.IGNORECASE)
        if isinstance(cell, float) and cell.is_integer():
            match = re.match(r"^(\d+)", str(int(cell)))
        if match is None:
            raise ValueError(f"{spec.label.lower()} '{text}' harus bilangan bulat.")
        number = int(match.group(1))
        if (spec.minimum is not None and number < spec.minimum) or (
            spec.maximum is not None and number > spec.maximum
        ):
            raise ValueError(
                f"{spec.label.lower()} {number} di luar batas {spec.minimum}–{spec.maximum}."
            )
        return number
    aliases = _option_aliases(spec)
    # Forms offer combined choices ("SMA/SMK/sederajat"): the first part names the option.
    key = aliases.get(text.casefold()) or aliases.get(text.split("/", 1)[0].strip().casefold())
    if key is None:
        allowed = ", ".join(option.label for option in spec.options)
        raise ValueError(f"{spec.label.lower()} '{text}' tidak dikenal; pilihan: {allowed}.")
    return key
