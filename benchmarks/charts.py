"""How long the eight charts of a kabupaten dashboard take to draw, cold.

The specs are those of a kabupaten with 50 kecamatan and 10 layanan over eight
triwulan (the dashboard shows the 15 sub-units with most respondents), built from
the default instrument's unsur and profile fields. Drawing depends on the spec
alone, so no database is needed.

Baseline, measured in the same run: the same figures saved the way matplotlib
is usually asked to (``bbox_inches="tight"``, Pillow's PNG encoder), which is
what SKM's :func:`skm.results.charts._png` replaces.

    .venv/bin/python benchmarks/charts.py [--repeat 5] [--out DIR]

``--out DIR`` writes each chart's PNG there, to look at.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the repository's scoring/, not benchmarks/scoring.py

from questionnaires import default_instrument  # noqa: E402
from skm.results import charts  # noqa: E402
from skm.results.charts import (  # noqa: E402
    ChartSpec,
    CountBars,
    ScoreBars,
    TrendLine,
    grade_bands,
)

SUBTITLE = "Kabupaten Contoh · Triwulan IV 2026 · 1.000.000 responden"


def _mutu(value: float) -> str:
    # Permenpan RB 14/2017 grade table on the konversi scale.
    return "A" if value >= 88.31 else "B" if value >= 76.61 else "C" if value >= 65.0 else "D"


def kabupaten_specs() -> dict[str, ChartSpec]:
    """The eight charts of a kabupaten dashboard, with numbers of a plausible size."""
    instrument = default_instrument()
    bands = grade_bands(instrument)
    unsur = [78.41 + 2.37 * (i % 5) - 1.9 * (i % 3) for i in range(len(instrument.unsur))]
    weakest = min(range(len(unsur)), key=unsur.__getitem__)
    specs: dict[str, ChartSpec] = {
        "unsur": ScoreBars(
            title="Nilai per unsur pelayanan",
            subtitle=SUBTITLE,
            labels=tuple(f"{u.code} {u.name}" for u in instrument.unsur),
            values=tuple(unsur),
            mutu=tuple(_mutu(v) for v in unsur),
            notes=tuple("prioritas perbaikan" if i == weakest else "" for i in range(len(unsur))),
            emphasis=tuple(i == weakest for i in range(len(unsur))),
            bands=bands,
        ),
        "tren": TrendLine(
            title="Perkembangan IKM",
            subtitle="Kabupaten Contoh · Triwulan I 2025 – Triwulan IV 2026",
            labels=tuple(f"TW {q}\n{y}" for y in (2025, 2026) for q in ("I", "II", "III", "IV")),
            values=(79.12, 80.45, 81.02, 80.77, 82.3, 83.91, 84.06, 85.5),
            mutu=("B",) * 8,
            bands=bands,
            targets=(80.0,) * 4 + (82.5,) * 4,
        ),
    }
    for name, title, count in (
        ("subunit", "IKM per sub-unit", 15),
        ("layanan", "IKM per jenis layanan", 10),
    ):
        values = [74.2 + (i * 7.31) % 19 for i in range(count)]
        specs[name] = ScoreBars(
            title=title,
            subtitle=SUBTITLE + f" · {count} dengan responden terbanyak",
            labels=tuple(
                f"Kecamatan Sukamaju Wetan {i + 1}" if name == "subunit"
                else f"Surat keterangan pindah datang {i + 1}"
                for i in range(count)
            ),
            values=tuple(values),
            mutu=tuple(_mutu(v) for v in values),
            notes=tuple(f"{20_000 - 900 * i:,} responden".replace(",", ".") for i in range(count)),
            emphasis=(False,) * count,
            bands=bands,
            axis_label="Nilai konversi IKM",
        )  # fmt: skip
    for field in instrument.profile[:4]:
        labels = [o.label for o in field.options] or [b.label for b in field.bands]
        labels.append("Tidak diisi")
        counts = [1_000_000 // (i + 2) for i in range(len(labels))]
        specs[f"profil-{field.key}"] = CountBars(
            title=f"Responden menurut {field.label.lower()}",
            subtitle=SUBTITLE,
            labels=tuple(labels),
            counts=tuple(counts),
            total=sum(counts),
            faded=tuple(label == "Tidak diisi" for label in labels),
        )
    return specs


def _tight_pillow_png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)  # matplotlib's own canvas, whose PNG writer is Pillow's
    figure.savefig(buffer, format="png", dpi=charts.DPI, bbox_inches="tight", pad_inches=0.3)
    return buffer.getvalue()


@contextmanager
def _usual_matplotlib() -> Any:
    with mock.patch.object(charts, "_png", _tight_pillow_png):
        yield


def _time(draw: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    times = []
    png = b""
    for _ in range(repeat):
        started = time.perf_counter()
        png = draw()
        times.append(time.perf_counter() - started)
    return statistics.median(times), png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="draws per chart (median kept)")
    parser.add_argument("--out", type=Path, help="write each chart's PNG into this folder")
    args = parser.parse_args()
    instrument = default_instrument()
    specs = kabupaten_specs()
    charts.draw(specs["unsur"], instrument)  # fonts loaded and cached once, as in a server
    rows = []
    for name, spec in specs.items():
        with _usual_matplotlib():
            usual, _ = _time(lambda spec=spec: charts.draw(spec, instrument), args.repeat)
        skm, png = _time(lambda spec=spec: charts.draw(spec, instrument), args.repeat)
        rows.append((name, usual, skm, len(png)))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name}.png").write_bytes(png)
    print(f"{'chart':<24}{'usual':>9}{'SKM':>9}{'ratio':>8}{'PNG KiB':>9}")
    for name, usual, skm, size in rows:
        print(f"{name:<24}{usual:>8.3f}s{skm:>8.3f}s{skm / usual:>7.2f}x{size / 1024:>9.0f}")
    usual_total = sum(r[1] for r in rows)
    skm_total = sum(r[2] for r in rows)
    print(f"{'all ' + str(len(rows)) + ' charts':<24}{usual_total:>8.3f}s{skm_total:>8.3f}s"
          f"{skm_total / usual_total:>7.2f}x")  # fmt: skip
    print(f"(median of {args.repeat} draws each; usual = bbox_inches='tight' + Pillow PNG)")


if __name__ == "__main__":
    main()
