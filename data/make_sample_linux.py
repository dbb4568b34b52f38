"""Linux part of the sample data (issue 15), called by data/make_sample.py: data/sample/linux/ and the Linux files
of data/bad/, in every shape of tests/spec/capture-formats.md §8.

Every Linux host pairs a NIC family with the driver §8 names for it (82599/X550 -> ixgbe, ConnectX -> mlx5): that
pairing is *sourced*; feature states, interface names, firmware strings, addresses and SA counts are
*illustrative* (chosen for the sample). ``LINUX_HOSTS`` states both per value; the README table and
``sample/linux/provenance.json`` are written from it.
"""

from __future__ import annotations

import io
import json
import tarfile

# host -> shape, NIC family, driver, [(iface, {feature: (state, fixed)}, firmware)], xfrm states [(dev, dir, mode)]
ON, OFF = ("on", False), ("off", False)
FIXED_OFF = ("off", True)
IXGBE_ESP = {"esp-hw-offload": ON, "esp-tx-csum-hw-offload": ON, "tx-esp-segmentation": ON}
MLX5_ESP = {"esp-hw-offload": ON, "esp-tx-csum-hw-offload": ON, "tx-esp-segmentation": OFF}
NO_ESP = {"esp-hw-offload": FIXED_OFF, "esp-tx-csum-hw-offload": FIXED_OFF, "tx-esp-segmentation": FIXED_OFF}

LINUX_HOSTS = [
    ("LNX01", "hand-saved ethtool -k text and --json -k, ethtool -i in a short transcript", "Intel X550", "ixgbe",
     [("eno1", IXGBE_ESP, "0x80000aee, 1.1853.0"), ("eno2", {**IXGBE_ESP, "esp-hw-offload": OFF},
                                                   "0x80000aee, 1.1853.0")], []),
    ("LNX02", "terminal transcript: user@host prompts, sudo, | grep esp, ethtool -i, ip -s x s (iproute2 >= 6.2), "
              "ip x p", "NVIDIA ConnectX-6 Dx", "mlx5_core",
     [("enp65s0f0np0", MLX5_ESP, "22.39.1002 (MT_0000000359)")],
     [("enp65s0f0np0", "out", "packet"), ("enp65s0f0np0", "in", "packet"), ("enp65s0f0np0", "in", "crypto"),
      (None, None, None)]),
    ("LNX03", "terminal transcript: root prompts, hostname, ip x s of an iproute2 older than 6.2 (no mode)",
     "Intel 82599", "ixgbe", [("eth0", IXGBE_ESP, "0x800006da"), ("eth1", NO_ESP, "0x800006da")],
     [("eth0", "out", None), ("eth0", "in", None)]),
    ("LNX04", "sosreport folder", "Intel X550", "ixgbe",
     [("ens1f0", IXGBE_ESP, "0x80000aee, 1.1853.0"), ("ens1f1", IXGBE_ESP, "0x80000aee, 1.1853.0")],
     [("ens1f0", "out", "crypto"), ("ens1f0", "in", "crypto"), ("ens1f1", "in", "crypto")]),
    ("LNX05", "sosreport .tar.xz archive", "NVIDIA ConnectX-7", "mlx5_core",
     [("ens3f0np0", MLX5_ESP, "28.39.1002 (MT_0000000834)"), ("ens3f1v0", NO_ESP, "28.39.1002 (MT_0000000834)")],
     [("ens3f0np0", "out", "packet"), ("ens3f0np0", "in", "packet")]),
]

SOURCED = ("sourced: driver {driver} for the {family} (tests/spec/capture-formats.md §8: 82599/X550 -> ixgbe, "
           "ConnectX -> mlx5); illustrative: interface name, ethtool feature states, firmware and xfrm state "
           "counts (chosen for the sample)")
_OTHER_FEATURES = [
    ("rx-checksumming", "on", ""), ("tx-checksumming", "on", ""), ("\ttx-checksum-ipv4", "off", " [fixed]"),
    ("\ttx-checksum-ip-generic", "on", ""), ("\ttx-checksum-ipv6", "off", " [fixed]"),
    ("scatter-gather", "on", ""), ("\ttx-scatter-gather", "on", ""),
    ("tcp-segmentation-offload", "on", ""), ("\ttx-tcp-segmentation", "on", ""), ("\ttx-tcp6-segmentation", "on", ""),
    ("generic-segmentation-offload", "on", ""), ("generic-receive-offload", "on", ""),
    ("large-receive-offload", "off", ""), ("rx-vlan-offload", "on", ""), ("tx-vlan-offload", "on", ""),
    ("ntuple-filters", "off", ""), ("receive-hashing", "on", ""), ("highdma", "on", " [fixed]"),
    ("tx-gre-segmentation", "on", ""), ("tx-udp_tnl-segmentation", "on", ""),
]
_ESP_ORDER = ("tx-esp-segmentation", "esp-hw-offload", "esp-tx-csum-hw-offload")


def ethtool_k(iface: str, esp: dict, grep: bool = False) -> str:
    """``ethtool -k IFACE`` as ethtool prints it (or only the ESP lines, as ``| grep esp`` leaves them)."""
    esp_lines = [f"{n}: {esp[n][0]}{' [fixed]' if esp[n][1] else ''}" for n in _ESP_ORDER]
    if grep:
        return "\n".join(esp_lines) + "\n"
    body = [f"{n}: {s}{x}" for n, s, x in _OTHER_FEATURES[:-2]] + esp_lines[:1] + \
        [f"{n}: {s}{x}" for n, s, x in _OTHER_FEATURES[-2:]] + esp_lines[1:] + ["rx-udp_tunnel-port-offload: on"]
    return f"Features for {iface}:\n" + "\n".join(body) + "\n"


def ethtool_json(iface: str, esp: dict) -> str:
    """``ethtool --json -k IFACE``: an array of one object, ``{"active", "fixed", "requested"}`` per feature."""
    obj: dict = {"ifname": iface}
    for n, s, x in _OTHER_FEATURES:
        obj[n.strip()] = {"active": s == "on", "fixed": x == " [fixed]", "requested": s == "on"}
    for n in _ESP_ORDER:
        obj[n] = {"active": esp[n][0] == "on", "fixed": esp[n][1], "requested": esp[n][0] == "on"}
    return json.dumps([obj], indent=4) + "\n"


def ethtool_i(driver: str, firmware: str, bus: str) -> str:
    """``ethtool -i IFACE``."""
    return (f"driver: {driver}\nversion: 6.8.0-49-generic\nfirmware-version: {firmware}\nexpansion-rom-version: \n"
            f"bus-info: {bus}\nsupports-statistics: yes\nsupports-test: yes\nsupports-eeprom-access: yes\n"
            "supports-register-dump: yes\nsupports-priv-flags: yes\n")


def xfrm_states(states: list, *, new_iproute: bool, redacted: bool) -> str:
    """``ip -s xfrm state`` blocks; a state with dev None has no offload line (a software SA)."""
    out = []
    key = "********" if redacted else "0x" + "5a" * 20
    for i, (dev, d, mode) in enumerate(states):
        a, b = (f"192.0.2.{10 + i}", f"198.51.100.{10 + i}") if d != "in" else (f"198.51.100.{10 + i}",
                                                                                 f"192.0.2.{10 + i}")
        out += [f"src {a} dst {b}", f"\tproto esp spi 0x{0xc0de0000 + i:08x} reqid {i + 1} mode tunnel",
                "\treplay-window 0 flag af-unspec esn", f"\taead rfc4106(gcm(aes)) {key} 128"]
        if dev:
            out.append(f"\tcrypto offload parameters: dev {dev} dir {d}" + (f" mode {mode}" if new_iproute and mode
                                                                              else ""))
    return "\n".join(out) + "\n"


POLICY = ("src 192.0.2.0/24 dst 198.51.100.0/24 \n\tdir out priority 383615 ptype main \n"
          "\ttmpl src 192.0.2.10 dst 198.51.100.10\n\t\tproto esp reqid 1 mode tunnel\n"
          "\tcrypto offload parameters: dev {dev} mode packet\n")


def _host(name):
    return next(h for h in LINUX_HOSTS if h[0] == name)


def _lnx01(t, S):
    _, _, fam, drv, ifs, _ = _host("LNX01")
    t.add(f"{S}/LNX01.eno1.ethtool-k.txt", ethtool_k(*ifs[0][:2]).encode())
    t.add(f"{S}/LNX01.eno2.ethtool-k.json", ethtool_json(*ifs[1][:2]).encode())
    session = "".join(f"$ ethtool -i {i}\n{ethtool_i('ixgbe', fw, f'0000:1a:00.{k}')}" for k, (i, _, fw)
                      in enumerate(ifs))
    t.add(f"{S}/LNX01.session.txt", session.encode())


def _lnx02(t, S):
    _, _, _, drv, ((i, esp, fw),), states = _host("LNX02")
    p = "admin@LNX02:~$ "
    text = (f"{p}sudo ethtool -k {i} | grep esp\n{ethtool_k(i, esp, grep=True)}"
            f"{p}ethtool -i {i}\n{ethtool_i(drv, fw, '0000:41:00.0')}"
            f"{p}sudo ip -s x s\n{xfrm_states(states, new_iproute=True, redacted=False)}"
            f"{p}sudo ip x p\n{POLICY.format(dev=i)}{p}uptime\n 10:02:11 up 12 days,  3:04,  1 user\n")
    t.add(f"{S}/LNX02.transcript.txt", text.encode())


def _lnx03(t, S):
    _, _, _, drv, ifs, states = _host("LNX03")
    p = "[root@LNX03 ~]# "
    text = f"{p}hostname\nLNX03\n"
    for k, (i, esp, fw) in enumerate(ifs):
        text += f"{p}ethtool -k {i}\n{ethtool_k(i, esp)}{p}ethtool -i {i}\n{ethtool_i(drv, fw, f'0000:03:00.{k}')}"
    text += f"{p}ip x s\n{xfrm_states(states, new_iproute=False, redacted=False)}"
    t.add(f"{S}/LNX03.console.log", text.encode())


def sos_files(host: str, root: str) -> dict[str, bytes]:
    """The files of one sosreport folder (those the importer reads, and a few it skips)."""
    _, _, _, drv, ifs, states = _host(host)
    net = f"{root}/sos_commands/networking"
    out = {f"{root}/sos_commands/host/hostname": f"{host}\n", f"{root}/hostname": f"{host}\n",
           f"{root}/etc/hostname": f"{host.lower()}\n", f"{root}/uptime": " 10:00:00 up 1 day\n",
           f"{root}/sos_commands/libreswan/ip_xfrm_state": xfrm_states(states, new_iproute=True, redacted=True),
           f"{root}/sos_commands/libreswan/ip_xfrm_policy": POLICY.format(dev=ifs[0][0])}
    for k, (i, esp, fw) in enumerate(ifs):
        out[f"{net}/ethtool_-k_{i}"] = ethtool_k(i, esp)
        out[f"{net}/ethtool_-i_{i}"] = ethtool_i(drv, fw, f"0000:5e:00.{k}")
        out[f"{net}/ethtool_-S_{i}"] = "NIC statistics:\n     rx_packets: 0\n"
    return {k: v.encode() for k, v in out.items()}


def tar_xz(files: dict[str, bytes]) -> bytes:
    """A reproducible .tar.xz (fixed times, owners and order)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:xz", format=tarfile.GNU_FORMAT) as tf:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(files[name]), 1764547200, 0o644
            tf.addfile(info, io.BytesIO(files[name]))
    return buf.getvalue()


def provenance() -> bytes:
    """sample/linux/provenance.json: one entry per Linux interface (every view)."""
    entries = []
    for host, _, fam, drv, ifs, _states in LINUX_HOSTS:
        for i, *_ in ifs:
            entries.append({"host": host, "adapter": i, "provenance": SOURCED.format(driver=drv, family=fam)})
    doc = {"format": "ipsecexplore-provenance/1", "note": "ipsecexplore Linux sample data (data/make_sample_linux.py)",
           "adapters": entries}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def add_sample(t, S="sample/linux") -> None:
    """Write data/sample/linux into tree ``t``."""
    _lnx01(t, S)
    _lnx02(t, S)
    _lnx03(t, S)
    for rel, data in sos_files("LNX04", "sosreport-LNX04-2026-12-01-abcdef").items():
        t.add(f"{S}/{rel}", data)
    root = "sosreport-LNX05-2026-12-01-ghijkl"
    t.add(f"{S}/{root}.tar.xz", tar_xz(sos_files("LNX05", root)))
    t.add(f"{S}/provenance.json", provenance())


def add_bad(add) -> None:
    """Malformed Linux captures for data/bad, through make_sample.bad_tree's ``add(name, data, shows, reason)``."""
    add("linux-ethtool-bad-line.txt", b"Features for eth0:\nesp-hw-offload: maybe\n",
        "ethtool -k with a value that is not on/off", "not an ethtool -k line")
    add("linux-ethtool-grep-no-iface.txt", ethtool_k("eth0", IXGBE_ESP, grep=True).encode(),
        "ethtool -k cut by grep, saved without its command: no interface", "Features for IFACE")
    bad_json = json.loads(ethtool_json("eth0", IXGBE_ESP))
    bad_json[0]["esp-hw-offload"]["active"] = "yes"
    add("linux-ethtool-json-bad.json", (json.dumps(bad_json, indent=4) + "\n").encode(),
        "ethtool --json -k whose esp-hw-offload 'active' is not a boolean", "is not {\"active\": bool")
    add("linux-ethtool-i-no-iface.txt", ethtool_i("ixgbe", "0x800006da", "0000:03:00.0").encode(),
        "ethtool -i saved alone: it names no interface", "names no interface")
    st = xfrm_states([("eth0", "out", "crypto")], new_iproute=True, redacted=False)
    add("linux-xfrm-bad-offload.txt", st.replace("dir out", "dir sideways").encode(),
        "ip xfrm state with an offload line iproute2 does not print", "offload line not understood")
    add("linux-xfrm-state-no-dir.txt", st.replace(" dir out", "").encode(),
        "a state's offload line without 'dir' (only a policy's has none)", "without 'dir in|out'")
    add("linux-transcript-failed.txt", b"$ sudo ethtool -k eth9\nnetlink error: no device matches name (offset 24)\n"
        b"netlink error: No such device\n", "a transcript whose ethtool -k failed", "failed: netlink error")
    add("linux-sos-broken.tar.xz", b"\xfd7zXZ\x00\x00cut short",
        "a sosreport archive cut short", "not a readable tar archive")


def readme_section() -> str:
    """The README's Linux section: hosts, shapes and the provenance of every value."""
    rows = []
    for host, shape, fam, drv, ifs, states in LINUX_HOSTS:
        feats = "; ".join(f"{i}: " + ", ".join(f"{n}={s}{' [fixed]' if fx else ''}" for n, (s, fx) in e.items())
                          + f", firmware {fw}" for i, e, fw in ifs)
        sas = ", ".join(f"{d} {dir_} {m or 'unknown'}" if d else "one software SA (no offload line)"
                        for d, dir_, m in states) or "none"
        shape = shape.replace("|", "\\|")  # a Markdown table cell
        rows.append(f"| {host} | {shape} | {fam} → `{drv}` **S** | {feats} **I** | {sas} **I** |")
    return f"""## Linux captures (`sample/linux/`, written by `make_sample_linux.py`)

Linux has no capability structure (tests/spec/capture-formats.md §8): the captures are `ethtool -k` feature
bits, `ethtool -i` driver lines and `ip xfrm state` offload lines. The NIC family → driver pairing is **S**
(sourced: §8 names ixgbe for 82599/X550 and mlx5 for ConnectX); every feature state, interface name, firmware
string and SA is **I** (illustrative). `sample/linux/provenance.json` says so for every Linux row.

| host | shape | NIC → driver | ESP features per interface | offloaded states (dev dir mode) |
|---|---|---|---|---|
{chr(10).join(rows)}
"""
