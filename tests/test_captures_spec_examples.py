"""The examples printed in capture-formats.md, read verbatim from the spec, import as the spec describes."""

from __future__ import annotations

import re

import pytest
from captures_support import by_view, load
from helpers import spec_path

from ipsecexplore.captures import import_paths

SPEC = spec_path("capture-formats.md")
M = "IPsecV2."



def example(section: str) -> str:
    """The first fenced code block of a section (``### 2.4`` …) of capture-formats.md."""
    text = SPEC.read_text(encoding="utf-8")
    start = text.index(f"### {section} ")
    end = text.find("\n### ", start + 4)
    m = re.search(r"```[a-z]*\n(.*?)```", text[start:end], re.S)
    return m.group(1)


def windows(text: str) -> bytes:
    """As Windows PowerShell writes it: UTF-16LE with BOM and CRLF."""
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def test_format_list_example_of_2_4():
    r = load(windows(example("2.4")), "capture.txt")
    assert not r.rejected and r.loaded == 1
    got = by_view(r)
    hw = got[("HOST01", "SLOT 2 Port 1", "hardware")]
    cur = got[("HOST01", "SLOT 2 Port 1", "current")]
    assert hw.description == "Intel(R) Ethernet Controller X550"
    assert hw.host_from == "SystemName" and hw.enabled is False
    assert hw.instance_id == "{6B1C2E4A-0000-4000-8000-00000000A001}"
    assert hw.values == {
        M + "IPv6Supported": True, M + "IPv4Options": False, M + "IPv6NonIPsecExtensionHeaders": False,
        M + "Ah": True, M + "Esp": True, M + "AhEspCombined": False, M + "Transport": True, M + "Tunnel": False,
        M + "LsoSupported": False, M + "UdpEsp": 0, M + "AuthenticationAlgorithms": 8,
        M + "EncryptionAlgorithms": 8, M + "SaOffloadCapacity": 1024}
    assert set(cur.values) == set(hw.values)
    assert not any(cur.values.values())  # the all-False/0 current column of the example


def test_format_list_example_with_the_brace_list_of_2_4():
    text = example("2.4").replace("AuthenticationAlgorithmsSupported      : 8",
                                  "AuthenticationAlgorithmsSupported      : {AESGCM128}")
    assert "{AESGCM128}" in text
    (hw,) = [x for x in load(text).records if x.view == "hardware"]
    assert hw.values[M + "AuthenticationAlgorithms"] == 8  # "Accept ... {AESGCM128} as an equivalent of 8"


def test_json_example_of_2_5():
    r = load(example("2.5"), "capture.json")
    assert not r.rejected
    got = by_view(r)
    for view in ("hardware", "current"):
        rec = got[("HOST02", "Ethernet 3", view)]
        assert rec.values[M + "UdpEsp"] == 15 and rec.values[M + "AuthenticationAlgorithms"] == 63
        assert rec.values[M + "EncryptionAlgorithms"] == 511 and rec.values[M + "SaOffloadCapacity"] == 2048
        assert all(rec.values[M + m] is True for m in ("Ah", "Esp", "Tunnel", "LsoSupported"))
        assert rec.description == "Example LiquidIO Adapter"


@pytest.mark.parametrize("type_line", [False, True])
def test_csv_example_of_2_6(type_line):
    text = example("2.6")
    if type_line:
        text = "#TYPE Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/" \
               "MSFT_NetAdapterIPsecOffloadV2SettingData\n" + text
    r = load(text.replace("\n", "\r\n"), "capture.csv")
    assert not r.rejected
    hw = by_view(r)[("HOST01", "SLOT 2 Port 1", "hardware")]
    assert hw.values[M + "SaOffloadCapacity"] == 1024 and hw.values[M + "Tunnel"] is False
    assert hw.line == (3 if type_line else 2)


def test_advanced_property_table_of_3_2(tmp_path):
    (tmp_path / "HOST01.advprop.txt").write_bytes(windows(example("3.2")))
    (tmp_path / "HOST01.txt").write_bytes(windows(example("2.4")))
    r = import_paths([tmp_path], progress=False)
    assert not r.rejected and not r.unmatched_keywords
    assert {x.keywords["*IPsecOffloadV2"] for x in r.records} == {0}
