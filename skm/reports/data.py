"""Everything a report prints, gathered once from the services that compute it.

The numbers come from the dashboard (:func:`skm.results.dashboard.build_dashboard`:
``skm.ikm`` and ``scoring``), the RTL from :mod:`skm.results.rencana`, the
IKU table from :mod:`skm.iku`; nothing here scores anything. What this
module adds is what only a report needs: the per-respondent answers of the
annex, the saran grouped by text, and the responses per channel.

The annex lists the same responses the IKM was computed from; its column
sums must equal the Σ nilai and counts of the score. The two are read by
separate queries, so a response arriving in between would make them
disagree: :func:`collect_report` checks and reads again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from scoring import IkmResult
from skm.ikm import Scope, response_conditions
from skm.models import Layanan, SurveyResponse, Unit, answer_column_name
from skm.models.staff import SARAN_STATUS_LABELS, SaranTindakLanjut
from skm.periode import Periode
from skm.results.cache import app_cache
from skm.results.charts import digest, draw
from skm.results.dashboard import Dashboard, Selection, build_dashboard
from skm.results.dashboard_charts import chart_spec
from skm.results.indicators import predikat_scale
from skm.results.realisasi import IkuRow, capaian_of, iku_table
from skm.results.rencana import rencana_for
from skm.results.subject import ReportError, UnitInfo, unit_info

#: How responses reached the office, as the report names the channels.
CHANNEL_LABELS = {
    "kiosk": "Tablet (kios) di ruang pelayanan",
    "web": "Telepon genggam (kode QR/tautan)",
    "paper": "Kuesioner kertas",
    "import": "Tabulasi yang diimpor",
}

ATTEMPTS = 3


@dataclass(frozen=True)
class RtlRow:
    unsur_code: str
    unsur_name: str
    program: str
    waktu: str
    penanggung_jawab: str


@dataclass(frozen=True)
class SaranGroup:
    """One saran text and how many respondents wrote exactly it."""

    text: str
    count: int


@dataclass(frozen=True)
class SaranEntry:
    """One respondent's saran, for the spreadsheet."""

    submitted_at: datetime  # local time of the office
    unit_name: str
    layanan_name: str | None
    text: str
    status: str


@dataclass(frozen=True)
class IkmTarget:
    """The IKM against its IKU target (every periode kind)."""

    target: Decimal
    realisasi: Decimal
    capaian: Decimal | None
    predikat: str | None


@dataclass(frozen=True)
class IkuSection:
    #: The IKU table of the unit (triwulan and tahun reports; empty without IKU).
    rows: tuple[IkuRow, ...]
    #: What the table covers: "Triwulan III 2026", "Tahun 2026".
    label: str | None
    ikm: IkmTarget | None


@dataclass(frozen=True)
class ReportData:
    """The numbers and lists of one report: a unit (with its sub-units) and a periode."""

    unit: UnitInfo
    periode: Periode
    instrument: Instrument
    dashboard: Dashboard
    #: ``answers[r, j]``: respondent r's answer to the unsur in report position j, 0 if blank;
    #: respondents in the order they answered.
    answers: npt.NDArray[np.int8]
    channels: tuple[tuple[str, int], ...]
    #: Responses of the periode that staff excluded from scoring (flagged as careless).
    excluded: int
    rencana: tuple[RtlRow, ...]
    saran: tuple[SaranGroup, ...]
    saran_entries: tuple[SaranEntry, ...]
    iku: IkuSection
    #: PNG of the dashboard charts the report shows, by chart name ("unsur", "tren").
    charts: dict[str, bytes]
    #: When the report was produced (office time): "data sampai" for a running periode.
    produced_at: datetime

    @property
    def result(self) -> IkmResult:
        """The IKM of the report (a report is only collected when there is one)."""
        result = self.dashboard.result
        if result is None:
            raise ReportError("Laporan tanpa nilai IKM.")
        return result

    @property
    def saran_total(self) -> int:
        return sum(group.count for group in self.saran)

    @property
    def periode_running(self) -> bool:
        return self.produced_at.date() < self.periode.last_day


def annex_answers(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> npt.NDArray[np.int8]:
    """The answers of every counted response, one row per respondent (0 for a blank).

    Exactly the responses the IKM counts (:func:`skm.ikm.response_conditions`),
    in the order they were given.
    """
    columns = [getattr(SurveyResponse, answer_column_name(u.position)) for u in instrument.unsur]
    query = (
        sa.select(*columns)
        .where(*response_conditions(instrument, [periode], tz, Scope(unit)))
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
    )
    rows = session.execute(query).all()
    if not rows:
        return np.zeros((0, instrument.n_unsur), dtype=np.int8)
    return np.array([[v or 0 for v in row] for row in rows], dtype=np.int8)


def _annex_agrees(answers: npt.NDArray[np.int8], dashboard: Dashboard) -> bool:
    result = dashboard.result
    if result is None:
        return True
    wide = answers.astype(np.int64)
    sums = wide.sum(axis=0)
    counts = (wide > 0).sum(axis=0)
    return (
        answers.shape[0] == (result.respondents or 0)
        and all(int(s) == u.sum for s, u in zip(sums, result.unsur, strict=True))
        and all(int(c) == u.count for c, u in zip(counts, result.unsur, strict=True))
    )


def channel_counts(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> tuple[tuple[str, int], ...]:
    """Counted responses per channel, in the order of :data:`CHANNEL_LABELS`."""
    found = dict(
        session.execute(
            sa.select(SurveyResponse.channel, sa.func.count())
            .where(*response_conditions(instrument, [periode], tz, Scope(unit)))
            .group_by(SurveyResponse.channel)
        ).all()
    )
    return tuple((key, int(found[key])) for key in CHANNEL_LABELS if found.get(key))


def excluded_count(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> int:
    """Responses of the periode that staff excluded from scoring."""
    scope = Scope(unit, include_excluded=True)
    return int(
        session.scalar(
            sa.select(sa.func.count()).where(
                *response_conditions(instrument, [periode], tz, scope),
                SurveyResponse.excluded.is_(True),
            )
        )
        or 0
    )


def _saran_conditions(
    instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> list[sa.ColumnElement[bool]]:
    return [
        *response_conditions(instrument, [periode], tz, Scope(unit)),
        SurveyResponse.saran.is_not(None),
        sa.func.trim(SurveyResponse.saran) != "",
    ]


def saran_groups(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> tuple[SaranGroup, ...]:
    """The saran of the counted respondents, identical texts counted together, most
    frequent first."""
    text = sa.func.trim(SurveyResponse.saran)
    rows = session.execute(
        sa.select(text, sa.func.count())
        .where(*_saran_conditions(instrument, tz, unit, periode))
        .group_by(text)
        .order_by(sa.func.count().desc(), text)
    ).all()
    return tuple(SaranGroup(str(row[0]), int(row[1])) for row in rows)


def saran_entries(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> tuple[SaranEntry, ...]:
    """Every saran of the counted respondents with its follow-up status, oldest first."""
    rows = session.execute(
        sa.select(
            SurveyResponse.submitted_at,
            Unit.name,
            Layanan.name,
            SurveyResponse.saran,
            SaranTindakLanjut.status,
        )
        .join(Unit, Unit.id == SurveyResponse.unit_id)
        .outerjoin(Layanan, Layanan.id == SurveyResponse.layanan_id)
        .outerjoin(SaranTindakLanjut, SaranTindakLanjut.response_id == SurveyResponse.id)
        .where(*_saran_conditions(instrument, tz, unit, periode))
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
    ).all()
    return tuple(
        SaranEntry(
            row[0].astimezone(tz),
            row[1],
            row[2],
            str(row[3]).strip(),
            SARAN_STATUS_LABELS.get(row[4] or "baru", row[4] or ""),
        )
        for row in rows
    )


def _rencana(
    session: Session, instrument: Instrument, unit: Unit, periode: Periode
) -> tuple[RtlRow, ...]:
    rows = []
    for rencana in rencana_for(session, instrument, unit, periode):
        try:
            unsur = instrument.unsur_by_key(rencana.unsur_key)
            code, name = unsur.code, unsur.name
        except KeyError:
            code, name = "", rencana.unsur_key
        rows.append(RtlRow(code, name, rencana.program, rencana.waktu, rencana.penanggung_jawab))
    return tuple(rows)


def _iku(
    session: Session, tz: ZoneInfo, unit: Unit, dashboard: Dashboard, now: datetime
) -> IkuSection:
    periode = dashboard.selection.periode
    rows: list[IkuRow] = []
    label = None
    if periode.kind == "triwulan":
        rows = iku_table(session, unit, periode.year, triwulan=periode.number, tz=tz, today=now)
        label = periode.label
    elif periode.kind == "tahun":
        rows = iku_table(session, unit, periode.year, tz=tz, today=now)
        label = periode.label
    ikm = None
    target = dashboard.targets[-1] if dashboard.targets else None
    result = dashboard.result
    if target is not None and result is not None:
        steps, _ = predikat_scale(session, unit)
        target_value = Decimal(repr(target))
        realisasi = Decimal(result.konversi_centi) / 100
        capaian, _, predikat = capaian_of(realisasi, target_value, "higher", steps)
        ikm = IkmTarget(target_value, realisasi, capaian, predikat)
    return IkuSection(tuple(rows), label, ikm)


#: The dashboard charts a report prints.
CHART_NAMES = ("unsur", "tren")
#: Shared with the dashboard's chart view: a chart drawn for one is not drawn again.
CHART_CACHE = "charts"
CHART_CACHE_SIZE = 256


def report_charts(dashboard: Dashboard) -> dict[str, bytes]:
    """The PNG of each chart the report shows: the dashboard's own specs and drawing,
    taken from the dashboard's chart cache when the same content was drawn already."""
    cache = app_cache(CHART_CACHE, CHART_CACHE_SIZE)
    unit_id = dashboard.selection.unit.id
    charts = {}
    for name in CHART_NAMES:
        spec = chart_spec(dashboard, name)
        if spec is None:
            continue
        key = (unit_id, name, digest(spec))
        png = cache.get(key)
        if png is None:
            png = draw(spec, dashboard.instrument)
            cache.put(key, png)
        charts[name] = png
    return charts


def collect_report(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    unit: Unit,
    periode: Periode,
    *,
    now: datetime | None = None,
    with_charts: bool = True,
) -> ReportData:
    """Gather the report of ``unit`` (with its sub-units) for ``periode``.

    Needs an application context (the dashboard's cache and IKU targets).
    ``with_charts=False`` skips drawing the charts (the spreadsheet has none).
    Raises :class:`ReportError` when there is nothing to report.
    """
    now = (now or datetime.now(tz)).astimezone(tz)
    for _ in range(ATTEMPTS):
        dashboard = build_dashboard(session, instrument, tz, Selection(unit, periode))
        answers = annex_answers(session, instrument, tz, unit, periode)
        if _annex_agrees(answers, dashboard):
            break
    else:
        raise ReportError(
            "Data respons berubah terus selama laporan disusun; coba beberapa saat lagi."
        )
    if dashboard.result is None:
        raise ReportError(
            f"Belum ada respons yang dapat dinilai untuk {unit.name} pada {periode.label}; "
            "laporan belum dapat disusun."
        )
    return ReportData(
        unit=unit_info(session, unit),
        periode=periode,
        instrument=instrument,
        dashboard=dashboard,
        answers=answers,
        channels=channel_counts(session, instrument, tz, unit, periode),
        excluded=excluded_count(session, instrument, tz, unit, periode),
        rencana=_rencana(session, instrument, unit, periode),
        saran=saran_groups(session, instrument, tz, unit, periode),
        saran_entries=saran_entries(session, instrument, tz, unit, periode),
        iku=_iku(session, tz, unit, dashboard, now),
        charts=report_charts(dashboard) if with_charts else {},
        produced_at=now,
    )


def _profile_label(instrument: Instrument, key: str, value: object) -> object:
    spec = instrument.profile_field(key)
    if value is None or spec is None or spec.kind != "choice":
        return value
    option = spec.option_by_key(str(value))
    return option.label if option is not None else value


def raw_response_table(
    session: Session, instrument: Instrument, tz: ZoneInfo, unit: Unit, periode: Periode
) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the raw responses of ``unit`` (with sub-units) in ``periode``.

    One row per response, excluded ones too (marked), so that the file is
    the complete record: filtering "Dihitung" = "Ya" leaves exactly the
    respondents of the IKM.
    """
    profile_columns = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
    extra_fields = [spec for spec in instrument.profile if spec.key not in profile_columns]
    answer_columns = [
        getattr(SurveyResponse, answer_column_name(u.position)) for u in instrument.unsur
    ]
    query = (
        sa.select(
            SurveyResponse.uuid,
            SurveyResponse.submitted_at,
            Unit.name,
            Layanan.name,
            SurveyResponse.channel,
            SurveyResponse.jenis_kelamin,
            SurveyResponse.usia,
            SurveyResponse.pendidikan,
            SurveyResponse.pekerjaan,
            SurveyResponse.profile_extra,
            SurveyResponse.saran,
            SurveyResponse.excluded,
            SurveyResponse.flag,
            *answer_columns,
        )
        .join(Unit, Unit.id == SurveyResponse.unit_id)
        .outerjoin(Layanan, Layanan.id == SurveyResponse.layanan_id)
        .where(*response_conditions(instrument, [periode], tz, Scope(unit, include_excluded=True)))
        .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
    )
    present = [spec for key in profile_columns if (spec := instrument.profile_field(key))]
    headers = [
        "No",
        "ID respons",
        "Tanggal",
        "Jam",
        "Unit layanan",
        "Jenis layanan",
        "Cara pengisian",
        *(spec.label for spec in present),
        *(spec.label for spec in extra_fields),
        *(u.code for u in instrument.unsur),
        "Saran",
        "Dihitung dalam IKM",
        "Catatan penandaan",
    ]
    rows: list[list[object]] = []
    for number, row in enumerate(session.execute(query), start=1):
        local = row[1].astimezone(tz)
        profile = dict(zip(profile_columns, row[5:9], strict=True))
        extra = row[9] or {}
        rows.append(
            [
                number,
                str(row[0]),
                local.date().isoformat(),
                f"{local:%H:%M}",
                row[2],
                row[3] or "",
                CHANNEL_LABELS.get(row[4], row[4]),
                *(_profile_label(instrument, spec.key, profile[spec.key]) for spec in present),
                *(
                    _profile_label(instrument, spec.key, extra.get(spec.key))
                    for spec in extra_fields
                ),
                *row[13:],
                row[10] or "",
                "Tidak" if row[11] else "Ya",
                row[12] or "",
            ]
        )
    return headers, rows
