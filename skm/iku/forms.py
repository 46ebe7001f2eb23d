"""Forms of the IKU pages; numbers are typed the Indonesian way (83,5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from skm.forms import StaffForm
from skm.results.amounts import parse_decimal
from skm.results.indicators import AKIP_SCALE, COMBINATION_LABELS, METHOD_LABELS, POLARITY_LABELS
from skm.results.realisasi import TAHUNAN, periode_label


class DecimalTextField(StringField):
    """A number as offices type it: 83,5 or 1.250,75; blank is allowed.

    ``number`` holds the parsed Decimal (None when blank) after validation.
    """

    number: Decimal | None = None

    def pre_validate(self, form: Any) -> None:
        text = (self.data or "").strip()
        self.number = None
        if not text:
            return
        try:
            self.number = parse_decimal(text)
        except ValueError as error:
            raise ValidationError(
                f"'{text}' bukan angka; tulis seperti 83,5 (koma untuk desimal)."
            ) from error
        if abs(self.number) >= Decimal("1e13"):
            raise ValidationError("Angka terlalu besar.")


class TargetField(DecimalTextField):
    """A target: a number, or for a grade indicator one predikat of its scale (kept as text)."""

    def pre_validate(self, form: Any) -> None:
        if form.method.data == "grade":
            self.number = None
            return
        super().pre_validate(form)

    @property
    def target(self) -> Decimal | str | None:
        """What the field sets: the number, the grade text, or None (blank)."""
        if self.number is not None:
            return self.number
        return (self.data or "").strip() or None


class ComponentsField(TextAreaField):
    """A composite's component values, one per line, typed as 87,5.

    ``numbers`` holds the parsed values after validation (empty when blank).
    """

    numbers: tuple[Decimal, ...] = ()

    def pre_validate(self, form: Any) -> None:
        self.numbers = ()
        values = []
        for number, line in enumerate((self.data or "").splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                values.append(parse_decimal(text))
            except ValueError as error:
                raise ValidationError(
                    f"Baris {number}: '{text}' bukan angka; satu nilai per baris, mis. 87,5."
                ) from error
        self.numbers = tuple(values)


#: What the scale field shows on a new indicator: the AKIP predikat, best first.
DEFAULT_SCALE = ", ".join(AKIP_SCALE)


class IndicatorFormBase(StaffForm):
    code = StringField(
        "Kode singkat",
        validators=[DataRequired("Kode wajib diisi, mis. ikm atau nilai-akip."), Length(max=60)],
        description="Huruf kecil, angka dan tanda hubung; dipakai saat mengimpor ulang "
        "dokumen IKU.",
    )
    sasaran = TextAreaField(
        "Sasaran strategis", validators=[DataRequired("Sasaran strategis wajib diisi.")]
    )
    name = TextAreaField(
        "Indikator kinerja", validators=[DataRequired("Nama indikator wajib diisi.")]
    )
    satuan = StringField(
        "Satuan",
        validators=[DataRequired("Satuan wajib diisi, mis. Nilai atau %."), Length(max=60)],
    )
    method = SelectField("Cara menghitung realisasi", choices=dict(METHOD_LABELS), default="value")
    polarity = SelectField("Polaritas", choices=dict(POLARITY_LABELS))
    numerator_label = StringField(
        "Yang dihitung pembilang, atau jumlah periode ini (n)",
        validators=[Optional(), Length(max=300)],
    )
    denominator_label = StringField(
        "Yang dihitung penyebut, atau jumlah periode sebelumnya (n−1)",
        validators=[Optional(), Length(max=300)],
    )
    scale = StringField(
        "Skala predikat (terbaik dulu, dipisah koma)",
        validators=[Optional(), Length(max=200)],
        default=DEFAULT_SCALE,
        description="Hanya untuk predikat, mis. AKIP: " + ", ".join(AKIP_SCALE) + ".",
    )
    combination = SelectField(
        "Cara menggabungkan komponen", choices=dict(COMBINATION_LABELS), default="mean"
    )
    definisi = TextAreaField("Definisi operasional", validators=[Optional()])
    include_subunits = BooleanField(
        "IKM unit ini termasuk sub-unitnya (kelurahan/desa)", default=True
    )
    alasan = TextAreaField("Alasan", validators=[Optional()])
    formula = TextAreaField("Formulasi / cara pengukuran", validators=[Optional()])
    penanggung_jawab = TextAreaField("Penanggung jawab", validators=[Optional()])
    sumber_data = StringField("Sumber data", validators=[Optional(), Length(max=500)])

    target_years: tuple[int, ...] = ()

    def target_fields(self) -> list[tuple[int, TargetField]]:
        return [(year, self[f"target_{year}"]) for year in self.target_years]


def indicator_form(years: list[int], **kwargs: Any) -> IndicatorFormBase:
    """The indicator form with one target field per year of ``years``."""
    fields: dict[str, Any] = {f"target_{year}": TargetField(f"Target {year}") for year in years}
    fields["target_years"] = tuple(years)
    form_class: type[IndicatorFormBase] = type("IndicatorForm", (IndicatorFormBase,), fields)
    return form_class(**kwargs)


#: The rows of the realisation form: triwulan I–IV, then the year.
REALISASI_ROWS = (1, 2, 3, 4, TAHUNAN)
INPUTS = ("value", "numerator", "denominator", "current_count", "previous_count")


class RealisasiFormBase(StaffForm):
    def row(self, triwulan: int) -> dict[str, Any]:
        return {
            name: self[f"{name}_{triwulan}"] for name in (*INPUTS, "grade", "components", "note")
        }


def realisasi_form(grades: tuple[str, ...] = (), **kwargs: Any) -> RealisasiFormBase:
    """The realisation form; ``grades`` are the choices of a grade indicator's predikat."""
    fields: dict[str, Any] = {}
    for triwulan in REALISASI_ROWS:
        label = periode_label(triwulan)
        for name in INPUTS:
            fields[f"{name}_{triwulan}"] = DecimalTextField(f"{name} {label}")
        # The service names a grade outside the scale in Indonesian; WTForms would not.
        fields[f"grade_{triwulan}"] = SelectField(
            f"Predikat {label}", choices={"": "–", **{g: g for g in grades}},
            validate_choice=False,
        )  # fmt: skip
        fields[f"components_{triwulan}"] = ComponentsField(f"Nilai komponen {label}")
        fields[f"note_{triwulan}"] = StringField(f"Catatan {label}", validators=[Length(max=300)])
    form_class: type[RealisasiFormBase] = type("RealisasiForm", (RealisasiFormBase,), fields)
    return form_class(**kwargs)


PREDIKAT_ROWS = 6


class PredikatFormBase(StaffForm):
    def rows(self) -> list[tuple[DecimalTextField, StringField]]:
        return [(self[f"minimum_{i}"], self[f"label_{i}"]) for i in range(PREDIKAT_ROWS)]


def predikat_form(**kwargs: Any) -> PredikatFormBase:
    fields: dict[str, Any] = {}
    for i in range(PREDIKAT_ROWS):
        fields[f"minimum_{i}"] = DecimalTextField(f"Batas bawah {i + 1}")
        fields[f"label_{i}"] = StringField(f"Predikat {i + 1}", validators=[Length(max=60)])
    form_class: type[PredikatFormBase] = type("PredikatForm", (PredikatFormBase,), fields)
    return form_class(**kwargs)
