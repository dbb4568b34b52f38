"""Step values that ``simulate`` used to misread: a Header.Revision the simulator could not pack (a crash) or
replaced (0 read as "not given"), a bad ``Keys`` reported without file or step, and a ``hardware_change``
that changes nothing. Each is one InputError line naming the scenario file, the step and the key (exit 2)."""

from __future__ import annotations

import pytest
from helpers import simulate_fails_in_one_line
from test_rules import esp_sa, good

from ipsecexplore.errors import InputError
from ipsecexplore.flow import Simulation, run_scenario
from ipsecexplore.layouts import layout
from ipsecexplore.model import encode_struct

PARAMETERS = "NDIS_OFFLOAD_PARAMETERS"
KNOWN = [r.revision for r in layout(PARAMETERS).revisions]
# revisions constants.md does not define: 0 and past the newest one
UNKNOWN = [0, KNOWN[-1] + 1, KNOWN[-1] + 3]




def scenario(*steps, hardware=None) -> dict:
    return {"hardware": good() if hardware is None else hardware, "steps": [{"op": "initialize"}, *steps]}


def one_line_exit_2(tmp_path, doc, *needles) -> str:
    return simulate_fails_in_one_line(tmp_path / "c.json", doc, *needles)


# --- 1. Header.Revision of set_offload_parameters ---------------------------------------------------------

@pytest.mark.parametrize("rev", UNKNOWN)
def test_unknown_parameters_revision_is_an_input_error(tmp_path, rev):
    doc = scenario({"op": "set_offload_parameters", "parameters": {"Header.Revision": rev}}, hardware={})
    one_line_exit_2(tmp_path, doc, "record 1", "Header.Revision", str(rev))


def test_revision_zero_is_not_replaced_by_the_ndis_revision():
    doc = scenario({"op": "set_offload_parameters", "parameters": {"Header.Revision": 0, "IPsecV2": 3}})
    with pytest.raises(InputError) as exc:
        run_scenario(doc)
    assert (exc.value.index, exc.value.path) == (1, "Header.Revision")


def test_a_known_revision_given_as_member_value_is_sent_as_written():
    sim = Simulation(good())
    sim.initialize()
    ev = sim.set_offload_parameters({"Header.Revision": KNOWN[1]})
    assert ev.request[1] == KNOWN[1]
    assert int.from_bytes(ev.request[2:4], "little") == layout(PARAMETERS).revision_size(KNOWN[1])


def test_revision_zero_as_hex_reaches_ndis_which_refuses_it():
    # the way the README offers to send a malformed header: NDIS answers it (R59), nothing is rewritten
    lay = layout(PARAMETERS)
    data = bytearray(encode_struct(PARAMETERS, {}, revision=KNOWN[1]))
    data[lay.field("Header.Revision").offset] = 0
    sim = Simulation(good())
    sim.initialize()
    ev = sim.set_offload_parameters(bytes(data))
    assert ev.request[1] == 0
    assert not ev.ok and ev.status == "NDIS_STATUS_INVALID_PARAMETER"
    assert "R59" in ev.findings.rule_ids


# --- 2. a bad Keys names the file and the step -------------------------------------------------------------

@pytest.mark.parametrize("keys", ["zz", "00 11\n22 zz"])
def test_bad_keys_names_file_step_and_member(tmp_path, keys):
    doc = scenario({"op": "offload_sa", "sa": esp_sa(Keys=keys)})
    err = one_line_exit_2(tmp_path, doc, "record 1", "Keys")
    assert "Keys:1:" not in err, err


def test_bad_keys_from_python_names_the_member():
    with pytest.raises(InputError) as exc:
        run_scenario(scenario({"op": "offload_sa", "sa": esp_sa(Keys="zz")}))
    assert (exc.value.index, exc.value.path, exc.value.source) == (1, "Keys", "<scenario>")


# --- 3. hardware_change needs changes or hardware -----------------------------------------------------------

def test_hardware_change_without_changes_or_hardware_is_refused(tmp_path):
    one_line_exit_2(tmp_path, scenario({"op": "hardware_change"}), "record 1", "changes", "hardware")


def test_hardware_change_api_needs_one_of_them():
    sim = Simulation(good())
    sim.initialize()
    with pytest.raises(InputError):
        sim.hardware_change()


def test_hardware_change_changes_take_no_header(tmp_path):
    # the present object's revision used to win silently over a Header.Revision given in changes
    doc = scenario({"op": "hardware_change", "changes": {"Header.Revision": 1}})
    one_line_exit_2(tmp_path, doc, "record 1", "Header.Revision")


def test_hardware_change_with_changes_still_runs():
    result = run_scenario(scenario({"op": "hardware_change", "changes": {"IPsecV2.Ah": False}}))
    assert result.steps[1].event.status == "NDIS_STATUS_SUCCESS"
