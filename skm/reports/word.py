"""The SKM report as an editable Word document (DOCX), from the same blocks as the PDF.

Offices put the report on their letterhead and sign it in Word, so the
DOCX carries the content and structure of the PDF (:mod:`skm.reports.content`):
cover, kata pengantar, daftar isi, BAB I–V with numbered tables and the
charts as pictures, the signature and the annex. Chapters and sections use
Word's heading styles, so the navigation pane and the table of contents
work; the daftar isi is a Word field listing the headings, which Word
numbers with pages when it updates the field (it asks on opening). Page
numbers are a PAGE field in the footer. :func:`generate_docx` is pure:
report data and narrative in, bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape  # nosec B406: escapes text we write; parses nothing

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from skm.cells import xml_text
from skm.reports.annex import closing_rows, summary_rows
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
    Span,
    Table,
    Text,
    report_content,
    text_parts,
)
from skm.reports.data import ReportData
from skm.reports.narrative import Narrative, signature_line

FONT = "Times New Roman"
BODY_SIZE = 12
MARGINS_MM = {"left": 25, "right": 20, "top": 20, "bottom": 20}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]
HEADER_FILL = "DDE6F1"
TOTAL_FILL = "F2F5F9"
ALIGN = {
    "LEFT": WD_ALIGN_PARAGRAPH.LEFT,
    "CENTER": WD_ALIGN_PARAGRAPH.CENTER,
    "RIGHT": WD_ALIGN_PARAGRAPH.RIGHT,
}
ARABIC = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
BLANK = "–"
#: The paragraph style of the annex cells (its own name, so Word users can restyle it).
ANNEX_STYLE = "Lampiran"
#: Tables up to this many rows are kept on one page.
KEEP_TABLE_ROWS = 30


def generate_docx(data: ReportData, narrative: Narrative) -> bytes:
    """The complete report of ``data`` as a Word document."""
    return render_docx(report_content(data, narrative))


def render_docx(content: Content) -> bytes:
    """Any report written as blocks, as a Word document."""
    writer = _Writer(content)
    for block in content.blocks:
        writer.draw(block)
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


class _Writer:
    def __init__(self, content: Content) -> None:
        self.doc: DocxDocument = Document()
        self.content = content
        self.chapter = ""
        self.counters = {"Tabel": 0, "Gambar": 0}
        self.pending_break = False
        props = self.doc.core_properties
        props.title = xml_text(content.title)
        props.author = xml_text(content.author)
        props.subject = "Survei Kepuasan Masyarakat"
        props.language = "id-ID"
        self._styles()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.different_first_page_header_footer = True  # the cover has neither

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_SIZE)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.3
        for name, size in (("Heading 1", 14), ("Heading 2", BODY_SIZE), ("Caption", 11)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.element.rPr.rFonts.set(qn("w:asciiTheme"), "")
            style.paragraph_format.keep_with_next = True
        styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles["Heading 1"].paragraph_format.space_after = Pt(12)
        styles["Heading 2"].paragraph_format.space_before = Pt(8)
        styles["Caption"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        annex = styles.add_style(ANNEX_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        annex.base_style = normal
        annex.font.size = Pt(8.5)
        annex.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        annex.paragraph_format.space_before = Pt(0)
        annex.paragraph_format.space_after = Pt(0)
        annex.paragraph_format.line_spacing = 1.0

    # --- helpers -----------------------------------------------------------------------

    def paragraph(
        self, text: str = "", *, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, style: str | None = None
    ) -> DocxParagraph:
        paragraph = self.doc.add_paragraph(style=style)
        if self.pending_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        paragraph.alignment = align
        if text:
            paragraph.add_run(xml_text(text))
        return paragraph

    def caption(self, kind: str, text: str) -> DocxParagraph:
        self.counters[kind] += 1
        number = f"{ARABIC.get(self.chapter, 'L')}.{self.counters[kind]}"
        return self.paragraph(f"{kind} {number} {text}", style="Caption",
                              align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip

    def _header_footer(self) -> None:
        """Running title and page number from the page after the cover."""
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run(xml_text(self.content.running_title))
        run.italic = True
        run.font.size = Pt(9)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(footer, "PAGE", "")

    # --- blocks ------------------------------------------------------------------------

    def draw(self, block: Block) -> None:
        if isinstance(block, Cover):
            self._cover(block)
        elif isinstance(block, FrontTitle):
            self.pending_break = True
            self.paragraph(block.title, style="Heading 1", align=WD_ALIGN_PARAGRAPH.CENTER)
        elif isinstance(block, Contents):
            self._contents()
        elif isinstance(block, Chapter):
            self.pending_break = self.pending_break or block.new_page
            self.chapter = block.number
            self.counters = {"Tabel": 0, "Gambar": 0}
            heading = self.paragraph(style="Heading 1", align=WD_ALIGN_PARAGRAPH.CENTER)
            if block.number:
                heading.add_run(f"BAB {block.number}")
                heading.add_run().add_break()
            heading.add_run(xml_text(block.title))
        elif isinstance(block, Section):
            self.paragraph(block.text, style="Heading 2", align=WD_ALIGN_PARAGRAPH.LEFT)
        elif isinstance(block, Paragraph):
            self.paragraph(block.text)
        elif isinstance(block, Text):
            for marker, part in text_parts(block.text, numbered_lines=block.numbered_lines):
                if marker is None:
                    self.paragraph(part)
                else:
                    self._list_item(marker, part)
        elif isinstance(block, ListItem):
            self._list_item(block.marker, block.text)
        elif isinstance(block, Formulas):
            for line in block.lines:
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
                paragraph.paragraph_format.left_indent = Mm(12)
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.add_run(line).italic = True
            self.paragraph().paragraph_format.space_after = Pt(0)
        elif isinstance(block, Display):
            self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER).add_run(block.text).italic = True
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            picture = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(block.png), width=Mm(TEXT_WIDTH_MM))
            self.caption("Gambar", block.caption)
        elif isinstance(block, Signature):
            self._signature(block)
        elif isinstance(block, Annex):
            self._annex(block)

    def _cover(self, cover: Cover) -> None:
        def line(text: str, size: float, *, bold: bool = True, before: float = 0) -> None:
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.space_before = Pt(before)
            run = paragraph.add_run(xml_text(text))
            run.bold = bold
            run.font.size = Pt(size)

        if cover.government:
            line(f"PEMERINTAH {cover.government.upper()}", 14, before=24)
        for index, title in enumerate(cover.title):
            line(title, 20, before=110 if index == 0 else 0)
        line(cover.unit_name.upper(), 17, before=36)
        line(cover.periode_title, 15, bold=False)
        if cover.note:
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            run = paragraph.add_run(xml_text(cover.note))
            run.italic = True
            run.font.size = Pt(11)
        line(cover.unit_name.upper(), 14, before=150)
        if cover.address:
            line(cover.address, 12, bold=False)
        line(str(cover.year), 12, bold=False)
        self._header_footer()

    def _contents(self) -> None:
        """DAFTAR ISI: a TOC field holding the headings; Word adds the pages on update."""
        self.pending_break = True
        title = self.paragraph("DAFTAR ISI", align=WD_ALIGN_PARAGRAPH.CENTER)
        title.runs[0].bold = True
        title.runs[0].font.size = Pt(14)
        entries = []
        for block in self.content.blocks:
            if isinstance(block, FrontTitle):
                entries.append((0, block.title))
            elif isinstance(block, Chapter):
                name = f"BAB {block.number} {block.title}" if block.number else block.title
                entries.append((0, name))
            elif isinstance(block, Section):
                entries.append((1, block.text))
        paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
        _field(paragraph, 'TOC \\o "1-2" \\h \\z \\u', "", dirty=True, end=False)
        for index, (level, name) in enumerate(entries):
            if index:
                paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.LEFT)
            paragraph.paragraph_format.left_indent = Mm(8 * level)
            paragraph.paragraph_format.space_after = Pt(2)
            run = paragraph.add_run(xml_text(name))
            run.bold = level == 0
        _field_end(paragraph)
        self.pending_break = True

    def _list_item(self, marker: str, text: str) -> None:
        paragraph = self.paragraph()
        paragraph.paragraph_format.left_indent = Mm(8)
        paragraph.paragraph_format.first_line_indent = Mm(-8)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(8))
        paragraph.add_run(f"{marker}\t{xml_text(text)}")

    def _table(self, block: Table) -> None:
        if block.caption:
            self.caption("Tabel", block.caption)
        columns = block.columns
        table = self._grid(len(block.rows) + 1, [c.width for c in columns])
        size = Pt(block.size)
        heading = table.rows[0]
        _repeat_heading(heading)
        for cell, column in zip(heading.cells, columns, strict=True):
            _fill(cell, column.title, WD_ALIGN_PARAGRAPH.CENTER, size, bold=True)
            _shade(cell, HEADER_FILL)
        # Like the PDF, a table that fits a page is not split: Word keeps paragraphs
        # "with next" across rows.
        keep = len(block.rows) <= KEEP_TABLE_ROWS
        for cell in heading.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        for index, values in enumerate(block.rows):
            total = index >= len(block.rows) - block.total_rows
            row = table.rows[index + 1]
            _cant_split(row)
            cells = row.cells
            position = 0
            for value in values:
                span = value.columns if isinstance(value, Span) else 1
                cell = cells[position]
                if span > 1:
                    cell = cell.merge(cells[position + span - 1])
                text = value.text if isinstance(value, Span) else ("" if value is None else value)
                align = value.align if isinstance(value, Span) and value.align else None
                _fill(cell, str(text), ALIGN[align or columns[position].align], size, bold=total)
                if keep and index < len(block.rows) - 1:
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
                if total:
                    _shade(cell, TOTAL_FILL)
                position += span
        if block.note:
            note = self.paragraph(block.note, align=WD_ALIGN_PARAGRAPH.LEFT)
            note.runs[0].italic = True
            note.runs[0].font.size = Pt(9.5)
        self.paragraph().paragraph_format.space_after = Pt(0)

    def _grid(self, rows: int, widths_mm: Sequence[float]) -> DocxTable:
        # python-docx leaves add_table's return type out.
        table: DocxTable = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        return table

    def _signature(self, block: Signature) -> None:
        signatory = block.signatory
        lines: list[tuple[str, bool, bool]] = [
            (signature_line(signatory, block.day), False, False),
            ((signatory.jabatan or "Kepala Unit Layanan").upper() + ",", True, False),
            ("", False, False),
            ("", False, False),
            ("", False, False),
            (signatory.nama or "(nama penandatangan belum diisi)", True, True),
        ]
        if signatory.pangkat:
            lines.append((signatory.pangkat, False, False))
        if signatory.nip:
            lines.append((f"NIP. {signatory.nip_display}", False, False))
        previous = self.doc.paragraphs[-1] if self.doc.paragraphs else None
        if previous is not None:  # the signature stays with the end of the text it signs
            previous.paragraph_format.keep_with_next = True
        for index, (text, bold, underline) in enumerate(lines):
            paragraph = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER)
            paragraph.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM / 2)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
            if index == 0:
                paragraph.paragraph_format.space_before = Pt(18)
            run = paragraph.add_run(xml_text(text))
            run.bold = bold
            run.underline = underline

    def _annex(self, annex: Annex) -> None:
        """One row per respondent: written as table XML at once (thousands of rows)."""
        title = self.paragraph(annex.title, align=WD_ALIGN_PARAGRAPH.CENTER)
        title.runs[0].bold = True
        self.paragraph(annex.subtitle, align=WD_ALIGN_PARAGRAPH.CENTER).runs[0].font.size = Pt(10)
        legend = self.paragraph(annex.legend)
        legend.runs[0].font.size = Pt(9.5)
        n = annex.instrument.n_unsur
        label_mm = 34.0
        widths = [label_mm] + [(TEXT_WIDTH_MM - label_mm) / n] * n
        marks = [BLANK] + [str(v) for v in range(1, annex.instrument.scale_max + 1)]
        rows = [
            _row(["No. responden", *(u.code for u in annex.instrument.unsur)], bold=True,
                 fill=HEADER_FILL, heading=True)
        ]  # fmt: skip
        for number, answers in enumerate(annex.answers.tolist(), start=1):
            rows.append(_row([str(number), *(marks[v] for v in answers)]))
        for label, values in closing_rows(annex.result):
            rows.append(_row([label, *values], bold_first=True, fill=TOTAL_FILL))
        for label, value in summary_rows(annex.result):
            rows.append(_row([label, value], bold=True, fill=TOTAL_FILL, spans=[1, n]))
        grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths)
        xml = (
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            '<w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
        self.doc.element.body.append(parse_xml(xml))
        # The body must end with its section properties, after the table.
        body = self.doc.element.body
        body.append(body.sectPr)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _row(
    cells: Sequence[str],
    *,
    bold: bool = False,
    bold_first: bool = False,
    fill: str | None = None,
    heading: bool = False,
    spans: Sequence[int] | None = None,
) -> str:
    """One annex row as WordprocessingML. Cells take their width from the table grid and
    their look from the ANNEX_STYLE paragraph style: a respondent row stays small."""
    parts = ["<w:tr>"]
    if heading:
        parts.append("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>")
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    for index, text in enumerate(cells):
        span = spans[index] if spans else 1
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        properties = f"<w:tcPr>{grid_span}{shade}</w:tcPr>" if grid_span or shade else ""
        left = '<w:jc w:val="left"/>' if index == 0 and not heading else ""
        strong = "<w:rPr><w:b/></w:rPr>" if bold or (bold_first and index == 0) else ""
        parts.append(
            f'<w:tc>{properties}<w:p><w:pPr><w:pStyle w:val="{ANNEX_STYLE}"/>{left}</w:pPr>'
            f"<w:r>{strong}<w:t>{escape(xml_text(text))}</w:t></w:r></w:p></w:tc>"
        )
    parts.append("</w:tr>")
    return "".join(parts)


def _fill(cell: Any, text: str, align: Any, size: Pt, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(xml_text(text))
    run.font.size = size
    run.bold = bold


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _cant_split(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _repeat_heading(row: Any) -> None:
    """The heading row repeats on every page a table spans."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def _field(
    paragraph: DocxParagraph, instruction: str, shown: str, *, dirty: bool = False,
    end: bool = True,
) -> None:  # fmt: skip
    """A Word field (PAGE, TOC) with ``shown`` as its current result."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")  # Word offers to update it when the file opens
    paragraph.add_run()._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)
    if shown:
        paragraph.add_run(shown)
    if end:
        _field_end(paragraph)


def _field_end(paragraph: DocxParagraph) -> None:
    finish = OxmlElement("w:fldChar")
    finish.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(finish)
