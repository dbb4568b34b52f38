"""BuilderWidget without a browser: controls derived from the layout, observers, views, paste, export, presets.

The expected offsets, sizes and flag values come from the spec (layouts.json via tests/helpers.py) or from
an independent "shadow" NdisOffload edited member by member, never from the widget itself.
"""

from __future__ import annotations

import base64
import datetime
import json
import re

import pytest

ipywidgets = pytest.importorskip("ipywidgets")

from helpers import spec_json, spec_member, spec_revision_size  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import ipsecexplore as ix  # noqa: E402
from ipsecexplore.columns import flag_columns  # noqa: E402
from ipsecexplore.widgets import BuilderWidget  # noqa: E402
from ipsecexplore.widgets.builder import rule_members  # noqa: E402
from ipsecexplore.widgets.common import css_class  # noqa: E402

OFF = "NDIS_OFFLOAD"


def _byte_span(html_text: str, offset: int) -> tuple[str, int]:
    """(class attribute, byte value) of the dump's span carrying ``data-offset=offset``."""
    m = re.search(rf'<span class="([^"]*)" data-offset="{offset}"[^>]*>([0-9a-f]{{2}})</span>', html_text)
    assert m, f"no byte with data-offset={offset} in the dump"
    return m.group(1), int(m.group(2), 16)


def _ipsecv2_spec_members() -> list[dict]:
    """NDIS_IPSEC_OFFLOAD_V2 leaves as layouts.json records them (x64)."""
    return [m for m in spec_json()["structures"]["NDIS_IPSEC_OFFLOAD_V2"]["members"]["x64"]
            if m.get("kind") not in ("struct", "union")]


@pytest.fixture
def w():
    return BuilderWidget(revision=2, load_fleet_presets=False)


# --- controls -------------------------------------------------------------------------------------------

def test_one_control_per_ipsecv2_member(w):
    spec = _ipsecv2_spec_members()
    assert spec, "spec lists NDIS_IPSEC_OFFLOAD_V2 members"
    for m in spec:
        path = "IPsecV2." + m["path"]
        if m["ctype"] == "BOOLEAN":
            cb = w.controls[path]
            assert isinstance(cb, ipywidgets.Checkbox)
            assert cb.description == m["name"] if "name" in m else m["path"]
            assert css_class(path) in cb._dom_classes
            assert cb.tooltip and path in cb.tooltip
        else:
            cols = flag_columns(path)
            if cols:
                for col in cols:
                    t = w.controls[col.column]
                    assert isinstance(t, ipywidgets.ToggleButton)
                    assert col.column.endswith("." + t.description)
                    assert css_class(col.column) in t._dom_classes
                    assert col.macro in t.tooltip
            else:
                box = w.controls[path]
                assert isinstance(box, ipywidgets.BoundedIntText)
                assert (box.min, box.max) == (0, 2 ** (8 * m["size"]) - 1)
                assert box.description == m["path"]


def test_checkbox_descriptions_are_c_names(w):
    names = {w.controls[p].description for p in w.controls if isinstance(w.controls[p], ipywidgets.Checkbox)
             and p.startswith("IPsecV2.")}
    assert {"Esp", "Ah", "AhEspCombined", "ExtendedSequenceNumbers"} <= names


def test_flag_labels_are_constant_short_names(w):
    from ipsecexplore import constants

    for member in ("IPsecV2.Encapsulation", "IPsecV2.UdpEsp", "IPsecV2.AuthenticationAlgorithms",
                   "IPsecV2.EncryptionAlgorithms"):
        cols = flag_columns(member)
        assert cols
        for col in cols:
            assert w.controls[col.column].description == constants.lookup(col.macro).short


def test_boolean_tooltip_carries_rule_meaning(w):
    from ipsecexplore.rules.base import RULES

    esp_rule = [r for r in RULES.values() if r.text.startswith("`Esp`:")]
    assert esp_rule
    assert "Encapsulating Security Payload" in w.controls["IPsecV2.Esp"].tooltip


def test_revision_dropdown_covers_revisions_with_ipsecv2(w):
    revs = [r["revision"] for r in spec_json()["structures"][OFF]["revisions"]
            if r["size"]["x64"] >= spec_member(OFF, "IPsecV2.SaOffloadCapacity")["offset"] + 4]
    assert [v for _, v in w.revision.options] == revs
    assert revs[0] == 2 and revs[-1] == 8


def test_collapsed_section_holds_rule_members(w):
    assert w.more.selected_index is None
    paths = rule_members()
    assert "Flags" in paths
    assert {"LsoV1.IPv4.Encapsulation", "LsoV2.IPv4.Encapsulation", "LsoV2.IPv6.Encapsulation"} <= set(paths)
    assert "Flags.TCP_CHECKSUM_COEXISTENCE" in w.controls and "Flags.UDP_CHECKSUM_COEXISTENCE" in w.controls
    # every control of the collapsed section sits inside the accordion
    inside = set()

    def walk(x):
        inside.add(id(x))
        for c in getattr(x, "children", ()):
            walk(c)

    walk(w.more)
    assert id(w.controls["Flags.TCP_CHECKSUM_COEXISTENCE"]) in inside
    assert id(w.controls["IPsecV2.Esp"]) not in inside


# --- observers and views --------------------------------------------------------------------------------

def test_esp_toggle_flips_byte_at_its_offset(w):
    off = spec_member(OFF, "IPsecV2.Esp")["offset"]
    assert off == 0x78
    cls, val = _byte_span(w.hex_view.value, off)
    assert val == 0
    before = w.update_count
    w.controls["IPsecV2.Esp"].value = True
    assert w.update_count == before + 1  # one change, one encode, one redraw
    cls, val = _byte_span(w.hex_view.value, off)
    assert val == 1 and "hl" in cls.split()
    assert w.bytes[off] == 1 and w.offload.IPsecV2.Esp is True
    assert 'class="ipsecexplore-hexdump"' in w.hex_view.value
    w.controls["IPsecV2.Esp"].value = False
    assert _byte_span(w.hex_view.value, off)[1] == 0 and w.bytes[off] == 0


def test_flag_toggle_sets_its_bit(w):
    m = spec_member(OFF, "IPsecV2.EncryptionAlgorithms")
    for col in flag_columns("IPsecV2.EncryptionAlgorithms"):
        w.controls[col.column].value = True
        assert int.from_bytes(w.bytes[m["offset"]:m["offset"] + 4], "little") & col.bit
        byte = m["offset"] + (col.bit.bit_length() - 1) // 8
        assert _byte_span(w.hex_view.value, byte)[1] == w.bytes[byte]
    every = 0
    for col in flag_columns("IPsecV2.EncryptionAlgorithms"):
        every |= col.bit
    assert w.offload.IPsecV2.EncryptionAlgorithms == every
    w.controls["IPsecV2.EncryptionAlgorithms.AES_GCM_128"].value = False
    assert w.offload.IPsecV2.EncryptionAlgorithms == every & ~0x8


def test_sa_capacity_box(w):
    m = spec_member(OFF, "IPsecV2.SaOffloadCapacity")
    w.controls["IPsecV2.SaOffloadCapacity"].value = 2 ** 32 - 1
    assert w.bytes[m["offset"]:m["offset"] + 4] == b"\xff\xff\xff\xff"
    w.controls["IPsecV2.SaOffloadCapacity"].value = 1024
    assert int.from_bytes(w.bytes[m["offset"]:m["offset"] + 4], "little") == 1024


def test_revision_change_sets_header(w):
    w.controls["IPsecV2.Esp"].value = True
    w.revision.value = 8
    assert len(w.bytes) == spec_revision_size(OFF, 8)
    assert w.bytes[1] == 8 and int.from_bytes(w.bytes[2:4], "little") == spec_revision_size(OFF, 8)
    assert w.offload.IPsecV2.Esp is True and w.controls["IPsecV2.Esp"].value is True


def test_lowering_revision_clears_and_reports_members_it_lacks(w):
    off = ix.NdisOffload.new(revision=8)
    off.UdpRsc.Enabled = True
    off.IPsecV2.Ah = True
    assert w.load(ix.encode(off))
    w.revision.value = 2
    assert len(w.bytes) == spec_revision_size(OFF, 2)
    assert "UdpRsc.Enabled" in w.notes.value and "cleared" in w.notes.value
    assert w.offload.IPsecV2.Ah is True


def test_findings_view_follows_changes(w):
    rules = pytest.importorskip("ipsecexplore.rules")
    validate = getattr(rules, "validate", None)
    if not callable(validate):
        pytest.skip("ipsecexplore.rules.validate is not available yet")

    w.controls["IPsecV2.Esp"].value = True  # ESP without a mode, capacity, algorithms: rules say so
    expected = validate(w.offload)
    assert validate(w.bytes).to_list() == expected.to_list()
    assert len(expected) > 0
    assert w.findings_view.value == expected._repr_html_()
    for f in expected:
        assert f.rule_id in w.findings_view.value if hasattr(f, "rule_id") else True


def test_hidden_views_render_when_shown(w):
    w.controls["IPsecV2.Ah"].value = True
    w.views.selected_index = 1
    w.views.selected_index = 0
    assert "offload.IPsecV2.Ah = TRUE;" in w.c_view.value
    w.views.selected_index = 1
    assert "IPsecV2.Ah" in w.members_view.value and "ipsecexplore-members" in w.members_view.value
    w.controls["IPsecV2.Ah"].value = False  # the visible view follows at once
    assert "IPsecV2.Ah</td><td>BOOLEAN</td><td></td><td>False" in w.members_view.value
    w.render_all()
    assert "IPsecV2.Ah = TRUE" not in w.c_view.value


def test_hover_css_targets_member_bytes(w):
    css = w.hover_css.value
    assert css.startswith("<style>")
    for b in w.bindings:
        assert f".{css_class(b.key)}:hover" in css
        assert f'[data-member~="{b.path}"]' in css
    # scoped to this instance
    other = BuilderWidget(revision=2, load_fleet_presets=False)
    scope = [c for c in w._dom_classes if re.fullmatch(r"ipsecexplore-builder-\d+", c)]
    scope2 = [c for c in other._dom_classes if re.fullmatch(r"ipsecexplore-builder-\d+", c)]
    assert scope and scope2 and scope != scope2
    assert f".{scope[0]}:has(" in css and f".{scope2[0]}:has(" not in css


# --- reverse direction --------------------------------------------------------------------------------------

def _sample() -> ix.NdisOffload:
    off = ix.NdisOffload.new(revision=3)
    off.IPsecV2.Esp = True
    off.IPsecV2.Transport = True
    off.IPsecV2.EncryptionAlgorithms = 0x8
    off.IPsecV2.SaOffloadCapacity = 2048
    off.Flags = 0x2
    return off


def test_paste_good_hex_moves_every_control(w):
    off = _sample()
    w.paste.value = ix.encode(off).hex(" ")
    before = w.update_count
    w.load_button.click()
    assert w.update_count == before + 1  # controls followed under the guard: no re-encode per control
    assert w.error.value == ""
    assert w.bytes == ix.encode(off)
    assert w.revision.value == 3
    assert w.controls["IPsecV2.Esp"].value is True and w.controls["IPsecV2.Transport"].value is True
    assert w.controls["IPsecV2.EncryptionAlgorithms.AES_GCM_128"].value is True
    assert w.controls["IPsecV2.SaOffloadCapacity"].value == 2048
    assert w.controls["Flags.TCP_CHECKSUM_COEXISTENCE"].value is True
    assert w.control_state() == w.expected_control_state()


@pytest.mark.parametrize("text, words", [
    ("a7 02 zz", "zz"),
    ("a7 02 90", "too short"),
    ("", "nothing to load"),
    ("00 02 90 00", "Header.Type"),
])
def test_paste_bad_hex_shows_error_in_place(w, text, words):
    before = w.bytes
    w.paste.value = text
    w.load_button.click()  # must not raise
    assert 'class="ipsecexplore-error"' in w.error.value
    assert words.lower() in w.error.value.lower()
    assert "Traceback" not in w.error.value
    assert w.bytes == before


def test_paste_revision_without_ipsecv2_is_refused(w):
    w.paste.value = ix.encode(ix.NdisOffload.new(revision=1)).hex()
    w.load_button.click()
    assert "no IPsecV2" in w.error.value and w.revision.value == 2


def test_paste_keeps_bits_without_control_and_says_so(w):
    off = _sample()
    off.IPsecV2.EncryptionAlgorithms = 0x8 | 0x200  # 0x200: no named flag
    assert w.load(ix.encode(off).hex())
    assert w.bytes == ix.encode(off)
    assert "0x200" in w.notes.value
    w.controls["IPsecV2.EncryptionAlgorithms.AES_GCM_128"].value = False
    assert w.offload.IPsecV2.EncryptionAlgorithms == 0x200


def test_paste_exported_json(w):
    off = _sample()
    w.load(off)
    w.export_format.value = "JSON"
    w.render_all()
    text = w.export_text.value
    w2 = BuilderWidget(revision=2, load_fleet_presets=False)
    w2.paste.value = text
    w2.load_button.click()
    assert w2.error.value == "" and w2.bytes == ix.encode(off)


def test_upload_loads_file(w):
    off = _sample()
    data = ix.encode(off)
    for content in (data, data.hex(" ").encode()):
        w.upload.value = ({"name": "adapter.bin", "type": "", "size": len(content),
                           "content": memoryview(content), "last_modified": datetime.datetime(2024, 1, 1)},)
        assert w.error.value == "" and w.bytes == data
        w.load(ix.NdisOffload.new(revision=2))
    w.upload.value = ({"name": "junk.bin", "type": "", "size": 3, "content": memoryview(b"\x00\x01\x02"),
                       "last_modified": datetime.datetime(2024, 1, 1)},)
    assert "ipsecexplore-error" in w.error.value and "junk.bin" in w.error.value or "too short" in w.error.value


# --- export, presets, diff ----------------------------------------------------------------------------------

def test_export_formats_and_links(w):
    w.load(_sample())
    w.render_all()
    data = w.bytes
    for fmt in ("hex", "JSON", "C"):
        w.export_format.value = fmt
        text = w.export_text.value
        if fmt == "hex":
            assert bytes.fromhex(text.replace("\n", " ")) == data
        elif fmt == "JSON":
            values = json.loads(text)
            assert ix.encode(ix.NdisOffload.from_dict(values)) == data
        else:
            assert "offload.IPsecV2.Esp = TRUE;" in text
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', w.export_links.value))
    assert base64.b64decode(links["ndis_offload_rev3.bin"]) == data
    assert json.loads(base64.b64decode(links["ndis_offload_rev3.json"])) == json.loads(
        w.export_text.value if w.export_format.value == "JSON" else json.dumps(
            {k: v for k, v in w.offload.to_dict().items()}))
    assert set(links) == {"ndis_offload_rev3.bin", "ndis_offload_rev3.hex", "ndis_offload_rev3.json",
                          "ndis_offload_rev3.c"}


def test_presets_load_and_diff(w):
    off = _sample()
    w.add_presets({"sample adapter": ix.encode(off)})
    assert "sample adapter" in [v for _, v in w.preset.options]
    w.preset.value = "sample adapter"
    assert w.bytes == ix.encode(off) and w.preset.value == ""  # the dropdown resets for the next pick
    w.reference.value = "sample adapter"
    w.views.selected_index = 3
    assert "No member differs" in w.diff_view.value
    w.controls["IPsecV2.Ah"].value = True
    assert "<code>IPsecV2.Ah</code>" in w.diff_view.value
    from ipsecexplore.diff import diff

    assert w.diff_view.value == diff(off, w.offload, labels=["sample adapter", "current"])._repr_html_()


def test_snapshot_reference(w):
    w.views.selected_index = 3
    label = w.add_reference_from_current()
    assert w.reference.value == label
    w.controls["IPsecV2.Tunnel"].value = True
    assert "<code>IPsecV2.Tunnel</code>" in w.diff_view.value


def test_offload_argument_and_setter():
    off = _sample()
    w = BuilderWidget(offload=off, load_fleet_presets=False)
    assert w.bytes == ix.encode(off) and w.revision.value == 3
    w.offload = ix.NdisOffload.new(revision=5)
    assert w.revision.value == 5 and not any(w.control_state().values())


# --- property: widget state and bytes never disagree ---------------------------------------------------------

def _actions():
    w0 = BuilderWidget(revision=2, load_fleet_presets=False)
    keys = sorted(b.key for b in w0.bindings if b.kind != "int")
    ints = sorted(b.key for b in w0.bindings if b.kind == "int")
    return st.lists(st.one_of(
        st.tuples(st.just("toggle"), st.sampled_from(keys)),
        st.tuples(st.just("int"), st.sampled_from(ints), st.integers(0, 2 ** 32 - 1)),
        st.tuples(st.just("revision"), st.integers(2, 8)),
        st.tuples(st.just("paste"), st.integers(2, 8), st.integers(0, 2 ** 32 - 1), st.booleans()),
    ), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_actions())
def test_random_control_sequences_keep_bytes_and_controls_in_step(actions):
    w = BuilderWidget(revision=2, load_fleet_presets=False)
    bind = {b.key: b for b in w.bindings}
    shadow = ix.NdisOffload.new(revision=2)  # edited independently, member by member

    def shadow_set(path, value):
        *parents, leaf = path.split(".")
        obj = shadow
        for p in parents:
            obj = getattr(obj, p)
        setattr(obj, leaf, value)

    for act in actions:
        if act[0] == "toggle":
            b = bind[act[1]]
            new = not b.widget.value
            b.widget.value = new
            if b.kind == "bit":
                cur = shadow.to_dict(raw=True)[b.path]
                shadow_set(b.path, (cur | b.bit) if new else (cur & ~b.bit))
            else:
                shadow_set(b.path, int(new))
        elif act[0] == "int":
            bind[act[1]].widget.value = act[2]
            shadow_set(bind[act[1]].path, act[2])
        elif act[0] == "revision":
            w.revision.value = act[1]
            keep = {m.path for m in shadow.layout.leaves_within(shadow.layout.revision_size(act[1]))}
            vals = {p: v for p, v in shadow.to_dict(raw=True).items() if p in keep and not p.startswith("Header.")}
            shadow = ix.NdisOffload.from_dict(vals, revision=act[1])
        else:
            _, rev, sa, esp = act
            src = ix.NdisOffload.new(revision=rev)
            src.IPsecV2.SaOffloadCapacity = sa
            src.IPsecV2.Esp = esp
            w.paste.value = ix.encode(src).hex(" ")
            w.load_button.click()
            shadow = src
        assert w.error.value == ""
        assert w.bytes == ix.encode(w.offload)
        assert w.bytes == ix.encode(shadow)
        assert w.control_state() == w.expected_control_state()
        assert w.revision.value == w.offload.revision
        assert _byte_span(w.hex_view.value, len(w.bytes) - 1)[1] == w.bytes[-1]


def test_captured_preset_says_what_it_lacks(w):
    from ipsecexplore.widgets.presets import Preset

    p = Preset("HOSTX / nic — hardware", {"IPsecV2.Esp": True, "IPsecV2.SaOffloadCapacity": 64},
               source="x.txt:3", provenance="illustrative", missing=("IPsecV2.Encapsulation",))
    w.revision.value = 3
    w.add_presets({p.label: p})
    w.preset.value = p.label
    assert w.error.value == "" and w.revision.value == 3
    assert w.offload.IPsecV2.Esp is True and w.controls["IPsecV2.SaOffloadCapacity"].value == 64
    for words in ("x.txt:3", "illustrative", "IPsecV2.Encapsulation", "no NDIS_OBJECT_HEADER"):
        assert words in w.notes.value
