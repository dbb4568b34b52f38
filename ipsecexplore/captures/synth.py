"""Render CIM objects the way PowerShell writes them: Format-List, Format-Table, ConvertTo-Json,
Export-Csv and Get-NetView command blocks, with Windows line ends and encodings.

Used to build the sample captures in ``data/``, the tests' input files and the import benchmark, so that
all of them follow tests/spec/capture-formats.md §2.4–2.6, §3.2 and §4. Where the spec marks a detail [assumed], the
common PowerShell behaviour is followed (and the importers do not depend on it): ``Name : value`` lines
padded to the longest property name, blank lines between objects, values longer than the console width
wrapped at blanks onto lines indented to the value column; Windows PowerShell 5.1 JSON layout (four-space
indent, two blanks after the colon, ``'`` written as ``\\u0027``) and PowerShell 7 layout (two-space indent).

A CIM object here is a list of ``(property, value)`` pairs in PowerShell's property order; values are
``bool``, ``int``, ``str``, ``None`` or a ``list`` of strings (a multi-valued property).
"""

from __future__ import annotations

import codecs
import json

from . import cim

__all__ = ["ipsec_object", "advprop_object", "format_list", "format_table", "to_json", "to_csv",
           "getnetview_file", "encode_windows", "mask_to_names", "IPSEC_TYPE_NAME", "ADVPROP_TYPE_NAME"]

IPSEC_TYPE_NAME = ("Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/"
                   "MSFT_NetAdapterIPsecOffloadV2SettingData")
ADVPROP_TYPE_NAME = ("Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/"
                     "MSFT_NetAdapterAdvancedPropertySettingData")


def mask_to_names(value: int, group: str) -> list[str]:
    """PowerShell display names for the bits of ``value`` (the names of tests/spec/constants.md §6); raises
    ``ValueError`` for a bit that has no display name (encryption NONE has none)."""
    names = cim.display_names(group)
    out = []
    for bit in sorted(names):
        if value & bit:
            out.append(names[bit])
    rest = value & ~sum(names)
    if rest:
        raise ValueError(f"bits 0x{rest:X} of {group} have no PowerShell display name")
    return out


def ipsec_object(*, name: str, description: str, host: str | None, instance_id: str, hardware: dict,
                 current: dict, enabled: bool | None, algorithms: str = "int", ps_computer: str | None = "",
                 aliases: bool = True) -> list:
    """One ``MSFT_NetAdapterIPsecOffloadV2SettingData`` object as ``Get-NetAdapterIPsecOffload`` returns it.

    ``hardware``/``current`` map ``IPsecV2.*`` paths to values (members absent from the dict are written
    as empty values). ``algorithms``: ``int`` (raw uint32), ``brace`` (``{MD5, SHA1}``) or ``comma``
    (``MD5, SHA1``) for the two algorithm masks. ``aliases`` adds ifAlias/InterfaceAlias/ifDesc (cmdlet
    output, §2.5)."""
    kinds = cim.member_kinds()

    def val(path, values):
        v = values.get(path)
        if v is None:
            return None
        kind, group = kinds[path]
        if kind == "bool":
            return bool(v)
        if kind == "mask" and algorithms != "int" and "Algorithms" in path:
            names = mask_to_names(int(v), group)
            return names if algorithms == "brace" else ", ".join(names) if names else "0"
        return int(v)

    obj = []
    if aliases:
        obj += [("ifAlias", name), ("InterfaceAlias", name), ("ifDesc", description)]
    obj += [("Caption", f"MSFT_NetAdapterIPsecOffloadV2SettingData '{description}'"),
            ("Description", description), ("ElementName", description), ("InstanceID", instance_id),
            ("InterfaceDescription", description), ("Name", name), ("Source", 2), ("SystemName", host),
            ("Enabled", enabled)]
    for prop in cim.HARDWARE:
        obj.append((prop, val(cim.PROPERTIES[prop][1], hardware)))
    for prop in cim.CURRENT:
        obj.append((prop, val(cim.PROPERTIES[prop][1], current)))
    if ps_computer is not None:
        obj.append(("PSComputerName", ps_computer))
    return obj


def advprop_object(*, name: str, description: str, host: str, instance_id: str, keyword: str, value: int,
                   display_name: str, labels: dict, default: int, ps_computer: str | None = "") -> list:
    """One ``MSFT_NetAdapterAdvancedPropertySettingData`` object for an enum keyword (§3.1); ``labels``
    maps each registry value to its display value."""
    return [
        ("ValueName", keyword), ("ValueData", [str(value)]), ("ifAlias", name), ("InterfaceAlias", name),
        ("ifDesc", description),
        ("Caption", f"MSFT_NetAdapterAdvancedPropertySettingData '{description}'"),
        ("Description", display_name), ("ElementName", display_name),
        ("InstanceID", f"{instance_id}::{keyword}"), ("InterfaceDescription", description), ("Name", name),
        ("Source", 3), ("SystemName", host), ("DefaultDisplayValue", labels[default]),
        ("DefaultRegistryValue", default),
        ("DisplayName", display_name), ("DisplayParameterType", 5), ("DisplayValue", labels[value]),
        ("NumericParameterBaseValue", None), ("NumericParameterMaxValue", None),
        ("NumericParameterMinValue", None), ("NumericParameterStepValue", None), ("Optional", False),
        ("RegistryDataType", 1), ("RegistryKeyword", keyword), ("RegistryValue", [str(value)]),
        ("ValidDisplayValues", [labels[i] for i in sorted(labels)]),
        ("ValidRegistryValues", [str(i) for i in sorted(labels)]),
    ] + ([("PSComputerName", ps_computer)] if ps_computer is not None else [])


# ------------------------------------------------------------------------------------------ text forms
def _text(v) -> str:
    if v is None:
        return ""
    if v is True:
        return "True"
    if v is False:
        return "False"
    if isinstance(v, list):
        return "{" + ", ".join(_text(x) for x in v) + "}"
    return str(v)


def _wrap(value: str, width: int, words: bool = False) -> list[str]:
    """Split ``value`` into lines of ``width`` characters (``words``: at blanks where possible, dropping
    the blank, as a word-wrapping writer does)."""
    if width <= 0 or len(value) <= width:
        return [value]
    if not words:
        return [value[i:i + width] for i in range(0, len(value), width)]
    lines = []
    rest = value
    while len(rest) > width:
        cut = rest.rfind(" ", 0, width + 1)
        if cut <= 0:
            lines.append(rest[:width])
            rest = rest[width:]
        else:
            lines.append(rest[:cut])
            rest = rest[cut + 1:]
    lines.append(rest)
    return lines


def format_list(objects, width: int | None = None, wrap: str = "chars") -> str:
    """``Format-List -Property *`` output of ``objects`` (``\\n`` line ends; see :func:`encode_windows`).

    ``width`` is the console width; ``None`` means unlimited (Get-NetView uses ``-Width 4096``). A longer
    value continues on lines indented to the value column: cut into chunks of the width (``wrap="chars"``,
    what PowerShell's list writer does [assumed]) or at blanks (``wrap="words"``)."""
    blocks = []
    for obj in objects:
        pad = max(len(k) for k, _ in obj)
        lines = []
        for k, v in obj:
            prefix = k.ljust(pad) + " : "
            text = _text(v)
            parts = _wrap(text, width - len(prefix), wrap == "words") if width else [text]
            lines.append(prefix + parts[0])
            lines.extend(" " * len(prefix) + p for p in parts[1:])
        blocks.append("\n".join(lines))
    return "\n" + "\n\n".join(blocks) + "\n\n\n\n"


def format_table(rows, columns) -> str:
    """``Format-Table -AutoSize`` of ``rows`` (lists of pairs) restricted to ``columns``.

    Numbers are right-aligned, everything else left-aligned, columns separated by one blank."""
    cells = [[_text(dict(r).get(c)) for c in columns] for r in rows]
    numeric = [all(isinstance(dict(r).get(c), int) and not isinstance(dict(r).get(c), bool) for r in rows)
               for c in columns]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]

    def line(vals, is_header=False):
        out = []
        for i, v in enumerate(vals):
            out.append(v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]))
        return " ".join(out).rstrip()

    head = line(columns, True)
    dash = " ".join(("-" * len(c)).rjust(widths[i]) if numeric[i] else ("-" * len(c)).ljust(widths[i])
                    for i, c in enumerate(columns)).rstrip()
    body = [line(r) for r in cells]
    return "\n" + "\n".join([head, dash] + body) + "\n\n\n"


def to_json(objects, *, style: str = "ps5", single: bool = False) -> str:
    """``ConvertTo-Json`` output. ``style``: ``ps5`` (Windows PowerShell 5.1 layout), ``ps7`` or
    ``compress`` (``-Compress``). ``single`` writes one object instead of an array."""
    data = [dict(o) for o in objects]
    value = data[0] if single else data
    if style == "compress":
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if style == "ps7":
        return json.dumps(value, indent=2, ensure_ascii=False)
    text = json.dumps(value, indent=4, ensure_ascii=False).replace('": ', '":  ')
    # Windows PowerShell 5.1 escapes these characters (JavaScriptSerializer behaviour).
    return text.replace("'", "\\u0027").replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def to_csv(objects, *, type_name: str | None = None) -> str:
    """``Export-Csv`` output: optional ``#TYPE`` line, quoted header and values; arrays become their
    type name (``System.String[]``), as Export-Csv writes them."""
    objects = list(objects)
    names = [k for k, _ in objects[0]]

    def cell(v):
        if isinstance(v, list):
            return "System.String[]" if all(isinstance(x, str) for x in v) else "System.Object[]"
        return _text(v)

    lines = [f"#TYPE {type_name}"] if type_name else []
    lines.append(",".join(f'"{n}"' for n in names))
    for o in objects:
        d = dict(o)
        lines.append(",".join('"' + cell(d.get(n)).replace('"', '""') + '"' for n in names))
    return "\n".join(lines) + "\n"


def getnetview_file(user: str, host: str, blocks, prompt: str = "PS C:\\Windows\\system32> ") -> str:
    """A Get-NetView output file: for each ``(command, output, status)`` the banner, the prompt line, an
    optional ``[status]`` line and the output (Get-NetView.psm1 ``ExecCommand``)."""
    out = []
    for command, output, status in blocks:
        out.append(f"{user} @ {host}:")
        out.append(prompt + command)
        if status:
            out.append(f"[{status}]")
        out.append(output.rstrip("\n") + "\n")
    return "\n".join(out) + "\n"


def encode_windows(text: str, encoding: str = "utf-16-le") -> bytes:
    """CRLF line ends and the bytes a Windows writer produces: ``utf-16-le`` with BOM (Windows PowerShell
    ``Out-File``/``>``), ``utf-8-sig`` (UTF-8 with BOM), ``utf-8`` (PowerShell 7), ``cp1252`` (ANSI)."""
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)
