"""Text measurement for the charts: one measurer, matplotlib's Agg text layout (FreeType), nothing drawn.

The charts lay their axes out in inches from the widths of their labels and titles (no ``tight_layout``, which
would render every text once more); every width comes from :func:`text_width`.
"""

from __future__ import annotations

import textwrap
import threading
from functools import lru_cache

__all__ = ["text_width", "widest", "wrap", "clear_caches", "WIDTH_MARGIN", "MEASURE_DPI"]

#: Widths are measured at the PNG resolution: FreeType hinting makes small text relatively wider at screen
#: resolutions than at 72 dpi, and the widest rendering is the one that must fit.
MEASURE_DPI = 90
#: ... plus 6 % of margin.
WIDTH_MARGIN = 1.06


@lru_cache(maxsize=8)
def _renderer(thread: int):
    """A 1 × 1 pixel Agg renderer per thread, used only to lay text out."""
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, MEASURE_DPI)


@lru_cache(maxsize=8)
def _font(fontsize: float):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=fontsize)


@lru_cache(maxsize=4096)
def text_width(text: str, fontsize: float) -> float:
    """Width in inches of one line of ``text`` in the default font at ``fontsize`` (with :data:`WIDTH_MARGIN`)."""
    w, _, _ = _renderer(threading.get_ident()).get_text_width_height_descent(text, _font(fontsize), ismath=False)
    return WIDTH_MARGIN * w / MEASURE_DPI


def widest(labels, fontsize: float) -> float:
    """Width in inches of the widest of ``labels`` (0 for none)."""
    return max((text_width(t, fontsize) for t in {str(x) for x in labels}), default=0.0)


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
    """Forget measured widths (a benchmark run pays for them as a new process would)."""
    text_width.cache_clear()
