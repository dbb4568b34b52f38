"""Cross-OS charts and the report's Linux section, on the sample data and on tiny fleets."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from captures_support import REPO  # noqa: E402

from ipsecexplore.charts_crossos import cross_os_matrix, family_frame, same_nic_two_oses  # noqa: E402
from ipsecexplore.fleet import load_fleet  # noqa: E402
from ipsecexplore.report import build_report  # noqa: E402


@pytest.fixture(scope="module")
def sample():
    return load_fleet([REPO / "data" / "sample"], progress=False)


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_matrix_cells_count_the_frame(sample):
    f = sample.frame
    hw = f[f["view"] == "hardware"]
    intel_win = hw[(hw["os"] == "windows") & hw["description"].str.contains("X550|X540|82599", na=False)]
    intel_lin = hw[(hw["os"] == "linux") & hw["driver"].isin(["ixgbe", "ixgbevf"])]
    fig = cross_os_matrix(sample)
    got = texts(fig)
    esp = intel_win["IPsecV2.Esp"].dropna()
    assert len(esp) and f"{int(esp.sum())}/{len(esp)}" in got
    lin = intel_lin["ethtool.esp-hw-offload"].dropna()
    assert len(lin) and f"{int(lin.sum())}/{len(lin)}" in got
    assert "n/a" in got  # ConnectX has no Windows adapter in the sample
    assert "inferred" in " ".join(ax.get_title(loc="left") for ax in fig.axes)


def test_same_nic_two_oses_only_families_on_both(sample):
    fig = same_nic_two_oses(sample)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["Intel 82599/X540/X550"]
    ff = family_frame(sample)
    assert set(ff["family"]) == {"Intel 82599/X540/X550", "NVIDIA/Mellanox ConnectX"}


def test_windows_only_fleet_says_why():
    f = load_fleet([REPO / "data" / "sample" / "formatlist" / "HOST02.txt"], progress=False)
    assert "no NIC family captured on both" in " ".join(texts(same_nic_two_oses(f)))


def test_report_linux_section_escapes_and_answers(tmp_path):
    p = tmp_path / "lnx.txt"
    p.write_text("$ ethtool -k eth0\nFeatures for <img src=x>:\nesp-hw-offload: on\n$ ethtool -i '<img src=x>'\n"
                 "driver: ixgbe\nfirmware-version: 1\n")
    html = build_report([p], image_format="png")
    sec = html.split('<h2 id="linux">', 1)[1].split("<h2 ", 1)[0]
    assert "<img src=x>" not in sec and "&lt;img src=x&gt;" in sec
    assert "driver table" in sec and ">yes<" in sec and "inferred" in sec


def test_report_without_linux_says_so():
    html = build_report([REPO / "data" / "sample" / "formatlist" / "HOST02.txt"], image_format="png")
    assert "No Linux capture" in html
