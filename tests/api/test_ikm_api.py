"""GET /api/v1/ikm: the scoring of ``skm score --json``, per unit and periode, with the sample.

Expected values are computed here from the answers with exact fractions
(tests/storage/helpers.py), not by the code under test.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from fractions import Fraction

import pytest

from questionnaires import get_instrument
from skm import database
from skm.models import SurveyResponse, answer_column_name
from tests.api.conftest import bearer
from tests.support.reference import reference_konversi

INSTRUMENT = get_instrument("permenpan-14-2017")

# Answers in report order U1..U9.
T1_UNIT = [
    [4, 4, 3, 3, 4, 3, 4, 2, 3],
    [3, 3, 3, 4, 3, 3, 4, 3, 3],
    [2, 3, 2, 4, 3, 3, 3, 1, 2],
]
T1_KELURAHAN = [[1, 2, 2, 1, 2, 2, 2, 1, 1]]
T2_UNIT = [
    [2, 3, 3, 2, 3, 3, 3, 2, 2],
    [3, 3, 4, 3, 3, 4, 4, 3, 3],
    # 23:30 UTC on 31 March is 06:30 on 1 April in Jakarta: triwulan II.
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
]
EXCLUDED = [[1, 1, 1, 1, 1, 1, 1, 1, 1]]
OTHER_UNIT = [[1, 1, 1, 1, 1, 1, 1, 1, 1]]


def _add(session, unit_id, rows, when, excluded=False, layanan_id=None) -> None:
    for answers in rows:
        values = {answer_column_name(i): value for i, value in enumerate(answers)}
        session.add(
            SurveyResponse(
                uuid=uuid.uuid4(), unit_id=unit_id, layanan_id=layanan_id,
                instrument_key=INSTRUMENT.key, instrument_version=INSTRUMENT.version,
                submitted_at=when, channel="kiosk", excluded=excluded, **values,
            )
        )  # fmt: skip


@pytest.fixture
def scored(app, api_place):
    with app.app_context():
        session = database.session()
        feb = datetime(2025, 2, 10, 3, 0, tzinfo=UTC)
        _add(session, api_place.unit.id, T1_UNIT[:2], feb, layanan_id=api_place.ktp.id)
        _add(session, api_place.unit.id, T1_UNIT[2:], feb)
        _add(session, api_place.kelurahan.id, T1_KELURAHAN, feb)
        _add(session, api_place.unit.id, EXCLUDED, feb, excluded=True)
        _add(session, api_place.other.id, OTHER_UNIT, feb)
        _add(session, api_place.unit.id, T2_UNIT[:2], datetime(2025, 5, 5, 2, 0, tzinfo=UTC))
        _add(session, api_place.unit.id, T2_UNIT[2:], datetime(2025, 3, 31, 23, 30, tzinfo=UTC))
        session.commit()
    return api_place


def _get(client, token, **params):
    return client.get("/api/v1/ikm", query_string=params, headers=bearer(token))


@pytest.mark.parametrize(
    ("periode", "rows"),
    [
        ("2025-T1", T1_UNIT + T1_KELURAHAN),
        ("2025-T2", T2_UNIT),
        ("2025-S1", T1_UNIT + T1_KELURAHAN + T2_UNIT),
        ("2025", T1_UNIT + T1_KELURAHAN + T2_UNIT),
    ],
)
def test_ikm_of_a_unit_with_its_sub_units(client, scored, periode, rows) -> None:
    response = _get(client, scored.token, unit="kecamatan-sukamaju", periode=periode)
    assert response.status_code == 200
    data = response.get_json()
    konversi, mutu = reference_konversi(rows)
    assert data["respondents"] == len(rows)
    assert Fraction(str(data["konversi"])) == konversi
    assert data["mutu"] == mutu
    assert data["ikm"] == pytest.approx(float(konversi / 25), abs=0.0002)
    # The shape of `skm score --json`, unsur in report order.
    assert [u["code"] for u in data["unsur"]] == [f"U{i}" for i in range(1, 10)]
    u8 = data["unsur"][7]
    assert u8["key"] == "pengaduan"
    assert (u8["sum"], u8["count"]) == (sum(r[7] for r in rows), len(rows))
    assert u8["nrr"] == pytest.approx(sum(r[7] for r in rows) / len(rows))
    assert data["periode"]["code"] == periode
    assert data["unit"] == {
        "slug": "kecamatan-sukamaju", "name": "Kecamatan Sukamaju", "kind": "kecamatan",
    }  # fmt: skip
    assert data["include_subunits"] is True


def test_without_sub_units_and_per_layanan(client, scored) -> None:
    alone = _get(client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1", subunit="0")
    assert alone.get_json()["respondents"] == len(T1_UNIT)
    assert Fraction(str(alone.get_json()["konversi"])) == reference_konversi(T1_UNIT)[0]
    ktp = _get(
        client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1", layanan=scored.ktp.id
    ).get_json()
    assert ktp["respondents"] == 2 and ktp["layanan"]["name"] == "Rekomendasi KTP"
    assert Fraction(str(ktp["konversi"])) == reference_konversi(T1_UNIT[:2])[0]


def test_a_token_sees_its_sub_unit_but_not_its_parent(client, scored) -> None:
    own = _get(client, scored.kelurahan_token, unit="kelurahan-mekarsari", periode="2025-T1")
    assert own.status_code == 200 and own.get_json()["respondents"] == 1
    parent = _get(client, scored.kelurahan_token, unit="kecamatan-sukamaju", periode="2025-T1")
    assert parent.status_code == 404
    assert parent.get_json()["message"] == (
        "Unit 'kecamatan-sukamaju' tidak ditemukan dalam cakupan token ini."
    )
    other = _get(client, scored.token, unit="kecamatan-lain", periode="2025-T1")
    assert other.status_code == 404


def test_the_sample_is_unknown_without_a_population(client, scored) -> None:
    data = _get(client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1").get_json()
    assert data["sample"] == {
        "population": None,
        "minimum": None,
        "collected": 4,
        "sufficient": None,
        "label": None,
        "note": "Populasi periode ini belum dicatat; kecukupan sampel belum dapat dinilai.",
    }


def test_the_sample_against_a_given_population(client, scored) -> None:
    # Krejcie & Morgan, Table 1: N = 20 needs s = 19.
    data = _get(
        client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1", populasi="20"
    ).get_json()
    assert data["sample"] == {
        "population": 20, "minimum": 19, "collected": 4,
        "sufficient": False, "label": "Belum Sesuai", "note": None,
    }  # fmt: skip
    understated = _get(
        client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1", populasi="3"
    ).get_json()["sample"]
    assert understated["sufficient"] is None
    assert "melebihi populasi" in understated["note"]


def test_the_sample_against_the_population_staff_entered(app, client, scored) -> None:
    models = pytest.importorskip("skm.models.staff")
    with app.app_context():
        session = database.session()
        session.add(models.Population(unit_id=scored.unit.id, periode_code="2025-T1", population=4))
        session.commit()
    data = _get(client, scored.token, unit="kecamatan-sukamaju", periode="2025-T1").get_json()
    assert data["sample"]["population"] == 4
    assert data["sample"]["minimum"] == 4  # Krejcie & Morgan: N = 4 needs all 4
    assert data["sample"]["label"] == "Sesuai"


def test_a_periode_without_responses_has_the_same_shape_with_nulls(client, scored) -> None:
    response = _get(client, scored.token, unit="kecamatan-sukamaju", periode="2024-T3")
    assert response.status_code == 200
    data = response.get_json()
    assert data["respondents"] == 0
    assert (data["ikm"], data["konversi"], data["mutu"], data["kinerja"]) == (None,) * 4
    assert [(u["count"], u["nrr"]) for u in data["unsur"]] == [(0, None)] * 9
    assert data["periode"]["label"] == "Triwulan III 2024"


UNIT = {"unit": "kecamatan-sukamaju"}


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"periode": "2025-T1"}, "unit", "wajib diisi"),
        (UNIT, "periode", "wajib diisi"),
        (UNIT | {"periode": "2025-T5"}, "periode", "Triwulan harus 1 sampai 4"),
        (UNIT | {"periode": "TW1"}, "periode", "tidak dikenal"),
        (UNIT | {"periode": "2025", "subunit": "mungkin"}, "subunit", "1 (ya)"),
        (UNIT | {"periode": "2025", "populasi": "-5"}, "populasi", "bulat"),
        (UNIT | {"periode": "2025", "layanan": "x"}, "layanan", "tidak dikenal"),
    ],
)
def test_bad_parameters_are_422_in_indonesian(client, scored, params, field, words) -> None:
    response = _get(client, scored.token, **params)
    assert response.status_code == 422
    assert words in response.get_json()["errors"][field]


def test_unknown_unit_is_404(client, scored) -> None:
    response = _get(client, scored.token, unit="kecamatan-entah", periode="2025")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not-found"


def test_no_token_no_ikm(client, scored) -> None:
    response = client.get("/api/v1/ikm?unit=kecamatan-sukamaju&periode=2025")
    assert response.status_code == 401
