"""One cell of a pandas frame as a plain Python value: ``<NA>``/NaN/None are unknown (None), numpy and pandas
scalars become ``bool``/``int``/``float``/``str``. Shared by the diff, the fleet questions and the fleet-row
findings, so that "unknown" means the same everywhere."""

from __future__ import annotations

__all__ = ["is_na", "plain_value"]


def is_na(v) -> bool:
    """True for None, ``pd.NA``, NaN and NaT; False for every other value (lists and arrays included)."""
    if v is None or (isinstance(v, float) and v != v):
        return True
    try:
        import pandas as pd

        return v is pd.NA or bool(pd.isna(v)) is True
    except (TypeError, ValueError):
        return False


def plain_value(v):
    """numpy/pandas scalars -> Python bool/int/float/str; unknown (see :func:`is_na`) -> None; bytes and
    other values unchanged."""
    if is_na(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (bytes, bytearray)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            pass
    return v
