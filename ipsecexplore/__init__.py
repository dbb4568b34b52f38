"""ipsecexplore — the Windows NDIS IPsec Offload Version 2 capability model, byte-exact and explorable.

>>> import ipsecexplore as ix
>>> off = ix.NdisOffload.new(revision=2)
>>> off.IPsecV2.Esp = True
>>> ix.encode(off)[0x78]
1
"""

from .errors import DecodeError, EncodeError, InputError, IpsecExploreError

__version__ = "0.1.0"

__all__ = ["DecodeError", "EncodeError", "InputError", "IpsecExploreError", "__version__"]

try:  # the model is imported lazily-safe so that packaging works while modules are added
    from .model import IPsecOffloadV2, NdisOffload, decode, decode_struct, encode, encode_struct  # noqa: F401

    __all__ += ["NdisOffload", "IPsecOffloadV2", "decode", "encode", "decode_struct", "encode_struct"]
    __all__ += ["offloads_frame"]
except ImportError as exc:  # pragma: no cover - only during bootstrap
    if "ipsecexplore.model" not in str(exc) and "model" not in getattr(exc, "name", ""):
        raise


def __getattr__(name: str):
    # offloads_frame needs pandas; import it on first use so the CLI and the model start fast.
    if name == "offloads_frame":
        from .bulk import offloads_frame

        return offloads_frame
    raise AttributeError(f"module 'ipsecexplore' has no attribute {name!r}")
