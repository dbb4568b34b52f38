"""Files in a Get-NetView bundle (or any walked folder or zip) that cannot be captures are skipped unread with
their reason, never refused for the size limit; a capture file over the limit is still refused, and a file the
user names is still size-checked (capture-formats.md §4)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from captures_support import REPO, ipsec_obj

from ipsecexplore.captures import import_paths, synth
from ipsecexplore.errors import InputError

CMD = 'Get-NetAdapterIPsecOffload -Name "E1" -IncludeHidden | Format-List -Property *'
BIG = 4096


def _capture() -> bytes:
    return synth.encode_windows(synth.getnetview_file("admin", "HB", [(CMD, synth.format_list([ipsec_obj("E1")]),
                                                                       None)]), "utf-8")


def _bundle_files() -> dict:
    tcp = synth.getnetview_file("admin", "HB", [("Get-NetTCPConnection | Format-Table -AutoSize",
                                                 "LocalAddress LocalPort\n" + "10.0.0.1 443\n" * 400, None)])
    return {
        "msdbg.HB/pNIC.1.E1.X/Get-NetAdapterIPsecOffload.txt": _capture(),
        "msdbg.HB/trace.etl": bytes(range(256)) * (BIG // 256 + 1),
        "msdbg.HB/Logs/System.evtx": b"ElfFile\x00" * (BIG // 8 + 1),
        "msdbg.HB/NetIp/Get-NetTCPConnection.txt": tcp.encode(),
        "msdbg.HB/shortcut.lnk": b"L\x00\x00\x00",
    }


def _check(r, prefix):
    assert [rec.adapter for rec in r.records] == ["E1", "E1"]
    assert not r.rejected and r.loaded == 1 == r.records_seen
    skipped = dict(r.skipped_files)
    assert "an ETW trace (.etl file)" in skipped[prefix + "msdbg.HB/trace.etl"]
    assert "a Windows event log (.evtx file)" in skipped[prefix + "msdbg.HB/Logs/System.evtx"]
    assert "a Windows shortcut" in skipped[prefix + "msdbg.HB/shortcut.lnk"]
    assert "Get-NetView file over the size limit" in skipped[prefix + "msdbg.HB/NetIp/Get-NetTCPConnection.txt"]


def test_large_non_capture_files_in_a_bundle_folder_are_skipped_not_refused(tmp_path):
    files = _bundle_files()
    assert len(files["msdbg.HB/NetIp/Get-NetTCPConnection.txt"]) > BIG > len(_capture())
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    _check(import_paths([tmp_path], size_limit=BIG, progress=False), str(tmp_path) + "/")


def test_large_non_capture_files_in_a_bundle_zip_are_skipped_not_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _bundle_files().items():
            zf.writestr(name, data)
    z = tmp_path / "msdbg.HB-2025.02.26_10.30.00.zip"
    z.write_bytes(buf.getvalue())
    _check(import_paths([z], size_limit=BIG, progress=False), str(z) + "/")


def test_cli_exits_0_for_a_bundle_with_a_large_trace(tmp_path):
    (tmp_path / "msdbg.HB" / "pNIC.1.E1.X").mkdir(parents=True)
    (tmp_path / "msdbg.HB" / "pNIC.1.E1.X" / "Get-NetAdapterIPsecOffload.txt").write_bytes(_capture())
    (tmp_path / "msdbg.HB" / "trace.etl").write_bytes(bytes(BIG * 2))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, "-m", "ipsecexplore", "import", str(tmp_path), "--size-limit", str(BIG),
                        "--csv", os.devnull, "--show-skipped"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert p.returncode == 0, p.stderr
    assert "0 rejected" in p.stderr
    assert f"{tmp_path / 'msdbg.HB' / 'trace.etl'}: skipped: an ETW trace (.etl file)" in p.stderr


def test_a_capture_file_of_a_bundle_over_the_limit_is_still_refused(tmp_path):
    d = tmp_path / "msdbg.HB" / "pNIC.1.E1.X"
    d.mkdir(parents=True)
    (d / "Get-NetAdapterIPsecOffload.txt").write_bytes(_capture())
    r = import_paths([tmp_path], size_limit=100, progress=False)
    (rej,) = r.rejected
    assert rej.refused == "size limit" and rej.source_file.endswith("Get-NetAdapterIPsecOffload.txt")


def test_a_file_the_user_names_is_still_size_checked(tmp_path):
    (tmp_path / "trace.etl").write_bytes(bytes(BIG * 2))
    with pytest.raises(InputError, match="larger than the size limit"):
        import_paths([tmp_path / "trace.etl"], size_limit=BIG, progress=False)
    r = import_paths([tmp_path / "trace.etl"], progress=False)  # within the limit: read, and not a capture
    assert r.records_seen == 0 and "binary file" in r.skipped_files[0][1]
