"""Views of paper entry: ``/staf/kertas/<unit>``.

The page is one plain form: without JavaScript every POST first shows the
read-back of the form, and a second POST saves it. With ``entry.js`` the
read-back is live beside the form, Enter saves through the same URL
(answered as JSON) and the next form starts at once.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, date, datetime
from typing import Any

from flask import Response as FlaskResponse
from flask import (
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.wrappers import Response as WerkzeugResponse

from questionnaires import DEFAULT_INSTRUMENT_KEY, Instrument, get_instrument
from skm import database
from skm.access import unit_by_slug, units_in_scope, writer_required
from skm.config import office_timezone
from skm.formatting import format_date
from skm.forms import ActionForm
from skm.limits import parse_id
from skm.models import Layanan, SurveyResponse, Unit
from skm.paper.blueprint import bp
from skm.paper.entry import (
    PaperForm,
    SaveOutcome,
    batch_of,
    batch_size,
    can_delete_form,
    current_batch,
    date_problem,
    delete_paper_form,
    profile_summary,
    questionnaire_answers,
    readback,
    readback_token,
    recent_forms,
    save_paper_form,
)
from skm.paper.forms import (
    NO_LAYANAN,
    PaperEntryForm,
    answer_field_name,
    entry_form_class,
    profile_field_name,
)
from skm.proxies import client_address
from skm.responses import ResponseError
from skm.units import active_layanan


def _instrument() -> Instrument:
    return get_instrument(DEFAULT_INSTRUMENT_KEY)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _today() -> date:
    return datetime.now(UTC).astimezone(office_timezone()).date()


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> tuple[Any, int]:
    """An expired page (CSRF token older than its time limit) must not lose a typed form."""
    message = "Halaman kedaluwarsa; formulir belum tersimpan. Coba simpan lagi."
    if _wants_json():
        return jsonify(status="csrf", message=message), 400
    return render_template("paper/expired.html", message=message), 400


@bp.get("/kertas/")
@writer_required
def entry_index() -> str | WerkzeugResponse:
    """Choose the unit (and layanan) whose paper forms are typed in."""
    session = database.session()
    units = units_in_scope(session, current_user)
    if len(units) == 1:
        return redirect(url_for("paper.entry", slug=units[0].slug))
    return render_template(
        "paper/index.html",
        units=[(unit, active_layanan(session, unit.id)) for unit in units],
    )


@bp.get("/kertas/pindah-unit")
@writer_required
def switch_unit() -> WerkzeugResponse:
    """The unit switcher of the paper pages (a GET form, so it works without JavaScript)."""
    unit = unit_by_slug(request.args.get("unit", ""))
    endpoint = {"import": "paper.import_upload", "history": "paper.import_history"}.get(
        request.args.get("ke", ""), "paper.entry"
    )
    return redirect(url_for(endpoint, slug=unit.slug))


def _layanan_choices(layanan: list[Layanan]) -> list[tuple[int, str]]:
    # Numbered so that typing the number in the closed list picks it.
    return [(NO_LAYANAN, "0 · tidak dicatat")] + [
        (item.id, f"{number} · {item.name}") for number, item in enumerate(layanan, start=1)
    ]


def _paper_form(form: PaperEntryForm) -> PaperForm:
    try:
        form_uuid = uuid_module.UUID(form.uuid.data or "")
    except ValueError:
        form_uuid = uuid_module.uuid4()
    assert form.tanggal.data is not None  # the form was validated: InputRequired
    return PaperForm(
        uuid=form_uuid,
        survey_date=form.tanggal.data,
        layanan_id=form.layanan.data or None,
        answers={f.question.unsur_key: f.answer for f in form.answer_fields()},
        profile={f.spec.key: f.value for f in form.profile_fields() if f.value is not None},
        saran=(form.saran.data or "").strip() or None,
    )


def _row_helpers(instrument: Instrument) -> dict[str, Any]:
    """Functions the list of saved forms uses to show a stored response."""
    tz = office_timezone()
    return {
        "answers_of": lambda response: questionnaire_answers(response, instrument),
        "profile_of": lambda response: profile_summary(response, instrument),
        "local_time": lambda instant: f"{instant.astimezone(tz):%H.%M}",
        "survey_day": lambda instant: instant.astimezone(tz).date(),
    }


def _instrument_json(instrument: Instrument, layanan: list[Layanan]) -> dict[str, Any]:
    """What entry.js needs to read a form back exactly as the server will."""
    return {
        "questions": [
            {
                "number": q.number,
                "field": answer_field_name(q.unsur_key),
                "unsur": instrument.unsur_by_key(q.unsur_key).name,
                "code": instrument.unsur_by_key(q.unsur_key).code,
                "options": {
                    str(o.value): {"label": o.label, "letter": o.letter} for o in q.options
                },
            }
            for q in instrument.questions
        ],
        "profile": [
            {
                "field": profile_field_name(spec.key),
                "label": spec.label,
                "kind": spec.kind,
                "unit": spec.unit,
                "minimum": spec.minimum,
                "maximum": spec.maximum,
                "options": [{"key": o.key, "label": o.label} for o in spec.options],
            }
            for spec in instrument.profile
        ],
        "layanan": {str(item.id): item.name for item in layanan},
    }


def _render(
    unit: Unit,
    form: PaperEntryForm,
    instrument: Instrument,
    layanan: list[Layanan],
    *,
    status: int = 200,
    confirm: list[Any] | None = None,
    duplicate: SurveyResponse | None = None,
) -> tuple[str, int]:
    session = database.session()
    today = _today()
    batch = current_batch(session, unit, current_user, instrument, today)
    recent = recent_forms(session, batch)
    return (
        render_template(
            "paper/entry.html",
            unit=unit,
            units=units_in_scope(session, current_user),
            form=form,
            instrument=instrument,
            layanan=layanan,
            instrument_json=_instrument_json(instrument, layanan),
            today=today,
            count=batch_size(session, batch),
            recent=recent,
            action_form=ActionForm(),
            confirm=confirm,
            duplicate=duplicate,
            deletable=True,
            **_row_helpers(instrument),
        ),
        status,
    )


def _initial(form_class: type[PaperEntryForm], layanan: list[Layanan]) -> PaperEntryForm:
    """A fresh form; date, layanan and (when kept) profile come from the URL,
    so they stay as they were after a save without JavaScript."""
    today = _today()
    data: dict[str, Any] = {"uuid": str(uuid_module.uuid4()), "tanggal": today,
                            "layanan": NO_LAYANAN, "keep_profile": True}  # fmt: skip
    try:
        chosen = date.fromisoformat(request.args.get("tanggal", ""))
        if date_problem(chosen, today) is None:
            data["tanggal"] = chosen
    except ValueError:
        pass
    wanted = parse_id(request.args.get("layanan"))
    if wanted in {item.id for item in layanan}:
        data["layanan"] = wanted
    if request.args.get("keep_profile") == "0":
        data["keep_profile"] = False
    form = form_class(formdata=None, data=data)
    for field in form.profile_fields():
        field.data = request.args.get(field.name, "")[:20]
    return form


@bp.route("/kertas/<slug>", methods=["GET", "POST"])
@writer_required
def entry(slug: str) -> Any:
    """Type in paper questionnaires: nine digits and Enter per form."""
    session = database.session()
    unit = unit_by_slug(slug)
    instrument = _instrument()
    layanan = list(active_layanan(session, unit.id))
    form_class = entry_form_class(instrument)
    if request.method == "GET":
        form = _initial(form_class, layanan)
        form.layanan.choices = _layanan_choices(layanan)
        return _render(unit, form, instrument, layanan)

    form = form_class()
    form.layanan.choices = _layanan_choices(layanan)
    if not form.validate():
        if _wants_json():
            return _json_invalid(form.errors)
        return _render(unit, form, instrument, layanan, status=422)
    paper = _paper_form(form)
    token = readback_token(instrument, paper)
    if form.readback.data not in ("live", token):
        # Without JavaScript: show what will be saved, and save on the next POST.
        form.readback.data = token
        form.uuid.data = str(paper.uuid)
        names = {item.id: item.name for item in layanan}
        lines = readback(instrument, paper, names.get(paper.layanan_id or 0), _today())
        return _render(unit, form, instrument, layanan, confirm=lines)
    try:
        outcome = save_paper_form(
            session, unit, paper, instrument, current_user, office_timezone(),
            allow_duplicate=form.confirm_duplicate.data == "1", address=client_address(),
        )  # fmt: skip
    except ResponseError as error:
        session.rollback()
        return _rejected(unit, form, instrument, layanan, error)
    if outcome.status == "duplicate":
        session.rollback()
        form.readback.data = token
        return _duplicate(unit, form, instrument, layanan, outcome)
    session.commit()
    return _saved(unit, form, instrument, paper, outcome)


def _rejected(
    unit: Unit,
    form: PaperEntryForm,
    instrument: Instrument,
    layanan: list[Layanan],
    error: ResponseError,
) -> Any:
    """The form again (or JSON) with the storage layer's errors on their fields."""
    errors = _field_errors(form, instrument, error.errors)
    if _wants_json():
        return _json_invalid(errors)
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, *messages]
        else:
            flash(" ".join(messages), "error")
    return _render(unit, form, instrument, layanan, status=422)


def _duplicate(
    unit: Unit,
    form: PaperEntryForm,
    instrument: Instrument,
    layanan: list[Layanan],
    outcome: SaveOutcome,
) -> Any:
    """Nothing saved: the same answers were just saved; the typist confirms or fixes."""
    if _wants_json():
        message = (
            "Formulir ini sama persis dengan formulir yang baru saja disimpan "
            f"({_clock(outcome.previous)}). Lembar yang sama terketik dua kali?"
        )
        return jsonify(status="duplicate", message=message, csrf_token=generate_csrf()), 409
    return _render(unit, form, instrument, layanan, status=409, duplicate=outcome.previous)


def _saved(
    unit: Unit, form: PaperEntryForm, instrument: Instrument, paper: PaperForm, outcome: SaveOutcome
) -> Any:
    """Saved (or saved before): the count of the day's batch, and the next empty form."""
    count = batch_size(database.session(), outcome.batch)
    if outcome.status == "already_saved":
        message = "Formulir ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
    else:
        message = f"Formulir ke-{count} hari ini tersimpan ({format_date(paper.survey_date)})."
    if _wants_json():
        assert outcome.response is not None
        return jsonify(
            status=outcome.status,
            message=message,
            count=count,
            uuid=str(uuid_module.uuid4()),
            csrf_token=generate_csrf(),
            row=render_template(
                "paper/_recent_row.html",
                response=outcome.response,
                instrument=instrument,
                unit=unit,
                action_form=ActionForm(),
                deletable=True,
                **_row_helpers(instrument),
            ),
        )
    flash(message, "success")
    return redirect(url_for("paper.entry", slug=unit.slug, **_sticky(form)))


def _field_errors(
    form: PaperEntryForm, instrument: Instrument, errors: dict[str, str]
) -> dict[str, list[str]]:
    """Errors of the storage layer (keyed by unsur or profile key) keyed by form field."""
    unsur_keys = {u.key for u in instrument.unsur}
    profile_keys = {p.key for p in instrument.profile}
    named: dict[str, list[str]] = {}
    for key, message in errors.items():
        if key in unsur_keys:
            name = answer_field_name(key)
        elif key in profile_keys:
            name = profile_field_name(key)
        else:
            name = key
        named.setdefault(name, []).append(message)
    return named


def _clock(response: SurveyResponse | None) -> str:
    if response is None:
        return ""
    local = response.received_at.astimezone(office_timezone())
    return f"pukul {local:%H.%M}"


def _sticky(form: PaperEntryForm) -> dict[str, Any]:
    """What the next form keeps: date, layanan and, when asked, the profile."""
    assert form.tanggal.data is not None  # the form was validated: InputRequired
    args: dict[str, Any] = {"tanggal": form.tanggal.data.isoformat()}
    if form.layanan.data:
        args["layanan"] = form.layanan.data
    if form.keep_profile.data:
        for field in form.profile_fields():
            if field.data:
                args[field.name] = field.data
    else:
        args["keep_profile"] = "0"
    return args


def _json_invalid(errors: dict[str, list[str]]) -> tuple[FlaskResponse, int]:
    return jsonify(
        status="invalid",
        message="Formulir belum tersimpan: "
        + " ".join(message for messages in errors.values() for message in messages),
        errors={key: messages[0] for key, messages in errors.items()},
        csrf_token=generate_csrf(),
    ), 422


@bp.get("/kertas/<slug>/token")
@writer_required
def entry_token(slug: str) -> FlaskResponse:
    """A fresh CSRF token, for a page left open longer than the token lives."""
    unit_by_slug(slug)
    return jsonify(csrf_token=generate_csrf())


@bp.post("/kertas/<slug>/hapus/<bigid:response_id>")
@writer_required
def entry_delete(slug: str, response_id: int) -> Any:
    """Delete one mistyped paper form of the operator's own batch."""
    session = database.session()
    unit = unit_by_slug(slug)
    form = ActionForm()
    response = session.get(SurveyResponse, response_id)
    if (
        not form.validate()
        or response is None
        or response.unit_id != unit.id
        or not can_delete_form(current_user, response, batch_of(session, response))
    ):
        message = "Formulir ini tidak dapat dihapus."
        if _wants_json():
            return jsonify(status="refused", message=message), 403
        flash(message, "error")
        return redirect(url_for("paper.entry", slug=unit.slug))
    batch = batch_of(session, response)
    delete_paper_form(session, response, current_user, client_address())
    session.commit()
    message = "Formulir dihapus."
    if _wants_json():
        return jsonify(status="deleted", message=message, count=batch_size(session, batch))
    flash(message, "success")
    # Back with the query it came with, less what url_for takes as its own
    # arguments: "?slug=" raised a TypeError, "?_external=1" made it absolute.
    kept: dict[str, Any] = {
        key: value for key, value in request.args.items() if key != "slug" and key[:1] != "_"
    }
    return redirect(url_for("paper.entry", slug=unit.slug, **kept))
