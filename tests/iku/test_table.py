"""The IKU realisation table: the IKM from the survey, entered indicators of both
polarities, against values computed by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from questionnaires import get_instrument
from skm.models import Unit, answer_column_name
from skm.responses import bulk_insert
from skm.results.capaian import PredikatStep
from skm.results.indicators import IkuError, IndicatorData, save_indicator, set_predikat_scale
from skm.results.realisasi import (
    TAHUNAN,
    RealisasiInput,
    ikm_target,
    iku_table,
    save_realisasi,
)
from skm.units import create_unit
from tests.support.reference import reference_konversi

JAKARTA = ZoneInfo("Asia/Jakarta")
INSTRUMENT = get_instrument("permenpan-14-2017")
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)

# Answers U1..U9 (report order; U8 pengaduan, U9 sarana), None = blank.
TRIWULAN_I = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [3, 4, 3, 4, 3, 4, 3, 4, 3],
]
TRIWULAN_II = [
    [3, 3, 3, 3, 3, 3, 3, 3, None],
    [4, 4, 3, 3, 4, 4, 3, 3, 4],
]


def add_responses(session: Session, unit: Unit, rows, when: datetime, instrument=INSTRUMENT):
    values = []
    for answers in rows:
        row = {
            "uuid": uuid.uuid4(), "unit_id": unit.id, "layanan_id": None,
            "instrument_key": instrument.key, "instrument_version": instrument.version,
            "submitted_at": when, "received_at": when, "channel": "kiosk", "excluded": False,
        }  # fmt: skip
        for position, value in enumerate(answers):
            row[answer_column_name(position)] = value
        values.append(row)
    bulk_insert(session, values)


def indicator(session, unit, code, method, polarity="higher", targets=None, **extra):
    return save_indicator(
        session, unit,
        IndicatorData(code=code, sasaran="Meningkatnya kinerja", name=f"Indikator {code}",
                      satuan="Nilai", method=method, polarity=polarity,
                      targets={y: Decimal(v) for y, v in (targets or {}).items()}, **extra),
    )  # fmt: skip


@pytest.fixture
def kecamatan(session: Session) -> Unit:
    unit = create_unit(session, "Kecamatan Bantargebah", "kecamatan")
    session.commit()
    return unit


def table(session, unit, year, triwulan=None):
    return {row.code: row for row in iku_table(session, unit, year, triwulan=triwulan,
                                                tz=JAKARTA, today=NOW)}  # fmt: skip


def test_the_ikm_indicator_takes_the_survey_konversi_and_its_capaian(session, kecamatan) -> None:
    indicator(session, kecamatan, "ikm", "ikm", targets={2025: "84"})
    add_responses(session, kecamatan, TRIWULAN_I, datetime(2025, 2, 10, 3, tzinfo=UTC))
    add_responses(session, kecamatan, TRIWULAN_II, datetime(2025, 5, 12, 3, tzinfo=UTC))
    session.commit()

    # Triwulan I by hand: NRR 10/3 (U1, U3, U5, U7, U9) and 11/3 (U2, U4, U6, U8);
    # IKM = (5·10 + 4·11) / 27 = 94/27, konversi = 2350/27 = 87,037... -> 87,04.
    assert reference_konversi(TRIWULAN_I) == (Fraction(8704, 100), "B")
    row = table(session, kecamatan, 2025, triwulan=1)["ikm"]
    assert row.realisasi == Decimal("87.04")
    assert row.respondents == 3
    # Capaian against the year's target: 87,04 / 84 x 100 = 103,619... -> 103,62 %.
    assert Fraction(8704, 8400) * 100 == Fraction(217600, 2100)
    assert row.capaian == Decimal("103.62")
    assert row.predikat == "Sangat Tinggi"

    # The year scores all five respondents together (not the mean of the quarters):
    # NRR 17/5, 18/5, 16/5, 17/5, 17/5, 18/5, 16/5, 17/5 and 7/2 (sarana: one blank);
    # Σ = 136/5 + 7/2 = 307/10, konversi = 307/90 x 25 = 85,277... -> 85,28.
    assert reference_konversi(TRIWULAN_I + TRIWULAN_II) == (Fraction(8528, 100), "B")
    year = table(session, kecamatan, 2025)["ikm"]
    assert (year.target, year.realisasi, year.respondents) == (Decimal("84"), Decimal("85.28"), 5)
    assert year.capaian == Decimal("101.52")  # 85,28 / 84 = 1,015238...
    assert year.realisasi_note == "Survei: 5 responden."


def test_entered_indicators_of_both_polarities(session, kecamatan) -> None:
    akip = indicator(session, kecamatan, "nilai-akip", "value", targets={2025: "74.25"})
    zones = indicator(session, kecamatan, "wilayah-tertib", "ratio", targets={2025: "40"})
    days = indicator(session, kecamatan, "waktu-izin", "value", "lower", targets={2025: "4"})
    drop = indicator(session, kecamatan, "pelanggaran", "change", "lower", targets={2025: "-10"})
    save_realisasi(session, akip, 2025, TAHUNAN, RealisasiInput(value=Decimal("73.96")), None)
    zones_input = RealisasiInput(numerator=Decimal(18), denominator=Decimal(42))
    save_realisasi(session, zones, 2025, TAHUNAN, zones_input, None)
    save_realisasi(session, days, 2025, TAHUNAN, RealisasiInput(value=Decimal(3)), None)
    drop_input = RealisasiInput(current_count=Decimal(40), previous_count=Decimal(50))
    save_realisasi(session, drop, 2025, TAHUNAN, drop_input, None)
    session.commit()
    rows = table(session, kecamatan, 2025)

    # Higher is better: 73,96 / 74,25 x 100 = 99,609... -> 99,61 %.
    assert (rows["nilai-akip"].realisasi, rows["nilai-akip"].capaian) == (
        Decimal("73.96"), Decimal("99.61"))  # fmt: skip
    # Ratio: 18 / 42 x 100 = 42,857... printed 42,86; capaian from the printed value:
    # 42,86 / 40 x 100 = 107,15 %.
    assert (rows["wilayah-tertib"].realisasi, rows["wilayah-tertib"].capaian) == (
        Decimal("42.86"), Decimal("107.15"))  # fmt: skip
    # Lower is better: (2 − 3/4) x 100 = 125 %.
    assert rows["waktu-izin"].capaian == Decimal("125.00")
    assert rows["waktu-izin"].predikat == "Sangat Tinggi"
    # Change (40 − 50) / 40 x 100 = −25 %, against a planned −10 %: 250 %.
    assert (rows["pelanggaran"].realisasi, rows["pelanggaran"].capaian) == (
        Decimal("-25.00"), Decimal("250.00"))  # fmt: skip


def test_a_year_without_its_annual_figure_shows_the_latest_triwulan(session, kecamatan) -> None:
    zones = indicator(session, kecamatan, "wilayah-tertib", "ratio", targets={2026: "60"})
    for triwulan, done in ((1, 9), (2, 16), (3, 24)):
        inputs = RealisasiInput(numerator=Decimal(done), denominator=Decimal(44))
        save_realisasi(session, zones, 2026, triwulan, inputs, None)
    session.commit()
    row = table(session, kecamatan, 2026)["wilayah-tertib"]
    # 24 / 44 x 100 = 54,5454... -> 54,55; 54,55 / 60 x 100 = 90,9166... -> 90,92 % (Tinggi: < 91).
    assert (row.realisasi, row.capaian, row.predikat) == (
        Decimal("54.55"),
        Decimal("90.92"),
        "Tinggi",
    )
    assert row.realisasi_note == "Sampai Triwulan III; realisasi tahunan belum diisi."
    second = table(session, kecamatan, 2026, triwulan=2)["wilayah-tertib"]
    assert second.realisasi == Decimal("36.36")  # 16/44


def test_missing_data_and_targets_are_said_not_guessed(session, kecamatan) -> None:
    indicator(session, kecamatan, "ikm", "ikm", targets={2025: "84"})
    indicator(session, kecamatan, "nilai-akip", "value")
    session.commit()
    rows = table(session, kecamatan, 2025)
    assert rows["ikm"].realisasi is None and rows["ikm"].capaian is None
    assert rows["ikm"].realisasi_note == "Belum ada data survei pada periode ini."
    assert rows["nilai-akip"].capaian_note == "Target tahun ini belum ditetapkan."
    assert rows["nilai-akip"].realisasi_note == "Belum diisi."


def test_the_ikm_target_must_be_on_the_konversi_scale(session, kecamatan) -> None:
    with pytest.raises(IkuError) as raised:
        indicator(session, kecamatan, "ikm", "ikm", targets={2025: "3.32"})
    message = raised.value.errors["target-2025"]
    assert "skala nilai konversi 25–100" in message and "menjadi 83 (x 25)" in message
    with pytest.raises(IkuError):
        indicator(session, kecamatan, "ikm", "ikm", targets={2025: "101"})
    session.rollback()
    indicator(session, kecamatan, "ikm", "ikm", targets={2025: "83.5"})
    with pytest.raises(IkuError, match="sudah punya indikator IKM"):
        indicator(session, kecamatan, "ikm-2", "ikm")
    with pytest.raises(IkuError, match="IKM makin tinggi makin baik"):
        indicator(session, kecamatan, "ikm-3", "ikm", "lower")


def test_ikm_target_for_the_dashboard(session, kecamatan) -> None:
    other = create_unit(session, "Kecamatan Lain", "kecamatan")
    indicator(session, kecamatan, "ikm", "ikm", targets={2024: "83", 2025: "83.5", 2026: "84"})
    indicator(session, kecamatan, "nilai-akip", "value", targets={2025: "74.25"})
    session.commit()
    assert [ikm_target(session, kecamatan, y) for y in (2023, 2024, 2025, 2026)] == [
        None, 83.0, 83.5, 84.0]  # fmt: skip
    assert ikm_target(session, other, 2025) is None


def test_the_ikm_can_leave_out_sub_units(session, kecamatan) -> None:
    kelurahan = create_unit(session, "Kelurahan Ciketing", "kelurahan", kecamatan)
    ikm = indicator(session, kecamatan, "ikm", "ikm", targets={2025: "84"})
    add_responses(session, kecamatan, [[4] * 9], datetime(2025, 3, 1, 3, tzinfo=UTC))
    add_responses(session, kelurahan, [[2] * 9], datetime(2025, 3, 1, 3, tzinfo=UTC))
    session.commit()
    assert table(session, kecamatan, 2025)["ikm"].realisasi == Decimal("75.00")  # (4+2)/2 x 25
    ikm.include_subunits = False
    session.commit()
    assert table(session, kecamatan, 2025)["ikm"].realisasi == Decimal("100.00")


def test_a_year_surveyed_under_the_old_instrument(session, kecamatan) -> None:
    old = get_instrument("kepmenpan-25-2004")
    indicator(session, kecamatan, "ikm", "ikm", targets={2015: "75"})
    add_responses(session, kecamatan, [[3] * 14, [3] * 14], datetime(2015, 6, 1, 3, tzinfo=UTC),
                  instrument=old)  # fmt: skip
    session.commit()
    row = table(session, kecamatan, 2015)["ikm"]
    assert (row.realisasi, row.capaian) == (Decimal("75.00"), Decimal("100.00"))
    assert row.realisasi_note == "Survei: 2 responden (Kepmenpan 25/2004)."


def test_a_unit_scale_applies_to_its_sub_units(session, kecamatan) -> None:
    kelurahan = create_unit(session, "Kelurahan Ciketing", "kelurahan", kecamatan)
    scale = [PredikatStep(Decimal("100"), "Tercapai"), PredikatStep(None, "Tidak tercapai")]
    set_predikat_scale(session, kecamatan, scale)
    akip = indicator(session, kelurahan, "nilai-akip", "value", targets={2025: "74.25"})
    save_realisasi(session, akip, 2025, TAHUNAN, RealisasiInput(value=Decimal("73.96")), None)
    session.commit()
    assert table(session, kelurahan, 2025)["nilai-akip"].predikat == "Tidak tercapai"
    set_predikat_scale(session, kecamatan, None)
    session.commit()
    assert table(session, kelurahan, 2025)["nilai-akip"].predikat == "Sangat Tinggi"
