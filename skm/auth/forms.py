"""The sign-in and change-of-password forms."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from skm.forms import StaffForm, strong_password
from skm.passwords import MAX_LENGTH


class LoginForm(StaffForm):
    username = StringField(
        "Nama pengguna",
        validators=[DataRequired("Nama pengguna wajib diisi."), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        "Kata sandi",
        validators=[DataRequired("Kata sandi wajib diisi."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(StaffForm):
    current = PasswordField(
        "Kata sandi sekarang",
        validators=[DataRequired("Kata sandi sekarang wajib diisi.")],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        "Kata sandi baru",
        validators=[
            DataRequired("Kata sandi baru wajib diisi."),
            Length(max=MAX_LENGTH),
            strong_password,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[
            DataRequired("Ulangi kata sandi baru."),
            EqualTo("new", "Kedua kata sandi baru tidak sama."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
