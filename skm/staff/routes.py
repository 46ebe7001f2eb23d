"""Views of the staff pages: thin wrappers around the services of this package."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument
from scoring import krejcie_morgan
from skm import database
from skm.access import staff_required, unit_by_slug, writer_required
from skm.config import office_timezone
from skm.forms import options
from skm.limits import page_arg
from skm.models import Layanan, Unit
from skm.models.staff import SARAN_STATUS_LABELS, SARAN_STATUSES
from skm.periode import (
    Periode,
    PeriodeChoice,
    choose_periode,
    periode_from_code,
    picker_context,
    recent_periodes,
)
from skm.proxies import client_address
from skm.redirects import safe_next
from skm.results.cache import app_cache
from skm.results.charts import digest, draw
from skm.results.comparison import change_text, collect_comparison
from skm.results.dashboard import Dashboard, Selection, build_dashboard, weakest_unsur
from skm.results.dashboard_charts import chart_names, chart_spec
from skm.results.population import entries_for, population_for, set_population
from skm.results.rencana import (
    RencanaInput,
    create_rencana,
    delete_rencana,
    rencana_for,
    rencana_in_scope,
    update_rencana,
)
from skm.results.subject import ReportError
from skm.staff.blueprint import bp
from skm.staff.forms import PopulationForm, RencanaForm, SaranStatusForm
from skm.staff.saran import saran_page, saran_response, set_saran_status
from skm.units import in_subtree, subtree_condition

CHART_CACHE_SIZE = 256
#: Scope choices of the dashboard: the unit with its sub-units, or the unit alone.
CAKUPAN = {"gabungan": True, "unit": False}


def _instrument() -> Instrument:
    return get_instrument(DEFAULT_INSTRUMENT_KEY)


def _unit(slug: str) -> Unit:
    unit = unit_by_slug(slug)
    g.staff_unit = unit
    return unit


def _periode() -> PeriodeChoice:
    choice = choose_periode(request.args, office_timezone())
    g.staff_periode_args = choice.args
    return choice


def _page_number() -> int:
    return page_arg()


def _selection(unit: Unit, periode: Periode) -> tuple[Selection, list[Layanan], str | None]:
    """The dashboard selection from the query string; layanan must belong to the subtree."""
    session = database.session()
    layanan = list(
        session.scalars(
            sa.select(Layanan)
            .join(Unit, Unit.id == Layanan.unit_id)
            .where(subtree_condition(unit))
            .order_by(Unit.path, Layanan.name)
        )
    )
    error = None
    layanan_id = None
    raw = request.args.get("layanan", "")
    if raw:
        chosen = next((lay for lay in layanan if str(lay.id) == raw), None)
        if chosen is None:
            error = "Jenis layanan itu tidak ada di unit ini; semua layanan ditampilkan."
        else:
            layanan_id = chosen.id
    include_subunits = CAKUPAN.get(request.args.get("cakupan", "gabungan"), True)
    return Selection(unit, periode, layanan_id, include_subunits), layanan, error


def _selection_args(selection: Selection, choice: PeriodeChoice) -> dict[str, Any]:
    args: dict[str, Any] = dict(choice.args)
    if selection.layanan_id is not None:
        args["layanan"] = selection.layanan_id
    if not selection.include_subunits:
        args["cakupan"] = "unit"
    return args


@bp.get("/")
@staff_required
def home() -> Response:
    """Open the dashboard of the user's own unit."""
    return redirect(url_for("staff.dashboard", slug=current_user.unit.slug))


@bp.get("/unit/<slug>/")
@staff_required
def dashboard(slug: str) -> str:
    """The IKM dashboard of a unit for a periode, with its charts."""
    unit = _unit(slug)
    choice = _periode()
    selection, layanan, layanan_error = _selection(unit, choice.periode)
    session = database.session()
    instrument = _instrument()
    board = build_dashboard(session, instrument, office_timezone(), selection)
    args = _selection_args(selection, choice)
    trend_links, layanan_links = _links(board, unit, args)
    comparison = None
    if unit.children and selection.include_subunits and selection.layanan_id is None:
        try:
            comparison = collect_comparison(session, office_timezone(), unit, choice.periode)
        except ReportError:
            comparison = None  # no responses yet: the page says so already
    return render_template(
        "staff/dashboard.html",
        comparison=comparison,
        change_text=change_text,
        unit=unit,
        board=board,
        **picker_context(choice, office_timezone(), layanan_error),
        layanan=layanan,
        charts=_chart_urls(board, unit, args),
        trend_links=trend_links,
        layanan_links=layanan_links,
        subunits=sorted(unit.children, key=lambda u: u.name.casefold()),
        ancestors=_ancestors(unit),
    )


def _chart_urls(board: Dashboard, unit: Unit, args: dict[str, Any]) -> dict[str, str]:
    """Chart name -> image URL, its ``v`` naming exactly what the chart shows."""
    urls = {}
    specs = app_cache("chart_specs", CHART_CACHE_SIZE)
    for name in chart_names(board):
        spec = chart_spec(board, name)
        assert spec is not None
        # The browser asks for the images right after this page: keeping what they
        # show lets the chart requests draw without running a single query.
        specs.put((unit.id, name, digest(spec)), spec)
        urls[name] = url_for("staff.chart", slug=unit.slug, name=name, v=digest(spec), **args)
    return urls


def _links(
    board: Dashboard, unit: Unit, args: dict[str, Any]
) -> tuple[dict[str, str], dict[int, str]]:
    """Links of the trend table (another periode) and the layanan table (one layanan)."""
    base = {k: v for k, v in args.items() if k not in ("periode", "dari", "sampai")}
    trend = {
        p.code: url_for("staff.dashboard", slug=unit.slug, **base, **PeriodeChoice(p).args)
        for p, _ in board.trend
    }
    others = {k: v for k, v in args.items() if k != "layanan"}
    layanan = {
        row.key: url_for("staff.dashboard", slug=unit.slug, layanan=row.key, **others)
        for row in board.layanan_rows
        if row.key is not None
    }
    return trend, layanan


def _ancestors(unit: Unit) -> list[Unit]:
    """The units above ``unit`` that the user may open, outermost first (breadcrumbs)."""
    chain = []
    parent = unit.parent
    while parent is not None and in_subtree(parent, current_user.unit):
        chain.append(parent)
        parent = parent.parent
    return chain[::-1]


@bp.get("/unit/<slug>/grafik/<name>.png")
@staff_required
def chart(slug: str, name: str) -> Response:
    """One dashboard chart as PNG, drawn once per distinct content."""
    unit = _unit(slug)
    choice = _periode()
    wanted = request.args.get("v", "")
    cache = app_cache("charts", CHART_CACHE_SIZE)
    png = cache.get((unit.id, name, wanted)) if wanted else None
    spec = app_cache("chart_specs", CHART_CACHE_SIZE).get((unit.id, name, wanted))
    if png is None and spec is not None:
        png = draw(spec, _instrument())
        cache.put((unit.id, name, wanted), png)
    if png is None:
        selection, _, _ = _selection(unit, choice.periode)
        instrument = _instrument()
        board = build_dashboard(database.session(), instrument, office_timezone(), selection)
        spec = chart_spec(board, name)
        if spec is None:
            abort(404)
        current = digest(spec)
        png = cache.get((unit.id, name, current))
        if png is None:
            png = draw(spec, instrument)
            cache.put((unit.id, name, current), png)
        fresh = current == wanted
    else:
        fresh = True
    response = make_response(png)
    response.mimetype = "image/png"
    # The URL names the exact content (v = digest of the drawn data), so a browser
    # may keep it. A v no longer in the cache (after a restart) gets today's
    # picture, which must not be kept under that name.
    response.headers["Cache-Control"] = (
        "private, max-age=86400, immutable" if fresh else "private, no-cache"
    )
    return response


@bp.get("/unit/<slug>/saran")
@staff_required
def saran(slug: str) -> str:
    """The saran of a unit in a periode, with search and follow-up status."""
    unit = _unit(slug)
    choice = _periode()
    search = request.args.get("q", "")
    status = request.args.get("status") or None
    result = saran_page(
        database.session(),
        unit,
        choice.periode,
        office_timezone(),
        search=search,
        status=status,
        page=_page_number(),
    )
    return render_template(
        "staff/saran.html",
        unit=unit,
        **picker_context(choice, office_timezone()),
        result=result,
        search=search,
        status=status if status in SARAN_STATUSES else None,
        statuses=SARAN_STATUSES,
        status_labels=SARAN_STATUS_LABELS,
        form=SaranStatusForm(),
    )


@bp.post("/saran/<bigid:response_id>")
@writer_required
def saran_status(response_id: int) -> Response:
    """Set the follow-up status and note of one saran."""
    session = database.session()
    response = saran_response(session, current_user, response_id)
    if response is None:
        abort(404)
    form = SaranStatusForm()
    back = _back_to(url_for("staff.saran", slug=response.unit.slug))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    set_saran_status(
        session,
        current_user,
        response,
        form.status.data or "baru",
        form.note.data or "",
        address=client_address(),
    )
    session.commit()
    flash(f"Status saran disimpan: {SARAN_STATUS_LABELS[form.status.data or 'baru']}.", "success")
    return redirect(back)


def _back_to(default: str) -> str:
    """Where a POST returns: the page it came from (same site only), else ``default``."""
    return safe_next(request.form.get("kembali")) or default


@bp.get("/unit/<slug>/rencana")
@staff_required
def rencana(slug: str) -> str:
    """The rencana tindak lanjut of a unit for a periode, next to its weakest unsur."""
    unit = _unit(slug)
    choice = _periode()
    session = database.session()
    instrument = _instrument()
    board = build_dashboard(session, instrument, office_timezone(), Selection(unit, choice.periode))
    rows = rencana_for(session, instrument, unit, choice.periode)
    return render_template(
        "staff/rencana.html",
        unit=unit,
        **picker_context(choice, office_timezone()),
        board=board,
        rows=rows,
        instrument=instrument,
        delete_form=FlaskForm(),
        covered={r.unsur_key for r in rows},
    )


def _rencana_form(instrument: Instrument, default_unsur: str | None) -> RencanaForm:
    form = RencanaForm()
    form.unsur.choices = options((u.key, f"{u.code} {u.name}") for u in instrument.unsur)
    if request.method == "GET" and default_unsur and not form.unsur.data:
        form.unsur.data = default_unsur
    return form


def _rencana_input(form: RencanaForm) -> RencanaInput:
    return RencanaInput(
        unsur_key=form.unsur.data or "",
        program=form.program.data or "",
        triwulan=form.triwulan.data or [],
        penanggung_jawab=form.penanggung_jawab.data or "",
    )


@bp.route("/unit/<slug>/rencana/baru", methods=["GET", "POST"])
@writer_required
def rencana_new(slug: str) -> str | Response:
    """Add a row to the RTL; the weakest unsur is proposed."""
    unit = _unit(slug)
    choice = _periode()
    session = database.session()
    instrument = _instrument()
    default = request.args.get("unsur")
    if not default:
        board = build_dashboard(
            session, instrument, office_timezone(), Selection(unit, choice.periode)
        )
        weakest = weakest_unsur(board.result, instrument, 1) if board.result else ()
        default = weakest[0].key if weakest else None
    form = _rencana_form(instrument, default)
    if form.validate_on_submit():
        try:
            create_rencana(
                session,
                current_user,
                instrument,
                unit,
                choice.periode,
                _rencana_input(form),
                address=client_address(),
            )
        except ValueError as error:
            form.program.errors = [str(error)]
        else:
            session.commit()
            flash("Rencana tindak lanjut ditambahkan.", "success")
            return redirect(url_for("staff.rencana", slug=unit.slug, **choice.args))
    return render_template(
        "staff/rencana_form.html", unit=unit, choice=choice, form=form, rencana=None
    )


@bp.route("/rencana/<int:rencana_id>", methods=["GET", "POST"])
@writer_required
def rencana_edit(rencana_id: int) -> str | Response:
    """Change one RTL row."""
    session = database.session()
    row = rencana_in_scope(session, current_user, rencana_id)
    if row is None:
        abort(404)
    unit = _unit(row.unit.slug)
    periode = _periode_of_code(row.periode_code)
    choice = PeriodeChoice(periode)
    g.staff_periode_args = choice.args
    instrument = _instrument()
    form = _rencana_form(instrument, None)
    if request.method == "GET":
        form.unsur.data = row.unsur_key
        form.program.data = row.program
        form.triwulan.data = [int(d) for d in row.triwulan]
        form.penanggung_jawab.data = row.penanggung_jawab
    if form.validate_on_submit():
        try:
            update_rencana(
                session, current_user, instrument, row, _rencana_input(form), client_address()
            )
        except ValueError as error:
            form.program.errors = [str(error)]
        else:
            session.commit()
            flash("Rencana tindak lanjut diperbarui.", "success")
            return redirect(url_for("staff.rencana", slug=unit.slug, **choice.args))
    return render_template(
        "staff/rencana_form.html", unit=unit, choice=choice, form=form, rencana=row
    )


def _periode_of_code(code: str) -> Periode:
    periode = periode_from_code(code)
    if periode is None:
        abort(404)
    return periode


@bp.post("/rencana/<int:rencana_id>/hapus")
@writer_required
def rencana_delete(rencana_id: int) -> Response:
    """Delete one RTL row."""
    session = database.session()
    row = rencana_in_scope(session, current_user, rencana_id)
    if row is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    slug = row.unit.slug
    periode = _periode_of_code(row.periode_code)
    delete_rencana(session, current_user, _instrument(), row, client_address())
    session.commit()
    flash("Rencana tindak lanjut dihapus.", "success")
    return redirect(url_for("staff.rencana", slug=slug, **PeriodeChoice(periode).args))


@bp.route("/unit/<slug>/populasi", methods=["GET", "POST"])
@staff_required
def populasi(slug: str) -> str | Response:
    """The population (people served) per periode, for the Krejcie & Morgan minimum."""
    unit = _unit(slug)
    choice = _periode()
    session = database.session()
    tz = office_timezone()
    periodes = [p for _, group in recent_periodes(tz) for p in group]
    if choice.periode not in periodes:
        periodes.insert(0, choice.periode)
    form = PopulationForm()
    form.periode.choices = options((p.code, p.label) for p in periodes)
    if request.method == "GET":
        form.periode.data = choice.periode.code
        current = population_for(session, unit, choice.periode)
        if current is not None and current.source == "dicatat":
            form.population.data = current.population
    if form.validate_on_submit():
        periode = next(p for p in periodes if p.code == form.periode.data)
        set_population(
            session,
            current_user,
            unit,
            periode,
            form.population.data or 0,
            form.note.data or "",
            address=client_address(),
        )
        session.commit()
        flash(f"Populasi {periode.label} disimpan.", "success")
        return redirect(url_for("staff.populasi", slug=unit.slug, **PeriodeChoice(periode).args))
    entries = entries_for(session, unit)
    labels = {}
    for entry in entries:
        entry_periode = periode_from_code(entry.periode_code)
        labels[entry.periode_code] = entry_periode.label if entry_periode else entry.periode_code
    return render_template(
        "staff/populasi.html",
        unit=unit,
        choice=choice,
        form=form,
        entries=entries,
        labels=labels,
        krejcie_morgan=krejcie_morgan,
    )
