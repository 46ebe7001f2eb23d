"""The chart specs of a dashboard: what each chart shows, by name."""

from __future__ import annotations

from collections.abc import Sequence

from questionnaires import Instrument
from skm.formatting import format_number
from skm.periode import Periode, short_label
from skm.results.charts import ChartSpec, CountBars, ScoreBars, TrendLine, grade_bands
from skm.results.dashboard import Dashboard, GroupRow

#: Chart names in the order the dashboard shows them (profile charts: "profil-<field>").
CHART_NAMES = ("unsur", "tren", "subunit", "layanan")

#: A bar chart with more rows than this no longer reads on a projector.
MAX_BARS = 15


def _subtitle(dashboard: Dashboard, respondents: int | None = None) -> str:
    selection = dashboard.selection
    parts = [selection.unit.name]
    if not selection.include_subunits:
        parts[0] += " (tanpa sub-unit)"
    if selection.layanan_id is not None:
        chosen = next((r for r in dashboard.layanan_rows if r.selected), None)
        if chosen is not None:
            parts.append(chosen.name)
    parts.append(selection.periode.label)
    if respondents is not None:
        parts.append(f"{format_number(respondents, 0)} responden")
    return " · ".join(parts)


def _group_bars(dashboard: Dashboard, title: str, rows: tuple[GroupRow, ...]) -> ScoreBars:
    subtitle = _subtitle(dashboard)
    if len(rows) > MAX_BARS:
        kept = sorted(rows, key=lambda r: -r.respondents)[:MAX_BARS]
        rows = tuple(r for r in rows if r in kept)
        subtitle += f" · {MAX_BARS} dengan responden terbanyak"
    return ScoreBars(
        title=title,
        subtitle=subtitle,
        labels=tuple(row.name for row in rows),
        values=tuple(row.result.konversi if row.result else None for row in rows),
        mutu=tuple(row.result.mutu if row.result else None for row in rows),
        notes=tuple(f"{format_number(row.respondents, 0)} responden" for row in rows),
        emphasis=tuple(row.selected for row in rows),
        bands=grade_bands(dashboard.instrument),
        axis_label="Nilai konversi IKM",
    )


def _older(dashboard: Dashboard, trend: Sequence[tuple[Periode, object]]) -> list[Instrument]:
    """The other instruments the trend shows, once each."""
    used = {(i.key, i.version): i for i in (dashboard.instrument_of(p) for p, _ in trend)}
    used.pop((dashboard.instrument.key, dashboard.instrument.version), None)
    return list(used.values())


def chart_spec(dashboard: Dashboard, name: str) -> ChartSpec | None:
    """The spec of chart ``name``, or None when the dashboard has nothing to draw there."""
    if name == "unsur":
        return _unsur_spec(dashboard)
    if name == "tren":
        return _trend_spec(dashboard)
    if name == "subunit":
        if not dashboard.subunit_rows:
            return None
        return _group_bars(dashboard, "IKM per sub-unit", dashboard.subunit_rows)
    if name == "layanan":
        if not dashboard.layanan_rows:
            return None
        return _group_bars(dashboard, "IKM per jenis layanan", dashboard.layanan_rows)
    if name.startswith("profil-"):
        return _profile_spec(dashboard, name.removeprefix("profil-"))
    return None


def _unsur_spec(dashboard: Dashboard) -> ScoreBars | None:
    result = dashboard.result
    if result is None:
        return None
    rows = dashboard.unsur_rows
    return ScoreBars(
        title="Nilai per unsur pelayanan",
        subtitle=_subtitle(dashboard, result.respondents),
        labels=tuple(f"{row.unsur.code} {row.unsur.name}" for row in rows),
        values=tuple(row.score.konversi for row in rows),
        mutu=tuple(row.score.mutu for row in rows),
        notes=tuple("prioritas perbaikan" if row.prioritas else "" for row in rows),
        emphasis=tuple(row.prioritas for row in rows),
        bands=grade_bands(dashboard.instrument),
    )


def _trend_spec(dashboard: Dashboard) -> TrendLine | None:
    trend = dashboard.trend_shown
    if not trend:
        return None
    targets = dashboard.targets[len(dashboard.trend) - len(trend) :]
    return TrendLine(
        title="Perkembangan IKM",
        subtitle=_subtitle(dashboard).rsplit(" · ", 1)[0]
        + f" · {trend[0][0].label} – {trend[-1][0].label}"
        + (
            " · tiap instrumen dengan batas mutunya sendiri" if dashboard.instrument_changes else ""
        ),
        labels=tuple(short_label(p) for p, _ in trend),
        values=tuple(r.konversi if r else None for _, r in trend),
        mutu=tuple(r.mutu if r else None for _, r in trend),
        bands=grade_bands(dashboard.instrument),
        targets=targets,
        instruments=tuple(dashboard.instrument_of(p).short_name for p, _ in trend),
        other_bands=tuple(
            (used.short_name, grade_bands(used)) for used in _older(dashboard, trend)
        ),
    )


def _profile_spec(dashboard: Dashboard, key: str) -> CountBars | None:
    profile = next((p for p in dashboard.profiles if p.key == key), None)
    if profile is None or profile.total == 0:
        return None
    known = set(profile.known_keys)
    return CountBars(
        title=f"Responden menurut {profile.label.lower()}",
        subtitle=_subtitle(dashboard, profile.total),
        labels=tuple(row.label for row in profile.rows),
        counts=tuple(row.count for row in profile.rows),
        total=profile.total,
        faded=tuple(row.key is None or row.key not in known for row in profile.rows),
    )


def chart_names(dashboard: Dashboard) -> list[str]:
    """Every chart this dashboard can draw."""
    names = [n for n in CHART_NAMES if chart_spec(dashboard, n) is not None]
    names += [f"profil-{p.key}" for p in dashboard.profiles if p.total]
    return names
