"""The annex table "Pengolahan data SKM per responden dan per unsur pelayanan".

One row per respondent can mean hundreds of pages; the generic table of
fpdf2 lays out every cell as a paragraph, which takes seconds for a busy
quarter. Rows here are all one line high with short numbers, so they are
drawn directly: each value centred in its column, the grid as one line
per row and per column. Headings repeat on every page and the closing
rows (Σ nilai to mutu) are kept together.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from questionnaires import Instrument
from scoring import IkmResult
from skm.formatting import format_number
from skm.reports.layout import (
    HEADER_FILL,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    SERIF,
    TEXT_WIDTH,
    TOTAL_FILL,
    ReportDocument,
)

LABEL_WIDTH = 34.0
ROW_HEIGHT = 4.7
HEADER_HEIGHT = 6.0
SIZE = 8.5
BLANK = "–"
#: Respondent rows carried to the page of the closing rows when these do not fit.
CARRIED_ROWS = 5


def _column_x(n_unsur: int) -> list[float]:
    width = (TEXT_WIDTH - LABEL_WIDTH) / n_unsur
    return [MARGIN_LEFT + LABEL_WIDTH + i * width for i in range(n_unsur + 1)]


def closing_rows(result: IkmResult) -> list[tuple[str, list[str]]]:
    """The per-unsur rows under the respondents: label and one value per unsur."""
    return [
        ("Σ nilai per unsur", [format_number(u.sum, 0) for u in result.unsur]),
        ("Jumlah jawaban", [format_number(u.count, 0) for u in result.unsur]),
        ("NRR per unsur", [format_number(u.nrr, 3) for u in result.unsur]),
        ("NRR tertimbang", [format_number(u.nrr_tertimbang, 4) for u in result.unsur]),
        ("Konversi unsur", [format_number(u.konversi, 2) for u in result.unsur]),
        ("Mutu unsur", [u.mutu for u in result.unsur]),
    ]


def summary_rows(result: IkmResult) -> list[tuple[str, str]]:
    """The rows that hold one value for the whole unit."""
    return [
        ("IKM", f"Σ NRR tertimbang = {format_number(result.ikm, 4)}"),
        ("Nilai konversi", f"IKM × 25 = {format_number(result.konversi, 2)}"),
        ("Mutu pelayanan", f"{result.mutu} ({result.kinerja})"),
    ]


class _Grid:
    def __init__(self, pdf: ReportDocument, instrument: Instrument) -> None:
        self.pdf = pdf
        self.instrument = instrument
        self.xs = _column_x(instrument.n_unsur)
        self.left = MARGIN_LEFT
        self.right = MARGIN_LEFT + TEXT_WIDTH
        self.widths: dict[tuple[str, str], float] = {}

    def width(self, text: str, style: str) -> float:
        key = (text, style)
        found = self.widths.get(key)
        if found is None:
            found = self.widths[key] = self.pdf.get_string_width(text)
        return found

    def centred(self, text: str, left: float, right: float, top: float, height: float,
                style: str = "") -> None:  # fmt: skip
        baseline = top + height / 2 + SIZE * 0.3528 * 0.36
        self.pdf.text(left + (right - left - self.width(text, style)) / 2, baseline, text)

    def heading(self) -> float:
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_fill_color(*HEADER_FILL)
        pdf.rect(self.left, top, TEXT_WIDTH, HEADER_HEIGHT, style="F")
        pdf.set_font(SERIF, "B", SIZE)
        self.centred("No. responden", self.left, self.xs[0], top, HEADER_HEIGHT, "B")
        for unsur, (x0, x1) in zip(self.instrument.unsur, itertools.pairwise(self.xs), strict=True):
            self.centred(unsur.code, x0, x1, top, HEADER_HEIGHT, "B")
        pdf.set_font(SERIF, "", SIZE)
        return top + HEADER_HEIGHT

    def lines(self, top: float, bottom: float, row_tops: list[float]) -> None:
        pdf = self.pdf
        pdf.set_line_width(0.15)
        for y in [top, *row_tops, bottom]:
            pdf.line(self.left, y, self.right, y)
        for x in [self.left, *self.xs]:
            pdf.line(x, top, x, bottom)


def draw_annex(
    pdf: ReportDocument,
    answers: npt.NDArray[np.int8],
    instrument: Instrument,
    result: IkmResult,
) -> None:
    """The per-respondent table from the current position on, over as many pages as needed.

    The answers of one respondent are printed as one string with a character
    spacing of exactly one column: the digits and the blank mark of the
    font are all equally wide, so each lands centred in its column. That is
    one text operation per row instead of one per cell.
    """
    grid = _Grid(pdf, instrument)
    pdf.set_font(SERIF, "", SIZE)
    marks = np.array([BLANK] + [str(v) for v in range(1, instrument.scale_max + 1)])
    widths = {pdf.get_string_width(str(mark)) for mark in marks}
    if len(widths) != 1:
        raise ValueError("Angka dan tanda kosong harus sama lebar pada huruf lampiran.")
    mark_width = widths.pop()
    column = grid.xs[1] - grid.xs[0]
    spacing = (column - mark_width) * pdf.k  # Tc is in points
    first_x = grid.xs[0] + (column - mark_width) / 2
    lines = ["".join(row) for row in marks[answers].tolist()] if answers.size else []
    page_bottom = pdf.h - MARGIN_BOTTOM
    offset = ROW_HEIGHT / 2 + SIZE * 0.3528 * 0.36
    text = pdf.text
    total = len(lines)
    closing_height = (len(closing_rows(result)) + len(summary_rows(result))) * ROW_HEIGHT
    index = 0
    while index < total:
        if pdf.get_y() + HEADER_HEIGHT + 3 * ROW_HEIGHT > page_bottom:
            pdf.add_page()
        top = pdf.get_y()
        fits = int((page_bottom - top - HEADER_HEIGHT) // ROW_HEIGHT)
        remaining = total - index
        carry = remaining <= fits and (remaining * ROW_HEIGHT + closing_height > fits * ROW_HEIGHT)
        if carry:
            # The closing rows go to the next page: a few respondents go with them, so
            # that page does not hold the totals alone.
            fits = remaining - min(remaining, CARRIED_ROWS)
            if fits == 0:
                pdf.add_page()
                continue
        y = grid.heading()
        pdf.set_font(SERIF, "", SIZE)
        chunk = lines[index : index + fits]
        row_tops = [y + i * ROW_HEIGHT for i in range(len(chunk) + 1)]
        for number, row_top in enumerate(row_tops[:-1], start=index + 1):
            label = str(number)
            # Digits are all as wide as the marks: no need to measure each number.
            text(grid.left + (LABEL_WIDTH - len(label) * mark_width) / 2, row_top + offset, label)
        pdf.set_char_spacing(spacing)
        for line, row_top in zip(chunk, row_tops, strict=False):
            text(first_x, row_top + offset, line)
        pdf.set_char_spacing(0)
        grid.lines(top, row_tops[-1], row_tops[:-1])
        pdf.set_y(row_tops[-1])
        index += len(chunk)
        if carry:
            pdf.add_page()
    _closing(pdf, grid, instrument, result)


def _closing(pdf: ReportDocument, grid: _Grid, instrument: Instrument, result: IkmResult) -> None:
    per_unsur = closing_rows(result)
    whole = summary_rows(result)
    height = (len(per_unsur) + len(whole)) * ROW_HEIGHT
    if pdf.get_y() + height > pdf.h - MARGIN_BOTTOM:
        pdf.add_page()
        pdf.set_y(grid.heading())
    top = pdf.get_y()
    pdf.set_fill_color(*TOTAL_FILL)
    pdf.rect(grid.left, top, TEXT_WIDTH, height, style="F")
    y = top
    row_tops = []
    for label, cells in per_unsur:
        pdf.set_font(SERIF, "B", SIZE)
        pdf.text(grid.left + 1.5, y + ROW_HEIGHT / 2 + 1.1, label)
        pdf.set_font(SERIF, "", SIZE)
        for (x0, x1), value in zip(itertools.pairwise(grid.xs), cells, strict=True):
            grid.centred(value, x0, x1, y, ROW_HEIGHT)
        y += ROW_HEIGHT
        row_tops.append(y)
    for label, value in whole:
        pdf.set_font(SERIF, "B", SIZE)
        pdf.text(grid.left + 1.5, y + ROW_HEIGHT / 2 + 1.1, label)
        grid.centred(value, grid.xs[0], grid.right, y, ROW_HEIGHT, "B")
        pdf.set_font(SERIF, "", SIZE)
        y += ROW_HEIGHT
        row_tops.append(y)
    pdf.set_line_width(0.15)
    for line_y in [top, *row_tops]:
        pdf.line(grid.left, line_y, grid.right, line_y)
    split = top + len(per_unsur) * ROW_HEIGHT
    pdf.line(grid.left, top, grid.left, y)
    pdf.line(grid.right, top, grid.right, y)
    pdf.line(grid.xs[0], top, grid.xs[0], y)
    for x in grid.xs[1:-1]:
        pdf.line(x, top, x, split)
    pdf.set_y(y + 2)
