"""Rebuilding the summaries from the raw responses, and checking them against those.

Both run the same grouped SQL over the responses (one pass per instrument
and per stretch of constant UTC offset of the office's zone), so the
check compares the stored rows with exactly what a rebuild would write.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from questionnaires import UnknownInstrumentError
from skm.models import Response, answer_column_name
from skm.summaries.deltas import BLANK, OTHER, Key, Layout, layout_of, summary_fields
from skm.summaries.models import (
    KEY_COLUMNS,
    NO_LAYANAN,
    response_summary,
    response_summary_detail,
)

#: Offsets of real time zones are whole quarters of an hour.
STEP = timedelta(minutes=15)
INSERT_CHUNK = 5_000

Totals = dict[Key, dict[str, int]]


def offset_segments(tz: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, datetime, int]]:
    """Half-open UTC ranges covering [start, end) in which ``tz`` keeps one offset (minutes)."""
    segments: list[tuple[datetime, datetime, int]] = []
    moment = start.replace(minute=start.minute - start.minute % 15, second=0, microsecond=0)
    begin = start
    offset = _offset(tz, moment)
    while moment < end:
        moment += STEP
        current = _offset(tz, moment)
        if current != offset or moment >= end:
            segments.append((begin, min(moment, end) if current == offset else moment, offset))
            begin, offset = moment, current
    if not segments or segments[-1][1] < end:
        segments.append((begin, end, offset))
    return segments


def _offset(tz: ZoneInfo, instant: datetime) -> int:
    delta = instant.astimezone(tz).utcoffset()
    assert delta is not None
    return int(delta.total_seconds() // 60)


def _local_day(connection: sa.Connection, minutes: int) -> sa.ColumnElement[Any]:
    column = Response.__table__.c.submitted_at
    # Literals, not parameters: PostgreSQL matches GROUP BY expressions textually.
    if connection.dialect.name == "sqlite":
        return sa.func.date(column, sa.literal_column(f"'{minutes:+d} minutes'"))
    return sa.cast(column + sa.literal_column(f"interval '{minutes:d} minutes'"), sa.Date)


def _zero(expression: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.coalesce(expression, 0)


def _aggregates(layout: Layout) -> list[sa.ColumnElement[Any]]:
    """SQL for every summary column of ``layout``, in main then detail column order."""
    table = Response.__table__.c
    u = [table[answer_column_name(j)] for j in range(layout.instrument.n_unsur)]
    columns: list[sa.ColumnElement[Any]] = [sa.func.count()]
    columns += [_zero(sa.func.sum(x)) for x in u]
    columns += [sa.func.count(x) for x in u]
    fields = {field.key: field for field in summary_fields(layout.instrument)}
    for key, category in layout.profile_slots:
        columns.append(sa.func.sum(sa.case((_in_category(fields[key], category), 1), else_=0)))
    columns += [_zero(sa.func.sum(u[j] * u[k])) for j, k in layout.pairs_le]
    columns += [sa.func.count(u[j] + u[k]) for j, k in layout.pairs_lt]
    columns += [_zero(sa.func.sum(u[j] + 0 * u[k])) for j, k in layout.pairs_ne]
    return columns


def _in_category(field: Any, category: str | None) -> sa.ColumnElement[bool]:
    column = Response.__table__.c[field.key]
    if category is BLANK:
        return column.is_(None)
    known: list[sa.ColumnElement[bool]] = [column == option.key for option in field.options]
    known += [column.between(band.minimum, band.maximum) for band in field.bands]
    if category == OTHER:
        return sa.and_(column.is_not(None), sa.not_(sa.or_(*known)))
    if field.kind == "integer":
        band = next(b for b in field.bands if b.key == category)
        return column.between(band.minimum, band.maximum)
    return column == category


def raw_totals(connection: sa.Connection, tz: ZoneInfo) -> tuple[Totals, dict[Key, Layout]]:
    """What the summaries must hold, computed from the counted responses."""
    table = Response.__table__.c
    totals: Totals = {}
    layouts: dict[Key, Layout] = {}
    instruments = connection.execute(
        sa.select(table.instrument_key, table.instrument_version,
                  sa.func.min(table.submitted_at), sa.func.max(table.submitted_at))
        .where(table.excluded.is_(False))
        .group_by(table.instrument_key, table.instrument_version)
    ).all()  # fmt: skip
    for key, version, first, last in instruments:
        try:
            layout = layout_of(key, version)
        except UnknownInstrumentError:
            continue  # responses of an instrument no longer installed cannot be scored
        names = (*layout.main_columns, *layout.detail_columns)
        start = _as_utc(first)
        end = _as_utc(last) + timedelta(microseconds=1)
        for begin, finish, minutes in offset_segments(tz, start, end):
            day = _local_day(connection, minutes).label("day")
            layanan = sa.func.coalesce(table.layanan_id, sa.literal_column(str(NO_LAYANAN)))
            query = (
                sa.select(day, table.unit_id, layanan, *_aggregates(layout))
                .where(
                    table.instrument_key == key,
                    table.instrument_version == version,
                    table.excluded.is_(False),
                    table.submitted_at >= begin,
                    table.submitted_at < finish,
                )
                .group_by(day, table.unit_id, layanan)
            )
            for row in connection.execute(query):
                row_key: Key = (key, int(version), _as_date(row[0]), int(row[1]), int(row[2]))
                values = dict(zip(names, (int(v) for v in row[3:]), strict=True))
                if row_key in totals:
                    for name, value in values.items():
                        totals[row_key][name] += value
                else:
                    totals[row_key] = values
                    layouts[row_key] = layout
    return totals, layouts


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def stored_totals(connection: sa.Connection) -> Totals:
    """The summary rows as stored, without empty ones (every response of a day removed)."""
    totals: Totals = {}
    values_of = [c for c in response_summary_detail.c if c.name not in KEY_COLUMNS]
    for row in connection.execute(
        sa.select(response_summary, *values_of).join(
            response_summary_detail,
            sa.and_(*(response_summary.c[k] == response_summary_detail.c[k] for k in KEY_COLUMNS)),
            isouter=True,
        )
    ).mappings():
        values = {k: int(v) for k, v in row.items() if k not in KEY_COLUMNS and v is not None}
        if any(values.values()):
            key: Key = (row["instrument_key"], int(row["instrument_version"]),
                        _as_date(row["day"]), int(row["unit_id"]), int(row["layanan_id"]))  # fmt: skip
            totals[key] = values
    return totals


def rebuild(connection: sa.Connection, tz: ZoneInfo) -> int:
    """Replace every summary row with one computed from the raw responses; the row count.

    On PostgreSQL the responses are locked against writers meanwhile, so no
    delivery falls between the computation and the new rows.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("LOCK TABLE response IN SHARE MODE"))
    totals, layouts = raw_totals(connection, tz)
    connection.execute(sa.delete(response_summary_detail))
    connection.execute(sa.delete(response_summary))
    for table, part in ((response_summary, "main"), (response_summary_detail, "detail")):
        for batch in _batches(totals, layouts, part):
            connection.execute(sa.insert(table), batch)
    return len(totals)


def _batches(totals: Totals, layouts: dict[Key, Layout], part: str) -> Iterator[list[dict[str, Any]]]:
    batch: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for key in sorted(totals):
        layout = layouts[key]
        names = layout.main_columns if part == "main" else layout.detail_columns
        row = dict(zip(KEY_COLUMNS, key, strict=True)) | {n: totals[key][n] for n in names}
        rows = batch.setdefault(names, [])
        rows.append(row)
        if len(rows) >= INSERT_CHUNK:
            yield rows
            batch[names] = []
    yield from (rows for rows in batch.values() if rows)


@dataclass(frozen=True)
class Difference:
    key: Key
    column: str
    stored: int | None
    expected: int | None

    def __str__(self) -> str:
        instrument, version, day, unit, layanan = self.key
        where = f"{instrument} v{version}, {day.isoformat()}, unit {unit}, layanan {layanan or '-'}"
        return f"{where}: {self.column} tersimpan {self.stored}, seharusnya {self.expected}"


def differences(connection: sa.Connection, tz: ZoneInfo) -> list[Difference]:
    """Every summary value that differs from what the raw responses give."""
    expected, _ = raw_totals(connection, tz)
    expected = {k: v for k, v in expected.items() if any(v.values())}
    stored = stored_totals(connection)
    found: list[Difference] = []
    for key in sorted(set(expected) | set(stored)):
        want = expected.get(key, {})
        have = stored.get(key, {})
        for column in sorted(set(want) | set(have)):
            if want.get(column, 0) != have.get(column, 0):
                found.append(Difference(key, column, have.get(column), want.get(column)))
    return found
