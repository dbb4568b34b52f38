"""Effective IPsecOV2 configuration: hardware capabilities + INF keywords + OID_TCP_OFFLOAD_PARAMETERS.

Three layers produce what a protocol driver finally sees (rule book §5, §6):

1. the **miniport** derives its default (current) configuration from the hardware capabilities and the
   keywords ``*IPsecOffloadV2`` / ``*IPsecOffloadV2IPv4`` (R49, R50);
2. an accepted **OID_TCP_OFFLOAD_PARAMETERS** set writes the keyword back (value − 1, R66) and makes the
   miniport update its current configuration (R67), never beyond the hardware (R69);
3. **NDIS masks** what it passes up by the keyword in force (R51, R76): IPv4-only clears ``IPv6Supported``,
   AH/ESP are cleared by the keyword, and the whole block is zeroed when both are disabled.

>>> from ipsecexplore.effective import effective_configuration
>>> eff = effective_configuration(hw, keywords={"*IPsecOffloadV2": "2"}, parameters=[{"IPsecV2": 4}])
>>> print(eff.explain())          # which keyword or parameter changed which member   # doctest: +SKIP

Every change is recorded as a :class:`Change` with its cause and rule id; :class:`EffectiveConfig` renders a
table in notebooks and text in the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .formatting import to_jsonable, value_text
from .htmltable import Cell, html_table
from .layouts import layout
from .model import NdisOffload
from .rules import const
from .rules.base import Findings
from .rules.checks_params import IPSECV2_FIELDS, ipsec_setting, ipsecv2_readable
from .rules.keywords import (
    KeywordState,
    find_keyword,
    keyword_for_parameter,
    keyword_text_for_parameter,
    resolve_keywords,
)
from .rules.registry import enforces
from .rules.subjects import PARAMETERS, Subject, offload_object, parse_values, subject_of
from .rules.validate import validate
from .text import html_text

__all__ = ["Change", "EffectiveConfig", "ParametersOutcome", "effective_configuration", "miniport_default",
           "ndis_mask", "apply_offload_parameters", "derive_ipsecv2", "parameters_verdict", "as_parameters"]

_BLOCK = "IPsecV2."


@dataclass(frozen=True)
class Change:
    """One member (or keyword) changed by one cause. ``stage``: 'miniport', 'keyword write-back' or
    'NDIS masking'; ``rule``: the rule id that describes the behaviour."""

    member: str
    before: Any
    after: Any
    cause: str
    rule: str
    stage: str

    def __str__(self) -> str:
        return f"{self.stage}: {self.member} {_fmt(self.before)} → {_fmt(self.after)} ({self.cause}; {self.rule})"

    def to_dict(self) -> dict:
        """JSON-ready form of this change."""
        return {"member": self.member, "before": to_jsonable(self.before), "after": to_jsonable(self.after),
                "cause": self.cause, "rule": self.rule, "stage": self.stage}


def _fmt(v) -> str:
    return "(absent)" if v is None else value_text(v, decimal=False, booleans=("FALSE", "TRUE"), other=repr)


def _copy(off: NdisOffload, values: Mapping | None = None) -> NdisOffload:
    d = off.to_dict(raw=True)
    if values:
        d.update(values)
    return NdisOffload.from_dict(d, revision=off.revision)


def _block_paths() -> list[str]:
    return [_BLOCK + m.path for m in layout("NDIS_IPSEC_OFFLOAD_V2").leaves]


def _has_block(off: NdisOffload) -> bool:
    return subject_of(off).ipsecv2_reported


def _diff(before: NdisOffload, after: NdisOffload, cause: str, rule: str, stage: str,
          rules_by_member: Mapping[str, str] | None = None) -> list[Change]:
    b, a = before.to_dict(), after.to_dict()
    out = []
    for p in a:
        if p.startswith("Header.") or b.get(p) == a[p]:
            continue
        out.append(Change(p, b.get(p), a[p], cause, (rules_by_member or {}).get(p, rule), stage))
    return out


def derive_ipsecv2(hardware: NdisOffload, ah: bool, esp: bool, *, encapsulation: int | None = None) -> dict:
    """The IPsecV2 values (and ``Flags``) the miniport reports as *current* when ``ah``/``esp`` are enabled.

    Exactly the documented mapping (R50): start from the hardware block, clear ``Ah`` and/or ``Esp`` as the
    setting says, and never enable a protocol the hardware lacks (R69). The documentation says nothing about
    the other members, so they stay as the hardware reports them; :func:`validate` then shows what the
    inferred rules (R35, R40, R45) think of the result, and NDIS's own masking (:func:`ndis_mask`, R51)
    zeroes the block when both are off. ``encapsulation`` restricts Encapsulation to the framings enabled by
    OID_OFFLOAD_ENCAPSULATION (R73)."""
    hw = hardware.to_dict(raw=True)
    vals = {p: hw.get(p, 0) for p in _block_paths()}
    vals[_BLOCK + "Ah"] = int(bool(ah and vals[_BLOCK + "Ah"]))
    vals[_BLOCK + "Esp"] = int(bool(esp and vals[_BLOCK + "Esp"]))
    if encapsulation is not None:
        vals[_BLOCK + "Encapsulation"] = vals[_BLOCK + "Encapsulation"] & encapsulation
    vals["Flags"] = hw.get("Flags", 0)
    return vals


def miniport_default(hardware, keywords: Mapping | None = None, *, revision: int | None = None,
                     encapsulation: int | None = None) -> tuple[NdisOffload, list[Change]]:
    """The default (current) configuration a miniport derives at initialization (R49, R50): the hardware
    capabilities with AH/ESP as the keyword in force allows. Returns the object and the changes made."""
    hw = offload_object(hardware)
    state = resolve_keywords(keywords)
    base = _copy(hw)
    if revision is not None and revision != hw.revision:
        base = NdisOffload.from_dict({k: v for k, v in hw.to_dict(raw=True).items()
                                      if not k.startswith("Header.") and layout("NDIS_OFFLOAD").field(k).end
                                      <= layout("NDIS_OFFLOAD").revision_size(revision)}, revision=revision)
    if not _has_block(base):
        return base, []
    # the miniport applies AH/ESP only (R50); clearing IPv6Supported for the IPv4-only keyword is NDIS's
    # masking step (R51), see ndis_mask()
    vals = derive_ipsecv2(hw, state.ah, state.esp, encapsulation=encapsulation)
    cur = _copy(base, vals)
    cause = state.describe() if state.masks else "no keyword: the miniport enables what the hardware can do"
    return cur, _diff(base, cur, cause, "R50", "miniport")


def ndis_mask(offload: NdisOffload, state: KeywordState) -> tuple[NdisOffload, list[Change]]:
    """What NDIS passes up for ``offload`` under keyword ``state`` (R51, R76, R79): only for objects that
    carry the block; clears IPv6Supported for the IPv4-only keyword, Ah/Esp per keyword, and zeroes the
    whole 32-byte block when both are disabled. Masks, modes and SaOffloadCapacity are left alone."""
    if not state.masks or not _has_block(offload):
        return _copy(offload), []
    vals = {}
    if not (state.ah or state.esp):
        vals = {p: 0 for p in _block_paths()}
    else:
        if state.ipv4_only:
            vals[_BLOCK + "IPv6Supported"] = 0
        if not state.ah:
            vals[_BLOCK + "Ah"] = 0
        if not state.esp:
            vals[_BLOCK + "Esp"] = 0
    out = _copy(offload, vals)
    return out, _diff(offload, out, f"NDIS keyword mask: {state.describe()}", "R51", "NDIS masking")


# ---------------------------------------------------------------------------------------------------
# OID_TCP_OFFLOAD_PARAMETERS

def as_parameters(obj, arch: str = "x64"):
    """A Subject of NDIS_OFFLOAD_PARAMETERS from bytes, an OffloadParameters, or a dict. A dict without
    ``Header.Revision`` is taken as the newest revision (every field readable)."""
    if isinstance(obj, Mapping):
        vals = parse_values(obj, PARAMETERS)
        rev = vals.get("Header.Revision") or layout(PARAMETERS).latest_revision
        return subject_of(vals, PARAMETERS, arch=arch, revision=rev)
    return subject_of(obj, PARAMETERS, arch=arch)


@dataclass
class ParametersOutcome:
    """What NDIS decides about one OID_TCP_OFFLOAD_PARAMETERS set: ``status`` name (``NDIS_STATUS_*``),
    the findings that explain it, and whether the request reaches the miniport."""

    status: str
    findings: Findings
    accepted: bool


_STATUS_OF_RULE = {"R62": "NDIS_STATUS_INVALID_DATA", "R63": "NDIS_STATUS_INVALID_DATA",
                   "R64": "NDIS_STATUS_INVALID_PARAMETER"}


def parameters_verdict(params, hardware=None) -> ParametersOutcome:
    """NDIS's checks on a PARAMETERS request before the miniport sees it (R59, R62–R65, R61, R69).

    R62/R63 → NDIS_STATUS_INVALID_DATA, R64 → NDIS_STATUS_INVALID_PARAMETER (both RE); a header that is not
    an NDIS_OFFLOAD_PARAMETERS (wrong type, unknown revision, Size below the macro) → INVALID_PARAMETER
    (the simulator's choice: the code is not documented). Other findings are warnings only."""
    s = params if isinstance(params, Subject) else as_parameters(params)
    ctx = {"structure": PARAMETERS}
    if hardware is not None:
        ctx["hardware"] = hardware
    found = validate(s, ctx)
    status = "NDIS_STATUS_SUCCESS"
    for f in found:
        if f.rule in _STATUS_OF_RULE and status == "NDIS_STATUS_SUCCESS":
            status = _STATUS_OF_RULE[f.rule]
    header = {"Header.Type", "Header.Revision", "Header.Size"}
    if status == "NDIS_STATUS_SUCCESS" and any(f.rule == "R59" and set(f.members) <= header for f in found):
        status = "NDIS_STATUS_INVALID_PARAMETER"
    return ParametersOutcome(status, found, status == "NDIS_STATUS_SUCCESS")


def apply_offload_parameters(current: NdisOffload, hardware: NdisOffload, params, keywords: Mapping | None,
                             *, ndis_state: Mapping | None = None, encapsulation: int | None = None):
    """Apply one *accepted* PARAMETERS request. Returns ``(new current, registry keywords, NDIS in-memory
    keywords, changes)``.

    Keyword write-back (R66): a non-zero IPsecV2/IPsecV2IPv4 value v is stored as the string of v − 1 into
    the matching keyword, only when that keyword already exists; with NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE
    the registry is left alone (inferred from the flag's name) while NDIS's in-memory keyword state follows.
    The miniport then updates its current configuration (R67), within the hardware (R69)."""
    s = params if isinstance(params, Subject) else as_parameters(params)
    registry = dict(keywords or {})
    memory = dict(ndis_state if ndis_state is not None else registry)
    changes: list[Change] = []
    if not ipsecv2_readable(s):
        return _copy(current), registry, memory, changes
    skip = bool(s.get("Flags") & const.value("NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE"))
    new = _copy(current)
    for fld in IPSECV2_FIELDS:
        v = s.get(fld)
        setting = ipsec_setting(v)
        if setting is None:
            continue
        kw = keyword_for_parameter(fld)
        text = keyword_text_for_parameter(v)
        for store, _label in ((memory, "NDIS keyword state"), (registry, "registry")):
            if store is registry and skip:
                changes.append(Change(kw, find_keyword(registry, kw)[1], find_keyword(registry, kw)[1],
                                      f"{fld} = {v} with NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE: registry "
                                      "not written (inferred from the flag name)", "R66", "keyword write-back"))
                continue
            key, old = find_keyword(store, kw)
            if key is None:
                if store is registry:
                    changes.append(Change(kw, None, None, f"{fld} = {v}: keyword does not exist, so NDIS writes "
                                                          "nothing (only existing keywords are written: observed in "
                                                          "ndis.sys, basis RE)", "R66",
                                          "keyword write-back"))
                continue
            store[key] = text
            if store is registry:
                changes.append(Change(kw, old, text, f"OID_TCP_OFFLOAD_PARAMETERS {fld} = {v} → keyword value "
                                                     f"{v} − 1, as observed in ndis.sys (basis RE)", "R66",
                                      "keyword write-back"))
        ah, esp = setting
        vals = derive_ipsecv2(hardware, ah, esp, encapsulation=encapsulation)
        before = new
        new = _copy(new, vals)
        changes.extend(_diff(before, new, f"OID_TCP_OFFLOAD_PARAMETERS {fld} = {v}", "R67", "miniport"))
        lacking = [n for n, w in zip(("Ah", "Esp"), setting) if w and not hardware.to_dict().get(_BLOCK + n)]
        for n in lacking:
            changes.append(Change(_BLOCK + n, False, False, f"{fld} = {v} asks for {n} but the hardware lacks it",
                                  "R69", "miniport"))
    return new, registry, memory, changes


# ---------------------------------------------------------------------------------------------------

@dataclass
class EffectiveConfig:
    """The result of :func:`effective_configuration`.

    ``hardware``: capabilities; ``current``: the miniport's current configuration (what it indicates);
    ``effective``: what NDIS passes up and answers for OID_TCP_OFFLOAD_CURRENT_CONFIG (after R51 masking);
    ``keywords``: registry values after write-back; ``changes``: every change with cause and rule;
    ``findings``: rule findings met on the way (R53, R61, R62, R69, …); ``rejected``: (request index, status)
    of PARAMETERS requests NDIS refused."""

    hardware: NdisOffload
    current: NdisOffload
    effective: NdisOffload
    keywords: dict
    changes: list[Change] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def members(self) -> list[str]:
        """The IPsecV2 member paths (when reported), else every path of the current configuration."""
        d = self.current.to_dict()
        return [p for p in d if p.startswith(_BLOCK)] or [p for p in d if not p.startswith("Header.")]

    def rows(self) -> list[dict]:
        """One dict per member: hardware, current and effective values and what changed it."""
        hw, cur, eff = self.hardware.to_dict(), self.current.to_dict(), self.effective.to_dict()
        out = []
        for p in self.members():
            why = [c for c in self.changes if c.member == p]
            out.append({"member": p, "hardware": hw.get(p), "current": cur.get(p), "effective": eff.get(p),
                        "why": "; ".join(f"{c.cause} ({c.rule})" for c in why)})
        return out

    def explain(self) -> str:
        """Terminal text: keywords, every change in order, then the member table."""
        lines = ["Keywords: " + (", ".join(f"{k} = {v!r}" for k, v in self.keywords.items()) or "(none)")]
        if self.rejected:
            lines += [f"PARAMETERS request #{i} rejected by NDIS: {st}" for i, st in self.rejected]
        lines.append("Changes:")
        lines += [f"  {c}" for c in self.changes] or ["  (none)"]
        lines.append(f"{'member':40} {'hardware':>9} {'current':>9} {'effective':>9}")
        for r in self.rows():
            lines.append(f"{r['member']:40} {_fmt(r['hardware']):>9} {_fmt(r['current']):>9} "
                         f"{_fmt(r['effective']):>9}")
        if self.findings:
            lines.append(str(self.findings))
        return "\n".join(lines)

    __str__ = explain

    def to_dict(self) -> dict:
        """JSON-ready form of the whole result (values by dotted path, changes, findings)."""
        return {"keywords": dict(self.keywords), "changes": [c.to_dict() for c in self.changes],
                "hardware": self.hardware.to_dict(), "current": self.current.to_dict(),
                "effective": self.effective.to_dict(), "findings": self.findings.to_list(),
                "rejected": [list(r) for r in self.rejected]}

    def _repr_html_(self) -> str:
        e = html_text
        table = html_table(
            ([Cell(r["member"], code=True), _fmt(r["hardware"]), _fmt(r["current"]), _fmt(r["effective"]), r["why"]]
             for r in self.rows()),
            ["Member", "Hardware", "Current (miniport)", "Effective (NDIS view)", "Why"])
        kws = e(", ".join(f"{k} = {v!r}" for k, v in self.keywords.items()) or "(none)")
        changes = "".join(f"<li>{e(str(c))}</li>" for c in self.changes)
        rej = "".join(f"<li>PARAMETERS request #{i} rejected: {e(st)}</li>" for i, st in self.rejected)
        return (f"<div><p><b>Keywords:</b> {kws}</p>{table}<ol>{changes}{rej}</ol>"
                f"{self.findings._repr_html_() if self.findings else ''}</div>")


@enforces("R50", "R51", "R52", "R60", "R66", "R67", "R69", place="effective configuration")
def effective_configuration(hardware, keywords: Mapping | None = None, parameters: Iterable = (), *,
                            revision: int | None = None, encapsulation: int | None = None) -> EffectiveConfig:
    """Hardware capabilities + keywords + PARAMETERS requests (applied in order) → :class:`EffectiveConfig`.

    ``hardware``: NdisOffload, bytes or flat dict; ``keywords``: e.g. ``{"*IPsecOffloadV2": "3"}`` (REG_SZ
    text or ints); ``parameters``: NDIS_OFFLOAD_PARAMETERS as bytes, objects or dicts (a dict without a
    header is the newest revision); ``revision``: revision of the current configuration (default: the
    hardware object's)."""
    hw = offload_object(hardware)
    registry = dict(keywords or {})
    state = resolve_keywords(registry)
    findings = Findings(state.findings)
    current, changes = miniport_default(hw, registry, revision=revision, encapsulation=encapsulation)
    memory = dict(registry)
    rejected = []
    if isinstance(parameters, (bytes, bytearray, Mapping)):
        parameters = [parameters]
    for i, p in enumerate(parameters):
        s = as_parameters(p, hw.arch)
        verdict = parameters_verdict(s, hw)
        findings.extend(verdict.findings)
        if not verdict.accepted:
            rejected.append((i, verdict.status))
            continue
        current, registry, memory, ch = apply_offload_parameters(current, hw, s, registry, ndis_state=memory,
                                                                  encapsulation=encapsulation)
        changes.extend(ch)
    eff, ch = ndis_mask(current, resolve_keywords(memory))
    changes.extend(ch)
    return EffectiveConfig(hw, current, eff, registry, changes, findings, rejected)
