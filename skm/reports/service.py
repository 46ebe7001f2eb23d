"""Producing a report file: gather the data, then hand it to the pure generator."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.models import Unit
from skm.periode import Periode
from skm.reports.comparison_report import comparison_content, generate_comparison_xlsx
from skm.reports.data import collect_report, raw_response_table
from skm.reports.narrative import narrative_for, signatory_for
from skm.reports.pdf import generate_pdf, render_pdf
from skm.reports.responses_csv import generate_csv
from skm.reports.summary import generate_summary_pdf
from skm.reports.tabulation_xlsx import generate_xlsx
from skm.reports.word import generate_docx, render_docx
from skm.results.comparison import collect_comparison

#: What can be produced, by the names the CLI and the download links use.
KINDS = ("pdf", "docx", "ringkasan", "xlsx", "csv", "rekap-pdf", "rekap-docx", "rekap-xlsx")


def produce(
    session: Session,
    instrument: Instrument,
    tz: ZoneInfo,
    unit: Unit,
    periode: Periode,
    kind: str,
    *,
    now: datetime | None = None,
) -> bytes:
    """The bytes of one report file of ``unit`` (with its sub-units) for ``periode``.

    ``kind``: ``pdf`` (the full report), ``docx`` (the same, editable in Word),
    ``ringkasan`` (the notice-board page), ``xlsx`` (the tabulation), ``csv`` (the raw
    responses); ``rekap-pdf``, ``rekap-docx``, ``rekap-xlsx`` the comparison of the
    unit's sub-units (:mod:`skm.results.comparison`).
    Raises :class:`skm.reports.data.ReportError` when there is nothing to
    report. Needs an application context.
    """
    if kind not in KINDS:
        raise ValueError(f"Jenis berkas '{kind}' tidak dikenal: {', '.join(KINDS)}.")
    if kind.startswith("rekap-"):
        return _comparison(session, tz, unit, periode, kind.removeprefix("rekap-"), now)
    if kind == "csv":
        headers, rows = raw_response_table(session, instrument, tz, unit, periode)
        return generate_csv(headers, rows)
    data = collect_report(
        session, instrument, tz, unit, periode, now=now, with_charts=kind != "xlsx"
    )
    if kind == "xlsx":
        return generate_xlsx(data)
    narrative = narrative_for(session, unit, periode, instrument)
    if kind == "ringkasan":
        return generate_summary_pdf(data, narrative)
    if kind == "docx":
        return generate_docx(data, narrative)
    return generate_pdf(data, narrative)


def _comparison(
    session: Session,
    tz: ZoneInfo,
    unit: Unit,
    periode: Periode,
    file_format: str,
    now: datetime | None,
) -> bytes:
    data = collect_comparison(session, tz, unit, periode, now=now)
    if file_format == "xlsx":
        return generate_comparison_xlsx(data)
    content = comparison_content(data, signatory_for(session, unit), data.produced_at.date())
    return render_docx(content) if file_format == "docx" else render_pdf(content)
