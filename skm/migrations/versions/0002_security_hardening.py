"""Security hardening: kiosk secrets stored as hashes, session versions, forced password change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 02:10:00

``kiosk.token`` held each kiosk's secret address in plain text; it becomes
``kiosk.token_hash``, the SHA-256 of that secret (skm.hashing). The hashes
are computed here from the stored secrets, so tablets already set up keep
working with their address. A downgrade cannot bring the secrets back: it
leaves the hashes in ``token``, and every kiosk then needs a new address.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KIOSK = sa.table(
    "kiosk",
    sa.column("id", sa.Integer()),
    sa.column("token", sa.String()),
    sa.column("token_hash", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )

    op.add_column("kiosk", sa.Column("token_hash", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for kiosk_id, token in connection.execute(sa.select(_KIOSK.c.id, _KIOSK.c.token)).all():
        digest = hashlib.sha256(token.encode()).hexdigest()
        connection.execute(_KIOSK.update().where(_KIOSK.c.id == kiosk_id).values(token_hash=digest))
    with op.batch_alter_table("kiosk") as batch:
        batch.drop_constraint(op.f("uq_kiosk_token"), type_="unique")
        batch.drop_column("token")
        batch.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_kiosk_token_hash"), ["token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("kiosk") as batch:
        batch.drop_constraint(op.f("uq_kiosk_token_hash"), type_="unique")
        batch.alter_column(
            "token_hash", new_column_name="token", existing_type=sa.String(length=64)
        )
        batch.create_unique_constraint(op.f("uq_kiosk_token"), ["token"])
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("session_version")
