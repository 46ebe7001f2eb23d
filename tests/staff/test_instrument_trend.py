"""An office's history in an older questionnaire on the trend: each periode
scored with its own instrument and bands, the change marked, never pooled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from fractions import Fraction

import pytest
from flask import Flask

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.config import office_timezone
from skm.models import Unit
from skm.periode import Periode
from skm.reports.content import instrument_change_note
from skm.responses import ResponseInput, store_response
from skm.results.charts import draw
from skm.results.dashboard import Selection, build_dashboard
from skm.results.dashboard_charts import chart_spec
from tests.staff.helpers import P1, P2, T1, T2, build_office
from tests.support.auth import signed_in_client
from tests.support.reference import reference_konversi

CURRENT = get_instrument(DEFAULT_INSTRUMENT_KEY)
OLD = get_instrument("permenpan-16-2014")
Q3_2025, Q4_2025 = Periode.triwulan(2025, 3), Periode.triwulan(2025, 4)


def _store_old(session, unit_id: int, answers: list[int], when: datetime) -> None:
    store_response(
        session,
        ResponseInput(
            uuid.uuid4(),
            unit_id,
            None,
            {u.key: answers[u.position] for u in OLD.unsur},
            when,
            "import",
        ),
        OLD,
    )


@pytest.fixture
def office(app: Flask):
    with app.app_context():
        session = database.session()
        office = build_office(session)  # 14/2017 responses in 2026 T1 and T2
        _store_old(session, office.k, [3] * 9, datetime(2025, 8, 1, 3, tzinfo=UTC))
        _store_old(session, office.k, [4] * 7 + [3, 3], datetime(2025, 11, 3, 3, tzinfo=UTC))
        # A 16/2014 straggler in 2026 T1: 14/2017 has responses there, so it is
        # not shown, and never mixed into the 14/2017 score.
        _store_old(session, office.k, [1] * 9, datetime(2026, 2, 20, 3, tzinfo=UTC))
        session.commit()
        return office


def _board(app: Flask, unit_id: int):
    with app.app_context():
        session = database.session()
        unit = session.get(Unit, unit_id)
        return build_dashboard(session, CURRENT, office_timezone(), Selection(unit, T2))


def test_trend_shows_each_periode_with_its_own_instrument(app, office) -> None:
    board = _board(app, office.k)
    shown = {p.code: (board.instrument_of(p).key, r) for p, r in board.trend_shown}
    assert list(shown) == ["2025-T3", "2025-T4", "2026-T1", "2026-T2"]
    q3_key, q3 = shown["2025-T3"]
    # All answers 3: konversi 75,00 — B in 16/2014 (62,51–81,25), where 14/2017 would say C.
    assert (q3_key, q3.respondents, q3.konversi, q3.mutu) == ("permenpan-16-2014", 1, 75.0, "B")
    q4_key, q4 = shown["2025-T4"]
    # (7 x 4 + 2 x 3) / 9 x 25 = 850/9 = 94,44 A.
    assert (q4_key, q4.konversi, q4.mutu) == ("permenpan-16-2014", 94.44, "A")
    t1_key, t1 = shown["2026-T1"]
    konversi, mutu = reference_konversi([P1, P2])  # the straggler's 1s are not in it
    assert t1_key == "permenpan-14-2017" and t1.respondents == 2
    assert (Fraction(t1.konversi_centi, 100), t1.mutu) == (konversi, mutu)
    assert [(p.code, used.key) for p, used in board.instrument_changes] == [
        ("2026-T1", "permenpan-14-2017")
    ]
    # The change of the current periode is still against 14/2017 only.
    assert board.previous_periode == T1 and board.previous_result.respondents == 2


def test_trend_chart_breaks_at_the_change(app, office) -> None:
    board = _board(app, office.k)
    spec = chart_spec(board, "tren")
    assert spec.instruments == ("Permenpan RB 16/2014",) * 2 + ("Permenpan RB 14/2017",) * 2
    assert spec.values[:2] == (75.0, 94.44)
    assert "tiap instrumen dengan batas mutunya sendiri" in spec.subtitle
    # The older points sit over their own zones: 16/2014's bounds, not 14/2017's.
    ((name, bands),) = spec.other_bands
    assert name == "Permenpan RB 16/2014"
    # exact: grade bounds are centi / 100, as written in the instrument file
    assert [(b.mutu, b.lower) for b in bands] == [
        ("D", 25.0), ("C", 43.76), ("B", 62.51), ("A", 81.26),
    ]  # fmt: skip
    assert draw(spec, CURRENT).startswith(b"\x89PNG")


def test_dashboard_page_and_report_say_where_the_questionnaire_changed(
    app, office, make_user
) -> None:
    with app.app_context():
        unit = database.session().get(Unit, office.k)
    client = signed_in_client(app, make_user(unit, "pimpinan"))
    page = client.get(f"/staf/unit/{office.k_slug}/?periode=2026-T2").get_data(as_text=True)
    assert "Mulai Triwulan I 2026 survei memakai kuesioner Permenpan RB 14/2017" in page
    assert "<td>Permenpan RB 16/2014</td>" in page
    board = _board(app, office.k)
    note = instrument_change_note(board.instrument_changes)
    assert "mulai Triwulan I 2026 dengan Permenpan RB 14/2017" in note
    assert "tidak dirata-ratakan" in note


def test_one_instrument_only_keeps_the_trend_as_it_was(app) -> None:
    with app.app_context():
        office = build_office(database.session())
    board = _board(app, office.k)
    assert board.instrument_changes == ()
    assert {board.instrument_of(p).key for p, _ in board.trend} == {"permenpan-14-2017"}
    assert instrument_change_note(()) == ""
