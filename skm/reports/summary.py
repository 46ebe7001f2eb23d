"""The one-page summary for the public notice board.

The regulation asks offices to publish their results; this page is what
hangs next to the counter: the IKM and its mutu in large type, the
respondents, the per-unsur bars (the dashboard's own chart) and what the
office will improve (its rencana tindak lanjut, or the weakest unsur
while none is recorded). Everything fits one A4 page: the chart shrinks
and long plans are shortened to make room, never the other way round.
"""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from skm.formatting import format_date, format_number
from skm.reports.data import ReportData
from skm.reports.layout import (
    INK,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_TOP,
    MUTED,
    SERIF,
    TEXT_WIDTH,
    ReportDocument,
    printable,
)
from skm.reports.narrative import Narrative
from skm.results.charts import MUTU_COLOURS

#: Improvements listed at most; more would crowd the chart off the page.
MAX_ITEMS = 5
PROGRAM_CHARS = 120


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def improvements(data: ReportData) -> list[tuple[str, str]]:
    """(unsur, what will be done) lines for the notice: the RTL, else the priorities."""
    items = []
    for row in data.rencana[:MAX_ITEMS]:
        program = " ".join(row.program.split())
        if len(program) > PROGRAM_CHARS:
            program = program[: PROGRAM_CHARS - 1].rstrip() + "…"
        items.append((f"{row.unsur_code} {row.unsur_name}".strip(), f"{program} ({row.waktu})"))
    if not items:
        for unsur in data.dashboard.priorities[:MAX_ITEMS]:
            score = data.result.unsur[unsur.position]
            items.append(
                (
                    f"{unsur.code} {unsur.name}",
                    f"nilai {format_number(score.konversi)} (mutu {score.mutu}); rencana "
                    "perbaikan sedang disusun.",
                )
            )
    return items


def generate_summary_pdf(data: ReportData, narrative: Narrative) -> bytes:
    """The notice-board page of ``data`` as a one-page PDF."""
    pdf = ReportDocument(numbered=False)
    pdf.set_title(f"Hasil SKM {data.unit.name} {data.periode.label}")
    pdf.set_author(data.unit.name)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    day = narrative.report_date or data.produced_at.date()
    _heading(pdf, data)
    _score_box(pdf, data)
    items = improvements(data)
    footer_height = 16.0
    list_height = _list_height(pdf, items, len(data.rencana) > len(items))
    png = data.charts.get("unsur")
    if png is not None:
        # The chart takes what the list and the footer leave of the page (one page only).
        room = pdf.h - MARGIN_BOTTOM - footer_height - list_height - pdf.get_y() - 4
        _unsur_chart(pdf, png, room)
    _improvements(pdf, data, items)
    _footer(pdf, data, narrative, day, footer_height)
    return bytes(pdf.output())


def _heading(pdf: ReportDocument, data: ReportData) -> None:
    """The unit, the title and the periode with its days, centred."""
    pdf.set_y(MARGIN_TOP - 4)
    pdf.set_font(SERIF, "B", 13)
    pdf.cell(0, 6, printable(data.unit.name.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "B", 19)
    pdf.cell(0, 10, "HASIL SURVEI KEPUASAN MASYARAKAT", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "", 13)
    pdf.cell(
        0,
        6,
        f"{data.periode.label} ({format_date(data.periode.start)} – "
        f"{format_date(data.periode.last_day)})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)


def _score_box(pdf: ReportDocument, data: ReportData) -> None:
    """The framed box in the colour of the mutu: the konversi in large type, the mutu
    letter on a square, the kinerja, the respondents and the change since the previous
    periode; leaves the cursor under it."""
    result = data.result
    top = pdf.get_y()
    box_height = 38.0
    colour = _rgb(MUTU_COLOURS.get(result.mutu, "#1b2430"))
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.8)
    pdf.rect(MARGIN_LEFT, top, TEXT_WIDTH, box_height)
    pdf.set_xy(MARGIN_LEFT + 4, top + 3)
    pdf.set_font(SERIF, "", 12)
    pdf.cell(70, 6, "Indeks Kepuasan Masyarakat")
    pdf.set_xy(MARGIN_LEFT + 4, top + 10)
    pdf.set_font(SERIF, "B", 44)
    pdf.set_text_color(*colour)
    pdf.cell(70, 20, format_number(result.konversi))
    pdf.set_text_color(*INK)
    pdf.set_xy(MARGIN_LEFT + 4, top + 30)
    pdf.set_font(SERIF, "", 10)
    pdf.cell(70, 5, f"skala 25–100 · IKM {format_number(result.ikm, 4)} (skala 1–4)")
    # Mutu letter on a coloured square.
    pdf.set_fill_color(*colour)
    square_x = MARGIN_LEFT + 80
    pdf.rect(square_x, top + 6, 26, 26, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(SERIF, "B", 40)
    pdf.set_xy(square_x, top + 8)
    pdf.cell(26, 18, result.mutu, align="C")
    pdf.set_font(SERIF, "", 9)
    pdf.set_xy(square_x, top + 25)
    pdf.cell(26, 5, "MUTU", align="C")
    pdf.set_text_color(*INK)
    right = MARGIN_LEFT + 112
    pdf.set_xy(right, top + 6)
    pdf.set_font(SERIF, "B", 16)
    pdf.cell(TEXT_WIDTH - 116, 8, result.kinerja)
    pdf.set_xy(right, top + 16)
    pdf.set_font(SERIF, "", 12)
    pdf.cell(TEXT_WIDTH - 116, 6, f"{format_number(result.respondents or 0, 0)} responden")
    board = data.dashboard
    if board.change is not None:
        pdf.set_xy(right, top + 23)
        pdf.set_font(SERIF, "", 10.5)
        direction = "naik" if board.change > 0 else "turun" if board.change < 0 else "tetap"
        amount = f" {format_number(abs(board.change))}" if board.change else ""
        pdf.multi_cell(
            TEXT_WIDTH - 116,
            4.8,
            f"{direction}{amount} dibanding {board.previous_periode.label}",
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.set_draw_color(120, 130, 142)
    pdf.set_line_width(0.2)
    pdf.set_y(top + box_height + 5)


def _unsur_chart(pdf: ReportDocument, png: bytes, room: float) -> None:
    """The chart of the unsur, centred, as wide as the text unless ``room`` (mm) is less."""
    with Image.open(io.BytesIO(png)) as image:
        ratio = image.size[1] / image.size[0]
    height = min(TEXT_WIDTH * ratio, room)
    width = height / ratio
    pdf.image(
        io.BytesIO(png),
        x=MARGIN_LEFT + (TEXT_WIDTH - width) / 2,
        y=pdf.get_y(),
        w=width,
        h=height,
    )
    pdf.set_y(pdf.get_y() + height + 4)


def _list_height(pdf: ReportDocument, items: list[tuple[str, str]], more: bool) -> float:
    """Room the list needs: measured in bold (wider than the text as printed, so the
    estimate errs on the safe side), plus the "dan N kegiatan lainnya" line."""
    height = 12.0 + (6.0 if more else 0.0)
    pdf.set_font(SERIF, "B", 11)
    for unsur, text in items:
        lines = pdf.multi_cell(
            TEXT_WIDTH - 8, 5.2, printable(f"{unsur}: {text}"), dry_run=True, output="LINES"
        )
        assert isinstance(lines, list)  # output="LINES": the lines alone
        height += len(lines) * 5.2 + 1.2
    return height


def _improvements(pdf: ReportDocument, data: ReportData, items: list[tuple[str, str]]) -> None:
    pdf.set_font(SERIF, "B", 14)
    title = "Yang akan kami perbaiki" if data.rencana else "Unsur yang akan kami perbaiki"
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for number, (unsur, text) in enumerate(items, start=1):
        pdf.set_x(MARGIN_LEFT)
        pdf.set_font(SERIF, "B", 11)
        pdf.cell(8, 5.2, f"{number}.")
        # A hanging indent: continuation lines start under the text, not the number.
        pdf.set_left_margin(MARGIN_LEFT + 8)
        pdf.set_font(SERIF, "B", 11)
        pdf.write(5.2, printable(f"{unsur}: "))
        pdf.set_font(SERIF, "", 11)
        pdf.write(5.2, printable(text))
        pdf.set_left_margin(MARGIN_LEFT)
        pdf.ln(5.2 + 1.2)
    if len(data.rencana) > len(items):
        pdf.set_font(SERIF, "I", 10)
        pdf.cell(0, 5, f"dan {len(data.rencana) - len(items)} kegiatan lainnya.")


def _footer(
    pdf: ReportDocument, data: ReportData, narrative: Narrative, day: date, height: float
) -> None:
    y = pdf.h - MARGIN_BOTTOM - height
    pdf.line(MARGIN_LEFT, y, MARGIN_LEFT + TEXT_WIDTH, y)
    pdf.set_xy(MARGIN_LEFT, y + 2)
    pdf.set_font(SERIF, "", 10.5)
    pdf.multi_cell(
        TEXT_WIDTH,
        5,
        "Terima kasih atas penilaian dan saran Anda. Survei dapat diisi di ruang pelayanan "
        "setelah Anda menerima layanan.",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(SERIF, "I", 9.5)
    pdf.set_text_color(*MUTED)
    signed = narrative.signatory
    who = f" · {signed.jabatan}" if signed.jabatan else ""
    place = f"{signed.tempat}, " if signed.tempat else ""
    pdf.cell(
        0,
        5,
        printable(f"{data.unit.name}{who} · {place}{format_date(day)}"),
        align="C",
    )
    pdf.set_text_color(*INK)
