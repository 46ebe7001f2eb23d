"""What a report says, as a list of blocks that the PDF and the DOCX writer both lay out.

A report is written once, here: chapters, sections, paragraphs, staff's
narrative, tables, figures, the signature. :mod:`skm.reports.pdf` draws
the blocks on A4 pages with fpdf2 and :mod:`skm.reports.word` writes them
as a Word document that offices can put on their letterhead and sign, so
the two files never say different things. Every number is read from the
report data (computed by ``skm.ikm`` and ``scoring``) and printed with
:mod:`skm.formatting`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from questionnaires import Instrument, Unsur
from scoring import IkmResult
from skm.formatting import format_date, format_number
from skm.periode import Periode
from skm.reports.data import CHANNEL_LABELS, ReportData
from skm.reports.narrative import Narrative, Signatory
from skm.results.amounts import format_amount
from skm.results.dashboard import GroupRow

#: At most this many distinct saran are printed; the spreadsheet has all of them.
SARAN_PRINTED = 150

#: Body and table type sizes (points) the writers share.
TABLE_SIZE = 10
SMALL_TABLE_SIZE = 9.5


@dataclass(frozen=True)
class Span:
    """A table cell spanning ``columns`` columns."""

    text: str
    columns: int
    align: str | None = None


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # mm on the A4 page
    align: str = "LEFT"  # LEFT, CENTER, RIGHT


# --- blocks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    title: tuple[str, ...]
    government: str | None
    unit_name: str
    periode_title: str
    note: str | None
    address: str | None
    year: int


@dataclass(frozen=True)
class FrontTitle:
    """A page of the front matter (KATA PENGANTAR)."""

    title: str


@dataclass(frozen=True)
class Contents:
    """DAFTAR ISI: the chapters and sections that follow."""


@dataclass(frozen=True)
class Chapter:
    """ "BAB I / PENDAHULUAN" on a new page (``number`` empty: LAMPIRAN)."""

    number: str
    title: str
    new_page: bool = True


@dataclass(frozen=True)
class Section:
    """A numbered section heading, kept on a page with the ``keep_next`` blocks after it."""

    text: str
    keep_next: int = 0


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Text:
    """Staff-editable text: paragraphs separated by blank lines, list items as lists;
    with ``numbered_lines`` every non-empty line is an item 1., 2., ..."""

    text: str
    numbered_lines: bool = False


@dataclass(frozen=True)
class ListItem:
    marker: str
    text: str


@dataclass(frozen=True)
class Formulas:
    """Formulas, one per line, indented and in italics."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Display:
    """One formula on its own centred line."""

    text: str


@dataclass(frozen=True)
class Table:
    """A numbered table; the last ``total_rows`` rows are totals (bold on a pale fill)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str | None = None
    total_rows: int = 0
    size: float = TABLE_SIZE
    note: str | None = None


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str


@dataclass(frozen=True)
class Signature:
    signatory: Signatory
    day: date


@dataclass(frozen=True)
class Annex:
    """The per-respondent table (one row per respondent, then Σ, NRR, ... and mutu)."""

    title: str
    subtitle: str
    legend: str
    answers: npt.NDArray[np.int8]
    instrument: Instrument
    result: IkmResult


Block = (
    Cover | FrontTitle | Contents | Chapter | Section | Paragraph | Text | ListItem | Formulas
    | Display | Table | Figure | Signature | Annex
)  # fmt: skip


@dataclass
class Content:
    """A report being written: metadata and its blocks in reading order."""

    title: str
    running_title: str
    author: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def chapter(self, number: str, title: str, *, new_page: bool = True) -> None:
        self.add(Chapter(number, title, new_page))

    def section(self, text: str, *, keep_next: int = 0) -> None:
        self.add(Section(text, keep_next))

    def paragraph(self, text: str) -> None:
        self.add(Paragraph(text))

    def text(self, text: str, *, numbered_lines: bool = False) -> None:
        self.add(Text(text, numbered_lines))

    def list_item(self, marker: str, text: str) -> None:
        self.add(ListItem(marker, text))

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        *,
        caption: str | None = None,
        total_rows: int = 0,
        size: float = TABLE_SIZE,
        note: str | None = None,
    ) -> None:
        self.add(
            Table(tuple(columns), tuple(tuple(r) for r in rows), caption, total_rows, size, note)
        )

    def figure(self, png: bytes, caption: str) -> None:
        self.add(Figure(png, caption))


_LIST_ITEM = re.compile(r"^\s*((?:\d{1,2}|[a-z])[.)]|[-•])\s+(.*)$")


def text_parts(text: str, *, numbered_lines: bool = False) -> list[tuple[str | None, str]]:
    """Staff's text as (marker, text) pieces: marker None for a paragraph (its lines
    joined), "1." or "-" for a list item. With ``numbered_lines`` every non-empty line
    is an item numbered 1., 2., ... (the legal bases of the survey)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if numbered_lines:
        items = [line.strip() for line in lines if line.strip()]
        parts: list[tuple[str | None, str]] = []
        for number, item in enumerate(items, start=1):
            match = _LIST_ITEM.match(item)
            parts.append((f"{number}.", match.group(2) if match else item))
        return parts
    parts = []
    paragraph: list[str] = []
    for line in lines:
        match = _LIST_ITEM.match(line)
        if (not line.strip() or match) and paragraph:
            parts.append((None, " ".join(paragraph)))
            paragraph = []
        if match:
            parts.append((match.group(1), match.group(2)))
        elif line.strip():
            paragraph.append(line.strip())
    if paragraph:
        parts.append((None, " ".join(paragraph)))
    return parts


# --- shared wording --------------------------------------------------------------------


def percent(count: int, total: int) -> str:
    return format_number(100 * count / total if total else 0, 2) + "%"


def periode_title(periode: Periode) -> str:
    """ "TRIWULAN III TAHUN 2026" as a cover prints the periode."""
    if periode.kind == "tahun":
        return f"TAHUN {periode.year}"
    if periode.kind in ("triwulan", "semester"):
        name, year = periode.label.rsplit(" ", 1)
        return f"{name.upper()} TAHUN {year}"
    return f"PERIODE {format_date(periode.start).upper()} – {format_date(periode.last_day).upper()}"


def unsur_names(unsur: Sequence[Unsur]) -> str:
    names = [f"{u.code} {u.name}" for u in unsur]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " dan " + names[-1]


REPORT_TITLE = ("LAPORAN PELAKSANAAN", "SURVEI KEPUASAN MASYARAKAT", "(SKM)")


def report_content(data: ReportData, narrative: Narrative) -> Content:
    """The complete quarterly report of ``data``, block by block."""
    doc = Content(
        title=f"Laporan Pelaksanaan SKM {data.unit.name} {data.periode.label}",
        running_title=f"Laporan SKM {data.unit.name} · {data.periode.label}",
        author=data.unit.name,
    )
    day = narrative.report_date or data.produced_at.date()
    doc.add(
        Cover(
            REPORT_TITLE,
            data.unit.government,
            data.unit.name,
            periode_title(data.periode),
            f"Data sampai {format_date(data.produced_at.date())}" if data.periode_running else None,
            data.unit.address,
            day.year,
        )
    )
    doc.add(FrontTitle("KATA PENGANTAR"))
    doc.text(narrative.kata_pengantar)
    doc.add(Signature(narrative.signatory, day))
    doc.add(Contents())
    _bab_i(doc, data, narrative)
    _bab_ii(doc, data, narrative)
    _bab_iii(doc, data)
    _bab_iv(doc, data, narrative)
    _bab_v(doc, data, narrative, day)
    doc.chapter("", "LAMPIRAN")
    legend = "; ".join(f"{u.code} = {u.name}" for u in data.instrument.unsur)
    doc.add(
        Annex(
            "Pengolahan Data SKM per Responden dan per Unsur Pelayanan",
            f"{data.unit.name} · {data.periode.label}",
            f"Keterangan: {legend}. Nilai 1–{data.instrument.scale_max}: nilai persepsi "
            "responden; – : tidak dijawab (tidak dihitung dalam NRR unsur tersebut). Responden "
            "diurutkan menurut waktu pengisian; nomornya sama dengan lembar Tabulasi pada berkas "
            "XLSX.",
            data.answers,
            data.instrument,
            data.result,
        )
    )
    return doc


def _bab_i(doc: Content, data: ReportData, narrative: Narrative) -> None:
    doc.chapter("I", "PENDAHULUAN", new_page=False)
    doc.section("1.1 Latar Belakang")
    doc.text(narrative.latar_belakang)
    doc.section("1.2 Dasar Pelaksanaan")
    doc.paragraph("Survei Kepuasan Masyarakat ini dilaksanakan berdasarkan:")
    doc.text(narrative.dasar_pelaksanaan, numbered_lines=True)
    doc.section("1.3 Maksud dan Tujuan")
    doc.text(narrative.maksud_tujuan)


def _grade_rows(instrument: Instrument) -> list[list[str]]:
    rows = []
    for row in instrument.grade_rows:
        ni = f"{row.ni_lower.replace('.', ',')} – {row.ni_upper.replace('.', ',')}"
        nik = (
            f"{format_number(row.konversi_lower_centi / 100)} – "
            f"{format_number(row.konversi_upper_centi / 100)}"
        )
        rows.append([str(row.persepsi), ni, nik, row.mutu, row.kinerja])
    return rows


def _bab_ii(doc: Content, data: ReportData, narrative: Narrative) -> None:
    doc.chapter("II", "PENGUMPULAN DATA")
    doc.section("2.1 Pelaksana")
    doc.text(narrative.pelaksana)

    doc.section("2.2 Metode Pengumpulan dan Pengolahan Data")
    doc.text(narrative.metode)
    if data.channels:
        _channel_table(doc, data.channels)
    _scoring_method(doc, data.instrument)

    doc.section("2.3 Lokasi Pengumpulan Data")
    doc.text(narrative.lokasi)

    doc.section("2.4 Waktu Pelaksanaan")
    doc.paragraph(_waktu_pelaksanaan(data))

    doc.section("2.5 Penentuan Jumlah Responden")
    _jumlah_responden(doc, data)


def _channel_table(doc: Content, channels: Sequence[tuple[str, int]]) -> None:
    """Respondents by how they filled in the questionnaire (kiosk, web, paper, ...)."""
    total = sum(count for _, count in channels)
    doc.table(
        [Column("No", 10, "CENTER"), Column("Cara pengisian kuesioner", 90),
         Column("Responden", 26, "RIGHT"), Column("Persentase", 26, "RIGHT")],
        [[str(i), CHANNEL_LABELS[key], format_number(count, 0), percent(count, total)]
         for i, (key, count) in enumerate(channels, start=1)]
        + [[Span("Jumlah", 2, "CENTER"), format_number(total, 0), "100,00%"]],
        caption="Responden menurut cara pengisian kuesioner",
        total_rows=1,
    )  # fmt: skip


def _scoring_method(doc: Content, instrument: Instrument) -> None:
    """How the IKM is computed: equal weights 1/n, the formulas and the mutu intervals."""
    n = instrument.n_unsur
    doc.paragraph(
        "Data diolah menurut " + instrument.short_name + ". Nilai rata-rata (NRR) setiap "
        "unsur adalah jumlah nilai jawaban unsur tersebut dibagi jumlah responden yang "
        f"menjawabnya. Setiap unsur berbobot sama, yaitu 1/{n}; bobot dihitung sebagai pecahan "
        f"tepat 1/{n}, bukan dibulatkan menjadi {format_number(1 / n, 3)}. Nilai IKM adalah "
        "jumlah NRR tertimbang:"
    )
    doc.add(
        Formulas(
            (
                "NRR unsur = Σ nilai unsur ÷ jumlah jawaban unsur",
                f"NRR tertimbang = NRR × 1/{n}",
                "IKM = Σ NRR tertimbang (skala 1–4)",
                "Nilai konversi IKM = IKM × 25 (skala 25–100)",
            )
        )
    )
    doc.paragraph(
        "Perhitungan dilakukan dengan ketelitian penuh; nilai konversi dibulatkan satu kali "
        "menjadi dua desimal, lalu mutu pelayanan ditentukan dari nilai yang dibulatkan itu "
        "menurut tabel berikut."
    )
    doc.table(
        [Column("Nilai persepsi", 22, "CENTER"), Column("Nilai interval (NI)", 38, "CENTER"),
         Column("Nilai interval konversi (NIK)", 46, "CENTER"), Column("Mutu", 18, "CENTER"),
         Column("Kinerja unit pelayanan", 38, "CENTER")],
        _grade_rows(instrument),
        caption="Nilai persepsi, interval IKM, interval konversi dan mutu pelayanan",
    )  # fmt: skip


def _waktu_pelaksanaan(data: ReportData) -> str:
    """The days of the periode; for a running periode also the day the numbers stop."""
    periode = data.periode
    text = (
        f"Survei dilaksanakan pada {periode.label}, yaitu tanggal {format_date(periode.start)} "
        f"sampai dengan {format_date(periode.last_day)}, setiap hari kerja pada jam pelayanan."
    )
    if data.periode_running:
        text += (
            f" Laporan ini disusun pada {format_date(data.produced_at.date())}, sebelum periode "
            "berakhir; angka yang disajikan adalah keadaan sampai tanggal tersebut."
        )
    return text


def _jumlah_responden(doc: Content, data: ReportData) -> None:
    """The Krejcie-Morgan minimum, whether the respondents reach it, and the excluded ones."""
    doc.paragraph(
        "Jumlah responden minimal ditentukan dengan rumus Krejcie dan Morgan, yang juga "
        "digunakan dalam " + data.instrument.short_name + ":"
    )
    doc.add(Display("s = X² · N · P (1 − P) ÷ (d² (N − 1) + X² · P (1 − P))"))
    doc.paragraph(
        "dengan s jumlah sampel minimal, N populasi (jumlah penerima layanan dalam periode "
        "survei), X² = 3,841, P = 0,5 dan d = 0,05."
    )
    _sample_adequacy(doc, data)
    if data.excluded:
        doc.paragraph(
            f"Selain itu, {format_number(data.excluded, 0)} isian dikecualikan oleh petugas "
            "karena terindikasi diisi secara otomatis atau asal-asalan; isian tersebut tidak "
            "dihitung."
        )


def _sample_adequacy(doc: Content, data: ReportData) -> None:
    """Populasi, minimum and collected respondents as a table with its conclusion; only
    a sentence while the populasi of the periode is not recorded (nothing to judge by)."""
    board = data.dashboard
    collected = data.result.respondents or 0
    if board.population is None or board.adequacy is None:
        doc.paragraph(
            f"Populasi penerima layanan {data.periode.label} belum dicatat, sehingga kecukupan "
            f"jumlah responden belum dapat dinilai. Responden yang terkumpul sebanyak "
            f"{format_number(collected, 0)} orang."
        )
        return
    adequacy = board.adequacy
    source = "" if board.population.source == "dicatat" else f" ({board.population.source})"
    doc.table(
        [Column("Uraian", 110), Column("Jumlah", 45, "RIGHT")],
        [
            ["Populasi (penerima layanan)" + source,
             format_number(board.population.population, 0) + " orang"],
            ["Sampel minimal (Krejcie dan Morgan)", format_number(adequacy.minimum, 0)
             + " orang"],
            ["Responden yang terkumpul", format_number(collected, 0) + " orang"],
            ["Kesimpulan", adequacy.label],
        ],
        caption="Penentuan jumlah responden",
        total_rows=1,
    )  # fmt: skip
    if adequacy.sufficient:
        doc.paragraph(
            f"Jumlah responden yang terkumpul ({format_number(collected, 0)} orang) telah "
            f"memenuhi jumlah minimal {format_number(adequacy.minimum, 0)} orang, sehingga "
            "jumlah sampel dinyatakan Sesuai."
        )
    else:
        doc.paragraph(
            f"Jumlah responden yang terkumpul ({format_number(collected, 0)} orang) belum "
            f"mencapai jumlah minimal {format_number(adequacy.minimum, 0)} orang (kurang "
            f"{format_number(adequacy.minimum - collected, 0)} orang), sehingga jumlah "
            "sampel dinyatakan Belum Sesuai. Hasil survei perlu dibaca dengan hati-hati."
        )


def _bab_iii(doc: Content, data: ReportData) -> None:
    board = data.dashboard
    doc.chapter("III", "HASIL PENGOLAHAN DATA SURVEI")
    doc.section("3.1 Profil Responden")
    _profil_responden(doc, data)

    doc.section("3.2 Indeks Kepuasan Masyarakat per Unsur Pelayanan", keep_next=2)
    _ikm_per_unsur(doc, data)

    # 3.3 and 3.4 are printed only when there is something to compare, so the
    # per-unit section takes number 3.3 in a report without scored layanan.
    scored_layanan = [row for row in board.layanan_rows if row.respondents]
    if scored_layanan:
        doc.section("3.3 IKM per Jenis Layanan", keep_next=1)
        doc.table(
            _group_columns("Jenis layanan"),
            _group_rows(scored_layanan),
            caption="IKM per jenis layanan",
            note="Jenis layanan dengan nama sama di beberapa unit digabung menjadi satu baris.",
        )
    if board.subunit_rows:
        doc.section(f"3.{4 if scored_layanan else 3} IKM per Unit Layanan", keep_next=1)
        doc.table(
            _group_columns("Unit layanan"),
            _group_rows(board.subunit_rows),
            caption="IKM per unit layanan (unit beserta unit di bawahnya)",
        )


def _profil_responden(doc: Content, data: ReportData) -> None:
    """One table per profile question, then the respondents by layanan."""
    board = data.dashboard
    total = data.result.respondents or 0
    doc.paragraph(
        f"Jumlah responden {data.periode.label} sebanyak {format_number(total, 0)} orang. "
        "Profil responden menurut jenis kelamin, usia, pendidikan, pekerjaan dan jenis "
        "layanan yang diterima disajikan pada tabel-tabel berikut."
    )
    for profile in board.profiles:
        _count_table(
            doc,
            profile.label,
            [(row.label, row.count, format_number(row.percent, 2) + "%") for row in profile.rows],
            profile.total,
            caption=f"Responden menurut {profile.label.lower()}",
        )
    if board.layanan_rows:
        _count_table(
            doc,
            "Jenis layanan",
            [(row.name, row.respondents, percent(row.respondents, total))
             for row in board.layanan_rows],
            total,
            caption="Responden menurut jenis layanan yang diterima",
        )  # fmt: skip


def _count_table(
    doc: Content,
    category: str,
    counts: Sequence[tuple[str, int, str]],
    total: int,
    *,
    caption: str,
) -> None:
    """Respondents by one category: (name, respondents, share) numbered, then the total."""
    rows: list[list[object]] = [
        [str(i), name, format_number(count, 0), share]
        for i, (name, count, share) in enumerate(counts, start=1)
    ]
    rows.append([Span("Jumlah", 2, "CENTER"), format_number(total, 0), "100,00%"])
    doc.table(
        [Column("No", 10, "CENTER"), Column(category, 82),
         Column("Jumlah", 28, "RIGHT"), Column("Persentase", 28, "RIGHT")],
        rows,
        caption=caption,
        total_rows=1,
    )  # fmt: skip


def _ikm_per_unsur(doc: Content, data: ReportData) -> None:
    """The per-unsur table that every other number of the report comes from, and the IKM."""
    doc.paragraph(
        "Hasil pengolahan jawaban responden untuk setiap unsur pelayanan disajikan pada tabel "
        "berikut. Pengolahan per responden terdapat pada lampiran."
    )
    doc.table(
        [Column("No", 10, "CENTER"), Column("Unsur pelayanan", 52),
         Column("Σ nilai", 18, "RIGHT"), Column("Jumlah jawaban", 19, "RIGHT"),
         Column("NRR", 15, "RIGHT"), Column("NRR tertimbang", 20, "RIGHT"),
         Column("Konversi", 18, "RIGHT"), Column("Mutu", 13, "CENTER")],
        _unsur_rows(data),
        caption="Nilai per unsur pelayanan dan IKM unit pelayanan",
        total_rows=1,
        size=SMALL_TABLE_SIZE,
    )  # fmt: skip
    doc.paragraph(_ikm_sentence(data))
    if "unsur" in data.charts:
        doc.figure(data.charts["unsur"], "Nilai konversi per unsur pelayanan")


def _unsur_rows(data: ReportData) -> list[list[object]]:
    """Σ, answers, NRR, weighted NRR, konversi and mutu of each unsur; then the IKM row."""
    result = data.result
    rows: list[list[object]] = [
        [
            u.code,
            u.name,
            format_number(s.sum, 0),
            format_number(s.count, 0),
            format_number(s.nrr, 3),
            format_number(s.nrr_tertimbang, 4),
            format_number(s.konversi, 2),
            s.mutu,
        ]
        for u, s in zip(data.instrument.unsur, result.unsur, strict=True)
    ]
    rows.append(
        [
            Span("IKM = Σ NRR tertimbang; nilai konversi = IKM × 25", 5, "CENTER"),
            format_number(result.ikm, 4),
            format_number(result.konversi, 2),
            result.mutu,
        ]
    )
    return rows


def _ikm_sentence(data: ReportData) -> str:
    """The IKM, its mutu and, when known, the 95% interval and whether it crosses a mutu."""
    result = data.result
    text = (
        f"Nilai IKM {data.unit.name} pada {data.periode.label} adalah "
        f"{format_number(result.ikm, 4)} (skala 1–4) atau {format_number(result.konversi, 2)} "
        f"setelah dikonversi (skala 25–100), sehingga mutu pelayanan {result.mutu} dengan "
        f"kinerja unit pelayanan {result.kinerja}."
    )
    interval = data.dashboard.interval
    if interval is not None:
        text += (
            " Dengan tingkat kepercayaan 95%, nilai konversi sebenarnya berada antara "
            f"{format_number(interval.low)} dan {format_number(interval.high)}."
        )
        if interval.crosses_boundary:
            text += (
                f" Selang ini melewati batas mutu ({interval.mutu_low} sampai "
                f"{interval.mutu_high}), sehingga mutu belum dapat dipastikan; jumlah "
                "responden perlu ditambah pada periode berikutnya."
            )
    return text


def _group_columns(name: str) -> list[Column]:
    """The columns of an IKM per layanan or per unit table; ``name`` heads the second."""
    return [
        Column("No", 10, "CENTER"), Column(name, 86), Column("Responden", 22, "RIGHT"),
        Column("Nilai konversi", 24, "RIGHT"), Column("Mutu", 16, "CENTER"),
    ]  # fmt: skip


def _group_rows(rows: Sequence[GroupRow]) -> list[list[object]]:
    return [
        [
            str(i),
            row.name,
            format_number(row.respondents, 0),
            format_number(row.result.konversi, 2) if row.result else "–",
            row.result.mutu if row.result else "–",
        ]
        for i, row in enumerate(rows, start=1)
    ]


def instrument_change_note(changes: Sequence[tuple[Periode, Instrument]]) -> str:
    """The sentence that says where the trend changes questionnaire, or ""."""
    if not changes:
        return ""
    starts = "; ".join(f"mulai {p.label} dengan {used.short_name}" for p, used in changes)
    return (
        f" Kuesioner yang dipakai berganti ({starts}): nilai setiap periode dihitung dengan "
        "kuesioner dan batas mutunya sendiri, ditampilkan berdampingan dan tidak dirata-ratakan."
    )


def strengths(data: ReportData, count: int = 3) -> list[Unsur]:
    """The unsur with the highest NRR that are not among the priorities, best first."""
    result = data.result
    ranked = sorted(
        data.instrument.unsur, key=lambda u: (-result.unsur[u.position].nrr, u.position)
    )
    return [u for u in ranked if u not in data.dashboard.priorities][:count]


def _describe(data: ReportData, unsur: Sequence[Unsur]) -> str:
    result = data.result
    parts = [
        f"{u.name} ({u.code}, nilai konversi {format_number(result.unsur[u.position].konversi)}, "
        f"mutu {result.unsur[u.position].mutu})"
        for u in unsur
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return "; ".join(parts[:-1]) + "; dan " + parts[-1]


def _bab_iv(doc: Content, data: ReportData, narrative: Narrative) -> None:
    doc.chapter("IV", "ANALISIS")
    doc.section("4.1 Kekuatan dan Kelemahan Unsur Pelayanan")
    _kekuatan_kelemahan(doc, data)
    previous = data.dashboard.previous_result
    if previous is not None:
        _previous_periode_table(doc, data, previous)
        doc.paragraph(_change_sentence(data))
    if narrative.analisis.strip():
        doc.text(narrative.analisis)
    _rencana_tindak_lanjut(doc, data)
    _perkembangan_ikm(doc, data)
    if data.iku.rows or data.iku.ikm is not None:
        doc.section("4.4 Capaian Indikator Kinerja Utama (IKU)")
        _capaian_iku(doc, data)


def _kekuatan_kelemahan(doc: Content, data: ReportData) -> None:
    """The strongest unsur (to keep) and the weakest (the priorities of the rencana)."""
    best = strengths(data)
    if best:
        doc.paragraph(
            f"Unsur pelayanan dengan nilai tertinggi adalah {_describe(data, best)}. Unsur-unsur "
            "ini menjadi kekuatan pelayanan yang perlu dipertahankan."
        )
    priorities = data.dashboard.priorities
    if priorities:
        doc.paragraph(
            f"Unsur pelayanan dengan nilai terendah adalah {_describe(data, priorities)}. "
            "Unsur-unsur ini menjadi prioritas perbaikan dan dituangkan dalam rencana tindak "
            "lanjut."
        )


def _previous_periode_table(doc: Content, data: ReportData, previous: IkmResult) -> None:
    """The konversi of each unsur and of the IKM beside ``previous``, the previous
    periode's result."""
    board = data.dashboard
    rows: list[list[object]] = [
        [
            row.unsur.code,
            row.unsur.name,
            format_number(row.previous.konversi) if row.previous else "–",
            format_number(row.score.konversi),
            _signed(row.change),
        ]
        for row in board.unsur_rows
    ]
    rows.append(
        [
            Span("Nilai konversi IKM", 2, "CENTER"),
            format_number(previous.konversi),
            format_number(data.result.konversi),
            _signed(board.change),
        ]
    )
    doc.table(
        [Column("No", 10, "CENTER"), Column("Unsur pelayanan", 70),
         Column(board.previous_periode.label, 28, "RIGHT"),
         Column(data.periode.label, 28, "RIGHT"), Column("Perubahan", 22, "RIGHT")],
        rows,
        caption=f"Perbandingan nilai konversi dengan {board.previous_periode.label}",
        total_rows=1,
    )  # fmt: skip


def _rencana_tindak_lanjut(doc: Content, data: ReportData) -> None:
    """4.2: staff's rencana as a table; without one, the priorities it should address."""
    if not data.rencana:
        doc.section("4.2 Rencana Tindak Lanjut")
        doc.paragraph(
            f"Rencana tindak lanjut untuk {data.periode.label} belum dicatat. Unsur yang "
            f"menjadi prioritas perbaikan: {unsur_names(data.dashboard.priorities)}."
        )
        return
    doc.section("4.2 Rencana Tindak Lanjut", keep_next=2)
    doc.paragraph(
        "Berdasarkan hasil survei, disusun rencana tindak lanjut perbaikan pelayanan "
        "sebagai berikut."
    )
    doc.table(
        [Column("No", 9, "CENTER"), Column("Prioritas unsur", 38),
         Column("Program/kegiatan", 62), Column("Waktu", 22, "CENTER"),
         Column("Penanggung jawab", 34)],
        [[str(i), f"{r.unsur_code} {r.unsur_name}".strip(), r.program, r.waktu,
          r.penanggung_jawab] for i, r in enumerate(data.rencana, start=1)],
        caption="Rencana tindak lanjut perbaikan pelayanan",
    )  # fmt: skip


def _perkembangan_ikm(doc: Content, data: ReportData) -> None:
    """4.3: the IKM of the last periodes as a table (with the IKU target where one is set,
    and the questionnaire where it changed) and as a chart."""
    board = data.dashboard
    trend = board.trend_shown
    # The targets belong to every periode of the trend; only the shown ones are printed.
    targets = board.targets[len(board.trend) - len(trend) :]
    has_target = any(t is not None for t in targets)
    changes = board.instrument_changes
    rows: list[list[object]] = []
    for (periode, score), target in zip(trend, targets, strict=True):
        row: list[object] = [
            periode.label,
            *([board.instrument_of(periode).short_name] if changes else []),
            format_number(score.respondents or 0, 0) if score else "–",
            format_number(score.ikm, 4) if score else "–",
            format_number(score.konversi) if score else "–",
            score.mutu if score else "–",
            score.kinerja if score else "belum ada data",
        ]
        if has_target:
            row.append(format_number(target) if target is not None else "–")
        rows.append(row)
    doc.section("4.3 Perkembangan Nilai IKM", keep_next=2)
    doc.paragraph(
        "Perkembangan nilai IKM dalam beberapa periode terakhir disajikan pada tabel dan "
        "grafik berikut." + instrument_change_note(changes)
    )
    doc.table(
        _trend_columns(has_target=has_target, questionnaire=bool(changes)),
        rows,
        caption="Nilai IKM beberapa periode terakhir",
    )
    if "tren" in data.charts and len(trend) > 1:
        doc.figure(data.charts["tren"], "Perkembangan nilai konversi IKM")


def _trend_columns(*, has_target: bool, questionnaire: bool) -> list[Column]:
    """The columns of the trend table; the questionnaire column, when the trend changes
    questionnaire, makes the others narrower so that all fit the 165 mm text width."""
    if not questionnaire:
        columns = [Column("Periode", 38), Column("Responden", 22, "RIGHT"),
                   Column("IKM", 19, "RIGHT"), Column("Nilai konversi", 24, "RIGHT"),
                   Column("Mutu", 13, "CENTER"), Column("Kinerja", 27)]  # fmt: skip
        if has_target:
            columns.append(Column("Target IKU", 20, "RIGHT"))
        return columns
    wide = 0 if has_target else 4
    columns = [Column("Periode", 28 + wide), Column("Kuesioner", 24 + 2 * wide),
               Column("Responden", 21, "RIGHT"), Column("IKM", 17, "RIGHT"),
               Column("Nilai konversi", 20, "RIGHT"), Column("Mutu", 13, "CENTER"),
               Column("Kinerja", 24 + wide)]  # fmt: skip
    if has_target:
        columns.append(Column("Target IKU", 18, "RIGHT"))
    return columns


def _capaian_iku(doc: Content, data: ReportData) -> None:
    """4.4: the IKM as an IKU (target, realisasi, capaian) and the unit's other IKU."""
    iku = data.iku
    if iku.ikm is not None:
        text = (
            f"Nilai IKM menjadi salah satu indikator kinerja utama. Target tahun "
            f"{data.periode.last_day.year} adalah {format_number(iku.ikm.target)}, "
            f"sedangkan realisasi {data.periode.label} adalah "
            f"{format_number(iku.ikm.realisasi)}"
        )
        if iku.ikm.capaian is not None:
            text += f", atau capaian {format_number(iku.ikm.capaian)}%"
            if iku.ikm.predikat:
                text += f" (predikat {iku.ikm.predikat})"
        doc.paragraph(text + ".")
    if iku.rows:
        doc.table(
            [Column("No", 8, "CENTER"), Column("Indikator kinerja", 60),
             Column("Satuan", 16, "CENTER"), Column("Target", 18, "RIGHT"),
             Column("Realisasi", 19, "RIGHT"), Column("Capaian", 19, "RIGHT"),
             Column("Predikat", 25, "CENTER")],
            [[str(r.number), r.name, r.satuan, r.target_grade or _amount(r.target, r.method),
              r.realisasi_grade or _amount(r.realisasi, r.method),
              format_number(r.capaian) + "%" if r.capaian is not None else "–",
              r.predikat or "–"] for r in iku.rows],
            caption=f"Realisasi IKU {iku.label}",
            size=SMALL_TABLE_SIZE,
        )  # fmt: skip


def _amount(value: Decimal | None, method: str) -> str:
    """An IKU target or realisation: the IKM konversi with two decimals as everywhere in
    the report, other indicators with the decimals they were written with."""
    if value is None:
        return "–"
    if method == "ikm":
        return format_number(value, 2)
    return format_amount(value)


def _signed(change: float | None) -> str:
    if change is None:
        return "–"
    if change > 0:
        return "+" + format_number(change)
    if change < 0:
        return "−" + format_number(-change)
    return "0,00"


def _change_sentence(data: ReportData, *, name_unsur: bool = True) -> str:
    """How the konversi moved since the previous periode (only called when there is one)."""
    board = data.dashboard
    change = board.change or 0.0
    previous = board.previous_periode.label
    if change > 0:
        text = f"Dibanding {previous}, nilai konversi IKM naik {format_number(change)} poin."
    elif change < 0:
        text = f"Dibanding {previous}, nilai konversi IKM turun {format_number(-change)} poin."
    else:
        text = f"Nilai konversi IKM sama dengan {previous}."
    down = [row for row in board.unsur_rows if row.change is not None and row.change < 0]
    if down and name_unsur:
        names = ", ".join(f"{row.unsur.code} {row.unsur.name}" for row in down)
        text += f" Unsur yang nilainya turun: {names}."
    return text


def conclusions(data: ReportData) -> list[str]:
    """The numbered points of the kesimpulan, written from the numbers."""
    board = data.dashboard
    result = data.result
    points = [
        f"Nilai IKM {data.unit.name} pada {data.periode.label} adalah "
        f"{format_number(result.ikm, 4)} atau nilai konversi {format_number(result.konversi)}, "
        f"dengan mutu pelayanan {result.mutu} dan kinerja unit pelayanan {result.kinerja}."
    ]
    collected = format_number(result.respondents or 0, 0)
    if board.adequacy is not None:
        points.append(
            f"Jumlah responden {collected} orang dari sampel minimal "
            f"{format_number(board.adequacy.minimum, 0)} orang ({board.adequacy.label})."
        )
    else:
        points.append(f"Jumlah responden {collected} orang.")
    best = strengths(data, 1)
    if best and board.priorities:
        points.append(
            f"Unsur dengan nilai tertinggi adalah {_describe(data, best)}; unsur dengan nilai "
            f"terendah adalah {_describe(data, board.priorities)}."
        )
    if board.change is not None:
        points.append(_change_sentence(data, name_unsur=False))
    if data.rencana:
        points.append(
            f"Rencana tindak lanjut disusun dalam {len(data.rencana)} kegiatan untuk unsur "
            "prioritas perbaikan."
        )
    return points


def _bab_v(doc: Content, data: ReportData, narrative: Narrative, day: date) -> None:
    doc.chapter("V", "PENUTUP")
    doc.section("5.1 Kesimpulan")
    for number, point in enumerate(conclusions(data), start=1):
        doc.list_item(f"{number}.", point)
    section = 2
    if narrative.include_saran:
        doc.section(f"5.{section} Saran dan Masukan Masyarakat")
        section += 1
        _saran(doc, data)
    doc.section(f"5.{section} Penutup", keep_next=2)
    doc.text(narrative.penutup)
    doc.add(Signature(narrative.signatory, day))


def _saran(doc: Content, data: ReportData) -> None:
    if not data.saran:
        doc.paragraph("Tidak ada responden yang menuliskan saran atau masukan pada periode ini.")
        return
    total = data.saran_total
    text = (
        f"Sebanyak {format_number(total, 0)} responden menuliskan saran atau masukan "
        f"({format_number(len(data.saran), 0)} isian berbeda). Saran dikutip apa adanya"
    )
    if len(data.saran) > SARAN_PRINTED:
        text += (
            f"; berikut {SARAN_PRINTED} saran yang paling sering ditulis, selengkapnya terdapat "
            "pada berkas tabulasi (XLSX)"
        )
    doc.paragraph(text + ".")
    for number, group in enumerate(data.saran[:SARAN_PRINTED], start=1):
        suffix = f" ({format_number(group.count, 0)} responden)" if group.count > 1 else ""
        doc.list_item(f"{number}.", f"“{group.text}”{suffix}")
