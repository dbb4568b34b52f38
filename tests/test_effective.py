"""Effective configuration: hardware capabilities + *IPsecOffloadV2 / *IPsecOffloadV2IPv4 + PARAMETERS.

Expectations restate the rule book (R50: 0 clears Ah and Esp, 1 keeps Ah, 2 keeps Esp, 3 keeps both; R51:
*IPsecOffloadV2 wins, IPv4-only clears IPv6Supported, both disabled zeroes the block, other values mean both;
R66: PARAMETERS value v is written back as the string of v − 1, only into an existing keyword).
"""

from __future__ import annotations

import json

import pytest
from test_rules import C, covers, good, off

from ipsecexplore.effective import effective_configuration, miniport_default, parameters_verdict
from ipsecexplore.errors import InputError
from ipsecexplore.layouts import layout

V2 = "*IPsecOffloadV2"
V4 = "*IPsecOffloadV2IPv4"
# R50, as the rule book states it: keyword value -> (Ah kept, Esp kept)
R50_TABLE = {0: (False, False), 1: (True, False), 2: (False, True), 3: (True, True)}
# constants.md §8: the PARAMETERS names for 1..4
PARAM = {name: C(f"NDIS_OFFLOAD_PARAMETERS_IPSECV2_{name}") for name in
         ("DISABLED", "AH_ENABLED", "ESP_ENABLED", "AH_AND_ESP_ENABLED")}


def _v2(cfg, which="effective"):
    return getattr(cfg, which).to_dict()


def _block_is_zero(d: dict) -> bool:
    return all(not v for k, v in d.items() if k.startswith("IPsecV2."))


@covers("R50")
@pytest.mark.parametrize("value", sorted(R50_TABLE))
@pytest.mark.parametrize("as_text", [True, False])
def test_keyword_values_map_to_protocols(value, as_text):
    cfg = effective_configuration(off(), {V2: str(value) if as_text else value})
    ah, esp = R50_TABLE[value]
    for which in ("current", "effective"):
        d = _v2(cfg, which)
        assert d["IPsecV2.Ah"] is ah and d["IPsecV2.Esp"] is esp
    if not (ah or esp):  # the miniport clears only Ah and Esp (R50); NDIS zeroes the block (R51)
        assert _block_is_zero(_v2(cfg))
        assert _v2(cfg, "current")["IPsecV2.EncryptionAlgorithms"] == good()["IPsecV2.EncryptionAlgorithms"]
    else:  # masks, modes and capacity are left as reported (R51)
        assert _v2(cfg)["IPsecV2.SaOffloadCapacity"] == good()["IPsecV2.SaOffloadCapacity"]
        assert _v2(cfg)["IPsecV2.EncryptionAlgorithms"] == good()["IPsecV2.EncryptionAlgorithms"]
    assert cfg.hardware.to_dict()["IPsecV2.Ah"] is True  # hardware is never changed


@covers("R51")
@pytest.mark.parametrize("value", ["4", "7", "255"])
def test_other_keyword_values_mean_both(value):
    cfg = effective_configuration(off(), {V2: value})
    assert _v2(cfg)["IPsecV2.Ah"] and _v2(cfg)["IPsecV2.Esp"]
    assert "R51" in cfg.findings.rule_ids


@covers("R53", "R51")
def test_both_keywords_ipsecoffloadv2_wins():
    cfg = effective_configuration(off(), {V2: "2", V4: "1"})
    d = _v2(cfg)
    assert (d["IPsecV2.Ah"], d["IPsecV2.Esp"]) == R50_TABLE[2]
    assert d["IPsecV2.IPv6Supported"] is True  # *IPsecOffloadV2 is not IPv4-only
    assert "R53" in cfg.findings.rule_ids


@covers("R52")
def test_effective_view_differs_from_hardware():
    """A capture can show Esp supported (hardware) next to Esp disabled (effective, after masking)."""
    cfg = effective_configuration(off(), {V2: "1"})
    assert cfg.hardware.to_dict()["IPsecV2.Esp"] is True and _v2(cfg)["IPsecV2.Esp"] is False
    row = next(r for r in cfg.rows() if r["member"] == "IPsecV2.Esp")
    assert (row["hardware"], row["effective"]) == (True, False) and "R50" in row["why"]


def test_ipv4_only_keyword_clears_ipv6_in_ndis_view():
    cfg = effective_configuration(off(), {V4: "3"})
    assert _v2(cfg)["IPsecV2.IPv6Supported"] is False
    assert cfg.hardware.to_dict()["IPsecV2.IPv6Supported"] is True
    assert any(c.member == "IPsecV2.IPv6Supported" and c.stage == "NDIS masking" and c.rule == "R51"
               for c in cfg.changes)


def test_keyword_names_are_case_insensitive():
    cfg = effective_configuration(off(), {"*ipsecoffloadv2": "0"})
    assert _block_is_zero(_v2(cfg))


def test_no_keyword_leaves_the_block_as_reported():
    cfg = effective_configuration(off(), {})
    assert _v2(cfg) == off().to_dict()
    assert not [c for c in cfg.changes if c.stage == "NDIS masking"]


def test_non_numeric_keyword_is_refused_by_name():
    with pytest.raises(InputError) as exc:
        effective_configuration(off(), {V2: "on"})
    assert V2 in str(exc.value)


def test_hardware_without_ah_stays_without_ah():
    hw = off(**{"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False})
    cfg = effective_configuration(hw, {V2: "3"})
    assert _v2(cfg)["IPsecV2.Ah"] is False and _v2(cfg)["IPsecV2.Esp"] is True


def test_keyword_changes_only_ah_and_esp():
    """R50 documents only Ah/Esp; R51 leaves modes and masks alone. The inferred rules R35 (AhEspCombined
    needs both) and R45 (UdpEsp needs ESP) then warn about the result instead of the library inventing a fix."""
    from ipsecexplore.rules import validate

    cfg = effective_configuration(off(), {V2: "1"})
    d, hw = _v2(cfg, "current"), cfg.hardware.to_dict()
    assert hw["IPsecV2.AhEspCombined"] is True and hw["IPsecV2.UdpEsp"] != 0
    assert d["IPsecV2.AhEspCombined"] is True and d["IPsecV2.UdpEsp"] == hw["IPsecV2.UdpEsp"]
    assert {c.member for c in cfg.changes} == {"IPsecV2.Esp"}
    found = {f.rule: f.severity for f in validate(cfg.current)}
    assert found.get("R35") == "warning" and found.get("R45") == "warning"


def test_revision_1_hardware_has_no_block_to_mask():
    hw = off(revision=1, Flags=0)
    cfg = effective_configuration(hw, {V2: "0"})
    assert not any(k.startswith("IPsecV2.") for k in _v2(cfg))
    assert cfg.changes == []


# --- OID_TCP_OFFLOAD_PARAMETERS -----------------------------------------------------------------------------

@covers("R60", "R66", "R67")
@pytest.mark.parametrize("name,expect", [("DISABLED", (False, False)), ("AH_ENABLED", (True, False)),
                                         ("ESP_ENABLED", (False, True)), ("AH_AND_ESP_ENABLED", (True, True))])
def test_parameters_set_protocols_and_write_back(name, expect):
    v = PARAM[name]
    cfg = effective_configuration(off(), {V2: "3"}, [{"IPsecV2": v}])
    d = _v2(cfg)
    assert (d["IPsecV2.Ah"], d["IPsecV2.Esp"]) == expect
    assert cfg.keywords[V2] == str(v - 1)
    assert any(c.stage == "keyword write-back" and c.member == V2 and c.after == str(v - 1) for c in cfg.changes)
    assert any(c.stage == "miniport" and "IPsecV2 = " in c.cause for c in cfg.changes) or name == "AH_AND_ESP_ENABLED"


def test_write_back_only_into_an_existing_keyword():
    cfg = effective_configuration(off(), {}, [{"IPsecV2": PARAM["ESP_ENABLED"]}])
    assert cfg.keywords == {}
    assert _v2(cfg)["IPsecV2.Ah"] is False  # the miniport still changed
    assert any(c.rule == "R66" and "does not exist" in c.cause for c in cfg.changes)


def test_ipv4_field_writes_the_ipv4_keyword():
    hw = off(**{"IPsecV2.IPv6Supported": False, "IPsecV2.IPv6NonIPsecExtensionHeaders": False})
    cfg = effective_configuration(hw, {V4: "3"}, [{"IPsecV2IPv4": PARAM["AH_ENABLED"]}])
    assert cfg.keywords[V4] == str(PARAM["AH_ENABLED"] - 1)
    assert _v2(cfg)["IPsecV2.Esp"] is False


def test_write_back_then_masking_uses_the_new_value():
    """After keyword 0 disabled everything, PARAMETERS ESP_ENABLED makes ESP visible again."""
    cfg = effective_configuration(off(), {V2: "0"}, [{"IPsecV2": PARAM["ESP_ENABLED"]}])
    assert _v2(cfg)["IPsecV2.Esp"] is True and _v2(cfg)["IPsecV2.Ah"] is False


def test_skip_registry_update_keeps_the_registry():
    skip = C("NDIS_OFFLOAD_PARAMETERS_SKIP_REGISTRY_UPDATE")
    cfg = effective_configuration(off(), {V2: "3"}, [{"IPsecV2": PARAM["ESP_ENABLED"], "Flags": skip}])
    assert cfg.keywords[V2] == "3"
    assert _v2(cfg)["IPsecV2.Ah"] is False  # NDIS's in-memory state followed the request


@covers("R62")
def test_both_fields_set_is_rejected_and_changes_nothing():
    cfg = effective_configuration(off(), {V2: "3"}, [{"IPsecV2": PARAM["ESP_ENABLED"],
                                                     "IPsecV2IPv4": PARAM["ESP_ENABLED"]}])
    assert cfg.rejected == [(0, "NDIS_STATUS_INVALID_DATA")]
    assert cfg.keywords[V2] == "3" and _v2(cfg)["IPsecV2.Ah"] is True


@covers("R63")
@pytest.mark.parametrize("field", ["IPsecV2", "IPsecV2IPv4"])
def test_out_of_range_value_is_rejected(field):
    v = PARAM["AH_AND_ESP_ENABLED"] + 1
    verdict = parameters_verdict({field: v})
    assert verdict.status == "NDIS_STATUS_INVALID_DATA" and not verdict.accepted
    assert "R63" in verdict.findings.rule_ids


@covers("R59")
def test_revision_1_parameters_do_not_touch_ipsecv2():
    cfg = effective_configuration(off(), {V2: "3"}, [{"Header.Revision": 1, "IPsecV2": PARAM["DISABLED"]}])
    assert cfg.rejected == [] and _v2(cfg)["IPsecV2.Ah"] is True and cfg.keywords[V2] == "3"
    assert "R59" in cfg.findings.rule_ids


@covers("R69")
def test_enabling_what_hardware_lacks_stays_off():
    hw = off(**{"IPsecV2.Ah": False, "IPsecV2.AhEspCombined": False})
    cfg = effective_configuration(hw, {V2: "2"}, [{"IPsecV2": PARAM["AH_AND_ESP_ENABLED"]}])
    assert _v2(cfg)["IPsecV2.Ah"] is False and _v2(cfg)["IPsecV2.Esp"] is True
    assert "R69" in cfg.findings.rule_ids
    assert any(c.rule == "R69" for c in cfg.changes)


def test_parameters_apply_in_order():
    seq = [{"IPsecV2": PARAM["DISABLED"]}, {"IPsecV2": PARAM["AH_ENABLED"]}]
    cfg = effective_configuration(off(), {V2: "3"}, seq)
    assert (_v2(cfg)["IPsecV2.Ah"], _v2(cfg)["IPsecV2.Esp"]) == (True, False)
    assert cfg.keywords[V2] == str(PARAM["AH_ENABLED"] - 1)


def test_parameters_as_bytes():
    from ipsecexplore.model import encode_struct

    data = encode_struct("NDIS_OFFLOAD_PARAMETERS", {"IPsecV2": PARAM["ESP_ENABLED"]}, revision=2)
    cfg = effective_configuration(off(), {V2: "3"}, [data])
    assert _v2(cfg)["IPsecV2.Ah"] is False


def test_miniport_default_keeps_revision_and_reports_changes():
    cur, changes = miniport_default(off(), {V2: "2"})
    assert cur.revision == off().revision
    assert {c.member for c in changes} == {"IPsecV2.Ah"}
    assert all(c.stage == "miniport" for c in changes)


def test_explanation_renders_text_html_and_json():
    cfg = effective_configuration(off(), {V2: "<b>2</b>"} if False else {V2: "2"}, [{"IPsecV2": PARAM["AH_ENABLED"]}])
    text = cfg.explain()
    assert "*IPsecOffloadV2" in text and "IPsecV2.Ah" in text and "R66" in text
    html = cfg._repr_html_()
    assert "<table>" in html and "IPsecV2.Esp" in html
    json.dumps(cfg.to_dict())
    assert len(cfg.rows()) == len(layout("NDIS_IPSEC_OFFLOAD_V2").leaves)


def test_explanation_escapes_html():
    cfg = effective_configuration(off(), {"*IPsecOffloadV2": "3", "*Other<script>": "1"})
    assert "<script>" not in cfg._repr_html_()
