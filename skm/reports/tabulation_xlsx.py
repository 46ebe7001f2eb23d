"""The report's spreadsheet: the annex tabulation with real formulas, the profile, the saran.

An auditor checks the arithmetic by reading the formulas: Σ nilai is
``SUM`` over the respondents, the number of answers ``COUNT`` (which skips
blank cells, exactly as the regulation's NRR wants), NRR = Σ / jumlah, NRR
tertimbang = NRR / 9 (the exact weight, never × 0,111), IKM the ``SUM`` of
the NRR tertimbang, konversi = IKM × 25, and mutu an ``IF`` cascade with
``>=`` bounds on the konversi ``ROUND``-ed to two decimals. The
"Ringkasan" sheet shows the app's own numbers beside a link to them.

The workbook is written row by row (openpyxl's write-only mode): a busy
quarter has tens of thousands of cells, and the ordinary mode builds an
object per cell. :func:`generate_xlsx` is pure: report data in, bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from questionnaires import Instrument
from skm.cells import xlsx_cell, xlsx_formula
from skm.formatting import format_date
from skm.reports.data import ReportData

TITLE = "PENGOLAHAN DATA SKM PER RESPONDEN DAN PER UNSUR PELAYANAN"
HEADER_ROW = 4
FIRST_DATA_ROW = 6

_THIN = Side(style="thin", color="9AA6B5")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F5F9")
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(vertical="top", wrap_text=True)

HEADING = {"font": BOLD, "fill": HEADER_FILL, "alignment": CENTER, "border": BORDER}
TOTAL = {"font": BOLD, "fill": TOTAL_FILL, "border": BORDER}
TOTAL_VALUE = {**TOTAL, "alignment": Alignment(horizontal="center")}


@dataclass(frozen=True)
class TabulationCells:
    """Where the tabulation sheet holds the unit's results (``B123``)."""

    ikm: str
    konversi: str
    mutu: str
    kinerja: str
    first_data_row: int
    last_data_row: int
    sum_row: int


def _bound(centi: int) -> str:
    """A konversi bound as a formula literal: 8831 -> "88.31", 6500 -> "65"."""
    return str((Decimal(centi) / 100).normalize())


def grade_formula(instrument: Instrument, cell: str, attribute: str) -> str:
    """``=IF(x>=88.31,"A",IF(x>=76.61,"B",IF(x>=65,"C","D")))`` for the instrument's table."""
    grades = instrument.grade_scale.grades
    text = f'"{getattr(grades[-1], attribute)}"'
    for grade in reversed(grades[:-1]):
        text = f'IF({cell}>={_bound(grade.lower_centi)},"{getattr(grade, attribute)}",{text})'
    return "=" + text


def _merge(sheet: Any, row: int, first: int, last: int) -> None:
    if last > first:
        sheet.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def _titles(sheet: Any, data: ReportData, title: str, width: int) -> None:
    """Rows 1–3: title, unit and periode, a blank line."""
    sheet.append([xlsx_cell(sheet, title, font=Font(bold=True, size=13))])
    sheet.append(
        [xlsx_cell(sheet, f"{data.unit.name} · {data.periode.label}", font=Font(italic=True))]
    )
    sheet.append([])
    _merge(sheet, 1, 1, width)
    _merge(sheet, 2, 1, width)


def _tabulation(sheet: Any, data: ReportData) -> TabulationCells:
    instrument = data.instrument
    last_column = 1 + instrument.n_unsur
    _tabulation_layout(sheet, instrument)
    _titles(sheet, data, TITLE, last_column)
    sheet.append(
        [xlsx_cell(sheet, "No. responden", **HEADING)]
        + [xlsx_cell(sheet, u.code, **HEADING) for u in instrument.unsur]
    )
    small = {**HEADING, "font": Font(bold=True, size=8)}
    sheet.append(
        [xlsx_cell(sheet, None, **HEADING)]
        + [xlsx_cell(sheet, u.name, **small) for u in instrument.unsur]
    )
    sheet.merged_cells.add(f"A{HEADER_ROW}:A{HEADER_ROW + 1}")

    for number, row in enumerate(data.answers.tolist(), start=1):
        sheet.append([number, *(value or None for value in row)])
    last = FIRST_DATA_ROW + data.answers.shape[0] - 1
    row_of = _formula_rows(sheet, instrument, last)
    sheet.append([])
    sheet.append(
        [
            xlsx_cell(
                sheet,
                "Sel kosong: pertanyaan tidak dijawab; COUNT tidak menghitungnya, sehingga NRR "
                "unsur itu dibagi jumlah responden yang menjawab. Mutu ditentukan dari nilai "
                "konversi yang dibulatkan dua desimal, dengan batas bawah (>=).",
                font=Font(italic=True, size=9),
            )
        ]
    )
    return TabulationCells(
        ikm=f"B{row_of['ikm']}",
        konversi=f"B{row_of['konversi_bulat']}",
        mutu=f"B{row_of['mutu']}",
        kinerja=f"B{row_of['kinerja']}",
        first_data_row=FIRST_DATA_ROW,
        last_data_row=last,
        sum_row=row_of["sum"],
    )


def _tabulation_layout(sheet: Any, instrument: Instrument) -> None:
    """Column widths, the frozen header and the print setup: one page wide, header
    rows repeated on every printed page."""
    sheet.column_dimensions["A"].width = 30
    for position in range(instrument.n_unsur):
        sheet.column_dimensions[get_column_letter(2 + position)].width = 12
    sheet.row_dimensions[HEADER_ROW + 1].height = 42
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _formula_rows(sheet: Any, instrument: Instrument, last: int) -> dict[str, int]:
    """The rows under the answers (data rows up to ``last``) that compute the IKM with
    spreadsheet formulas, so a reader can check every step; returns each row's number
    by name."""
    n = instrument.n_unsur
    last_column = 1 + n
    row_of = {
        name: last + offset
        for offset, name in enumerate(
            ("sum", "count", "nrr", "tertimbang", "konversi_unsur", "mutu_unsur", "ikm",
             "konversi", "konversi_bulat", "mutu", "kinerja"),
            start=1,
        )
    }  # fmt: skip
    letters = [get_column_letter(2 + u.position) for u in instrument.unsur]

    def per_unsur(label: str, build: Any, number_format: str | None) -> None:
        sheet.append(
            [xlsx_cell(sheet, label, **TOTAL)]
            + [xlsx_formula(sheet, build(letter), number_format, **TOTAL_VALUE)
               for letter in letters]
        )  # fmt: skip

    def whole(name: str, label: str, text: str, number_format: str | None) -> None:
        sheet.append(
            [xlsx_cell(sheet, label, **TOTAL), xlsx_formula(sheet, text, number_format,
                                                            **TOTAL_VALUE)]
            + [xlsx_cell(sheet, None, **TOTAL) for _ in letters[1:]]
        )  # fmt: skip
        _merge(sheet, row_of[name], 2, last_column)

    per_unsur("Σ nilai per unsur", lambda c: f"=SUM({c}{FIRST_DATA_ROW}:{c}{last})", "0")
    per_unsur("Jumlah jawaban", lambda c: f"=COUNT({c}{FIRST_DATA_ROW}:{c}{last})", "0")
    per_unsur("NRR per unsur", lambda c: f"={c}{row_of['sum']}/{c}{row_of['count']}", "0.000")
    per_unsur(f"NRR tertimbang (NRR ÷ {n})", lambda c: f"={c}{row_of['nrr']}/{n}", "0.0000")
    per_unsur("Konversi unsur (NRR × 25)", lambda c: f"=ROUND({c}{row_of['nrr']}*25,2)", "0.00")
    per_unsur(
        "Mutu unsur",
        lambda c: grade_formula(instrument, f"{c}{row_of['konversi_unsur']}", "mutu"),
        None,
    )
    tertimbang = row_of["tertimbang"]
    whole(
        "ikm",
        "IKM (Σ NRR tertimbang)",
        f"=SUM({letters[0]}{tertimbang}:{letters[-1]}{tertimbang})",
        "0.0000",
    )
    whole("konversi", "Nilai konversi (IKM × 25)", f"=B{row_of['ikm']}*25", "0.0000")
    whole("konversi_bulat", "Nilai konversi dibulatkan", f"=ROUND(B{row_of['konversi']},2)", "0.00")
    konversi = f"B{row_of['konversi_bulat']}"
    whole("mutu", "Mutu pelayanan", grade_formula(instrument, konversi, "mutu"), None)
    whole("kinerja", "Kinerja unit pelayanan", grade_formula(instrument, konversi, "kinerja"), None)
    return row_of


def _summary(sheet: Any, data: ReportData, cells: TabulationCells) -> None:
    result = data.result
    instrument = data.instrument
    for letter, width in zip("ABCDEFGH", (34, 42, 14, 14, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    _titles(sheet, data, "RINGKASAN HASIL SURVEI KEPUASAN MASYARAKAT", 8)
    periode = data.periode
    facts: list[tuple[str, Any, str | None]] = [
        ("Unit layanan", data.unit.name, None),
        ("Periode", periode.label, None),
        ("Tanggal", f"{format_date(periode.start)} – {format_date(periode.last_day)}", None),
        ("Instrumen", instrument.short_name, None),
        ("Responden", result.respondents or 0, "#,##0"),
        ("IKM (skala 1–4)", result.ikm, "0.0000"),
        ("Nilai konversi", result.konversi, "0.00"),
        ("Mutu pelayanan", result.mutu, None),
        ("Kinerja unit pelayanan", result.kinerja, None),
    ]
    board = data.dashboard
    if board.population is not None and board.adequacy is not None:
        facts += [
            ("Populasi", board.population.population, "#,##0"),
            ("Sampel minimal (Krejcie & Morgan)", board.adequacy.minimum, "#,##0"),
            ("Kecukupan sampel", board.adequacy.label, None),
        ]
    for label, value, number_format in facts:
        sheet.append([xlsx_cell(sheet, label, font=BOLD), xlsx_cell(sheet, value, number_format)])
    sheet.append(
        [
            xlsx_cell(sheet, "Nilai konversi menurut rumus lembar Tabulasi", font=BOLD),
            xlsx_formula(sheet, f"=Tabulasi!{cells.konversi}", "0.00"),
        ]
    )
    sheet.append([])
    headers = ["Kode", "Unsur pelayanan", "Σ nilai", "Jumlah jawaban", "NRR",
               "NRR tertimbang", "Konversi", "Mutu"]  # fmt: skip
    sheet.append([xlsx_cell(sheet, header, **HEADING) for header in headers])
    formats = [None, None, "#,##0", "#,##0", "0.000", "0.0000", "0.00", None]
    for unsur, score in zip(instrument.unsur, result.unsur, strict=True):
        values = [unsur.code, unsur.name, score.sum, score.count, score.nrr,
                  score.nrr_tertimbang, score.konversi, score.mutu]  # fmt: skip
        sheet.append(
            [
                xlsx_cell(sheet, value, number_format, border=BORDER)
                for value, number_format in zip(values, formats, strict=True)
            ]
        )
    sheet.append([])
    sheet.append(
        [xlsx_cell(sheet, f"Dibuat oleh aplikasi SKM pada {format_date(data.produced_at.date())}.")]
    )


def _profile(sheet: Any, data: ReportData) -> None:
    for letter, width in zip("ABC", (44, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    _titles(sheet, data, "PROFIL RESPONDEN", 3)
    tables: list[tuple[str, Sequence[tuple[str, int]]]] = [
        (p.label, [(r.label, r.count) for r in p.rows]) for p in data.dashboard.profiles
    ]
    if data.dashboard.layanan_rows:
        tables.append(
            ("Jenis layanan", [(r.name, r.respondents) for r in data.dashboard.layanan_rows])
        )
    row = 3
    for label, rows in tables:
        sheet.append(
            [xlsx_cell(sheet, text, **HEADING) for text in (label, "Jumlah", "Persentase")]
        )
        row += 1
        first, total = row + 1, row + len(rows) + 1
        for name, count in rows:
            row += 1
            sheet.append(
                [
                    xlsx_cell(sheet, name, border=BORDER),
                    xlsx_cell(sheet, count, "#,##0", border=BORDER),
                    xlsx_formula(sheet, f"=B{row}/B${total}", "0.00%", border=BORDER),
                ]
            )
        row += 1
        sheet.append(
            [
                xlsx_cell(sheet, "Jumlah", **TOTAL),
                xlsx_formula(sheet, f"=SUM(B{first}:B{total - 1})", "#,##0", **TOTAL),
                xlsx_formula(sheet, f"=SUM(C{first}:C{total - 1})", "0.00%", **TOTAL),
            ]
        )
        sheet.append([])
        row += 1


def _saran(sheet: Any, data: ReportData) -> None:
    for letter, width in zip("ABCDEF", (6, 17, 26, 30, 70, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    _titles(sheet, data, "SARAN DAN MASUKAN RESPONDEN", 6)
    headers = ["No", "Waktu", "Unit layanan", "Jenis layanan", "Saran", "Tindak lanjut"]
    sheet.append([xlsx_cell(sheet, header, **HEADING) for header in headers])
    for number, entry in enumerate(data.saran_entries, start=1):
        sheet.append(
            [
                number,
                xlsx_cell(sheet, entry.submitted_at.replace(tzinfo=None), "dd/mm/yyyy hh:mm"),
                xlsx_cell(sheet, entry.unit_name),
                xlsx_cell(sheet, entry.layanan_name or ""),
                xlsx_cell(sheet, entry.text, alignment=TOP),
                xlsx_cell(sheet, entry.status),
            ]
        )


def generate_xlsx(data: ReportData) -> bytes:
    """The workbook: Ringkasan, Tabulasi (with formulas), Profil, Saran."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Pengolahan data SKM {data.unit.name} {data.periode.label}"
    workbook.properties.creator = "SKM"
    summary = workbook.create_sheet("Ringkasan")
    tabulation = workbook.create_sheet("Tabulasi")
    cells = _tabulation(tabulation, data)
    _summary(summary, data, cells)
    _profile(workbook.create_sheet("Profil"), data)
    _saran(workbook.create_sheet("Saran"), data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
