"""Views of the IKU pages: the realisation table (pimpinan too), indicators, targets,
realisation and the predikat scale (operators and admins)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as WerkzeugResponse

from skm import database
from skm.access import (
    can_write,
    staff_required,
    unit_by_slug,
    units_in_scope,
    writer_required,
)
from skm.config import office_timezone
from skm.forms import ActionForm
from skm.iku.audit import (
    indicator_snapshot,
    realisasi_snapshot,
    record_indicator_deleted,
    record_indicator_saved,
    record_predikat,
    record_realisasi,
    scale_text,
)
from skm.iku.export import generate_iku_xlsx
from skm.iku.forms import (
    DEFAULT_SCALE,
    INPUTS,
    REALISASI_ROWS,
    IndicatorFormBase,
    RealisasiFormBase,
    indicator_form,
    predikat_form,
    realisasi_form,
)
from skm.models import Unit
from skm.models.iku import IkuIndicator, IkuRealisasi
from skm.periode import ROMAN, Periode
from skm.proxies import client_address
from skm.results.amounts import format_amount, plain
from skm.results.capaian import PredikatStep, RealisasiError
from skm.results.indicators import (
    KIND_LABELS,
    METHOD_LABELS,
    POLARITY_LABELS,
    IkuError,
    IndicatorData,
    delete_indicator,
    parse_scale,
    predikat_scale,
    save_indicator,
    set_predikat_scale,
)
from skm.results.realisasi import (
    TAHUNAN,
    RealisasiInput,
    components_of,
    entry_grade,
    entry_realisasi,
    ikm_realisasi,
    iku_table,
    periode_label,
    realisasi_entries,
    save_realisasi,
    years_with_data,
)

bp = Blueprint("iku", __name__, url_prefix="/staf/iku")


bp.add_app_template_filter(format_amount, "iku_angka")
bp.add_app_template_filter(lambda value: format_amount(plain(value)), "iku_plain")


def _today() -> date:
    return datetime.now(UTC).astimezone(office_timezone()).date()


def _indicator(unit: Unit, indicator_id: int) -> IkuIndicator:
    indicator = database.session().get(IkuIndicator, indicator_id)
    if indicator is None or indicator.unit_id != unit.id:
        abort(404)
    return indicator


def _year_arg(today: date) -> int:
    year = request.args.get("tahun", type=int) or today.year
    return year if 2000 <= year <= 2100 else today.year


def _triwulan_arg() -> int | None:
    triwulan = request.args.get("triwulan", type=int)
    return triwulan if triwulan in (1, 2, 3, 4) else None


def _periode_text(year: int, triwulan: int | None) -> str:
    return f"Tahun {year}" if triwulan is None else f"Triwulan {ROMAN[triwulan - 1]} {year}"


@bp.get("/")
@staff_required
def index() -> WerkzeugResponse:
    """The IKU of the user's own unit."""
    return redirect(url_for("iku.table", slug=current_user.unit.slug))


@bp.get("/<slug>")
@staff_required
def table(slug: str) -> str:
    """The IKU realisation table: sasaran, indikator, satuan, target, realisasi, capaian."""
    session = database.session()
    unit = unit_by_slug(slug)
    today = _today()
    year = _year_arg(today)
    triwulan = _triwulan_arg()
    rows = iku_table(session, unit, year, triwulan=triwulan)
    steps, scale_owner = predikat_scale(session, unit)
    years = sorted(set(years_with_data(session, unit)) | {today.year, year}, reverse=True)
    subunits = units_in_scope(session, current_user)
    return render_template(
        "iku/table.html",
        unit=unit,
        units=subunits,
        rows=rows,
        spans=_sasaran_spans([row.sasaran for row in rows]),
        tones={step.label: _tone(index, len(steps)) for index, step in enumerate(steps)},
        year=year,
        triwulan=triwulan,
        years=years,
        periode_text=_periode_text(year, triwulan),
        steps=steps,
        scale_owner=scale_owner,
        can_edit=can_write(current_user),
        method_labels=METHOD_LABELS,
        kind_labels=KIND_LABELS,
        polarity_labels=POLARITY_LABELS,
        roman=ROMAN,
    )


def _sasaran_spans(sasaran: list[str]) -> list[int]:
    """Rows per sasaran strategis, on the first row of each run (0 on the others),
    so the table groups indicators under their sasaran as IKU documents do."""
    spans = [0] * len(sasaran)
    start = 0
    for index in range(1, len(sasaran) + 1):
        if index == len(sasaran) or sasaran[index] != sasaran[start]:
            spans[start] = index - start
            start = index
    return spans


def _tone(index: int, count: int) -> str:
    """Colour of a predikat: the top steps good, the bottom ones bad."""
    if index == 0 or (index == 1 and count > 3):
        return "ok"
    return "bad" if index >= count - (2 if count >= 5 else 1) else "warn"


@bp.get("/<slug>/unduh")
@staff_required
def download(slug: str) -> Response:
    """The same table as an XLSX workbook."""
    session = database.session()
    unit = unit_by_slug(slug)
    today = _today()
    year = _year_arg(today)
    triwulan = _triwulan_arg()
    steps, _ = predikat_scale(session, unit)
    content = generate_iku_xlsx(
        iku_table(session, unit, year, triwulan=triwulan),
        unit_name=unit.name,
        periode_label=_periode_text(year, triwulan),
        steps=steps,
        generated_on=today,
    )
    suffix = f"{year}" if triwulan is None else f"{year}-TW{triwulan}"
    return Response(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": (
                f'attachment; filename="realisasi-iku-{unit.slug}-{suffix}.xlsx"'
            )
        },
    )


def _target_years(indicator: IkuIndicator | None, today: date) -> list[int]:
    years = set(range(today.year - 2, today.year + 4))
    if indicator is not None:
        years |= {target.year for target in indicator.targets}
    return sorted(years)


def _data_from(form: IndicatorFormBase) -> IndicatorData:
    return IndicatorData(
        code=(form.code.data or "").strip(),
        sasaran=form.sasaran.data or "",
        name=form.name.data or "",
        satuan=form.satuan.data or "",
        polarity=form.polarity.data,
        method=form.method.data,
        alasan=form.alasan.data,
        formula=form.formula.data,
        penanggung_jawab=form.penanggung_jawab.data,
        sumber_data=form.sumber_data.data,
        numerator_label=form.numerator_label.data,
        denominator_label=form.denominator_label.data,
        include_subunits=bool(form.include_subunits.data),
        definisi=form.definisi.data,
        scale=parse_scale(form.scale.data),
        combination=form.combination.data,
        # Blank target fields are not sent: a target is removed only on purpose.
        targets={
            year: field.target for year, field in form.target_fields() if field.target is not None
        },
    )


def _attach(form: IndicatorFormBase, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        name = key.replace("target-", "target_")
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")


@bp.route("/<slug>/indikator/baru", methods=["GET", "POST"])
@bp.route("/<slug>/indikator/<int:indicator_id>", methods=["GET", "POST"])
@writer_required
def indicator(slug: str, indicator_id: int | None = None) -> Any:
    """Create or change an indicator and its targets."""
    session = database.session()
    unit = unit_by_slug(slug)
    existing = _indicator(unit, indicator_id) if indicator_id is not None else None
    years = _target_years(existing, _today())
    if request.method == "GET" and existing is not None:
        form = indicator_form(years, obj=existing)
        if existing.method != "grade":
            form.scale.data = DEFAULT_SCALE
        for year, field in form.target_fields():
            value = existing.target_for(year)
            field.data = existing.target_grade_for(year) or ("" if value is None else _plain(value))
    else:
        form = indicator_form(years)
    if request.method == "POST" and form.validate():
        data = _data_from(form)
        if existing is not None:
            cleared = {
                year: None for year, field in form.target_fields() if not (field.data or "").strip()
            }
            data.targets = {**cleared, **data.targets}
        before = indicator_snapshot(existing) if existing is not None else None
        try:
            saved = save_indicator(session, unit, data, existing)
        except IkuError as error:
            session.rollback()
            _attach(form, error.errors)
        else:
            record_indicator_saved(session, current_user, saved, before, client_address())
            session.commit()
            flash(f"Indikator '{saved.name[:80]}' tersimpan.", "success")
            return redirect(url_for("iku.table", slug=unit.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "iku/indicator.html", unit=unit, form=form, indicator=existing, action_form=ActionForm()
    ), status


def _plain(value: Decimal) -> str:
    """83.5000 -> "83,5" for an input field."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


@bp.post("/<slug>/indikator/<int:indicator_id>/hapus")
@writer_required
def indicator_delete(slug: str, indicator_id: int) -> WerkzeugResponse:
    """Remove an indicator with its targets and realisation."""
    session = database.session()
    unit = unit_by_slug(slug)
    existing = _indicator(unit, indicator_id)
    if ActionForm().validate():
        name = existing.name
        record_indicator_deleted(session, current_user, existing, client_address())
        delete_indicator(session, existing)
        session.commit()
        flash(f"Indikator '{name[:80]}' dihapus beserta target dan realisasinya.", "success")
    return redirect(url_for("iku.table", slug=unit.slug))


@bp.route("/<slug>/indikator/<int:indicator_id>/realisasi", methods=["GET", "POST"])
@writer_required
def realisasi(slug: str, indicator_id: int) -> Any:
    """Enter the realisation of one indicator per triwulan and for the year."""
    session = database.session()
    unit = unit_by_slug(slug)
    indicator = _indicator(unit, indicator_id)
    today = _today()
    year = _year_arg(today)
    entries = realisasi_entries(session, indicator, year)
    survey = _survey_realisasi(session, indicator, year, today)
    form = realisasi_form(indicator.grades)
    if request.method == "GET":
        _fill_realisasi(form, indicator, entries, realisasi_entries(session, indicator, year - 1))
    problems: dict[int, str] = {}
    if request.method == "POST" and indicator.method != "ikm" and form.validate():
        problems = _save_realisasi(session, indicator, year, form)
        if not problems:
            flash(f"Realisasi {year} tersimpan.", "success")
            return redirect(url_for("iku.table", slug=unit.slug, tahun=year))
    computed: dict[int, Decimal | str | None] = {}
    for number, entry in entries.items():
        try:
            computed[number] = entry_grade(indicator, entry) or entry_realisasi(indicator, entry)
        except RealisasiError as error:
            problems.setdefault(number, str(error))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "iku/realisasi.html",
        unit=unit,
        indicator=indicator,
        form=form,
        year=year,
        rows=REALISASI_ROWS,
        periode_label=periode_label,
        problems=problems,
        computed=computed,
        survey=survey,
        target=indicator.target_grade_for(year) or plain(indicator.target_for(year)),
        entries=entries,
    ), status


def _survey_realisasi(
    session: Session, indicator: IkuIndicator, year: int, today: date
) -> dict[int, Any]:
    """The IKM realisasi of an "ikm" indicator per triwulan (and year) begun by today."""
    survey = {}
    if indicator.method == "ikm":
        tz = office_timezone()
        for number in REALISASI_ROWS:
            periode = Periode.tahun(year) if number == TAHUNAN else Periode.triwulan(year, number)
            if periode.start <= today:
                survey[number] = ikm_realisasi(session, indicator, periode, tz)
    return survey


def _fill_realisasi(
    form: RealisasiFormBase,
    indicator: IkuIndicator,
    entries: dict[int, IkuRealisasi],
    previous: dict[int, IkuRealisasi],
) -> None:
    """The stored realisasi in the form, as plain numbers."""
    for number, entry in entries.items():
        for name in INPUTS:
            value = getattr(entry, name)
            form[f"{name}_{number}"].data = "" if value is None else _plain(value)
        form[f"grade_{number}"].data = entry.grade or ""
        form[f"components_{number}"].data = "\n".join(
            _plain(value) for value in components_of(entry.components)
        )
        form[f"note_{number}"].data = entry.note or ""
    # Year-on-year change: last year's count is this year's n−1, typed once only.
    last_year = previous.get(TAHUNAN)
    if indicator.method == "change" and last_year and last_year.current_count is not None:
        field = form[f"previous_count_{TAHUNAN}"]
        field.data = field.data or _plain(last_year.current_count)


def _save_realisasi(
    session: Session, indicator: IkuIndicator, year: int, form: Any
) -> dict[int, str]:
    """Save every row of the year and commit, or nothing (the problem per row)."""
    before = realisasi_snapshot(session, indicator, year)
    problems: dict[int, str] = {}
    for number in REALISASI_ROWS:
        row = form.row(number)
        data = RealisasiInput(
            **{name: row[name].number for name in INPUTS},
            note=row["note"].data,
            grade=(row["grade"].data or "").strip() or None,
            components=row["components"].numbers,
        )
        try:
            save_realisasi(session, indicator, year, number, data, current_user)
        except RealisasiError as error:
            problems[number] = str(error)
    if problems:
        session.rollback()
    else:
        record_realisasi(session, current_user, indicator, year, before, client_address())
        session.commit()
    return problems


@bp.route("/<slug>/predikat", methods=["GET", "POST"])
@writer_required
def predikat(slug: str) -> Any:
    """The unit's predikat scale for capaian (or the inherited one)."""
    session = database.session()
    unit = unit_by_slug(slug)
    steps, owner = predikat_scale(session, unit)
    form = predikat_form()
    if request.method == "GET":
        for (minimum, label), step in zip(form.rows(), steps, strict=False):
            minimum.data = "" if step.minimum is None else _plain(step.minimum)
            label.data = step.label
    error = None
    if request.method == "POST" and form.validate():
        before = scale_text(steps, owner, unit)
        if request.form.get("reset") == "1":
            set_predikat_scale(session, unit, None)
            record_predikat(session, current_user, unit, before, client_address())
            session.commit()
            flash("Skala predikat kembali mengikuti skala induk/bawaan.", "success")
            return redirect(url_for("iku.table", slug=unit.slug))
        chosen = [
            PredikatStep(minimum.number, (label.data or "").strip())
            for minimum, label in form.rows()
            if (label.data or "").strip() or minimum.number is not None
        ]
        try:
            set_predikat_scale(session, unit, chosen)
        except IkuError as problem:
            session.rollback()
            error = " ".join(problem.errors.values())
        else:
            record_predikat(session, current_user, unit, before, client_address())
            session.commit()
            flash("Skala predikat tersimpan.", "success")
            return redirect(url_for("iku.table", slug=unit.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "iku/predikat.html", unit=unit, form=form, owner=owner, error=error
    ), status
