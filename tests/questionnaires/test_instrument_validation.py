"""Every validation rule of the loader, each with one small broken file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaires import InstrumentError, load_instrument

WriteInstrument = Callable[..., Path]

LABEL_2 = '2 = "Kurang sesuai"\n'
UNSUR_BETA = 'key = "beta"\ncode = "U2"'
QUESTION_ALPHA = 'unsur = "alpha"'
BAND_C = 'konversi = ["65.00", "76.60"]'
BAND_D = 'konversi = ["25.00", "64.99"]'
BAND_A = 'konversi = ["88.31", "100.00"]'
EXTRA_UNSUR = '[[unsur]]\nkey = "gamma"\ncode = "U3"\nname = "Gamma"\n\n[[questions]]'


def load_broken(write: WriteInstrument, *replacements: tuple[str, str]) -> str:
    path = write(*replacements)
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert message.startswith("rusak.toml: "), message
    return message


def test_the_small_instrument_is_valid(write_instrument: WriteInstrument) -> None:
    instrument = load_instrument(write_instrument())
    assert [u.code for u in instrument.unsur] == ["U1", "U2"]
    assert [q.unsur_key for q in instrument.questions] == ["beta", "alpha"]


def test_instrument_error_is_a_value_error() -> None:
    assert issubclass(InstrumentError, ValueError)


def test_missing_label(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (LABEL_2, ""))
    assert message == "rusak.toml: pertanyaan 2 tidak memiliki label untuk nilai 2"


def test_duplicate_unsur_key(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (UNSUR_BETA, 'key = "alpha"\ncode = "U2"'))
    assert "kunci unsur ganda 'alpha'" in message


def test_overlapping_bands(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (BAND_C, 'konversi = ["64.50", "76.60"]'))
    assert "tumpang tindih" in message
    assert "mutu D (25,00–64,99)" in message
    assert "mutu C (64,50–76,60)" in message


def test_gap_between_bands(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (BAND_C, 'konversi = ["65.10", "76.60"]'))
    assert "ada celah antara mutu D (s.d. 64,99) dan mutu C (mulai 65,10)" in message


def test_question_referencing_unknown_unsur(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (QUESTION_ALPHA, 'unsur = "alfa"'))
    assert "pertanyaan 2 merujuk unsur 'alfa' yang tidak dikenal" in message


def test_unsur_without_question(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, ("[[questions]]", EXTRA_UNSUR))
    assert "unsur 'gamma' (U3) tidak ditanyakan oleh pertanyaan mana pun" in message


def test_unknown_top_level_key(write_instrument: WriteInstrument) -> None:
    message = load_broken(
        write_instrument, ('short_name = "Uji"', 'short_name = "Uji"\ntitel = "x"')
    )
    assert "kunci tidak dikenal 'titel'" in message


def test_float_bounds_rejected(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (BAND_A, "konversi = [88.31, 100.00]"))
    assert "mutu A" in message
    assert "float tidak diizinkan" in message
    assert '"88.31"' in message


def test_integer_bounds_rejected(write_instrument: WriteInstrument) -> None:
    message = load_broken(write_instrument, (BAND_A, 'konversi = ["88.31", 100]'))
    assert "ditulis sebagai angka" in message


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        pytest.param(
            [('title = "Instrumen uji"\n', "")], "kolom wajib 'title' tidak ada", id="missing-title"
        ),
        pytest.param(
            [("version = 1", 'version = "1"')],
            "'version' harus berupa bilangan bulat",
            id="version-text",
        ),
        pytest.param(
            [("version = 1", "version = 0")], "'version' harus 1 atau lebih", id="version-zero"
        ),
        pytest.param(
            [('key = "kecil"', 'key = "Kecil Sekali"')], "hanya boleh huruf kecil", id="bad-key"
        ),
        pytest.param(
            [('letters = ["a", "b", "c", "d"]', 'letters = ["a", "b", "c"]')],
            "'letters' harus berisi 4 huruf",
            id="letters-count",
        ),
        pytest.param(
            [('name = "Alpha"', 'name = "Alpha"\nbobot = 1')],
            "unsur ke-1: kunci tidak dikenal 'bobot'",
            id="unknown-unsur-field",
        ),
        pytest.param(
            [(UNSUR_BETA, 'key = "beta"\ncode = "U1"')],
            "kode unsur ganda 'U1'",
            id="duplicate-code",
        ),
        pytest.param(
            [(UNSUR_BETA, 'key = "beta"\ncode = "U3"')],
            "unsur ke-2 ('beta') berkode 'U3', seharusnya 'U2'",
            id="codes-not-consecutive",
        ),
        pytest.param(
            [("number = 2", "number = 1")],
            "nomor pertanyaan ganda: 1",
            id="duplicate-question-number",
        ),
        pytest.param(
            [("number = 2", "number = 3")],
            "nomor pertanyaan harus 1 sampai 2",
            id="question-number-gap",
        ),
        pytest.param(
            [(QUESTION_ALPHA, 'unsur = "beta"')],
            "unsur 'beta' ditanyakan oleh lebih dari satu pertanyaan (1 dan 2)",
            id="unsur-asked-twice",
        ),
        pytest.param(
            [(LABEL_2, LABEL_2 + '5 = "Luar biasa"\n')],
            "pertanyaan 2 memiliki label untuk nilai 5 di luar skala 1–4",
            id="label-outside-scale",
        ),
        pytest.param(
            [(LABEL_2, '2 = ""\n')],
            "pertanyaan 2: label untuk nilai 2 harus berupa teks",
            id="empty-label",
        ),
        pytest.param(
            [(LABEL_2, '2 = "Sesuai"\n')],
            "pertanyaan 2: label 'Sesuai' dipakai untuk lebih dari satu nilai",
            id="repeated-label",
        ),
        pytest.param(
            [(BAND_D, 'konversi = ["30.00", "64.99"]')],
            "mutu terendah (D) harus mulai dari 25,00",
            id="lowest-not-25",
        ),
        pytest.param(
            [(BAND_A, 'konversi = ["88.31", "99.99"]')],
            "mutu tertinggi (A) harus berakhir di 100,00",
            id="highest-not-100",
        ),
        pytest.param(
            [(BAND_C, 'konversi = ["76.60", "65.00"]')],
            "batas bawah konversi 76,60 lebih besar dari batas atas 65,00",
            id="band-reversed",
        ),
        pytest.param(
            [(BAND_C, 'konversi = ["65", "76.60"]')],
            'tulis seperti "88.31"',
            id="bound-one-decimal-missing",
        ),
        pytest.param([('mutu = "C"', 'mutu = "D"')], "mutu ganda 'D'", id="duplicate-mutu"),
        pytest.param(
            [('{ key = "smp", label = "SMP" }', '{ key = "sd", label = "SMP" }')],
            "profil 'pendidikan': kunci pilihan ganda 'sd'",
            id="duplicate-option-key",
        ),
        pytest.param(
            [('key = "usia"', 'key = "pendidikan"')],
            "kunci profil ganda 'pendidikan'",
            id="duplicate-profile-key",
        ),
        pytest.param(
            [("minimum = 40, maximum = 100", "minimum = 41, maximum = 100")],
            "profil 'usia': ada celah antara kelompok '15–39' (s.d. 39) dan '40–100' (mulai 41)",
            id="usia-band-gap",
        ),
        pytest.param(
            [("minimum = 40, maximum = 100", "minimum = 39, maximum = 100")],
            "profil 'usia': kelompok '15–39' (15–39) tumpang tindih",
            id="usia-band-overlap",
        ),
        pytest.param(
            [("minimum = 15, maximum = 39", "minimum = 17, maximum = 39")],
            "kelompok pertama ('15–39') harus mulai dari 15",
            id="usia-band-start",
        ),
        pytest.param(
            [('kind = "integer"', 'kind = "angka"')],
            "'kind' harus \"choice\" atau",
            id="unknown-kind",
        ),
        pytest.param([("[scale]", "[skala]")], "kunci tidak dikenal 'skala'", id="misspelt-table"),
    ],
)
def test_other_rules(
    write_instrument: WriteInstrument, replacements: list[tuple[str, str]], expected: str
) -> None:
    message = load_broken(write_instrument, *replacements)
    assert expected in message


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text('key = "tanpa penutup\n', encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^rusak\.toml: bukan TOML yang sah"):
        load_instrument(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match=r"^tidak-ada\.toml: berkas tidak dapat dibaca"):
        load_instrument(tmp_path / "tidak-ada.toml")


def test_key_defaults_to_file_name(write_instrument: WriteInstrument) -> None:
    path = write_instrument(('key = "kecil"\n', ""), name="varian-lokal.toml")
    assert load_instrument(path).key == "varian-lokal"
