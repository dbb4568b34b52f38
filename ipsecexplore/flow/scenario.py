"""Scripted flows: a small JSON format that drives a :class:`~ipsecexplore.flow.simulation.Simulation`.

The format is documented in ``data/scenarios/README.md``. In short::

    {"name": "...", "ndis": "6.30", "arch": "x64",
     "hardware": {"IPsecV2.Esp": true, ...}, "keywords": {"*IPsecOffloadV2": "3"},
     "steps": [{"op": "initialize", "expect": "NDIS_STATUS_SUCCESS"}, ...]}

Each step may carry ``expect`` (an NDIS_STATUS name the step must end with) and ``note`` (free text shown
in the result). SA steps may ``name`` the SA bundle they add; later steps refer to it by that name.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import InputError, IpsecExploreError
from ..hexinput import parse_hex
from ..rules.base import Findings
from .events import Event
from .simulation import Simulation

__all__ = ["Scenario", "ScenarioResult", "load_scenario", "run_scenario", "OPS"]

_TOP = {"name", "description", "ndis", "arch", "hardware", "keywords", "default", "faults", "disable_task_offload",
        "supports_offload_parameters", "attributes_header", "steps", "expect_audit"}

# op -> (required keys, optional keys)
OPS = {
    "initialize": ((), ("default",)),
    "query": (("oid",), ("length",)),
    "set_offload_parameters": (("parameters",), ("buffer_length",)),
    "set_offload_encapsulation": ((), ("ipv4", "ipv6", "values", "hex")),
    "oid_set": (("oid",), ("hex",)),
    "offload_sa": (("sa",), ("name",)),
    "add_sa": (("sas",), ("names", "header")),
    "add_sa_ex": (("sa",), ("name", "header")),
    "delete_sa": (("sas",), ()),
    "update_sa": (("sa", "operation", "spi", "sequence_number_high_order"), ()),
    "hardware_change": ((), ("changes", "hardware")),
    "nic_request_sa_delete": (("sa",), ()),
    "nic_drop_sa": (("sa",), ("reason",)),
    "remove_nic": ((), ()),
}


@dataclass
class Scenario:
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
                text = p.read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(f"cannot read scenario: {exc.strerror}", source=source) from None
            except UnicodeDecodeError as exc:
                raise InputError("scenario is not UTF-8 text", source=source, offset=exc.start) from None
        else:
            text = src
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    if not isinstance(data, dict):
        raise InputError("a scenario is a JSON object", source=source)
    unknown = set(data) - _TOP
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_TOP))}",
                         source=source)
    if "hardware" not in data:
        raise InputError("missing 'hardware' (the adapter's hardware capabilities)", source=source)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise InputError("missing 'steps' (a non-empty list)", source=source)
    for i, st in enumerate(steps):
        if not isinstance(st, dict) or "op" not in st:
            raise InputError("each step is an object with an 'op'", source=source, index=i)
        op = st["op"]
        if op not in OPS:
            raise InputError(f"unknown op {op!r}; known: {', '.join(OPS)}", source=source, index=i)
        req, opt = OPS[op]
        missing = [k for k in req if k not in st]
        if missing:
            raise InputError(f"op {op} needs {', '.join(missing)}", source=source, index=i)
        extra = set(st) - set(req) - set(opt) - {"op", "expect", "note"}
        if extra:
            raise InputError(f"op {op} does not take {', '.join(sorted(extra))}", source=source, index=i)
    expect_audit = data.get("expect_audit", [])
    if not isinstance(expect_audit, list) or not all(isinstance(r, str) for r in expect_audit):
        raise InputError("'expect_audit' is a list of rule ids such as [\"R74\"]", source=source)
    setup = {k: v for k, v in data.items() if k not in ("name", "description", "steps", "expect_audit")}
    return Scenario(data.get("name", Path(source).stem if source != "<scenario>" else "scenario"),
                    data.get("description", ""), setup, steps, source, sorted(set(expect_audit)))


@dataclass
class StepResult:
    index: int
    op: str
    event: Event | None
    expect: str | None
    note: str | None

    @property
    def passed(self) -> bool:
        return self.expect is None or (self.event is not None and self.event.status == self.expect)


@dataclass
class ScenarioResult:
    """The simulation after the scenario ran, with per-step expectations and the audit."""

    scenario: Scenario
    simulation: Simulation
    steps: list = field(default_factory=list)

    @property
    def timeline(self):
        return self.simulation.timeline

    @property
    def audit(self) -> Findings:
        return self.simulation.audit()

    @property
    def failed_expectations(self) -> list[StepResult]:
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
        e = html.escape
        fails = "".join(f"<li>step {s.index} ({e(s.op)}) expected {e(s.expect)}, got "
                        f"{e(s.event.status if s.event else 'no event')}</li>" for s in self.failed_expectations)
        audit = self.audit
        return (f"<div><h4>{e(self.scenario.name)}</h4><p>{e(self.scenario.description)}</p>"
                f"{self.timeline._repr_html_()}"
                + (f"<p><b>Expectations failed:</b></p><ul>{fails}</ul>" if fails else "")
                + f"<p><b>Audit</b></p>{audit._repr_html_()}</div>")


def _handle(ref, names: dict, source: str, index: int) -> int:
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        if ref in names:
            return names[ref]
        try:
            return int(ref, 0)
        except ValueError:
            pass
    raise InputError(f"unknown SA name {ref!r} (name it in an add step, or give a handle number)",
                     source=source, index=index)


def run_scenario(src: str | Path | Mapping | Scenario) -> ScenarioResult:
    """Load (if needed) and run a scenario; returns a :class:`ScenarioResult`."""
    sc = src if isinstance(src, Scenario) else load_scenario(src)
    setup = sc.setup
    try:
        sim = Simulation(setup["hardware"], keywords=setup.get("keywords"), ndis=str(setup.get("ndis", "6.30")),
                         arch=setup.get("arch", "x64"), default=setup.get("default"),
                         disable_task_offload=bool(setup.get("disable_task_offload", False)),
                         supports_offload_parameters=bool(setup.get("supports_offload_parameters", True)),
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
    return parse_hex(st[key], source=key)


def _run_step(sim: Simulation, st: Mapping, names: dict, source: str, i: int) -> Event:
    op = st["op"]
    if op == "initialize":
        if "default" in st:
            return sim.initialize(default=st["default"])
        return sim.initialize()
    if op == "query":
        return sim.query(st["oid"], int(st.get("length", 1 << 16)))
    if op == "set_offload_parameters":
        p = st["parameters"]
        if isinstance(p, str):
            p = parse_hex(p, source="parameters")
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
            if not isinstance(st["sas"], list):
                raise InputError("'sas' is a list of SA objects", source=source, index=i)
            ev = sim.add_sa(st["sas"], header=st.get("header"))
            labels = list(st.get("names", [])) + [None] * len(st["sas"])
        _record_names(sim, ev, labels, names)
        return ev
    if op == "delete_sa":
        refs = st["sas"] if isinstance(st["sas"], list) else [st["sas"]]
        return sim.delete_sa([_handle(r, names, source, i) for r in refs])
    if op == "update_sa":
        return sim.update_sa(_handle(st["sa"], names, source, i), st["operation"], int(str(st["spi"]), 0)
                             if isinstance(st["spi"], str) else st["spi"], int(st["sequence_number_high_order"]))
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
