#!/usr/bin/env python3
"""What one kiosk delivery costs, part by part, next to the bare handler of load.py.

benchmarks/load.py compares throughput through waitress, where concurrency
and the machine's other work move the figures by a third from run to run.
This script measures CPU time per request inside one process, without a
server, so that the parts can be compared: each part runs in blocks that
alternate with the others, and the fastest block of each is reported.

Parts (SQLite, as the bare handler):

* bare request: the bare handler of load.py, called as a WSGI application
  (Flask, JSON, one insert of nine integers, commit);
* bare insert: that insert and commit alone (sqlite3);
* SKM row, raw: one response row with SKM's columns into SKM's schema,
  with its indexes (idempotency by UUID, the two scoring indexes that keep
  the dashboard fast on a million responses, the kiosk and foreign-key
  indexes), through sqlite3 without SQLAlchemy, and commit;
* SKM save_response: the same through skm.responses.save_response
  (SQLAlchemy Core: one INSERT .. ON CONFLICT DO NOTHING RETURNING with the
  overlap flag decided in it), connection from the pool, commit;
* session cookie: Flask's signed session cookie read and verified;
* CSRF token: Flask-WTF's validate_csrf of the kiosk's token;
* SKM request: POST /kiosk/<token>/kirim, called as a WSGI application.

    .venv/bin/python benchmarks/delivery_costs.py
    .venv/bin/python benchmarks/delivery_costs.py --requests 500 --blocks 3
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402  (benchmarks/load.py: the bare handler, the set-up, the surveys)


def wsgi_call(app: Any, environ: dict[str, Any]) -> str:
    """Call a WSGI application; its status line."""
    status: list[str] = []

    def start_response(line: str, _headers: Any, _exc: Any = None) -> None:
        status.append(line)

    for _chunk in app(environ, start_response):
        pass
    return status[0]


def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path=path, method="POST", data=json.dumps(body), headers=headers)
    return builder.get_environ()  # type: ignore[no-any-return]


class Parts:
    """The set-up every part shares: one SKM instance and one bare database."""

    def __init__(self, work: Path) -> None:
        from skm import create_app

        url = f"sqlite:///{work / 'skm.sqlite3'}"
        paths, self.layanan_id = load.prepare_skm(work / "instance", url, 1)
        self.kiosk_path = paths[0]
        self.app = create_app(
            {
                "SKM_DATABASE_URL": url,
                "INSTANCE_PATH": work / "instance",
                "SKM_RATE_LIMIT_KIOSK": "100000000/minute",
            }
        )
        self.bare_file = work / "bare.sqlite3"
        load.create_bare_table(self.bare_file)
        self.bare_app = load.bare_app(self.bare_file)
        self.skm_file = work / "skm.sqlite3"
        self.rng = random.Random(1)
        self.sent = 0
        self.token, self.cookie = self._kiosk_credentials()

    def _kiosk_credentials(self) -> tuple[str, str]:
        """A CSRF token and session cookie, as a kiosk fetches them (GET /survei/_token)."""
        from werkzeug.test import EnvironBuilder

        headers: list[tuple[str, str]] = []

        def start_response(_line: str, sent: Any, _exc: Any = None) -> None:
            headers.extend(sent)

        environ = EnvironBuilder(path="/survei/_token", method="GET").get_environ()
        body = b"".join(self.app(environ, start_response))
        cookie = next(value for name, value in headers if name == "Set-Cookie")
        return json.loads(body)["csrf_token"], cookie.split(";", 1)[0]

    def survey(self) -> dict[str, Any]:
        # One kiosk, one person at a time: surveys two minutes apart, as in load.py.
        self.sent += 1
        ended = datetime.now(UTC) - timedelta(minutes=2 * self.sent)
        return load.survey(self.rng, self.layanan_id, ended)

    # --- the parts: each returns a function that does n of it ---------------------------

    def bare_request(self, n: int) -> Callable[[], None]:
        environs = [
            post("/bare", self.survey(), {"Content-Type": "application/json"}) for _ in range(n)
        ]
        return lambda: _each(environs, lambda e: _expect(wsgi_call(self.bare_app, e), "201"))

    def bare_insert(self, n: int) -> Callable[[], None]:
        db = load.bare_connection(self.bare_file)
        rows = [[int(v) for v in self.survey()["answers"].values()] for _ in range(n)]  # type: ignore[attr-defined]

        def run() -> None:
            for row in rows:
                db.execute(load.BARE_INSERT, row)
                db.commit()

        return run

    def skm_row_raw(self, n: int) -> Callable[[], None]:
        db = load.bare_connection(self.skm_file)
        columns = ("uuid, unit_id, layanan_id, instrument_key, instrument_version, submitted_at, "
                   "received_at, channel, kiosk_id, started_at, excluded, jenis_kelamin, usia, "
                   "u01, u02, u03, u04, u05, u06, u07, u08, u09")  # fmt: skip
        sql = f"INSERT INTO response ({columns}) VALUES ({', '.join('?' * 22)})"
        unit_id, kiosk_id = db.execute("SELECT unit_id, id FROM kiosk").fetchone()
        rows = []
        for _ in range(n):
            body = self.survey()
            rows.append(
                (uuid.uuid4().hex, unit_id, self.layanan_id, "permenpan-14-2017", 1,
                 body["submitted_at"], body["sent_at"], "kiosk", kiosk_id, body["started_at"], 0,
                 "L", 40, *body["answers"].values())  # type: ignore[attr-defined]
            )  # fmt: skip

        def run() -> None:
            for row in rows:
                db.execute(sql, row)
                db.commit()

        return run

    def skm_save_response(self, n: int) -> Callable[[], None]:
        from questionnaires import get_instrument
        from skm import database, reference
        from skm.delivery import parse_json, submit_survey

        instrument = get_instrument("permenpan-14-2017")
        bodies = [self.survey() for _ in range(n)]
        token = self.kiosk_path.split("/")[2]

        def run() -> None:
            with self.app.app_context():
                engine = database.engine()
                for body in bodies:
                    with engine.connect() as connection:
                        kiosk = reference.kiosk_ref(connection, token)
                        assert kiosk is not None
                        now = datetime.now(UTC)
                        survey = parse_json(body, instrument, now)
                        submit_survey(
                            connection, survey, unit_id=kiosk.unit_id, channel="kiosk",
                            received_at=now, kiosk=kiosk,
                            references=reference.CachedReferences(connection),
                        )  # fmt: skip
                        connection.commit()

        return run

    def session_cookie(self, n: int) -> Callable[[], None]:
        headers = {"Cookie": self.cookie}

        def run() -> None:
            with self.app.test_request_context("/", headers=headers):
                from flask import request

                interface = self.app.session_interface
                for _ in range(n):
                    session = interface.open_session(self.app, request)
                    assert session is not None and "csrf_token" in session

        return run

    def csrf_token(self, n: int) -> Callable[[], None]:
        from flask_wtf.csrf import validate_csrf

        headers = {"Cookie": self.cookie}

        def run() -> None:
            with self.app.test_request_context("/", headers=headers):
                for _ in range(n):
                    validate_csrf(self.token)

        return run

    def skm_request(self, n: int) -> Callable[[], None]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.token,
                   "Cookie": self.cookie}  # fmt: skip
        environs = [post(self.kiosk_path, self.survey(), headers) for _ in range(n)]
        return lambda: _each(environs, lambda e: _expect(wsgi_call(self.app, e), "201"))


def _each(items: list[Any], action: Callable[[Any], None]) -> None:
    for item in items:
        action(item)


def _expect(status: str, code: str) -> None:
    if not status.startswith(code):
        raise SystemExit(f"unexpected answer {status}")


PARTS = {
    "bare request": Parts.bare_request,
    "bare insert": Parts.bare_insert,
    "SKM row, raw": Parts.skm_row_raw,
    "SKM save_response": Parts.skm_save_response,
    "session cookie": Parts.session_cookie,
    "CSRF token": Parts.csrf_token,
    "SKM request": Parts.skm_request,
}


def blocks(parts: Parts, requests: int, rounds: int) -> Iterator[tuple[str, float]]:
    """(part, CPU ms per item) for every block; the parts take turns."""
    for _ in range(rounds):
        for name, make in PARTS.items():
            run = make(parts, requests)  # prepared outside the timing
            started = time.process_time()
            run()
            yield name, (time.process_time() - started) / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="items per block")
    parser.add_argument("--blocks", type=int, default=5, help="blocks of each part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        parts = Parts(Path(folder))
        for make in PARTS.values():  # warm up: caches, compiled statements, first pages
            make(parts, 20)()
        best: dict[str, float] = {}
        for name, ms in blocks(parts, args.requests, args.blocks):
            best[name] = min(ms, best.get(name, ms))
    bare = best["bare request"]
    print(f"CPU time per item, fastest of {args.blocks} blocks of {args.requests} "
          "(in one process, no server; SQLite)")  # fmt: skip
    for name, ms in best.items():
        print(f"  {name:<18} {ms:7.3f} ms   {ms / bare:5.2f} x bare request")
    skm = best["SKM request"]
    print(f"ratio  bare request / SKM request = {bare / skm:.2f}")


if __name__ == "__main__":
    main()
