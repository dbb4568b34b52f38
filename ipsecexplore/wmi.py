"""The ``NDIS_WMI_OFFLOAD`` capture format: what a WMI query returns instead of an ``NDIS_OFFLOAD``.

ndis.sys converts only the revision-1 members into this block and does not fill its IPsecV2 area
(tests/spec/capture-formats.md §5, rule R81), so a reader of NDIS_OFFLOAD bytes must recognise it and refuse
it by name. This module is that recogniser and that one refusal; :func:`ipsecexplore.model.decode`, the bulk
decoder, the rule book and the raw-capture importer call it. It sits beside the codec (it needs only the
layouts) so that the decoders below the capture layer can use it.
"""

from __future__ import annotations

from .errors import DecodeError
from .layouts import layout

__all__ = ["WMI_HEADER_SIZE", "UNFILLED", "wmi_block", "wmi_message", "refuse_wmi_block"]

# tests/spec/capture-formats.md §5: ndis.sys sets Header.Size of the NDIS_WMI_OFFLOAD block to 296, whatever its length
WMI_HEADER_SIZE = 296

#: why an NDIS_WMI_OFFLOAD block holds no IPsecV2 values, and where to capture them instead
UNFILLED = ("NDIS converts only the revision-1 members into it (each 2-bit field widened to a ULONG) and does not "
            "fill its IPsecV2 area (R81); capture IPsecV2 with Get-NetAdapterIPsecOffload or the OID_TCP_OFFLOAD_* "
            "queries instead")


def wmi_block(data, arch: str = "x64") -> str | None:
    """Why ``data`` is an ``NDIS_WMI_OFFLOAD`` block rather than an ``NDIS_OFFLOAD``, or None — the loader
    rule of tests/spec/capture-formats.md §5, in its order: Header.Type 0xA7 with an NDIS_OFFLOAD size (or its
    sizeof) is an NDIS_OFFLOAD; else a blob as long as an NDIS_WMI_OFFLOAD revision whose Header.Size is that length or
    296, or Header.Size 296 with a length from the revision-3 block (the first with that header) to sizeof, is
    a WMI block. (A blob that merely has such a length but whose Header.Size is some other value ≥ the macro is
    read as NDIS_OFFLOAD records, as readers must accept a larger size: R8.)"""
    n = len(data)
    if n < 4 or data[0] != 0xA7:
        return None
    off, wmi = layout("NDIS_OFFLOAD", arch), layout("NDIS_WMI_OFFLOAD", arch)
    size = int.from_bytes(bytes(data[2:4]), "little")
    if size in {r.size for r in off.revisions} | {off.sizeof}:
        return None
    if n in {r.size for r in wmi.revisions} and size in (n, WMI_HEADER_SIZE):
        return f"a {n}-byte blob with Header.Size {size}"
    if size == WMI_HEADER_SIZE and wmi.revision_size(3) <= n <= wmi.sizeof:
        return f"Header.Size {size} with {n} bytes"
    return None


def wmi_message(why: str) -> str:
    """The one sentence for NDIS_OFFLOAD bytes that are an NDIS_WMI_OFFLOAD block (``why``: what gave it away,
    as :func:`wmi_block` says it)."""
    return f"an NDIS_WMI_OFFLOAD block, not an NDIS_OFFLOAD ({why}; tests/spec/capture-formats.md §5): {UNFILLED}"


def refuse_wmi_block(data, arch: str = "x64", *, index: int | None = None) -> None:
    """Raise the one :class:`DecodeError` for NDIS_OFFLOAD bytes that are an NDIS_WMI_OFFLOAD block
    (``index``: the record it was found at); return quietly for anything else."""
    why = wmi_block(data, arch)
    if why:
        raise DecodeError(wmi_message(why), structure="NDIS_OFFLOAD", path="Header.Size", offset=2, index=index)
