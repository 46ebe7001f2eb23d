"""Saran (suggestions) written by respondents, and their follow-up by staff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from skm.audit import record
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.staff import SARAN_STATUS_LABELS, SARAN_STATUSES, SaranTindakLanjut
from skm.periode import Periode
from skm.units import in_subtree, subtree_ids

PAGE_SIZE = 25
NOTE_MAX_LENGTH = 1000
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class SaranItem:
    response_id: int
    submitted_at: datetime
    unit_name: str
    layanan_name: str | None
    text: str
    status: str
    note: str
    updated_by: str | None
    updated_at: datetime | None

    @property
    def status_label(self) -> str:
        return SARAN_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class SaranPage:
    items: Sequence[SaranItem]
    page: int
    pages: int
    total: int
    #: How many saran of the periode (before search and status filter) have each status.
    status_counts: dict[str, int]


def _conditions(unit: Unit, periode: Periode, tz: ZoneInfo) -> list[sa.ColumnElement[bool]]:
    start, end = periode.utc_bounds(tz)
    return [
        SurveyResponse.unit_id.in_(subtree_ids(unit)),
        SurveyResponse.submitted_at >= start,
        SurveyResponse.submitted_at < end,
        SurveyResponse.saran.is_not(None),
        SurveyResponse.saran != "",
        # Responses staff excluded as automated or careless do not speak for citizens.
        SurveyResponse.excluded.is_(False),
    ]


def _status() -> sa.ColumnElement[str]:
    # The constant is written out, not bound: PostgreSQL matches a GROUP BY to the
    # SELECT expression only when both are the same text.
    return sa.func.coalesce(SaranTindakLanjut.status, sa.literal_column("'baru'"))


def saran_page(
    session: Session,
    unit: Unit,
    periode: Periode,
    tz: ZoneInfo,
    *,
    search: str = "",
    status: str | None = None,
    page: int = 1,
) -> SaranPage:
    """The saran of ``unit`` and its sub-units in ``periode``, newest first, one page."""
    conditions = _conditions(unit, periode, tz)
    filters = _filters(search, status)
    total = int(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyResponse)
            .outerjoin(SaranTindakLanjut, SaranTindakLanjut.response_id == SurveyResponse.id)
            .where(*conditions, *filters)
        )
        or 0
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    items = _items(session, [*conditions, *filters], page)
    return SaranPage(items, page, pages, total, _status_counts(session, conditions))


def _status_counts(session: Session, conditions: list[sa.ColumnElement[bool]]) -> dict[str, int]:
    """Saran per status, before the search and status filters (the tabs' numbers)."""
    counts = {s: 0 for s in SARAN_STATUSES}
    for value, count in session.execute(
        sa.select(_status(), sa.func.count())
        .select_from(SurveyResponse)
        .outerjoin(SaranTindakLanjut, SaranTindakLanjut.response_id == SurveyResponse.id)
        .where(*conditions)
        .group_by(_status())
    ):
        counts[value] = int(count)
    return counts


def _filters(search: str, status: str | None) -> list[sa.ColumnElement[bool]]:
    """The literal, case-blind search (``%`` and ``_`` are characters) and the status."""
    filters: list[sa.ColumnElement[bool]] = []
    search = search.strip()[:SEARCH_MAX_LENGTH]
    if search:
        filters.append(SurveyResponse.saran.icontains(search, autoescape=True))
    if status in SARAN_STATUSES:
        filters.append(_status() == status)
    return filters


def _items(
    session: Session, conditions: list[sa.ColumnElement[bool]], page: int
) -> list[SaranItem]:
    """One page of saran, newest first, with their follow-up."""
    rows = session.execute(
        sa.select(
            SurveyResponse.id,
            SurveyResponse.submitted_at,
            Unit.name,
            Layanan.name,
            SurveyResponse.saran,
            _status(),
            SaranTindakLanjut.note,
            User.full_name,
            User.username,
            SaranTindakLanjut.updated_at,
        )
        .select_from(SurveyResponse)
        .join(Unit, Unit.id == SurveyResponse.unit_id)
        .outerjoin(Layanan, Layanan.id == SurveyResponse.layanan_id)
        .outerjoin(SaranTindakLanjut, SaranTindakLanjut.response_id == SurveyResponse.id)
        .outerjoin(User, User.id == SaranTindakLanjut.updated_by_id)
        .where(*conditions)
        .order_by(SurveyResponse.submitted_at.desc(), SurveyResponse.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return [
        SaranItem(
            response_id=row[0],
            submitted_at=row[1],
            unit_name=row[2],
            layanan_name=row[3],
            text=row[4] or "",  # never empty: _conditions keeps responses with a saran
            status=row[5],
            note=row[6] or "",
            updated_by=row[7] or row[8],
            updated_at=row[9],
        )
        for row in rows
    ]


def saran_response(session: Session, user: User, response_id: int) -> SurveyResponse | None:
    """The response with a saran, if it lies in the user's subtree."""
    response = session.get(SurveyResponse, response_id)
    if response is None or not response.saran:
        return None
    unit = session.get(Unit, response.unit_id)
    if unit is None or not in_subtree(unit, user.unit):
        return None
    return response


def set_saran_status(
    session: Session,
    actor: User,
    response: SurveyResponse,
    status: str,
    note: str,
    address: str | None = None,
) -> SaranTindakLanjut:
    """Mark a saran baru / ditindaklanjuti / selesai, with a note (flushes, audited)."""
    if status not in SARAN_STATUSES:
        raise ValueError("Status saran tidak dikenal.")
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(f"Catatan paling banyak {NOTE_MAX_LENGTH} karakter.")
    follow_up = session.scalar(
        sa.select(SaranTindakLanjut).where(SaranTindakLanjut.response_id == response.id)
    )
    before = {"status": "baru", "note": ""}
    if follow_up is None:
        follow_up = SaranTindakLanjut(response_id=response.id)
        session.add(follow_up)
    else:
        before = {"status": follow_up.status, "note": follow_up.note}
    follow_up.status = status
    follow_up.note = note
    follow_up.updated_at = datetime.now(UTC)
    follow_up.updated_by_id = actor.id
    session.flush()
    unit = session.get(Unit, response.unit_id)
    saran = response.saran
    excerpt = saran if saran is None or len(saran) <= 60 else saran[:57] + "..."
    record(
        session,
        actor,
        "saran.status",
        follow_up,
        f"Saran \u201c{excerpt}\u201d: {SARAN_STATUS_LABELS[status]}",
        unit=unit,
        changes={
            k: [before[k], v] for k, v in (("status", status), ("note", note)) if before[k] != v
        },
        address=address,
    )
    return follow_up
