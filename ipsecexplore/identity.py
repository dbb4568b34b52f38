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

import re

import numpy as np
import pandas as pd

__all__ = ["name_key", "host_key", "adapter_key", "name_codes", "adapter_codes", "model_of", "models",
           "virtual_evidence", "EVIDENCE", "HYPERV_DESCRIPTION", "HYPERV_NAME_PREFIX"]

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


def name_codes(names) -> np.ndarray:
    """Integer codes of a column of names, equal exactly where :func:`name_key` is equal: each distinct name
    is casefolded once and rows are compared as integers, far quicker than comparing key strings."""
    codes, distinct = pd.factorize(pd.Series(names).astype("string").array)
    keys = [d.casefold() for d in distinct.to_numpy(dtype=object)] + [""]  # code -1 (missing name): key ''
    key_codes, _ = pd.factorize(np.array(keys, dtype=object))
    return key_codes[codes]


def adapter_codes(host, adapter) -> np.ndarray:
    """Integer codes of host and adapter columns, equal exactly where :func:`adapter_key` is equal (no name
    holds the NUL that key joins them with)."""
    h, a = name_codes(host), name_codes(adapter)
    return h * (int(a.max(initial=0)) + 1) + a


#: Descriptions of Hyper-V synthetic NICs contain this (case-insensitive).
HYPERV_DESCRIPTION = "hyper-v"
#: Host vNICs are named ``vEthernet (<switch>)`` by default (case-insensitive prefix).
HYPERV_NAME_PREFIX = "vethernet ("
_INSTANCE_SUFFIX = r"\s+#\d+\s*$"
_SUFFIX_RE = re.compile(_INSTANCE_SUFFIX)
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
    s = descriptions.astype("string")
    # Descriptions repeat (an adapter's hardware and current rows, adapters of one model): strip each distinct
    # text once, with Python's re as pandas' str.replace uses for this pattern (RE2's \s misses Unicode spaces).
    codes, distinct = pd.factorize(s.array)
    texts = [_SUFFIX_RE.sub("", d) if "#" in d else d for d in distinct.to_numpy(dtype=object)]
    u = pd.Series(pd.array(texts, dtype="string")).str.strip()
    u = u.mask(u == "")
    return pd.Series(u.array.take(codes, allow_fill=True), index=s.index, name=s.name)


def _netview_folders(source: pd.Series) -> dict[str, np.ndarray]:
    """``{"hnic": bool array, "pnic": bool array}``: rows whose source lies in a Get-NetView hNIC/pNIC folder."""
    src = source.astype("string").fillna("")
    out = {k: np.zeros(len(src), dtype=bool) for k in ("hnic", "pnic")}
    # Every folder match holds "hNIC." or "pNIC.": a quick literal test leaves the regex few rows (often none).
    maybe = src.str.contains("NIC.", regex=False).to_numpy(dtype=bool)
    if maybe.any():
        few = src[maybe]
        for k, folder in (("hnic", "hNIC"), ("pnic", "pNIC")):
            out[k][maybe] = few.str.contains(_NETVIEW_FOLDER.format(folder), regex=True).to_numpy(dtype=bool)
    return out


def virtual_evidence(adapter: pd.Series, description: pd.Series, source: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(virtual, virtual_from)`` per row: a ``boolean`` column and the evidence text of :data:`EVIDENCE`
    that decided it (the strongest evidence present wins)."""
    n = len(adapter)
    desc = description.astype("string")
    has_desc = desc.fillna("").str.strip().ne("").to_numpy(dtype=bool)
    tests = {  # in order of strength
        **_netview_folders(source),
        "description": desc.str.lower().str.contains(HYPERV_DESCRIPTION, regex=False).fillna(False)
        .to_numpy(dtype=bool),
        "name": adapter.astype("string").str.lower().str.startswith(HYPERV_NAME_PREFIX).fillna(False)
        .to_numpy(dtype=bool),
        "other": has_desc,
    }
    kinds = list(EVIDENCE)
    kind = np.full(n, kinds.index("none"), dtype=np.intp)  # index into EVIDENCE, taken once per column below
    decided = np.zeros(n, dtype=bool)
    for k, hit in tests.items():
        kind[hit & ~decided] = kinds.index(k)
        decided |= hit
    value = pd.array([EVIDENCE[k][0] for k in kinds], dtype="boolean").take(kind)
    text = pd.array([EVIDENCE[k][1] for k in kinds], dtype="string").take(kind)
    return pd.Series(value, index=adapter.index), pd.Series(text, index=adapter.index)
