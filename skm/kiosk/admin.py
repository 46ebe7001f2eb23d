"""Staff pages of kiosks (``kiosk_admin``): open and close kiosks, print QR
posters, and decide on flagged responses."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from skm import database, reference
from skm.access import (
    admin_required,
    can_access_unit,
    can_write,
    is_admin,
    staff_required,
    unit_by_slug,
    units_in_scope,
    writer_required,
)
from skm.audit import record
from skm.config import office_timezone
from skm.formatting import duration_text, local_time, time_ago
from skm.forms import ActionForm
from skm.kiosk.forms import OpenKioskForm
from skm.kiosk.kiosks import (
    KioskError,
    close_kiosk,
    kiosk_status,
    kiosks_in_scope,
    open_kiosk,
    reopen_kiosk,
    replace_token,
)
from skm.kiosk.qr import is_local_only, public_url, qr_svg
from skm.kiosk.review import (
    STATUSES,
    exclude_all_flagged,
    flagged_response,
    flagged_responses,
    set_excluded,
)
from skm.limits import page_arg, parse_id
from skm.models import Layanan, Unit
from skm.models.kiosk import Kiosk
from skm.proxies import client_address

admin_bp = Blueprint("kiosk_admin", __name__, url_prefix="/staf/kiosk")

# Opening and closing kiosks (and seeing their secret addresses) is the
# admin's; deciding on flagged responses is data follow-up, the operator's;
# pimpinan read. Anything outside the user's units answers 404, as if absent.


def _visible(unit: Unit | None) -> Unit:
    if unit is None or not can_access_unit(current_user, unit):
        abort(404)
    return unit


def _units_in_scope() -> list[Unit]:
    return list(units_in_scope(database.session(), current_user))


def _open_form() -> OpenKioskForm:
    form = OpenKioskForm()
    units = _units_in_scope()
    form.unit_id.choices = [(str(unit.id), unit.name) for unit in units]
    layanan = database.session().scalars(
        sa.select(Layanan)
        .where(Layanan.unit_id.in_([unit.id for unit in units]), Layanan.active.is_(True))
        .order_by(Layanan.unit_id, Layanan.name)
    )
    names = {unit.id: unit.name for unit in units}
    form.layanan_id.choices = [("", "Semua layanan unit (warga memilih)")] + [
        (str(item.id), f"{names[item.unit_id]} – {item.name}") for item in layanan
    ]
    return form


def _kiosk_in_scope(kiosk_id: int) -> Kiosk:
    kiosk = database.session().get(Kiosk, kiosk_id)
    if kiosk is None:
        abort(404)
    _visible(kiosk.unit)
    return kiosk


def _render_index(form: OpenKioskForm, status: int = 200) -> WerkzeugResponse:
    now = datetime.now(UTC)
    tz = office_timezone()
    kiosks = kiosks_in_scope(database.session(), current_user.unit)
    page = render_template(
        "staff/kiosk/index.html",
        rows=[(kiosk, kiosk_status(kiosk, now)) for kiosk in kiosks],
        form=form,
        action_form=ActionForm(),
        units=_units_in_scope(),
        can_manage=is_admin(current_user),
        ago=lambda instant: time_ago(instant, now, tz),
        when=lambda instant: local_time(instant, tz),
    )
    return make_response(page, status)


@admin_bp.get("/")
@staff_required
def index() -> WerkzeugResponse:
    """Kiosks of the staff member's units: last seen, last delivery, queue."""
    return _render_index(_open_form())


@admin_bp.post("/buka")
@admin_required
def open_new() -> WerkzeugResponse:
    """Open a kiosk; its page then shows the address to open on the tablet."""
    form = _open_form()
    if not form.validate_on_submit():
        return _render_index(form, 422)
    session = database.session()
    unit = _visible(session.get(Unit, int(form.unit_id.data)))
    layanan = session.get(Layanan, int(form.layanan_id.data)) if form.layanan_id.data else None
    try:
        kiosk = open_kiosk(session, unit, form.name.data or "", layanan)
    except KioskError as error:
        session.rollback()
        form.layanan_id.errors = [*form.layanan_id.errors, str(error)]
        return _render_index(form, 422)
    # The kiosk's token is its secret: it stays out of the log.
    record(
        session,
        current_user,
        "kios.open",
        kiosk,
        f"Kios “{kiosk.name}” dibuka di {unit.name}",
        unit=unit,
        changes={
            "name": [None, kiosk.name],
            "layanan": [None, layanan.name if layanan else "semua layanan unit"],
        },
        address=client_address(),
    )
    session.commit()
    flash(f"Kios “{kiosk.name}” dibuka. Buka alamatnya di tablet.", "success")
    return _render_detail(kiosk, 201)


def _render_detail(kiosk: Kiosk, status: int = 200) -> WerkzeugResponse:
    """The kiosk's page; with its secret address only right after opening or replacing it.

    Only the secret's hash is stored, so the address cannot be shown again
    later: a lost address is replaced, which also locks out whoever found it.
    """
    now = datetime.now(UTC)
    tz = office_timezone()
    url = public_url("kiosk.kiosk_page", token=kiosk.token) if kiosk.token else None
    page = render_template(
        "staff/kiosk/detail.html",
        kiosk=kiosk,
        status=kiosk_status(kiosk, now),
        url=url,
        # Behind a host that cannot be trusted, only the path of the secret address.
        path=url_for("kiosk.kiosk_page", token=kiosk.token) if kiosk.token else None,
        local_only=url is not None and is_local_only(url),
        qr=qr_svg(url, f"Alamat kios {kiosk.name}") if url else None,
        action_form=ActionForm(),
        ago=lambda instant: time_ago(instant, now, tz),
    )
    return make_response(page, status)


@admin_bp.get("/<int:kiosk_id>")
@admin_required
def detail(kiosk_id: int) -> WerkzeugResponse:
    """The kiosk's status, and replacing its secret address."""
    return _render_detail(_kiosk_in_scope(kiosk_id))


@admin_bp.post("/<int:kiosk_id>/ganti-alamat")
@admin_required
def replace_address(kiosk_id: int) -> WerkzeugResponse:
    """A new secret address (shown once); the tablet must open the new one."""
    kiosk = _kiosk_in_scope(kiosk_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = database.session()
    replace_token(session, kiosk)
    record(
        session,
        current_user,
        "kios.replace_address",
        kiosk,
        f"Alamat kios “{kiosk.name}” ({kiosk.unit.name}) diganti",
        unit=kiosk.unit,
        address=client_address(),
    )
    session.commit()
    reference.forget()
    flash(
        f"Alamat kios “{kiosk.name}” diganti. Alamat lama tidak berlaku lagi: buka alamat "
        "baru di tablet.",
        "success",
    )
    return _render_detail(kiosk)


def _set_active(kiosk_id: int, active: bool) -> WerkzeugResponse:
    kiosk = _kiosk_in_scope(kiosk_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = database.session()
    if kiosk.active != active:
        # Closing a closed kiosk (a second click) changes nothing and is not logged.
        record(
            session,
            current_user,
            "kios.reopen" if active else "kios.close",
            kiosk,
            f"Kios “{kiosk.name}” ({kiosk.unit.name}) " + ("dibuka lagi" if active else "ditutup"),
            unit=kiosk.unit,
            changes={"active": [kiosk.active, active]},
            address=client_address(),
        )
    if active:
        reopen_kiosk(session, kiosk)
        flash(f"Kios “{kiosk.name}” dibuka lagi.", "success")
    else:
        close_kiosk(session, kiosk)
        flash(
            f"Kios “{kiosk.name}” ditutup. Tablet menyimpan jawaban yang belum terkirim "
            "sampai kios dibuka lagi.",
            "success",
        )
    session.commit()
    reference.forget()
    return redirect(url_for(".index"))


@admin_bp.post("/<int:kiosk_id>/tutup")
@admin_required
def close(kiosk_id: int) -> WerkzeugResponse:
    """Close a kiosk: the tablet stops taking surveys."""
    return _set_active(kiosk_id, False)


@admin_bp.post("/<int:kiosk_id>/buka-lagi")
@admin_required
def reopen(kiosk_id: int) -> WerkzeugResponse:
    """Open a closed kiosk again (same address), e.g. after the tablet came back."""
    return _set_active(kiosk_id, True)


@admin_bp.get("/qr/<slug>")
@staff_required
def qr(slug: str) -> WerkzeugResponse:
    """A poster with the QR code of a unit's survey, to print for the counter."""
    session = database.session()
    unit = unit_by_slug(slug)
    layanan = None
    raw = request.args.get("layanan", "")
    if raw:
        layanan_id = parse_id(raw)
        layanan = session.get(Layanan, layanan_id) if layanan_id else None
        if layanan is None or layanan.unit_id != unit.id:
            abort(404)
    values = {"slug": unit.slug, "layanan": layanan.id} if layanan else {"slug": unit.slug}
    url = public_url("kiosk.survey", **values)
    page = render_template(
        "staff/kiosk/qr.html",
        unit=unit,
        layanan=layanan,
        url=url,
        local_only=url is not None and is_local_only(url),
        qr=qr_svg(url, f"Survei Kepuasan Masyarakat {unit.name}") if url else None,
        all_layanan=[item for item in unit.layanan if item.active],
    )
    return make_response(page)


@admin_bp.get("/ditandai")
@staff_required
def flagged() -> WerkzeugResponse:
    """Responses that look automated or careless; staff exclude them or keep them."""
    status = request.args.get("status", "semua")
    if status not in STATUSES:
        status = "semua"
    result = flagged_responses(database.session(), current_user.unit, status, page_arg())
    tz = office_timezone()
    page = render_template(
        "staff/kiosk/flagged.html",
        result=result,
        status=status,
        statuses=STATUSES,
        action_form=ActionForm(),
        can_manage=can_write(current_user),
        now=datetime.now(UTC).isoformat(),
        when=lambda instant: local_time(instant, tz),
        duration=duration_text,
    )
    return make_response(page)


def _back_to_list() -> WerkzeugResponse:
    status = request.form.get("status", "semua")
    page = request.form.get("halaman", "1")
    return redirect(
        url_for(
            ".flagged",
            status=status if status in STATUSES else "semua",
            halaman=page if page.isdigit() else "1",
        )
    )


@admin_bp.post("/ditandai/<bigid:response_id>")
@writer_required
def flagged_decide(response_id: int) -> WerkzeugResponse:
    """Exclude one flagged response from scoring, or count it again."""
    session = database.session()
    response = flagged_response(session, current_user.unit, response_id)
    if response is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    action = request.form.get("aksi")
    if action not in ("kecualikan", "sertakan"):
        abort(400)
    set_excluded(session, current_user, response, action == "kecualikan", client_address())
    session.commit()
    if action == "kecualikan":
        flash("Respons dikecualikan dari perhitungan IKM.", "success")
    else:
        flash("Respons dihitung lagi dalam IKM.", "success")
    return _back_to_list()


@admin_bp.post("/ditandai/kecualikan-semua")
@writer_required
def flagged_exclude_all() -> WerkzeugResponse:
    """Exclude every flagged response still counted (as the list showed them)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    until = None
    try:
        until = datetime.fromisoformat(request.form.get("sampai", ""))
    except ValueError:
        abort(400)
    if until.tzinfo is None:
        abort(400)
    session = database.session()
    count = exclude_all_flagged(session, current_user, current_user.unit, until, client_address())
    session.commit()
    flash(f"{count} respons bertanda dikecualikan dari perhitungan IKM.", "success")
    return _back_to_list()
