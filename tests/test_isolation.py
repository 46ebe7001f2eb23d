"""One kecamatan's staff, kiosks and API tokens never reach a sibling kecamatan's rows.

For every URL rule of the app (read from ``app.url_map``, so a new route is
covered the day it is added) whose path names a row by id or a unit by
slug, an operator, an admin and a pimpinan of kecamatan A ask for kecamatan
B's row with every method the rule takes. The answer is 404 (or 403 where
the role may not use the page at all, whichever unit), and every table is
exactly as it was. API tokens and kiosks of A cannot deliver to B.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask

from questionnaires import get_instrument
from skm import database
from skm.kiosk.kiosks import open_kiosk
from skm.models import SurveyResponse, Unit, User
from skm.paper.entry import paper_batch
from skm.periode import Periode
from skm.responses import ResponseInput, SessionReferences, save_response
from skm.results.indicators import IndicatorData, save_indicator
from skm.results.rencana import RencanaInput, create_rencana
from skm.tokens import create_token
from skm.units import add_layanan, create_unit
from tests.fuzz.helpers import dump
from tests.support.auth import login
from tests.support.submissions import answers, payload

INSTRUMENT = get_instrument("permenpan-14-2017")

#: Public pages that take any unit's slug or a kiosk's secret by design.
PUBLIC = {"static", "public.hasil", "kiosk.survey", "kiosk.survey_thanks", "kiosk.survey_form",
          "kiosk.survey_submit", "kiosk.kiosk_page", "kiosk.kiosk_thanks", "kiosk.kiosk_form",
          "kiosk.kiosk_submit", "kiosk.kiosk_heartbeat"}  # fmt: skip


@dataclass
class Sibling:
    """The rows of kecamatan B that A's staff try to reach, by URL parameter name."""

    ids: dict[str, int]
    slug: str
    own: dict[str, int]
    own_slug: str
    staff: dict[str, User]
    token: str
    kiosk_token: str
    foreign_layanan: int


def _unit_rows(session, unit: Unit, tag: str) -> dict[str, int]:
    kelurahan = create_unit(session, f"Kelurahan {tag}", "kelurahan", unit)
    (layanan,) = add_layanan(session, unit, [f"Layanan {tag}"])
    user = User(username=f"petugas-{tag}", role="operator", unit=unit, password_hash="-")
    session.add(user)
    session.flush()
    kiosk = open_kiosk(session, unit, f"Loket {tag}")
    token, _ = create_token(session, f"Token {tag}", unit)
    indicator = save_indicator(
        session,
        unit,
        IndicatorData(code=f"i-{tag.lower()}", sasaran="S", name="Indikator", satuan="%",
                      targets={2025: Decimal("80")}),
    )  # fmt: skip
    rencana = create_rencana(
        session, user, INSTRUMENT, unit, Periode.parse("2025-T1"),
        RencanaInput("persyaratan", "Program", [1], "Kasi"),
    )  # fmt: skip
    batch = paper_batch(session, unit, user, INSTRUMENT, date(2025, 2, 3))
    response = ResponseInput(
        uuid=uuid.uuid4(),
        unit_id=unit.id,
        layanan_id=layanan.id,
        answers=answers(),
        submitted_at=datetime(2025, 2, 3, 3, tzinfo=UTC),
        channel="paper",
        saran=f"Saran {tag}",
        flag="Selesai dalam 3 detik",
    )
    save_response(session.connection(), response, INSTRUMENT, SessionReferences(session))
    response_id = session.scalar(
        sa.select(SurveyResponse.id).where(SurveyResponse.uuid == response.uuid)
    )
    session.execute(
        sa.update(SurveyResponse)
        .where(SurveyResponse.id == response_id)
        .values(import_batch_id=batch.id)
    )
    return {
        "unit_id": kelurahan.id,
        "layanan_id": layanan.id,
        "user_id": user.id,
        "kiosk_id": kiosk.id,
        "token_id": token.id,
        "indicator_id": indicator.id,
        "rencana_id": rencana.id,
        "batch_id": batch.id,
        "response_id": response_id,
    }


@pytest.fixture
def sibling(app: Flask) -> Sibling:
    with app.app_context():
        session = database.session()
        a = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        b = create_unit(session, "Kecamatan Sukamundur", "kecamatan")
        own = _unit_rows(session, a, "A")
        ids = _unit_rows(session, b, "B")
        staff = {}
        for role in ("operator", "admin", "pimpinan"):
            staff[role] = User(username=f"{role}-a", role=role, unit=a, password_hash="-")
            session.add(staff[role])
        session.flush()
        _, token = create_token(session, "Antrean A", a)
        kiosk = open_kiosk(session, a, "Loket depan")
        session.commit()
        for user in staff.values():
            session.refresh(user)
            session.expunge(user)
        return Sibling(ids, b.slug, own, a.slug, staff, token, kiosk.token, ids["layanan_id"])


#: URL parameters that name a row (by id) or a unit (by slug).
ROW_PARAMETERS = {"slug", "unit_id", "layanan_id", "user_id", "kiosk_id", "token_id",
                  "indicator_id", "rencana_id", "batch_id", "response_id"}  # fmt: skip


def _rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC or rule.endpoint.startswith("api."):
            continue
        if rule.arguments & ROW_PARAMETERS:
            yield rule


def _url(rule, ids: dict[str, int], slug: str) -> str:
    values = {name: ids[name] for name in rule.arguments if name in ids}
    if "slug" in rule.arguments:
        values["slug"] = slug
    if "name" in rule.arguments:
        values["name"] = "ikm"
    path = rule.rule
    for name, value in values.items():
        path = path.replace(f"<{name}>", str(value))
        for converter in ("int", "bigid", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return path


#: A generic form: enough for the views that would act without asking whose row it is.
FORM = {
    "status": "ditindaklanjuti",
    "keputusan": "kecualikan",
    "name": "Baru",
    "kind": "kelurahan",
    "parent": "0",
    "role": "operator",
    "confirm": "y",
}


@pytest.mark.parametrize("role", ["operator", "admin", "pimpinan"])
def test_no_page_reaches_a_sibling_kecamatan(app, client, sibling, role):
    app.config.update(WTF_CSRF_ENABLED=False, SKM_RATE_LIMITS_ENABLED=False)
    login(client, sibling.staff[role])
    checked = []
    for rule in _rules(app):
        foreign = _url(rule, sibling.ids, sibling.slug)
        own = _url(rule, sibling.own, sibling.own_slug)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            before = dump(app)
            answer = client.open(foreign, method=method, data=FORM if method == "POST" else None)
            after = dump(app)
            assert after == before, f"{role} {method} {foreign} changed the database"
            status = answer.status_code
            if status == 403:
                # Denied by role, not by unit: the same page of the own unit is denied too.
                own_answer = client.open(own, method="GET") if method == "GET" else None
                assert own_answer is None or own_answer.status_code in (403, 302), (role, foreign)
            else:
                assert status == 404, f"{role} {method} {foreign}: {status}"
            checked.append(f"{method} {rule.rule}")
    assert len(checked) >= 40  # the url map was read, not skipped


def test_an_api_token_cannot_deliver_to_or_read_a_sibling(app, client, sibling):
    app.config.update(SKM_RATE_LIMITS_ENABLED=False)
    headers = {"Authorization": f"Bearer {sibling.token}"}
    before = dump(app)
    to_sibling = client.post("/api/v1/responses", json=payload(unit=sibling.slug), headers=headers)
    assert to_sibling.status_code == 422 and "unit" in to_sibling.get_json()["errors"]
    foreign_layanan = client.post(
        "/api/v1/responses",
        json=payload(sibling.foreign_layanan, unit=sibling.own_slug),
        headers=headers,
    )
    assert foreign_layanan.status_code == 422
    assert "layanan" in foreign_layanan.get_json()["errors"]
    read = client.get(
        "/api/v1/ikm", query_string={"unit": sibling.slug, "periode": "2025-T1"}, headers=headers
    )
    assert read.status_code == 404
    mixed = client.get(
        "/api/v1/ikm",
        query_string={"unit": sibling.own_slug, "periode": "2025-T1",
                      "layanan": sibling.foreign_layanan},
        headers=headers,
    )  # fmt: skip
    assert mixed.status_code == 422
    assert dump(app) == before


def test_a_kiosk_cannot_submit_for_a_sibling_layanan(app, client, sibling):
    app.config.update(WTF_CSRF_ENABLED=False, SKM_RATE_LIMITS_ENABLED=False)
    before = dump(app)
    answer = client.post(
        f"/kiosk/{sibling.kiosk_token}/kirim", json=payload(sibling.foreign_layanan)
    )
    assert answer.status_code == 422
    assert "layanan" in answer.get_json()["errors"]
    assert dump(app) == before
