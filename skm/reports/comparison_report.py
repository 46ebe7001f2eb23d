"""The report of a unit with sub-units (kabupaten, instansi): blocks for PDF and DOCX, and XLSX.

Cover; BAB I Pendahuluan; BAB II Metode (how the combined IKM, the sample
check, the weakest unsur, the change and the ranking are obtained); BAB III
Hasil (the ranked sub-units and their weakest unsur, per instrument, with
the dashboard's bar chart); BAB IV Perkembangan (sub-units x the last
periodes); BAB V Penutup with the signature. The words are written once
here, as :mod:`skm.reports.content` blocks; :func:`skm.reports.pdf.render_pdf`
and :func:`skm.reports.word.render_docx` lay them out.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from scoring import IkmResult
from skm.cells import xlsx_cell
from skm.formatting import format_date, format_number
from skm.reports.content import (
    SMALL_TABLE_SIZE,
    Column,
    Content,
    Cover,
    Signature,
    Span,
    periode_title,
)
from skm.reports.narrative import Signatory
from skm.results.charts import ScoreBars, draw, grade_bands
from skm.results.comparison import Comparison, InstrumentComparison, SubunitScore, change_text
from skm.results.subject import GOVERNMENT_KINDS

TITLE = ("LAPORAN REKAPITULASI", "SURVEI KEPUASAN MASYARAKAT", "(SKM)")
COMBINED = "Gabungan (seluruh respons)"
NO_POPULATION = "populasi belum dicatat"


def _kecukupan(row: SubunitScore) -> str:
    if row.own_office:
        return "–"
    if row.adequacy is None:
        return NO_POPULATION
    return row.adequacy.label


def _weakest(row: SubunitScore) -> str:
    return ", ".join(f"{u.code} {u.name}" for u in row.weakest)


def _weakest_score(row: SubunitScore) -> str:
    unsur = row.weakest[0]
    score = row.result.unsur[unsur.position]
    return f"{format_number(score.konversi)} ({score.mutu})"


def _part_label(data: Comparison, part: InstrumentComparison) -> str:
    return f" ({part.instrument.short_name})" if len(data.parts) > 1 else ""


def ranking_rows(part: InstrumentComparison) -> list[list[object]]:
    """Peringkat, unit, responden, sampel minimal, kecukupan, konversi, mutu, perubahan."""
    rows: list[list[object]] = [
        [
            str(row.rank),
            row.name,
            format_number(row.respondents, 0),
            format_number(row.adequacy.minimum, 0) if row.adequacy else "–",
            _kecukupan(row),
            format_number(row.result.konversi),
            row.result.mutu,
            change_text(row.change_centi),
        ]
        for row in part.rows
    ]
    combined = part.combined
    rows.append(
        [
            Span(COMBINED, 2, "CENTER"),
            format_number(combined.respondents or 0, 0),
            format_number(part.adequacy.minimum, 0) if part.adequacy else "–",
            part.adequacy.label if part.adequacy else NO_POPULATION,
            format_number(combined.konversi),
            combined.mutu,
            change_text(part.change_centi),
        ]
    )
    return rows


def comparison_content(data: Comparison, signatory: Signatory, day: date) -> Content:
    """The comparison report of ``data``, block by block."""
    unit = data.unit
    doc = Content(
        title=f"Rekapitulasi SKM {unit.name} {data.periode.label}",
        running_title=f"Rekapitulasi SKM {unit.name} · {data.periode.label}",
        author=unit.name,
    )
    government = unit.name if unit.kind in GOVERNMENT_KINDS else unit.government
    note = None
    if data.produced_at.date() < data.periode.last_day:
        note = f"Data sampai {format_date(data.produced_at.date())}"
    doc.add(
        Cover(TITLE, government, unit.name, periode_title(data.periode), note, unit.address,
              day.year)
    )  # fmt: skip
    count = len(unit.subunits)
    doc.chapter("I", "PENDAHULUAN")
    doc.paragraph(
        f"Laporan ini merekapitulasi hasil Survei Kepuasan Masyarakat (SKM) {data.periode.label} "
        f"pada {count} unit layanan di bawah {unit.name}: {', '.join(unit.subunits)}. Setiap "
        "unit melaksanakan survei dan menyusun laporannya sendiri; rekapitulasi ini "
        "membandingkan hasilnya, menunjukkan unit dan unsur pelayanan yang perlu mendapat "
        "perhatian, dan menyajikan nilai IKM gabungan."
    )
    _method(doc, data)
    doc.chapter("III", "HASIL")
    for number, part in enumerate(data.parts, start=1):
        _results(doc, data, part, number)
    if data.silent:
        doc.paragraph(
            f"Unit yang belum memiliki respons pada {data.periode.label}: {', '.join(data.silent)}."
        )
    doc.chapter("IV", "PERKEMBANGAN")
    for number, part in enumerate(data.parts, start=1):
        _trend(doc, data, part, number)
    doc.chapter("V", "PENUTUP")
    doc.section("5.1 Kesimpulan")
    for number, point in enumerate(conclusions(data), start=1):
        doc.list_item(f"{number}.", point)
    doc.section("5.2 Penutup", keep_next=2)
    doc.paragraph(
        f"Demikian rekapitulasi Survei Kepuasan Masyarakat {unit.name} {data.periode.label} ini "
        "disusun sebagai bahan evaluasi dan pembinaan unit layanan."
    )
    doc.add(Signature(signatory, day))
    return doc


def method_sections(data: Comparison) -> list[tuple[str, str]]:
    """BAB II: (heading, text) of how every number of the comparison is obtained."""
    instruments = " dan ".join(part.instrument.short_name for part in data.parts)
    sections = [
        ("2.1 Nilai IKM per Unit Layanan",
         f"Nilai IKM setiap unit dihitung menurut {instruments} dari seluruh respons unit "
         "tersebut beserta unit di bawahnya: NRR setiap unsur adalah jumlah nilai dibagi jumlah "
         "jawaban yang diisi, IKM adalah jumlah NRR tertimbang (bobot tepat 1/jumlah unsur), "
         "dan nilai konversi adalah IKM × 25, dibulatkan satu kali menjadi dua desimal. Mutu "
         "pelayanan ditentukan dari nilai konversi yang dibulatkan itu."),
        ("2.2 Nilai IKM Gabungan",
         f"Nilai IKM gabungan {data.unit.name} dihitung dari gabungan seluruh respons semua unit "
         "(jumlah nilai dan jumlah jawaban setiap unsur dari semua responden), seolah-olah satu "
         "survei, dan bukan rata-rata nilai IKM unit. Dengan demikian unit dengan responden "
         "lebih banyak berpengaruh lebih besar, sesuai dengan jumlah masyarakat yang "
         "dilayaninya."),
        ("2.3 Kecukupan Jumlah Responden",
         "Jumlah responden setiap unit dibandingkan dengan sampel minimal Krejcie dan Morgan "
         "(X² = 3,841, P = 0,5, d = 0,05) dari populasi penerima layanan yang dicatat unit "
         "tersebut untuk periode ini. Unit yang respondennya kurang dari sampel minimal ditandai "
         "Belum Sesuai; nilainya perlu dibaca dengan hati-hati. Unit yang belum mencatat "
         "populasinya ditandai \u201cpopulasi belum dicatat\u201d."),
        ("2.4 Unsur Terendah, Perubahan dan Peringkat",
         "Unsur terendah adalah unsur dengan NRR terkecil di unit tersebut (lebih dari satu bila "
         "nilainya sama). Perubahan adalah selisih nilai konversi dengan "
         f"{data.previous_periode.label} dalam poin skala 25–100 (naik, turun atau tetap). "
         "Unit diurutkan menurut nilai konversi, tertinggi lebih dahulu; nilai yang sama "
         "mendapat peringkat yang sama."),
    ]  # fmt: skip
    if len(data.parts) > 1:
        sections.append(
            ("2.5 Kuesioner yang Berbeda",
             "Pada periode ini unit-unit menggunakan kuesioner yang berbeda. Nilai dari "
             "kuesioner yang berbeda tidak pernah digabung atau dirata-ratakan; setiap kuesioner "
             "disajikan tersendiri.")
        )  # fmt: skip
    return sections


def _method(doc: Content, data: Comparison) -> None:
    doc.chapter("II", "METODE")
    for heading, text in method_sections(data):
        doc.section(heading)
        doc.paragraph(text)


def _results(doc: Content, data: Comparison, part: InstrumentComparison, number: int) -> None:
    combined = part.combined
    label = _part_label(data, part)
    doc.section(f"3.{2 * number - 1} Peringkat Unit Layanan{label}", keep_next=2)
    doc.paragraph(
        f"Nilai IKM gabungan {data.unit.name} pada {data.periode.label} adalah "
        f"{format_number(combined.ikm, 4)} atau nilai konversi {format_number(combined.konversi)} "
        f"dari {format_number(combined.respondents or 0, 0)} responden, dengan mutu pelayanan "
        f"{combined.mutu} ({combined.kinerja})."
    )
    columns = [
        Column("Peringkat", 19, "CENTER"), Column("Unit layanan", 37),
        Column("Responden", 20, "RIGHT"), Column("Sampel minimal", 17, "RIGHT"),
        Column("Kecukupan sampel", 22, "CENTER"), Column("Nilai konversi", 17, "RIGHT"),
        Column("Mutu", 12, "CENTER"), Column("Perubahan", 21, "CENTER"),
    ]  # fmt: skip
    doc.table(
        columns,
        ranking_rows(part),
        caption=f"Peringkat unit layanan {data.periode.label}{label}",
        total_rows=1,
        size=SMALL_TABLE_SIZE,
        note=f"Perubahan: selisih nilai konversi dengan {data.previous_periode.label}. "
        "Sampel minimal menurut Krejcie dan Morgan dari populasi yang dicatat unit.",
    )
    doc.figure(_chart(data, part), f"Nilai konversi IKM per unit layanan{label}")
    doc.section(f"3.{2 * number} Unsur Terendah per Unit Layanan{label}", keep_next=1)
    doc.table(
        [Column("Peringkat", 19, "CENTER"), Column("Unit layanan", 50),
         Column("Unsur terendah", 70), Column("Nilai unsur", 24, "CENTER")],
        [[str(row.rank), row.name, _weakest(row), _weakest_score(row)] for row in part.rows],
        caption=f"Unsur pelayanan dengan nilai terendah per unit{label}",
        size=SMALL_TABLE_SIZE,
    )  # fmt: skip


def _chart(data: Comparison, part: InstrumentComparison) -> bytes:
    spec = ScoreBars(
        title="IKM per unit layanan",
        subtitle=f"{data.unit.name} · {data.periode.label}",
        labels=(*(row.name for row in part.rows), COMBINED),
        values=(*(row.result.konversi for row in part.rows), part.combined.konversi),
        mutu=(*(row.result.mutu for row in part.rows), part.combined.mutu),
        notes=(
            *(f"{format_number(row.respondents, 0)} responden" for row in part.rows),
            f"{format_number(part.combined.respondents or 0, 0)} responden",
        ),
        emphasis=(*(False for _ in part.rows), True),
        bands=grade_bands(part.instrument),
        axis_label="Nilai konversi IKM",
    )
    return draw(spec, part.instrument)


def trend_rows(data: Comparison, part: InstrumentComparison) -> list[list[object]]:
    """Unit, then "81,30 (B)" per periode; the combined row last."""

    def cell(result: IkmResult | None) -> str:
        return "–" if result is None else f"{format_number(result.konversi)} ({result.mutu})"

    rows: list[list[object]] = [[row.name, *(cell(r) for r in row.trend)] for row in part.rows]
    rows.append([COMBINED, *(cell(r) for r in part.combined_trend)])
    return rows


def _trend(doc: Content, data: Comparison, part: InstrumentComparison, number: int) -> None:
    label = _part_label(data, part)
    width = 108 / len(data.periodes)
    columns = [Column("Unit layanan", 57)] + [
        Column(p.label, width, "CENTER") for p in data.periodes
    ]
    doc.section(f"4.{number} Nilai Konversi IKM per Periode{label}", keep_next=2)
    doc.paragraph(
        "Nilai konversi dan mutu setiap unit pada beberapa periode terakhir; tanda – berarti "
        "unit belum memiliki respons pada periode itu."
    )
    doc.table(
        columns,
        trend_rows(data, part),
        caption=f"Perkembangan nilai konversi IKM per unit{label}",
        total_rows=1,
        size=SMALL_TABLE_SIZE,
    )


def conclusions(data: Comparison) -> list[str]:
    """The kesimpulan, written from the numbers."""
    points = []
    for part in data.parts:
        label = _part_label(data, part)
        combined = part.combined
        best, worst = part.rows[0], part.rows[-1]
        points.append(
            f"Nilai konversi IKM gabungan{label} {format_number(combined.konversi)} "
            f"(mutu {combined.mutu}, {combined.kinerja}), {change_text(part.change_centi)} "
            f"dibanding {data.previous_periode.label}."
            if part.change_centi is not None
            else f"Nilai konversi IKM gabungan{label} {format_number(combined.konversi)} "
            f"(mutu {combined.mutu}, {combined.kinerja})."
        )
        if len(part.rows) > 1:
            points.append(
                f"Nilai tertinggi dicapai {best.name} ({format_number(best.result.konversi)}, "
                f"mutu {best.result.mutu}); nilai terendah {worst.name} "
                f"({format_number(worst.result.konversi)}, mutu {worst.result.mutu})."
            )
        few = [row.name for row in part.rows if row.too_few]
        if few:
            points.append(
                f"Jumlah responden belum memenuhi sampel minimal di {len(few)} unit: "
                f"{', '.join(few)}."
            )
        down = [row.name for row in part.rows if (row.change_centi or 0) < 0]
        if down:
            points.append(f"Nilai turun dibanding periode sebelumnya di: {', '.join(down)}.")
    return points


# --- XLSX ------------------------------------------------------------------------------

BOLD = Font(bold=True)
HEADER = PatternFill("solid", fgColor="DDE6F1")
WRAP = Alignment(wrap_text=True, vertical="top")


def generate_comparison_xlsx(data: Comparison) -> bytes:
    """Sheets Peringkat (one per instrument when several were used), Tren and Metode."""
    workbook = Workbook(write_only=True)
    for part in data.parts:
        suffix = f" {part.instrument.key}"[:12] if len(data.parts) > 1 else ""
        _ranking_sheet(workbook.create_sheet(f"Peringkat{suffix}"[:31]), data, part)
    for part in data.parts:
        suffix = f" {part.instrument.key}"[:12] if len(data.parts) > 1 else ""
        _trend_sheet(workbook.create_sheet(f"Tren{suffix}"[:31]), data, part)
    sheet = workbook.create_sheet("Metode")
    sheet.column_dimensions["A"].width = 120
    for heading, text in method_sections(data):
        sheet.append([xlsx_cell(sheet, heading, font=BOLD)])
        sheet.append([xlsx_cell(sheet, text, alignment=WRAP)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ranking_sheet(sheet: Any, data: Comparison, part: InstrumentComparison) -> None:
    headers = ["Peringkat", "Unit layanan", "Responden", "Populasi", "Sampel minimal",
               "Kecukupan sampel", "IKM (1–4)", "Nilai konversi", "Mutu", "Kinerja",
               f"Nilai konversi {data.previous_periode.label}", "Perubahan (poin)",
               "Perubahan", "Unsur terendah", "Nilai unsur terendah"]  # fmt: skip
    for letter, width in zip("ABCDEFGHIJKLMNO", (10, 36, 11, 11, 11, 18, 10, 12, 7, 12, 16, 12,
                                                 12, 44, 12), strict=True):  # fmt: skip
        sheet.column_dimensions[letter].width = width
    title = f"Rekapitulasi SKM {data.unit.name} {data.periode.label} ({part.instrument.short_name})"
    sheet.append([xlsx_cell(sheet, title, font=BOLD)])
    sheet.append([])
    sheet.append([xlsx_cell(sheet, h, font=BOLD, fill=HEADER) for h in headers])
    for row in part.rows:
        weakest = row.result.unsur[row.weakest[0].position]
        sheet.append(
            [
                row.rank,
                xlsx_cell(sheet, row.name),
                row.respondents,
                row.population.population if row.population else None,
                row.adequacy.minimum if row.adequacy else None,
                _kecukupan(row),
                xlsx_cell(sheet, round(row.result.ikm, 4), "0.0000"),
                xlsx_cell(sheet, row.result.konversi_centi / 100, "0.00"),
                row.result.mutu,
                row.result.kinerja,
                xlsx_cell(sheet, row.previous.konversi_centi / 100, "0.00")
                if row.previous
                else None,
                xlsx_cell(sheet, row.change_centi / 100, "+0.00;-0.00;0.00")
                if row.change_centi is not None
                else None,
                change_text(row.change_centi),
                _weakest(row),
                xlsx_cell(sheet, weakest.konversi, "0.00"),
            ]
        )
    combined = part.combined
    sheet.append(
        [
            None,
            xlsx_cell(sheet, COMBINED, font=BOLD),
            combined.respondents,
            part.population.population if part.population else None,
            part.adequacy.minimum if part.adequacy else None,
            part.adequacy.label if part.adequacy else NO_POPULATION,
            xlsx_cell(sheet, round(combined.ikm, 4), "0.0000"),
            xlsx_cell(sheet, combined.konversi_centi / 100, "0.00", font=BOLD),
            combined.mutu,
            combined.kinerja,
            xlsx_cell(sheet, part.previous_combined.konversi_centi / 100, "0.00")
            if part.previous_combined
            else None,
            xlsx_cell(sheet, part.change_centi / 100, "+0.00;-0.00;0.00")
            if part.change_centi is not None
            else None,
            change_text(part.change_centi),
        ]
    )
    sheet.append([])
    sheet.append(
        [
            xlsx_cell(
                sheet,
                "IKM gabungan dihitung dari gabungan seluruh respons semua unit, bukan "
                "rata-rata IKM unit.",
            )
        ]
    )


def _trend_sheet(sheet: Any, data: Comparison, part: InstrumentComparison) -> None:
    sheet.column_dimensions["A"].width = 36
    headers = ["Unit layanan"]
    for p in data.periodes:
        headers += [f"{p.label} konversi", f"{p.label} mutu"]
    sheet.append([xlsx_cell(sheet, h, font=BOLD, fill=HEADER) for h in headers])
    lines = [(row.name, row.trend) for row in part.rows]
    lines.append((COMBINED, part.combined_trend))
    for name, trend in lines:
        cells: list[object] = [xlsx_cell(sheet, name)]
        for result in trend:
            if result is None:
                cells += [None, None]
            else:
                cells += [xlsx_cell(sheet, result.konversi_centi / 100, "0.00"), result.mutu]
        sheet.append(cells)
