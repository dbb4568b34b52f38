"""Header findings that said the wrong thing: a truncated buffer reported as a small Header.Size (R8), an
NDIS_WMI_OFFLOAD block checked as an NDIS_OFFLOAD (R81), the R59 text naming fields nobody set and
"Size None", R85 downgrading a wrong SA Revision, and R49 hiding that its verdict rests on R51's
reverse-engineered keyword precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from test_rules import esp_sa, good

from ipsecexplore.flow import Simulation
from ipsecexplore.layouts import layout
from ipsecexplore.model import NdisOffload
from ipsecexplore.rules import validate
from ipsecexplore.rules.base import RULES
from ipsecexplore.rules.subjects import OffloadAttributes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample" / "raw" / "HOST11.SLOT-2-Port-1.current.bin"
WMI = ROOT / "data" / "bad" / "raw-wmi-block.bin"




def declared_size(data: bytes) -> int:
    f = layout("NDIS_OFFLOAD").field("Header.Size")
    return int.from_bytes(data[f.offset:f.offset + f.size], "little")


# --- 6. a truncated buffer ---------------------------------------------------------------------------------

@pytest.mark.parametrize("keep", [100, 150])
def test_truncated_buffer_is_reported_as_such(keep):
    data = SAMPLE.read_bytes()
    size = declared_size(data)
    assert keep < size
    found = validate(data[:keep]).by_rule("R8")
    texts = " ".join(f.message for f in found)
    assert f"({keep} bytes)" in texts and f"Header.Size ({size})" in texts, texts
    assert f"Header.Size {keep} is smaller" not in texts, texts
    assert found.has_errors


def test_truncated_buffer_cli(tmp_path):
    data = SAMPLE.read_bytes()
    f = tmp_path / "t.bin"
    f.write_bytes(data[:100])
    p = cli("validate", str(f))
    out = p.stdout.decode()
    assert p.returncode == 1 and "(100 bytes)" in out and str(declared_size(data)) in out, out
    assert "Header.Size 100" not in out, out


def test_whole_sample_has_no_truncation_finding():
    assert not [f for f in validate(SAMPLE.read_bytes()) if "cut short" in f.message]


def test_truncated_sa_bytes_are_reported_by_r85():
    sim = Simulation(good())
    sim.initialize()
    ev = sim.add_sa_ex(esp_sa())
    data = ev.request
    found = validate(data[:40], {"structure": "IPSEC_OFFLOAD_V2_ADD_SA_EX"}).by_rule("R85")
    assert any("(40 bytes)" in f.message for f in found), found


# --- 7. an NDIS_WMI_OFFLOAD block ---------------------------------------------------------------------------

def test_wmi_block_is_an_r81_finding_and_ipsecv2_is_not_checked():
    found = validate(WMI.read_bytes())
    r81 = found.by_rule("R81")
    assert len(r81) == 1 and "NDIS_WMI_OFFLOAD" in r81[0].message and "IPsecV2" in r81[0].message
    # no IPsecV2 rule judged the unfilled bytes, and the R10 "Size larger than the macro" note is gone
    ipsec_rules = {f.rule for f in found if any("IPsecV2" in m for m in f.members)} - {"R81"}
    assert not ipsec_rules and "R10" not in found.rule_ids, found
    assert any(r == "R9" and "unavailable" in why for r, why in found.skipped), found.skipped


@pytest.mark.parametrize("size", [r.size for r in layout("NDIS_WMI_OFFLOAD").revisions])
def test_every_wmi_block_length_is_recognised(size):
    data = bytearray(WMI.read_bytes()[:4]) + bytes(size - 4)
    assert "R81" in validate(bytes(data)).rule_ids


def test_an_ndis_offload_of_sizeof_length_is_not_a_wmi_block():
    # capture-formats.md §5: a Header.Size of an NDIS_OFFLOAD revision makes the blob an NDIS_OFFLOAD
    data = SAMPLE.read_bytes()
    lay = layout("NDIS_OFFLOAD")
    assert "R81" not in validate(data + bytes(lay.sizeof - len(data))).rule_ids


# --- 8. the R59 text --------------------------------------------------------------------------------------

def test_r59_names_only_the_field_set_and_no_size_none():
    p = cli("validate", "-", stdin=b'{"structure":"NDIS_OFFLOAD_PARAMETERS","values":{"Header.Revision":9,'
                                   b'"IPsecV2":3}}')
    out = p.stdout.decode()
    assert "R59" in out and "Size None" not in out, out
    assert "IPsecV2 and IPsecV2IPv4 set" not in out and "IPsecV2IPv4 are set" not in out, out


def test_r59_names_both_when_both_are_set():
    found = validate({"Header.Revision": 1, "IPsecV2": 3, "IPsecV2IPv4": 2},
                     {"structure": "NDIS_OFFLOAD_PARAMETERS"}).by_rule("R59")
    assert any("IPsecV2 and IPsecV2IPv4 are set" in f.message for f in found), found


# --- 9. R85: a wrong SA Revision is an error -----------------------------------------------------------------

def test_r85_wrong_revision_is_an_error():
    assert RULES["R85"].severity == "error"
    found = validate(esp_sa(**{"Header.Revision": 2}), {"structure": "IPSEC_OFFLOAD_V2_ADD_SA"}).by_rule("R85")
    assert [f.severity for f in found if "Header.Revision" in f.members] == ["error"]


def test_r85_wrong_size_stays_a_warning():
    lay = layout("IPSEC_OFFLOAD_V2_ADD_SA")
    found = validate(esp_sa(**{"Header.Size": lay.sizeof + 4}), {"structure": "IPSEC_OFFLOAD_V2_ADD_SA"})
    assert [f.severity for f in found.by_rule("R85")] == ["warning"]


def test_simulated_miniport_refuses_an_sa_with_a_wrong_revision():
    # the header override used to end the run with an input error; now the SA reaches the miniport and R85 refuses it
    sim = Simulation(good())
    sim.initialize()
    ev = sim.add_sa_ex(esp_sa(), header={"Header.Revision": 9})
    assert ev.status == "NDIS_STATUS_INVALID_PARAMETER" and "R85" in ev.findings.errors.rule_ids
    assert not sim.sas


# --- 10. R49 under R51's precedence ---------------------------------------------------------------------------

def _r49(keywords):
    off = NdisOffload.from_dict(good(), revision=layout("NDIS_OFFLOAD").latest_revision)
    return validate(OffloadAttributes(off, off), {"keywords": keywords}).by_rule("R49")


def test_r49_that_rests_on_the_precedence_says_so_and_is_no_error():
    found = _r49({"*IPsecOffloadV2": "0", "*IPsecOffloadV2IPv4": "3"})
    assert found and not found.has_errors
    for f in found:
        assert "*IPsecOffloadV2IPv4" in f.message and "R51" in f.message and "RE" in f.basis, f


def test_r49_that_both_keywords_agree_on_stays_an_error():
    found = _r49({"*IPsecOffloadV2": "0", "*IPsecOffloadV2IPv4": "0"})
    assert found and all(f.severity == "error" for f in found)


def test_r49_with_one_keyword_stays_an_error():
    found = _r49({"*IPsecOffloadV2": "0"})
    assert found and all(f.severity == "error" and "R51" not in f.message for f in found)


@pytest.mark.parametrize("revision,size", [(2, 148), (1, 144)])
def test_larger_header_size_is_checked_as_decode_reads_it(revision, size):
    """R8: the bytes past the revision's NDIS_SIZEOF are not members of a later revision: no R11/R12/R13
    about them, the same findings from the bytes as from the decoded object, and R10 names the bytes."""
    from ipsecexplore.model import decode, encode

    rec = bytearray(encode({"IPsecV2.Esp": True} if revision >= 2 else {}, revision=revision))
    macro = len(rec)
    rec[2:4] = size.to_bytes(2, "little")
    data = bytes(rec) + bytes(range(1, size - macro + 1))
    from_bytes = validate(data)
    assert [f.rule for f in from_bytes] == [f.rule for f in validate(decode(data))]
    assert not {"R11", "R12", "R13"} & {f.rule for f in from_bytes}
    (r10,) = [f for f in from_bytes if f.rule == "R10"]
    assert f"offsets {macro}..{size - 1} are not members of revision {revision}" in r10.message
