"""``skm iku import FILE``: the Bantargebah seed, re-imports, adoption, bad files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from openpyxl import load_workbook

from skm import database
from skm.models import Unit
from skm.models.iku import IkuIndicator, IkuTarget
from skm.resources import PROJECT_ROOT
from skm.results.indicators import predikat_scale
from skm.results.realisasi import ikm_target
from tests.support.factories import saved_unit

SEED = PROJECT_ROOT / "data" / "iku" / "bantargebah-2024.toml"


def indicators(app, slug: str) -> dict[str, IkuIndicator]:
    with app.app_context():
        session = database.session()
        unit = session.scalar(sa.select(Unit).where(Unit.slug == slug))
        found = session.scalars(
            sa.select(IkuIndicator).where(IkuIndicator.unit_id == unit.id)
        ).all()
        for indicator in found:
            indicator.targets  # noqa: B018  (load before the session closes)
        return {indicator.code: indicator for indicator in found}


def targets(indicator: IkuIndicator) -> dict[int, Decimal]:
    return {t.year: t.value for t in indicator.targets}


def test_the_bantargebah_seed_imports_with_its_targets(app, runner) -> None:
    saved_unit(app, "Kecamatan Bantargebah")
    result = runner.invoke(args=["iku", "import", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "IKU Kecamatan Bantargebah diimpor:" in result.output
    assert "3 indikator baru, 0 diperbarui, 9 target." in result.output

    found = indicators(app, "kecamatan-bantargebah")
    assert list(found) == ["ikm", "nilai-akip", "wilayah-tertib"]
    ikm, akip, zones = found["ikm"], found["nilai-akip"], found["wilayah-tertib"]
    assert targets(ikm) == {2024: Decimal("83"), 2025: Decimal("83.5"), 2026: Decimal("84")}
    assert targets(akip) == {2024: Decimal("74.15"), 2025: Decimal("74.25"), 2026: Decimal("74.5")}
    assert targets(zones) == {2024: Decimal("40"), 2025: Decimal("50"), 2026: Decimal("60")}
    assert (ikm.method, akip.method, zones.method) == ("ikm", "value", "ratio")
    assert {ikm.polarity, akip.polarity, zones.polarity} == {"higher"}
    assert ikm.name == "Indeks Kepuasan Masyarakat Terhadap Layanan Publik"
    assert ikm.satuan == "Nilai" and zones.satuan == "Persen (%)"
    assert ikm.sumber_data == "Hasil Survey Kepuasan Masyarakat"
    assert zones.numerator_label == "Jumlah zonasi yang telah ditingkatkan"
    assert zones.denominator_label == "Jumlah zona tertib"
    assert ikm.alasan.startswith("Berdasarkan Undang-Undang Nomor 25 Tahun 2009")
    assert "\n" not in ikm.alasan  # the file's line continuations join the text
    with app.app_context():
        session = database.session()
        unit = session.scalar(sa.select(Unit).where(Unit.slug == "kecamatan-bantargebah"))
        assert ikm_target(session, unit, 2025) == 83.5


def test_importing_again_updates_instead_of_adding(app, runner) -> None:
    saved_unit(app, "Kecamatan Bantargebah")
    runner.invoke(args=["iku", "import", str(SEED)])
    again = runner.invoke(args=["iku", "import", str(SEED)])
    assert again.exit_code == 0
    assert "0 indikator baru, 3 diperbarui, 9 target." in again.output
    assert len(indicators(app, "kecamatan-bantargebah")) == 3
    with app.app_context():
        assert database.session().scalar(sa.select(sa.func.count(IkuTarget.id))) == 9


def test_another_kecamatan_adopts_the_document_under_its_own_name(app, runner) -> None:
    saved_unit(app, "Kecamatan Sukamaju")
    result = runner.invoke(args=["iku", "import", str(SEED), "--unit", "kecamatan-sukamaju"])
    assert result.exit_code == 0, result.output
    assert (
        "Nama unit di teks diganti: Kecamatan Bantargebah -> Kecamatan Sukamaju." in result.output
    )
    found = indicators(app, "kecamatan-sukamaju")
    assert found["nilai-akip"].name == "Nilai AKIP Kecamatan Sukamaju"
    assert "Bantargebah" not in " ".join(
        str(getattr(i, name)) for i in found.values()
        for name in ("sasaran", "name", "alasan", "formula", "penanggung_jawab")
    )  # fmt: skip


def test_a_missing_unit_is_reported(app, runner) -> None:
    result = runner.invoke(args=["iku", "import", str(SEED)])
    assert result.exit_code == 2
    assert "unit 'Kecamatan Bantargebah' tidak ada" in result.output


BAD = """
format = "skm-iku/1"
unit = "Kecamatan Uji"
pemilik = "x"

[[indicator]]
code = "akip"
sasaran = "Meningkatnya kinerja"
name = "Nilai AKIP"
satuan = "Nilai"
method = "nilai"
targets = { 2025 = "74,25" }

[[indicator]]
code = "ikm"
sasaran = "Meningkatnya pelayanan"
name = "IKM"
satuan = "Nilai"
method = "ikm"
targets = { 2025 = "3,32" }

[[indicator]]
code = "akip"
sasaran = "Lagi"
name = "Lagi"
satuan = "Kegt"
method = "rata-rata"
polarity = "naik"
targets = { 25 = "x" }
"""


def test_a_bad_file_names_every_problem_and_stores_nothing(app, runner, tmp_path: Path) -> None:
    saved_unit(app, "Kecamatan Uji")
    path = tmp_path / "iku.toml"
    path.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["iku", "import", str(path)])
    assert result.exit_code == 2
    for problem in (
        "Kunci 'pemilik' tidak dikenal.",
        "Indikator ke-3 (akip): method 'rata-rata' tidak dikenal",
        "Indikator ke-3 (akip): tahun target '25' bukan tahun empat angka.",
    ):
        assert problem in result.output
    assert indicators(app, "kecamatan-uji") == {}

    # The file itself is fine once the third indicator is gone, but the IKM target is on
    # the 1–4 scale: the database check refuses it and the valid AKIP is not stored either.
    path.write_text(BAD.split("[[indicator]]\ncode = \"akip\"\nsasaran = \"Lagi\"")[0]
                    .replace('pemilik = "x"\n', ""), encoding="utf-8")  # fmt: skip
    result = runner.invoke(args=["iku", "import", str(path)])
    assert result.exit_code == 2
    assert (
        "Indikator ke-2 (ikm): Target 2025: Target IKM harus pada skala nilai konversi"
        in result.output
    )
    assert "tidak ada yang disimpan" in result.output
    assert indicators(app, "kecamatan-uji") == {}


def test_dry_run_and_a_predikat_scale_from_the_file(app, runner, tmp_path: Path) -> None:
    saved_unit(app, "Kecamatan Bantargebah")
    dry = runner.invoke(args=["iku", "import", str(SEED), "--dry-run"])
    assert dry.exit_code == 0 and "uji coba, tidak disimpan" in dry.output
    assert indicators(app, "kecamatan-bantargebah") == {}

    path = tmp_path / "iku.toml"
    path.write_text(
        SEED.read_text(encoding="utf-8")
        + '\n[[predikat]]\nminimum = "100"\nlabel = "Tercapai"\n'
        + '\n[[predikat]]\nlabel = "Belum tercapai"\n',
        encoding="utf-8",
    )
    assert runner.invoke(args=["iku", "import", str(path)]).exit_code == 0
    with app.app_context():
        session = database.session()
        unit = session.scalar(sa.select(Unit).where(Unit.slug == "kecamatan-bantargebah"))
        steps, owner = predikat_scale(session, unit)
        assert [(s.minimum, s.label) for s in steps] == [
            (Decimal("100"), "Tercapai"), (None, "Belum tercapai")]  # fmt: skip
        assert owner.id == unit.id


def test_the_table_command_writes_an_xlsx(app, runner, tmp_path: Path) -> None:
    saved_unit(app, "Kecamatan Bantargebah")
    runner.invoke(args=["iku", "import", str(SEED)])
    target = tmp_path / "iku.xlsx"
    result = runner.invoke(
        args=[
            "iku",
            "tabel",
            "--unit",
            "kecamatan-bantargebah",
            "--tahun",
            "2025",
            "--xlsx",
            str(target),
        ]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    assert sheet["C6"].value == "Indeks Kepuasan Masyarakat Terhadap Layanan Publik"
    assert sheet["E6"].value == 83.5  # exact: the target as written in the file
    text = runner.invoke(
        args=["iku", "tabel", "--unit", "kecamatan-bantargebah", "--tahun", "2025"]
    )
    assert "target 74,25 Nilai" in text.output
