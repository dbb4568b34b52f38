"""N-way diff: inputs whose findings could not be checked, remarks of the capture importer, ``FILE#adapter``
with a '#' in the adapter name.

A finding is only "not in" an input that was checked for it: an input without any IPsecV2 member (revision-1
record, NDIS_WMI_OFFLOAD block), an input whose rule was skipped, or one that does not carry the finding's
members (a fleet row has no ``Header.Size``) is "not checked", never "not in".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ipsecexplore import diff as dm
from ipsecexplore.captures import synth
from ipsecexplore.captures.record import AdapterRecord
from ipsecexplore.fleet import fleet_frame
from ipsecexplore.model import NdisOffload, encode

REPO = Path(__file__).resolve().parents[1]


def _offload(**values) -> NdisOffload:
    off = NdisOffload.new(revision=2)
    for path, v in values.items():
        off._set(path.replace("__", "."), v)
    return off


def _run(*args):
    return subprocess.run([sys.executable, "-m", "ipsecexplore", "diff", *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, timeout=120)


def _row(values, name="a", view="hardware"):
    return fleet_frame([AdapterRecord("H", name, None, view, "x.bin", None, values, offset=0)]).iloc[0]


def _r34_pair():
    """A structure with the R34 error (AH/ESP without Tunnel) and one without it."""
    bad = _offload(IPsecV2__Esp=True, IPsecV2__Transport=True)
    good = _offload(IPsecV2__Esp=True, IPsecV2__Transport=True, IPsecV2__Tunnel=True)
    assert any(f.rule == "R34" for f in dm.as_items([bad])[0].findings)
    assert not any(f.rule == "R34" for f in dm.as_items([good])[0].findings)
    return bad, good


def test_an_input_without_ipsecv2_is_not_checked_rather_than_without_the_finding():
    bad, good = _r34_pair()
    missing = _row({"Header.Revision": 1})  # revision-1 record: only the header
    d = dm.diff(missing, good, bad)
    (f,) = [x for x in d.findings if x.rule == "R34"]
    assert f.messages[0] is None and f.messages[1] is None and f.messages[2] is not None
    assert f.checked == (False, True, True)
    line = next(ln for ln in d.to_text().splitlines() if " R34 " in ln)
    assert "in [3], not in [2], not checked in [1]" in line
    assert "not checked" in d._repr_html_()


def test_a_finding_on_a_member_an_input_does_not_carry_is_not_checked_there():
    # a fleet row carries no Header.Size: the R10 warning of a larger Header.Size cannot be "not in" it
    big = bytearray(encode(_offload(IPsecV2__Esp=True, IPsecV2__Transport=True, IPsecV2__Tunnel=True)))
    big[2] += 4
    big += b"\0" * 4
    from ipsecexplore.model import decode

    larger = decode(bytes(big))
    row = _row({"IPsecV2.Esp": True, "IPsecV2.Transport": True, "IPsecV2.Tunnel": True, "Header.Revision": 2})
    d = dm.diff(row, larger)
    r10 = [x for x in d.findings if "Header.Size" in x.members]
    assert r10, [(x.rule, x.members) for x in d.findings]
    for f in r10:
        assert f.checked[0] is False and f.messages[1] is not None
        line = next(ln for ln in d.to_text().splitlines() if f" {f.rule} " in ln)
        assert "not checked in [1]" in line and "not in [1]" not in line.replace("not checked in [1]", "")
    assert all(set(f.checked) == {True, False} or len(set(f.checked)) == 1 for f in d.findings)
    assert "checked" in d.to_dict()["findings"][0]


def test_cli_diff_prints_the_importer_remarks_on_loaded_records():
    p = _run(REPO / "data/bad/raw-wmi-block.bin", REPO / "data/sample/raw/HOST11.SLOT-2-Port-1.hw.bin")
    assert p.returncode == 1, p.stderr
    assert "NDIS_WMI_OFFLOAD" in p.stderr and "raw-wmi-block.bin" in p.stderr, p.stderr


@pytest.fixture()
def hashed(tmp_path):
    hw = {"IPsecV2.Esp": True, "IPsecV2.Transport": True, "IPsecV2.SaOffloadCapacity": 256}
    objs = [synth.ipsec_object(name=n, description="NIC", host="HOSTX", instance_id="{1}", hardware=hw,
                               current=dict(hw, **{"IPsecV2.SaOffloadCapacity": cap}), enabled=True)
            for n, cap in (("Ethernet #2", 64), ("Ethernet", 128))]
    (tmp_path / "fl.txt").write_text(synth.format_list(objs), encoding="utf-8")
    return tmp_path / "fl.txt"


def test_cli_diff_file_hash_adapter_whose_name_holds_a_hash(hashed):
    p = _run(f"{hashed}#Ethernet #2", f"{hashed}#Ethernet", "--view", "current")
    assert p.returncode == 1, p.stderr
    assert "Ethernet #2" in p.stdout and "0x40 (64)" in p.stdout and "0x80 (128)" in p.stdout


def test_terminal_table_shows_control_characters_of_capture_strings_escaped():
    name = "eth\x1b[2J\x1b]0;pwned\x07"
    row = _row({"IPsecV2.Esp": True}, name=name)
    other = _row({"IPsecV2.Esp": False}, name="b")
    text = dm.diff(row, other).to_text()
    assert "\x1b" not in text and "\x07" not in text
    assert "eth\\x1b[2J" in text


def test_file_hash_adapter_prefers_the_longest_existing_file(tmp_path, hashed):
    """A folder 'cap' beside a file 'cap#2.txt': 'cap#2.txt#Ethernet #2' is that file and that adapter."""
    (tmp_path / "cap").mkdir()
    target = tmp_path / "cap#2.txt"
    target.write_bytes(hashed.read_bytes())
    assert dm._split_spec(f"{target}#Ethernet #2") == (str(target), "Ethernet #2")
    assert dm._split_spec(f"{tmp_path / 'cap'}#x") == (str(tmp_path / "cap"), "x")


def test_a_file_named_twice_reports_each_remark_once(tmp_path):
    rec = encode({"IPsecV2.Esp": True}, revision=2)
    big = rec[:2] + (148).to_bytes(2, "little") + rec[4:] + bytes(4)
    f = tmp_path / "mixed.bin"
    f.write_bytes(big + rec)
    p = _run(f"{f}#mixed#0", f"{f}#mixed#1")
    assert p.stderr.count("larger than NDIS_SIZEOF") == 1, p.stderr
