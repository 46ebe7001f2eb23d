"""Scoring from database aggregates, checked against hand-computed values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from questionnaires import get_instrument
from skm.ikm import Scope, score, score_by, score_periodes
from skm.models import Unit
from skm.periode import Periode
from skm.responses import ResponseInput, store_response
from skm.units import add_layanan, create_unit
from tests.support.reference import reference_konversi

JAKARTA = ZoneInfo("Asia/Jakarta")
T2 = Periode.triwulan(2026, 2)
MAY = datetime(2026, 5, 12, 3, 0, tzinfo=UTC)

R1 = [4, 4, 4, 4, 4, 4, 4, 4, 4]
R2 = [3, 3, 3, 3, 3, 3, 3, 3, 3]
R3 = [4, 3, 2, 1, 4, 3, 2, 1, None]  # U9 (sarana) left blank
R4 = [2, 2, 2, 2, 2, 2, 2, 2, 2]
R5_EXCLUDED = [1, 1, 1, 1, 1, 1, 1, 1, 1]


@pytest.fixture
def instrument():
    return get_instrument("permenpan-14-2017")


@pytest.fixture
def office(session: Session, instrument):
    """Kecamatan K with kelurahan A and B; four counted responses, one excluded."""
    k = create_unit(session, "Kecamatan K", "kecamatan")
    a = create_unit(session, "Kelurahan A", "kelurahan", k)
    b = create_unit(session, "Kelurahan B", "kelurahan", k)
    (ktp,) = add_layanan(session, k, ["KTP"])
    (dom_a,) = add_layanan(session, a, ["Domisili"])
    (dom_b,) = add_layanan(session, b, ["Domisili"])
    session.commit()

    def add(unit: Unit, layanan_id: int, answers, when=MAY):
        by_key = {u.key: answers[u.position] for u in instrument.unsur}
        response, created = store_response(
            session,
            ResponseInput(uuid.uuid4(), unit.id, layanan_id, by_key, when, "kiosk"),
            instrument,
        )
        assert created
        return response

    add(a, dom_a.id, R1)
    add(a, dom_a.id, R2)
    add(b, dom_b.id, R3)
    add(k, ktp.id, R4)
    excluded = add(a, dom_a.id, R5_EXCLUDED)
    excluded.excluded = True
    session.commit()
    return {"k": k, "a": a, "b": b, "ktp": ktp, "dom_a": dom_a, "dom_b": dom_b}


def test_whole_kecamatan_rolls_up_its_kelurahan(session, instrument, office) -> None:
    result = score(session, instrument, T2, JAKARTA, Scope(unit=office["k"]))
    assert result is not None
    # By hand: NRR = 13/4, 12/4, 11/4, 10/4, 13/4, 12/4, 11/4, 10/4 and 9/3 (one blank);
    # Σ NRR = 26, IKM = 26/9, konversi = 650/9 = 72,22 -> C.
    assert result.respondents == 4
    assert [s.count for s in result.unsur] == [4] * 8 + [3]
    assert [s.sum for s in result.unsur] == [13, 12, 11, 10, 13, 12, 11, 10, 9]
    assert result.ikm == pytest.approx(26 / 9, abs=1e-12)
    assert result.konversi == 72.22
    assert (result.mutu, result.kinerja) == ("C", "Kurang Baik")
    assert reference_konversi([R1, R2, R3, R4]) == (Fraction(7222, 100), "C")


def test_unit_without_subunits(session, instrument, office) -> None:
    scope = Scope(unit=office["k"], include_subunits=False)
    only_k = score(session, instrument, T2, JAKARTA, scope)
    assert only_k is not None
    assert (only_k.respondents, only_k.konversi, only_k.mutu) == (1, 50.0, "D")
    kelurahan_a = score(session, instrument, T2, JAKARTA, Scope(unit=office["a"]))
    assert kelurahan_a is not None
    # R1 and R2: every NRR is 7/2, konversi 87,50 -> B.
    assert (kelurahan_a.respondents, kelurahan_a.konversi, kelurahan_a.mutu) == (2, 87.5, "B")


def test_excluded_responses_count_only_when_asked(session, instrument, office) -> None:
    scope = Scope(unit=office["a"], include_excluded=True)
    result = score(session, instrument, T2, JAKARTA, scope)
    assert result is not None
    expected, mutu = reference_konversi([R1, R2, R5_EXCLUDED])
    assert result.respondents == 3
    assert Fraction(result.konversi_centi, 100) == expected
    assert result.mutu == mutu


def test_score_by_unit_and_layanan_match_single_scores(session, instrument, office) -> None:
    by_unit = score_by(session, instrument, T2, JAKARTA, "unit", Scope(unit=office["k"]))
    assert set(by_unit.keys) == {office["k"].id, office["a"].id, office["b"].id}
    for unit_key in ("k", "a"):
        single = score(
            session, instrument, T2, JAKARTA, Scope(unit=office[unit_key], include_subunits=False)
        )
        grouped = by_unit.result(office[unit_key].id)
        assert grouped is not None and single is not None
        assert grouped.konversi_centi == single.konversi_centi
        assert grouped.unsur == single.unsur
    # Kelurahan B's only respondent skipped sarana: no NRR for U9, so no IKM.
    assert by_unit.result(office["b"].id) is None
    assert by_unit.respondents[by_unit.keys.index(office["b"].id)] == 1

    by_layanan = score_by(session, instrument, T2, JAKARTA, "layanan")
    ktp = by_layanan.result(office["ktp"].id)
    assert ktp is not None and ktp.konversi == 50.0


def test_response_at_2330_utc_on_31_march_counts_in_triwulan_ii(session, instrument) -> None:
    unit = create_unit(session, "Kelurahan Z", "kelurahan")
    session.commit()
    by_key = {u.key: 4 for u in instrument.unsur}
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    store_response(
        session, ResponseInput(uuid.uuid4(), unit.id, None, by_key, late, "web"), instrument
    )
    scope = Scope(unit=unit)
    assert score(session, instrument, Periode.triwulan(2026, 1), JAKARTA, scope) is None
    in_t2 = score(session, instrument, T2, JAKARTA, scope)
    assert in_t2 is not None and in_t2.respondents == 1
    # In UTC the same instant is still March.
    in_t1_utc = score(session, instrument, Periode.triwulan(2026, 1), ZoneInfo("UTC"), scope)
    assert in_t1_utc is not None and in_t1_utc.respondents == 1


def test_score_periodes_gives_a_trend_in_one_query(session, instrument, office) -> None:
    march = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)
    by_key = {u.key: 4 for u in instrument.unsur}
    store_response(
        session,
        ResponseInput(uuid.uuid4(), office["k"].id, office["ktp"].id, by_key, march, "paper"),
        instrument,
    )
    trend = score_periodes(session, instrument, T2.history(3), JAKARTA, Scope(unit=office["k"]))
    assert trend.keys == ("2026-T1", "2026-T2")  # 2025-T4 has no responses
    t1 = trend.result("2026-T1")
    t2 = trend.result("2026-T2")
    assert t1 is not None and t2 is not None
    assert (t1.respondents, t1.konversi, t1.mutu) == (1, 100.0, "A")
    assert t2.konversi == 72.22


def test_another_instrument_is_scored_separately(session, instrument, office) -> None:
    old = get_instrument("kepmenpan-25-2004")
    by_key = {u.key: 3 for u in old.unsur}
    store_response(
        session,
        ResponseInput(uuid.uuid4(), office["k"].id, office["ktp"].id, by_key, MAY, "import"),
        old,
    )
    current = score(session, instrument, T2, JAKARTA, Scope(unit=office["k"]))
    historical = score(session, old, T2, JAKARTA, Scope(unit=office["k"]))
    assert current is not None and current.respondents == 4
    assert historical is not None and historical.respondents == 1
    # All answers 3 under 25/2004: konversi 75,00, which its bands grade B (62,51–81,25).
    assert (historical.konversi, historical.mutu, len(historical.unsur)) == (75.0, "B", 14)
