"""The NDIS_OFFLOAD builder: one control per NDIS_IPSEC_OFFLOAD_V2 member, live bytes, findings and C.

Layout: the controls on the left; on the right, in a column that stays in view while the controls scroll,
the hex dump and under it the rule findings, both redrawn on every change. The C initializer, member
table, export and diff are tabs below. The heading carries the WDK's deprecation banner (:data:`DEPRECATION_NOTE`).

>>> from ipsecexplore.widgets import BuilderWidget
>>> w = BuilderWidget(revision=2)
>>> w.controls["IPsecV2.Esp"].value = True            # what a click does
>>> w.bytes[120], w.offload.IPsecV2.Esp
(1, True)

Controls are derived from the layout, never typed in: a ``Checkbox`` per BOOLEAN member (``description`` is the
C member name), a row of ``ToggleButton`` s per flag member (one per named bit of the member's constant group,
labelled with the constant's ``.short`` name), a ``BoundedIntText`` for a plain ULONG (``SaOffloadCapacity``).
Every control carries the CSS class ``ipsecexplore-ctl-<dotted path with dots as dashes>``; a flag's toggle
uses its column name (``ipsecexplore-ctl-IPsecV2-EncryptionAlgorithms-AES_GCM_128``).

Hover highlighting without JavaScript: ipywidgets has no hover event, so the widget emits, once, a ``<style>``
block (an ``HTML`` child with class ``ipsecexplore-hover-css``) holding one CSS rule per control::

    .ipsecexplore-builder-7:has(.ipsecexplore-ctl-IPsecV2-Esp:hover)
        .ipsecexplore-hexdump .b[data-member~="IPsecV2.Esp"] { outline: … }

The browser applies it while the pointer is over the control — no kernel round trip. ``:has()`` needs
Chromium ≥ 105 / Firefox ≥ 121 / Safari ≥ 15.4. Rules are scoped by a per-instance class, so two builders on
one page do not light up each other's dumps. A flag's toggle additionally marks the one byte holding its bit.

Updates from the model to the controls (paste, upload, preset, revision change) run under a guard so the
controls' observers do not encode again: one user action, one encode, one redraw.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from functools import partial

import ipywidgets as W

from ..columns import flag_columns
from ..errors import InputError, IpsecExploreError
from ..extent import Extent
from ..hexdump import hexdump_html, member_table_html
from ..jsonio import number_error
from ..layouts import layout
from ..model import NdisOffload, decode, decode_report, encode
from ..rules import validate
from ..sources import DEPRECATION_NOTE
from ..text import html_text
from .common import (
    Guard,
    css_class,
    data_uri_link,
    error_html,
    flag_tooltip,
    instance_class,
    member_tooltip,
    note_html,
    safe_call,
)
from .diffview import diff_html
from .presets import Preset, fleet_presets

__all__ = ["BuilderWidget", "Binding", "BUILDER_CLASS", "rule_members"]

BUILDER_CLASS = "ipsecexplore-builder"
STRUCTURE = "NDIS_OFFLOAD"

# Members outside IPsecV2 that the rule checks read, shown in the collapsed section:
# Flags (R31-R33: coexistence bits, grouped checksums), the LSO encapsulation members that say "LSO is
# reported" (R43, LsoSupported), and the TCP/UDP checksum capability bits the coexistence bits need (R33).
_RULE_PREFIXES = (("Flags", None), ("LsoV1.", "Encapsulation"), ("LsoV2.", "Encapsulation"),
                  ("Checksum.", "TcpChecksum"), ("Checksum.", "UdpChecksum"))

_HOVER_MEMBER = "outline:2px solid #1971c2;background:#d0ebff !important"
_HOVER_BYTE = "outline:3px solid #1864ab;background:#a5d8ff !important"


def rule_members(arch: str = "x64") -> list[str]:
    """Dotted paths of the non-IPsecV2 members the builder's collapsed section offers, in C order."""
    lay = layout(STRUCTURE, arch)
    out = []
    for m in lay.leaves:
        for prefix, name in _RULE_PREFIXES:
            if (m.path == prefix if name is None else (m.path.startswith(prefix) and m.name == name)):
                out.append(m.path)
                break
    return out


@dataclass
class Binding:
    """One control bound to one member (or one bit of a flag member)."""

    key: str  # control key: the member path, or the flag column for a bit
    path: str  # member path in NDIS_OFFLOAD
    kind: str  # 'bool' | 'bit' | 'int'
    widget: W.DOMWidget
    bit: int | None = None

    def from_model(self, values: dict):
        """The control value the model implies (``values``: ``to_dict(raw=True)``)."""
        v = values.get(self.path, 0)
        if self.kind == "bool":
            return bool(v)
        if self.kind == "bit":
            return bool(v & self.bit)
        return int(v)

    def new_value(self, current: int, control_value) -> int:
        """The member value after the control changed to ``control_value``."""
        if self.kind == "bool":
            return 1 if control_value else 0
        if self.kind == "bit":
            return (current | self.bit) if control_value else (current & ~self.bit)
        return int(control_value)


def _set_path(off: NdisOffload, path: str, value) -> None:
    """Set a dotted member through the model's public attribute access (``off.IPsecV2.Esp = …``)."""
    *parents, leaf = path.split(".")
    obj = off
    for p in parents:
        obj = getattr(obj, p)
    setattr(obj, leaf, value)


def _nonzero(v) -> bool:
    if isinstance(v, (bytes, bytearray, tuple)):
        return any(v)
    return bool(v) if not hasattr(v, "int") else bool(v.int)


def _hex_lines(data: bytes, width: int = 16) -> str:
    return "\n".join(data[i:i + width].hex(" ") for i in range(0, len(data), width))


class _named:
    """Context manager: a library error that names no input gets ``source`` (the file, 'paste', the preset),
    so that the message says where the bad bytes came from."""

    def __init__(self, source: str):
        self.source = source

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, IpsecExploreError) and exc.source is None and self.source:
            raise type(exc)(exc.reason, structure=exc.structure, path=exc.path, offset=exc.offset,
                            expected=exc.expected, actual=exc.actual, source=self.source, line=exc.line,
                            index=exc.index) from None
        return False


def _larger_size_notes(off: NdisOffload) -> list[str]:
    """Why the object is longer than its revision's macro size (a larger Header.Size read from bytes)."""
    d = off.decoded
    if d is None or d.revision != off.revision:
        return []
    note = d.extent.kept_note()
    return [note] if note else []


def _not_carried_over(old: NdisOffload, new_revision: int, new_size: int) -> list[str]:
    """What a revision change leaves behind of bytes that were read (the new object is written as a driver
    writes it): a larger Header.Size and its bytes, non-zero padding, set unnamed bits."""
    d = old.decoded
    if d is None:
        return []
    out = []
    if d.revision == old.revision and d.extent.dropped_note(new_revision, new_size):
        out.append(d.extent.dropped_note(new_revision, new_size))
    for off, raw in d.nonzero_padding:
        out.append(f"padding at offset 0x{off:X} ({off}) was {raw.hex(' ')} in the loaded bytes; revision "
                   f"{new_revision} is written with zero padding: cleared.")
    for off, _mask, found in d.unnamed_bits:
        out.append(f"unnamed bits 0x{found:08X} of the word at offset 0x{off:X} ({off}) were set in the loaded "
                   f"bytes; revision {new_revision} is written with them zero: cleared.")
    return out


class BuilderWidget(W.VBox):
    """Build an ``NDIS_OFFLOAD`` with IPsec offload v2 by clicking; see the module docstring.

    ``revision``: 2..8 (the first revision with ``IPsecV2`` up to the newest). ``offload``: start from this
    :class:`~ipsecexplore.model.NdisOffload` (or its bytes) instead of an all-zero one. ``presets``: a dict
    ``label -> NdisOffload | bytes`` added to the preset list (the fleet's adapters are added when
    :mod:`ipsecexplore.fleet` is available, from ``data_paths`` or the sample data).
    """

    def __init__(self, revision: int = 2, offload=None, *, arch: str = "x64", presets: dict | None = None,
                 fleet=None, data_paths=None, load_fleet_presets: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.arch = arch
        self.struct_layout = layout(STRUCTURE, arch)
        self._guard = Guard()
        self._offload = NdisOffload.new(revision=revision, arch=arch)
        self._bytes = b""
        self.last_changed: str | None = None
        self.update_count = 0  # renders done (tests use it to prove one action = one encode)
        self.last_update_ms = 0.0
        self._validate = validate
        self._instance = instance_class("builder")
        self.add_class(BUILDER_CLASS)
        self.add_class(self._instance)
        self.bindings: list[Binding] = []
        self.controls: dict[str, W.DOMWidget] = {}
        self._build_revision(revision)
        self._build_members()
        self._build_dump()
        self._build_paste()
        self._build_export()
        self._build_presets(presets or {}, fleet, data_paths, load_fleet_presets)
        self._build_tabs()
        self.children = self._parts()
        if offload is not None:
            self.load(offload, source="argument")
        else:
            self._sync_controls()
            self._render(None)

    # --- construction: the named parts, top to bottom ---------------------------------------------
    def _build_revision(self, revision: int) -> None:
        """The revision dropdown: the NDIS_OFFLOAD revisions that have IPsecV2."""
        self.revision = W.Dropdown(
            options=[(f"{r.revision} — NDIS {r.ndis}, Header.Size {r.size}", r.revision)
                     for r in self.struct_layout.revisions if self._has_ipsecv2(r.size)],
            value=revision, description="Revision", tooltip="NDIS_OFFLOAD Header.Revision (Header.Size follows)",
            layout=W.Layout(width="28em"))
        self.revision.add_class("ipsecexplore-revision")
        self.revision.observe(self._on_revision, names="value")

    def _build_members(self) -> None:
        """A control per IPsecV2 member, and the other members the rules check in a folded section."""
        v2 = [m.path for m in self.struct_layout.leaves if m.path.startswith("IPsecV2.")]
        self._ipsec_box = self._build_controls(v2)
        other_box = self._build_controls(rule_members(self.arch), relative=True)
        self.more = W.Accordion(children=[other_box], titles=("Other members the rules check (Flags, LSO, "
                                                                "checksums)",), selected_index=None)
        self.more.add_class("ipsecexplore-more")

    def _build_dump(self) -> None:
        """The hover CSS, the annotated hex dump, the findings under it, notes, and the C and member views."""
        self.hover_css = W.HTML(f"<style>{self._layout_css()}\n{self._hover_css()}</style>")
        self.hover_css.add_class("ipsecexplore-hover-css")
        self.hex_view = W.HTML()
        self.hex_view.add_class("ipsecexplore-hex-view")
        self.notes = W.HTML()
        # Findings sit under the dump, in the column that stays in view, so that a finding appears next to
        # the control that caused it; the box scrolls on its own when there are many.
        self.findings_title = W.HTML()
        self.findings_title.add_class("ipsecexplore-findings-title")
        self.findings_view = W.HTML(layout=W.Layout(max_height="42vh", overflow="auto"))
        self.findings_view.add_class("ipsecexplore-findings")
        self.c_view = W.HTML()
        self.c_view.add_class("ipsecexplore-cinit")
        self.members_nonzero = W.Checkbox(value=False, description="non-zero members only", indent=False)
        self.members_nonzero.observe(lambda _c: self._render_members(), names="value")
        self.members_view = W.HTML()
        self.members_view.add_class("ipsecexplore-member-table")

    def _build_tabs(self) -> None:
        """C initializer, member table, export and diff, in tabs drawn when shown."""
        self.views = W.Tab(children=[self.c_view, W.VBox([self.members_nonzero, self.members_view]),
                                     self.export_box, self.diff_box])
        self.views.titles = ("C initializer", "Member table", "Export", "Diff")
        self.views.add_class("ipsecexplore-views")
        self.views.selected_index = 0
        self._view_renderers = (self._render_c, self._render_members, self._render_export, self._render_diff)
        self._stale = set(range(len(self._view_renderers)))
        self.views.observe(self._on_tab, names="selected_index")

    def _parts(self) -> list:
        """The widget's children: controls on the left, the dump and findings on the right."""
        header = W.HTML("<b>NDIS_OFFLOAD builder</b> — NDIS_IPSEC_OFFLOAD_V2 lives at offset 0x70 (IPsecV2); "
                        "hover a control to see its bytes, and read the findings under them. "
                        f"<i>{DEPRECATION_NOTE}</i>")
        left = W.VBox([W.HTML("<b>IPsecV2</b> (NDIS_IPSEC_OFFLOAD_V2)"), self._ipsec_box, self.more],
                      layout=W.Layout(width="46%", min_width="26em"))
        right = W.VBox([self.hex_view, self.findings_title, self.findings_view, self.notes],
                       layout=W.Layout(width="54%"))
        right.add_class("ipsecexplore-builder-dump")
        return [self.hover_css, header, W.HBox([self.revision, self.preset_box]),
                W.HBox([left, right], layout=W.Layout(flex_flow="row wrap")),
                self.paste_box, self.views]

    # --- construction helpers -------------------------------------------------------------------
    def _has_ipsecv2(self, size: int) -> bool:
        return self.struct_layout.field("IPsecV2.SaOffloadCapacity").end <= size

    def _bind(self, key: str, path: str, kind: str, widget, bit: int | None = None) -> Binding:
        b = Binding(key, path, kind, widget, bit)
        widget.add_class(css_class(key))
        widget.add_class("ipsecexplore-ctl")
        widget.observe(partial(self._on_control, b), names="value")
        self.bindings.append(b)
        self.controls[key] = widget
        return b

    def _build_controls(self, paths: list[str], relative: bool = False) -> W.VBox:
        rows: list = []
        checks: list = []  # consecutive checkboxes, laid out two per row (C order read row by row)

        def flush():
            if checks:
                rows.append(W.GridBox(list(checks), layout=W.Layout(
                    grid_template_columns="repeat(2, minmax(12em, max-content))", grid_gap="0 1.5em")))
                checks.clear()

        for path in paths:
            m = self.struct_layout.field(path)
            label = path if relative else m.name  # outside IPsecV2 the dotted path says where the member is
            cols = flag_columns(path, STRUCTURE) if m.domain else ()
            if m.is_boolean or (m.codec.packed and m.bit_width <= 2 and not cols):
                cb = W.Checkbox(value=False, description=label, indent=False, tooltip=member_tooltip(m),
                                layout=W.Layout(width="auto"))
                self._bind(path, path, "bool", cb)
                checks.append(cb)
                continue
            flush()
            if cols:
                toggles = []
                for col in cols:
                    t = W.ToggleButton(value=False, description=col.column.rsplit(".", 1)[1],
                                       tooltip=flag_tooltip(col, m), layout=W.Layout(width="auto"))
                    t.add_class("ipsecexplore-flag")
                    self._bind(col.column, path, "bit", t, col.bit)
                    toggles.append(t)
                name = W.HTML(f'<span title="{html_text(member_tooltip(m))}">{html_text(label)}</span>',
                              layout=W.Layout(width="auto"))
                name.add_class(css_class(path))
                rows.append(W.VBox([name, W.HBox(toggles, layout=W.Layout(flex_flow="row wrap"))]))
            else:
                top = (1 << (m.size * 8)) - 1
                box = W.BoundedIntText(value=0, min=0, max=top, description=label, tooltip=member_tooltip(m),
                                       style={"description_width": "initial"}, layout=W.Layout(width="22em"))
                self._bind(path, path, "int", box)
                rows.append(box)
        flush()
        return W.VBox(rows)

    def _layout_css(self) -> str:
        """The dump column stays in view while the (long) control column scrolls; the findings table under
        it fits the column (fixed columns; long members, messages and addresses wrap)."""
        sticky = (f".{self._instance} .ipsecexplore-builder-dump{{position:sticky;top:0;align-self:flex-start;"
                  "z-index:1}")
        scope = f".{self._instance} .ipsecexplore-findings"
        fit = (f"{scope} table{{width:100%;table-layout:fixed;font-size:12px;line-height:1.35}}"
               f"{scope} td,{scope} th{{overflow-wrap:anywhere;vertical-align:top;padding:2px 4px;text-align:left}}"
               f"{scope} th:nth-child(1){{width:5.6em}}{scope} th:nth-child(2){{width:3em}}"
               f"{scope} th:nth-child(3){{width:22%}}{scope} th:nth-child(5){{width:24%}}")
        return f"{sticky}\n{fit}"

    def _hover_css(self) -> str:
        scope = f".{self._instance}"
        dump = ".ipsecexplore-hexdump .b"
        rules, seen = [], set()
        for b in self.bindings:
            cls = css_class(b.key)
            rules.append(f'{scope}:has(.{cls}:hover) {dump}[data-member~="{b.path}"]{{{_HOVER_MEMBER}}}')
            if b.kind == "bit":
                m = self.struct_layout.field(b.path)
                byte = m.offset + (b.bit.bit_length() - 1) // 8
                rules.append(f'{scope}:has(.{cls}:hover) {dump}[data-offset="{byte}"]{{{_HOVER_BYTE}}}')
                if b.path not in seen:  # the member's name label above its toggles
                    seen.add(b.path)
                    rules.append(f'{scope}:has(.{css_class(b.path)}:hover) {dump}[data-member~="{b.path}"]'
                                 f'{{{_HOVER_MEMBER}}}')
        return "\n".join(rules)

    def _build_paste(self) -> None:
        self.paste = W.Textarea(placeholder="Paste NDIS_OFFLOAD bytes as hex (a7 02 90 00 …, 0xA7, 0x02, …, a hex "
                                            "dump with offsets) or the exported JSON, then Load hex.",
                                layout=W.Layout(width="100%", height="5em"))
        self.paste.add_class("ipsecexplore-paste")
        self.load_button = W.Button(description="Load hex", button_style="primary",
                                    tooltip="Decode the pasted bytes; every control follows")
        self.load_button.add_class("ipsecexplore-load")
        self.load_button.on_click(lambda _b: self.load_text(self.paste.value, source="paste"))
        self.upload = W.FileUpload(accept="", multiple=False, description="Upload file")
        self.upload.add_class("ipsecexplore-upload")
        self.upload.observe(self._on_upload, names="value")
        self.error = W.HTML("")
        self.error.add_class("ipsecexplore-error-box")
        self.paste_box = W.VBox([W.HTML("<b>Load bytes</b> (reverse direction)"), self.paste,
                                 W.HBox([self.load_button, self.upload]), self.error])

    def _build_export(self) -> None:
        self.export_format = W.ToggleButtons(options=["hex", "JSON", "C"], value="hex",
                                             tooltips=["hex bytes", "JSON keyed by dotted member path "
                                                       "(ipsecexplore encode reads it)", "C initializer"])
        self.export_format.observe(lambda _c: self._render_export(), names="value")
        self.export_text = W.Textarea(layout=W.Layout(width="100%", height="14em"))
        self.export_text.add_class("ipsecexplore-export-text")
        self.export_links = W.HTML()
        self.export_links.add_class("ipsecexplore-export-links")
        self.export_box = W.VBox([self.export_format, self.export_text, self.export_links])

    def _build_presets(self, presets: dict, fleet, data_paths, load_fleet_presets: bool) -> None:
        self._presets: dict[str, object] = {}
        self.preset = W.Dropdown(options=[("— load a preset —", "")], value="", description="Preset",
                                 layout=W.Layout(width="32em"))
        self.preset.add_class("ipsecexplore-preset")
        self.preset.observe(self._on_preset, names="value")
        self.preset_box = W.HBox([self.preset])
        self.reference = W.Dropdown(options=[("— none —", "")], value="", description="Compare with",
                                    layout=W.Layout(width="32em"))
        self.reference.add_class("ipsecexplore-reference")
        self.reference.observe(lambda _c: self._render_diff(), names="value")
        self.set_reference_button = W.Button(description="Current as reference",
                                             tooltip="Remember the current state; later changes diff against it")
        self.set_reference_button.on_click(lambda _b: self.add_reference_from_current())
        self.diff_view = W.HTML()
        self.diff_view.add_class("ipsecexplore-diff-view")
        self.diff_box = W.VBox([W.HBox([self.reference, self.set_reference_button]), self.diff_view])
        self.add_presets(presets)
        self.fleet_error: str | None = None  # why the fleet's adapters could not be offered, if so
        if load_fleet_presets or fleet is not None:
            with safe_call(self._set_fleet_error):
                self.add_presets(fleet_presets(fleet, data_paths, arch=self.arch))

    def _set_fleet_error(self, msg: str) -> None:
        self.fleet_error = msg
        self.preset.tooltip = f"fleet adapters unavailable: {msg}"

    # --- public API ---------------------------------------------------------------------------------
    @property
    def offload(self) -> NdisOffload:
        """The :class:`NdisOffload` the controls edit (replaced by :meth:`load` and revision changes)."""
        return self._offload

    @offload.setter
    def offload(self, value) -> None:
        self.load(value, source="offload")

    @property
    def bytes(self) -> bytes:
        """The current encoding: ``encode(self.offload)`` (``Header.Size`` bytes)."""
        return self._bytes

    def load(self, obj, *, source: str = "input") -> bool:
        """Load an :class:`NdisOffload`, its bytes, or hex text; every control follows.

        Returns False (and shows the error in place) when the input is not a usable NDIS_OFFLOAD."""
        self.error.value = ""
        ok = False
        with safe_call(self._show_error), _named(source):
            extra = []
            if isinstance(obj, str):
                obj, extra = self._parse_text(obj, source)
            extra += obj.notes() if isinstance(obj, Preset) else []
            if isinstance(obj, Preset) and "Header.Revision" not in obj.values:
                extra.append(f"the capture has no NDIS_OBJECT_HEADER: shown as revision {self._offload.revision} "
                             "(the revision selected before loading)")
            obj = self._as_offload(obj)  # bytes, {dotted path: value} or a captured adapter's Preset
            if not isinstance(obj, NdisOffload):
                raise InputError(f"cannot load a {type(obj).__name__}; expected NDIS_OFFLOAD bytes, hex text or "
                                 "an NdisOffload", source=source)
            self._accept(obj, source, extra)
            ok = True
        return ok

    def load_text(self, text: str, *, source: str = "paste") -> bool:
        """Parse pasted text (hex in any common shape, or the exported JSON) and load it."""
        if not text.strip():
            self._show_error("nothing to load: paste hex bytes first")
            return False
        return self.load(text, source=source)

    def refresh(self) -> None:
        """Re-read the model into the controls and redraw (after editing ``w.offload`` directly)."""
        self._sync_controls()
        self._render(None)

    def add_presets(self, presets: dict) -> None:
        """Add ``label -> NdisOffload | bytes | {dotted path: value} | Preset`` entries to the preset and
        reference lists."""
        for label, obj in (presets or {}).items():
            self._presets[str(label)] = obj
        opts = [("— load a preset —", "")] + [(k, k) for k in self._presets]
        with self._guard:
            self.preset.options = opts
            self.preset.value = ""
            current = self.reference.value
            self.reference.options = [("— none —", "")] + [(k, k) for k in self._presets]
            self.reference.value = current if current in self._presets else ""

    def add_reference_from_current(self, label: str | None = None) -> str:
        """Store a copy of the current state as a reference and select it in the diff view."""
        label = label or f"snapshot {sum(1 for k in self._presets if k.startswith('snapshot')) + 1}"
        self.add_presets({label: bytes(self._bytes)})
        self.reference.value = label
        return label

    def values(self) -> dict:
        """The model as ``{dotted path: value}`` (BOOLEANs as bool)."""
        return self._offload.to_dict()

    def control_state(self) -> dict:
        """``{control key: control value}`` — what the user sees."""
        return {b.key: b.widget.value for b in self.bindings}

    def expected_control_state(self) -> dict:
        """``{control key: value}`` implied by the model; equals :meth:`control_state` at rest."""
        values = self._offload.to_dict(raw=True)
        return {b.key: b.from_model(values) for b in self.bindings}

    # --- events -------------------------------------------------------------------------------------
    def _on_control(self, binding: Binding, change) -> None:
        if self._guard.active:
            return
        with safe_call(self._show_error):
            current = self._offload.to_dict(raw=True).get(binding.path, 0) if binding.kind == "bit" else 0
            _set_path(self._offload, binding.path, binding.new_value(current, change["new"]))
            self.error.value = ""
            self._render(binding.path)

    def _on_revision(self, change) -> None:
        if self._guard.active:
            return
        with safe_call(self._show_error):
            self._change_revision(int(change["new"]))

    def _change_revision(self, new: int) -> None:
        old = self._offload
        size = self.struct_layout.revision_size(new)
        keep = {m.path for m in self.struct_layout.leaves_within(size)}
        values = {p: v for p, v in old.to_dict(raw=True).items() if not p.startswith("Header.")}
        dropped = [p for p, v in values.items() if p not in keep and _nonzero(v)]
        self._offload = NdisOffload.from_dict({p: v for p, v in values.items() if p in keep}, revision=new,
                                              arch=self.arch)
        self._render("Header")
        said = []  # said aloud, never silently
        if dropped:
            said.append(f"Revision {new} has no {', '.join(dropped)}; "
                        f"{'that member was' if len(dropped) == 1 else 'those members were'} cleared.")
        said += _not_carried_over(old, new, self._offload.size)
        if said:
            self.notes.value = note_html(said + self._model_notes())

    def _on_upload(self, change) -> None:
        if self._guard.active or not change["new"]:
            return
        files = change["new"]
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        name = item.get("name", "upload") if isinstance(item, dict) else "upload"
        content = bytes(item["content"]) if isinstance(item, dict) else bytes(item.content)
        from ..hexinput import read_bytes

        with safe_call(self._show_error):
            self.load(read_bytes(content, "auto", source=name), source=name)
        with self._guard:  # clear, so that the same file can be chosen again
            self.upload.value = ()

    def _on_preset(self, change) -> None:
        if self._guard.active or not change["new"]:
            return
        label = change["new"]
        self.load(self._presets[label], source=f"preset {label}")
        with self._guard:
            self.preset.value = ""

    # --- model <-> controls -------------------------------------------------------------------------
    def _parse_text(self, text: str, source: str):
        from ..hexinput import parse_hex

        stripped = text.strip()
        if stripped.startswith("{") and '"' in stripped.split("\n", 1)[0] + stripped[:200]:
            try:
                obj = json.loads(stripped)
            except ValueError as err:  # json.JSONDecodeError, or a number of too many digits
                exc = number_error(stripped, err)
                if not isinstance(exc, json.JSONDecodeError):
                    raise
                raise InputError(f"looks like JSON but is not: {exc.msg} at line {exc.lineno} column {exc.colno}",
                                 source=source) from None
            if not isinstance(obj, dict):
                raise InputError("expected a JSON object keyed by dotted member paths", source=source)
            rev = obj.get("Header.Revision", self._offload.revision)
            notes = []
            size, macro = obj.get("Header.Size"), self._macro_size(rev)
            larger = (Extent.of(self.struct_layout, int(rev), size).json_note()
                      if isinstance(size, int) and not isinstance(size, bool) and macro is not None else None)
            if larger:
                # the builder's own export of a larger Header.Size (readers accept one, R8): JSON holds no
                # bytes past the members, so the object is written with the macro size, and that is said
                obj = {k: v for k, v in obj.items() if k != "Header.Size"}
                notes.append(larger)
            return NdisOffload.from_dict({k: tuple(v) if isinstance(v, list) else v for k, v in obj.items()},
                                         revision=rev, arch=self.arch), notes
        return parse_hex(text, source=source), []

    def _macro_size(self, revision) -> int | None:
        try:
            return self.struct_layout.revision_size(int(revision))
        except (KeyError, ValueError, TypeError):
            return None  # from_dict names the bad revision

    def _accept(self, off: NdisOffload, source: str, extra: list | None = None) -> None:
        if off.arch != self.arch:
            raise InputError(f"the builder edits {self.arch} layouts; got a {off.arch} object", source=source)
        if off.revision not in [v for _, v in self.revision.options]:
            raise InputError(f"NDIS_OFFLOAD revision {off.revision} has no IPsecV2 block; the builder handles "
                             f"revisions {self.revision.options[0][1]}–{self.revision.options[-1][1]}",
                             source=source)
        encode(off)  # refuse (with the codec's message) anything that cannot be encoded, before showing it
        self._offload = off
        self._sync_controls()
        self._render(None)
        decode_notes = []
        if off.decoded is not None:
            d = off.decoded
            decode_notes = decode_report(dataclasses.replace(d, trailing=b""))
            if d.trailing:
                decode_notes.append(d.extent.trailing_ignored_note())
        self.notes.value = note_html([f"Loaded from {source}."] + list(extra or []) + decode_notes
                                     + self._model_notes())

    def _sync_controls(self) -> None:
        values = self._offload.to_dict(raw=True)
        with self._guard:
            self.revision.value = self._offload.revision
            for b in self.bindings:
                b.widget.value = b.from_model(values)

    def _model_notes(self) -> list[str]:
        """Bits the controls cannot show (undefined flag bits, odd BOOLEAN bytes): kept, and said."""
        values = self._offload.to_dict(raw=True)
        out, masks = [], {}
        for b in self.bindings:
            if b.kind == "bit":
                masks[b.path] = masks.get(b.path, 0) | b.bit
        for path, mask in masks.items():
            extra = values.get(path, 0) & ~mask
            if extra:
                out.append(f"{path} = 0x{values[path]:X} has bits 0x{extra:X} no named flag covers "
                           "(kept in the bytes; no control for them)")
        for path, raw in self._offload.odd_booleans.items():
            out.append(f"{path}: BOOLEAN byte 0x{raw:02X} (shown as checked; kept until you toggle it)")
        return out

    def _as_offload(self, obj) -> NdisOffload:
        if isinstance(obj, Preset):
            obj = obj.values
        if isinstance(obj, (bytes, bytearray, memoryview)):
            return decode(bytes(obj))
        if isinstance(obj, dict):
            rev = obj.get("Header.Revision") or self._offload.revision
            return NdisOffload.from_dict({k: v for k, v in obj.items() if not k.startswith("Header.")},
                                         revision=rev, arch=self.arch)
        return obj

    def _show_error(self, message: str) -> None:
        self.error.value = error_html(message)

    # --- views --------------------------------------------------------------------------------------
    def _render(self, highlight: str | None) -> None:
        t0 = time.perf_counter()
        off = self._offload
        self._bytes = encode(off)
        self.last_changed = highlight
        rev = off.layout.revision(off.revision)
        title = (f"NDIS_OFFLOAD revision {off.revision} ({rev.revision_constant or rev.revision}) — "
                 f"{len(self._bytes)} bytes, NDIS {rev.ndis}" + (f"; changed: {highlight}" if highlight else ""))
        self.hex_view.value = hexdump_html(self._bytes, self.struct_layout, highlight=highlight,
                                           element_id=f"{self._instance}-hex", title=title)
        if highlight is not None:
            self.notes.value = note_html(_larger_size_notes(off) + self._model_notes())
        self._render_findings()
        # The tabbed views are redrawn when shown: the visible one now, the others when their tab is
        # selected (or by render_all()). That keeps a toggle's kernel work to encode + dump + findings + one view.
        self._stale = set(range(len(self._view_renderers)))
        self._render_view(self.views.selected_index)
        self.update_count += 1
        self.last_update_ms = (time.perf_counter() - t0) * 1000

    def render_all(self) -> None:
        """Bring every tabbed view (C, member table, export, diff) up to date now; findings always are."""
        for i in range(len(self._view_renderers)):
            self._render_view(i)

    def _render_view(self, index) -> None:
        if index is None or index not in self._stale:
            return
        self._stale.discard(index)
        self._view_renderers[index]()

    def _on_tab(self, change) -> None:
        self._render_view(change["new"])

    def _render_c(self) -> None:
        self.c_view.value = (f'<pre style="font-size:12px;user-select:text">'
                             f"{html_text(self._offload.c_initializer())}</pre>")

    def _render_findings(self) -> None:
        box = []

        def show(msg):
            box.append(msg)

        with safe_call(show):
            # the bytes, not the object: validate() would encode the object again (same findings, ~1 ms less)
            found = self._validate(self._bytes)
            rendered = found._repr_html_() if hasattr(found, "_repr_html_") else html_text(str(found))
            self.findings_view.value = rendered
            self.findings_title.value = (f"<b>Findings ({len(found)})</b> — rule, basis and source of each; "
                                         "they follow every change")
        if box:
            self.findings_view.value = error_html("rule check failed: " + box[0])

    def _render_members(self) -> None:
        self.members_view.value = member_table_html(self._offload, only_nonzero=self.members_nonzero.value)

    def _render_export(self) -> None:
        off, data = self._offload, self._bytes

        js = json.dumps(off.to_json(), indent=2)
        c = off.c_initializer()
        hx = _hex_lines(data)
        self.export_text.value = {"hex": hx, "JSON": js, "C": c}[self.export_format.value]
        stem = f"ndis_offload_rev{off.revision}"
        self.export_links.value = ("Download: " + data_uri_link(data, f"{stem}.bin", "application/octet-stream",
                                                                "binary (.bin)")
                                   + data_uri_link(hx + "\n", f"{stem}.hex", "text/plain", "hex (.hex)")
                                   + data_uri_link(js + "\n", f"{stem}.json", "application/json", "JSON (.json)")
                                   + data_uri_link(c, f"{stem}.c", "text/x-c", "C (.c)"))

    def _render_diff(self) -> None:
        label = self.reference.value
        if not label:
            self.diff_view.value = "<i>Choose a reference (a preset, a fleet adapter or a snapshot) to compare.</i>"
            return
        box = []
        with safe_call(box.append):
            ref_off = self._as_offload(self._presets[label])
            self.diff_view.value = diff_html([ref_off, self._offload], [label, "current"])
        if box:
            self.diff_view.value = error_html(f"cannot compare with {label}: {box[0]}")
