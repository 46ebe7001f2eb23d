"""Summaries maintained on write: scores read day rows, not every response.

Every path that stores, excludes, re-includes, edits or deletes a response
calls :func:`add` or :func:`remove` with the response's column values, in
the transaction that changes the response, so the summary rows and the
responses commit (or roll back) together. Responses changed through the
ORM session (paper forms, the exclusion of one response) are tracked by a
``before_flush`` listener; bulk statements call the functions themselves.

Concurrent kiosks adding to the same day row do not lose an increment: the
upsert adds to the stored value inside the database (``INSERT .. ON
CONFLICT DO UPDATE SET s01 = s01 + excluded.s01``), PostgreSQL locking the
row until commit and SQLite serialising writers. Rows are always written
in key order, summary before detail, so two transactions never wait on
each other in a cycle.

The month rows are the day rows added up per local month (see
:mod:`skm.models.summaries`): each change is added to both, month rows after
day rows, in the same transaction.

Days are cut in the office's time zone (``SKM_TIMEZONE``; outside an
application Asia/Jakarta). After changing the zone run
``skm db rebuild-summaries``; until then scores in the new zone are read
from the raw rows (see :func:`skm.ikm.summaries_serve`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from skm.config import DEFAULT_TIMEZONE, resolve_timezone
from skm.models import SCORING_COLUMNS, SurveyResponse
from skm.models.summaries import DAY_TABLES, KEY_COLUMNS, MONTH_TABLES
from skm.summaries.deltas import PROFILE_FIELDS, Deltas, by_month, summed

__all__ = ["ROW_COLUMNS", "add", "remove", "summary_timezone"]

#: The response columns the summaries depend on: a write path hands these over.
ROW_COLUMNS = (
    "instrument_key",
    "instrument_version",
    "submitted_at",
    "unit_id",
    "layanan_id",
    "excluded",
    *PROFILE_FIELDS,
    *SCORING_COLUMNS,
)

_UPSERTS: dict[tuple[str, str, tuple[str, ...]], str] = {}


def summary_timezone() -> ZoneInfo:
    """The zone whose calendar days the summary rows are."""
    if has_app_context():
        return resolve_timezone(current_app.config["SKM_TIMEZONE"])
    return ZoneInfo(DEFAULT_TIMEZONE)


def _upsert(dialect: str, table: sa.Table, columns: tuple[str, ...]) -> str:
    """INSERT .. ON CONFLICT (key) DO UPDATE SET c = c + excluded.c, as DBAPI SQL, built once.

    Plain SQL with positional parameters: a kiosk delivery adds to some 180
    columns, and binding them through SQLAlchemy's compiled statement costs
    more than the upsert itself.
    """
    cache_key = (dialect, table.name, columns)
    statement = _UPSERTS.get(cache_key)
    if statement is None:
        names = (*KEY_COLUMNS, *columns)
        if dialect == "postgresql":  # PostgreSQL's own placeholders: see _execute
            markers = ", ".join(f"${i}" for i in range(1, len(names) + 1))
        else:
            markers = ", ".join("?" for _ in names)
        # Table and column names come from the table definition; every value is bound.
        statement = (
            f"INSERT INTO {table.name} ({', '.join(names)}) "  # nosec B608
            f"VALUES ({markers}) "
            f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET "
            + ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in columns)
        )
        _UPSERTS[cache_key] = statement
    return statement


def _apply(connection: sa.Connection, rows: Sequence[Mapping[str, Any]], sign: int) -> None:
    if not rows:
        return
    days = summed(rows, summary_timezone(), sign)
    dialect = connection.dialect.name
    for tables, totals in ((DAY_TABLES, days), (MONTH_TABLES, by_month(days))):
        _upsert_totals(connection, dialect, tables, totals)


def _upsert_totals(
    connection: sa.Connection, dialect: str, tables: tuple[sa.Table, sa.Table], totals: Deltas
) -> None:
    """Add ``totals`` to the rows of (narrow, wide) ``tables``, one statement per layout."""
    narrow, wide = tables
    batches: dict[tuple[str, ...], tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], Any]] = {}
    for key in sorted(totals):  # key order: no two writers wait on each other in a cycle
        layout, main, detail = totals[key]
        # SQLite stores a date as its ISO text (what SQLAlchemy's Date writes there).
        keys = (*key[:2], key[2].isoformat() if dialect == "sqlite" else key[2], *key[3:])
        main_rows, detail_rows, _ = batches.setdefault(layout.main_columns, ([], [], layout))
        main_rows.append((*keys, *main))
        detail_rows.append((*keys, *detail))
    for main_columns, (main_rows, detail_rows, layout) in batches.items():
        _execute(connection, _upsert(dialect, narrow, main_columns), main_rows)
        _execute(connection, _upsert(dialect, wide, layout.detail_columns), detail_rows)


def _execute(connection: sa.Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    """Run ``statement`` once per row, in ``connection``'s transaction.

    On PostgreSQL the cursor is psycopg's RawCursor, which sends ``$n``
    placeholders as they are: psycopg's usual cursor parses a statement of
    more than 50 parameters for its ``%s`` on every execution, and the detail
    upsert has some 150. That parse was most of what the summaries cost a
    delivery. The statement still goes through SQLAlchemy, whose error
    handling turns an ended connection into the 503 a kiosk retries (and
    drops that connection from the pool).
    """
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(statement, rows)
        return
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)  # the only PostgreSQL driver SKM uses
    usual = driver.cursor_factory
    driver.cursor_factory = psycopg.RawCursor
    try:
        connection.exec_driver_sql(statement, rows)
    finally:
        driver.cursor_factory = usual


def add(connection: sa.Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Count ``rows`` (column values of stored responses) in the summaries.

    Rows marked ``excluded`` are not counted, as scoring does not count them.
    """
    _apply(connection, list(rows), 1)


def remove(connection: sa.Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Take ``rows`` (as they were counted) out of the summaries."""
    _apply(connection, list(rows), -1)


def returning() -> list[sa.ColumnElement[Any]]:
    """Columns to add to an UPDATE or DELETE .. RETURNING that feeds :func:`remove`."""
    return [getattr(SurveyResponse, name) for name in ROW_COLUMNS]


def _stored(session: Session, responses: list[SurveyResponse]) -> list[dict[str, Any]]:
    """The summary columns of ``responses`` as the database holds them (before this flush)."""
    ids = [response.id for response in responses]
    query = sa.select(*returning()).where(SurveyResponse.id.in_(ids))
    return [dict(row._mapping) for row in session.connection().execute(query)]


def _track_session(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush: count what the flush will insert, delete or change.

    Old values are read from the database rather than from the ORM's
    attribute history, which lacks them when an attribute was expired.
    """
    added = [
        {name: getattr(r, name) for name in ROW_COLUMNS}
        for r in session.new
        if isinstance(r, SurveyResponse)
    ]
    deleted = [r for r in session.deleted if isinstance(r, SurveyResponse)]
    changed = [
        r
        for r in session.dirty
        if isinstance(r, SurveyResponse)
        and r not in session.deleted
        and session.is_modified(r)
        and any(sa.inspect(r).attrs[name].history.has_changes() for name in ROW_COLUMNS)
    ]
    added += [{name: getattr(r, name) for name in ROW_COLUMNS} for r in changed]
    removed = _stored(session, deleted + changed) if deleted or changed else []
    if added or removed:
        connection = session.connection()
        remove(connection, removed)
        add(connection, added)


sa.event.listen(Session, "before_flush", _track_session)
