"""Join the Linux records of one import into one row per interface and view (run after every file is read).

- a sosreport's ``hostname`` file moves every record of that report to the host it names;
- ``ethtool -i`` (driver, firmware) is added to the interface's ``ethtool -k`` rows (both views);
- offloaded xfrm states are counted on the interface's ``current`` row (the states in force); on a host whose
  ``ip xfrm state`` was captured, an interface without offloaded states counts 0 (not <NA>);
- an interface with no ``ethtool -k`` capture gets one row of view ``unknown`` holding what was captured.
"""

from __future__ import annotations

from ...columns import XFRM_DIRECTIONS, XFRM_MODES, xfrm_column
from ..record import Remark
from .reader import is_linux_format, part_kind

__all__ = ["finish"]

_ZERO = {xfrm_column(d, m): 0 for d in XFRM_DIRECTIONS for m in XFRM_MODES}


def _sos_root_of(source: str) -> str | None:
    return source.split("/sos_commands/", 1)[0] if "/sos_commands/" in source else None


def _rehost(parts: list) -> list:
    names: dict = {}
    for r in parts:
        if part_kind(r.fmt) == "hostname":
            root, rank = r.values["sos_root"], r.values["rank"]
            if root not in names or rank < names[root][1]:
                names[root] = (r.host, rank)
    out = []
    for r in parts:
        if part_kind(r.fmt) == "hostname":
            continue
        root = _sos_root_of(r.source_file)
        if root in names:
            r = r._replace(host=names[root][0], host_from="sosreport hostname")
        out.append(r)
    return out


def finish(result) -> None:
    """Replace the Linux records of ``result`` by the joined rows (Windows records are kept as they are)."""
    if not any(map(is_linux_format, {r.fmt for r in result.records})):  # a handful of formats, many records
        return
    keep = [r for r in result.records if not is_linux_format(r.fmt)]
    parts = _rehost([r for r in result.records if is_linux_format(r.fmt)])
    xfrm_hosts = {r.host.casefold() for r in parts if part_kind(r.fmt) == "xfrm-host"}
    groups: dict = {}
    for r in parts:
        if part_kind(r.fmt) != "xfrm-host":
            groups.setdefault((r.host.casefold(), r.adapter.casefold()), []).append(r)
    rows = []
    for (host, _), g in groups.items():
        rows.extend(_merge(g, result, host in xfrm_hosts))
    result.records = keep + rows


def _merge(g: list, result, xfrm_captured: bool) -> list:
    feats = [r for r in g if part_kind(r.fmt) in ("ethtool-k", "ethtool-json-k")]
    drivers = [r for r in g if part_kind(r.fmt) == "ethtool-i"]
    states = [r for r in g if part_kind(r.fmt) == "xfrm-state"]
    drv = dict(drivers[0].values) if drivers else {}
    for d in drivers[1:]:
        if d.values.get("driver") != drv.get("driver"):
            result.remarks.append(Remark(d.source_file, d.line, f"ethtool -i of {d.adapter!r} on {d.host} names "
                                         f"driver {d.values.get('driver')!r} here but {drv.get('driver')!r} in "
                                         f"{drivers[0].source}: the first is used"))
    counts = dict(_ZERO) if xfrm_captured else {}
    for s in states:
        for k, v in s.values.items():
            counts[k] = counts.get(k, 0) + v
    if feats:
        return [r._replace(values={**r.values, **drv, **(counts if r.view == "current" else {})}) for r in feats]
    base = (drivers or states)[0]
    return [base._replace(view="unknown", values={**drv, **counts})]
