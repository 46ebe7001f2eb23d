"""Forms of paper entry and import; the entry form is built from the instrument."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, ValidationError

from questionnaires import Instrument, ProfileField, Question, get_instrument
from skm.forms import StaffForm
from skm.responses import SARAN_MAX_LENGTH
from skm.tabulation import profile_cell_value

#: Typed for a question left unanswered on the paper form.
BLANK_KEYS = ("0", "-", "x")

NO_LAYANAN = 0


class AnswerField(StringField):
    """One answer as typed: 1–4, or the letter on the paper form (a–d), or 0/- for blank.

    After validation ``answer`` holds the score, or None for an unanswered question.
    """

    def __init__(self, *args: Any, question: Question, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.question = question
        self.answer: int | None = None

    def pre_validate(self, form: Any) -> None:
        raw = (self.data or "").strip().casefold()
        number = self.question.number
        if not raw:
            raise ValidationError(f"Pertanyaan {number} belum diisi; ketik 0 bila tidak dijawab.")
        if raw in BLANK_KEYS:
            self.answer = None
            return
        for option in self.question.options:
            if raw in (str(option.value), option.letter.casefold()):
                self.answer = option.value
                return
        options = self.question.options
        raise ValidationError(
            f"Jawaban pertanyaan {number} harus {options[0].value}–{options[-1].value} "
            f"(atau huruf {options[0].letter}–{options[-1].letter}), 0 bila tidak dijawab."
        )


class ProfileKeyField(StringField):
    """A profile answer: the option's number in the list (1, 2, ...), its key
    or its label; a whole number for an integer field. Blank is allowed."""

    def __init__(self, *args: Any, spec: ProfileField, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.value: str | int | None = None

    def pre_validate(self, form: Any) -> None:
        raw = (self.data or "").strip()
        self.value = None
        if not raw or raw in BLANK_KEYS:
            return
        if self.spec.kind == "choice" and raw.isdigit():
            index = int(raw)
            if 1 <= index <= len(self.spec.options):
                self.value = self.spec.options[index - 1].key
                return
        try:
            self.value = profile_cell_value(self.spec, raw)
        except ValueError as error:
            message = str(error)
            raise ValidationError(message[0].upper() + message[1:]) from error


class PaperEntryForm(StaffForm):
    """Fields every instrument shares; answers and profile are added per instrument."""

    uuid = HiddenField()
    tanggal = DateField(
        "Tanggal survei",
        validators=[InputRequired(message="Isi tanggal survei yang tertulis di formulir.")],
    )
    layanan = SelectField("Jenis layanan", coerce=int, default=NO_LAYANAN)
    saran = TextAreaField("Saran/masukan", validators=[Length(max=SARAN_MAX_LENGTH)])
    keep_profile = BooleanField("Data responden tetap untuk formulir berikutnya", default=True)
    # "live": the operator saw the read-back beside the form (JavaScript);
    # otherwise the read-back text the server showed before saving.
    readback = HiddenField()
    confirm_duplicate = HiddenField()

    def answer_fields(self) -> list[AnswerField]:
        return [f for f in self if isinstance(f, AnswerField)]

    def profile_fields(self) -> list[ProfileKeyField]:
        return [f for f in self if isinstance(f, ProfileKeyField)]


def answer_field_name(unsur_key: str) -> str:
    return f"q_{unsur_key}"


def profile_field_name(profile_key: str) -> str:
    return f"p_{profile_key}"


def entry_form_class(instrument: Instrument) -> type[PaperEntryForm]:
    """The entry form of ``instrument``: profile fields, then one field per
    question in questionnaire order, each named by its unsur key (never by
    position: question 8 of Permenpan 14/2017 is sarana, U9)."""
    return _entry_form_class(instrument.key, instrument.version)


@functools.cache
def _entry_form_class(key: str, version: int) -> type[PaperEntryForm]:
    instrument = get_instrument(key, version)
    fields: dict[str, Any] = {}
    for spec in instrument.profile:
        fields[profile_field_name(spec.key)] = ProfileKeyField(spec.label, spec=spec)
    for question in instrument.questions:
        fields[answer_field_name(question.unsur_key)] = AnswerField(
            str(question.number), question=question
        )
    return type(f"PaperEntryForm_{instrument.key}", (PaperEntryForm,), fields)


class ImportForm(StaffForm):
    """Upload of a tabulation, with where and how to read it."""

    berkas = FileField(
        "Berkas tabulasi (CSV atau XLSX)",
        validators=[
            FileRequired(message="Pilih berkas tabulasi."),
            FileAllowed(["csv", "txt", "xlsx", "xlsm"], message="Gunakan berkas CSV atau XLSX."),
        ],
    )
    instrument = SelectField("Kuesioner yang dipakai")
    tahun = SelectField("Tahun", coerce=int)
    bagian = SelectField(
        "Periode",
        choices={
            "tahun": "Setahun penuh",
            "S1": "Semester I",
            "S2": "Semester II",
            "T1": "Triwulan I",
            "T2": "Triwulan II",
            "T3": "Triwulan III",
            "T4": "Triwulan IV",
        },
    )
    layanan = SelectField("Layanan untuk baris tanpa kolom layanan", coerce=int, default=0)

    def periode_code(self) -> str:
        if self.bagian.data == "tahun":
            return str(self.tahun.data)
        return f"{self.tahun.data}-{self.bagian.data}"


class ConfirmImportForm(StaffForm):
    token = HiddenField(validators=[InputRequired()])


def year_choices(today: date, first: int = 2004) -> list[tuple[int, str]]:
    return [(year, str(year)) for year in range(today.year, first - 1, -1)]
