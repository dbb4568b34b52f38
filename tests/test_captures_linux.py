"""Linux captures (capture-formats.md §8): every shape imports into the rows the spec says, with accounting.

Expected rows are written here from the spec's rules (§8.1: on / off / [fixed] → hardware and current views;
§8.2: a state's offload line counts per interface, direction and mode, no mode = unknown, a policy's line is not a
state), never from the importer's output.
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsecexplore.captures import import_bytes, import_paths
from ipsecexplore.errors import InputError
from ipsecexplore.fleet import load_fleet

E = "ethtool.esp-hw-offload"
C = "ethtool.esp-tx-csum-hw-offload"
G = "ethtool.tx-esp-segmentation"
ZERO = {f"xfrm.states.{d}.{m}": 0 for d in ("in", "out") for m in ("crypto", "packet", "unknown")}

ETHTOOL_K = """Features for eth0:
rx-checksumming: on
tx-checksumming: on
\ttx-checksum-ipv4: off [fixed]
\ttx-checksum-ip-generic: on
tcp-segmentation-offload: on
\ttx-tcp-segmentation: on
tx-esp-segmentation: on
esp-hw-offload: on
esp-tx-csum-hw-offload: off [fixed]
rx-udp_tunnel-port-offload: on
"""

STATES_NEW = """src 192.0.2.1 dst 192.0.2.2
\tproto esp spi 0xc88b7652 reqid 1 mode tunnel
\treplay-window 0 flag af-unspec esn
\taead rfc4106(gcm(aes)) ******** 128
\tcrypto offload parameters: dev eth2 dir out mode packet
src 192.0.2.2 dst 192.0.2.1
\tproto esp spi 0x0000a001 reqid 1 mode tunnel
\treplay-window 32 flag af-unspec esn
\taead rfc4106(gcm(aes)) ******** 128
\tcrypto offload parameters: dev eth2 dir in mode crypto
src 192.0.2.9 dst 192.0.2.1
\tproto esp spi 0x0000a002 reqid 2 mode transport
\treplay-window 32
\taead rfc4106(gcm(aes)) ******** 128
"""

STATES_OLD = """src 198.51.100.1 dst 198.51.100.2
\tproto esp spi 0x00000010 reqid 16 mode transport
\treplay-window 0
\taead rfc4106(gcm(aes)) 0x3132333435363738393031323334353664636261 128
\tcrypto offload parameters: dev eth1 dir out
src 198.51.100.2 dst 198.51.100.1
\tproto esp spi 0x00000011 reqid 16 mode transport
\treplay-window 0
\taead rfc4106(gcm(aes)) 0x3132333435363738393031323334353664636261 128
\tcrypto offload parameters: dev eth1 dir in
"""

POLICIES = """src 192.170.0.0/16 dst 192.170.0.0/16
\tdir out priority 383615 ptype main
\ttmpl src 192.169.101.2 dst 192.169.101.1
\t\tproto esp spi 0xc88b7652 reqid 1 mode tunnel
\tcrypto offload parameters: dev eth2 mode packet
"""


def rows(result, adapter=None):
    out = {}
    for r in result.records:
        if adapter is None or r.adapter == adapter:
            out.setdefault((r.host, r.adapter, r.view), []).append(dict(r.values))
    return out


def one(result, host, adapter, view):
    (v,) = rows(result)[(host, adapter, view)]
    return v


def imp(text: str, name: str = "lnx01.txt"):
    res = import_bytes(text.encode(), name)
    res.check()
    return res


# -------------------------------------------------------------------------------------------- ethtool -k
def test_ethtool_k_text_gives_hardware_and_current_views():
    res = imp(ETHTOOL_K)
    assert (res.records_seen, res.loaded, res.rejected) == (1, 1, [])
    hw = one(res, "lnx01", "eth0", "hardware")
    cur = one(res, "lnx01", "eth0", "current")
    # on -> can be on and is on; off [fixed] -> cannot and is off (§8.1)
    assert cur == {E: True, E + ".fixed": False, C: False, C + ".fixed": True, G: True, G + ".fixed": False}
    assert hw == {E: True, E + ".fixed": False, C: False, C + ".fixed": True, G: True, G + ".fixed": False}


def test_off_without_fixed_can_be_switched_on():
    res = imp("Features for ens1f0:\nesp-hw-offload: off\ntx-esp-segmentation: off [requested on]\n")
    assert one(res, "lnx01", "ens1f0", "hardware") == {E: True, E + ".fixed": False, G: True, G + ".fixed": False}
    assert one(res, "lnx01", "ens1f0", "current") == {E: False, E + ".fixed": False, G: False, G + ".fixed": False}
    assert any("requested on" in m.text and m.line == 3 for m in res.remarks)


def test_json_k_one_object_per_interface_and_null_fixed():
    doc = [{"ifname": "eth3", "rx-checksumming": {"active": True, "fixed": None, "requested": None},
            "esp-hw-offload": {"active": False, "fixed": True, "requested": False},
            "tx-esp-segmentation": {"active": False, "fixed": None, "requested": None}}]
    res = imp(json.dumps(doc, indent=2), "lnx02.json")
    assert one(res, "lnx02", "eth3", "current") == {E: False, E + ".fixed": True, G: False, G + ".fixed": None}
    # off with fixed unknown: whether it can be on is unknown
    assert one(res, "lnx02", "eth3", "hardware") == {E: False, E + ".fixed": True, G: None, G + ".fixed": None}


def test_json_bad_object_is_rejected_with_its_line_others_load():
    text = ('[ {\n "ifname": "eth0",\n "esp-hw-offload": {"active": true, "fixed": false}\n},\n'
            '{\n "ifname": "eth1",\n "esp-hw-offload": {"active": "yes", "fixed": false}\n} ]\n')
    res = imp(text, "lnx02.json")
    assert res.loaded == 1 and len(res.rejected) == 1 and res.rejected[0].line == 6
    assert "esp-hw-offload" in res.rejected[0].reason


# --------------------------------------------------------------------------------------------- transcripts
TRANSCRIPT = f"""Last login: Mon Dec  7 09:00:01 2026
admin@lnx03:~$ sudo ethtool -k eth2 | grep esp
tx-esp-segmentation: off [fixed]
esp-hw-offload: on
esp-tx-csum-hw-offload: on
admin@lnx03:~$ ethtool -i eth2
driver: mlx5_core
version: 6.8.0-49-generic
firmware-version: 22.39.1002 (MT_0000000359)
expansion-rom-version:
bus-info: 0000:81:00.0
supports-statistics: yes
admin@lnx03:~$ sudo ip -s -d x s
{STATES_NEW}admin@lnx03:~$ sudo ip x p
{POLICIES}admin@lnx03:~$ uptime
 09:01:02 up 3 days
"""


def test_transcript_with_prompts_grep_and_sudo():
    res = imp(TRANSCRIPT, "notes.txt")
    # ethtool -k, ethtool -i and three states are source records; the policy is not
    assert (res.records_seen, res.loaded, len(res.rejected)) == (5, 5, 0)
    cur = one(res, "lnx03", "eth2", "current")
    hw = one(res, "lnx03", "eth2", "hardware")
    drv = {"driver": "mlx5_core", "firmware": "22.39.1002 (MT_0000000359)"}
    feats = {E: True, E + ".fixed": False, C: True, C + ".fixed": False, G: False, G + ".fixed": True}
    assert hw == {**feats, **drv}  # hardware: no xfrm counts (they are the current state)
    assert cur == {**feats, **drv, **ZERO, "xfrm.states.out.packet": 1, "xfrm.states.in.crypto": 1}
    r = next(r for r in res.records if r.view == "current")
    assert r.host_from == "prompt" and r.source_file == "notes.txt" and r.line == 3
    texts = " | ".join(m.text for m in res.remarks)
    assert "1 xfrm policy (1 with an offload line)" in texts and "'uptime'" in texts
    assert "1 of 3 xfrm states have no offload line" in texts


@pytest.mark.parametrize("prompt", ["$ ", "# ", "root@lnx04:~# ", "[root@lnx04 ~]# ", "user@lnx04:/tmp$ sudo "])
def test_prompt_shapes(prompt):
    res = imp(f"{prompt}ethtool -k eth0\n{ETHTOOL_K}", "lnx04.log")
    assert {(h, a, v) for h, a, v in rows(res)} == {("lnx04", "eth0", "hardware"), ("lnx04", "eth0", "current")}


def test_grep_cut_without_header_and_without_command_is_rejected():
    res = imp("esp-hw-offload: on\ntx-esp-segmentation: off [fixed]\n")
    assert res.loaded == 0 and len(res.rejected) == 1
    assert "Features for IFACE" in res.rejected[0].reason and res.rejected[0].line == 1


def test_hostname_command_names_the_host():
    res = imp(f"$ hostname\nlnx05.example\n$ ethtool -k eth0\n{ETHTOOL_K}", "x.txt")
    r = res.records[0]
    assert (r.host, r.host_from) == ("lnx05.example", "hostname command")


def test_failed_command_is_rejected_at_its_output():
    res = imp("$ ethtool -k eth9\nnetlink error: no device matches name (offset 24)\nnetlink error: No such device\n")
    assert res.loaded == 0 and res.rejected[0].line == 2 and "netlink error" in res.rejected[0].reason


# ---------------------------------------------------------------------------------------------------- xfrm
def test_old_iproute2_without_mode_counts_unknown():
    res = imp(STATES_OLD, "lnx06.xfrm.txt")
    assert (res.records_seen, res.loaded) == (2, 2)
    assert one(res, "lnx06", "eth1", "unknown") == {**ZERO, "xfrm.states.out.unknown": 1,
                                                    "xfrm.states.in.unknown": 1}


def test_policies_only_count_nothing_and_the_file_is_skipped():
    res = imp(POLICIES, "lnx06.policy.txt")
    assert res.records_seen == 0 and not res.records
    (path, why), = res.skipped_files
    assert path == "lnx06.policy.txt" and "policy is not a state" in why


def test_malformed_state_offload_line_is_rejected_others_count():
    bad = STATES_OLD.replace("dev eth1 dir in", "dev eth1 dir sideways")
    res = imp(bad, "lnx06.xfrm.txt")
    assert res.loaded == 1 and len(res.rejected) == 1 and res.rejected[0].line == 10
    assert one(res, "lnx06", "eth1", "unknown")["xfrm.states.out.unknown"] == 1


def test_state_offload_line_without_dir_is_rejected():
    res = imp(STATES_OLD.replace(" dir out", ""), "lnx06.xfrm.txt")
    assert len(res.rejected) == 1 and res.rejected[0].line == 5 and "without 'dir" in res.rejected[0].reason


# ----------------------------------------------------------------------------------------------- sosreport
def sos_files(root="sosreport-lnx07-2026-12-07-abcdef", host="lnx07.example.com"):
    return {
        f"{root}/sos_commands/networking/ethtool_-k_eth0": ETHTOOL_K,
        f"{root}/sos_commands/networking/ethtool_-i_eth0": "driver: ixgbe\nversion: 6.8.0\nfirmware-version: "
                                                           "0x800007f5\nbus-info: 0000:03:00.0\n",
        f"{root}/sos_commands/networking/ethtool_-S_eth0": "NIC statistics:\n     rx_packets: 1\n",
        f"{root}/sos_commands/libreswan/ip_xfrm_state": STATES_OLD.replace("eth1", "eth0"),
        f"{root}/sos_commands/libreswan/ip_xfrm_policy": POLICIES,
        f"{root}/sos_commands/host/hostname": host + "\n",
        f"{root}/proc/cpuinfo": "processor : 0\n",
    }


def expected_sos(res, host):
    cur = one(res, host, "eth0", "current")
    assert cur["driver"] == "ixgbe" and cur["firmware"] == "0x800007f5"
    assert cur["xfrm.states.out.unknown"] == 1 and cur["xfrm.states.in.unknown"] == 1
    assert cur[E] is True and cur[C + ".fixed"] is True
    assert (res.records_seen, res.loaded) == (4, 4)  # ethtool -k, ethtool -i, two states
    skipped = {p.rsplit("/", 1)[-1]: why for p, why in res.skipped_files}
    assert "sosreport file not used" in skipped["ethtool_-S_eth0"] and "sosreport file" in skipped["cpuinfo"]
    assert "policy is not a state" in skipped["ip_xfrm_policy"]


def test_sos_folder(tmp_path):
    for rel, text in sos_files().items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    res = import_paths([tmp_path], progress=False)
    expected_sos(res, "lnx07.example.com")
    assert {r.host_from for r in res.records} == {"sosreport hostname"}


def test_sos_tar_xz_archive_and_host_from_folder_without_hostname(tmp_path):
    files = sos_files("sosreport-lnx08-2026-12-07-qwerty")
    files.pop("sosreport-lnx08-2026-12-07-qwerty/sos_commands/host/hostname")
    arc = tmp_path / "sosreport-lnx08-2026-12-07-qwerty.tar.xz"
    with tarfile.open(arc, "w:xz") as tf:
        for rel, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(rel)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    res = import_paths([arc], progress=False)
    expected_sos(res, "lnx08")
    r = res.records[0]
    assert r.host_from == "sosreport folder name"
    assert r.source_file.startswith(str(arc) + "/sosreport-lnx08")


def test_broken_tar_named_by_the_user_raises(tmp_path):
    arc = tmp_path / "broken.tar.xz"
    arc.write_bytes(b"\xfd7zXZ\x00 not really")
    with pytest.raises(InputError, match="tar archive"):
        import_paths([arc], progress=False)


# ---------------------------------------------------------------------------------------------------- frame
def test_frame_os_column_linux_columns_and_ndis_members_na(tmp_path):
    (tmp_path / "lnx03.txt").write_text(TRANSCRIPT)
    f = load_fleet([tmp_path], progress=False).frame
    assert set(f["os"]) == {"linux"}
    assert f["IPsecV2.Esp"].isna().all() and f["IPsecV2.EncryptionAlgorithms"].isna().all()
    assert str(f[E].dtype) == "boolean" and str(f["xfrm.states.in.crypto"].dtype) == "Int64"
    assert "inferred" in f.attrs["notes"]["os"]
    cur = f[f["view"] == "current"].iloc[0]
    assert cur["driver"] == "mlx5_core" and cur["adapter"] == "eth2"


def test_windows_rows_are_windows_with_linux_columns_na():
    from captures_support import REPO

    f = load_fleet([REPO / "data" / "sample" / "formatlist" / "HOST02.txt"], progress=False).frame
    assert set(f["os"]) == {"windows"} and f[E].isna().all() and f["driver"].isna().all()
    assert "os" not in f.attrs["notes"]


# ----------------------------------------------------------------------------------------------- properties
FEATURE = st.sampled_from(["esp-hw-offload", "esp-tx-csum-hw-offload", "tx-esp-segmentation"])
STATE = st.sampled_from(["on", "off"])
SUFFIX = st.sampled_from(["", " [fixed]", " [requested on]", " [requested off]"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(FEATURE, st.tuples(STATE, SUFFIX), min_size=1))
def test_views_follow_the_spec_rule(feats):
    text = "Features for eth0:\n" + "".join(f"{k}: {s}{x}\n" for k, (s, x) in feats.items())
    res = imp(text)
    hw, cur = one(res, "lnx01", "eth0", "hardware"), one(res, "lnx01", "eth0", "current")
    for k, (s, x) in feats.items():
        col = f"ethtool.{k}"
        assert cur[col] == (s == "on")
        assert hw[col] == (s == "on" or x != " [fixed]")
        assert hw[col + ".fixed"] == cur[col + ".fixed"] == (x == " [fixed]")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["eth0", "eth1"]), st.sampled_from(["in", "out"]),
                          st.sampled_from(["crypto", "packet", None])), max_size=8))
def test_state_counts_per_interface_direction_mode(states):
    text = "".join(f"src 10.0.0.{i} dst 10.0.1.{i}\n\tproto esp spi 0x{i:08x} reqid {i} mode transport\n"
                   f"\tcrypto offload parameters: dev {dev} dir {d}{'' if m is None else ' mode ' + m}\n"
                   for i, (dev, d, m) in enumerate(states))
    text = text or "src 10.0.0.1 dst 10.0.1.1\n\tproto esp spi 0x1 reqid 1 mode transport\n"
    res = imp(text)
    assert res.loaded == max(len(states), 1)
    for dev in ("eth0", "eth1"):
        want = {}
        for dv, d, m in states:
            if dv == dev:
                k = f"xfrm.states.{d}.{m or 'unknown'}"
                want[k] = want.get(k, 0) + 1
        got = rows(res).get(("lnx01", dev, "unknown"))
        if not want:
            assert got is None
        else:
            assert got == [{**ZERO, **want}]


LINE = st.sampled_from(["Features for eth0:", "esp-hw-offload: on", "\ttx-esp-segmentation: off [fixed]",
                        "esp-tx-csum-hw-offload: maybe", "$ ethtool -k eth0", "# ip x s", "$ ip x p",
                        "user@h:~$ sudo ethtool -i eth0 | grep driver", "driver: ixgbe", "src 10.0.0.1 dst 10.0.0.2",
                        "\tproto esp spi 0x1 reqid 1 mode transport", "\tdir out priority 1",
                        "\tcrypto offload parameters: dev eth0 dir in mode packet",
                        "\tcrypto offload parameters: dev eth0", "\tcrypto offload parameters: (ERROR truncated)",
                        "[{\"ifname\": \"eth0\"}]", "", "garbage"])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=14))
def test_any_mix_of_lines_is_loaded_rejected_or_skipped_never_an_exception(lines):
    res = import_bytes("\n".join(lines).encode(), "lnx09.txt")
    res.check()  # loaded + rejected == seen
    for r in res.rejected:
        assert r.source_file == "lnx09.txt" and r.reason
    # the file is either read (records seen) or listed as skipped with a reason, never both or neither
    assert (res.records_seen > 0) != (len(res.skipped_files) == 1), (res.records_seen, res.skipped_files)


def test_transcript_json_and_grep_cut_xfrm():
    doc = json.dumps([{"ifname": "eth5", "esp-hw-offload": {"active": True, "fixed": False, "requested": True}}])
    text = (f"$ ethtool --json -k eth5\n{doc}\n$ sudo ip x s | grep offload\n"
            "\tcrypto offload parameters: dev eth5 dir out mode crypto\n"
            "\tcrypto offload parameters: dev eth5 dir in\n$ ip x p | grep offload\n"
            "\tcrypto offload parameters: dev eth5 mode packet\n")
    res = imp(text, "lnx10.txt")
    assert (res.records_seen, res.loaded) == (3, 3)  # one interface object, two states
    cur = one(res, "lnx10", "eth5", "current")
    assert cur[E] is True and cur["xfrm.states.out.crypto"] == 1 and cur["xfrm.states.in.unknown"] == 1
    assert not res.rejected
