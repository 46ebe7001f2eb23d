#!/usr/bin/env python3
"""The same UUID delivered again with other answers, one after the other and at once.

Through each delivery path (kiosk, phone, API): a survey is sent (201), sent
again unchanged (200, the kiosk's retry), then sent with the same UUID and
other answers (409 with an Indonesian message; the first answers stay).
Then pairs of clients send two different surveys under one UUID at the same
moment: one is stored (201), the other answers 409. Every 409 is in the
audit log, and every stored row holds the answers that were acknowledged.

    .venv/bin/python benchmarks/faults/conflict.py                   # SQLite and PostgreSQL
    .venv/bin/python benchmarks/faults/conflict.py --surveys 100 --pairs 100
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa

from benchmarks.faults import common

#: Words the 409 message must contain (skm.responses.DeliveryConflict.message).
CONFLICT_WORDS = "sudah tersimpan dengan jawaban lain"


def other_answers(body: dict[str, Any]) -> dict[str, Any]:
    """The same survey (UUID, times) with every answer changed."""
    answers = {key: value % 4 + 1 for key, value in body["answers"].items()}
    return body | {"answers": answers}


def stored_answers(url: str) -> dict[str, dict[str, int]]:
    """Answers by unsur key of every stored response, by UUID."""
    import uuid

    from questionnaires import get_instrument
    from skm.database import make_engine
    from skm.models import answer_column_name

    instrument = get_instrument("permenpan-14-2017")
    columns = {u.key: answer_column_name(u.position) for u in instrument.unsur}
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(f"SELECT uuid, {', '.join(columns.values())} FROM response")
        ).mappings()
        stored = {
            str(uuid.UUID(str(row["uuid"]))): {key: row[column] for key, column in columns.items()}
            for row in rows
        }
    engine.dispose()
    return stored


def audited_conflicts(url: str) -> int:
    from skm.database import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("SELECT count(*) FROM audit_log WHERE action = 'respons.konflik'")
        ).scalar()
    engine.dispose()
    return int(count or 0)


def _deliver(
    barrier: threading.Barrier,
    client: common.Client,
    body: dict[str, Any],
    answers: list[common.Answer | None],
    index: int,
) -> None:
    barrier.wait()
    answers[index] = client.post(body)


def scenario(site: common.Site, work: Path, args: Any) -> common.Verdict:
    server = common.Server(site, work / f"server-{site.kind}.log")
    server.start()
    ledger = common.Ledger()
    winners: dict[str, dict[str, Any]] = {}  # UUID -> the body acknowledged with 201
    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    lock = threading.Lock()

    def expect(what: str, answer: common.Answer, status: int) -> None:
        with lock:
            outcomes[f"{what} {answer.status}"] += 1
            if answer.status != status:
                problems.append(f"{what}: {answer.status} instead of {status} {answer.body}")
            elif status == 409 and CONFLICT_WORDS not in answer.body.get("message", ""):
                problems.append(f"{what}: 409 without the message: {answer.body}")

    try:
        for index, kind in enumerate(common.KINDS):
            client = common.Client(kind, site, server.port, index)
            for _ in range(args.surveys):
                first = client.new_survey()
                answer = client.post(first)
                ledger.record(first, answer)
                expect(f"{kind} first", answer, 201)
                winners[str(first["uuid"])] = first
                expect(f"{kind} same again", client.post(first), 200)
                expect(f"{kind} other answers", client.post(other_answers(first)), 409)
            client.close()
            pair = [common.Client(kind, site, server.port, 100 + index * 2 + i) for i in (0, 1)]
            for _ in range(args.pairs):
                bodies = [pair[0].new_survey()]
                bodies.append(other_answers(bodies[0]))
                answers: list[common.Answer | None] = [None, None]
                barrier = threading.Barrier(2)

                threads = [
                    threading.Thread(
                        target=_deliver, args=(barrier, pair[i], bodies[i], answers, i)
                    )
                    for i in (0, 1)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=60)
                statuses = sorted(a.status if a else 0 for a in answers)
                outcomes[f"{kind} at once {statuses}"] += 1
                if statuses != [201, 409]:
                    problems.append(f"{kind} at once: {statuses} instead of [201, 409]")
                for body, answer in zip(bodies, answers, strict=True):
                    assert answer is not None
                    ledger.record(body, answer)
                    if answer.status == 201:
                        winners[str(body["uuid"])] = body
            for client in pair:
                client.close()
    finally:
        server.stop()

    stored = stored_answers(site.url)
    overwritten = sum(
        1 for key, body in winners.items() if key in stored and stored[key] != body["answers"]
    )
    refused = sum(n for what, n in outcomes.items() if what.endswith(" 409") or "409]" in what)
    audited = audited_conflicts(site.url)
    notes = [", ".join(f"{what}: {n}" for what, n in sorted(outcomes.items()))]
    notes.append(
        f"{refused} answered 409, {audited} in the audit log; "
        f"{overwritten} stored surveys whose answers are not the acknowledged ones"
    )
    if overwritten:
        problems.append(f"{overwritten} acknowledged surveys were overwritten")
    if audited != refused:
        problems.append(f"{refused} conflicts answered 409 but {audited} in the audit log")
    return common.verdict(site, ledger, notes, problems)


def main() -> None:
    parser = common.arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--surveys", type=int, default=50, help="per path, one after the other")
    parser.add_argument("--pairs", type=int, default=50, help="per path, two at once")
    args = parser.parse_args()
    args.surveys = max(1, min(args.surveys, 5000))
    args.pairs = max(1, min(args.pairs, 5000))
    print(
        f"conflict: per path {args.surveys} surveys sent again with other answers, "
        f"{args.pairs} pairs at once",
        flush=True,
    )
    common.run_per_database(args, scenario)


if __name__ == "__main__":
    main()
