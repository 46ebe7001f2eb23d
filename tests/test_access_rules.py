"""Every registered URL rule, walked: staff pages refuse strangers.

The walk reads ``app.url_map`` as it is when the test runs, so a page added
later is covered without touching this file. Only pages meant for the
public are exempt, listed below by endpoint-name prefix; a new staff page
that forgets its access check fails here.

For each rule and method:

* an anonymous visitor is sent to the sign-in page (or gets 401/403);
* a signed-in admin of another kecamatan, and an admin of a sub-unit of
  the victim's unit (who must not see upwards), get 403 or 404 for every
  URL that names the victim's data, and pages without such arguments do
  not show any of it;
* a pimpinan of the victim's own unit cannot change anything (403 on POST);
* and nothing that belongs to the victim's unit changed, whatever came back.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.api import ApiToken
from skm.models.iku import IkuIndicator
from skm.models.kiosk import Kiosk
from skm.models.paper import ImportBatch
from skm.models.staff import Population, RencanaTindakLanjut, SaranTindakLanjut
from skm.responses import ResponseInput, store_response
from skm.tokens import create_token
from skm.units import add_layanan, create_unit
from tests.support.auth import signed_in_client
from tests.support.forms import csrf_token

#: Endpoints for citizens and other systems, by name prefix: the public results
#: pages, static files, the survey and kiosk pages citizens fill in, the
#: token-authenticated JSON API, and the sign-in page itself.
PUBLIC_ENDPOINT_PREFIXES = ("public.", "static", "kiosk.", "api.", "auth.login")

#: Endpoints about the signed-in user's own account, open to every role.
OWN_ACCOUNT_ENDPOINTS = ("auth.logout", "auth.password")

#: What every word on the victim's pages contains, so a leak is easy to find.
SECRET = "Rahasia"

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def is_public(endpoint: str) -> bool:
    return endpoint.startswith(PUBLIC_ENDPOINT_PREFIXES)


@pytest.fixture
def world(app: Flask, make_user):
    """Kecamatan "Rahasia" (the victim, with kelurahan Anak) and kecamatan Lain."""
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    with app.app_context():
        session = database.session()
        victim = create_unit(session, f"Kecamatan {SECRET}", "kecamatan")
        child = create_unit(session, "Kelurahan Anak", "kelurahan", victim)
        other = create_unit(session, "Kecamatan Lain", "kecamatan")
        (layanan,) = add_layanan(session, victim, [f"Layanan {SECRET}"])
        session.commit()
        response, _ = store_response(
            session,
            ResponseInput(
                uuid.uuid4(),
                victim.id,
                layanan.id,
                {u.key: 3 for u in instrument.unsur},
                datetime.now(UTC),
                "kiosk",
                saran=f"Saran {SECRET} warga",
            ),
            instrument,
        )
        response.flag = f"Terlalu cepat {SECRET}"
        session.add(
            Kiosk(unit_id=victim.id, name=f"Kios {SECRET}", token=uuid.uuid4().hex, active=True)
        )
        token, _ = create_token(session, f"Token {SECRET}", victim)
        session.add(
            RencanaTindakLanjut(
                unit_id=victim.id,
                periode_code="2026-T1",
                unsur_key="waktu",
                program=f"Program {SECRET}",
                triwulan="12",
                penanggung_jawab="Camat",
            )
        )
        session.add(Population(unit_id=victim.id, periode_code="2026-T1", population=777))
        session.add(
            ImportBatch(
                kind="import",
                unit_id=victim.id,
                instrument_key=instrument.key,
                instrument_version=instrument.version,
                filename=f"{SECRET}.csv",
            )
        )
        session.add(
            IkuIndicator(
                unit_id=victim.id,
                code="IKU-1",
                sasaran=f"Sasaran {SECRET}",
                name=f"Indikator {SECRET}",
                satuan="nilai",
            )
        )
        session.commit()
        ids = {
            "victim": victim,
            "child": child,
            "other": other,
            "layanan_id": layanan.id,
            "response_id": response.id,
            "kiosk_id": session.scalar(sa.select(Kiosk.id).where(Kiosk.unit_id == victim.id)),
            "token_id": token.id,
            "rencana_id": session.scalar(sa.select(RencanaTindakLanjut.id)),
            "batch_id": session.scalar(sa.select(ImportBatch.id)),
            "indicator_id": session.scalar(sa.select(IkuIndicator.id)),
        }
        for unit in (victim, child, other):
            session.expunge(unit)
    victim_user = make_user(ids["victim"], "operator", full_name=f"Petugas {SECRET}")
    ids["user_id"] = victim_user.id
    ids["outsiders"] = [
        make_user(ids["other"], "admin", "admin.lain"),
        make_user(ids["child"], "admin", "admin.anak"),
    ]
    ids["pimpinan"] = make_user(ids["victim"], "pimpinan", "pimpinan.rahasia")
    return ids


def argument_values(world) -> dict[str, object]:
    """A value pointing at the victim's data for every URL argument a staff page uses.

    An argument missing here fails the walk: say which of the victim's
    objects it names, so the new page is checked too.
    """
    return {
        "slug": world["victim"].slug,
        "unit_id": world["victim"].id,
        "layanan_id": world["layanan_id"],
        "user_id": world["user_id"],
        "token_id": world["token_id"],
        "response_id": world["response_id"],
        "rencana_id": world["rencana_id"],
        "kiosk_id": world["kiosk_id"],
        "batch_id": world["batch_id"],
        "indicator_id": world["indicator_id"],
    }


#: Arguments that do not name anyone's data (a chart's name).
NEUTRAL_ARGUMENTS = {"name": "unsur"}


def url_for_rule(rule: Rule, world) -> tuple[str, bool]:
    """The rule's URL with the victim's objects, and whether it names any of them."""
    values = argument_values(world)
    arguments = {}
    bound = False
    for name in rule.arguments:
        if name in values:
            arguments[name] = values[name]
            bound = True
        elif name in NEUTRAL_ARGUMENTS:
            arguments[name] = NEUTRAL_ARGUMENTS[name]
        else:
            pytest.fail(
                f"{rule.endpoint} ({rule.rule}) has argument '{name}': add to "
                "argument_values() which of the victim's objects it names."
            )
    path = rule.rule
    for name, value in arguments.items():
        path = path.replace(f"<{name}>", str(value))
        for converter in ("int", "bigid", "string", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    return path, bound


def victim_state(app: Flask, world) -> tuple:
    """Every stored value that belongs to the victim's unit itself."""
    victim_id = world["victim"].id
    with app.app_context():
        session = database.session()

        def rows(model, *conditions):
            columns = [c for c in model.__table__.columns]
            return sorted(
                tuple(str(v) for v in row)
                for row in session.execute(sa.select(*columns).where(*conditions))
            )

        return (
            rows(Unit, Unit.id == victim_id),
            rows(Unit, Unit.parent_id == victim_id),
            rows(Layanan, Layanan.unit_id == victim_id),
            rows(User, User.unit_id == victim_id),
            rows(SurveyResponse, SurveyResponse.unit_id == victim_id),
            rows(Kiosk, Kiosk.unit_id == victim_id),
            rows(Population, Population.unit_id == victim_id),
            rows(RencanaTindakLanjut, RencanaTindakLanjut.unit_id == victim_id),
            rows(SaranTindakLanjut),
            rows(ApiToken, ApiToken.unit_id == victim_id),
            rows(ImportBatch, ImportBatch.unit_id == victim_id),
            rows(IkuIndicator, IkuIndicator.unit_id == victim_id),
        )


def staff_rules(app: Flask) -> list[tuple[Rule, str]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if is_public(rule.endpoint):
            continue
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            rules.append((rule, method))
    return rules


#: Form fields a page might read an object from: all point at the victim.
def hostile_form(world) -> dict[str, str]:
    victim = str(world["victim"].id)
    return {
        "unit": victim,
        "parent": victim,
        "unit_id": victim,
        "induk": victim,
        "layanan": str(world["layanan_id"]),
        "layanan_id": str(world["layanan_id"]),
        "name": "Nama dari penyusup",
        "username": "penyusup",
        "password": "penyusup-123",
        "confirm": "penyusup-123",
        "role": "admin",
        "periode": "2026-T1",
        "population": "5",
        "status": "selesai",
        "note": "diubah",
        "aksi": "kecualikan",
        "sampai": datetime.now(UTC).isoformat(),
        "unsur": "waktu",
        "program": "x",
        "triwulan": "1",
        "penanggung_jawab": "x",
        "current": "x",
        "new": "y" * 10,
    }


def send(client, method: str, path: str, world):
    if method == "GET":
        return client.get(path)
    token = csrf_token(client)
    return client.open(path, method=method, data={"csrf_token": token, **hostile_form(world)})


def test_walk_covers_the_staff_pages(app: Flask) -> None:
    endpoints = {rule.endpoint for rule, _ in staff_rules(app)}
    # The walk is only as good as what it sees: the main staff pages must be in it.
    for expected in ("staff.dashboard", "staff.saran_status", "admin.users", "auth.logout"):
        assert expected in endpoints
    assert not any(is_public(e) for e in endpoints)


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, world) -> None:
    before = victim_state(app, world)
    failures = []
    for rule, method in staff_rules(app):
        client = app.test_client()
        path, _ = url_for_rule(rule, world)
        response = send(client, method, path, world)
        location = response.headers.get("Location", "")
        refused = response.status_code in (401, 403) or (
            response.status_code == 302 and "/masuk" in location
        )
        if not refused:
            failures.append(f"{method} {path} ({rule.endpoint}): {response.status_code}")
    assert not failures, "open to anonymous visitors:\n" + "\n".join(failures)
    assert victim_state(app, world) == before


@pytest.mark.parametrize(
    "outsider", [0, 1], ids=["admin-of-another-kecamatan", "admin-of-sub-unit"]
)
def test_users_of_another_unit_see_and_change_nothing(app: Flask, world, outsider) -> None:
    user = world["outsiders"][outsider]
    before = victim_state(app, world)
    failures = []
    for rule, method in staff_rules(app):
        client = signed_in_client(app, user)
        path, bound = url_for_rule(rule, world)
        response = send(client, method, path, world)
        if bound and response.status_code not in (403, 404):
            failures.append(f"{method} {path} ({rule.endpoint}): {response.status_code}")
            continue
        if method == "GET" and response.status_code in (301, 302, 303):
            response = client.get(response.headers["Location"])
        body = response.get_data()
        if response.mimetype.startswith("text/") and SECRET.encode() in body:
            failures.append(f"{method} {path} ({rule.endpoint}) shows the victim's data")
        if victim_state(app, world) != before:
            failures.append(f"{method} {path} ({rule.endpoint}) changed the victim's data")
            before = victim_state(app, world)
    assert not failures, f"{user.username} got through:\n" + "\n".join(failures)


def test_pimpinan_changes_nothing(app: Flask, world) -> None:
    user = world["pimpinan"]
    before = victim_state(app, world)
    failures = []
    for rule, method in staff_rules(app):
        if method == "GET" or rule.endpoint in OWN_ACCOUNT_ENDPOINTS:
            continue
        client = signed_in_client(app, user)
        path, _ = url_for_rule(rule, world)
        response = send(client, method, path, world)
        if response.status_code != 403:
            failures.append(f"{method} {path} ({rule.endpoint}): {response.status_code}")
    assert not failures, "a pimpinan could post to:\n" + "\n".join(failures)
    assert victim_state(app, world) == before


def test_the_victim_can_see_their_own_pages(app: Flask, world, make_user) -> None:
    """The walk's URLs are real: an admin of the victim's unit opens every GET page,
    so the refusals above come from the access checks, not from broken URLs."""
    client = signed_in_client(app, make_user(world["victim"], "admin", "admin.rahasia"))
    failures = []
    for rule, method in staff_rules(app):
        if method != "GET":
            continue
        path, bound = url_for_rule(rule, world)
        response = client.get(path)
        # Pages without arguments may want a query string (400/404 without it).
        if response.status_code not in (200, 302) and (bound or response.status_code >= 500):
            failures.append(f"GET {path} ({rule.endpoint}): {response.status_code}")
    assert not failures, "\n".join(failures)
