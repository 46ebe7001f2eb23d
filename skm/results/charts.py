"""Dashboard charts, drawn on the server with matplotlib for a projector in a meeting.

Each chart is described by a small frozen *spec* (labels, values, titles)
built from the dashboard numbers; the PNG is drawn from the spec alone.
The spec's digest names the image, so a cached image always shows exactly
the data it was drawn from. Figures are ``matplotlib.figure.Figure`` on
the Agg canvas, never pyplot (whose global state is not safe in a server),
with large type: a camat reads them from the back of a meeting room.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import textwrap
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from questionnaires import Instrument
from skm.formatting import format_number
from skm.results.line_text import LineTextRenderer

# Every string is drawn as written. Matplotlib would read text between two
# "$" as math (and fail on an unknown macro such as "$\\undefinedmacro$" in a
# unit's name, taking the dashboard of the unit and all its parents with it);
# LaTeX is never wanted either. Set once for the process, before any figure,
# since tick labels are made while a figure is saved.
matplotlib.rcParams["text.parse_math"] = False
matplotlib.rcParams["text.usetex"] = False

FONT = "DejaVu Sans"  # ships with matplotlib: the same on every office PC
WIDTH = 12.0  # inches; at DPI this is 1440 px, shown at ~1150 px
#: Profile charts sit two side by side on the dashboard: drawn narrower, their
#: type stays as large on screen as that of the full-width charts.
HALF_WIDTH = 7.2
DPI = 120
#: zlib level of the PNGs (Pillow's default is 6): see :func:`encode_png`.
PNG_COMPRESS_LEVEL = 1
PAD_INCHES = 0.3  # white margin around what is drawn
#: Room (inches: left, bottom, right, top) painted around a figure for what reaches
#: past its edges: wrapped unsur and unit names reach ~1.2 in to the left, values
#: and notes ~0.9 in to the right. A drawing that fills the room is measured and
#: painted again (see _png); more room costs every chart a larger canvas.
ROOM_INCHES = (1.6, 0.15, 1.3, 0.15)
TITLE_SIZE = 24
LABEL_SIZE = 19
VALUE_SIZE = 19
SMALL_SIZE = 16

INK = "#1b2430"
MUTED = "#5b6573"
#: Bar colour and pale zone colour per mutu (colour-blind safe pairs, dark enough
#: for white-on-colour nowhere: values are printed beside the bars).
MUTU_COLOURS = {"A": "#1a7f37", "B": "#0b5ed7", "C": "#c26a00", "D": "#b42318"}
ZONE_COLOURS = {"A": "#e6f4ea", "B": "#e7f0fd", "C": "#fdf1e1", "D": "#fbe9e7"}
NEUTRAL = "#4f6a8f"
FADED = "#c3cbd6"
TARGET_COLOUR = "#7a1fa2"

# Matplotlib's text layout keeps module-level caches; one figure at a time.
_DRAW_LOCK = threading.Lock()


@dataclass(frozen=True)
class Band:
    """One grade zone on the konversi axis: ``lower`` <= konversi < next lower."""

    mutu: str
    lower: float


@dataclass(frozen=True)
class ScoreBars:
    """Horizontal bars of konversi values (25–100) over the grade zones."""

    title: str
    subtitle: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    mutu: tuple[str | None, ...]
    notes: tuple[str, ...]
    emphasis: tuple[bool, ...]
    bands: tuple[Band, ...]
    axis_label: str = "Nilai konversi (NRR × 25)"


@dataclass(frozen=True)
class TrendLine:
    """IKM konversi per periode, oldest first, with the grade zones and IKU targets."""

    title: str
    subtitle: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    mutu: tuple[str | None, ...]
    bands: tuple[Band, ...]
    targets: tuple[float | None, ...]
    #: Short name of the instrument of each point; where it changes the line
    #: breaks and a vertical rule names the new one (scores are never joined).
    instruments: tuple[str, ...] = ()
    #: Grade zones of the other instruments by short name, drawn behind their
    #: own points (``bands`` are those of the dashboard's instrument).
    other_bands: tuple[tuple[str, tuple[Band, ...]], ...] = ()


@dataclass(frozen=True)
class CountBars:
    """Respondents per category (a profile field, a layanan)."""

    title: str
    subtitle: str
    labels: tuple[str, ...]
    counts: tuple[int, ...]
    total: int
    #: Rows drawn paler: "Tidak diisi" and values the instrument does not know.
    faded: tuple[bool, ...] = ()


ChartSpec = ScoreBars | TrendLine | CountBars


def digest(spec: ChartSpec) -> str:
    """A short name for exactly this content (the cache key and the URL's ``v``)."""
    return hashlib.sha256(repr(spec).encode()).hexdigest()[:20]


def grade_bands(instrument: Instrument) -> tuple[Band, ...]:
    """Grade zones from the instrument's category table, lowest first."""
    grades = sorted(instrument.grade_scale.grades, key=lambda g: g.lower_centi)
    return tuple(Band(g.mutu, g.lower_centi / 100) for g in grades)


def _scale(instrument: Instrument) -> tuple[float, float]:
    return 25.0 * instrument.scale_min, 25.0 * instrument.scale_max


def encode_png(rgba: np.ndarray, margin: int = 0) -> bytes:
    """An RGB PNG of an opaque (height, width, 4) uint8 image framed by ``margin``
    white pixels, every row unfiltered.

    Every chart is drawn on white, so the alpha channel is dropped. Pillow
    tries each PNG row filter on every row before compressing, which took
    most of the encoding time; the charts' flat colours compress as well
    without any filter, at zlib's fastest level, in about a third of the time.
    The frame is written with the pixels, in one copy of the image.
    """
    height, width = rgba.shape[0] + 2 * margin, rgba.shape[1] + 2 * margin
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "None" at the start of each row
    pixels = rows[:, 1:].reshape(height, width, 3)  # a view: written through
    if margin:
        pixels[:margin] = pixels[-margin:] = 255
        pixels[:, :margin] = pixels[:, -margin:] = 255
    pixels[margin : height - margin, margin : width - margin] = rgba[:, :, :3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows.data, PNG_COMPRESS_LEVEL)),
            _chunk(b"IEND", b""),
        )
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class _RoomTooSmall(Exception):
    """Something was painted up to the edge of :data:`ROOM_INCHES`."""


class _OpaqueCanvas(FigureCanvasAgg):
    """The Agg canvas writing its PNG with :func:`encode_png`, cut to what was painted."""

    #: False: the whole canvas is written (only if the paint is not where it was measured).
    crop = True

    def get_renderer(self) -> LineTextRenderer:
        # FigureCanvasAgg.get_renderer, with text painted a line at a time.
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = LineTextRenderer(width, height, self.figure.dpi)
            self._lastKey = key  # type: ignore[assignment]  # declared None in matplotlib
        return self.renderer  # type: ignore[no-any-return]

    def print_png(self, filename_or_obj: Any, **_options: Any) -> None:
        FigureCanvasAgg.draw(self)
        rgba = np.asarray(self.buffer_rgba())
        if not self.crop:
            filename_or_obj.write(encode_png(rgba))
            return
        rows, cols = _painted(rgba)
        filename_or_obj.write(encode_png(rgba[rows, cols], round(PAD_INCHES * DPI)))


def _painted(rgba: np.ndarray) -> tuple[slice, slice]:
    """The rows and columns of ``rgba`` that hold paint.

    Raises :class:`_RoomTooSmall` when the paint reaches an edge: what lies
    beyond it was not drawn.
    """
    # One 32-bit word per pixel: white is every byte 255 (the canvas is opaque).
    painted = rgba.view(np.uint32)[:, :, 0] != 0xFFFFFFFF
    rows = np.flatnonzero(painted.any(axis=1))
    if not len(rows):
        return slice(0, 1), slice(0, 1)  # nothing painted: a white pixel in its margin
    cols = np.flatnonzero(painted[rows[0] : rows[-1] + 1].any(axis=0))
    height, width = painted.shape
    if rows[0] == 0 or cols[0] == 0 or rows[-1] == height - 1 or cols[-1] == width - 1:
        raise _RoomTooSmall
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def _figure(height: float, width: float = WIDTH) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
    _OpaqueCanvas(figure)
    return figure


def _png(figure: Figure) -> bytes:
    """The PNG of ``figure``: everything drawn, however far past the figure's edges
    (long unsur names on the left, values on the right), plus a white margin.

    Matplotlib's ``bbox_inches="tight"`` would measure every artist in a pass
    without painting, then paint on a second canvas of the measured size: two
    layouts of every text. Here the figure is painted once, with room all round,
    and the picture is cut to its painted pixels. Only a drawing that fills the
    room is measured and painted again.
    """
    canvas = figure.canvas
    assert isinstance(canvas, _OpaqueCanvas)  # from _figure
    width, height = figure.get_size_inches()
    left, bottom, right, top = ROOM_INCHES
    try:
        return _saved(figure, Bbox.from_extents(-left, -bottom, width + right, height + top))
    except _RoomTooSmall:
        drawn = figure.get_tightbbox(canvas.get_renderer()).padded(PAD_INCHES)
    try:
        return _saved(figure, drawn)
    except _RoomTooSmall:  # paint past matplotlib's own measure: keep all of the canvas
        canvas.crop = False
        return _saved(figure, drawn)


def _saved(figure: Figure, room: Bbox) -> bytes:
    """``figure`` painted on a canvas of ``room`` (inches from the figure's origin),
    grown to whole pixels: every room places the drawing on the same pixel grid, so
    the cut picture is the same whichever room it was painted in."""
    (x0, y0), (x1, y1) = room.get_points() * DPI
    whole = Bbox.from_extents(
        math.floor(x0) / DPI, math.floor(y0) / DPI, math.ceil(x1) / DPI, math.ceil(y1) / DPI
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", bbox_inches=whole)
    return buffer.getvalue()


def _titles(figure: Figure, title: str, subtitle: str) -> None:
    figure.text(
        0.012,
        0.985,
        title,
        ha="left",
        va="top",
        fontsize=TITLE_SIZE,
        fontweight="bold",
        color=INK,
        family=FONT,
    )
    if subtitle:
        figure.text(
            0.012,
            0.985 - 0.5 / figure.get_figheight(),
            subtitle,
            ha="left",
            va="top",
            fontsize=SMALL_SIZE,
            color=MUTED,
            family=FONT,
        )


def _wrap(label: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(label, width)) or label


def _band_limits(bands: Sequence[Band], top: float) -> list[tuple[Band, float, float]]:
    limits = []
    for i, band in enumerate(bands):
        upper = bands[i + 1].lower if i + 1 < len(bands) else top
        limits.append((band, band.lower, upper))
    return limits


def draw_score_bars(spec: ScoreBars, scale: tuple[float, float] = (25.0, 100.0)) -> bytes:
    """Horizontal bars with the value and mutu printed beside each bar."""
    low, high = scale
    n = len(spec.labels)
    labels = [_wrap(label, 30) for label in spec.labels]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    height = max(4.8, 1.9 + (0.44 + 0.34 * lines) * n)
    with _DRAW_LOCK:
        figure = _figure(height)
        top, bottom = 1.05 / height, 0.85 / height  # inches kept for titles and the x axis
        axes = figure.add_axes((0.3, bottom, 0.6, 1 - top - bottom))
        _score_zones(axes, spec.bands, scale)
        _score_bars(axes, spec, low)
        axes.set_xlim(low, high)
        axes.set_ylim(n - 0.45, -1.3)
        axes.set_yticks(list(range(n)))
        axes.set_yticklabels(labels, fontsize=LABEL_SIZE, family=FONT, color=INK)
        for tick, emphasis in zip(axes.get_yticklabels(), spec.emphasis, strict=True):
            if emphasis:
                tick.set_fontweight("bold")
        ticks = [low] + [b.lower for b in spec.bands if b.lower > low] + [high]
        axes.set_xticks(ticks)
        axes.set_xticklabels(
            [format_number(t) for t in ticks], fontsize=SMALL_SIZE, family=FONT, color=MUTED
        )
        axes.set_xlabel(spec.axis_label, fontsize=SMALL_SIZE, family=FONT, color=MUTED)
        axes.tick_params(axis="y", length=0, pad=10)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        _score_values(axes, spec)
        _titles(figure, spec.title, spec.subtitle)
        return _png(figure)


def _score_zones(axes: Axes, bands: Sequence[Band], scale: tuple[float, float]) -> None:
    """The grade zones behind the bars, their letters above, dashed thresholds."""
    low, high = scale
    for band, lower, upper in _band_limits(bands, high):
        axes.axvspan(lower, upper, color=ZONE_COLOURS.get(band.mutu, "#f2f2f2"), zorder=0)
        axes.text(
            (lower + upper) / 2,
            -0.75,
            band.mutu,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            family=FONT,
            color=MUTU_COLOURS.get(band.mutu, MUTED),
            zorder=3,
        )
        if lower > low:
            axes.axvline(lower, color=MUTED, linestyle=(0, (4, 3)), linewidth=1.4, zorder=1)


def _score_bars(axes: Axes, spec: ScoreBars, low: float) -> None:
    """One bar per row from the scale's low end; "belum ada data" where none."""
    bars: list[tuple[int, float, str, bool]] = []
    for y, value, mutu, emphasis in zip(
        range(len(spec.labels)), spec.values, spec.mutu, spec.emphasis, strict=True
    ):
        if value is None:
            axes.text(
                low + 1, y, "belum ada data", va="center", fontsize=SMALL_SIZE, color=MUTED,
                family=FONT,
            )  # fmt: skip
        else:
            bars.append((y, value - low, MUTU_COLOURS.get(mutu or "", NEUTRAL), emphasis))
    if bars:
        # One call for every bar: a call per bar costs a container and a
        # limits update each, a good part of the drawing time.
        axes.barh(
            [y for y, _, _, _ in bars],
            [length for _, length, _, _ in bars],
            left=low,
            height=0.64,
            color=[colour for _, _, colour, _ in bars],
            zorder=2,
            edgecolor=[INK if emphasis else colour for _, _, colour, emphasis in bars],
            linewidth=[2.5 if emphasis else 0 for _, _, _, emphasis in bars],
        )


def _score_values(axes: Axes, spec: ScoreBars) -> None:
    """Value, mutu and note to the right of the plot, where no bar can hide them."""
    for y, value, mutu, note, emphasis in zip(
        range(len(spec.labels)), spec.values, spec.mutu, spec.notes, spec.emphasis, strict=True
    ):
        if value is None:
            continue
        axes.text(
            1.02,
            y,
            f"{format_number(value)}  {mutu or ''}",
            transform=axes.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize=VALUE_SIZE,
            family=FONT,
            fontweight="bold",
            color=MUTU_COLOURS.get(mutu or "", INK),
        )
        if note:
            axes.text(
                1.02,
                y + 0.36,
                note,
                transform=axes.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=SMALL_SIZE - 2,
                family=FONT,
                color=INK if emphasis else MUTED,
            )


def _draw_zones(
    axes: Axes,
    bands: Sequence[Band],
    limits: tuple[float, float, float],
    span: tuple[float, float],
    letters: bool,
) -> None:
    """Grade zones and thresholds between ``span`` (axes fractions), the mutu
    letters at the right edge when ``letters``."""
    bottom, top, high = limits
    xmin, xmax = span
    for band, lower, upper in _band_limits(bands, high):
        if upper <= bottom or lower >= top:
            continue
        colour = ZONE_COLOURS.get(band.mutu, "#f2f2f2")
        axes.axhspan(lower, upper, xmin=xmin, xmax=xmax, color=colour, zorder=0)
        if letters:
            axes.text(
                1.01,
                (max(lower, bottom) + min(upper, top)) / 2,
                band.mutu,
                transform=axes.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=LABEL_SIZE,
                fontweight="bold",
                color=MUTU_COLOURS.get(band.mutu, MUTED),
                family=FONT,
            )
        if bottom < lower < top:
            axes.axhline(
                lower, xmin=xmin, xmax=xmax, color=MUTED, linestyle=(0, (4, 3)), linewidth=1.2,
                zorder=1,
            )  # fmt: skip


def _instrument_runs(spec: TrendLine) -> list[list[int]]:
    """Consecutive point indices scored with the same instrument."""
    runs: list[list[int]] = []
    for index in range(len(spec.labels)):
        # Without instrument names (one instrument throughout) the line is one run.
        same = bool(runs) and (
            not spec.instruments or spec.instruments[index] == spec.instruments[index - 1]
        )
        if same:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def draw_trend(spec: TrendLine, scale: tuple[float, float] = (25.0, 100.0)) -> bytes:
    """The IKM konversi of successive periodes as a line over the grade zones."""
    low, high = scale
    present = [v for v in spec.values if v is not None]
    targets = [t for t in spec.targets if t is not None]
    shown = present + targets
    bottom = max(low, min(shown) - 6) if shown else low
    top = min(high, max(shown) + 5) if shown else high
    if top - bottom < 18:
        middle = (top + bottom) / 2
        bottom, top = max(low, middle - 9), min(high, middle + 9)
    height = 6.4
    with _DRAW_LOCK:
        figure = _figure(height)
        axes = figure.add_axes((0.07, 0.2, 0.86, 0.6))
        runs = _instrument_runs(spec)
        other_bands = dict(spec.other_bands)
        for run in runs:
            name = spec.instruments[run[0]] if spec.instruments else ""
            span = (run[0] / len(spec.labels), (run[-1] + 1) / len(spec.labels))
            bands = other_bands.get(name, spec.bands)
            _draw_zones(axes, bands, (bottom, top, high), span, letters=run is runs[-1])
        x = list(range(len(spec.labels)))
        for run in runs:
            values = [float("nan") if (v := spec.values[i]) is None else v for i in run]
            axes.plot(run, values, color=INK, linewidth=3, zorder=3)
        _trend_breaks(axes, spec, runs)
        _trend_points(axes, spec, (bottom, top))
        if targets:
            _trend_targets(axes, spec)
        axes.set_xlim(-0.5, len(x) - 0.5)
        axes.set_ylim(bottom, top)
        axes.set_xticks(x)
        axes.set_xticklabels(spec.labels, fontsize=SMALL_SIZE, family=FONT, color=INK)
        axes.tick_params(axis="y", labelsize=SMALL_SIZE, colors=MUTED)
        for label in axes.get_yticklabels():
            label.set_fontfamily(FONT)
        # Whole-number ticks only: "83" must not stand for 82,5.
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=True))
        axes.yaxis.set_major_formatter(lambda value, _pos: format_number(value, 0))
        axes.set_ylabel("Nilai konversi IKM", fontsize=SMALL_SIZE, family=FONT, color=MUTED)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        _titles(figure, spec.title, spec.subtitle)
        return _png(figure)


def _trend_breaks(axes: Axes, spec: TrendLine, runs: list[list[int]]) -> None:
    """A vertical rule and the new instrument's name where the instrument changes."""
    for start in runs[1:]:
        axes.axvline(start[0] - 0.5, color=INK, linestyle=(0, (2, 2)), linewidth=1.6, zorder=2)
        axes.text(
            start[0] - 0.45,
            0.98,
            f"mulai {spec.instruments[start[0]]}",
            transform=axes.get_xaxis_transform(),
            ha="left",
            va="top",
            fontsize=SMALL_SIZE - 2,
            color=INK,
            family=FONT,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )


def _trend_points(axes: Axes, spec: TrendLine, shown: tuple[float, float]) -> None:
    """A marker in its mutu colour and the value above each point; "belum ada data"
    where a periode has none."""
    bottom, top = shown
    x = list(range(len(spec.labels)))
    for xi, value, mutu in zip(x, spec.values, spec.mutu, strict=True):
        if value is None:
            axes.text(
                xi,
                bottom + (top - bottom) * 0.06,
                "belum ada\ndata",
                ha="center",
                va="bottom",
                fontsize=SMALL_SIZE - 2,
                color=MUTED,
                family=FONT,
            )
            continue
        colour = MUTU_COLOURS.get(mutu or "", INK)
        axes.plot(
            [xi],
            [value],
            marker="o",
            markersize=13,
            color=colour,
            zorder=4,
            markeredgecolor="white",
            markeredgewidth=2,
        )
        axes.annotate(
            format_number(value),
            (xi, value),
            xytext=(0, 14),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
            fontweight="bold",
            color=INK,
            family=FONT,
            zorder=5,
            # Readable where it crosses a target or threshold line.
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
        )


def _trend_targets(axes: Axes, spec: TrendLine) -> None:
    """The IKU target of each periode as a dashed step line, with its legend."""
    x = list(range(len(spec.labels)))
    target_values = [float("nan") if t is None else t for t in spec.targets]
    axes.step(
        x,
        target_values,
        where="mid",
        color=TARGET_COLOUR,
        linewidth=2.5,
        linestyle=(0, (6, 3)),
        zorder=2,
        label="Target IKU",
    )
    axes.legend(
        loc="lower right",
        fontsize=SMALL_SIZE,
        frameon=True,
        prop={"family": FONT, "size": SMALL_SIZE},
    )


def draw_counts(spec: CountBars) -> bytes:
    """Horizontal bars of respondent counts with count and percentage beside each."""
    n = len(spec.labels)
    height = max(3.6, 1.7 + 0.62 * n)
    largest = max(spec.counts, default=0) or 1
    with _DRAW_LOCK:
        figure = _figure(height, HALF_WIDTH)
        axes = figure.add_axes((0.3, 0.35 / height, 0.5, 1 - 1.3 / height - 0.35 / height))
        positions = list(range(n))
        faded = spec.faded or tuple(False for _ in spec.labels)
        colours = [FADED if pale else NEUTRAL for pale in faded]
        axes.barh(positions, spec.counts, height=0.62, color=colours, zorder=2)
        for y, count in zip(positions, spec.counts, strict=True):
            percent = 100 * count / spec.total if spec.total else 0.0
            axes.text(
                1.02,
                y,
                f"{format_number(count, 0)}  ({format_number(percent, 1)}%)",
                transform=axes.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=VALUE_SIZE,
                family=FONT,
                color=INK,
            )
        axes.set_xlim(0, largest * 1.02)
        axes.set_ylim(n - 0.5, -0.5)
        axes.set_yticks(positions)
        axes.set_yticklabels(
            [_wrap(label, 18) for label in spec.labels], fontsize=LABEL_SIZE, family=FONT, color=INK
        )
        axes.set_xticks([])
        axes.tick_params(axis="y", length=0, pad=10)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        _titles(figure, spec.title, spec.subtitle)
        return _png(figure)


def draw(spec: ChartSpec, instrument: Instrument) -> bytes:
    """The PNG of any chart spec."""
    if isinstance(spec, ScoreBars):
        return draw_score_bars(spec, _scale(instrument))
    if isinstance(spec, TrendLine):
        return draw_trend(spec, _scale(instrument))
    return draw_counts(spec)
