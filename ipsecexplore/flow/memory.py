"""Simulated kernel addresses for pointer members and handles (x64 and x86).

The values only need to look like kernel addresses of the right width and be unique and repeatable, so
that byte dumps of ``NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES``, ``NDIS_STATUS_INDICATION`` and the SA
structures show plausible pointers.
"""

from __future__ import annotations

__all__ = ["Allocator"]

# Typical kernel pool ranges: x64 non-paged pool lives high in the canonical upper half, x86 above
# 0x80000000. Purely illustrative.
_BASE = {"x64": 0xFFFFA00000000000, "x86": 0x80000000}
_STEP = 0x1000


class Allocator:
    """Hands out page-aligned fake addresses, one per call, in a fixed order."""

    def __init__(self, arch: str = "x64", base: int | None = None):
        if arch not in _BASE:
            raise ValueError(f"unknown architecture {arch!r}")
        self.arch = arch
        self._next = base if base is not None else _BASE[arch] + 0x10000
        self.named: dict[str, int] = {}

    def alloc(self, name: str | None = None) -> int:
        """The next fake address; ``name`` records it in :attr:`named`."""
        addr = self._next
        self._next += _STEP
        if name:
            self.named[name] = addr
        return addr
