"""Widget behaviour found in a review of the explorer with odd input: what the builder keeps or drops when
the revision changes, bytes past Header.Size, its own exports pasted back, errors that name the file, a
hardware object given to the flow widget, and the fleet widget's chart notes and failed re-imports.

Offsets and sizes come from the spec (layouts.json via tests/helpers.py), never from the widgets."""

from __future__ import annotations

import datetime
import html
import re

import pytest

pytest.importorskip("ipywidgets")

from helpers import spec_constant, spec_json, spec_revision_size  # noqa: E402

import ipsecexplore as ix  # noqa: E402
from ipsecexplore.widgets import BuilderWidget, FlowWidget  # noqa: E402

OFF = "NDIS_OFFLOAD"


def _text(h: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded, spaces collapsed)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", h))).strip()


def _padding_offset_in_ipsecv2() -> int:
    """A padding byte of NDIS_OFFLOAD inside the IPsecV2 block (present from revision 2)."""
    start, end = 0x70, spec_revision_size(OFF, 2)
    for p in spec_json()["structures"][OFF]["padding"]["x64"]:
        if start <= p["offset"] < end:
            return p["offset"]
    pytest.skip("the spec lists no padding inside IPsecV2")


def _upload(w, name: str, content: bytes) -> None:
    w.upload.value = ({"name": name, "type": "", "size": len(content), "content": memoryview(content),
                       "last_modified": datetime.datetime.now()},)


@pytest.fixture
def w():
    return BuilderWidget(revision=2, load_fleet_presets=False)


def _esp(revision: int) -> bytearray:
    off = ix.NdisOffload.new(revision=revision)
    off.IPsecV2.Esp = True
    return bytearray(ix.encode(off))


# --- builder: revision changes say what they drop -------------------------------------------------------

def test_revision_change_says_nonzero_padding_was_cleared(w):
    pad = _padding_offset_in_ipsecv2()
    data = _esp(3)
    data[pad] = 0x11
    assert w.load(bytes(data)) and w.bytes[pad] == 0x11
    w.revision.value = 4
    assert w.bytes[pad] == 0, "a new revision is written as a driver writes it (padding zero)"
    notes = _text(w.notes.value)
    assert f"0x{pad:X}" in notes and "cleared" in notes, notes


def test_revision_change_says_bytes_past_the_macro_size_were_dropped(w):
    macro2 = spec_revision_size(OFF, 2)
    data = _esp(2)
    larger = macro2 + 16
    data[2:4] = larger.to_bytes(2, "little")
    data += bytes(16)
    data[macro2 + 6] = 0x55
    assert w.load(bytes(data)) and len(w.bytes) == larger
    w.revision.value = 3
    assert len(w.bytes) == spec_revision_size(OFF, 3)
    notes = _text(w.notes.value)
    assert f"Header.Size {larger}" in notes and "16 byte(s)" in notes, notes


def _larger_size(data: bytearray, extra: int) -> bytearray:
    """``data`` with ``extra`` zero bytes appended and counted in Header.Size (accepted by readers, R8)."""
    data[2:4] = (len(data) + extra).to_bytes(2, "little")
    return data + bytes(extra)


def test_note_about_a_larger_header_size_stays_while_editing(w):
    macro2 = spec_revision_size(OFF, 2)
    data = _larger_size(_esp(2), 8)
    assert w.load(bytes(data))
    w.controls["IPsecV2.Ah"].value = True
    assert len(w.bytes) == macro2 + 8
    assert f"Header.Size {macro2 + 8}" in _text(w.notes.value), "the dump is longer than the macro: say why"


# --- builder: bytes after Header.Size -------------------------------------------------------------------

def test_trailing_bytes_are_not_called_kept(w):
    data = bytes(_esp(2)) + b"\x01\x02\x03"
    assert w.load(data)
    assert len(w.bytes) == spec_revision_size(OFF, 2)
    w.render_all()
    assert len(bytes.fromhex(w.export_text.value.replace("\n", " "))) == spec_revision_size(OFF, 2)
    notes = _text(w.notes.value)
    assert "3 byte(s)" in notes and "not part of" in notes, notes
    assert "kept" not in notes, "the builder's bytes and exports do not carry them"


# --- builder: its own JSON export loads back ------------------------------------------------------------

def test_json_export_of_a_larger_header_size_loads_back(w):
    macro2 = spec_revision_size(OFF, 2)
    data = _larger_size(_esp(2), 8)
    assert w.load(bytes(data))
    w.render_all()
    w.export_format.value = "JSON"
    exported = w.export_text.value
    w2 = BuilderWidget(revision=2, load_fleet_presets=False)
    assert w2.load_text(exported), _text(w2.error.value)
    assert w2.offload.IPsecV2.Esp is True and w2.error.value == ""
    assert f"Header.Size {macro2 + 8}" in _text(w2.notes.value)


# --- builder: errors name the input ---------------------------------------------------------------------

def test_upload_decode_error_names_the_file(w):
    _upload(w, "adapter-cut.bin", bytes(_esp(2))[:2])
    assert "adapter-cut.bin" in _text(w.error.value)
    _upload(w, "photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert "photo.png" in _text(w.error.value)


def test_paste_decode_error_names_the_paste(w):
    assert not w.load_text("a7 02")
    assert _text(w.error.value).startswith("paste")


# --- flow: the hardware the caller gave is the one simulated --------------------------------------------

def test_flow_uses_given_hardware_even_with_error_findings():
    esp_only = ix.NdisOffload.new(revision=2)
    esp_only.IPsecV2.Esp = True  # no 802.3, no Tunnel: NdisMSetMiniportAttributes refuses it (R14, R34)
    f = FlowWidget(esp_only, keywords={})
    assert f.hardware.value == "given hardware"
    f.initialize_button.click()
    first = f.sim.timeline[0]
    assert first.status != "NDIS_STATUS_SUCCESS" and first.findings.has_errors


def test_flow_given_hardware_that_cannot_be_built_is_shown_as_an_error():
    wmi = bytearray(300)
    wmi[0], wmi[1] = spec_constant("NDIS_OBJECT_TYPE_OFFLOAD"), 8
    wmi[2:4] = (296).to_bytes(2, "little")  # capture-formats.md §5: what WMI returns
    f = FlowWidget(bytes(wmi))
    assert f.hardware.value == "given hardware"
    assert f.sim is None and "NDIS_WMI_OFFLOAD" in _text(f.error.value)


# --- fleet widget -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fw():
    pytest.importorskip("ipsecexplore.fleet")
    pytest.importorskip("ipsecexplore.charts")
    from ipsecexplore.widgets import FleetWidget
    from ipsecexplore.widgets.presets import default_data_paths

    paths = default_data_paths()
    if not paths:
        pytest.skip("data/sample is not present")
    return FleetWidget(paths)


def test_chart_note_is_plain_words_and_whole_sentences(fw):
    for name in fw.chart.options:
        fw.chart.value = name
        note = _text(fw.chart_note.value)
        assert "``" not in note, f"{name}: reST markup in the note: {note}"
        desc = note.split(" — ")[0]
        assert desc.endswith((".", ")")), f"{name}: the description is cut: {note}"


def test_failed_reload_says_the_previous_fleet_is_still_shown(fw):
    before = fw.fleet
    old = fw.paths.value
    try:
        fw.paths.value = "/nonexistent/ipsecexplore-review"
        assert not fw.load()
        assert fw.fleet is before
        assert "previous" in _text(fw.status.value) and before.summary() in _text(fw.status.value)
    finally:
        fw.paths.value = old
