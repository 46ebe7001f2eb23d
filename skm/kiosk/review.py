"""Flagged responses: what staff see and decide on (exclude from scoring or keep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import InstrumentError, get_instrument
from skm import summaries
from skm.admin.audit import record
from skm.kiosk.models import Kiosk
from skm.models import Layanan, Response, Unit, User

#: Which flagged responses a list shows.
STATUSES = {
    "semua": "Semua",
    "disertakan": "Masih dihitung",
    "dikecualikan": "Dikecualikan",
}

PAGE_SIZE = 50


@dataclass(frozen=True)
class FlaggedRow:
    response: Response
    unit_name: str
    layanan_name: str | None
    kiosk_name: str | None

    @property
    def answers(self) -> list[int | None]:
        """The answers in report order U1..Un of the response's own instrument."""
        try:
            n_unsur = get_instrument(
                self.response.instrument_key, self.response.instrument_version
            ).n_unsur
        except InstrumentError:
            n_unsur = 9
        return self.response.answers(n_unsur)

    @property
    def duration(self) -> float | None:
        if self.response.started_at is None:
            return None
        return (self.response.submitted_at - self.response.started_at).total_seconds()


@dataclass(frozen=True)
class FlaggedPage:
    rows: list[FlaggedRow]
    total: int
    page: int
    pages: int
    flagged: int
    excluded: int


def _in_scope(unit: Unit) -> sa.ColumnElement[bool]:
    return Response.unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(unit.path)))


def flagged_responses(
    session: Session, unit: Unit, status: str = "semua", page: int = 1
) -> FlaggedPage:
    """One page of flagged responses of ``unit`` and its sub-units, newest first."""
    conditions = [Response.flag.is_not(None), _in_scope(unit)]
    counts = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Response.excluded.is_(True)),
        ).where(*conditions)
    ).one()
    if status == "disertakan":
        conditions.append(Response.excluded.is_(False))
    elif status == "dikecualikan":
        conditions.append(Response.excluded.is_(True))
    total = session.scalar(sa.select(sa.func.count()).select_from(Response).where(*conditions))
    pages = max(1, -(-int(total or 0) // PAGE_SIZE))
    page = min(max(1, page), pages)
    query = (
        sa.select(Response, Unit.name, Layanan.name, Kiosk.name)
        .join(Unit, Unit.id == Response.unit_id)
        .outerjoin(Layanan, Layanan.id == Response.layanan_id)
        .outerjoin(Kiosk, Kiosk.id == Response.kiosk_id)
        .where(*conditions)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [FlaggedRow(*row) for row in session.execute(query).all()]
    return FlaggedPage(rows, int(total or 0), page, pages, int(counts[0]), int(counts[1]))


def flagged_response(session: Session, unit: Unit, response_id: int) -> Response | None:
    """A flagged response in ``unit``'s scope, or None."""
    return session.scalar(
        sa.select(Response).where(
            Response.id == response_id, Response.flag.is_not(None), _in_scope(unit)
        )
    )


def set_excluded(
    session: Session,
    actor: User,
    response: Response,
    excluded: bool,
    address: str | None = None,
) -> None:
    """Leave a response out of scoring (or count it again); flushes, audited.

    Deciding the same way twice (a second click) changes nothing and adds no entry.
    """
    if response.excluded == excluded:
        return
    unit = session.get(Unit, response.unit_id)
    record(
        session,
        actor,
        "respons.exclude" if excluded else "respons.include",
        response,
        f"Respons #{response.id} ({unit.name if unit else '–'}) "
        + ("dikecualikan dari" if excluded else "dihitung lagi dalam")
        + f" perhitungan IKM; tanda: {response.flag or '–'}",
        unit=unit,
        changes={"excluded": [response.excluded, excluded]},
        address=address,
    )
    response.excluded = excluded
    session.flush()


def exclude_all_flagged(
    session: Session,
    actor: User,
    unit: Unit,
    until: datetime | None = None,
    address: str | None = None,
) -> int:
    """Exclude every flagged response of ``unit`` and its sub-units still counted; flushes.

    ``until`` limits it to responses received up to that instant, so that
    one arriving while staff look at the list is not excluded unseen. One
    audit entry names how many were excluded (none when there were none):
    an entry per response would bury the rest of the log.
    """
    conditions = [Response.flag.is_not(None), Response.excluded.is_(False), _in_scope(unit)]
    if until is not None:
        conditions.append(Response.received_at <= until)
    session.flush()
    # RETURNING gives the rows as updated: excluded now, counted until now.
    counted = [column for column in summaries.returning() if column.key != "excluded"]
    updated = session.execute(
        sa.update(Response).where(*conditions).values(excluded=True).returning(*counted),
        execution_options={"synchronize_session": False},
    ).all()
    summaries.remove(session.connection(), [row._asdict() for row in updated])
    count = len(updated)
    if count:
        record(
            session,
            actor,
            "respons.exclude_all",
            unit,
            f"{count} respons bertanda di {unit.name} dan unit di bawahnya "
            "dikecualikan dari perhitungan IKM",
            unit=unit,
            address=address,
        )
    return count
