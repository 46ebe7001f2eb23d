"""Forms of the staff kiosk pages (Flask-WTF: CSRF on every POST)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError


class OpenKioskForm(FlaskForm):
    """Open a kiosk for a unit, optionally fixed to one layanan.

    The choices are filled by the view from the units the staff member may
    see; ``validate_*`` keep a forged value out with an Indonesian message.
    """

    name = StringField(
        "Nama kios",
        validators=[
            DataRequired(message="Nama kios wajib diisi, mis. 'Loket 1'."),
            Length(max=120, message="Nama kios paling banyak 120 karakter."),
        ],
    )
    unit_id = SelectField("Unit layanan", validate_choice=False)
    layanan_id = SelectField("Jenis layanan tetap", validate_choice=False, default="")

    def validate_unit_id(self, field: SelectField) -> None:
        if field.data not in _values(field):
            raise ValidationError("Pilih unit layanan dari daftar.")

    def validate_layanan_id(self, field: SelectField) -> None:
        if field.data and field.data not in _values(field):
            raise ValidationError("Pilih jenis layanan dari daftar.")


def _values(field: SelectField) -> set[str]:
    # iter_choices() yields (value, label, selected, render_kw) whether the
    # choices were given as tuples or as WTForms 3.3's SelectChoice.
    return {choice[0] for choice in field.iter_choices()}
