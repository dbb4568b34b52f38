"""The rule table against ``ipsecov2-rules.md``, rule explanations, and how findings render."""

from __future__ import annotations

import json
import re

import pytest
from helpers import spec_path
from test_rules import off

from ipsecexplore.rules import RULES, Findings, explain_rule, finding, get_rule, validate
from ipsecexplore.rules.base import basis_tokens


def _spec_rows() -> list[dict]:
    """Every rule row of the rule book: id, severity, basis, source (with "same" resolved), text.

    "same" refers to the last source written out in full: in §3, R17 says "same; `receiving-…`" and R18
    "same", and R18's source is the DDI page alone, not R17's two pages."""
    rows, prev = [], None
    for line in spec_path("ipsecov2-rules.md").read_text(encoding="utf-8").splitlines():
        if not re.match(r"^\| R\d+ \|", line):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 6:  # §3: ID | Member | Meaning | Severity | Basis | Source
            rid, member, text, sev, basis, source = cells
            text = f"{member}: {text}"
        else:
            rid, text, sev, basis, source = cells
        if source.startswith("same"):
            source = prev + source[len("same"):]
        else:
            prev = source
        rows.append({"id": rid, "severity": sev, "basis": basis, "source": source,
                     "text": text.replace("<br>", "\n")})
    return rows


def test_table_matches_the_rule_book():
    rows = _spec_rows()
    assert [r["id"] for r in rows] == list(RULES)
    for r in rows:
        rule = RULES[r["id"]]
        assert (rule.severity, rule.basis, rule.source, rule.text) == (r["severity"], r["basis"], r["source"],
                                                                       r["text"]), r["id"]


@pytest.mark.parametrize("rule_id,source", [
    # literal sources as the rule book's §3 table states them (R15 names the page; the rows below say "same")
    ("R15", "`ns-ntddndis-_ndis_ipsec_offload_v2.md`"),
    ("R17", "`ns-ntddndis-_ndis_ipsec_offload_v2.md`; `receiving-network-data-with-ipsec-offload-version-2.md`"),
    ("R18", "`ns-ntddndis-_ndis_ipsec_offload_v2.md`"),
    ("R25", "`ns-ntddndis-_ndis_ipsec_offload_v2.md`"),
    ("R29", "`ns-ntddndis-_ndis_ipsec_offload_v2.md`"),
    ("R61", "`ns-ntddndis-_ndis_offload_parameters.md`"),
])
def test_same_means_the_last_source_written_in_full(rule_id, source):
    assert RULES[rule_id].source == source
    assert "receiving-network-data" not in RULES["R30"].source


def test_severities_and_bases_are_known():
    for rule in RULES.values():
        assert rule.severity in ("error", "warning", "info")
        assert basis_tokens(rule.basis), rule.id


def test_no_error_rule_rests_on_inference():
    assert not [r.id for r in RULES.values() if r.severity == "error" and r.inferred]


@pytest.mark.parametrize("key", ["R35", "r35", "35", " R35 "])
def test_get_rule_spellings(key):
    assert get_rule(key).id == "R35"


def test_unknown_rule():
    with pytest.raises(KeyError):
        get_rule("R0")
    with pytest.raises(KeyError):
        explain_rule("R999")


@pytest.mark.parametrize("rule_id", list(RULES))
def test_every_rule_explains(rule_id):
    text = explain_rule(rule_id)
    rule = RULES[rule_id]
    assert text.startswith(f"{rule_id} ({rule.severity}, basis {rule.basis})")
    assert "Source:" in text and "`" not in text
    if rule.inferred:
        assert "never errors" in text
    if rule.severity == "info" and not rule.has_check:
        assert "teaching note" in text or "Checked by" in text


def test_every_rule_that_is_not_info_is_checked_or_says_why():
    from ipsecexplore.rules import NOT_CHECKED, checked_rules

    places = checked_rules()
    for rule in RULES.values():
        if rule.severity != "info":
            assert rule.id in places or rule.id in NOT_CHECKED, rule.id
            assert not (rule.id in places and rule.id in NOT_CHECKED), rule.id


def test_explain_names_where_a_rule_is_checked():
    assert "validate NDIS_OFFLOAD" in explain_rule("R34")
    assert "simulator" in explain_rule("R80")


def test_check_text_and_title():
    r = get_rule("R34")
    assert r.check_text.startswith("Check:") and "Tunnel" in r.check_text
    assert r.title == "Tunnel is required: to support IPsec task offload, the miniport has to report Tunnel = TRUE."
    assert get_rule("R1").check_text is None


# --- findings ----------------------------------------------------------------------------------------------

def test_finding_severity_policy():
    assert finding("R35", "x").severity == "warning"          # INF rule
    assert finding("R34", "x").severity == "error"
    assert finding("R34", "x", basis="INF").severity == "warning"  # an inferred part of a DOC rule
    assert "inferred" in finding("R35", "x").message
    assert "decompiled" in finding("R62", "x").message
    with pytest.raises(ValueError):
        finding("R35", "x", severity="error")                 # never above the rule


def test_findings_text_and_html_rendering():
    f = Findings([finding("R35", "x <img src=x onerror=alert(1)>", ("IPsecV2.<Ah>",)),
                  finding("R34", "tunnel", ("IPsecV2.Tunnel",))], skipped=[("R43", "no <LSO>")])
    text = str(f)
    assert text.index("ERROR") < text.index("WARNING")        # errors first
    assert "1 error, 1 warning, 0 info" in text and "Not checked: R43" in text
    html = f._repr_html_()
    assert "<img" not in html and "&lt;img" in html and "&lt;LSO&gt;" in html and "IPsecV2.&lt;Ah&gt;" in html
    assert html.count("<tr>") == 3                           # header + two findings
    assert f[0]._repr_html_().count("<tr>") == 2


def test_findings_json():
    found = validate(off(**{"IPsecV2.Tunnel": False, "IPsecV2.TransportTunnelCombined": False}))
    data = json.loads(found.to_json())
    assert data and all({"rule", "severity", "members", "message", "source", "basis", "inferred"} <= set(d)
                        for d in data)
    assert found.has_errors and found.errors.rule_ids == {"R34"}


def test_empty_findings_render():
    assert str(Findings()) == "No findings."
    assert "No findings" in Findings()._repr_html_()
