"""Month summary tables: the day rows added up per local month.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 15:30:00

Creates ``response_summary_month`` and ``response_summary_month_detail``,
the same columns as the day tables of revision 0003 with ``day`` holding
the first day of the month, and fills them from the day rows. Every
triwulan, semester and tahun is whole months, so the dashboard and the
reports read a month row where they read some 30 day rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from skm.summaries.maintenance import rebuild_months

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SLOTS = range(1, 21)
PROFILE_SLOTS = range(1, 41)


def _key_columns(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("instrument_key", sa.String(length=64), nullable=False),
        sa.Column("instrument_version", sa.SmallInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("layanan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f(f"fk_{table}_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(
            "instrument_key", "instrument_version", "day", "unit_id", "layanan_id",
            name=op.f(f"pk_{table}"),
        ),
    ]  # fmt: skip


def _detail_names() -> list[str]:
    names = [f"p{p:02d}" for p in PROFILE_SLOTS]
    names += [f"xx_{j:02d}_{k:02d}" for j in SLOTS for k in SLOTS if j <= k]
    names += [f"aa_{j:02d}_{k:02d}" for j in SLOTS for k in SLOTS if j < k]
    names += [f"xa_{j:02d}_{k:02d}" for j in SLOTS for k in SLOTS if j != k]
    return names


def upgrade() -> None:
    op.create_table(
        "response_summary_month",
        *_key_columns("response_summary_month"),
        sa.Column("respondents", sa.Integer(), nullable=False),
        *(sa.Column(f"s{i:02d}", sa.Integer(), nullable=True) for i in SLOTS),
        *(sa.Column(f"c{i:02d}", sa.Integer(), nullable=True) for i in SLOTS),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "response_summary_month_detail",
        *_key_columns("response_summary_month_detail"),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in _detail_names()),
    )
    rebuild_months(op.get_bind())


def downgrade() -> None:
    op.drop_table("response_summary_month_detail")
    op.drop_table("response_summary_month")
