"""Alembic's environment for SKM: run by every migration command.

There is no alembic.ini: :func:`skm.migrations.alembic_config` builds the
configuration in code and hands over an open connection, so the URL is
always the application's own (``SKM_DATABASE_URL``).
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from skm import models  # noqa: F401  (registers every table on Base.metadata)
from skm.database import Base, UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write SKM's own column types as their plain SQLAlchemy equivalents.

    A revision must keep working when the application's code changes later,
    so it names no SKM class. UTCDateTime stores a naive DateTime; the
    conversion to aware UTC happens in Python, not in the schema.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def run_migrations(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("SKM tidak mendukung migrasi mode SQL (offline); gunakan 'skm db upgrade'.")

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Jalankan migrasi SKM lewat 'skm db ...', bukan perintah 'alembic'.")
run_migrations(connection)
