"""The Permenpan RB 14/2017 instrument against the reference tables (skm-method.md)."""

from __future__ import annotations

import pytest

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument, load_instrument
from questionnaires.registry import PACKAGE_DIR

# Copied from shared/reference/skm-method.md, "The nine unsur and the standard
# questionnaire": (U, key, official name, question number, labels 1..4).
REFERENCE = [
    ("U1", "persyaratan", "Persyaratan", 1,
     ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U2", "prosedur", "Sistem, Mekanisme, dan Prosedur", 2,
     ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    ("U3", "waktu", "Waktu Penyelesaian", 3,
     ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    ("U4", "biaya", "Biaya/Tarif", 4,
     ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    ("U5", "produk", "Produk Spesifikasi Jenis Pelayanan", 5,
     ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    ("U6", "kompetensi", "Kompetensi Pelaksana", 6,
     ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    ("U7", "perilaku", "Perilaku Pelaksana", 7,
     ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
      "Sangat sopan dan ramah")),
    ("U8", "pengaduan", "Penanganan Pengaduan, Saran dan Masukan", 9,
     ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
      "Dikelola dengan baik")),
    ("U9", "sarana", "Sarana dan Prasarana", 8,
     ("Buruk", "Cukup", "Baik", "Sangat baik")),
]  # fmt: skip


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_instrument(PACKAGE_DIR / "permenpan-14-2017.toml")


def test_identity(instrument: Instrument) -> None:
    assert instrument.key == DEFAULT_INSTRUMENT_KEY == "permenpan-14-2017"
    assert instrument.version == 1
    assert "Nomor 14 Tahun 2017" in instrument.title
    assert "Survei Kepuasan Masyarakat" in instrument.title
    assert (instrument.scale_min, instrument.scale_max) == (1, 4)


def test_nine_unsur_in_report_order_with_official_names(instrument: Instrument) -> None:
    assert instrument.n_unsur == 9
    got = [(u.code, u.key, u.name, u.position) for u in instrument.unsur]
    expected = [(code, key, name, i) for i, (code, key, name, _, _) in enumerate(REFERENCE)]
    assert got == expected


def test_questionnaire_order_asks_sarana_8_and_pengaduan_9(instrument: Instrument) -> None:
    assert [q.number for q in instrument.questions] == list(range(1, 10))
    assert instrument.questions[7].unsur_key == "sarana"
    assert instrument.questions[8].unsur_key == "pengaduan"
    for _, key, _, number, _ in REFERENCE:
        assert instrument.question_for(key).number == number


@pytest.mark.parametrize(("code", "key", "labels"), [(r[0], r[1], r[4]) for r in REFERENCE])
def test_labels_match_reference(
    instrument: Instrument, code: str, key: str, labels: tuple[str, ...]
) -> None:
    question = instrument.question_for(key)
    assert tuple(o.label for o in question.options) == labels
    assert [o.value for o in question.options] == [1, 2, 3, 4]
    assert [o.letter for o in question.options] == ["a", "b", "c", "d"]
    assert instrument.unsur_by_code(code).key == key


def test_every_question_starts_with_the_annex_phrase(instrument: Instrument) -> None:
    for question in instrument.questions:
        assert question.text.startswith("Bagaimana pendapat Saudara tentang ")
        assert question.text.endswith("?")


@pytest.mark.parametrize(
    ("centi", "mutu", "kinerja"),
    [
        (10000, "A", "Sangat Baik"),
        (8831, "A", "Sangat Baik"),
        (8830, "B", "Baik"),
        (7661, "B", "Baik"),
        (7660, "C", "Kurang Baik"),
        (6500, "C", "Kurang Baik"),
        (6499, "D", "Tidak Baik"),
        (2500, "D", "Tidak Baik"),
    ],
)
def test_grade_scale_boundaries(
    instrument: Instrument, centi: int, mutu: str, kinerja: str
) -> None:
    grade = instrument.grade_scale.grade_for_centi(centi)
    assert (grade.mutu, grade.kinerja) == (mutu, kinerja)


def test_grade_rows_as_printed(instrument: Instrument) -> None:
    rows = [
        (
            r.persepsi,
            r.ni_lower,
            r.ni_upper,
            r.konversi_lower_centi,
            r.konversi_upper_centi,
            r.mutu,
            r.kinerja,
        )
        for r in instrument.grade_rows
    ]
    assert rows == [
        (1, "1.00", "2.5996", 2500, 6499, "D", "Tidak Baik"),
        (2, "2.60", "3.064", 6500, 7660, "C", "Kurang Baik"),
        (3, "3.0644", "3.532", 7661, 8830, "B", "Baik"),
        (4, "3.5324", "4.00", 8831, 10000, "A", "Sangat Baik"),
    ]  # fmt: skip


def test_profile_fields(instrument: Instrument) -> None:
    assert [f.key for f in instrument.profile] == [
        "jenis_kelamin", "usia", "pendidikan", "pekerjaan"
    ]  # fmt: skip
    jenis_kelamin = instrument.profile_field("jenis_kelamin")
    assert jenis_kelamin is not None
    assert [(o.key, o.label) for o in jenis_kelamin.options] == [
        ("L", "Laki-laki"), ("P", "Perempuan")
    ]  # fmt: skip
    pendidikan = instrument.profile_field("pendidikan")
    assert pendidikan is not None
    assert [o.label for o in pendidikan.options] == [
        "SD ke bawah", "SMP", "SMA", "D1–D3", "D4/S1", "S2", "S3"
    ]  # fmt: skip
    pekerjaan = instrument.profile_field("pekerjaan")
    assert pekerjaan is not None
    assert [o.label for o in pekerjaan.options] == [
        "PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya"
    ]  # fmt: skip


def test_usia_bands_cover_the_range(instrument: Instrument) -> None:
    usia = instrument.profile_field("usia")
    assert usia is not None
    assert usia.kind == "integer"
    assert (usia.minimum, usia.maximum) == (15, 100)
    assert [b.label for b in usia.bands] == ["< 20", "20–29", "30–39", "40–49", "50–59", "≥ 60"]
    assert usia.minimum is not None and usia.maximum is not None
    for age in range(usia.minimum, usia.maximum + 1):
        assert usia.band_for(age) is not None
    band_19, band_20, band_60 = usia.band_for(19), usia.band_for(20), usia.band_for(60)
    assert band_19 is not None and band_19.label == "< 20"
    assert band_20 is not None and band_20.label == "20–29"
    assert band_60 is not None and band_60.label == "≥ 60"
    assert usia.band_for(14) is None


def test_registry_serves_it_as_default() -> None:
    assert get_instrument(DEFAULT_INSTRUMENT_KEY).key == "permenpan-14-2017"
