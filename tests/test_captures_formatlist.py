"""Format-List text (capture-formats.md §2.4) and Get-NetView files (§4)."""

from __future__ import annotations

import codecs

import pytest
from captures_support import CUR, HW, M, by_view, drop, expected_values, ipsec_obj, load, replace
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsecexplore.captures import cim, synth

ENCODINGS = ["utf-16-le", "utf-8-sig", "utf-8"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("algorithms", ["int", "brace", "comma"])
def test_several_adapters_every_encoding_and_mask_form(encoding, algorithms):
    objs = [ipsec_obj(f"Ethernet {i}", hw={**HW, M + "SaOffloadCapacity": 100 + i}, algorithms=algorithms)
            for i in range(3)]
    data = synth.encode_windows(synth.format_list(objs), encoding)
    assert "\r\n".encode(encoding.replace("-sig", "")) in data  # Windows line ends
    if encoding == "utf-16-le":
        assert data.startswith(codecs.BOM_UTF16_LE)
    r = load(data, "HOST01.txt")
    assert not r.rejected
    got = by_view(r)
    assert len(got) == 6
    for i in range(3):
        hw = got[("HOST01", f"Ethernet {i}", "hardware")]
        assert hw.values == expected_values({**HW, M + "SaOffloadCapacity": 100 + i})
        assert got[("HOST01", f"Ethernet {i}", "current")].values == expected_values(CUR)
        assert hw.fmt == f"format-list/{encoding}"
        assert hw.host_from == "SystemName"


def test_line_numbers_point_at_each_object():
    objs = [ipsec_obj(f"Ethernet {i}") for i in range(3)]
    text = synth.format_list(objs)
    lines = text.split("\n")
    starts = [i + 1 for i, ln in enumerate(lines) if ln.startswith("ifAlias")]
    r = load(synth.encode_windows(text, "utf-16-le"))
    assert sorted({rec.line for rec in r.records}) == starts


@pytest.mark.parametrize("wrap", ["chars", "words"])
@pytest.mark.parametrize("width", [50, 64, 80])
def test_values_wrapped_onto_continuation_lines(wrap, width):
    desc = "Intel(R) Ethernet Converged Network Adapter X550-T2 #17"
    obj = ipsec_obj("SLOT 4 Port 2", description=desc, algorithms="brace",
                    instance_id="{6B1C2E4A-0000-4000-8000-00000000A001}")
    text = synth.format_list([obj, obj], width=width, wrap=wrap)
    assert any(ln.startswith(" ") for ln in text.split("\n"))  # there are continuation lines
    r = load(text)
    assert not r.rejected, r.rejected
    rec = by_view(r)[("HOST01", "SLOT 4 Port 2", "hardware")]
    assert rec.values == expected_values(HW)
    assert rec.description == desc
    if wrap == "chars":  # chunks of the width keep every character, even inside a GUID
        assert rec.instance_id == "{6B1C2E4A-0000-4000-8000-00000000A001}"


def test_members_without_property_and_empty_values_are_missing_not_false():
    obj = drop(ipsec_obj(), "TunnelSupported", "EspEnabled")
    obj = replace(obj, "SaOffloadCapacitySupported", None)  # printed as nothing after the colon
    r = load(synth.format_list([obj]))
    got = by_view(r)
    hw = got[("HOST01", "SLOT 2 Port 1", "hardware")].values
    cur = got[("HOST01", "SLOT 2 Port 1", "current")].values
    assert M + "Tunnel" not in hw and M + "SaOffloadCapacity" not in hw
    assert M + "Esp" not in cur and M + "Tunnel" in cur
    for never in ("Encapsulation", "TransportTunnelCombined", "ExtendedSequenceNumbers"):
        assert M + never not in hw and M + never not in cur


def test_only_supported_properties_gives_only_the_hardware_view():
    obj = drop(ipsec_obj(), *cim.CURRENT)
    r = load(synth.format_list([obj]))
    assert [rec.view for rec in r.records] == ["hardware"]


def test_mask_spellings_are_equivalent():
    forms = ["8", "0x8", "{AESGCM128}", "AESGCM128", "AES_GCM_128", "{aesgcm128}",
             "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"]
    objs = [replace(ipsec_obj(f"E{i}"), "EncryptionAlgorithmsSupported", f) for i, f in enumerate(forms)]
    r = load(synth.format_list(objs))
    assert not r.rejected
    assert {rec.values[M + "EncryptionAlgorithms"] for rec in r.records if rec.view == "hardware"} == {8}


def test_empty_brace_list_is_zero():
    r = load(synth.format_list([replace(ipsec_obj(), "AuthenticationAlgorithmsEnabled", [])]))
    assert by_view(r)[("HOST01", "SLOT 2 Port 1", "current")].values[M + "AuthenticationAlgorithms"] == 0


@pytest.mark.parametrize("prop,value,reason", [
    ("EspSupported", "Yes", "EspSupported: expected True or False"),
    ("SaOffloadCapacitySupported", "-1", "expected an unsigned 32-bit number"),
    ("SaOffloadCapacitySupported", "4294967296", "outside the uint32 range"),
    ("UdpEspSupported", "0x1G", "expected an unsigned 32-bit number"),
    ("EncryptionAlgorithmsSupported", "{AESGCM128, ROT13}", "'ROT13' is not a known"),
    ("EncryptionAlgorithmsSupported", "{DESCBC, DES3CBC, AESGCM128, AESGCM192...}", "truncated"),
    ("EncryptionAlgorithmsSupported", "{DESCBC, DES3CBC", "not closed"),
    ("AuthenticationAlgorithmsEnabled", "MD5, DESCBC", "'DESCBC' is not a known"),
])
def test_bad_values_reject_the_object_with_file_line_and_reason(prop, value, reason):
    objs = [ipsec_obj("A"), replace(ipsec_obj("B"), prop, value), ipsec_obj("C")]
    text = synth.format_list(objs)
    r = load(text, "cap.txt")
    assert {rec.adapter for rec in r.records} == {"A", "C"}
    assert r.records_seen == 3 and r.loaded == 2
    (rej,) = r.rejected
    assert reason in rej.reason and "'B'" in rej.reason
    start_b = [i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("ifAlias")][1]
    assert rej.line == start_b and rej.source == f"cap.txt:{start_b}"


def test_missing_blank_line_and_stray_lines_are_reported_at_their_line():
    text = synth.format_list([ipsec_obj("A"), ipsec_obj("B")]).replace("\n\nifAlias", "\nifAlias", 1)
    r = load(text)
    assert r.loaded == 0 and len(r.rejected) == 1
    assert "appears twice" in r.rejected[0].reason
    assert text.split("\n")[r.rejected[0].line - 1].startswith("ifAlias")

    lines = synth.format_list([ipsec_obj("A")]).split("\n")
    lines.insert(5, "garbage without a colon")
    r = load("\n".join(lines))
    assert r.rejected[0].line == 6 and "not a 'Name : value' line" in r.rejected[0].reason


def test_object_without_name_is_rejected():
    r = load(synth.format_list([drop(ipsec_obj(), "Name", "ifAlias", "InterfaceAlias")]))
    assert r.loaded == 0 and "no Name" in r.rejected[0].reason


def test_host_falls_back_to_pscomputername_then_file_name():
    obj = replace(ipsec_obj(host=None), "PSComputerName", "REMOTE7")
    rec = load(synth.format_list([obj])).records[0]
    assert (rec.host, rec.host_from) == ("REMOTE7", "PSComputerName")
    obj = drop(ipsec_obj(host=None), "PSComputerName")
    rec = load(synth.format_list([obj]), "SRV42.ipsec.txt").records[0]
    assert (rec.host, rec.host_from) == ("SRV42", "file name")


def test_utf16_without_bom_and_ansi_text_are_read():
    text = synth.format_list([ipsec_obj(description="Carte réseau Intel(R)")])
    body = text.replace("\n", "\r\n")
    for data in (body.encode("utf-16-le"), body.encode("cp1252")):
        r = load(data)
        assert r.records[0].description == "Carte réseau Intel(R)"


# ---------------------------------------------------------------------------------------- Get-NetView
def _getnetview(objs, status=None):
    cmd = 'Get-NetAdapterIPsecOffload -Name "SLOT 2 Port 1" -IncludeHidden'
    table = synth.format_table(objs, ["Name", "InterfaceDescription", "Enabled"]) if objs else ""
    out = synth.format_list(objs) if objs else "Get-NetAdapterIPsecOffload : No MSFT_NetAdapter... found\n"
    return synth.getnetview_file("admin", "HOST09", [(cmd, table, status),
                                                      (cmd + " | Format-List -Property *", out, status)])


def test_getnetview_file_reads_only_the_format_list_block():
    obj = drop(ipsec_obj(host=None), "PSComputerName")
    text = _getnetview([obj])
    r = load(synth.encode_windows(text, "cp1252"), "msdbg.HOST09/pNIC.5.SLOT 2 Port 1.X/Get-NetAdapterIPsecOffload.txt")
    assert len(r.records) == 2 and not r.rejected
    rec = r.records[0]
    assert rec.host == "HOST09" and rec.host_from == "Get-NetView banner"
    first_prop = [i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("ifAlias")][0]
    assert rec.line == first_prop
    assert rec.fmt.startswith("getnetview")


def test_getnetview_failed_command_is_a_skip_with_reason_not_a_record():
    r = load(_getnetview([], status="Failed"), "msdbg.HOST09/pNIC.7.E.X/Get-NetAdapterIPsecOffload.txt")
    assert r.records_seen == 0
    (skip,) = r.skipped_files
    assert "[Failed]" in skip[1]


def test_getnetview_other_commands_are_skipped_by_name():
    text = synth.getnetview_file("admin", "H", [("Get-NetAdapter", "Name Status\n---- ------\nE1   Up\n", None)])
    r = load(text, "msdbg.H/Get-NetAdapter.txt")
    assert r.records_seen == 0 and "Get-NetAdapter" in r.skipped_files[0][1]


# -------------------------------------------------------------------------------------------- property
_names = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" -#()"),
                 min_size=1, max_size=30).map(str.strip).filter(bool)
_bools = st.one_of(st.none(), st.booleans())


@st.composite
def _values(draw):
    out = {}
    for path, (kind, group) in cim.member_kinds().items():
        if draw(st.booleans()):
            continue  # not captured
        if kind == "bool":
            out[path] = draw(st.booleans())
        elif kind == "mask" and "Algorithms" in path:
            bits = sorted(synth.cim.display_names(group))
            out[path] = sum(b for b in bits if draw(st.booleans()))
        else:
            out[path] = draw(st.integers(0, 0xFFFFFFFF))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objs=st.lists(st.tuples(_names, _values(), _values()), min_size=1, max_size=5),
       encoding=st.sampled_from(ENCODINGS), algorithms=st.sampled_from(["int", "brace", "comma"]),
       width=st.sampled_from([None, 60, 90]), wrap=st.sampled_from(["chars", "words"]))
def test_round_trip_of_generated_format_list(objs, encoding, algorithms, width, wrap):
    rendered = [ipsec_obj(f"{n} {i}", hw=hw, cur=cur, algorithms=algorithms) for i, (n, hw, cur) in enumerate(objs)]
    r = load(synth.encode_windows(synth.format_list(rendered, width=width, wrap=wrap), encoding))
    assert not r.rejected
    assert r.loaded == len(objs)
    got = by_view(r)
    for i, (n, hw, cur) in enumerate(objs):
        name = f"{n} {i}"
        if wrap == "chars" or width is None:
            assert got[("HOST01", name, "hardware")].values == hw
            assert got[("HOST01", name, "current")].values == cur


@pytest.mark.parametrize("stray", ["\n", "\r"])
def test_mixed_line_ends_take_the_careful_path(stray):
    objs = [ipsec_obj(f"E{i}", description=f"Adapter {i}") for i in range(3)]
    text = synth.format_list(objs).replace("\n", "\r\n")
    text = text.replace("Adapter 1\r\n", "Adapter 1" + stray, 1)  # one line end differs
    r = load(text)
    # the careful path reads the stray line end as a line break: nothing is merged into a value silently
    assert all("\n" not in (x.description or "") and "\r" not in (x.description or "") for x in r.records)
    assert r.loaded + len(r.rejected) == r.records_seen == 3
