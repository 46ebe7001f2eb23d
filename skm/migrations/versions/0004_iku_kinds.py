"""IKU kinds: counts, quantities, composites and graded predikat (AKIP AA–D).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 02:00:00

Adds the indicator's definisi operasional, grade scale and composite
combination; a target may be a grade instead of a number (``value`` becomes
nullable; the application requires one of the two); a realisation may carry a grade or the
component values of a composite. The method check takes the four new kinds.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_METHODS = ("ikm", "value", "ratio", "change")
NEW_METHODS = (*OLD_METHODS, "count", "quantity", "composite", "grade")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table("iku_indicator") as batch_op:
        batch_op.add_column(sa.Column("definisi", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("scale", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("combination", sa.String(length=10), nullable=True))
    # Separate batch: on SQLite, new columns and a table rebuild in one batch cannot be ordered.
    with op.batch_alter_table("iku_indicator") as batch_op:
        batch_op.drop_constraint(op.f("ck_iku_indicator_method"), type_="check")
        batch_op.create_check_constraint("method", _in("method", NEW_METHODS))
    with op.batch_alter_table("iku_target") as batch_op:
        batch_op.add_column(sa.Column("grade", sa.String(length=20), nullable=True))
        batch_op.alter_column(
            "value", existing_type=sa.Numeric(precision=18, scale=4), nullable=True
        )
    with op.batch_alter_table("iku_realisasi") as batch_op:
        batch_op.add_column(sa.Column("grade", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("components", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("iku_realisasi") as batch_op:
        batch_op.drop_column("components")
        batch_op.drop_column("grade")
    op.execute("DELETE FROM iku_target WHERE value IS NULL")
    with op.batch_alter_table("iku_target") as batch_op:
        batch_op.alter_column(
            "value", existing_type=sa.Numeric(precision=18, scale=4), nullable=False
        )
        batch_op.drop_column("grade")
    # OLD_METHODS is this module's constant list of method names, not input.
    op.execute("DELETE FROM iku_indicator WHERE NOT (" + _in("method", OLD_METHODS) + ")")  # nosec B608
    with op.batch_alter_table("iku_indicator") as batch_op:
        batch_op.drop_constraint(op.f("ck_iku_indicator_method"), type_="check")
        batch_op.create_check_constraint("method", _in("method", OLD_METHODS))
        batch_op.drop_column("combination")
        batch_op.drop_column("scale")
        batch_op.drop_column("definisi")
