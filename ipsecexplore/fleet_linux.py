"""The Linux block of the fleet frame (issue 15): ``os`` for every row, then the Linux columns.

``os`` is ``linux`` for rows read from Linux command output and ``windows`` for every other row. The Linux
columns (names from :func:`ipsecexplore.columns.linux_columns`) are ``driver``/``firmware`` (``ethtool -i``),
``ethtool.<feature>`` and ``ethtool.<feature>.fixed`` per ESP feature, and the offloaded xfrm state counts
``xfrm.states.<in|out>.<crypto|packet|unknown>``; they are <NA> on Windows rows, as the NDIS member columns are
on Linux rows (never filled from Linux data).
"""

from __future__ import annotations

import pandas as pd

from .captures.linux import is_linux_format
from .columns import OS, ethtool_column, linux_columns
from .crossos import FEATURE_NAMES, INFERRED_NOTE
from .identity import adapter_key

__all__ = ["linux_frame_columns", "frame_notes", "linux_rows", "ndis_rows", "linux_interfaces", "ndis_only_note",
           "feature_columns", "LINUX_FEATURE_CAUSE"]

#: ``cause`` of a Linux ESP feature that the hardware view has and the current view lacks.
LINUX_FEATURE_CAUSE = ("Linux: the feature is off but not [fixed], so it can be switched on (ethtool -K IFACE "
                       "FEATURE on); reading inferred (tests/spec/capture-formats.md §8.1)")


def linux_frame_columns(records: list) -> dict:
    """``{column: array}``: ``os`` and the Linux block for ``records`` (in order)."""
    is_lin = [is_linux_format(r.fmt) for r in records]
    cols: dict = {OS: pd.Categorical(["linux" if x else "windows" for x in is_lin],
                                     categories=["windows", "linux"])}
    lin_rows = [(i, r) for i, (r, lin) in enumerate(zip(records, is_lin)) if lin]
    for name, dtype in linux_columns():
        vals: list = [None] * len(records)  # NA on Windows rows; only Linux rows are looked at
        for i, r in lin_rows:
            vals[i] = r.values.get(name)
        cols[name] = pd.array(vals, dtype=dtype)
    return cols


def frame_notes(records: list) -> dict[str, str]:
    """Notes for ``frame.attrs["notes"]`` (``{column: note}``): under ``os``, that the hardware/current reading
    of Linux rows is inferred, when there are any."""
    return {OS: INFERRED_NOTE} if any(is_linux_format(r.fmt) for r in records) else {}


def linux_rows(frame: pd.DataFrame):
    """Bool numpy array per frame row: read from Linux command output (``os`` = ``linux``)."""
    import numpy as np

    if OS not in frame:
        return np.zeros(len(frame), dtype=bool)
    return (frame[OS].astype("string") == "linux").fillna(False).to_numpy(dtype=bool)


def ndis_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows the NDIS-only views (rule findings, SA capacity, the capability charts) read: every row but
    the Linux ones, whose NDIS members are <NA> by design (the frame itself when it has no Linux row)."""
    lin = linux_rows(frame)
    return frame[~lin] if lin.any() else frame


def linux_interfaces(frame: pd.DataFrame) -> int:
    """Distinct Linux interfaces (host + interface name, case-insensitive) of a fleet frame."""
    lin = frame[linux_rows(frame)]
    if not len(lin):
        return 0
    return int(adapter_key(lin["host"], lin["adapter"]).nunique())


def ndis_only_note(n: int, what: str = "shown") -> str:
    """What an NDIS-only view says about the ``n`` Linux interfaces it leaves out ('' for none)."""
    if not n:
        return ""
    return (f"{n} Linux interface{'s' if n != 1 else ''} not {what}: Linux has no NDIS_IPSEC_OFFLOAD_V2, so "
            "their NDIS members are <NA> by design (tests/spec/capture-formats.md §8); see Fleet.can_offload, the "
            "cross-OS charts and the report's Linux section")


def feature_columns() -> list[tuple[str, str]]:
    """``[(column, ethtool feature name), ...]`` of the ESP feature states (``ethtool.esp-hw-offload`` …)."""
    return [(ethtool_column(f), f) for f in FEATURE_NAMES]
