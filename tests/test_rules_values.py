"""Member values read by validate and simulate (rules.subjects): a constant name from another member's group
and true/false for a number member are refused by name, never stored as their number."""

from __future__ import annotations

import json

import pytest
from helpers import cli
from test_rules import good

from ipsecexplore import constants
from ipsecexplore.errors import InputError
from ipsecexplore.flow import run_scenario
from ipsecexplore.layouts import layout
from ipsecexplore.rules import parse_values, validate


def groups(structure: str, path: str) -> tuple:
    return layout(structure).field(path).domains


def a_constant_of(group: str) -> str:
    """The first constant of a group (constants.md), by name."""
    return next(iter(constants.domain_class(group).__members__))


# --- 4. a constant from the wrong group -------------------------------------------------------------------

ENC = "IPsecV2.EncryptionAlgorithms"
MD5 = "IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5"


def test_validate_cli_refuses_a_constant_of_another_group():
    doc = {"Header.Revision": 2, ENC: MD5}
    p = cli("validate", "-", stdin=json.dumps(doc).encode())
    err = p.stderr.decode()
    assert p.returncode == 2 and len(err.strip().splitlines()) == 1, (p.returncode, err, p.stdout.decode())
    assert ENC in err and MD5 in err, err
    for g in groups("NDIS_OFFLOAD", ENC):  # names the group the member takes
        assert g in err, err


@pytest.mark.parametrize("value", [MD5, f"IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 | {MD5}",
                                   ["IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128", MD5]])
def test_every_name_of_a_value_must_be_of_the_group(value):
    with pytest.raises(InputError) as exc:
        parse_values({ENC: value}, "NDIS_OFFLOAD")
    assert exc.value.path == ENC and MD5 in str(exc.value)


@pytest.mark.parametrize("structure,path", [
    ("NDIS_OFFLOAD", "IPsecV2.EncryptionAlgorithms"), ("NDIS_OFFLOAD", "IPsecV2.AuthenticationAlgorithms"),
    ("NDIS_OFFLOAD", "Flags"), ("NDIS_OFFLOAD_PARAMETERS", "IPsecV2"),
    ("IPSEC_OFFLOAD_V2_ADD_SA", "SecAssoc[0].Operation"), ("IPSEC_OFFLOAD_V2_ADD_SA", "Flags"),
])
def test_a_constant_of_the_members_own_group_is_kept(structure, path):
    (g,) = groups(structure, path)
    name = a_constant_of(g)
    assert parse_values({path: name}, structure)[path] == int(constants.lookup(name))


def test_a_member_without_a_group_takes_no_constant_name():
    path = "IPsecV2.SaOffloadCapacity"
    assert not groups("NDIS_OFFLOAD", path)
    with pytest.raises(InputError) as exc:
        parse_values({path: "IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS"}, "NDIS_OFFLOAD")
    assert exc.value.path == path


def test_simulate_refuses_it_too(tmp_path):
    hw = dict(good(), **{ENC: MD5})
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"hardware": hw, "steps": [{"op": "initialize"}]}))
    p = cli("simulate", str(f))
    err = p.stderr.decode()
    assert p.returncode == 2 and str(f) in err and ENC in err and MD5 in err, (p.returncode, err)


# --- 5. true/false only for BOOLEAN members ---------------------------------------------------------------

@pytest.mark.parametrize("doc,path", [
    ({"Header.Revision": True}, "Header.Revision"),
    ({"IPsecV2.SaOffloadCapacity": True}, "IPsecV2.SaOffloadCapacity"),
    ({"Header.Revision": 2, "IPsecV2.EncryptionAlgorithms": False}, "IPsecV2.EncryptionAlgorithms"),
    ({"Header.Revision": 2, "IPsecV2.UdpEsp": "true"}, "IPsecV2.UdpEsp"),
    ({"Header.Revision": 2, "IPsecV2.UdpEsp": [True]}, "IPsecV2.UdpEsp"),
])
def test_validate_cli_refuses_true_false_for_a_number(doc, path):
    p = cli("validate", "-", stdin=json.dumps(doc).encode())
    err = p.stderr.decode()
    assert p.returncode == 2 and len(err.strip().splitlines()) == 1, (p.returncode, err, p.stdout.decode())
    assert path in err, err


def test_true_false_stays_fine_for_a_boolean():
    path = "IPsecV2.Esp"
    assert layout("NDIS_OFFLOAD").field(path).is_boolean
    assert parse_values({path: True, "IPsecV2.Ah": "false"}, "NDIS_OFFLOAD") == {path: 1, "IPsecV2.Ah": 0}


def test_true_is_not_revision_1_in_validate():
    with pytest.raises(InputError) as exc:
        validate({"Header.Revision": True})
    assert exc.value.path == "Header.Revision"


def test_simulate_refuses_a_boolean_parameter_value():
    doc = {"hardware": good(), "steps": [{"op": "initialize"},
                                         {"op": "set_offload_parameters", "parameters": {"IPsecV2": True}}]}
    with pytest.raises(InputError) as exc:
        run_scenario(doc)
    assert (exc.value.index, exc.value.path) == (1, "IPsecV2")
