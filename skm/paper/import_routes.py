"""Views of tabulation import: ``/staf/impor/<unit>`` (upload, preview, confirm),
its history and the undo of a batch."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from questionnaires import DEFAULT_INSTRUMENT_KEY, get_instrument, registry
from skm import database
from skm.access import (
    require_unit_access,
    unit_by_slug,
    units_in_scope,
    writer_required,
)
from skm.columns import spreadsheet_column, target_choices
from skm.config import office_timezone
from skm.formatting import format_date
from skm.forms import ActionForm
from skm.models import Unit
from skm.models.paper import ImportBatch
from skm.paper.blueprint import bp
from skm.paper.entry import batch_size
from skm.paper.forms import ConfirmImportForm, ImportForm, year_choices
from skm.paper.imports import (
    MAX_FILE_BYTES,
    ImportPreview,
    ImportRejected,
    ImportSettings,
    batches_of,
    preview_import,
    run_import,
    undo_batch,
)
from skm.paper.pending import PendingImport, discard_pending, load_pending, save_pending
from skm.periode import Periode, PeriodeError
from skm.proxies import client_address
from skm.units import active_layanan


def _pending_folder() -> Path:
    return Path(current_app.instance_path) / "impor-tertunda"


def _instrument_choices() -> list[tuple[str, str]]:
    default = get_instrument(DEFAULT_INSTRUMENT_KEY)
    others = sorted(
        (inst for inst in registry().values() if inst.key != default.key),
        key=lambda inst: inst.key,
    )
    return [
        (f"{inst.key}@{inst.version}", f"{inst.short_name} ({inst.n_unsur} unsur)")
        for inst in [default, *others]
    ]


def _import_form(unit: Unit) -> ImportForm:
    session = database.session()
    form = ImportForm()
    today = datetime.now(UTC).astimezone(office_timezone()).date()
    form.instrument.choices = _instrument_choices()
    form.tahun.choices = year_choices(today)
    form.layanan.choices = [(0, "— tidak dicatat —")] + [
        (item.id, item.name) for item in active_layanan(session, unit.id)
    ]
    if request.method == "GET":
        form.tahun.data = today.year
        form.bagian.data = f"T{(today.month - 1) // 3 + 1}"
    return form


def _render_upload(
    unit: Unit, form: ImportForm, preview: ImportPreview | None = None, token: str | None = None,
    status: int = 200,
) -> tuple[str, int]:  # fmt: skip
    session = database.session()
    confirm = ConfirmImportForm()
    if token:
        confirm.token.data = token
    return (
        render_template(
            "paper/import.html",
            unit=unit,
            units=units_in_scope(session, current_user),
            form=form,
            preview=preview,
            confirm_form=confirm,
            layanan=active_layanan(session, unit.id),
            max_mb=MAX_FILE_BYTES // (1024 * 1024),
            recent=batches_of(session, unit, limit=5),
            local_date=lambda instant: instant.astimezone(office_timezone()).date(),
            column_choices=target_choices(preview.settings.instrument) if preview else [],
            spreadsheet_column=spreadsheet_column,
        ),
        status,
    )


@bp.get("/impor/")
@writer_required
def import_index() -> WerkzeugResponse:
    """Import into the user's own unit (sub-units can be chosen on the page)."""
    return redirect(url_for("paper.import_upload", slug=current_user.unit.slug))


@bp.route("/impor/<slug>", methods=["GET", "POST"])
@writer_required
def import_upload(slug: str) -> Any:
    """Upload a tabulation and see what would be imported, every problem named."""
    unit = unit_by_slug(slug)
    form = _import_form(unit)
    if request.method == "GET" or not form.validate():
        return _render_upload(unit, form, status=200 if request.method == "GET" else 422)
    key, _, version = form.instrument.data.partition("@")
    instrument = get_instrument(key, int(version))
    upload = form.berkas.data
    content = upload.read(MAX_FILE_BYTES + 1)
    settings = ImportSettings(
        unit=unit,
        instrument=instrument,
        periode=Periode.parse(form.periode_code()),
        filename=Path(upload.filename or "tabulasi.csv").name,
        content=content,
        default_layanan_id=form.layanan.data or None,
    )
    return _preview_and_keep(unit, form, settings)


def _preview_and_keep(unit: Unit, form: ImportForm, settings: ImportSettings) -> Any:
    """Preview ``settings`` and keep the file under a new token to store it,
    or to correct the column mapping when a column was not read for sure."""
    preview = preview_import(database.session(), settings, office_timezone())
    token = None
    if preview.ok or any(role.target is None or role.guessed for role in preview.columns):
        token = save_pending(
            _pending_folder(),
            PendingImport(
                user_id=current_user.id,
                unit_id=unit.id,
                instrument_key=settings.instrument.key,
                instrument_version=settings.instrument.version,
                periode_code=settings.periode.code,
                filename=settings.filename,
                default_layanan_id=settings.default_layanan_id,
                columns={str(index): target for index, target in settings.columns.items()},
            ),
            settings.content,
        )
    return _render_upload(unit, form, preview, token, status=200 if preview.ok else 422)


def _pending_settings(unit: Unit, pending: PendingImport, content: bytes) -> ImportSettings:
    return ImportSettings(
        unit=unit,
        instrument=get_instrument(pending.instrument_key, pending.instrument_version),
        periode=Periode.parse(pending.periode_code),
        filename=pending.filename,
        content=content,
        default_layanan_id=pending.default_layanan_id,
        columns={int(index): target for index, target in pending.columns.items()},
    )


def _load_confirmed(unit: Unit) -> tuple[str, PendingImport, bytes] | None:
    """The pending upload named by the posted token, if it is this user's and unit's."""
    confirm = ConfirmImportForm()
    token = confirm.token.data or ""  # InputRequired: never empty once validated
    found = None
    if confirm.validate():
        found = load_pending(_pending_folder(), token, current_user.id)
    if found is None or found[0].unit_id != unit.id:
        flash("Pratinjau ini sudah tidak berlaku; unggah berkasnya lagi.", "error")
        return None
    return token, *found


@bp.post("/impor/<slug>/kolom")
@writer_required
def import_columns(slug: str) -> Any:
    """Preview the kept file again with the column mapping staff corrected."""
    unit = unit_by_slug(slug)
    loaded = _load_confirmed(unit)
    if loaded is None:
        return redirect(url_for("paper.import_upload", slug=unit.slug))
    token, pending, content = loaded
    settings = _pending_settings(unit, pending, content)
    discard_pending(_pending_folder(), token)
    form = _import_form(unit)
    year, _, part = pending.periode_code.partition("-")
    form.tahun.data, form.bagian.data = int(year), part or "tahun"
    form.instrument.data = f"{pending.instrument_key}@{pending.instrument_version}"
    form.layanan.data = pending.default_layanan_id or 0
    columns = _chosen_columns(settings)
    return _preview_and_keep(unit, form, replace(settings, columns=columns))


def _chosen_columns(settings: ImportSettings) -> dict[int, str]:
    """The columns staff changed in the preview (``kolom-N`` differs from the
    ``dibaca-N`` it showed), plus those they had set before."""
    valid = {value for value, _ in target_choices(settings.instrument)}
    chosen = dict(settings.columns)
    for name, value in request.form.items():
        index = name.removeprefix("kolom-")
        if index.isdigit() and value in valid and value != request.form.get(f"dibaca-{index}"):
            chosen[int(index)] = value
    return chosen


@bp.post("/impor/<slug>/simpan")
@writer_required
def import_confirm(slug: str) -> Any:
    """Store every row of the previewed file, in one transaction."""
    session = database.session()
    unit = unit_by_slug(slug)
    loaded = _load_confirmed(unit)
    if loaded is None:
        return redirect(url_for("paper.import_upload", slug=unit.slug))
    token, pending, content = loaded
    settings = _pending_settings(unit, pending, content)
    try:
        batch = run_import(
            session, settings, current_user, office_timezone(), address=client_address()
        )
        session.commit()
    except ImportRejected as rejected:
        session.rollback()
        form = _import_form(unit)
        return _render_upload(unit, form, rejected.preview, status=422)
    except Exception:
        session.rollback()
        raise
    discard_pending(_pending_folder(), token)
    flash(
        f"{batch.row_count} respons dari {batch.filename} diimpor ke {unit.name} "
        f"({settings.periode.label}).",
        "success",
    )
    return redirect(url_for("paper.import_history", slug=unit.slug))


def _history_helpers() -> dict[str, Any]:
    tz = office_timezone()

    def local(instant: datetime | None) -> str:
        if instant is None:
            return ""
        moment = instant.astimezone(tz)
        return f"{format_date(moment.date())} {moment:%H.%M}"

    def periode_label(code: str | None) -> str:
        try:
            return Periode.parse(code or "").label
        except PeriodeError:
            return code or ""

    return {
        "local": local,
        "periode_label": periode_label,
        "instruments": {(i.key, i.version): i for i in registry().values()},
    }


@bp.get("/impor/<slug>/riwayat")
@writer_required
def import_history(slug: str) -> str:
    """Imports and paper-entry batches of the unit, with who did what."""
    session = database.session()
    unit = unit_by_slug(slug)
    return render_template(
        "paper/history.html",
        unit=unit,
        units=units_in_scope(session, current_user),
        batches=batches_of(session, unit),
        **_history_helpers(),
    )


def _batch_or_404(batch_id: int) -> ImportBatch:
    session = database.session()
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        abort(404)
    require_unit_access(batch.unit)
    return batch


@bp.route("/impor/batch/<int:batch_id>/batalkan", methods=["GET", "POST"])
@writer_required
def import_undo(batch_id: int) -> Any:
    """Undo an import (or a day's paper forms) as a whole, after confirmation."""
    session = database.session()
    batch = _batch_or_404(batch_id)
    form = ActionForm()
    if request.method == "POST" and form.validate():
        if not batch.active:
            flash("Batch ini sudah dibatalkan sebelumnya.", "error")
        else:
            removed = undo_batch(session, batch, current_user, address=client_address())
            session.commit()
            flash(f"Dibatalkan: {removed} respons dihapus.", "success")
        return redirect(url_for("paper.import_history", slug=batch.unit.slug))
    return render_template(
        "paper/undo.html",
        batch=batch,
        unit=batch.unit,
        form=form,
        remaining=batch_size(session, batch),
        **_history_helpers(),
    )
