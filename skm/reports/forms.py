"""Forms of the report page: the narrative of one report and the unit's signing official."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from skm.forms import StaffForm
from skm.models.reports import NARRATIVE_FIELDS
from skm.reports.narrative import SECTION_MAX_LENGTH, SECTION_TITLES, Narrative, Signatory

_TOO_LONG = f"Paling banyak {SECTION_MAX_LENGTH:,} karakter.".replace(",", ".")


class ConfirmForm(StaffForm):
    """No fields: gives a POST-only button its CSRF protection."""


class NarrativeFormBase(StaffForm):
    include_saran = BooleanField("Cantumkan saran responden dalam laporan PDF")
    report_date = DateField(
        "Tanggal laporan (di atas tanda tangan)",
        validators=[Optional()],
        description="Kosongkan untuk memakai tanggal saat laporan diunduh.",
    )

    def sections(self) -> list[Any]:
        return [getattr(self, name) for name in NARRATIVE_FIELDS]

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name).data or "" for name in NARRATIVE_FIELDS}


def narrative_form(narrative: Narrative, **kwargs: Any) -> NarrativeFormBase:
    """The form, filled with the narrative that would be printed now."""

    class NarrativeForm(NarrativeFormBase):
        pass

    for name in NARRATIVE_FIELDS:
        setattr(
            NarrativeForm,
            name,
            TextAreaField(
                SECTION_TITLES[name],
                validators=[Length(max=SECTION_MAX_LENGTH, message=_TOO_LONG)],
                default=narrative.text(name),
                render_kw={"rows": 8 if name != "dasar_pelaksanaan" else 5},
            ),
        )
    return NarrativeForm(
        include_saran=narrative.include_saran, report_date=narrative.report_date, **kwargs
    )


class SignatoryForm(StaffForm):
    jabatan = StringField(
        "Jabatan",
        validators=[Length(max=200, message="Paling banyak 200 karakter.")],
        render_kw={"placeholder": "Camat Sukamaju"},
    )
    nama = StringField(
        "Nama lengkap dan gelar",
        validators=[Length(max=200, message="Paling banyak 200 karakter.")],
    )
    pangkat = StringField(
        "Pangkat/golongan",
        validators=[Length(max=120, message="Paling banyak 120 karakter.")],
        render_kw={"placeholder": "Pembina Tk. I (IV/b)"},
    )
    nip = StringField(
        "NIP",
        validators=[Length(max=30, message="Paling banyak 30 karakter.")],
        render_kw={"placeholder": "19700101 199003 1 001", "inputmode": "numeric"},
    )
    tempat = StringField(
        "Tempat penandatanganan",
        validators=[Length(max=120, message="Paling banyak 120 karakter.")],
        render_kw={"placeholder": "Sukamaju"},
    )

    def signatory(self) -> Signatory:
        return Signatory(
            jabatan=self.jabatan.data or "",
            nama=self.nama.data or "",
            pangkat=self.pangkat.data or "",
            nip=self.nip.data or "",
            tempat=self.tempat.data or "",
        )


def signatory_form(signatory: Signatory, **kwargs: Any) -> SignatoryForm:
    return SignatoryForm(
        jabatan=signatory.jabatan,
        nama=signatory.nama,
        pangkat=signatory.pangkat,
        nip=signatory.nip_display,
        tempat=signatory.tempat,
        **kwargs,
    )
