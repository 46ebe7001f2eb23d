"""Views: sign in, sign out, change one's password."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from skm import database
from skm.access import staff_required
from skm.audit import record
from skm.auth.forms import LoginForm, PasswordChangeForm
from skm.auth.throttle import (
    Limits,
    attempt_succeeded,
    begin_attempt,
    normalise_username,
    wait_message,
)
from skm.headers import PUBLIC_BLUEPRINTS
from skm.models import User
from skm.passwords import password_problem
from skm.proxies import client_address
from skm.redirects import safe_next
from skm.sessions import mark_signed_in

bp = Blueprint("auth", __name__)

_DUMMY_HASH: list[str] = []

MUST_CHANGE_MESSAGE = "Ganti kata sandi awal Anda dulu sebelum membuka halaman staf."

#: Pages a user who must change their password may still open.
_WHILE_MUST_CHANGE = frozenset({"auth.password", "auth.logout", "auth.login", "static"})


def _dummy_hash() -> str:
    # Checking a password against a real scrypt hash even for unknown
    # usernames makes both answers take as long, so timing reveals no names.
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash("tidak-ada-pengguna-ini"))
    return _DUMMY_HASH[0]


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Sign in with username and password (rate-limited)."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        db = database.session()
        username = normalise_username(form.username.data or "")
        address = client_address()
        attempt, wait = begin_attempt(db, username, address, Limits.from_config())
        if attempt is None:
            error = wait_message(wait)
            status = 429
        else:
            user = db.scalar(sa.select(User).where(sa.func.lower(User.username) == username))
            password = form.password.data or ""
            if user is None:
                check_password_hash(_dummy_hash(), password)
                ok = False
            else:
                ok = user.check_password(password)
            if ok:
                attempt_succeeded(db, attempt)
            db.commit()
            if not ok:
                error = "Nama pengguna atau kata sandi salah."
                status = 401
            elif user is None or not user.active:
                error = "Akun ini dinonaktifkan. Hubungi admin unit Anda."
                status = 403
            else:
                target = safe_next(request.args.get("next"))
                # A fresh session on sign-in: nothing set before it (by
                # someone else at a shared PC) carries over.
                session.clear()
                login_user(user)
                mark_signed_in(session, user.id, user.session_version)
                if user.must_change_password:
                    flash(MUST_CHANGE_MESSAGE, "info")
                    return redirect(url_for("auth.password"))
                return redirect(target or url_for("staff.home"))
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/keluar")
@staff_required
def logout() -> Response:
    """Sign out (a POST with CSRF token, so no link can sign someone out)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    # Every session of the user ends, here and in any other browser (a cookie
    # copied before signing out included).
    db = database.session()
    user = db.get(User, current_user.id)
    if user is not None:
        user.end_sessions()
        db.commit()
    logout_user()
    session.clear()
    flash("Anda telah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@staff_required
def password() -> str | Response:
    """Change one's own password."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = database.session()
        user = db.get(User, current_user.id)
        if user is None or not user.check_password(form.current.data or ""):
            form.current.errors = ["Kata sandi sekarang salah."]
        elif problem := password_problem(form.new.data or "", user.username):
            form.new.errors = [problem]
        elif user.check_password(form.new.data or ""):
            form.new.errors = ["Kata sandi baru harus berbeda dari kata sandi sekarang."]
        else:
            user.set_password(form.new.data or "")
            user.must_change_password = False
            # Other sessions of the user end; this one goes on with the new version.
            user.end_sessions()
            record(
                db,
                user,
                "user.password_change",
                user,
                f"{user.username} mengganti kata sandi",
                unit=user.unit,
                address=client_address(),
            )
            db.commit()
            mark_signed_in(session, user.id, user.session_version)
            flash("Kata sandi sudah diganti. Sesi lain akun ini sudah diakhiri.", "success")
            return redirect(url_for("staff.home"))
    return render_template("auth/password.html", form=form)


@bp.before_app_request
def _password_change_first() -> Response | None:
    """Until a generated or reset password is replaced, every staff page leads to the change."""
    if request.blueprint in PUBLIC_BLUEPRINTS or request.endpoint in _WHILE_MUST_CHANGE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        if request.blueprint == "api":
            return None
        flash(MUST_CHANGE_MESSAGE, "info")
        return redirect(url_for("auth.password"))
    return None


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> tuple[str | dict[str, str], int]:
    """An expired or missing form token: say so in Indonesian instead of a bare 400."""
    message = "Formulir sudah kedaluwarsa atau tidak lengkap. Muat ulang halaman, lalu coba lagi."
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return {"error": message}, 400
    return render_template("auth/csrf_error.html", message=message), 400
