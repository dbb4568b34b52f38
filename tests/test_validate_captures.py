"""``ipsecexplore validate PATH…`` on captures (issue 12 item 6): files, folders and zips as for ``import``; the
findings of every adapter and view; ``--json`` with host/adapter/view/rule/severity/message; exit status as
for one structure. A structure input still goes to the structure validator."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import netview_corpus as nc
import pytest
from captures_support import HW, REPO, M, ipsec_obj

from ipsecexplore.captures import synth
from ipsecexplore.validate_captures import is_structure_input

# ipsecov2-rules.md R34 (error): (Ah or Esp) => Tunnel. The corpus hardware view offers Ah and Esp without
# Tunnel, so every adapter's hardware view carries it (and a current view that keeps them on).
assert HW[M + "Ah"] and HW[M + "Esp"] and not HW[M + "Tunnel"]


def r34_views(gen) -> set:
    """(host, adapter, view) of the corpus rows that break R34, from the generator's expected values."""
    return {k for k, (v, _) in nc.expected(gen).items()
            if (v.get(M + "Ah") or v.get(M + "Esp")) and not v.get(M + "Tunnel")}


def validate(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "ipsecexplore", "validate", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    gen = next(g for g in nc.GENERATIONS if g.name == "2020-06")
    return gen, nc.write_zip(gen, tmp_path_factory.mktemp("b"))


def test_json_has_one_object_per_finding_for_every_adapter_and_view(bundle):
    gen, z = bundle
    p = validate(z, "--json")
    assert p.returncode == 1, p.stderr  # R34 is an error
    rows = json.loads(p.stdout)
    assert rows and all({"host", "adapter", "view", "rule", "severity", "message"} <= set(r) for r in rows)
    r34 = {(r["host"], r["adapter"], r["view"]) for r in rows if r["rule"] == "R34" and r["severity"] == "error"}
    assert r34 == r34_views(gen) and {k for k in nc.expected(gen) if k[2] == "hardware"} <= r34
    assert {r["view"] for r in rows} >= {"hardware", "current"}
    assert {r["severity"] for r in rows} <= {"error", "warning", "info", "skipped"}


def test_text_names_each_adapter_view_and_file_line(bundle):
    gen, z = bundle
    p = validate(z)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    lines = [ln for ln in p.stdout.splitlines() if " R34 " in ln]
    assert len(lines) == len(r34_views(gen))
    assert all(f"{gen.host} / " in ln and ".txt:" in ln for ln in lines)
    assert "error(s)" in p.stdout.splitlines()[-1]


def test_a_clean_capture_exits_0(tmp_path):
    clean = {**HW, M + "Tunnel": True}
    f = tmp_path / "HOSTC.txt"
    f.write_text(synth.format_list([ipsec_obj("E1", hw=clean, cur=clean)]))
    p = validate(f, "--json")
    assert p.returncode == 0, p.stdout + p.stderr
    assert not [r for r in json.loads(p.stdout) if r["severity"] == "error"]


def test_a_rejected_record_is_listed_and_fails(tmp_path):
    clean = {**HW, M + "Tunnel": True}
    (tmp_path / "good.txt").write_text(synth.format_list([ipsec_obj("E1", hw=clean, cur=clean)]))
    (tmp_path / "cut.json").write_text('[{"Caption": "MSFT_NetAdapterIPsecOffloadV2SettingData \'X\'", "Na')
    p = validate(tmp_path)
    assert p.returncode == 1 and "cut.json:" in p.stderr


def test_no_adapter_at_all_is_exit_2(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here\n")
    p = validate(tmp_path)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1


def test_structure_inputs_still_go_to_the_structure_validator(tmp_path):
    j = tmp_path / "v.json"
    j.write_text(json.dumps({"IPsecV2.Esp": True}))
    assert is_structure_input(str(j)) and is_structure_input("-") and is_structure_input(None)
    b = tmp_path / "x.bin"
    b.write_bytes(bytes([0xA7, 2, 0x90, 0]) + bytes(140))
    assert is_structure_input(str(b))
    cap = tmp_path / "c.json"
    cap.write_text(synth.to_json([ipsec_obj("E1")]))
    fl = tmp_path / "c.txt"
    fl.write_text(synth.format_list([ipsec_obj("E1")]))
    assert not is_structure_input(str(cap)) and not is_structure_input(str(fl))
    assert not is_structure_input(str(tmp_path))
