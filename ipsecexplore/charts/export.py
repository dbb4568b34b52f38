"""Export: a chart as PNG bytes or as SVG text, with matplotlib's own canvases (no pyplot)."""

from __future__ import annotations

import io
import re

from matplotlib.figure import Figure

__all__ = ["to_png", "to_svg", "SVG_NAMESPACE"]


def to_png(fig: Figure, dpi: int = 90) -> bytes:
    """The figure as PNG bytes (Agg canvas; no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


#: The only URL an SVG of :func:`to_svg` contains: the SVG namespace (``xmlns``), which is a name, not an
#: address; an SVG ``<img>`` without it is not drawn. Nothing is ever fetched from it.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Matplotlib writes Dublin Core metadata (creator URL, format, type URI) unless each key is set to None.
_SVG_METADATA = {"Creator": None, "Date": None, "Format": None, "Type": None}


def to_svg(fig: Figure, *, text_as_paths: bool = False) -> str:
    """The figure as SVG text. Text stays text (small, fast, searchable; drawn in the viewer's own generic
    sans-serif font, nothing is downloaded) unless ``text_as_paths``. Matplotlib XML-escapes every string;
    the output is the same for the same figure (fixed hash salt, no date).

    The output holds no URL but :data:`SVG_NAMESPACE`: no metadata block, no DOCTYPE (it names the SVG 1.1
    DTD by URL and is optional), and SVG 2 ``href`` in place of ``xlink:href`` (so no XLink namespace); every
    ``href`` and ``url()`` left points inside the SVG (``#id``) or is an embedded ``data:`` PNG."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(fig)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "path" if text_as_paths else "none", "svg.hashsalt": "ipsecexplore"}):
        fig.savefig(buf, format="svg", metadata=_SVG_METADATA)
    return _svg2(buf.getvalue())


def _svg2(svg: str) -> str:
    """Matplotlib's SVG 1.1 without its two URLs besides the SVG namespace: the DOCTYPE line and the XLink
    namespace (``xlink:href`` -> ``href``, which every current browser reads). Only tags are rewritten:
    text content never holds a raw ``<`` and attribute values never a raw ``>`` (matplotlib escapes both),
    so ``<[^>]*>`` matches tags only and an adapter named ``xlink:href="x"`` keeps its name."""
    svg = re.sub(r"<!DOCTYPE[^>]*>\n?", "", svg, count=1)
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    return re.sub(r"<[^>]*\bxlink:href=[^>]*>", lambda m: m.group(0).replace(" xlink:href=", " href="), svg)
