"""The HTML report: self-contained, mentions every adapter and every rejected file, escapes capture strings.

Captures are written with the PowerShell writers of :mod:`ipsecexplore.captures.synth` into a temporary
folder, next to a malformed file; expectations come from the fleet loaded from the same folder.
"""

from __future__ import annotations

import base64
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ipsecexplore import charts
from ipsecexplore.captures import synth
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import load_fleet
from ipsecexplore.report import adapter_findings, build_report

REPO = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_HOST = "HOST<script>alert(2)</script>"


def _hw(**kw):
    base = {"IPsecV2.IPv6Supported": True, "IPsecV2.IPv4Options": False, "IPsecV2.IPv6NonIPsecExtensionHeaders": False,
            "IPsecV2.Ah": True, "IPsecV2.Esp": True, "IPsecV2.AhEspCombined": False, "IPsecV2.Transport": True,
            "IPsecV2.Tunnel": False, "IPsecV2.LsoSupported": False, "IPsecV2.UdpEsp": 0,
            "IPsecV2.AuthenticationAlgorithms": 8, "IPsecV2.EncryptionAlgorithms": 8,
            "IPsecV2.SaOffloadCapacity": 1024}
    base.update(kw)
    return base


def _off(hw):
    return {k: (False if isinstance(v, bool) else 0) for k, v in hw.items()}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("caps")
    hw = _hw()
    full = _hw(Tunnel=True, UdpEsp=3, EncryptionAlgorithms=0x28, SaOffloadCapacity=2048)
    objs = [
        synth.ipsec_object(name="SLOT 2 Port 1", description="Intel(R) Ethernet Controller X550", host="HOST01",
                           instance_id="{A}", hardware=hw, current=_off(hw), enabled=False),
        synth.ipsec_object(name=HOSTILE, description=f"desc {HOSTILE}", host=HOSTILE_HOST, instance_id="{B}",
                           hardware=full, current=full, enabled=True),
        synth.ipsec_object(name="Ethernet 3", description="LiquidIO & co", host="HOST02", instance_id="{C}",
                           hardware=full, current=full, enabled=True),
    ]
    (d / "fleet.txt").write_text(synth.format_list(objs), encoding="utf-8")
    (d / "broken <b>.json").write_text('[{"Name": "x", "EspSupported": tru', encoding="utf-8")
    (d / "notes.bin").write_bytes(b"\x00\x01\x02")
    return d


@pytest.fixture(scope="module")
def fleet(folder):
    return load_fleet([folder], progress=False)


@pytest.fixture(scope="module")
def report(folder, fleet) -> str:
    return build_report([folder], fleet=fleet)


def _text(report_html: str) -> str:
    """What a reader sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", report_html))


def test_fixture_has_adapters_and_rejected_records(fleet):
    assert fleet.adapters == 3
    assert len(fleet.rejected) + len(fleet.skipped) >= 2


def test_report_mentions_every_adapter_and_host(report, fleet):
    seen = _text(report)
    for host, name in fleet.frame[["host", "adapter"]].drop_duplicates().itertuples(index=False):
        assert f"{host} / {name}" in seen, name  # its findings heading
        assert name in seen and host in seen


def test_report_lists_every_rejected_and_skipped_file_with_its_reason(report, fleet):
    seen = _text(report)
    for r in fleet.rejected.itertuples():
        assert r.file in seen and r.reason in seen
    for r in fleet.skipped.itertuples():
        assert r.file in seen and r.reason in seen
    assert "broken <b>.json" in seen


def test_capture_strings_are_escaped(report):
    assert HOSTILE not in report and HOSTILE_HOST not in report
    assert "<script" not in report.lower() and "<b>.json" not in report
    assert html.escape(HOSTILE) in report
    assert html.escape(HOSTILE_HOST) in report
    assert "LiquidIO &amp; co" in report


def test_report_is_self_contained(report):
    low = report.lower()
    assert "<script" not in low and "<link" not in low and "@import" not in low and "url(" not in low
    # nothing to fetch: every src is an embedded data: image, no href leaves the page
    assert all(s.startswith("data:image/") for s in re.findall(r'src="([^"]*)"', report))
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', report))


def test_report_embeds_every_chart(report):
    for name in charts.CHARTS:
        m = re.search(rf'<figure id="chart-{name}"><img alt="" src="data:image/svg\+xml;base64,([^"]+)"', report)
        assert m, name
        svg = base64.b64decode(m.group(1)).decode("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        # the image itself holds no script and the hostile name only as escaped text
        assert "<script" not in svg and HOSTILE not in svg


def test_report_shows_the_summary_numbers(report, fleet):
    seen = _text(report)
    assert fleet.summary() in seen
    assert re.search(rf"rejected records\s+{len(fleet.rejected)}\b", seen)


def test_findings_per_adapter_are_the_rule_book_findings(fleet, report):
    fd = adapter_findings(fleet)
    # the X550-like adapter: AH/ESP in hardware, Tunnel FALSE (R34) and switched off in current (R57)
    x550 = fd[fd["adapter"] == "SLOT 2 Port 1"]
    assert {"R34"} <= set(x550.loc[x550["view"] == "hardware", "rule"])
    assert "R57" in set(x550.loc[x550["view"] == "current", "rule"])
    seen = _text(report)
    for rule, msg in fd.loc[fd["severity"] != "not checked", ["rule", "message"]].itertuples(index=False):
        assert msg in seen, rule


def test_png_images_on_request(folder, fleet):
    out = build_report([folder], fleet=fleet, image_format="png")
    assert out.count('src="data:image/png;base64,') == len(charts.CHARTS)


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        build_report([tmp_path / "nope"])


def test_cli_report_writes_the_file(folder, tmp_path):
    out = tmp_path / "sub" / "report.html"
    p = subprocess.run([sys.executable, "-m", "ipsecexplore", "report", str(folder), "-o", str(out),
                        "--no-progress"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert p.returncode == 0, p.stderr
    text = out.read_text(encoding="utf-8")
    assert html.escape(HOSTILE) in text and HOSTILE not in text
    assert "3 adapters" in p.stderr
    bad = subprocess.run([sys.executable, "-m", "ipsecexplore", "report", str(tmp_path / "missing"), "-o",
                          str(tmp_path / "r.html")], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
