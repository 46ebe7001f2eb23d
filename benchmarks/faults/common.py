"""What every fault script shares: the server, the clients, the ledger and the count check.

The server is ``skm serve`` itself (``python -m flask --app "skm:create_app({...})"
serve``: the production command, with an instance folder and raised rate
limits of the script's own), a real process that can be killed. Clients are
kiosks (``/kiosk/<token>/kirim``), phones (``/survei/<slug>/kirim``) and API
clients (``/api/v1/responses``), each on a keep-alive connection; surveys are
built by benchmarks/load.py, and stored rows are counted with its
``skm_counts``.

The promise checked, per database:

- *acknowledged-then-lost*: a UUID that got a 2xx and has no row (must be 0);
- *duplicated*: rows beyond one per UUID (must be 0);
- *server errors*: answers of 500 or more other than 503 and 507, plus any
  503 or 507 received outside a fault window (the time from injecting a
  fault to lifting it, plus :data:`GRACE_SECONDS` for requests that were
  already waiting) or without a ``Retry-After`` header (must be 0);
- after the clients resend everything unacknowledged: one row per survey
  sent, and no row that was never sent.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    drop_postgres_schema,
    free_port,
    fresh_postgres_schema,
    prepare_skm,
    skm_counts,
    survey,
    wait_for_port,
)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1/test"

#: A 503/507 this long after a fault was lifted still belongs to it: the
#: request was waiting (for SQLite's lock, at most busy_timeout) when it was.
GRACE_SECONDS = 6.0

#: The kiosk gives up on a request after 20 s (static/kiosk/survey.js); an
#: answer slower than that is a hang, whatever its status.
HANG_SECONDS = 20.0

#: Rate limits for the run: at their production values a load test is exactly
#: what they stop. The limiter still counts every request.
UNLIMITED = "100000000/minute"

KINDS = ("kiosk", "api", "phone")

#: How long a client waits after no answer or a Retry-After, in a run.
RETRY_PAUSE = 0.5


# --- the database and the server -------------------------------------------------------


@dataclass
class Site:
    """A prepared database: a unit with one layanan, kiosks and an API token."""

    kind: str
    url: str
    instance: Path
    kiosk_paths: list[str]
    unit_slug: str
    layanan_id: int
    api_token: str


def prepare_site(kind: str, url: str, instance: Path, kiosks: int) -> Site:
    from skm import create_app, database
    from skm.models import Unit
    from skm.tokens import create_token

    paths, layanan_id = prepare_skm(instance, url, kiosks)
    app = create_app({"SKM_DATABASE_URL": url, "INSTANCE_PATH": instance})
    with app.app_context():
        session = database.session()
        unit = session.query(Unit).one()
        _, plain = create_token(session, "Skrip gangguan", unit)
        session.commit()
        slug = unit.slug
    app.extensions["skm.engine"].dispose()
    return Site(kind, url, instance, paths, slug, layanan_id, plain)


@contextmanager
def database_url(kind: str, folder: Path, postgres_url: str) -> Iterator[str]:
    """A SQLite file in ``folder`` or a fresh PostgreSQL schema (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'skm.sqlite3'}"
        return
    url = fresh_postgres_schema(postgres_url)
    try:
        yield url
    finally:
        drop_postgres_schema(postgres_url, url)


def app_spec(site: Site) -> str:
    """``--app`` for flask: SKM's factory with this run's instance folder and limits."""
    config = {
        "INSTANCE_PATH": str(site.instance),
        "SKM_DATABASE_URL": site.url,
        **{f"SKM_RATE_LIMIT_{name}": UNLIMITED for name in ("KIOSK", "ADDRESS", "TOKEN", "API")},
    }
    return f"skm:create_app({config!r})"


def skm_command(site: Site, *args: str) -> list[str]:
    """A command line of the ``skm`` CLI for this site (``serve``, ``db backup``...)."""
    return [sys.executable, "-m", "flask", "--app", app_spec(site), *args]


class Server:
    """``skm serve`` on a free loopback port, as a process that can be killed."""

    def __init__(self, site: Site, log: Path) -> None:
        self.site = site
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                skm_command(self.site, "serve", "--port", str(self.port)),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, limit=60)
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no request finishes, no handler runs, nothing is flushed."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


# --- clients ---------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | None  # None: no answer (refused, reset, timed out)
    seconds: float
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: str | None = None


class Client:
    """One kiosk, phone or API client posting surveys over one keep-alive connection."""

    def __init__(self, kind: str, site: Site, port: int, index: int) -> None:
        self.kind = kind
        self.site = site
        self.port = port
        self.rng = random.Random(index)
        self.surveys = 0
        self.headers = {"Content-Type": "application/json"}
        if kind == "kiosk":
            self.path = site.kiosk_paths[index % len(site.kiosk_paths)]
        elif kind == "phone":
            self.path = f"/survei/{site.unit_slug}/kirim"
        else:
            self.path = "/api/v1/responses"
            self.headers["Authorization"] = f"Bearer {site.api_token}"
        self.connection: http.client.HTTPConnection | None = None
        self.has_token = kind == "api"

    def new_survey(self) -> dict[str, Any]:
        """A survey this client has not sent; a kiosk's surveys are two minutes apart."""
        ended = datetime.now(UTC) - timedelta(minutes=2 * self.surveys)
        self.surveys += 1
        body = survey(self.rng, self.site.layanan_id, ended)
        if self.kind == "api":
            body["unit"] = self.site.unit_slug
            body["channel"] = "kiosk"
        return body

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.connection

    def _request(self, method: str, path: str, body: Any = None) -> Answer:
        started = time.monotonic()
        try:
            connection = self._connect()
            payload = None if body is None else json.dumps(body)
            connection.request(method, path, body=payload, headers=self.headers)
            response = connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            return Answer(None, time.monotonic() - started)
        if response.getheader("Set-Cookie"):
            self.headers["Cookie"] = response.getheader("Set-Cookie", "").split(";", 1)[0]
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return Answer(
            response.status, time.monotonic() - started, data, response.getheader("Retry-After")
        )

    def _renew_token(self) -> bool:
        answer = self._request("GET", "/survei/_token")
        if answer.status != 200:
            return False
        self.headers["X-CSRFToken"] = answer.body["csrf_token"]
        self.has_token = True
        return True

    def post(self, body: dict[str, Any]) -> Answer:
        """Deliver one survey, as survey.js does (a fresh CSRF token when refused for it)."""
        if not self.has_token and not self._renew_token():
            return Answer(None, 0.0)
        body = body | {"sent_at": datetime.now(UTC).isoformat()}
        answer = self._request("POST", self.path, body)
        if answer.status == 400 and answer.body.get("error") == "csrf" and self._renew_token():
            answer = self._request("POST", self.path, body)
        return answer

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def clients(site: Site, port: int, count: int, kinds: tuple[str, ...] = KINDS) -> list[Client]:
    """``count`` clients, taking turns over ``kinds``."""
    return [Client(kinds[i % len(kinds)], site, port, i) for i in range(count)]


# --- what happened ---------------------------------------------------------------------


@dataclass
class Ledger:
    """Every survey sent and every answer, with the fault windows, thread-safe."""

    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    answers: list[tuple[float, Answer]] = field(default_factory=list)
    windows: list[list[float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, body: dict[str, Any], answer: Answer) -> None:
        key = str(uuid.UUID(body["uuid"]))
        with self.lock:
            self.sent.setdefault(key, body)
            self.answers.append((time.monotonic(), answer))
            if answer.status is not None and 200 <= answer.status < 300:
                self.acknowledged.add(key)

    def fault_begins(self) -> None:
        with self.lock:
            self.windows.append([time.monotonic(), float("inf")])

    def fault_ends(self) -> None:
        with self.lock:
            self.windows[-1][1] = time.monotonic()

    def acknowledged_now(self) -> set[str]:
        with self.lock:
            return set(self.acknowledged)

    def in_window(self, moment: float) -> bool:
        return any(start <= moment <= end + GRACE_SECONDS for start, end in self.windows)

    def statuses(self) -> Counter[int | None]:
        with self.lock:
            return Counter(answer.status for _, answer in self.answers)

    def server_errors(self) -> list[str]:
        """Why each 5xx counts as a server error (see the module docstring)."""
        reasons = []
        with self.lock:
            for moment, answer in self.answers:
                status = answer.status
                if status is None or status < 500:
                    continue
                if status not in (503, 507):
                    reasons.append(f"{status}")
                elif not self.in_window(moment):
                    reasons.append(f"{status} outside a fault window")
                elif not answer.retry_after:
                    reasons.append(f"{status} without Retry-After")
        return reasons

    def slowest(self) -> float:
        with self.lock:
            return max((answer.seconds for _, answer in self.answers), default=0.0)

    def answered_after(self, moment: float) -> Counter[int | None]:
        with self.lock:
            return Counter(a.status for t, a in self.answers if t > moment)


def deliver_until_acknowledged(
    client: Client, ledger: Ledger, pending: list[dict[str, Any]], attempts: int = 5
) -> None:
    """Resend each of ``pending`` until it is acknowledged (a kiosk draining its queue)."""
    for body in pending:
        for attempt in range(attempts):
            answer = client.post(body)
            ledger.record(body, answer)
            if answer.status is not None and 200 <= answer.status < 300:
                break
            time.sleep(min(2.0, 0.2 * 2**attempt))


def load_loop(
    client: Client,
    ledger: Ledger,
    stop: threading.Event,
    limit: int,
    pending: list[dict[str, Any]],
) -> None:
    """New surveys until ``stop`` or ``limit``; those without a 2xx go to ``pending``.

    A survey without an answer (server killed) is kept for the end, like a
    kiosk's queue; so is one answered 503/507, after which the client waits
    as ``Retry-After`` says, but at most :data:`RETRY_PAUSE` (a run is short).
    """
    for _ in range(limit):
        if stop.is_set():
            break
        body = client.new_survey()
        answer = client.post(body)
        ledger.record(body, answer)
        if answer.status is None or not 200 <= answer.status < 300:
            pending.append(body)
            if answer.status is None:
                time.sleep(RETRY_PAUSE)  # the server is down: a kiosk waits too
            elif answer.retry_after:
                time.sleep(min(RETRY_PAUSE, float(answer.retry_after)))
    client.close()


def run_clients(
    all_clients: list[Client], ledger: Ledger, stop: threading.Event, limit: int
) -> tuple[list[threading.Thread], list[list[dict[str, Any]]]]:
    queues: list[list[dict[str, Any]]] = [[] for _ in all_clients]
    threads = [
        threading.Thread(target=load_loop, args=(c, ledger, stop, limit, q), daemon=True)
        for c, q in zip(all_clients, queues, strict=True)
    ]
    for thread in threads:
        thread.start()
    return threads, queues


@dataclass
class Load:
    """``skm serve`` under load from the clients (see :func:`under_load`)."""

    server: Server
    ledger: Ledger
    stop: threading.Event
    clients: list[Client]
    threads: list[threading.Thread]
    queues: list[list[dict[str, Any]]]
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def finish(self) -> int:
        """Stop sending new surveys; how many are held unacknowledged."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)
        return sum(len(queue) for queue in self.queues)

    def resend(self) -> None:
        """Every client resends what it holds unacknowledged."""
        drain(self.clients, self.ledger, self.queues)


@contextmanager
def under_load(site: Site, work: Path, args: Any) -> Iterator[Load]:
    """Start ``skm serve`` and ``args.clients`` clients posting; stop both afterwards."""
    server = Server(site, work / f"server-{site.kind}.log")
    server.start()
    ledger = Ledger()
    stop = threading.Event()
    all_clients = clients(site, server.port, args.clients)
    threads, queues = run_clients(all_clients, ledger, stop, args.per_client)
    try:
        yield Load(server, ledger, stop, all_clients, threads, queues)
    finally:
        stop.set()
        server.stop()


def drain(all_clients: list[Client], ledger: Ledger, queues: list[list[dict[str, Any]]]) -> None:
    """Every client resends what it holds unacknowledged, all at once."""
    threads = [
        threading.Thread(target=deliver_until_acknowledged, args=(c, ledger, q), daemon=True)
        for c, q in zip(all_clients, queues, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    for client in all_clients:
        client.close()


@dataclass
class Verdict:
    """The figures a script prints for one database, and whether a promise broke."""

    database: str
    sent: int
    acknowledged: int
    lost: int
    duplicated: int
    server_errors: int
    unsent_rows: int
    missing_after_resend: int
    statuses: Counter[int | None]
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def broken(self) -> bool:
        return bool(
            self.lost
            or self.duplicated
            or self.server_errors
            or self.unsent_rows
            or self.missing_after_resend
            or self.problems
        )

    def lines(self) -> list[str]:
        codes = ", ".join(
            f"{'no answer' if code is None else code}: {n}"
            for code, n in sorted(self.statuses.items(), key=lambda item: item[0] or 0)
        )
        lines = [
            f"{self.database:<10} sent {self.sent}, acknowledged {self.acknowledged}, "
            f"acknowledged-then-lost {self.lost}, duplicated {self.duplicated}, "
            f"server errors {self.server_errors}; after resending: "
            f"{self.missing_after_resend} surveys without a row, "
            f"{self.unsent_rows} rows never sent",
            f"{'':<10} answers: {codes}",
        ]
        lines += [f"{'':<10} {note}" for note in self.notes]
        lines += [f"{'':<10} BROKEN: {problem}" for problem in self.problems]
        lines.append(f"{'':<10} {'BROKEN' if self.broken else 'promise kept'}")
        return lines


def lost_now(url: str, acknowledged: set[str]) -> int:
    """Acknowledged UUIDs that have no row at this moment."""
    _, stored, _ = skm_counts(url)
    return len(acknowledged - stored)


def verdict(site: Site, ledger: Ledger, notes: list[str], problems: list[str]) -> Verdict:
    """The final count check, after the clients resent everything unacknowledged."""
    rows, stored, _ = skm_counts(site.url)
    sent = set(ledger.sent)
    errors = ledger.server_errors()
    if errors:
        counted = Counter(errors).items()
        notes.append("server errors: " + ", ".join(f"{n} x {r}" for r, n in counted))
    return Verdict(
        database=site.kind,
        sent=len(sent),
        acknowledged=len(ledger.acknowledged),
        lost=len(ledger.acknowledged - stored),
        duplicated=rows - len(stored),
        server_errors=len(errors),
        unsent_rows=len(stored - sent),
        missing_after_resend=len(sent - stored),
        statuses=ledger.statuses(),
        notes=notes,
        problems=problems,
    )


# --- the command line ------------------------------------------------------------------


def arguments(description: str, per_client: int = 5000) -> Any:
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--per-client", type=int, default=per_client, help="new surveys per client, most"
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (default both)",
    )
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (max 64)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    return parser


def _show_server_errors(work: Path) -> None:
    """The server's tracebacks, to see why a promise broke (the folder is deleted)."""
    for log in sorted(work.glob("server-*.log")):
        text = log.read_text(errors="replace")
        for failure in text.split("ERROR:waitress:")[1:3]:
            # Where it failed, without the SQL statements and their parameters.
            frames = [line for line in failure.splitlines() if line.startswith(("  File", "Trace"))]
            print(f"--- {log.name}: {failure.splitlines()[0]}", *frames[-12:], sep="\n")


@contextmanager
def _here(folder: Path) -> Iterator[Path]:
    yield folder


def databases(args: Any) -> list[str]:
    chosen = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(chosen) - {"sqlite", "postgresql"}
    if unknown:
        raise SystemExit(f"unknown database: {', '.join(sorted(unknown))}")
    return chosen


def run_per_database(args: Any, scenario: Any, *, place: Any = None) -> None:
    """Run ``scenario(site, work, args) -> Verdict`` on each database; exit 1 if a promise broke.

    ``place(work)``, a context manager, gives the folder that holds the
    instance and the SQLite file (default ``work`` itself).
    """
    # Stopped from outside (timeout, kill): still stop the server, drop the
    # PostgreSQL schema and unmount, in the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.clients = max(1, min(args.clients, 64))
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    print(f"seed {seed}", flush=True)
    random.seed(seed)
    verdicts = []
    for kind in databases(args):
        with tempfile.TemporaryDirectory(prefix="skm-faults-") as folder:
            work = Path(folder)
            with (
                place(work) if place is not None else _here(work) as home,
                database_url(kind, home, args.postgres_url) as url,
            ):
                site = prepare_site(kind, url, home / "instance", args.clients)
                result = scenario(site, work, args)
                verdicts.append(result)
                for line in result.lines():
                    print(line, flush=True)
                if result.broken:
                    _show_server_errors(work)
    if any(result.broken for result in verdicts):
        sys.exit(1)
