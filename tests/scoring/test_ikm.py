"""IKM per Permenpan RB 14/2017 (and Kepmenpan 25/2004), against hand Fractions."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest

from scoring.grades import GradeScale
from scoring.ikm import GroupedIkm, IkmResult, score_aggregates, score_groups, score_matrix
from tests.scoring.reference import (
    exact_konversi,
    grade_2017,
    naive_sum,
    reference_centi,
    spread,
    unsur_centi,
)
from tests.scoring.test_rounding import FLOAT_TIES

# --------------------------------------------------------------------------
# The two ends of the scale and the exact weight 1/U


def test_all_fours_is_exactly_100(scale_2017: GradeScale) -> None:
    result = score_matrix(np.full((25, 9), 4), scale_2017)
    assert result.respondents == 25
    assert result.ikm == 4.0
    # The unrounded konversi is a float sum of nine weighted NRR: only the rounded
    # konversi is exact. 1e-9 is far below the 0,005 that rounding would notice.
    assert result.konversi_exact == pytest.approx(100.0, abs=1e-9)
    assert result.konversi == 100.0
    assert result.konversi_centi == 10000
    assert (result.mutu, result.kinerja) == ("A", "Sangat Baik")
    for unsur in result.unsur:
        assert (unsur.sum, unsur.count, unsur.nrr) == (100, 25, 4.0)
        assert (unsur.konversi, unsur.konversi_centi, unsur.mutu) == (100.0, 10000, "A")


def test_weight_is_exactly_one_ninth_not_0_111(scale_2017: GradeScale) -> None:
    result = score_matrix(np.full((3, 9), 4), scale_2017)
    for unsur in result.unsur:
        # float(4/9), the closest double to the exact weight: 1 ulp from 4/9.
        assert abs(Fraction(unsur.nrr_tertimbang) - Fraction(4, 9)) < Fraction(1, 10**15)
    total = sum((Fraction(u.nrr_tertimbang) for u in result.unsur), Fraction(0))
    assert abs(total - 4) < Fraction(1, 10**14)
    # What the printed weight would do: a perfect survey scoring 99,9.
    printed_weight_konversi = naive_sum(4 * 0.111 for _ in range(9)) * 25
    assert round(printed_weight_konversi, 2) == 99.9  # exact: rounded to two decimals
    assert result.konversi == 100.0


def test_all_ones_is_25_and_grade_d(scale_2017: GradeScale) -> None:
    result = score_matrix([[1] * 9] * 4, scale_2017)
    assert (result.ikm, result.konversi, result.konversi_centi) == (1.0, 25.0, 2500)
    assert (result.mutu, result.kinerja) == ("D", "Tidak Baik")
    assert {u.mutu for u in result.unsur} == {"D"}


def test_fields_match_hand_fractions(scale_2017: GradeScale) -> None:
    rng = np.random.default_rng(14)
    answers = rng.integers(1, 5, size=(37, 9))
    result = score_matrix(answers, scale_2017)
    sums = answers.sum(axis=0).tolist()
    for j, unsur in enumerate(result.unsur):
        nrr = Fraction(sums[j], 37)
        assert (unsur.sum, unsur.count) == (sums[j], 37)
        assert unsur.nrr == float(nrr)
        assert math.isclose(unsur.nrr_tertimbang, float(nrr / 9), rel_tol=1e-15)
        assert unsur.konversi_centi == unsur_centi(sums[j], 37)
        assert unsur.konversi == unsur.konversi_centi / 100
    exact = exact_konversi(sums, [37] * 9)
    assert math.isclose(result.ikm, float(exact / 25), rel_tol=1e-15)
    assert math.isclose(result.konversi_exact, float(exact), rel_tol=1e-15)
    assert result.konversi_centi == reference_centi(sums, [37] * 9)
    assert result.mutu == grade_2017(result.konversi_centi)


# --------------------------------------------------------------------------
# Blanks leave the denominator of their own unsur only

BLANK_ROWS: list[list[int | None]] = [
    [4, 3, 2, None],
    [3, None, 4, 4],
    [None, 2, 3, 1],
    [4, 4, None, 3],
    [2, 3, 4, 4],
]


@pytest.mark.parametrize(
    "answers",
    [
        BLANK_ROWS,
        np.array([[np.nan if v is None else v for v in row] for row in BLANK_ROWS]),
        np.array([[0 if v is None else v for v in row] for row in BLANK_ROWS]),
        np.array([[0.0 if v is None else float(v) for v in row] for row in BLANK_ROWS]),
    ],
    ids=["None", "NaN", "zero", "float-zero"],
)
def test_blanks_in_every_spelling(scale_2017: GradeScale, answers: object) -> None:
    result = score_matrix(answers, scale_2017)  # type: ignore[arg-type]
    # By hand: column sums 13, 12, 13, 12 over 4 answers each.
    assert [(u.sum, u.count) for u in result.unsur] == [(13, 4), (12, 4), (13, 4), (12, 4)]
    assert [u.nrr for u in result.unsur] == [3.25, 3.0, 3.25, 3.0]
    # 25/4 x (13/4 + 3 + 13/4 + 3) = 78,125 exactly: a tie, half-up to 78,13.
    assert 25 * (Fraction(13, 4) * 2 + 3 * 2) / 4 == Fraction(78125, 1000)
    assert result.konversi_centi == 7813
    assert result.konversi == 78.13
    assert result.mutu == "B"
    assert [u.konversi for u in result.unsur] == [81.25, 75.0, 81.25, 75.0]
    assert [u.mutu for u in result.unsur] == ["B", "C", "B", "C"]
    assert result.respondents == 5


def test_blank_changes_only_its_unsur(scale_2017: GradeScale) -> None:
    rng = np.random.default_rng(9)
    answers = rng.integers(1, 5, size=(30, 9)).astype(float)
    full = score_matrix(answers, scale_2017)
    removed = int(answers[5, 2])
    answers[5, 2] = np.nan
    partial = score_matrix(answers, scale_2017)
    for j in range(9):
        if j != 2:
            assert partial.unsur[j] == full.unsur[j]
    before, after = full.unsur[2], partial.unsur[2]
    assert (after.sum, after.count) == (before.sum - removed, 29)
    assert after.nrr == float(Fraction(before.sum - removed, 29))
    sums = [u.sum for u in partial.unsur]
    counts = [u.count for u in partial.unsur]
    assert partial.konversi_centi == reference_centi(sums, counts)
    assert partial.respondents == 30


def test_blank_is_neither_zero_nor_imputed(scale_2017: GradeScale) -> None:
    result = score_matrix([[4, 4], [4, None], [4, 4]], scale_2017)
    assert (result.unsur[1].sum, result.unsur[1].count, result.unsur[1].nrr) == (8, 2, 4.0)
    assert result.konversi == 100.0


def test_row_left_blank_still_counts_as_respondent(scale_2017: GradeScale) -> None:
    result = score_matrix([[4, 3], [None, None]], scale_2017)
    assert result.respondents == 2
    assert [u.count for u in result.unsur] == [1, 1]


def test_disallowed_blank_raises(scale_2017: GradeScale) -> None:
    with pytest.raises(ValueError, match="baris 2, unsur ke-1"):
        score_matrix([[4, 3], [None, 4]], scale_2017, allow_blank=False)
    assert score_matrix([[4, 3], [3, 4]], scale_2017, allow_blank=False).konversi == 87.5


# --------------------------------------------------------------------------
# Grade bounds on the rounded konversi (9 unsur x 10 000 answers: the exact
# konversi in hundredths is Σ S / 36, so every case below is hand-checkable)

BOUNDS_2017 = [
    (317916, 8831, "A"),  # 88,31
    (317898, 8831, "A"),  # 88,305 exactly: half-up to 88,31
    (317897, 8830, "B"),  # 88,3047...
    (317880, 8830, "B"),  # 88,30
    (317862, 8830, "B"),  # 88,295 -> 88,30
    (275796, 7661, "B"),  # 76,61
    (275778, 7661, "B"),  # 76,605 -> 76,61
    (275760, 7660, "C"),  # 76,60
    (234000, 6500, "C"),  # 65,00
    (233982, 6500, "C"),  # 64,995 -> 65,00
    (233964, 6499, "D"),  # 64,99
    (233946, 6499, "D"),  # 64,985 -> 64,99
]


@pytest.mark.parametrize(("total", "centi", "mutu"), BOUNDS_2017)
def test_bounds_2017(scale_2017: GradeScale, total: int, centi: int, mutu: str) -> None:
    sums = spread(total, 9)
    assert reference_centi(sums, [10000] * 9) == centi  # the hand value above
    result = score_aggregates(sums, [10000] * 9, scale_2017)
    assert result.konversi_centi == centi
    assert result.konversi == float(f"{centi // 100}.{centi % 100:02d}")
    assert result.mutu == mutu


def test_exact_88_31_that_float_computes_as_88_30999(scale_2017: GradeScale) -> None:
    sums = [37273, 39472, 37861, 35259, 28420, 35431, 35276, 34061, 34863]
    assert exact_konversi(sums, [10000] * 9) == Fraction(8831, 100)
    naive = naive_sum(s / 10000 for s in sums) / 9 * 25
    assert Fraction(naive) < Fraction(8831, 100)
    # exact: floor to hundredths, as truncating systems print it (88,30: B)
    assert math.floor(naive * 100) / 100 == 88.30
    result = score_aggregates(sums, [10000] * 9, scale_2017)
    assert (result.konversi, result.konversi_centi, result.mutu) == (88.31, 8831, "A")


@pytest.mark.parametrize(("sums", "centi"), FLOAT_TIES)
def test_ties_that_float_rounds_down(scale_2017: GradeScale, sums: list[int], centi: int) -> None:
    naive = round(naive_sum(s / 10000 for s in sums) / 9 * 25, 2)
    assert naive == (centi - 1) / 100  # the naive report is one hundredth low
    result = score_aggregates(sums, [10000] * 9, scale_2017)
    assert result.konversi_centi == centi
    assert result.mutu == grade_2017(centi)
    assert result.mutu != grade_2017(centi - 1)  # and that costs a grade


def test_search_for_float_traps_near_88_31(scale_2017: GradeScale) -> None:
    # Random splits of the tie 88,305 and of the exact 88,31: whatever the
    # float does with them, the result must be 88,31 and A.
    rng = np.random.default_rng(2017)
    checked = traps = 0
    for total in (317898, 317916):
        for _ in range(300):
            head = rng.integers(30000, 40001, size=8)
            last = total - int(head.sum())
            if not 10000 <= last <= 40000:
                continue
            sums = [*head.tolist(), last]
            naive = naive_sum(s / 10000 for s in sums) / 9 * 25
            exact = Fraction(total, 3600)  # 88,305 or 88,31
            traps += Fraction(naive) < exact
            result = score_aggregates(sums, [10000] * 9, scale_2017)
            assert (result.konversi_centi, result.mutu) == (8831, "A")
            checked += 1
    assert checked > 100
    assert traps > 0  # the search did meet values that float puts below


def test_unsur_grades_use_the_same_cascade(scale_2017: GradeScale) -> None:
    sums = [35324, 35320, 35322, 30644, 30640, 26000, 25996, 29]
    counts = [10000] * 7 + [8]
    # By hand: 25 x S / C = 88,31; 88,30; 88,305; 76,61; 76,60; 65,00; 64,99;
    # 90,625 (29/8 x 25), the last two ties rounding up.
    expected = [8831, 8830, 8831, 7661, 7660, 6500, 6499, 9063]
    assert [unsur_centi(s, c) for s, c in zip(sums, counts, strict=True)] == expected
    result = score_aggregates(sums, counts, scale_2017)
    assert [u.konversi_centi for u in result.unsur] == expected
    assert [u.mutu for u in result.unsur] == ["A", "B", "A", "B", "C", "C", "D", "A"]
    assert [u.kinerja for u in result.unsur][:2] == ["Sangat Baik", "Baik"]


def test_unsur_order_is_kept(scale_2017: GradeScale) -> None:
    result = score_aggregates([40, 10, 25], [10, 10, 10], scale_2017)
    assert [u.nrr for u in result.unsur] == [4.0, 1.0, 2.5]


# --------------------------------------------------------------------------
# Kepmenpan 25/2004: 14 unsur, weight 1/14, its own bands (C = 2500 answers
# per unsur, so the konversi in hundredths is Σ S / 14 exactly)

BOUNDS_2004 = [
    (61250, 4375, "D"),  # 43,75
    (61257, 4376, "C"),  # 43,755 -> 43,76
    (61264, 4376, "C"),  # 43,76
    (87500, 6250, "C"),  # 62,50
    (87514, 6251, "B"),  # 62,51
    (113750, 8125, "B"),  # 81,25
    (113757, 8126, "A"),  # 81,255 -> 81,26
    (113764, 8126, "A"),  # 81,26
]


@pytest.mark.parametrize(("total", "centi", "mutu"), BOUNDS_2004)
def test_bounds_2004(scale_2004: GradeScale, total: int, centi: int, mutu: str) -> None:
    sums = spread(total, 14)
    assert reference_centi(sums, [2500] * 14) == centi
    result = score_aggregates(sums, [2500] * 14, scale_2004)
    assert len(result.unsur) == 14
    assert (result.konversi_centi, result.mutu) == (centi, mutu)


def test_2004_perfect_and_weight(scale_2004: GradeScale) -> None:
    result = score_matrix(np.full((10, 14), 4), scale_2004)
    assert (result.konversi, result.mutu) == (100.0, "A")
    for unsur in result.unsur:
        assert abs(Fraction(unsur.nrr_tertimbang) - Fraction(4, 14)) < Fraction(1, 10**15)
    # The printed 0,071 would give 99,4.
    assert round(4 * 0.071 * 14 * 25, 2) == 99.4  # exact: rounded to two decimals


# --------------------------------------------------------------------------
# Results are frozen


def test_results_are_frozen(scale_2017: GradeScale) -> None:
    result = score_aggregates([30, 40], [10, 10], scale_2017, respondents=12)
    assert result.respondents == 12
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.mutu = "A"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.unsur[0].nrr = 4.0  # type: ignore[misc]


# --------------------------------------------------------------------------
# Every ValueError of score_aggregates and score_matrix


@pytest.mark.parametrize(
    ("sums", "counts", "kwargs", "message"),
    [
        ([30, 20], [10], {}, "harus sama panjang"),
        ([[30, 20]], [[10, 10]], {}, "berdimensi 1"),
        ([], [], {}, "minimal satu unsur"),
        ([-3, 20], [10, 10], {}, "Jumlah nilai tidak boleh negatif; ditemukan -3 pada unsur ke-1"),
        ([30, 20], [10, -1], {}, "Jumlah jawaban tidak boleh negatif"),
        ([30, 20, 0], [10, 10, 0], {}, r"^Unsur ke-3 belum memiliki jawaban; NRR tidak dapat"),
        ([30, 7], [10, 0], {}, "Unsur ke-2: jumlah nilai 7 padahal jumlah jawaban 0"),
        ([30, 9], [10, 10], {}, r"Unsur ke-2: NRR 0,90 di luar 1–4"),
        ([30, 41], [10, 10], {}, r"Unsur ke-2: NRR 4,10 di luar 1–4"),
        ([30.5, 20], [10, 10], {}, "bilangan bulat"),
        (["30", "20"], [10, 10], {}, "bilangan bulat"),
        ([30, 20], [10, 10], {"respondents": 9}, r"Jumlah responden \(9\) lebih kecil"),
        ([30, 20], [10, 10], {"respondents": -1}, "minimal 0"),
        ([30, 20], [10, 10], {"respondents": 10.0}, "bilangan bulat"),
        ([30, 20], [10, 10], {"respondents": True}, "bilangan bulat"),
    ],
)
def test_score_aggregates_rejects(
    scale_2017: GradeScale, sums: object, counts: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_aggregates(sums, counts, scale_2017, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            [[4, 4], [4, 4], [4, 5]],
            r"^Nilai jawaban harus 1 sampai 4; ditemukan 5 pada baris 3, unsur ke-2\.$",
        ),
        ([[0.5, 4]], "ditemukan 0,5 pada baris 1, unsur ke-1"),
        (np.array([[4.0, 3.5]]), "ditemukan 3,5 pada baris 1, unsur ke-2"),
        ([[4, -1]], "ditemukan -1 pada baris 1, unsur ke-2"),
        (np.array([[4.0, np.inf]]), "ditemukan inf pada baris 1, unsur ke-2"),
        ([[5, 6], [7, 8]], "Masih ada 3 nilai tidak sah lainnya"),
        ([[4, "4"]], "angka"),
        ([[4, None], [None, "x"]], "baris 2, unsur ke-2 bukan angka"),
        ([[True, False]], "benar/salah"),
        ([[4, None], [None, True]], "baris 2, unsur ke-2 bukan angka"),
        ([], "kosong"),
        ([[]], "kosong"),
        (np.empty((0, 9)), "kosong"),
        ([4, 3, 2], "dua dimensi"),
        ([[[4]]], "dua dimensi"),
        ([[4, 3], [4]], "tidak rata"),
        ([[4, None], [3, None]], r"^Unsur ke-2 belum memiliki jawaban"),
        ([[4, 0], [3, 0]], r"^Unsur ke-2 belum memiliki jawaban"),
    ],
)
def test_score_matrix_rejects(scale_2017: GradeScale, answers: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score_matrix(answers, scale_2017)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Grouped scoring: per group exactly what score_aggregates gives


def _random_groups(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 15, size=(1500, 9))
    counts[rng.random(counts.shape) < 0.01] = 0  # some small layanan miss an unsur
    sums = counts + rng.integers(0, 3 * counts + 1)
    # A block of 8 respondents per unsur: exact ties (x,yz5) are frequent there.
    tie_counts = np.full((600, 9), 8)
    tie_sums = tie_counts + rng.integers(0, 25, size=(600, 9))
    return np.vstack([sums, tie_sums]), np.vstack([counts, tie_counts])


def test_grouped_equals_per_group(scale_2017: GradeScale) -> None:
    sums, counts = _random_groups(seed=1417)
    grouped = score_groups(sums, counts, scale_2017)
    assert isinstance(grouped, GroupedIkm)
    assert len(grouped) == sums.shape[0]
    ties = unscorable = 0
    for g in range(len(grouped)):
        row_sums, row_counts = sums[g].tolist(), counts[g].tolist()
        answered = [c > 0 for c in row_counts]
        for j in range(9):
            expected = unsur_centi(row_sums[j], row_counts[j]) if answered[j] else -1
            assert grouped.unsur_konversi_centi[g, j] == expected
            if not answered[j]:
                assert grouped.unsur_grade_index[g, j] == -1
                assert math.isnan(grouped.nrr[g, j])
        if all(answered):
            exact = exact_konversi(row_sums, row_counts)
            ties += (exact * 100).denominator == 2
            centi = reference_centi(row_sums, row_counts)
            assert grouped.scorable[g]
            assert grouped.konversi_centi[g] == centi
            assert grouped.mutu(g) == grade_2017(centi)
            single = score_aggregates(row_sums, row_counts, scale_2017)
            assert grouped.group(g) == single
            assert single.konversi_centi == centi
        else:
            unscorable += 1
            assert not grouped.scorable[g]
            assert math.isnan(grouped.ikm[g]) and math.isnan(grouped.konversi[g])
            assert math.isnan(grouped.konversi_exact[g])
            assert grouped.konversi_centi[g] == -1 and grouped.grade_index[g] == -1
            assert grouped.mutu(g) is None and grouped.kinerja(g) is None
            with pytest.raises(ValueError, match="belum memiliki jawaban"):
                score_aggregates(row_sums, row_counts, scale_2017)
            with pytest.raises(ValueError, match=f"Kelompok ke-{g + 1}: unsur ke-"):
                grouped.group(g)
    assert ties >= 20  # the exact fallback was exercised
    assert unscorable >= 20


def test_grouped_per_layanan_equals_score_matrix(scale_2017: GradeScale) -> None:
    # Respondent rows tagged with a layanan; SQL-style aggregation per layanan
    # must score each layanan exactly as its own answer matrix would.
    rng = np.random.default_rng(77)
    answers = rng.integers(0, 5, size=(600, 9))  # 0 = blank
    layanan = rng.integers(0, 12, size=600)
    sums = np.zeros((12, 9), dtype=np.int64)
    counts = np.zeros((12, 9), dtype=np.int64)
    np.add.at(sums, layanan, answers)
    np.add.at(counts, layanan, (answers > 0).astype(np.int64))
    respondents = np.bincount(layanan, minlength=12)
    grouped = score_groups(sums, counts, scale_2017, respondents=respondents)
    for g in range(12):
        assert grouped.group(g) == score_matrix(answers[layanan == g], scale_2017)


def test_grouped_arrays_are_read_only_copies(scale_2017: GradeScale) -> None:
    sums = np.array([[30, 40], [20, 0]])
    counts = np.array([[10, 10], [10, 0]])
    grouped = score_groups(sums, counts, scale_2017)
    sums[0, 0] = 40  # the caller's array is not the result's array
    assert grouped.sums[0, 0] == 30
    for field in dataclasses.fields(grouped):
        value = getattr(grouped, field.name)
        if isinstance(value, np.ndarray):
            with pytest.raises(ValueError, match="read-only"):
                value.flat[0] = value.flat[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        grouped.scale = scale_2017  # type: ignore[misc]


def test_grouped_shapes_and_dtypes(scale_2017: GradeScale) -> None:
    grouped = score_groups([[30, 40], [20, 0], [11, 12]], [[10, 10], [10, 0], [4, 4]], scale_2017)
    assert grouped.nrr.shape == grouped.unsur_grade_index.shape == (3, 2)
    assert grouped.ikm.shape == grouped.scorable.shape == grouped.grade_index.shape == (3,)
    assert grouped.konversi_centi.dtype == np.int64
    assert grouped.scorable.tolist() == [True, False, True]
    # 25/2 x (30/10 + 40/10) = 87,5; 25/2 x (11/4 + 12/4) = 71,875 -> 71,88
    assert grouped.konversi_centi.tolist() == [8750, -1, 7188]
    assert [grouped.mutu(i) for i in range(3)] == ["B", None, "C"]
    assert grouped.group(-1).konversi == 71.88
    with pytest.raises(IndexError):
        grouped.group(3)


def test_grouped_empty(scale_2017: GradeScale) -> None:
    grouped = score_groups(np.zeros((0, 9), dtype=np.int64), np.zeros((0, 9)), scale_2017)
    assert len(grouped) == 0
    assert grouped.konversi_centi.shape == (0,)


def test_grouped_respondents(scale_2017: GradeScale) -> None:
    grouped = score_groups([[30, 40]], [[10, 10]], scale_2017, respondents=[11])
    result = grouped.group(0)
    assert isinstance(result, IkmResult)
    assert result.respondents == 11
    assert score_groups([[30, 40]], [[10, 10]], scale_2017).group(0).respondents is None


@pytest.mark.parametrize(
    ("sums", "counts", "kwargs", "message"),
    [
        ([[30, 40]], [[10, 10, 10]], {}, "harus sama"),
        ([30, 40], [10, 10], {}, "berdimensi 2"),
        ([[30, 40], [30, 50]], [[10, 10], [10, 10]], {}, "Kelompok ke-2, unsur ke-2: NRR 5,00"),
        ([[30, 40], [30, 5]], [[10, 10], [10, 0]], {}, "Kelompok ke-2, unsur ke-2: jumlah nilai 5"),
        ([[30, -40]], [[10, 10]], {}, "negatif; ditemukan -40 pada kelompok ke-1, unsur ke-2"),
        ([[30, 40]], [[10, 10]], {"respondents": [9]}, "kelompok ke-1, unsur ke-1"),
        ([[30, 40]], [[10, 10]], {"respondents": [10, 10]}, "satu nilai per kelompok"),
        ([[30, 40]], [[10, 10]], {"respondents": [-10]}, "negatif"),
        (np.zeros((2, 0)), np.zeros((2, 0)), {}, "minimal satu unsur"),
    ],
)
def test_score_groups_rejects(
    scale_2017: GradeScale, sums: object, counts: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        score_groups(sums, counts, scale_2017, **kwargs)  # type: ignore[arg-type]
