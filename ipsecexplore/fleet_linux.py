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
from .columns import OS, linux_columns
from .crossos import INFERRED_NOTE

__all__ = ["linux_frame_columns", "frame_notes"]


def linux_frame_columns(records: list) -> dict:
    """``{column: array}``: ``os`` and the Linux block for ``records`` (in order)."""
    is_lin = [is_linux_format(r.fmt) for r in records]
    cols: dict = {OS: pd.Categorical(["linux" if x else "windows" for x in is_lin],
                                            categories=["windows", "linux"])}
    for name, dtype in linux_columns():
        vals = [r.values.get(name) if lin else None for r, lin in zip(records, is_lin)]
        cols[name] = pd.array(vals, dtype=dtype)
    return cols


def frame_notes(records: list) -> dict[str, str]:
    """Notes for ``frame.attrs["notes"]`` (``{column: note}``): under ``os``, that the hardware/current reading
    of Linux rows is inferred, when there are any."""
    return {OS: INFERRED_NOTE} if any(is_linux_format(r.fmt) for r in records) else {}
