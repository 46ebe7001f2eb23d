"""The words of a report: default texts, what staff changed, and the signing official.

Narrative sections are plain text. A blank line separates paragraphs; a
line starting with "1." (or "a.", "-") is a list item. Defaults are
written from the report's data; numbers are never part of an editable
section (the tables and the kesimpulan are always generated), so an
edited text cannot print a stale IKM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from questionnaires import Instrument
from skm.audit import diff, field_label, record
from skm.formatting import format_date
from skm.models import Unit, User
from skm.models.reports import NARRATIVE_FIELDS, ReportNarrative, ReportSignatory
from skm.periode import Periode, PeriodeError
from skm.reports.data import ReportData
from skm.results.subject import UnitInfo, unit_info

SECTION_MAX_LENGTH = 10_000

#: Characters of a section the audit log shows on each side of a change.
EXCERPT_LENGTH = 60

#: How the audit log names the default text of a section.
DEFAULT_MARK = "(teks bawaan)"

#: What each narrative section is called on the settings page and in the report.
SECTION_TITLES = {
    "kata_pengantar": "Kata pengantar",
    "latar_belakang": "BAB I · Latar belakang",
    "dasar_pelaksanaan": "BAB I · Dasar pelaksanaan (satu dasar hukum per baris)",
    "maksud_tujuan": "BAB I · Maksud dan tujuan",
    "pelaksana": "BAB II · Pelaksana",
    "metode": "BAB II · Metode pengumpulan data",
    "lokasi": "BAB II · Lokasi pengumpulan data",
    "analisis": "BAB IV · Catatan analisis tambahan (boleh kosong)",
    "penutup": "BAB V · Penutup",
}

NIP_DIGITS = 18


@dataclass(frozen=True)
class Signatory:
    jabatan: str = ""
    nama: str = ""
    pangkat: str = ""
    nip: str = ""
    tempat: str = ""

    @property
    def complete(self) -> bool:
        return bool(self.jabatan and self.nama and self.tempat)

    @property
    def nip_display(self) -> str:
        """``19700101 199003 1 001``: the NIP grouped as printed on official letters."""
        digits = self.nip.replace(" ", "")
        if len(digits) == NIP_DIGITS and digits.isdigit():
            return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
        return self.nip


@dataclass(frozen=True)
class Narrative:
    """The narrative of one report as it will be printed."""

    kata_pengantar: str
    latar_belakang: str
    dasar_pelaksanaan: str
    maksud_tujuan: str
    pelaksana: str
    metode: str
    lokasi: str
    analisis: str
    penutup: str
    include_saran: bool = True
    report_date: date | None = None
    signatory: Signatory = Signatory()

    def text(self, name: str) -> str:
        return str(getattr(self, name))


NUMBER_WORDS = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas",
    "enam belas", "tujuh belas", "delapan belas", "sembilan belas", "dua puluh",
)  # fmt: skip


def counted(number: int) -> str:
    """ "9 (sembilan)", as Indonesian official texts write small counts."""
    if 0 <= number < len(NUMBER_WORDS):
        return f"{number} ({NUMBER_WORDS[number]})"
    return str(number)


def _unsur_list(instrument: Instrument) -> str:
    names = [u.name.lower() for u in instrument.unsur]
    if len(names) < 2:
        return "".join(names)
    return "; ".join(names[:-1]) + "; serta " + names[-1]


def default_texts(info: UnitInfo, periode: Periode, instrument: Instrument) -> dict[str, str]:
    """The default text of every narrative section of the report of the unit ``info`` and
    ``periode``."""
    unit = info.name
    label = periode.label
    n = instrument.n_unsur
    scale = f"{instrument.scale_min} sampai {instrument.scale_max}"
    lokasi = f"Survei dilaksanakan di ruang pelayanan {unit}"
    if info.address:
        lokasi += f", {info.address}"
    if info.subunits:
        names = ", ".join(info.subunits)
        lokasi += f", beserta {len(info.subunits)} unit layanan di bawahnya: {names}"
    lokasi += ". Responden mengisi kuesioner setelah selesai menerima pelayanan."
    return {
        "kata_pengantar": (
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya "
            f"Laporan Pelaksanaan Survei Kepuasan Masyarakat (SKM) {unit} {label} dapat "
            "diselesaikan.\n\n"
            "Survei Kepuasan Masyarakat dilaksanakan sebagai amanat Undang-Undang Nomor 25 "
            f"Tahun 2009 tentang Pelayanan Publik dan {instrument.short_name}. Hasil survei "
            "menjadi bahan evaluasi dan dasar perbaikan kualitas pelayanan, sekaligus bentuk "
            "keterbukaan kami kepada masyarakat.\n\n"
            "Kami menyampaikan terima kasih kepada masyarakat pengguna layanan yang telah "
            "meluangkan waktu mengisi kuesioner, serta kepada semua pihak yang telah membantu "
            "pelaksanaan survei ini. Kritik dan saran yang membangun kami harapkan untuk "
            "penyempurnaan pelaksanaan survei berikutnya."
        ),
        "latar_belakang": (
            "Pelayanan publik adalah kegiatan dalam rangka pemenuhan kebutuhan pelayanan sesuai "
            "dengan peraturan perundang-undangan bagi setiap warga negara dan penduduk atas "
            "barang, jasa, dan/atau pelayanan administratif yang disediakan oleh penyelenggara "
            "pelayanan publik. Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik "
            "mewajibkan penyelenggara melakukan penilaian kinerja pelayanan secara berkala, "
            "antara lain dengan mengukur kepuasan masyarakat.\n\n"
            "Survei Kepuasan Masyarakat (SKM) adalah kegiatan pengukuran secara komprehensif "
            "tentang tingkat kepuasan masyarakat terhadap kualitas layanan yang diberikan oleh "
            f"penyelenggara pelayanan publik. {instrument.short_name} menetapkan {counted(n)} "
            f"unsur pelayanan yang diukur, yaitu {_unsur_list(instrument)}.\n\n"
            f"Sebagai unit penyelenggara pelayanan publik, {unit} melaksanakan SKM secara "
            "berkala untuk mengetahui tingkat kepuasan masyarakat atas pelayanan yang "
            "diberikan, menemukan unsur pelayanan yang masih perlu diperbaiki, dan menyusun "
            "rencana tindak lanjut perbaikannya."
        ),
        "dasar_pelaksanaan": (
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;\n"
            "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor "
            "25 Tahun 2009 tentang Pelayanan Publik;\n"
            f"{instrument.title}."
        ),
        "maksud_tujuan": (
            "Maksud pelaksanaan SKM adalah mengetahui tingkat kepuasan masyarakat sebagai "
            f"pengguna layanan atas pelayanan yang diberikan {unit} pada {label}.\n\n"
            "Tujuan pelaksanaan SKM adalah:\n"
            "1. mengukur tingkat kepuasan masyarakat terhadap kualitas pelayanan dalam bentuk "
            "Indeks Kepuasan Masyarakat (IKM);\n"
            "2. mengetahui kelebihan dan kekurangan setiap unsur pelayanan;\n"
            "3. menjadi dasar penyusunan rencana tindak lanjut perbaikan kualitas pelayanan; "
            "dan\n"
            "4. menjadi bahan penilaian kinerja unit penyelenggara pelayanan."
        ),
        "pelaksana": (
            f"Survei dilaksanakan secara mandiri oleh Tim Survei Kepuasan Masyarakat {unit}, "
            "yang menyiapkan kuesioner dan sarana pengisiannya, memeriksa dan mengolah data, "
            "serta menyusun laporan ini."
        ),
        "metode": (
            f"Data dikumpulkan dengan kuesioner menurut {instrument.short_name}, yang terdiri "
            f"atas {counted(n)} pertanyaan untuk {counted(n)} unsur pelayanan. Setiap pertanyaan "
            f"memiliki pilihan jawaban dengan nilai persepsi {scale}; makin tinggi nilainya, "
            "makin puas responden. Kuesioner diisi sendiri oleh pengguna layanan setelah menerima "
            "pelayanan. Identitas responden tidak dicatat sehingga kerahasiaan jawaban terjaga; "
            "jawaban yang dikosongkan tidak dihitung dalam nilai unsur tersebut."
        ),
        "lokasi": lokasi,
        "analisis": "",
        "penutup": (
            f"Demikian laporan pelaksanaan Survei Kepuasan Masyarakat {unit} {label} ini "
            "disusun. Hasil survei akan dipublikasikan kepada masyarakat dan dibahas bersama "
            "pemangku kepentingan, serta menjadi dasar pelaksanaan rencana tindak lanjut "
            "perbaikan pelayanan pada periode berikutnya."
        ),
    }


def clean_text(text: str) -> str:
    """Line endings unified, trailing spaces and surrounding blank lines removed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def signatory_for(session: Session, unit: Unit) -> Signatory:
    row = session.scalar(sa.select(ReportSignatory).where(ReportSignatory.unit_id == unit.id))
    if row is None:
        return Signatory()
    return Signatory(row.jabatan, row.nama, row.pangkat, row.nip, row.tempat)


def stored_narrative(session: Session, unit: Unit, periode_code: str) -> ReportNarrative | None:
    return session.scalar(
        sa.select(ReportNarrative).where(
            ReportNarrative.unit_id == unit.id, ReportNarrative.periode_code == periode_code
        )
    )


def narrative_for(
    session: Session, unit: Unit, periode: Periode, instrument: Instrument
) -> Narrative:
    """The narrative to print: staff's texts where they wrote one, defaults elsewhere."""
    texts = default_texts(unit_info(session, unit), periode, instrument)
    stored = stored_narrative(session, unit, periode.code)
    include_saran = True
    report_date = None
    if stored is not None:
        for name in NARRATIVE_FIELDS:
            value = getattr(stored, name)
            if value is not None:
                texts[name] = value
        include_saran = stored.include_saran
        report_date = stored.report_date
    return Narrative(
        **texts,
        include_saran=include_saran,
        report_date=report_date,
        signatory=signatory_for(session, unit),
    )


def default_narrative(data: ReportData, signatory: Signatory = Signatory()) -> Narrative:
    """The narrative with every default (tests, scripts)."""
    texts = default_texts(data.unit, data.periode, data.instrument)
    return Narrative(**texts, include_saran=True, report_date=None, signatory=signatory)


def changed_excerpts(before: str, after: str) -> tuple[str, str]:
    """Both versions of a section from a little before where they first differ.

    A section is up to 10 000 characters; the log shows the place that
    changed, not the whole text nor an opening both versions share.
    """
    before, after = before.replace("\n", " "), after.replace("\n", " ")
    shared = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    start = max(0, shared - 20)

    def cut(text: str) -> str:
        piece = text[start : start + EXCERPT_LENGTH]
        if not piece:
            return ""
        return ("…" if start else "") + piece + ("…" if start + EXCERPT_LENGTH < len(text) else "")

    return cut(before), cut(after)


@dataclass(frozen=True)
class _Printed:
    """What a report prints, for the audit log: each section as printed, and whether
    it is the default text."""

    texts: dict[str, str]
    edited: frozenset[str]
    include_saran: bool
    report_date: date | None


def _printed(row: ReportNarrative | None, defaults: dict[str, str]) -> _Printed:
    texts = dict(defaults)
    edited = set()
    for name in NARRATIVE_FIELDS:
        value = getattr(row, name) if row is not None else None
        if value is not None:
            texts[name] = value
            edited.add(name)
    return _Printed(
        texts,
        frozenset(edited),
        row.include_saran if row is not None else True,
        row.report_date if row is not None else None,
    )


def _narrative_changes(before: _Printed, after: _Printed) -> dict[str, list[object]]:
    changes: dict[str, list[object]] = {}
    for name in NARRATIVE_FIELDS:
        if before.texts[name] == after.texts[name]:
            continue
        old, new = changed_excerpts(before.texts[name], after.texts[name])
        if name in before.edited and name not in after.edited:
            new = f"{new} {DEFAULT_MARK}".strip()
        changes[name] = [old, new]
    changes.update(
        diff(
            _settings(before.include_saran, before.report_date),
            _settings(after.include_saran, after.report_date),
        )
    )
    return changes


def _settings(include_saran: bool, report_date: date | None) -> dict[str, object]:
    """The report's two settings as the audit log shows them."""
    return {
        "include_saran": include_saran,
        "report_date": format_date(report_date) if report_date is not None else None,
    }


def _changed_list(changes: dict[str, list[object]]) -> str:
    return ", ".join(field_label(name) for name in changes)


def save_narrative(
    session: Session,
    actor: User,
    unit: Unit,
    periode: Periode,
    instrument: Instrument,
    texts: dict[str, str],
    *,
    include_saran: bool,
    report_date: date | None,
    address: str | None = None,
) -> ReportNarrative:
    """Store what staff wrote (flushes, audited). A text equal to its default, or empty,
    is stored as NULL, so the default keeps following the data; ValueError for a text
    that is too long. A save that changes nothing printed adds no audit entry."""
    defaults = default_texts(unit_info(session, unit), periode, instrument)
    for name, text in texts.items():
        if name not in NARRATIVE_FIELDS:
            raise ValueError(f"Bagian narasi '{name}' tidak dikenal.")
        if len(text) > SECTION_MAX_LENGTH:
            raise ValueError(
                f"{SECTION_TITLES[name]}: paling banyak {SECTION_MAX_LENGTH:,} karakter.".replace(
                    ",", "."
                )
            )
    row = stored_narrative(session, unit, periode.code)
    before = _printed(row, defaults)
    if row is None:
        row = ReportNarrative(unit_id=unit.id, periode_code=periode.code)
        session.add(row)
    for name in NARRATIVE_FIELDS:
        if name in texts:
            text = clean_text(texts[name])
            # An emptied section goes back to its default rather than printing nothing.
            keep = text and text != clean_text(defaults[name])
            setattr(row, name, text if keep else None)
    row.include_saran = include_saran
    row.report_date = report_date
    row.updated_at = datetime.now(UTC)
    row.updated_by_id = actor.id
    session.flush()
    changes = _narrative_changes(before, _printed(row, defaults))
    if changes:
        record(
            session,
            actor,
            "laporan.narasi",
            row,
            f"Laporan {unit.name} {periode.label}; bagian yang diubah: {_changed_list(changes)}",
            unit=unit,
            changes=changes,
            address=address,
        )
    return row


def reset_narrative(
    session: Session, actor: User, unit: Unit, periode_code: str, address: str | None = None
) -> None:
    """Back to every default for this report (flushes, audited when something was edited)."""
    row = stored_narrative(session, unit, periode_code)
    if row is None:
        return
    changes: dict[str, list[object]] = {
        name: [changed_excerpts(getattr(row, name), "")[0], DEFAULT_MARK]
        for name in NARRATIVE_FIELDS
        if getattr(row, name) is not None
    }
    changes.update(diff(_settings(row.include_saran, row.report_date), _settings(True, None)))
    try:
        label = Periode.parse(periode_code).label
    except PeriodeError:
        label = periode_code
    record(
        session,
        actor,
        "laporan.narasi_bawaan",
        row,
        f"Laporan {unit.name} {label}: semua bagian kembali ke teks bawaan",
        unit=unit,
        changes=changes,
        address=address,
    )
    session.delete(row)
    session.flush()


_NIP = re.compile(r"^\d{18}$")


def normalise_nip(text: str) -> str:
    """The NIP as 18 digits (spaces and dots typed between groups removed), or "".

    Raises ValueError for anything else: a NIP printed under a signature
    must be the real one.
    """
    digits = re.sub(r"[\s.]", "", text)
    if not digits:
        return ""
    if not _NIP.match(digits):
        raise ValueError("NIP terdiri atas 18 angka, misalnya 19700101 199003 1 001.")
    return digits


def save_signatory(
    session: Session,
    actor: User,
    unit: Unit,
    signatory: Signatory,
    address: str | None = None,
) -> Signatory:
    """Store the unit's signing official (flushes, audited); ValueError for a bad NIP."""
    nip = normalise_nip(signatory.nip)
    signatory = replace(
        signatory,
        jabatan=signatory.jabatan.strip(),
        nama=signatory.nama.strip(),
        pangkat=signatory.pangkat.strip(),
        nip=nip,
        tempat=signatory.tempat.strip(),
    )
    row = session.scalar(sa.select(ReportSignatory).where(ReportSignatory.unit_id == unit.id))
    fields = ("jabatan", "nama", "pangkat", "nip", "tempat")
    before = {name: getattr(row, name) if row is not None else "" for name in fields}
    if row is None:
        row = ReportSignatory(unit_id=unit.id)
        session.add(row)
    row.jabatan = signatory.jabatan
    row.nama = signatory.nama
    row.pangkat = signatory.pangkat
    row.nip = signatory.nip
    row.tempat = signatory.tempat
    row.updated_at = datetime.now(UTC)
    row.updated_by_id = actor.id
    session.flush()
    changes = diff(before, {name: getattr(signatory, name) for name in fields})
    if changes:
        record(
            session,
            actor,
            "laporan.penandatangan",
            row,
            f"Penandatangan laporan {unit.name}: {signatory.jabatan or '–'}, "
            f"{signatory.nama or '–'}",
            unit=unit,
            changes=changes,
            address=address,
        )
    return signatory


def signature_line(signatory: Signatory, day: date) -> str:
    """ "Sukamaju, 22 November 2026" (the date alone when no place is set)."""
    if signatory.tempat:
        return f"{signatory.tempat}, {format_date(day)}"
    return format_date(day)
