"""``ipsecexplore gap`` through a real subprocess: the text report, ``--csv``, one-view adapters, exit codes.
Expected gaps are worked out from the capture written here and the rule book's keyword masking (R50, R51)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest
from captures_support import CUR, HW, REPO, M, ipsec_obj

from ipsecexplore import constants
from ipsecexplore.captures import synth
from ipsecexplore.model import encode


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "ipsecexplore", "gap", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=120)


def _auth_macros(mask: int) -> list[str]:
    return [c.name for c in sorted(constants.IPSEC_OFFLOAD_V2_AUTHENTICATION, key=int)
            if int(c) and int(c) & (int(c) - 1) == 0 and mask & int(c)]


# CUR is HW with Ah off and fewer integrity algorithms: with *IPsecOffloadV2 = 2 (ESP only, R50) the keyword
# explains Ah; nothing explains the integrity algorithms the current view lacks.
LOST_AUTH = _auth_macros(HW[M + "AuthenticationAlgorithms"] & ~CUR[M + "AuthenticationAlgorithms"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("gap")
    (d / "h1.txt").write_bytes(synth.encode_windows(synth.format_list(
        [ipsec_obj("A", description="Intel(R) Ethernet Controller X550 #2")]), "utf-16-le"))
    (d / "h1.adv.json").write_text(synth.to_json([synth.advprop_object(
        name="A", description="Intel(R) Ethernet Controller X550 #2", host="HOST01", instance_id="{1}",
        keyword="*IPsecOffloadV2", value=2, display_name="IPsec Offload",
        labels=dict(constants.INF_KEYWORDS["*IPsecOffloadV2"].values), default=3)]))
    (d / "raw.bin").write_bytes(encode(HW, revision=2))
    (d / "raw.bin.json").write_text('{"source": "oid_hardware_capabilities", "adapter": "R", "host": "HOST03"}')
    return d


def test_text_report(folder):
    p = run(folder)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    head = lines[0]
    assert head.startswith("HOST01 / A (Intel(R) Ethernet Controller X550; physical; *IPsecOffloadV2=2): ")
    assert head.endswith(f"{1 + len(LOST_AUTH)} supported in hardware, off in current")
    assert lines[1] == "  *IPsecOffloadV2 = 2 leaves AH disabled: NDIS clears Ah (R50, R51): IPsecV2.Ah"
    assert lines[2] == "  not explained by a keyword: " + ", ".join(LOST_AUTH)
    assert lines[3] == "captured in one view only, so not judged (1 adapter):"
    assert lines[4].startswith("  HOST03 / R: hardware only (") and "raw.bin" in lines[4]
    assert len(lines) == 5
    err = p.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"ipsecexplore gap: {1 + len(LOST_AUTH)} capabilities supported "
                                               "but off on 1 adapter (1 explained by a keyword, R51)")


def test_csv_file_and_stdout(folder, tmp_path):
    out = tmp_path / "gap.csv"
    p = run(folder, "--csv", out)
    assert p.returncode == 0 and p.stdout == ""
    df = pd.read_csv(out)
    assert list(df.columns) == ["host", "adapter", "model", "virtual", "os", "capability", "member", "hardware",
                                "current", "keyword.*IPsecOffloadV2", "keyword.*IPsecOffloadV2IPv4", "cause", "rule"]
    assert df["capability"].tolist() == [M + "Ah"] + LOST_AUTH
    assert (df["keyword.*IPsecOffloadV2"] == 2).all() and df["keyword.*IPsecOffloadV2IPv4"].isna().all()
    assert df["rule"].fillna("").tolist() == ["R51"] + [""] * len(LOST_AUTH)
    p2 = run(folder, "--csv", "-")
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(p2.stdout)), df)


def test_missing_path_is_one_line_exit_2(tmp_path):
    p = run(tmp_path / "nope")
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.strip().splitlines() == [f"ipsecexplore: {tmp_path / 'nope'}: no such file or folder"]
