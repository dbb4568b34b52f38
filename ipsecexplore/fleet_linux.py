"""The Linux block of the fleet frame (issue 15): ``os`` for every row, then the Linux columns.

``os`` is ``linux`` for rows read from Linux command output and ``windows`` for every other row. The Linux
columns (names from :func:`ipsecexplore.columns.linux_columns`) are ``driver``/``firmware`` (``ethtool -i``),
``ethtool.<feature>`` and ``ethtool.<feature>.fixed`` per ESP feature, and the offloaded xfrm state counts
``xfrm.states.<in|out>.<crypto|packet|unknown>``; they are <NA> on Windows rows, as the NDIS member columns are
on Linux rows (never filled from Linux data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .captures.linux import is_linux_format
from .columns import OS, OS_VALUES, ethtool_column, linux_columns
from .crossos import FEATURE_NAMES, INFERRED_NOTE
from .identity import adapter_key

__all__ = ["linux_frame_columns", "linux_mask", "frame_notes", "linux_rows", "ndis_rows", "linux_interfaces",
           "ndis_only_note", "feature_columns", "LINUX_FEATURE_CAUSE"]

_OS_DTYPE = pd.CategoricalDtype(list(OS_VALUES))  # windows (code 0), linux (code 1)

#: ``cause`` of a Linux ESP feature that the hardware view has and the current view lacks.
LINUX_FEATURE_CAUSE = ("Linux: the feature is off but not [fixed], so it can be switched on (ethtool -K IFACE "
                       "FEATURE on); reading inferred (tests/spec/capture-formats.md §8.1)")


def linux_mask(records: list) -> np.ndarray:
    """Bool numpy array per record: read from Linux command output (its ``fmt``)."""
    return np.fromiter((is_linux_format(r.fmt) for r in records), dtype=bool, count=len(records))


def linux_frame_columns(records: list, is_linux: np.ndarray | None = None) -> dict:
    """``{column: array}``: ``os`` and the Linux block for ``records`` (in order). ``is_linux``: the
    :func:`linux_mask` of ``records`` when the caller has it already."""
    lin = linux_mask(records) if is_linux is None else is_linux
    cols: dict = {OS: pd.Categorical.from_codes(lin.astype(np.int8), dtype=_OS_DTYPE)}
    rows = np.flatnonzero(lin)
    # Only Linux rows are looked at; every other row is NA, taken from position -1 (the fill).
    at = np.full(len(lin), -1, dtype=np.intp)
    at[rows] = np.arange(len(rows))
    for name, dtype in linux_columns():
        cols[name] = pd.array([records[i].values.get(name) for i in rows], dtype=dtype).take(at, allow_fill=True)
    return cols


def frame_notes(records: list, is_linux: np.ndarray | None = None) -> dict[str, str]:
    """Notes for ``frame.attrs["notes"]`` (``{column: note}``): under ``os``, that the hardware/current reading
    of Linux rows is inferred, when there are any (``is_linux`` as in :func:`linux_frame_columns`)."""
    lin = linux_mask(records) if is_linux is None else is_linux
    return {OS: INFERRED_NOTE} if lin.any() else {}


def linux_rows(frame: pd.DataFrame):
    """Bool numpy array per frame row: read from Linux command output (``os`` = ``linux``)."""
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
