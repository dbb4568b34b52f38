"""Where each fact comes from, as addresses a reader can open.

The rule book names its sources by documentation file name (``oid-tcp-offload-current-config.md``), by
short DDI name (``DDI add_sa``), by decompiled function (``RE ndisReadOffloadRegistry``) or by spec section
(``constants.md §6``). :func:`cite` turns such a source into text whose every document is a public address
(learn.microsoft.com, GitHub, kernel.org) or a file of this repository (``docs/sources.md#…`` for what has no
public address, ``tests/spec/…`` for the project's own derivations). ``docs/sources.md`` lists the same
documents for people; ``tests/test_teaching.py`` keeps the two in step.
"""

from __future__ import annotations

import re

__all__ = ["DOCUMENTS", "SOURCES_DOC", "DEPRECATION_BANNER", "DEPRECATION_NOTE", "cite", "document_url", "anchor",
           "spec_paths"]

#: The banner every IPsec task offload page of the WDK carries (rule R3), word for word.
DEPRECATION_BANNER = "The IPsec Task Offload feature is deprecated and should not be used."

#: How the project says so where a reader meets the feature (widget headings, notebooks).
DEPRECATION_NOTE = (f"Deprecated: the WDK says \"{DEPRECATION_BANNER}\" (R3). This tool explains what drivers "
                    "report and captures contain; it does not recommend turning the feature on.")

#: The repository file that lists every source (its anchors are the ``#…`` parts of :func:`anchor`).
SOURCES_DOC = "docs/sources.md"

_NET = "https://learn.microsoft.com/windows-hardware/drivers/network/"
_DDI = "https://learn.microsoft.com/windows-hardware/drivers/ddi/"
_PS = "https://learn.microsoft.com/powershell/module/"
_WS = "https://learn.microsoft.com/windows-server/"

# Windows driver documentation pages (MicrosoftDocs/windows-driver-docs, windows-driver-docs-pr/network/).
_NETWORK_PAGES = (
    "reporting-a-nic-s-ipsec-offload-version-2-capabilities", "introduction-to-ipsec-offload-version-2",
    "ipsec-task-offload-version-2-in-ndis-6-1", "managing-security-associations-in-ipsec-offload-version-2",
    "oid-tcp-task-ipsec-offload-v2-add-sa", "oid-tcp-task-ipsec-offload-v2-add-sa-ex",
    "oid-tcp-task-ipsec-offload-v2-delete-sa", "oid-tcp-task-ipsec-offload-v2-update-sa",
    "sending-network-data-with-ipsec-offload-version-2", "receiving-network-data-with-ipsec-offload-version-2",
    "accessing-net-buffer-list-information-in-ipsec-offload-version-2",
    "requirements-and-restrictions-that-apply-to-ipsec-offloads", "udp-esp-encapsulation-types",
    "impact-of-network-interface-changes-on-ipsec-offloads", "splitting-ipsec-frames",
    "ndis-6-30-backward-compatibility", "combining-types-of-task-offloads",
    "processing-udp-encapsulated-esp-packets", "udp-esp-sas-and-parser-entries",
    "oid-tcp-offload-current-config", "oid-tcp-offload-hardware-capabilities", "oid-tcp-offload-parameters",
    "oid-offload-encapsulation", "ndis-status-task-offload-current-config",
    "ndis-status-task-offload-hardware-capabilities", "determining-task-offload-capabilities",
    "using-registry-values-to-enable-and-disable-task-offloading", "enumeration-keywords",
    "direct-oid-request-interface-in-ndis-6-1", "managing-hardware-offload-oid-requests-to-physical-network-adapters",
)

# DDI reference pages (MicrosoftDocs/windows-driver-docs-ddi, wdk-ddi-src/content/<header>/<page>.md).
_DDI_PAGES = {
    "ns-ntddndis-_ndis_ipsec_offload_v2": "ntddndis", "ns-ntddndis-_ndis_offload": "ntddndis",
    "ns-ntddndis-_ndis_offload_parameters": "ntddndis",
    "ns-ndis-_ndis_miniport_adapter_offload_attributes": "ndis", "ns-ndis-_ndis_bind_parameters": "ndis",
    "ns-ndis-_ipsec_offload_v2_add_sa": "ndis", "ns-ndis-_ipsec_offload_v2_add_sa_ex": "ndis",
    "ns-ndis-_ipsec_offload_v2_algorithm_info": "ndis", "ns-ndis-_ipsec_offload_v2_security_association": "ndis",
    "ns-ndis-_ipsec_offload_v2_delete_sa": "ndis", "ns-ndis-_ipsec_offload_v2_update_sa": "ndis",
    "ne-ndis-_ipsec_offload_v2_operation": "ndis",
    "ns-ndis-_ndis_ipsec_offload_v2_net_buffer_list_info": "ndis",
    "ns-ndis-_ndis_ipsec_offload_v2_header_net_buffer_list_info": "ndis",
    "nf-ndis-ndismsetminiportattributes": "ndis", "nc-ndis-miniport_initialize": "ndis",
    "ns-encapsulationconfig-ndis_offload_encapsulation": "encapsulationconfig",
    "ns-oidrequest-ndis_oid_request": "oidrequest",
}

#: Document name (file name as the rule book writes it) → public address.
DOCUMENTS: dict[str, str] = {
    **{f"{p}.md": _NET + p for p in _NETWORK_PAGES},
    **{f"{p}.md": f"{_DDI}{h}/{p}" for p, h in _DDI_PAGES.items()},
    **{f"{c}-NetAdapterIPsecOffload.md": f"{_PS}netadapter/{c.lower()}-netadapteripsecoffload"
       for c in ("Enable", "Disable", "Set", "Get")},
    "Get-NetAdapterAdvancedProperty.md": _PS + "netadapter/get-netadapteradvancedproperty",
    "Set-VMNetworkAdapter.md": _PS + "hyper-v/set-vmnetworkadapter",
    "hpn-software-hardware-features.md": _WS + "networking/technologies/hpn/hpn-software-hardware-features",
    "RDMA-and-Switch-Embedded-Teaming.md": (
        _WS + "virtualization/hyper-v-virtual-switch/rdma-and-switch-embedded-teaming"),
    "msft-netadapteripsecoffloadv2settingdata.md": (
        "https://github.com/MicrosoftDocs/win32/blob/758ede90dcf9a7614715a5218e9aeebdb97f83cc/desktop-src/FWP/wmi/"
        "netadaptercimprov/msft-netadapteripsecoffloadv2settingdata.md"),
    "Msvm_EthernetSwitchPortOffloadSettingData": (
        "https://learn.microsoft.com/windows/win32/hyperv_v2/msvm-ethernetswitchportoffloadsettingdata"),
    "EvotecIT/Testimo issue #58": "https://github.com/EvotecIT/Testimo/issues/58",
    "Get-NetView.psm1": ("https://github.com/microsoft/Get-NetView/blob/1fabc9de759f6560167e8ec22874fd568a2d330d/"
                         "Get-NetView.psm1"),
    "ixgbe_ipsec.c": ("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/drivers/net/"
                      "ethernet/intel/ixgbe/ixgbe_ipsec.c"),
    "ixgbe_ipsec.h": ("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/drivers/net/"
                      "ethernet/intel/ixgbe/ixgbe_ipsec.h"),
}

# The DDI pages the rule book names by their short form ("DDI add_sa, add_sa_ex").
_DDI_SHORT = {
    "add_sa": "ns-ndis-_ipsec_offload_v2_add_sa", "add_sa_ex": "ns-ndis-_ipsec_offload_v2_add_sa_ex",
    "algorithm_info": "ns-ndis-_ipsec_offload_v2_algorithm_info", "update_sa": "ns-ndis-_ipsec_offload_v2_update_sa",
    "delete_sa": "ns-ndis-_ipsec_offload_v2_delete_sa",
    "net_buffer_list_info": "ns-ndis-_ndis_ipsec_offload_v2_net_buffer_list_info",
    "header_net_buffer_list_info": "ns-ndis-_ndis_ipsec_offload_v2_header_net_buffer_list_info",
}

# Sections of docs/sources.md for what has no single public page.
_ANCHORS = {
    "wdk": "windows-driver-documentation", "ddi": "ddi-reference-pages", "headers": "sdk-and-wdk-headers",
    "re": "decompiled-ndissys", "research": "project-research-notes", "spec": "the-projects-spec-files",
    "adapters": "real-adapters", "captures": "capture-formats",
}

# The project's spec files, copied into the repository (their own sources are listed in docs/sources.md).
_SPEC_FILES = ("layouts.md", "layouts.json", "constants.md", "capture-formats.md", "adapters.md",
               "ipsecov2-rules.md")


def anchor(topic: str) -> str:
    """``docs/sources.md#…`` for a topic: wdk, ddi, headers, re, research, spec, adapters, captures."""
    return f"{SOURCES_DOC}#{_ANCHORS[topic]}"


def document_url(name: str) -> str | None:
    """The public address of a document named as the rule book names it (``oid-tcp-offload-parameters.md``,
    ``…-add-sa-ex.md``), or None."""
    name = name.strip().strip("`")
    if name in DOCUMENTS:
        return DOCUMENTS[name]
    if name.startswith("…"):
        hits = [u for k, u in DOCUMENTS.items() if k.endswith(name[1:])]
        return hits[0] if len(hits) == 1 else None
    return None


def _code(m: re.Match) -> str:
    name = m.group(1)
    url = document_url(name)
    if url:
        return url
    if name in _SPEC_FILES:
        return f"tests/spec/{name}"
    if name.endswith(".h"):
        return f"{name} ({anchor('headers')})"
    if name.startswith("ndis") and not name.endswith(".md"):  # a decompiled ndis.sys function
        return f"ndis.sys {name} ({anchor('re')})"
    if "*" in name:  # a family of DDI pages
        return f"{name.removesuffix('.md')} ({anchor('ddi')})"
    return name


def _ddi_list(m: re.Match) -> str:
    return ", ".join(f"{_DDI}ndis/{_DDI_SHORT[s.strip()]}" for s in m.group(1).split(","))


def cite(source: str) -> str:
    """A rule book source with every document turned into an address (see the module docstring)."""
    text = source.replace("DDI `Tunnel` note", f"{DOCUMENTS['ns-ntddndis-_ndis_ipsec_offload_v2.md']} (Tunnel)")
    text = text.replace("DDI `UdpEsp`", f"{DOCUMENTS['ns-ntddndis-_ndis_ipsec_offload_v2.md']} (UdpEsp)")
    text = text.replace("EvotecIT/Testimo issue #58", DOCUMENTS["EvotecIT/Testimo issue #58"])
    text = text.replace("all WDD-A IPsec pages", f"every IPsec page of the WDK documentation ({anchor('wdk')})")
    short = "|".join(sorted(_DDI_SHORT, key=len, reverse=True))
    text = re.sub(rf"DDI ((?:{short})(?:, (?:{short}))*)\b", _ddi_list, text)
    text = re.sub(r"\b(?:RE|HDR|PSD|DDI) (?=`)", "", text)
    text = re.sub(r"`([^`]+)`", _code, text)
    text = re.sub(r"(?<![\w/.-])([\w.-]+\.md)\b", lambda m: document_url(m.group(1)) or m.group(1), text)
    text = re.sub(r"research(?: semantics)? (§[\d.]+(?:, §[\d.]+)*)",
                  lambda m: f"project research notes {m.group(1)} ({anchor('research')})", text)
    return text


def spec_paths(text: str) -> str:
    """``text`` with each spec file name (`` `adapters.md` ``, ``capture-formats.md``) written as the
    repository file that holds it (``tests/spec/adapters.md``)."""
    names = "|".join(re.escape(n) for n in _SPEC_FILES)
    return re.sub(rf"(?<![\w/.-])`?({names})`?", r"tests/spec/\1", text)
