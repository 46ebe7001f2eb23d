"""Views of the admin pages: form -> service -> commit -> redirect."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from skm import database, reference
from skm.access import (
    ROLE_DESCRIPTIONS,
    ROLE_LABELS,
    admin_required,
    can_access_unit,
    is_admin,
    unit_or_404,
    units_in_scope,
)
from skm.admin.forms import (
    LayananForm,
    NewUserForm,
    PasswordResetForm,
    TokenForm,
    UnitForm,
    UserForm,
)
from skm.admin.services import (
    UNIT_KIND_LABELS,
    AdminError,
    UnitInput,
    UserInput,
    add_unit,
    add_unit_layanan,
    add_user,
    cancel_token,
    new_token,
    reset_password,
    tokens_in,
    update_layanan,
    update_unit,
    update_user,
    users_in,
)
from skm.admin.unit_changes import (
    check_move,
    delete_unit,
    deletion_blockers,
    move_effect,
    move_refusal,
    move_targets,
    move_unit,
    subtree_counts,
)
from skm.audit import ACTION_LABELS, change_lines, entries_for
from skm.extensions import login_manager
from skm.forms import StaffForm, options
from skm.limits import page_arg, parse_id
from skm.models import Layanan, SurveyResponse, Unit, User
from skm.models.api import ApiToken
from skm.proxies import client_address

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only() -> Any:
    """Every admin page needs a signed-in admin, whatever the view says."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_admin(current_user):
        abort(403)
    return None


def _unit_labels(units: Sequence[Unit]) -> list[tuple[int, str]]:
    """Units indented by depth, so the hierarchy shows in a plain select."""
    base = min((u.path.count("/") for u in units), default=0)
    return [(u.id, "\u2003" * (u.path.count("/") - base) + u.name) for u in units]


def _unit_choices(units: Sequence[Unit]) -> list[Any]:
    return options(_unit_labels(units))


def _scoped_unit(unit_id: int | None) -> Unit:
    return unit_or_404(database.session(), current_user, unit_id=unit_id)


@bp.get("/")
@admin_required
def index() -> Response:
    """The admin section opens on the units."""
    return redirect(url_for("admin.units"))


@bp.get("/unit")
@admin_required
def units() -> str:
    """Every unit in the admin's subtree, with its layanan and accounts."""
    session = database.session()
    scoped = units_in_scope(session, current_user)
    ids = [u.id for u in scoped]
    layanan_counts = dict(
        session.execute(
            sa.select(Layanan.unit_id, sa.func.count())
            .where(Layanan.unit_id.in_(ids), Layanan.active.is_(True))
            .group_by(Layanan.unit_id)
        ).all()
    )
    user_counts = dict(
        session.execute(
            sa.select(User.unit_id, sa.func.count())
            .where(User.unit_id.in_(ids), User.active.is_(True))
            .group_by(User.unit_id)
        ).all()
    )
    base = min((u.path.count("/") for u in scoped), default=0)
    return render_template(
        "admin/units.html",
        units=[(u, u.path.count("/") - base) for u in scoped],
        layanan_counts=layanan_counts,
        user_counts=user_counts,
        kinds=UNIT_KIND_LABELS,
    )


@bp.route("/unit/baru", methods=["GET", "POST"])
@admin_required
def unit_new() -> str | Response:
    """Add a unit under one of the admin's units."""
    session = database.session()
    form = UnitForm()
    form.parent.choices = _unit_choices(units_in_scope(session, current_user))
    if request.method == "GET":
        parent_arg = parse_id(request.args.get("induk"))
        form.parent.data = parent_arg or current_user.unit_id
        form.kind.data = "kelurahan"
    if form.validate_on_submit():
        parent = _scoped_unit(form.parent.data)
        try:
            unit = add_unit(
                session,
                current_user,
                parent,
                UnitInput(form.name.data or "", form.kind.data or "", form.address.data or ""),
                client_address(),
            )
        except AdminError as error:
            form.name.errors = [str(error)]
        else:
            session.commit()
            flash(f"Unit {unit.name} dibuat. Tambahkan jenis layanannya di bawah ini.", "success")
            return redirect(url_for("admin.unit_edit", unit_id=unit.id))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/unit/<int:unit_id>", methods=["GET", "POST"])
@admin_required
def unit_edit(unit_id: int) -> str | Response:
    """A unit's name, kind and address, and its layanan."""
    session = database.session()
    unit = _scoped_unit(unit_id)
    form = UnitForm(obj=unit if request.method == "GET" else None)
    del form.parent
    if form.validate_on_submit():
        try:
            update_unit(
                session,
                current_user,
                unit,
                UnitInput(form.name.data or "", form.kind.data or "", form.address.data or ""),
                client_address(),
            )
        except AdminError as error:
            form.name.errors = [str(error)]
        else:
            session.commit()
            flash("Data unit disimpan.", "success")
            return redirect(url_for("admin.unit_edit", unit_id=unit.id))
    layanan = session.scalars(
        sa.select(Layanan)
        .where(Layanan.unit_id == unit.id)
        .order_by(Layanan.active.desc(), Layanan.name)
    ).all()
    counts = dict(
        session.execute(
            sa.select(SurveyResponse.layanan_id, sa.func.count())
            .where(SurveyResponse.unit_id == unit.id)
            .group_by(SurveyResponse.layanan_id)
        ).all()
    )
    _, blockers = deletion_blockers(session, current_user, unit)
    return render_template(
        "admin/unit_form.html",
        form=form,
        unit=unit,
        layanan=layanan,
        response_counts=counts,
        layanan_form=LayananForm(formdata=None),
        move_refusal=move_refusal(current_user, unit),
        move_choices=_unit_labels(move_targets(session, current_user, unit)),
        subunit_count=subtree_counts(session, unit)[0],
        delete_blockers=blockers,
    )


def _change_tree(form: StaffForm, change: Callable[[], object]) -> str | None:
    """Run a confirmed move or delete of a unit: committed, or rolled back with why not."""
    if not form.validate_on_submit():
        abort(400)
    session = database.session()
    try:
        change()
    except AdminError as refusal:
        session.rollback()
        return str(refusal)
    session.commit()
    # Kiosk deliveries look kiosks and units up in a short-lived cache.
    reference.forget()
    return None


@bp.route("/unit/<int:unit_id>/pindah", methods=["GET", "POST"])
@admin_required
def unit_move(unit_id: int) -> str | Response:
    """Move a unit under another parent: pick it and read what that means (GET), confirm (POST)."""
    session = database.session()
    unit = _scoped_unit(unit_id)
    form = StaffForm()
    parent_id = request.values.get("induk", type=int)
    parent, error = None, None
    if request.method == "POST":
        old_parent_name = unit.parent.name if unit.parent else ""
        error = _change_tree(
            form, lambda: move_unit(session, current_user, unit, parent_id, client_address())
        )
        if error is None:
            parent = unit.parent
            assert parent is not None
            flash(
                f"{unit.name} dipindahkan dari {old_parent_name} ke {parent.name}. "
                f"Responsnya kini dihitung dalam IKM {parent.name}.",
                "success",
            )
            return redirect(url_for("admin.unit_edit", unit_id=unit.id))
    elif "induk" in request.args:
        try:
            parent = check_move(session, current_user, unit, parent_id)
        except AdminError as refusal:
            error = str(refusal)
    subunits, responses = subtree_counts(session, unit)
    if error:
        parent = None
    return render_template(
        "admin/unit_move.html",
        unit=unit,
        parent=parent,
        effect=move_effect(session, unit.parent, parent) if parent and unit.parent else None,
        error=error,
        refusal=move_refusal(current_user, unit),
        choices=_unit_labels(move_targets(session, current_user, unit)),
        chosen=parent_id,
        subunits=subunits,
        responses=responses,
        form=form,
    )


@bp.route("/unit/<int:unit_id>/hapus", methods=["GET", "POST"])
@admin_required
def unit_delete(unit_id: int) -> str | Response:
    """Delete a unit created by mistake: what goes with it (GET), then confirm (POST)."""
    session = database.session()
    unit = _scoped_unit(unit_id)
    form = StaffForm()
    error = None
    if request.method == "POST":
        name = unit.name
        error = _change_tree(
            form, lambda: delete_unit(session, current_user, unit, client_address())
        )
        if error is None:
            flash(f"Unit {name} dihapus.", "success")
            return redirect(url_for("admin.units"))
    usage, blockers = deletion_blockers(session, current_user, unit)
    return render_template(
        "admin/unit_delete.html",
        unit=unit,
        blockers=blockers,
        removed=usage.removed_with_unit(),
        error=error,
        form=form,
    )


@bp.post("/unit/<int:unit_id>/layanan")
@admin_required
def layanan_new(unit_id: int) -> Response:
    """Add a jenis layanan to a unit."""
    session = database.session()
    unit = _scoped_unit(unit_id)
    form = LayananForm()
    if form.validate_on_submit():
        try:
            layanan = add_unit_layanan(
                session, current_user, unit, form.name.data or "", client_address()
            )
        except AdminError as error:
            flash(str(error), "error")
        else:
            session.commit()
            flash(f"Layanan {layanan.name} ditambahkan.", "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("admin.unit_edit", unit_id=unit.id) + "#layanan")


@bp.route("/layanan/<int:layanan_id>", methods=["GET", "POST"])
@admin_required
def layanan_edit(layanan_id: int) -> str | Response:
    """Rename a jenis layanan, or stop offering it (its past responses stay)."""
    session = database.session()
    layanan = session.get(Layanan, layanan_id)
    if layanan is None or not can_access_unit(current_user, layanan.unit):
        abort(404)
    form = LayananForm(obj=layanan if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_layanan(
                session,
                current_user,
                layanan,
                form.name.data or "",
                bool(form.active.data),
                client_address(),
            )
        except AdminError as error:
            form.name.errors = [str(error)]
        else:
            session.commit()
            flash("Jenis layanan disimpan.", "success")
            return redirect(url_for("admin.unit_edit", unit_id=layanan.unit_id) + "#layanan")
    return render_template("admin/layanan_form.html", form=form, layanan=layanan)


@bp.get("/pengguna")
@admin_required
def users() -> str:
    """Staff accounts of the admin's subtree."""
    return render_template(
        "admin/users.html",
        users=users_in(database.session(), current_user.unit),
        roles=ROLE_LABELS,
        role_descriptions=ROLE_DESCRIPTIONS,
    )


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@admin_required
def user_new() -> str | Response:
    """Create a staff account."""
    session = database.session()
    form = NewUserForm()
    form.unit.choices = _unit_choices(units_in_scope(session, current_user))
    if request.method == "GET":
        form.unit.data = current_user.unit_id
        form.role.data = "operator"
    if form.validate_on_submit():
        unit = _scoped_unit(form.unit.data)
        try:
            user = add_user(
                session,
                current_user,
                form.username.data or "",
                form.password.data or "",
                UserInput(form.full_name.data or "", form.role.data or "", unit, True),
                client_address(),
            )
        except AdminError as error:
            form.username.errors = [str(error)]
        else:
            session.commit()
            flash(f"Akun {user.username} dibuat.", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html", form=form, user=None, role_descriptions=ROLE_DESCRIPTIONS
    )


def _scoped_user(user_id: int) -> User:
    user = database.session().get(User, user_id)
    if user is None or not can_access_unit(current_user, user.unit):
        abort(404)
    return user


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int) -> str | Response:
    """Change an account's name, role, unit or status."""
    session = database.session()
    user = _scoped_user(user_id)
    form = UserForm(obj=user if request.method == "GET" else None)
    form.unit.choices = _unit_choices(units_in_scope(session, current_user))
    if request.method == "GET":
        form.unit.data = user.unit_id
    if form.validate_on_submit():
        unit = _scoped_unit(form.unit.data)
        try:
            update_user(
                session,
                current_user,
                user,
                UserInput(
                    form.full_name.data or "", form.role.data or "", unit, bool(form.active.data)
                ),
                client_address(),
            )
        except AdminError as error:
            session.rollback()
            flash(str(error), "error")
        else:
            session.commit()
            flash(f"Akun {user.username} disimpan.", "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        password_form=PasswordResetForm(formdata=None),
        role_descriptions=ROLE_DESCRIPTIONS,
    )


@bp.post("/pengguna/<int:user_id>/kata-sandi")
@admin_required
def user_password(user_id: int) -> Response:
    """Set a new password for an account (the user should change it after signing in)."""
    session = database.session()
    user = _scoped_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            reset_password(session, current_user, user, form.password.data or "", client_address())
        except AdminError as error:
            flash(str(error), "error")
        else:
            session.commit()
            flash(f"Kata sandi {user.username} sudah diatur ulang.", "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/token", methods=["GET", "POST"])
@admin_required
def tokens() -> str | Response:
    """API tokens for other systems; a new token is shown once, on this response only."""
    session = database.session()
    form = TokenForm()
    form.unit.choices = _unit_choices(units_in_scope(session, current_user))
    if request.method == "GET":
        form.unit.data = current_user.unit_id
    created = None
    if form.validate_on_submit():
        unit = _scoped_unit(form.unit.data)
        try:
            token, plain = new_token(
                session, current_user, form.name.data or "", unit, client_address()
            )
        except AdminError as error:
            form.name.errors = [str(error)]
        else:
            session.commit()
            created = (token, plain)
            form = TokenForm(formdata=None)
            form.unit.choices = _unit_choices(units_in_scope(session, current_user))
            form.unit.data = current_user.unit_id
    response = make_response(
        render_template(
            "admin/tokens.html",
            form=form,
            tokens=tokens_in(session, current_user.unit),
            created=created,
            revoke_form=FlaskForm(),
        )
    )
    # The page may hold a token in plain text: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/token/<int:token_id>/cabut")
@admin_required
def token_revoke(token_id: int) -> Response:
    """Revoke an API token for good."""
    session = database.session()
    token = session.get(ApiToken, token_id)
    if token is None or not can_access_unit(current_user, token.unit):
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        cancel_token(session, current_user, token, client_address())
    except AdminError as error:
        flash(str(error), "error")
    else:
        session.commit()
        flash(
            f"Token {token.name} dicabut; sistem yang memakainya tidak bisa masuk lagi.", "success"
        )
    return redirect(url_for("admin.tokens"))


@bp.get("/log")
@admin_required
def audit() -> str:
    """Who changed what, when, in the admin's subtree."""
    action = request.args.get("aksi") or None
    username = (request.args.get("pengguna") or "").strip() or None
    page = page_arg()
    result = entries_for(
        database.session(),
        current_user.unit,
        action=action if action in ACTION_LABELS else None,
        username=username,
        page=page,
    )
    return render_template(
        "admin/audit.html",
        result=result,
        actions=ACTION_LABELS,
        action=action,
        username=username or "",
        change_lines=change_lines,
    )
