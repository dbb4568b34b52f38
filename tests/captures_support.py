"""Helpers for the capture-importer tests (tests/test_captures_*.py, tests/test_fleet.py)."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

from ipsecexplore.captures import cim, import_bytes, synth

REPO = Path(__file__).resolve().parent.parent
M = "IPsecV2."

# The 13 members PowerShell carries (capture-formats.md §2.2), with a value of each kind.
HW = {
    M + "IPv6Supported": True, M + "IPv4Options": False, M + "IPv6NonIPsecExtensionHeaders": True,
    M + "Ah": True, M + "Esp": True, M + "AhEspCombined": False, M + "Transport": True, M + "Tunnel": False,
    M + "LsoSupported": True, M + "UdpEsp": 0x5, M + "AuthenticationAlgorithms": 0x3E,
    M + "EncryptionAlgorithms": 0x1FE, M + "SaOffloadCapacity": 2048,
}
CUR = {**HW, M + "Ah": False, M + "AuthenticationAlgorithms": 0x8, M + "SaOffloadCapacity": 1000}


def ipsec_obj(name="SLOT 2 Port 1", host="HOST01", hw=None, cur=None, algorithms="int", **kw):
    """A Get-NetAdapterIPsecOffload object as pairs (see ipsecexplore.captures.synth)."""
    return synth.ipsec_object(name=name, description=kw.pop("description", f"Test Adapter {name}"), host=host,
                              instance_id=kw.pop("instance_id", "{00000000-0000-4000-8000-000000000001}"),
                              hardware=HW if hw is None else hw, current=CUR if cur is None else cur,
                              enabled=kw.pop("enabled", True), algorithms=algorithms, **kw)


def replace(obj, prop, value):
    """Copy of ``obj`` with one property's value replaced."""
    return [(k, value if k == prop else v) for k, v in obj]


def drop(obj, *props):
    return [(k, v) for k, v in obj if k not in props]


def load(data, name="capture.txt", **kw):
    """Import bytes (or text, written as UTF-8) as one file; checks the accounting invariant."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    r = import_bytes(data, name, **kw)
    assert r.loaded + len(r.rejected) == r.records_seen
    return r


def by_view(result):
    """``{(host, adapter, view): record}`` of an import."""
    return {(r.host, r.adapter, r.view): r for r in result.records}


def expected_values(values: dict) -> dict:
    """What a PowerShell capture can show of ``values``: only the members that have a CIM property."""
    mapped = {path for _, path in cim.PROPERTIES.values()}
    return {k: v for k, v in values.items() if k in mapped}


@cache
def make_sample():
    """data/make_sample.py as a module (its fleet is the ground truth for the sample captures)."""
    path = REPO / "data" / "make_sample.py"
    spec = importlib.util.spec_from_file_location("ipsecexplore_make_sample", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod
