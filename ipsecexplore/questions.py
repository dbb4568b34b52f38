"""The questions a fleet engineer brings, each answered by one call on the fleet frame (tidy DataFrames).

- :func:`supported_but_off`: capabilities the hardware view has and the current view lacks, with the INF
  keyword masking that explains each (what Server Manager's best-practice scan warns about, R57);
- :func:`can_offload`: where an SA can be offloaded, and why not elsewhere (:mod:`ipsecexplore.sacheck`);
- :func:`fleet_findings`: the rule findings of every adapter view;
- :func:`sa_capacity_per_host`: SA bundles per host, physical adapters and Hyper-V vNIC budgets apart.

The :class:`~ipsecexplore.fleet.Fleet` methods of the same names call these. Adapters are matched across
views by host and name (case-insensitive); a second record of the same adapter and view is a further
adapter, paired in source order, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .columns import (
    ENABLED,
    HEADER_COLUMNS,
    KEYWORD_PREFIX,
    MODEL,
    OS,
    VIRTUAL,
    ipsecv2_members,
    is_keyword_column,
    keyword_column,
    linux_columns,
)
from .fleet_linux import LINUX_FEATURE_CAUSE, feature_columns, linux_interfaces, linux_rows, ndis_only_note
from .identity import host_key
from .pivot import adapter_of_rows, adapter_table, capabilities
from .rules.keywords import KEYWORDS, resolve_keywords
from .sacheck import CAPACITY, ROW_CHECKS, Outcome, Requirement, SaRequest, keyword_cause, row_keywords
from .scalars import plain_value as _plain

__all__ = ["adapter_views", "adapter_of_rows", "supporting_adapters", "capability_columns", "supported_but_off",
           "one_view_adapters", "can_offload", "fleet_findings", "view_findings", "sa_capacity_per_host",
           "row_values", "adapter_findings", "NOT_EXPLAINED", "NOT_REPORTED", "KINDS"]

#: ``cause`` of a gap that no keyword masking explains.
NOT_EXPLAINED = "not explained by a keyword"
#: Message of an adapter view whose capture holds no IPsecV2 member.
NOT_REPORTED = "IPsecV2 not reported: the capture holds no IPsecV2 member (R9), so no rule was checked"
_VIEWS = ("hardware", "current", "unknown")


def _records(frame: pd.DataFrame, positions: np.ndarray, columns=None) -> list[dict]:
    """Rows at ``positions`` as ``{column: value}`` dicts, <NA> as None."""
    sub = frame.iloc[positions] if columns is None else frame.iloc[positions][list(columns)]
    return [{k: _plain(v) for k, v in rec.items()} for rec in sub.astype(object).to_dict("records")]


# ------------------------------------------------------------------------------------------ pairing
def adapter_views(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per adapter: ``host``, ``adapter``, ``model``, ``virtual`` (first known over its rows) and
    the frame positions of its ``hardware``, ``current`` and ``unknown`` rows (-1 where it has none)."""
    n = len(frame)
    cols = {v: pd.Series(dtype="int64") for v in _VIEWS}
    if n == 0:
        return pd.DataFrame({"host": pd.Series(dtype="string"), "adapter": pd.Series(dtype="string"),
                             MODEL: pd.Series(dtype="string"), VIRTUAL: pd.Series(dtype="boolean"), **cols})
    host = frame["host"].astype("string").fillna("")
    name = frame["adapter"].astype("string").fillna("")
    view = frame["view"].astype("string").fillna("unknown").to_numpy(dtype=object)
    codes = adapter_of_rows(frame)
    m = int(codes.max()) + 1
    first = np.full(m, -1)
    first[codes[::-1]] = np.arange(n)[::-1]
    out = {"host": host.to_numpy(dtype=object)[first], "adapter": name.to_numpy(dtype=object)[first]}
    for col, dtype in ((MODEL, "string"), (VIRTUAL, "boolean")):
        s = frame[col] if col in frame else pd.Series([pd.NA] * n, dtype=dtype)
        known = s.notna().to_numpy()
        pick = np.full(m, -1)
        pick[codes[known][::-1]] = np.flatnonzero(known)[::-1]
        out[col] = pd.array([s.iloc[p] if p >= 0 else pd.NA for p in pick], dtype=dtype)
    for v in _VIEWS:
        pos = np.full(m, -1)
        sel = np.flatnonzero(view == v)
        pos[codes[sel]] = sel
        out[v] = pos
    df = pd.DataFrame(out)
    df["host"], df["adapter"] = df["host"].astype("string"), df["adapter"].astype("string")
    return df


def supporting_adapters(frame: pd.DataFrame, capabilities) -> np.ndarray:
    """Bool per frame row: its adapter supports every one of ``capabilities`` (boolean frame columns) in
    its hardware view (or, without one, the view it has). Every row of such an adapter is kept, so a filtered
    frame still shows what its current view has switched off."""
    views = adapter_views(frame)
    ref = views["hardware"].to_numpy()
    for v in ("unknown", "current"):
        ref = np.where(ref >= 0, ref, views[v].to_numpy())
    ok = np.ones(len(views), dtype=bool)
    for cap in capabilities:
        ok &= frame[cap].fillna(False).to_numpy(dtype=bool)[ref]
    return ok[adapter_of_rows(frame)] if len(frame) else np.zeros(0, dtype=bool)


def _adapter_keywords(frame: pd.DataFrame, views: pd.DataFrame) -> list[dict]:
    """The INF keywords of each adapter: its current row's, else its hardware row's."""
    kcols = [keyword_column(k) for k in KEYWORDS if keyword_column(k) in frame]
    out = []
    rows = {v: _records(frame, np.maximum(views[v].to_numpy(), 0), kcols) if len(frame) else []
            for v in ("current", "hardware")}
    for i in range(len(views)):
        kws: dict = {}
        for v in ("hardware", "current"):  # current last: it wins
            if views[v].iloc[i] >= 0:
                kws.update(row_keywords(rows[v][i]))
        out.append(kws)
    return out


# ------------------------------------------------------------------------------------ supported but off
def capability_columns() -> list[tuple[str, str, str]]:
    """``(column, capability, member)`` of every capability: each ``BOOLEAN`` member (capability = its
    dotted path) and each flag of the mask members (capability = the flag macro), in C order."""
    return [(c.column, c.label, c.member) for c in capabilities()]


def _linux_capabilities() -> list[tuple[str, str, str]]:
    """``(column, capability, member)`` of the Linux ESP features (capability = the ethtool name)."""
    return [(col, name, col) for col, name in feature_columns()]


def _bool_matrix(frame: pd.DataFrame, positions: np.ndarray, columns: list[str]):
    """(value, known) bool matrices [len(positions), len(columns)]; a column the frame lacks is unknown."""
    value = np.zeros((len(positions), len(columns)), dtype=bool)
    known = np.zeros_like(value)
    for j, c in enumerate(columns):
        if c in frame:
            s = frame[c].iloc[positions]
            known[:, j] = s.notna().to_numpy()
            value[:, j] = s.fillna(False).to_numpy(dtype=bool)
    return value, known


def _keyword_frame(kws: list[dict]) -> dict:
    """One ``Int64`` column per v2 keyword from per-adapter keyword dicts."""
    return {keyword_column(k): pd.array([d.get(k) for d in kws], dtype="Int64") for k in KEYWORDS}


def supported_but_off(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per adapter (with both views) and capability TRUE in its hardware view and FALSE in its
    current view: ``host``, ``adapter``, ``model``, ``virtual``, ``os``, ``capability`` (dotted member path or
    flag macro), ``member``, ``hardware``, ``current``, the adapter's keyword values (``keyword.*IPsecOffloadV2``,
    ``keyword.*IPsecOffloadV2IPv4``), ``cause`` (the keyword masking that explains it, naming R50/R51, or
    :data:`NOT_EXPLAINED`) and ``rule`` (``R51`` or <NA>). A capability unknown in either view is not a gap;
    ``attrs["unknown_current"]`` counts those TRUE in hardware whose current value is unknown. Adapters with
    one view are not here: see :func:`one_view_adapters`. Linux interfaces (``os`` = ``linux``) are here too,
    labelled by ``os``: a gap is an ESP feature that is off but not ``[fixed]`` (``capability`` the ethtool name,
    ``member`` its column, ``cause`` :data:`ipsecexplore.fleet_linux.LINUX_FEATURE_CAUSE`)."""
    views = adapter_views(frame)
    both = views[(views["hardware"] >= 0) & (views["current"] >= 0)].reset_index(drop=True)
    caps = capability_columns() + _linux_capabilities()
    cols = [c for c, _, _ in caps]
    hv, hk = _bool_matrix(frame, both["hardware"].to_numpy(), cols)
    cv, ck = _bool_matrix(frame, both["current"].to_numpy(), cols)
    gap = hv & hk & ~cv & ck
    ai, ci = np.nonzero(gap)
    kws = _adapter_keywords(frame, both)
    states = [resolve_keywords(k) for k in kws]
    causes = [keyword_cause(caps[c][2], states[a]) for a, c in zip(ai, ci)]
    is_lin = linux_rows(frame)[both["hardware"].to_numpy()][ai] if len(ai) else np.zeros(0, dtype=bool)
    out = pd.DataFrame({
        "host": both["host"].iloc[ai].to_numpy(), "adapter": both["adapter"].iloc[ai].to_numpy(),
        MODEL: both[MODEL].iloc[ai].to_numpy(), VIRTUAL: both[VIRTUAL].iloc[ai].to_numpy(),
        OS: pd.array(np.where(is_lin, "linux", "windows"), dtype="string"),
        "capability": pd.array([caps[c][1] for c in ci], dtype="string"),
        "member": pd.array([caps[c][2] for c in ci], dtype="string"),
        "hardware": pd.array(np.ones(len(ai), dtype=bool), dtype="boolean"),
        "current": pd.array(np.zeros(len(ai), dtype=bool), dtype="boolean"),
        **_keyword_frame([kws[a] for a in ai]),
        "cause": pd.array([LINUX_FEATURE_CAUSE if lin else c or NOT_EXPLAINED for c, lin in zip(causes, is_lin)],
                          dtype="string"),
        "rule": pd.array(["R51" if c else pd.NA for c in causes], dtype="string"),
    })
    for c, dtype in (("host", "string"), ("adapter", "string"), (MODEL, "string"), (VIRTUAL, "boolean")):
        out[c] = out[c].astype(dtype)
    out.attrs["unknown_current"] = int((hv & hk & ~ck).sum())
    out.attrs["one_view"] = int(((views["hardware"] >= 0) != (views["current"] >= 0)).sum()
                                + ((views["hardware"] < 0) & (views["current"] < 0)).sum())
    return out


def one_view_adapters(frame: pd.DataFrame) -> pd.DataFrame:
    """Adapters that :func:`supported_but_off` cannot judge because the fleet lacks one of their views:
    ``host``, ``adapter``, ``model``, ``virtual``, ``os``, ``views`` (the views captured, e.g. ``hardware``) and
    ``source`` of the row that was captured. Never read as "nothing switched off"."""
    views = adapter_views(frame)
    lone = views[~((views["hardware"] >= 0) & (views["current"] >= 0))].reset_index(drop=True)
    have = [", ".join(v for v in _VIEWS if lone[v].iloc[i] >= 0) for i in range(len(lone))]
    pos = [max(int(lone[v].iloc[i]) for v in _VIEWS) for i in range(len(lone))]
    src = frame["source"].iloc[pos].astype("string").to_numpy() if len(lone) else []
    lin = linux_rows(frame)[pos] if len(lone) else np.zeros(0, dtype=bool)
    return pd.DataFrame({"host": lone["host"], "adapter": lone["adapter"], MODEL: lone[MODEL],
                         VIRTUAL: lone[VIRTUAL], OS: pd.array(np.where(lin, "linux", "windows"), dtype="string"),
                         "views": pd.array(have, dtype="string"),
                         "source": pd.array(src, dtype="string")})


# ------------------------------------------------------------------------------------------- can offload
def can_offload(frame: pd.DataFrame, request: SaRequest, *, view: str = "current") -> pd.DataFrame:
    """One row per adapter row of ``view``: ``host``, ``adapter``, ``model``, ``virtual``, ``view``, ``os``,
    ``offloadable`` (True; False when a requirement is known missing; <NA> when none is missing but one
    cannot be told from the capture), ``reasons`` (``; ``-joined, each naming the member and the rule, or for
    a Linux row the feature or driver-table field and the section of tests/spec/capture-formats.md §8),
    ``missing`` and ``unknown`` (the members concerned), ``rests_on_driver_table`` (True when what decides the
    answer — the missing requirements of a False, the unknown ones of an <NA>, the met ones of a True — was
    read from the Linux driver table, :data:`ipsecexplore.crossos.DRIVERS`, rather than from the capture) and
    ``source``. The check is chosen by the ``os`` column (:data:`ipsecexplore.sacheck.ROW_CHECKS`; Windows
    when the frame has none)."""
    if view not in _VIEWS:
        from .errors import InputError

        raise InputError("view must be hardware, current or unknown", path="view", actual=view)
    pos = np.flatnonzero((frame["view"].astype("string") == view).fillna(False).to_numpy(dtype=bool))
    cols: dict[str, list] = {k: [] for k in (OS, "offloadable", "reasons", "missing", "unknown", "driver")}
    for row in _records(frame, pos):
        os_name = str(row.get(OS) or "windows").lower()
        check = ROW_CHECKS.get(os_name)
        if check is None:
            outs = [Outcome(Requirement("os", None, "", "anything"), "unknown",
                            f"no requirement check for os {os_name!r}")]
        else:
            outs = check(row, request, view)
        order = {"missing": 0, "unknown": 1}
        outs = sorted(outs, key=lambda o: order.get(o.state, 2))  # known missing first, then unknown
        gone = [o.requirement.member for o in outs if o.state == "missing"]
        unsure = [o.requirement.member for o in outs if o.state == "unknown"]
        cols[OS].append(os_name)
        cols["offloadable"].append(False if gone else pd.NA if unsure else True)
        cols["reasons"].append("; ".join(o.reason for o in outs))
        cols["missing"].append(", ".join(dict.fromkeys(gone)))
        cols["unknown"].append(", ".join(dict.fromkeys(unsure)))
        deciding = "missing" if gone else "unknown" if unsure else "met"  # what the answer rests on
        cols["driver"].append(any(o.driver_table for o in outs if o.state == deciding))
    sub = frame.iloc[pos]
    out = pd.DataFrame({
        "host": sub["host"].astype("string").array, "adapter": sub["adapter"].astype("string").array,
        MODEL: _col(sub, MODEL, "string"), VIRTUAL: _col(sub, VIRTUAL, "boolean"),
        "view": pd.array([view] * len(pos), dtype="string"), OS: pd.array(cols[OS], dtype="string"),
        **{k: pd.array(cols[k], dtype="boolean" if k == "offloadable" else "string")
           for k in ("offloadable", "reasons", "missing", "unknown")},
        "rests_on_driver_table": pd.array(cols["driver"], dtype="boolean"),
        "source": sub["source"].astype("string").array})
    out.attrs["sa"] = request.describe()
    return out


def _col(sub: pd.DataFrame, col: str, dtype: str):
    return sub[col].astype(dtype).array if col in sub else pd.array([pd.NA] * len(sub), dtype=dtype)


# ---------------------------------------------------------------------------------------------- findings
def view_findings(values: Mapping, *, hardware: Mapping | None = None):
    """Rule findings of one adapter view given as ``{dotted path: value}`` (None = not captured).

    Members the capture lacks are not read as 0: a check that needs one is listed as not checked. With
    ``hardware`` (the same adapter's hardware view) the hardware-versus-current rules run too (R48, R57).
    Returns ``(Findings or None, note)``; None with the note when nothing could be checked."""
    from .errors import IpsecExploreError
    from .rules import validate

    def block(vals: Mapping) -> dict:
        return {k: v for k, v in vals.items() if k.startswith("IPsecV2.") and _plain(v) is not None}

    current = block(values)
    if not current:
        return None, NOT_REPORTED
    context = {"structure": "NDIS_OFFLOAD", "missing": "unknown"}
    if hardware is not None and block(hardware):
        context["hardware"] = block(hardware)
    try:
        return validate(current, context), ""
    except IpsecExploreError as exc:
        return None, f"not checked: {exc}"


def fleet_findings(frame: pd.DataFrame) -> pd.DataFrame:
    """Rule findings of every adapter view: ``adapter_key`` (the adapter's position in
    :func:`adapter_views`), ``host``, ``adapter``, ``view`` (``hardware``, ``current``, ``unknown``, or
    ``keywords`` for the INF keyword rules), ``rule``, ``severity`` (``error``/``warning``/``info``, or ``not
    checked`` for a rule that needs a member the capture lacks and for a view without any IPsecV2 member),
    ``basis``, ``members``, ``message`` and ``source``. The current view is checked against the hardware view
    (R48, R57) when the adapter has both. Linux interfaces have no rows (the rule book is NDIS's):
    ``attrs["linux_interfaces"]`` counts them and ``attrs["note"]`` says so."""
    from .rules import validate_keywords
    from .rules.base import RULES

    views = adapter_views(frame)
    members = [m for m in ipsecv2_members() if m in frame]
    recs = _records(frame, np.arange(len(frame)), members) if len(frame) else []
    kws = _adapter_keywords(frame, views)
    lin = linux_rows(frame)
    cache: dict = {}
    out = []
    for i, a in enumerate(views.itertuples(index=False)):
        if lin[max(a.hardware, a.current, a.unknown)]:  # a Linux interface: the NDIS rule book does not apply
            continue
        hw = recs[a.hardware] if a.hardware >= 0 else None
        for v in _VIEWS:
            pos = getattr(a, v)
            if pos < 0:
                continue
            vals, against = recs[pos], (hw if v == "current" else None)
            key = (tuple(vals.items()), tuple(against.items()) if against else None)
            if key not in cache:
                cache[key] = view_findings(vals, hardware=against)
            found, note = cache[key]
            base = dict(adapter_key=i, host=a.host, adapter=a.adapter, view=v, source=str(frame["source"].iloc[pos]))
            if found is None:
                out.append(dict(base, rule=pd.NA, severity="not checked", basis=pd.NA, members="", message=note))
                continue
            out += [dict(base, rule=x.rule, severity=x.severity, basis=x.basis, members=", ".join(x.members),
                         message=x.message) for x in found.sorted()]
            out += [dict(base, rule=r, severity="not checked", basis=RULES[r].basis if r in RULES else pd.NA,
                         members="", message=why) for r, why in found.skipped]
        if kws[i]:
            kkey = ("keywords", tuple(sorted(kws[i].items())))
            if kkey not in cache:
                cache[kkey] = validate_keywords({k: str(v) for k, v in kws[i].items()}).sorted()
            out += [dict(adapter_key=i, host=a.host, adapter=a.adapter, view="keywords", source="", rule=x.rule,
                         severity=x.severity, basis=x.basis, members=", ".join(x.members), message=x.message)
                    for x in cache[kkey]]
    cols = ["adapter_key", "host", "adapter", "view", "rule", "severity", "basis", "members", "message", "source"]
    df = pd.DataFrame(out, columns=cols)
    df["adapter_key"] = df["adapter_key"].astype("int64")
    for c in cols[1:]:
        df[c] = df[c].astype("string")
    df.attrs["linux_interfaces"] = n = linux_interfaces(frame)
    df.attrs["note"] = ndis_only_note(n, "checked")
    return df



def adapter_findings(fleet) -> pd.DataFrame:
    """Rule findings of every adapter (:func:`fleet_findings`) with the adapter's chart ``label``: one row per
    finding with adapter_key, label, host, adapter, view, source, rule, severity, basis, members, message, and
    rows for rules not checked (``severity`` ``not checked``) with the reason. ``fleet``: a
    :class:`~ipsecexplore.fleet.Fleet`, its frame or its :func:`~ipsecexplore.pivot.adapter_table`. Linux
    interfaces have none (the rule book is NDIS's; the report's Linux section covers them)."""
    t = adapter_table(fleet)
    fd = fleet_findings(t.frame)  # the table's rows (Linux rows left out), so adapter_key is a table position
    fd.insert(1, "label", t.adapters["label"].to_numpy(dtype=object)[fd["adapter_key"].to_numpy()])
    fd["rule"] = fd["rule"].fillna("")
    cols = ["adapter_key", "label", "host", "adapter", "view", "source", "rule", "severity", "basis", "members",
            "message"]
    return fd[cols]


def row_values(row) -> dict:
    """``{path: value}`` of one fleet-frame row: the ``IPsecV2.*`` members (flag columns are derived from
    them and left out), ``Header.Revision`` and ``Flags`` where captured, every keyword column and
    the CIM ``Enabled`` switch; ``os`` where the frame has it, and for a Linux row its own columns (driver,
    firmware, ``ethtool.*``, ``xfrm.states.*``). ``<NA>`` becomes None (unknown)."""
    out = {p: _plain(row[p]) for p in ipsecv2_members() + list(HEADER_COLUMNS) if p in row.index}
    out.update({str(c): _plain(row[c]) for c in row.index if is_keyword_column(c) or c == ENABLED})
    if OS in row.index and _plain(row[OS]) is not None:
        out[OS] = _plain(row[OS])
        if out[OS] == "linux":  # its own columns: the NDIS members of a Linux row are <NA> by design
            out.update({c: _plain(row[c]) for c, _ in linux_columns() if c in row.index})
    if out.get("Header.Revision") is None:
        out.pop("Header.Revision", None)  # only raw captures have a header; absent is not "unknown"
    if out.get("Flags") is None and "Header.Revision" not in out:
        out.pop("Flags", None)
    return out

# ------------------------------------------------------------------------------------------- SA capacity
#: ``kind`` values of :func:`sa_capacity_per_host`.
KINDS = ("physical", "Hyper-V vNIC budget", "not known whether virtual")


def _usable_capacity(row: Mapping, view: str):
    """SA bundles an adapter row can take: its SaOffloadCapacity when AH or ESP is on (after the keyword
    masking of the current view, R51), 0 when both are known off, None when that cannot be told."""
    state = resolve_keywords(row_keywords(row)) if view == "current" else None
    on = []
    for m in ("IPsecV2.Ah", "IPsecV2.Esp"):
        v = row.get(m)
        if state is not None and keyword_cause(m, state) is not None:
            v = False
        on.append(v)
    if any(v is True for v in on):
        cap = row.get(CAPACITY)
        return None if cap is None else int(cap)
    return 0 if all(v is False for v in on) else None


def sa_capacity_per_host(frame: pd.DataFrame, *, view: str = "current") -> pd.DataFrame:
    """SA bundles each host can offload in ``view``, by kind of adapter: one row per host and kind
    (:data:`KINDS`) present, with ``host``, ``view``, ``kind``, ``adapters``, ``bundles`` (the sum of the known
    ``SaOffloadCapacity`` of adapters with AH or ESP on; R30: the capacity counts SA bundles) and ``unknown``
    (adapters whose capacity, or whether AH or ESP is on, the capture cannot tell: ``bundles`` is then a
    lower bound). A Hyper-V vNIC's value is the per-vNIC budget set on the host
    (``Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation``, 0 disables it; tests/spec/adapters.md A4); it
    draws on the physical NIC behind the switch, so the budgets are shown apart, never added to it. Linux
    interfaces are not counted (no SaOffloadCapacity; the SA table is the driver's, not exported,
    tests/spec/capture-formats.md §8.4): ``attrs["linux_interfaces"]`` and ``attrs["note"]`` say how many."""
    in_view = (frame["view"].astype("string") == view).fillna(False).to_numpy(dtype=bool)
    pos = np.flatnonzero(in_view & ~linux_rows(frame))
    cols = [c for c in frame.columns if str(c).startswith(("IPsecV2.Ah", "IPsecV2.Esp", KEYWORD_PREFIX))
            or c in (CAPACITY, VIRTUAL, "host")]
    rows = _records(frame, pos, cols)
    acc: dict = {}
    for row in rows:
        virt = row.get(VIRTUAL)
        kind = KINDS[2] if virt is None else KINDS[1] if virt else KINDS[0]
        host = row.get("host") or ""
        key = (host_key(host), KINDS.index(kind))
        entry = acc.setdefault(key, [host, kind, 0, 0, 0])
        cap = _usable_capacity(row, view)
        entry[2] += 1
        if cap is None:
            entry[4] += 1
        else:
            entry[3] += cap
    data = [acc[k] for k in sorted(acc)]
    out = pd.DataFrame({
        "host": pd.array([d[0] for d in data], dtype="string"), "view": pd.array([view] * len(data), dtype="string"),
        "kind": pd.Categorical([d[1] for d in data], categories=list(KINDS)),
        "adapters": pd.array([d[2] for d in data], dtype="Int64"),
        "bundles": pd.array([d[3] for d in data], dtype="Int64"),
        "unknown": pd.array([d[4] for d in data], dtype="Int64")})
    out.attrs["linux_interfaces"] = n = linux_interfaces(frame[in_view])
    out.attrs["note"] = ndis_only_note(n, "counted (their driver's SA table is not exported; see crossos.DRIVERS)")
    return out
