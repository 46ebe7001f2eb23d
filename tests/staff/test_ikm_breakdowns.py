"""The SQL breakdowns added for the dashboard (skm.ikm): sub-unit roll-up and interval."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.orm import Session

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from scoring import konversi_interval
from skm.ikm import Scope, score, score_by, score_by_subunit, score_interval
from skm.models import Unit
from skm.responses import bulk_insert
from skm.units import create_unit
from tests.staff.helpers import T2, build_office

JAKARTA = ZoneInfo("Asia/Jakarta")
T2_START = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)

INSTRUMENT = get_instrument(DEFAULT_INSTRUMENT_KEY)


def test_score_by_subunit_matches_a_score_per_subtree(session: Session) -> None:
    office = build_office(session)
    k = session.get(Unit, office.k)
    grouped = score_by_subunit(session, INSTRUMENT, T2, JAKARTA, Scope(k))
    assert set(grouped.keys) == {office.k, office.a, office.b}
    for child_id in (office.a, office.b):
        alone = score(session, INSTRUMENT, T2, JAKARTA, Scope(session.get(Unit, child_id)))
        assert grouped.result(child_id).unsur == alone.unsur
    own = score(session, INSTRUMENT, T2, JAKARTA, Scope(k, include_subunits=False))
    assert grouped.result(office.k).konversi == own.konversi == 100.0


def test_unit_scope_gives_the_same_scores_as_before(session: Session) -> None:
    """The sub-unit condition was rewritten for the query planner; results must not move."""
    office = build_office(session)
    k = session.get(Unit, office.k)
    per_unit = score_by(session, INSTRUMENT, T2, JAKARTA, "unit", Scope(k))
    assert set(per_unit.keys) == {office.k, office.a, office.a1, office.b}
    assert score(session, INSTRUMENT, T2, JAKARTA, Scope(k)).konversi == 75.0


def test_interval_from_sql_equals_interval_from_rows(session: Session) -> None:
    """A few hundred random answers with blanks: the SQL pass and the row formula agree."""
    unit = create_unit(session, "Kecamatan Acak", "kecamatan")
    session.commit()
    rng = np.random.default_rng(4)
    n = 400
    answers = rng.integers(1, 5, size=(n, 9))
    blank = rng.random((n, 9)) < 0.2
    blank[0] = False
    rows, matrix = [], []
    for r in range(n):
        values = [None if blank[r, j] else int(answers[r, j]) for j in range(9)]
        matrix.append(values)
        row = {
            "uuid": uuid.uuid4(),
            "unit_id": unit.id,
            "layanan_id": None,
            "instrument_key": INSTRUMENT.key,
            "instrument_version": INSTRUMENT.version,
            "submitted_at": T2_START + timedelta(hours=r),
            "received_at": datetime.now(UTC),
            "channel": "web",
            "excluded": False,
        }
        row.update({f"u{j + 1:02d}": values[j] for j in range(9)})
        rows.append(row)
    bulk_insert(session, rows)
    session.commit()
    result = score(session, INSTRUMENT, T2, JAKARTA, Scope(unit))
    from_sql = score_interval(session, INSTRUMENT, T2, JAKARTA, Scope(unit), result, population=900)
    from_rows = konversi_interval(matrix, INSTRUMENT.grade_scale, population=900)
    assert math.isclose(from_sql.standard_error, from_rows.standard_error, rel_tol=1e-9)
    assert (from_sql.low, from_sql.high, from_sql.konversi) == (
        from_rows.low,
        from_rows.high,
        from_rows.konversi,
    )


def test_no_interval_for_one_respondent(session: Session) -> None:
    office = build_office(session)
    a1 = session.get(Unit, office.a1)
    result = score(session, INSTRUMENT, T2, JAKARTA, Scope(a1))
    assert result.respondents == 1
    assert score_interval(session, INSTRUMENT, T2, JAKARTA, Scope(a1), result) is None
