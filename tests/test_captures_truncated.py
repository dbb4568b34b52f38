"""Capture files cut short: the complete part loads, the cut object is a rejected record naming the file, its
line and what is missing; nothing is dropped without a word."""

from __future__ import annotations

import pytest
from captures_support import by_view, ipsec_obj, load

from ipsecexplore.captures import cim, synth


def _objs(n=3, host="HOST01"):
    return [ipsec_obj(f"E{i}", host=host) for i in range(n)]


def _first_lines(text):
    """1-based first line of every object (a non-blank line after a blank one)."""
    lines = text.split("\n")
    return [i + 1 for i, ln in enumerate(lines) if ln.strip() and (i == 0 or not lines[i - 1].strip())]


def _before(text, prop):
    """``text`` up to the last object's ``prop`` line (ending with the line end of the line before)."""
    return text[: text.rfind("\n" + prop + " ") + 1]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-8"])
@pytest.mark.parametrize("cut_before", ["AhSupported", "EspEnabled", "SaOffloadCapacityEnabled"])
def test_format_list_cut_between_property_lines_rejects_the_last_object(encoding, cut_before):
    text = synth.format_list(_objs())
    cut = _before(text, cut_before)
    r = load(synth.encode_windows(cut, encoding), "HOST01.txt")
    assert {rec.adapter for rec in r.records} == {"E0", "E1"}
    (rej,) = r.rejected
    assert rej.line == _first_lines(text)[2]
    assert "object cut short" in rej.reason and cut_before in rej.reason
    assert f"ends at line {cut.count(chr(10))}" in rej.reason


def test_the_message_names_a_few_missing_properties_and_counts_the_rest():
    text = synth.format_list(_objs(2))
    r = load(_before(text, "IPv6Supported"))
    (rej,) = r.rejected
    assert "IPv6Supported" in rej.reason and "more, which the other objects here carry" in rej.reason


def test_format_list_cut_inside_the_last_line_of_a_property_that_is_read():
    text = synth.format_list(_objs(2))
    i = text.rfind("SaOffloadCapacityEnabled")
    cut = text[: text.index("\n", i) - 1]  # "SaOffloadCapacityEnabled : 100" instead of 1000
    r = load(synth.encode_windows(cut, "utf-16-le"))
    (rej,) = r.rejected
    assert "its last line, SaOffloadCapacityEnabled, has no line end" in rej.reason
    assert {rec.adapter for rec in r.records} == {"E0"}


def test_wrapped_text_takes_the_block_path_and_is_checked_too():
    objs = [ipsec_obj(f"E{i}", description="Intel(R) Ethernet Converged Network Adapter X550-T2 #17 long")
            for i in range(2)]
    text = synth.format_list(objs, width=60)
    assert "\n " in text
    r = load(_before(text, "TunnelSupported"))
    (rej,) = r.rejected
    assert "TunnelSupported" in rej.reason and rej.line == _first_lines(text)[1]


def test_complete_objects_without_trailing_blank_lines_load():
    text = synth.format_list(_objs()).rstrip("\n") + "\n"  # every property there, no blank line at the end
    r = load(synth.encode_windows(text, "utf-16-le"))
    assert not r.rejected and r.loaded == 3
    r = load(text.rstrip("\n"))  # not even the last line end: PSComputerName is not read, nothing is lost
    assert not r.rejected and r.loaded == 3


def test_a_single_object_without_trailing_blank_lines_loads_with_a_remark():
    text = synth.format_list(_objs(1))
    cut = _before(text, "AhEnabled")
    r = load(cut)
    assert not r.rejected and r.loaded == 1
    cur = by_view(r)[("HOST01", "E0", "current")]
    assert "IPsecV2.Ah" not in cur.values  # what was not captured stays missing
    (remark,) = r.remarks
    assert remark.line == 2 and "AhEnabled" in remark.text and "if the file was cut short" in remark.text


def test_a_complete_single_object_without_trailing_blank_lines_has_no_remark():
    r = load(synth.format_list(_objs(1)).rstrip("\n") + "\n")
    assert r.loaded == 1 and not r.rejected and not r.remarks


def test_objects_that_differ_but_end_with_blank_lines_all_load():
    objs = _objs(2)
    objs[1] = [(k, v) for k, v in objs[1] if k not in cim.CURRENT]  # Select-Object of fewer properties
    r = load(synth.format_list(objs))
    assert not r.rejected and r.loaded == 2


def test_advanced_property_objects_cut_short():
    objs = [synth.advprop_object(name=f"E{i}", description="X", host="H", instance_id="{1}",
                                 keyword="*IPsecOffloadV2", value=3, display_name="IPsec Offload",
                                 labels={0: "Disabled", 3: "Auth Header & ESP Enabled"}, default=3)
            for i in range(2)]
    text = synth.format_list(objs)
    r = load(_before(text, "RegistryKeyword"))
    assert r.loaded == 1
    (rej,) = r.rejected
    assert "RegistryKeyword" in rej.reason and rej.line == _first_lines(text)[1]


def _gnv(blocks):
    return synth.getnetview_file("admin", "HOST09", blocks)


def test_getnetview_format_list_block_followed_by_another_block_is_complete():
    cmd = 'Get-NetAdapterIPsecOffload -Name "E0" -IncludeHidden'
    objs = _objs(2)
    objs[1] = [(k, v) for k, v in objs[1] if k != "SaOffloadCapacityEnabled"]  # objects may differ
    fl = synth.format_list(objs).rstrip("\n") + "\n\n"  # one blank line, then the next banner
    text = _gnv([(cmd + " | Format-List -Property *", fl, None), (cmd + " | Format-Table -Property *", "x\n", None)])
    r = load(text, "msdbg.HOST09/pNIC.1.E0.X/Get-NetAdapterIPsecOffload.txt")
    assert not r.rejected and r.loaded == 2


def test_getnetview_file_cut_in_its_format_list_block():
    cmd = 'Get-NetAdapterIPsecOffload -Name "E0" -IncludeHidden'
    text = _gnv([(cmd, "Name\n----\nE0\n", None), (cmd + " | Format-List -Property *", synth.format_list(_objs(2)),
                                                    None)])
    cut = _before(text, "TransportEnabled")
    r = load(synth.encode_windows(cut, "utf-16-le"), "msdbg.HOST09/pNIC.1.E0.X/Get-NetAdapterIPsecOffload.txt")
    assert r.loaded == 1
    (rej,) = r.rejected
    ifalias = [i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("ifAlias")]
    assert "TransportEnabled" in rej.reason and rej.line == ifalias[1]


# ------------------------------------------------------------------ files that end inside a character
def _utf16(text):
    return synth.encode_windows(text, "utf-16-le")


def test_utf16_cut_at_an_odd_byte_inside_an_object_loads_the_objects_before_it():
    text = synth.format_list(_objs(3, host="HO"))
    data = _utf16(text)
    cut = data[: len(data) - 301]  # odd length, inside the third object (the review's reproduction)
    assert len(cut) % 2
    r = load(cut, "HO.txt")
    assert {rec.adapter for rec in r.records} == {"E0", "E1"}
    (rej,) = r.rejected
    assert rej.line == _first_lines(text)[2]
    assert "object cut short" in rej.reason
    assert "not valid UTF-16-LE text: the file ends in the middle of a character" in rej.reason


def test_utf16_cut_at_an_odd_byte_after_the_last_object_is_one_rejected_record_at_the_last_line():
    text = synth.format_list(_objs(2))
    cut = _utf16(text)[:-1]  # half of the last line end
    r = load(cut, "HOST01.txt")
    assert r.loaded == 2 and r.records_seen == 3
    (rej,) = r.rejected
    assert rej.line == text.count("\n") and rej.source_file == "HOST01.txt"
    assert "ends in the middle of a character" in rej.reason and "(1 byte(s) of it)" in rej.reason


def test_utf16_json_cut_at_an_odd_byte_keeps_the_complete_elements():
    text = synth.to_json(_objs(3), style="ps5")
    data = synth.encode_windows(text, "utf-16-le")
    r = load(data[: len(data) * 3 // 4 | 1], "HOST01.json")
    assert r.loaded >= 1 and len(r.rejected) == 1
    assert "JSON syntax error" in r.rejected[0].reason and "middle of a character" in r.rejected[0].reason


def test_utf8_cut_inside_a_character_is_not_read_as_windows_1252():
    objs = [ipsec_obj(f"E{i}", description="Carte réseau Intel(R)") for i in range(2)]
    data = synth.format_list(objs).encode("utf-8")
    last_e = data.rindex("é".encode())
    r = load(data[: last_e + 1])  # the first byte of the last é
    assert r.records[0].description == "Carte réseau Intel(R)"  # not 'rÃ©seau'
    assert r.records[0].fmt.endswith("/utf-8")
    (rej,) = r.rejected
    assert "not valid UTF-8 text: the file ends in the middle of a character" in rej.reason


def test_a_bad_utf16_character_inside_the_text_still_rejects_the_file():
    data = _utf16(synth.format_list(_objs(2)))
    middle = len(data) // 2 & ~1
    r = load(data[:middle] + "\ud800".encode("utf-16-le", "surrogatepass") + data[middle:])
    assert r.loaded == 0 and len(r.rejected) == 1 and "not valid UTF-16-LE text" in r.rejected[0].reason
