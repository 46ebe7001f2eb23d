"""Views of the report page: settings, narrative and the four downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument
from skm import database
from skm.access import can_write, staff_required, unit_by_slug, writer_required
from skm.config import office_timezone
from skm.models import Unit
from skm.periode import PeriodeChoice, choose_periode, picker_context
from skm.proxies import client_address
from skm.reports.forms import (
    ConfirmForm,
    NarrativeFormBase,
    SignatoryForm,
    narrative_form,
    signatory_form,
)
from skm.reports.narrative import (
    SECTION_TITLES,
    narrative_for,
    reset_narrative,
    save_narrative,
    save_signatory,
    stored_narrative,
)
from skm.reports.send import (
    send_comparison,
    send_csv,
    send_report_docx,
    send_report_pdf,
    send_summary_pdf,
    send_xlsx,
)
from skm.reports.service import produce
from skm.results.dashboard import Selection, build_dashboard
from skm.results.rencana import rencana_for
from skm.results.subject import ReportError

bp = Blueprint("reports", __name__, url_prefix="/staf/laporan")


SENDERS = {
    "pdf": send_report_pdf,
    "docx": send_report_docx,
    "ringkasan": send_summary_pdf,
    "xlsx": send_xlsx,
    "csv": send_csv,
}


def _instrument() -> Instrument:
    return get_instrument(DEFAULT_INSTRUMENT_KEY)


def _unit(slug: str) -> Unit:
    unit = unit_by_slug(slug)
    g.staff_unit = unit  # the staff navigation links to this unit
    return unit


def _choice() -> PeriodeChoice:
    # Forms post to a URL that carries the periode, like every link of the page.
    choice = choose_periode(request.args, office_timezone())
    g.staff_periode_args = choice.args
    return choice


def _page(
    unit: Unit,
    choice: PeriodeChoice,
    *,
    narrative: NarrativeFormBase | None = None,
    signatory: SignatoryForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    session = database.session()
    instrument = _instrument()
    tz = office_timezone()
    periode = choice.periode
    board = build_dashboard(session, instrument, tz, Selection(unit, periode))
    current = narrative_for(session, unit, periode, instrument)
    stored = stored_narrative(session, unit, periode.code)
    edited = [
        SECTION_TITLES[name]
        for name in SECTION_TITLES
        if stored is not None and getattr(stored, name) is not None
    ]
    html = render_template(
        "reports/index.html",
        unit=unit,
        **picker_context(choice, tz),
        board=board,
        rencana_count=len(rencana_for(session, instrument, unit, periode)),
        signatory=current.signatory,
        narrative_form=narrative or narrative_form(current),
        signatory_form=signatory or signatory_form(current.signatory),
        edited=edited,
        can_edit=can_write(current_user),
    )
    return html, status


def _back(unit: Unit, choice: PeriodeChoice) -> WerkzeugResponse:
    return redirect(url_for("reports.index", slug=unit.slug, **choice.args))


@bp.get("/<slug>/")
@staff_required
def index(slug: str) -> Any:
    """The report page of a unit and periode: readiness, downloads, narrative, signatory."""
    return _page(_unit(slug), _choice())


@bp.post("/<slug>/narasi")
@writer_required
def narrative(slug: str) -> Any:
    """Save the narrative of this report."""
    unit = _unit(slug)
    choice = _choice()
    session = database.session()
    instrument = _instrument()
    form = narrative_form(narrative_for(session, unit, choice.periode, instrument))
    if not form.validate_on_submit():
        return _page(unit, choice, narrative=form, status=400)
    try:
        save_narrative(
            session,
            current_user,
            unit,
            choice.periode,
            instrument,
            form.texts(),
            include_saran=bool(form.include_saran.data),
            report_date=form.report_date.data,
            address=client_address(),
        )
    except ValueError as error:
        session.rollback()
        flash(str(error), "error")
        return _page(unit, choice, narrative=form, status=400)
    session.commit()
    flash(f"Narasi laporan {choice.periode.label} disimpan.", "success")
    return _back(unit, choice)


@bp.post("/<slug>/narasi/bawaan")
@writer_required
def narrative_reset(slug: str) -> WerkzeugResponse:
    """Go back to the default texts for this report."""
    unit = _unit(slug)
    choice = _choice()
    if not ConfirmForm().validate_on_submit():  # the CSRF check of a POST-only button
        flash("Sesi formulir kedaluwarsa; coba lagi.", "error")
        return _back(unit, choice)
    session = database.session()
    reset_narrative(session, current_user, unit, choice.periode.code, client_address())
    session.commit()
    flash("Narasi dikembalikan ke teks bawaan.", "success")
    return _back(unit, choice)


@bp.post("/<slug>/penandatangan")
@writer_required
def signatory(slug: str) -> Any:
    """Save the unit's signing official (used by every report of the unit)."""
    unit = _unit(slug)
    choice = _choice()
    form = SignatoryForm()
    if not form.validate_on_submit():
        return _page(unit, choice, signatory=form, status=400)
    session = database.session()
    try:
        save_signatory(session, current_user, unit, form.signatory(), client_address())
    except ValueError as error:
        session.rollback()
        form.nip.errors = [str(error)]
        return _page(unit, choice, signatory=form, status=400)
    session.commit()
    flash("Penandatangan laporan disimpan.", "success")
    return _back(unit, choice)


def _download(slug: str, kind: str) -> Response | WerkzeugResponse:
    unit = _unit(slug)
    choice = _choice()
    if choice.error:
        flash(choice.error, "error")
        return _back(unit, choice)
    try:
        content = produce(
            database.session(), _instrument(), office_timezone(), unit, choice.periode, kind
        )
    except ReportError as error:
        flash(str(error), "error")
        return _back(unit, choice)
    if kind.startswith("rekap-"):
        return send_comparison(content, unit.slug, choice.periode, kind.removeprefix("rekap-"))
    return SENDERS[kind](content, unit.slug, choice.periode)


@bp.get("/<slug>/laporan.pdf")
@staff_required
def pdf(slug: str) -> Response | WerkzeugResponse:
    """The full report (PDF)."""
    return _download(slug, "pdf")


@bp.get("/<slug>/laporan.docx")
@staff_required
def docx(slug: str) -> Response | WerkzeugResponse:
    """The full report as an editable Word document (DOCX)."""
    return _download(slug, "docx")


@bp.get("/<slug>/ringkasan.pdf")
@staff_required
def summary(slug: str) -> Response | WerkzeugResponse:
    """The one-page summary for the notice board (PDF)."""
    return _download(slug, "ringkasan")


@bp.get("/<slug>/tabulasi.xlsx")
@staff_required
def xlsx(slug: str) -> Response | WerkzeugResponse:
    """The tabulation with formulas, profile and saran (XLSX)."""
    return _download(slug, "xlsx")


@bp.get("/<slug>/respons.csv")
@staff_required
def csv(slug: str) -> Response | WerkzeugResponse:
    """The raw responses (CSV)."""
    return _download(slug, "csv")


@bp.get("/<slug>/rekap.pdf")
@staff_required
def comparison_pdf(slug: str) -> Response | WerkzeugResponse:
    """The comparison of the unit's sub-units (PDF)."""
    return _download(slug, "rekap-pdf")


@bp.get("/<slug>/rekap.docx")
@staff_required
def comparison_docx(slug: str) -> Response | WerkzeugResponse:
    """The comparison of the unit's sub-units as an editable Word document (DOCX)."""
    return _download(slug, "rekap-docx")


@bp.get("/<slug>/rekap.xlsx")
@staff_required
def comparison_xlsx(slug: str) -> Response | WerkzeugResponse:
    """The comparison of the unit's sub-units (XLSX)."""
    return _download(slug, "rekap-xlsx")
