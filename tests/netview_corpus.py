#!/usr/bin/env python3
"""Write Get-NetView bundles as each generation of ``Get-NetView.psm1`` wrote them, with the rows an
importer must give for each (capture-formats.md §4, "Older versions write other shapes").

One bundle per generation of the §4 table (plus the remoting-prompt run of the same section), as a folder
``msdbg.<HOST>/…`` and as the zip Get-NetView makes of it (``msdbg.<HOST>-yyyy.MM.dd_hh.mm.ss.zip``,
members without the ``msdbg.<HOST>/`` prefix). What differs between generations — the banner, the prompt,
the three historical failure shapes, ``Format-List  -Property *`` with two blanks, the ``Get-Member``
block, ``Out-String -Width 4096`` in the command text, list values wrapped at the console width, the first
advanced-property command without ``-IncludeHidden``, ``-Encoding ascii`` / the ANSI code page — follows
the versions of ``ExecCommand``/``NetAdapterWorker`` in the history of microsoft/Get-NetView. The cmdlet
outputs themselves are rendered by :mod:`ipsecexplore.captures.synth` (values [example]).

Used by tests/test_captures_generations.py; run it to look at the files:

    python tests/netview_corpus.py OUTDIR
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":  # run as a script: the tests' helpers and this checkout's package
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from captures_support import CUR, HW, expected_values  # noqa: E402

from ipsecexplore.captures import synth  # noqa: E402

LABELS = {0: "Disabled", 1: "Auth Header Enabled", 2: "ESP Enabled", 3: "Auth Header & ESP Enabled"}
# Hyper-V's vNIC spells the labels its own way (capture-formats.md §3.2, "Labels seen on real machines").
HYPERV_LABELS = {**LABELS, 3: "Auth Header and ESP Enabled"}
JUMBO = {1514: "Disabled", 9014: "9014 Bytes"}
STAMP = "2025.02.26_10.45.30"


@dataclass(frozen=True)
class Generation:
    """How one Get-NetView version wrote its files (capture-formats.md §4 table)."""

    name: str
    host: str
    banner_host: bool = True  # 2017-07 → 2017-11: "<USERNAME> @ " only
    failure: str = "status"  # "2016" | "2017" | "2018" | "status": the shape of a failed command
    two_blanks: bool = True  # "Format-List  -Property *" (to 2020-06)
    get_member: bool = False  # first release: a third block "… | Get-Member"
    hidden_switch: bool = True  # -IncludeHidden on the IPsec commands (from 2017-07)
    adv_first_hidden: bool = False  # the first advanced-property command has -IncludeHidden (from 2020-06)
    out_string: bool = True  # table views carry "| Out-String -Width 4096" (to 2021-10)
    list_width: int | None = 80  # list views wrap at the console width (to 2021-10); None = -Width 4096
    encoding: str = "ascii"  # "ascii" (to 2022-02), then the ANSI code page or UTF-8 (PowerShell 7)
    prompt: str = "PS C:\\Windows\\system32> "
    local_name: str = "SLOT 2 Port 1"  # the first adapter's name (non-ASCII in the later generations)


GENERATIONS = (
    Generation("2016-10", "HV-2016", failure="2016", get_member=True, hidden_switch=False,
               out_string=True),
    Generation("2017-07", "HV-2017", banner_host=False, failure="2017", get_member=True),
    Generation("2017-12", "HV-2017B", failure="2017", get_member=True),
    Generation("2018-10", "SRV-2019", failure="2018"),
    Generation("2020-03", "SRV-2020", failure="status"),
    Generation("2020-06", "SRV-2020B", two_blanks=False, adv_first_hidden=True),
    Generation("2021-10", "SRV-2021", two_blanks=False, adv_first_hidden=True, out_string=False, list_width=None,
               local_name="\u30a4\u30fc\u30b5\u30cd\u30c3\u30c8 2"),
    Generation("2022-02-cp932", "JP-2022", two_blanks=False, adv_first_hidden=True, out_string=False,
               list_width=None, encoding="cp932", local_name="\u30a4\u30fc\u30b5\u30cd\u30c3\u30c8 2"),
    Generation("2022-02-utf8", "RU-2022", two_blanks=False, adv_first_hidden=True, out_string=False,
               list_width=None, encoding="utf-8", local_name="\u0415\u0442\u0435\u0440\u043d\u0435\u0442 2"),
    Generation("2025-remoting", "SRV-2025", two_blanks=False, adv_first_hidden=True, out_string=False,
               list_width=None, encoding="cp1252", prompt="[SRV-2025]: PS C:\\Users\\admin\\Documents> "),
)


@dataclass(frozen=True)
class Adapter:
    """One adapter of a bundle and what its captures hold."""

    folder: str
    name: str
    desc: str
    ipsec: bool  # Get-NetAdapterIPsecOffload returns an object
    hidden: bool = False
    keyword: int | None = None  # *IPsecOffloadV2
    labels: tuple = tuple(LABELS.items())
    display_name: str = "IPsec Offload"


def adapters(gen: Generation) -> list[Adapter]:
    """The adapters of ``gen``'s bundle: a physical NIC, a Hyper-V host vNIC, a NIC without IPsec offload
    v2 and a hidden one."""
    n1 = gen.local_name
    return [
        Adapter(f"pNIC.5.{n1}.Example X550 Adapter", n1, "Example X550 Adapter", True, keyword=3),
        Adapter("hNIC.9.vEthernet (Mgmt).Hyper-V Virtual Ethernet Adapter", "vEthernet (Mgmt)",
                "Hyper-V Virtual Ethernet Adapter", True, keyword=3, labels=tuple(HYPERV_LABELS.items()),
                display_name="IPSec Offload"),
        Adapter("pNIC.7.Ethernet 3.Example 1GbE Adapter", "Ethernet 3", "Example 1GbE Adapter", False),
        Adapter("NIC.Hidden/NIC.12.Hidden NIC.Example Hidden Adapter", "Hidden NIC", "Example Hidden Adapter",
                True, hidden=True, keyword=0),
    ]


def _iid(i: int) -> str:
    return f"{{00000000-0000-4000-8000-{i:012X}}}"


def _ipsec_obj(a: Adapter, host: str, i: int) -> list:
    return synth.ipsec_object(name=a.name, description=a.desc, host=host, instance_id=_iid(i), hardware=HW,
                              current=CUR if a.keyword else {k: type(v)(0) for k, v in CUR.items()},
                              enabled=bool(a.keyword), algorithms="brace" if i % 2 else "int")


def _adv_objs(a: Adapter, host: str, i: int) -> list:
    out = [synth.advprop_object(name=a.name, description=a.desc, host=host, instance_id=_iid(i),
                                keyword="*JumboPacket", value=1514, display_name="Jumbo Packet", labels=JUMBO,
                                default=1514)]
    if a.keyword is not None:
        out.append(synth.advprop_object(name=a.name, description=a.desc, host=host, instance_id=_iid(i),
                                        keyword="*IPsecOffloadV2", value=a.keyword, display_name=a.display_name,
                                        labels=dict(a.labels), default=3))
    return sorted(out, key=lambda o: dict(o)["RegistryKeyword"])


def _error_text(cmd: str, a: Adapter, noun: str) -> str:
    """The error text PowerShell prints when a cmdlet finds no object of that name [example]."""
    cls = ("MSFT_NetAdapterIPsecOffloadV2SettingData" if "IPsec" in noun
           else "MSFT_NetAdapterAdvancedPropertySettingData")
    return (f"{noun} : No {cls} objects found with property 'Name' equal "
            f"to '{a.name}'.  Verify the value of the property and retry.\n"
            f"At line:1 char:3\n+ $({cmd}) 2>$null ...\n+   ~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
            f"    + CategoryInfo          : ObjectNotFound: ({a.name}:String) [{noun}], CimJobException\n"
            f"    + FullyQualifiedErrorId : CmdletizationQuery_NotFound_Name,{noun}\n")


def _get_member(type_name: str, props) -> str:
    rows = [("Clone", "Method", "System.Object ICloneable.Clone()")]
    rows += [(p, "Property", f"string {p} {{get;set;}}") for p in props]
    w = max(len(r[0]) for r in rows) + 1
    lines = ["", f"   TypeName: {type_name}", "", "Name".ljust(w) + "MemberType Definition",
             "----".ljust(w) + "---------- ----------"]
    lines += [r[0].ljust(w) + r[1].ljust(11) + r[2] for r in rows]
    return "\n".join(lines) + "\n\n\n"


def _block(gen: Generation, cmd: str, output: str | None, error: str) -> str:
    """One command's lines as ``gen`` wrote them; ``output`` None = the command failed."""
    user = "admin"
    banner = f"{user} @ {gen.host}:" if gen.banner_host else f"{user} @ "
    if output is not None:
        return f"{banner}\n{gen.prompt}{cmd}\n{output.rstrip(chr(10))}\n\n"
    if gen.failure == "2016":
        return f"{cmd}\n[ NOT_SUPPORTED!!! ]\n\n\n\n"
    if gen.failure == "2017":
        return f"{cmd}\n[Command Failed]\n\n\n\n"
    if gen.failure == "2018":
        return f"[Failed]\n{cmd}\n{error}\n\n\n\n"
    return f"{banner}\n{gen.prompt}{cmd}\n[Failed]\n{error}\n"


def _fl(gen: Generation) -> str:
    return "Format-List  -Property *" if gen.two_blanks else "Format-List -Property *"


def _table_tail(gen: Generation) -> str:
    return " | Out-String -Width 4096" if gen.out_string else ""


def ipsec_file(gen: Generation, a: Adapter, i: int) -> str:
    """``Get-NetAdapterIPsecOffload.txt`` of adapter ``a``."""
    hidden = " -IncludeHidden" if gen.hidden_switch else ""
    base = f'Get-NetAdapterIPsecOffload -Name "{a.name}"{hidden}'
    ok = a.ipsec and (gen.hidden_switch or not a.hidden)
    obj = _ipsec_obj(a, gen.host, i)
    table = synth.format_table([obj], ["Name", "InterfaceDescription", "Enabled"])
    first = base + (" | Out-String -Width 4096" if gen.out_string or not gen.hidden_switch else "")
    fl = f"{base} | {_fl(gen)}"
    out = _block(gen, first, table if ok else None, _error_text(first, a, "Get-NetAdapterIPsecOffload"))
    out += _block(gen, fl, synth.format_list([obj], gen.list_width) if ok else None,
                  _error_text(fl, a, "Get-NetAdapterIPsecOffload"))
    if gen.get_member:
        out += _block(gen, "Get-NetAdapterIPsecOffload | Get-Member",
                      _get_member(synth.IPSEC_TYPE_NAME, [k for k, _ in obj]), "")
    return out


def advprop_file(gen: Generation, a: Adapter, i: int) -> str:
    """``Get-NetAdapterAdvancedProperty.txt`` of adapter ``a`` (its hidden adapter's first command fails
    before 2020-06: it lacks ``-IncludeHidden``)."""
    base = f'Get-NetAdapterAdvancedProperty -Name "{a.name}" -AllProperties'
    objs = _adv_objs(a, gen.host, i)
    cols = ["Name", "DisplayName", "DisplayValue", "RegistryKeyword", "RegistryValue"]
    table = synth.format_table(objs, cols)
    cmds = []
    if not gen.adv_first_hidden:
        cmds.append((f"{base} | Sort-Object RegistryKeyword | Format-Table -AutoSize{_table_tail(gen)}",
                     None if a.hidden else table))
    cmds.append((f"{base} -IncludeHidden | Sort-Object RegistryKeyword | Format-Table -AutoSize{_table_tail(gen)}",
                 table))
    cmds.append((f"{base} -IncludeHidden | {_fl(gen)}", synth.format_list(objs, gen.list_width)))
    cmds.append((f"{base} -IncludeHidden | Format-Table  -Property *{_table_tail(gen)}"
                 if gen.two_blanks else f"{base} -IncludeHidden | Format-Table -Property *{_table_tail(gen)}",
                 synth.format_table(objs, [k for k, _ in objs[0]][:8])))
    if gen.get_member:
        cmds.append(("Get-NetAdapterAdvancedProperty | Get-Member",
                     _get_member(synth.ADVPROP_TYPE_NAME, [k for k, _ in objs[0]])))
    return "".join(_block(gen, c, o, _error_text(c, a, "Get-NetAdapterAdvancedProperty")) for c, o in cmds)


def _encode(gen: Generation, text: str) -> bytes:
    text = text.replace("\n", "\r\n")
    return text.encode(gen.encoding, "replace")  # Out-File writes '?' for what the encoding lacks


def files(gen: Generation) -> dict[str, bytes]:
    """``{path inside the bundle root: bytes}`` of ``gen``'s bundle."""
    out = {}
    for i, a in enumerate(adapters(gen), 1):
        out[f"{a.folder}/Get-NetAdapterIPsecOffload.txt"] = _encode(gen, ipsec_file(gen, a, i))
        out[f"{a.folder}/Get-NetAdapterAdvancedProperty.txt"] = _encode(gen, advprop_file(gen, a, i))
        out[f"{a.folder}/Get-NetAdapter.txt"] = _encode(gen, _block(
            gen, f'Get-NetAdapter -Name "{a.name}" | Format-List -Property *',
            synth.format_list([[("Name", a.name), ("InterfaceDescription", a.desc), ("ifIndex", i)]]), ""))
    out["_summary/Get-NetOffloadGlobalSetting.txt"] = _encode(gen, _block(
        gen, "Get-NetOffloadGlobalSetting", "\nReceiveSideScaling : Enabled\nTaskOffload        : Enabled\n", ""))
    return out


def file_name(gen: Generation, name: str) -> str:
    """A name as the bundle's files carry it: '?' for every character ``gen``'s encoding lacks."""
    return name.encode(gen.encoding, "replace").decode(gen.encoding)


def expected(gen: Generation) -> dict:
    """``{(host, adapter, view): (values, keywords)}``: every record the bundle must load, from the
    generator's own inputs (not from the importer)."""
    out = {}
    for a in adapters(gen):
        if not a.ipsec or (a.hidden and not gen.hidden_switch):
            continue
        kw = {"*IPsecOffloadV2": a.keyword} if a.keyword is not None else {}
        cur = CUR if a.keyword else {k: type(v)(0) for k, v in CUR.items()}
        name = file_name(gen, a.name)
        out[(gen.host, name, "hardware")] = (expected_values(HW), kw)
        out[(gen.host, name, "current")] = (expected_values(cur), kw)
    return out


def write_folder(gen: Generation, parent: Path) -> Path:
    """Write the bundle folder ``parent/msdbg.<HOST>``; returns it."""
    root = parent / f"msdbg.{gen.host}"
    for rel, data in files(gen).items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


def write_zip(gen: Generation, parent: Path, copy: int | None = None) -> Path:
    """Write the zip Get-NetView makes (members without the root folder); ``copy`` adds a browser's
    `` (N)`` to the name."""
    suffix = f" ({copy})" if copy else ""
    path = parent / f"msdbg.{gen.host}-{STAMP}{suffix}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in files(gen).items():
            zf.writestr(rel, data)
    return path


def main(argv=None) -> int:
    """Write every generation's folder and zip under OUTDIR."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    for gen in GENERATIONS:
        d = out / gen.name
        d.mkdir(parents=True, exist_ok=True)
        write_folder(gen, d)
        write_zip(gen, d)
        print(f"{gen.name}: {d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
