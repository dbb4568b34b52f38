"""The HTML report: self-contained, mentions every adapter and every rejected file, escapes capture strings.

Captures are written with the PowerShell writers of :mod:`ipsecexplore.captures.synth` into a temporary
folder, next to a malformed file; expectations come from the fleet loaded from the same folder.
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import wmi_block

from ipsecexplore import charts
from ipsecexplore.captures import synth
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import load_fleet
from ipsecexplore.questions import adapter_findings
from ipsecexplore.report import build_report

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


def _svgs(report_html: str) -> dict[str, str]:
    """The embedded SVG of each chart, decoded."""
    return {name: base64.b64decode(data).decode("utf-8") for name, data in
            re.findall(r'<figure id="chart-([a-z_]+)"><img alt="" src="data:image/svg\+xml;base64,([^"]+)"',
                       report_html)}


def _assert_offline(doc: str, where: str) -> None:
    """Nothing in ``doc`` (HTML or SVG text) makes a browser fetch or run anything: no script, no external
    src/href (only same-document ``#`` links and embedded ``data:image/`` images), no url() but ``#``
    references, no @import or @font-face, no link/iframe/object/embed element, no event handler.

    Only markup is checked (tags and style sheets): capture strings are text, escaped, and may say
    anything (an adapter named ``<script>`` is in the fixture)."""
    tags = re.findall(r"<[^>]*>", doc)  # escaped text holds no raw '<', attribute values no raw '>'
    styles = re.findall(r"<style[^>]*>(.*?)</style>", doc, flags=re.S | re.I)
    markup = "\n".join(tags + styles)
    low = markup.lower()
    for bad in ("<script", "<link", "<iframe", "<object", "<embed", "<base", "@import", "@font-face", "javascript:"):
        assert bad not in low, (where, bad)
    assert not re.search(r"\son[a-z]+\s*=", "\n".join(tags).lower()), where
    for attr, value in re.findall(r'\s((?:xlink:)?href|src)\s*=\s*"([^"]*)"', markup):
        assert value.startswith("#") or value.startswith("data:image/"), (where, attr, value[:40])
    for ref in re.findall(r"url\(\s*([^)]*)\)", markup):
        assert ref.startswith("#"), (where, ref)
    assert tags and any(t.lower().startswith(("<svg", "<html")) for t in tags), where  # markup was found


def test_report_is_self_contained(report):
    _assert_offline(report, "report")
    svgs = _svgs(report)
    assert set(svgs) == set(charts.CHARTS)
    for name, svg in svgs.items():
        _assert_offline(svg, name)


def test_report_holds_no_url_but_the_svg_namespace(report):
    # The HTML has none; each SVG keeps its namespace (an XML name, never fetched; required to draw it).
    assert not re.findall(r"https?://", report)
    for name, svg in _svgs(report).items():
        assert set(re.findall(r"https?://[^\s\"'<>]*", svg)) == {charts.SVG_NAMESPACE}, name
        assert "matplotlib.org" not in svg and "<metadata" not in svg, name


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
    _assert_offline(out, "png report")
    for data in re.findall(r'src="data:image/png;base64,([^"]+)"', out):
        png = base64.b64decode(data)
        assert png.startswith(b"\x89PNG") and b"matplotlib" not in png.lower() and b"http" not in png


# ------------------------------------------------------------------------------------------ sample data
@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory) -> Path:
    """Captures with a provenance file as data/make_sample.py writes one: HOST01's adapter illustrative,
    HOST02's hardware row sourced in part; and a Hyper-V vNIC (its SA capacity is a per-vNIC budget)."""
    d = tmp_path_factory.mktemp("sample")
    hw = _hw()
    vnic = _hw(Tunnel=True, SaOffloadCapacity=512)
    objs = [
        synth.ipsec_object(name="SLOT 2 Port 1", description="Intel(R) Ethernet Controller X550", host="HOST01",
                           instance_id="{A}", hardware=hw, current=_off(hw), enabled=False),
        synth.ipsec_object(name="Ethernet 3", description="LiquidIO", host="HOST02", instance_id="{C}",
                           hardware=hw, current=hw, enabled=True),
        synth.ipsec_object(name="vEthernet (vSwitch0)", description="Hyper-V Virtual Ethernet Adapter",
                           host="HOST02", instance_id="{D}", hardware=vnic, current=vnic, enabled=True),
    ]
    (d / "fleet.txt").write_text(synth.format_list(objs), encoding="utf-8")
    prov = [{"host": "HOST01", "adapter": "SLOT 2 Port 1", "view": v,
             "provenance": "illustrative: every value guessed (adapters.md B2 liquidio)"}
            for v in ("hardware", "current")]
    prov.append({"host": "HOST02", "adapter": "Ethernet 3", "view": "hardware",
                 "provenance": "sourced: SaOffloadCapacity=A2.1 (adapters.md Part A); illustrative: every other value"})
    (d / "provenance.json").write_text(json.dumps({"format": "ipsecexplore-provenance/1", "adapters": prov}),
                                       encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def sample_fleet(sample_folder):
    return load_fleet([sample_folder], progress=False)


def test_report_summary_and_every_chart_label_sample_data(sample_folder, sample_fleet):
    f = sample_fleet.frame
    p = f["provenance"].astype(str).str.lower()
    whole = int(p.str.startswith("illustrative").sum())
    part = int((~p.str.startswith("illustrative") & p.str.contains("; illustrative")).sum())
    assert (whole, part) == (2, 1)  # the provenance file was applied
    out = build_report([sample_folder], fleet=sample_fleet)
    summary = _text(out.split('<h2 id="charts">')[0].split('<h2 id="summary">')[1])
    expected = f"sample data (partly guessed): {whole} of {len(f)} rows illustrative, {part} more in part"
    assert expected in " ".join(summary.split())
    for name, svg in _svgs(out).items():
        assert "sample data (partly guessed)" in svg, name
    _assert_offline(out, "sample report")


def test_report_of_captured_data_says_nothing_about_sample_data(report, fleet):
    assert set(fleet.frame["provenance"].astype(str)) == {"captured"}
    assert "sample data" not in _text(report) and "illustrative" not in _text(report)
    for name, svg in _svgs(report).items():
        assert "sample data" not in svg, name


def test_report_says_vnic_sa_capacity_is_a_per_vnic_budget(sample_folder, sample_fleet, report):
    out = build_report([sample_folder], fleet=sample_fleet)
    f = sample_fleet.frame
    n = int(f["description"].astype(str).str.contains("Hyper-V").sum())
    assert n == 2
    summary = " ".join(_text(out.split('<h2 id="charts">')[0]).split())
    assert f"{n} rows are Hyper-V vNICs" in summary and "per-vNIC SA budget" in summary
    assert "per-vNIC SA budget" in _svgs(out)["sa_capacity"]
    assert "vNIC" not in " ".join(_text(report.split('<h2 id="charts">')[0]).split())


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


def test_remarks_on_loaded_records_are_listed_and_escaped(tmp_path):
    """A WMI block loads with IPsecV2 missing and a remark (capture-formats.md §5); the report lists it."""
    (tmp_path / "wmi <i>.bin").write_bytes(wmi_block())
    doc = build_report([tmp_path], progress=False)
    section = doc.split('<h2 id="remarks">', 1)[1].split("<h2", 1)[0]
    assert section.startswith("Remarks on loaded records (1)")
    assert "wmi &lt;i&gt;.bin" in section and "<i>" not in section and "NDIS_WMI_OFFLOAD" in section
