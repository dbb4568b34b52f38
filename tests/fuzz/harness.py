"""The promises every reader keeps for any input, as checks; the targets they apply to; the seeds.

Used by ``tests/fuzz/run.py`` (``make fuzz``: mutate seeds for a time box) and by
``tests/test_fuzz_corpus.py`` (``make test``: replay every input ever kept in ``tests/fuzz_corpus/``).

Promises (README "What the readers promise"):

- only the library's errors (:class:`ipsecexplore.errors.IpsecExploreError`) leave a public function, and the
  command line never ends in "internal error" (exit status 3) for bad input;
- accounting: ``records_seen == loaded + rejected`` for the import and for every file, and every file is
  loaded from, rejected, skipped with its reason or used as a sidecar/provenance file;
- round trip: a structure that decodes encodes back byte-identical up to its Header.Size;
- escaping: terminal lines and HTML hold no control character or bidirectional override, neither raw nor as a
  character reference.

Time and memory are checked by the runner (they need a baseline measured in the same run).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import tempfile
from pathlib import Path

from ipsecexplore import jsonio
from ipsecexplore.bulk import offloads_frame
from ipsecexplore.captures.importer import import_bytes, import_paths
from ipsecexplore.cli import main as cli_main
from ipsecexplore.errors import IpsecExploreError
from ipsecexplore.hexinput import parse_hex
from ipsecexplore.layouts import layout, structure_names
from ipsecexplore.model import decode, decode_struct

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fuzz_corpus"
#: The size limit the fuzzed imports use: a dump's '*' repeat may stand for this many bytes.
SIZE_LIMIT = 256 * 1024

# a control character or bidirectional override, raw or as a character reference
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_REFERENCE = re.compile(r"&#([xX][0-9a-fA-F]+|[0-9]+);")


class Broken(AssertionError):
    """A promise that did not hold (the message says which)."""


def check_visible(text: str, what: str) -> None:
    """Raise :class:`Broken` when ``text`` (terminal output or HTML) holds a control character other than tab
    and line end, or a bidirectional override — as a character or as a character reference."""
    text = text.replace("\r\n", "\n")
    m = _INVISIBLE.search(text)
    if m:
        raise Broken(f"{what}: {m.group()!r} is written as it is: "
                     f"{text[max(0, m.start() - 40):m.start() + 20]!r}")
    for m in _REFERENCE.finditer(text):
        num = m.group(1)
        code = int(num[1:], 16) if num[:1] in "xX" else int(num)
        if code < 0x110000 and _INVISIBLE.match(chr(code)):
            raise Broken(f"{what}: {m.group()} is a reference to an invisible character")


def check_accounting(result) -> None:
    """``seen == loaded + rejected`` overall and per file; every file tallied with an outcome."""
    try:
        result.check()
    except AssertionError as exc:
        raise Broken(str(exc)) from None
    if sum(t.seen for t in result.files.values()) != result.records_seen:
        raise Broken(f"per-file seen {sum(t.seen for t in result.files.values())} != seen {result.records_seen}")
    for name, t in result.files.items():
        if not t.seen and not t.skipped and not t.used_as:
            raise Broken(f"{name}: neither loaded from, rejected, skipped nor used")


def _round_trip(obj, data: bytes, what: str) -> None:
    size = obj.size
    want = bytes(data[:size])
    got = obj.encode()
    if got != want:
        cannot = [n for n in obj.notes() if "cannot" in n or "not written back" in n]
        if not cannot:
            diff = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
            raise Broken(f"{what}: encode(decode(x)) differs from x[:{size}] at byte {diff} "
                         f"(lengths {len(got)} and {len(want)}), and decode's notes do not say it cannot")


# --- targets: each takes (data, name) and returns nothing or raises ---------------------------------------

def t_import(data: bytes, name: str) -> None:
    """import_bytes: library errors only; accounting."""
    try:
        r = import_bytes(data, name, size_limit=SIZE_LIMIT)
    except IpsecExploreError:
        return
    check_accounting(r)


def t_hex(data: bytes, name: str) -> None:
    """parse_hex on the text: library errors only; the result bounded by the size limit."""
    try:
        out = parse_hex(data.decode("utf-8", "replace"), max_bytes=SIZE_LIMIT)
    except IpsecExploreError:
        return
    if len(out) > max(SIZE_LIMIT, len(data)):
        raise Broken(f"parse_hex returned {len(out)} bytes, over the limit {SIZE_LIMIT}")


def t_json(data: bytes, name: str) -> None:
    """jsonio.loads: library errors only."""
    with contextlib.suppress(IpsecExploreError):
        jsonio.loads(data.decode("utf-8", "replace"))


def t_decode(data: bytes, name: str) -> None:
    """decode, decode_struct of every versioned structure, offloads_frame: library errors; round trips."""
    try:
        off = decode(data)
    except IpsecExploreError:
        pass
    else:
        _round_trip(off, data, "NDIS_OFFLOAD")
    for sname in _STRUCTS:
        try:
            obj = decode_struct(sname, data)
        except IpsecExploreError:
            continue
        if layout(sname).revisions:
            _round_trip(obj, data, sname)
    with contextlib.suppress(IpsecExploreError):
        offloads_frame(data)


_STRUCTS = [n for n in structure_names() if layout(n).has_header]


def _cli(argv: list[str], stdin: bytes = b"") -> tuple[int, str]:
    """Run the command line in process: (exit status, standard error)."""
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    inp = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = out, err, inp
    try:
        rc = cli_main(argv)
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved
    return rc, err.getvalue()


def t_cli(data: bytes, name: str) -> None:
    """The command line on the file: never exit status 3; standard error shows no control character."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, os.path.basename(name) or "input")
        Path(path).write_bytes(data)
        low = name.lower()
        commands = [["import", "--no-progress", "--size-limit", str(SIZE_LIMIT), path], ["diff", path, path]]
        if low.endswith((".bin", ".hex", ".raw", ".dat")):
            commands += [["decode", path], ["validate", path]]
        if low.endswith(".json"):
            commands += [["encode", path], ["validate", path], ["simulate", path]]
        for argv in commands:
            rc, err = _cli(argv)
            if rc == 3:
                raise Broken(f"ipsecexplore {argv[0]}: internal error: {err.strip()[:300]}")
            check_visible(err, f"stderr of ipsecexplore {argv[0]}")


def t_zip(data: bytes, name: str) -> None:
    """A zip file named, and found in a folder: library errors only; accounting."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bundle.zip")
        Path(path).write_bytes(data)
        for arg in (path, tmp):
            try:
                r = import_paths([arg], size_limit=SIZE_LIMIT, progress=False)
            except IpsecExploreError:
                continue
            check_accounting(r)


def t_report(data: bytes, name: str) -> None:
    """The HTML report of an import: no control character or override, raw or as a reference."""
    from ipsecexplore.fleet import Fleet
    from ipsecexplore.report import build_report

    try:
        r = import_bytes(data, name, size_limit=SIZE_LIMIT)
    except IpsecExploreError:
        return
    html = build_report([name], fleet=Fleet.from_result(r), image_format="svg")
    check_visible(_strip_images(html), "report HTML")


def _strip_images(html: str) -> str:
    return re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]*", "data:", html)


_BUILDER = []


def t_builder(data: bytes, name: str) -> None:
    """The builder's paste box: any failure is shown as the library's error (never "internal error"), with
    control characters made visible."""
    if not _BUILDER:
        from ipsecexplore.widgets.builder import BuilderWidget

        _BUILDER.append(BuilderWidget())
    w = _BUILDER[0]
    w.load_text(data.decode("utf-8", "replace"), source=name)
    if "internal error" in w.error.value:
        raise Broken(f"builder: {w.error.value[-300:]}")
    check_visible(w.error.value + w.notes.value, "builder error and notes")


TARGETS = {"import": t_import, "hex": t_hex, "json": t_json, "decode": t_decode, "cli": t_cli, "zip": t_zip,
           "report": t_report, "builder": t_builder}


def run_target(target: str, data: bytes, name: str) -> None:
    """Run one target; :class:`Broken` for a broken promise, including any foreign exception."""
    try:
        TARGETS[target](data, name)
    except Broken:
        raise
    except IpsecExploreError:
        raise
    except RecursionError as exc:
        raise Broken(f"{target}: RecursionError: {exc}") from None
    except Exception as exc:  # a foreign exception is the first promise broken
        raise Broken(f"{target}: {type(exc).__name__}: {str(exc)[:300]}") from exc


def corpus_entries():
    """``(target, file name to import as, bytes, path)`` of every kept input: ``tests/fuzz_corpus/TARGET/
    ID--NAME`` (NAME: the file name the input is read as, which chooses the reader)."""
    for d in sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []:
        if d.is_dir() and d.name in TARGETS:
            for f in sorted(d.iterdir()):
                if f.is_file():
                    name = f.name.split("--", 1)[1] if "--" in f.name else f.name
                    yield d.name, name, f.read_bytes(), f
