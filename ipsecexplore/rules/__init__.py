"""The IPsecOV2 rule book as code: rules, checks, findings, ``validate`` and ``explain_rule``.

>>> from ipsecexplore.rules import validate, explain_rule
>>> findings = validate(offload, context={"hardware": hw})       # doctest: +SKIP
>>> findings                                                      # HTML table in a notebook
>>> print(explain_rule("R35"))                                    # doctest: +SKIP

Every rule of ``tests/spec/ipsecov2-rules.md`` is in :data:`RULES` (id, severity, basis, source page, text); the rules
with a ``Check:`` line or a simulator note are checked by :func:`validate` or by the flow simulator
(:data:`RULE_PLACES` says where). Findings of inferred (INF) or reverse-engineered (RE) rules say so and
are never errors.
"""

from .base import RULES, Finding, Findings, Rule, finding, get_rule
from .keywords import KeywordState, resolve_keywords
from .registry import RULE_PLACES, Context, load_enforcers
from .subjects import OffloadAttributes, Subject, parse_value, parse_values, subject_of
from .validate import make_context, validate, validate_keywords

__all__ = ["RULES", "Rule", "Finding", "Findings", "finding", "get_rule", "validate", "validate_keywords",
           "make_context", "explain_rule", "checked_rules", "RULE_PLACES", "Context", "OffloadAttributes",
           "Subject", "subject_of", "parse_value", "parse_values", "KeywordState", "resolve_keywords", "NOT_CHECKED"]


def checked_rules() -> dict[str, set[str]]:
    """``{rule id: places}`` of every rule checked by validate() or enforced by the simulator."""
    load_enforcers()
    return {k: set(v) for k, v in RULE_PLACES.items()}


def explain_rule(rule_id: str) -> str:
    """Terminal text for one rule: severity, basis, source, full text, and where ipsecexplore checks it.
    ``KeyError`` for an unknown id."""
    rule = get_rule(rule_id)
    places = sorted(checked_rules().get(rule.id, ()))
    text = rule.explain()
    if places:
        text += "\nChecked by ipsecexplore: " + "; ".join(places)
    elif rule.id in NOT_CHECKED:
        text += f"\nNot checked by ipsecexplore: {NOT_CHECKED[rule.id]}."
    elif rule.severity == "info":
        text += "\nA teaching note: nothing to check."
    else:  # pragma: no cover - every non-info rule is either checked or listed in NOT_CHECKED
        text += "\nNot checked automatically (see the rule text)."
    return text


# Non-info rules that nothing checks, and why (the rule book's §13 says the tool does not simulate packets).
NOT_CHECKED = {
    "R83": "IRQL and the missing serialization of direct OIDs are properties of driver code, not of bytes; the "
           "simulator only notes them on each SA OID event",
    "R119": "the send data path (per-packet OOB data) is not simulated",
    "R120": "the receive data path (per-packet OOB data) is not simulated",
}
