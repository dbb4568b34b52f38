"""What an adapter *is*, read from what a capture says about it: its NIC model and whether it is a Hyper-V
virtual NIC. Both become fleet columns (:data:`ipsecexplore.columns.MODEL`, :data:`~ipsecexplore.columns.VIRTUAL`).

- **model**: Windows numbers further adapters of one model by appending `` #2``, `` #3`` … to the
  ``InterfaceDescription`` ("Intel(R) Ethernet Controller X550 #2"); the model is the description without
  that suffix, <NA> when the capture carries no description (raw bytes).
- **virtual**: True for a Hyper-V vNIC, whose ``SaOffloadCapacity`` is a per-vNIC SA budget set on the host
  (``Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation``), not a hardware figure (tests/spec/adapters.md A4,
  B3). The evidence, strongest first: the Get-NetView folder type (``hNIC.`` host vNIC, ``pNIC.`` physical;
  tests/spec/capture-formats.md §4), a description naming Hyper-V ("Hyper-V Virtual Ethernet Adapter", "Microsoft
  Hyper-V Network Adapter"), the default host-vNIC name ``vEthernet (<switch>)``; a description that names
  another adapter makes it False (inferred: only Hyper-V vNICs are recognised); nothing else tells (<NA>).
- **which adapter**: host and adapter name compared case-insensitively (:func:`adapter_key`,
  :func:`host_key`): every module that matches rows to adapters or hosts uses these keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["name_key", "host_key", "adapter_key", "model_of", "models", "virtual_evidence", "EVIDENCE",
           "HYPERV_DESCRIPTION", "HYPERV_NAME_PREFIX"]

def name_key(name):
    """The key a host or adapter name is compared by: casefolded, a missing name as ''. ``name`` is a string
    (the key is a string) or a column (the key is a ``string`` Series on the same index)."""
    if isinstance(name, str):
        return name.casefold()
    if name is None or name is pd.NA:
        return ""
    return pd.Series(name).astype("string").fillna("").str.casefold()


def host_key(host):
    """The key hosts are compared by (:func:`name_key`)."""
    return name_key(host)


def adapter_key(host, adapter):
    """The key adapters are compared by: :func:`host_key` of host and of adapter name, joined by NUL (which
    no name holds). Scalars give a string, columns a ``string`` Series."""
    return name_key(host) + "\x00" + name_key(adapter)


#: Descriptions of Hyper-V synthetic NICs contain this (case-insensitive).
HYPERV_DESCRIPTION = "hyper-v"
#: Host vNICs are named ``vEthernet (<switch>)`` by default (case-insensitive prefix).
HYPERV_NAME_PREFIX = "vethernet ("
_INSTANCE_SUFFIX = r"\s+#\d+\s*$"
# a Get-NetView adapter folder: <Type>.<ifIndex>.<Name>.<InterfaceDescription> (tests/spec/capture-formats.md §4)
_NETVIEW_FOLDER = r"(?:^|[/\\])(?:{})\.\d+\."

#: The evidence texts of the ``virtual_from`` column, by the value they give ``virtual``.
EVIDENCE = {
    "hnic": (True, "Get-NetView hNIC folder (host vNIC)"),
    "pnic": (False, "Get-NetView pNIC folder (physical NIC)"),
    "description": (True, "description names Hyper-V"),
    "name": (True, "name vEthernet (…), the default of a Hyper-V host vNIC"),
    "other": (False, "description names an adapter other than Hyper-V's (inferred: only Hyper-V vNICs are "
                     "recognised)"),
    "none": (None, "no evidence: no description, no Get-NetView folder, name not vEthernet (…)"),
}


def model_of(description) -> str | None:
    """``"Intel(R) Ethernet Controller X550 #2"`` -> ``"Intel(R) Ethernet Controller X550"``; None for a
    missing or blank description."""
    if description is None or description is pd.NA or not isinstance(description, str) or not description.strip():
        return None
    return models(pd.Series([description], dtype="string")).iloc[0]


def models(descriptions: pd.Series) -> pd.Series:
    """:func:`model_of` of a whole ``string`` column (vectorised); <NA> where the description is missing."""
    s = descriptions.astype("string").str.replace(_INSTANCE_SUFFIX, "", regex=True).str.strip()
    return s.mask(s.fillna("") == "")


def virtual_evidence(adapter: pd.Series, description: pd.Series, source: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(virtual, virtual_from)`` per row: a ``boolean`` column and the evidence text of :data:`EVIDENCE`
    that decided it (the strongest evidence present wins)."""
    n = len(adapter)
    src = source.astype("string").fillna("")
    desc = description.astype("string")
    has_desc = desc.fillna("").str.strip().ne("").to_numpy(dtype=bool)
    tests = {  # in order of strength
        "hnic": src.str.contains(_NETVIEW_FOLDER.format("hNIC"), regex=True).to_numpy(dtype=bool),
        "pnic": src.str.contains(_NETVIEW_FOLDER.format("pNIC"), regex=True).to_numpy(dtype=bool),
        "description": desc.str.lower().str.contains(HYPERV_DESCRIPTION, regex=False).fillna(False)
        .to_numpy(dtype=bool),
        "name": adapter.astype("string").str.lower().str.startswith(HYPERV_NAME_PREFIX).fillna(False)
        .to_numpy(dtype=bool),
        "other": has_desc,
    }
    kind = np.full(n, "none", dtype=object)
    decided = np.zeros(n, dtype=bool)
    for k, hit in tests.items():
        kind[hit & ~decided] = k
        decided |= hit
    value = pd.array([EVIDENCE[k][0] for k in kind], dtype="boolean")
    text = pd.array([EVIDENCE[k][1] for k in kind], dtype="string")
    return pd.Series(value, index=adapter.index), pd.Series(text, index=adapter.index)
