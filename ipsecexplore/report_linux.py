"""The report's Linux section (issue 15): Linux interfaces, their reading in Windows terms, what they could
offload by the driver table, and the cross-OS charts. :func:`linux_section` is called by
:func:`ipsecexplore.report.build_report`; every string from a capture is HTML-escaped."""

from __future__ import annotations

import pandas as pd

from . import charts_crossos
from .columns import OS, linux_columns
from .crossos import INFERRED_NOTE, linux_can_offload, windows_terms
from .htmltable import html_table
from .identity import adapter_key, host_key
from .text import html_text

__all__ = ["linux_section", "EXAMPLE_SA"]

e = html_text

#: The SA the section asks every Linux interface about (the common IPsec offload case of the driver table).
EXAMPLE_SA = {"algorithm": "rfc4106(gcm(aes))", "key_bits": 128, "icv_bits": 128, "mode": "transport",
              "offload": "crypto"}


def _html_table(df: pd.DataFrame) -> str:
    return html_table(df.itertuples(index=False), df.columns, css="small")


def _offload_table(lin: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rec in lin[lin["view"] == "hardware"].to_dict("records"):
        ok, why, rests = linux_can_offload(rec, EXAMPLE_SA)
        rows.append({"host": rec["host"], "interface": rec["adapter"], "driver": rec.get("driver"),
                     "could offload": {True: "yes", False: "no", None: "unknown"}[ok],
                     "rests on": "driver table" if rests else "capture", "why": "; ".join(why)})
    return pd.DataFrame(rows, columns=["host", "interface", "driver", "could offload", "rests on", "why"])


def linux_section(fleet, img) -> str:
    """HTML of the Linux section; ``img(fig)`` embeds a figure as the rest of the report does."""
    f = fleet.frame
    lin = f[f[OS] == "linux"] if OS in f else f.iloc[0:0]
    out = ['<h2 id="linux">Linux beside Windows</h2>']
    if not len(lin):
        return out[0] + "<p>No Linux capture (ethtool, ip xfrm, sosreport) was imported.</p>"
    n_if = int(adapter_key(lin["host"], lin["adapter"]).nunique())
    out.append(f"<p>{n_if} Linux interfaces on {int(host_key(lin['host']).nunique())} hosts. {e(INFERRED_NOTE)}</p>")
    cols = ["host", "adapter", "view"] + [c for c, _ in linux_columns()] + ["source"]
    out.append("<h3>Linux interfaces</h3>" + _html_table(lin[cols].sort_values(["host", "adapter", "view"])))
    wt = windows_terms(f)
    piv = wt[wt["view"] == "hardware"].pivot_table(index=["host", "adapter"], columns="member", values="value",
                                                    aggfunc="first", dropna=False).reset_index()
    out.append("<h3>In Windows terms (hardware view; every value inferred)</h3><p>Derived with the correspondence "
               "table (tests/spec/capture-formats.md §8.4); the NDIS member columns of the fleet frame stay empty "
               "on Linux rows.</p>" + _html_table(piv))
    out.append(f"<h3>Could it offload {e(EXAMPLE_SA['algorithm'])} (128-bit key, 128-bit ICV, transport, crypto "
               "offload)?</h3>" + _html_table(_offload_table(lin)))
    for name, fn, caption in (
            ("cross_os_matrix", charts_crossos.cross_os_matrix, "per NIC family, the share of adapters whose "
             "hardware view has each Windows member (left) and each Linux ESP feature (right); k/n = adapters with "
             "it / adapters where it is known; grey = no adapter of that OS in the family"),
            ("same_nic_two_oses", charts_crossos.same_nic_two_oses, "for each NIC family captured on both OSes, "
             "each corresponding pair (Esp ~ esp-hw-offload, LsoSupported ~ tx-esp-segmentation) side by side")):
        try:
            body = img(fn(fleet))
        except Exception as exc:  # noqa: BLE001 - a broken chart must not hide the section
            body = f'<p class="error">This chart could not be drawn: {e(type(exc).__name__)}: {e(str(exc))}</p>'
        out.append(f'<figure id="chart-{name}">{body}<figcaption><b>{name}</b>: {e(caption)}.</figcaption></figure>')
    return "\n".join(out)
