"""The four seed IKU documents as data files: each imports with ``skm iku import``, with
every indicator of its document and the kind its formula calls for, and shows capaian
(computed by hand) once targets and realisation are entered."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from skm import database
from skm.models import Unit
from skm.resources import PROJECT_ROOT
from skm.results.indicators import indicators_of, set_targets
from skm.results.realisasi import TAHUNAN, RealisasiInput, iku_table, save_realisasi
from skm.units import create_unit

SEEDS = PROJECT_ROOT / "data" / "iku"
JAKARTA = ZoneInfo("Asia/Jakarta")


def imported(app, runner, file: str, unit_name: str, *args: str) -> str:
    with app.app_context():
        session = database.session()
        create_unit(session, unit_name, "kecamatan")
        session.commit()
    result = runner.invoke(args=["iku", "import", str(SEEDS / file), *args])
    assert result.exit_code == 0, result.output
    return result.output


def enter(session, unit, year, targets, inputs):
    """Targets {code: value} and yearly realisation {code: RealisasiInput}; the table by code."""
    by_code = {indicator.code: indicator for indicator in indicators_of(session, unit)}
    for code, target in targets.items():
        set_targets(by_code[code], {year: target})
    for code, data in inputs.items():
        save_realisasi(session, by_code[code], year, TAHUNAN, data, None)
    session.flush()
    return {row.code: row for row in iku_table(session, unit, year, tz=JAKARTA)}


def unit_named(session, name: str) -> Unit:
    return session.scalar(sa.select(Unit).where(Unit.name == name))


def test_bathin_solapan_imports_its_10_iku_and_11_supporting_indicators(app, runner) -> None:
    output = imported(app, runner, "bathin-solapan-2024.toml", "Kecamatan Bathin Solapan")
    assert "21 indikator baru, 0 diperbarui, 0 target." in output
    with app.app_context():
        session = database.session()
        unit = unit_named(session, "Kecamatan Bathin Solapan")
        found = indicators_of(session, unit)
        groups = [i.sasaran for i in found]
        assert groups.count("Indikator Kinerja Kecamatan Bathin Solapan Tahun 2024") == 10
        assert groups.count("Indikator Kinerja Pendukung Kecamatan Bathin Solapan") == 11
        kinds = [i.method for i in found]
        assert kinds[:10] == ["ikm", "grade", "value", "value", "value", "value", "composite",
                              "ratio", "ratio", "ratio"]  # fmt: skip
        assert set(kinds[10:]) == {"ratio"}
        akip = found[1]
        assert akip.name == "Predikat Akuntabilitas Kinerja"
        assert akip.grades == ("AA", "A", "BB", "B", "CC", "C", "D")
        assert found[6].combination == "mean"
        assert found[0].definisi.startswith("Persentase data dan informasi tentang tingkat")
        assert found[9].denominator_label == "Jumlah Desa"

        rows = enter(
            session, unit, 2024,
            {"predikat-akip": "BB", "pelayanan-sesuai-sop": Decimal(95),
             "desa-mandiri": Decimal(20), "nilai-perencanaan": Decimal(24)},
            {"predikat-akip": RealisasiInput(grade="B"),
             "pelayanan-sesuai-sop": RealisasiInput(
                 components=(Decimal(100), Decimal("87.5"), Decimal(75), Decimal(90))),
             "desa-mandiri": RealisasiInput(numerator=Decimal(3), denominator=Decimal(14)),
             "nilai-perencanaan": RealisasiInput(value=Decimal("22.5"))},
        )  # fmt: skip
    # B (4th from the bottom of 7) against BB (5th): 4/5 = 80 %.
    assert (rows["predikat-akip"].target_grade, rows["predikat-akip"].realisasi_grade) == (
        "BB", "B")  # fmt: skip
    assert rows["predikat-akip"].capaian == Decimal("80.00")
    # (100 + 87,5 + 75 + 90) / 4 = 88,125 -> 88,13; 88,13 / 95 = 92,768... -> 92,77 %.
    assert rows["pelayanan-sesuai-sop"].realisasi == Decimal("88.13")
    assert rows["pelayanan-sesuai-sop"].capaian == Decimal("92.77")
    assert rows["pelayanan-sesuai-sop"].realisasi_detail == "rata-rata 4 komponen"
    # 3 of 14 villages mandiri = 21,428... -> 21,43 %; 21,43 / 20 = 107,15 %.
    assert rows["desa-mandiri"].realisasi == Decimal("21.43")
    assert rows["desa-mandiri"].capaian == Decimal("107.15")
    assert rows["desa-mandiri"].realisasi_detail == "3 / 14"
    # 22,5 / 24 = 93,75 %.
    assert rows["nilai-perencanaan"].capaian == Decimal("93.75")
    assert rows["kamtibmas-tuntas"].capaian_note == "Target tahun ini belum ditetapkan."


def test_the_generic_kecamatan_is_adopted_with_its_counts_area_and_change(app, runner) -> None:
    output = imported(app, runner, "kecamatan-umum.toml", "Kecamatan Sukamaju",
                      "--unit", "kecamatan-sukamaju")  # fmt: skip
    assert "16 indikator baru" in output
    assert "Nama unit di teks diganti: Kecamatan -> Kecamatan Sukamaju." in output
    with app.app_context():
        session = database.session()
        unit = unit_named(session, "Kecamatan Sukamaju")
        found = {i.code: i for i in indicators_of(session, unit)}
        assert [i.method for i in found.values()].count("count") == 5
        assert [i.method for i in found.values()].count("ratio") == 9
        assert (found["luas-rth"].method, found["luas-rth"].satuan) == ("quantity", "M2")
        crime = found["penurunan-tindak-kriminal"]
        assert (crime.method, crime.polarity) == ("change", "lower")
        assert found["kegiatan-pkk"].penanggung_jawab == "Kecamatan Sukamaju"
        assert "pembangunan kecamatan" in found["partisipasi-musrenbang"].name

        rows = enter(
            session, unit, 2025,
            {"jumat-bersih": Decimal(48), "luas-rth": Decimal(1250),
             "penurunan-tindak-kriminal": Decimal(-10)},
            {"jumat-bersih": RealisasiInput(value=Decimal(52)),
             "luas-rth": RealisasiInput(value=Decimal("1100.5")),
             "penurunan-tindak-kriminal": RealisasiInput(
                 current_count=Decimal(40), previous_count=Decimal(48))},
        )  # fmt: skip
    assert rows["jumat-bersih"].capaian == Decimal("108.33")  # 52/48 = 108,333...
    assert rows["luas-rth"].capaian == Decimal("88.04")  # 1100,5/1250 = 0,8804
    # (40 − 48) / 40 = −20 %, against a planned −10 %: 200 %.
    assert rows["penurunan-tindak-kriminal"].realisasi == Decimal("-20.00")
    assert rows["penurunan-tindak-kriminal"].capaian == Decimal("200.00")
    assert rows["penurunan-tindak-kriminal"].realisasi_detail == "n = 40, n−1 = 48"


def test_benjeng_imports_its_survey_its_decrease_and_its_ratios(app, runner) -> None:
    output = imported(app, runner, "benjeng-2017.toml", "Kecamatan Benjeng")
    assert "7 indikator baru, 0 diperbarui, 0 target." in output
    with app.app_context():
        session = database.session()
        unit = unit_named(session, "Kecamatan Benjeng")
        found = indicators_of(session, unit)
        assert [i.method for i in found] == ["ikm", "change", "ratio", "ratio", "ratio",
                                             "ratio", "ratio"]  # fmt: skip
        assert "Permenpan No. 16 Tahun 2014" in found[0].formula
        assert found[1].polarity == "lower"
        rows = enter(
            session, unit, 2017,
            {"penurunan-pelanggaran-perda": Decimal(0), "konflik-ditindaklanjuti": Decimal(90)},
            {"penurunan-pelanggaran-perda": RealisasiInput(
                current_count=Decimal(45), previous_count=Decimal(36)),
             "konflik-ditindaklanjuti": RealisasiInput(
                 numerator=Decimal(11), denominator=Decimal(12))},
        )  # fmt: skip
    # Violations rose from 36 to 45: (45 − 36) / 45 = 20 % against "no increase" (0): 0 %.
    assert rows["penurunan-pelanggaran-perda"].realisasi == Decimal("20.00")
    assert rows["penurunan-pelanggaran-perda"].capaian == Decimal("0.00")
    # 11 of 12 conflicts = 91,666... -> 91,67 %; 91,67 / 90 = 101,855... -> 101,86 %.
    assert rows["konflik-ditindaklanjuti"].capaian == Decimal("101.86")
    assert rows["ikm"].realisasi_note == "Belum ada data survei pada periode ini."


def test_bantargebah_still_imports_as_before(app, runner) -> None:
    output = imported(app, runner, "bantargebah-2024.toml", "Kecamatan Bantargebah")
    assert "3 indikator baru, 0 diperbarui, 9 target." in output


BAD_KINDS = """
format = "skm-iku/1"
unit = "Kecamatan Uji"

[[indicator]]
code = "akip"
sasaran = "Meningkatnya kinerja"
name = "Predikat AKIP"
satuan = "Predikat"
method = "predikat"
targets = { 2025 = "BB" }

[[indicator]]
code = "sop"
sasaran = "Meningkatnya pelayanan"
name = "Pelayanan sesuai SOP"
satuan = "%"
method = "komposit"
combination = "median"
scale = ["A", "B"]

[[indicator]]
code = "perda"
sasaran = "Ketertiban"
name = "Penurunan pelanggaran perda"
satuan = "%"
method = "change"
direction = "decrease"
polarity = "higher"

[[indicator]]
code = "akip-lain"
sasaran = "Meningkatnya kinerja"
name = "Predikat AKIP"
satuan = "Predikat"
method = "grade"
scale = "AA, A, BB"
targets = { 2025 = "B" }
"""


def test_a_file_with_wrong_kinds_names_every_problem(app, runner, tmp_path) -> None:
    with app.app_context():
        session = database.session()
        create_unit(session, "Kecamatan Uji", "kecamatan")
        session.commit()
    path = tmp_path / "iku.toml"
    path.write_text(BAD_KINDS, encoding="utf-8")
    result = runner.invoke(args=["iku", "import", str(path)])
    assert result.exit_code == 2
    for problem in (
        'Indikator ke-1 (akip): method = "grade" membutuhkan scale',
        'Indikator ke-2 (sop): scale hanya untuk method = "grade".',
        "Indikator ke-2 (sop): combination 'median' tidak dikenal; gunakan mean atau sum.",
        "Indikator ke-3 (perda): direction dan polarity bertentangan.",
    ):
        assert problem in result.output
    # Once the file itself is right, the grade target is checked against the scale.
    path.write_text(BAD_KINDS.split("[[indicator]]")[0] + "[[indicator]]"
                    + BAD_KINDS.split("[[indicator]]")[4], encoding="utf-8")  # fmt: skip
    result = runner.invoke(args=["iku", "import", str(path)])
    assert result.exit_code == 2
    assert (
        "Indikator ke-1 (akip-lain): Target 2025: Target harus salah satu predikat skala: "
        "AA, A, BB." in result.output
    )
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count()).select_from(
            sa.table("iku_indicator"))) == 0  # fmt: skip
