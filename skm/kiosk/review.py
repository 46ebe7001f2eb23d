"""Flagged responses: what staff see and decide on (exclude from scoring or keep)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import InstrumentError, get_instrument
from skm import summaries
from skm.audit import record
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.kiosk import Kiosk
from skm.units import subtree_ids

#: Which flagged responses a list shows.
STATUSES = {
    "semua": "Semua",
    "disertakan": "Masih dihitung",
    "dikecualikan": "Dikecualikan",
}

PAGE_SIZE = 50


@dataclass(frozen=True)
class FlaggedRow:
    response: SurveyResponse
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
    return SurveyResponse.unit_id.in_(subtree_ids(unit))


def flagged_responses(
    session: Session, unit: Unit, status: str = "semua", page: int = 1
) -> FlaggedPage:
    """One page of flagged responses of ``unit`` and its sub-units, newest first."""
    conditions = [SurveyResponse.flag.is_not(None), _in_scope(unit)]
    counts = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(SurveyResponse.excluded.is_(True)),
        ).where(*conditions)
    ).one()
    if status == "disertakan":
        conditions.append(SurveyResponse.excluded.is_(False))
    elif status == "dikecualikan":
        conditions.append(SurveyResponse.excluded.is_(True))
    total = session.scalar(
        sa.select(sa.func.count()).select_from(SurveyResponse).where(*conditions)
    )
    pages = max(1, -(-int(total or 0) // PAGE_SIZE))
    page = min(max(1, page), pages)
    query = (
        sa.select(SurveyResponse, Unit.name, Layanan.name, Kiosk.name)
        .join(Unit, Unit.id == SurveyResponse.unit_id)
        .outerjoin(Layanan, Layanan.id == SurveyResponse.layanan_id)
        .outerjoin(Kiosk, Kiosk.id == SurveyResponse.kiosk_id)
        .where(*conditions)
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [FlaggedRow(*row) for row in session.execute(query).all()]
    return FlaggedPage(rows, int(total or 0), page, pages, int(counts[0]), int(counts[1]))


def flagged_response(session: Session, unit: Unit, response_id: int) -> SurveyResponse | None:
    """A flagged response in ``unit``'s scope, or None."""
    return session.scalar(
        sa.select(SurveyResponse).where(
            SurveyResponse.id == response_id, SurveyResponse.flag.is_not(None), _in_scope(unit)
        )
    )


def set_excluded(
    session: Session,
    actor: User,
    response: SurveyResponse,
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
    conditions = [
        SurveyResponse.flag.is_not(None),
        SurveyResponse.excluded.is_(False),
        _in_scope(unit),
    ]
    if until is not None:
        conditions.append(SurveyResponse.received_at <= until)
    session.flush()
    # RETURNING gives the rows as updated: excluded now, counted until now.
    counted = [column for column in summaries.returning() if column.key != "excluded"]
    updated = session.execute(
        sa.update(SurveyResponse).where(*conditions).values(excluded=True).returning(*counted),
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
