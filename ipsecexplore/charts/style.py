"""How the charts look: one colour per flag family (the same in every chart), the colours of FALSE, unknown and
alert cells, and the style of each view."""

from __future__ import annotations

from ..columns import IPSECV2_FLAG_MEMBERS, SA_CAPACITY
from ..pivot import BOOLEAN_FAMILY, VIEW_ORDER

__all__ = ["BOOLEAN_FAMILY", "COVERAGE_MEMBERS", "SA_CAPACITY", "DEFAULT_MAX_ROWS", "FAMILY_COLOURS", "FALSE_COLOUR",
           "UNKNOWN_COLOUR", "ALERT_COLOUR", "VIEW_ORDER", "VIEW_STYLE", "view_style", "colours_of"]

#: The mask members whose flags the algorithm-coverage chart counts (authentication, encryption, UDP-ESP).
COVERAGE_MEMBERS = ("IPsecV2.AuthenticationAlgorithms", "IPsecV2.EncryptionAlgorithms", "IPsecV2.UdpEsp")
#: Above this many rows, row-per-adapter charts aggregate adapters by identical capability set.
DEFAULT_MAX_ROWS = 100

# Colour-blind-safe (Okabe-Ito) hues; red is kept out of the families because it marks problems.
_PALETTE = ("#0072B2", "#8C564B", "#CC79A7", "#009E73", "#E69F00", "#56B4E9")
#: Colour of each flag family (mask member path), of :data:`BOOLEAN_FAMILY` and of the SA capacity.
FAMILY_COLOURS: dict[str, str] = {
    fam: _PALETTE[i] for i, fam in enumerate((BOOLEAN_FAMILY, *IPSECV2_FLAG_MEMBERS, SA_CAPACITY))
}
#: Not supported / not enabled.
FALSE_COLOUR = "#F2F2F2"
#: <NA>: the capture does not say.
UNKNOWN_COLOUR = "#A6A6A6"
#: Supported by the hardware but switched off; enabled without hardware support.
ALERT_COLOUR = "#C62828"
#: Bar style per view. Hatches are SVG patterns: lines are a few hundred bytes, dots ("..") 66 KB of circles
#: per colour.
VIEW_STYLE = {"hardware": dict(alpha=1.0, hatch=None), "current": dict(alpha=0.55, hatch="//"),
              "unknown": dict(alpha=0.3, hatch="\\\\")}


def view_style(view: str) -> dict:
    """The bar style of ``view`` (views other than hardware and current are drawn as ``unknown``)."""
    return VIEW_STYLE.get(view, VIEW_STYLE["unknown"])


def colours_of(caps) -> list[str]:
    """The family colour of each capability (:class:`~ipsecexplore.pivot.Capability`)."""
    return [FAMILY_COLOURS[c.family] for c in caps]
