"""What a command prints when it brings the database to the newest schema.

Shared by ``skm init``, ``skm demo``, ``skm db upgrade`` and ``skm iku import``.
"""

from __future__ import annotations

from datetime import datetime

import click
import sqlalchemy as sa

from skm import database, migrations
from skm.migrations import backup


def prepare_database() -> str:
    """Bring the application's database to the newest schema; say what was done.

    Prints the backup made before an upgrade (SQLite), or a reminder to
    make one (PostgreSQL), and returns a line on the schema.
    """
    engine = database.engine()
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            pending = migrations.upgrade_pending(connection)
        if pending:
            click.echo(
                "Pengingat: SKM tidak mencadangkan basis data PostgreSQL sendiri; cadangkan "
                f"dengan pg_dump sebelum memperbarui skema: {pg_dump_command(engine.url)}"
            )
    result = migrations.upgrade_schema(engine)
    if result.backup is not None:
        click.echo(f"Basis data dicadangkan sebelum pembaruan skema: {result.backup}")
    before, after = result.before, result.revision
    if before == after:
        return f"Skema basis data sudah terbaru (revisi {after})."
    if before is not None:
        return f"Skema basis data diperbarui dari revisi {before} ke revisi {after}."
    if result.existing:
        return (
            "Basis data dari versi SKM sebelumnya dikenali; skemanya dicatat dan "
            f"diperbarui ke revisi {after}. Semua data tetap ada."
        )
    return f"Skema basis data dibuat (revisi {after})."


def pg_dump_command(url: sa.URL) -> str:
    return backup.pg_dump_command(url, datetime.now())
