"""One self-contained HTML report of a fleet: summary, every chart, rule findings per adapter, rejected records.

    ipsecexplore report data/ -o build/report.html

The file opens offline: charts are embedded as ``data:`` images (SVG by default, PNG on request), the CSS
is inline, and there is no script, font, ``@import``, ``url()`` or link to fetch. The one URL in the file is
the SVG namespace ``http://www.w3.org/2000/svg`` of each embedded SVG: an XML name that is never fetched,
and without which a browser does not draw the image (:func:`ipsecexplore.charts.to_svg` removes every
other: metadata, DOCTYPE, XLink namespace). Every string that comes from a capture (adapter
names, descriptions, hosts, file names, reasons, provenance) is HTML-escaped, so an adapter named
``<img src=x onerror=alert(1)>`` shows as that text.
"""

from __future__ import annotations

import base64
import os
import sys
import time
import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import __version__, charts, questions
from .columns import OS, keyword_columns
from .errors import InputError
from .fleet_linux import linux_interfaces, linux_rows, ndis_only_note
from .htmltable import Cell, html_table
from .identity import adapter_key, host_key, name_key
from .pivot import adapter_table
from .report_linux import linux_section
from .text import html_text, visible

__all__ = ["build_report", "write_report", "add_report_command", "run_report", "adapter_findings", "CHART_TEXT"]

e = html_text

#: Caption of each chart in the report.
CHART_TEXT = {
    "capability_matrix": "Every adapter (rows) against every IPsecV2 BOOLEAN member and flag (columns), hardware "
                         "and current view overlaid. Red with × = supported by the hardware but off in the current "
                         "configuration (usually the *IPsecOffloadV2 keyword); grey = not captured.",
    "algorithm_coverage": "How many adapters support each authentication and encryption algorithm and UDP-ESP "
                          "mode, per view.",
    "capability_sets": "Distinct capability sets of the hardware view (bars: adapters with that set; dots: "
                       "the capabilities in it; hollow = unknown).",
    "hardware_gap": "Per host: capabilities the hardware offers that the current configuration has switched off.",
    "adapter_similarity": "Jaccard distance between the adapters' hardware capability sets, clustered.",
    "sa_capacity": "Distribution of IPsecV2.SaOffloadCapacity per view. Hyper-V vNIC rows are cross-hatched: "
                   "their value is a per-vNIC SA budget set on the host, not a hardware figure.",
    "sa_capacity_per_host": "SA bundles each host can offload in the current view: physical adapters, and apart "
                            "from them the Hyper-V vNICs' per-vNIC budgets, which draw on the physical NIC behind "
                            "the switch.",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px;color:#222;
max-width:1500px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f5f5f5}
td.num{text-align:right}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
figure{margin:16px 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:12px;color:#555;max-width:1000px}
.error{color:#c62828;font-weight:bold}.warning{color:#e65100;font-weight:bold}.info{color:#1565c0}
.muted{color:#777}.small{font-size:11px}
details{margin:2px 0}summary{cursor:pointer}
.toc a{margin-right:14px}
"""


# ------------------------------------------------------------------------------------------- helpers
def _table(df: pd.DataFrame, columns: Iterable[str], *, numeric: Iterable[str] = (), limit: int | None = None,
           css: str = "") -> str:
    cols = list(columns)
    num = set(numeric)
    shown = df if limit is None else df.head(limit)
    body = ([Cell(v, css="num") if c in num else v for c, v in zip(cols, rec)]
            for rec in shown[cols].itertuples(index=False, name=None))
    more = (f'<p class="muted">… {len(df) - limit} more rows not shown here (the full list is in the fleet '
            "frame: ipsecexplore import).</p>") if limit is not None and len(df) > limit else ""
    return html_table(body, cols, css=css) + more


def _img(fig, fmt: str) -> str:
    if fmt == "png":
        data, mime = charts.to_png(fig), "image/png"
    else:
        data, mime = charts.to_svg(fig).encode("utf-8"), "image/svg+xml"
    # A data: image cannot run script or fetch anything, whatever text the chart holds.
    return f'<img alt="" src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}">'


# ------------------------------------------------------------------------------------------- findings
def adapter_findings(fleet) -> pd.DataFrame:
    """Deprecated alias (to be removed in the next release) of :func:`ipsecexplore.questions.adapter_findings`."""
    warnings.warn("ipsecexplore.report.adapter_findings is deprecated; use ipsecexplore.questions.adapter_findings",
                  DeprecationWarning, stacklevel=2)
    return questions.adapter_findings(fleet)


# ---------------------------------------------------------------------------------------------- build
def build_report(paths, *, fleet=None, title: str | None = None, image_format: str = "svg",
                 progress=False) -> str:
    """The HTML report of the captures under ``paths`` (files, folders, zips) as one string.

    ``fleet``: an already loaded :class:`~ipsecexplore.fleet.Fleet` (then ``paths`` only names the
    inputs in the heading). ``image_format``: ``svg`` (default; text stays text) or ``png``."""
    from .fleet import load_fleet

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [str(p) for p in paths]
    if image_format not in ("svg", "png"):
        raise ValueError(f"image_format must be 'svg' or 'png', not {image_format!r}")
    if fleet is None:
        fleet = load_fleet(paths, progress=progress)
    f = fleet.frame
    table = adapter_table(fleet)
    title = title or "ipsecexplore fleet report"
    parts = [f"<h1>{e(title)}</h1>",
             f'<p class="muted">Inputs: {", ".join(f"<code>{e(p)}</code>" for p in paths)} · ipsecexplore '
             f"{e(__version__)}</p>",
             '<p class="toc"><a href="#summary">Summary</a><a href="#charts">Charts</a><a href="#adapters">Adapters</a>'
             '<a href="#findings">Rule findings</a><a href="#linux">Linux</a><a href="#rejected">Rejected records</a>'
             + ('<a href="#remarks">Remarks on loaded records</a>' if len(_remarks(fleet)) else "")
             + '<a href="#skipped">Skipped files</a></p>']
    parts.append(_summary(fleet, table))
    t0 = time.perf_counter()
    parts.append(_charts_section(table, image_format))
    chart_seconds = time.perf_counter() - t0
    parts.append(_adapters_section(f, table))
    parts.append(_findings_section(questions.adapter_findings(table), table))
    parts.append(linux_section(fleet, lambda fig: _img(fig, image_format)))  # issue 15: ipsecexplore.report_linux
    parts.append(_rejected_section(fleet))
    parts.append(f'<p class="muted small">Charts drawn in {chart_seconds:.1f} s.</p>')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


def _summary(fleet, table) -> str:
    f = fleet.frame
    views = f.groupby("view", observed=True).size() if len(f) else pd.Series(dtype=int)
    items = [("adapters (host + name)", fleet.adapters), ("hosts", fleet.hosts), ("rows (adapter × view)", len(f))]
    items += [(f"rows in the {v} view", int(n)) for v, n in views.items()]
    items += [("files read", getattr(fleet.result, "files_read", "")), ("rejected records", len(fleet.rejected)),
              ("duplicate rows (same host, adapter and view)", len(fleet.duplicates)),
              ("files skipped", len(fleet.skipped)),
              ("keyword rows without an adapter record", len(fleet.unmatched_keywords))]
    rows = html_table([Cell(k, header=True), Cell(v, css="num")] for k, v in items)
    out = [f'<h2 id="summary">Summary</h2><p>{e(fleet.summary())}</p>', *_data_notes(f), *_missing_note(table),
           rows]
    if len(f):
        per = _per_host(f, table)
        numeric = [c for c in per.columns if c not in ("host", OS)]
        out.append("<h3>Per host</h3>" + _table(per, per.columns, numeric=numeric))
    return "\n".join(out)


def _data_notes(f: pd.DataFrame) -> list[str]:
    """What the reader must know before reading a number: sample rows (from the provenance column, as every
    chart labels them; tests/spec/adapters.md B1) and Hyper-V vNIC rows, whose SA capacity is a budget (B3)."""
    out = []
    sample = charts.sample_rows(f)
    if sample:
        out.append(f'<p class="warning">{e(sample.label)}.</p><p>Illustrative values are guesses or choices made '
                   "for a sample, not measurements of a real adapter; the provenance column of the Adapters "
                   "table says which values of each row are sourced. Every chart carries this label.</p>")
    nlin = linux_interfaces(f)
    if nlin:
        out.append(f"<p>{e(ndis_only_note(nlin, 'in the charts, the rule findings or the SA capacity'))}. The "
                   'per-host table and the Adapters table label them by <code>os</code>; the '
                   '<a href="#linux">Linux section</a> reads them.</p>')
    vnic = int(charts.hyperv_vnic_rows(f).sum())
    if vnic:
        out.append(f"<p>{vnic} row{'s are' if vnic != 1 else ' is a'} Hyper-V vNIC{'s' if vnic != 1 else ''} "
                   "(description “Hyper-V …” or name “vEthernet (…)”): "
                   f"{e(charts.SA_CAPACITY)} is then a per-vNIC SA budget set on the Hyper-V host "
                   "(Set-VMNetworkAdapter -IPsecOffloadMaximumSecurityAssociation), not a hardware figure; the "
                   "sa_capacity chart cross-hatches these rows.</p>")
    return out


def _missing_note(table) -> list[str]:
    """The adapters whose capture holds no IPsecV2 member (revision-1 NDIS_OFFLOAD, NDIS_WMI_OFFLOAD block):
    the charts draw them as unknown and tag them; the summary names each with where it came from."""
    a = table.adapters
    if not len(a) or "no_ipsecv2" not in a or not a["no_ipsecv2"].any():
        return []
    f = table.frame
    items = []
    for i in np.flatnonzero(a["no_ipsecv2"].to_numpy(dtype=bool)):
        where = []
        for positions in table.rows.values():
            pos = int(positions[i])
            if pos >= 0:
                src = f["source"].iloc[pos] if "source" in f else ""
                rev = f["Header.Revision"].iloc[pos] if "Header.Revision" in f else pd.NA
                where.append(f"{'' if pd.isna(src) else src}"
                             + ("" if pd.isna(rev) else f", Header.Revision {int(rev)}"))
        items.append(f"<li>{e(a['label'].iloc[i])} — <code>{e('; '.join(where))}</code></li>")
    n = len(items)
    return [f'<p class="warning">{n} adapter{"s" if n != 1 else ""} with {e(charts.NOT_REPORTED)}: the capture '
            "holds no IPsecV2 member (a revision-1 NDIS_OFFLOAD, which predates IPsecOV2, or an NDIS_WMI_OFFLOAD "
            "block, which NDIS fills only with revision-1 members). Their capabilities are unknown, not 'supports "
            "nothing': the charts draw every cell as unknown and tag them, and no rule was checked.</p>"
            f"<ul>{''.join(items)}</ul>"]


def _per_host(f: pd.DataFrame, table) -> pd.DataFrame:
    """One row per host: its ``os``, distinct adapters (an adapter captured several times counts once; the
    further captures are counted apart), how many of them have a capability switched off (on Linux: an ESP
    feature off but not [fixed]), the capture formats."""
    a = table.adapters
    hkey = host_key(a["host"])
    gap = np.zeros(len(a), dtype=bool)
    if "hardware" in table.views and "current" in table.views:
        hv, hk = table.views["hardware"]
        cv, ck = table.views["current"]
        gap = (hv & hk & ~cv & ck).any(axis=1)
    record = a["record"].to_numpy() if "record" in a else np.ones(len(a), dtype=int)
    # the table numbers repeated captures of one adapter as further records: fold them into one adapter
    akey = adapter_key(a["host"], a["adapter"])
    per_adapter = pd.DataFrame({"host": a["host"].astype(str), "key": hkey, "akey": akey, "gap": gap,
                                "repeat": record > 1}).groupby("akey", sort=False).agg(
        host=("host", "first"), key=("key", "first"), gap=("gap", "any"), repeat=("repeat", "sum"))
    out = per_adapter.groupby("key", sort=True).agg(host=("host", "first"), adapters=("host", "size"),
                                                     **{"adapters with capabilities switched off": ("gap", "sum"),
                                                        "repeated captures": ("repeat", "sum")})
    out.insert(1, OS, "windows")
    out = pd.concat([out, _linux_per_host(f)]).sort_index()
    if not out["repeated captures"].any():
        out = out.drop(columns="repeated captures")
    fmt = f.assign(key=host_key(f["host"])).groupby("key")["format"].agg(
        lambda s: ", ".join(sorted({str(x) for x in s.dropna()}))) if "format" in f else None
    if fmt is not None:
        out["formats"] = fmt.reindex(out.index).fillna("")
    return out.reset_index(drop=True)


def _linux_per_host(f: pd.DataFrame) -> pd.DataFrame:
    """The per-host rows of the Linux interfaces (labelled ``os`` linux, indexed by host key): interfaces, and
    those with an ESP feature that is off but can be switched on (Fleet.supported_but_off's Linux rows)."""
    from .questions import supported_but_off

    lin = f[linux_rows(f)]
    if not len(lin):
        return pd.DataFrame()
    key = host_key(lin["host"])
    names = adapter_key(lin["host"], lin["adapter"])
    gaps = supported_but_off(lin)
    off = adapter_key(gaps["host"], gaps["adapter"]).groupby(host_key(gaps["host"])).nunique()
    out = pd.DataFrame({"host": lin["host"].groupby(key).first(), OS: "linux",
                        "adapters": names.groupby(key).nunique()})
    out["adapters with capabilities switched off"] = off.reindex(out.index).fillna(0).astype(int)
    out["repeated captures"] = 0
    return out


def _charts_section(table, image_format: str) -> str:
    out = ['<h2 id="charts">Charts</h2>']
    for name, fn in charts.CHARTS.items():
        try:
            fig = fn(table)
            img = _img(fig, image_format)
        except Exception as exc:  # noqa: BLE001 - one broken chart must not hide the rest of the report
            img = f'<p class="error">This chart could not be drawn: {e(type(exc).__name__)}: {e(str(exc))}</p>'
        out.append(f'<figure id="chart-{e(name)}">{img}<figcaption><b>{e(name)}</b>: {e(CHART_TEXT.get(name, ""))}'
                   "</figcaption></figure>")
    return "\n".join(out)


def _adapters_section(f: pd.DataFrame, table) -> str:
    if not len(f):
        return '<h2 id="adapters">Adapters</h2><p>No adapter was imported.</p>'
    cols = [c for c in ("host", "adapter", OS, "description", "view", "source", "format", "provenance") if c in f]
    kw = keyword_columns(f.columns)
    df = f[cols + kw].copy()
    df = df.sort_values(["host", "adapter", "view"], key=lambda s: s.astype("string").str.casefold())
    return (f'<h2 id="adapters">Adapters</h2><p>Every imported row ({len(f)}: one per adapter per view), '
            "with where it came from and how its values were obtained.</p>"
            + _table(df, cols + kw, css="small"))


def _findings_section(fd: pd.DataFrame, table) -> str:
    out = ['<h2 id="findings">Rule findings per adapter</h2>']
    if table.linux_interfaces:
        out.append(f'<p>{e(ndis_only_note(table.linux_interfaces, "checked"))} (<a href="#linux">Linux</a>).</p>')
    real = fd[fd["severity"] != "not checked"]
    if len(real):
        counts = real.groupby(["rule", "severity"]).agg(adapters=("adapter_key", "nunique"),
                                                         findings=("rule", "size")).reset_index()
        counts["n"] = counts["rule"].str[1:].astype(int)
        counts = counts.sort_values(["n", "severity"]).drop(columns="n")
        out.append("<h3>By rule</h3>" + _table(counts, ["rule", "severity", "adapters", "findings"],
                                               numeric=["adapters", "findings"]))
    else:
        out.append("<p>No rule finding in this fleet.</p>")
    out.append("<h3>By adapter</h3>")
    groups = dict(tuple(fd.groupby("adapter_key", sort=False)))
    order = np.lexsort((name_key(table.adapters["adapter"]).to_numpy(dtype=object),
                        host_key(table.adapters["host"]).to_numpy(dtype=object)))
    for key in order:
        label = table.adapters["label"].iloc[key]
        g = groups.get(key, fd.iloc[0:0])
        r = g[g["severity"] != "not checked"]
        sev = {s: int((r["severity"] == s).sum()) for s in ("error", "warning", "info")}
        skipped = int((g["severity"] == "not checked").sum())
        summary = ", ".join(f'<span class="{s}">{n} {s}{"s" if n != 1 else ""}</span>' for s, n in sev.items() if n)
        summary = summary or "no findings"
        if skipped:
            summary += f' <span class="muted">({skipped} not checked)</span>'
        rows = [[v, rule, Cell(s, css=s if s != "not checked" else "muted"), Cell(m, code=True), msg]
                for v, rule, s, m, msg in g[["view", "rule", "severity", "members", "message"]].itertuples(index=False)]
        inner = html_table(rows, ["view", "rule", "severity", "members", "message"]) if rows else ""
        out.append(f"<details><summary><b>{e(label)}</b> — {summary}</summary>{inner}</details>")
    return "\n".join(out)


def _with_where(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (file, line, offset, …) with a ``where`` column: ``line N`` or ``offset 0xN``."""
    df = df.copy()
    df["where"] = [f"{'' if pd.isna(ln) else f'line {int(ln)}'}{'' if pd.isna(off) else f'offset 0x{int(off):X}'}"
                   for ln, off in zip(df["line"], df.get("offset", [pd.NA] * len(df)))]
    return df


def _remarks(fleet) -> pd.DataFrame:
    remarks = getattr(fleet, "remarks", None)
    return remarks if remarks is not None else pd.DataFrame({"file": [], "remark": []})


def _rejected_section(fleet) -> str:
    out = [f'<h2 id="rejected">Rejected records ({len(fleet.rejected)})</h2>']
    if len(fleet.rejected):
        out.append("<p>Records a capture importer could not read; everything else was imported.</p>"
                   + _table(_with_where(fleet.rejected), ["file", "where", "reason"]))
    else:
        out.append("<p>None.</p>")
    remarks = _remarks(fleet)
    if len(remarks):
        out.append(f'<h2 id="remarks">Remarks on loaded records ({len(remarks)})</h2><p>These records were '
                   "imported; the importer reports what was unusual about their bytes "
                   "(tests/spec/capture-formats.md §7).</p>"
                   + _table(_with_where(remarks), ["file", "where", "remark"]))
    out.append(f'<h2 id="skipped">Skipped files ({len(fleet.skipped)})</h2>')
    out.append(_table(fleet.skipped, ["file", "reason"]) if len(fleet.skipped) else "<p>None.</p>")
    if len(fleet.duplicates):
        cols = [c for c in ("host", "adapter", "view", "source") if c in fleet.duplicates]
        out.append(f"<h2>Duplicate rows ({len(fleet.duplicates)})</h2><p>The same host, adapter and view "
                   "captured more than once; each is kept (and drawn as its own record).</p>"
                   + _table(fleet.duplicates, cols))
    if len(fleet.unmatched_keywords):
        k = fleet.unmatched_keywords
        out.append(f"<h2>Keyword rows without an adapter record ({len(k)})</h2>"
                   + _table(k, [c for c in ("host", "adapter", "keyword", "value", "source") if c in k]))
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------ CLI
def write_report(paths, out: str, **kw) -> str:
    """Build the report of ``paths`` and write it to ``out`` (parent folders are created); returns the HTML."""
    text = build_report(paths, **kw)
    parent = os.path.dirname(os.path.abspath(out))
    try:
        os.makedirs(parent, exist_ok=True)
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror}", source=out) from None
    return text


def run_report(args) -> int:
    """Handler of ``ipsecexplore report``: writes the file, prints one summary line on stderr; 0 on success.
    A missing input path raises :class:`~ipsecexplore.errors.InputError` (one line, exit 2)."""
    from .fleet import load_fleet

    for p in args.paths:
        if not os.path.exists(p):
            raise InputError("no such file or folder", source=p)
    # a bar only where someone watches: stderr of a pipe or a log gets the summary line alone
    fleet = load_fleet(args.paths, progress=None if not args.no_progress and sys.stderr.isatty() else False)
    write_report(args.paths, args.output, fleet=fleet, title=args.title, image_format=args.format)
    print(visible(f"ipsecexplore report: wrote {args.output}: {fleet.summary()}"), file=sys.stderr)
    return 0


def add_report_command(subparsers):
    """Add ``report`` to an ``argparse`` sub-parsers object; returns its parser (handler in ``func``)."""
    p = subparsers.add_parser(
        "report", help="one self-contained HTML report of captured adapters",
        description="Import captures (files, folders, zips) and write one HTML file that opens offline: fleet "
                    "summary, every chart, rule findings per adapter, rejected records with reasons.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="capture file, folder (recursive) or zip file")
    p.add_argument("-o", "--output", default="report.html", metavar="FILE",
                   help="where to write the report (default: report.html)")
    p.add_argument("--title", default=None, help="heading of the report")
    p.add_argument("--format", choices=("svg", "png"), default="svg", help="chart images (default: svg)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_report, handler=run_report)
    return p
