"""Fleet charts: what a fleet of adapters can offload, drawn with matplotlib.

Every function takes a :class:`~ipsecexplore.fleet.Fleet` (or its ``frame``) and returns a
:class:`matplotlib.figure.Figure`; nothing here touches pyplot's global state or calls ``show``, so the
functions work under the Agg backend, in notebooks and in the report alike.

>>> from ipsecexplore.fleet import load_fleet           # doctest: +SKIP
>>> from ipsecexplore import charts                     # doctest: +SKIP
>>> fig = charts.capability_matrix(load_fleet(["data"]))   # doctest: +SKIP

Conventions shared by all charts:

- the capabilities are the ``BOOLEAN`` members of ``NDIS_IPSEC_OFFLOAD_V2`` (from the layout) and every flag
  of its mask members (from :func:`ipsecexplore.columns.flag_columns`); nothing is listed by hand;
- labels are C names: the dotted member path for a ``BOOLEAN`` (``IPsecV2.Esp``), the macro for a flag
  (``IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128``);
- one colour per flag family (:data:`FAMILY_COLOURS`), the same in every chart;
- ``<NA>`` (the capture does not carry the member) is drawn as *unknown*, never as False;
- above a row threshold, adapters are aggregated by identical capability set and drawn once with their
  count, so a chart of 10,000 adapters stays as readable as one of 10. Whatever is not drawn is said in
  the chart's title;
- when the ``provenance`` column marks rows as illustrative (the sample dataset), every chart carries the
  label "sample data (partly guessed): N of M rows illustrative" above its title (:func:`sample_rows`;
  tests/spec/adapters.md B1), and the SA-capacity chart says that a Hyper-V vNIC's value is a per-vNIC budget (B3).

The package's modules: :mod:`~ipsecexplore.charts.style` (colours, view styles), :mod:`~ipsecexplore.charts.measure`
(text widths), :mod:`~ipsecexplore.charts.provenance` (sample-data label, Linux note, Hyper-V vNIC rows),
:mod:`~ipsecexplore.charts.base` (what the charts share), one module per chart family (``matrix``, ``coverage``,
``sets``, ``gap``, ``similarity``, ``capacity``) and :mod:`~ipsecexplore.charts.export` (PNG, SVG). The adapter pivot
the charts draw from is :mod:`ipsecexplore.pivot` (fleet layer); its names are re-exported here.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from ..pivot import AdapterTable, Capability, adapter_table, capabilities, view_rows
from .base import NOT_REPORTED, axis_labels, unique_rows
from .capacity import sa_capacity, sa_capacity_per_host
from .coverage import algorithm_coverage
from .export import SVG_NAMESPACE, to_png, to_svg
from .gap import hardware_gap
from .matrix import MATRIX_STATES, capability_matrix, matrix_states
from .provenance import (
    ILLUSTRATIVE,
    LINUX_NOTE_GID,
    SAMPLE_LABEL,
    SAMPLE_LABEL_GID,
    SampleRows,
    hyperv_vnic_rows,
    linux_note,
    provenance_kind,
    sample_label,
    sample_rows,
)
from .sets import capability_sets
from .similarity import SIMILARITY_MAX_ROWS, adapter_similarity, jaccard_distance
from .style import (
    ALERT_COLOUR,
    BOOLEAN_FAMILY,
    COVERAGE_MEMBERS,
    DEFAULT_MAX_ROWS,
    FALSE_COLOUR,
    FAMILY_COLOURS,
    SA_CAPACITY,
    UNKNOWN_COLOUR,
)

__all__ = [
    "Capability", "capabilities", "FAMILY_COLOURS", "BOOLEAN_FAMILY", "AdapterTable",
    "adapter_table", "unique_rows", "capability_matrix", "algorithm_coverage", "capability_sets", "hardware_gap",
    "adapter_similarity", "sa_capacity", "sa_capacity_per_host", "all_charts", "CHARTS", "to_png", "to_svg",
    "DEFAULT_MAX_ROWS", "SIMILARITY_MAX_ROWS", "FALSE_COLOUR", "UNKNOWN_COLOUR", "ALERT_COLOUR",
    "COVERAGE_MEMBERS", "SA_CAPACITY", "SVG_NAMESPACE", "jaccard_distance", "MATRIX_STATES", "matrix_states",
    "axis_labels", "SampleRows", "sample_rows", "sample_label", "provenance_kind", "hyperv_vnic_rows",
    "ILLUSTRATIVE", "SAMPLE_LABEL", "SAMPLE_LABEL_GID", "NOT_REPORTED", "view_rows", "linux_note",
    "LINUX_NOTE_GID",
]

#: Every chart, by name, in the order the report shows them.
CHARTS = {
    "capability_matrix": capability_matrix,
    "algorithm_coverage": algorithm_coverage,
    "capability_sets": capability_sets,
    "hardware_gap": hardware_gap,
    "adapter_similarity": adapter_similarity,
    "sa_capacity": sa_capacity,
    "sa_capacity_per_host": sa_capacity_per_host,
}


def all_charts(fleet) -> dict[str, Figure]:
    """Every chart of :data:`CHARTS` for ``fleet`` (the frame is pivoted once for all of them)."""
    table = adapter_table(fleet)
    return {name: fn(table) for name, fn in CHARTS.items()}
