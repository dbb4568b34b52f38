"""The table of checks: which rule is checked on which structure, and by which function.

A check is ``fn(subject, ctx) -> iterable`` of :class:`~ipsecexplore.rules.base.Finding` or :class:`Skip`.
Checks register with :func:`check` in the order the rule book's §14 runs them. Layers above the
rules (the effective configuration, the flow simulator) declare the rules they enforce on the functions
that enforce them with :func:`enforces`; :func:`load_enforcers` imports the modules the package root lists
in ``ipsecexplore.RULE_ENFORCERS`` so that ``explain`` and the test suite know every rule that is checked
somewhere, without the rules layer naming a higher one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .base import Finding, Findings, finding, get_rule

__all__ = ["Skip", "Context", "check", "CHECKS", "RULE_PLACES", "enforced_by", "enforces", "load_enforcers",
           "run_checks"]


@dataclass(frozen=True)
class Skip:
    """A check that could not run on this input, with the reason (reported, never silent)."""

    reason: str


@dataclass
class Context:
    """What a check may know besides the object itself.

    ``hardware`` / ``current``: Subjects of the adapter's hardware capabilities and current configuration
    (for the hardware-vs-current rules, the PARAMETERS rules and the SA rules); ``offload``: the NDIS_OFFLOAD
    around a bare IPsecV2 block; ``keywords``: INF keyword values; ``ndis``: the NDIS version being
    simulated ('6.30'); ``role``: 'hardware', 'current' or 'default' for an NDIS_OFFLOAD."""

    hardware: Any = None
    current: Any = None
    offload: Any = None
    keywords: dict | None = None
    ndis: str | None = None
    role: str | None = None
    arch: str = "x64"
    structure: str | None = None
    revision: int | None = None
    missing: str = "zero"
    extra: dict = field(default_factory=dict)


CheckFn = Callable[[Any, Context], Iterable]

# structure name (or 'pair' for hardware-vs-current) -> [(rule id, fn, needs_ipsecv2)]
CHECKS: dict[str, list[tuple[str, CheckFn, bool]]] = {}
# rule id -> set of places where it is checked ('validate NDIS_OFFLOAD', 'simulator: initialize', ...)
RULE_PLACES: dict[str, set[str]] = {}


def check(rule_id: str, *structures: str, needs_ipsecv2: bool = False):
    """Register ``fn`` as the check of ``rule_id`` on each of ``structures``."""
    rid = get_rule(rule_id).id

    def deco(fn: CheckFn) -> CheckFn:
        for s in structures:
            CHECKS.setdefault(s, []).append((rid, fn, needs_ipsecv2))
            RULE_PLACES.setdefault(rid, set()).add(f"validate {s}" if s != "pair" else
                                                   "validate NDIS_OFFLOAD with context hardware=")
        return fn

    return deco


def enforced_by(rule_id: str, place: str) -> None:
    """Record that the flow simulator enforces ``rule_id`` at ``place`` (e.g. 'simulator: initialize')."""
    RULE_PLACES.setdefault(get_rule(rule_id).id, set()).add(place)


def enforces(*rule_ids: str, place: str):
    """Decorator of a step that enforces ``rule_ids`` at ``place``: records each with :func:`enforced_by` and
    lists ``(rule id, place)`` on the function as ``__enforces__`` (stacked decorators add up)."""
    ids = tuple(get_rule(r).id for r in rule_ids)

    def deco(fn):
        for rid in ids:
            enforced_by(rid, place)
        fn.__enforces__ = tuple(getattr(fn, "__enforces__", ())) + tuple((rid, place) for rid in ids)
        return fn

    return deco


def load_enforcers() -> None:
    """Import every module that the package root lists in ``ipsecexplore.RULE_ENFORCERS``: their
    :func:`enforces` declarations fill :data:`RULE_PLACES`. The list lives in the package root, above every
    layer, so that the rules layer never names a higher one."""
    import importlib

    import ipsecexplore

    for name in ipsecexplore.RULE_ENFORCERS:
        importlib.import_module(name)


def run_checks(kind: str, subject, ctx: Context, *, ipsecv2_reported: bool = True) -> Findings:
    """Run every check registered for ``kind``; Skip results become ``Findings.skipped`` notes.

    A check that asks for a member the input marks unknown (None, "not captured") — on the subject or on
    the hardware/current/offload objects of the context — is not judged on a 0 nobody saw. A check is a
    generator, so what it yields *before* its first such read rests on known values only and is kept; what
    it yields after is dropped, and one "not checked" note names the unknown members it asked for."""
    out = Findings()
    watched = [(s, getattr(s, "label", "")) for s in (subject, ctx.hardware, ctx.current, ctx.offload)
               if getattr(s, "unknown", None)]
    for rid, fn, needs_v2 in CHECKS.get(kind, []):
        if needs_v2 and not ipsecv2_reported:
            continue
        for s, _ in watched:
            s.touched.clear()
        items = []
        for item in fn(subject, ctx) or ():
            if isinstance(item, Skip) or not any(s.touched for s, _ in watched):
                items.append(item)
        needed = sorted({label + p for s, label in watched for p in s.touched})
        if needed:
            shown = ", ".join(needed[:6]) + (f" and {len(needed) - 6} more" if len(needed) > 6 else "")
            out.skipped.append((rid, f"needs {shown}, which the input does not carry (not captured)"))
        for item in items:
            if isinstance(item, Skip):
                out.skipped.append((rid, item.reason))
            elif isinstance(item, Finding):
                out.append(item)
            else:  # pragma: no cover - programming error in a check
                raise TypeError(f"check of {rid} yielded {item!r}")
    return out


def F(rule_id: str, subject, message: str, *members: str, **kw) -> Finding:
    """Shorthand used by the checks: a finding about ``subject`` with its labelled member paths."""
    return finding(rule_id, message, subject.m(*members), structure=subject.structure, **kw)
