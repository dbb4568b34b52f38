#!/usr/bin/env python3
"""Generate ipsecexplore's sample captures (data/sample, data/bad, data/*.csv, data/README.md).

Seeded and deterministic: running it again writes the same bytes (tests/test_captures_sample.py checks
that). The adapters follow tests/spec/adapters.md Part B: five archetypes whose hardware-capability cells are either
sourced (a Part A row) or illustrative guesses; the fleet places instances of them on hosts, gives each
instance an (illustrative) INF keyword value, derives the current configuration from the hardware
capabilities and the keyword by NDIS's masking step (tests/spec/ipsecov2-rules.md R51), and writes everything in the
real capture formats of tests/spec/capture-formats.md: Format-List (UTF-16LE with BOM, UTF-8 with and without BOM,
wrapped, names or numbers), ConvertTo-Json (5.1 layout, -Compress, single object), Export-Csv (with and
without #TYPE), advanced-property list/table/CSV/JSON, a Get-NetView folder and zip, and raw NDIS_OFFLOAD
bytes of several revisions (binary, hex text, concatenated) with sidecars.

    python data/make_sample.py            # rewrite data/
    python data/make_sample.py --out DIR  # write the same tree under DIR
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import uuid
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ipsecexplore.captures import synth  # noqa: E402
from ipsecexplore.constants import INF_KEYWORDS  # noqa: E402
from ipsecexplore.model import encode  # noqa: E402

sys.path.insert(0, str(HERE))
import make_sample_linux  # noqa: E402  (Linux hosts, issue 15)

SEED = 20250226
V2 = "*IPsecOffloadV2"
V2IPV4 = "*IPsecOffloadV2IPv4"

# ----------------------------------------------------------------------------------------------------
# tests/spec/adapters.md Part B2, one entry per archetype: member -> (value, "S"|"G", Part A row or "", evidence)
# ----------------------------------------------------------------------------------------------------
M = "IPsecV2."


def _cells(enc, ipv6, v4opt, v6ext, ah, esp, ahesp, tpt, tun, ttc, lso, esn, udp, auth, encr, sa):
    names = ["Encapsulation", "IPv6Supported", "IPv4Options", "IPv6NonIPsecExtensionHeaders", "Ah", "Esp",
             "AhEspCombined", "Transport", "Tunnel", "TransportTunnelCombined", "LsoSupported",
             "ExtendedSequenceNumbers", "UdpEsp", "AuthenticationAlgorithms", "EncryptionAlgorithms",
             "SaOffloadCapacity"]
    return {M + n: c for n, c in zip(names, (enc, ipv6, v4opt, v6ext, ah, esp, ahesp, tpt, tun, ttc, lso,
                                             esn, udp, auth, encr, sa))}


G = lambda v: (v, "G", "", "")  # noqa: E731  (a guess)


def S(v, ref, ev):
    return (v, "S", ref, ev)


ARCHETYPES = {
    "intel-x550": dict(
        label="Intel X550/X540/82599 (sample)", description="Intel(R) Ethernet Controller X550",
        cells=_cells(G(0x2), S(True, "A1.8", "LNX"), S(False, "A1.9", "LNX"), S(False, "A1.9", "LNX"),
                     S(True, "A1.6", "LNX+DS"), S(True, "A1.5", "LNX"), G(False), S(True, "A1.7", "LNX"),
                     S(False, "A1.7", "LNX"), G(False), G(False), G(False), G(0x0), S(0x8, "A1.6", "LNX+DS"),
                     S(0x8, "A1.5", "LNX"), S(1024, "A1.4", "LNX")),
        note="proxy built from Linux ixgbe and 82599 datasheet facts; LSO is a guess"),
    "intel-82576eb": dict(
        label="Intel 82576EB (sample)", description="Intel(R) 82576 Gigabit Dual Port Network Connection",
        cells=_cells(G(0x2), G(True), G(False), G(False), G(True), G(True), G(False), G(True), G(False),
                     G(False), G(False), G(False), G(0x0), G(0x8), G(0x8), S(256, "A2.1", "DS")),
        note="only the SA capacity is sourced (82576EB datasheet feature list)"),
    "intel-82576ns": dict(
        label="Intel 82576NS (sample)", description="Intel(R) 82576NS Gigabit Ethernet Controller",
        cells=None, note="no IPsec offload (A2.2, DS): Get-NetAdapterIPsecOffload returns nothing, raw "
                         "captures carry no IPsecV2 block (revision 1) or an all-zero one"),
    "liquidio": dict(
        label="Cavium LiquidIO, all-features demo (sample)", description="Cavium LiquidIO CN23XX Adapter",
        cells=_cells(G(0x2), G(True), G(True), G(True), G(True), G(True), G(True), G(True), G(True), G(True),
                     G(True), G(True), G(0xF), G(0x3F), G(0x1FF), G(2048)),
        note="everything-on archetype: only the structure is sourced (A3.1, A3.2, FW); every value is a guess"),
    "hyperv-vnic": dict(
        label="Hyper-V vNIC (sample)", description="Hyper-V Virtual Ethernet Adapter",
        cells=_cells(G(0x2), G(True), G(False), G(False), G(True), G(True), G(False), G(True), G(True),
                     G(False), G(False), G(False), G(0x0), ("host", "G", "", ""), ("host", "G", "", ""),
                     S(512, "A4.3", "third-party")),
        note="reports what the host NIC supports: its algorithm masks are copied from a physical NIC of the "
             "same host (recorded per instance); 512 is the customary per-vNIC SA budget, not a hardware figure"),
}
KEYWORD_CELLS = {
    "intel-x550": (V2, 0, "S", "A1.1", "WIN"),
    "intel-82576eb": (V2, 3, "G", "", ""),
    "intel-82576ns": None,  # keyword absent (G)
    "liquidio": (V2, 3, "G", "", ""),
    "hyperv-vnic": None,  # n/a
}

# --------------------------------------------------------------------------------------------- fleet
# (host, how it is captured, [(archetype, count)])
HOSTS = [
    ("HOST01", "fl-utf16-brace", [("intel-x550", 2), ("intel-82576eb", 2), ("hyperv-vnic", 2)]),
    ("HOST02", "fl-utf8bom-int", [("intel-x550", 2), ("liquidio", 2), ("hyperv-vnic", 3)]),
    ("HOST03", "fl-utf8-wrapped-comma", [("intel-x550", 4), ("intel-82576eb", 2)]),
    ("HOST04", "json-ps5-utf16", [("liquidio", 2), ("intel-x550", 2), ("hyperv-vnic", 2)]),
    ("HOST05", "json-compress", [("intel-x550", 2), ("intel-82576eb", 2), ("liquidio", 1)]),
    ("HOST06", "json-single-names", [("intel-x550", 1)]),
    ("HOST07", "csv-type", [("intel-x550", 2), ("intel-82576eb", 2), ("hyperv-vnic", 4)]),
    ("HOST08", "csv-notype-cim", [("intel-x550", 4), ("liquidio", 2)]),
    ("HOST09", "getnetview-folder", [("intel-x550", 2), ("intel-82576eb", 1), ("intel-82576ns", 1),
                                     ("hyperv-vnic", 2)]),
    ("HOST10", "getnetview-zip", [("intel-x550", 2), ("liquidio", 2), ("intel-82576ns", 1), ("hyperv-vnic", 2)]),
    ("HOST11", "raw-bin-pair", [("intel-x550", 2)]),
    ("HOST12", "raw-hex-rndis", [("hyperv-vnic", 2)]),
    ("HOST13", "raw-concatenated", [("intel-82576eb", 4), ("intel-x550", 4)]),
    ("HOST14", "raw-no-ipsec", [("intel-82576ns", 2)]),
    ("HOST15", "raw-no-sidecar", [("liquidio", 1)]),
]

# Illustrative keyword choices per archetype for the fleet (the X550 value 0 is the sourced fixture value).
KEYWORD_CHOICES = {
    "intel-x550": [0, 0, 0, 3, 2],
    "intel-82576eb": [3, 3, 2, "ipv4:3"],
    "liquidio": [3, 3, 1],
}

JUMBO = ("*JumboPacket", "Jumbo Packet", {1514: "Disabled", 4088: "4088 Bytes", 9014: "9014 Bytes"}, 1514)
RSS = ("*RSS", "Receive Side Scaling", {0: "Disabled", 1: "Enabled"}, 1)


class Adapter:
    """One adapter instance of the sample fleet."""

    def __init__(self, host, archetype, name, description, if_index, instance_id, keyword):
        self.host, self.archetype, self.name, self.description = host, archetype, name, description
        self.if_index, self.instance_id = if_index, instance_id
        self.keyword = keyword  # (keyword, value, sourced?) or None
        self.hw: dict | None = None
        self.current: dict | None = None
        self.masks_from: str | None = None

    @property
    def has_ipsec(self) -> bool:
        return self.hw is not None


def r51(hw: dict, keyword) -> dict:
    """The current configuration NDIS builds from the hardware capabilities and the keyword (R50/R51)."""
    cur = dict(hw)
    if keyword is None:
        return cur
    kw, value = keyword[0], keyword[1]
    ah = value in (1,) or value not in (0, 1, 2)
    esp = value in (2,) or value not in (0, 1, 2)
    if not ah and not esp:
        return {k: (False if isinstance(v, bool) else 0) for k, v in hw.items()}
    cur[M + "Ah"] = hw[M + "Ah"] and ah
    cur[M + "Esp"] = hw[M + "Esp"] and esp
    if kw == V2IPV4:
        cur[M + "IPv6Supported"] = False
    return cur


def build_fleet(rng: random.Random) -> list[Adapter]:
    fleet = []
    for host, _, groups in HOSTS:
        slot, eth, vnic, index = 2, 2, 0, 3
        seen_desc: dict[str, int] = {}
        host_masks = None
        for arche, count in groups:
            a = ARCHETYPES[arche]
            for i in range(count):
                desc = a["description"]
                n = seen_desc.get(desc, 0) + 1
                seen_desc[desc] = n
                if n > 1:
                    desc = f"{desc} #{n}"
                if arche == "intel-x550":
                    name = f"SLOT {slot} Port {i % 2 + 1}"
                    slot += i % 2
                elif arche == "hyperv-vnic":
                    name = f"vEthernet (vSwitch{vnic})"
                    vnic += 1
                else:
                    name = f"Ethernet {eth}"
                    eth += 1
                index += rng.randint(1, 4)
                iid = "{" + str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper() + "}"
                kw = None
                if arche in KEYWORD_CHOICES:
                    choice = rng.choice(KEYWORD_CHOICES[arche])
                    if isinstance(choice, str):
                        kw = (V2IPV4, int(choice.split(":")[1]), False)
                    else:
                        kw = (V2, choice, arche == "intel-x550" and choice == 0)
                ad = Adapter(host, arche, name, desc, index, iid, kw)
                if a["cells"] is not None:
                    hw = {}
                    for path, (v, *_rest) in a["cells"].items():
                        hw[path] = v
                    if arche == "hyperv-vnic":
                        src = host_masks or ("intel-x550 (an assumed host NIC outside the sample)", 0x8, 0x8)
                        ad.masks_from = src[0]
                        hw[M + "AuthenticationAlgorithms"] = src[1]
                        hw[M + "EncryptionAlgorithms"] = src[2]
                    elif host_masks is None:
                        host_masks = (arche, hw[M + "AuthenticationAlgorithms"], hw[M + "EncryptionAlgorithms"])
                    ad.hw = hw
                    ad.current = r51(hw, kw)
                fleet.append(ad)
    return fleet


# ------------------------------------------------------------------------------------------ provenance
def hw_provenance(ad: Adapter) -> str:
    a = ARCHETYPES[ad.archetype]
    if a["cells"] is None:
        return f"sourced: no IPsec offload (A2.2, DS) — tests/spec/adapters.md B2 {ad.archetype}"
    src = [f"{p[len(M):]}={ref}" for p, (_, tag, ref, _) in a["cells"].items() if tag == "S"]
    extra = f"; algorithm masks copied from {ad.masks_from} on this host" if ad.masks_from else ""
    if not src:
        return f"illustrative: every value guessed (tests/spec/adapters.md B2 {ad.archetype}){extra}"
    return (f"sourced: {', '.join(src)} (tests/spec/adapters.md Part A); illustrative: every other value "
            f"(tests/spec/adapters.md B2 {ad.archetype}){extra}")


def current_provenance(ad: Adapter) -> str:
    if ad.keyword is None:
        return (f"illustrative: no keyword (n/a for {ad.archetype}); current = hardware capabilities "
                f"[{hw_provenance(ad)}]")
    kw, value, sourced = ad.keyword
    how = "sourced value of the A1.1 registry fixture" if sourced else "illustrative choice"
    tag = "sourced" if sourced else "illustrative"
    return (f"{tag}: keyword {kw}={value} ({how}); values derived by R51 masking from the hardware row "
            f"[{hw_provenance(ad)}]")


NO_SIDECAR = {"HOST15": "HOST15.debugger"}  # raw file without sidecar: the importer names the adapter by it


def provenance_entries(fleet, hosts=None) -> list[dict]:
    out = []
    for ad in fleet:
        if hosts is not None and ad.host not in hosts:
            continue
        if ad.host in NO_SIDECAR:  # one record of unknown view, named after the file
            out.append({"host": ad.host, "adapter": NO_SIDECAR[ad.host], "provenance": hw_provenance(ad)})
            continue
        out.append({"host": ad.host, "adapter": ad.name, "view": "hardware", "provenance": hw_provenance(ad)})
        if ad.has_ipsec:
            out.append({"host": ad.host, "adapter": ad.name, "view": "current",
                        "provenance": current_provenance(ad)})
    return out


def provenance_file(fleet, hosts=None) -> bytes:
    doc = {"format": "ipsecexplore-provenance/1",
           "note": "ipsecexplore sample data (data/make_sample.py): every value is sourced from tests/spec/adapters.md "
                   "Part A or illustrative; see data/README.md",
           "adapters": provenance_entries(fleet, hosts)}
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------- objects
def ipsec_obj(ad: Adapter, algorithms="int", aliases=True, ps_computer=""):
    enabled = True if ad.keyword is None else ad.keyword[1] != 0
    return synth.ipsec_object(name=ad.name, description=ad.description, host=ad.host,
                              instance_id=ad.instance_id, hardware=ad.hw, current=ad.current, enabled=enabled,
                              algorithms=algorithms, aliases=aliases, ps_computer=ps_computer)


def advprop_objs(ad: Adapter, extra=False):
    objs = []
    props = []
    if extra:
        props += [(JUMBO[0], JUMBO[1], JUMBO[2], 1514, JUMBO[3]), (RSS[0], RSS[1], RSS[2], 1, RSS[3])]
    if ad.keyword is not None:
        kw, value, _ = ad.keyword
        info = INF_KEYWORDS[kw]
        props.append((kw, info.param_desc, dict(info.values), value, info.default))
    for kw, disp, labels, value, default in sorted(props, key=lambda p: p[0]):
        objs.append(synth.advprop_object(name=ad.name, description=ad.description, host=ad.host,
                                         instance_id=ad.instance_id, keyword=kw, value=value, display_name=disp,
                                         labels=labels, default=default))
    return objs


def advprop_table(objs) -> str:
    return synth.format_table(objs, ["Name", "DisplayName", "DisplayValue", "RegistryKeyword", "RegistryValue"])


# ------------------------------------------------------------------------------------------- writers
class Tree:
    """Files to write, relative path -> bytes (written in sorted order)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, rel: str, data: bytes) -> None:
        assert rel not in self.files, rel
        self.files[rel] = data

    def write(self, root: Path) -> None:
        for rel in sorted(self.files):
            p = root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(self.files[rel])


def fnamesafe(s: str) -> str:
    # Get-NetView ConvertTo-Filename: characters invalid in Windows file names become "_".
    return "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in s)


def getnetview_bundle(host: str, ads: list[Adapter], encoding: str, rng: random.Random) -> dict[str, bytes]:
    """The files of msdbg.<host> (relative to the bundle's parent)."""
    user = "admin"
    root = f"msdbg.{host}"
    out: dict[str, bytes] = {}

    def put(rel, blocks):
        out[f"{root}/{rel}"] = synth.encode_windows(synth.getnetview_file(user, host, blocks), encoding)

    put("NetIp/Get-NetOffloadGlobalSetting.txt", [
        ("Get-NetOffloadGlobalSetting", "\nReceiveSideScaling           : Enabled\n"
         "ReceiveSegmentCoalescing     : Enabled\nChimney                      : Disabled\n"
         "TaskOffload                  : Enabled\n", None),
        ("Get-NetOffloadGlobalSetting | Format-List  -Property *",
         "\nReceiveSideScaling           : Enabled\nTaskOffload                  : Enabled\n", None)])
    for ad in ads:
        kind = "hNIC" if ad.archetype == "hyperv-vnic" else "pNIC"
        folder = fnamesafe(f"{kind}.{ad.if_index}.{ad.name}.{ad.description}")
        if kind == "pNIC" and ad.archetype != "intel-82576ns":
            folder = f"VMSwitch.0.External.vSwitch0/{folder}"
        q = f'"{ad.name}"'
        put(f"{folder}/Get-NetAdapter.txt", [
            (f"Get-NetAdapter -Name {q} -IncludeHidden",
             synth.format_table([[("Name", ad.name), ("InterfaceDescription", ad.description),
                                  ("ifIndex", ad.if_index), ("Status", "Up")]],
                                ["Name", "InterfaceDescription", "ifIndex", "Status"]), None)])
        cmd = f"Get-NetAdapterIPsecOffload -Name {q} -IncludeHidden"
        if ad.has_ipsec:
            obj = ipsec_obj(ad)
            default_view = synth.format_table([obj], ["Name", "InterfaceDescription", "Enabled"])
            blocks = [(cmd, default_view, None), (cmd + " | Format-List -Property *", synth.format_list([obj]), None)]
        else:
            err = (f"Get-NetAdapterIPsecOffload : No MSFT_NetAdapterIPsecOffloadV2SettingData objects found with "
                   f"property 'Name' equal to '{ad.name}'.  Verify the value of the property and retry.\n")
            blocks = [(cmd, err, "Failed"), (cmd + " | Format-List -Property *", err, "Failed")]
        put(f"{folder}/Get-NetAdapterIPsecOffload.txt", blocks)
        objs = advprop_objs(ad, extra=True)
        acmd = f"Get-NetAdapterAdvancedProperty -Name {q} -AllProperties -IncludeHidden"
        all_cols = [k for k, _ in objs[0]]
        put(f"{folder}/Get-NetAdapterAdvancedProperty.txt", [
            (acmd + " | Sort-Object RegistryKeyword | Format-Table -AutoSize", advprop_table(objs), None),
            (acmd + " | Format-List -Property *", synth.format_list(objs), None),
            (acmd + " | Format-Table -Property *", synth.format_table(objs, all_cols), None)])
        if kind == "hNIC":
            put(f"{folder}/Get-VMNetworkAdapter.txt", [
                ("Get-VMNetworkAdapter -ManagementOS | Format-Table -Property * -AutoSize",
                 synth.format_table([[("Name", ad.name[len("vEthernet ("):-1]), ("IsManagementOs", True),
                                      ("IPsecOffloadMaxSA", 512), ("IPsecOffloadSAUsage", 0)]],
                                    ["Name", "IsManagementOs", "IPsecOffloadMaxSA", "IPsecOffloadSAUsage"]), None)])
    return out


def zip_bytes(files: dict[str, bytes]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2025, 2, 26, 10, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0x20  # FILE_ATTRIBUTE_ARCHIVE, as Compress-Archive writes
            zf.writestr(info, files[name])
    return buf.getvalue()


def raw_record(ad: Adapter, view: str, revision: int) -> bytes:
    values = {}
    if ad.has_ipsec and revision >= 2:
        values.update(ad.hw if view == "hardware" else ad.current)
        if ad.archetype == "liquidio" and revision >= 3:
            values["Flags"] = 0x6  # both coexistence bits (NDIS 6.30+), a guess like the rest of the row
    return encode(values, revision=revision)


def hex_text(data: bytes) -> str:
    lines = [f"{i:04x}  " + " ".join(f"{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    return "\n".join(lines) + "\n"


def sidecar(source, host, adapters, provs, views=None, extra=None) -> bytes:
    doc = {"source": source, "arch": "x64", "host": host}
    if len(adapters) == 1:
        doc["adapter"] = adapters[0]
        doc["provenance"] = provs[0]
    else:
        doc["records"] = [{"adapter": a, "provenance": p, **({"view": v} if v else {})}
                          for a, p, v in zip(adapters, provs, views or [None] * len(adapters))]
    if extra:
        doc.update(extra)
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def sample_tree(fleet: list[Adapter], rng: random.Random) -> Tree:
    t = Tree()
    by_host: dict[str, list[Adapter]] = {}
    for ad in fleet:
        by_host.setdefault(ad.host, []).append(ad)
    S_ = "sample"

    def ipsec_ads(h):
        return [a for a in by_host[h] if a.has_ipsec]

    # Format-List
    t.add(f"{S_}/formatlist/HOST01.txt", synth.encode_windows(
        synth.format_list([ipsec_obj(a, "brace") for a in ipsec_ads("HOST01")]), "utf-16-le"))
    t.add(f"{S_}/formatlist/HOST02.txt", synth.encode_windows(
        synth.format_list([ipsec_obj(a) for a in ipsec_ads("HOST02")]), "utf-8-sig"))
    t.add(f"{S_}/formatlist/HOST03.txt", synth.encode_windows(
        synth.format_list([ipsec_obj(a, "comma") for a in ipsec_ads("HOST03")], width=72), "utf-8"))
    t.add(f"{S_}/advprop/HOST01.advprop.txt", synth.encode_windows(
        advprop_table([o for a in by_host["HOST01"] for o in advprop_objs(a)]), "utf-16-le"))
    t.add(f"{S_}/advprop/HOST02.advprop.txt", synth.encode_windows(
        synth.format_list([o for a in by_host["HOST02"] for o in advprop_objs(a)]), "utf-8-sig"))
    t.add(f"{S_}/advprop/HOST03.advprop.csv", synth.encode_windows(
        synth.to_csv([o for a in by_host["HOST03"] for o in advprop_objs(a)], type_name=synth.ADVPROP_TYPE_NAME),
        "utf-8"))
    # ConvertTo-Json
    t.add(f"{S_}/json/HOST04.json", synth.encode_windows(
        synth.to_json([ipsec_obj(a) for a in ipsec_ads("HOST04")], style="ps5"), "utf-16-le"))
    t.add(f"{S_}/json/HOST05.json", synth.encode_windows(
        synth.to_json([ipsec_obj(a, aliases=False) for a in ipsec_ads("HOST05")], style="compress") + "\n",
        "utf-8"))
    obj6 = ipsec_obj(ipsec_ads("HOST06")[0], "brace")
    t.add(f"{S_}/json/HOST06.json", synth.encode_windows(synth.to_json([obj6], style="ps7", single=True) + "\n",
                                                          "utf-8"))
    t.add(f"{S_}/advprop/HOST04.advprop.json", synth.encode_windows(
        synth.to_json([o for a in by_host["HOST04"] for o in advprop_objs(a)], style="ps5"), "utf-16-le"))
    t.add(f"{S_}/advprop/HOST05.advprop.json", synth.encode_windows(
        synth.to_json([o for a in by_host["HOST05"] for o in advprop_objs(a)], style="compress") + "\n", "utf-8"))
    t.add(f"{S_}/advprop/HOST06.advprop.txt", synth.encode_windows(
        advprop_table([o for a in by_host["HOST06"] for o in advprop_objs(a)]), "utf-8"))
    # Export-Csv
    t.add(f"{S_}/csv/HOST07.csv", synth.encode_windows(
        synth.to_csv([ipsec_obj(a) for a in ipsec_ads("HOST07")], type_name=synth.IPSEC_TYPE_NAME), "utf-8"))
    t.add(f"{S_}/csv/HOST08.csv", synth.encode_windows(
        synth.to_csv([ipsec_obj(a, aliases=False) for a in ipsec_ads("HOST08")]), "utf-8"))
    t.add(f"{S_}/advprop/HOST07.advprop.txt", synth.encode_windows(
        synth.format_list([o for a in by_host["HOST07"] for o in advprop_objs(a)]), "utf-16-le"))
    t.add(f"{S_}/advprop/HOST08.advprop.json", synth.encode_windows(
        synth.to_json([o for a in by_host["HOST08"] for o in advprop_objs(a)], style="ps7") + "\n", "utf-8"))
    # Get-NetView: HOST09 as a folder (Windows PowerShell 5.1: ANSI), HOST10 zipped (PowerShell 7: UTF-8)
    for rel, data in getnetview_bundle("HOST09", by_host["HOST09"], "cp1252", rng).items():
        t.add(f"{S_}/getnetview/{rel}", data)
    bundle = getnetview_bundle("HOST10", by_host["HOST10"], "utf-8", rng)
    bundle["provenance.json"] = provenance_file(fleet, {"HOST10"})
    t.add(f"{S_}/getnetview/msdbg.HOST10-2025.02.26_10.30.00.zip", zip_bytes(bundle))
    # Raw NDIS_OFFLOAD
    x = by_host["HOST11"]
    for ad, rev in zip(x, (8, 6)):
        stem = f"{S_}/raw/HOST11.{ad.name.replace(' ', '-')}"
        t.add(f"{stem}.hw.bin", raw_record(ad, "hardware", rev))
        t.add(f"{stem}.hw.bin.json", sidecar("oid_hardware_capabilities", ad.host, [ad.name], [hw_provenance(ad)],
                                             extra={"os_build": "illustrative"}))
        t.add(f"{stem}.current.bin", raw_record(ad, "current", rev))
        t.add(f"{stem}.current.bin.json", sidecar("oid_current_config", ad.host, [ad.name],
                                                  [current_provenance(ad)], extra={"os_build": "illustrative"}))
    v = by_host["HOST12"]
    t.add(f"{S_}/raw/HOST12.rndis.hex", synth.encode_windows(
        "\n".join(hex_text(raw_record(ad, "hardware", 3)) for ad in v), "utf-8"))
    t.add(f"{S_}/raw/HOST12.rndis.hex.json", sidecar("rndis", "HOST12", [a.name for a in v],
                                                     [hw_provenance(a) for a in v]))
    c = by_host["HOST13"]
    t.add(f"{S_}/raw/HOST13.concatenated.bin", b"".join(raw_record(ad, "hardware", 2) for ad in c))
    t.add(f"{S_}/raw/HOST13.concatenated.bin.json", sidecar("oid_hardware_capabilities", "HOST13",
                                                            [a.name for a in c], [hw_provenance(a) for a in c]))
    n = by_host["HOST14"]
    t.add(f"{S_}/raw/HOST14.no-ipsec.bin", raw_record(n[0], "hardware", 1) + raw_record(n[1], "hardware", 4))
    t.add(f"{S_}/raw/HOST14.no-ipsec.bin.json", sidecar("oid_hardware_capabilities", "HOST14",
                                                        [a.name for a in n], [hw_provenance(a) for a in n]))
    lq = by_host["HOST15"][0]
    t.add(f"{S_}/raw/{NO_SIDECAR['HOST15']}.bin", raw_record(lq, "hardware", 5))
    t.add(f"{S_}/provenance.json", provenance_file(fleet))
    return t


# ------------------------------------------------------------------------------------------ bad files
def bad_tree(fleet: list[Adapter]) -> tuple[Tree, list[tuple[str, str, str]]]:
    """data/bad: malformed or unusual files, each showing one message of the importer: a rejected record, or a
    note on a record that loads. Returns (tree, [(file, shows, expected message, "rejected" | "note")])."""
    t = Tree()
    table = []
    good = next(a for a in fleet if a.archetype == "intel-x550" and a.has_ipsec)
    lq = next(a for a in fleet if a.archetype == "liquidio")

    def fl(objs, **kw):
        return synth.format_list(objs, **kw)

    def with_value(obj, prop, value):
        return [(k, value if k == prop else v) for k, v in obj]

    def add(name, data, shows, reason, kind="rejected"):
        t.add(f"bad/{name}", data)
        table.append((name, shows, reason, kind))

    base = ipsec_obj(good)
    add("fl-bad-boolean.txt", synth.encode_windows(fl([with_value(base, "EspSupported", "Yes")]), "utf-16-le"),
        "a boolean property that is neither True nor False", "EspSupported: expected True or False")
    add("fl-truncated-list.txt", synth.encode_windows(fl([[(k, "{DESCBC, DES3CBC, AESGCM128, AESGCM192...}"
                                                           if k == "EncryptionAlgorithmsSupported" else v)
                                                          for k, v in base]]), "utf-8"),
        "an algorithm list cut by $FormatEnumerationLimit", "truncated")
    add("fl-unknown-algorithm.txt", synth.encode_windows(fl([with_value(base, "AuthenticationAlgorithmsSupported",
                                                                        ["AESGCM128", "CHACHA20"])]), "utf-8"),
        "an algorithm name that tests/spec/constants.md §6 does not know", "'CHACHA20' is not a known")
    two = fl([base, ipsec_obj(lq)])
    add("fl-missing-blank-line.txt", synth.encode_windows(two.replace("\n\nifAlias", "\nifAlias", 1), "utf-8"),
        "two objects without the blank line between them", "appears twice in one object")
    noname = [(k, v) for k, v in base if k not in ("Name", "ifAlias", "InterfaceAlias")]
    add("fl-no-adapter-name.txt", synth.encode_windows(fl([noname]), "utf-8"),
        "an object without Name/ifAlias/InterfaceAlias", "has no Name")
    lines = fl([base]).split("\n")
    lines.insert(12, "this line was pasted into the capture by hand")
    add("fl-stray-line.txt", synth.encode_windows("\n".join(lines), "utf-8"),
        "a line that is not 'Name : value'", "not a 'Name : value' line")
    add("fl-out-of-range.txt", synth.encode_windows(fl([with_value(base, "SaOffloadCapacitySupported",
                                                                   4294967296)]), "utf-8"),
        "a uint32 property above 4294967295", "outside the uint32 range")
    js = synth.to_json([ipsec_obj(good), ipsec_obj(lq)], style="ps7")
    add("json-syntax-error.json", (js[: js.rfind("}")] + "},\n  {\"Name\": \n]\n").encode("utf-8"),
        "JSON cut off inside the last object", "JSON syntax error")
    add("json-not-an-object.json", ("[\n" + synth.to_json([ipsec_obj(good)], style="ps7", single=True)
                                    + ",\n  42\n]\n").encode("utf-8"),
        "a JSON array element that is not an object", "where an adapter object was expected")
    csvt = synth.to_csv([ipsec_obj(good), ipsec_obj(lq)]).split("\n")
    csvt[2] = csvt[2].rsplit(",", 3)[0]
    add("csv-short-row.csv", synth.encode_windows("\n".join(csvt), "utf-8"),
        "a CSV row with fewer fields than the header", "fields, the header has")
    add("csv-array-type-name.csv", synth.encode_windows(synth.to_csv([ipsec_obj(good, "brace")]), "utf-8"),
        "Export-Csv of name lists: the algorithm columns hold 'System.String[]'", "System.String[]")
    ap = advprop_objs(good)[0]
    add("advprop-not-a-number.txt", synth.encode_windows(fl([with_value(ap, "RegistryValue", ["on"])]), "utf-8"),
        "an *IPsecOffloadV2 RegistryValue that is not a number", "is not a number")
    ap_de = with_value(ap, "DisplayValue", "Deaktiviert")
    add("advprop-localized.csv", synth.encode_windows(synth.to_csv([ap_de]), "utf-8"),
        "Export-Csv flattened RegistryValue and DisplayValue is localized", "not one of the documented labels")
    rec = raw_record(good, "hardware", 2)
    add("raw-wrong-type.bin", bytes([0x80]) + rec[1:],
        "Header.Type is not NDIS_OBJECT_TYPE_OFFLOAD (0xA7)", "not NDIS_OBJECT_TYPE_OFFLOAD")
    add("raw-cut-short.bin", raw_record(good, "hardware", 8)[:150],
        "Header.Size (217) larger than the file (150 bytes)", "does not fit")
    bad_rev = bytearray(rec)
    bad_rev[1] = 9
    add("raw-unknown-revision.bin", bytes(bad_rev), "Header.Revision 9 (NDIS_OFFLOAD has revisions 1-8)",
        "record 0")
    add("raw-trailing-bytes.bin", rec + b"\x00\x00\x00", "a valid record followed by 3 stray bytes",
        "3 trailing byte(s)")
    wmi = bytearray(296)
    wmi[0:4] = bytes([0xA7, 8, 0x28, 0x01])
    add("raw-wmi-block.bin", bytes(wmi), "an NDIS_WMI_OFFLOAD block from WMI: loads with IPsecV2 missing",
        "NDIS_WMI_OFFLOAD", "note")
    big = bytearray(rec + b"\x00\x00\x00\x00")
    big[2:4] = (len(big)).to_bytes(2, "little")
    add("raw-larger-size.bin", bytes(big), "Header.Size 148 for revision 2 (NDIS_SIZEOF 144): accepted (R8)",
        "larger than NDIS_SIZEOF", "note")
    hx = hex_text(rec).split("\n")
    hx[3] = hx[3][:21] + "zz" + hx[3][23:]
    add("raw-bad-hex.hex", "\n".join(hx).encode("utf-8"), "hex text with a token that is not a hex byte",
        "not a hex byte")
    add("utf16-odd-length.txt", synth.encode_windows(fl([base]), "utf-16-le")[:-1],
        "UTF-16 text with an odd number of bytes", "not valid UTF-16-LE text")
    make_sample_linux.add_bad(add)  # Linux captures (issue 15)
    return t, table


# ------------------------------------------------------------------------------------------ long form
def long_form_csv() -> bytes:
    rows = ["adapter_id,adapter_label,object,member,value,provenance,evidence,source_ref,note"]

    def q(s):
        s = str(s)
        return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s) else s

    for aid, a in ARCHETYPES.items():
        if a["cells"] is None:
            rows.append(",".join(map(q, [aid, a["label"], "hw_caps", "IPsecV2", "", "sourced", "DS", "A2.2",
                                         "no IPsec offload; block absent or all zero"])))
        else:
            for path, (v, tag, ref, ev) in a["cells"].items():
                if v == "host":
                    val, prov, note = "", "guess", "copied from a physical NIC of the same host"
                else:
                    val = hex(v) if isinstance(v, int) and not isinstance(v, bool) and "Algorithms" in path \
                        or path.endswith(("UdpEsp", "Encapsulation")) else int(v) if isinstance(v, bool) else v
                    prov, note = ("sourced", "Linux/datasheet fact used as a proxy for Windows"
                                  if "LNX" in ev else "") if tag == "S" else ("guess", "")
                rows.append(",".join(map(q, [aid, a["label"], "hw_caps", path, val, prov, ev,
                                             ref or "guess", note])))
        kc = KEYWORD_CELLS[aid]
        if kc is None:
            rows.append(",".join(map(q, [aid, a["label"], "keyword", V2, "", "guess", "", "guess",
                                         "absent" if aid == "intel-82576ns" else "n/a"])))
        else:
            kw, val, tag, ref, ev = kc
            rows.append(",".join(map(q, [aid, a["label"], "keyword", kw, val, "sourced" if tag == "S" else "guess",
                                         ev, ref or "guess", 'registry fixture value "0"' if tag == "S" else ""])))
        if a["cells"] is not None and kc is not None:
            rows.append(",".join(map(q, [aid, a["label"], "current", "IPsecV2.*", "", "derived", "", "R51",
                                         "hardware row masked by the keyword"])))
    return ("\n".join(rows) + "\n").encode("utf-8")


def fleet_csv(fleet: list[Adapter]) -> bytes:
    rows = ["host,adapter,archetype,if_index,capture,keyword,keyword_value,keyword_provenance,masks_from"]
    capture = {h: how for h, how, _ in HOSTS}
    for ad in fleet:
        kw = ad.keyword
        rows.append(",".join([ad.host, f'"{ad.name}"', ad.archetype, str(ad.if_index), capture[ad.host],
                              kw[0] if kw else "", str(kw[1]) if kw else "",
                              ("sourced (A1.1)" if kw[2] else "illustrative") if kw else "",
                              ad.masks_from or ""]))
    return ("\n".join(rows) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------ README
def imported_counts(sample: Path) -> dict:
    """What importing the written ``sample/`` gives (the README quotes these, not the generator's own
    fleet: they are the numbers a user sees). ``pairs``: adapters captured in both views; ``differ``: those
    whose hardware and current rows differ; ``one_view``: (host, adapter) of the other adapters."""
    from ipsecexplore.fleet import load_fleet

    fl = load_fleet([sample], progress=False)
    # hardware/current pairs are counted on the Windows rows (Linux rows: sample/linux, its own section)
    rows = {(r.host, r.adapter, r.view): r.values for r in fl.result.records if not r.fmt.startswith("linux-")}
    linux = fl.frame[fl.frame["os"] == "linux"]
    pairs = {(h, a) for h, a, v in rows if v == "hardware" and (h, a, "current") in rows}
    differ = sum(1 for h, a in pairs if rows[(h, a, "hardware")] != rows[(h, a, "current")])
    return {"adapters": fl.adapters, "hosts": fl.hosts, "rows": len(fl.frame), "pairs": len(pairs),
            "differ": differ, "rejected": len(fl.rejected), "paired": pairs,
            "linux_adapters": len(linux[["host", "adapter"]].drop_duplicates()),
            "linux_hosts": linux["host"].nunique()}


def readme(fleet: list[Adapter], tree: Tree, bad: list, got: dict) -> bytes:
    n_ad = len(fleet)
    n_ipsec = sum(1 for a in fleet if a.has_ipsec)
    hosts = sorted({a.host for a in fleet})
    diff = sum(1 for a in fleet if a.has_ipsec and a.hw != a.current)
    # adapters the generator made different whose capture holds one view only (raw files but HOST11's)
    diff_one_view = sum(1 for a in fleet if a.has_ipsec and a.hw != a.current
                        and (a.host, a.name) not in got["paired"])
    gnv_hosts = {h for h, how, _ in HOSTS if how.startswith("getnetview")}
    no_object = [a for a in fleet if a.archetype == "intel-82576ns" and a.host in gnv_hosts]
    # The README explains the difference between the two adapter counts: make sure that is all of it.
    windows = got["adapters"] - got["linux_adapters"]
    assert n_ad - windows == len(no_object), (n_ad, got["adapters"], len(no_object))
    arch_rows = []
    for aid, a in ARCHETYPES.items():
        if a["cells"] is None:
            arch_rows.append(f"| `{aid}` | no IPsec offload — **S** A2.2 | {a['note']} |")
            continue
        cells = []
        for path, (v, tag, ref, _ev) in a["cells"].items():
            shown = "host's" if v == "host" else (hex(v) if isinstance(v, int) and not isinstance(v, bool)
                                                  and path.endswith(("Algorithms", "UdpEsp", "Encapsulation"))
                                                  else str(v))
            cells.append(f"{path[len(M):]}={shown} **{tag}**{(' ' + ref) if ref else ''}")
        arch_rows.append(f"| `{aid}` | {'; '.join(cells)} | {a['note']} |")
    per_host = []
    for h, how, groups in HOSTS:
        files = sorted(f for f in tree.files if f"/{h}." in f or f"msdbg.{h}" in f or f"/{h}/" in f)
        folder = sorted({f.split(f"msdbg.{h}/")[0] + f"msdbg.{h}/" for f in files if f"msdbg.{h}/" in f})
        if folder:  # a Get-NetView folder: name it once
            files = [f"{folder[0]} ({len(files)} files)"]
        per_host.append(f"| {h} | {how} | {', '.join(f'{g}×{c}' for g, c in groups)} | "
                        f"{'<br>'.join(f'`{f}`' for f in files[:4])}{' …' if len(files) > 4 else ''} |")
    bad_rows = [f"| `bad/{f}` | {shows} | {kind} | `{reason}` |" for f, shows, reason, kind in bad]
    text = f"""# ipsecexplore sample data

`sample/`, `bad/`, `sample_archetypes.csv`, `sample_fleet.csv` and this README are written by
`data/make_sample.py` (seed {SEED}); do not edit them by hand. Re-run `python data/make_sample.py` after
changing the script — `tests/test_captures_sample.py` checks that the committed files are exactly what it
writes. (`.gitattributes` keeps git from touching their CRLF line ends.)

**This is sample data, partly guessed.** No open-source Windows miniport reports real
`NDIS_IPSEC_OFFLOAD_V2` values (tests/spec/adapters.md; public sources in docs/sources.md#real-adapters). Every
value is either *sourced* — a fact of tests/spec/adapters.md Part A, named by its row (A1.4 …) — or
*illustrative* (a guess, or a choice made for the sample). The `provenance` column of the fleet frame says
which for every row, and the tables below for every cell.

## What is here

- `sample/` — {n_ad} Windows adapters ({n_ipsec} with IPsec offload v2) on {len(hosts)} hosts, captured in
  every format the importers read, and Linux interfaces in `sample/linux/` (section below). Import it with
  `ipsecexplore import data/sample` or `ipsecexplore.fleet.load_fleet(["data/sample"])`: that gives
  {got["adapters"]} adapters on {got["hosts"]} hosts ({got["rows"]} rows, {got["rejected"]} rejected), of them
  {got["linux_adapters"]} Linux interfaces on {got["linux_hosts"]} hosts. Of the Windows adapters, the
  {len(no_object)} missing are the 82576NS of the Get-NetView captures: without IPsec offload,
  Get-NetAdapterIPsecOffload returns no object (their `[Failed]` block is listed as a skipped file).
  {got["pairs"]} adapters are captured in both views (the raw captures other than HOST11 hold one view);
  {got["differ"]} of them show hardware-vs-current differences caused by their INF keyword (NDIS's
  masking, tests/spec/ipsecov2-rules.md R51). The generator derived differences for {diff} adapters; {diff_one_view} of
  them are captured in one view only, where no difference can show.
- `sample/provenance.json` — the provenance string of every adapter and view (read by the importer;
  the Get-NetView zip carries its own copy for its host).
- `sample_archetypes.csv` — the tests/spec/adapters.md B1 long form: one row per archetype cell with its provenance
  (`sourced`/`guess`/`derived`), evidence kind and Part A row.
- `sample_fleet.csv` — the instances: host, adapter, archetype, capture format, keyword and whether the
  keyword value is sourced.
- `bad/` — malformed or unusual captures, one message each (table below). `ipsecexplore import data/bad`
  lists them.

## Archetypes (tests/spec/adapters.md B2; **S** = sourced from the named Part A row, **G** = guessed)

| archetype | hardware capabilities | note |
|---|---|---|
{chr(10).join(arch_rows)}

Keywords: `intel-x550` `*IPsecOffloadV2` = 0 is **S** A1.1 (an X550 registry fixture); every other keyword
value in the fleet is illustrative: X550 instances get 0 (as the fixture) or 2/3, 82576EB instances 3, 2 or
the IPv4-only keyword `*IPsecOffloadV2IPv4` = 3, LiquidIO instances 3 or 1; vNICs have none. The current
configuration is derived from the hardware row by R51: keyword 0 zeroes the block, 1 clears `Esp`, 2 clears
`Ah`, the IPv4-only keyword clears `IPv6Supported`. The CIM `Enabled` property is written as keyword ≠ 0
(tests/spec/capture-formats.md §2.2, inferred). Members outside `IPsecV2` in the raw captures are zero (illustrative),
except `Flags` = 0x6 (both coexistence bits, guessed) on the LiquidIO records of revision ≥ 3.

## Hosts and formats

| host | capture | adapters | files |
|---|---|---|---|
{chr(10).join(per_host)}

Format details follow tests/spec/capture-formats.md; where it marks a detail [assumed] the common PowerShell
behaviour is used and the importers do not depend on it:

- Format-List: `HOST01` UTF-16LE with BOM (Windows PowerShell `>`), algorithm masks as `{{AESGCM128}}`
  brace lists; `HOST02` UTF-8 with BOM, numbers; `HOST03` UTF-8 without BOM, console width 72 (values cut
  onto continuation lines), masks as comma-separated names. All CRLF.
- ConvertTo-Json: `HOST04` Windows PowerShell 5.1 layout in UTF-16LE; `HOST05` `-Compress` from
  `Get-CimInstance` (no `ifAlias`/`ifDesc`); `HOST06` a single object with name arrays.
- Export-Csv: `HOST07` with the `#TYPE` line; `HOST08` `-NoTypeInformation` from `Get-CimInstance`.
- Advanced properties (`*IPsecOffload*` keywords): default table (HOST01, HOST06), Format-List (HOST02,
  HOST07), Export-Csv with `#TYPE` where `RegistryValue` became `System.String[]` so the value is read from
  the English `DisplayValue` (HOST03), ConvertTo-Json (HOST04, HOST05, HOST08).
- Get-NetView: `HOST09` as a folder (ANSI, as Windows PowerShell 5.1 writes it), `HOST10` as a zip (UTF-8).
  Each adapter folder has `Get-NetAdapterIPsecOffload.txt` (default view + `Format-List -Property *`),
  `Get-NetAdapterAdvancedProperty.txt` (three views; other keywords too) and `Get-NetAdapter.txt`; the
  82576NS has a `[Failed]` block (no IPsec object); hNIC folders hold `Get-VMNetworkAdapter.txt`. Files other
  than the two IPsec ones are listed as skipped by the importer.
- Raw `NDIS_OFFLOAD`: `HOST11` hardware + current pairs of revisions 8 and 6 (binary, sidecars name the
  OID); `HOST12` revision-3 hex text of two vNICs as a Linux guest receives it over RNDIS; `HOST13` eight
  revision-2 records concatenated in one file; `HOST14` an 82576NS as revision 1 (no IPsecV2 member: the
  frame shows `<NA>`) and as revision 4 with an all-zero block (`False`/0); `HOST15` a revision-5 record
  without a sidecar (view `unknown`, host from the file name).

## The provenance column

Every row of the fleet frame built from `sample/` starts its `provenance` with `sourced:` or
`illustrative:`. Hardware rows list the members taken from tests/spec/adapters.md Part A with their row
(`sourced: Ah=A1.6, Esp=A1.5, … ; illustrative: every other value`), or say that every value is a guess.
Current rows name the keyword value (sourced only for the X550 value 0 of A1.1) and that the values were
derived by R51 from the hardware row. Captures without a provenance note (a user's own files) say
`captured`.

## Malformed files (`bad/`)

"rejected": the record is not loaded and the message names where and why; "note": the record loads and
the importer remarks on what is unusual about it (tests/spec/capture-formats.md §7 reader rules).

| file | shows | the importer | its message contains |
|---|---|---|---|
{chr(10).join(bad_rows)}

{make_sample_linux.readme_section()}"""
    return text.encode("utf-8")


def generate(out: Path) -> None:
    rng = random.Random(SEED)
    fleet = build_fleet(rng)
    tree = sample_tree(fleet, rng)
    make_sample_linux.add_sample(tree)  # data/sample/linux (issue 15)
    bad, table = bad_tree(fleet)
    for k, v in bad.files.items():
        tree.add(k, v)
    tree.add("sample_archetypes.csv", long_form_csv())
    tree.add("sample_fleet.csv", fleet_csv(fleet))
    for sub in ("sample", "bad"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    tree.write(out)
    # The README quotes what the importer makes of the files just written.
    (out / "README.md").write_bytes(readme(fleet, tree, table, imported_counts(out / "sample")))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=HERE, help="output folder (default: data/)")
    args = p.parse_args(argv)
    generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
