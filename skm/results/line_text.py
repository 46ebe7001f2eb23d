"""An Agg renderer that paints each line of text as one bitmap.

Matplotlib 3.10 and later paint text glyph by glyph, with a Python loop
around FreeType per glyph (for font fallback and shaping, which the charts'
font and Latin script never need). The charts print about 3,000
glyphs; glyph by glyph they were half of all drawing time. FreeType still
draws the whole line into one bitmap in a single call, as matplotlib did up
to 3.9, and that bitmap is composited once: the same pixels give or take
antialiasing, a quarter less time for the eight charts of a dashboard
(``benchmarks/charts.py``).

The calls below are matplotlib's own, some of them private. Where one is
missing (another matplotlib than the locked one), matplotlib paints as it
always does; a test compares both ways.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

#: Whether this matplotlib has what painting a line at once needs.
AVAILABLE = all(
    hasattr(FT2Font, name) for name in ("set_text", "draw_glyphs_to_bitmap", "get_image")
) and hasattr(RendererAgg, "_prepare_font")


class LineTextRenderer(RendererAgg):
    """:class:`RendererAgg` painting each plain line of text as one bitmap."""

    #: False: every text is painted by matplotlib (for a comparison, see the tests).
    whole_lines = AVAILABLE

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        if not self.whole_lines or ismath:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        font = self._prepare_font(prop)
        # As matplotlib 3.9's RendererAgg.draw_text: FreeType lays out and draws the
        # line, its bitmap placed by the line's descent and FreeType's offset
        # (26.6 fixed point), rotated with the text.
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
        descent = font.get_descent() / 64.0
        x_offset, y_offset = (value / 64.0 for value in font.get_bitmap_offset())
        radians = math.radians(angle)
        x = round(x + x_offset + descent * math.sin(radians))
        y = round(y + y_offset + descent * math.cos(radians))
        self._renderer.draw_text_image(font.get_image(), x, y + 1, angle, gc)
