"""Explore a fleet of captured adapters: choose captures, filter by host, vendor or capability, pick a chart,
see the frame and the differences between selected adapters.

>>> from ipsecexplore.widgets import FleetWidget
>>> fw = FleetWidget()                     # the sample data (data/sample) by default   # doctest: +SKIP
>>> fw.host.value = ("HOST07",); len(fw.filtered)   # doctest: +SKIP

The "Supported but off" and "Rule findings" tabs show :meth:`~ipsecexplore.fleet.Fleet.supported_but_off`
and :meth:`~ipsecexplore.fleet.Fleet.findings` for the filtered adapters (all their views). Imports go
through :func:`ipsecexplore.fleet.load_fleet`; a long import (20 files or more) shows the
importer's progress bar inside the widget (tqdm's notebook bar, rendered in an ``Output`` child). Charts come
from :mod:`ipsecexplore.charts` and are drawn for the filtered frame.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import ipywidgets as W

from ..columns import keyword_columns, keyword_of
from ..identity import adapter_key
from ..text import html_text, visible
from .common import Guard, error_html, instance_class, note_html, safe_call
from .diffview import diff_html
from .presets import default_data_paths, indexed_presets

__all__ = ["FleetWidget", "FLEET_CLASS", "vendor_of"]

FLEET_CLASS = "ipsecexplore-fleet"
_ANY = "(any)"
_UNKNOWN = "(unknown)"
_FRAME_ROWS = 200  # rows of the filtered frame drawn as HTML (the rest is counted, not dropped silently)


def vendor_of(description) -> str:
    """The vendor as the first word of the adapter description, trademark signs removed ('Intel(R) …' →
    'Intel'); '(unknown)' when the capture has no description."""
    if description is None or (not isinstance(description, str)) or not description.strip():
        return _UNKNOWN
    first = description.split()[0]
    return re.sub(r"\((R|TM|C)\)|®|™", "", first, flags=re.I) or _UNKNOWN


def _adapters(n: int) -> str:
    return f"{n} adapter" + ("" if n == 1 else "s")


def _gap_table(gaps):
    """``supported_but_off`` rows gathered per adapter and cause: host, adapter, os, model, virtual, keywords
    (``*IPsecOffloadV2=0``), cause and the capabilities it leaves off (what a reader scans, one line each)."""
    import pandas as pd

    kw = keyword_columns(gaps.columns)
    keywords = [", ".join(f"{keyword_of(c)}={int(v)}" for c, v in zip(kw, vals) if not pd.isna(v))
                for vals in gaps[kw].itertuples(index=False)] if kw else [""] * len(gaps)
    g = gaps.assign(keywords=keywords, model=gaps["model"].astype(object), virtual=gaps["virtual"].astype(object))
    keys = ["host", "adapter"] + (["os"] if "os" in g else []) + ["model", "virtual", "keywords", "cause"]
    return (g.groupby(keys, sort=False, dropna=False)["capability"].agg(", ".join).rename("capabilities")
            .reset_index())


def _chart_summary(doc: str | None) -> str:
    """HTML of a chart function's first sentence: the docstring's first paragraph may wrap over several
    lines, and its reST markup (``code``, *emphasis*) becomes <code>/<i> instead of showing as backticks."""
    para = " ".join(ln.strip() for ln in (doc or "").strip().split("\n\n")[0].splitlines())
    m = re.match(r"(.+?[.!?])(\s|$)", para)
    text = html_text(m.group(1) if m else para)
    text = re.sub(r"``(.+?)``", r"<code>\1</code>", text)
    # *emphasis* only: a keyword such as *IPsecOffloadV2 keeps its asterisk
    return re.sub(r"(?<![\w*])\*([A-Za-z][^*<>]*?)\*(?![\w*])", r"<i>\1</i>", text)


def _inline_svg(svg: str, name: str) -> str:
    """matplotlib's SVG document as an inline element: XML prolog and DOCTYPE dropped, scaled to the width."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    body = body.replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)
    return (f'<div class="ipsecexplore-fleet-chart" data-chart="{html_text(name)}" '
            f'style="max-width:100%">{body}</div>')


class FleetWidget(W.VBox):
    """See the module docstring. ``paths``: captures to load at start (default: the sample data);
    ``fleet``: an already loaded :class:`~ipsecexplore.fleet.Fleet`; ``builder``: a BuilderWidget that the
    "Open in builder" button sends the selected adapter to."""

    def __init__(self, paths=None, *, fleet=None, builder=None, load: bool = True, **kwargs):
        super().__init__(**kwargs)
        from .. import charts, questions
        from .. import fleet as fleet_module

        self._fleet_mod, self._charts, self._questions = fleet_module, charts, questions
        self.builder = builder
        self._guard = Guard()
        self._instance = instance_class("fleet")
        self.add_class(FLEET_CLASS)
        self.add_class(self._instance)
        self.fleet = None
        self.filtered = None
        self._labels: dict[str, object] = {}
        self._row_label: dict[int, str] = {}
        self._label_row: dict[str, int] = {}
        self._stale: set[int] = set()
        self._upload_dir: tempfile.TemporaryDirectory | None = None
        default = list(paths) if paths is not None else default_data_paths()
        self._build_loading(default)
        self._build_filters()
        self._build_chart()
        self._build_tabs(builder)
        self.children = self._parts()
        if fleet is not None:
            self.set_fleet(fleet)
        elif load and default:
            self.load()

    # --- construction: the named parts, top to bottom ---------------------------------------------
    def _build_loading(self, default: list) -> None:
        """Paths, upload, Load button, the importer's progress bar, status, errors and the import report."""
        self.paths = W.Textarea(value="\n".join(str(p) for p in default), description="Captures",
                                placeholder="files, folders or zip files, one per line",
                                layout=W.Layout(width="60em", height="4em"))
        self.paths.add_class("ipsecexplore-fleet-paths")
        self.upload = W.FileUpload(multiple=True, description="Add files")
        self.upload.add_class("ipsecexplore-fleet-upload")
        self.load_button = W.Button(description="Load", button_style="primary",
                                    tooltip="import every capture under the paths (and the added files)")
        self.load_button.add_class("ipsecexplore-fleet-load")
        self.load_button.on_click(lambda _b: self.load())
        self.progress = W.Output()  # the importer's tqdm notebook bar lands here
        self.progress.add_class("ipsecexplore-fleet-progress")
        self.status = W.HTML()
        self.error = W.HTML()
        self.error.add_class("ipsecexplore-error-box")
        self.summary = W.HTML()

    def _build_filters(self) -> None:
        """View, host, vendor and capability filters; each change re-filters."""
        self.view = W.ToggleButtons(options=["all", "hardware", "current", "unknown"], value="all",
                                    description="View")
        self.host = W.SelectMultiple(options=[], description="Host", rows=5, layout=W.Layout(width="22em"))
        self.vendor = W.Dropdown(options=[_ANY], value=_ANY, description="Vendor",
                                 tooltip="first word of the adapter description", layout=W.Layout(width="22em"))
        self.capability = W.SelectMultiple(options=[], description="Supports", rows=5,
                                           tooltip="keep adapters (with all their views) whose hardware view has "
                                                   "every selected capability",
                                           layout=W.Layout(width="40em"))
        for c in (self.view, self.host, self.vendor, self.capability):
            c.add_class("ipsecexplore-fleet-filter")
            c.observe(self._on_filter, names="value")

    def _build_chart(self) -> None:
        """The chart picker, its one-sentence note and the SVG view."""
        self.chart = W.Dropdown(options=list(self._charts.CHARTS), description="Chart",
                                layout=W.Layout(width="26em"))
        self.chart.add_class("ipsecexplore-fleet-chart")
        self.chart.observe(lambda _c: self._render_chart(), names="value")
        # SVG, not PNG: about twice as fast to produce (rasterizing dominated a redraw) and sharp at any zoom
        self.chart_view = W.HTML(layout=W.Layout(max_width="100%", overflow="auto"))
        self.chart_view.add_class("ipsecexplore-fleet-chart-view")
        self.chart_note = W.HTML()

    def _build_tabs(self, builder) -> None:
        """Frame, compare, gap and findings views, in tabs drawn when shown."""
        self.frame_view = W.HTML()
        self.frame_view.add_class("ipsecexplore-fleet-frame")
        self.select = W.SelectMultiple(options=[], description="Adapters", rows=8, layout=W.Layout(width="60em"),
                                       tooltip="choose two or more adapter views to compare")
        self.select.add_class("ipsecexplore-fleet-select")
        self.select.observe(lambda _c: self._render_diff(), names="value")
        self.diff_view = W.HTML()
        self.diff_view.add_class("ipsecexplore-fleet-diff")
        self.open_button = W.Button(description="Open in builder", disabled=builder is None,
                                    tooltip="load the first selected adapter into the builder")
        self.open_button.on_click(lambda _b: self.open_in_builder())

        self.gap_view = W.HTML()
        self.gap_view.add_class("ipsecexplore-fleet-gap")
        self.findings_view = W.HTML()
        self.findings_view.add_class("ipsecexplore-fleet-findings")
        self._findings = None  # Fleet.findings() of the loaded fleet, computed when first shown
        self.views = W.Tab(children=[W.VBox([self.chart, self.chart_note, self.chart_view]), self.frame_view,
                                     W.VBox([self.select, self.open_button, self.diff_view]), self.summary,
                                     self.gap_view, self.findings_view])
        self.views.titles = ("Chart", "Frame", "Compare adapters", "Import report", "Supported but off",
                             "Rule findings")
        self.views.selected_index = 0
        # the tabs are drawn when shown (a chart takes up to a second); filters mark them stale
        self._renderers = (self._render_chart, self._render_frame, self._render_compare, lambda: None,
                           self._render_gap, self._render_findings)
        self.views.observe(self._on_tab, names="selected_index")

    def _parts(self) -> list:
        """The widget's children, top to bottom."""
        return [W.HTML("<b>Fleet explorer</b>"), W.HBox([self.paths, W.VBox([self.upload, self.load_button])]),
                self.progress, self.status, self.error,
                W.HBox([self.view, self.vendor]), W.HBox([self.host, self.capability]), self.views]

    # --- loading ----------------------------------------------------------------------------------
    def _path_list(self) -> list[str]:
        return [p.strip() for p in self.paths.value.splitlines() if p.strip()]

    def _uploaded_dir(self) -> str | None:
        """Write the added files into one temporary folder, so the importer joins them like a capture folder
        (keywords to adapters, sidecars to raw files)."""
        files = self.upload.value or ()
        if not files:
            return None
        if self._upload_dir is not None:
            self._upload_dir.cleanup()
        self._upload_dir = tempfile.TemporaryDirectory(prefix="ipsecexplore-upload-")
        for item in files:
            name = os.path.basename(item["name"]) or "upload"
            Path(self._upload_dir.name, name).write_bytes(bytes(item["content"]))
        return self._upload_dir.name

    def load(self) -> bool:
        """Import the captures named in the paths box (and the added files); errors are shown in place."""
        self.error.value = ""
        paths = self._path_list()
        ok = False
        with safe_call(self._show_error):
            up = self._uploaded_dir()
            if up:
                paths.append(up)
            if not paths:
                raise ValueError("no captures: name a file, folder or zip file, or add files")
            self.status.value = f"<i>importing {len(paths)} path(s)…</i>"
            self.progress.clear_output()
            with self.progress:  # None: the importer shows its bar for 20 files or more
                fleet = self._fleet_mod.load_fleet(paths, progress=None)
            self.set_fleet(fleet)
            ok = True
        if not ok:  # the views still show the last import: say so instead of a blank status line
            self.status.value = ("" if self.fleet is None else
                                 "<i>not loaded (see the error); still showing the previous import:</i> "
                                 + html_text(self.fleet.summary()))
        return ok

    def set_fleet(self, fleet) -> None:
        """Show ``fleet`` (a :class:`~ipsecexplore.fleet.Fleet`): fill the filters, the views and the lists."""
        self.fleet = fleet
        self._findings = None
        frame = fleet.frame
        self.status.value = html_text(fleet.summary())
        self.summary.value = fleet._repr_html_()
        self._labels, self._row_label, self._label_row = {}, {}, {}
        for i, label, preset in indexed_presets(fleet.result.records):
            self._labels[label] = preset
            self._row_label[i] = label  # record i is row i of the frame
            self._label_row[label] = i
        hosts = sorted({str(h) for h in frame["host"].dropna()}, key=str.casefold) if len(frame) else []
        vendors = sorted({vendor_of(d if isinstance(d, str) else None) for d in frame["description"]}) \
            if len(frame) else []
        # capability filters: every boolean IPsecV2 column of the frame (members and flags, from the layout)
        caps = [c for c in frame.columns if c.startswith("IPsecV2.") and str(frame[c].dtype) == "boolean"]
        with self._guard:
            # (label, value): names from captures are shown with control characters made visible, filtered raw
            self.host.options = [(visible(h), h) for h in hosts]
            self.host.value = ()
            self.vendor.options = [(_ANY, _ANY)] + [(visible(v), v) for v in vendors]
            self.vendor.value = _ANY
            self.capability.options = caps
            self.capability.value = ()
            self.view.value = "all"
        self._apply_filters()

    # --- filtering ----------------------------------------------------------------------------------
    def _on_filter(self, _change) -> None:
        if self._guard.active or self.fleet is None:
            return
        self._apply_filters()

    def _apply_filters(self) -> None:
        import numpy as np

        f = self.fleet.frame
        keep = np.ones(len(f), dtype=bool)
        if self.view.value != "all":
            keep &= (f["view"] == self.view.value).fillna(False).to_numpy(dtype=bool)
        if self.host.value:
            keep &= f["host"].isin(list(self.host.value)).fillna(False).to_numpy(dtype=bool)
        if self.vendor.value != _ANY:
            vendors = np.array([vendor_of(d if isinstance(d, str) else None) for d in f["description"]])
            keep &= vendors == self.vendor.value
        if self.capability.value:  # adapter-wise, so a kept adapter keeps its current view and its gaps
            keep &= self._questions.supporting_adapters(f, list(self.capability.value))
        self.filtered = f[keep]
        self._render_all()

    # --- views --------------------------------------------------------------------------------------
    def _render_all(self) -> None:
        """Mark every view stale and draw the visible one (the others follow when their tab is chosen)."""
        self._stale = set(range(len(self._renderers)))
        self._render_view(self.views.selected_index)

    def render_all(self) -> None:
        """Draw every view now (chart, frame, comparison)."""
        for i in range(len(self._renderers)):
            self._render_view(i)

    def _render_view(self, index) -> None:
        if index is None or index not in self._stale:
            return
        self._stale.discard(index)
        self._renderers[index]()

    def _on_tab(self, change) -> None:
        self._render_view(change["new"])

    def _render_compare(self) -> None:
        positions = self.fleet.frame.index.get_indexer(self.filtered.index)
        labels = [self._row_label[i] for i in positions if i in self._row_label]
        with self._guard:
            self.select.options = labels
            self.select.value = ()
        self._render_diff()

    def _render_frame(self) -> None:
        df = self.filtered
        if df is None or not len(df):
            self.frame_view.value = "<i>No adapter view matches the filters.</i>"
            return
        cols = ["host", "adapter"] + (["os"] if "os" in df else []) + ["description", "view"] + [
            c for c in df.columns if c.startswith("IPsecV2.") and c.count(".") == 1]
        shown = df[cols].head(_FRAME_ROWS)
        text_cols = ["host", "adapter", "description", "view"]  # outside strings: control characters made visible
        shown = shown.assign(**{c: shown[c].map(visible, na_action="ignore") for c in text_cols})
        more = (f"<div>Showing {_FRAME_ROWS} of {len(df)} rows (all rows are in <code>fleet.filtered</code>)."
                "</div>") if len(df) > _FRAME_ROWS else f"<div>{len(df)} rows.</div>"
        self.frame_view.value = more + shown.to_html(index=False, na_rep="<NA>", escape=True, border=0)

    def _render_chart(self) -> None:
        if self.fleet is None or self.chart.value not in self._charts.CHARTS:
            self.chart_view.value = ""
            return
        box = []
        with safe_call(box.append):
            fig = self._charts.CHARTS[self.chart.value](self.filtered)
            self.chart_view.value = _inline_svg(self._charts.to_svg(fig), self.chart.value)
            doc = _chart_summary(self._charts.CHARTS[self.chart.value].__doc__)
            self.chart_note.value = f"<i>{doc}</i> — {len(self.filtered)} rows after filtering."
        if box:
            self.chart_view.value = ""
            self.chart_note.value = error_html(f"cannot draw {self.chart.value}: {box[0]}")

    def _render_diff(self) -> None:
        chosen = list(self.select.value)
        self.open_button.disabled = self.builder is None or not chosen
        if len(chosen) < 2:
            self.diff_view.value = "<i>Select two or more adapter views to see where they differ.</i>"
            return
        rows = [self.fleet.frame.iloc[self._label_row[label]] for label in chosen]
        notes = [f"{label}: {n}" for label in chosen for n in self._labels[label].notes()
                 if n.startswith("provenance")]
        box = []
        with safe_call(box.append):
            self.diff_view.value = note_html(notes) + diff_html(rows, chosen)
        if box:
            self.diff_view.value = error_html(f"cannot compare: {box[0]}")

    def _selected_adapters(self):
        """Bool per fleet row: its adapter has a row among the filtered ones (all its views, for questions
        that compare the hardware and current views)."""
        import numpy as np

        f = self.fleet.frame
        codes = self._questions.adapter_of_rows(f)
        chosen = np.zeros(int(codes.max()) + 1 if len(codes) else 0, dtype=bool)
        chosen[codes[f.index.get_indexer(self.filtered.index)]] = True
        return chosen[codes]

    def _render_gap(self) -> None:
        """The "Supported but off" view: Fleet.supported_but_off of the filtered adapters, with the adapters
        captured in one view only listed apart."""
        f = self.fleet.frame[self._selected_adapters()]
        gaps, one = self._questions.supported_but_off(f), self._questions.one_view_adapters(f)
        adapters = int(adapter_key(gaps["host"], gaps["adapter"]).nunique())
        parts = [f"<div>{len(gaps)} capabilities supported in hardware and off in the current view on "
                 f"{_adapters(adapters)} ({int((gaps['rule'] == 'R51').sum())} explained by INF keyword masking, "
                 "rule R51); <code>fleet.supported_but_off()</code> has one row per capability.</div>"]
        if len(gaps):
            table = _gap_table(gaps)
            parts.append('<div style="overflow-x:auto">' + table.head(_FRAME_ROWS).to_html(
                index=False, na_rep="<NA>", escape=True, border=0) + "</div>")
            if len(table) > _FRAME_ROWS:
                parts.append(f"<div>Showing {_FRAME_ROWS} of {len(table)} rows.</div>")
        if len(one):
            parts.append(f"<div><b>Captured in one view only</b> ({_adapters(len(one))}): cannot tell what is "
                         "switched off.</div>"
                         + one.head(_FRAME_ROWS).to_html(index=False, na_rep="<NA>", escape=True, border=0))
        self.gap_view.value = "\n".join(parts)

    def _render_findings(self) -> None:
        """The "Rule findings" view: Fleet.findings of the filtered adapters, counted by rule, then listed."""
        if self._findings is None:
            self._findings = self.fleet.findings()
        codes = self._questions.adapter_of_rows(self.fleet.frame)
        keys = set(codes[self.fleet.frame.index.get_indexer(self.filtered.index)].tolist())
        fd = self._findings[self._findings["adapter_key"].isin(keys)]
        real = fd[fd["severity"] != "not checked"]
        counts = real.groupby(["rule", "severity"]).size().rename("findings").reset_index()
        skipped = int((fd["severity"] == "not checked").sum())
        cols = ["host", "adapter", "view", "rule", "severity", "basis", "message"]
        note = self._findings.attrs.get("note", "")
        if note:  # Linux interfaces of the fleet (all of them, not only the filtered ones) have no findings
            note = f"<div><i>{html_text(note)}.</i></div>"
        self.findings_view.value = (
            f"<div>{len(real)} findings on {_adapters(fd['adapter_key'].nunique())}; {skipped} checks not made "
            "(a member the capture lacks, or no IPsecV2 member at all); <code>fleet.findings()</code> has them "
            "all.</div>" + note + counts.to_html(index=False, escape=True, border=0)
            + real[cols].head(_FRAME_ROWS).to_html(index=False, na_rep="<NA>", escape=True, border=0))

    def open_in_builder(self) -> bool:
        """Load the first selected adapter view into the linked builder."""
        if self.builder is None or not self.select.value:
            return False
        label = self.select.value[0]
        return self.builder.load(self._labels[label], source=f"fleet {label}")

    def _show_error(self, message: str) -> None:
        self.error.value = error_html(message)

    def close(self):
        """Remove the temporary folder of uploaded captures, then close the widget."""
        if self._upload_dir is not None:
            self._upload_dir.cleanup()
            self._upload_dir = None
        super().close()
