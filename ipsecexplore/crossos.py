"""Linux beside Windows: the ESP feature bits, the correspondence with ``NDIS_IPSEC_OFFLOAD_V2`` and what each
in-tree Linux driver accepts, as data (tests/spec/capture-formats.md §8).

Linux has no capability structure. The only static signals are three netdev feature bits shown by
``ethtool -k``; algorithm, mode, ESN, NAT-T and capacity show only when the driver accepts or refuses an SA.
So everything here that puts a Linux interface in Windows terms is **inferred**, and an answer about "what
could this interface offload" rests on :data:`DRIVERS` (read from driver source) rather than on the capture.

- :data:`FEATURES` — the ESP feature bits (``esp-hw-offload`` …), their kernel flags and meanings;
- :data:`CORRESPONDENCE` — one row per ``NDIS_IPSEC_OFFLOAD_V2`` member or Linux notion, with basis and source;
- :data:`DRIVERS` — one row per driver: algorithms, modes, ESN, NAT-T, SA table, offload types, source;
- :func:`linux_can_offload` — could this Linux row offload this SA (True/False/None = unknown), and why
  (:func:`linux_verdicts` item by item);
- :data:`SA_TERMS` — an SA described in NDIS terms (flag macros, mode, ESN, UDP-ESP) read as an xfrm SA, each
  term with basis and source (:func:`sa_from_ndis`; used by ``Fleet.can_offload`` for Linux rows);
- :func:`windows_terms` — a Linux fleet frame in Windows terms, every derived value marked inferred;
- :func:`explain_linux` — the text of ``ipsecexplore explain esp-hw-offload``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Feature", "FEATURES", "FEATURE_NAMES", "Correspondence", "CORRESPONDENCE", "Driver", "DRIVERS",
           "NicFamily", "NIC_FAMILIES", "nic_family",
           "driver_row", "Verdict", "linux_verdicts", "linux_can_offload", "SaTerm", "SA_TERMS", "sa_from_ndis",
           "windows_terms", "explain_linux", "SOURCES", "INFERRED_NOTE"]

#: Public addresses of the sources the tables below were read from.
SOURCES = {
    "netdev_features.h": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/linux/"
                         "netdev_features.h",
    "ethtool/common.c": "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ethtool/"
                        "common.c",
    "ethtool features.c": "https://git.kernel.org/pub/scm/network/ethtool/ethtool.git/tree/netlink/features.c",
    "xfrm_device.rst": "https://docs.kernel.org/networking/xfrm_device.html",
    "ipxfrm.c": "https://git.kernel.org/pub/scm/network/iproute2/iproute2.git/tree/ip/ipxfrm.c",
    "ipsecoffloadv2": "https://learn.microsoft.com/en-us/windows-hardware/drivers/network/ndis-ipsec-offload-v2",
}

_KERNEL = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/"

#: What the frame notes say about the hardware/current reading of Linux rows.
INFERRED_NOTE = ("Linux rows: the hardware view is inferred from ethtool -k (a feature that is on, or off without "
                 "[fixed], can be on) and the current view is the feature's active state; ethtool has no "
                 "capability structure, so neither reading proves an SA will be accepted "
                 "(tests/spec/capture-formats.md §8.1, §8.4). NDIS members are <NA> on Linux rows: they are never "
                 "filled from Linux data.")


@dataclass(frozen=True)
class Feature:
    """One ESP netdev feature bit as ``ethtool -k`` names it."""

    name: str  # ethtool string, e.g. esp-hw-offload
    kernel_flag: str  # e.g. NETIF_F_HW_ESP
    meaning: str
    ndis: str  # the NDIS member it corresponds to, or "" (see CORRESPONDENCE)


FEATURES = (
    Feature("esp-hw-offload", "NETIF_F_HW_ESP",
            "the device can take ESP transformation offload (SAs added with 'offload dev')", "IPsecV2.Esp"),
    Feature("esp-tx-csum-hw-offload", "NETIF_F_HW_ESP_TX_CSUM",
            "checksum offload on ESP-transformed packets", ""),
    Feature("tx-esp-segmentation", "NETIF_F_GSO_ESP", "segmentation (GSO/TSO) of ESP packets",
            "IPsecV2.LsoSupported"),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)


@dataclass(frozen=True)
class Correspondence:
    """One ``NDIS_IPSEC_OFFLOAD_V2`` member (or Linux-only notion) and its Linux counterpart."""

    ndis: str  # NDIS member path(s), or "(none on Windows)"
    linux: str
    basis: str  # documented | inferred | none
    source: str


_S84 = "tests/spec/capture-formats.md §8.4; "
CORRESPONDENCE = (
    Correspondence("IPsecV2.Esp", "esp-hw-offload available (documented meaning) and the driver accepting the SA",
                   "inferred", _S84 + SOURCES["xfrm_device.rst"]),
    Correspondence("IPsecV2.Ah, IPsecV2.AhEspCombined", "none: Linux offloads ESP only", "none",
                   _S84 + SOURCES["xfrm_device.rst"]),
    Correspondence("IPsecV2.Transport, IPsecV2.Tunnel", "the modes the driver accepts (driver table); no flag "
                   "exposes them", "inferred", _S84 + "driver sources (DRIVERS)"),
    Correspondence("IPsecV2.TransportTunnelCombined, IPsecV2.Encapsulation", "none", "none", _S84.rstrip("; ")),
    Correspondence("IPsecV2.LsoSupported", "tx-esp-segmentation", "inferred", _S84 + SOURCES["netdev_features.h"]),
    Correspondence("IPsecV2.ExtendedSequenceNumbers", "the driver implements xdo_dev_state_advance_esn "
                   "(driver table)", "inferred", _S84 + SOURCES["xfrm_device.rst"]),
    Correspondence("IPsecV2.AuthenticationAlgorithms, IPsecV2.EncryptionAlgorithms", "the AEAD/cipher set the "
                   "driver accepts (driver table); Linux has no query API for it", "inferred",
                   _S84 + "driver sources (DRIVERS)"),
    Correspondence("IPsecV2.SaOffloadCapacity", "the driver's SA table size (driver table), not exported",
                   "inferred", _S84 + "driver sources (DRIVERS)"),
    Correspondence("IPsecV2.UdpEsp", "acceptance of UDP-encapsulated SAs (driver table)", "inferred",
                   _S84 + "driver sources (DRIVERS)"),
    Correspondence("IPsecV2.IPv4Options, IPsecV2.IPv6NonIPsecExtensionHeaders", "xdo_dev_offload_ok refusing such "
                   "packets (ixgbe, chcr)", "inferred", _S84 + "driver sources (DRIVERS)"),
    Correspondence("(none on Windows)", "packet offload (ip xfrm state ... offload packet; 'mode packet')",
                   "documented", "tests/spec/capture-formats.md §8.2; " + SOURCES["xfrm_device.rst"]),
    Correspondence("hardware view / current view", "a feature that is on, or off without [fixed] / a feature "
                   "that is on", "inferred", _S84 + SOURCES["ethtool features.c"]),
)


@dataclass(frozen=True)
class Driver:
    """What one in-tree driver accepts (tests/spec/capture-formats.md §8.3, read from driver source).

    ``None`` in a field means "depends on a device capability the source does not fix" (answers that need it
    are unknown); ``algorithms`` lists xfrm algorithm names, ``key_bits``/``icv_bits`` the accepted sizes."""

    driver: str
    nics: str
    algorithms: tuple[str, ...]
    key_bits: tuple[int, ...]
    icv_bits: tuple[int, ...]
    modes: tuple[str, ...]
    esn: bool | None
    natt: bool | None
    sa_table: str
    offload_types: tuple[str, ...]
    directions: tuple[str, ...]
    kernel: str
    source: str
    note: str = ""
    natt_only: tuple[str, ...] = ()  # (offload type, mode) NAT-T needs, e.g. ("packet", "transport")


_GCM = "rfc4106(gcm(aes))"
_CRYPTO_SINCE = "crypto offload core since 4.11-4.13 (this driver's first version not recorded)"
DRIVERS = (
    Driver("ixgbe", "Intel 82599/X540/X550", (_GCM,), (128,), (128,), ("transport",), False, False,
           "1024 Rx + 1024 Tx (and 128 Rx IP addresses)", ("crypto",), ("in", "out"), _CRYPTO_SINCE,
           _KERNEL + "drivers/net/ethernet/intel/ixgbe/ixgbe_ipsec.c", "128-bit key + 32-bit salt"),
    Driver("ixgbevf", "Intel 82599/X540/X550 virtual function", (_GCM,), (128,), (128,), ("transport",), False,
           False, "the PF's", ("crypto",), ("in",), _CRYPTO_SINCE,
           _KERNEL + "drivers/net/ethernet/intel/ixgbevf/ipsec.c",
           "via the PF, which accepts only inbound SAs from trusted VFs (Rx only: inferred)"),
    Driver("mlx5", "NVIDIA ConnectX-6 Dx/7, BlueField", (_GCM,), (128, 256), (128,), ("transport", "tunnel"),
           None, None, "device/firmware capability (not in source)", ("crypto", "packet"), ("in", "out"),
           "crypto: " + _CRYPTO_SINCE + "; packet offload since 6.2",
           _KERNEL + "drivers/net/ethernet/mellanox/mlx5/core/en_accel/ipsec.c",
           "ESN with a device cap; NAT-T only for packet offload in transport mode with a device cap; tunnel "
           "packet offload needs a device cap; seqiv", ("packet", "transport")),
    Driver("ch_ipsec", "Chelsio T6", (_GCM,), (128, 256), (96, 128), ("transport", "tunnel"), True, False, "-",
           ("crypto",), ("in", "out"), _CRYPTO_SINCE,
           _KERNEL + "drivers/net/ethernet/chelsio/inline_crypto/ch_ipsec/chcr_ipsec.c"),
    Driver("nfp", "Netronome/Corigine NFP", ("cbc(aes)", _GCM, "cbc(des3_ede)", "rfc7539esp(chacha20,poly1305)",
                                             "hmac(md5)", "hmac(sha1)", "hmac(sha256)", "hmac(sha384)",
                                             "hmac(sha512)", "ecb(cipher_null)"),
           (), (), ("transport", "tunnel"), False, False, "16K", ("crypto",), ("in", "out"), _CRYPTO_SINCE,
           _KERNEL + "drivers/net/ethernet/netronome/nfp/crypto/ipsec.c",
           "ChaCha20-Poly1305 on NFP3800 only; key sizes per algorithm not recorded here"),
    Driver("otx2", "Marvell CN10K (octeontx2)", (_GCM,), (), (128,), ("transport", "tunnel"), False, None, "-",
           ("crypto",), ("out",), _CRYPTO_SINCE,
           _KERNEL + "drivers/net/ethernet/marvell/octeontx2/nic/cn10k_ipsec.c",
           "first versions outbound only"),
    Driver("bonding", "bond of the above", (), (), (), (), None, None, "-", ("crypto",), ("in", "out"),
           _CRYPTO_SINCE, _KERNEL + "drivers/net/bonding/bond_main.c",
           "the active slave's capabilities; active-backup mode only"),
)
_BY_DRIVER = {d.driver: d for d in DRIVERS}
# Names ethtool -i reports for the drivers of the table (the module name; inferred from the driver sources:
# mlx5 builds mlx5_core, the CN10K PF driver is rvu_nicpf, Chelsio ports are cxgb4 with ch_ipsec loaded on top).
_ALIASES = {"mlx5_core": "mlx5", "rvu_nicpf": "otx2", "cxgb4": "ch_ipsec", "chcr": "ch_ipsec"}


@dataclass(frozen=True)
class NicFamily:
    """A NIC family seen from both OSes (tests/spec/capture-formats.md §8: 82599/X550 -> ixgbe; ConnectX -> mlx5): how a
    Windows row's description and a Linux row's driver name it."""

    name: str
    windows: str  # regular expression matched against the Windows description
    drivers: tuple[str, ...]  # ethtool -i driver names


NIC_FAMILIES = (
    NicFamily("Intel 82599/X540/X550", r"82599|X540|X550", ("ixgbe", "ixgbevf")),
    NicFamily("NVIDIA/Mellanox ConnectX", r"ConnectX|Mellanox", ("mlx5_core",)),
)


def nic_family(os_name, description, driver) -> str | None:
    """The :data:`NIC_FAMILIES` name of a fleet row (``os``, ``description``, ``driver``), or None."""
    import re

    for fam in NIC_FAMILIES:
        if os_name == "linux" and isinstance(driver, str) and driver in fam.drivers:
            return fam.name
        if os_name != "linux" and isinstance(description, str) and re.search(fam.windows, description):
            return fam.name
    return None


def driver_row(name) -> Driver | None:
    """The :data:`DRIVERS` row of an ``ethtool -i`` driver name (``mlx5_core``, ``ixgbe`` …), or None."""
    if not isinstance(name, str) or not name:
        return None
    n = name.strip().lower()
    return _BY_DRIVER.get(n) or _BY_DRIVER.get(_ALIASES.get(n, ""))


def _get(row, key):
    v = row.get(key) if isinstance(row, Mapping) else getattr(row, key, None)
    try:
        return None if v is None or v != v or str(v) == "<NA>" else v  # NaN/NA -> None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Verdict:
    """One thing :func:`linux_verdicts` found about an SA on a Linux row: ``state`` ``missing`` (the SA
    cannot be offloaded), ``unknown`` (cannot tell) or ``met`` (said because it rests on data outside the
    capture, or qualifies the answer); ``notion`` the Linux column or driver-table field it rests on
    (``ethtool.esp-hw-offload``, ``ixgbe.modes`` …); ``section`` of tests/spec/capture-formats.md;
    ``driver_table`` True when it was read from :data:`DRIVERS` rather than from the capture."""

    state: str
    notion: str
    reason: str
    section: str
    driver_table: bool = False


def _feature_verdict(row) -> Verdict:
    on = _get(row, "ethtool.esp-hw-offload")
    fixed = _get(row, "ethtool.esp-hw-offload.fixed")
    view = _get(row, "view") or "the capture"
    n, s = "ethtool.esp-hw-offload", "§8.1"
    if on is None:
        return Verdict("unknown", n, "esp-hw-offload was not captured (no ethtool -k output for this interface)", s)
    if not on:
        if fixed:
            return Verdict("missing", n, "esp-hw-offload is off [fixed]: the driver cannot offload ESP on this "
                                         "interface", s)
        return Verdict("missing", n, f"esp-hw-offload is off in the {view} view (it can be switched on: "
                                     "ethtool -K IFACE esp-hw-offload on)", s)
    return Verdict("met", n, f"esp-hw-offload is on in the {view} view (does not prove the SA add succeeds)", s)


def _driver_verdicts(d: Driver, sa: Mapping) -> list[Verdict]:
    """What driver row ``d`` says about ``sa``: refusals (``missing``) and device capabilities (``unknown``)."""
    out = []

    def no(field, text):
        out.append(Verdict("missing", f"{d.driver}.{field}", text, "§8.3", True))

    if not d.modes:  # bonding: whatever the active slave accepts
        return [Verdict("unknown", f"{d.driver}.modes", f"{d.driver}: depends on the active slave's driver, which "
                                                          "the capture does not name", "§8.3", True)]
    for key in ("algorithm", "auth"):
        alg = sa.get(key)
        if alg and d.algorithms and alg not in d.algorithms:
            no("algorithms", f"{d.driver} accepts {', '.join(d.algorithms)}, not {alg}")
    for key, allowed, what in (("key_bits", d.key_bits, "key"), ("icv_bits", d.icv_bits, "ICV")):
        if sa.get(key) is not None and allowed and sa[key] not in allowed:
            no(key, f"{d.driver} accepts {'/'.join(map(str, allowed))}-bit {what}s, not {sa[key]}")
    mode, off = sa.get("mode"), sa.get("offload", "crypto")
    if mode and mode not in d.modes:
        no("modes", f"{d.driver} offloads {' and '.join(d.modes)} mode only, not {mode}")
    for key, allowed, what in (("esn", d.esn, "ESN"), ("natt", d.natt, "NAT-T (UDP-encapsulated ESP)")):
        if not sa.get(key):
            continue
        need = d.natt_only if key == "natt" else ()
        if need and (off != need[0] or (mode and mode != need[1])):
            no(key, f"{d.driver} offloads {what} SAs only with {need[0]} offload in {need[1]} mode")
        elif allowed is None:
            out.append(Verdict("unknown", f"{d.driver}.{key}", f"{d.driver}: {what} depends on a device capability "
                                                               "the capture does not show", "§8.3", True))
        elif not allowed:
            no(key, f"{d.driver} does not offload {what} SAs")
    if off not in d.offload_types:
        no("offload_types", f"{d.driver} supports {'/'.join(d.offload_types)} offload, not {off}")
    if sa.get("dir") and sa["dir"] not in d.directions:
        no("directions", f"{d.driver} offloads {'/'.join(d.directions)}bound SAs only")
    return out


def linux_verdicts(row, sa: Mapping) -> list[Verdict]:
    """Everything :func:`linux_can_offload` weighs, in order: the protocol (Linux offloads ESP only, §8.4), the
    ``esp-hw-offload`` feature (§8.1; an interface that cannot offload ESP ends the check there), the driver
    row (:data:`DRIVERS`, §8.3) and what the driver table does not record (IPv6 addresses)."""
    if sa.get("proto", "esp") != "esp":  # nothing on the interface changes that
        return [Verdict("missing", "proto", f"{sa['proto'].upper()}: Linux offloads ESP only (no AH offload; "
                                            "tests/spec/capture-formats.md §8.4)", "§8.4")]
    out = [_feature_verdict(row)]
    if out[0].state == "missing":
        return out
    name = _get(row, "driver")
    d = driver_row(name)
    if d is None:
        text = f"driver {name!r} is not in the driver table" if name else "no driver captured (ethtool -i missing)"
        return out + [Verdict("unknown", "driver", text, "§8.3")]
    found = _driver_verdicts(d, sa)
    if d.note:
        out.append(Verdict("met", f"{d.driver}.note", f"{d.driver}: {d.note}", "§8.3", True))
    if sa.get("ipv6"):
        found.append(Verdict("unknown", "ipv6", "IPv6 addresses: the driver table (tests/spec/capture-formats.md "
                             "§8.3) records no IPv6 limit, and the capture cannot tell", "§8.3", True))
    if not found:
        found.append(Verdict("met", d.driver, f"{d.driver} accepts this SA (driver table: {d.source})", "§8.3",
                             True))
    return out + found


def linux_can_offload(row, sa: Mapping) -> tuple[bool | None, list[str], bool]:
    """Could the Linux interface of fleet row ``row`` offload SA ``sa``?

    ``sa`` keys (all optional): ``algorithm`` (xfrm name of the AEAD or cipher, e.g. ``rfc4106(gcm(aes))``),
    ``auth`` (xfrm name of a separate integrity algorithm, e.g. ``hmac(sha256)``), ``key_bits``, ``icv_bits``,
    ``mode`` (transport/tunnel), ``esn``, ``natt`` (bool), ``offload`` (crypto/packet, default crypto), ``dir``
    (in/out), ``proto`` (esp/ah, default esp), ``ipv6`` (bool). Returns ``(offloadable, reasons,
    rests_on_driver_table)``: ``offloadable`` is True, False or None (unknown); ``rests_on_driver_table`` says
    the answer used :data:`DRIVERS` (read from driver source) rather than only the capture — Linux exposes no
    per-SA capability before the SA add: the items that decide the answer (the refusals of a False, the unknowns
of a None) came from it. :func:`linux_verdicts` gives the same answer item by item."""
    found = linux_verdicts(row, sa)
    states = {v.state for v in found}
    ok = False if "missing" in states else None if "unknown" in states else True
    deciding = {False: "missing", None: "unknown", True: "met"}[ok]
    return ok, [v.reason for v in found], any(v.driver_table for v in found if v.state == deciding)


# ------------------------------------------------------------------------------ Windows SA in Linux terms
@dataclass(frozen=True)
class SaTerm:
    """How one part of an SA described in NDIS terms (a flag macro of ``NDIS_IPSEC_OFFLOAD_V2``'s masks, or an
    SA notion: ``esp``, ``ah``, ``transport``, ``tunnel``, ``ipv6``, ``esn``, ``udp_esp``, ``offload``) reads as an
    xfrm SA: ``key`` of the :func:`linux_can_offload` SA mapping, its ``value``, ``key_bits`` for an algorithm,
    with ``basis`` (documented / inferred / none) and ``source``."""

    ndis: str
    key: str
    value: object
    key_bits: int | None
    basis: str
    source: str


_XFRM_ALGO = _KERNEL + "net/xfrm/xfrm_algo.c"
_ALG_SRC = _S84 + "the xfrm algorithm names of " + _XFRM_ALGO
_E, _A = "IPSEC_OFFLOAD_V2_ENCRYPTION_", "IPSEC_OFFLOAD_V2_AUTHENTICATION_"
SA_TERMS = (
    SaTerm("esp", "proto", "esp", None, "inferred", _S84 + "Esp <-> esp-hw-offload"),
    SaTerm("ah", "proto", "ah", None, "none", _S84 + "Ah, AhEspCombined: none, Linux offloads ESP only"),
    SaTerm("transport", "mode", "transport", None, "inferred", _S84 + "Transport, Tunnel <-> the driver's modes"),
    SaTerm("tunnel", "mode", "tunnel", None, "inferred", _S84 + "Transport, Tunnel <-> the driver's modes"),
    SaTerm("ipv6", "ipv6", True, None, "none", _S84 + "no Linux notion of IPv6Supported is recorded"),
    SaTerm("esn", "esn", True, None, "inferred", _S84 + "ExtendedSequenceNumbers <-> advance_esn; §8.2"),
    SaTerm("udp_esp", "natt", True, None, "inferred", _S84 + "UdpEsp <-> acceptance of UDP-encapsulated SAs"),
    SaTerm("offload", "offload", "crypto", None, "inferred", "tests/spec/capture-formats.md §8.2: crypto offload "
           "is the same division of labour as Windows IPsecOV2"),
    SaTerm(_E + "NONE", "algorithm", "ecb(cipher_null)", 0, "inferred", _ALG_SRC),
    SaTerm(_E + "DES_CBC", "algorithm", "cbc(des)", 64, "inferred", _ALG_SRC),
    SaTerm(_E + "3_DES_CBC", "algorithm", "cbc(des3_ede)", 192, "inferred", _ALG_SRC),
    *(SaTerm(f"{_E}AES_GCM_{b}", "algorithm", _GCM, b, "inferred", _ALG_SRC) for b in (128, 192, 256)),
    *(SaTerm(f"{_E}AES_CBC_{b}", "algorithm", "cbc(aes)", b, "inferred", _ALG_SRC) for b in (128, 192, 256)),
    SaTerm(_A + "MD5", "auth", "hmac(md5)", None, "inferred", _ALG_SRC),
    SaTerm(_A + "SHA_1", "auth", "hmac(sha1)", None, "inferred", _ALG_SRC),
    SaTerm(_A + "SHA_256", "auth", "hmac(sha256)", None, "inferred", _ALG_SRC),
    # AES_GCM_* in the authentication mask means GMAC (rule book R28): RFC 4543 on Linux
    *(SaTerm(f"{_A}AES_GCM_{b}", "auth", "rfc4543(gcm(aes))", b, "inferred", _ALG_SRC) for b in (128, 192, 256)),
)
_TERM = {t.ndis: t for t in SA_TERMS}


def sa_from_ndis(*, esp=True, ah=False, mode="transport", ipv6=False, encryption=None, authentication=None,
                 udp_esp=None, esn=False) -> tuple[dict, list[SaTerm]]:
    """An SA described in NDIS terms (algorithms and the UDP-ESP subtype by flag macro) as the SA mapping of
    :func:`linux_can_offload`, with the :data:`SA_TERMS` used: AH (with or without ESP) becomes ``proto``
    ``ah``, which Linux cannot offload; the offload type is crypto offload. ``KeyError`` for a macro the table
    lacks."""
    names = ["ah" if ah else "esp", mode, *(["ipv6"] if ipv6 else []), *(["esn"] if esn else []),
             *(["udp_esp"] if udp_esp else []), "offload", *(m for m in (encryption, authentication) if m)]
    terms = [_TERM[n] for n in names]
    sa = {t.key: t.value for t in terms}
    enc = _TERM.get(encryption or "")
    if enc is not None and enc.key_bits:
        sa["key_bits"] = enc.key_bits
    return sa, terms


def windows_terms(frame):
    """The Linux rows of a fleet frame in Windows terms, long form: host, adapter, view, member, value, basis,
    source. Every value is derived (``basis`` = inferred or, for members Linux has no notion of, none): the
    NDIS member columns of the fleet frame itself stay <NA> on Linux rows."""
    import pandas as pd

    rows = []
    lin = frame[frame["os"] == "linux"] if "os" in frame else frame.iloc[0:0]
    for rec in lin.to_dict("records"):
        d = driver_row(_get(rec, "driver"))
        for member, value, basis, src in _derived(rec, d):
            rows.append((rec["host"], rec["adapter"], str(rec["view"]), member, value, basis, src))
    out = pd.DataFrame(rows, columns=["host", "adapter", "view", "member", "value", "basis", "source"])
    return out.astype({"host": "string", "adapter": "string", "member": "string", "basis": "string",
                       "source": "string", "value": "object"})


def _derived(rec, d: Driver | None):
    s84 = _S84 + "ethtool -k"
    yield "IPsecV2.Esp", _get(rec, "ethtool.esp-hw-offload"), "inferred", s84
    yield "IPsecV2.LsoSupported", _get(rec, "ethtool.tx-esp-segmentation"), "inferred", s84
    yield "IPsecV2.Ah", False, "none", _S84 + "Linux offloads ESP only"
    yield "IPsecV2.AhEspCombined", False, "none", _S84 + "Linux offloads ESP only"
    src = d.source if d else "no driver-table row"
    yield "IPsecV2.Transport", (None if d is None or not d.modes else "transport" in d.modes), "inferred", src
    yield "IPsecV2.Tunnel", (None if d is None or not d.modes else "tunnel" in d.modes), "inferred", src
    yield "IPsecV2.ExtendedSequenceNumbers", (None if d is None else d.esn), "inferred", src
    yield "IPsecV2.UdpEsp", (None if d is None else d.natt), "inferred", src


def explain_linux(name: str) -> str | None:
    """Text for a Linux ESP feature (``esp-hw-offload``, ``ethtool.esp-hw-offload``) or driver (``ixgbe``),
    or None when ``name`` is neither."""
    key = name.strip()
    key = key[len("ethtool."):] if key.startswith("ethtool.") else key
    feat = next((f for f in FEATURES if f.name == key.removesuffix(".fixed")), None)
    if feat is not None:
        lines = [f"{feat.name}  (Linux netdev feature {feat.kernel_flag}; ethtool -k)",
                 f"  meaning: {feat.meaning}",
                 "  shown as: 'name: on|off' with ' [fixed]' (cannot be changed), ' [requested on|off]'",
                 "  fleet columns: ethtool." + feat.name + " (hardware view: can be on; current view: is on; "
                 "inferred), ethtool." + feat.name + ".fixed",
                 f"  source: {SOURCES['netdev_features.h']}; {SOURCES['ethtool features.c']}"]
        for c in CORRESPONDENCE:
            if feat.name in c.linux.split(" ")[0] or (feat.ndis and feat.ndis in c.ndis.split(", ")):
                lines.append(f"  Windows: {c.ndis} <-> {c.linux} [{c.basis}; {c.source}]")
        if not feat.ndis:
            lines.append("  Windows: no NDIS_IPSEC_OFFLOAD_V2 member corresponds [none]")
        return "\n".join(lines)
    d = driver_row(key)
    if d is None:
        return None
    return "\n".join([
        f"{d.driver}  (Linux driver: {d.nics})",
        f"  algorithms: {', '.join(d.algorithms) or 'the active slave' + chr(39) + 's'}",
        f"  key bits: {'/'.join(map(str, d.key_bits)) or '-'}; ICV bits: {'/'.join(map(str, d.icv_bits)) or '-'}",
        (f"  modes: {', '.join(d.modes)}; ESN: {_yn(d.esn)}; NAT-T: {_yn(d.natt)}" if d.modes else
         "  modes, ESN, NAT-T: the active slave's"),
        f"  SA table: {d.sa_table}; offload: {', '.join(d.offload_types)}; directions: {', '.join(d.directions)}",
        f"  kernel: {d.kernel}", *([f"  note: {d.note}"] if d.note else []),
        f"  source: {d.source} (tests/spec/capture-formats.md §8.3)"])


def _yn(v) -> str:
    return "with a device capability" if v is None else ("yes" if v else "no")
