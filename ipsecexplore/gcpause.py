"""Pausing Python's cyclic garbage collector while a bulk step allocates (one owner for the idea).

An import and the fleet frame allocate hundreds of thousands of small objects (strings, tuples, records,
arrays) and make no reference cycles: each collection the collector runs meanwhile scans every young object
again and frees nothing (it was about a tenth of an import). Paused, the objects are scanned once, at the
first collection after the step; reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc():
    """Disable the cyclic garbage collector for the ``with`` block (nesting is safe: it is re-enabled only
    by the block that disabled it)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
