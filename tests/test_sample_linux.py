"""data/sample/linux: importing it gives back the generator's Linux hosts (data/make_sample_linux.py), value by
value, with every row's provenance; and the Linux captures of data/bad are each rejected."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from captures_support import REPO

from ipsecexplore.captures import import_paths

DATA = REPO / "data"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("ipsecexplore_make_sample_linux", DATA / "make_sample_linux.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def linux():
    return import_paths([DATA / "sample" / "linux"], progress=False)


def test_nothing_rejected_and_every_interface_in_both_views(linux, gen):
    assert not linux.rejected
    want = {(h, i, v) for h, _, _, _, ifs, _ in gen.LINUX_HOSTS for i, *_ in ifs for v in ("hardware", "current")}
    assert {(r.host, r.adapter, r.view) for r in linux.records} == want


def test_values_are_the_generators(linux, gen):
    got = {(r.host, r.adapter, r.view): r.values for r in linux.records}
    for host, _, _, drv, ifs, states in gen.LINUX_HOSTS:
        for iface, esp, fw in ifs:
            counts = {}
            if states:
                counts = {f"xfrm.states.{d}.{m}": 0 for d in ("in", "out") for m in ("crypto", "packet", "unknown")}
                for dev, d, m in states:
                    if dev == iface:
                        counts[f"xfrm.states.{d}.{m or 'unknown'}"] += 1
            for view in ("hardware", "current"):
                v = got[(host, iface, view)]
                assert v["driver"] == drv and v["firmware"] == fw
                for name, (state, fixed) in esp.items():
                    on = state == "on"
                    assert v[f"ethtool.{name}"] == (on if view == "current" else on or not fixed), (host, iface)
                    assert v[f"ethtool.{name}.fixed"] == fixed
                xf = {k: x for k, x in v.items() if k.startswith("xfrm.")}
                assert xf == (counts if view == "current" else {}), (host, iface, view)


def test_hosts_come_from_where_the_spec_says(linux):
    how = {r.host: r.host_from for r in linux.records}
    assert how == {"LNX01": "file name", "LNX02": "prompt", "LNX03": "hostname command",
                   "LNX04": "sosreport hostname", "LNX05": "sosreport hostname"}


def test_every_linux_row_has_provenance(linux):
    for r in linux.records:
        assert r.provenance.startswith("sourced: driver "), (r.source, r.provenance)
        assert "illustrative:" in r.provenance


def test_sos_archive_rows_point_into_the_archive(linux):
    srcs = {r.source_file for r in linux.records if r.host == "LNX05"}
    assert all(".tar.xz/sosreport-LNX05-" in s and "/sos_commands/networking/ethtool_-k_" in s for s in srcs)
