"""What ``validate`` accepts and refuses: every bad input is one InputError line (exit 2), values are
checked against their C types, the JSON output keeps the "not checked" list, and members marked unknown
(None, "not captured") are never judged as 0.

Expectations are written from the rule book and the C types (a BOOLEAN is one byte), never computed by
the code under test.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from helpers import cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import C, block, good

from ipsecexplore.errors import InputError
from ipsecexplore.rules import make_context, parse_values, validate
from ipsecexplore.rules.subjects import guess_structure

BLOCK = "NDIS_IPSEC_OFFLOAD_V2"
# UDP-ESP transport over tunnel needs TransportTunnelCombined (rule book R45)
OVER_TUNNEL = C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL")




def _one_line_exit_2(p: subprocess.CompletedProcess, *needles: str) -> str:
    err = p.stderr.decode()
    assert p.returncode == 2, (p.returncode, err, p.stdout.decode()[:500])
    assert "Traceback" not in err and "internal error" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    for n in needles:
        assert n in err, (n, err)
    return err


# --- 1 and 7: bad envelopes and bad values are input errors ---------------------------------------------

HW = {"IPsecV2.Esp": True}


@pytest.mark.parametrize("doc,needle", [
    ({"structure": "NOPE", "values": {}}, "structure"),
    ({"structure": 5, "values": {}}, "structure"),
    ({"structure": ["NDIS_OFFLOAD"], "values": {}}, "structure"),
    ({"structure": "NDIS_OFFLOAD", "hex": 5}, "hex"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "arch": "arm"}, "arch"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "context": {"arch": "arm"}}, "arch"),
    ({"structure": "NDIS_OFFLOAD", "values": {"IPsecV2.Esp": True}, "context": []}, "context"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "context": {"role": "boss"}}, "role"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "context": {"colour": 1}}, "colour"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "hex": "00"}, "either"),
    ({"structure": "NDIS_OFFLOAD", "values": 5}, "values"),
    ({"structure": "NDIS_OFFLOAD", "values": {"IPsecV2.Esp": True}, "revision": 99}, "revision"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "ndis": 6.3}, "ndis"),
    ({"structure": "NDIS_OFFLOAD", "values": {}, "ndis": "9.9"}, "ndis"),
    ({"hardware": HW, "current": HW, "ndis": 6.3}, "ndis"),
    ({"hardware": 5}, "hardware"),
    ({"hardware": HW, "colour": 1}, "colour"),
    ({"Header.Revision": 2, "IPsecV2.Esp": [1]}, "IPsecV2.Esp"),
    ({"IPsecV2.Esp": 99999999999999999999}, "out of range"),
    ({"IPsecV2.SaOffloadCapacity": -1}, "out of range"),
    ({"Header.Revision": 256}, "Header.Revision"),
    ({"IPsecV2.Esp": 1.5}, "IPsecV2.Esp"),
    ({"IPsecV2.EncryptionAlgorithms": "NOT_A_CONSTANT"}, "NOT_A_CONSTANT"),
    ({"structure": "IPSEC_OFFLOAD_V2_ADD_SA", "values": {"IPv6Endpoints.SrcAddr": [1, 2]}}, "16 elements"),
    ({"DefaultOffloadConfiguration": good(), "Header.Type": "x"}, "Header.Type"),
    ({"DefaultOffloadConfiguration": good(), "Header.Nope": 1}, "Header.Nope"),
    ({"structure": BLOCK, "hex": "01 02"}, "too short"),
])
def test_validate_bad_input_is_one_line_exit_2(tmp_path, doc, needle):
    f = tmp_path / "in.json"
    f.write_text(json.dumps(doc))
    _one_line_exit_2(cli("validate", str(f)), needle, str(f))


def test_validate_repeated_key_is_refused(tmp_path):
    f = tmp_path / "in.json"
    f.write_text('{"IPsecV2.Esp": true, "IPsecV2.Esp": false}')
    _one_line_exit_2(cli("validate", str(f)), "IPsecV2.Esp", "twice")


@pytest.mark.parametrize("context", [{"arch": "arm"}, {"structure": "NOPE"}, {"ndis": 6.3}, {"ndis": "9.9"},
                                     {"revision": "2"}, {"missing": "maybe"}, [], "x"])
def test_make_context_refuses_values_of_the_wrong_kind(context):
    with pytest.raises(InputError):
        make_context(context)


def test_validate_python_api_refuses_unknown_structure_and_arch():
    with pytest.raises(InputError):
        validate(good(), {"structure": "NOPE"})
    with pytest.raises(InputError):
        validate(good(), {"arch": "arm"})


@pytest.mark.parametrize("values,path", [
    ({"IPsecV2.Esp": [1]}, "IPsecV2.Esp"),
    ({"IPsecV2.Esp": "TRUE | FALSE"}, "IPsecV2.Esp"),
    ({"IPsecV2.Esp": 256}, "IPsecV2.Esp"),               # a BOOLEAN is one byte (UCHAR)
    ({"IPsecV2.SaOffloadCapacity": 1 << 32}, "IPsecV2.SaOffloadCapacity"),  # a ULONG
    ({"Flags": -1}, "Flags"),
])
def test_parse_values_checks_the_c_type(values, path):
    with pytest.raises(InputError) as exc:
        parse_values(values, "NDIS_OFFLOAD")
    assert exc.value.path == path


def test_parse_values_keeps_what_fits():
    got = parse_values({"IPsecV2.Esp": 255, "IPsecV2.SaOffloadCapacity": 0xFFFFFFFF,
                        "IPsecV2.EncryptionAlgorithms": ["IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"]}, "NDIS_OFFLOAD")
    assert got == {"IPsecV2.Esp": 255, "IPsecV2.SaOffloadCapacity": 0xFFFFFFFF,
                   "IPsecV2.EncryptionAlgorithms": C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")}


def test_an_odd_boolean_byte_is_a_finding_not_an_input_error():
    # 2 fits in a BOOLEAN's byte: R13 reports it (an input error is only for what does not fit)
    assert "R13" in validate({"Esp": 2, "Tunnel": True}, {"structure": BLOCK}).rule_ids


# --- 7: only what was given is reported ------------------------------------------------------------------

def test_unknown_revision_reports_the_revision_not_a_type_nobody_gave():
    found = validate({"Header.Revision": 9})
    assert [f.members for f in found] == [("Header.Revision",)]
    assert found.rule_ids == {"R8"}
    assert "Header.Type" not in str(found)


def test_a_wrong_type_that_was_given_is_still_reported():
    found = validate({"Header.Revision": 3, "Header.Type": 5})
    assert any(f.rule == "R8" and f.members == ("Header.Type",) for f in found)


# --- 6: guess_structure names the member it means ----------------------------------------------------------

def test_default_type_with_an_unknown_size_names_the_size():
    data = bytes([C("NDIS_OBJECT_TYPE_DEFAULT"), 1, 0x90, 0])
    with pytest.raises(InputError) as exc:
        guess_structure(data)
    assert exc.value.path == "Header.Size" and exc.value.actual == 0x90
    assert "144" in str(exc.value)


def test_unknown_type_names_the_type():
    with pytest.raises(InputError) as exc:
        guess_structure(bytes([0x55, 1, 8, 0]))
    assert exc.value.path == "Header.Type" and exc.value.actual == 0x55


def test_validate_cli_default_type_bytes(tmp_path):
    f = tmp_path / "in.bin"
    f.write_bytes(bytes([C("NDIS_OBJECT_TYPE_DEFAULT"), 1, 0x90, 0]))
    err = _one_line_exit_2(cli("validate", str(f)), "Header.Size", "144")
    assert "Header.Type," not in err


# --- 4: the JSON output keeps what was not checked ---------------------------------------------------------

def test_validate_json_lists_the_checks_that_did_not_run(tmp_path):
    f = tmp_path / "rev1.json"
    f.write_text(json.dumps({"Header.Revision": 1, "Checksum.IPv4Transmit.Encapsulation": 1}))
    text = cli("validate", str(f))
    assert "Not checked: R9" in text.stdout.decode()
    p = cli("validate", str(f), "--json")
    assert p.returncode == text.returncode
    data = json.loads(p.stdout)
    for item in data:
        assert {"rule", "severity", "members", "message"} <= set(item)
    skipped = [i for i in data if i["severity"] == "skipped"]
    assert any(i["rule"] == "R9" and "IPsecV2" in i["message"] and i["members"] == [] for i in skipped)
    # the JSON output holds exactly the "Not checked" notes of the text output
    notes = text.stdout.decode().split("Not checked: ", 1)[1].strip()
    assert notes == "; ".join(f"{i['rule']} ({i['message']})" for i in skipped)


# --- 8: unknown members (None, or absent with missing="unknown") ----------------------------------------

def _row(**over) -> dict:
    """A capture of the IPsecV2 block that offers UDP-ESP transport over tunnel."""
    d = block(UdpEsp=OVER_TUNNEL)
    d.update(over)
    return d


def test_a_known_false_member_breaks_r45():
    # the control: with TransportTunnelCombined known to be FALSE the rule book's R45 fires
    found = validate(_row(TransportTunnelCombined=False, AhEspCombined=False), {"structure": BLOCK})
    assert any(f.rule == "R45" and "TransportTunnelCombined" in f.members for f in found)


def test_none_means_not_captured_and_is_not_judged_as_false():
    found = validate(_row(TransportTunnelCombined=None, AhEspCombined=False), {"structure": BLOCK})
    assert "R45" not in found.rule_ids
    assert any(r == "R45" and "TransportTunnelCombined" in why for r, why in found.skipped)
    assert any("not captured" in why and "TransportTunnelCombined" in why for r, why in found.skipped if r == "-")


def test_missing_unknown_treats_absent_members_as_not_captured():
    row = _row(AhEspCombined=False)
    del row["TransportTunnelCombined"]
    assert "R45" in validate(row, {"structure": BLOCK}).rule_ids  # absent = 0 by default
    found = validate(row, {"structure": BLOCK, "missing": "unknown"})
    assert "R45" not in found.rule_ids and "R45" in {r for r, _ in found.skipped}


def test_checks_that_do_not_need_the_unknown_member_still_run():
    found = validate(_row(Tunnel=False, TransportTunnelCombined=None), {"structure": BLOCK})
    assert any(f.rule == "R34" and f.severity == "error" for f in found)  # Tunnel is known: R34 is judged


def test_pair_rules_with_unknown_members():
    hw = {"IPsecV2.Esp": True, "IPsecV2.Ah": None, "IPsecV2.SaOffloadCapacity": 4}
    cur = {"IPsecV2.Esp": True, "IPsecV2.Ah": False, "IPsecV2.SaOffloadCapacity": 8}
    found = validate(cur, {"structure": "NDIS_OFFLOAD", "hardware": hw, "missing": "unknown"})
    assert any(f.rule == "R48" and f.members == ("IPsecV2.SaOffloadCapacity",) for f in found)
    assert "R57" not in found.rule_ids  # whether AH is supported is unknown
    assert any(r == "R57" and "IPsecV2.Ah" in why for r, why in found.skipped)
    assert any(r == "R48" and "IPsecV2.Ah" in why for r, why in found.skipped)


def test_validate_cli_with_null_members(tmp_path):
    f = tmp_path / "row.json"
    f.write_text(json.dumps({"structure": BLOCK, "values": _row(TransportTunnelCombined=None, AhEspCombined=False)}))
    p = cli("validate", str(f), "--json")
    assert p.returncode == 0, p.stderr.decode()
    data = json.loads(p.stdout)
    assert not any(i["rule"] == "R45" and i["severity"] != "skipped" for i in data)
    assert any(i["rule"] == "R45" and i["severity"] == "skipped" for i in data)


_BLOCK_BOOLS = ("IPv6Supported", "IPv4Options", "IPv6NonIPsecExtensionHeaders", "Ah", "Esp", "AhEspCombined",
                "Transport", "Tunnel", "TransportTunnelCombined", "LsoSupported", "ExtendedSequenceNumbers")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({b: st.booleans() for b in _BLOCK_BOOLS}),
       st.sampled_from([0, OVER_TUNNEL, C("IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL")]),
       st.sampled_from([0, C("IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128")]),
       st.sampled_from([0, 4]), st.sets(st.sampled_from(_BLOCK_BOOLS + ("UdpEsp", "EncryptionAlgorithms",
                                                                          "SaOffloadCapacity"))))
def test_unknown_members_never_add_a_finding(bools, udp, enc, cap, hidden):
    """Whatever the hidden members hold, a finding made without them is also made with them: a check that
    needed one of them is 'not checked', never judged on a 0."""
    full = dict(bools, UdpEsp=udp, EncryptionAlgorithms=enc, SaOffloadCapacity=cap,
                AuthenticationAlgorithms=C("IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1"), Encapsulation=1)
    partial = {k: (None if k in hidden else v) for k, v in full.items()}
    with_all = validate(full, {"structure": BLOCK})
    without = validate(partial, {"structure": BLOCK})
    assert set(without) <= set(with_all)
    if set(with_all) - set(without):
        assert without.skipped  # what was not judged is said


# --- no value of any JSON type in an envelope makes validate crash ------------------------------------------

_JSON = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2, max_value=1 << 70), st.floats(allow_nan=False),
                  st.text(max_size=5), st.sampled_from(["NDIS_OFFLOAD", "x86", "6.30", "a7 02", "unknown"]),
                  st.lists(st.integers(0, 3), max_size=2), st.just({}), st.just({"IPsecV2.Esp": True}),
                  st.just({"arch": "x86"}))
_ENVELOPE_KEYS = ("structure", "values", "hex", "revision", "arch", "ndis", "context", "keywords", "missing")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["envelope", "pair", "flat"]), st.dictionaries(st.sampled_from(_ENVELOPE_KEYS), _JSON,
                                                                      max_size=4),
       st.dictionaries(st.sampled_from(["IPsecV2.Esp", "IPsecV2.UdpEsp", "Header.Revision", "Flags"]), _JSON,
                       max_size=3))
def test_any_envelope_is_validated_or_refused_by_name(form, envelope, values):
    from ipsecexplore.rules.cli import run_validate

    if form == "envelope":
        doc = {"structure": "NDIS_OFFLOAD", "values": values, **envelope}
    elif form == "pair":
        doc = {"hardware": values, "current": values, **{k: v for k, v in envelope.items()
                                                         if k in ("ndis", "arch", "missing")}}
    else:
        doc = values
    try:
        found = run_validate(json.dumps(doc).encode(), "in.json")
    except InputError as exc:
        assert str(exc)
        return
    json.loads(found.to_json(skipped=True))


def test_what_a_check_finds_before_it_needs_an_unknown_member_is_kept():
    # R45: "UdpEsp but Esp FALSE" rests on known members; the TransportTunnelCombined part is unknown
    found = validate(_row(Esp=False, TransportTunnelCombined=None), {"structure": BLOCK})
    assert any(f.rule == "R45" and f.members == ("UdpEsp", "Esp") for f in found)
    assert not any(f.rule == "R45" and "TransportTunnelCombined" in f.members for f in found)
    assert any(r == "R45" and "TransportTunnelCombined" in why for r, why in found.skipped)
