"""A4 pages in the style of an Indonesian government report, on fpdf2.

Times-like body text (STIX, shipped with matplotlib, like the DejaVu
fallback for anything STIX lacks: every office PC prints the same
glyphs), 2,5 cm left margin for binding, chapters on a new page,
numbered tables and figures, roman page numbers before BAB I and arabic
from it. Text from the public (saran) is printed literally: nothing in it
is interpreted as markup, and characters no font can draw become "□"
instead of silently vanishing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, VAlign
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from skm.reports.content import Column, Span, text_parts
from skm.reports.narrative import Signatory, signature_line

__all__ = ["Column", "ReportDocument", "Span", "printable", "render_toc"]

SERIF = "serif"
SANS = "sans"
#: Only the styles the report uses: every font file is parsed for every document.
FONT_FILES = {
    (SERIF, ""): "STIXGeneral.ttf",
    (SERIF, "B"): "STIXGeneralBol.ttf",
    (SERIF, "I"): "STIXGeneralItalic.ttf",
    (SANS, ""): "DejaVuSans.ttf",
}

PAGE_WIDTH = 210.0
MARGIN_LEFT = 25.0
MARGIN_RIGHT = 20.0
MARGIN_TOP = 20.0
MARGIN_BOTTOM = 20.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

BODY_SIZE = 12
LINE = 6.2  # mm per line of body text (about 1,5 line spacing at 12 pt)
TABLE_SIZE = 10
#: Room a heading needs below it (a few lines, or a caption with table headings and rows).
KEEP_WITH_HEADING = 42
CELL_PADDING = (1.1, 1.5)  # mm: top/bottom, left/right
SIGNATURE_HEIGHT = 60.0
#: A chart may shrink to this share of its size to fit the rest of a page (type stays
#: about 8 pt).
MIN_FIGURE_SCALE = 0.8
HEADER_FILL = (221, 230, 241)
TOTAL_FILL = (242, 245, 249)
INK = (20, 28, 38)
MUTED = (90, 100, 112)
RULE = (120, 130, 142)

ROMAN_NUMERALS = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def roman(number: int) -> str:
    text = ""
    for value, letters in ROMAN_NUMERALS:
        while number >= value:
            text += letters
            number -= value
    return text


def font_path(name: str) -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@cache
def _drawable() -> frozenset[int]:
    """Code points that the serif font or its fallback can draw."""
    points: set[int] = set()
    for name in (FONT_FILES[(SERIF, "")], FONT_FILES[(SANS, "")]):
        with TTFont(font_path(name), lazy=True) as font:
            points.update(font.getBestCmap())
    return frozenset(points)


def printable(text: str) -> str:
    """``text`` as the PDF can show it: control characters dropped, undrawable ones "□"."""
    drawable = _drawable()
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    return "".join(c if ord(c) in drawable or c == "\n" else "□" for c in cleaned)


class ReportDocument(FPDF):
    """An A4 document with the report's page furniture and building blocks."""

    def __init__(self, running_title: str = "", *, numbered: bool = True) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for (family, style), name in FONT_FILES.items():
            self.add_font(family, style, str(font_path(name)))
        self.set_fallback_fonts([SANS], exact_match=False)
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_font(SERIF, "", BODY_SIZE)
        self.set_lang("id")
        self.set_creator("SKM (Survei Kepuasan Masyarakat)")
        self.running_title = running_title
        self.numbered = numbered
        #: First page numbered in arabic (BAB I); pages before it get roman numbers.
        self.body_from: int | None = None
        self.chapter = ""
        self.counters = {"Tabel": 0, "Gambar": 0}

    # --- page furniture --------------------------------------------------------------

    def page_label(self, page: int) -> str:
        """The printed number of absolute page ``page`` (the cover has none)."""
        if page <= 1:
            return ""
        if self.body_from is None or page < self.body_from:
            return roman(page - 1)
        return str(page - self.body_from + 1)

    def header(self) -> None:
        if self.page_no() <= 1 or not self.running_title:
            return
        self.set_y(10)
        self.set_font(SERIF, "I", 9)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.running_title, align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN_LEFT, 15.5, PAGE_WIDTH - MARGIN_RIGHT, 15.5)
        self.set_text_color(*INK)
        self.set_y(MARGIN_TOP)
        self.set_font(SERIF, "", BODY_SIZE)

    def footer(self) -> None:
        if not self.numbered:
            return
        label = self.page_label(self.page_no())
        if not label:
            return
        self.set_y(-13)
        self.set_font(SERIF, "", 10)
        self.set_text_color(*MUTED)
        self.cell(0, 5, label, align="C")
        self.set_text_color(*INK)

    # --- headings ----------------------------------------------------------------------

    def ensure_space(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.get_y() + height > self.h - MARGIN_BOTTOM:
            self.add_page()

    def chapter_title(self, number: str, title: str, *, new_page: bool = True) -> None:
        """ "BAB I / PENDAHULUAN" on a new page (numbers restart per chapter)."""
        if new_page:
            self.add_page()
        if number and self.body_from is None:
            self.body_from = self.page_no()
        self.chapter = number
        self.counters = {"Tabel": 0, "Gambar": 0}
        self.start_section(f"BAB {number} {title}" if number else title, level=0)
        self.set_font(SERIF, "B", 14)
        if number:
            self.cell(0, 7, f"BAB {number}", align="C", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        self.set_font(SERIF, "", BODY_SIZE)

    def front_title(self, title: str) -> None:
        """A page of the front matter (KATA PENGANTAR), in the outline, unnumbered heading."""
        self.add_page()
        self.start_section(title, level=0)
        self.set_font(SERIF, "B", 14)
        self.cell(0, 7, title, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(6)
        self.set_font(SERIF, "", BODY_SIZE)

    def section_title(self, text: str, level: int = 1, *, keep: float = 0) -> None:
        """A numbered section ("3.2 Indeks Kepuasan Masyarakat"), kept with what follows:
        at least a few lines, or the ``keep`` mm of the block after it when that fits a page."""
        usable = self.h - MARGIN_TOP - MARGIN_BOTTOM
        wanted = 10 + keep if 10 + keep <= usable else 0
        self.ensure_space(max(KEEP_WITH_HEADING, wanted))
        if self.get_y() > MARGIN_TOP + 1:
            self.ln(2)
        self.start_section(text, level=level)
        self.set_font(SERIF, "B", BODY_SIZE)
        self.multi_cell(0, LINE, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_font(SERIF, "", BODY_SIZE)

    # --- text --------------------------------------------------------------------------

    def paragraph(self, text: str, *, indent: float = 0, align: str = "J") -> None:
        self.set_font(SERIF, "", BODY_SIZE)
        self.set_x(MARGIN_LEFT + indent)
        self.multi_cell(
            TEXT_WIDTH - indent, LINE, printable(text), align=align,
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
        self.ln(1.6)

    def list_item(self, marker: str, text: str, *, indent: float = 0) -> None:
        """A hanging-indent list item: the marker in a narrow column, the text beside it."""
        self.set_font(SERIF, "", BODY_SIZE)
        self.ensure_space(LINE)
        top = self.get_y()
        self.set_xy(MARGIN_LEFT + indent, top)
        self.cell(8, LINE, marker)
        self.set_xy(MARGIN_LEFT + indent + 8, top)
        self.multi_cell(
            TEXT_WIDTH - indent - 8, LINE, printable(text), align="J",
            new_x="LMARGIN", new_y="NEXT",
        )  # fmt: skip
        self.ln(0.8)

    def narrative(self, text: str, *, numbered_lines: bool = False) -> None:
        """Staff-editable text: paragraphs separated by blank lines; list items as lists.

        With ``numbered_lines`` every non-empty line is an item numbered 1., 2., ...
        (the legal bases of the survey).
        """
        parts = text_parts(text, numbered_lines=numbered_lines)
        for marker, part in parts:
            if marker is None:
                self.paragraph(part)
            else:
                self.list_item(marker, part)
        if numbered_lines:
            self.ln(1)

    # --- tables and figures ----------------------------------------------------------

    def caption(self, kind: str, text: str) -> str:
        """ "Tabel 3.2 Nilai per unsur" above a table, below a figure; returns the number."""
        self.counters[kind] += 1
        number = f"{self.chapter_number()}.{self.counters[kind]}"
        self.set_font(SERIF, "B", 11)
        self.multi_cell(
            0, 5.5, printable(f"{kind} {number} {text}"), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_font(SERIF, "", BODY_SIZE)
        return number

    def chapter_number(self) -> str:
        arabic = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
        return str(arabic.get(self.chapter, self.chapter or "L"))

    def data_table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        *,
        caption: str | None = None,
        total_rows: int = 0,
        size: float = TABLE_SIZE,
        note: str | None = None,
    ) -> None:
        """A bordered table, headings repeated on every page it spans.

        The last ``total_rows`` rows are set bold on a pale fill (Σ, IKM).
        """
        width = sum(c.width for c in columns)
        if width > TEXT_WIDTH:
            raise ValueError(f"Tabel {width} mm lebih lebar dari halaman ({TEXT_WIDTH} mm).")
        line_height = size * 0.5
        self.set_font(SERIF, "", size)
        heights = self._row_heights(columns, rows, line_height)
        caption_height = 7.0 if caption else 0.0
        whole = caption_height + sum(heights)
        if whole <= self.h - MARGIN_TOP - MARGIN_BOTTOM:
            self.ensure_space(whole)  # a table that fits on a page is never split
        else:
            self.ensure_space(caption_height + sum(heights[:4]))
        if caption:
            self.caption("Tabel", caption)
            self.ln(0.5)
        self.set_font(SERIF, "", size)
        headings = FontFace(emphasis="BOLD", fill_color=HEADER_FILL, color=INK)
        total = FontFace(emphasis="BOLD", fill_color=TOTAL_FILL)
        with self.table(
            width=width,
            col_widths=[c.width for c in columns],
            text_align=[c.align for c in columns],
            line_height=line_height,
            padding=CELL_PADDING,
            headings_style=headings,
            cell_fill_mode=TableCellFillMode.NONE,
            v_align=VAlign.M,
            align="CENTER",
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for column in columns:
                heading.cell(printable(column.title), align="CENTER")
            for index, values in enumerate(rows):
                style = total if index >= len(rows) - total_rows else None
                row = table.row(style=style)
                for value in values:
                    if isinstance(value, Span):
                        row.cell(printable(value.text), colspan=value.columns, align=value.align)
                    else:
                        row.cell(printable("" if value is None else str(value)))
        if note:
            self.set_font(SERIF, "I", 9.5)
            self.set_x(MARGIN_LEFT + (TEXT_WIDTH - width) / 2)
            self.multi_cell(width, 4.6, printable(note), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font(SERIF, "", BODY_SIZE)

    def table_height(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Any]],
        *,
        caption: bool = True,
        size: float = TABLE_SIZE,
    ) -> float:
        """About how tall :meth:`data_table` will draw this table, caption and gap included."""
        self.set_font(SERIF, "", size)
        height = sum(self._row_heights(columns, rows, size * 0.5)) + 3
        self.set_font(SERIF, "", BODY_SIZE)
        return height + (7.0 if caption else 0.0)

    def _row_heights(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Any]], line_height: float
    ) -> list[float]:
        """Estimated height of the heading row and each row (wrapped lines x line height)."""
        inner = [c.width - 2 * CELL_PADDING[1] - 0.4 for c in columns]

        def lines(text: str, room: float) -> int:
            count = 0
            for part in text.split("\n"):
                count += max(1, -int(-self.get_string_width(part) * 1.04 // room))
            return count

        heights = []
        for cells in [[Span(c.title, 1) for c in columns], *rows]:
            tallest = 1
            position = 0
            for value in cells:
                span = value.columns if isinstance(value, Span) else 1
                text = value.text if isinstance(value, Span) else str(value or "")
                room = sum(inner[position : position + span]) + (span - 1) * 3.4
                tallest = max(tallest, lines(printable(text), room))
                position += span
            heights.append(tallest * line_height + 2 * CELL_PADDING[0])
        return heights

    def display(self, text: str) -> None:
        """A formula on its own centred line, in italics."""
        self.set_font(SERIF, "I", BODY_SIZE)
        self.multi_cell(0, LINE, printable(text), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(SERIF, "", BODY_SIZE)

    def text_height(self, text: str, *, width: float = TEXT_WIDTH) -> float:
        """Height of ``text`` as a body paragraph."""
        self.set_font(SERIF, "", BODY_SIZE)
        lines = self.multi_cell(width, LINE, printable(text), dry_run=True, output="LINES")
        assert isinstance(lines, list)  # output="LINES": the lines alone
        return len(lines) * LINE + 1.6

    def figure(self, png: bytes, caption: str, *, width: float = TEXT_WIDTH) -> None:
        """A chart scaled to ``width`` mm, on the next page if it does not fit, captioned."""
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            pixels_w, pixels_h = image.size
        height = width * pixels_h / pixels_w
        room = self.h - MARGIN_BOTTOM - MARGIN_TOP - 14
        if height > room:  # a very tall chart shrinks to one page
            width, height = width * room / height, room
        left = self.h - MARGIN_BOTTOM - self.get_y() - 12
        if MIN_FIGURE_SCALE * height <= left < height:
            # Slightly smaller rather than half a page left empty.
            width, height = width * left / height, left
        self.ensure_space(height + 12)
        x = MARGIN_LEFT + (TEXT_WIDTH - width) / 2
        self.image(io.BytesIO(png), x=x, y=self.get_y(), w=width, h=height)
        self.set_y(self.get_y() + height + 1.5)
        self.caption("Gambar", caption)
        self.ln(3)

    # --- signature ---------------------------------------------------------------------

    def signature(
        self, signatory: Signatory, day: Any, *, height: float = SIGNATURE_HEIGHT
    ) -> None:
        """Place and date, jabatan, room to sign, name (bold, underlined), pangkat, NIP."""
        self.ensure_space(height)
        self.ln(6)
        left = MARGIN_LEFT + TEXT_WIDTH * 0.5
        width = TEXT_WIDTH * 0.5
        self.set_font(SERIF, "", BODY_SIZE)
        self.set_x(left)
        self.multi_cell(width, LINE, printable(signature_line(signatory, day)), align="C",
                        new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        self.set_x(left)
        jabatan = signatory.jabatan or "Kepala Unit Layanan"
        self.set_font(SERIF, "B", BODY_SIZE)
        self.multi_cell(width, LINE, printable(jabatan.upper() + ","), align="C",
                        new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        self.ln(22)
        self.set_x(left)
        self.set_font(SERIF, "BU", BODY_SIZE)
        name = signatory.nama or "(nama penandatangan belum diisi)"
        self.multi_cell(width, LINE, printable(name), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font(SERIF, "", BODY_SIZE)
        if signatory.pangkat:
            self.set_x(left)
            self.multi_cell(width, LINE, printable(signatory.pangkat), align="C",
                            new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        if signatory.nip:
            self.set_x(left)
            self.multi_cell(width, LINE, printable(f"NIP. {signatory.nip_display}"), align="C",
                            new_x="LMARGIN", new_y="NEXT")  # fmt: skip


def render_toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    """DAFTAR ISI: chapters and their sections with dot leaders and printed page numbers."""
    assert isinstance(pdf, ReportDocument)
    pdf.set_xy(MARGIN_LEFT, MARGIN_TOP)
    pdf.set_font(SERIF, "B", 14)
    pdf.cell(0, 7, "DAFTAR ISI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for section in outline:
        if section.level > 1:
            continue
        indent = 0 if section.level == 0 else 8
        pdf.set_font(SERIF, "B" if section.level == 0 else "", 11.5)
        label = pdf.page_label(section.page_number)
        name = printable(section.name)
        label_width = pdf.get_string_width(label) + 1
        room = TEXT_WIDTH - indent - label_width - 4
        while pdf.get_string_width(name) > room and len(name) > 4:
            name = name[:-2].rstrip() + "…"
        y = pdf.get_y()
        pdf.set_xy(MARGIN_LEFT + indent, y)
        pdf.cell(
            pdf.get_string_width(name) + 1, 6, name, link=pdf.add_link(page=section.page_number)
        )
        dots_from = pdf.get_x() + 1
        dots_to = PAGE_WIDTH - MARGIN_RIGHT - label_width - 1
        dot = pdf.get_string_width(". ")
        if dots_to > dots_from:
            count = int((dots_to - dots_from) / dot)
            pdf.set_text_color(*MUTED)
            pdf.set_xy(dots_to - count * dot, y)
            pdf.cell(count * dot, 6, ". " * count)
            pdf.set_text_color(*INK)
        pdf.set_xy(PAGE_WIDTH - MARGIN_RIGHT - label_width, y)
        pdf.cell(label_width, 6, label, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.6 if section.level else 1.2)
