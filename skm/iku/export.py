"""The IKU realisation table as an XLSX workbook, ready for the performance report (LKjIP).

``generate_iku_xlsx`` is pure (rows in, bytes out); the view only sends it.
Numbers are written as numbers (Excel shows them with the reader's decimal
mark); text is written as text. Text a spreadsheet would take for a formula is
stored explicitly as a string with Excel's quote prefix, by the rule every
export of SKM follows (:mod:`skm.cells`): it shows exactly as typed and
never runs, even after the cell is edited.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from skm.cells import text_or_value
from skm.formatting import format_date
from skm.results.amounts import decimals_of, format_amount, plain
from skm.results.capaian import PredikatStep
from skm.results.indicators import POLARITY_LABELS
from skm.results.realisasi import IkuRow

HEADERS = (
    ("No", 5),
    ("Sasaran Strategis", 34),
    ("Indikator Kinerja", 40),
    ("Satuan", 11),
    ("Target", 11),
    ("Realisasi", 11),
    ("Capaian (%)", 12),
    ("Predikat", 14),
    ("Keterangan", 30),
    ("Polaritas", 16),
    ("Formulasi / Cara Pengukuran", 44),
    ("Penanggung Jawab", 30),
    ("Sumber Data", 24),
)

_THIN = Side(style="thin", color="9AA6B5")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell; text that a spreadsheet would run as a formula stays text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Decimal):
        cell.value = float(value)
        decimals = decimals_of(value)
        cell.number_format = "0" if decimals == 0 else "0." + "0" * decimals
    else:
        cell.value, risky = text_or_value(value)
        if risky:
            cell.data_type = "s"
            cell.quotePrefix = True
    return cell


def _scale_text(steps: Sequence[PredikatStep]) -> str:
    parts = []
    for step in steps:
        if step.minimum is None:
            parts.append(f"di bawahnya {step.label}")
        else:
            parts.append(f"≥ {format_amount(plain(step.minimum))}% {step.label}")
    return "; ".join(parts)


def generate_iku_xlsx(
    rows: Sequence[IkuRow],
    *,
    unit_name: str,
    periode_label: str,
    steps: Sequence[PredikatStep],
    generated_on: date,
) -> bytes:
    """The workbook's bytes: a title block, one row per indicator, the formulas used."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Realisasi IKU"
    _put(sheet, 1, 1, "REALISASI INDIKATOR KINERJA UTAMA (IKU)").font = Font(bold=True, size=13)
    _put(sheet, 2, 1, unit_name).font = Font(bold=True)
    _put(sheet, 3, 1, periode_label)
    header_row = 5
    for column, (title, width) in enumerate(HEADERS, start=1):
        cell = _put(sheet, header_row, column, title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, row in enumerate(rows, start=1):
        detail = f"Rincian: {row.realisasi_detail}." if row.realisasi_detail else None
        note = " ".join(text for text in (detail, row.realisasi_note, row.capaian_note) if text)
        values = (
            row.number,
            row.sasaran,
            row.name,
            row.satuan,
            row.target_grade or row.target,  # a predikat (BB) is text, a number a number
            row.realisasi_grade or row.realisasi,
            row.capaian,
            row.predikat,
            note or None,
            POLARITY_LABELS.get(row.polarity, row.polarity),
            row.formula,
            row.penanggung_jawab,
            row.sumber_data,
        )
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, header_row + offset, column, value)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column == 7 and value is not None:
                cell.number_format = "0.00"
    footer = header_row + len(rows) + 2
    _put(
        sheet, footer, 1,
        "Capaian = realisasi / target x 100% bila makin tinggi makin baik; "
        "(2 − realisasi / target) x 100% bila makin rendah makin baik (target nol: 100% bila "
        "realisasi nol, selain itu 0%). Predikat berurutan (AKIP AA–D): 100% bila sama dengan "
        "target atau lebih baik, selain itu urutan predikat / urutan target x 100% (terendah = 1).",
    )  # fmt: skip
    _put(sheet, footer + 1, 1, f"Predikat capaian: {_scale_text(steps)}.")
    _put(
        sheet, footer + 2, 1,
        "Realisasi IKM = nilai konversi hasil Survei Kepuasan Masyarakat (Permenpan RB 14/2017), "
        "skala 25–100.",
    )  # fmt: skip
    _put(sheet, footer + 3, 1, f"Dibuat dengan SKM pada {format_date(generated_on)}.")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
