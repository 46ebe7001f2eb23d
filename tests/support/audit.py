"""Reading the audit log in tests of the pages that write it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from skm import database
from skm.models.admin import AuditEntry


@dataclass(frozen=True)
class Logged:
    """One audit entry, detached from the session."""

    id: int
    action: str
    username: str
    unit_id: int | None
    object_type: str
    object_id: str | None
    summary: str
    changes: dict[str, Any] | None


def logged(app: Flask, *, after: int = 0, action: str | None = None) -> list[Logged]:
    """Entries in the order they were written (``after``: only those with a larger id)."""
    with app.app_context():
        query = sa.select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return [
            Logged(
                e.id,
                e.action,
                e.username,
                e.unit_id,
                e.object_type,
                e.object_id,
                e.summary,
                e.changes,
            )
            for e in database.session().scalars(query)
        ]


def last_id(app: Flask) -> int:
    """The id of the newest entry (0 when the log is empty): entries of fixtures come before."""
    with app.app_context():
        return int(database.session().scalar(sa.select(sa.func.max(AuditEntry.id))) or 0)
