"""Captures as Windows really writes them (issue 12): every Get-NetView generation of capture-formats.md §4
(bundles written by tests/netview_corpus.py, folder and zip), code pages, the labels and console-width damage
of §3.2, broken captures rejected (never skipped), zip names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import netview_corpus as nc
import pytest
from captures_support import REPO, ipsec_obj, load

from ipsecexplore.captures import getnetview, import_bytes, import_paths, synth
from ipsecexplore.errors import InputError

JP = "\u30a4\u30fc\u30b5\u30cd\u30c3\u30c8 2"  # the cp932 host's adapter name (netview_corpus)


def run_import(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "ipsecexplore", "import", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)


def _rows(result) -> dict:
    return {(r.host, r.adapter, r.view): (dict(r.values), dict(r.keywords)) for r in result.records}


def _encoding(gen) -> str | None:
    return gen.encoding if gen.encoding not in ("ascii", "utf-8") else None


# ------------------------------------------------------------------------------------------ generations
@pytest.mark.parametrize("form", ["folder", "zip"])
@pytest.mark.parametrize("gen", nc.GENERATIONS, ids=lambda g: g.name)
def test_every_generation_loads_its_expected_rows_with_no_reject(tmp_path, gen, form):
    path = nc.write_folder(gen, tmp_path) if form == "folder" else nc.write_zip(gen, tmp_path)
    r = import_paths([path], progress=False, encoding=_encoding(gen))
    assert [str(x) for x in r.rejected] == []
    assert _rows(r) == nc.expected(gen)
    # the adapter without IPsec offload v2: its IPsec file holds only a failed command, and is skipped for it
    failed = [why for f, why in r.skipped_files if "Ethernet 3" in f and f.endswith("IPsecOffload.txt")]
    assert len(failed) == 1 and "did not succeed" in failed[0]


def test_the_corpus_has_every_shape_the_spec_table_lists():
    """Each row of the §4 table is exercised by at least one generation (a corpus that lost one would still
    pass the test above)."""
    gens = nc.GENERATIONS
    assert {g.failure for g in gens} == {"2016", "2017", "2018", "status"}
    assert any(not g.banner_host for g in gens) and any(g.get_member for g in gens)
    assert any(g.two_blanks for g in gens) and any(g.out_string for g in gens)
    assert any(g.list_width for g in gens) and any(not g.adv_first_hidden for g in gens)
    assert {"ascii", "cp932", "utf-8"} <= {g.encoding for g in gens}
    assert any(not g.prompt.startswith("PS ") for g in gens)


def test_a_file_starting_with_a_failed_block_keeps_its_format_list_block(tmp_path):
    """2018-10 → 2020-03: the hidden adapter's advanced-property file starts with '[Failed]' (its first
    command lacks -IncludeHidden) and its later Format-List block carries *IPsecOffloadV2 = 0."""
    gen = next(g for g in nc.GENERATIONS if g.failure == "2018")
    a = next(a for a in nc.adapters(gen) if a.hidden)
    text = nc.advprop_file(gen, a, 4)
    assert text.startswith("[Failed]\n")
    blocks = getnetview.command_blocks(text)
    assert [b.status for b in blocks] == ["Failed", None, None, None]
    assert getnetview.looks_like_getnetview(text)
    r = load(nc._encode(gen, text), "Get-NetAdapterAdvancedProperty.txt")
    assert not r.rejected and [(k.keyword, k.value) for k in r.unmatched_keywords] == [("*IPsecOffloadV2", 0)]


@pytest.mark.parametrize("banner", ["admin @ ", "admin @", "admin @ HOSTX:"])
@pytest.mark.parametrize("prompt", ["PS C:\\Windows\\system32> ", "[HOSTX]: PS C:\\Users\\admin\\Documents> ",
                                    "PS> "])
def test_banner_with_or_without_host_and_any_prompt(banner, prompt):
    cmd = 'Get-NetAdapterIPsecOffload -Name "E1" -IncludeHidden | Format-List -Property *'
    text = f"{banner}\n{prompt}{cmd}\n{synth.format_list([ipsec_obj('E1', host=None)])}"
    b = getnetview.command_blocks(text)
    assert len(b) == 1 and b[0].command == cmd and b[0].host == ("HOSTX" if "HOSTX:" in banner else None)
    r = load(text, "Get-NetAdapterIPsecOffload.txt")
    assert not r.rejected and {x.view for x in r.records} == {"hardware", "current"}


def test_an_error_message_line_is_not_a_command_line():
    """'Verb-Noun : message' after a status line is error text, not the bare command of an old failure."""
    text = ("admin @ H:\nPS C:\\> Get-NetAdapterIPsecOffload -Name \"E\" | Format-List -Property *\n[Failed]\n"
            "Get-NetAdapterIPsecOffload : No MSFT_NetAdapterIPsecOffloadV2SettingData objects found\n[x]\n")
    assert len(getnetview.command_blocks(text)) == 1


# ------------------------------------------------------------------------------------------ code pages
def test_cp932_bundle_with_encoding_has_the_right_names_matched_to_keywords(tmp_path):
    gen = next(g for g in nc.GENERATIONS if g.encoding == "cp932")
    r = import_paths([nc.write_zip(gen, tmp_path)], progress=False, encoding="cp932")
    rec = {(x.adapter, x.view): x for x in r.records}
    assert rec[(JP, "hardware")].keywords == {"*IPsecOffloadV2": 3}
    assert not r.remarks and not r.unmatched_keywords


def test_cp932_bundle_without_encoding_remarks_on_each_affected_record(tmp_path):
    gen = next(g for g in nc.GENERATIONS if g.encoding == "cp932")
    r = import_paths([nc.write_folder(gen, tmp_path)], progress=False)
    wrong = JP.encode("cp932").decode("cp1252", "replace")
    assert {x.adapter for x in r.records if not x.adapter.isascii()} == {wrong}
    affected = {(x.source_file, x.line) for x in r.records if not x.adapter.isascii()}
    notes = {(x.source_file, x.line): x.text for x in r.remarks}
    # one remark per affected object (both views of an object share its line) in the adapter's two capture
    # files (the keyword row is one too), each naming its file and the option
    assert affected <= set(notes) and len(notes) == 2
    assert {os.path.basename(f) for f, _ in notes} == {"Get-NetAdapterIPsecOffload.txt",
                                                        "Get-NetAdapterAdvancedProperty.txt"}
    for (src, _), text in notes.items():
        assert src in text and "--encoding" in text and "cp1252" in text
    # the advanced-property rows still join their adapter: both files were decoded the same way
    assert all(x.keywords == {"*IPsecOffloadV2": 3} for x in r.records if x.adapter == wrong)


def test_ascii_era_names_say_the_capture_lost_them(tmp_path):
    gen = next(g for g in nc.GENERATIONS if g.encoding == "ascii" and not g.local_name.isascii())
    r = import_paths([nc.write_folder(gen, tmp_path)], progress=False)
    lost = nc.file_name(gen, gen.local_name)
    assert "?" in lost and any(x.adapter == lost for x in r.records)
    assert r.remarks and all("lost" in x.text and "ascii" in x.text and lost in x.text for x in r.remarks)


def test_encoding_is_used_only_for_text_that_is_not_utf(tmp_path):
    text = synth.format_list([ipsec_obj("Ethernet \u00e9")])
    for enc in ("utf-8", "utf-8-sig", "utf-16-le"):
        r = import_bytes(synth.encode_windows(text, enc), "c.txt", encoding="cp932")
        assert {x.adapter for x in r.records} == {"Ethernet \u00e9"} and not r.remarks
    r = import_bytes(synth.encode_windows(text, "cp1252"), "c.txt", encoding="cp1251")
    assert {x.adapter for x in r.records} == {"Ethernet \u0439"}  # 0xE9 in cp1251, as the user asked


def test_load_fleet_takes_the_encoding(tmp_path):
    from ipsecexplore.fleet import load_fleet

    gen = next(g for g in nc.GENERATIONS if g.encoding == "cp932")
    fleet = load_fleet([nc.write_zip(gen, tmp_path)], progress=False, encoding="cp932")
    assert JP in set(fleet.frame["adapter"]) and fleet.rejected.empty


def test_unknown_encoding_is_an_input_error():
    with pytest.raises(InputError, match="unknown text encoding"):
        import_bytes(b"x", "c.txt", encoding="no-such-codepage")


def test_cli_import_encoding(tmp_path):
    gen = next(g for g in nc.GENERATIONS if g.encoding == "cp932")
    z = nc.write_zip(gen, tmp_path)
    p = run_import(z, "--encoding", "cp932", "--json", "-")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert {r["adapter"] for r in rows} >= {JP, "vEthernet (Mgmt)"}
    q = run_import(z, "--encoding", "klingon")
    assert q.returncode == 2 and "unknown text encoding" in q.stderr and "Traceback" not in q.stderr


# ------------------------------------------------------------------------------------------ labels, cuts
ADV_CSV_HEADER = '"Name","InterfaceDescription","SystemName","DisplayName","DisplayValue","RegistryKeyword",' \
                 '"RegistryValue"\n'


@pytest.mark.parametrize("label", ["Auth Header and ESP Enabled", "auth header & esp enabled",
                                   "Auth  Header  AND ESP Enabled", "AUTH HEADER&ESP ENABLED"])
def test_hyperv_label_is_matched_loosely_and_the_row_says_which_label(label):
    """capture-formats.md §3.2: Hyper-V's vNIC shows 'Auth Header and ESP Enabled'; an Export-Csv that
    flattened RegistryValue to its type name must be read from the label."""
    text = ADV_CSV_HEADER + (f'"vEthernet (Mgmt)","Hyper-V Virtual Ethernet Adapter","H1","IPSec Offload",'
                             f'"{label}","*IPsecOffloadV2","System.String[]"\n')
    r = load(text, "adv.csv")
    assert not r.rejected
    (k,) = r.unmatched_keywords
    assert (k.value, k.value_from, k.label) == (3, "DisplayValue", label)
    (note,) = r.remarks
    assert label in note.text and "loosely" in note.text


def test_a_documented_label_is_read_without_a_remark():
    text = ADV_CSV_HEADER + '"E1","X","H1","IPsec Offload","ESP Enabled","*IPsecOffloadV2","System.String[]"\n'
    r = load(text, "adv.csv")
    assert [k.value for k in r.unmatched_keywords] == [2] and not r.remarks


def _table(rows, cols, cut_last: int | None = None) -> str:
    text = synth.format_table(rows, cols)
    if cut_last is None:
        return text
    return "\n".join(ln[:cut_last] for ln in text.split("\n")) + "\n"


def _adv_rows():
    return [nc.synth.advprop_object(name="SLOT 2 Port 1", description="X", host="H1", instance_id="{1}",
                                    keyword="*IPsecOffloadV2", value=3, display_name="IPsec Offload",
                                    labels=nc.LABELS, default=3)]


COLS = ["Name", "DisplayName", "DisplayValue", "RegistryKeyword", "RegistryValue"]


def test_a_cell_cut_by_the_console_width_is_rejected_naming_the_cut():
    text = _table(_adv_rows(), COLS).replace("{3}", "{3")  # capture-formats.md §3.2: '{3' with no closing brace
    r = load(text, "adv.txt")
    (rej,) = r.rejected
    assert "'{3'" in rej.reason and "cut" in rej.reason and rej.line == 4


def test_a_header_cut_by_the_console_width_is_rejected_naming_the_cut():
    full = _table(_adv_rows(), COLS)
    start = full.split("\n")[1].index("RegistryValue")
    r = load(_table(_adv_rows(), COLS, start + 2), "adv.txt")  # header 'Re', cells '{3'
    (rej,) = r.rejected
    assert "RegistryValue" in rej.reason and "'Re'" in rej.reason and "cut" in rej.reason


def test_a_table_whose_last_column_was_cut_off_is_rejected_naming_the_cut():
    full = _table(_adv_rows(), COLS)
    start = full.split("\n")[1].index("RegistryValue")
    r = load(_table(_adv_rows(), COLS, start), "adv.txt")
    (rej,) = r.rejected
    assert "no RegistryValue column" in rej.reason and "console width" in rej.reason


def test_a_header_wrapped_onto_the_next_line_is_rejected_naming_the_wrap():
    lines = _table(_adv_rows(), COLS).split("\n")
    head = lines[1]
    cut = head.index("RegistryValue") + len("RegistryVal")
    wrapped = [lines[0], head[:cut], " " * cut + head[cut:]] + lines[2:]
    r = load("\n".join(wrapped), "adv.txt")
    (rej,) = r.rejected
    assert "wrapped" in rej.reason and rej.line == 5


def test_a_cut_table_in_a_folder_fails_the_cli(tmp_path):
    full = _table(_adv_rows(), COLS)
    width = max(len(ln) for ln in full.split("\n"))
    (tmp_path / "adv.txt").write_text(_table(_adv_rows(), COLS, width - 1))
    p = run_import(tmp_path, "--csv", os.devnull)
    assert p.returncode == 1 and "cut" in p.stderr


# ------------------------------------------------------------------------------------------ rejected, not skipped
def test_json_cut_in_its_first_object_is_rejected_not_skipped(tmp_path):
    text = synth.to_json([ipsec_obj("E1")], style="ps5")
    cut = text[:text.index("MSFT_NetAdapterIPsecOffloadV2SettingData") + 60]
    assert "EspSupported" not in cut[:cut.index("Caption")]  # cut before any IPsec property
    (tmp_path / "cap.json").write_text(cut)
    r = import_paths([tmp_path], progress=False)
    assert not r.skipped_files and len(r.rejected) == 1 and r.rejected[0].line is not None
    p = run_import(tmp_path, "--csv", os.devnull)
    assert p.returncode == 1 and "cap.json:" in p.stderr


@pytest.mark.parametrize("text", [
    "Caption = MSFT_NetAdapterIPsecOffloadV2SettingData 'X'\n",
    "the keyword *IPsecOffloadV2 was 3 on this host\n",
    "  \"EspSupported\",\"x\"\n",
])
def test_an_unreadable_text_that_names_a_capture_is_rejected_with_its_line(tmp_path, text):
    (tmp_path / "notes.txt").write_text("first line\n" + text)
    r = import_paths([tmp_path], progress=False)
    assert r.rejected and not r.skipped_files
    assert r.rejected[0].line == 2 and "cannot be read" in r.rejected[0].reason


def test_files_that_are_not_captures_are_still_skipped(tmp_path):
    (tmp_path / "notes.txt").write_text("Ran Get-NetView on the cluster; see the zip.\n")
    (tmp_path / "README.md").write_text("The *IPsecOffloadV2 keyword and `EspSupported`.\n")
    r = import_paths([tmp_path], progress=False)
    assert not r.rejected and len(r.skipped_files) == 2


# ------------------------------------------------------------------------------------------ zip names
@pytest.mark.parametrize("name,host", [
    ("msdbg.SRV-2019-2025.02.26_10.45.30.zip", "SRV-2019"),  # capture-formats.md §4
    ("msdbg.SRV-2019-2025.02.26_10.45.30 (1).zip", "SRV-2019"),
    ("msdbg.HOST10-2025.02.26_10.30.00.zip", "HOST10"),
    ("msdbg.WEB-01-2024.11.03_01.02.03 (12).zip", "WEB-01"),
    ("msdbg.HOST10.zip", "HOST10"),
])
def test_zip_name_host(name, host):
    assert getnetview.bundle_host([name, "pNIC.1.E1.X", "Get-NetAdapterIPsecOffload.txt"]) == host


def test_host_from_zip_name_reaches_the_records(tmp_path):
    z = tmp_path / "msdbg.SRV-2019-2025.02.26_10.45.30 (1).zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("caps/E1.txt", synth.format_list([ipsec_obj("E1", host=None)]))
    r = import_paths([z], progress=False)
    assert {(x.host, x.host_from) for x in r.records} == {("SRV-2019", "Get-NetView folder")}
