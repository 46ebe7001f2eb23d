"""Every URL rule of the app answers with the one security policy (skm/headers.py).

The walk reads ``app.url_map`` when the test runs, so a page added later is
covered too. Each rule that answers GET is fetched as an anonymous visitor
and as a signed-in admin of the unit the URL names, whatever the status
(a redirect to sign-in, a 404 and an error page carry the headers too).
"""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import Rule

from skm import create_app, database
from skm.headers import CONTENT_SECURITY_POLICY
from skm.kiosk.kiosks import open_kiosk
from skm.models import Unit
from tests.support.auth import login
from tests.test_access_rules import url_for_rule, world  # noqa: F401  (fixture)

#: What the arguments the staff walk does not know stand for here.
EXTRA_ARGUMENTS = {"filename": "css/skm.css"}


def get_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())]


def url_of(rule: Rule, world) -> str:  # noqa: F811
    if "token" in rule.arguments:  # a kiosk page: the kiosk's secret address
        return rule.rule.replace("<token>", world["kiosk_secret"])
    if set(rule.arguments) <= EXTRA_ARGUMENTS.keys():
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<path:{name}>", EXTRA_ARGUMENTS[name])
        return path
    return url_for_rule(rule, world)[0]


def header_problems(response, rule: Rule, signed_in: bool) -> list[str]:
    headers = response.headers
    problems = []
    if headers.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY:
        problems.append(f"CSP {headers.get('Content-Security-Policy')!r}")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"X-Frame-Options {headers.get('X-Frame-Options')!r}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    survey = rule.endpoint.startswith("kiosk.")
    referrer = headers.get("Referrer-Policy")
    if referrer not in (("no-referrer",) if survey else ("no-referrer", "same-origin")):
        problems.append(f"Referrer-Policy {referrer!r}")
    cache = headers.get("Cache-Control", "")
    staff = not rule.endpoint.startswith(("public.", "kiosk.", "static", "api."))
    if rule.endpoint != "static" and (survey or staff or signed_in):
        # A dashboard chart is named by its data's digest and may be kept
        # privately (never by a shared proxy); everything else is never kept.
        chart = rule.endpoint == "staff.chart" and cache.startswith("private")
        if "no-store" not in cache and not chart:
            problems.append(f"Cache-Control {cache!r}")
    return problems


@pytest.fixture
def kiosk_world(app: Flask, world):  # noqa: F811
    """The access walk's world, with a kiosk whose secret address is known."""
    with app.app_context():
        session = database.session()
        kiosk = open_kiosk(session, session.get(Unit, world["victim"].id), "Loket uji")
        session.commit()
        world["kiosk_secret"] = kiosk.token
    return world


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_page_carries_the_security_headers(
    app: Flask, kiosk_world, make_user, signed_in: bool
) -> None:
    client = app.test_client()
    if signed_in:
        login(client, make_user(kiosk_world["victim"], "admin", "admin.headers"))
    failures = []
    rules = get_rules(app)
    assert len(rules) > 40  # the walk sees the whole app
    for rule in rules:
        path = url_of(rule, kiosk_world)
        response = client.get(path)
        problems = header_problems(response, rule, signed_in)
        if problems:
            failures.append(f"GET {path} ({rule.endpoint}, {response.status_code}): {problems}")
    assert not failures, "\n".join(failures)


def test_hsts_only_when_cookies_are_secure(tmp_path, database_url) -> None:
    for secure in (False, True):
        app = create_app(
            {"TESTING": True, "SKM_DATABASE_URL": database_url, "SECRET_KEY": "test",
             "INSTANCE_PATH": tmp_path / "instance", "SESSION_COOKIE_SECURE": secure}
        )  # fmt: skip
        response = app.test_client().get("/masuk")
        assert ("Strict-Transport-Security" in response.headers) is secure
        app.extensions["skm.engine"].dispose()
