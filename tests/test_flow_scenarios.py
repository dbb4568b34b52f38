"""Scenario files and the ``simulate`` / ``validate`` / ``explain`` command lines (run as subprocesses)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import cli
from test_rules import good, off

from ipsecexplore.errors import InputError
from ipsecexplore.flow import load_scenario, run_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "data" / "scenarios").glob("*.json"))




def test_there_are_two_documented_examples():
    assert len(SCENARIOS) >= 2
    readme = (ROOT / "data" / "scenarios" / "README.md").read_text(encoding="utf-8")
    for p in SCENARIOS:
        assert p.name in readme


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_example_scenarios_meet_their_expectations(path):
    result = run_scenario(path)
    assert result.ok, str(result)
    assert all(s.expect for s in result.steps if s.op != "nic_request_sa_delete")
    json.loads(result.to_json())
    assert "<table>" in result._repr_html_()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_simulate_cli(path):
    p = cli("simulate", str(path))
    assert p.returncode == 0, p.stderr.decode()
    text = p.stdout.decode()
    assert "NdisMSetMiniportAttributes" in text and "Result: OK" in text
    j = cli("simulate", str(path), "--json")
    assert j.returncode == 0
    data = json.loads(j.stdout)
    assert data["ok"] is True and data["timeline"][0]["seq"] == 1
    assert {"seq", "actor", "kind", "name", "code", "request", "status", "status_value"} <= set(data["timeline"][0])


def test_simulate_cli_exit_1_on_failed_expectation(tmp_path):
    sc = {"hardware": good(), "steps": [{"op": "initialize", "expect": "NDIS_STATUS_FAILURE"}]}
    f = tmp_path / "s.json"
    f.write_text(json.dumps(sc))
    p = cli("simulate", str(f))
    assert p.returncode == 1 and "EXPECTATION FAILED" in p.stdout.decode()


def test_simulate_cli_exit_1_on_unexpected_audit(tmp_path):
    sc = {"hardware": good(), "faults": ["skip_current_config_indication"],
          "steps": [{"op": "initialize"}, {"op": "set_offload_parameters", "parameters": {"IPsecV2": 3}}]}
    f = tmp_path / "s.json"
    f.write_text(json.dumps(sc))
    assert cli("simulate", str(f)).returncode == 1
    sc["expect_audit"] = ["R67", "R72"]
    f.write_text(json.dumps(sc))
    assert cli("simulate", str(f)).returncode == 0


@pytest.mark.parametrize("content,needle", [
    ("{not json", "invalid JSON"),
    (json.dumps({"steps": [{"op": "initialize"}]}), "hardware"),
    (json.dumps({"hardware": {}, "steps": [{"op": "fly"}]}), "unknown op"),
    (json.dumps({"hardware": {}, "steps": [{"op": "query"}]}), "needs oid"),
    (json.dumps({"hardware": {}, "steps": [{"op": "initialize", "colour": 1}]}), "does not take"),
    (json.dumps({"hardware": {"IPsecV2.Nope": 1}, "steps": [{"op": "initialize"}]}), "IPsecV2.Nope"),
    (json.dumps({"hardware": {}, "steps": [{"op": "delete_sa", "sas": ["ghost"]}]}), "ghost"),
    (b'{"hardware": "\xff"}', "not UTF-8"),
])
def test_simulate_cli_bad_scenarios_exit_2(tmp_path, content, needle):
    f = tmp_path / "bad.json"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    p = cli("simulate", str(f))
    assert p.returncode == 2, p.stdout.decode()
    err = p.stderr.decode()
    assert needle in err and "Traceback" not in err and str(f) in err


def test_load_scenario_names_the_step():
    with pytest.raises(InputError) as exc:
        load_scenario({"hardware": {}, "steps": [{"op": "initialize"}, {"op": "fly"}]})
    assert exc.value.index == 1


def test_simulate_cli_missing_file():
    p = cli("simulate", "no/such/file.json")
    assert p.returncode == 2 and "cannot read" in p.stderr.decode()


# --- validate ---------------------------------------------------------------------------------------------

def test_validate_cli_clean_binary(tmp_path):
    f = tmp_path / "ok.bin"
    f.write_bytes(off().encode())
    p = cli("validate", str(f))
    assert p.returncode == 0 and "No findings" in p.stdout.decode()


def test_validate_cli_hex_text_with_error(tmp_path):
    f = tmp_path / "bad.hex"
    f.write_text(off(**{"IPsecV2.Tunnel": False, "IPsecV2.TransportTunnelCombined": False}).encode().hex(" "))
    p = cli("validate", str(f))
    assert p.returncode == 1 and "R34" in p.stdout.decode()


def test_validate_cli_json_output(tmp_path):
    f = tmp_path / "cfg.json"
    f.write_text(json.dumps(good(**{"Header.Revision": 3, "IPsecV2.Tunnel": False,
                                    "IPsecV2.TransportTunnelCombined": False})))
    p = cli("validate", str(f), "--json")
    assert p.returncode == 1
    data = json.loads(p.stdout)
    assert isinstance(data, list) and data
    for item in data:
        assert {"rule", "severity", "members", "message"} <= set(item)
    assert any(i["rule"] == "R34" and i["severity"] == "error" for i in data)


def test_validate_cli_stdin_warning_only_exits_0():
    body = json.dumps({"structure": "NDIS_OFFLOAD_PARAMETERS", "values": {"Header.Revision": 3, "IPsecV2": 4,
                                                                          "IPsecV2IPv4": 4}})
    p = cli("validate", "-", "--json", stdin=body.encode())
    assert p.returncode == 0
    assert any(i["rule"] == "R62" for i in json.loads(p.stdout))


def test_validate_cli_hardware_current_pair(tmp_path):
    f = tmp_path / "pair.json"
    f.write_text(json.dumps({"hardware": good(**{"Header.Revision": 3, "IPsecV2.SaOffloadCapacity": 4}),
                             "current": good(**{"Header.Revision": 3})}))
    p = cli("validate", str(f), "--json")
    data = json.loads(p.stdout)
    assert any(i["rule"] == "R48" and i["members"][0].startswith("current: ") for i in data)


def test_validate_cli_keywords(tmp_path):
    f = tmp_path / "kw.json"
    f.write_text(json.dumps({"*IPsecOffloadV2": "3", "*IPsecOffloadV2IPv4": "1"}))
    p = cli("validate", str(f))
    assert p.returncode == 0 and "R53" in p.stdout.decode()


@pytest.mark.parametrize("content,needle", [
    (b"{oops", "invalid JSON"),
    (json.dumps({"IPsecV2.Bogus": 1}).encode(), "IPsecV2.Bogus"),
    (b"\x80\x01", "too short"),
    (b'{"IPsecV2.Esp": "\xff"}', "not UTF-8"),
])
def test_validate_cli_bad_input_exit_2(tmp_path, content, needle):
    f = tmp_path / "in"
    f.write_bytes(content)
    p = cli("validate", str(f))
    assert p.returncode == 2 and needle in p.stderr.decode() and "Traceback" not in p.stderr.decode()


def test_explain_rule_cli():
    p = cli("explain", "R35")
    text = p.stdout.decode()
    assert p.returncode == 0 and text.startswith("R35") and "INF" in text and "never errors" in text
    p = cli("explain", "R999")
    assert p.returncode == 2
