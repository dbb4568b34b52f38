"""N-way diff: the members that differ, their byte offsets (from the layout), unknown kept apart from
FALSE, the rule findings that differ, escaped HTML, and the ``ipsecexplore diff`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ipsecexplore import diff as dm
from ipsecexplore.captures import synth
from ipsecexplore.captures.record import AdapterRecord
from ipsecexplore.columns import flag_columns
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import fleet_frame
from ipsecexplore.layouts import layout
from ipsecexplore.model import NdisOffload, encode
from ipsecexplore.questions import view_findings
from ipsecexplore.rules import validate

REPO = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
ENC = "IPsecV2.EncryptionAlgorithms"


def _bit(member, short):
    return next(f.bit for f in flag_columns(member) if f.column.endswith("." + short))


def _offload(**values) -> NdisOffload:
    off = NdisOffload.new(revision=2)
    for path, v in values.items():
        off._set(path.replace("__", "."), v)
    return off


def _lay():
    return layout("NDIS_OFFLOAD")


# --------------------------------------------------------------------------------------------- members
def test_two_offloads_differ_in_exactly_the_members_set_with_layout_offsets():
    gcm = _bit(ENC, "AES_GCM_128")
    a = _offload(IPsecV2__Esp=True, IPsecV2__EncryptionAlgorithms=gcm, IPsecV2__Transport=True)
    b = _offload(IPsecV2__Transport=True)
    d = dm.diff(a, b, labels=["A", "B"])
    assert [r.path for r in d.rows] == ["IPsecV2.Esp", "IPsecV2.EncryptionAlgorithms"]
    for r in d.rows:
        assert r.offset == _lay().field(r.path).offset
    assert d.rows[0].values == (True, False)
    assert d.rows[1].values == (gcm, 0)
    assert "AES_GCM_128" in d.rows[1].texts[0]
    assert d.labels == ["A", "B"] and bool(d)
    # the two objects report the same members: every one of them was compared
    assert d.compared == len(a.to_dict())


def test_identical_inputs_have_no_difference():
    a = _offload(IPsecV2__Ah=True)
    d = dm.diff(a, _offload(IPsecV2__Ah=True))
    assert not d and d.rows == [] and d.findings == []
    assert "No member differs" in str(d)


def test_bitfield_member_has_its_word_offset_and_bits():
    lay = _lay()
    m = next(m for m in lay.leaves if m.kind == "bitfield" and m.path.startswith("Checksum."))
    d = dm.diff(_offload(**{m.path.replace(".", "__"): 1}), _offload())
    (row,) = d.rows
    assert (row.path, row.offset, row.bits) == (m.path, m.offset, f"{m.bit_offset}..{m.bit_offset + m.bit_width - 1}")
    assert f"0x{m.offset:04X} bits" in row.where


def test_n_way_with_a_member_beyond_one_revision_is_unknown_there():
    # revision 1 has no IPsecV2 block: its members are not reported (unknown), not zero
    r1 = NdisOffload.new(revision=1)
    a, b = _offload(IPsecV2__Esp=True), _offload()
    d = dm.diff(a, b, r1, labels=["a", "b", "r1"], members=["IPsecV2."])
    esp = next(r for r in d.rows if r.path == "IPsecV2.Esp")
    assert esp.values == (True, False, None)
    assert esp.texts[2] == dm.UNKNOWN
    # a member equal in a and b but unknown in r1 still differs (unknown is not a value)
    assert any(r.path == "IPsecV2.Ah" and r.values == (False, False, None) for r in d.rows)


# ------------------------------------------------------------------------------------------ fleet rows
def _frame():
    hw = {"IPsecV2.Esp": True, "IPsecV2.Ah": True, "IPsecV2.Transport": True, "IPsecV2.Tunnel": True,
          ENC: _bit(ENC, "AES_GCM_128"), "IPsecV2.AuthenticationAlgorithms": 8, "IPsecV2.SaOffloadCapacity": 512,
          "IPsecV2.UdpEsp": 0}
    cur = dict(hw, **{"IPsecV2.Esp": False, "IPsecV2.Ah": False})
    recs = [AdapterRecord("H1", "eth0", "d", "hardware", "a.txt", 1, hw, {"*IPsecOffloadV2": 1}),
            AdapterRecord("H1", "eth0", "d", "current", "a.txt", 1, cur, {"*IPsecOffloadV2": 1}),
            AdapterRecord("H2", HOSTILE, "d", "hardware", "b.txt", 1, dict(hw, **{"IPsecV2.Tunnel": False}), {})]
    return fleet_frame(recs)


def test_fleet_rows_compare_captured_members_and_keep_unknown_apart():
    f = _frame()
    rows = [r for _, r in f.iterrows()]
    d = dm.diff(*rows)
    paths = [r.path for r in d.rows]
    assert "IPsecV2.Esp" in paths and "IPsecV2.Tunnel" in paths
    # flag columns are derived from the mask members: not compared twice
    assert not any(p.startswith(ENC + ".") for p in paths)
    # only members a fleet row carries are compared (no checksum or LSO members)
    assert all(p.startswith(("IPsecV2.", "keyword.", "Enabled")) for p in paths)
    kw = next(r for r in d.rows if r.path == "keyword.*IPsecOffloadV2")
    assert kw.values == (1, 1, None) and kw.offset is None
    # Encapsulation is <NA> in all three: unknown everywhere is not a difference
    assert f["IPsecV2.Encapsulation"].isna().all() and "IPsecV2.Encapsulation" not in paths
    assert d.labels[2] == f"H2 / {HOSTILE} (hardware)"


def test_a_dataframe_gives_one_item_per_row():
    d = dm.diff(_frame())
    assert len(d.items) == 3


def test_findings_that_differ_are_those_not_in_every_input():
    a = _offload(IPsecV2__Esp=True, IPsecV2__Transport=True, IPsecV2__EncryptionAlgorithms=8,
                 IPsecV2__Encapsulation=2, IPsecV2__SaOffloadCapacity=4)
    b = _offload(IPsecV2__Esp=True, IPsecV2__Transport=True, IPsecV2__Tunnel=True, IPsecV2__EncryptionAlgorithms=8,
                 IPsecV2__Encapsulation=2, IPsecV2__SaOffloadCapacity=4)
    fa, fb = validate(a), validate(b)
    key = lambda f: (f.rule, tuple(f.members))  # noqa: E731
    expected = {key(f) for f in fa} ^ {key(f) for f in fb}
    assert expected, "the fixture must produce a finding in one object only"
    d = dm.diff(a, b)
    assert {(f.rule, f.members) for f in d.findings} == expected
    keys_a, keys_b = {key(x) for x in fa}, {key(x) for x in fb}
    for f in d.findings:
        assert (f.messages[0] is not None) == ((f.rule, f.members) in keys_a)
        assert (f.messages[1] is not None) == ((f.rule, f.members) in keys_b)


def test_row_findings_skip_rules_that_need_members_the_capture_lacks():
    # TransportTunnelCombined is unknown in a PowerShell capture; a rule about it must not read it as FALSE
    udp = sum(x.bit for x in flag_columns("IPsecV2.UdpEsp"))
    vals = {"IPsecV2.Esp": True, "IPsecV2.Transport": True, "IPsecV2.Tunnel": True, "IPsecV2.UdpEsp": udp,
            ENC: 8, "IPsecV2.SaOffloadCapacity": 4, "IPsecV2.TransportTunnelCombined": None}
    found, _ = view_findings(vals)
    assert not any("IPsecV2.TransportTunnelCombined" in f.members for f in found)
    with_member, _ = view_findings(dict(vals, **{"IPsecV2.TransportTunnelCombined": False}))
    lacking = [f for f in with_member if "IPsecV2.TransportTunnelCombined" in f.members]
    assert lacking, "the rule book checks TransportTunnelCombined against UdpEsp (R45)"
    # with the member unknown, the same rule is listed as not checked, with the reason
    assert any(r == lacking[0].rule and "TransportTunnelCombined" in why for r, why in found.skipped)


def test_pair_rules_run_with_the_hardware_view():
    hw = {"IPsecV2.Esp": True, "IPsecV2.Ah": True, "IPsecV2.SaOffloadCapacity": 4}
    cur = {"IPsecV2.Esp": True, "IPsecV2.Ah": False, "IPsecV2.SaOffloadCapacity": 8}
    found, _ = view_findings(cur, hardware=hw)
    rules = {f.rule for f in found}
    assert {"R48", "R57"} <= rules  # capacity above hardware; AH supported but off


# ------------------------------------------------------------------------------------------- HTML, errors
def test_repr_html_escapes_labels_values_and_highlights_changes():
    f = _frame()
    html = dm.diff(*[r for _, r in f.iterrows()])._repr_html_()
    assert HOSTILE not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'class="chg"' in html and 'class="unk"' in html


def test_builder_state_dict_and_bad_inputs():
    d = dm.diff({"IPsecV2.Esp": True}, _offload(), members=["IPsecV2.Esp"])
    assert [r.values for r in d.rows] == [(True, False)]
    with pytest.raises(InputError, match="at least two"):
        dm.diff(_offload())
    with pytest.raises(InputError, match="NoSuchMember"):
        dm.diff({"IPsecV2.NoSuchMember": 1}, _offload())
    with pytest.raises(InputError):
        dm.diff(object(), _offload())


# ------------------------------------------------------------------------------------------------ CLI
def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ipsecexplore", "diff", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or REPO, timeout=120)


@pytest.fixture()
def captures(tmp_path):
    a = _offload(IPsecV2__Esp=True, IPsecV2__Transport=True, IPsecV2__EncryptionAlgorithms=8)
    b = _offload(IPsecV2__Transport=True)
    (tmp_path / "a.bin").write_bytes(encode(a))
    (tmp_path / "b.hex").write_text(encode(b).hex(" "))
    hw = {"IPsecV2.Esp": True, "IPsecV2.Ah": True, "IPsecV2.Transport": True, ENC: 8,
          "IPsecV2.AuthenticationAlgorithms": 8, "IPsecV2.SaOffloadCapacity": 256}
    objs = [synth.ipsec_object(name=n, description="NIC", host="HOSTX", instance_id="{1}", hardware=hw,
                               current=dict(hw, **{"IPsecV2.SaOffloadCapacity": cap}), enabled=True)
            for n, cap in (("eth0", 256), (HOSTILE, 128))]
    (tmp_path / "fl.txt").write_text(synth.format_list(objs), encoding="utf-8")
    return tmp_path


def test_cli_diff_of_raw_structures(captures):
    p = _run(captures / "a.bin", captures / "b.hex")
    assert p.returncode == 1, p.stderr
    esp = _lay().field("IPsecV2.Esp").offset
    line = next(ln for ln in p.stdout.splitlines() if ln.startswith("IPsecV2.Esp "))
    assert f"0x{esp:04X}" in line and "TRUE" in line and "FALSE" in line
    same = _run(captures / "a.bin", captures / "a.bin")
    assert same.returncode == 0 and "No member differs" in same.stdout


def test_cli_diff_of_one_adapter_of_a_capture_against_another(captures):
    p = _run(f"{captures / 'fl.txt'}#eth0", f"{captures / 'fl.txt'}#{HOSTILE}", "--view", "current", "--json")
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert [m["member"] for m in out["members"]] == ["IPsecV2.SaOffloadCapacity"]
    assert out["members"][0]["values"] == [256, 128]
    assert HOSTILE in out["items"][1]["label"]


def test_cli_diff_bad_input_is_one_line_exit_2(captures):
    for args in ([captures / "a.bin", captures / "missing.bin"], [f"{captures / 'fl.txt'}#nope", captures / "a.bin"],
                 [captures / "a.bin"]):
        p = _run(*args)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    p = _run(f"{captures / 'fl.txt'}#nope", captures / "a.bin")
    assert "eth0" in p.stderr  # names the adapters there are
