"""ipsecexplore — the Windows NDIS IPsec Offload Version 2 capability model, byte-exact and explorable.

>>> import ipsecexplore as ix
>>> off = ix.NdisOffload.new(revision=2)
>>> off.IPsecV2.Esp = True
>>> ix.encode(off)[0x78]
1
"""

from .errors import DecodeError, EncodeError, InputError, IpsecExploreError

__version__ = "0.1.0"

from .model import IPsecOffloadV2, NdisOffload, decode, decode_struct, encode, encode_struct

__all__ = ["DecodeError", "EncodeError", "InputError", "IpsecExploreError", "__version__", "NdisOffload",
           "IPsecOffloadV2", "decode", "encode", "decode_struct", "encode_struct", "offloads_frame",
           "RULE_ENFORCERS"]

#: Modules above the rules layer whose functions declare the rules they enforce
#: (``rules.registry.enforces``); ``rules.checked_rules()`` imports them. Named here, in the package root
#: that sits above every layer, so that the rules layer never names a higher one.
RULE_ENFORCERS = ("ipsecexplore.effective", "ipsecexplore.flow.simulation")


def __getattr__(name: str):
    # offloads_frame needs pandas; import it on first use so the CLI and the model start fast.
    if name == "offloads_frame":
        from .bulk import offloads_frame

        return offloads_frame
    raise AttributeError(f"module 'ipsecexplore' has no attribute {name!r}")
