"""The report's numbers for fleets an engineer really meets: one adapter captured several times, adapters whose
capture holds no IPsecV2 member at all, and a remarks section reachable from the table of contents.

Fleets are built with the real frame builder from hand-made records; expectations are counted here from the
records, not from the report code.
"""

from __future__ import annotations

import html
import re

import pytest
from helpers import wmi_block

from ipsecexplore.captures.record import AdapterRecord, ImportResult
from ipsecexplore.fleet import Fleet
from ipsecexplore.report import build_report


def _hw(**kw):
    base = {"IPsecV2.IPv6Supported": True, "IPsecV2.Ah": True, "IPsecV2.Esp": True, "IPsecV2.Transport": True,
            "IPsecV2.Tunnel": False, "IPsecV2.AuthenticationAlgorithms": 8, "IPsecV2.EncryptionAlgorithms": 8,
            "IPsecV2.SaOffloadCapacity": 1024}
    base.update(kw)
    return base


def _off(hw):
    return {k: (False if isinstance(v, bool) else 0) for k, v in hw.items()}


def _fleet(records) -> Fleet:
    return Fleet.from_result(ImportResult(records=list(records), records_seen=len(records), loaded=len(records),
                                          files_read=1))


def _per_host(doc: str) -> dict:
    """host -> {column: cell text} of the report's per-host table."""
    sec = doc.split("<h3>Per host</h3>", 1)[1].split("</table>", 1)[0]
    head = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", sec)]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", sec.split("<tbody>", 1)[1]):
        cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        rows[cells[0]] = dict(zip(head, cells))
    return rows


@pytest.fixture(scope="module")
def repeated():
    hw = _hw()
    recs = []
    for src in ("a.csv", "b.json", "c.txt"):  # the same adapter captured three times, keyword off
        recs += [AdapterRecord("HOST01", "SLOT 2 Port 1", "X550", "hardware", src, 2, hw),
                 AdapterRecord("HOST01", "SLOT 2 Port 1", "X550", "current", src, 2, _off(hw))]
    recs += [AdapterRecord("HOST01", "Ethernet 2", "X550", v, "a.csv", 3, hw) for v in ("hardware", "current")]
    return _fleet(recs)


def test_per_host_adapters_count_an_adapter_captured_several_times_once(repeated):
    row = _per_host(build_report(["x"], fleet=repeated))["HOST01"]
    assert row["adapters"] == "2"  # SLOT 2 Port 1 and Ethernet 2
    assert row["adapters with capabilities switched off"] == "1"  # SLOT 2 Port 1, however often captured
    assert row["repeated captures"] == "2"


@pytest.fixture(scope="module")
def missing():
    recs = [AdapterRecord("HOST01", "Ethernet 2", "NIC", v, "fl.txt", 2, _hw()) for v in ("hardware", "current")]
    recs += [AdapterRecord("HOST14", "old <b>nic</b>", None, "hardware", "rev1.bin", None, {"Header.Revision": 1},
                           offset=0),
             AdapterRecord("HOST15", "wmi", None, "unknown", "wmi.bin", None, {"Header.Revision": 1}, offset=0)]
    return _fleet(recs)


def test_summary_names_every_adapter_whose_capture_holds_no_ipsecv2(missing):
    doc = build_report(["x"], fleet=missing)
    summary = doc.split('<h2 id="summary">', 1)[1].split('<h2 id="charts">', 1)[0]
    note = next(p for p in re.findall(r"<p[^>]*>(?:(?!</p>).)*</p>\s*<ul>.*?</ul>", summary, flags=re.S)
                if "IPsecV2 not reported" in p)
    text = html.unescape(re.sub(r"<[^>]+>", " ", note))
    assert "2 adapters" in text and "supports nothing" in text
    for name, src in (("HOST14 / old <b>nic</b>", "rev1.bin@0x0"), ("HOST15 / wmi", "wmi.bin@0x0")):
        assert name in text and src in text
    assert "<b>nic</b>" not in note and "Ethernet 2" not in text


def test_no_note_when_every_adapter_reports_ipsecv2(repeated):
    assert "IPsecV2 not reported" not in build_report(["x"], fleet=repeated)


def test_table_of_contents_links_the_remarks_section_when_there_is_one(tmp_path):
    (tmp_path / "wmi.bin").write_bytes(wmi_block())
    doc = build_report([tmp_path], progress=False)
    toc = doc.split('<p class="toc">', 1)[1].split("</p>", 1)[0]
    assert 'href="#remarks"' in toc and 'id="remarks"' in doc
