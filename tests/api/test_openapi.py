"""The API against its document (docs/openapi.yaml), with schemathesis.

Schemathesis generates requests from the document (valid ones and, in its
negative phase, ones the document forbids), sends them to the app in
process (WSGI) with a real token, and checks every answer: no server error,
a status the document lists, a body and headers of the documented shape.
Example counts follow the fuzz profile (tests/fuzz/conftest.py):
``SKM_FUZZ_PROFILE=long`` for a longer run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from skm import database
from skm.tokens import create_token
from skm.units import add_layanan, create_unit
from tests.fuzz.conftest import examples

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


class CurrentApp:
    """A WSGI app that passes every request to the running test's app: schemathesis
    sends in process (its own probes too), and nothing leaves the test."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


CURRENT = CurrentApp()
schema = schemathesis.openapi.from_path(DOCUMENT)
schema.app = CURRENT
# The document's server is an example address; requests go to the app in process.
schema.config.base_url = "http://127.0.0.1/api/v1"

#: Cases are generated before any test database exists, so schemathesis
#: applies this stand-in; each test puts its real token in its place.
STAND_IN = "Bearer token-of-the-test"


@schema.auth()
class BearerToken:
    """Applied by schemathesis itself, so that the cases it makes without the
    header (expecting 401) stay without it."""

    def get(self, case, context):
        return STAND_IN

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": data}


@pytest.fixture
def token(app) -> str:
    app.config.update(SKM_RATE_LIMITS_ENABLED=False)
    with app.app_context():
        session = database.session()
        unit = create_unit(session, "Kecamatan Sukamaju", "kecamatan")
        create_unit(session, "Kelurahan Mekarsari", "kelurahan", unit)
        add_layanan(session, unit, ["Rekomendasi KTP"])
        _, plain = create_token(session, "Schemathesis", unit)
        session.commit()
    CURRENT.app = app
    return plain


@schema.parametrize()
@settings(max_examples=examples())
def test_the_api_answers_as_documented(case, app, token):
    if (case.headers or {}).get("Authorization") == STAND_IN:
        case.headers["Authorization"] = f"Bearer {token}"
    # Whether a schema-valid response is accepted depends on the database (the
    # unit slug must exist in the token's scope, the layanan must belong to
    # it), which a document cannot say: that one check is left out.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
