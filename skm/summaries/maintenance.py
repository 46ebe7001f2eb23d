"""Rebuilding the summaries from the raw responses, and checking them against those.

Both run the same grouped SQL over the responses (one pass per instrument
and per stretch of constant UTC offset of the office's zone), so the
check compares the stored rows with exactly what a rebuild would write.
The month rows are rebuilt from the day rows just written, and checked
against the raw responses added up per month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from questionnaires import UnknownInstrumentError
from skm.models import SurveyResponse, answer_column_name
from skm.models.summaries import (
    KEY_COLUMNS,
    MONTH_TABLES,
    NO_LAYANAN,
    response_summary,
    response_summary_detail,
)
from skm.summaries.deltas import BLANK, OTHER, Key, Layout, layout_of, month_key, summary_fields

#: Offsets of real time zones are whole quarters of an hour.
STEP = timedelta(minutes=15)
INSERT_CHUNK = 5_000

Totals = dict[Key, dict[str, int]]


def offset_segments(
    tz: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, int]]:
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
    column = SurveyResponse.__table__.c.submitted_at
    # Literals, not parameters: PostgreSQL matches GROUP BY expressions textually.
    if connection.dialect.name == "sqlite":
        return sa.func.date(column, sa.literal_column(f"'{minutes:+d} minutes'"))
    return sa.cast(column + sa.literal_column(f"interval '{minutes:d} minutes'"), sa.Date)


def _zero(expression: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.func.coalesce(expression, 0)


def _aggregates(layout: Layout) -> list[sa.ColumnElement[Any]]:
    """SQL for every summary column of ``layout``, in main then detail column order."""
    table = SurveyResponse.__table__.c
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
    column: sa.ColumnElement[Any] = SurveyResponse.__table__.c[field.key]
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


def _instruments(connection: sa.Connection) -> list[tuple[Layout, datetime, datetime]]:
    """Each installed instrument with counted responses, and their first and last instant."""
    table = SurveyResponse.__table__.c
    found = []
    for key, version, first, last in connection.execute(
        sa.select(table.instrument_key, table.instrument_version,
                  sa.func.min(table.submitted_at), sa.func.max(table.submitted_at))
        .where(table.excluded.is_(False))
        .group_by(table.instrument_key, table.instrument_version)
    ):  # fmt: skip
        try:
            layout = layout_of(key, version)
        except UnknownInstrumentError:
            continue  # responses of an instrument no longer installed cannot be scored
        found.append((layout, _as_utc(first), _as_utc(last) + timedelta(microseconds=1)))
    return found


def _grouped(
    connection: sa.Connection, layout: Layout, segment: tuple[datetime, datetime, int]
) -> list[tuple[sa.Table, sa.Select[Any]]]:
    """Per summary table, the grouped SELECT of its rows over one stretch of constant offset."""
    table = SurveyResponse.__table__.c
    begin, finish, minutes = segment
    day = _local_day(connection, minutes)
    layanan = sa.func.coalesce(table.layanan_id, sa.literal_column(str(NO_LAYANAN)))
    aggregates = _aggregates(layout)
    main = len(layout.main_columns)
    where = [
        table.instrument_key == layout.instrument.key,
        table.instrument_version == layout.instrument.version,
        table.excluded.is_(False),
        table.submitted_at >= begin,
        table.submitted_at < finish,
    ]
    keys: list[sa.ColumnElement[Any]] = [
        sa.literal(layout.instrument.key),
        sa.literal(layout.instrument.version),
        day,
        table.unit_id,
        layanan,
    ]
    return [
        (target, sa.select(*keys, *columns).where(*where).group_by(day, table.unit_id, layanan))
        for target, columns in ((response_summary, aggregates[:main]),
                                (response_summary_detail, aggregates[main:]))
    ]  # fmt: skip


def _segment_totals(
    connection: sa.Connection, layout: Layout, segments: list[tuple[datetime, datetime, int]]
) -> tuple[Totals, dict[Key, Layout]]:
    totals: Totals = {}
    for segment in segments:
        for target, query in _grouped(connection, layout, segment):
            names = _names(target, layout)
            for row in connection.execute(query):
                key: Key = (row[0], int(row[1]), _as_date(row[2]), int(row[3]), int(row[4]))
                values = totals.setdefault(key, {})
                for name, value in zip(names, row[5:], strict=True):
                    values[name] = values.get(name, 0) + int(value)
    return totals, dict.fromkeys(totals, layout)


def raw_totals(connection: sa.Connection, tz: ZoneInfo) -> tuple[Totals, dict[Key, Layout]]:
    """What the summaries must hold, computed from the counted responses."""
    totals: Totals = {}
    layouts: dict[Key, Layout] = {}
    for layout, first, last in _instruments(connection):
        found, _ = _segment_totals(connection, layout, offset_segments(tz, first, last))
        totals.update(found)
        layouts.update(dict.fromkeys(found, layout))
    return totals, layouts


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def stored_totals(
    connection: sa.Connection,
    tables: tuple[sa.Table, sa.Table] = (response_summary, response_summary_detail),
) -> Totals:
    """The summary rows of (narrow, wide) ``tables`` as stored, without empty ones
    (every response of a day or month removed)."""
    narrow, wide = tables
    totals: Totals = {}
    values_of = [c for c in wide.c if c.name not in KEY_COLUMNS]
    for row in connection.execute(
        sa.select(narrow, *values_of).join(
            wide, sa.and_(*(narrow.c[k] == wide.c[k] for k in KEY_COLUMNS)), isouter=True
        )
    ).mappings():
        values = {k: int(v) for k, v in row.items() if k not in KEY_COLUMNS and v is not None}
        if any(values.values()):
            key: Key = (
                row["instrument_key"],
                int(row["instrument_version"]),
                _as_date(row["day"]),
                int(row["unit_id"]),
                int(row["layanan_id"]),
            )
            totals[key] = values
    return totals


def _month_of(connection: sa.Connection, day: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The first day of the month of a stored ``day``, in SQL."""
    if connection.dialect.name == "sqlite":
        return sa.func.date(day, sa.literal_column("'start of month'"))
    # A timestamp without zone: date_trunc of a date would go through the session's zone.
    moment = sa.cast(day, sa.DateTime(timezone=False))
    return sa.cast(sa.func.date_trunc(sa.literal_column("'month'"), moment), sa.Date)


def rebuild_months(connection: sa.Connection) -> None:
    """Month rows as the sums of the day rows (integers: nothing is lost in adding)."""
    for day_table, month_table in zip(
        (response_summary, response_summary_detail), MONTH_TABLES, strict=True
    ):
        connection.execute(sa.delete(month_table))
        month = _month_of(connection, day_table.c.day)
        values = [c.name for c in day_table.c if c.name not in KEY_COLUMNS]
        group = [day_table.c.instrument_key, day_table.c.instrument_version, month,
                 day_table.c.unit_id, day_table.c.layanan_id]  # fmt: skip
        query = sa.select(*group, *(sa.func.sum(day_table.c[name]) for name in values))
        connection.execute(
            sa.insert(month_table).from_select([*KEY_COLUMNS, *values], query.group_by(*group))
        )


def months_of(totals: Totals) -> Totals:
    """Day totals added up per month."""
    months: Totals = {}
    for key, values in totals.items():
        month = months.setdefault(month_key(key), {})
        for name, value in values.items():
            month[name] = month.get(name, 0) + value
    return months


def rebuild(connection: sa.Connection, tz: ZoneInfo, *, months: bool = True) -> int:
    """Replace every summary row with one computed from the raw responses; the row count.

    On PostgreSQL the responses are locked against writers meanwhile, so no
    delivery falls between the computation and the new rows. Where the zone
    keeps one UTC offset over an instrument's responses (every Indonesian
    zone), the database sums straight into the tables (INSERT .. SELECT);
    otherwise the stretches are added up here first. ``months=False`` leaves
    the month tables alone (revision 0003 runs before they exist).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("LOCK TABLE response IN SHARE MODE"))
    connection.execute(sa.delete(response_summary_detail))
    connection.execute(sa.delete(response_summary))
    for layout, first, last in _instruments(connection):
        segments = offset_segments(tz, first, last)
        if len(segments) == 1:
            for table, query in _grouped(connection, layout, segments[0]):
                connection.execute(sa.insert(table).from_select(
                    [*KEY_COLUMNS, *_names(table, layout)], query
                ))  # fmt: skip
            continue
        totals, layouts = _segment_totals(connection, layout, segments)
        for table, part in ((response_summary, "main"), (response_summary_detail, "detail")):
            for batch in _batches(totals, layouts, part):
                connection.execute(sa.insert(table), batch)
    if months:
        rebuild_months(connection)
    return int(connection.scalar(sa.select(sa.func.count()).select_from(response_summary)) or 0)


def _names(table: sa.Table, layout: Layout) -> tuple[str, ...]:
    return layout.main_columns if table is response_summary else layout.detail_columns


def _batches(
    totals: Totals, layouts: dict[Key, Layout], part: str
) -> Iterator[list[dict[str, Any]]]:
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
    #: "hari" for a day row, "bulan" for a month row (``key`` holds the month's first day).
    grain: str = "hari"

    def __str__(self) -> str:
        instrument, version, day, unit, layanan = self.key
        when = day.isoformat() if self.grain == "hari" else f"bulan {day.isoformat()[:7]}"
        where = f"{instrument} v{version}, {when}, unit {unit}, layanan {layanan or '-'}"
        return f"{where}: {self.column} tersimpan {self.stored}, seharusnya {self.expected}"


def differences(connection: sa.Connection, tz: ZoneInfo) -> list[Difference]:
    """Every summary value, of the day rows and of the month rows, that differs from
    what the raw responses give."""
    expected, _ = raw_totals(connection, tz)
    expected = {k: v for k, v in expected.items() if any(v.values())}
    found = _compare(expected, stored_totals(connection), "hari")
    months = {k: v for k, v in months_of(expected).items() if any(v.values())}
    return found + _compare(months, stored_totals(connection, MONTH_TABLES), "bulan")


def _compare(expected: Totals, stored: Totals, grain: str) -> list[Difference]:
    found: list[Difference] = []
    for key in sorted(set(expected) | set(stored)):
        want = expected.get(key, {})
        have = stored.get(key, {})
        for column in sorted(set(want) | set(have)):
            if want.get(column, 0) != have.get(column, 0):
                found.append(Difference(key, column, have.get(column), want.get(column), grain))
    return found
