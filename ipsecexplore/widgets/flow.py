"""Step through the simulated miniport/NDIS flow: initialize → OID_TCP_OFFLOAD_PARAMETERS → status indication →
query with a chosen InformationBuffer length, keywords, SA add/delete — with the timeline and the bytes of
every step.

>>> from ipsecexplore.widgets import FlowWidget
>>> f = FlowWidget()                         # hardware: the first sample adapter that passes the rules
>>> f.initialize_button.click(); f.query_length.value = 100; f.query_button.click()
>>> f.sim.timeline[-1].status
'NDIS_STATUS_BUFFER_TOO_SHORT'

The widget only drives :class:`ipsecexplore.flow.Simulation`; every status, note and finding comes from it.
"""

from __future__ import annotations

import ipywidgets as W

from ..columns import flag_columns
from ..errors import InputError
from ..hexdump import hexdump_html
from ..layouts import layout, structure_names
from ..model import NdisOffload, decode
from ..text import html_text
from .common import Guard, error_html, instance_class, note_html, safe_call
from .presets import Preset, fleet_presets

__all__ = ["FlowWidget", "FLOW_CLASS", "event_structure"]

FLOW_CLASS = "ipsecexplore-flow"
_ABSENT = "(absent)"
# extra[...] keys of flow events that hold NDIS_OFFLOAD bytes (see ipsecexplore.flow.simulation)
_OFFLOAD_EXTRAS = ("DefaultOffloadConfiguration", "HardwareOffloadCapabilities", "current_after", "protocol_view")


def event_structure(label: str | None) -> str | None:
    """The structure named in an event's request/response label ('InformationBuffer: NDIS_OFFLOAD_PARAMETERS')."""
    if not label:
        return None
    names = sorted(structure_names(), key=len, reverse=True)  # longest first: NDIS_OFFLOAD_PARAMETERS
    for n in names:
        if n in label:
            return n
    return None


def _row(*children) -> W.HBox:
    """A row that wraps instead of squeezing; buttons keep their full label."""
    for c in children:
        if isinstance(c, W.Button):
            c.layout.width = "auto"
            c.layout.flex = "0 0 auto"
    return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap", align_items="center"))


def _dump(data: bytes, structure: str | None, arch: str, title: str) -> str:
    if structure:
        try:
            return hexdump_html(bytes(data), layout(structure, arch), title=title)
        except KeyError:
            pass
    rows = "\n".join(f"{i:04x}  {bytes(data[i:i + 16]).hex(' ')}" for i in range(0, len(data), 16))
    return f"<div><b>{html_text(title)}</b></div><pre>{html_text(rows)}</pre>"


class FlowWidget(W.VBox):
    """Drive a simulated adapter step by step. ``hardware``: NdisOffload, bytes, a dotted-path dict or a
    :class:`~ipsecexplore.widgets.presets.Preset` (default: the first sample adapter whose hardware
    capabilities have no error findings); ``builder``: a :class:`BuilderWidget` whose current bytes can be
    used as the hardware; ``fleet``: a loaded Fleet to take presets from."""

    def __init__(self, hardware=None, *, builder=None, fleet=None, data_paths=None, ndis: str = "6.30",
                 keywords: dict | None = None, arch: str = "x64", **kwargs):
        super().__init__(**kwargs)
        self.arch = arch
        self.builder = builder
        self._guard = Guard()
        self._instance = instance_class("flow")
        self.add_class(FLOW_CLASS)
        self.add_class(self._instance)
        self.error = W.HTML()
        self.error.add_class("ipsecexplore-error-box")
        self.sim = None
        self.setup_notes = W.HTML()
        self._assumed: list[str] = []  # what the set-up had to assume about the chosen hardware
        self._build_ndis(ndis)  # first: a capture without a header gets the revision of this NDIS version
        self._build_hardware(hardware, builder, fleet, data_paths)
        kw_row = self._build_keywords(keywords)
        self._build_faults()
        self._build_steps()
        self._build_sa_controls()
        self._build_views()
        self.children = self._parts(kw_row)
        self.reset()

    # --- construction: the named parts, top to bottom ---------------------------------------------
    def _build_ndis(self, ndis: str) -> None:
        """The NDIS version dropdown: IPsec offload v2 exists from NDIS 6.1 (NDIS_OFFLOAD revision 2)."""
        from .. import constants

        versions = [v.ndis for v in constants.NDIS_VERSIONS if constants.ndis_at_least(v.ndis, "6.1")]
        if ndis not in versions:
            raise InputError(f"ndis must be one of {', '.join(versions)} (IPsec offload v2 starts at 6.1)",
                             actual=ndis)
        self.ndis = W.Dropdown(options=versions, value=ndis, description="NDIS", layout=W.Layout(width="12em"))
        self.ndis.add_class("ipsecexplore-flow-ndis")

    def _build_hardware(self, hardware, builder, fleet, data_paths) -> None:
        """The hardware choices: the given hardware, the builder's bytes, then every hardware view of the
        fleet (each preset carries its view)."""
        self._hardware: dict[str, object] = {}
        with safe_call(self._show_error):
            self._hardware.update({k: p for k, p in fleet_presets(fleet, data_paths, arch=self.arch).items()
                                   if p.view == "hardware"})
        if builder is not None:
            self._hardware = {"the builder's current bytes": None, **self._hardware}
        if hardware is not None:
            self._hardware = {"given hardware": hardware, **self._hardware}
        options = list(self._hardware) or ["(no hardware available)"]
        self.hardware = W.Dropdown(options=options, value=self._default_hardware(options), description="Hardware",
                                   layout=W.Layout(width="40em"))
        self.hardware.add_class("ipsecexplore-flow-hardware")

    def _build_keywords(self, keywords: dict | None) -> W.HBox:
        """One dropdown per IPsec offload v2 INF keyword, its values from the keyword table."""
        from .. import constants
        from ..rules.keywords import KEYWORDS

        self.keywords = {}
        kw_rows = []
        for name in KEYWORDS:
            info = constants.INF_KEYWORDS.get(name)
            opts = [(_ABSENT, _ABSENT)] + [(f'"{v}" — {m}', str(v)) for v, m in (info.values.items() if info else ())]
            value = str((keywords or {}).get(name, _ABSENT))
            dd = W.Dropdown(options=opts, value=value if value in [o[1] for o in opts] else _ABSENT,
                            description=name, style={"description_width": "initial"}, layout=W.Layout(width="26em"),
                            tooltip=(info.param_desc + ". " + info.default_note) if info else name)
            dd.add_class("ipsecexplore-flow-keyword")
            self.keywords[name] = dd
            kw_rows.append(dd)
        return W.HBox(kw_rows)

    def _build_faults(self) -> None:
        """The faults list and the Restart button; changing any set-up control restarts the simulation."""
        from ..flow import FAULTS

        # Each option is a sentence: the list gets the full width under its own label (no description column
        # eating into it), and at least 60em so that a narrow notebook scrolls rather than cuts the text.
        self.faults = W.SelectMultiple(options=[(f"{k}: {v}", k) for k, v in FAULTS.items()], value=(),
                                       rows=len(FAULTS), layout=W.Layout(width="100%", min_width="60em"),
                                       tooltip="make the simulated miniport break a rule on purpose")
        self.faults.add_class("ipsecexplore-flow-faults")
        self.reset_button = W.Button(description="Restart", button_style="warning",
                                     tooltip="Start a new simulation (changing the set-up above restarts too)")
        for ctl in (self.hardware, self.ndis, self.faults, *self.keywords.values()):
            ctl.observe(lambda _c: self.reset(), names="value")
        self.reset_button.add_class("ipsecexplore-flow-reset")
        self.reset_button.on_click(lambda _b: self.reset())

    def _build_steps(self) -> None:
        """The step buttons (initialize, PARAMETERS, encapsulation, hardware change, query, bind)."""
        from ..flow import QUERY_OIDS

        self.initialize_button = W.Button(description="1. Initialize", button_style="primary",
                                          tooltip="MiniportInitializeEx → NdisMSetMiniportAttributes; "
                                                  "NDIS reads the keywords")
        self.initialize_button.add_class("ipsecexplore-flow-initialize")
        self.initialize_button.on_click(lambda _b: self._step(lambda s: s.initialize()))

        p_opts = self._parameter_options()
        self.param_ipsecv2 = W.Dropdown(options=p_opts, value=p_opts[0][1], description="IPsecV2",
                                        layout=W.Layout(width="34em"))
        self.param_ipsecv2_ipv4 = W.Dropdown(options=p_opts, value=p_opts[0][1], description="IPsecV2IPv4",
                                             style={"description_width": "initial"}, layout=W.Layout(width="34em"))
        self.param_button = W.Button(description="2. Set OID_TCP_OFFLOAD_PARAMETERS",
                                     layout=W.Layout(width="auto"),
                                     tooltip="NDIS checks the request and stores it in the keyword (R66; the "
                                             "string written is observed in ndis.sys, basis RE), the miniport "
                                             "indicates its new current configuration (status indication)")
        self.param_button.add_class("ipsecexplore-flow-parameters")
        self.param_button.on_click(lambda _b: self._step(lambda s: s.set_offload_parameters(
            {"IPsecV2": self.param_ipsecv2.value, "IPsecV2IPv4": self.param_ipsecv2_ipv4.value})))
        self.encap_button = W.Button(description="Set OID_OFFLOAD_ENCAPSULATION (802.3)", layout=W.Layout(width="auto"),
                                     tooltip="enables receive-side offload (R68)")
        self.encap_button.on_click(lambda _b: self._step(self._set_encapsulation))
        self.hw_change_button = W.Button(description="3. Hardware change → indication",
                                         layout=W.Layout(width="auto"),
                                         tooltip="the miniport indicates "
                                                 "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES "
                                                 "with the hardware chosen above")
        self.hw_change_button.on_click(lambda _b: self._step(lambda s: s.hardware_change(self._hardware_object())))

        self.query_oid = W.Dropdown(options=list(QUERY_OIDS), value=QUERY_OIDS[0], description="Query",
                                    layout=W.Layout(width="32em"))
        self.query_length = W.BoundedIntText(value=256, min=0, max=65535, description="InformationBufferLength",
                                             style={"description_width": "initial"}, layout=W.Layout(width="22em"))
        self.query_length.add_class("ipsecexplore-flow-length")
        self.query_button = W.Button(description="4. Query", tooltip="NDIS answers from what the miniport reported")
        self.query_button.add_class("ipsecexplore-flow-query")
        self.query_button.on_click(lambda _b: self._step(lambda s: s.query(self.query_oid.value,
                                                                         int(self.query_length.value))))

        self.bind_button = W.Button(description="Bind a protocol",
                                    tooltip="what a protocol driver is given at bind time (NDIS_BIND_PARAMETERS, R75)")
        self.bind_button.add_class("ipsecexplore-flow-bind")
        self.bind_button.on_click(lambda _b: self._step(lambda s: s.bind()))

        self._build_sa_controls()

    def _build_views(self) -> None:
        """The tabs: bytes of a step, timeline, adapter state, audit."""
        self.timeline_view = W.HTML()
        self.timeline_view.add_class("ipsecexplore-timeline")
        self.event_select = W.Dropdown(options=[("(no step yet)", 0)], value=0, description="Step",
                                       layout=W.Layout(width="60em"))
        self.event_select.observe(lambda _c: self._render_event(), names="value")
        self.event_view = W.HTML()
        self.event_view.add_class("ipsecexplore-flow-bytes")
        self.state_view = W.HTML()
        self.audit_button = W.Button(description="Audit the timeline", tooltip="rules about the order of events "
                                                                              "(R67, R72–R74, R88)")
        self.audit_button.on_click(lambda _b: self._audit())
        self.audit_view = W.HTML()
        self.views = W.Tab(children=[W.VBox([self.event_select, self.event_view]), self.timeline_view,
                                     W.VBox([self.state_view]), W.VBox([self.audit_button, self.audit_view])])
        self.views.titles = ("Bytes of a step", "Timeline", "Adapter state", "Audit")

    def _parts(self, kw_row: W.HBox) -> list:
        """The widget's children, top to bottom."""
        return [
            W.HTML("<b>Simulated miniport and NDIS</b> — every status, note and finding comes from "
                   "<code>ipsecexplore.flow.Simulation</code>."),
            W.HBox([self.hardware, self.ndis]), kw_row,
            W.HTML("Faults: make the simulated miniport break a rule on purpose (Ctrl-click to pick several)"),
            self.faults, self.reset_button,
            self.setup_notes,
            W.HTML("<b>Steps</b>"),
            _row(self.initialize_button),
            _row(self.param_ipsecv2, self.param_ipsecv2_ipv4, self.param_button),
            _row(self.hw_change_button, self.encap_button),
            _row(self.bind_button, self.query_oid, self.query_length, self.query_button),
            self.sa_box, self.error, self.views]

    # --- set-up helpers -------------------------------------------------------------------------
    def _default_hardware(self, options: list[str]) -> str:
        """The hardware the caller gave (``hardware``, else the builder's bytes), even when NDIS will refuse
        it: seeing that is a lesson, and silently simulating another adapter would be wrong. Otherwise the
        first choice whose hardware capabilities carry no error finding (so Initialize succeeds)."""
        from ..rules import validate

        for given in ("given hardware", "the builder's current bytes"):
            if given in self._hardware:
                return given
        for label in options:
            obj = self._hardware.get(label)
            if obj is None and label != "the builder's current bytes":
                continue
            try:
                off = self._to_offload(obj, label)
                if not validate(off).has_errors:
                    return label
            except Exception:  # noqa: BLE001 - a preset that cannot even be built is just not the default
                continue
        return options[0]

    @staticmethod
    def _parameter_options() -> list[tuple[str, int]]:
        from .. import constants

        cls = constants.NDIS_OFFLOAD_PARAMETERS_VALUE
        out = [(f"{c.name} ({int(c)})", int(c)) for c in cls.__members__.values()
               if c.name == "NDIS_OFFLOAD_PARAMETERS_NO_CHANGE" or "_IPSECV2_" in c.name]
        return out

    def _to_offload(self, obj, label: str) -> NdisOffload:
        if label == "the builder's current bytes" and self.builder is not None:
            return decode(self.builder.bytes)
        if isinstance(obj, Preset):
            self._assumed += obj.notes()
            obj = obj.values
        if isinstance(obj, dict):
            values = dict(obj)
            if "IPsecV2.Encapsulation" not in values:
                # PowerShell captures never carry Encapsulation; 802.3 is what every offload must offer (R14)
                from .. import constants

                values["IPsecV2.Encapsulation"] = int(constants.lookup("NDIS_ENCAPSULATION_IEEE_802_3"))
                self._assumed.append("IPsecV2.Encapsulation is not in the capture; the simulation assumes "
                                     "NDIS_ENCAPSULATION_IEEE_802_3 (0x2), which every offload must offer (R14)")
            rev = values.pop("Header.Revision", None) or self._revision_for_ndis()
            return NdisOffload.from_dict({k: v for k, v in values.items() if not k.startswith("Header.")},
                                         revision=rev, arch=self.arch)
        if isinstance(obj, (bytes, bytearray)):
            return decode(bytes(obj))
        if isinstance(obj, NdisOffload):
            return obj
        raise InputError(f"no hardware for {label!r}")

    def _revision_for_ndis(self) -> int:
        from .. import constants

        ndis = self.ndis.value
        revs = [v.offload_revision for v in constants.NDIS_VERSIONS
                if v.offload_revision and constants.ndis_at_least(ndis, v.ndis)]
        return revs[-1]

    def _hardware_object(self) -> NdisOffload:
        label = self.hardware.value
        return self._to_offload(self._hardware.get(label), label)

    def _keyword_values(self) -> dict:
        return {k: dd.value for k, dd in self.keywords.items() if dd.value != _ABSENT}

    def _build_sa_controls(self) -> None:
        from .. import constants

        ops = [(c.name, c.name) for c in constants.IPSEC_OFFLOAD_V2_OPERATION.__members__.values()
               if not c.name.endswith("Max")]
        self.sa_direction = W.Dropdown(options=["inbound", "outbound"], value="inbound", description="Direction",
                                       tooltip="inbound: Flags = IPSEC_OFFLOAD_V2_INBOUND; outbound: Flags = 0",
                                       layout=W.Layout(width="16em"))
        self.sa_operation = W.Dropdown(options=ops, value=ops[-1][1], description="Operation",
                                       layout=W.Layout(width="24em"))
        enc = [("(none)", 0)] + [(c.macro, c.bit) for c in flag_columns("IPsecV2.EncryptionAlgorithms")]
        auth = [("(none)", 0)] + [(c.macro, c.bit) for c in flag_columns("IPsecV2.AuthenticationAlgorithms")]
        self.sa_encryption = W.Dropdown(options=enc, value=enc[min(4, len(enc) - 1)][1], description="Encryption",
                                        layout=W.Layout(width="36em"))
        self.sa_authentication = W.Dropdown(options=auth, value=0, description="Authentication",
                                            style={"description_width": "initial"}, layout=W.Layout(width="36em"))
        self.sa_spi = W.BoundedIntText(value=0x1000, min=0, max=2 ** 32 - 1, description="SPI",
                                       layout=W.Layout(width="14em"))
        self.sa_key_length = W.BoundedIntText(value=20, min=0, max=256, description="key bytes",
                                              tooltip="length of the key area (AES-GCM-128: 16-byte key + 4-byte salt)",
                                              layout=W.Layout(width="14em"))
        self.sa_esn = W.Checkbox(value=False, description="IPSEC_OFFLOAD_V2_ESN_SA", indent=False)
        self.sa_add_button = W.Button(description="Add SA", button_style="success",
                                      tooltip="ADD_SA (NDIS 6.1/6.20) or ADD_SA_EX (6.30+), as the NDIS version uses")
        self.sa_add_button.add_class("ipsecexplore-flow-add-sa")
        self.sa_add_button.on_click(lambda _b: self._step(lambda s: s.offload_sa(self.sa_spec())))
        self.sa_handle = W.Dropdown(options=[("(no SA)", 0)], value=0, description="SA",
                                    layout=W.Layout(width="28em"))
        self.sa_delete_button = W.Button(description="Delete SA", button_style="danger")
        self.sa_delete_button.add_class("ipsecexplore-flow-delete-sa")
        self.sa_delete_button.on_click(lambda _b: self._step(lambda s: s.delete_sa(int(self.sa_handle.value))))
        self.sa_box = W.VBox([
            W.HTML("<b>5. Security associations</b> (IPv4 10.0.0.1 → 10.0.0.2, one SecAssoc element)"),
            _row(self.sa_direction, self.sa_operation, self.sa_spi, self.sa_key_length, self.sa_esn),
            _row(self.sa_encryption, self.sa_authentication, self.sa_add_button),
            _row(self.sa_handle, self.sa_delete_button)])

    def sa_spec(self) -> dict:
        """The SA spec (``ipsecexplore.flow.sa`` format) the SA controls describe."""
        from .. import constants

        flags = int(constants.lookup("IPSEC_OFFLOAD_V2_INBOUND")) if self.sa_direction.value == "inbound" else 0
        element = {"Operation": self.sa_operation.value, "Spi": int(self.sa_spi.value),
                   "EncryptionAlgorithm": {"Identifier": int(self.sa_encryption.value)},
                   "AuthenticationAlgorithm": {"Identifier": int(self.sa_authentication.value)}}
        if self.sa_esn.value:
            element["Flags"] = int(constants.lookup("IPSEC_OFFLOAD_V2_ESN_SA"))
        n = int(self.sa_key_length.value)
        if self.sa_encryption.value:
            element["EncryptionAlgorithm"]["KeyLength"] = n
        elif self.sa_authentication.value:
            element["AuthenticationAlgorithm"]["KeyLength"] = n
        return {"Flags": flags, "NumExtHdrs": 1, "IPv4Endpoints.SrcAddr": 0x0100000A,
                "IPv4Endpoints.DestAddr": 0x0200000A, "SecAssoc": [element], "Keys": bytes(range(n))}

    # --- actions --------------------------------------------------------------------------------
    def reset(self) -> bool:
        """Start a new :class:`~ipsecexplore.flow.Simulation` with the chosen hardware, NDIS version,
        keywords and faults. Returns False (error shown in place) when the settings are unusable."""
        from ..flow import Simulation

        self.error.value = ""
        self._assumed = []
        ok = False
        with safe_call(self._show_error):
            self.sim = None
            self.sim = Simulation(self._hardware_object(), keywords=self._keyword_values(), ndis=self.ndis.value,
                                  arch=self.arch, faults=self.faults.value)
            ok = True
        self.setup_notes.value = note_html(self._assumed)
        self._render()
        return ok

    def _set_encapsulation(self, sim):
        from .. import constants

        on = int(constants.lookup("NDIS_OFFLOAD_SET_ON"))
        e8023 = int(constants.lookup("NDIS_ENCAPSULATION_IEEE_802_3"))
        part = {"Enabled": on, "EncapsulationType": e8023, "HeaderSize": 14}
        return sim.set_offload_encapsulation(ipv4=part, ipv6=part)

    def _step(self, fn) -> None:
        """Run one simulator call; failures of the call itself are shown in place, never as a traceback."""
        self.error.value = ""
        if self.sim is None:
            self._show_error("no simulation: fix the set-up above (see the error) and press Restart")
            return
        with safe_call(self._show_error):
            fn(self.sim)
        self._render()

    def _audit(self) -> None:
        if self.sim is None:
            return
        box = []
        with safe_call(box.append):
            found = self.sim.audit()
            self.audit_view.value = found._repr_html_() if len(found) else "<i>No ordering rule is broken.</i>"
        if box:
            self.audit_view.value = error_html(box[0])

    def _show_error(self, message: str) -> None:
        self.error.value = error_html(message)

    # --- views ----------------------------------------------------------------------------------
    def _render(self) -> None:
        sim = self.sim
        tl = sim.timeline if sim is not None else []
        self.timeline_view.value = tl._repr_html_() if sim is not None else ""
        opts = [(f"{e.seq}. [{e.actor}] {e.kind}: {e.name}" + (f" → {e.status}" if e.status else ""), e.seq)
                for e in tl] or [("(no step yet)", 0)]
        with self._guard:
            self.event_select.options = opts
            self.event_select.value = opts[-1][1]
        self._render_event()
        handles = [(f"0x{h:X} ({'inbound' if e.inbound else 'outbound'}, {e.structure})", h)
                   for h, e in (sim.sas.items() if sim is not None else ())] or [("(no SA)", 0)]
        self.sa_handle.options = handles
        self.sa_handle.value = handles[-1][1]
        self.sa_delete_button.disabled = not (sim is not None and sim.sas)
        self._render_state()
        self.audit_view.value = ""

    def selected_event(self):
        """The event shown in 'Bytes of a step' (None before the first step)."""
        if self.sim is None:
            return None
        for e in self.sim.timeline:
            if e.seq == self.event_select.value:
                return e
        return None

    def _render_event(self) -> None:
        ev = self.selected_event()
        if ev is None:
            self.event_view.value = "<i>Press a step button; its bytes appear here.</i>"
            return
        parts = [f"<div><b>{ev.seq}. {html_text(ev.actor)} — {html_text(ev.kind)}: "
                 f"<code>{html_text(ev.what())}</code></b></div>"]
        if ev.result_text():
            colour = "#2b8a3e" if ev.ok else "#c92a2a"
            parts.append(f'<div class="ipsecexplore-flow-status" style="color:{colour}">'
                         f"{html_text(ev.result_text())}</div>")
        if ev.buffer_length is not None:
            parts.append(f"<div>InformationBufferLength = {ev.buffer_length}</div>")
        parts.append(note_html(ev.notes))
        if len(ev.findings):
            parts.append(ev.findings._repr_html_())
        arch = self.arch
        if ev.request is not None:
            label = ev.extra.get("request_label", "request")
            parts.append(_dump(ev.request, event_structure(label), arch, f"request — {label}"))
        if ev.response is not None:
            label = ev.extra.get("response_label", "response")
            # a query answer carries no structure name in its label; its Header.Type says NDIS_OFFLOAD
            struct = event_structure(label) or ("NDIS_OFFLOAD" if ev.response[:1] == b"\xa7" else None)
            parts.append(_dump(ev.response, struct, arch, f"response — {label}"))
        for key in _OFFLOAD_EXTRAS:
            data = ev.extra.get(key)
            if isinstance(data, (bytes, bytearray)) and data:
                parts.append(_dump(data, "NDIS_OFFLOAD", arch, f"{key} (NDIS_OFFLOAD)"))
        self.event_view.value = "".join(parts)

    def _render_state(self) -> None:
        sim = self.sim
        if sim is None:
            self.state_view.value = ""
            return
        rows = [f"<div>NDIS {html_text(sim.ndis)}, {html_text(sim.arch)}; initialized: {sim.initialized}; "
                f"SA bundles: {sim.live_bundles()}; registry: {html_text(str(sim.registry) or '{}')}</div>"]
        for title, obj in (("miniport current configuration", sim.current),
                           ("what protocols see (OID_TCP_OFFLOAD_CURRENT_CONFIG)", sim.protocol_view()),
                           ("hardware capabilities", sim.hardware)):
            if obj is not None:
                from ..flow import offload_bytes

                parts = _dump(offload_bytes(obj), "NDIS_OFFLOAD", sim.arch, title)
                rows.append(parts)
        self.state_view.value = "".join(rows)
