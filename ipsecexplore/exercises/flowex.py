"""Exercises on the flow: keywords, queries, the rules a driver's attributes break, SA adds.

Reference answers come from :class:`ipsecexplore.flow.Simulation` and :func:`ipsecexplore.rules.validate`,
the same code the notebooks teach with; ``tests/test_exercises.py`` checks them against the rule book.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..constants import lookup
from ..errors import IpsecExploreError
from ..flow import Simulation
from ..model import NdisOffload, decode
from ..rules import get_rule, validate
from .answers import as_bool, as_int, as_status, get_key
from .base import Exercise, Wrong

__all__ = ["full_adapter", "keyword_exercise", "keyword_zero_exercise", "too_short_exercise", "rule_fix_exercise",
           "sa_exercise", "keyword_write_exercise", "tunnel_missing", "encapsulation_missing"]

CURRENT = "OID_TCP_OFFLOAD_CURRENT_CONFIG"


def _c(name: str) -> int:
    return int(lookup(name))


def full_adapter(revision: int = 2, capacity: int = 64) -> NdisOffload:
    """AH and ESP, transport and tunnel, 802.3, AES-GMAC-128 / AES-GCM-128: an adapter that breaks no rule."""
    off = NdisOffload.new(revision=revision)
    v2 = off.IPsecV2
    v2.Encapsulation = _c("NDIS_ENCAPSULATION_IEEE_802_3")
    v2.IPv6Supported = v2.Ah = v2.Esp = v2.Transport = v2.Tunnel = True
    v2.AuthenticationAlgorithms = _c("IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128")
    v2.EncryptionAlgorithms = _c("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")
    v2.SaOffloadCapacity = capacity
    return off


def _protocol_view(keyword: str) -> NdisOffload:
    sim = Simulation(full_adapter(), keywords={"*IPsecOffloadV2": keyword}, ndis="6.1")
    sim.initialize()
    return decode(sim.query(CURRENT, 256).response)


def _check_keyword(answer) -> str:
    want = _protocol_view("2").IPsecV2
    ah, esp = (as_bool(get_key(answer, k, "answer"), k) for k in ("Ah", "Esp"))
    if (ah, esp) == (want.Ah, want.Esp):
        return f"Ah = {ah}, Esp = {esp}: keyword 2 is \"ESP Enabled\", so AH is cleared"
    if (ah, esp) == (want.Esp, want.Ah):
        raise Wrong("Ah and Esp are swapped: look up what keyword value 2 means (explain('*IPsecOffloadV2'))")
    if ah and esp:
        raise Wrong("keyword 2 does not keep both: only 3 keeps AH and ESP")
    raise Wrong("keyword 2 keeps one of the two; only 0 clears both")


def keyword_exercise(ex_id: str, level: int) -> Exercise:
    """The current configuration under keyword 2."""
    return Exercise(
        ex_id, "The current configuration under a keyword", level,
        "The hardware offers AH and ESP (transport and tunnel, 802.3, AES-GCM-128). The registry holds "
        "*IPsecOffloadV2 = \"2\". After initialization, a protocol queries OID_TCP_OFFLOAD_CURRENT_CONFIG. What "
        "are IPsecV2.Ah and IPsecV2.Esp in the answer? Answer {'Ah': True/False, 'Esp': True/False}.",
        ("The keyword's values are documented: explain('*IPsecOffloadV2').",
         "The miniport derives its default configuration from the keyword (R49, R50).",
         "2 means ESP Enabled: which of the two stays TRUE?"),
        "explain('*IPsecOffloadV2') says 2 = ESP Enabled. The miniport builds its default configuration with "
        "Esp kept and Ah cleared (R49/R50), and NDIS answers the query from it: Ah = False, Esp = True. "
        "(Which members each value clears was observed in ndis.sys: R50, basis DOC/RE.)",
        lambda: {"Ah": bool(_protocol_view("2").IPsecV2.Ah), "Esp": bool(_protocol_view("2").IPsecV2.Esp)},
        _check_keyword, ("keywords", "current configuration"))


def _check_keyword_zero(answer) -> str:
    want = _protocol_view("0").IPsecV2.SaOffloadCapacity
    got = as_int(answer, "SaOffloadCapacity")
    if got == want:
        return f"{got}: with AH and ESP both off, NDIS zeroes the whole IPsecV2 block (R51, observed in ndis.sys)"
    if got == full_adapter().IPsecV2.SaOffloadCapacity:
        raise Wrong("that is the hardware's value; with the keyword at 0, NDIS changes more than Ah and Esp "
                    "before protocols see the block (R51)")
    raise Wrong("SaOffloadCapacity is either the miniport's value or what NDIS leaves of it: which is it "
                "when neither AH nor ESP stays on?")


def keyword_zero_exercise(ex_id: str, level: int) -> Exercise:
    """What is left of SaOffloadCapacity under keyword 0."""
    cap = full_adapter().IPsecV2.SaOffloadCapacity
    return Exercise(
        ex_id, "Keyword 0: what is left?", level,
        f"The same hardware (SaOffloadCapacity = {cap}), but the registry holds *IPsecOffloadV2 = \"0\". What is "
        "IPsecV2.SaOffloadCapacity in the OID_TCP_OFFLOAD_CURRENT_CONFIG answer? Answer a number.",
        ("Keyword 0 switches off AH and ESP.",
         "What does a capacity mean without any protocol? Read rule R40 and R51.",
         "R51 (observed in ndis.sys) says what NDIS does to the block when both are disabled."),
        "Keyword 0 clears Ah and Esp. With both off NDIS zeroes the whole 32-byte IPsecV2 block before protocols "
        "see it (R51, basis RE: observed in decompiled ndis.sys, not documented), so the answer is 0.",
        lambda: _protocol_view("0").IPsecV2.SaOffloadCapacity, _check_keyword_zero,
        ("keywords", "current configuration"))


def _too_short() -> tuple[str, int]:
    sim = Simulation(full_adapter(revision=3), keywords={"*IPsecOffloadV2": "3"}, ndis="6.30")
    sim.initialize()
    ev = sim.query(CURRENT, 144)
    return ev.status, ev.bytes_needed


def _check_too_short(answer) -> str:
    status, needed = _too_short()
    got_status = as_status(get_key(answer, "status", "answer"))
    if got_status == "NDIS_STATUS_SUCCESS":
        raise Wrong("status: 144 bytes are not enough here; which revision, and so which size, does an NDIS 6.30 "
                    "miniport write?")
    if got_status != status:
        raise Wrong(f"status: {got_status} is not the status the OID pages name for a buffer that is too short")
    got = as_int(get_key(answer, "BytesNeeded", "answer"), "BytesNeeded")
    if got == needed:
        return f"{status} with BytesNeeded = {needed}: call again with at least {needed} bytes"
    if got == 144:
        raise Wrong("BytesNeeded: that is the size you offered (a revision-2 object), not what this object needs")
    if got == needed - 144:
        raise Wrong("BytesNeeded is the whole size the buffer must have, not the shortfall")
    raise Wrong("BytesNeeded: the size of the object NDIS would copy (its Header.Size)")


def too_short_exercise(ex_id: str, level: int) -> Exercise:
    """Status and BytesNeeded of a too-short query."""
    return Exercise(
        ex_id, "A query with a buffer that is too short", level,
        "An NDIS 6.30 miniport has initialized. A tool queries OID_TCP_OFFLOAD_CURRENT_CONFIG with an "
        "InformationBufferLength of 144 (the size it remembered from an older adapter). What status does the "
        "request complete with, and what is BytesNeeded? Answer {'status': 'NDIS_STATUS_…', 'BytesNeeded': n}.",
        ("An NDIS 6.30 driver writes the NDIS_OFFLOAD revision that NDIS 6.30 defines (R10).",
         "explain('NDIS_OFFLOAD') lists each revision's Header.Size.",
         "R80 names the status and what BytesNeeded holds."),
        "NDIS 6.30 → NDIS_OFFLOAD revision 3, Header.Size 156 (R10). 144 < 156, so NDIS fails the query with "
        "NDIS_STATUS_BUFFER_TOO_SHORT and sets BytesNeeded = 156; nothing is copied (R80; that BytesNeeded is "
        "the object's Header.Size is inferred).",
        lambda: dict(zip(("status", "BytesNeeded"), _too_short())), _check_too_short, ("queries",))


def tunnel_missing() -> NdisOffload:
    """ESP in transport mode only: breaks R34."""
    off = full_adapter()
    off.IPsecV2.Ah = off.IPsecV2.Tunnel = False
    return off


def encapsulation_missing() -> NdisOffload:
    """No encapsulation bit: breaks R14."""
    off = full_adapter()
    off.IPsecV2.Encapsulation = 0
    return off


def _apply(build: Callable[[], NdisOffload], fix) -> NdisOffload:
    if not isinstance(fix, Mapping) or not fix:
        raise Wrong("fix: give a dict {member path: new value}, e.g. {'IPsecV2.Transport': True}")
    off = build()
    for path, value in fix.items():
        name = str(path).removeprefix("IPsecV2.")
        if not hasattr(off.IPsecV2, name) or name.startswith("_"):
            raise Wrong(f"fix: IPsecV2 has no member {path!r}")
        try:
            setattr(off.IPsecV2, name, value)
        except (IpsecExploreError, TypeError, ValueError) as exc:
            raise Wrong(f"fix: {path} cannot take {value!r} ({exc})") from None
    return off


def _check_rule(build, rule_id: str, answer) -> str:
    found = validate(build())
    given = str(get_key(answer, "rule", "answer")).strip().upper()
    try:
        given = get_rule(given).id
    except KeyError:
        raise Wrong(f"rule: {given!r} is not a rule id of the rule book (R1…R120)") from None
    if given != rule_id:
        hit = found.by_rule(given)
        if not hit:
            raise Wrong(f"rule: validate does not report {given} for these attributes")
        raise Wrong(f"rule: {given} is reported, but as {hit[0].severity}; the attributes are refused for an error")
    fixed = _apply(build, get_key(answer, "fix", "answer"))
    if not (fixed.IPsecV2.Ah or fixed.IPsecV2.Esp):
        raise Wrong("fix: that switches the offload off; keep what the adapter offers and add what it lacks")
    left = validate(fixed).errors
    if left:
        raise Wrong("fix: after it, validate still reports " + ", ".join(sorted(left.rule_ids)))
    return f"{rule_id} ({get_rule(rule_id).title}); with your fix validate reports no error"


def rule_fix_exercise(ex_id: str, title: str, build: Callable[[], NdisOffload], rule_id: str, fix: dict,
                      story: str, level: int) -> Exercise:
    """Which error rule do these attributes break, and what fixes it."""
    return Exercise(
        ex_id, title, level,
        f"{story} NdisMSetMiniportAttributes is refused. Which rule does the object break (the error), and what "
        "change fixes it? Answer {'rule': 'R…', 'fix': {'IPsecV2.<member>': value}}. validate(obj) lists the "
        "findings; the object is built by ipsecexplore.exercises.flowex." + build.__name__ + "().",
        ("Run validate() on the object and look at the error findings only.",
         "explain_rule() of that rule says what the documentation requires.",
         "The fix sets the member the rule's Check: line names; it does not switch AH or ESP off."),
        f"validate() reports {rule_id} as an error: {get_rule(rule_id).title} Setting {fix} satisfies it, and "
        "validate() then reports no error.",
        lambda: {"rule": rule_id, "fix": dict(fix)}, lambda a: _check_rule(build, rule_id, a), ("rules",))


def _esp_sa(algorithm: str, spi: int) -> dict:
    return {"NumExtHdrs": 1, "Keys": bytes(16),
            "SecAssoc": [{"Operation": "IPsecOffloadV2Esp", "Spi": spi,
                          "EncryptionAlgorithm": {"Identifier": algorithm, "KeyLength": 16}}]}


GCM = "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"
CBC = "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128"

#: SA situations: (capacity, keyword, SAs already offloaded, the SA asked about, rules that explain a refusal)
SA_CASES = {
    "full": (1, "3", [GCM], GCM, ("R87", "R88")),
    "algorithm": (64, "3", [], CBC, ("R87", "R96")),
    "fits": (64, "2", [GCM], GCM, ()),
}


def _sa_outcome(case: str):
    capacity, keyword, before, algorithm, _rules = SA_CASES[case]
    sim = Simulation(full_adapter(capacity=capacity), keywords={"*IPsecOffloadV2": keyword}, ndis="6.30")
    sim.initialize()
    for i, alg in enumerate(before):
        sim.offload_sa(_esp_sa(alg, 0x100 + i))
    return sim.offload_sa(_esp_sa(algorithm, 0x200))


def _check_sa(case: str, answer) -> str:
    ev = _sa_outcome(case)
    rules = SA_CASES[case][4]
    fits = as_bool(get_key(answer, "fits", "answer"), "fits")
    if fits != ev.ok:
        if ev.ok:
            raise Wrong("fits: this SA is offloaded; check which protocol the keyword keeps and what the SA uses")
        raise Wrong("fits: this add is refused; compare the SA with the adapter's current configuration and "
                    "with how many bundles it already holds")
    if ev.ok:
        return "it fits: ESP is on, AES-GCM-128 is in the current configuration, and there is room"
    given = str(get_key(answer, "rule", "answer") or "").strip().upper()
    if given not in rules:
        raise Wrong(f"rule: {given or 'none'} is not the rule that lets the miniport refuse this add")
    return f"it does not fit ({ev.status}); {given}: {get_rule(given).title}"


def sa_exercise(ex_id: str, case: str, title: str, story: str, level: int) -> Exercise:
    """Does an SA add fit (and which rule refuses it)?"""
    rules = SA_CASES[case][4]
    return Exercise(
        ex_id, title, level,
        f"{story} Will OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX for one ESP SA with "
        f"{SA_CASES[case][3].rsplit('ENCRYPTION_', 1)[1]} succeed? Answer {{'fits': True/False, 'rule': 'R…'}} "
        "(the rule that lets the miniport refuse it; None when it fits).",
        ("An SA is offloaded only when the current configuration has its protocol and algorithm.",
         "SaOffloadCapacity counts SA bundles; each successful add uses one (R30).",
         "Rules R87 and R88 say when an add may fail."),
        f"Run the story in ipsecexplore.flow.Simulation: the add {'fails' if rules else 'succeeds'}. "
        + (f"The rule: {rules[0]}, {get_rule(rules[0]).title}" if rules else
           "Keyword 2 keeps ESP, the algorithm is in the current configuration and there is room."),
        lambda: {"fits": not rules, "rule": rules[0] if rules else None}, lambda a: _check_sa(case, a), ("SA",))


def _written(value_name: str) -> str:
    sim = Simulation(full_adapter(), keywords={"*IPsecOffloadV2": "3"}, ndis="6.1")
    sim.initialize()
    sim.set_offload_parameters({"IPsecV2": _c(value_name)})
    return str(sim.registry["*IPsecOffloadV2"])


def _check_written(answer) -> str:
    name = "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED"
    want, got = _written(name), str(answer).strip().strip('"')
    if got == want:
        return f'"{want}": the OID value minus one (R66, observed in ndis.sys)'
    if got == str(_c(name)):
        raise Wrong("that is the OID's value; the keyword numbers the same settings differently (R66)")
    if got in ("0", "2", "3"):
        raise Wrong(f'"{got}" means another setting of *IPsecOffloadV2; explain("*IPsecOffloadV2") lists them')
    raise Wrong("the keyword is a REG_SZ holding one digit 0–3")


def keyword_write_exercise(ex_id: str, level: int) -> Exercise:
    """The keyword string NDIS writes for an OID_TCP_OFFLOAD_PARAMETERS set."""
    return Exercise(
        ex_id, "What NDIS writes back to the registry", level,
        "A protocol sets OID_TCP_OFFLOAD_PARAMETERS with IPsecV2 = NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED. "
        "NDIS stores the setting in the adapter's *IPsecOffloadV2 keyword before passing the request on. Which "
        "string does the keyword hold afterwards? Answer the string.",
        ("explain('NDIS_OFFLOAD_PARAMETERS.IPsecV2') gives the OID's value for AH_ENABLED.",
         "explain('*IPsecOffloadV2') gives the keyword's values.",
         "The two enumerations name the same settings; 0 in the OID means 'no change'."),
        "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED is 2; the keyword value for 'Auth Header Enabled' is 1. "
        "NDIS writes the string of the OID value minus one, \"1\" (R66: that NDIS writes the keyword is "
        "documented; the exact string was observed in decompiled ndis.sys, basis RE).",
        lambda: _written("NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED"), _check_written, ("keywords",))
