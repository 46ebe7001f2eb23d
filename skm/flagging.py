"""Responses that look automated or careless: kept, flagged, left to staff.

A flag never drops a response and never excludes it by itself: the
regulation counts every respondent, and a quick straight-liner may be an
honest citizen in a hurry. Staff see the reason on the flagged-responses
page and decide (``SurveyResponse.excluded``, honoured by scoring).

The thresholds come from the time a person needs. Reading nine questions
and tapping an answer to each takes well over ten seconds even for someone
who has done it before, so a survey completed faster was not read. The same
answer to all nine questions is common among satisfied citizens; only
together with speed does it suggest that nobody read the questions. One
tablet serves one person at a time, so two surveys of the same kiosk whose
times overlap did not come from people at the counter; and more than a few
surveys a minute from one address is a script, not a waiting room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa

from skm.database import UTCDateTime
from skm.models import SurveyResponse
from skm.responses import FlagCondition

#: Faster than this, nobody read the nine questions.
TOO_FAST_SECONDS = 10
#: The same answer everywhere, and faster than this: careless.
STRAIGHT_LINE_SECONDS = 20
#: More web surveys than this from one address in BURST_WINDOW_SECONDS: a burst.
BURST_COUNT = 5
BURST_WINDOW_SECONDS = 60
#: Clock estimates of two deliveries may differ by this much without meaning overlap.
OVERLAP_TOLERANCE = timedelta(seconds=2)
#: Longer than any survey on a kiosk (its screen resets after a minute
#: untouched); bounds the search for overlaps on both sides, so that a
#: survey delivered late from the queue does not read every newer survey of
#: its kiosk.
LONGEST_SURVEY = timedelta(hours=1)

FLAG_MAX_LENGTH = 200


def duration_seconds(started_at: datetime | None, submitted_at: datetime) -> float | None:
    if started_at is None:
        return None
    return (submitted_at - started_at).total_seconds()


def flag_reasons(
    answers: Mapping[str, int | None],
    duration: float | None,
    *,
    overlaps_other_survey: bool = False,
    address_burst: int = 0,
) -> list[str]:
    """Why a response looks automated or careless, in words staff read; [] if it does not.

    ``duration`` is the time from the first screen to sending, in seconds
    (None when unknown); ``address_burst`` the number of surveys from the
    same address in the last minute, this one included.
    """
    reasons = []
    given = [value for value in answers.values() if value is not None]
    if duration is not None:
        seconds = max(0, round(duration))
        if duration < TOO_FAST_SECONDS:
            reasons.append(f"Selesai dalam {seconds} detik, terlalu cepat untuk dibaca")
        elif len(given) > 1 and len(set(given)) == 1 and duration < STRAIGHT_LINE_SECONDS:
            reasons.append(f"Semua jawaban sama ({given[0]}) dan selesai dalam {seconds} detik")
    if overlaps_other_survey:
        reasons.append("Waktunya bertumpuk dengan survei lain di kios yang sama")
    if address_burst > BURST_COUNT:
        reasons.append(f"{address_burst} survei dari alamat yang sama dalam satu menit")
    return reasons


def flag_text(reasons: Sequence[str]) -> str | None:
    """The reasons as stored in ``SurveyResponse.flag`` (None when there are none)."""
    if not reasons:
        return None
    text = "; ".join(reasons)
    return text if len(text) <= FLAG_MAX_LENGTH else text[: FLAG_MAX_LENGTH - 1] + "…"


# Built once: composing the expression costs more than running it, and this
# runs on every kiosk delivery, inside its insert (see FlagCondition).
_OVERLAP = sa.exists().where(
    SurveyResponse.kiosk_id == sa.bindparam("overlap_kiosk_id"),
    # The index on (kiosk_id, submitted_at) serves this range.
    SurveyResponse.submitted_at > sa.bindparam("overlap_start", type_=UTCDateTime()),
    SurveyResponse.submitted_at < sa.bindparam("overlap_end_bound", type_=UTCDateTime()),
    sa.func.coalesce(SurveyResponse.started_at, SurveyResponse.submitted_at)
    < sa.bindparam("overlap_end", type_=UTCDateTime()),
)


def overlap_condition(
    kiosk_id: int, started_at: datetime | None, submitted_at: datetime, flag: str | None
) -> FlagCondition:
    """Store ``flag`` when another survey of this kiosk was under way at the same time.

    Two time ranges overlap when each starts before the other ends. A
    survey of unknown start is taken as the instant it was sent. The survey
    itself is not there yet when this is checked (and a second delivery of
    it stores nothing).
    """
    start = (started_at or submitted_at) + OVERLAP_TOLERANCE
    end = submitted_at - OVERLAP_TOLERANCE
    if end < start:
        # A survey shorter than twice the tolerance: compare its instant.
        start = end = submitted_at
    params = {
        "overlap_kiosk_id": kiosk_id,
        "overlap_start": start,
        "overlap_end": end,
        # Another survey ends at most LONGEST_SURVEY after it started.
        "overlap_end_bound": end + LONGEST_SURVEY,
    }
    return FlagCondition(_OVERLAP, params, flag)
