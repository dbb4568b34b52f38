"""Rules, findings and finding lists: the vocabulary every check and the flow simulator speak.

A :class:`Rule` is one row of ``tests/spec/ipsecov2-rules.md`` (id, severity, basis, source page, text).
A :class:`Finding` is one observation about one object: which rule, how severe, which member paths,
a plain-words message and the documentation page. :class:`Findings` is a list of them that renders as a
table in a notebook (``_repr_html_``) and as text in a terminal (``str``).

Severity policy (issue 3, ``tests/spec/ipsecov2-rules.md`` preamble): a finding never carries a higher severity than
its rule, and a finding whose basis includes INF (inferred by this project) or RE (read from decompiled
ndis.sys) is never an error and says so in its message.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from ..htmltable import Cell, Markup, html_table, join
from ..sources import cite, spec_paths
from ..text import html_text
from .table import RULE_ROWS

__all__ = [
    "SEVERITIES", "Rule", "Finding", "Findings", "RULES", "get_rule", "finding", "basis_tokens",
    "severity_rank", "SKIPPED", "skipped_dict",
]

SEVERITIES = ("error", "warning", "info")
_RANK = {"info": 0, "warning": 1, "error": 2}

# What each basis token means, in the words of the rule book's preamble.
BASIS_MEANING = {
    "DOC": "documented",
    "HDR": "follows from the headers",
    "INF": "inferred by this project, not stated by the documentation",
    "RE": "read from decompiled ndis.sys of unknown build: observed behaviour, not a contract",
}


def severity_rank(severity: str) -> int:
    """0 for info, 1 for warning, 2 for error (``ValueError`` for anything else)."""
    try:
        return _RANK[severity]
    except KeyError:
        raise ValueError(f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}") from None


def basis_tokens(basis: str) -> frozenset[str]:
    """The basis tokens (DOC, HDR, INF, RE) named in a basis string such as 'DOC/HDR/INF' or 'DOC+INF'."""
    return frozenset(t for t in re.findall(r"[A-Z]+", basis) if t in BASIS_MEANING)


def _plain(text: str) -> str:
    """Markdown of the rule book -> terminal text: backticks and emphasis dropped, code spans kept as they
    are (so ``*IPsecOffloadV2`` and ``NDIS_ENCAPSULATION_*`` keep their stars)."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # outside code spans only
        parts[i] = re.sub(r"\*\*(.+?)\*\*", r"\1", parts[i])
        parts[i] = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", parts[i])
    return "".join(parts)


def _linked(text: str) -> str:
    """HTML of a citation: escaped, each address a link (a citation holds addresses and repository files)."""
    out = []
    for tok in re.split(r"(https://[^\s;,()]+)", text):
        e = html_text(tok)
        out.append(f'<a href="{e}" target="_blank" rel="noopener">{e}</a>' if tok.startswith("https://") else e)
    return "".join(out)


@dataclass(frozen=True)
class Rule:
    """One rule of the rule book."""

    id: str
    section: int
    section_title: str
    severity: str
    basis: str
    source: str
    text: str

    @property
    def citation(self) -> str:
        """The source with every document as a public address or a repository file (:func:`sources.cite`)."""
        return _plain(cite(self.source))

    @property
    def number(self) -> int:
        """The rule number (35 for R35)."""
        return int(self.id[1:])

    @property
    def bases(self) -> frozenset[str]:
        """The basis tokens of the rule (DOC, HDR, INF, RE)."""
        return basis_tokens(self.basis)

    @property
    def inferred(self) -> bool:
        """True when the rule rests (partly) on inference or reverse engineering."""
        return bool(self.bases & {"INF", "RE"})

    @property
    def title(self) -> str:
        """A one-line summary: the first sentence of the rule text."""
        first = _plain(self.text).split("\n", 1)[0]
        m = re.match(r"(.+?\.)(\s+(?=[A-Z(])|$)", first)
        title = m.group(1) if m else first
        return title if len(title) <= 110 else title[:107].rstrip() + "..."

    @property
    def check_text(self) -> str | None:
        """The rule's ``Check:`` / ``Simulator:`` lines, or None when the rule book gives none."""
        lines = [ln for ln in self.text.split("\n")
                 if re.search(r"\b(Check( \([^)]*\))?:|Simulator( check)?:)", ln)]
        return _plain("\n".join(lines)) if lines else None

    @property
    def has_check(self) -> bool:
        """True when the rule book gives the rule a ``Check:`` line or a simulator note."""
        return self.check_text is not None

    def explain(self) -> str:
        """The rule as terminal text: id, severity, basis (with meaning), source, full text."""
        meaning = "; ".join(f"{t} = {BASIS_MEANING[t]}" for t in sorted(self.bases))
        body = "\n".join(textwrap.fill(p, 100, subsequent_indent="  ") if p else ""
                         for p in spec_paths(_plain(self.text)).split("\n"))
        out = [
            f"{self.id} ({self.severity}, basis {self.basis}) — §{self.section} {_plain(self.section_title)}",
            "",
            body,
            "",
            f"Basis: {self.basis} ({meaning})" if meaning else f"Basis: {self.basis}",
            f"Source: {self.citation}",
        ]
        if self.inferred:
            out.append("Findings from this rule are never errors: part of it is inferred or reverse-engineered.")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html_text
        text = "<br>".join(e(spec_paths(_plain(p))) for p in self.text.split("\n"))
        return (f"<div><b>{e(self.id)}</b> <i>{e(self.severity)}</i> · basis {e(self.basis)} · "
                f"{_linked(self.citation)}<br>{text}</div>")


RULES: dict[str, Rule] = {row["id"]: Rule(**row) for row in RULE_ROWS}


def get_rule(rule_id: str) -> Rule:
    """The rule with id ``rule_id`` ('R35', 'r35' or '35'); ``KeyError`` naming the id if unknown."""
    key = str(rule_id).strip().upper()
    if key and key[0] != "R":
        key = "R" + key
    try:
        return RULES[key]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r} in tests/spec/ipsecov2-rules.md (known: R1..R{len(RULES)})") from None


@dataclass(frozen=True)
class Finding:
    """One observation: ``rule`` id, ``severity``, ``members`` (dotted paths), ``message``, ``source``
    (documentation page), ``basis`` of this finding, and the ``structure`` it is about."""

    rule: str
    severity: str
    members: tuple[str, ...]
    message: str
    source: str
    basis: str
    structure: str | None = None

    @property
    def inferred(self) -> bool:
        """True when this finding rests (partly) on inference (INF) or reverse engineering (RE)."""
        return bool(basis_tokens(self.basis) & {"INF", "RE"})

    @property
    def citation(self) -> str:
        """The finding's source as addresses a reader can open (:func:`sources.cite`)."""
        return _plain(cite(self.source))

    @property
    def title(self) -> str:
        """The one-line title of the finding's rule."""
        return RULES[self.rule].title

    def to_dict(self) -> dict:
        """Plain JSON-ready dict: rule, severity, members, message, source, basis, structure, inferred."""
        return {
            "rule": self.rule, "severity": self.severity, "members": list(self.members),
            "message": self.message, "source": self.citation, "basis": self.basis,
            "structure": self.structure, "inferred": self.inferred,
        }

    def __str__(self) -> str:
        where = f" [{', '.join(self.members)}]" if self.members else ""
        return f"{self.severity.upper():7} {self.rule:>4}{where}: {self.message} (source: {self.citation})"

    def _repr_html_(self) -> str:
        return Findings([self])._repr_html_()


#: The severity of a check that could not run, in JSON output (never a finding's severity).
SKIPPED = "skipped"


def skipped_dict(rule_id: str, reason: str) -> dict:
    """A "not checked" note as a JSON object with the keys of :meth:`Finding.to_dict`. ``rule_id`` is a
    rule id, or "-" for a note about the input as a whole."""
    rule = RULES.get(rule_id)
    return {"rule": rule_id, "severity": SKIPPED, "members": [], "message": reason,
            "source": rule.citation if rule else None, "basis": rule.basis if rule else None,
            "structure": None, "inferred": rule.inferred if rule else False}


def _basis_note(basis: str) -> str:
    toks = basis_tokens(basis)
    partly = "partly " if toks & {"DOC", "HDR"} else ""
    notes = []
    if "INF" in toks:
        notes.append(f"{partly}inferred by this project, not stated by the documentation")
    if "RE" in toks:
        notes.append(f"{partly}observed in decompiled ndis.sys, behaviour rather than contract")
    return f" [basis {basis}: {'; '.join(notes)}]" if notes else ""


def finding(rule_id: str, message: str, members: Iterable[str] = (), *, severity: str | None = None,
            basis: str | None = None, structure: str | None = None) -> Finding:
    """Build a :class:`Finding` for ``rule_id`` and apply the severity policy.

    ``severity`` defaults to the rule's and may only lower it; ``basis`` defaults to the rule's (a check
    passes a narrower basis when only part of a rule is inferred). INF/RE findings are capped at warning
    and their message names the basis."""
    rule = get_rule(rule_id)
    sev = severity or rule.severity
    if severity_rank(sev) > severity_rank(rule.severity):
        raise ValueError(f"{rule.id}: finding severity {sev} above the rule's {rule.severity}")
    b = basis or rule.basis
    if basis_tokens(b) & {"INF", "RE"} and sev == "error":
        sev = "warning"
    return Finding(rule.id, sev, tuple(members), message + _basis_note(b), rule.source, b, structure)


_SEV_STYLE = {"error": "#c62828", "warning": "#e65100", "info": "#1565c0"}


class Findings(list):
    """A list of :class:`Finding` with rendering helpers. ``skipped`` lists (rule id, reason) for
    checks that could not run on this input, so nothing is dropped silently."""

    def __init__(self, items: Iterable[Finding] = (), skipped: Iterable[tuple[str, str]] = ()):
        super().__init__(items)
        self.skipped: list[tuple[str, str]] = list(skipped)

    def extend(self, other) -> None:  # keep the skipped notes of merged lists
        """Append ``other``'s findings; a :class:`Findings` also brings its skipped notes."""
        super().extend(other)
        if isinstance(other, Findings):
            self.skipped.extend(other.skipped)

    @property
    def errors(self) -> Findings:
        """The error-severity findings."""
        return Findings(f for f in self if f.severity == "error")

    @property
    def warnings(self) -> Findings:
        """The warning-severity findings."""
        return Findings(f for f in self if f.severity == "warning")

    @property
    def has_errors(self) -> bool:
        """True when at least one finding is an error."""
        return any(f.severity == "error" for f in self)

    @property
    def rule_ids(self) -> set[str]:
        """The set of rule ids found."""
        return {f.rule for f in self}

    def by_rule(self, rule_id: str) -> Findings:
        """The findings of one rule ('R35', 'r35' or '35'); ``KeyError`` for an unknown id."""
        rid = get_rule(rule_id).id
        return Findings(f for f in self if f.rule == rid)

    def sorted(self) -> Findings:
        """Errors first, then warnings, then info; by rule number inside each."""
        return Findings(sorted(self, key=lambda f: (-severity_rank(f.severity), RULES[f.rule].number)),
                        self.skipped)

    def to_list(self, skipped: bool = False) -> list[dict]:
        """Every finding as :meth:`Finding.to_dict`. With ``skipped``, each check that could not run follows
        as ``{"rule", "severity": "skipped", "members": [], "message": reason, …}`` (same keys as a finding,
        so a reader that lists findings also lists what was not checked)."""
        out = [f.to_dict() for f in self]
        if skipped:
            out += [skipped_dict(rule, why) for rule, why in self.skipped]
        return out

    def to_json(self, indent: int | None = 2, skipped: bool = False) -> str:
        """The findings as JSON text (:meth:`to_list`)."""
        return json.dumps(self.to_list(skipped), indent=indent)

    def summary(self) -> str:
        """Counts by severity, e.g. '1 error, 2 warnings, 0 info'."""
        counts = {s: sum(1 for f in self if f.severity == s) for s in SEVERITIES}
        return ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())

    def __str__(self) -> str:
        if not self:
            text = "No findings."
        else:
            text = "\n".join(str(f) for f in self.sorted()) + f"\n{self.summary()}"
        if self.skipped:
            text += "\nNot checked: " + "; ".join(f"{r} ({why})" for r, why in self.skipped)
        return text

    def _repr_html_(self) -> str:
        e = html_text
        rows = [[Cell(f.severity, style=f"color:{_SEV_STYLE[f.severity]};font-weight:bold"), f.rule,
                 Cell(join(f.members), code=True), f.message, Markup(f"{_linked(f.citation)} ({e(f.basis)})")]
                for f in self.sorted()]
        skipped = ""
        if self.skipped:
            skipped = ("<p><i>Not checked: " + "; ".join(f"{e(r)} ({e(w)})" for r, w in self.skipped)
                       + "</i></p>")
        head = ["Severity", "Rule", "Members", "Message", "Source (basis)"]
        return f"{html_table(rows, head, empty='No findings.')}<p>{e(self.summary())}</p>{skipped}"
