"""Shared helpers for the foundation tests (layouts, codec, model, hex dump, CLI, gcc differential).

Expectations in the tests come from the spec (``../shared/spec``) or from gcc, never from the code under
test; the helpers here read the spec, build byte buffers by hand from spec offsets, and check that one
structure parses, builds and has the right size in one call (like construct's ``common()`` helper).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = Path(__file__).resolve().parents[2] / "shared" / "spec"
ARCHES = ("x64", "x86")


# --- the spec -----------------------------------------------------------------------------------
def spec_path(name: str) -> Path:
    """Path of a spec file; skips the calling test (with the reason) when the spec is not checked out."""
    p = SPEC_DIR / name
    if not p.is_file():
        pytest.skip(f"spec file {p} is missing (the shared spec is expected beside the repository)")
    return p


@lru_cache(maxsize=None)
def _spec_json() -> dict:
    return json.loads((SPEC_DIR / "layouts.json").read_text(encoding="utf-8"))


def spec_json() -> dict:
    """layouts.json, parsed (skips when missing)."""
    spec_path("layouts.json")
    return _spec_json()


def spec_structure_names() -> list[str]:
    """Structure names of layouts.json, or [] when the spec is missing (for parametrize at collection)."""
    if not (SPEC_DIR / "layouts.json").is_file():
        return []
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


@lru_cache(maxsize=None)
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
    from ipsecexplore.layouts import layout

    if size is not None:
        assert len(data) == size, f"test vector is {len(data)} bytes, expected {size}"
    built = encode_values(name, values, arch, revision=revision)
    assert built.hex() == data.hex(), f"{name} build differs at byte {first_difference(built, data)}"
    dec = decode_values(name, data, arch)
    lay = layout(name, arch)
    within = len(data) if dec.header_size is None else dec.header_size
    expected = {}
    for m in lay.leaves_within(within):
        v = values.get(m.path, None)
        expected[m.path] = zero_of(m) if v is None else (int(v) if isinstance(v, bool) else v)
    diff = {p: (dec.values.get(p, "<absent>"), expected.get(p, "<absent>"))
            for p in set(dec.values) | set(expected) if dec.values.get(p, "<absent>") != expected.get(p, "<absent>")}
    assert not diff, f"{name} parse differs (path: (decoded, expected)): {diff}"
    assert dec.trailing == b""


def zero_of(m):
    if m.kind == "array":
        return bytes(m.size) if m.elem_size == 1 else (0,) * m.count
    if m.kind == "guid":
        import uuid

        return uuid.UUID(int=0)
    return 0


def first_difference(a: bytes, b: bytes):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"0x{i:X} ({i}): got {x:02x}, want {y:02x}"
    return f"length {len(a)} vs {len(b)}" if len(a) != len(b) else None


def constants_ready() -> bool:
    """True when ipsecexplore.constants provides lookup() (another developer writes it)."""
    try:
        from ipsecexplore.constants import lookup  # noqa: F401
    except ImportError:
        return False
    return True
