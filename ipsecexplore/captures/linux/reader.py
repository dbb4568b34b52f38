"""Read Linux command output — a saved file, a terminal transcript or a sosreport file — into records.

Accounting (as for every importer): one *source record* is one ``ethtool -k``/``-i`` output, one interface
object of ``ethtool --json -k``, or one ``ip xfrm`` state block; each is loaded or rejected with its
``file:line``. Policies are not states: they are never records, and what was seen of them is said in a remark
(or, for a file holding only policies, in the reason the file is skipped). A state without an offload line is
a loaded record that counts on no interface (a remark says how many there were).

``ethtool -k`` gives two rows per interface, like a Windows capture: ``hardware`` (a feature is True when it
can be on: on, or off without ``[fixed]`` — inferred) and ``current`` (True when it is on). ``ethtool -i`` and
the xfrm state counts are joined to those rows by :func:`.merge.finish` after every file is read.
"""

from __future__ import annotations

from itertools import islice

from ...columns import ethtool_column, xfrm_column
from ...crossos import FEATURE_NAMES
from ...textdecode import first_nonblank_line
from ..record import CAPTURED, AdapterRecord, RecordError
from . import commands, ethtool, sos, xfrm

__all__ = ["FORMAT_PREFIX", "is_linux_format", "looks_like_linux", "import_linux", "part_kind"]

#: Every Linux record's ``fmt`` starts with this (then the command kind, ``+sos``/``+transcript``, encoding).
FORMAT_PREFIX = "linux-"


def is_linux_format(fmt) -> bool:
    """True for the ``fmt`` of a record read from Linux command output."""
    return isinstance(fmt, str) and fmt.startswith(FORMAT_PREFIX)


def part_kind(fmt: str) -> str:
    """The command kind of a Linux record's ``fmt`` (``ethtool-k``, ``xfrm-state``, ``hostname`` …)."""
    return fmt[len(FORMAT_PREFIX):].split("+", 1)[0].split("/", 1)[0]


def looks_like_linux(head: str, parts: tuple) -> bool:
    """True when a text file is Linux command output this package reads (from its first 400 lines).

    Every import asks this of every file, most of them Windows captures: the first non-blank line is found
    without splitting the head, and its 400 lines are split only when the head may hold a prompt."""
    if sos.sos_command(parts):
        return True
    first = first_nonblank_line(head, 400)
    if first is None:
        return False
    m = ethtool.FEATURE_LINE.match(first)
    if m and m.group("name") in FEATURE_NAMES:  # ethtool -k cut by grep (rejected later: no interface)
        return True
    if ethtool.HEADER.match(first) or (first.startswith("driver: ") and any(
            ln.startswith("bus-info:") for ln in islice((ln for ln in _lines(head, 400) if ln.strip()), 12))):
        return True
    if first.lstrip().startswith("[") and '"ifname"' in head[:4000]:
        return True
    if xfrm.looks_like_xfrm(_lines(head, 40)):
        return True
    return commands.may_hold_prompt(head) and commands.split_transcript(_lines(head, 400)) is not None


def _lines(text: str, n: int) -> list[str]:
    """The first ``n`` lines of ``text``."""
    lines = text.split("\n", n)
    if len(lines) > n:
        lines.pop()
    return lines


class _Reader:
    """One file being read: its context, host, format tag, and what was not counted (for the remark/skip)."""

    def __init__(self, ctx, tag: str, host: str, host_from: str, how: str, notes: list):
        self.ctx, self.tag, self.host, self.host_from, self.how = ctx, tag, host, host_from, how
        self.notes = notes  # [(line, text)]: remarks on the file (or the reason it is skipped)

    def fmt(self, kind: str) -> str:
        return f"{FORMAT_PREFIX}{kind}{self.how}{self.tag}"

    def add(self, adapter: str, view: str, line: int, values: dict, kind: str) -> None:
        self.ctx.result.records.append(AdapterRecord(self.host, adapter, None, view, self.ctx.source, line, values,
                                                     provenance=CAPTURED, fmt=self.fmt(kind),
                                                     host_from=self.host_from))

    def loaded(self) -> None:
        self.ctx.result.records_seen += 1
        self.ctx.result.loaded += 1


def import_linux(text: str, ctx, parts: tuple, tag: str) -> None:
    """Import one text file of Linux command output (``ctx``: the file's
    :class:`~ipsecexplore.captures.base.FileContext`; ``tag``: ``/encoding`` for the format column)."""
    result = ctx.result
    seen, skipped = result.records_seen, len(result.skipped_files)
    lines = text.split("\n")
    notes: list = []
    cmd = sos.sos_command(parts)
    if cmd is not None:
        root = sos.sos_root(parts)
        host = sos.folder_host(root)
        r = _Reader(ctx, tag, host or ctx.fallback_host, "sosreport folder name" if host else ctx.fallback_from,
                    "+sos", notes)
        if cmd == "hostname":
            _hostname_part(r, lines, parts, root)
            return
        _run(r, commands.classify(cmd), lines, 1)
    else:
        blocks = commands.split_transcript(lines)
        if blocks is not None:
            _transcript(ctx, tag, blocks, notes)
        else:
            _run(_Reader(ctx, tag, ctx.fallback_host, ctx.fallback_from, "", notes), _standalone(lines), lines, 1)
    _finish_file(ctx, seen, skipped, notes)


def _finish_file(ctx, seen: int, skipped: int, notes: list) -> None:
    result = ctx.result
    if result.records_seen == seen and len(result.skipped_files) == skipped:
        why = "; ".join(t for _, t in notes) or "Linux command output without any record ipsecexplore reads"
        result.skipped_files.append((ctx.source, why))
        return
    for line, t in notes:
        ctx.remark(line, t)


def _standalone(lines: list[str]):
    body = [ln for ln in lines if ln.strip()]
    first = body[0] if body else ""
    if ethtool.HEADER.match(first) or ethtool.FEATURE_LINE.match(first):
        return commands.Command("ethtool-k", None, False, "")
    if first.lstrip().startswith("["):
        return commands.Command("ethtool-json-k", None, False, "")
    if first.startswith("driver: "):
        return commands.Command("ethtool-i", None, False, "")
    return commands.Command("xfrm-any", None, False, "")


def _hostname_part(r: _Reader, lines: list[str], parts: tuple, root: tuple) -> None:
    name = next((ln.strip() for ln in lines if ln.strip()), "")
    if not name or " " in name:
        r.ctx.reject(1, f"sosreport host name file does not hold one host name: {name[:60]!r}")
        return
    rel = "/".join(parts[len(root):])
    r.host, r.host_from = name, "sosreport hostname"
    # Not a source record: merge.finish moves every record of this sos report to the host it names.
    r.add("", "unknown", 1, {"sos_root": r.ctx.source[: -len(rel) - 1], "rank": sos.HOSTNAME_FILES.index(
        tuple(parts[len(root):]))}, "hostname")


def _transcript(ctx, tag: str, blocks, notes: list) -> None:
    named = next((b for b in blocks if b.command and b.command.kind == "hostname"), None)
    host_line = next((ln.strip() for ln in named.output if ln.strip()), None) if named else None
    prompt_host = next((b.host for b in blocks if b.host), None)
    if host_line:
        host, host_from = host_line, "hostname command"
    elif prompt_host:
        host, host_from = prompt_host, "prompt"
    else:
        host, host_from = ctx.fallback_host, ctx.fallback_from
    r = _Reader(ctx, tag, host, host_from, "+transcript", notes)
    other = [f"{b.cmdline[:40]!r} (line {b.line})" for b in blocks if b.command is None]
    if other:
        r.notes.append((None, "transcript commands not read (not ethtool -k/-i or ip xfrm state/policy): "
                              + ", ".join(other[:8]) + (f" and {len(other) - 8} more" if len(other) > 8 else "")))
    for b in blocks:
        if b.command is not None and b.command.kind != "hostname":
            _run(r, b.command, b.output, b.output_line)


def _run(r: _Reader, cmd, lines: list[str], first: int) -> None:
    """Read one command's output."""
    kind = cmd.kind
    if kind in ("ethtool-k", "ethtool-i"):
        failed = _failure(lines)
        if failed:
            r.ctx.reject(first, f"{cmd.text or kind} failed: {failed}")
            return
    if kind == "ethtool-k":
        _ethtool_k(r, cmd, lines, first)
    elif kind == "ethtool-json-k":
        _ethtool_json(r, "\n".join(lines), first)
    elif kind == "ethtool-i":
        _ethtool_i(r, cmd, lines, first)
    else:
        _xfrm(r, cmd, lines, first)


def _failure(lines: list[str]) -> str | None:
    body = [ln.strip() for ln in lines if ln.strip()]
    if body and body[0].startswith(("Cannot ", "netlink error", "ethtool: ", "No such device")):
        return body[0][:120]
    return None


def _feature_views(feats: ethtool.Features) -> tuple[dict, dict]:
    """(hardware values, current values) of parsed ESP features (fixed None: hardware unknown unless on)."""
    hw, cur = {}, {}
    for name, (active, fixed) in feats.items():
        cur[ethtool_column(name)] = active
        # can be on: on, or off without [fixed]; off [fixed] cannot; off with fixed unknown (JSON null): unknown
        hw[ethtool_column(name)] = True if active or fixed is False else (False if fixed else None)
        hw[ethtool_column(name, True)] = cur[ethtool_column(name, True)] = fixed
    return hw, cur


def _add_features(r: _Reader, iface: str, feats: ethtool.Features, line: int, kind: str, grep: bool) -> None:
    hw, cur = _feature_views(feats)
    r.add(iface, "hardware", line, hw, kind)
    r.add(iface, "current", line, cur, kind)
    r.loaded()
    for n, t in feats.notes:
        r.ctx.remark(n, f"{iface}: {t}")
    if not feats:
        r.ctx.remark(line, f"{iface}: no ESP feature (esp-hw-offload, esp-tx-csum-hw-offload, tx-esp-segmentation) "
                           "in the output" + (" after grep" if grep else " (a kernel older than 4.11 names none)")
                           + ": its ethtool columns are <NA>")


def _ethtool_k(r: _Reader, cmd, lines: list[str], first: int) -> None:
    try:
        feats = ethtool.parse_features(lines, first)
    except RecordError as exc:
        r.ctx.reject(exc.line, f"ethtool -k output{' of ' + cmd.iface if cmd.iface else ''}: {exc.reason}")
        return
    iface = feats.iface or cmd.iface
    if iface is None:
        r.ctx.reject(first, "ethtool -k output without its 'Features for IFACE:' header (cut by grep?) and no "
                            "command line naming the interface: save it with the command (a transcript)")
        return
    if feats.iface and cmd.iface and feats.iface != cmd.iface:
        r.ctx.remark(first, f"the command names {cmd.iface!r} but ethtool printed 'Features for {feats.iface}': "
                            "the header is used")
    _add_features(r, iface, feats, first, "ethtool-k", cmd.grep)


def _ethtool_json(r: _Reader, text: str, first: int) -> None:
    try:
        objs = ethtool.parse_features_json(text, first)
    except RecordError as exc:
        r.ctx.reject(exc.line, exc.reason)
        return
    for line, feats in objs:
        if isinstance(feats, RecordError):
            r.ctx.reject(feats.line or line, feats.reason)
        else:
            _add_features(r, feats.iface, feats, line, "ethtool-json-k", False)


def _ethtool_i(r: _Reader, cmd, lines: list[str], first: int) -> None:
    if cmd.iface is None:
        r.ctx.reject(first, "ethtool -i output names no interface: save it with the command (a transcript) or "
                            "as sos does (ethtool_-i_IFACE)")
        return
    try:
        info = ethtool.parse_driver(lines, first)
    except RecordError as exc:
        r.ctx.reject(exc.line, f"ethtool -i {cmd.iface}: {exc.reason}")
        return
    values = {"driver": info["driver"]}
    if info.get("firmware-version"):
        values["firmware"] = info["firmware-version"]
    r.add(cmd.iface, "unknown", first, values, "ethtool-i")
    r.loaded()


def _xfrm(r: _Reader, cmd, lines: list[str], first: int) -> None:
    out = xfrm.parse_xfrm(lines, first, cut=cmd.grep, policies=cmd.kind == "xfrm-policy")
    counts: dict = {}
    software = 0
    for st in out.states:
        if isinstance(st, RecordError):
            r.ctx.reject(st.line, f"ip xfrm state: {st.reason}")
            continue
        r.loaded()
        if st.offload is None:
            software += 1
            continue
        dev, direction, mode = st.offload
        line, c = counts.setdefault(dev, (st.line, {}))
        col = xfrm_column(direction, mode or "unknown")
        c[col] = c.get(col, 0) + 1
    states = len(out.states)
    if states and cmd.kind == "xfrm-policy":
        r.notes.append((first, f"'{cmd.text}' printed {states} state blocks: they are counted as states"))
    for dev, (line, c) in counts.items():
        r.add(dev, "unknown", line, c, "xfrm-state")
    if states:
        r.add("", "unknown", first, {}, "xfrm-host")  # the host's xfrm states were captured (see merge)
    if software:
        r.notes.append((first, f"{software} of {states} xfrm states have no offload line (software SAs): loaded, "
                               "counted on no interface"))
    if out.policies:
        r.notes.append((first, f"{out.policies} xfrm {'policy' if out.policies == 1 else 'policies'} "
                               f"({out.offloaded_policies} with an offload line): "
                               "a policy is not a state, nothing is counted from them"))
