"""Events of a simulated miniport/NDIS flow and the timeline that shows them.

Every step of :class:`~ipsecexplore.flow.simulation.Simulation` records one or more :class:`Event` s:
order, who acted, what kind of step it was, the OID or status by name and value, the request and
response/indication bytes, the NDIS_STATUS result by name and value, BytesRead/BytesWritten/BytesNeeded,
and the rule findings and plain notes that explain it. :class:`Timeline` renders them as a table in a
notebook (``_repr_html_``, every string escaped), as text in a terminal, and as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..formatting import to_jsonable
from ..htmltable import Cell, Markup, html_table
from ..rules.base import Findings
from ..text import html_text

__all__ = ["Event", "Timeline"]


@dataclass
class Event:
    """One step. ``kind`` is one of: 'call', 'OID set', 'OID query', 'direct OID set', 'status indication',
    'registry read', 'registry write', 'receive indication', 'miniport action', 'bind'."""

    seq: int
    actor: str
    kind: str
    name: str
    code: int | None = None
    request: bytes | None = None
    response: bytes | None = None
    status: str | None = None
    status_value: int | None = None
    buffer_length: int | None = None
    bytes_read: int | None = None
    bytes_written: int | None = None
    bytes_needed: int | None = None
    findings: Findings = field(default_factory=Findings)
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True unless the event carries a failure status (NT severity bits 0b11 = error)."""
        return self.status_value is None or self.status_value >> 30 != 0b11

    def result_text(self) -> str:
        """The result column: status by name and value, then BytesRead/BytesWritten/BytesNeeded."""
        parts = []
        if self.status:
            parts.append(f"{self.status} (0x{self.status_value:08X})")
        for label, v in (("BytesRead", self.bytes_read), ("BytesWritten", self.bytes_written),
                         ("BytesNeeded", self.bytes_needed)):
            if v is not None:
                parts.append(f"{label}={v}")
        return ", ".join(parts)

    def what(self) -> str:
        """The OID or status name with its value in hex (just the name for steps without a code)."""
        return f"{self.name} (0x{self.code:08X})" if self.code is not None else self.name

    def to_dict(self) -> dict:
        """JSON-ready dict; bytes as lowercase hex strings."""
        def hx(b):
            return None if b is None else bytes(b).hex()

        extra = {}
        for k, v in self.extra.items():
            extra[k] = to_jsonable(v)
        return {
            "seq": self.seq, "actor": self.actor, "kind": self.kind, "name": self.name, "code": self.code,
            "request": hx(self.request), "request_length": None if self.request is None else len(self.request),
            "response": hx(self.response),
            "response_length": None if self.response is None else len(self.response),
            "status": self.status, "status_value": self.status_value, "buffer_length": self.buffer_length,
            "bytes_read": self.bytes_read, "bytes_written": self.bytes_written, "bytes_needed": self.bytes_needed,
            "findings": self.findings.to_list(), "notes": list(self.notes), "extra": extra,
            # the checks that could not run on this event's objects, as validate --json lists them
            "not_checked": self.findings.to_list(skipped=True)[len(self.findings):],
        }

    def __str__(self) -> str:
        head = f"{self.seq:3}. [{self.actor}] {self.kind}: {self.what()}"
        lines = [head]
        if self.request is not None:
            label = f" ({self.extra['request_label']})" if "request_label" in self.extra else ""
            lines.append(f"     request  {len(self.request)} bytes{label}: {_preview(self.request)}")
        if self.response is not None:
            label = f" ({self.extra['response_label']})" if "response_label" in self.extra else ""
            lines.append(f"     response {len(self.response)} bytes{label}: {_preview(self.response)}")
        if self.result_text():
            lines.append(f"     result   {self.result_text()}")
        lines += [f"     note     {n}" for n in self.notes]
        lines += [f"     {f}" for f in self.findings.sorted()]
        return "\n".join(lines)


def _preview(b: bytes, n: int = 24) -> str:
    text = bytes(b[:n]).hex(" ")
    return text + (" …" if len(b) > n else "")


def _hex_block(b: bytes) -> str:
    rows = []
    for off in range(0, len(b), 16):
        rows.append(f"{off:04x}  {bytes(b[off:off + 16]).hex(' ')}")
    return "\n".join(rows)


class Timeline(list):
    """The events of one simulation, in order."""

    def to_list(self) -> list[dict]:
        """Every event as :meth:`Event.to_dict`, in order."""
        return [e.to_dict() for e in self]

    def to_json(self, indent: int | None = 2) -> str:
        """The timeline as JSON text (:meth:`to_list`)."""
        return json.dumps(self.to_list(), indent=indent)

    @property
    def findings(self) -> Findings:
        """Every finding of every event, in order (a new :class:`Findings`)."""
        out = Findings()
        for e in self:
            out.extend(e.findings)
        return out

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self) if self else "(no events)"

    def _repr_html_(self) -> str:
        e = html_text

        def blob(label, b):
            if b is None:
                return ""
            return (f"<details><summary>{e(label)} {len(b)} B: <code>{e(_preview(b, 8))}</code></summary>"
                    f"<pre>{e(_hex_block(b))}</pre></details>")

        rows = []
        for ev in self:
            fnd = "".join(f"<li><b>{e(f.severity)}</b> {e(f.rule)}: {e(f.message)}</li>" for f in ev.findings.sorted())
            notes = "".join(f"<li>{e(n)}</li>" for n in ev.notes)
            blobs = (blob(ev.extra.get("request_label", "request"), ev.request)
                     + blob(ev.extra.get("response_label", "response"), ev.response))
            rows.append([ev.seq, ev.actor, ev.kind, Cell(ev.what(), code=True), Markup(blobs),
                         Cell(ev.result_text(), style="" if ev.ok else "color:#c62828"),
                         Markup(f"<ul>{notes}{fnd}</ul>")])
        return html_table(rows, ["#", "Actor", "Step", "OID / status", "Bytes", "Result", "Notes and findings"],
                          empty="No events.")
