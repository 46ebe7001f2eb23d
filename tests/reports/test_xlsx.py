"""The XLSX tabulation: real formulas that an auditor can follow, evaluated exactly."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from openpyxl import Workbook, load_workbook

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm.reports.tabulation_xlsx import grade_formula
from tests.reports.formulas import Evaluator, evaluate
from tests.reports.helpers import (
    COUNTS,
    IKM,
    INJECTION,
    KINERJA,
    MUTU,
    R1,
    R2,
    R3,
    R4,
    SARAN_R1,
    SUMS,
)

FIRST = 6  # first respondent row of the Tabulasi sheet


@pytest.fixture(scope="module")
def workbook(produced):
    return load_workbook(io.BytesIO(produced.xlsx))


def _row_of(sheet, label: str) -> int:
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        if cell.value == label:
            return cell.row
    raise AssertionError(f"no row {label!r}")


def test_sheets(workbook):
    assert workbook.sheetnames == ["Ringkasan", "Tabulasi", "Profil", "Saran"]


def test_one_row_per_respondent_in_answer_order_blanks_left_empty(workbook):
    sheet = workbook["Tabulasi"]
    assert [c.value for c in sheet[4]][:10] == ["No. responden"] + [f"U{i}" for i in range(1, 10)]
    rows = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=FIRST, max_row=FIRST + 3, max_col=10)
    ]
    assert rows == [[n, *answers] for n, answers in enumerate([R1, R2, R3, R4], start=1)]
    # The excluded response is not in the tabulation.
    assert sheet.cell(row=FIRST + 4, column=1).value == "Σ nilai per unsur"


def test_formulas_are_the_regulation_spelled_out(workbook):
    sheet = workbook["Tabulasi"]
    last = FIRST + 3
    total = _row_of(sheet, "Σ nilai per unsur")
    assert sheet[f"B{total}"].value == f"=SUM(B{FIRST}:B{last})"
    assert sheet[f"J{total + 1}"].value == f"=COUNT(J{FIRST}:J{last})"
    assert sheet[f"C{total + 2}"].value == f"=C{total}/C{total + 1}"
    # The exact weight 1/9: divided by 9, never multiplied by 0,111.
    assert sheet[f"D{total + 3}"].value == f"=D{total + 2}/9"
    ikm = _row_of(sheet, "IKM (Σ NRR tertimbang)")
    assert sheet[f"B{ikm}"].value == f"=SUM(B{total + 3}:J{total + 3})"
    assert sheet[f"B{ikm + 1}"].value == f"=B{ikm}*25"
    assert sheet[f"B{ikm + 2}"].value == f"=ROUND(B{ikm + 1},2)"
    mutu = sheet[f"B{ikm + 3}"].value
    assert (
        mutu == f'=IF(B{ikm + 2}>=88.31,"A",IF(B{ikm + 2}>=76.61,"B",IF(B{ikm + 2}>=65,"C","D")))'
    )


def test_formulas_evaluate_to_the_hand_computed_ikm(workbook, produced):
    sheet = workbook["Tabulasi"]
    total = _row_of(sheet, "Σ nilai per unsur")
    letters = "BCDEFGHIJ"
    sums = [evaluate(workbook, "Tabulasi", f"{c}{total}") for c in letters]
    counts = [evaluate(workbook, "Tabulasi", f"{c}{total + 1}") for c in letters]
    assert sums == SUMS
    assert counts == COUNTS  # COUNT skips the blank U9 of R3
    assert evaluate(workbook, "Tabulasi", f"J{total + 2}") == Fraction(10, 3)
    ikm_row = _row_of(sheet, "IKM (Σ NRR tertimbang)")
    ikm = evaluate(workbook, "Tabulasi", f"B{ikm_row}")
    assert ikm == IKM
    konversi = evaluate(workbook, "Tabulasi", f"B{ikm_row + 2}")
    assert konversi == Fraction("78.70")
    assert evaluate(workbook, "Tabulasi", f"B{ikm_row + 3}") == MUTU
    assert evaluate(workbook, "Tabulasi", f"B{ikm_row + 4}") == KINERJA
    # ... and agree with the app's own numbers.
    result = produced.data.result
    assert float(ikm) == pytest.approx(result.ikm, abs=1e-12)
    assert konversi == Fraction(result.konversi_centi, 100)
    unsur_mutu = [evaluate(workbook, "Tabulasi", f"{c}{total + 5}") for c in letters]
    assert unsur_mutu == [u.mutu for u in result.unsur]
    assert unsur_mutu[7] == "D"  # U8: NRR 2,5 -> 62,50


@pytest.mark.parametrize(
    ("konversi", "mutu", "kinerja"),
    [
        ("100", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25", "D", "Tidak Baik"),
    ],
)
def test_grade_formula_uses_lower_bounds_with_greater_or_equal(konversi, mutu, kinerja):
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "S"
    sheet["A1"] = float(konversi)
    sheet["B1"] = grade_formula(instrument, "A1", "mutu")
    sheet["C1"] = grade_formula(instrument, "A1", "kinerja")
    assert Evaluator(workbook, "S").cell("S", "B1") == mutu
    assert Evaluator(workbook, "S").cell("S", "C1") == kinerja


def test_summary_sheet_links_the_formula_result(workbook, produced):
    sheet = workbook["Ringkasan"]
    facts = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=4, max_col=2)}
    assert facts["Unit layanan"] == "Kecamatan Sukamaju"
    assert facts["Responden"] == 4
    assert facts["Mutu pelayanan"] == "B"
    assert facts["Kecukupan sampel"] == "Belum Sesuai"
    row = _row_of(sheet, "Nilai konversi menurut rumus lembar Tabulasi")
    assert evaluate(workbook, "Ringkasan", f"B{row}") == Fraction("78.70")


def test_profile_sheet_counts_and_percentage_formulas(workbook):
    sheet = workbook["Profil"]
    start = _row_of(sheet, "Jenis Kelamin")
    rows = {sheet.cell(row=r, column=1).value: r for r in range(start + 1, start + 5)}
    assert sheet.cell(row=rows["Perempuan"], column=2).value == 2
    assert evaluate(workbook, "Profil", f"C{rows['Perempuan']}") == Fraction(1, 2)
    assert evaluate(workbook, "Profil", f"B{rows['Jumlah']}") == 4
    assert evaluate(workbook, "Profil", f"C{rows['Jumlah']}") == 1
    layanan = _row_of(sheet, "Jenis layanan")
    assert sheet.cell(row=layanan + 1, column=1).value == "Rekomendasi KTP"


def test_saran_that_looks_like_a_formula_stays_text(workbook):
    sheet = workbook["Saran"]
    cells = [row[4] for row in sheet.iter_rows(min_row=5) if row[4].value]
    texts = [cell.value for cell in cells]
    assert texts.count(SARAN_R1) == 2
    (injected,) = [cell for cell in cells if cell.value == INJECTION]
    assert injected.data_type == "s"  # a string, not a formula
    assert injected.quotePrefix  # and stays text when the cell is edited
    # Excluded responses' saran are not listed.
    assert not any("isian otomatis" in text for text in texts)
