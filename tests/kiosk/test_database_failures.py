"""A locked, lost or full database: 503/507 with Retry-After, nothing half-stored, no restart.

The fault scripts (benchmarks/faults/, tests/test_fault_scripts.py) do this
under load against ``skm serve``; these tests pin the answers themselves.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.support.submissions import (
    answers,
    count_stored,
    payload,
    post_json,
    survey_token,
)


def _sqlite_file(app) -> str:
    url = make_url(app.config["SKM_DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("a write lock held by another program is a SQLite matter")
    assert url.database
    return url.database


def _filled_form(client, layanan_id: int) -> dict[str, str]:
    html = client.get("/survei/kecamatan-sukamaju").get_data(as_text=True)
    pattern = r'<input type="hidden" name="(csrf_token|mulai|instrumen)" value="([^"]*)"'
    fields = dict(re.findall(pattern, html))
    return fields | {k: str(v) for k, v in answers().items()} | {"layanan_id": str(layanan_id)}


@pytest.mark.slow
def test_a_write_lock_held_elsewhere_answers_503_then_the_server_goes_on(
    app, client, place
) -> None:
    path = _sqlite_file(app)
    token = survey_token(client)
    body = payload(place.ktp.id)
    form = _filled_form(client, place.kk.id)
    other_program = sqlite3.connect(path, isolation_level=None)
    other_program.execute("BEGIN IMMEDIATE")
    try:
        # survey.js: after busy_timeout (5 s), not after the kiosk's 20-second timeout.
        refused = post_json(client, f"/kiosk/{place.kiosk.token}/kirim", body, token)
        page = client.post("/survei/kecamatan-sukamaju", data=form)
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "10"
    assert refused.get_json() == {
        "error": "unavailable",
        "message": "Basis data sedang sibuk atau tidak tersambung, jadi data belum tersimpan. "
        "Coba lagi dalam 10 detik.",
        "retry_after": 10,
    }
    # The plain form gets a page, not JSON (its layout does not touch the database).
    assert page.status_code == 503 and page.headers["Retry-After"] == "10"
    assert "Server sedang sibuk" in page.get_data(as_text=True)
    assert count_stored(app) == 0
    # Nothing to restart: the next delivery is stored.
    again = post_json(client, f"/kiosk/{place.kiosk.token}/kirim", body, token)
    assert again.status_code == 201
    assert count_stored(app) == 1


def test_a_full_database_answers_507_and_every_201_has_its_row(app, client, place) -> None:
    path = _sqlite_file(app)
    app.config["SKM_RATE_LIMITS_ENABLED"] = False
    with sqlite3.connect(path) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own limit on the file's size gives the real "database or disk is full".
    engine = app.extensions["skm.engine"]
    sa.event.listen(
        engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages + 2}")
    )
    engine.dispose()
    token = survey_token(client)
    created = 0
    for _ in range(200):  # each row takes a few hundred bytes of a 4 KB page
        response = post_json(
            client, f"/kiosk/{place.kiosk.token}/kirim", payload(place.ktp.id), token
        )
        if response.status_code != 201:
            break
        created += 1
    assert response.status_code == 507
    assert response.headers["Retry-After"] == "60"
    assert response.get_json()["error"] == "disk-full"
    assert "Ruang penyimpanan server penuh" in response.get_json()["message"]
    assert count_stored(app) == created


def test_postgresql_connections_ended_by_an_administrator_are_replaced(app, client, place) -> None:
    if make_url(app.config["SKM_DATABASE_URL"]).get_backend_name() != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    token = survey_token(client)
    url = f"/kiosk/{place.kiosk.token}/kirim"
    assert post_json(client, url, payload(place.ktp.id), token).status_code == 201
    engine = app.extensions["skm.engine"]
    with engine.connect() as connection:
        pid = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()
    admin = sa.create_engine(make_url(app.config["SKM_DATABASE_URL"]).set(query={}))
    with admin.connect() as connection:
        # The pooled connection the next request would be handed.
        assert connection.execute(
            sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}
        ).scalar()
    admin.dispose()
    # pool_pre_ping finds it dead and connects again: no 503 at all.
    assert post_json(client, url, payload(place.ktp.id), token).status_code == 201
    assert count_stored(app) == 2
