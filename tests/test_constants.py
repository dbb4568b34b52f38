"""ipsecexplore.constants against the spec (tests/spec/layouts.json ``constants`` and constants.md).

The module must hold exactly the spec's constants (plus documented aliases) with the same names, values,
groups and provenance, and behave as IntFlag/IntEnum classes with labels.  Expected values come from the
spec files, parsed here; the few literal numbers are spot checks copied from constants.md tables.
"""

from __future__ import annotations

import copy
import enum
import json
import pickle
import re
import subprocess
import sys
import uuid
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsecexplore import constants as C

SPEC_DIR = Path(__file__).resolve().parent / "spec"  # copied in by scripts/refresh_spec.py
LAYOUTS_JSON = SPEC_DIR / "layouts.json"
CONSTANTS_MD = SPEC_DIR / "constants.md"



@cache
def spec() -> dict:
    return json.loads(LAYOUTS_JSON.read_text(encoding="utf-8"))


@cache
def spec_constants() -> dict[str, dict]:
    return {c["name"]: c for c in spec()["constants"]}


@cache
def constants_md() -> str:
    return CONSTANTS_MD.read_text(encoding="utf-8")


def md_table_values() -> dict[str, str]:
    """``name -> value cell`` of every table row of constants.md whose first cell is a backticked name."""
    out = {}
    for line in constants_md().splitlines():
        m = re.match(r"\|\s*`([A-Za-z_0-9]+)`\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def md_section(title_start: str) -> str:
    """Text of the constants.md section whose heading starts with ``title_start``."""
    text = constants_md()
    m = re.search(r"^#{2,3} " + re.escape(title_start) + r".*?$(.*?)(?=^#{2,3} )", text, re.M | re.S)
    assert m, f"constants.md has no section {title_start!r}"
    return m.group(1)


def all_members() -> list:
    return [m for cls in C.CONSTANT_GROUPS.values() for m in cls.__members__.values()]


# ---------------------------------------------------------------------------
# Every spec constant, and nothing else
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(spec_constants()) if LAYOUTS_JSON.is_file() else [])
def test_spec_constant_present_with_same_value_and_metadata(name):
    want = spec_constants()[name]
    m = C.lookup(name)
    assert m.name == name
    assert type(m).__name__ == want["group"] and C.CONSTANT_GROUPS[want["group"]] is type(m)
    if "guid" in want:
        assert m.value == uuid.UUID(want["guid"])
    elif "value" in want:
        assert int(m) == want["value"] and m.hex == want["hex"]
        if isinstance(m, C.ConstantEnum):
            assert m.value_for("x86") == want["value"] and not m.arch_dependent
    else:  # arch-dependent NDIS_SIZEOF: member value is x64
        assert int(m) == want["value_x64"] and m.hex == want["hex_x64"]
        assert m.value_for("x64") == want["value_x64"] and m.value_for("x86") == want["value_x86"]
        assert m.arch_dependent
    assert m.ndis == want["ndis"]
    assert m.guard == want["guard"]
    assert m.source == want["source"]
    assert m.applies_to == tuple(want["applies_to"])
    assert m.note == want.get("note")
    assert m.info.group == want["group"]


def test_no_invented_names():
    module_names = [m.name for m in all_members()]
    assert len(module_names) == len(set(module_names)), "a name is defined in two groups"
    assert set(module_names) == set(spec_constants())
    assert len(C.all_constants()) == len(spec()["constants"])


def test_groups_are_the_spec_groups_in_spec_order():
    order = list(dict.fromkeys(c["group"] for c in spec()["constants"]))
    assert list(C.CONSTANT_GROUPS) == order
    for group, cls in C.CONSTANT_GROUPS.items():
        assert cls.__name__ == group and cls.group == group
        assert getattr(C, group) is cls
    # member order inside each class follows the spec
    for group, cls in C.CONSTANT_GROUPS.items():
        assert list(cls.__members__) == [c["name"] for c in spec()["constants"] if c["group"] == group]


def test_aliases_are_documented_and_not_spec_names():
    md = constants_md()
    for alias, target in C.ALIASES.items():
        assert alias not in spec_constants(), f"{alias} is a real spec name, not an alias"
        assert target in spec_constants()
        # constants.md writes the alias from its first differing word on, after an ellipsis
        words, target_words = alias.split("_"), target.split("_")
        first = next(i for i, (a, b) in enumerate(zip(words, target_words)) if a != b)
        assert "…" + "_".join(words[first:]) in md, f"alias {alias} is not described in constants.md"


def test_documentation_only_aliases_name_their_header_constant():
    doc_only = [c for c in spec()["constants"] if c.get("note") == "documentation-only alias"]
    assert doc_only, "the spec lists documentation-only aliases"
    for c in doc_only:
        m = C.lookup(c["name"])
        header_name = re.search(r"header name is (\w+)", c["source"]).group(1)
        assert m.alias_of == header_name
        target = C.lookup(c["name"], follow_alias=True)
        assert target.name == header_name and int(target) == int(m) and type(target) is type(m)


def test_values_match_constants_md_tables():
    """constants.md tables are a second rendering of the same data: check every row against the module."""
    rows = md_table_values()
    names = set(rows) & set(spec_constants())
    assert len(names) == len(spec_constants()), set(spec_constants()) - names
    for name in names:
        cell = rows[name]
        m = C.lookup(name)
        if cell.startswith("{"):
            assert m.hex == cell
        elif cell.startswith("x64"):
            x64, x86 = re.fullmatch(r"x64 (0x[0-9A-F]+) / x86 (0x[0-9A-F]+)", cell).groups()
            assert (m.value_for("x64"), m.value_for("x86")) == (int(x64, 16), int(x86, 16))
        else:
            assert int(m) == int(cell, 16), name


def test_every_layout_domain_has_a_class():
    seen = set()

    def walk(o):
        if isinstance(o, dict):
            for g in o.get("domain") or ():
                seen.add(g)
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(spec()["structures"])
    assert seen
    for g in seen:
        assert C.domain_class(g).group == g


# ---------------------------------------------------------------------------
# Spot checks copied from constants.md tables
# ---------------------------------------------------------------------------

def test_spot_checks():
    assert C.OID.OID_TCP_OFFLOAD_CURRENT_CONFIG == 0xFC01020B
    assert C.NDIS_STATUS_INDICATION_CODE.NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG == 0x40020006
    assert C.NDIS_OBJECT_TYPE.NDIS_OBJECT_TYPE_OFFLOAD == 0xA7
    assert C.NDIS_SIZEOF.NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_4 == 177
    assert C.NDIS_SIZEOF.NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_8 == 217
    assert C.IPSEC_OFFLOAD_V2_ENCRYPTION.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 == 0x8
    assert C.NDIS_STATUS_GENERIC.NDIS_STATUS_INVALID_PARAMETER != C.NDIS_STATUS_GENERIC.NDIS_STATUS_INVALID_DATA


def test_buffer_too_short_value_from_spec():
    want = spec_constants()["NDIS_STATUS_BUFFER_TOO_SHORT"]["value"]
    assert C.lookup("NDIS_STATUS_BUFFER_TOO_SHORT") == want
    assert int(md_table_values()["NDIS_STATUS_BUFFER_TOO_SHORT"], 16) == want


@pytest.mark.parametrize("section, cls", [("6.1", "IPSEC_OFFLOAD_V2_AUTHENTICATION"),
                                          ("6.2", "IPSEC_OFFLOAD_V2_ENCRYPTION")])
def test_valid_masks_as_the_spec_states(section, cls):
    text = md_section(section)
    stated = int(re.search(r"Valid mask: (0x[0-9A-Fa-f]+)", text).group(1), 16)
    assert getattr(C, cls).valid_mask == stated


# ---------------------------------------------------------------------------
# Class kinds and flag behaviour
# ---------------------------------------------------------------------------

def test_flag_groups_are_intflags_of_single_bits():
    flags = [cls for cls in C.CONSTANT_GROUPS.values() if issubclass(cls, C.ConstantFlag)]
    assert {cls.__name__ for cls in flags} >= {
        "NDIS_ENCAPSULATION", "IPSEC_OFFLOAD_V2_AUTHENTICATION", "IPSEC_OFFLOAD_V2_ENCRYPTION",
        "IPSEC_OFFLOAD_V2_UDP_ESP", "NDIS_OFFLOAD_FLAGS", "IPSEC_V1_UDPESP_ENCAPTYPE", "NDIS_ENCAPSULATION_TYPE",
        "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD", "IPSEC_OFFLOAD_V2_SA_FLAGS", "IPSEC_OFFLOAD_V2_ADD_SA_FLAGS"}
    for cls in flags:
        assert issubclass(cls, enum.IntFlag)
        values = [int(m) for m in cls.__members__.values()]
        assert len(values) == len(set(values)), f"{cls.__name__} has duplicate flag values"
        assert all(v & (v - 1) == 0 for v in values), f"{cls.__name__} has a multi-bit member"
        mask = 0
        for v in values:
            mask |= v
        assert cls.valid_mask == mask


def test_value_groups_are_intenums():
    for name in ("NDIS_OBJECT_TYPE", "REVISION", "NDIS_SIZEOF", "NDIS_OFFLOAD_SUPPORT",
                 "NDIS_OFFLOAD_PARAMETERS_VALUE", "NDIS_RFC6877_464XLAT_OFFLOAD_OPTIONS",
                 "IPSEC_OFFLOAD_V2_OPERATION", "CRYPTO_STATUS", "OID", "NDIS_STATUS_GENERIC",
                 "NDIS_STATUS_INDICATION_CODE", "NDIS_STATUS_CHIMNEY"):
        cls = C.domain_class(name)
        assert issubclass(cls, enum.IntEnum) and not issubclass(cls, enum.Flag), name


def test_flag_composition_and_names():
    E = C.IPSEC_OFFLOAD_V2_ENCRYPTION
    both = E.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 | E.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256
    assert isinstance(both, E) and int(both) == 0x8 | 0x100
    assert E.names(both) == ["IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128", "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256"]
    assert both.label == "AES-GCM-128 | AES-CBC-256"
    assert both.short == "AES_GCM_128|AES_CBC_256"
    assert E.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 in both
    T = C.NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD  # the DDI example of constants.md §9
    assert T.names(0xB) == ["NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_INNER_IPV4",
                            "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV4",
                            "NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_OUTER_IPV6"]


def test_unknown_bits_round_trip():
    E = C.IPSEC_OFFLOAD_V2_ENCRYPTION
    v = E(0x200 | 0x8)
    assert int(v) == 0x208 and v.value == 0x208
    assert E.unknown_bits(v) == 0x200 and not E.is_defined(v)
    assert E.names(v) == ["IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"]
    assert "0x200" in v.label and "AES-GCM-128" in v.label
    assert E.describe(0x208) == "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 | 0x200"
    assert pickle.loads(pickle.dumps(v)) == v
    with pytest.raises(ValueError):
        E.unknown_bits(-1)


def test_zero_valued_members():
    U = C.IPSEC_OFFLOAD_V2_UDP_ESP
    none = U.IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE
    assert int(none) == 0 and U(0) is none and none.short == "NONE" and none.label
    assert U.names(0) == ["IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE"]
    assert none in U.all_members() and none not in U.bits()
    A = C.IPSEC_OFFLOAD_V2_AUTHENTICATION  # no NONE name in the WDK header
    assert A.names(0) == [] and A.describe(0) == "0" and A(0).label == "(none)"


_FLAG_CLASSES = [c for c in C.CONSTANT_GROUPS.values() if issubclass(c, C.ConstantFlag)]
_ENUM_CLASSES = [c for c in C.CONSTANT_GROUPS.values() if issubclass(c, C.ConstantEnum)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_FLAG_CLASSES), st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_flag_decomposition_reconstructs_any_ulong(cls, value):
    member = cls(value)
    assert int(member) == value
    rebuilt = cls.unknown_bits(value)
    for name in cls.names(value):
        rebuilt |= int(cls[name])
    assert rebuilt == value
    assert cls.unknown_bits(value) & cls.valid_mask == 0
    assert member.label  # composite labels never come out empty
    assert pickle.loads(pickle.dumps(member)) == member


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_ENUM_CLASSES), st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_enum_get_is_first_declared_or_none(cls, value):
    got = cls.get(value)
    named = cls.names(value)
    if got is None:
        assert named == [] and not cls.is_defined(value)
        with pytest.raises(ValueError):
            cls(value)
    else:
        assert got.name == named[0] and cls(value) is got and int(got) == value


# ---------------------------------------------------------------------------
# Duplicate values: every C name keeps its own member and metadata
# ---------------------------------------------------------------------------

def test_duplicate_values_keep_their_own_member():
    by_group_value: dict[tuple, list[str]] = {}
    for c in spec()["constants"]:
        if "value" in c:
            by_group_value.setdefault((c["group"], c["value"]), []).append(c["name"])
    dups = {k: v for k, v in by_group_value.items() if len(v) > 1}
    assert dups, "the spec has shared values (e.g. revisions)"
    for (group, value), names in dups.items():
        cls = C.domain_class(group)
        members = [cls[n] for n in names]
        assert [m.name for m in members] == names  # not aliases
        assert all(m == value for m in members)
        assert cls(value) is members[0] and cls.canonical(value) is members[0]
        assert cls.names(value) == names
        for m in members:
            assert m.ndis == spec_constants()[m.name]["ndis"]
            assert pickle.loads(pickle.dumps(m)) is m and copy.deepcopy(m) is m


def test_member_for_picks_the_member_of_the_field():
    keyed: dict[tuple, list[str]] = {}
    for c in spec()["constants"]:
        if "value" not in c and "value_x64" not in c:
            continue
        for f in c["applies_to"]:
            keyed.setdefault((c["group"], c.get("value", c.get("value_x64")), f), []).append(c["name"])
    for (group, value, f), names in keyed.items():
        got = C.member_for(group, value, f)
        assert got is not None and got.name == names[0], (group, value, f)
    assert C.member_for("REVISION", 5, "NDIS_OFFLOAD.Header.Revision").name == "NDIS_OFFLOAD_REVISION_5"
    assert C.member_for("REVISION", 99, "NDIS_OFFLOAD.Header.Revision") is None
    status = ["NDIS_STATUS_CHIMNEY", "NDIS_STATUS_INDICATION_CODE"]  # StatusCode's two domains
    assert C.member_for(status, 0x40020006).name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"
    assert C.member_for("IPSEC_OFFLOAD_V2_ENCRYPTION", 0x208) == 0x208


def test_members_for_field():
    got = C.members_for_field("NDIS_OFFLOAD.Header.Revision")
    want = [c["name"] for c in spec()["constants"] if "NDIS_OFFLOAD.Header.Revision" in c["applies_to"]]
    assert [m.name for m in got] == want and want


# ---------------------------------------------------------------------------
# Metadata presence and shape
# ---------------------------------------------------------------------------

def test_every_member_has_label_meaning_short_and_provenance():
    for m in all_members():
        assert isinstance(m.label, str) and m.label.strip(), m.name
        assert isinstance(m.meaning, str) and m.meaning.strip(), m.name
        assert "\n" not in m.meaning, f"{m.name}: meaning is one line"
        assert m.short and m.name.endswith(m.short), m.name
        prefix = m.name[: len(m.name) - len(m.short)]
        assert prefix == "" or prefix in type(m).prefixes, m.name
        assert re.fullmatch(r"6\.\d+", m.ndis), m.name
        assert m.source, m.name
        assert m.applies_to, m.name


def test_labels_and_shorts_unique_within_a_group():
    for cls in C.CONSTANT_GROUPS.values():
        labels = [m.label for m in cls.__members__.values()]
        shorts = [m.short for m in cls.__members__.values()]
        assert len(labels) == len(set(labels)), f"{cls.__name__}: repeated label"
        assert len(shorts) == len(set(shorts)), f"{cls.__name__}: repeated short name"


def test_examples_from_the_brief():
    E = C.IPSEC_OFFLOAD_V2_ENCRYPTION.IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128
    assert (E.label, E.short, E.ndis) == ("AES-GCM-128", "AES_GCM_128", "6.1")
    assert C.IPSEC_OFFLOAD_V2_AUTHENTICATION.IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256.label == "SHA-256"
    assert C.IPSEC_OFFLOAD_V2_UDP_ESP.IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT.label == "UDP-ESP transport"


def test_composite_ndis_is_newest_part():
    T = C.NDIS_ENCAPSULATION_TYPE
    both = T.NDIS_ENCAPSULATION_TYPE_GRE_MAC | T.NDIS_ENCAPSULATION_TYPE_VXLAN
    assert both.ndis == max((m.ndis for m in T.bits()), key=lambda v: C.ndis_version(v).code)
    assert both.ndis == T.NDIS_ENCAPSULATION_TYPE_VXLAN.ndis
    with pytest.raises(AttributeError):
        _ = both.info


def test_exists_in():
    rev5 = C.REVISION.NDIS_OFFLOAD_REVISION_5
    assert rev5.exists_in(rev5.ndis)
    earlier = C.NDIS_VERSIONS[[v.ndis for v in C.NDIS_VERSIONS].index(rev5.ndis) - 1]
    assert not rev5.exists_in(earlier.ndis)


# ---------------------------------------------------------------------------
# lookup(), domain_class(), module attributes
# ---------------------------------------------------------------------------

def test_lookup_aliases_and_spellings():
    wdk = C.NDIS_STATUS_INDICATION_CODE.NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE
    assert C.lookup("NDIS_STATUS_OFFLOAD_ENCAPSULATION_CHANGE") is wdk
    assert C.lookup("NDIS_STATUS_OFFLOAD_ENCASPULATION_CHANGE") is wdk
    uso = C.NDIS_OFFLOAD_PARAMETERS_VALUE.NDIS_OFFLOAD_PARAMETERS_USO_DISABLED
    seg = C.lookup("NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED")
    assert seg.name == "NDIS_OFFLOAD_PARAMETERS_UDP_SEG_DISABLED" and seg == uso and seg.alias_of == uso.name
    assert C.lookup("NDIS_OFFLOAD_PARAMETERS_UDP_SEG_ENABLED", follow_alias=True).name == \
        "NDIS_OFFLOAD_PARAMETERS_USO_ENABLED"
    assert C.lookup("ipsec_offload_v2_ipv6") is C.IPSEC_OFFLOAD_V2_ADD_SA_FLAGS.IPSEC_OFFLOAD_V2_IPv6
    assert C.lookup("  IPsecOffloadV2Esp ") is C.IPSEC_OFFLOAD_V2_OPERATION.IPsecOffloadV2Esp


def test_lookup_unknown_names_suggests():
    with pytest.raises(KeyError) as exc:
        C.lookup("OID_TCP_OFFLOAD_CURENT_CONFIG")
    assert isinstance(exc.value, C.UnknownConstantError)
    assert "OID_TCP_OFFLOAD_CURRENT_CONFIG" in str(exc.value) and not str(exc.value).startswith("'")
    with pytest.raises(KeyError):
        C.domain_class("NO_SUCH_GROUP")


def test_domain_class_accepts_layouts_list_form():
    assert C.domain_class(["NDIS_ENCAPSULATION"]) is C.NDIS_ENCAPSULATION
    with pytest.raises(ValueError):
        C.domain_class(["NDIS_STATUS_CHIMNEY", "NDIS_STATUS_INDICATION_CODE"])


def test_module_attributes_by_c_name():
    assert C.OID_TCP_OFFLOAD_CURRENT_CONFIG is C.OID.OID_TCP_OFFLOAD_CURRENT_CONFIG
    from ipsecexplore.constants import NDIS_OBJECT_TYPE_OFFLOAD
    assert NDIS_OBJECT_TYPE_OFFLOAD is C.NDIS_OBJECT_TYPE.NDIS_OBJECT_TYPE_OFFLOAD
    with pytest.raises(AttributeError):
        C.NOT_A_CONSTANT  # noqa: B018
    assert not set(C.CONSTANT_GROUPS) & {m.name for m in all_members()}, "a constant shadows a group name"


def test_all_is_importable():
    for name in C.__all__:
        assert hasattr(C, name), name


# ---------------------------------------------------------------------------
# GUIDs
# ---------------------------------------------------------------------------

def test_guid_members():
    g = C.GUID.GUID_NDIS_TCP_OFFLOAD_CURRENT_CONFIG
    assert isinstance(g.value, uuid.UUID)
    assert C.GUID.from_guid(g.hex) is g and C.GUID.from_guid(str(g.value).upper()) is g
    assert C.GUID.from_guid("not a guid") is None
    assert int(g) == g.value.int
    assert g.label and g.meaning and g.short == "TCP_OFFLOAD_CURRENT_CONFIG"


# ---------------------------------------------------------------------------
# NDIS versions, INF keywords, PowerShell names
# ---------------------------------------------------------------------------

def test_ndis_versions_match_spec():
    want = spec()["ndis_versions"]
    assert [(v.ndis, v.code, v.windows) for v in C.NDIS_VERSIONS] == [(w["ndis"], w["code"], w["windows"])
                                                                      for w in want]
    rows = {}
    for line in md_section("1. NDIS versions").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"6\.\d+", cells[0]):
            rows[cells[0]] = (int(cells[3]) if cells[3] else None, int(cells[4]) if cells[4] else None)
    assert rows == {v.ndis: (v.offload_revision, v.parameters_revision) for v in C.NDIS_VERSIONS}


def test_ndis_version_order_and_lookup():
    assert C.ndis_at_least("6.30", "6.1") and not C.ndis_at_least("6.1", "6.20")  # not string order
    assert C.ndis_version(630) is C.ndis_version("6.30") and C.ndis_version("6.30").support_macro == \
        "NDIS_SUPPORT_NDIS630"
    with pytest.raises(ValueError):
        C.ndis_version("6.2")
    for rev in range(1, 9):
        assert C.offload_revision_ndis(rev) == C.lookup(f"NDIS_OFFLOAD_REVISION_{rev}").ndis
    for rev in range(1, 7):
        assert C.parameters_revision_ndis(rev) == C.lookup(f"NDIS_OFFLOAD_PARAMETERS_REVISION_{rev}").ndis
    with pytest.raises(ValueError):
        C.offload_revision_ndis(9)


def test_inf_keywords_match_spec():
    want = spec()["inf_keywords"]
    assert list(C.INF_KEYWORDS) == [k["keyword"] for k in want]
    for k in want:
        got = C.INF_KEYWORDS[k["keyword"]]
        assert (got.param_desc, got.registry_type, got.ui_type, got.default) == \
            (k["param_desc"], k["registry_type"], k["ui_type"], k["default"])
        assert got.values == {v["value"]: v["meaning"] for v in k["values"]}
        assert got.offload_parameters_field == k["offload_parameters_field"]
        assert got.offload_parameters_value == k["offload_parameters_value"]
        assert got.source == k["source"]
        assert got.default_note


def test_inf_keyword_to_offload_parameters():
    for kw in C.INF_KEYWORDS.values():
        for value in kw.values:
            m = kw.parameters_member(value)
            assert int(m) == value + 1 == kw.parameters_value(value)
            assert kw.offload_parameters_field in m.applies_to
        with pytest.raises(ValueError):
            kw.parameters_value(max(kw.values) + 1)
    assert C.INF_KEYWORDS["*IPsecOffloadV2"].parameters_member(3).name == \
        "NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED"


def test_powershell_names_match_spec_and_are_marked_unverified():
    assert C.POWERSHELL_NAMES_VERIFIED is False and "unverified" in C.POWERSHELL_NAMES_NOTE
    text = md_section("6.2")
    for family, kind, first_bit in (("AuthenticationAlgorithms", "authentication", 0x1),
                                    ("EncryptionAlgorithms", "encryption", 0x2)):
        line = next(li for li in text.splitlines() if li.startswith(f"- {kind} bits"))
        names = re.findall(r"`([A-Z0-9]+)`", line)
        assert C.POWERSHELL_NAMES[family] == {n: first_bit << i for i, n in enumerate(names)}
        cls = C.POWERSHELL_NAME_CLASSES[family]
        assert C.POWERSHELL_NAMES_BY_GROUP[cls.group] is C.POWERSHELL_NAMES[family]
        for bit in C.POWERSHELL_NAMES[family].values():
            assert cls(bit) in cls.bits()
    assert 0x1 not in C.POWERSHELL_NAMES["EncryptionAlgorithms"].values()  # no name seen for NONE


def test_algorithm_bit_accepts_every_form():
    for family, table in C.POWERSHELL_NAMES.items():
        cls = C.POWERSHELL_NAME_CLASSES[family]
        for ps_name, bit in table.items():
            assert C.algorithm_bit(family, ps_name.lower()) == bit
            assert C.algorithm_bit(family, cls(bit).name) == bit
            assert C.algorithm_bit(family, cls(bit).short) == bit
    none = C.IPSEC_OFFLOAD_V2_ENCRYPTION.IPSEC_OFFLOAD_V2_ENCRYPTION_NONE
    assert C.algorithm_bit("EncryptionAlgorithms", "NONE") == none
    with pytest.raises(ValueError, match="EncryptionAlgorithms"):
        C.algorithm_bit("EncryptionAlgorithms", "ROT13")
    with pytest.raises(ValueError):
        C.algorithm_bit("Hashes", "MD5")


# ---------------------------------------------------------------------------
# The module stands alone
# ---------------------------------------------------------------------------

def test_module_does_not_read_the_spec_at_import():
    """Import the module file in a fresh interpreter with an audit hook that fails on opening any
    .json/.md file: the constants must be plain Python, usable without the spec files."""
    path = Path(C.__file__)
    code = f"""
import sys, importlib.util
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].endswith((".json", ".md")):
        raise RuntimeError("constants opened " + args[0])
sys.addaudithook(hook)
spec = importlib.util.spec_from_file_location("constants_alone", {str(path)!r})
mod = importlib.util.module_from_spec(spec)
sys.modules["constants_alone"] = mod
spec.loader.exec_module(mod)
print(len(mod.all_constants()))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(C.all_constants())
