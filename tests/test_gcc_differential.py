"""Differential test against the C compiler.

C declarations are generated from the library's own declarations (``ipsecexplore.cdecl.DECLARATIONS``),
with fixed-width types sized by the spec's ABI table (layouts.json ``abi.ctype_sizes``), and compiled with
``gcc -mms-bitfields`` (MSVC bit-field allocation) for x64 (``-m64``) and x86 (``-m32``). Nothing is linked
or run: every number and object is a constant in its own ELF section of the object file, which the test
reads back. That needs no C library, so x86 works where the 32-bit libc headers/crt files are missing.

Checked per structure and architecture:
- ``offsetof``/``sizeof`` of every flattened member (``a.b[1].c``), ``sizeof``/``_Alignof`` of the structure,
  and every revision's ``RTL_SIZEOF_THROUGH_FIELD`` value, against :mod:`ipsecexplore.layouts`;
- the bits of every bit-field, found by writing all-ones into an otherwise zero object;
- the bytes of objects filled through the C member names with seeded random values, against
  :func:`ipsecexplore.codec.encode_values` of the same values (and decoding those bytes back).
"""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import uuid
from dataclasses import dataclass, field
from functools import cache

import pytest
from helpers import ARCHES, first_difference, spec_constant, spec_json, spec_leaves, spec_zero

from ipsecexplore.cdecl import DECLARATIONS, Field, Struct
from ipsecexplore.codec import decode_values, encode_values
from ipsecexplore.layouts import layout

GCC = shutil.which("gcc")
pytestmark = pytest.mark.skipif(GCC is None, reason="gcc is not on PATH; the C-compiler differential test needs it")

_MARCH = {"x64": "-m64", "x86": "-m32"}
_FILLS = 4  # random objects per structure and architecture


# --- the C text ------------------------------------------------------------------------------------
def _ctype_sizes() -> dict:
    return spec_json()["abi"]["ctype_sizes"]


def _fixed(size: int) -> str:
    return {1: "uint8_t", 2: "uint16_t", 4: "uint32_t", 8: "uint64_t"}[size]


@dataclass
class Leaf:
    path: str
    kind: str  # scalar | bool | bitfield | pointer | enum | guid | array
    ctype: str
    bits: int | None = None
    count: int | None = None
    elem: str | None = None  # array element kind: scalar | pointer
    elem_size: int | None = None


@dataclass
class Walk:
    """What the C generator saw: flattened paths in C order, the leaves, the unions (with the leaf paths of
    each alternative) and the C text of the structure."""

    paths: list = field(default_factory=list)  # (path, is_bitfield)
    leaves: list = field(default_factory=list)
    unions: list = field(default_factory=list)  # [[leaf paths of alternative 0], [alternative 1], ...]


def _scalar_c(f: Field) -> str:
    if f.pointer or f.ctype in ("PVOID", "NDIS_HANDLE"):
        return "void *"
    if f.enum:
        return f"ix_enum_{f.ctype}"
    if f.ctype == "GUID":
        return "GUID"
    sizes = _ctype_sizes()
    if f.ctype not in sizes:
        raise AssertionError(f"C type {f.ctype!r} (member {f.name}) has no size in layouts.json abi.ctype_sizes")
    return _fixed(sizes[f.ctype])


def _struct_of(f: Field) -> Struct | None:
    if isinstance(f.ctype, Struct):
        return f.ctype
    if isinstance(f.ctype, str) and f.ctype in DECLARATIONS and not f.pointer:
        return DECLARATIONS[f.ctype]
    return None


def _body(st: Struct, prefix: str, walk: Walk, enums: set, indent: str) -> list[str]:
    """C member lines of ``st``; records paths/leaves/unions into ``walk``."""
    lines = []
    alternatives = [] if st.is_union else None
    for mem in st.members:
        before = len(walk.leaves)
        if isinstance(mem, Struct):  # anonymous struct/union in the member list
            kw = "union" if mem.is_union else "struct"
            lines.append(f"{indent}{kw} {{")
            lines += _body(mem, prefix, walk, enums, indent + "  ")
            lines.append(f"{indent}}};")
        else:
            lines += _field(mem, prefix, walk, enums, indent)
        if alternatives is not None:
            alternatives.append([lf.path for lf in walk.leaves[before:]])
    if alternatives is not None:
        walk.unions.append(alternatives)
    return lines


def _field(f: Field, prefix: str, walk: Walk, enums: set, indent: str) -> list[str]:
    path = prefix + f.name
    sub = _struct_of(f)
    dim = f"[{f.count}]" if f.count else ""
    if sub is not None:
        if isinstance(f.ctype, Struct):  # inline definition
            kw = "union" if sub.is_union else "struct"
            walk.paths.append((path, False))
            if f.count:
                raise AssertionError("inline struct arrays are not generated")
            body = _body(sub, path + ".", walk, enums, indent + "  ")
            return [f"{indent}{kw} {{", *body, f"{indent}}} {f.name};"]
        walk.paths.append((path, False))
        if f.count:
            for i in range(f.count):
                walk.paths.append((f"{path}[{i}]", False))
                _body(sub, f"{path}[{i}].", walk, enums, "")
        else:
            _body(sub, path + ".", walk, enums, "")
        return [f"{indent}{f.ctype} {f.name}{dim};"]
    ctype = _scalar_c(f)
    if f.enum:
        enums.add(f.ctype)
    walk.paths.append((path, f.bits is not None))
    if f.bits is not None:
        walk.leaves.append(Leaf(path, "bitfield", ctype, bits=f.bits))
        return [f"{indent}{ctype} {f.name} : {f.bits};"]
    if f.count:
        elem = "pointer" if ctype == "void *" else "scalar"
        esize = None if elem == "pointer" else _ctype_sizes()[f.ctype]
        walk.leaves.append(Leaf(path, "array", ctype, count=f.count, elem=elem, elem_size=esize))
    elif ctype == "void *":
        walk.leaves.append(Leaf(path, "pointer", ctype))
    elif f.enum:
        walk.leaves.append(Leaf(path, "enum", ctype))
    elif f.ctype == "GUID":
        walk.leaves.append(Leaf(path, "guid", ctype))
    elif f.ctype == "BOOLEAN":
        walk.leaves.append(Leaf(path, "bool", ctype))
    else:
        walk.leaves.append(Leaf(path, "scalar", ctype, elem_size=_ctype_sizes()[f.ctype]))
    return [f"{indent}{ctype} {f.name}{dim};"]


def _order(names) -> list[str]:
    """Top-level structures in dependency order (a typedef before its first use)."""
    done, out = set(), []

    def deps(st: Struct):
        for mem in st.members:
            if isinstance(mem, Struct):
                yield from deps(mem)
                continue
            if isinstance(mem.ctype, Struct):
                yield from deps(mem.ctype)
            elif mem.ctype in DECLARATIONS and not mem.pointer:
                yield mem.ctype

    def visit(n):
        if n in done:
            return
        done.add(n)
        for d in deps(DECLARATIONS[n]):
            visit(d)
        out.append(n)

    for n in names:
        visit(n)
    return out


PRELUDE = """\
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef struct { uint32_t Data1; uint16_t Data2; uint16_t Data3; uint8_t Data4[8]; } GUID;
#define IX_SECTION(s) __attribute__((section(s), used))
"""


@cache
def generated() -> tuple[str, dict]:
    """(C declarations, {structure: Walk})."""
    walks, enums, decls = {}, set(), []
    for name in _order(DECLARATIONS):
        st = DECLARATIONS[name]
        walk = Walk()
        body = _body(st, "", walk, enums, "  ")
        kw = "union" if st.is_union else "struct"
        decls.append(f"typedef {kw} {name} {{\n" + "\n".join(body) + f"\n}} {name};\n")
        walks[name] = walk
    enum_text = "".join(f"typedef enum {{ {e}__IX_LO = 0, {e}__IX_HI = 0x7fffffff }} ix_enum_{e};\n"
                        for e in sorted(enums))
    return PRELUDE + enum_text + "\n".join(decls), walks


# --- values, as C initializers and as library values ---------------------------------------------------
def _ptr_bits(arch):
    return 64 if arch == "x64" else 32


def _c_int(v: int) -> str:
    return f"{v:#x}ULL"


def random_values(name: str, arch: str, rng: random.Random) -> dict:
    """Library values (dotted path -> value) for one random object: one alternative per union, the header
    set as the spec says for the newest revision, members past that revision's Header.Size left zero."""
    _, walks = generated()
    walk = walks[name]
    lay = layout(name, arch)
    skip = set()
    for alternatives in walk.unions:
        keep = rng.randrange(len(alternatives))
        for i, alt in enumerate(alternatives):
            if i != keep:
                skip.update(alt)
    limit = lay.sizeof
    values = {}
    spec = spec_json()["structures"][name]
    if spec.get("revisions") and "Header.Type" in lay:
        newest = spec["revisions"][-1]
        limit = newest["size"][arch]
        otype = spec.get("object_type")
        values["Header.Type"] = spec_constant(otype) if otype else rng.randrange(256)
        values["Header.Revision"] = newest["revision"]
        values["Header.Size"] = limit
        skip |= {"Header.Type", "Header.Revision", "Header.Size"}
    for lf in walk.leaves:
        if lf.path in skip:
            continue
        if lay.field(lf.path).end > limit:
            continue
        if lf.kind == "bitfield":
            v = rng.getrandbits(lf.bits)
        elif lf.kind in ("scalar",):
            v = rng.getrandbits(8 * lf.elem_size)
        elif lf.kind == "bool":
            v = rng.getrandbits(8)  # any byte: a BOOLEAN other than 0/1 must survive
        elif lf.kind == "pointer":
            v = rng.getrandbits(_ptr_bits(arch))
        elif lf.kind == "enum":
            v = rng.getrandbits(31)
        elif lf.kind == "guid":
            v = uuid.UUID(bytes=bytes(rng.getrandbits(8) for _ in range(16)))
        elif lf.kind == "array":
            if lf.elem == "pointer":
                v = tuple(rng.getrandbits(_ptr_bits(arch)) for _ in range(lf.count))
            elif lf.elem_size == 1:
                v = bytes(rng.getrandbits(8) for _ in range(lf.count))
            else:
                v = tuple(rng.getrandbits(8 * lf.elem_size) for _ in range(lf.count))
        else:  # pragma: no cover
            raise AssertionError(lf)
        values[lf.path] = v
    return values


def c_initializer(name: str, values: dict) -> str:
    """A C designated initializer assigning ``values`` through the C member names."""
    _, walks = generated()
    kinds = {lf.path: lf for lf in walks[name].leaves}
    parts = []
    for path, v in values.items():
        lf = kinds[path]
        if lf.kind == "guid":
            # GUID = { ULONG Data1; USHORT Data2; USHORT Data3; UCHAR Data4[8]; } (layouts.md §1 rule 2)
            le = v.bytes_le
            d1, d2, d3 = (int.from_bytes(le[a:b], "little") for a, b in ((0, 4), (4, 6), (6, 8)))
            expr = f"{{ {d1:#x}, {d2:#x}, {d3:#x}, {{ {', '.join(hex(b) for b in le[8:])} }} }}"
        elif lf.kind == "array":
            cast = "(void *)" if lf.elem == "pointer" else ""
            expr = "{ " + ", ".join(f"{cast}{_c_int(x)}" for x in v) + " }"
        elif lf.kind == "pointer":
            expr = f"(void *){_c_int(v)}"
        elif lf.kind == "enum":
            expr = f"({lf.ctype}){_c_int(v)}"
        else:
            expr = _c_int(int(v))
        parts.append(f".{path} = {expr}")
    return "{ " + ", ".join(parts) + " }"


# --- compile and read the object file ----------------------------------------------------------------
def elf_sections(blob: bytes) -> dict[str, bytes]:
    """Section name -> contents, for a little-endian ELF32 or ELF64 relocatable object."""
    assert blob[:4] == b"\x7fELF" and blob[5] == 1, "not a little-endian ELF file"
    is64 = blob[4] == 2
    if is64:
        shoff, = struct.unpack_from("<Q", blob, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", blob, 0x3A)
        hdr = "<IIQQQQIIQQ"
    else:
        shoff, = struct.unpack_from("<I", blob, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", blob, 0x2E)
        hdr = "<IIIIIIIIII"
    shdrs = [struct.unpack_from(hdr, blob, shoff + i * shentsize) for i in range(shnum)]
    str_off, str_size = shdrs[shstrndx][4], shdrs[shstrndx][5]
    names = blob[str_off:str_off + str_size]
    out = {}
    for sh in shdrs:
        name = names[sh[0]:names.index(b"\0", sh[0])].decode()
        sh_type, offset, size = sh[1], sh[4], sh[5]
        out[name] = bytes(size) if sh_type == 8 else blob[offset:offset + size]  # 8 = SHT_NOBITS
    return out


def _probe_source(arch: str) -> tuple[str, dict]:
    decls, walks = generated()
    lines = [decls]
    plan = {}
    for n, (name, walk) in enumerate(walks.items()):
        lay = layout(name, arch)
        plain = [p for p, bit in walk.paths if not bit]
        bits = [p for p, bit in walk.paths if bit]
        nums = [f"sizeof({name})", f"_Alignof({name})"]
        for p in plain:
            nums += [f"__builtin_offsetof({name}, {p})", f"sizeof((({name} *)0)->{p})"]
        throughs = [r.through_member for r in lay.revisions]
        for t in throughs:
            nums.append(f"__builtin_offsetof({name}, {t}) + sizeof((({name} *)0)->{t})")
        lines.append(f"IX_SECTION(\".ix.{n}.nums\") const uint32_t ix_nums_{n}[] = {{ {', '.join(nums)} }};")
        if bits:
            probes = ", ".join(f"{{ .{p} = -1 }}" for p in bits)
            lines.append(f"IX_SECTION(\".ix.{n}.bits\") const {name} ix_bits_{n}[] = {{ {probes} }};")
        fills = []
        for k in range(_FILLS):
            rng = random.Random(f"{name}/{arch}/{k}")
            fills.append(random_values(name, arch, rng))
        lines.append(f"IX_SECTION(\".ix.{n}.fill\") const {name} ix_fill_{n}[] = "
                     f"{{ {', '.join(c_initializer(name, v) for v in fills)} }};")
        plan[name] = dict(index=n, plain=plain, bits=bits, throughs=throughs, fills=fills)
    return "\n".join(lines) + "\n", plan


@cache
def compiled(arch: str, tmp_dir: str) -> tuple[dict, dict]:
    """Compile the probe for ``arch``; returns (plan, ELF sections). Skips when gcc cannot target it."""
    src, plan = _probe_source(arch)
    from pathlib import Path

    c = Path(tmp_dir) / f"probe_{arch}.c"
    o = Path(tmp_dir) / f"probe_{arch}.o"
    c.write_text(src)
    cmd = [GCC, _MARCH[arch], "-mms-bitfields", "-std=gnu11", "-ffreestanding", "-nostdinc", "-w", "-O0",
           "-c", str(c), "-o", str(o)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        if arch == "x86" and ("-m32" in res.stderr or "unrecognized" in res.stderr):
            pytest.skip(f"gcc cannot compile for x86 (-m32) here: {res.stderr.strip().splitlines()[0]}")
        raise AssertionError(f"gcc failed on the generated declarations ({c}):\n{res.stderr[:4000]}")
    return plan, elf_sections(o.read_bytes())


@pytest.fixture(scope="module")
def probe_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("gcc_probe"))


NAMES = list(DECLARATIONS)
CASES = [(n, a) for n in NAMES for a in ARCHES]
IDS = [f"{n}-{a}" for n, a in CASES]


def _section(sections, plan, name, kind):
    return sections[f".ix.{plan[name]['index']}.{kind}"]


def test_generated_c_covers_every_library_member():
    """The paths the C generator produced from the declarations are exactly the library's member paths."""
    _, walks = generated()
    for name, walk in walks.items():
        for arch in ARCHES:
            lay = layout(name, arch)
            assert [p for p, _ in walk.paths] == [m.path for m in lay.members], name
            assert [lf.path for lf in walk.leaves] == [m.path for m in lay.leaves], name


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_offsets_sizes_alignment(name, arch, probe_dir):
    plan, sections = compiled(arch, probe_dir)
    p = plan[name]
    raw = _section(sections, plan, name, "nums")
    nums = struct.unpack(f"<{len(raw) // 4}I", raw)
    lay = layout(name, arch)
    assert (lay.sizeof, lay.align) == (nums[0], nums[1]), "sizeof/_Alignof"
    problems = []
    for i, path in enumerate(p["plain"]):
        off, size = nums[2 + 2 * i], nums[3 + 2 * i]
        m = lay.field(path)
        if (m.offset, m.size) != (off, size):
            problems.append(f"{path}: gcc offset {off} size {size}, library offset {m.offset} size {m.size}")
    base = 2 + 2 * len(p["plain"])
    for j, t in enumerate(p["throughs"]):
        rev = lay.revisions[j]
        if rev.size != nums[base + j]:
            problems.append(f"revision {rev.revision}: RTL_SIZEOF_THROUGH_FIELD({t}) = {nums[base + j]}, "
                            f"library Header.Size {rev.size}")
    assert not problems, "\n".join(problems)


BIT_CASES = [(n, a) for n, a in CASES if any(lf.kind == "bitfield" for lf in generated()[1][n].leaves)]


@pytest.mark.parametrize("name,arch", BIT_CASES, ids=[f"{n}-{a}" for n, a in BIT_CASES])
def test_bitfield_positions(name, arch, probe_dir):
    plan, sections = compiled(arch, probe_dir)
    lay = layout(name, arch)
    blob = _section(sections, plan, name, "bits")
    assert len(blob) == lay.sizeof * len(plan[name]["bits"])
    problems = []
    for i, path in enumerate(plan[name]["bits"]):
        obj = int.from_bytes(blob[i * lay.sizeof:(i + 1) * lay.sizeof], "little")
        assert obj, f"{path}: no bit set"
        first = (obj & -obj).bit_length() - 1
        width = obj.bit_length() - first
        assert obj >> first == (1 << width) - 1, f"{path}: bits not contiguous"
        m = lay.field(path)
        if (m.offset * 8 + m.bit_offset, m.bit_width) != (first, width):
            problems.append(f"{path}: gcc byte {first // 8} bit {first % 8} width {width}; library word "
                            f"{m.offset} bit {m.bit_offset} width {m.bit_width}")
        unit_first = m.unit_offset * 8
        if not unit_first <= first < unit_first + 8 * m.unit_size:
            problems.append(f"{path}: bits outside the library's storage unit at {m.unit_offset}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_random_objects_encode_like_gcc(name, arch, probe_dir):
    plan, sections = compiled(arch, probe_dir)
    lay = layout(name, arch)
    blob = _section(sections, plan, name, "fill")
    assert len(blob) == lay.sizeof * _FILLS
    for k, values in enumerate(plan[name]["fills"]):
        c_bytes = blob[k * lay.sizeof:(k + 1) * lay.sizeof]
        rev = values.get("Header.Revision")
        built = encode_values(name, values, arch, revision=rev, full_sizeof=True)
        assert built == c_bytes, f"object {k}: first difference at {first_difference(built, c_bytes)}"


@pytest.mark.parametrize("name,arch", CASES, ids=IDS)
def test_gcc_objects_decode_to_their_values(name, arch, probe_dir):
    plan, sections = compiled(arch, probe_dir)
    lay = layout(name, arch)
    blob = _section(sections, plan, name, "fill")
    for k, values in enumerate(plan[name]["fills"]):
        c_bytes = blob[k * lay.sizeof:(k + 1) * lay.sizeof]
        dec = decode_values(name, c_bytes, arch)
        size = dec.header_size if dec.header_size is not None else lay.sizeof
        reported = spec_leaves(name, arch, values.get("Header.Revision"))
        assert list(dec.values) == [m["path"] for m in reported], f"object {k}: reported members"
        for m in reported:
            if m.get("alternative_of") and m["path"] not in values:
                continue  # the other view of a union: its bytes are the chosen alternative's
            want = values.get(m["path"], spec_zero(m))
            assert dec.values[m["path"]] == want, f"object {k} {m['path']}"
        assert dec.trailing == c_bytes[size:]


# --- the C initializer, compiled and run ---------------------------------------------------------------
def _c_initializer_objects():
    """The spec's revision-8 example plus seeded random NdisOffload objects, one per revision."""
    from helpers import spec_examples

    from ipsecexplore.model import NdisOffload, decode

    objs = [decode(spec_examples()["Revision 8"])]
    union = "EncapsulatedPacketTaskOffloadVxlan.EncapsulationProtocolInfo."
    for rev in [r["revision"] for r in spec_json()["structures"]["NDIS_OFFLOAD"]["revisions"]]:
        rng = random.Random(f"cinit/{rev}")
        values = {}
        for m in spec_leaves("NDIS_OFFLOAD", "x64", rev):
            if m["path"].startswith(("Header.", union)) or rng.random() < 0.3:
                continue
            bits = m["bit_width"] if m["kind"] == "bitfield" else 8 * m["size"]
            values[m["path"]] = rng.getrandbits(bits)
        if any(m["path"] == union + "Value" for m in spec_leaves("NDIS_OFFLOAD", "x64", rev)):
            v = rng.getrandbits(32)
            values.update({union + "Value": v, union + "VxlanInfo.VxlanUDPPortNumber": v & 0xFFFF,
                           union + "VxlanInfo.VxlanUDPPortNumberConfigurable": v >> 16 & 1})
        objs.append(NdisOffload.from_dict(values, revision=rev))
    return objs


def test_c_initializer_compiles_to_the_encoded_bytes(tmp_path):
    """The C a driver would write (ipsecexplore.cinit), compiled by gcc for x64 with the macro values of
    the spec, fills exactly the bytes the encoder produces."""
    from ipsecexplore.model import encode

    objs = _c_initializer_objects()
    decls, _ = generated()
    macros = "".join(f"#define {c['name']} {c['value']:#x}u\n" for c in spec_json()["constants"]
                     if isinstance(c.get("value"), int) and c["name"].isidentifier())
    funcs, calls = [], []
    for i, obj in enumerate(objs):
        body = obj.c_initializer("offload")
        funcs.append(f"static void ix_obj_{i}(void) {{\n{body}\nix_print(&offload, sizeof(offload));\n}}\n")
        calls.append(f"ix_obj_{i}();")
    src = ("#include <stdio.h>\n" + decls.replace("#define IX_SECTION", "#define IX_UNUSED_SECTION") + macros
           + "#define TRUE 1\n#define FALSE 0\n#define NdisZeroMemory(p, n) __builtin_memset((p), 0, (n))\n"
           + "static void ix_print(const void *p, unsigned long n) {\n"
           + "  const unsigned char *b = p; for (unsigned long i = 0; i < n; i++) printf(\"%02x\", b[i]);\n"
           + "  printf(\"\\n\");\n}\n" + "".join(funcs) + "int main(void) {\n" + "\n".join(calls)
           + "\nreturn 0;\n}\n")
    c, exe = tmp_path / "cinit.c", tmp_path / "cinit"
    c.write_text(src)
    res = subprocess.run([GCC, "-m64", "-mms-bitfields", "-std=gnu11", "-w", str(c), "-o", str(exe)],
                         capture_output=True, text=True)
    if res.returncode != 0 and ("cannot find" in res.stderr or "stdio.h" in res.stderr):
        pytest.skip(f"gcc cannot build a hosted x64 program here: {res.stderr.strip().splitlines()[0]}")
    assert res.returncode == 0, f"the generated C initializers do not compile ({c}):\n{res.stderr[:4000]}"
    lines = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()
    assert len(lines) == len(objs)
    for obj, line in zip(objs, lines):
        want = encode(obj, full_sizeof=True)
        got = bytes.fromhex(line)
        assert got == want, f"revision {obj.revision}: first difference at {first_difference(got, want)}"
