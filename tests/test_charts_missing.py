"""Charts of adapters whose IPsecV2 block is missing entirely, and of adapters a view-based chart cannot draw.

A revision-1 ``NDIS_OFFLOAD`` or an ``NDIS_WMI_OFFLOAD`` block loads as a row with only ``Header.*`` known and
every IPsecV2 column ``<NA>``: the charts must say so ("IPsecV2 not reported"), never leave it to look like an
adapter that supports nothing. A raw capture that names no view (view ``unknown``) is drawn by the capability
matrix in the hardware column; the set and similarity charts of the hardware view do the same, and whatever
adapter a view-based chart does not draw is counted in its title, so the drawn counts plus the counted ones
are the fleet's adapters.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402

import pytest  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from test_charts import _hw  # noqa: E402

from ipsecexplore import charts  # noqa: E402
from ipsecexplore.captures.record import AdapterRecord  # noqa: E402
from ipsecexplore.fleet import fleet_frame  # noqa: E402

NOT_REPORTED = "IPsecV2 not reported"


NOTHING = _hw()  # an adapter that reports IPsecV2 and supports nothing
SOME = _hw(Esp=True, Transport=True)


def _fleet():
    recs = [
        AdapterRecord("H1", "supports-nothing", "NIC", "hardware", "a.txt", 1, NOTHING),
        AdapterRecord("H1", "supports-nothing", "NIC", "current", "a.txt", 1, NOTHING),
        AdapterRecord("H1", "esp", "NIC", "hardware", "a.txt", 40, SOME),
        AdapterRecord("H1", "esp", "NIC", "current", "a.txt", 40, SOME),
        # revision-1 raw record: only the header is known
        AdapterRecord("H2", "rev1", None, "hardware", "r1.bin", None, {"Header.Revision": 1}, offset=0),
        # NDIS_WMI_OFFLOAD block of unknown view: only the header
        AdapterRecord("H3", "wmi", None, "unknown", "wmi.bin", None, {"Header.Revision": 1}, offset=0),
        # a raw capture of unknown view that does carry IPsecV2
        AdapterRecord("H4", "raw", None, "unknown", "raw.bin", None, dict(SOME, **{"Header.Revision": 2}), offset=0),
        # only a current view
        AdapterRecord("H5", "cur-only", "NIC", "current", "c.txt", 1, SOME),
    ]
    return fleet_frame(recs)


@pytest.fixture(scope="module")
def frame():
    return _fleet()


def _title(fig) -> str:
    return "\n".join(t.get_text() for t in fig.texts if t.get_gid() != charts.SAMPLE_LABEL_GID)


def _adapter_bars(fig):
    (bars,) = [c for ax in fig.axes for c in ax.containers
               if isinstance(c, BarContainer) and c.get_label() == "adapters"]
    return [int(b.get_height()) for b in bars]


def test_matrix_labels_adapters_without_ipsecv2_as_not_reported(frame):
    fig = charts.capability_matrix(frame)
    labels = charts.axis_labels(fig.axes[0], "y")
    tagged = sorted(lab.split(" / ")[1].split()[0] for lab in labels if NOT_REPORTED in lab)
    assert tagged == ["rev1", "wmi"]  # never the adapter that reports IPsecV2 with nothing supported
    assert "2 adapters with " + NOT_REPORTED in _title(fig).replace("\n", " ")


def test_matrix_aggregated_row_of_missing_ipsecv2_is_labelled(frame):
    fig = charts.capability_matrix(frame, max_rows=2)
    labels = charts.axis_labels(fig.axes[0], "y")
    assert any(NOT_REPORTED in lab and lab.startswith("2 adapters") for lab in labels), labels


def test_set_chart_names_the_set_of_missing_ipsecv2_and_counts_every_adapter(frame):
    fig = charts.capability_sets(frame, view="hardware")
    heights = _adapter_bars(fig)
    title = _title(fig).replace("\n", " ")
    # drawn: hardware rows (supports-nothing, esp, rev1) and the two adapters whose capture names no view
    assert sum(heights) == 5
    n_not_drawn = int(re.search(r"(\d+) adapters? without a hardware view not drawn", title).group(1))
    assert sum(heights) + n_not_drawn == len(charts.adapter_table(frame)) == 6
    assert "2 of them from raw bytes whose capture names no view" in title
    assert "2 adapters with " + NOT_REPORTED in title
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert NOT_REPORTED in texts  # on the all-unknown set's column itself


def test_set_chart_of_raw_captures_without_a_view_is_drawn():
    recs = [AdapterRecord("H", f"raw#{i}", None, "unknown", "x.bin", None, SOME if i % 2 else NOTHING,
                          offset=144 * i) for i in range(4)]
    f = fleet_frame(recs)
    assert sorted(_adapter_bars(charts.capability_sets(f))) == [2, 2]
    sim = charts.adapter_similarity(f)
    assert any(ax.get_images() for ax in sim.axes)


def test_empty_view_says_which_views_there_are(frame):
    f = frame[frame["view"] == "current"]
    fig = charts.capability_sets(f, view="hardware")
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "current" in texts


def test_similarity_labels_missing_ipsecv2_and_counts_what_is_not_drawn(frame):
    fig = charts.adapter_similarity(frame)
    heat = next(a for a in fig.axes if a.get_images())
    labels = charts.axis_labels(heat, "y")
    assert len(labels) == 5
    assert sorted(lab.split(" / ")[1].split()[0] for lab in labels if NOT_REPORTED in lab) == ["rev1", "wmi"]
    assert re.search(r"1 adapter without a hardware view not drawn", _title(fig).replace("\n", " "))
