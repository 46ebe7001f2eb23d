"""Public results never reveal one citizen's answers: no score below 5 respondents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.periode import periode_of
from skm.responses import ResponseInput, store_response
from skm.units import create_unit

INSTRUMENT = get_instrument(DEFAULT_INSTRUMENT_KEY)


def add_responses(app: Flask, slug_name: str, count: int, when: datetime, answer: int) -> str:
    with app.app_context():
        session = database.session()
        unit = create_unit(session, slug_name, "kelurahan")
        for _ in range(count):
            store_response(
                session,
                ResponseInput(uuid.uuid4(), unit.id, None,
                              {u.key: answer for u in INSTRUMENT.unsur}, when, "web"),
                INSTRUMENT,
            )  # fmt: skip
        session.commit()
        return unit.slug


def now_in_live_triwulan(app: Flask) -> datetime:
    with app.app_context():
        tz = office_timezone()
        periode = periode_of(datetime.now(tz), "triwulan", tz)
    return max(periode.utc_bounds(tz)[0], datetime.now(UTC) - timedelta(minutes=5))


@pytest.mark.parametrize("count", [1, 4])
def test_too_few_respondents_show_no_score(app, client, count) -> None:
    slug = add_responses(app, "Kelurahan Sepi", count, now_in_live_triwulan(app), answer=1)
    page = client.get(f"/hasil/{slug}").get_data(as_text=True)
    assert f"Baru {count} responden" in page
    assert "sedikitnya 5 responden" in page
    assert "Nilai per unsur pelayanan" not in page
    # Every answer is 1: NRR 1,000 and konversi 25,00 would be that citizen's answers.
    assert "1,000" not in page and "25,00" not in page
    assert "belum ditampilkan" in page  # the trend row of the live triwulan too


def test_five_respondents_show_the_scores(app, client) -> None:
    slug = add_responses(app, "Kelurahan Ramai", 5, now_in_live_triwulan(app), answer=1)
    page = client.get(f"/hasil/{slug}").get_data(as_text=True)
    assert "Nilai per unsur pelayanan" in page
    assert "1,000" in page and "25,00" in page
    assert "belum ditampilkan" not in page


def test_the_threshold_is_a_setting(app, client) -> None:
    app.config["SKM_PUBLIC_MIN_RESPONDENTS"] = 10
    slug = add_responses(app, "Kelurahan Sedang", 7, now_in_live_triwulan(app), answer=2)
    page = client.get(f"/hasil/{slug}").get_data(as_text=True)
    assert "sedikitnya 10 responden" in page and "Nilai per unsur pelayanan" not in page


def test_the_threshold_can_come_from_the_environment(tmp_path, monkeypatch) -> None:
    from skm.config import load_settings

    monkeypatch.setenv("SKM_PUBLIC_MIN_RESPONDENTS", "8")
    assert load_settings(tmp_path)["SKM_PUBLIC_MIN_RESPONDENTS"] == 8
