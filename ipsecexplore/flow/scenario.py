"""Scripted flows: a small JSON format that drives a :class:`~ipsecexplore.flow.simulation.Simulation`.

The format is documented in ``data/scenarios/README.md``. In short::

    {"name": "...", "ndis": "6.30", "arch": "x64",
     "hardware": {"IPsecV2.Esp": true, ...}, "keywords": {"*IPsecOffloadV2": "3"},
     "steps": [{"op": "initialize", "expect": "NDIS_STATUS_SUCCESS"}, ...]}

Each step may carry ``expect`` (an NDIS_STATUS name the step must end with) and ``note`` (free text shown
in the result). SA steps may ``name`` the SA bundle they add; later steps refer to it by that name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, IpsecExploreError
from ..hexinput import parse_hex
from ..jsonio import loads
from ..layouts import layout
from ..rules import const
from ..rules.base import Findings, get_rule
from ..rules.schema import (
    ARCH,
    BOOLEAN,
    NDIS_VERSION,
    OBJECT,
    STRING,
    UINT,
    ULONG,
    Kind,
    check_object,
    check_value,
    choice,
    list_of,
    one_of,
)
from ..rules.subjects import member_value
from ..text import html_text
from .events import Event
from .sa import UPDATE_SA
from .simulation import FAULTS, Simulation

__all__ = ["Scenario", "ScenarioResult", "load_scenario", "run_scenario", "OPS", "STEP_KEYS", "SETUP_KEYS"]

# What each key of a scenario holds. Values inside hardware/default/parameters/SA objects are member values,
# checked against their C types when the simulator packs them.
SETUP_KEYS: dict[str, Kind] = {
    "name": STRING, "description": STRING, "ndis": NDIS_VERSION, "arch": ARCH, "hardware": OBJECT,
    "keywords": OBJECT, "default": OBJECT,
    "faults": list_of(choice(FAULTS), what="fault names (" + ", ".join(FAULTS) + ")"),
    "disable_task_offload": BOOLEAN, "supports_offload_parameters": BOOLEAN, "attributes_header": OBJECT,
    "steps": list_of(OBJECT, nonempty=True, what="step objects"),
    "expect_audit": list_of(STRING, what="rule ids such as \"R74\""),
}
_TOP = set(SETUP_KEYS)

# an SA named by a step that added it, or by its OffloadHandle number
_SA_REF = one_of(STRING, UINT)
_NUMBER = one_of(UINT, STRING)  # a member value: a number, "0x…" text or a constant name
_STATUS = choice(const.names("NDIS_STATUS_GENERIC"), "an NDIS_STATUS_* name such as \"NDIS_STATUS_SUCCESS\"")
_COMMON = {"op": STRING, "expect": _STATUS, "note": STRING}

# op -> (required keys, {key: kind}) — every key a step may carry besides op, expect and note
STEP_KEYS: dict[str, tuple[tuple[str, ...], dict[str, Kind]]] = {
    "initialize": ((), {"default": OBJECT}),
    "query": (("oid",), {"oid": STRING, "length": ULONG}),
    "set_offload_parameters": (("parameters",), {"parameters": one_of(OBJECT, STRING), "buffer_length": ULONG}),
    "set_offload_encapsulation": ((), {"ipv4": OBJECT, "ipv6": OBJECT, "values": OBJECT, "hex": STRING}),
    "oid_set": (("oid",), {"oid": STRING, "hex": STRING}),
    "offload_sa": (("sa",), {"sa": OBJECT, "name": STRING}),
    "add_sa": (("sas",), {"sas": list_of(OBJECT, nonempty=True, what="SA objects"),
                          "names": list_of(one_of(STRING, Kind("null", lambda v: v is None)),
                                           what="SA names (a string, or null for an SA left unnamed)"),
                          "header": OBJECT}),
    "add_sa_ex": (("sa",), {"sa": OBJECT, "name": STRING, "header": OBJECT}),
    "delete_sa": (("sas",), {"sas": one_of(_SA_REF, list_of(_SA_REF, nonempty=True, what="SA names or handles"))}),
    "update_sa": (("sa", "operation", "spi", "sequence_number_high_order"),
                  {"sa": _SA_REF, "operation": _NUMBER, "spi": _NUMBER, "sequence_number_high_order": _NUMBER}),
    "hardware_change": ((), {"changes": OBJECT, "hardware": OBJECT}),
    "nic_request_sa_delete": (("sa",), {"sa": _SA_REF}),
    "nic_drop_sa": (("sa",), {"sa": _SA_REF, "reason": choice(("nic-removal",))}),
    "remove_nic": ((), {}),
}
# op -> (required keys, optional keys)
OPS = {op: (req, tuple(k for k in kinds if k not in req)) for op, (req, kinds) in STEP_KEYS.items()}
# keys of one step that say the same thing in different ways: at most one of each group
_EXCLUSIVE = {"set_offload_encapsulation": (("hex",), ("values",), ("ipv4", "ipv6")),
              "hardware_change": (("changes",), ("hardware",))}
# ops that need exactly one of their alternative keys (a hardware change that changes nothing is a typo)
_ONE_REQUIRED = {"hardware_change": ("changes", "hardware")}


@dataclass
class Scenario:
    """A checked scenario: name, description, setup keys, steps, source file and expected audit rules."""
    name: str
    description: str
    setup: dict
    steps: list
    source: str = "<scenario>"
    expect_audit: list = field(default_factory=list)


def load_scenario(src: str | Path | Mapping) -> Scenario:
    """Read and check a scenario (path to a JSON file, JSON text, or a dict). :class:`InputError` names the
    file and the step index of anything wrong."""
    source = "<scenario>"
    if isinstance(src, Mapping):
        data = dict(src)
    else:
        text = None
        p = Path(src) if not (isinstance(src, str) and src.lstrip().startswith("{")) else None
        if p is not None:
            source = str(p)
            try:
                text = p.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise InputError(f"cannot read scenario: {exc.strerror}", source=source) from None
            except UnicodeDecodeError as exc:
                raise InputError("scenario is not UTF-8 text", source=source, offset=exc.start) from None
        else:
            text = src
        data = loads(text, source)  # a repeated key is refused, not silently overwritten
    return _checked_scenario(data, source)


def _checked_scenario(data, source: str) -> Scenario:
    """Every key of the scenario and of each step type-checked (:data:`SETUP_KEYS`, :data:`STEP_KEYS`)."""
    if not isinstance(data, dict):
        raise InputError("a scenario is a JSON object", source=source)
    check_object(data, SETUP_KEYS, required=("hardware", "steps"), what="a scenario", source=source)
    for i, st in enumerate(data["steps"]):
        if "op" not in st:
            raise InputError("each step is an object with an 'op'", source=source, index=i)
        op = check_value(st["op"], _COMMON["op"], key="op", source=source, index=i)
        if op not in STEP_KEYS:
            raise InputError(f"unknown op {op!r}; known: {', '.join(STEP_KEYS)}", source=source, index=i, path="op")
        req, kinds = STEP_KEYS[op]
        check_object(st, {**_COMMON, **kinds}, required=req, what=f"op {op}", source=source, index=i)
        given = [g for g in _EXCLUSIVE.get(op, ()) if any(k in st for k in g)]
        if len(given) > 1:
            raise InputError(f"op {op} takes one of {' / '.join('+'.join(g) for g in _EXCLUSIVE[op])}, not "
                             f"{' and '.join('+'.join(k for k in g if k in st) for g in given)}",
                             source=source, index=i)
        need = _ONE_REQUIRED.get(op)
        if need and not any(k in st for k in need):
            raise InputError(f"op {op} needs {' or '.join(need)}", source=source, index=i, path=need[0])
        if op == "add_sa" and len(st.get("names", ())) > len(st["sas"]):
            raise InputError(f"{len(st['names'])} names for {len(st['sas'])} SAs", source=source, index=i,
                             path="names")
    expect_audit = []
    for rid in data.get("expect_audit", []):
        try:
            expect_audit.append(get_rule(rid).id)  # 'r74' means R74; an unknown id is an error, not a miss
        except KeyError as exc:
            raise InputError(str(exc.args[0]), source=source, path="expect_audit") from None
    setup = {k: v for k, v in data.items() if k not in ("name", "description", "steps", "expect_audit")}
    return Scenario(data.get("name", Path(source).stem if source != "<scenario>" else "scenario"),
                    data.get("description", ""), setup, data["steps"], source, sorted(set(expect_audit)))


@dataclass
class StepResult:
    """One step of a run: its index, op, the event it produced, its ``expect`` and ``note``."""
    index: int
    op: str
    event: Event | None
    expect: str | None
    note: str | None

    @property
    def passed(self) -> bool:
        """True when the step has no ``expect`` or its event ended with that status."""
        return self.expect is None or (self.event is not None and self.event.status == self.expect)


@dataclass
class ScenarioResult:
    """The simulation after the scenario ran, with per-step expectations and the audit."""

    scenario: Scenario
    simulation: Simulation
    steps: list = field(default_factory=list)

    @property
    def timeline(self):
        """The simulation's :class:`~ipsecexplore.flow.events.Timeline`."""
        return self.simulation.timeline

    @property
    def audit(self) -> Findings:
        """The end-of-run audit (:meth:`Simulation.audit`)."""
        return self.simulation.audit()

    @property
    def failed_expectations(self) -> list[StepResult]:
        """The steps whose ``expect`` was not met."""
        return [s for s in self.steps if not s.passed]

    @property
    def audit_mismatch(self) -> tuple[list[str], list[str]]:
        """(rules the audit found that the scenario did not expect, expected rules it did not find)."""
        got = self.audit.rule_ids
        want = set(self.scenario.expect_audit)
        return sorted(got - want), sorted(want - got)

    @property
    def ok(self) -> bool:
        """Every step met its ``expect`` and the audit found exactly the rules in ``expect_audit``."""
        return not self.failed_expectations and self.audit_mismatch == ([], [])

    def to_dict(self) -> dict:
        """JSON-ready dict: scenario, steps with their expectations, timeline, audit, ok."""
        return {
            "scenario": self.scenario.name, "description": self.scenario.description,
            "ndis": self.simulation.ndis, "arch": self.simulation.arch,
            "steps": [{"index": s.index, "op": s.op, "event": s.event.seq if s.event else None, "expect": s.expect,
                       "status": s.event.status if s.event else None, "passed": s.passed, "note": s.note}
                      for s in self.steps],
            "timeline": self.timeline.to_list(),
            "audit": self.audit.to_list(),
            "expect_audit": list(self.scenario.expect_audit),
            "ok": self.ok,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The result as JSON text (:meth:`to_dict`)."""
        return json.dumps(self.to_dict(), indent=indent)

    def __str__(self) -> str:
        head = f"Scenario {self.scenario.name} (NDIS {self.simulation.ndis}, {self.simulation.arch})"
        if self.scenario.description:
            head += f"\n{self.scenario.description}"
        lines = [head, "", str(self.timeline), ""]
        for s in self.failed_expectations:
            got = s.event.status if s.event else "no event"
            lines.append(f"EXPECTATION FAILED: step {s.index} ({s.op}) expected {s.expect}, got {got}")
        audit = self.audit
        lines.append("Audit: " + (str(audit) if audit else "no rule broken by the order of events."))
        unexpected, missing = self.audit_mismatch
        if unexpected:
            lines.append(f"AUDIT FOUND UNEXPECTED RULES: {', '.join(unexpected)}")
        if missing:
            lines.append(f"AUDIT DID NOT FIND EXPECTED RULES: {', '.join(missing)}")
        lines.append("Result: " + ("OK" if self.ok else "FAILED"))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        e = html_text
        fails = "".join(f"<li>step {s.index} ({e(s.op)}) expected {e(s.expect)}, got "
                        f"{e(s.event.status if s.event else 'no event')}</li>" for s in self.failed_expectations)
        audit = self.audit
        return (f"<div><h4>{e(self.scenario.name)}</h4><p>{e(self.scenario.description)}</p>"
                f"{self.timeline._repr_html_()}"
                + (f"<p><b>Expectations failed:</b></p><ul>{fails}</ul>" if fails else "")
                + f"<p><b>Audit</b></p>{audit._repr_html_()}</div>")


def _handle(ref, names: dict, source: str, index: int, key: str = "sa") -> int:
    """An SA reference of a step: the name an add step gave it, or an OffloadHandle number."""
    if isinstance(ref, int) and not isinstance(ref, bool) and ref >= 0:
        return ref
    if isinstance(ref, str):
        if ref in names:
            return names[ref]
        try:
            value = int(ref, 0)
        except ValueError:
            value = None
        if value is not None and value >= 0:
            return value
    raise InputError(f"unknown SA name {ref!r} (name it in an add step, or give a handle number)",
                     source=source, index=index, path=key)


def run_scenario(src: str | Path | Mapping | Scenario) -> ScenarioResult:
    """Load (if needed) and run a scenario; returns a :class:`ScenarioResult`."""
    sc = src if isinstance(src, Scenario) else load_scenario(src)
    setup = sc.setup
    try:
        sim = Simulation(setup["hardware"], keywords=setup.get("keywords"), ndis=setup.get("ndis", "6.30"),
                         arch=setup.get("arch", "x64"), default=setup.get("default"),
                         disable_task_offload=setup.get("disable_task_offload", False),
                         supports_offload_parameters=setup.get("supports_offload_parameters", True),
                         faults=setup.get("faults", ()), attributes_header=setup.get("attributes_header"))
    except IpsecExploreError as exc:
        raise InputError(f"scenario setup: {exc}", source=sc.source) from None
    result = ScenarioResult(sc, sim)
    names: dict[str, int] = {}
    for i, st in enumerate(sc.steps):
        try:
            ev = _run_step(sim, st, names, sc.source, i)
        except InputError as exc:
            if exc.source is None:
                raise InputError(exc.reason, source=sc.source, index=i, path=exc.path, structure=exc.structure,
                                 expected=exc.expected, actual=exc.actual) from None
            raise
        except IpsecExploreError as exc:
            raise InputError(f"step {st['op']}: {exc}", source=sc.source, index=i) from None
        if st.get("note") and ev is not None:
            ev.notes.insert(0, f"scenario: {st['note']}")
        result.steps.append(StepResult(i, st["op"], ev, st.get("expect"), st.get("note")))
    return result


def _bytes(st: Mapping, key: str = "hex") -> bytes:
    """Hex text of a step as bytes; a bad token is an InputError naming the step key."""
    try:
        return parse_hex(st[key], source=key)
    except InputError as exc:
        where = f" (line {exc.line} of the text)" if exc.line is not None and "\n" in st[key].strip() else ""
        raise InputError(f"not hex text: {exc.reason}{where}", path=key) from None


def _member(st: Mapping, key: str, structure: str, member: str, arch: str) -> int:
    """A step value that fills one member (``spi`` → ``Spi``), checked against the member's C type."""
    try:
        return member_value(layout(structure, arch).field(member), st[key], structure=structure, path=member)
    except InputError as exc:
        raise InputError(f"{exc.reason} (for {structure}.{member})", path=key, expected=exc.expected,
                         actual=exc.actual) from None


def _run_step(sim: Simulation, st: Mapping, names: dict, source: str, i: int) -> Event:
    op = st["op"]
    if op == "initialize":
        if "default" in st:
            return sim.initialize(default=st["default"])
        return sim.initialize()
    if op == "query":
        return sim.query(st["oid"], st.get("length", 1 << 16))
    if op == "set_offload_parameters":
        p = st["parameters"]
        if isinstance(p, str):
            p = _bytes(st, "parameters")
        return sim.set_offload_parameters(p, buffer_length=st.get("buffer_length"))
    if op == "set_offload_encapsulation":
        if "hex" in st:
            return sim.set_offload_encapsulation(_bytes(st))
        if "values" in st:
            return sim.set_offload_encapsulation(st["values"])
        return sim.set_offload_encapsulation(ipv4=st.get("ipv4"), ipv6=st.get("ipv6"))
    if op == "oid_set":
        return sim.oid_set(st["oid"], _bytes(st) if "hex" in st else b"")
    if op in ("offload_sa", "add_sa", "add_sa_ex"):
        if op == "offload_sa":
            ev = sim.offload_sa(st["sa"])
            labels = [st.get("name")]
        elif op == "add_sa_ex":
            ev = sim.add_sa_ex(st["sa"], header=st.get("header"))
            labels = [st.get("name")]
        else:
            ev = sim.add_sa(st["sas"], header=st.get("header"))
            labels = list(st.get("names", [])) + [None] * len(st["sas"])
        _record_names(sim, ev, labels, names)
        return ev
    if op == "delete_sa":
        refs = st["sas"] if isinstance(st["sas"], list) else [st["sas"]]
        return sim.delete_sa([_handle(r, names, source, i, "sas") for r in refs])
    if op == "update_sa":
        return sim.update_sa(_handle(st["sa"], names, source, i),
                             _member(st, "operation", UPDATE_SA, "Operation", sim.arch),
                             _member(st, "spi", UPDATE_SA, "Spi", sim.arch),
                             _member(st, "sequence_number_high_order", UPDATE_SA, "SequenceNumberHighOrder", sim.arch))
    if op == "hardware_change":
        return sim.hardware_change(st.get("hardware"), changes=st.get("changes"))
    if op == "nic_request_sa_delete":
        return sim.nic_request_sa_delete(_handle(st["sa"], names, source, i))
    if op == "nic_drop_sa":
        return sim.nic_drop_sa(_handle(st["sa"], names, source, i), reason=st.get("reason"))
    if op == "remove_nic":
        return sim.remove_nic()
    raise InputError(f"unknown op {op!r}", source=source, index=i)  # pragma: no cover - load_scenario checks


def _record_names(sim: Simulation, ev: Event, labels: list, names: dict) -> None:
    """Give the handles an add event produced the names the scenario chose."""
    from ..layouts import layout
    from .sa import ADD_SA, ADD_SA_EX

    structure = ADD_SA_EX if ev.name.endswith("_EX") else ADD_SA
    lay = layout(structure, sim.arch)
    hm = lay.field("OffloadHandle")
    if not ev.response:
        return
    start = 0
    for label, entry in zip(labels, ev.extra.get("entries", [])):
        # the response concatenates the entries in order, each as long as its request
        handle = int.from_bytes(ev.response[start + hm.offset:start + hm.offset + hm.size], "little")
        start += len(entry["bytes"])
        if label and handle:
            names[label] = handle
