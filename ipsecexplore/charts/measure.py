"""Text measurement for the charts: one measurer, a per-glyph table read from the font with FreeType.

The charts lay their axes out in inches from the widths of their labels and titles (no ``tight_layout``, which
would render every text once more); every width comes from :func:`text_extent`. A table of glyph advances is
built once per character (a chart of a hundred adapters measures a hundred labels; laying each out with
FreeType cost about a millisecond).
"""

from __future__ import annotations

import textwrap
import threading
import warnings
from functools import lru_cache

from ..text import visible

__all__ = ["text_extent", "text_width", "widest", "wrap", "clear_caches", "WIDTH_MARGIN"]

#: Layout widths are the unhinted glyph advances times this margin. FreeType hinting makes small text wider at
#: the PNG's 90 dpi than its advances say: up to 10 % for labels of chart size (5–10 pt; measured against
#: matplotlib's Agg layout), and 6 % more are kept as before, since the widest rendering is the one that must fit.
WIDTH_MARGIN = 1.17


@lru_cache(maxsize=16)
def glyph_font(path: str, thread: int):
    """(FT2Font at 100 pt / 72 dpi, per-character cache) for a font file and thread: a private instance per
    thread (as matplotlib's get_font), since loading a glyph changes the font object's state."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    font.set_size(100, 72)
    return font, {}


def text_extent(s: str, prop) -> tuple[float, float, float]:
    """(width, height, descent) in points of one line of ``s`` in ``prop``: the sum of the glyph advances and
    the union of the glyph boxes, from a per-character table (no shaping, no kerning)."""
    from matplotlib.font_manager import findfont
    from matplotlib.ft2font import LoadFlags

    font, table = glyph_font(findfont(prop), threading.get_ident())
    w, top, bottom = 0.0, 0.0, 0.0
    for ch in s:
        m = table.get(ch)
        if m is None:
            with warnings.catch_warnings():  # a glyph the font lacks: measured as its "missing" box, as drawn
                warnings.simplefilter("ignore")
                try:
                    g = font.load_char(ord(ch), flags=LoadFlags.NO_HINTING)
                except RuntimeError:
                    g = font.load_glyph(0, flags=LoadFlags.NO_HINTING)
            m = table[ch] = (g.linearHoriAdvance / 65536, g.bbox[3] / 64, g.bbox[1] / 64)
        w += m[0]
        top = max(top, m[1])
        bottom = min(bottom, m[2])
    scale = prop.get_size_in_points() / 100
    return w * scale, (top - bottom) * scale, -bottom * scale


@lru_cache(maxsize=8)
def _font(fontsize: float):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=fontsize)


@lru_cache(maxsize=4096)
def text_width(text: str, fontsize: float) -> float:
    """Width in inches of one line of ``text`` in the default font at ``fontsize``, with :data:`WIDTH_MARGIN`."""
    return WIDTH_MARGIN * text_extent(text, _font(fontsize))[0] / 72


def widest(labels, fontsize: float) -> float:
    """Width in inches of the widest of ``labels`` (0 for none)."""
    return max((text_width(t, fontsize) for t in {visible(x) for x in labels}), default=0.0)  # as drawn


def wrap(text: str, width_in: float, fontsize: float) -> str:
    """``text`` with each line wrapped to fit ``width_in`` inches at ``fontsize`` (titles that name what is
    not drawn can be long): a line too wide is filled to as many characters as fit at its own average width."""
    out = []
    for line in text.split("\n"):
        w = text_width(line, fontsize)
        chars = len(line) if w <= width_in else max(30, int(len(line) * width_in / w))
        out.append(textwrap.fill(line, chars, break_on_hyphens=False) if line else line)
    return "\n".join(out)


def clear_caches() -> None:
    """Forget measured widths and glyph tables (a benchmark run pays for them as a new process would)."""
    text_width.cache_clear()
    glyph_font.cache_clear()
