"""Dashboard charts: served as PNG, drawn once per content, never with pyplot."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from flask import Flask
from PIL import Image

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument
from skm import database
from skm.models import Unit
from skm.results import charts
from skm.results.charts import Band, ScoreBars, TrendLine, digest, grade_bands
from skm.results.targets import register_target_lookup
from tests.staff.helpers import build_office, exclude
from tests.support.auth import signed_in_client

PNG = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def signed_in(app: Flask, make_user):
    with app.app_context():
        office = build_office(database.session())
        unit = database.session().get(Unit, office.k)
    client = signed_in_client(app, make_user(unit, "pimpinan"))
    return client, office


def chart_urls(client, office) -> dict[str, str]:
    page = client.get(f"/staf/unit/{office.k_slug}/?periode=2026-T2").get_data(as_text=True)
    urls = re.findall(r'<img class="chart" src="([^"]+)"', page)
    return {
        re.search(r"/grafik/([^.]+)\.png", url).group(1): url.replace("&amp;", "&") for url in urls
    }


def test_every_chart_is_a_png(signed_in) -> None:
    client, office = signed_in
    urls = chart_urls(client, office)
    assert set(urls) == {
        "unsur",
        "tren",
        "subunit",
        "layanan",
        "profil-jenis_kelamin",
        "profil-usia",
        "profil-pendidikan",
        "profil-pekerjaan",
    }
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data.startswith(PNG)
        assert "immutable" in response.headers["Cache-Control"]


def test_charts_are_drawn_once_and_redrawn_when_responses_change(
    app, signed_in, monkeypatch
) -> None:
    client, office = signed_in
    drawn = []
    original = charts.draw

    def counting_draw(spec, instrument):
        drawn.append(spec)
        return original(spec, instrument)

    monkeypatch.setattr("skm.staff.routes.draw", counting_draw)
    url = chart_urls(client, office)["unsur"]
    first = client.get(url).data
    assert client.get(url).data == first
    assert len(drawn) == 1  # the second request came from the cache
    with app.app_context():
        exclude(database.session(), office.response_ids[0])
    new_url = chart_urls(client, office)["unsur"]
    assert new_url != url  # the page names the new content
    assert client.get(new_url).data != first
    assert len(drawn) == 2
    # A page rendered before the change still shows the picture of its own numbers...
    assert client.get(url).data == first
    # ...unless that picture is gone (a restart): then today's, marked not to be kept.
    for name in ("charts", "chart_specs"):
        app.extensions[f"skm.results.cache.{name}"].clear()
    stale = client.get(url)
    assert stale.data == client.get(new_url).data != first
    assert stale.headers["Cache-Control"] == "private, no-cache"


def test_unknown_chart_is_404(signed_in) -> None:
    client, office = signed_in
    assert (
        client.get(f"/staf/unit/{office.k_slug}/grafik/lain.png?periode=2026-T2").status_code == 404
    )
    # No responses in 2020: no unsur chart to draw.
    assert (
        client.get(f"/staf/unit/{office.k_slug}/grafik/unsur.png?periode=2020-T1").status_code
        == 404
    )


def test_grade_thresholds_come_from_the_instrument() -> None:
    bands = grade_bands(get_instrument(DEFAULT_INSTRUMENT_KEY))
    assert bands == (Band("D", 25.0), Band("C", 65.0), Band("B", 76.61), Band("A", 88.31))


def test_iku_target_reaches_the_trend_chart(app: Flask, signed_in) -> None:
    _, office = signed_in
    register_target_lookup(
        app, lambda session, unit, periode: 84.0 if periode.year == 2026 else None
    )
    with app.test_request_context():
        from skm.config import office_timezone
        from skm.results.dashboard import Selection, build_dashboard
        from skm.results.dashboard_charts import chart_spec
        from tests.staff.helpers import T2

        session = database.session()
        board = build_dashboard(
            session,
            get_instrument(DEFAULT_INSTRUMENT_KEY),
            office_timezone(),
            Selection(session.get(Unit, office.k), T2),
        )
        spec = chart_spec(board, "tren")
    assert isinstance(spec, TrendLine)
    assert spec.targets == (84.0, 84.0)  # the two periodes shown, both in 2026
    assert spec.values == (86.11, 75.0)


def test_digest_names_the_content() -> None:
    spec = ScoreBars("t", "s", ("a",), (80.0,), ("B",), ("",), (False,), ())
    assert digest(spec) == digest(ScoreBars("t", "s", ("a",), (80.0,), ("B",), ("",), (False,), ()))
    assert digest(spec) != digest(
        ScoreBars("t", "s", ("a",), (80.01,), ("B",), ("",), (False,), ())
    )


def test_drawing_never_loads_pyplot() -> None:
    code = (
        "import sys\n"
        "from questionnaires import get_instrument\n"
        "from skm.results.charts import CountBars, draw\n"
        "spec = CountBars('t', 's', ('a', 'b'), (3, 1), 4)\n"
        "png = draw(spec, get_instrument('permenpan-14-2017'))\n"
        "assert png.startswith(b'\\x89PNG')\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
    )


def test_png_encoding_keeps_every_pixel() -> None:
    """The charts' own PNG writer: any decoder reads back exactly the drawn colours."""
    rng = np.random.default_rng(7)
    rgba = rng.integers(0, 256, size=(5, 7, 4), dtype=np.uint8)
    rgba[:, :, 3] = 255  # the charts are opaque: drawn on white
    decoded = Image.open(io.BytesIO(charts.encode_png(rgba)))
    assert decoded.mode == "RGB"
    assert decoded.size == (7, 5)
    assert np.array_equal(np.asarray(decoded), rgba[:, :, :3])


def test_a_drawn_chart_decodes_with_its_white_margin() -> None:
    png = charts.draw_counts(charts.CountBars("t", "s", ("a", "b"), (3, 1), 4))
    image = Image.open(io.BytesIO(png))
    image.load()
    pixels = np.asarray(image)
    assert image.mode == "RGB"
    # pad_inches of white all round what is drawn
    assert (pixels[0] == 255).all() and (pixels[-1] == 255).all()
    assert (pixels[:, 0] == 255).all() and (pixels[:, -1] == 255).all()
    assert (pixels != 255).any()  # and something drawn inside


def _bars(label: str) -> charts.ScoreBars:
    instrument = get_instrument(DEFAULT_INSTRUMENT_KEY)
    return ScoreBars(
        "t", "s", (label, "U2"), (80.0, 90.0), ("B", "A"), ("", ""), (False, False),
        grade_bands(instrument),
    )  # fmt: skip


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("label", ["U1 Persyaratan", "W" * 30])
def test_a_chart_shows_all_it_drew_however_far_past_the_figure(monkeypatch, label) -> None:
    """The picture is cut to what was painted in a room around the figure; a label
    reaching past that room (30 wide letters reach ~4 in left of the figure) is
    drawn whole all the same. Reference: the same chart with a room far larger
    than anything drawn."""
    drawn = _pixels(charts.draw_score_bars(_bars(label)))
    monkeypatch.setattr(charts, "ROOM_INCHES", (12.0, 4.0, 12.0, 4.0))
    whole = _pixels(charts.draw_score_bars(_bars(label)))
    assert np.array_equal(drawn, whole)
    margin = round(charts.PAD_INCHES * charts.DPI)
    for edge in (drawn[:margin], drawn[-margin:], drawn[:, :margin], drawn[:, -margin:]):
        assert (edge == 255).all()


def _share_differing(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels of ``a`` and ``b`` that differ by more than a quarter of the
    range, at the best alignment within 2 px (the pictures are cut to their paint,
    which antialiasing may move by one pixel)."""
    a, b = a.astype(int), b.astype(int)
    height, width = min(a.shape[0], b.shape[0]) - 2, min(a.shape[1], b.shape[1]) - 2
    inner = a[1 : 1 + height, 1 : 1 + width]
    return min(
        (abs(inner - b[dy : dy + height, dx : dx + width]) > 64).any(axis=2).mean()
        for dy in range(3)
        for dx in range(3)
    )


def test_text_painted_a_line_at_a_time_looks_as_matplotlib_paints_it(monkeypatch) -> None:
    """The charts' text renderer against matplotlib's own, on a chart with bold,
    small, two-line and rotated text: the same picture size (±1 px) and under 1 %
    of pixels apart (0,5 % measured: antialiasing). Text 2 px too low is 1,7 %
    apart, text placed without its descent 3,8 %."""
    from skm.results.line_text import AVAILABLE, LineTextRenderer

    assert AVAILABLE  # the locked matplotlib has what the fast path needs
    spec = TrendLine(
        "Perkembangan IKM", "Kecamatan Contoh · Triwulan I 2025 – Triwulan IV 2025",
        ("TW I\n2025", "TW II\n2025", "TW III\n2025", "TW IV\n2025"),
        (79.12, None, 81.02, 88.4), ("B", None, "B", "A"),
        grade_bands(get_instrument(DEFAULT_INSTRUMENT_KEY)), (80.0, 80.0, 82.5, 82.5),
    )  # fmt: skip
    lines = _pixels(charts.draw_trend(spec))
    monkeypatch.setattr(LineTextRenderer, "whole_lines", False)
    glyphs = _pixels(charts.draw_trend(spec))
    assert abs(lines.shape[0] - glyphs.shape[0]) <= 1
    assert abs(lines.shape[1] - glyphs.shape[1]) <= 1
    assert _share_differing(lines, glyphs) < 0.01
