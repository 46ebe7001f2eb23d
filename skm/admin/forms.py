"""Admin forms."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from skm.access import ROLE_LABELS
from skm.admin.services import UNIT_KIND_LABELS
from skm.forms import StaffForm, options, strong_password

_PASSWORD = [DataRequired("Kata sandi wajib diisi."), strong_password]


class UnitForm(StaffForm):
    parent = SelectField("Unit induk", coerce=int)
    name = StringField(
        "Nama unit",
        validators=[
            DataRequired("Nama unit wajib diisi."),
            Length(max=200, message="Nama unit paling banyak 200 karakter."),
        ],
    )
    kind = SelectField("Jenis unit", choices=options(UNIT_KIND_LABELS.items()))
    address = TextAreaField(
        "Alamat",
        validators=[Optional(), Length(max=300, message="Alamat paling banyak 300 karakter.")],
    )


class LayananForm(StaffForm):
    name = StringField(
        "Nama jenis layanan",
        validators=[
            DataRequired("Nama layanan wajib diisi."),
            Length(max=200, message="Nama layanan paling banyak 200 karakter."),
        ],
    )
    active = BooleanField("Aktif (ditawarkan di kios dan survei)", default=True)


class UserForm(StaffForm):
    full_name = StringField(
        "Nama lengkap",
        validators=[Optional(), Length(max=200, message="Nama paling banyak 200 karakter.")],
    )
    role = SelectField("Peran", choices=options(ROLE_LABELS.items()))
    unit = SelectField("Unit", coerce=int)
    active = BooleanField("Akun aktif", default=True)


class NewUserForm(UserForm):
    username = StringField(
        "Nama pengguna",
        validators=[DataRequired("Nama pengguna wajib diisi."), Length(max=80)],
        render_kw={"autocomplete": "off", "autocapitalize": "none"},
    )
    password = PasswordField(
        "Kata sandi awal", validators=_PASSWORD, render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        "Ulangi kata sandi",
        validators=[
            DataRequired("Ulangi kata sandi."),
            EqualTo("password", "Kata sandi tidak sama."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordResetForm(StaffForm):
    password = PasswordField(
        "Kata sandi baru", validators=_PASSWORD, render_kw={"autocomplete": "new-password"}
    )


class TokenForm(StaffForm):
    name = StringField(
        "Nama token (sistem yang memakainya)",
        validators=[
            DataRequired("Nama token wajib diisi."),
            Length(max=120, message="Nama token paling banyak 120 karakter."),
        ],
        render_kw={"placeholder": "mis. Dasbor Kabupaten"},
    )
    unit = SelectField("Unit yang boleh dibaca/diisi", coerce=int)
