"""What a chart says about where its rows come from: the sample-data label of illustrative rows
(tests/spec/adapters.md B1), the note on Linux interfaces an NDIS chart leaves out, Hyper-V vNIC rows (B3)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..columns import VIRTUAL
from ..fleet_linux import linux_interfaces, ndis_only_note
from ..identity import virtual_evidence
from ..pivot import AdapterTable, frame_of, ndis_frame
from .base import TOP_LEGEND_GID, fmt
from .measure import wrap

__all__ = ["ILLUSTRATIVE", "SAMPLE_LABEL", "SAMPLE_LABEL_GID", "SampleRows", "provenance_kind", "sample_rows",
           "hyperv_vnic_rows", "sample_band", "labelled", "sample_label", "LINUX_NOTE_GID", "linux_note"]

#: Marks sample data in the ``provenance`` column (data/make_sample.py writes ``illustrative: …`` for a row
#: whose values are guessed or chosen, ``sourced: …; illustrative: every other value …`` for a row that is
#: sourced in part). Captures of real systems say ``captured``.
ILLUSTRATIVE = "illustrative"
#: Start of the label every chart of a fleet with illustrative rows carries (tests/spec/adapters.md B1).
SAMPLE_LABEL = "sample data (partly guessed)"
SAMPLE_LABEL_GID = "ipsecexplore-sample-label"
# 'illustrative' at the start of the text or of a clause (after ';', '[' or '(')
_ILLUSTRATIVE_CLAUSE = re.compile(r"(?:^|[;\[(])\s*illustrative\b", re.IGNORECASE)


@dataclass(frozen=True)
class SampleRows:
    """How many rows of a fleet frame its ``provenance`` column marks as sample data: ``illustrative`` (the
    provenance starts with ``illustrative``: every value guessed or chosen), ``partly`` (a sourced row
    that names illustrative values in a later clause, e.g. ``sourced: SaOffloadCapacity=A2.1; illustrative:
    every other value``), out of ``rows``."""

    rows: int
    illustrative: int
    partly: int

    def __bool__(self) -> bool:
        return bool(self.illustrative or self.partly)

    @property
    def label(self) -> str:
        """E.g. ``sample data (partly guessed): 53 of 129 rows illustrative, 74 more in part (provenance
        column)``; empty when no row is illustrative."""
        if not self:
            return ""
        if self.illustrative:
            text = f"{fmt(self.illustrative)} of {fmt(self.rows)} rows illustrative"
            if self.partly:
                text += f", {fmt(self.partly)} more in part"
        else:
            text = f"{fmt(self.partly)} of {fmt(self.rows)} rows illustrative in part"
        return f"{SAMPLE_LABEL}: {text} (provenance column)"


def provenance_kind(text) -> int:
    """2 = illustrative (the provenance starts with ``illustrative``), 1 = illustrative in part (a later
    clause does), 0 = neither (``captured``, ``sourced: …``, missing)."""
    if not isinstance(text, str):
        return 0
    if text.lstrip().lower().startswith(ILLUSTRATIVE):
        return 2
    return 1 if _ILLUSTRATIVE_CLAUSE.search(text) else 0


def sample_rows(fleet) -> SampleRows:
    """Count the sample rows of a fleet (or its frame, or an :class:`AdapterTable`) from its ``provenance``
    column, never from file names: a capture of a real system copied next to the sample is not sample."""
    f = fleet.frame if isinstance(fleet, AdapterTable) else frame_of(fleet)
    if f is None or "provenance" not in f or not len(f):
        return SampleRows(0 if f is None else len(f), 0, 0)
    col = f["provenance"]
    cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")
    # one check per distinct text (a handful), then a lookup per row; code -1 (<NA>) takes the last entry
    kinds = np.array([provenance_kind(c) for c in cat.cat.categories] + [0], dtype=np.int8)
    k = kinds[cat.cat.codes.to_numpy()]
    return SampleRows(len(f), int((k == 2).sum()), int((k == 1).sum()))


def hyperv_vnic_rows(fleet) -> np.ndarray:
    """Bool per frame row: a Hyper-V vNIC (tests/spec/adapters.md A4/B3), from the fleet's ``virtual`` column (or, for a
    frame without it, the same evidence: :func:`ipsecexplore.identity.virtual_evidence`). Its
    ``SaOffloadCapacity`` is the per-vNIC SA budget of
    ``Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation``, not a hardware figure."""
    f = fleet.frame if isinstance(fleet, AdapterTable) else frame_of(fleet)
    if f is None or not len(f):
        return np.zeros(0 if f is None else len(f), dtype=bool)
    if VIRTUAL in f:
        v = f[VIRTUAL]
    else:
        empty = pd.Series([pd.NA] * len(f), dtype="string", index=f.index)
        v, _ = virtual_evidence(f["adapter"] if "adapter" in f else empty,
                                f["description"] if "description" in f else empty,
                                f["source"] if "source" in f else empty)
    return v.fillna(False).to_numpy(dtype=bool)


def sample_band(fig: Figure, text: str, gid: str = SAMPLE_LABEL_GID) -> None:
    """Add ``text`` in a band above everything else in the figure: the figure grows by the band's height
    and every axes, the title and figure texts keep their place in inches from the bottom (figure legends
    are anchored at the bottom already)."""
    W, H = fig.get_size_inches()
    text = wrap(text, W - 0.4, 8)
    band = 0.14 + 0.16 * (text.count("\n") + 1)
    H2 = H + band
    f = H / H2
    for ax in fig.axes:
        pos = ax.get_position(original=True)
        ax.set_position([pos.x0, pos.y0 * f, pos.width, pos.height * f], which="both")
    for t in fig.texts:  # suptitle included
        t.set_y(t.get_position()[1] * f)
    tops = [(leg, leg.get_bbox_to_anchor().transformed(fig.transFigure.inverted()))
            for leg in fig.legends if leg.get_gid() == TOP_LEGEND_GID]
    fig.set_size_inches(W, H2)
    for leg, bb in tops:  # a legend hanging under the title moves down with it
        leg.set_bbox_to_anchor((bb.x0, bb.y0 * f), transform=fig.transFigure)
    look = dict(color="#7A3E00", face="#FFF3E0", edge="#E69F00") if gid == SAMPLE_LABEL_GID else \
        dict(color="#333333", face="#F2F2F2", edge="#999999")
    fig.text(0.5, 1 - 0.07 / H2, text, ha="center", va="top", fontsize=8, color=look["color"], gid=gid,
             bbox=dict(boxstyle="round,pad=0.25", facecolor=look["face"], edgecolor=look["edge"], linewidth=0.8))


def labelled(chart):
    """Decorate a chart function: the figure carries :attr:`SampleRows.label` when the provenance column of
    the rows it draws marks sample rows (tests/spec/adapters.md B1: every chart must label sample data visibly), and a
    note saying how many Linux interfaces it leaves out (:func:`linux_note`)."""


    @functools.wraps(chart)
    def wrapper(fleet, *args, **kw):
        fig = chart(fleet, *args, **kw)
        nlin = fleet.linux_interfaces if isinstance(fleet, AdapterTable) else linux_interfaces(frame_of(fleet))
        if nlin:
            sample_band(fig, ndis_only_note(nlin, "drawn"), gid=LINUX_NOTE_GID)
        rows = sample_rows(fleet if isinstance(fleet, AdapterTable) else ndis_frame(fleet))  # the rows drawn
        if rows:
            sample_band(fig, rows.label)
        return fig

    return wrapper


def sample_label(fig: Figure) -> str:
    """The sample-data label of a chart ('' when it has none)."""
    return next((t.get_text() for t in fig.texts if t.get_gid() == SAMPLE_LABEL_GID), "")


#: gid of the note an NDIS chart carries when it leaves Linux interfaces out.
LINUX_NOTE_GID = "ipsecexplore-linux-note"


def linux_note(fig: Figure) -> str:
    """The note of a chart about the Linux interfaces it does not draw ('' when it has none)."""
    return next((t.get_text() for t in fig.texts if t.get_gid() == LINUX_NOTE_GID), "")
