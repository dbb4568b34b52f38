"""``ipsecexplore import`` through a real subprocess: exit codes, stderr lines, stdout output."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from captures_support import REPO, ipsec_obj, replace

from ipsecexplore.captures import synth


def run(*args, entry="ipsecexplore"):
    mod = ["-m", "ipsecexplore"] if entry == "ipsecexplore" else ["-m", "ipsecexplore.captures.cli"]
    cmd = [sys.executable, *mod] + (["import"] if entry == "ipsecexplore" else []) + [str(a) for a in args]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


@pytest.fixture
def caps(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(synth.encode_windows(synth.format_list([ipsec_obj("A"), ipsec_obj("B", host="HOST02")]),
                                          "utf-16-le"))
    bad = tmp_path / "bad.txt"
    text = synth.format_list([ipsec_obj("C"), replace(ipsec_obj("D"), "EspSupported", "Yes")])
    bad.write_text(text)
    bad_line = [i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("ifAlias")][1]
    return good, bad, bad_line


@pytest.mark.parametrize("entry", ["ipsecexplore", "module"])
def test_clean_import_writes_csv_to_stdout_and_exits_0(caps, entry):
    good, _, _ = caps
    p = run(good, "--csv", "-", entry=entry)
    assert p.returncode == 0, p.stderr
    frame = pd.read_csv(io.StringIO(p.stdout))
    assert len(frame) == 4 and set(frame["view"]) == {"hardware", "current"}
    assert list(frame.columns[:6]) == ["host", "adapter", "description", "source", "view", "provenance"]
    lines = p.stderr.strip().split("\n")
    assert len(lines) == 1
    assert "2 adapters on 2 hosts" in lines[0] and "0 rejected" in lines[0]
    assert "Traceback" not in p.stderr


def test_rejected_records_exit_1_with_one_line_each(caps):
    good, bad, bad_line = caps
    p = run(good, bad, "--json", "-")
    assert p.returncode == 1
    rows = json.loads(p.stdout)
    assert {r["adapter"] for r in rows} == {"A", "B", "C"}
    lines = p.stderr.strip().split("\n")
    assert "1 rejected" in lines[0]
    assert lines[1].startswith(f"{bad}:{bad_line}: ") and "EspSupported" in lines[1]
    assert len(lines) == 2


def test_output_files(tmp_path, caps):
    good, _, _ = caps
    for opt, reader in (("--csv", pd.read_csv), ("--parquet", pd.read_parquet), ("--json", pd.read_json)):
        out = tmp_path / f"out{opt}"
        p = run(good, opt, out)
        assert p.returncode == 0, p.stderr
        assert len(reader(out)) == 4
    parquet = pd.read_parquet(tmp_path / "out--parquet")
    assert str(parquet["IPsecV2.Esp"].dtype) == "boolean"
    assert str(parquet["IPsecV2.SaOffloadCapacity"].dtype) == "Int64"


@pytest.mark.parametrize("args,needle", [
    (["does-not-exist.txt"], "no such file"),
    (["{good}", "--bogus"], "unrecognized arguments"),
    (["{good}", "--csv", "-", "--json", "-"], "not allowed with"),
    (["{good}", "--parquet", "-"], "--parquet needs a file name"),
    (["{good}", "--csv", "/nonexistent-dir/x.csv"], "cannot write output"),
    (["{good}", "--size-limit", "lots"], "not a size"),
    (["{good}", "--size-limit", "100"], "size limit"),
    ([], "required"),
])
def test_usage_errors_exit_2_without_traceback(caps, args, needle):
    good, _, _ = caps
    p = run(*[a.format(good=good) for a in args])
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert needle in p.stderr and "Traceback" not in p.stderr


def test_named_file_that_holds_no_capture_is_reported_and_exits_1(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("just some notes\n")
    p = run(f)
    assert p.returncode == 1
    assert f"{f}: skipped: not a recognised capture" in p.stderr


def test_sample_data_imports_cleanly_and_bad_data_is_listed():
    p = run(REPO / "data" / "sample", "--no-progress", "--csv", "-")
    assert p.returncode == 0, p.stderr
    assert "0 rejected" in p.stderr
    p = run(REPO / "data" / "bad", "--no-progress")
    assert p.returncode == 1
    lines = p.stderr.strip().split("\n")
    names = {ln.split(":", 1)[0].split("@", 1)[0].rsplit("/", 1)[-1] for ln in lines[1:]
             if not ln.startswith("duplicate: ")}
    assert names == {f.name for f in (REPO / "data" / "bad").iterdir()}


def test_json_output_keeps_slashes_and_backslashes(tmp_path):
    f = tmp_path / "a.txt"
    tricky = "Adapter a/b \\ c\\/d"
    f.write_text(synth.format_list([ipsec_obj("E1", description=tricky)]))
    p = run(f, "--json", "-")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert {r["description"] for r in rows} == {tricky}
    assert rows[0]["source"] == f"{f}:2"


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    """stderr redirected to a file or pipe holds the summary and the rejected lines, nothing else."""
    from ipsecexplore.captures import PROGRESS_MIN_FILES

    for i in range(PROGRESS_MIN_FILES + 5):
        (tmp_path / f"h{i:02d}.txt").write_text(synth.format_list([ipsec_obj(f"E{i}", host=f"H{i}")]))
    text = synth.format_list([replace(ipsec_obj("BAD", host="HX"), "EspSupported", "Yes")])
    (tmp_path / "zz-bad.txt").write_text(text)
    bad_line = next(i + 1 for i, ln in enumerate(text.split("\n")) if ln.startswith("ifAlias"))
    p = run(tmp_path, "--csv", os.devnull)  # no --no-progress: the bar would be drawn if stderr were a tty
    assert p.returncode == 1
    assert "\r" not in p.stderr and "importing captures" not in p.stderr
    lines = p.stderr.split("\n")
    assert lines[-1] == ""  # ends with a newline
    assert lines[0].startswith("ipsecexplore import: 25 adapters on 25 hosts") and "1 rejected" in lines[0]
    assert lines[1].startswith(f"{tmp_path / 'zz-bad.txt'}:{bad_line}: ") and "EspSupported" in lines[1]
    assert len(lines) == 3


def test_progress_bar_is_drawn_on_a_terminal(tmp_path):
    """The same import with stderr on a pseudo-terminal shows the bar (and --no-progress removes it)."""
    pty = pytest.importorskip("pty")
    from ipsecexplore.captures import PROGRESS_MIN_FILES

    for i in range(PROGRESS_MIN_FILES):
        (tmp_path / f"h{i:02d}.txt").write_text(synth.format_list([ipsec_obj(f"E{i}")]))

    def stderr_on_tty(*extra):
        import fcntl
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # else 0 columns: no bar
        env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        proc = subprocess.Popen([sys.executable, "-m", "ipsecexplore", "import", str(tmp_path), "--csv",
                                 os.devnull, *extra], stderr=slave, stdout=subprocess.DEVNULL, env=env, cwd=REPO)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        assert proc.wait(timeout=120) == 0
        return out.decode("utf-8", "replace")

    assert "importing captures" in stderr_on_tty()
    assert "importing captures" not in stderr_on_tty("--no-progress")


def test_size_limit_inside_a_folder_is_rejected_and_exits_1(tmp_path):
    small = synth.format_list([ipsec_obj("S1")])
    big = synth.format_list([ipsec_obj(f"B{i}") for i in range(4)])
    (tmp_path / "small.txt").write_text(small)
    (tmp_path / "big.txt").write_text(big)
    limit = len(big.encode()) - 1
    p = run(tmp_path, "--size-limit", str(limit), "--csv", "-")
    assert p.returncode == 1, p.stderr
    assert set(pd.read_csv(io.StringIO(p.stdout))["adapter"]) == {"S1"}
    lines = p.stderr.strip().split("\n")
    assert "1 rejected (1 file over the size limit)" in lines[0]
    assert lines[1] == (f"{tmp_path / 'big.txt'}: file is {limit + 1} bytes, larger than the size limit of "
                        f"{limit} bytes (raise it with size_limit= / --size-limit)")
    assert len(lines) == 2


def test_sample_with_a_small_size_limit_fails_naming_every_refused_file():
    p = run(REPO / "data" / "sample", "--size-limit", "1k", "--csv", os.devnull)
    assert p.returncode == 1
    lines = p.stderr.strip().split("\n")
    refused = [ln for ln in lines[1:] if "size limit" in ln]  # over it, or over the budget of 4 × the limit
    assert refused and f"{len(refused)} rejected ({len(refused)} files over the size limit)" in lines[0]


def test_duplicate_rows_get_one_line_per_group_after_the_rejected_lines(tmp_path):
    (tmp_path / "a.txt").write_text(synth.format_list([ipsec_obj("E1"), ipsec_obj("E2")]))
    (tmp_path / "b.json").write_text(synth.to_json([ipsec_obj("e1", host="host01")], style="ps7"))
    bad = synth.format_list([replace(ipsec_obj("E3"), "EspSupported", "Yes")])
    (tmp_path / "c.txt").write_text(bad)
    p = run(tmp_path, "--csv", os.devnull)
    assert p.returncode == 1
    lines = p.stderr.strip().split("\n")
    assert "1 rejected" in lines[0] and "2 duplicate rows" not in lines[0] and "4 duplicate rows" in lines[0]
    assert lines[1].startswith(f"{tmp_path / 'c.txt'}:")
    a_line = 2  # E1 is the first object of a.txt: its Name line
    want = [f"duplicate: host 'HOST01', adapter 'E1', view {view}: {tmp_path / 'a.txt'}:{a_line}, "
            f"{tmp_path / 'b.json'}:2" for view in ("current", "hardware")]
    assert lines[2:] == want
