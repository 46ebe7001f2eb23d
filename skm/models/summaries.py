"""The summary tables: what scoring needs of the responses, per day.

One row per (instrument, local calendar day, unit, layanan) holds, for the
counted responses of that day (not excluded), the respondent count and,
per answer slot, Σ nilai and the number of answers (``response_summary``,
narrow, read for every score and trend), and in a second, wide table the
profile counts per option and the cross-products the konversi interval
needs (``response_summary_detail``, read for the chosen periode only).

Every column is an integer sum, so adding day rows gives exactly what a
scan of the raw responses gives. A column is NULL when the instrument does
not use that slot. ``layanan_id`` is 0 for responses without a layanan
(a primary key cannot hold NULL); the unit's rows go with the unit
(ON DELETE CASCADE: only empty rows can be left, a unit with responses
cannot be deleted). On SQLite the narrow table is WITHOUT ROWID: its rows are
stored in key order, so the days of a periode are one contiguous range. The
wide detail table keeps its rowid: a row of some 180 integers exceeds what a
WITHOUT ROWID page holds inline, and overflow pages made its scan four
times slower.

The month tables (``response_summary_month``, ``response_summary_month_detail``)
hold the same sums per calendar month of the office's zone, ``day`` being
the month's first day. Every triwulan, semester and tahun is whole months,
so the dashboard, its trend and the reports read some 30 times fewer rows
there; a date range that cuts a month reads the day rows. Both are written
in the same transaction, so they always agree (``skm db check-summaries``
compares each with the raw responses).
"""

from __future__ import annotations

import sqlalchemy as sa

from skm.database import Base
from skm.models.survey import ANSWER_SLOTS

#: Profile category slots per instrument (options and bands of the annex
#: fields, plus "blank" and "other" per field); more falls back to raw rows.
PROFILE_SLOTS = 40

#: layanan_id stored for responses without a layanan.
NO_LAYANAN = 0

KEY_COLUMNS = ("instrument_key", "instrument_version", "day", "unit_id", "layanan_id")

SLOTS = range(1, ANSWER_SLOTS + 1)


def sum_column(slot: int) -> str:
    """Σ nilai of answer slot ``slot`` (1-based, as u01)."""
    return f"s{slot:02d}"


def count_column(slot: int) -> str:
    """Number of answers in slot ``slot``."""
    return f"c{slot:02d}"


def profile_column(slot: int) -> str:
    return f"p{slot:02d}"


def product_column(j: int, k: int) -> str:
    """Σ x_j·x_k over the responses that answered both (j <= k; j == k: Σ x_j²)."""
    return f"xx_{j:02d}_{k:02d}"


def both_column(j: int, k: int) -> str:
    """Number of responses that answered both j and k (j < k): Σ a_j·a_k."""
    return f"aa_{j:02d}_{k:02d}"


def partial_column(j: int, k: int) -> str:
    """Σ x_j over the responses that answered both j and k (j != k): Σ x_j·a_k."""
    return f"xa_{j:02d}_{k:02d}"


def detail_columns(n_slots: int) -> list[str]:
    """The detail columns an instrument of ``n_slots`` unsur fills, in table order."""
    names = [profile_column(p) for p in range(1, PROFILE_SLOTS + 1)]
    slots = range(1, n_slots + 1)
    names += [product_column(j, k) for j in slots for k in slots if j <= k]
    names += [both_column(j, k) for j in slots for k in slots if j < k]
    names += [partial_column(j, k) for j in slots for k in slots if j != k]
    return names


def _key_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("instrument_key", sa.String(64), primary_key=True),
        sa.Column("instrument_version", sa.SmallInteger, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("unit_id", sa.ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("layanan_id", sa.Integer, primary_key=True),
    ]


def _summary_table(name: str) -> sa.Table:
    """The narrow table: respondents, and Σ nilai and counts per answer slot."""
    return sa.Table(
        name,
        Base.metadata,
        *_key_columns(),
        sa.Column("respondents", sa.Integer, nullable=False),
        *(sa.Column(sum_column(slot), sa.Integer) for slot in SLOTS),
        *(sa.Column(count_column(slot), sa.Integer) for slot in SLOTS),
        sqlite_with_rowid=False,
    )


def _detail_table(name: str) -> sa.Table:
    """The wide table: profile counts and the pairwise sums of the interval."""
    return sa.Table(
        name,
        Base.metadata,
        *_key_columns(),
        *(sa.Column(column, sa.Integer) for column in detail_columns(ANSWER_SLOTS)),
    )


response_summary = _summary_table("response_summary")
response_summary_detail = _detail_table("response_summary_detail")
response_summary_month = _summary_table("response_summary_month")
response_summary_month_detail = _detail_table("response_summary_month_detail")

#: (narrow, wide) per grain: rows per local day, and per local month.
DAY_TABLES = (response_summary, response_summary_detail)
MONTH_TABLES = (response_summary_month, response_summary_month_detail)
