"""One exception family for everything ipsecexplore refuses.

Every parse or build failure passes through here, so callers catch :class:`IpsecExploreError` (or the
``ValueError`` it is) once, and messages always name where: structure, member path, byte offset, file,
line, record index — and what was expected versus found.
"""

from __future__ import annotations

from .formatting import value_text

__all__ = ["IpsecExploreError", "DecodeError", "EncodeError", "InputError"]


class IpsecExploreError(ValueError):
    """Base class. Attributes are None when they do not apply."""

    def __init__(self, message: str, *, structure: str | None = None, path: str | None = None,
                 offset: int | None = None, expected=None, actual=None, source: str | None = None,
                 line: int | None = None, index: int | None = None):
        self.reason = message
        self.structure = structure
        self.path = path
        self.offset = offset
        self.expected = expected
        self.actual = actual
        self.source = source
        self.line = line
        self.index = index
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.source is not None:
            where.append(f"{self.source}:{self.line}" if self.line is not None else str(self.source))
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.index is not None:
            where.append(f"record {self.index}")
        if self.structure:
            where.append(self.structure + (f".{self.path}" if self.path else ""))
        elif self.path:
            where.append(self.path)
        if self.offset is not None:
            where.append(f"offset 0x{self.offset:X} ({self.offset})")
        msg = self.reason
        if self.expected is not None and self.actual is not None:
            msg += f" (expected {_fmt(self.expected)}, got {_fmt(self.actual)})"
        elif self.actual is not None:
            msg += f" (got {_fmt(self.actual)})"
        elif self.expected is not None:
            msg += f" (expected {_fmt(self.expected)})"
        return (", ".join(where) + ": " + msg) if where else msg


def _fmt(v) -> str:
    return value_text(v, other=lambda x: repr(x) if isinstance(x, str) else str(x))


class DecodeError(IpsecExploreError):
    """Bytes that are not a valid structure."""


class EncodeError(IpsecExploreError):
    """Values that cannot be packed (out of range, member absent in the chosen revision, …)."""


class InputError(IpsecExploreError):
    """A file or text the user gave that cannot be read (format, encoding, size limit)."""
