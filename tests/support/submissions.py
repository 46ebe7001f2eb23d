"""Building survey submissions and reading what was stored, for kiosk, API and fuzz tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from questionnaires import get_instrument
from skm.models import SurveyResponse

INSTRUMENT = get_instrument("permenpan-14-2017")
#: Unsur keys in the order the questionnaire asks them (sarana before pengaduan).
ASKED = [question.unsur_key for question in sorted(INSTRUMENT.questions, key=lambda q: q.number)]


def answers(values: list[int] | None = None) -> dict[str, int]:
    """Answers by unsur key, given in questionnaire order (default 3, 4, 2, 3, ...)."""
    values = values or [3, 4, 2, 3, 4, 3, 4, 2, 3]
    return dict(zip(ASKED, values, strict=True))


def payload(layanan_id: int | None = None, **changes: Any) -> dict[str, Any]:
    """What survey.js sends for a survey that took two minutes and just ended."""
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "instrument": f"{INSTRUMENT.key}@{INSTRUMENT.version}",
        "layanan_id": layanan_id,
        "answers": answers(),
        "profile": {"jenis_kelamin": "P", "usia": 41, "pendidikan": "sma"},
        "saran": "Antrean pagi panjang.",
        "started_at": (now - timedelta(minutes=2)).isoformat(),
        "submitted_at": now.isoformat(),
        "sent_at": now.isoformat(),
    }
    body.update(changes)
    return body


def api_payload(slug: str = "kecamatan-sukamaju", **changes: Any) -> dict[str, Any]:
    """What an API client sends: the survey with the unit's slug, without survey.js's
    ``sent_at``."""
    body = payload(None, unit=slug)
    del body["sent_at"]
    body.update(changes)
    return body


def survey_token(client: FlaskClient) -> str:
    """A CSRF token from the endpoint survey.js renews its token with."""
    response = client.get("/survei/_token")
    assert response.status_code == 200
    return str(response.get_json()["csrf_token"])


def post_json(client: FlaskClient, url: str, body: Any, token: str | None = None) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, json=body, headers=headers)


def count_responses(session: Any) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)))


def count_stored(app: Flask) -> int:
    """The number of stored responses, read in a fresh app context."""
    from skm import database

    with app.app_context():
        return count_responses(database.session())


def stored(session: Any) -> list[SurveyResponse]:
    session.expire_all()
    return list(session.scalars(sa.select(SurveyResponse).order_by(SurveyResponse.id)))
