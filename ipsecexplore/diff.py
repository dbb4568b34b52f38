"""N-way diff of adapter configurations: which members differ, where they sit, which rule findings differ.

>>> from ipsecexplore.diff import diff
>>> import ipsecexplore as ix
>>> a = ix.NdisOffload.new(revision=2); a.IPsecV2.Esp = True
>>> b = ix.NdisOffload.new(revision=2)
>>> d = diff(a, b, labels=["A", "B"])
>>> [(r.path, r.offset, r.values) for r in d.rows]
[('IPsecV2.Esp', 120, (True, False))]

Inputs (2..N of them, mixed freely): decoded :class:`~ipsecexplore.model.NdisOffload` objects (or any
:class:`~ipsecexplore.model.StructValue`), rows of the fleet frame (a ``pandas.Series``, or a DataFrame of
rows), builder states (``{dotted path: value}`` dicts, or any object with an ``offload`` attribute).
A member an input does not carry (``<NA>`` in the fleet frame, past ``Header.Size`` of a decoded object)
is *unknown* — shown as such and different from any value.

``ipsecexplore diff A B [C ...]`` (:func:`add_diff_command`) compares capture files, raw structures and
``FILE#adapter`` selections in the terminal.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import questions
from .columns import ENABLED, OS, is_keyword_column
from .errors import DecodeError, InputError, IpsecExploreError
from .fleet_linux import ndis_only_note
from .formatting import to_jsonable, value_text
from .htmltable import Cell, Markup, html_table, join
from .identity import name_key
from .layouts import Layout, layout
from .scalars import is_na as _is_na
from .scalars import plain_value as _plain
from .text import html_text, visible

__all__ = ["diff", "Diff", "DiffItem", "MemberDiff", "FindingDiff", "as_items", "row_values", "row_label",
           "findings_for", "add_diff_command", "run_diff", "resolve_inputs", "UNKNOWN"]

#: How an unknown value (a member the input does not carry) is shown.
UNKNOWN = "unknown"
_OFFLOAD = "NDIS_OFFLOAD"
_BLOCK = "NDIS_IPSEC_OFFLOAD_V2"


# --------------------------------------------------------------------------------------------- inputs
@dataclass
class DiffItem:
    """One side of a diff: a ``label``, the ``values`` by dotted path (None = unknown), the ``structure``
    the paths belong to, the ``findings`` of the rule book (None when they could not be computed; then
    ``findings_note`` says why) and where it came from."""

    label: str
    values: dict
    structure: str = _OFFLOAD
    findings: Any = None
    findings_note: str = ""
    source: str = ""
    kind: str = "structure"  # structure | fleet row | builder state




def row_values(row) -> dict:
    """Deprecated alias (to be removed in the next release) of :func:`ipsecexplore.questions.row_values`."""
    warnings.warn("ipsecexplore.diff.row_values is deprecated; use ipsecexplore.questions.row_values",
                  DeprecationWarning, stacklevel=2)
    return questions.row_values(row)


def row_label(row) -> str:
    """``host / adapter (view)`` of a fleet row."""
    def s(k):
        v = row.get(k) if hasattr(row, "get") else None
        return "" if _is_na(v) else str(v)

    view = s("view")
    return f"{s('host')} / {s('adapter')}" + (f" ({view})" if view else "")


def findings_for(values: Mapping, *, hardware: Mapping | None = None):
    """Deprecated alias (to be removed in the next release) of :func:`ipsecexplore.questions.view_findings`:
    the rule findings of one captured adapter view given as ``{dotted path: value}``, as ``(Findings or None,
    note)``."""
    warnings.warn("ipsecexplore.diff.findings_for is deprecated; use ipsecexplore.questions.view_findings",
                  DeprecationWarning, stacklevel=2)
    return questions.view_findings(values, hardware=hardware)


def _struct_item(obj, label: str, with_findings: bool) -> DiffItem:
    from .model import StructValue

    assert isinstance(obj, StructValue)
    values = obj.to_dict()
    structure = obj.structure
    if structure == _BLOCK:  # a bare IPsecV2 block: compare it in NDIS_OFFLOAD terms
        values = {f"IPsecV2.{k}": v for k, v in values.items()}
        structure = _OFFLOAD
    findings, note = None, ""
    if with_findings:
        try:
            from .rules import validate

            findings = validate(obj)
        except IpsecExploreError as exc:
            note = f"not checked: {exc}"
    rev = f" revision {obj.revision}" if getattr(obj, "revision", None) else ""
    return DiffItem(label or f"{obj.structure}{rev}", values, structure, findings, note, kind="structure")


def _dict_item(d: Mapping, label: str, with_findings: bool) -> DiffItem:
    values = {str(k): _plain(v) for k, v in d.items()}
    structure = _OFFLOAD
    if values and all(k in layout(_BLOCK) for k in values) and not any(k in layout(_OFFLOAD) for k in values):
        values = {f"IPsecV2.{k}": v for k, v in values.items()}
    lay = layout(structure)
    unknown = [k for k in values if k not in lay and not is_keyword_column(k) and k != ENABLED]
    if unknown:
        raise InputError(f"not a member of {structure}: {', '.join(sorted(unknown)[:5])}", structure=structure,
                         path=sorted(unknown)[0])
    findings, note = (None, "")
    if with_findings:
        findings, note = _validate_dict(values)
    return DiffItem(label or "state", values, structure, findings, note, kind="builder state")


def _validate_dict(values: dict):
    """Findings of a builder state: the whole NDIS_OFFLOAD when it names a revision, else the IPsecV2 block
    as a capture would be checked."""
    if "Header.Revision" not in values:
        return questions.view_findings(values)
    try:
        from .rules import validate

        lay = layout(_OFFLOAD)
        return validate({k: v for k, v in values.items() if v is not None and k in lay},
                        {"structure": _OFFLOAD}), ""
    except IpsecExploreError as exc:
        return None, f"not checked: {exc}"


def _row_item(row, label: str, with_findings: bool) -> DiffItem:
    values = questions.row_values(row)
    findings, note = questions.view_findings(values) if with_findings else (None, "")
    if values.get(OS) == "linux" and with_findings:  # the rule book is NDIS's: not "IPsecV2 not reported"
        findings, note = None, "not checked: " + ndis_only_note(1, "checked by the rule book")
    src = row.get("source")
    return DiffItem(label or row_label(row), values, _OFFLOAD, findings, note,
                    source="" if _is_na(src) else str(src), kind="fleet row")


def as_items(objs: Sequence, labels: Sequence[str] | None = None, *, findings: bool = True) -> list[DiffItem]:
    """Normalise diff inputs to :class:`DiffItem` objects (a DataFrame contributes one item per row)."""
    import pandas as pd

    from .model import StructValue

    out: list[DiffItem] = []
    labels = list(labels or [])
    for i, obj in enumerate(objs):
        label = labels[i] if i < len(labels) else ""
        if isinstance(obj, DiffItem):
            out.append(obj)
        elif isinstance(obj, pd.DataFrame):
            for j, (_, row) in enumerate(obj.iterrows()):
                out.append(_row_item(row, f"{label} [{j}]" if label else "", findings))
        elif isinstance(obj, pd.Series):
            out.append(_row_item(obj, label, findings))
        elif isinstance(obj, StructValue):
            out.append(_struct_item(obj, label, findings))
        elif isinstance(getattr(obj, "offload", None), StructValue):  # a builder widget
            out.append(_struct_item(obj.offload, label or "builder", findings))
            out[-1].kind = "builder state"
        elif isinstance(obj, Mapping):
            out.append(_dict_item(obj, label, findings))
        elif isinstance(obj, (bytes, bytearray, memoryview)):
            from .model import decode

            out.append(_struct_item(decode(bytes(obj)), label, findings))
        else:
            raise InputError(f"cannot compare a {type(obj).__name__}; give NdisOffload objects, fleet rows, "
                             "dicts of dotted member paths or bytes")
    # labels name the columns: keep them apart
    seen: dict[str, int] = {}
    for it in out:
        base = it.label or "item"
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            it.label = f"{base} #{seen[base]}"
    return out


# ------------------------------------------------------------------------------------------------ diff
@dataclass
class MemberDiff:
    """One member whose values differ: ``path``, byte ``offset`` (None for keywords and other non-layout
    values), ``bits`` (``"3..5"`` for a bit-field), ``ctype``, the ``values`` (one per item, None = unknown)
    and ``texts`` (the values as shown)."""

    path: str
    offset: int | None
    bits: str
    ctype: str
    values: tuple
    texts: tuple
    flags: tuple = ()  # per item: the flag names set (flag members only)

    @property
    def where(self) -> str:
        """The member's byte offset (``0xNNNN``, plus bits for a bit-field), ``keyword`` for a keyword, else ``-``."""
        if self.offset is None:
            return "keyword" if is_keyword_column(self.path) else "-"
        return f"0x{self.offset:04X}" + (f" bits {self.bits}" if self.bits else "")


@dataclass
class FindingDiff:
    """A rule finding present in some of the items only: ``rule``, ``members``, ``severity`` (the highest
    among the items that have it), per item the message (None where the item has no such finding) and
    ``checked``: per item, whether the item was checked for it. An item is not checked when the rule book
    could not run on it (no IPsecV2 member known), skipped that rule, or does not carry every member the
    finding names (a fleet row has no ``Header.Size``): its None then means "unknown", not "absent"."""

    rule: str
    members: tuple
    severity: str
    messages: tuple
    checked: tuple = ()

    def _checked(self, i: int) -> bool:
        return self.checked[i] if self.checked else True

    def positions(self) -> tuple[list[int], list[int], list[int]]:
        """0-based item positions (with the finding, checked without it, not checked)."""
        have = [i for i, m in enumerate(self.messages) if m is not None]
        lack = [i for i, m in enumerate(self.messages) if m is None and self._checked(i)]
        unchecked = [i for i, m in enumerate(self.messages) if m is None and not self._checked(i)]
        return have, lack, unchecked


@dataclass
class Diff:
    """The result of :func:`diff`: ``items``, ``rows`` (members that differ) and ``findings`` (rule
    findings that differ). ``bool(d)`` is True when anything differs."""

    items: list
    rows: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    compared: int = 0  # members compared

    def __bool__(self) -> bool:
        return bool(self.rows or self.findings)

    @property
    def labels(self) -> list[str]:
        """One label per compared item, in the order given."""
        return [it.label for it in self.items]

    def to_frame(self):
        """The member rows as a DataFrame: member, offset, bits, then one column per item (values)."""
        import pandas as pd

        data = {"member": [r.path for r in self.rows], "offset": [r.offset for r in self.rows],
                "bits": [r.bits for r in self.rows]}
        for i, lab in enumerate(self.labels):
            data[lab] = [r.values[i] for r in self.rows]
        return pd.DataFrame(data)

    def to_dict(self) -> dict:
        """JSON-ready: items, members that differ, findings that differ."""
        return {
            "items": [{"label": it.label, "kind": it.kind, "source": it.source} for it in self.items],
            "members": [{"member": r.path, "offset": r.offset, "bits": r.bits or None,
                         "values": [to_jsonable(v) for v in r.values]} for r in self.rows],
            "findings": [{"rule": f.rule, "members": list(f.members), "severity": f.severity,
                          "messages": list(f.messages),
                          "checked": [f._checked(i) for i in range(len(f.messages))]} for f in self.findings],
            "compared": self.compared,
        }

    # --- text -----------------------------------------------------------------------------------
    def __str__(self) -> str:
        return self.to_text()

    def to_text(self, width: int = 30) -> str:
        """A terminal table: member, offset, one column per item (cells cut at ``width`` characters)."""
        labels = [_cut(lab, width) for lab in self.labels]
        lines = [f"{len(self.items)} inputs: "
                 + "; ".join(f"[{i + 1}] {_printable(lab)}" for i, lab in enumerate(self.labels))]
        if not self.rows:
            lines.append(f"No member differs ({self.compared} compared).")
        else:
            head = ["member", "offset"] + [f"[{i + 1}]" for i in range(len(labels))]
            body = [[r.path, r.where] + [_cut(t, width) for t in r.texts] for r in self.rows]
            widths = [max(len(str(x[c])) for x in [head] + body) for c in range(len(head))]
            fmt = "  ".join(f"{{:<{w}}}" for w in widths)
            lines.append(f"{len(self.rows)} of {self.compared} members differ:")
            lines.append(fmt.format(*head).rstrip())
            lines.append(fmt.format(*("-" * w for w in widths)).rstrip())
            lines += [fmt.format(*row).rstrip() for row in body]
        notes = [f"[{i + 1}] findings {_printable(it.findings_note)}" for i, it in enumerate(self.items)
                 if it.findings is None and it.findings_note]
        if self.findings:
            lines.append("")
            lines.append(f"{len(self.findings)} rule findings differ:")
            for f in self.findings:
                have, lack, unchecked = ([str(i + 1) for i in x] for x in f.positions())
                where = f" [{', '.join(f.members)}]" if f.members else ""
                msg = _printable(next(m for m in f.messages if m is not None))
                status = f"in [{', '.join(have)}]" + (f", not in [{', '.join(lack)}]" if lack else "")
                if unchecked:
                    status += f", not checked in [{', '.join(unchecked)}]"
                lines.append(f"  {f.severity.upper():7} {f.rule}{where} {status}: {msg}")
        elif any(it.findings is not None for it in self.items):
            lines.append("No rule finding differs.")
        lines += notes
        return "\n".join(lines)

    # --- HTML -----------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        e = html_text
        css = ("<style>.ipsecexplore-diff td,.ipsecexplore-diff th{padding:2px 8px;border-bottom:1px solid #eee;"
               "text-align:left;vertical-align:top;font-size:12px}.ipsecexplore-diff .chg{background:#fff3bf}"
               ".ipsecexplore-diff .unk{color:#888;font-style:italic}.ipsecexplore-diff .flag-odd{background:#ffc9c9;"
               "border-radius:3px;padding:0 2px}.ipsecexplore-diff code{font-size:12px}</style>")
        rows = []
        for r in self.rows:
            base = r.values[0]
            common = set.intersection(*(set(f) for f in r.flags)) if r.flags else set()
            cells = []
            for v, t, fl in zip(r.values, r.texts, r.flags or [()] * len(r.values)):
                cls = "unk" if v is None else ("chg" if v != base else "")
                if fl:
                    t = Markup(e(_value_text(v)) + "<br>" + " ".join(
                        f'<span class="{"" if n in common else "flag-odd"}">{e(n)}</span>' for n in fl))
                cells.append(Cell(t, css=cls))
            rows.append([Cell(r.path, code=True), r.where, *cells])
        if rows:
            members = (f"<p>{len(self.rows)} of {self.compared} members differ (highlighted: differs from the first "
                       "column; red flags: not set in every input).</p>"
                       + html_table(rows, ["member", "offset", *self.labels]))
        else:
            members = f"<p>No member differs ({self.compared} compared).</p>"
        fparts = []
        if self.findings:
            frows = [[f.severity, f.rule, Cell(join(f.members), code=True),
                      *(Cell(m, css="chg") if m is not None
                        else Cell("—" if f._checked(i) else "not checked", css="unk")
                        for i, m in enumerate(f.messages))]
                     for f in self.findings]
            fparts.append(f"<p>{len(self.findings)} rule findings differ:</p>"
                          + html_table(frows, ["severity", "rule", "members", *self.labels]))
        elif any(it.findings is not None for it in self.items):
            fparts.append("<p>No rule finding differs.</p>")
        for it in self.items:
            if it.findings is None and it.findings_note:
                fparts.append(f"<p class=\"unk\">{e(it.label)}: findings {e(it.findings_note)}</p>")
        return f'{css}<div class="ipsecexplore-diff">{members}{"".join(fparts)}</div>'

    def __repr__(self) -> str:
        return f"<Diff of {len(self.items)} inputs: {len(self.rows)} members, {len(self.findings)} findings differ>"


def _printable(s) -> str:
    """``s`` with control characters and bidirectional overrides as visible escapes
    (:func:`ipsecexplore.text.visible`): capture strings (adapter names, file names) reach the terminal,
    where an escape sequence would rewrite the screen or hide a line."""
    return visible(s)


def _cut(s: str, n: int) -> str:
    s = _printable(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _value_text(v) -> str:
    if v is None:
        return UNKNOWN
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex(" ")
    return value_text(v, booleans=("FALSE", "TRUE"))


def _flag_names(path: str, v) -> tuple:
    """Short flag names set in ``v`` for the IPsecV2 mask members (columns naming), else ()."""
    if not isinstance(v, int) or isinstance(v, bool):
        return ()
    from .columns import IPSECV2_FLAG_MEMBERS, flag_columns

    if path not in IPSECV2_FLAG_MEMBERS:
        return ()
    names = [f.column.rsplit(".", 1)[1] for f in flag_columns(path) if v & f.bit]
    rest = v & ~sum(f.bit for f in flag_columns(path))
    if rest:
        names.append(f"0x{rest:X}?")
    return tuple(names) or ("(none)",)


def _order_key(lay: Layout, path: str):
    if path in lay:
        m = lay.field(path)
        return (0, m.offset, m.bit_offset or 0, path)
    return (1, 0, 0, path)


def _equal(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


def diff(*objs, labels: Sequence[str] | None = None, findings: bool = True,
         members: Iterable[str] | None = None, all_members: bool = False) -> Diff:
    """Compare 2..N configurations; see the module docstring for the inputs.

    ``members``: only these dotted paths (or prefixes such as ``"IPsecV2."``). By default every member of
    the inputs is compared, except that when a fleet row takes part only the members a fleet row can carry
    are (a capture has no checksum or LSO members: they would all differ as unknown).
    ``all_members``: also list members whose values are equal (marked as not differing in ``texts``)."""
    if len(objs) == 1 and isinstance(objs[0], (list, tuple)):
        objs = tuple(objs[0])
    items = as_items(objs, labels, findings=findings)
    if len(items) < 2:
        raise InputError(f"a diff needs at least two inputs, got {len(items)}")
    structures = {it.structure for it in items}
    if len(structures) > 1:
        raise InputError("cannot compare different structures: " + ", ".join(sorted(structures)))
    lay = layout(items[0].structure)
    paths = set().union(*(it.values for it in items))
    if members is not None:
        sel = list(members)
        paths = {p for p in paths if any(p == s or p.startswith(s if s.endswith(".") else s + ".") for s in sel)}
    elif any(it.kind == "fleet row" for it in items):
        carried = set().union(*(it.values for it in items if it.kind == "fleet row"))
        paths &= carried
    if not any(it.values.get(OS) == "linux" for it in items):  # os tells Linux rows apart; else it is noise
        paths.discard(OS)
    rows = []
    for p in sorted(paths, key=lambda p: _order_key(lay, p)):
        vals = tuple(it.values.get(p) for it in items)
        differs = not all(_equal(vals[0], v) for v in vals[1:])
        if not differs and not all_members:
            continue
        m = lay.field(p) if p in lay else None
        bits = m.codec.bits_text(m) if m is not None else ""
        flags = tuple(_flag_names(p, v) for v in vals)
        texts = tuple(_value_text(v) + (f" = {'|'.join(f)}" if f else "") for v, f in zip(vals, flags))
        rows.append(MemberDiff(p, m.offset if m is not None else None, bits, m.ctype if m is not None else "",
                               vals, texts, flags if any(flags) else ()))
    return Diff(items, rows, _finding_diffs(items), len(paths))


def _finding_diffs(items: list[DiffItem]) -> list[FindingDiff]:
    if all(it.findings is None for it in items):
        return []
    from .rules.base import severity_rank

    keys: dict = {}
    for i, it in enumerate(items):
        for f in it.findings or ():
            key = (f.rule, tuple(f.members))
            keys.setdefault(key, [None] * len(items))
            if keys[key][i] is None:
                keys[key][i] = f
    out = []
    for (rule, mem), per in keys.items():
        if all(p is not None for p in per):
            continue
        # an item without the finding either was checked for it (absent) or not (unknown); a finding that
        # is absent nowhere is still listed: it is not known to be in every input
        checked = tuple(p is not None or _checked_for(it, rule, mem) for p, it in zip(per, items))
        sev = max((p.severity for p in per if p is not None), key=severity_rank)
        out.append(FindingDiff(rule, mem, sev, tuple(p.message if p is not None else None for p in per), checked))
    out.sort(key=lambda f: (-severity_rank(f.severity), int(f.rule[1:]) if f.rule[1:].isdigit() else 0, f.members))
    return out


def _checked_for(item: DiffItem, rule: str, members: tuple) -> bool:
    """Whether ``item`` was checked for a finding of ``rule`` on ``members``: the rule book ran on it, did
    not skip the rule, and every member the finding names that is a member of the structure is known."""
    if item.findings is None or rule in {r for r, _ in getattr(item.findings, "skipped", ())}:
        return False
    lay = layout(item.structure)
    return all(item.values.get(m) is not None for m in members if m in lay)


# ------------------------------------------------------------------------------------------------ CLI
def _read_raw_structure(path: str):
    """An NdisOffload when ``path`` holds exactly one NDIS_OFFLOAD (binary or hex text), else None."""
    from .hexinput import read_bytes
    from .model import decode

    try:
        if os.path.getsize(path) > 1 << 20:
            return None
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=path) from None
    try:
        off = decode(read_bytes(raw, "auto", source=path))
    except (DecodeError, InputError):
        return None
    if off.trailing:  # more than one record, or a WMI block: the capture importer knows those
        return None
    return off


def _fleet_rows(path: str, adapter: str | None, views: set[str] | None, size_limit: int | None,
                notes: list | None = None):
    from .fleet import load_fleet

    kw = {"progress": False}
    if size_limit:
        kw["size_limit"] = size_limit
    fleet = load_fleet([path], **kw)
    f = fleet.frame
    if notes is not None:  # a file named twice (FILE#a FILE#b) says each thing once
        remarks = getattr(fleet, "remarks", None)
        for line in [f"{r.file}:{_where(r)}: rejected, not compared: {r.reason}" for r in fleet.rejected.itertuples()] \
                + [f"{r.file}:{_where(r)}: remark: {r.remark}"
                   for r in (remarks.itertuples() if remarks is not None else ())]:
            if line not in notes:
                notes.append(line)
    if adapter is not None:
        sel = f[(name_key(f["adapter"]) == name_key(adapter)).to_numpy(dtype=bool)] if len(f) else f
        if len(sel) == 0:
            names = sorted(set(f["adapter"].dropna().astype(str))) if len(f) else []
            raise InputError(f"no adapter named {adapter!r}"
                             + (f" (adapters: {', '.join(names[:12])}{' …' if len(names) > 12 else ''})" if names
                                else " (the file holds no adapter)"), source=path)
        f = sel
    if len(f) == 0:
        reasons = [f"{r.file}:{r.line}: {r.reason}" if not _is_na(r.line) else f"{r.file}: {r.reason}"
                   for r in fleet.rejected.itertuples()] + [f"{r.file}: {r.reason}" for r in fleet.skipped.itertuples()]
        raise InputError("no adapter configuration found" + (f" ({reasons[0]})" if reasons else ""), source=path)
    if views:
        f = f[f["view"].isin(views).to_numpy()]
        if len(f) == 0:
            raise InputError(f"no {' or '.join(sorted(views))} view in this capture", source=path)
    return [row for _, row in f.iterrows()]


def _where(r) -> str:
    """``line`` or ``0xOFFSET`` of a rejected record or remark (``-`` when neither is known)."""
    line, off = getattr(r, "line", None), getattr(r, "offset", None)
    if not _is_na(line):
        return str(int(line))
    return f"0x{int(off):X}" if not _is_na(off) else "-"


def _split_spec(spec: str) -> tuple[str, str | None]:
    """``FILE`` or ``FILE#ADAPTER`` -> (path, adapter). An existing path is taken whole; else the path is the
    longest prefix before a '#' that exists (a file before a folder), so file names and adapter names may
    both hold '#' (``cap#2.bin#Ethernet #2``)."""
    if os.path.exists(spec) or "#" not in spec:
        return spec, None
    cuts = [i for i, c in enumerate(spec) if c == "#"][::-1]
    for test in (os.path.isfile, os.path.exists):
        for i in cuts:
            if test(spec[:i]):
                return spec[:i], spec[i + 1:]
    path, adapter = spec.rsplit("#", 1)
    return path, adapter


def resolve_inputs(specs: Sequence[str], *, views: set[str] | None = None, size_limit: int | None = None,
                   notes: list | None = None) -> list[tuple[str, Any]]:
    """``(label, object)`` for each command-line input: a raw structure file gives an NdisOffload, a
    capture file (or folder) gives its fleet rows, ``FILE#adapter`` the rows of that adapter. Records a
    capture importer rejected are appended to ``notes`` (one line each)."""
    out = []
    for spec in specs:
        path, adapter = _split_spec(spec)
        if not os.path.exists(path):
            raise InputError("no such file or folder", source=path)
        if adapter is None and os.path.isfile(path):
            off = _read_raw_structure(path)
            if off is not None:
                out.append((os.path.basename(path), off))
                continue
        rows = _fleet_rows(path, adapter, views, size_limit, notes)
        multi_file = len({str(r.get("source", "")).rsplit(":", 1)[0] for r in rows}) > 1
        for row in rows:
            label = row_label(row)
            if len(specs) > 1 or multi_file:
                src = row.get("source")
                label = f"{os.path.basename(str(src)) if not _is_na(src) else os.path.basename(path)}: {label}"
            out.append((label, row))
    return out


def run_diff(args) -> int:
    """Handler of ``ipsecexplore diff``: 0 when nothing differs, 1 when something does; bad input raises
    :class:`~ipsecexplore.errors.InputError` (the CLI prints it on one line and exits 2)."""
    import sys

    views = None if args.view == "all" else {args.view}
    notes: list[str] = []
    pairs = resolve_inputs(args.inputs, views=views, notes=notes)
    for n in notes:
        print(f"ipsecexplore diff: {_printable(n)}", file=sys.stderr)
    if len(pairs) < 2:
        raise InputError(f"a diff needs at least two adapters or structures; {' '.join(args.inputs)} gave "
                         f"{len(pairs)}" + (f" ({pairs[0][0]})" if pairs else ""))
    d = diff([o for _, o in pairs], labels=[lab for lab, _ in pairs], findings=not args.no_findings,
             all_members=args.all)
    if args.json:
        print(json.dumps(d.to_dict(), indent=2))
    else:
        print(d.to_text(width=args.width))
    return 1 if d else 0


def add_diff_command(subparsers):
    """Add ``diff`` to an ``argparse`` sub-parsers object; returns its parser (handler in ``func``)."""
    p = subparsers.add_parser(
        "diff", help="members and rule findings that differ between adapters or structures",
        description="Compare 2..N adapter configurations member by member (dotted C path, byte offset, each "
                    "value) and list the rule findings that differ. Inputs: raw NDIS_OFFLOAD files (binary or "
                    "hex), capture files or folders (every adapter in them), FILE#ADAPTER (one adapter of a "
                    "capture). Exit status: 0 nothing differs, 1 something differs, 2 bad input.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="FILE, FOLDER or FILE#ADAPTER")
    p.add_argument("--view", choices=("all", "hardware", "current"), default="all",
                   help="which views of captured adapters to compare (default: all)")
    p.add_argument("--all", action="store_true", help="list equal members too")
    p.add_argument("--json", action="store_true", help="JSON instead of a table")
    p.add_argument("--no-findings", action="store_true", help="do not run the rule book")
    p.add_argument("--width", type=int, default=30, help="cut table cells at this many characters (default 30)")
    p.set_defaults(func=run_diff, handler=run_diff)
    return p
