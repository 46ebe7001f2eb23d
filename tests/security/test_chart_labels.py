"""Names with ``$`` are drawn as they are written, never as matplotlib math text.

``$\\undefinedmacro$`` in a unit or layanan name used to make the chart fail
(matplotlib's mathtext parser raises), and with it the unit's own dashboard
and every parent's dashboard and report.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from skm import database
from skm.models import Layanan, Unit
from skm.results.charts import (
    CountBars,
    ScoreBars,
    TrendLine,
    draw_counts,
    draw_score_bars,
    draw_trend,
)
from tests.staff.helpers import build_office
from tests.support.auth import signed_in_client

PNG = b"\x89PNG\r\n\x1a\n"
MATH = r"Loket $\undefinedmacro$ & $x^2$"


@pytest.fixture
def dollar_office(app: Flask, make_user):
    with app.app_context():
        session = database.session()
        office = build_office(session)
        session.get(Unit, office.a).name = f"Kelurahan {MATH}"
        session.get(Layanan, office.ktp).name = f"KTP {MATH}"
        session.commit()
        kecamatan = session.get(Unit, office.k)
    client = signed_in_client(app, make_user(kecamatan, "pimpinan"))
    return client, office


def test_every_chart_of_the_parent_and_the_unit_draws(dollar_office) -> None:
    client, office = dollar_office
    for slug in (office.k_slug, office.a_slug):
        page = client.get(f"/staf/unit/{slug}/?periode=2026-T2")
        assert page.status_code == 200
        urls = re.findall(r'<img class="chart" src="([^"]+)"', page.get_data(as_text=True))
        assert urls
        for url in urls:
            response = client.get(url.replace("&amp;", "&"))
            assert response.status_code == 200, url
            assert response.data.startswith(PNG)


def test_the_report_of_the_parent_draws(dollar_office) -> None:
    client, office = dollar_office
    response = client.get(f"/staf/laporan/{office.k_slug}/laporan.pdf?periode=2026-T2")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def _texts(figure_png_drawer, spec, monkeypatch) -> list[str]:
    """The strings each chart hands to its text renderer."""
    from skm.results.line_text import LineTextRenderer

    drawn: list[tuple[str, bool]] = []
    real = LineTextRenderer.draw_text

    def spy(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        drawn.append((s, ismath))
        return real(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    monkeypatch.setattr(LineTextRenderer, "draw_text", spy)
    assert figure_png_drawer(spec).startswith(PNG)
    assert not [s for s, ismath in drawn if ismath]  # nothing was set as math
    return [s for s, _ in drawn]


def test_titles_labels_and_values_are_plain_text(monkeypatch) -> None:
    bars = ScoreBars(
        MATH, f"sub {MATH}", (f"A {MATH}", "B $5"), (80.0, 70.0), ("B", "C"),
        (f"n = 3 {MATH}", "$"), (False, True), (),
    )  # fmt: skip
    # Long labels are wrapped onto lines of their own; the words stay as written.
    assert f"A {MATH}" in " ".join(_texts(draw_score_bars, bars, monkeypatch))
    trend = TrendLine(
        MATH, MATH, (f"T1 {MATH}", "T2 $"), (80.0, 81.0), ("B", "B"), (), (None, 85.0)
    )
    assert MATH in _texts(draw_trend, trend, monkeypatch)
    counts = CountBars(MATH, MATH, (f"Laki-laki {MATH}", "$$"), (3, 4), 7)
    assert "$$" in _texts(draw_counts, counts, monkeypatch)
