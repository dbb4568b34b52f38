"""``make fuzz``: mutate valid inputs of every reader for a time box and check the promises of
:mod:`harness` plus time and memory; every input that breaks one is kept in ``tests/fuzz_corpus/`` (which
``tests/test_fuzz_corpus.py`` replays in ``make test``).

    python tests/fuzz/run.py --seconds 600 [--seed N] [--targets import,hex,...]

Mutations are structure-aware: truncation, bit flips, inserted control characters and bidirectional
overrides, line damage (deleted, repeated, swapped lines; stray CR, CR-only and mixed line ends), encoding
damage (UTF-16 with and without BOM, invalid UTF-8), numbers (4,300+ digits, ``1²``), hex-dump damage
(``*`` repeats to far addresses, rows of ``|``, unclosed ``/*``), zip damage (corrupt deflate data, unknown
versions, repeated members). Time: each input within ``3 s + 30 µs per byte`` (a report, which draws every
chart, 60 s), and an input whose line is
repeated 16 times within ``4 × 16 ×`` the time of the original (plus 1 s) — linear, measured against a
baseline of the same run. Memory: the peak (tracemalloc) within ``64 MiB + 40 ×`` the input.
Exit status 0 when every promise held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import signal
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import CORPUS, REPO, Broken, run_target  # noqa: E402

from ipsecexplore.model import decode  # noqa: E402

HANG_SECONDS = 60
# seconds an input may take besides 30 µs per byte: a report draws every chart, the CLI runs several commands,
# a zip of a few KB may stand for the whole decompressed budget (4 × SIZE_LIMIT)
ALLOWANCE = {"report": 60, "cli": 10, "zip": 40}
CONTROL = ["\x1b[2J", "\x00", "\u202e", "\u2066", "\x85", "\x07", "\r", "\x1b]0;title\x07"]


# --- seeds ------------------------------------------------------------------------------------------------

def _files(*roots) -> list[tuple[bytes, str]]:
    out = []
    for root in roots:
        for p in sorted((REPO / root).rglob("*")):
            if p.is_file() and p.suffix.lower() != ".zip" and p.stat().st_size < 2_000_000:
                out.append((p.read_bytes(), p.name))
    return out


def _hex_forms(raw: bytes) -> list[str]:
    """The same bytes in the hex shapes people paste: plain, hexdump -C (with a '*' line), xxd, C array."""
    rows = [raw[i:i + 16] for i in range(0, len(raw), 16)]
    plain = "\n".join(f"{i * 16:04x}  " + r.hex(" ") for i, r in enumerate(rows))
    hexc = "\n".join(f"{i * 16:08x}  " + (r[:8].hex(" ") + "  " + r[8:].hex(" ")).ljust(48)
                     + "  |" + "".join(chr(b) if 32 <= b < 127 else "." for b in r) + "|" for i, r in enumerate(rows))
    hexc += f"\n{len(raw):08x}\n"
    xxd = "\n".join(f"{i * 16:08x}: " + " ".join(r[j:j + 2].hex() for j in range(0, len(r), 2)) for i, r in
                    enumerate(rows))
    carr = "unsigned char b[] = { " + ", ".join(f"0x{b:02x}" for b in raw) + " }; /* capture */"
    return [plain, hexc, xxd, carr]


def seeds() -> dict[str, list[tuple[bytes, str]]]:
    """Valid (and known-bad) inputs per target, from the repository's sample and malformed files."""
    captures = _files("data/sample", "data/bad")
    raws = [(d, n) for d, n in captures if n.endswith(".bin")]
    hexes = [(f.encode(), n.replace(".bin", ".hex")) for d, n in raws for f in _hex_forms(d)]
    jsons = [(d, n) for d, n in captures if n.endswith(".json")] + _files("data/scenarios")
    jsons = [(d, n) for d, n in jsons if n.endswith(".json")]
    zips = []
    for p in sorted((REPO / "data/sample").rglob("*.zip")):
        zips.append((p.read_bytes(), p.name))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for d, n in captures[:12]:
            zf.writestr(f"HOST/{n}", d)
    zips.append((buf.getvalue(), "bundle.zip"))
    exports = []
    for d, n in raws:
        try:
            exports.append((json.dumps(decode(d).to_json()).encode(), n + ".json"))
        except ValueError:
            pass
    return {"builder": hexes + exports, "import": captures + hexes, "cli": captures + hexes, "report": captures,
            "hex": hexes, "json": jsons, "decode": raws, "zip": zips}


# --- mutations --------------------------------------------------------------------------------------------

def _text(data: bytes) -> tuple[str, str]:
    for enc, bom in (("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"), ("utf-8-sig", b"\xef\xbb\xbf")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    return data.decode("utf-8", "surrogateescape"), "utf-8"


def _bytes(text: str, enc: str) -> bytes:
    if enc == "utf-16":
        return text.encode("utf-16")
    return text.encode("utf-8", "surrogateescape") if enc == "utf-8" else text.encode(enc, "surrogateescape")


def _lines(rng, text: str) -> str:
    lines = text.split("\n")
    if not lines:
        return text
    i = rng.randrange(len(lines))
    op = rng.randrange(6)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines[i:i] = [lines[i]] * rng.choice([2, 16, 300])
    elif op == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:  # a stray CR inside a line
        ln = lines[i]
        k = rng.randrange(len(ln) + 1)
        lines[i] = ln[:k] + "\r" + ln[k:]
    elif op == 4:
        lines.insert(i, rng.choice(["", "*", "junk : value", "PS C:\\> x", "[Failed]"]))
    else:
        ln = lines[i]
        k = rng.randrange(len(ln) + 1)
        lines[i] = ln[:k] + rng.choice(CONTROL) + ln[k:]
    return "\n".join(lines)


def _line_ends(rng, text: str) -> str:
    t = text.replace("\r\n", "\n")
    op = rng.randrange(3)
    if op == 0:
        return t.replace("\n", "\r")
    if op == 1:
        return t.replace("\n", "\r\n")
    cut = rng.randrange(len(t) + 1)
    return t[:cut].replace("\n", "\r\n") + t[cut:].replace("\n", "\r")


def _numbers(rng, text: str) -> str:
    spots = [m.start() for m in __import__("re").finditer(r"(?<![0-9])[0-9]+", text)]
    if not spots:
        return text
    k = rng.choice(spots)
    return text[:k] + rng.choice(["9" * 5000, "1\u00b2", "-0", "1e999", "0x" + "f" * 40]) + text[k:]


def _hex_damage(rng, text: str) -> str:
    op = rng.randrange(4)
    if op == 0:
        return text.rstrip("\n").rsplit("\n", 1)[0] + "\n*\n" + rng.choice(["10000000", "fffffff0", "00100000"]) + "\n"
    if op == 1:
        return text + "\n00000000  a7 02 " + "|" * rng.choice([100, 20000]) + "x\n"
    if op == 2:
        return text + " /*" * rng.choice([10, 5000])
    return text.replace(" ", "\u00a0", 3)


def _zip_damage(rng, data: bytes) -> bytes:
    z = bytearray(data)
    op = rng.randrange(4)
    if op == 0 and b"PK\x03\x04" in z:  # corrupt a compressed stream
        i = z.index(b"PK\x03\x04") + 30 + rng.randrange(1, 40)
        for k in range(i, min(i + 8, len(z))):
            z[k] ^= 0xFF
    elif op == 1 and b"PK\x01\x02" in z:  # a version needed to extract that zipfile does not know
        c = z.index(b"PK\x01\x02")
        z[c + 6:c + 8] = (99).to_bytes(2, "little")
    elif op == 2:  # the same member many times (zipfile reads duplicates)
        src = zipfile.ZipFile(io.BytesIO(data))
        first = src.infolist()[0] if src.infolist() else None
        if first is not None:
            blob = src.read(first)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for i in range(30):
                    zf.writestr(f"m{i}/{first.filename}", blob * rng.choice([1, 50]))
            return buf.getvalue()
    else:
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(z))
            z[i] ^= 1 << rng.randrange(8)
    return bytes(z)


def mutate(rng, data: bytes, name: str, target: str) -> tuple[bytes, str]:
    """One or a few random mutations of ``data`` (as read by ``target``)."""
    if target == "zip":
        try:
            return _zip_damage(rng, data), name
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            return data, name
    if target == "decode" and len(data) >= 4 and rng.random() < 0.5:  # the header: revision and size
        b = bytearray(data)
        b[1] = rng.choice([b[1], rng.randrange(0, 10)])
        size = rng.choice([len(b), len(b) - 1, rng.randrange(0, len(b) + 16), 0xFFFF])
        b[2:4] = min(size, 0xFFFF).to_bytes(2, "little")
        data = bytes(b) + bytes(rng.choice([0, 0, 8, 40]))
    for _ in range(rng.choice([1, 1, 2, 3])):
        op = rng.randrange(9)
        if op == 0 and data:
            data = data[:rng.randrange(len(data))]
        elif op == 1 and data:
            b = bytearray(data)
            for _ in range(rng.randrange(1, 5)):
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
            data = bytes(b)
        else:
            text, enc = _text(data)
            if op in (2, 3):
                text = _lines(rng, text)
            elif op == 4:
                text = _line_ends(rng, text)
            elif op == 5:
                text = _numbers(rng, text)
            elif op == 6:
                text = _hex_damage(rng, text)
            elif op == 7:
                enc = rng.choice(["utf-16", "utf-8", "utf-8-sig", "cp1252"])
            else:
                i = rng.randrange(len(text) + 1)
                text = text[:i] + rng.choice(CONTROL) + text[i:]
            try:
                data = _bytes(text, enc)
            except UnicodeError:
                data = text.encode("utf-8", "replace")
    return data, name


def grow(data: bytes, rng) -> bytes:
    """``data`` with one of its lines repeated 16 times (for the linearity check)."""
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    return b"\n".join(lines[:i] + [lines[i]] * 16 + lines[i + 1:])


# --- the loop ---------------------------------------------------------------------------------------------

class Hang(BaseException):  # not caught by the code under test
    pass


def _alarm(_sig, _frame):
    raise Hang()


def timed(target: str, data: bytes, name: str, memory: bool) -> tuple[float, int]:
    """Run one input: (seconds, peak bytes or 0). Raises Broken (or Hang)."""
    if memory:
        tracemalloc.start()
    signal.alarm(HANG_SECONDS)
    t0 = time.perf_counter()
    try:
        run_target(target, data, name)
    except harness.IpsecExploreError:
        pass
    finally:
        signal.alarm(0)
        dt = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
        if memory:
            tracemalloc.stop()
    return dt, peak


def keep(target: str, data: bytes, name: str, why: str) -> Path:
    """Add the input to the regression corpus (tests/fuzz_corpus/TARGET/ID--NAME)."""
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:80] or "input"
    p = d / f"{hashlib.sha1(data).hexdigest()[:12]}--{safe}"
    p.write_bytes(data)
    print(f"KEPT {p.relative_to(REPO)}: {why}", flush=True)
    return p


def check_one(target: str, data: bytes, name: str, rng, n: int) -> str | None:
    """Why this input breaks a promise, or None."""
    try:
        dt, peak = timed(target, data, name, memory=n % 8 == 0 and target != "report")
    except Broken as exc:
        return str(exc)
    except Hang:
        return f"{target}: no answer within {HANG_SECONDS} s"
    if dt > ALLOWANCE.get(target, 3) + 30e-6 * len(data):
        return f"{target}: {dt:.1f} s for {len(data)} bytes"
    if peak > 64 * 2**20 + 40 * len(data):
        return f"{target}: peak memory {peak / 2**20:.0f} MiB for {len(data)} bytes"
    if n % 10 == 0 and target in ("import", "hex", "json") and b"\n" in data:
        big = grow(data, rng)
        try:
            dt2, _ = timed(target, big, name, memory=False)
        except (Broken, Hang) as exc:
            return f"{target} (a line repeated 16 times): {exc or 'no answer'}"
        if dt2 > 4 * 16 * dt + 1.0:
            return f"{target}: not linear: {dt:.3f} s, {dt2:.3f} s with a line repeated 16 times"
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--targets", default=",".join(harness.TARGETS))
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    pool = seeds()
    targets = [t for t in args.targets.split(",") if pool.get(t)]
    weights = {"report": 1, "cli": 2, "zip": 2, "builder": 2}
    signal.signal(signal.SIGALRM, _alarm)
    print(f"fuzz: seed {seed}, {args.seconds:.0f} s, targets {', '.join(targets)}", flush=True)
    end = time.monotonic() + args.seconds
    n = failures = 0
    while time.monotonic() < end:
        target = rng.choices(targets, [weights.get(t, 6) for t in targets])[0]
        data, name = rng.choice(pool[target])
        data, name = mutate(rng, data, name, target)
        n += 1
        why = check_one(target, data, name, rng, n)
        if why:
            failures += 1
            keep(target, data, name, why)
    print(f"fuzz: {n} inputs, {failures} broke a promise (seed {seed})", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
