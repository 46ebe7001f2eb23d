"""The SKM report as PDF: the blocks of :mod:`skm.reports.content` on A4 pages.

Cover; kata pengantar; daftar isi; BAB I Pendahuluan; BAB II Pengumpulan
Data; BAB III Hasil Pengolahan Data; BAB IV Analisis; BAB V Penutup with
the signature; the annex "Pengolahan data SKM per responden dan per unsur
pelayanan". :func:`generate_pdf` is pure: report data and narrative in,
bytes out. What the report says is written once in :mod:`skm.reports.content`
(the DOCX writer lays out the same blocks); this module only decides where
it goes on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from skm.reports.annex import draw_annex
from skm.reports.content import (
    Annex,
    Block,
    Chapter,
    Content,
    Contents,
    Cover,
    Display,
    Figure,
    Formulas,
    FrontTitle,
    ListItem,
    Paragraph,
    Section,
    Signature,
    Table,
    Text,
    percent,
    periode_title,
    report_content,
    text_parts,
    unsur_names,
)
from skm.reports.data import ReportData
from skm.reports.layout import (
    LINE,
    MARGIN_LEFT,
    MUTED,
    SERIF,
    SIGNATURE_HEIGHT,
    TEXT_WIDTH,
    ReportDocument,
    printable,
    render_toc,
)
from skm.reports.narrative import Narrative

__all__ = ["generate_pdf", "percent", "periode_title", "render_pdf", "unsur_names"]


def generate_pdf(data: ReportData, narrative: Narrative) -> bytes:
    """The complete report of ``data`` as a PDF document."""
    return render_pdf(report_content(data, narrative))


def render_pdf(content: Content) -> bytes:
    """Any report written as blocks (the quarterly report, the comparison of sub-units)."""
    pdf = ReportDocument(content.running_title)
    pdf.set_title(content.title)
    pdf.set_author(content.author)
    pdf.set_subject("Survei Kepuasan Masyarakat")
    blocks = content.blocks
    for index, block in enumerate(blocks):
        _draw(pdf, block, blocks[index + 1 :])
    return bytes(pdf.output())


def _height(pdf: ReportDocument, block: Block) -> float:
    """About how much room ``block`` takes (to keep a heading with it)."""
    if isinstance(block, Paragraph):
        return pdf.text_height(block.text)
    if isinstance(block, Text):
        return sum(pdf.text_height(part) for _, part in text_parts(block.text))
    if isinstance(block, Table):
        return pdf.table_height(block.columns, block.rows, size=block.size)
    if isinstance(block, Signature):
        return SIGNATURE_HEIGHT
    return LINE * 2


def _draw(pdf: ReportDocument, block: Block, following: Sequence[Block]) -> None:
    if isinstance(block, Cover):
        _cover(pdf, block)
    elif isinstance(block, FrontTitle):
        pdf.front_title(block.title)
    elif isinstance(block, Contents):
        pdf.add_page()
        pdf.insert_toc_placeholder(render_toc, pages=1)  # leaves a fresh page for BAB I
    elif isinstance(block, Chapter):
        pdf.chapter_title(block.number, block.title, new_page=block.new_page)
    elif isinstance(block, Section):
        keep = sum(_height(pdf, b) for b in following[: block.keep_next])
        pdf.section_title(block.text, keep=keep)
    elif isinstance(block, Paragraph):
        pdf.paragraph(block.text)
    elif isinstance(block, Text):
        pdf.narrative(block.text, numbered_lines=block.numbered_lines)
    elif isinstance(block, ListItem):
        pdf.list_item(block.marker, block.text)
    elif isinstance(block, Formulas):
        pdf.set_font(SERIF, "I", 12)
        for formula in block.lines:
            pdf.set_x(MARGIN_LEFT + 12)
            pdf.cell(0, LINE, formula, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(SERIF, "", 12)
    elif isinstance(block, Display):
        pdf.display(block.text)
    elif isinstance(block, Table):
        pdf.data_table(
            block.columns,
            block.rows,
            caption=block.caption,
            total_rows=block.total_rows,
            size=block.size,
            note=block.note,
        )
    elif isinstance(block, Figure):
        pdf.figure(block.png, block.caption)
    elif isinstance(block, Signature):
        pdf.signature(block.signatory, block.day)
    elif isinstance(block, Annex):
        _annex(pdf, block)


def _cover(pdf: ReportDocument, cover: Cover) -> None:
    pdf.add_page()
    pdf.set_y(38)
    pdf.set_font(SERIF, "B", 14)
    if cover.government:
        pdf.cell(0, 7, printable(f"PEMERINTAH {cover.government.upper()}"), align="C",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_y(78)
    pdf.set_font(SERIF, "B", 20)
    for line in cover.title:
        pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN_LEFT + 30, pdf.get_y(), MARGIN_LEFT + TEXT_WIDTH - 30, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(10)
    pdf.set_font(SERIF, "B", 17)
    pdf.multi_cell(0, 9, printable(cover.unit_name.upper()), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(SERIF, "", 15)
    pdf.multi_cell(0, 8, cover.periode_title, align="C", new_x="LMARGIN", new_y="NEXT")
    if cover.note:
        pdf.ln(2)
        pdf.set_font(SERIF, "I", 11)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 6, printable(cover.note), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.set_y(232)
    pdf.set_font(SERIF, "B", 14)
    pdf.multi_cell(0, 7, printable(cover.unit_name.upper()), align="C",
                   new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(SERIF, "", 12)
    if cover.address:
        pdf.multi_cell(0, 6, printable(cover.address), align="C",
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.cell(0, 6, str(cover.year), align="C", new_x="LMARGIN", new_y="NEXT")


def _annex(pdf: ReportDocument, annex: Annex) -> None:
    pdf.set_font(SERIF, "B", 12)
    pdf.multi_cell(0, LINE, annex.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, "", 10)
    pdf.multi_cell(0, 5, printable(annex.subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(SERIF, "", 9.5)
    pdf.multi_cell(0, 4.6, printable(annex.legend), align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    draw_annex(pdf, annex.answers, annex.instrument, annex.result)
