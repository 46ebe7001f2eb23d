"""The per-respondent annex over many pages: headings repeat, no row is lost or split,
and the closing rows never stand alone on a page."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from pypdf import PdfReader

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from scoring import score_matrix
from skm.reports.annex import draw_annex
from skm.reports.layout import ReportDocument

HEADING = "No. responden U1 U2 U3 U4 U5 U6 U7 U8 U9"
ROW = re.compile(r"^[1-4–]{9}$")


def _annex(answers: np.ndarray) -> list[list[str]]:
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    result = score_matrix(np.where(answers == 0, np.nan, answers), instrument.grade_scale)
    pdf = ReportDocument("Lampiran uji")
    pdf.add_page()
    draw_annex(pdf, answers, instrument, result)
    reader = PdfReader(io.BytesIO(bytes(pdf.output())))
    return [page.extract_text().splitlines() for page in reader.pages]


@pytest.mark.parametrize("respondents", [1, 40, 49, 52, 53, 60, 101, 160])
def test_rows_headings_and_closing(respondents):
    rng = np.random.default_rng(respondents)
    answers = rng.integers(1, 5, size=(respondents, 9)).astype(np.int8)
    answers[2::7, 8] = 0  # some blanks
    pages = _annex(answers)
    numbers: list[int] = []
    rows: list[str] = []
    for lines in pages:
        assert HEADING in lines[:2], "every page of the annex repeats the headings"
        assert lines.count(HEADING) == 1, "one table per page"
        words = [
            word
            for line in lines
            if not line.startswith(("No. responden", "Lampiran", "Σ", "Jumlah", "NRR", "IKM",
                                    "Konversi", "Mutu", "Nilai"))
            for word in line.split()
        ]  # fmt: skip
        page_rows = [word for word in words if ROW.match(word)]
        page_numbers = [int(word) for word in words if word.isdigit() and len(word) <= 3]
        assert len(page_rows) == len(page_numbers)
        numbers += page_numbers
        rows += page_rows
        if any(line.startswith("Σ nilai per unsur") for line in lines):
            assert page_rows, "the closing rows keep some respondents with them"
    assert numbers == list(range(1, respondents + 1))
    expected = ["".join("–" if v == 0 else str(v) for v in row) for row in answers.tolist()]
    assert rows == expected
    last = pages[-1]
    blanks = int((answers[:, 8] == 0).sum())
    counts = next(line for line in last if line.startswith("Jumlah jawaban"))
    assert counts.split()[-1] == str(respondents - blanks)
    assert any(line.startswith("Mutu pelayanan") for line in last)
