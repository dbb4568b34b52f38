"""ipsecexplore.exercises: every checker accepts its reference answer, says "not attempted yet" for None,
and rejects plausible wrong answers with a message specific to each mistake.

Expected answers come from the spec (layouts.json, constants.md, the rule book) wherever the spec states them.
"""

from __future__ import annotations

import pytest
from helpers import spec_constant, spec_member, spec_revision_size
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipsecexplore as ix
from ipsecexplore.exercises import EXERCISES, NOT_ATTEMPTED, Feedback, get
from ipsecexplore.exercises.flowex import encapsulation_missing, tunnel_missing
from ipsecexplore.exercises.structures import described_adapter, dump_adapter

ESP = spec_member("NDIS_OFFLOAD", "IPsecV2.Esp")["offset"]
SA_CAP = spec_member("NDIS_OFFLOAD", "IPsecV2.SaOffloadCapacity")["offset"]
REV2, REV3 = spec_revision_size("NDIS_OFFLOAD", 2), spec_revision_size("NDIS_OFFLOAD", 3)
TYPE = spec_constant("NDIS_OBJECT_TYPE_OFFLOAD")


def _slip(kind: str) -> int:
    """The count a usual slip gives in the fleet exercise, recomputed here from the sample (not the module)."""
    from ipsecexplore.exercises.fleetex import SAMPLE
    from ipsecexplore.fleet import load_fleet

    f = load_fleet([SAMPLE], progress=False).frame
    has = f["IPsecV2.Tunnel"].fillna(False).astype(bool)
    views = {"rows": None, "current": ["current"], "with unknown": ["hardware", "unknown"]}[kind]
    if views is None:
        return int(has.sum())
    return len(f.loc[has & f["view"].isin(views), ["host", "adapter"]].drop_duplicates())


def _with(build, **members):
    off = build()
    for k, v in members.items():
        setattr(off.IPsecV2, k, v)
    return ix.encode(off)


# (exercise id, wrong answer, a fragment the message must contain): each one a different mistake
WRONG = [
    ("e01", {"Type": 0x80, "Revision": 2, "Size": REV2}, "NDIS_OBJECT_TYPE_DEFAULT"),
    ("e01", {"Type": TYPE, "Revision": 2, "Size": REV3}, "size of revision 3"),
    ("e01", bytes([TYPE, 2]) + REV2.to_bytes(2, "big"), "wrong order"),
    ("e01", {"Type": TYPE, "Revision": 2, "Size": 32}, "size of the IPsecV2 block"),
    ("e01", "a7 02 90", "4 bytes"),
    ("e02", ESP - spec_member("NDIS_OFFLOAD", "IPsecV2")["offset"], "inside NDIS_IPSEC_OFFLOAD_V2"),
    ("e02", spec_member("NDIS_OFFLOAD", "IPsecV2")["offset"], "where the IPsecV2 block starts"),
    ("e02", spec_member("NDIS_OFFLOAD", "IPsecV2.Ah")["offset"], "is IPsecV2.Ah"),
    ("e02", "seventy", "give a number"),
    ("e03", 0x00040000, "big-endian"),
    ("e03", 400, "hexadecimal"),
    ("e03", 8, "IPsecV2.AuthenticationAlgorithms"),
    ("e04", ["AES_CBC_128"], "missing"),
    ("e04", 0x8, "AuthenticationAlgorithms"),
    ("e04", ["AES_GCM_128", "AES_CBC_128", "DES_CBC"], "not set"),
    ("e04", ["AES_GCM"], "not one of the flags"),
    ("e05", {"Type": TYPE, "Revision": 3, "Size": REV2}, "size of revision 2"),
    ("e05", {"Type": TYPE, "Revision": 2, "Size": REV2}, "Header.Revision"),
    ("e05", {"Type": 0x42, "Revision": 3, "Size": REV3}, "Header.Type"),
    ("e06", {"Ah": True, "Esp": False}, "swapped"),
    ("e06", {"Ah": True, "Esp": True}, "only 3 keeps"),
    ("e06", {"Ah": False, "Esp": False}, "only 0 clears"),
    ("e06", {"Esp": True}, "'Ah' is missing"),
    ("e07", lambda: _with(described_adapter, Tunnel=False), "IPsecV2.Tunnel (byte 0x7B)"),
    ("e07", lambda: _with(described_adapter, EncryptionAlgorithms=0x8), "lacks a flag"),
    ("e07", lambda: _with(described_adapter, AuthenticationAlgorithms=0xC), "has a flag the description does not"),
    ("e07", lambda: ix.encode(ix.NdisOffload.new(revision=3)), "Header.Revision is 3"),
    ("e07", lambda: ix.encode(described_adapter()) + bytes(4), "bytes long"),
    ("e08", {"status": "NDIS_STATUS_SUCCESS", "BytesNeeded": REV3}, "not enough"),
    ("e08", {"status": "NDIS_STATUS_INVALID_LENGTH", "BytesNeeded": REV3}, "not the status"),
    ("e08", {"status": spec_constant("NDIS_STATUS_BUFFER_TOO_SHORT"), "BytesNeeded": REV2}, "size you offered"),
    ("e08", {"status": "NDIS_STATUS_BUFFER_TOO_SHORT", "BytesNeeded": REV3 - REV2}, "not the shortfall"),
    ("e09", {"rule": "R34", "fix": {"IPsecV2.Encapsulation": 2}}, "does not report R34"),
    ("e09", {"rule": "R14", "fix": {"IPsecV2.Encapsulation": 4}}, "still reports R14"),
    ("e09", {"rule": "R14", "fix": {"IPsecV2.Ah": False, "IPsecV2.Esp": False}}, "switches the offload off"),
    ("e09", {"rule": "R999", "fix": {}}, "not a rule id"),
    ("e10", {"rule": "R41", "fix": {"IPsecV2.Tunnel": True}}, "does not report R41"),
    ("e10", {"rule": "R34", "fix": {"IPsecV2.Transport": False}}, "still reports"),
    ("e10", {"rule": "R34", "fix": {"IPsecV2.Tunel": True}}, "no member"),
    ("e11", {"fits": False, "rule": "R87"}, "this SA is offloaded"),
    ("e11", {"fits": "maybe"}, "True or False"),
    ("e11", ["fits"], "give a dict"),
    ("e12", {"fits": True, "rule": None}, "this add is refused"),
    ("e12", {"fits": False, "rule": "R34"}, "not the rule"),
    ("e12", {"fits": False}, "'rule' is missing"),
    ("e13", {"fits": True, "rule": None}, "refused"),
    ("e13", {"fits": False, "rule": "R44"}, "R44 is not the rule"),
    ("e13", {"fits": False, "rule": ""}, "none is not the rule"),
    ("e14", 64, "hardware's value"),
    ("e14", 32, "when neither AH nor ESP"),
    ("e14", True, "not True"),
    ("e15", "2", "OID's value"),
    ("e15", "3", "another setting"),
    ("e15", "AH", "one digit"),
    ("e16", 0, "filter the fleet frame"),
    ("e16", lambda: _slip("rows"), "rows of every view"),
    ("e16", lambda: _slip("current"), "current view"),
    ("e16", lambda: _slip("with unknown"), "'unknown' view"),
]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: e.id)
def test_reference_passes_and_none_is_not_attempted(ex):
    fb = ex.check(ex.reference())
    assert isinstance(fb, Feedback) and fb.passed, fb.message
    none = ex.check(None)
    assert not none.passed and none.message == NOT_ATTEMPTED and "not attempted yet" in str(none)
    assert ex.id and ex.title and ex.prompt and ex.solution()
    assert ex.hint(1).startswith("Hint 1/") and ex.hint(99) == ex.hint(len(ex.hints))


@pytest.mark.parametrize("ex_id,answer,fragment", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answers_are_rejected_with_a_specific_message(ex_id, answer, fragment):
    answer = answer() if callable(answer) else answer
    fb = get(ex_id).check(answer)
    assert not fb.passed
    assert fragment in fb.message, fb.message


def test_each_exercise_has_three_specific_rejections():
    by_id: dict[str, set[str]] = {}
    for ex_id, answer, _ in WRONG:
        answer = answer() if callable(answer) else answer
        by_id.setdefault(ex_id, set()).add(get(ex_id).check(answer).message)
    short = {e.id for e in EXERCISES if len(by_id.get(e.id, ())) < 3}
    assert not short, short


def test_wrong_messages_do_not_give_the_answer_away():
    for ex_id, answer, _ in WRONG:
        answer = answer() if callable(answer) else answer
        msg = get(ex_id).check(answer).message
        ref = get(ex_id).reference()
        if isinstance(ref, int) and ref > 9:
            assert str(ref) not in msg and f"0x{ref:X}" not in msg, (ex_id, msg)


def test_references_agree_with_the_spec():
    assert get("e01").reference() == {"Type": TYPE, "Revision": 2, "Size": REV2}
    assert get("e05").reference() == {"Type": TYPE, "Revision": 3, "Size": REV3}
    assert get("e02").reference() == ESP
    assert get("e03").reference() == int.from_bytes(ix.encode(dump_adapter())[SA_CAP:SA_CAP + 4], "little")
    assert get("e08").reference() == {"status": "NDIS_STATUS_BUFFER_TOO_SHORT", "BytesNeeded": REV3}  # R80, R10
    assert get("e14").reference() == 0                       # R51: the whole block is zeroed
    assert get("e15").reference() == "1"                     # R66: the OID value (2 = AH) minus one
    assert get("e06").reference() == {"Ah": False, "Esp": True}  # R50: 2 = ESP
    assert get("e09").reference()["rule"] == "R14" and get("e10").reference()["rule"] == "R34"
    assert get("e11").reference()["fits"] and not get("e12").reference()["fits"]


def test_the_rule_exercises_objects_break_only_their_rule():
    from ipsecexplore.rules import validate

    assert validate(encapsulation_missing()).errors.rule_ids == {"R14"}
    assert validate(tunnel_missing()).errors.rule_ids == {"R34"}


def test_other_answer_forms_are_accepted():
    assert get("e01").check("a7 02 90 00").passed
    assert get("e02").check(hex(ESP)).passed
    assert get("e04").check([f"IPSEC_OFFLOAD_V2_ENCRYPTION_{n}" for n in get("e04").reference()]).passed
    assert get("e07").check(described_adapter()).passed
    assert get("e07").check(ix.encode(described_adapter()).hex(" ")).passed
    assert get("e08").check({"Status": spec_constant("NDIS_STATUS_BUFFER_TOO_SHORT"), "bytesneeded": REV3}).passed


def test_fleet_exercise_counts_adapters_not_rows():
    from ipsecexplore.exercises.fleetex import SAMPLE
    from ipsecexplore.fleet import load_fleet

    f = load_fleet([SAMPLE], progress=False).frame
    col = f["IPsecV2.Tunnel"].fillna(False).astype(bool)
    hw = f[(f["view"] == "hardware") & col]
    want = len(hw[["host", "adapter"]].drop_duplicates())
    assert want > 0 and get("e16").check(want).passed
    assert not get("e16").check(int(col.sum())).passed or int(col.sum()) == want


def test_get_unknown():
    with pytest.raises(KeyError, match="e01"):
        get("e99")


def test_feedback_renders():
    fb = get("e01").check({"Type": 0, "Revision": 2, "Size": REV2})
    assert "✘" in str(fb) and "<div" in fb._repr_html_()
    assert "&lt;" in Feedback(False, "<b>")._repr_html_()


_ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=40)
    | st.binary(max_size=200),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(
        ["Type", "Revision", "Size", "Ah", "Esp", "status", "BytesNeeded", "rule", "fix", "fits", "x"]), kids,
        max_size=4),
    max_leaves=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=_ANSWERS, index=st.integers(0, len(EXERCISES) - 1))
def test_any_answer_gives_feedback_never_a_traceback(answer, index):
    fb = EXERCISES[index].check(answer)
    assert isinstance(fb, Feedback) and isinstance(fb.message, str) and fb.message


def test_notebook_05_asks_every_exercise_unanswered():
    import re
    from pathlib import Path

    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "05-exercises.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    asked = [m.group(1) for c in code for m in [re.search(r'ex = get\("(e\d+)"\)', c)] if m]
    assert asked == [e.id for e in EXERCISES]
    answers = [c for c in code if "ex.check(answer)" in c]
    assert len(answers) == len(EXERCISES) and all(re.search(r"^answer = None\b", c, re.M) for c in answers)
