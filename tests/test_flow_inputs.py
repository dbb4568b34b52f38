"""What ``simulate`` accepts: every key of a scenario and of each step has a kind, and a value of another
kind is one InputError line naming the file, the step and the key (exit 2) — never a traceback, never a
silent misreading (a string taken as a list of characters, "false" counted as true, 6.3 taken as NDIS 6.3),
and never an "expectation failed" (exit 1) for an expectation that names no status."""

from __future__ import annotations

import pytest
from helpers import cli, simulate_fails_in_one_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import esp_sa, good

from ipsecexplore.errors import InputError
from ipsecexplore.flow import Simulation, load_scenario, run_scenario
from ipsecexplore.flow.scenario import SETUP_KEYS, STEP_KEYS

HW = good()
QUERY = {"op": "query", "oid": "OID_TCP_OFFLOAD_CURRENT_CONFIG"}




def scenario(*steps, **setup) -> dict:
    return {"hardware": HW, **setup, "steps": [{"op": "initialize"}, *steps]}


BAD = [
    # (scenario, key the message must name, step index or None)
    (scenario(dict(QUERY, length="x")), "length", 1),
    (scenario(dict(QUERY, length=1e400)), "length", 1),
    (scenario(dict(QUERY, length=1.5)), "length", 1),
    (scenario(dict(QUERY, length=-5)), "length", 1),
    (scenario(dict(QUERY, length=True)), "length", 1),
    (scenario(keywords=5), "keywords", None),
    (scenario(keywords={"*IPsecOffloadV2": [3]}), "*IPsecOffloadV2", None),
    (scenario(faults=5), "faults", None),
    (scenario(faults="ignore_sa_capacity"), "faults", None),
    (scenario(faults=["ignore_sa_capacity", "nope"]), "faults", None),
    (scenario(attributes_header=5), "attributes_header", None),
    (scenario(attributes_header={"Header.Type": "x"}), "Header.Type", None),
    (scenario(attributes_header={"Header.Type": 256}), "Header.Type", None),
    (scenario(attributes_header={"Header.Colour": 1}), "Header.Colour", None),
    (scenario(ndis=6.3), "ndis", None),
    (scenario(ndis="9.9"), "ndis", None),
    (scenario(arch="arm"), "arch", None),
    (scenario(disable_task_offload="false"), "disable_task_offload", None),
    (scenario(supports_offload_parameters=0), "supports_offload_parameters", None),
    (scenario(expect_audit="R74"), "expect_audit", None),
    (scenario(expect_audit=["R999"]), "expect_audit", None),
    (scenario(default=5), "default", None),
    (scenario({"op": "add_sa", "sas": [5]}, ndis="6.1"), "sas", 1),
    (scenario({"op": "add_sa", "sas": [esp_sa()], "names": 5}, ndis="6.1"), "names", 1),
    (scenario({"op": "add_sa", "sas": [esp_sa()], "names": ["a", "b"]}, ndis="6.1"), "names", 1),
    (scenario({"op": "add_sa_ex", "sa": esp_sa(), "header": 5}), "header", 1),
    (scenario({"op": "add_sa_ex", "sa": esp_sa(), "header": {"Header.Nope": 1}}), "Header.Nope", 1),
    (scenario({"op": "add_sa_ex", "sa": esp_sa(), "header": {"Header.Size": 70000}}), "Header.Size", 1),
    (scenario({"op": "offload_sa", "sa": esp_sa(Keys=5)}), "Keys", 1),
    (scenario({"op": "offload_sa", "sa": esp_sa(**{"IPv6Endpoints.SrcAddr": [1, 2]})}), "IPv6Endpoints.SrcAddr", 1),
    (scenario({"op": "set_offload_encapsulation", "ipv4": 5}), "ipv4", 1),
    (scenario({"op": "set_offload_encapsulation", "ipv4": {}, "hex": "00"}), "hex", 1),
    (scenario({"op": "set_offload_parameters", "parameters": {}, "buffer_length": "x"}), "buffer_length", 1),
    (scenario({"op": "set_offload_parameters", "parameters": "zz"}), "parameters", 1),
    (scenario({"op": "set_offload_parameters", "parameters": {"IPsecV2": 256}}), "IPsecV2", 1),
    (scenario({"op": "oid_set", "oid": "OID_TCP_OFFLOAD_PARAMETERS", "hex": 5}), "hex", 1),
    (scenario({"op": "update_sa", "sa": 1, "operation": "x", "spi": 1, "sequence_number_high_order": 1}),
     "operation", 1),
    (scenario({"op": "update_sa", "sa": 1, "operation": 1, "spi": "0x1FFFFFFFF",
               "sequence_number_high_order": 1}), "spi", 1),
    (scenario({"op": "delete_sa", "sas": [True]}), "sas", 1),
    (scenario({"op": "nic_drop_sa", "sa": 1, "reason": "nic_removal"}), "reason", 1),
    (scenario({"op": "initialize", "expect": "NDIS_STATUS_NOPE"}), "expect", 1),
    (scenario({"op": "initialize", "expect": 5}), "expect", 1),
    (scenario({"op": "initialize", "note": 5}), "note", 1),
    (scenario({"op": 5}), "op", 1),
]


@pytest.mark.parametrize("doc,key,index", BAD, ids=[f"{k}-{i}" for i, (_, k, _) in enumerate(BAD)])
def test_simulate_bad_value_is_one_line_exit_2(tmp_path, doc, key, index):
    err = simulate_fails_in_one_line(tmp_path / "bad.json", doc, key)
    if index is not None:
        assert f"record {index}" in err, err


def test_simulate_repeated_key_is_refused(tmp_path):
    f = tmp_path / "dup.json"
    f.write_text('{"hardware": {}, "ndis": "6.1", "ndis": "6.30", "steps": [{"op": "initialize"}]}')
    p = cli("simulate", str(f))
    assert p.returncode == 2 and "'ndis' appears twice" in p.stderr.decode()


def test_load_scenario_names_step_and_key():
    with pytest.raises(InputError) as exc:
        load_scenario(scenario(dict(QUERY, length="x")))
    assert (exc.value.index, exc.value.path) == (1, "length")


def test_expect_audit_ids_are_rule_ids():
    sc = load_scenario(scenario(expect_audit=["r74", "R74"]))
    assert sc.expect_audit == ["R74"]


@pytest.mark.parametrize("kw", [{"ndis": 6.3}, {"ndis": "9.9"}, {"ndis": "6.3"}, {"arch": "arm"},
                                {"faults": "ignore_sa_capacity"}, {"faults": [["x"]]},
                                {"disable_task_offload": "false"}, {"supports_offload_parameters": "no"},
                                {"keywords": 5}, {"attributes_header": {"Header.Size": -1}}])
def test_simulation_api_refuses_the_same(kw):
    with pytest.raises(InputError):
        Simulation(HW, **kw)


def test_simulation_query_length_must_be_a_ulong():
    sim = Simulation(HW)
    sim.initialize()
    for bad in ("x", -1, 1.5, True):
        with pytest.raises(InputError):
            sim.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", bad)


@pytest.mark.parametrize("version", ["6.1", "6.20", "6.30", "6.89"])
def test_every_version_of_the_table_runs(version):
    assert run_scenario(scenario(ndis=version)).simulation.ndis == version


# --- no value of any JSON type makes a step crash ---------------------------------------------------------

JSON = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2, max_value=1 << 70),
                 st.floats(allow_nan=False), st.text(max_size=6), st.just("NDIS_STATUS_SUCCESS"),
                 st.just("0x10"), st.lists(st.integers(0, 3), max_size=3), st.just([{}]), st.just({}),
                 st.just({"Header.Revision": 3}))
_VALID = {"initialize": {}, "query": dict(QUERY, length=256),
          "set_offload_parameters": {"parameters": {"IPsecV2": 3}, "buffer_length": 40},
          "set_offload_encapsulation": {"ipv4": {"Enabled": 1, "EncapsulationType": 2}},
          "oid_set": {"oid": "OID_TCP_OFFLOAD_PARAMETERS", "hex": "00"},
          "offload_sa": {"sa": esp_sa(), "name": "a"}, "add_sa": {"sas": [esp_sa()], "names": ["a"]},
          "add_sa_ex": {"sa": esp_sa(), "name": "a"}, "delete_sa": {"sas": ["a"]},
          "update_sa": {"sa": "a", "operation": 2, "spi": 256, "sequence_number_high_order": 1},
          "hardware_change": {"changes": {"IPsecV2.Ah": False}}, "nic_request_sa_delete": {"sa": "a"},
          "nic_drop_sa": {"sa": "a"}, "remove_nic": {}}
_OP_KEYS = [(op, k) for op, (_, kinds) in STEP_KEYS.items() for k in (*kinds, "expect", "note")]


def test_every_op_has_a_valid_example():
    assert set(_VALID) == set(STEP_KEYS)
    for op, body in _VALID.items():
        run_scenario(scenario({"op": "offload_sa", "sa": esp_sa(), "name": "a"}, {"op": op, **body}))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_OP_KEYS), JSON)
def test_any_step_value_is_run_or_refused_by_name(op_key, value):
    op, key = op_key
    step = {"op": op, **_VALID[op], key: value}
    try:
        run_scenario(scenario({"op": "offload_sa", "sa": esp_sa(), "name": "a"}, step))
    except InputError as exc:
        assert exc.source is not None and str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(set(SETUP_KEYS) - {"steps"})), JSON)
def test_any_setup_value_is_run_or_refused_by_name(key, value):
    try:
        run_scenario(scenario(**{key: value}))
    except InputError as exc:
        assert exc.source is not None and str(exc)
