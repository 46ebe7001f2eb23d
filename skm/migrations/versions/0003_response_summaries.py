"""Summary tables maintained on write: per instrument, local day, unit and layanan.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 02:00:00

Creates ``response_summary`` (respondents, Σ nilai and counts per answer
slot) and ``response_summary_detail`` (profile counts per category slot and
the pairwise products the konversi interval needs), then fills them from
the stored responses, cut into days in the office's time zone (the same
computation as ``skm db rebuild-summaries``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from skm.summaries import summary_timezone
from skm.summaries.maintenance import rebuild

revision = "0003"
down_revision = "0002"
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
        "response_summary",
        *_key_columns("response_summary"),
        sa.Column("respondents", sa.Integer(), nullable=False),
        *(sa.Column(f"s{i:02d}", sa.Integer(), nullable=True) for i in SLOTS),
        *(sa.Column(f"c{i:02d}", sa.Integer(), nullable=True) for i in SLOTS),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "response_summary_detail",
        *_key_columns("response_summary_detail"),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in _detail_names()),
    )
    # The existing responses, summed the way the write paths sum new ones.
    # The month tables come with revision 0005, which fills them from these day rows.
    rebuild(op.get_bind(), summary_timezone(), months=False)


def downgrade() -> None:
    op.drop_table("response_summary_detail")
    op.drop_table("response_summary")
