"""Exercises on the bytes: headers, offsets, building an adapter's bytes, reading a hex dump."""

from __future__ import annotations

from ..columns import flag_columns
from ..constants import lookup
from ..errors import IpsecExploreError
from ..layouts import layout
from ..model import NdisOffload, decode, encode
from .answers import as_bytes, as_flags, as_int, field_at, get_key
from .base import Exercise, Wrong

__all__ = ["header_exercise", "offset_exercise", "build_exercise", "dump_sa_exercise", "dump_algorithms_exercise",
           "described_adapter", "dump_adapter", "plain_dump"]

OFFLOAD = "NDIS_OFFLOAD"


def _lay():
    return layout(OFFLOAD)


def _header(revision: int) -> dict:
    return {"Type": int(lookup("NDIS_OBJECT_TYPE_OFFLOAD")), "Revision": revision,
            "Size": _lay().revision(revision).size}


def _read_header(answer) -> dict:
    if isinstance(answer, dict):
        return {k: as_int(get_key(answer, k, "header"), f"Header.{k}") for k in ("Type", "Revision", "Size")}
    data = as_bytes(answer, "the header bytes")
    if len(data) != 4:
        raise Wrong(f"the header is 4 bytes (Type, Revision, a 2-byte Size); you gave {len(data)}")
    return {"Type": data[0], "Revision": data[1], "Size": int.from_bytes(data[2:4], "little")}


def _check_header(revision: int, answer) -> str:
    want, got = _header(revision), _read_header(answer)
    if got["Type"] != want["Type"]:
        if got["Type"] == int(lookup("NDIS_OBJECT_TYPE_DEFAULT")):
            raise Wrong("Header.Type: that is NDIS_OBJECT_TYPE_DEFAULT, the type of the SA and parameter "
                        "structures; NDIS_OFFLOAD has an object type of its own")
        raise Wrong("Header.Type: that is not NDIS_OFFLOAD's object type (look among NDIS_OBJECT_TYPE_*)")
    if got["Revision"] != revision:
        raise Wrong(f"Header.Revision: the question asks for revision {revision}")
    size = got["Size"]
    if size != want["Size"]:
        swapped = int.from_bytes(size.to_bytes(2, "little"), "big") if size < 0x10000 else None
        others = {r.size: r.revision for r in _lay().revisions}
        if swapped == want["Size"]:
            raise Wrong("Header.Size: the two bytes are in the wrong order; NDIS structures are little-endian")
        if size in others:
            raise Wrong(f"Header.Size: that is the size of revision {others[size]}, not of revision {revision}")
        if size == layout("NDIS_IPSEC_OFFLOAD_V2").sizeof:
            raise Wrong("Header.Size: that is the size of the IPsecV2 block; Size covers the whole NDIS_OFFLOAD")
        raise Wrong(f"Header.Size: not the size of a revision-{revision} NDIS_OFFLOAD "
                    f"(NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_{revision})")
    return f"Type 0x{want['Type']:02X}, Revision {revision}, Size {want['Size']} — bytes " \
           + " ".join(f"{b:02x}" for b in [want["Type"], revision, *want["Size"].to_bytes(2, "little")])


def header_exercise(ex_id: str, revision: int, level: int) -> Exercise:
    """The NDIS_OBJECT_HEADER of a revision-``revision`` NDIS_OFFLOAD."""
    ndis = _lay().revision(revision).ndis
    return Exercise(
        ex_id, f"The header of a revision-{revision} NDIS_OFFLOAD", level,
        f"An NDIS {ndis} miniport reports its offload capabilities in an NDIS_OFFLOAD of revision {revision}. "
        "What is its NDIS_OBJECT_HEADER? Answer as a dict {'Type': …, 'Revision': …, 'Size': …} of numbers, "
        "or as the header's 4 bytes (hex text).",
        ("Header.Type is a constant named NDIS_OBJECT_TYPE_… for this structure; explain('NDIS_OFFLOAD') "
         "shows it.",
         "Header.Size is the NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_<n> macro of the revision you write.",
         "In bytes: Type, Revision, then Size as a little-endian 16-bit number."),
        f"explain('NDIS_OFFLOAD') lists Header.Type and one Header.Size per revision. Revision {revision} "
        f"(NDIS {ndis}): {_check_header(revision, _header(revision))}.",
        lambda: _header(revision), lambda a: _check_header(revision, a), ("header", "revision"))


def _check_offset(path: str, answer) -> str:
    want = _lay().field(path).offset
    got = as_int(answer, "offset")
    if got == want:
        return f"{path} is byte 0x{want:X} ({want}) of NDIS_OFFLOAD"
    block = _lay().field("IPsecV2").offset
    if got == want - block:
        raise Wrong("that is the offset inside NDIS_IPSEC_OFFLOAD_V2; the question asks for NDIS_OFFLOAD, "
                    "where the block starts further in")
    if got == block:
        raise Wrong("that is where the IPsecV2 block starts, not where this member is")
    there = field_at(got)
    raise Wrong(f"byte 0x{got:X} is {there}, not {path.split('.')[-1]}" if there else
                f"byte 0x{got:X} is no member of a revision-8 NDIS_OFFLOAD (padding or past the end)")


def offset_exercise(ex_id: str, path: str, level: int) -> Exercise:
    """The byte offset of a member in NDIS_OFFLOAD (x64)."""
    return Exercise(
        ex_id, f"Where is {path}?", level,
        f"At which byte offset of NDIS_OFFLOAD (x64) is {path}? Answer a number (decimal or 0x…).",
        ("The IPsecV2 block is one member of NDIS_OFFLOAD; find where it starts.",
         "Then count inside NDIS_IPSEC_OFFLOAD_V2: a ULONG Encapsulation, then one byte per BOOLEAN, in C order.",
         f"explain('{path}') prints the answer; try it after answering."),
        f"explain('IPsecV2') gives the block's offset; inside it, Encapsulation takes 4 bytes and the BOOLEANs "
        f"follow one byte each. {_check_offset(path, _lay().field(path).offset)}.",
        lambda: _lay().field(path).offset, lambda a: _check_offset(path, a), ("offsets",))


def described_adapter() -> NdisOffload:
    """The adapter the build exercise describes."""
    off = NdisOffload.new(revision=2)
    v2 = off.IPsecV2
    v2.Encapsulation = int(lookup("NDIS_ENCAPSULATION_IEEE_802_3"))
    v2.IPv6Supported = v2.Esp = v2.Transport = v2.Tunnel = True
    v2.AuthenticationAlgorithms = int(lookup("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256"))
    v2.EncryptionAlgorithms = int(lookup("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")) | int(
        lookup("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256"))
    v2.SaOffloadCapacity = 512
    return off


def _compare(want: NdisOffload, got: NdisOffload) -> None:
    """Raise Wrong naming the first member (and its bytes) where ``got`` differs from ``want``."""
    a, b = want.to_dict(), got.to_dict()
    for m in _lay().leaves:
        if m.path not in a or m.path.startswith("Header.") or a[m.path] == b.get(m.path):
            continue
        where = f"{m.path} (byte 0x{m.offset:X}" + (f"–0x{m.offset + m.size - 1:X})" if m.size > 1 else ")")
        cols = flag_columns(m.path) if m.domain else ()
        if cols:
            mine, theirs = int(a[m.path]), int(b.get(m.path) or 0)
            if theirs & ~mine:
                raise Wrong(f"{where} has a flag the description does not ask for")
            raise Wrong(f"{where} lacks a flag the description asks for")
        raise Wrong(f"{where} does not match the description")


def _check_build(answer) -> str:
    data = as_bytes(answer)
    want = described_adapter()
    if len(data) < 4:
        raise Wrong("that is not even a header: an NDIS_OFFLOAD starts with 4 header bytes")
    try:
        got = decode(data)
    except IpsecExploreError as exc:
        raise Wrong(f"cannot read your bytes as an NDIS_OFFLOAD: {exc}") from None
    if got.revision != want.revision:
        raise Wrong(f"Header.Revision is {got.revision}: the description says which NDIS version the driver is for")
    if len(data) != want.size:
        raise Wrong(f"{len(data)} bytes: a revision-{want.revision} NDIS_OFFLOAD is Header.Size bytes long, "
                    "no more, no less")
    _compare(want, got)
    return f"all {len(data)} bytes match the description"


def build_exercise(ex_id: str, level: int) -> Exercise:
    """Build the bytes of a described adapter."""
    return Exercise(
        ex_id, "Build the bytes of a described adapter", level,
        "An NDIS 6.1 miniport reports this adapter: IPsec offload over Ethernet (IEEE 802.3) framing, for IPv4 "
        "and IPv6; ESP but not AH; transport and tunnel mode; integrity with SHA-256; encryption with "
        "AES-GCM-128 and AES-CBC-256; room for 512 SA bundles. Nothing else. Give its NDIS_OFFLOAD as bytes, "
        "hex text or an ipsecexplore.NdisOffload.",
        ("Start from ix.NdisOffload.new(revision=…): which revision does an NDIS 6.1 driver write?",
         "Each capability is one member of off.IPsecV2; masks take the IPSEC_OFFLOAD_V2_* / NDIS_ENCAPSULATION_* "
         "constants, OR-ed together.",
         "IPv6Supported, Esp, Transport and Tunnel are TRUE; Encapsulation, AuthenticationAlgorithms, "
         "EncryptionAlgorithms and SaOffloadCapacity carry the rest. ix.encode(off) gives the bytes."),
        "off = ix.NdisOffload.new(revision=2)  # NDIS 6.1 → revision 2, 144 bytes\n"
        "off.IPsecV2.Encapsulation = NDIS_ENCAPSULATION_IEEE_802_3\n"
        "off.IPsecV2.IPv6Supported = off.IPsecV2.Esp = off.IPsecV2.Transport = off.IPsecV2.Tunnel = True\n"
        "off.IPsecV2.AuthenticationAlgorithms = IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256\n"
        "off.IPsecV2.EncryptionAlgorithms = (IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128\n"
        "                                    | IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256)\n"
        "off.IPsecV2.SaOffloadCapacity = 512\n"
        "ix.encode(off)",
        lambda: encode(described_adapter()), _check_build, ("bytes", "build"))


def dump_adapter() -> NdisOffload:
    """The adapter whose hex dump the reading exercises show (shaped like the Intel X550 sample)."""
    off = NdisOffload.new(revision=2)
    v2 = off.IPsecV2
    v2.Encapsulation = int(lookup("NDIS_ENCAPSULATION_IEEE_802_3"))
    v2.IPv6Supported = v2.Ah = v2.Esp = v2.Transport = True
    v2.AuthenticationAlgorithms = int(lookup("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128"))
    v2.EncryptionAlgorithms = int(lookup("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")) | int(
        lookup("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128"))
    v2.SaOffloadCapacity = 1024
    return off


def plain_dump(data: bytes) -> str:
    """Offset and 16 bytes per line, nothing else (the form of a debugger's ``db``)."""
    return "\n".join(f"{i:04x}  " + " ".join(f"{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16))


def _check_capacity(answer) -> str:
    want = dump_adapter()
    data = encode(want)
    got = as_int(answer, "SaOffloadCapacity")
    m = _lay().field("IPsecV2.SaOffloadCapacity")
    raw = data[m.offset:m.offset + m.size]
    if got == want.IPsecV2.SaOffloadCapacity:
        return f"the ULONG at 0x{m.offset:X} is {raw.hex(' ')} → {got}"
    if got == int.from_bytes(raw, "big"):
        raise Wrong("you read the ULONG big-endian; NDIS structures are little-endian")
    if got == int(raw[::-1].hex().lstrip("0") or "0"):
        raise Wrong("the bytes are hexadecimal: convert the number you read to decimal (or answer 0x…)")
    for other in _lay().leaves:
        mine = other.path.startswith("IPsecV2.") and other.path != m.path
        if mine and getattr(want.IPsecV2, other.name, None) == got:
            raise Wrong(f"that is the value of {other.path}; SaOffloadCapacity is the last ULONG of the block")
    raise Wrong("find the SaOffloadCapacity member's 4 bytes (its offset is in explain) and read them as a "
                "little-endian ULONG")


def dump_sa_exercise(ex_id: str, level: int) -> Exercise:
    """Read SaOffloadCapacity from a hex dump."""
    dump = plain_dump(encode(dump_adapter()))
    return Exercise(
        ex_id, "Read a hex dump: how many SAs?", level,
        "A colleague pasted this NDIS_OFFLOAD (x64) from a debugger:\n\n" + dump
        + "\n\nHow many SA bundles can the adapter offload (IPsecV2.SaOffloadCapacity)? Answer a number.",
        ("The IPsecV2 block starts at byte 0x70; SaOffloadCapacity is its last member.",
         "It is a ULONG: 4 bytes, least significant byte first.",
         "The 4 bytes at 0x8C read 00 04 00 00; put them in the right order and convert."),
        f"explain('IPsecV2.SaOffloadCapacity') gives offset 0x8C, 4 bytes. {_check_capacity(1024)}.",
        lambda: dump_adapter().IPsecV2.SaOffloadCapacity, _check_capacity, ("hex dump",))


def _enc_names() -> list[str]:
    return [c.macro for c in flag_columns("IPsecV2.EncryptionAlgorithms")]


def _check_algorithms(answer) -> str:
    want = dump_adapter().IPsecV2
    got = as_flags(answer, _enc_names(), "EncryptionAlgorithms")
    if got == int(want.EncryptionAlgorithms):
        names = [n for n in _enc_names() if got & int(lookup(n))]
        return f"EncryptionAlgorithms = 0x{got:X}: {', '.join(names)}"
    if got == int(want.AuthenticationAlgorithms):
        raise Wrong("that is AuthenticationAlgorithms (0x84), where AES_GCM_* means AES-GMAC, integrity only "
                    "(R28); encryption is the next ULONG")
    if got & ~int(want.EncryptionAlgorithms):
        raise Wrong("your set has an algorithm whose bit is not set in the EncryptionAlgorithms bytes")
    raise Wrong("an algorithm is missing: read all four bytes of EncryptionAlgorithms and every bit set in them")


def dump_algorithms_exercise(ex_id: str, level: int) -> Exercise:
    """Read the encryption algorithms from the same hex dump."""
    dump = plain_dump(encode(dump_adapter()))
    return Exercise(
        ex_id, "Read a hex dump: which encryption algorithms?", level,
        "The same NDIS_OFFLOAD as before:\n\n" + dump
        + "\n\nWhich encryption algorithms does the adapter offer? Answer a list of names (the macro names or "
          "their short form, e.g. 'AES_GCM_128') or the mask as a number.",
        ("EncryptionAlgorithms is the ULONG after AuthenticationAlgorithms in the IPsecV2 block.",
         "It is at 0x88; read it little-endian and list its set bits.",
         "explain('IPsecV2.EncryptionAlgorithms') lists each bit's macro."),
        "The ULONG at 0x88 is read little-endian and split into its bits. " + _check_algorithms(
            int(dump_adapter().IPsecV2.EncryptionAlgorithms)) + ". (The ULONG before it, 0x84, is the "
        "authentication mask: 0x8 there is AES-GMAC-128, integrity only.)",
        lambda: [n.split("ENCRYPTION_")[1] for n in _enc_names()
                 if int(dump_adapter().IPsecV2.EncryptionAlgorithms) & int(lookup(n))],
        _check_algorithms, ("hex dump", "algorithms"))
