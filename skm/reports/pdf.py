"""The SKM report as PDF, in the structure of the KemenPANRB template.

Cover; kata pengantar; daftar isi; BAB I Pendahuluan; BAB II Pengumpulan
Data; BAB III Hasil Pengolahan Data; BAB IV Analisis; BAB V Penutup with
the signature; the annex "Pengolahan data SKM per responden dan per unsur
pelayanan". :func:`generate_pdf` is pure: report data and narrative in,
bytes out. Every number is read from the report data (computed by
``skm.ikm`` and ``scoring``) and printed with :mod:`skm.formatting`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from questionnaires import Instrument, Unsur
from skm.formatting import format_date, format_number
from skm.iku.numbers import format_amount
from skm.periode import Periode
from skm.reports.annex import draw_annex
from skm.reports.data import CHANNEL_LABELS, ReportData
from skm.reports.layout import (
    LINE,
    MARGIN_LEFT,
    MUTED,
    SERIF,
    SIGNATURE_HEIGHT,
    TEXT_WIDTH,
    Column,
    ReportDocument,
    Span,
    printable,
    render_toc,
)
from skm.reports.narrative import Narrative
from skm.staff.dashboard import GroupRow

#: At most this many distinct saran are printed; the spreadsheet has all of them.
SARAN_PRINTED = 150


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


def generate_pdf(data: ReportData, narrative: Narrative) -> bytes:
    """The complete report of ``data`` as a PDF document."""
    pdf = ReportDocument(f"Laporan SKM {data.unit.name} · {data.periode.label}")
    pdf.set_title(f"Laporan Pelaksanaan SKM {data.unit.name} {data.periode.label}")
    pdf.set_author(data.unit.name)
    pdf.set_subject("Survei Kepuasan Masyarakat")
    day = narrative.report_date or data.produced_at.date()
    _cover(pdf, data, day)
    pdf.front_title("KATA PENGANTAR")
    pdf.narrative(narrative.kata_pengantar)
    pdf.signature(narrative.signatory, day)
    pdf.add_page()
    pdf.insert_toc_placeholder(render_toc, pages=1)  # leaves a fresh page for BAB I
    _bab_i(pdf, data, narrative)
    _bab_ii(pdf, data, narrative)
    _bab_iii(pdf, data)
    _bab_iv(pdf, data, narrative)
    _bab_v(pdf, data, narrative, day)
    _annex(pdf, data)
    return bytes(pdf.output())


def _cover(pdf: ReportDocument, data: ReportData, day: date) -> None:
    pdf.add_page()
    pdf.set_y(38)
    pdf.set_font(SERIF, "B", 14)
    if data.unit.government:
        pdf.cell(0, 7, printable(f"PEMERINTAH {data.unit.government.upper()}"), align="C",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_y(78)
    pdf.set_font(SERIF, "B", 20)
    for line in ("LAPORAN PELAKSANAAN", "SURVEI KEPUASAN MASYARAKAT", "(SKM)"):
        pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN_LEFT + 30, pdf.get_y(), MARGIN_LEFT + TEXT_WIDTH - 30, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(10)
    pdf.set_font(SERIF, "B", 17)
    pdf.multi_cell(0, 9, printable(data.unit.name.upper()), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(SERIF, "", 15)
    pdf.multi_cell(0, 8, periode_title(data.periode), align="C", new_x="LMARGIN", new_y="NEXT")
    if data.periode_running:
        pdf.ln(2)
        pdf.set_font(SERIF, "I", 11)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 6, f"Data sampai {format_date(data.produced_at.date())}", align="C",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        pdf.set_text_color(0, 0, 0)
    pdf.set_y(232)
    pdf.set_font(SERIF, "B", 14)
    pdf.multi_cell(0, 7, printable(data.unit.name.upper()), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(SERIF, "", 12)
    if data.unit.address:
        pdf.multi_cell(0, 6, printable(data.unit.address), align="C",
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.cell(0, 6, str(day.year), align="C", new_x="LMARGIN", new_y="NEXT")


def _bab_i(pdf: ReportDocument, data: ReportData, narrative: Narrative) -> None:
    pdf.chapter_title("I", "PENDAHULUAN", new_page=False)
    pdf.section_title("1.1 Latar Belakang")
    pdf.narrative(narrative.latar_belakang)
    pdf.section_title("1.2 Dasar Pelaksanaan")
    pdf.paragraph("Survei Kepuasan Masyarakat ini dilaksanakan berdasarkan:")
    pdf.narrative(narrative.dasar_pelaksanaan, numbered_lines=True)
    pdf.section_title("1.3 Maksud dan Tujuan")
    pdf.narrative(narrative.maksud_tujuan)


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


def _bab_ii(pdf: ReportDocument, data: ReportData, narrative: Narrative) -> None:
    instrument = data.instrument
    result = data.result
    n = instrument.n_unsur
    pdf.chapter_title("II", "PENGUMPULAN DATA")
    pdf.section_title("2.1 Pelaksana")
    pdf.narrative(narrative.pelaksana)

    pdf.section_title("2.2 Metode Pengumpulan dan Pengolahan Data")
    pdf.narrative(narrative.metode)
    if data.channels:
        total = sum(count for _, count in data.channels)
        pdf.data_table(
            [Column("No", 10, "CENTER"), Column("Cara pengisian kuesioner", 90),
             Column("Responden", 26, "RIGHT"), Column("Persentase", 26, "RIGHT")],
            [[str(i), CHANNEL_LABELS[key], format_number(count, 0), percent(count, total)]
             for i, (key, count) in enumerate(data.channels, start=1)]
            + [[Span("Jumlah", 2, "CENTER"), format_number(total, 0), "100,00%"]],
            caption="Responden menurut cara pengisian kuesioner",
            total_rows=1,
        )  # fmt: skip
    pdf.paragraph(
        "Data diolah menurut " + instrument.short_name + ". Nilai rata-rata (NRR) setiap "
        "unsur adalah jumlah nilai jawaban unsur tersebut dibagi jumlah responden yang "
        f"menjawabnya. Setiap unsur berbobot sama, yaitu 1/{n}; bobot dihitung sebagai pecahan "
        f"tepat 1/{n}, bukan dibulatkan menjadi {format_number(1 / n, 3)}. Nilai IKM adalah "
        "jumlah NRR tertimbang:"
    )
    pdf.set_font(SERIF, "I", 12)
    for formula in (
        "NRR unsur = Σ nilai unsur ÷ jumlah jawaban unsur",
        f"NRR tertimbang = NRR × 1/{n}",
        "IKM = Σ NRR tertimbang (skala 1–4)",
        "Nilai konversi IKM = IKM × 25 (skala 25–100)",
    ):
        pdf.set_x(MARGIN_LEFT + 12)
        pdf.cell(0, LINE, formula, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.paragraph(
        "Perhitungan dilakukan dengan ketelitian penuh; nilai konversi dibulatkan satu kali "
        "menjadi dua desimal, lalu mutu pelayanan ditentukan dari nilai yang dibulatkan itu "
        "menurut tabel berikut."
    )
    pdf.data_table(
        [Column("Nilai persepsi", 22, "CENTER"), Column("Nilai interval (NI)", 38, "CENTER"),
         Column("Nilai interval konversi (NIK)", 46, "CENTER"), Column("Mutu", 18, "CENTER"),
         Column("Kinerja unit pelayanan", 38, "CENTER")],
        _grade_rows(instrument),
        caption="Nilai persepsi, interval IKM, interval konversi dan mutu pelayanan",
    )  # fmt: skip

    pdf.section_title("2.3 Lokasi Pengumpulan Data")
    pdf.narrative(narrative.lokasi)

    pdf.section_title("2.4 Waktu Pelaksanaan")
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
    pdf.paragraph(text)

    pdf.section_title("2.5 Penentuan Jumlah Responden")
    pdf.paragraph(
        "Jumlah responden minimal ditentukan dengan rumus Krejcie dan Morgan, yang juga "
        "digunakan dalam " + data.instrument.short_name + ":"
    )
    pdf.display("s = X² · N · P (1 − P) ÷ (d² (N − 1) + X² · P (1 − P))")
    pdf.paragraph(
        "dengan s jumlah sampel minimal, N populasi (jumlah penerima layanan dalam periode "
        "survei), X² = 3,841, P = 0,5 dan d = 0,05."
    )
    board = data.dashboard
    collected = result.respondents or 0
    if board.population is not None and board.adequacy is not None:
        adequacy = board.adequacy
        source = "" if board.population.source == "dicatat" else f" ({board.population.source})"
        pdf.data_table(
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
            pdf.paragraph(
                f"Jumlah responden yang terkumpul ({format_number(collected, 0)} orang) telah "
                f"memenuhi jumlah minimal {format_number(adequacy.minimum, 0)} orang, sehingga "
                "jumlah sampel dinyatakan Sesuai."
            )
        else:
            pdf.paragraph(
                f"Jumlah responden yang terkumpul ({format_number(collected, 0)} orang) belum "
                f"mencapai jumlah minimal {format_number(adequacy.minimum, 0)} orang (kurang "
                f"{format_number(adequacy.minimum - collected, 0)} orang), sehingga jumlah "
                "sampel dinyatakan Belum Sesuai. Hasil survei perlu dibaca dengan hati-hati."
            )
    else:
        pdf.paragraph(
            f"Populasi penerima layanan {periode.label} belum dicatat, sehingga kecukupan "
            f"jumlah responden belum dapat dinilai. Responden yang terkumpul sebanyak "
            f"{format_number(collected, 0)} orang."
        )
    if data.excluded:
        pdf.paragraph(
            f"Selain itu, {format_number(data.excluded, 0)} isian dikecualikan oleh petugas "
            "karena terindikasi diisi secara otomatis atau asal-asalan; isian tersebut tidak "
            "dihitung."
        )


def _bab_iii(pdf: ReportDocument, data: ReportData) -> None:
    board = data.dashboard
    result = data.result
    total = result.respondents or 0
    pdf.chapter_title("III", "HASIL PENGOLAHAN DATA SURVEI")
    pdf.section_title("3.1 Profil Responden")
    pdf.paragraph(
        f"Jumlah responden {data.periode.label} sebanyak {format_number(total, 0)} orang. "
        "Profil responden menurut jenis kelamin, usia, pendidikan, pekerjaan dan jenis "
        "layanan yang diterima disajikan pada tabel-tabel berikut."
    )
    columns = [
        Column("No", 10, "CENTER"),
        Column("Kategori", 82),
        Column("Jumlah", 28, "RIGHT"),
        Column("Persentase", 28, "RIGHT"),
    ]
    for profile in board.profiles:
        rows: list[list[object]] = [
            [str(i), row.label, format_number(row.count, 0), format_number(row.percent, 2) + "%"]
            for i, row in enumerate(profile.rows, start=1)
        ]
        rows.append([Span("Jumlah", 2, "CENTER"), format_number(profile.total, 0), "100,00%"])
        pdf.data_table(
            [columns[0], Column(profile.label, 82), *columns[2:]],
            rows,
            caption=f"Responden menurut {profile.label.lower()}",
            total_rows=1,
        )
    if board.layanan_rows:
        rows = [
            [str(i), row.name, format_number(row.respondents, 0), percent(row.respondents, total)]
            for i, row in enumerate(board.layanan_rows, start=1)
        ]
        rows.append([Span("Jumlah", 2, "CENTER"), format_number(total, 0), "100,00%"])
        pdf.data_table(
            [columns[0], Column("Jenis layanan", 82), *columns[2:]],
            rows,
            caption="Responden menurut jenis layanan yang diterima",
            total_rows=1,
        )

    rows = [
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
    columns = [
        Column("No", 10, "CENTER"), Column("Unsur pelayanan", 52),
        Column("Σ nilai", 18, "RIGHT"), Column("Jumlah jawaban", 19, "RIGHT"),
        Column("NRR", 15, "RIGHT"), Column("NRR tertimbang", 20, "RIGHT"),
        Column("Konversi", 18, "RIGHT"), Column("Mutu", 13, "CENTER"),
    ]  # fmt: skip
    pdf.section_title(
        "3.2 Indeks Kepuasan Masyarakat per Unsur Pelayanan",
        keep=LINE * 2 + pdf.table_height(columns, rows, size=9.5),
    )
    pdf.paragraph(
        "Hasil pengolahan jawaban responden untuk setiap unsur pelayanan disajikan pada tabel "
        "berikut. Pengolahan per responden terdapat pada lampiran."
    )
    pdf.data_table(
        columns,
        rows,
        caption="Nilai per unsur pelayanan dan IKM unit pelayanan",
        total_rows=1,
        size=9.5,
    )
    text = (
        f"Nilai IKM {data.unit.name} pada {data.periode.label} adalah "
        f"{format_number(result.ikm, 4)} (skala 1–4) atau {format_number(result.konversi, 2)} "
        f"setelah dikonversi (skala 25–100), sehingga mutu pelayanan {result.mutu} dengan "
        f"kinerja unit pelayanan {result.kinerja}."
    )
    interval = board.interval
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
    pdf.paragraph(text)
    if "unsur" in data.charts:
        pdf.figure(data.charts["unsur"], "Nilai konversi per unsur pelayanan")

    scored_layanan = [row for row in board.layanan_rows if row.respondents]
    group_columns = [
        Column("No", 10, "CENTER"), Column("Jenis layanan", 86), Column("Responden", 22, "RIGHT"),
        Column("Nilai konversi", 24, "RIGHT"), Column("Mutu", 16, "CENTER"),
    ]  # fmt: skip
    if scored_layanan:
        rows = _group_rows(scored_layanan)
        pdf.section_title("3.3 IKM per Jenis Layanan", keep=pdf.table_height(group_columns, rows))
        pdf.data_table(
            group_columns,
            rows,
            caption="IKM per jenis layanan",
            note="Jenis layanan dengan nama sama di beberapa unit digabung menjadi satu baris.",
        )
    if board.subunit_rows:
        columns = [group_columns[0], Column("Unit layanan", 86), *group_columns[2:]]
        rows = _group_rows(board.subunit_rows)
        pdf.section_title(
            f"3.{4 if scored_layanan else 3} IKM per Unit Layanan",
            keep=pdf.table_height(columns, rows),
        )
        pdf.data_table(
            columns, rows, caption="IKM per unit layanan (unit beserta unit di bawahnya)"
        )


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


def _bab_iv(pdf: ReportDocument, data: ReportData, narrative: Narrative) -> None:
    board = data.dashboard
    result = data.result
    pdf.chapter_title("IV", "ANALISIS")
    pdf.section_title("4.1 Kekuatan dan Kelemahan Unsur Pelayanan")
    best = strengths(data)
    if best:
        pdf.paragraph(
            f"Unsur pelayanan dengan nilai tertinggi adalah {_describe(data, best)}. Unsur-unsur "
            "ini menjadi kekuatan pelayanan yang perlu dipertahankan."
        )
    if board.priorities:
        pdf.paragraph(
            f"Unsur pelayanan dengan nilai terendah adalah {_describe(data, board.priorities)}. "
            "Unsur-unsur ini menjadi prioritas perbaikan dan dituangkan dalam rencana tindak "
            "lanjut."
        )
    if board.previous_result is not None:
        previous = board.previous_result
        rows = []
        for row in board.unsur_rows:
            change = row.change
            rows.append(
                [
                    row.unsur.code,
                    row.unsur.name,
                    format_number(row.previous.konversi) if row.previous else "–",
                    format_number(row.score.konversi),
                    _signed(change),
                ]
            )
        rows.append(
            [
                Span("Nilai konversi IKM", 2, "CENTER"),
                format_number(previous.konversi),
                format_number(result.konversi),
                _signed(board.change),
            ]
        )
        pdf.data_table(
            [Column("No", 10, "CENTER"), Column("Unsur pelayanan", 70),
             Column(board.previous_periode.label, 28, "RIGHT"),
             Column(data.periode.label, 28, "RIGHT"), Column("Perubahan", 22, "RIGHT")],
            rows,
            caption=f"Perbandingan nilai konversi dengan {board.previous_periode.label}",
            total_rows=1,
        )  # fmt: skip
        pdf.paragraph(_change_sentence(data))
    if narrative.analisis.strip():
        pdf.narrative(narrative.analisis)

    if data.rencana:
        columns = [
            Column("No", 9, "CENTER"), Column("Prioritas unsur", 38),
            Column("Program/kegiatan", 62), Column("Waktu", 22, "CENTER"),
            Column("Penanggung jawab", 34),
        ]  # fmt: skip
        rows = [
            [str(i), f"{r.unsur_code} {r.unsur_name}".strip(), r.program, r.waktu,
             r.penanggung_jawab] for i, r in enumerate(data.rencana, start=1)
        ]  # fmt: skip
        pdf.section_title(
            "4.2 Rencana Tindak Lanjut", keep=LINE * 2 + pdf.table_height(columns, rows)
        )
        pdf.paragraph(
            "Berdasarkan hasil survei, disusun rencana tindak lanjut perbaikan pelayanan "
            "sebagai berikut."
        )
        pdf.data_table(columns, rows, caption="Rencana tindak lanjut perbaikan pelayanan")
    else:
        pdf.section_title("4.2 Rencana Tindak Lanjut")
        pdf.paragraph(
            f"Rencana tindak lanjut untuk {data.periode.label} belum dicatat. Unsur yang "
            f"menjadi prioritas perbaikan: {unsur_names(board.priorities)}."
        )

    trend = board.trend_shown
    targets = board.targets[len(board.trend) - len(trend) :]
    has_target = any(t is not None for t in targets)
    columns = [Column("Periode", 38), Column("Responden", 22, "RIGHT"),
               Column("IKM", 19, "RIGHT"), Column("Nilai konversi", 24, "RIGHT"),
               Column("Mutu", 13, "CENTER"), Column("Kinerja", 27)]  # fmt: skip
    if has_target:
        columns.append(Column("Target IKU", 20, "RIGHT"))
    changes = board.instrument_changes
    if changes:  # one more column, the others narrower: 165 mm, the text width
        wide = 0 if has_target else 4
        columns = [Column("Periode", 28 + wide), Column("Kuesioner", 24 + 2 * wide),
                   Column("Responden", 21, "RIGHT"), Column("IKM", 17, "RIGHT"),
                   Column("Nilai konversi", 20, "RIGHT"), Column("Mutu", 13, "CENTER"),
                   Column("Kinerja", 24 + wide)]  # fmt: skip
        if has_target:
            columns.append(Column("Target IKU", 18, "RIGHT"))
    rows = []
    for (periode, score), target in zip(trend, targets, strict=True):
        row = [
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
    pdf.section_title("4.3 Perkembangan Nilai IKM", keep=LINE * 2 + pdf.table_height(columns, rows))
    pdf.paragraph(
        "Perkembangan nilai IKM dalam beberapa periode terakhir disajikan pada tabel dan "
        "grafik berikut." + instrument_change_note(changes)
    )
    pdf.data_table(columns, rows, caption="Nilai IKM beberapa periode terakhir")
    if "tren" in data.charts and len(trend) > 1:
        pdf.figure(data.charts["tren"], "Perkembangan nilai konversi IKM")

    iku = data.iku
    if iku.rows or iku.ikm is not None:
        pdf.section_title("4.4 Capaian Indikator Kinerja Utama (IKU)")
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
            pdf.paragraph(text + ".")
        if iku.rows:
            pdf.data_table(
                [Column("No", 8, "CENTER"), Column("Indikator kinerja", 60),
                 Column("Satuan", 16, "CENTER"), Column("Target", 18, "RIGHT"),
                 Column("Realisasi", 19, "RIGHT"), Column("Capaian", 19, "RIGHT"),
                 Column("Predikat", 25, "CENTER")],
                [[str(r.number), r.name, r.satuan, r.target_grade or _amount(r.target, r.method),
                  r.realisasi_grade or _amount(r.realisasi, r.method),
                  format_number(r.capaian) + "%" if r.capaian is not None else "–",
                  r.predikat or "–"] for r in iku.rows],
                caption=f"Realisasi IKU {iku.label}",
                size=9.5,
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


def _bab_v(pdf: ReportDocument, data: ReportData, narrative: Narrative, day: date) -> None:
    pdf.chapter_title("V", "PENUTUP")
    pdf.section_title("5.1 Kesimpulan")
    for number, point in enumerate(conclusions(data), start=1):
        pdf.list_item(f"{number}.", point)
    pdf.ln(1)
    section = 2
    if narrative.include_saran:
        pdf.section_title(f"5.{section} Saran dan Masukan Masyarakat")
        section += 1
        _saran(pdf, data)
    pdf.ensure_space(14 + pdf.text_height(narrative.penutup) + SIGNATURE_HEIGHT)
    pdf.section_title(f"5.{section} Penutup")
    pdf.narrative(narrative.penutup)
    pdf.signature(narrative.signatory, day)


def _saran(pdf: ReportDocument, data: ReportData) -> None:
    if not data.saran:
        pdf.paragraph("Tidak ada responden yang menuliskan saran atau masukan pada periode ini.")
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
    pdf.paragraph(text + ".")
    for number, group in enumerate(data.saran[:SARAN_PRINTED], start=1):
        suffix = f" ({format_number(group.count, 0)} responden)" if group.count > 1 else ""
        pdf.list_item(f"{number}.", f"“{group.text}”{suffix}")


def _annex(pdf: ReportDocument, data: ReportData) -> None:
    pdf.chapter_title("", "LAMPIRAN")
    pdf.set_font(SERIF, "B", 12)
    pdf.multi_cell(0, LINE, "Pengolahan Data SKM per Responden dan per Unsur Pelayanan",
                   align="C", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(SERIF, "", 10)
    pdf.multi_cell(0, 5, printable(f"{data.unit.name} · {data.periode.label}"), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(3)
    legend = "; ".join(f"{u.code} = {u.name}" for u in data.instrument.unsur)
    pdf.set_font(SERIF, "", 9.5)
    pdf.multi_cell(
        0, 4.6,
        printable(
            f"Keterangan: {legend}. Nilai 1–{data.instrument.scale_max}: nilai persepsi "
            "responden; – : tidak dijawab (tidak dihitung dalam NRR unsur tersebut). Responden "
            "diurutkan menurut waktu pengisian; nomornya sama dengan lembar Tabulasi pada berkas "
            "XLSX."
        ),
        align="J", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.ln(3)
    draw_annex(pdf, data.answers, data.instrument, data.result)
