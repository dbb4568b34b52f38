"""How far a structure's bytes reach, compared with what its revision declares — one object, its own sentences.

A reader accepts a ``Header.Size`` larger than the revision's NDIS_SIZEOF value (tests/spec/layouts.md §7,
rule R8) and decodes only the revision's members; a writer sets exactly the macro value (R10). The SA
structures may carry ``sizeof`` instead (tests/spec/layouts.md §3.3). Bytes past ``Header.Size`` belong to no
structure. :class:`Extent` holds those facts for one decode (``Decoded.extent``) and words them once, for the
codec's notes, the hex dump, the CLI, the builder, the C initializer and rule R10.

>>> from ipsecexplore.layouts import layout
>>> e = Extent.of(layout("NDIS_OFFLOAD"), 2, 148, beyond=bytes(4))
>>> e.larger, e.macro, e.size_meaning()
(True, 144, 'larger than NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2 (144): accepted by readers (R8)')
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Extent", "bytes_summary", "PAST_MACRO"]

#: what a hex dump calls a byte inside a larger Header.Size but past the revision's NDIS_SIZEOF
PAST_MACRO = "(past NDIS_SIZEOF: not decoded)"


def bytes_summary(raw: bytes, limit: int = 16) -> str:
    """``all zero``, or ``not all zero: `` and the first ``limit`` bytes in hex — how extra bytes are reported."""
    if not any(raw):
        return "all zero"
    return "not all zero: " + raw[:limit].hex(" ") + (" …" if len(raw) > limit else "")


@dataclass(frozen=True)
class Extent:
    """``Header.Size`` as read against the revision's NDIS_SIZEOF (``macro``), with the bytes kept.

    ``beyond``: bytes between the macro size and a larger Header.Size (kept, not decoded); ``trailing``: bytes
    past Header.Size; ``sizeof_used``: Header.Size is ``sizeof`` rather than the macro (SA structures)."""

    structure: str
    revision: int | None
    header_size: int | None
    macro: int | None = None
    size_constant: str | None = None
    beyond: bytes = b""
    trailing: bytes = b""
    sizeof_used: bool = False
    sizeof: int | None = field(default=None, compare=False)
    layout: object = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, lay, revision, header_size, *, beyond: bytes = b"", trailing: bytes = b"",
           sizeof_used: bool = False) -> Extent:
        """The extent of a ``lay`` structure of ``revision`` whose Header.Size is ``header_size`` (an unknown
        revision has no macro size)."""
        macro = constant = None
        if lay.revisions and revision in {r.revision for r in lay.revisions}:
            info = lay.revision(revision)
            macro, constant = info.size, info.size_constant or f"NDIS_SIZEOF ({info.size})"
        return cls(lay.name, revision, header_size, macro, constant, bytes(beyond), bytes(trailing), sizeof_used,
                   lay.sizeof, lay)

    @property
    def larger(self) -> bool:
        """True when Header.Size is larger than the revision's NDIS_SIZEOF (and is not an accepted ``sizeof``)."""
        return (self.macro is not None and self.header_size is not None and self.header_size > self.macro
                and not self.sizeof_used)

    def decode_notes(self) -> list[str]:
        """What a decode says about the size: ``sizeof`` accepted, or a larger Header.Size and its bytes."""
        if self.sizeof_used:
            return [f"Header.Size is sizeof ({self.header_size}) rather than the NDIS_SIZEOF value ({self.macro}); "
                    "readers accept either (tests/spec/layouts.md §3.3)"]
        if not self.larger or not self.beyond:
            return []
        return [f"{self._larger_than()}; readers accept a larger size (tests/spec/layouts.md §7): only "
                f"revision-{self.revision} members are decoded, {self._beyond_bytes()} are kept, not decoded "
                f"({bytes_summary(self.beyond)})"]

    def trailing_note(self) -> str | None:
        """What a decode says about bytes past Header.Size (None when there are none)."""
        if not self.trailing:
            return None
        return f"{len(self.trailing)} byte(s) follow Header.Size ({self.header_size}); kept, not decoded"

    def sentences(self) -> list[str]:
        """Everything this extent has to say, in plain words."""
        return self.decode_notes() + ([self.trailing_note()] if self.trailing else [])

    def trailing_ignored_note(self) -> str | None:
        """What an editor that keeps only Header.Size bytes says of the bytes past it (None when none)."""
        if not self.trailing:
            return None
        return (f"{len(self.trailing)} byte(s) after Header.Size ({self.header_size}) are not part of the "
                f"{self.structure}: ignored (the dump and the exports hold Header.Size bytes)")

    def size_meaning(self) -> str | None:
        """The meaning a member table gives a larger Header.Size (None when it is not larger)."""
        if not self.larger:
            return None
        return f"larger than {self.size_constant} ({self.macro}): accepted by readers (R8)"

    def writer_comment(self) -> str | None:
        """The C comment beside ``Header.Size = NDIS_SIZEOF_…`` for an object read with a larger size."""
        if not self.larger:
            return None
        return f"/* read as {self.header_size}; a driver writes the NDIS_SIZEOF value (R10) */"

    def kept_note(self) -> str | None:
        """Why an object read from bytes is longer than its revision's macro size (None when it is not)."""
        if not self.larger or not self.beyond:
            return None
        return (f"{self._larger_than()}, as read: {self._beyond_bytes()} are kept, not decoded "
                "(a driver writes the macro value, R10)")

    def json_note(self) -> str | None:
        """Why values given as JSON with a larger Header.Size are written with the macro size (None if not)."""
        if not self.larger:
            return None
        return (f"{self._larger_than()}; JSON holds no bytes past the members, so the record is written with "
                f"Header.Size {self.macro}, as a driver writes it (R10)")

    def dropped_note(self, new_revision: int, new_size: int) -> str | None:
        """What a change of revision leaves behind of a larger Header.Size and its bytes (None if nothing)."""
        if not self.larger or not self.beyond:
            return None
        state = "all zero" if not any(self.beyond) else "not all zero"
        return (f"Header.Size {self.header_size} (larger than the macro, as read) became {new_size}, the size of "
                f"revision {new_revision}; the {len(self.beyond)} byte(s) read past the macro size were not "
                f"carried over ({state}).")

    def r10_message(self) -> str | None:
        """Rule R10's finding for a larger Header.Size (None when it is not larger)."""
        if not self.larger:
            return None
        what = ""
        if self.beyond:
            what = (f" The {len(self.beyond)} byte(s) at offsets {self.macro}..{self.macro + len(self.beyond) - 1} "
                    f"are not members of revision {self.revision} and are not checked "
                    f"({bytes_summary(self.beyond)}).")
        return (f"Header.Size {self.header_size} is larger than {self.size_constant} ({self.macro}). Readers "
                f"accept it, but a writer sets exactly the macro value.{what}")

    def not_reported(self, group: str) -> str | None:
        """Why the members of top-level ``group`` (``"IPsecV2"``) are not reported — ``not reported (revision 1
        < 2 / Header.Size 112 < 144)`` — or None when the revision reports them (rule R9)."""
        lay, prefix = self.layout, group + "."
        if lay is None or self.revision not in {r.revision for r in lay.revisions}:
            return None
        if any(m.path.startswith(prefix) for m in lay.leaves_in_revision(self.revision)):
            return None
        first = next((r for r in lay.revisions
                      if any(m.path.startswith(prefix) for m in lay.leaves_in_revision(r.revision))), None)
        if first is None:
            return None
        size = self.header_size if self.header_size is not None else 0
        why = ([f"revision {self.revision} < {first.revision}"] if self.revision < first.revision else []) + (
            [f"Header.Size {size} < {first.size}"] if size < first.size else [])
        return f"not reported ({' / '.join(why or [f'revision {self.revision}'])})"

    def _larger_than(self) -> str:
        return (f"Header.Size {self.header_size} is larger than NDIS_SIZEOF for revision {self.revision} "
                f"({self.macro})")

    def _beyond_bytes(self) -> str:
        return f"the {len(self.beyond)} byte(s) at offsets {self.macro}..{self.macro + len(self.beyond) - 1}"
