"""sosreport folders and archives (tests/spec/capture-formats.md §8.1).

sos writes one file per command under ``sos_commands/<plugin>/``, named after the command with spaces as ``_``.
The networking plugin runs ``ethtool -k``/``-i`` per interface (``ethtool_-k_eth0``, ``ethtool_-i_eth0``;
https://github.com/sosreport/sos/blob/main/sos/report/plugins/networking.py), the libreswan plugin ``ip xfrm
state``/``policy`` (``sos_commands/libreswan/ip_xfrm_state``, key material replaced by ``********``;
https://github.com/sosreport/sos/blob/main/sos/report/plugins/libreswan.py) and the host plugin ``hostname``
(``sos_commands/host/hostname``, linked as ``hostname`` at the top;
https://github.com/sosreport/sos/blob/main/sos/report/plugins/host.py). The archive
``sosreport-<host>[-<label>]-<date>-<random>.tar.xz`` holds one top folder of the same name.
"""

from __future__ import annotations

import re
import tarfile
from pathlib import Path

from ...errors import InputError
from ..textio import FileTooLarge, check_size

__all__ = ["sos_root", "sos_command", "sos_unused", "folder_host", "is_tar_name", "tar_members",
           "HOSTNAME_FILES"]

#: Files holding the host name, relative to the sos root, most trusted first.
HOSTNAME_FILES = (("sos_commands", "host", "hostname"), ("hostname",), ("etc", "hostname"))
_NETWORKING = re.compile(r"^ethtool_(?P<opt>-k|-i)_(?P<iface>\S+)$")
_LIBRESWAN = {"ip_xfrm_state": "ip xfrm state", "ip_xfrm_policy": "ip xfrm policy"}
_TAR_SUFFIXES = (".tar", ".tar.xz", ".txz", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2")


def sos_root(parts: tuple) -> tuple | None:
    """The path parts of the sos report folder a file belongs to, or None when it is not in one."""
    if "sos_commands" in parts[:-1]:
        return parts[:parts.index("sos_commands")]
    for i in range(len(parts) - 2, -1, -1):  # a folder named sosreport-… (not the archive holding it)
        if parts[i].startswith("sosreport-") and not is_tar_name(parts[i]):
            return parts[:i + 1]
    return None


def sos_command(parts: tuple) -> str | None:
    """The command a sos file holds the output of (``ethtool -k eth0``, ``ip xfrm state``, ``hostname``), or
    None for every other file of a sos report."""
    root = sos_root(parts)
    if root is None:
        return None
    rel = parts[len(root):]
    if rel in HOSTNAME_FILES:
        return "hostname"
    if len(rel) == 3 and rel[:2] == ("sos_commands", "networking"):
        m = _NETWORKING.match(rel[2])
        if m:
            return f"ethtool {m.group('opt')} {m.group('iface')}"
    if len(rel) == 3 and rel[:2] == ("sos_commands", "libreswan"):
        return _LIBRESWAN.get(rel[2])
    return None


def sos_unused(parts: tuple) -> str | None:
    """Why a file of a sos report is skipped unread, or None (not in a sos report, or a file that is read)."""
    if sos_root(parts) is None or sos_command(parts) is not None:
        return None
    return ("sosreport file not used (ipsecexplore reads sos_commands/networking/ethtool_-k_*, ethtool_-i_*, "
            "sos_commands/libreswan/ip_xfrm_state, ip_xfrm_policy and hostname); not read")


def folder_host(root: tuple) -> str | None:
    """The host part of a ``sosreport-<host>[-<label>]-<date>-<random>`` folder name (with the label when
    there is one: the name alone cannot tell them apart), or None."""
    name = root[-1] if root else ""
    m = re.match(r"^sosreport-(?P<host>.+?)(?:-\d{4}-\d{2}-\d{2})?(?:-[A-Za-z0-9]{6,})?$", name)
    return m.group("host") if m and m.group("host") else None


def is_tar_name(name: str) -> bool:
    """True for the tar archive names that are opened (``.tar``, ``.tar.xz``, ``.tar.gz`` …)."""
    return name.lower().endswith(_TAR_SUFFIXES)


def tar_members(path: Path, display: str, size_limit: int | None,
                budget: int | None = None) -> list[tuple[str, int, object]]:
    """``[(display path, size, read(limit) -> bytes), ...]`` of the regular files in a tar archive, read in one
    pass: a file of a sos report the importer does not use is not read (its ``read`` refuses). Raises
    :class:`InputError` when the archive cannot be read. ``budget``: the most bytes kept in all; a member
    past it is refused (:class:`FileTooLarge` naming it), so that a small archive cannot fill the memory."""
    out = []
    kept = 0
    try:
        with tarfile.open(path, "r|*") as tf:
            for m in tf:
                if not m.isfile():
                    continue  # folders, and sos's top-level symlinks to files it holds anyway
                name = m.name.lstrip("./")
                shown = f"{display}/{name}"
                parts = Path(shown).parts
                if sos_unused(parts) or (size_limit is not None and m.size > size_limit):
                    out.append((shown, m.size, _refusing(shown, m.size)))
                    continue
                if budget is not None and kept + m.size > budget:
                    out.append((shown, m.size, _over_budget(shown, budget)))
                    continue
                fh = tf.extractfile(m)
                data = fh.read() if fh is not None else b""
                kept += len(data)
                out.append((shown, m.size, lambda limit, d=data, s=shown: (check_size(len(d), limit, s), d)[1]))
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise InputError(f"not a readable tar archive: {exc}", source=display) from None
    return out


def _over_budget(shown: str, budget: int):
    def read(limit):
        raise FileTooLarge(f"tar member not read: the archive members kept by this import would exceed {budget} "
                           "bytes in all (four times the size limit)", source=shown)
    read.refuses = True  # not kept: it does not count against the budget
    return read


def _refusing(shown: str, size: int):
    def read(limit):
        check_size(size, limit, shown)
        raise InputError("tar member not kept when the archive was read", source=shown)
    read.refuses = True
    return read
