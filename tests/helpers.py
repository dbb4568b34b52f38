"""Shared helpers for the foundation tests (layouts, codec, model, hex dump, CLI, gcc differential).

Expectations in the tests come from the spec (copied into ``tests/spec``) or from gcc, never from the code under
test; the helpers here read the spec, build byte buffers by hand from spec offsets, and check that one
structure parses, builds and has the right size in one call (like construct's ``common()`` helper).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# The spec facts the tests compare with, copied into the repository by scripts/refresh_spec.py.
SPEC_DIR = Path(__file__).resolve().parent / "spec"
ARCHES = ("x64", "x86")


# --- the spec -----------------------------------------------------------------------------------
def spec_path(name: str) -> Path:
    """Path of a spec file under tests/spec/ (a missing one is a broken checkout: fail, never skip)."""
    p = SPEC_DIR / name
    assert p.is_file(), f"spec file {p} is missing: run scripts/refresh_spec.py PATH/TO/spec"
    return p


@cache
def _spec_json() -> dict:
    return json.loads((SPEC_DIR / "layouts.json").read_text(encoding="utf-8"))


def spec_json() -> dict:
    """layouts.json, parsed (skips when missing)."""
    spec_path("layouts.json")
    return _spec_json()


def spec_structure_names() -> list[str]:
    """Structure names of layouts.json, or [] when the spec is missing (for parametrize at collection)."""
    return list(_spec_json()["structures"])


def spec_constant(name: str) -> int:
    """Value of a constant as recorded in layouts.json (``constants[]``), e.g. NDIS_OBJECT_TYPE_OFFLOAD."""
    for c in spec_json()["constants"]:
        if c["name"] == name and c.get("value") is not None:
            return int(c["value"])
    raise KeyError(f"constant {name} not in layouts.json")


def spec_member(structure: str, path: str, arch: str = "x64") -> dict:
    """One member record of layouts.json."""
    for m in spec_json()["structures"][structure]["members"][arch]:
        if m["path"] == path:
            return m
    raise KeyError(f"{structure}.{path} not in layouts.json")


def spec_revision_size(structure: str, revision: int, arch: str = "x64") -> int:
    for r in spec_json()["structures"][structure]["revisions"]:
        if r["revision"] == revision:
            return r["size"][arch]
    raise KeyError(f"{structure} revision {revision} not in layouts.json")


@cache
def spec_examples() -> dict[str, bytes]:
    """The worked examples of layouts.md §6, keyed by the bold title that precedes each code block,
    parsed with an independent hex-dump reader (address column + hex bytes)."""
    text = spec_path("layouts.md").read_text(encoding="utf-8")
    sec = text[text.index("## 6. Worked examples"):]
    sec = sec[:sec.index("\n## 7.")]
    out = {}
    for m in re.finditer(r"\*\*([^*\n]+?)\*\*[^\n]*\n+```\n(.*?)```", sec, re.S):
        out[m.group(1)] = dump_to_bytes(m.group(2))
    return out


def dump_to_bytes(dump: str) -> bytes:
    """Bytes of a ``0000  a7 02 …`` dump. Checks every address equals the running offset."""
    out = bytearray()
    for line in dump.strip().splitlines():
        addr, *hexes = line.split()
        assert int(addr, 16) == len(out), f"address {addr} does not follow offset {len(out)}"
        out += bytes(int(h, 16) for h in hexes)
    return bytes(out)


# --- building bytes by hand ----------------------------------------------------------------------
def buffer(size: int, *patches: tuple[int, bytes | int, int]) -> bytes:
    """A zero buffer of ``size`` with ``(offset, value, width)`` little-endian patches (value may be bytes)."""
    buf = bytearray(size)
    for off, value, width in patches:
        raw = value if isinstance(value, (bytes, bytearray)) else int(value).to_bytes(width, "little")
        assert len(raw) == width
        assert off + width <= size, f"patch at {off}+{width} beyond {size}"
        buf[off:off + width] = raw
    return bytes(buf)


def u8(off, v):
    return (off, v, 1)


def u16(off, v):
    return (off, v, 2)


def u32(off, v):
    return (off, v, 4)


# --- parse, build and size in one check -------------------------------------------------------------
def check_struct(name: str, values: dict, data: bytes, *, arch: str = "x64", revision: int | None = None,
                 size: int | None = None) -> None:
    """``values`` (dotted path -> value, missing = 0) builds exactly ``data``, ``data`` parses to exactly
    ``values`` (members absent from ``values`` decode as 0), and both are ``size`` bytes long."""
    from ipsecexplore.codec import decode_values, encode_values

    if size is not None:
        assert len(data) == size, f"test vector is {len(data)} bytes, expected {size}"
    built = encode_values(name, values, arch, revision=revision)
    assert built.hex() == data.hex(), f"{name} build differs at byte {first_difference(built, data)}"
    dec = decode_values(name, data, arch)
    rev = revision if revision is not None else values.get("Header.Revision")
    expected = {}
    for m in spec_leaves(name, arch, rev):
        v = values.get(m["path"], None)
        expected[m["path"]] = spec_zero(m) if v is None else (int(v) if isinstance(v, bool) else v)
    diff = {p: (dec.values.get(p, "<absent>"), expected.get(p, "<absent>"))
            for p in set(dec.values) | set(expected) if dec.values.get(p, "<absent>") != expected.get(p, "<absent>")}
    assert not diff, f"{name} parse differs (path: (decoded, expected)): {diff}"
    assert dec.trailing == b""


def member_end(m: dict) -> int:
    """One past the last byte of a layouts.json member (bit-fields: of their declared storage unit)."""
    if m["kind"] == "bitfield":
        return m["unit_offset"] + m["unit_size"]
    return m["offset"] + m["size"]


def spec_leaves(name: str, arch: str = "x64", revision: int | None = None) -> list[dict]:
    """The layouts.json leaves a decode of ``name`` reports: for a revision, those inside its Header.Size
    and already named by it (``added_in_revision`` <= revision, layouts.md §2); otherwise all of them."""
    st = spec_json()["structures"][name]
    leaves = [m for m in st["members"][arch] if m["leaf"]]
    if revision is None or not st.get("revisions"):
        return leaves
    size = spec_revision_size(name, revision, arch)
    return [m for m in leaves if member_end(m) <= size and (m["added_in_revision"] or 0) <= revision]


def spec_zero(m: dict):
    """The zero value of a layouts.json leaf, in the codec's value types."""
    if m["kind"] == "array":
        return bytes(m["size"]) if m["size"] == m["count"] else (0,) * m["count"]
    if m["kind"] == "guid":
        import uuid

        return uuid.UUID(int=0)
    return 0


def first_difference(a: bytes, b: bytes):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"0x{i:X} ({i}): got {x:02x}, want {y:02x}"
    return f"length {len(a)} vs {len(b)}" if len(a) != len(b) else None


# --- NDIS_OFFLOAD test vectors (layouts.md §6 content; hand-typed offsets from the §4 tables) ---------------
OFF = "NDIS_OFFLOAD"
C = spec_constant


def example_content() -> dict:
    """layouts.md §6 'Example object', member by member (values named by their spec constants)."""
    e8023, yes = C("NDIS_ENCAPSULATION_IEEE_802_3"), C("NDIS_OFFLOAD_SUPPORTED")
    return {
        # IPv4 transmit checksums with 802.3 encapsulation (word 0x155 at 0x08: five 2-bit fields = 1)
        "Checksum.IPv4Transmit.Encapsulation": e8023,
        "Checksum.IPv4Transmit.IpOptionsSupported": yes,
        "Checksum.IPv4Transmit.TcpOptionsSupported": yes,
        "Checksum.IPv4Transmit.TcpChecksum": yes,
        "Checksum.IPv4Transmit.UdpChecksum": yes,
        "Checksum.IPv4Transmit.IpChecksum": yes,
        # LSOv2 IPv4 with a 64 KiB maximum and 2 minimum segments
        "LsoV2.IPv4.Encapsulation": e8023,
        "LsoV2.IPv4.MaxOffLoadSize": 64 * 1024,
        "LsoV2.IPv4.MinSegmentCount": 2,
        # IPsecV2 with 802.3, IPv6, AH, ESP, transport, tunnel and LSO
        "IPsecV2.Encapsulation": e8023,
        "IPsecV2.IPv6Supported": 1,
        "IPsecV2.Ah": 1,
        "IPsecV2.Esp": 1,
        "IPsecV2.Transport": 1,
        "IPsecV2.Tunnel": 1,
        "IPsecV2.LsoSupported": 1,
        # SHA-1 | AES-GMAC-128 (the AUTHENTICATION_AES_GCM_128 bit), AES-GCM-128 | AES-CBC-128
        "IPsecV2.AuthenticationAlgorithms": C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1")
        | C("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128"),
        "IPsecV2.EncryptionAlgorithms": C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")
        | C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128"),
        "IPsecV2.SaOffloadCapacity": 1024,
    }


def header(rev: int) -> dict:
    return {"Header.Type": C("NDIS_OBJECT_TYPE_OFFLOAD"), "Header.Revision": rev,
            "Header.Size": C(f"NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_{rev}")}


def without(d: dict, prefix: str) -> dict:
    return {k: v for k, v in d.items() if not k.startswith(prefix)}


# --- hand-built vectors: offsets typed from the layouts.md §4 tables -------------------------------------
HAND_OFFSETS = {  # path -> offset as typed below; checked against layouts.json by test_hand_offsets_match_spec
    "Checksum.IPv4Transmit.Encapsulation": 0x04, "Checksum.IPv4Transmit.IpChecksum": 0x08,
    "LsoV2.IPv4.Encapsulation": 0x50, "LsoV2.IPv4.MaxOffLoadSize": 0x54, "LsoV2.IPv4.MinSegmentCount": 0x58,
    "Flags": 0x6C, "IPsecV2.Encapsulation": 0x70, "IPsecV2.IPv6Supported": 0x74, "IPsecV2.Ah": 0x77,
    "IPsecV2.Esp": 0x78, "IPsecV2.Transport": 0x7A, "IPsecV2.Tunnel": 0x7B, "IPsecV2.LsoSupported": 0x7D,
    "IPsecV2.UdpEsp": 0x80, "IPsecV2.AuthenticationAlgorithms": 0x84, "IPsecV2.EncryptionAlgorithms": 0x88,
    "IPsecV2.SaOffloadCapacity": 0x8C, "Rsc.IPv4.Enabled": 0x90, "Rsc.IPv6.Enabled": 0x91,
    "EncapsulatedPacketTaskOffloadGre.TransmitChecksumOffloadSupported": 0x94,
    "EncapsulatedPacketTaskOffloadGre.MaxHeaderSizeSupported": 0x98,
    "EncapsulatedPacketTaskOffloadVxlan.TransmitChecksumOffloadSupported": 0x9C,
    "EncapsulatedPacketTaskOffloadVxlan.MaxHeaderSizeSupported": 0xA0,
    "EncapsulatedPacketTaskOffloadVxlan.EncapsulationProtocolInfo.VxlanInfo.VxlanUDPPortNumber": 0xA4,
    "EncapsulationTypes": 0xB0, "Rfc6877Xlat.XlatOffload": 0xB4, "Rfc6877Xlat.Flags": 0xB8,
    "UdpSegmentation.IPv4.Encapsulation": 0xBC, "UdpSegmentation.IPv4.MaxOffLoadSize": 0xC0,
    "UdpSegmentation.IPv4.MinSegmentCount": 0xC4, "UdpSegmentation.IPv6.Encapsulation": 0xC8,
    "UdpSegmentation.IPv6.MaxOffLoadSize": 0xCC, "UdpSegmentation.IPv6.MinSegmentCount": 0xD0,
    "UdpSegmentation.IPv6.IpExtensionHeadersSupported": 0xD4, "UdpRsc.Enabled": 0xD8,
}


def _example_patches(rev: int, size: int):
    p = [u8(0, 0xA7), u8(1, rev), u16(2, size),
         u32(0x04, 2), u32(0x08, 0x155), u32(0x50, 2), u32(0x54, 0x10000), u32(0x58, 2)]
    if rev >= 2:
        p += [u32(0x70, 2), u8(0x74, 1), u8(0x77, 1), u8(0x78, 1), u8(0x7A, 1), u8(0x7B, 1), u8(0x7D, 1),
              u32(0x84, 0x0A), u32(0x88, 0x48), u32(0x8C, 1024)]
    return p


def rev3_content():
    c = dict(example_content())
    task = "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_"
    inner4, outer4 = C(task + "INNER_IPV4"), C(task + "OUTER_IPV4")
    inner6, outer6 = C(task + "INNER_IPV6"), C(task + "OUTER_IPV6")
    g = "EncapsulatedPacketTaskOffloadGre."
    c.update({"Rsc.IPv4.Enabled": 1, "Rsc.IPv6.Enabled": 1,
              g + "TransmitChecksumOffloadSupported": inner4 | outer4,  # bits 0..3
              g + "ReceiveChecksumOffloadSupported": inner4 | outer4,  # bits 4..7
              g + "LsoV2Supported": inner6,  # bits 8..11
              g + "VmqSupported": outer6,  # bits 16..19
              g + "MaxHeaderSizeSupported": 512})
    return c


REV3_PATCHES = [u8(0x90, 1), u8(0x91, 1), u32(0x94, 0x3 | 0x3 << 4 | 0x4 << 8 | 0x8 << 16), u32(0x98, 512)]


def rev4_content():
    c = rev3_content()
    v = "EncapsulatedPacketTaskOffloadVxlan."
    both = C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV4") | C("NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV6")
    c.update({v + "TransmitChecksumOffloadSupported": both, v + "ReceiveChecksumOffloadSupported": both,
              v + "MaxHeaderSizeSupported": 256,
              v + "EncapsulationProtocolInfo.VxlanInfo.VxlanUDPPortNumber": 4789,
              v + "EncapsulationProtocolInfo.VxlanInfo.VxlanUDPPortNumberConfigurable": 1,
              # the union's other view of the same 4 bytes: port in bits 0..15, Configurable at bit 16
              v + "EncapsulationProtocolInfo.Value": 4789 | 1 << 16,
              "EncapsulationTypes": C("NDIS_ENCAPSULATION_TYPE_GRE_MAC") | C("NDIS_ENCAPSULATION_TYPE_VXLAN")})
    return c


# VxlanUDPPortNumberConfigurable: USHORT bit 0 at 0xA6 = bit 16 of the word at 0xA4 (layouts.md §1 rule 5)
REV4_PATCHES = [u32(0x9C, 0x55), u32(0xA0, 256), u16(0xA4, 4789), u8(0xA6, 1), u8(0xB0, 3)]


def rev6_content():
    c = rev4_content()
    e8023 = C("NDIS_ENCAPSULATION_IEEE_802_3")
    c.update({"Rfc6877Xlat.XlatOffload": C("NDIS_RFC6877_464XLAT_OFFLOAD_ENABLED"),
              "UdpSegmentation.IPv4.Encapsulation": e8023, "UdpSegmentation.IPv4.MaxOffLoadSize": 64000,
              "UdpSegmentation.IPv4.MinSegmentCount": 2, "UdpSegmentation.IPv4.SubMssFinalSegmentSupported": 1,
              "UdpSegmentation.IPv6.Encapsulation": e8023, "UdpSegmentation.IPv6.MaxOffLoadSize": 64000,
              "UdpSegmentation.IPv6.MinSegmentCount": 63,
              "UdpSegmentation.IPv6.IpExtensionHeadersSupported": C("NDIS_OFFLOAD_SUPPORTED")})
    return c


REV6_PATCHES = [u32(0xB4, 2), u32(0xBC, 2), u32(0xC0, 64000), u32(0xC4, 2 | 1 << 6), u32(0xC8, 2),
                u32(0xCC, 64000), u32(0xD0, 63), u32(0xD4, 1)]


def vector(rev: int) -> tuple[dict, bytes]:
    """(values, bytes) of the hand-checked NDIS_OFFLOAD vector for revision ``rev``."""
    size = spec_revision_size(OFF, rev)
    patches = _example_patches(rev, size)
    content = example_content() if rev >= 2 else without(example_content(), "IPsecV2.")
    if rev >= 3:
        content, patches = rev3_content(), patches + REV3_PATCHES
    if rev >= 4:
        content, patches = rev4_content(), patches + REV4_PATCHES
    if rev >= 6:
        content, patches = rev6_content(), patches + REV6_PATCHES
    return {**header(rev), **content}, buffer(size, *patches)




def cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m ipsecexplore ARGS`` in the repository (stdout/stderr captured as bytes)."""
    return subprocess.run([sys.executable, "-m", "ipsecexplore", *args], input=stdin, capture_output=True,
                          cwd=REPO_ROOT, timeout=120)


def simulate_fails_in_one_line(path: Path, doc: dict, *needles: str) -> str:
    """Write scenario ``doc`` to ``path``, run ``simulate`` on it, and check the InputError contract: exit 2,
    one stderr line, no traceback, naming the file and every needle. Returns the line."""
    path.write_text(json.dumps(doc))
    p = cli("simulate", str(path))
    err = p.stderr.decode()
    assert p.returncode == 2, (p.returncode, err, p.stdout.decode()[-400:])
    assert "Traceback" not in err and "internal error" not in err and len(err.strip().splitlines()) == 1, err
    for n in (str(path), *needles):
        assert n in err, (n, err)
    return err


def ascii_column(chunk: bytes) -> str:
    """The printable-ASCII column of a hex dump row ('.' for anything else)."""
    return "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)


def xxd(b: bytes) -> str:
    """``xxd`` output: ``00000000: a702 9000 …  ascii``."""
    rows = []
    for i in range(0, len(b), 16):
        c = b[i:i + 16]
        groups = " ".join(c[j:j + 2].hex() for j in range(0, len(c), 2))
        rows.append(f"{i:08x}: {groups.ljust(39)}  {ascii_column(c)}")
    return "\n".join(rows) + "\n"


def wmi_block(length: int = 296, header_size: int = 296, revision: int = 8) -> bytes:
    """An NDIS_WMI_OFFLOAD block as WMI returns it (capture-formats.md §5): Type 0xA7, Header.Size 296."""
    block = bytearray(length)
    block[0], block[1] = 0xA7, revision
    block[2:4] = header_size.to_bytes(2, "little")
    return bytes(block)
