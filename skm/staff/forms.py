"""Forms of the staff pages (every POST carries a CSRF token)."""

from __future__ import annotations

from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from skm.forms import NumberField, StaffForm, options
from skm.models.staff import SARAN_STATUS_LABELS, SARAN_STATUSES
from skm.results.population import MAX_POPULATION
from skm.results.rencana import PENANGGUNG_JAWAB_MAX_LENGTH, PROGRAM_MAX_LENGTH
from skm.staff.saran import NOTE_MAX_LENGTH

TRIWULAN_CHOICES = [(1, "TW I"), (2, "TW II"), (3, "TW III"), (4, "TW IV")]


class SaranStatusForm(StaffForm):
    status = SelectField(
        "Status",
        choices=options((s, SARAN_STATUS_LABELS[s]) for s in SARAN_STATUSES),
        validators=[DataRequired("Pilih status.")],
    )
    note = TextAreaField(
        "Catatan tindak lanjut",
        validators=[
            Optional(),
            Length(
                max=NOTE_MAX_LENGTH, message=f"Catatan paling banyak {NOTE_MAX_LENGTH} karakter."
            ),
        ],
    )


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RencanaForm(StaffForm):
    unsur = SelectField("Prioritas unsur", validators=[DataRequired("Pilih unsur.")])
    program = TextAreaField(
        "Program/kegiatan",
        validators=[
            DataRequired("Program/kegiatan wajib diisi."),
            Length(
                max=PROGRAM_MAX_LENGTH,
                message=f"Program/kegiatan paling banyak {PROGRAM_MAX_LENGTH} karakter.",
            ),
        ],
    )
    triwulan = CheckboxesField(
        "Waktu pelaksanaan",
        choices=options(TRIWULAN_CHOICES),
        coerce=int,
        validators=[DataRequired("Pilih minimal satu triwulan pelaksanaan.")],
    )
    penanggung_jawab = StringField(
        "Penanggung jawab",
        validators=[
            DataRequired("Penanggung jawab wajib diisi."),
            Length(
                max=PENANGGUNG_JAWAB_MAX_LENGTH,
                message=f"Penanggung jawab paling banyak {PENANGGUNG_JAWAB_MAX_LENGTH} karakter.",
            ),
        ],
    )


class PopulationForm(StaffForm):
    periode = SelectField("Periode", validators=[DataRequired("Pilih periode.")])
    population = NumberField(
        "Jumlah orang yang dilayani",
        validators=[
            InputRequired("Isi jumlah orang yang dilayani."),
            NumberRange(
                min=1, max=MAX_POPULATION, message="Populasi harus bilangan bulat 1 atau lebih."
            ),
        ],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    note = StringField(
        "Sumber data (opsional)",
        validators=[Optional(), Length(max=300, message="Catatan paling banyak 300 karakter.")],
        render_kw={"placeholder": "mis. buku register pelayanan"},
    )
