"""The historical Permenpan RB 16/2014 instrument: nine unsur with Maklumat
Pelayanan, scored with its own bands (those of 25/2004, not of 14/2017)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from questionnaires import Instrument, load_instrument
from questionnaires.registry import PACKAGE_DIR
from skm.cli.score import score_command

# The nine unsur of 16/2014 in the regulation's order.
UNSUR_NAMES = [
    "Persyaratan",
    "Prosedur",
    "Waktu Pelayanan",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Maklumat Pelayanan",
    "Penanganan Pengaduan, Saran dan Masukan",
]


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(PACKAGE_DIR / "permenpan-16-2014.toml")


def test_nine_unsur_with_maklumat(instrument: Instrument) -> None:
    assert instrument.key == "permenpan-16-2014"
    assert instrument.short_name == "Permenpan RB 16/2014"
    assert [u.name for u in instrument.unsur] == UNSUR_NAMES
    assert [u.code for u in instrument.unsur] == [f"U{i}" for i in range(1, 10)]
    assert "sarana" not in {u.key for u in instrument.unsur}
    assert instrument.question_for("maklumat").number == 8
    assert instrument.label("maklumat", 1) == "Tidak sesuai"
    assert all(
        q.text.startswith("Bagaimana pendapat Saudara tentang") for q in instrument.questions
    )


@pytest.mark.parametrize(
    ("centi", "mutu", "kinerja"),
    [
        (10000, "A", "Sangat Baik"),
        (8126, "A", "Sangat Baik"),
        (8125, "B", "Baik"),
        (6251, "B", "Baik"),
        (6250, "C", "Kurang Baik"),
        (4376, "C", "Kurang Baik"),
        (4375, "D", "Tidak Baik"),
        (2500, "D", "Tidak Baik"),
    ],
)
def test_bands_of_the_annex(instrument: Instrument, centi: int, mutu: str, kinerja: str) -> None:
    grade = instrument.grade_scale.grade_for_centi(centi)
    assert (grade.mutu, grade.kinerja) == (mutu, kinerja)


def test_printed_ni_ranges_are_kept(instrument: Instrument) -> None:
    assert [(r.ni_lower, r.ni_upper) for r in instrument.grade_rows] == [
        ("1.00", "1.75"), ("1.76", "2.50"), ("2.51", "3.25"), ("3.26", "4.00"),
    ]  # fmt: skip


# Four respondents; R4 left Maklumat (U8) blank.
TABULATION = [
    [4, 3, 3, 3, 3, 4, 4, 3, 2],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [3, 3, 3, 3, 3, 4, 4, 3, 3],
    [3, 3, 3, 3, 4, 4, 4, None, 3],
]


def _score(tmp_path: Path, rows: list[list[int | None]], instrument: str) -> dict:
    lines = [";".join(f"U{i}" for i in range(1, 10))]
    lines += [";".join("" if v is None else str(v) for v in row) for row in rows]
    path = tmp_path / "tabulasi-2016.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(score_command, [str(path), "--instrument", instrument, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_2016_tabulation_scores_with_its_own_bands(tmp_path: Path) -> None:
    data = _score(tmp_path, TABULATION, "permenpan-16-2014")
    # By hand: unsur sums 13, 12, 12, 13, 13, 15, 16, 9 (of 3 answers), 11.
    # NRR = 13/4, 3, 3, 13/4, 13/4, 15/4, 4, 3, 11/4; their sum is
    # (13+12+12+13+13+15+16+12+11)/4 = 117/4, IKM = 117/36 = 13/4,
    # konversi = 25 x 13/4 = 81,25 exactly: the top of B (62,51-81,25) in 16/2014.
    nrr = [Fraction(s, n) for s, n in [(13, 4), (12, 4), (12, 4), (13, 4), (13, 4), (15, 4),
                                         (16, 4), (9, 3), (11, 4)]]  # fmt: skip
    ikm = sum(nrr) / 9
    assert ikm == Fraction(13, 4)
    assert data["instrument"] == "permenpan-16-2014"
    assert [(u["sum"], u["count"]) for u in data["unsur"]][7] == (9, 3)
    assert data["ikm"] == pytest.approx(float(ikm), abs=1e-12)  # 3.25 is exact in binary
    assert (data["konversi"], data["mutu"], data["kinerja"]) == (81.25, "B", "Baik")
    # U9 (pengaduan) NRR 11/4 -> 68,75: B in 16/2014 (it would be C in 14/2017).
    assert (data["unsur"][8]["konversi"], data["unsur"][8]["mutu"]) == (68.75, "B")


def test_one_more_point_is_a_under_16_2014_but_b_under_14_2017(tmp_path: Path) -> None:
    rows = [list(row) for row in TABULATION]
    rows[1][0] = 4  # U1 sum 14: Σ NRR = 118/4, IKM = 118/36 = 59/18
    # konversi = 25 x 59/18 = 1475/18 = 81,944... -> 81,94: A (>= 81,26) in 16/2014,
    # B (76,61-88,30) when the same answers are graded with 14/2017's bands.
    konversi = Fraction(25 * 59, 18)
    assert Fraction(8194, 100) < konversi < Fraction(81945, 1000)
    old = _score(tmp_path, rows, "permenpan-16-2014")
    assert (old["konversi"], old["mutu"]) == (81.94, "A")
    new = _score(tmp_path, rows, "permenpan-14-2017")
    assert (new["konversi"], new["mutu"]) == (81.94, "B")
