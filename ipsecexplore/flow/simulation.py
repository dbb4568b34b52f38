"""A simulated miniport and NDIS, step by step, as the seed page and the rule book describe the flow.

>>> from ipsecexplore.flow import Simulation
>>> sim = Simulation(hardware, keywords={"*IPsecOffloadV2": "3"}, ndis="6.30")
>>> sim.initialize()                                   # MiniportInitializeEx → NdisMSetMiniportAttributes
>>> sim.query("OID_TCP_OFFLOAD_CURRENT_CONFIG", 100)   # too short → NDIS_STATUS_BUFFER_TOO_SHORT, BytesNeeded
>>> sim.set_offload_parameters({"IPsecV2": 3})         # ESP only → keyword "2", CURRENT_CONFIG indication
>>> sim.offload_sa({...})                              # ADD_SA or ADD_SA_EX by NDIS version
>>> sim.timeline                                       # table of every step   # doctest: +SKIP

Who does what:

- the **miniport** reports hardware capabilities and its default configuration in
  NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES, keeps its *current* configuration, answers
  OID_TCP_OFFLOAD_PARAMETERS / OID_OFFLOAD_ENCAPSULATION and the SA OIDs, and indicates changes;
- **NDIS** checks the attributes, reads the keywords, checks and forwards PARAMETERS requests (writing the
  keyword back first), records what the miniport indicates, masks by keyword (R51/R76) and answers the
  query OIDs itself from what the miniport reported (R78–R80).

Where the documentation gives no status code the simulator picks one and says so in the event's notes.
``faults`` make the simulated miniport break a rule on purpose (for teaching and for tests); :meth:`audit`
finds those breaks in the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..effective import (
    apply_offload_parameters,
    as_parameters,
    derive_ipsecv2,
    miniport_default,
    ndis_mask,
    parameters_verdict,
)
from ..errors import EncodeError, InputError
from ..layouts import layout, ndis_key
from ..model import NdisOffload, decode_struct, encode_struct
from ..rules import const
from ..rules.base import Findings, finding
from ..rules.checks_sa import used_elements
from ..rules.keywords import resolve_keywords
from ..rules.registry import enforces
from ..rules.schema import ARCH, BOOLEAN, NDIS_VERSION, STRING, ULONG, check_value
from ..rules.subjects import (
    ATTRIBUTES,
    ENCAPSULATION,
    OFFLOAD,
    PARAMETERS,
    OffloadAttributes,
    offload_object,
    parse_values,
    subject_of,
)
from ..rules.validate import validate
from .events import Event, Timeline
from .memory import Allocator
from .sa import (
    ADD_SA,
    ADD_SA_EX,
    DELETE_SA,
    UPDATE_SA,
    SaRequest,
    build_add_sa,
    build_delete_sa,
    build_update_sa,
    header_overrides,
    parse_add_sa,
)

__all__ = ["Simulation", "SaEntry", "FAULTS", "QUERY_OIDS"]

FAULTS = {
    "skip_current_config_indication": "the miniport does not indicate NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG "
                                      "after a configuration change (breaks R67/R72)",
    "indicate_hardware_as_current": "the miniport puts its hardware capabilities in the CURRENT_CONFIG "
                                    "indication (breaks R73)",
    "stale_current_config_indication": "the miniport indicates its configuration from before the change "
                                       "(breaks R67)",
    "skip_hardware_indication": "a hardware change is not indicated with "
                                "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES (breaks R74)",
    "ignore_sa_capacity": "the miniport accepts SA bundles beyond SaOffloadCapacity (breaks R88)",
}

QUERY_OIDS = ("OID_TCP_OFFLOAD_CURRENT_CONFIG", "OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES", "OID_OFFLOAD_ENCAPSULATION")
SA_OIDS = {"OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA": ADD_SA, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX": ADD_SA_EX,
           "OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA": DELETE_SA, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA": UPDATE_SA}


def _enforces(*rule_ids: str, place: str):
    """The decorated step enforces ``rule_ids`` (rule book §14); explain() and the tests read these."""
    return enforces(*rule_ids, place=f"simulator: {place}")


@dataclass
class SaEntry:
    """One offloaded SA bundle held by the simulated NIC."""

    handle: int
    structure: str
    values: dict
    keys: bytes
    inbound: bool
    delete_requested: bool = False
    history: list = field(default_factory=list)

    @property
    def operations(self) -> list[int]:
        """The Operation of each SecAssoc[] element in use (NumExtHdrs of them)."""
        return [self.values.get(f"SecAssoc[{i}].Operation", 0) for i in range(self.values.get("NumExtHdrs", 0))]


def _change_notes(changes) -> list[str]:
    """One note per change; a block cleared or restored wholesale is said in one line."""
    changes = list(changes)
    block = [c for c in changes if c.member.startswith("IPsecV2.")]
    for after_falsy, verb in ((True, "cleared"), (False, "set from the hardware capabilities")):
        same = [c for c in block if bool(c.after) != after_falsy]
        if len(same) > 3 and len({(c.cause, c.stage) for c in same}) == 1:
            rules = ", ".join(sorted({c.rule for c in same}, key=lambda r: int(r[1:])))
            rest = [c for c in changes if c not in same]
            head = (f"{same[0].stage}: IPsecV2 {verb} — {', '.join(c.member[len('IPsecV2.'):] for c in same)} "
                    f"({same[0].cause}; {rules})")
            return [head] + [str(c) for c in rest]
    return [str(c) for c in changes]


def _st(name: str) -> tuple[str, int]:
    return name, const.value(name)


def _oid(name: str) -> int:
    return const.value(name)


def _ndis_ge(a: str, b: str) -> bool:
    return ndis_key(a) >= ndis_key(b)


def _revision_for(structure: str, ndis: str) -> int:
    """Highest revision of ``structure`` whose NDIS version is at most ``ndis`` (R10)."""
    revs = [r for r in layout(structure).revisions if ndis_key(r.ndis) <= ndis_key(ndis)]
    if not revs:
        raise InputError(f"{structure} does not exist at NDIS {ndis}", structure=structure)
    return revs[-1].revision


def _attributes_header(header: Mapping | None, arch: str) -> dict:
    """Header.* overrides of the attributes, checked against their C types."""
    return header_overrides(header, ATTRIBUTES, arch, "attributes_header")


def _encapsulation_problems(data: bytes, lay) -> tuple[dict, list[str]]:
    """``(values, problems)`` of an OID_OFFLOAD_ENCAPSULATION buffer: why the miniport refuses it (short
    buffer, wrong header, an Enabled or EncapsulationType outside its NDIS_* values), [] when it is good."""
    d = decode_struct(ENCAPSULATION, data, check_header=False) if len(data) >= 4 else None
    if d is None or len(data) < lay.revision_size(lay.latest_revision):
        return {}, [f"buffer of {len(data)} bytes is shorter than NDIS_OFFLOAD_ENCAPSULATION "
                    f"({lay.revision_size(lay.latest_revision)})"]
    from ..codec import object_type_value

    v, problems = d.to_dict(), []
    if data[0] != object_type_value(lay):
        problems.append(f"Header.Type 0x{data[0]:X} is not {lay.object_type}")
    if data[1] != lay.latest_revision or int.from_bytes(data[2:4], "little") != lay.revision_size(
            lay.latest_revision):
        problems.append("Header.Revision/Size are not NDIS_OFFLOAD_ENCAPSULATION_REVISION_1 / "
                        "NDIS_SIZEOF_OFFLOAD_ENCAPSULATION_REVISION_1")
    sets = const.names("NDIS_OFFLOAD_SET")
    one_of = {const.value("NDIS_ENCAPSULATION_IEEE_802_3"), const.value("NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED")}
    for ver in ("IPv4", "IPv6"):
        en = v[f"{ver}.Enabled"]
        if en not in sets.values():
            problems.append(f"{ver}.Enabled = {en} is not an NDIS_OFFLOAD_SET_* value")
        elif en == const.value("NDIS_OFFLOAD_SET_ON") and v[f"{ver}.EncapsulationType"] not in one_of:
            problems.append(f"{ver}.EncapsulationType = 0x{v[f'{ver}.EncapsulationType']:X} is not exactly "
                            "one of NDIS_ENCAPSULATION_IEEE_802_3 / NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED")
    return v, problems


def offload_bytes(off: NdisOffload) -> bytes:
    """The bytes a driver would hand over for ``off``. A revision that does not cover members the object
    holds (a revision-1 object with IPsecV2 set) gives the full buffer with the header as declared — the
    way such a driver bug looks in memory."""
    try:
        return off.encode()
    except EncodeError:
        lay = off.layout
        full = bytearray(off.encode(lay.latest_revision, full_sizeof=True))
        full[lay.field("Header.Revision").offset] = off.revision
        so = lay.field("Header.Size").offset
        full[so:so + 2] = lay.revision_size(off.revision).to_bytes(2, "little")
        return bytes(full)


class Simulation:
    """One adapter: a simulated miniport plus the NDIS that talks to it. See the module docstring.

    ``hardware``: the hardware capabilities (NdisOffload, bytes, or flat dict — a dict without a header
    gets the revision of ``ndis``); ``keywords``: INF keyword values in the registry; ``ndis``: the NDIS
    version of the miniport ('6.1', '6.20', '6.30', …); ``arch``: 'x64' or 'x86' (pointer sizes);
    ``default``: a default configuration to report instead of deriving it from the keywords (to model a
    miniport that gets it wrong); ``disable_task_offload``: the global TCPIP DisableTaskOffload switch (R55);
    ``supports_offload_parameters``: False models a miniport without OID_TCP_OFFLOAD_PARAMETERS (R58);
    ``faults``: names from :data:`FAULTS`."""

    def __init__(self, hardware, *, keywords: Mapping | None = None, ndis: str = "6.30", arch: str = "x64",
                 default=None, disable_task_offload: bool = False, supports_offload_parameters: bool = True,
                 faults: Iterable[str] = (), attributes_header: Mapping | None = None):
        # the same kinds a scenario file is checked against (flow.scenario.SETUP_KEYS), for Python callers
        check_value(arch, ARCH, key="arch")
        check_value(ndis, NDIS_VERSION, key="ndis")  # 6.3 or "9.9" would silently sort as some other version
        check_value(disable_task_offload, BOOLEAN, key="disable_task_offload")
        check_value(supports_offload_parameters, BOOLEAN, key="supports_offload_parameters")
        faults = list(faults) if isinstance(faults, Iterable) and not isinstance(faults, (str, bytes)) else None
        if faults is None or not all(isinstance(f, str) for f in faults):  # a string is no list of names
            raise InputError(f"faults must be a list of fault names ({', '.join(FAULTS)})", path="faults")
        self.ndis = ndis
        self.arch = arch
        self.faults = set(faults)
        unknown = self.faults - set(FAULTS)
        if unknown:
            raise InputError(f"unknown fault(s) {', '.join(sorted(map(str, unknown)))}; known: "
                             f"{', '.join(sorted(FAULTS))}", path="faults")
        if isinstance(hardware, Mapping) and "Header.Revision" not in hardware:
            vals = parse_values(hardware, OFFLOAD)
            hardware = NdisOffload.from_dict(vals, revision=_revision_for(OFFLOAD, ndis))
        self.hardware = offload_object(hardware)
        if keywords is not None and not isinstance(keywords, Mapping):
            raise InputError("keywords must be an object of {keyword: value}", path="keywords",
                             actual=type(keywords).__name__)
        self.registry: dict = dict(keywords or {})
        resolve_keywords(self.registry)  # a value NDIS could not read as a number is refused now, not mid-flow
        self.ndis_keywords: dict | None = None  # what NDIS read at initialization (then kept up to date)
        self._default_override = offload_object(default) if default is not None else None
        self.disable_task_offload = disable_task_offload
        self.supports_offload_parameters = supports_offload_parameters
        self.attributes_header = _attributes_header(attributes_header, arch)
        self.alloc = Allocator(arch)
        self.adapter_handle = self.alloc.alloc("MiniportAdapterContext")
        self.initialized = False
        self.current: NdisOffload | None = None          # the miniport's current configuration
        self.ndis_current: NdisOffload | None = None     # what NDIS recorded (attributes, then indications)
        self.ndis_hardware: NdisOffload | None = None
        self.encapsulation: dict | None = None           # last accepted NDIS_OFFLOAD_ENCAPSULATION values
        self.enabled_encapsulation: int | None = None
        self.receive_active = False                      # R68: after OID_OFFLOAD_ENCAPSULATION only
        self.sas: dict[int, SaEntry] = {}
        self.timeline = Timeline()

    # ----------------------------------------------------------------------------------------------
    # helpers

    def _event(self, actor: str, kind: str, name: str, **kw) -> Event:
        ev = Event(len(self.timeline) + 1, actor, kind, name, **kw)
        self.timeline.append(ev)
        return ev

    def _finish(self, ev: Event, status: str) -> Event:
        ev.status, ev.status_value = _st(status)
        return ev

    @property
    def revision(self) -> int:
        """Revision of the NDIS_OFFLOAD objects this miniport writes."""
        return self.hardware.revision

    def _not_ready(self, ev: Event) -> Event | None:
        if self.initialized:
            return None
        ev.notes.append("The adapter is not initialized (no successful NdisMSetMiniportAttributes); "
                        "the simulator fails the request.")
        return self._finish(ev, "NDIS_STATUS_FAILURE")

    def protocol_view(self) -> NdisOffload | None:
        """The current configuration as NDIS passes it up and answers OID_TCP_OFFLOAD_CURRENT_CONFIG."""
        if self.ndis_current is None:
            return None
        return ndis_mask(self.ndis_current, resolve_keywords(self.ndis_keywords))[0]

    def live_bundles(self) -> int:
        """How many SA bundles the NIC holds now."""
        return len(self.sas)

    # ----------------------------------------------------------------------------------------------
    # initialization

    @_enforces("R47", "R49", "R9", place="initialize")
    @_enforces("R51", place="initialize (keyword read)")
    def initialize(self, default=None) -> Event:
        """MiniportInitializeEx: the miniport reads the keywords, derives its default configuration (R49),
        fills NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES and calls NdisMSetMiniportAttributes; NDIS checks the
        attributes (R47, R8–R14 on both objects) and reads the keywords itself (R51). ``default`` reports
        that configuration instead (for this attempt), to model a miniport that gets it wrong. After a
        refusal the adapter stays uninitialized and initialize() may be called again."""
        override = offload_object(default) if default is not None else self._default_override
        if override is not None:
            default, derive_notes = override, ["default configuration supplied by the caller"]
        else:
            default, changes = miniport_default(self.hardware, self.registry)
            derive_notes = _change_notes(changes) or ["default configuration = hardware capabilities"]
        attrs = OffloadAttributes(default, self.hardware, self.arch, self.attributes_header or None)
        p_default = self.alloc.alloc("DefaultOffloadConfiguration")
        p_hw = self.alloc.alloc("HardwareOffloadCapabilities")
        pointers = {"DefaultOffloadConfiguration": p_default, "HardwareOffloadCapabilities": p_hw}
        request = attrs.to_bytes(pointers)
        other = "x86" if self.arch == "x64" else "x64"
        other_alloc = Allocator(other)
        other_ptrs = {k: other_alloc.alloc(k) for k in pointers}
        ev = self._event("miniport", "call", "NdisMSetMiniportAttributes", request=request)
        ev.extra.update({
            "request_label": f"NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES ({self.arch})",
            "pointers": {k: f"0x{v:0{16 if self.arch == 'x64' else 8}X}" for k, v in pointers.items()},
            f"attributes_{self.arch}": request,
            f"attributes_{other}": attrs.to_bytes(other_ptrs, arch=other),
            "DefaultOffloadConfiguration": offload_bytes(default),
            "HardwareOffloadCapabilities": offload_bytes(self.hardware),
        })
        ev.notes.append(f"MiniportInitializeEx: the miniport read the keywords "
                        f"({self._keywords_text(self.registry)}) and derived its default configuration (R49):")
        ev.notes += [f"  {n}" for n in derive_notes]
        ev.notes.append("The two NDIS_OFFLOAD pointers are shown for both architectures in extra "
                        "(attributes_x64, attributes_x86); the TCP chimney pointers are NULL.")
        found = validate(attrs, {"keywords": self.registry, "ndis": self.ndis, "arch": self.arch})
        ev.findings.extend(found)
        if found.has_errors:
            ev.notes.append("NdisMSetMiniportAttributes refuses attributes with error findings; the status code "
                            "is the simulator's choice (not documented), and MiniportInitializeEx fails.")
            return self._finish(ev, "NDIS_STATUS_INVALID_PARAMETER")
        self._finish(ev, "NDIS_STATUS_SUCCESS")
        self.initialized = True
        self.current = default
        self.ndis_current = default
        self.ndis_hardware = self.hardware
        # NDIS reads the keywords itself (R51)
        self.ndis_keywords = dict(self.registry)
        state = resolve_keywords(self.ndis_keywords)
        rd = self._event("NDIS", "registry read", "*IPsecOffloadV2 / *IPsecOffloadV2IPv4")
        rd.notes.append(state.describe())
        rd.notes.append("NDIS reads *IPsecOffloadV2 and only when it is absent *IPsecOffloadV2IPv4 (R51, RE).")
        rd.findings.extend(state.findings)
        view = self.protocol_view()
        masked = ndis_mask(default, state)[1]
        rd.notes += [f"Protocols will see: {c}" for c in masked] or ["Protocols see the default configuration "
                                                                     "unchanged."]
        rd.extra["protocol_view"] = offload_bytes(view)
        return ev

    @staticmethod
    def _keywords_text(kw: Mapping) -> str:
        return ", ".join(f"{k} = {v!r}" for k, v in kw.items()) or "none present"

    # ----------------------------------------------------------------------------------------------
    # status indications

    @_enforces("R76", place="status indication")
    def _indicate(self, status: str, offload: NdisOffload, reason: str) -> Event:
        """The miniport calls NdisMIndicateStatusEx with an NDIS_STATUS_INDICATION whose StatusBuffer
        points to ``offload``; NDIS records it."""
        buf = offload_bytes(offload)
        addr = self.alloc.alloc()
        lay = layout("NDIS_STATUS_INDICATION", self.arch)
        ind = encode_struct("NDIS_STATUS_INDICATION", {"SourceHandle": self.adapter_handle, "PortNumber": 0,
                                                        "StatusCode": const.value(status), "StatusBuffer": addr,
                                                        "StatusBufferSize": len(buf)},
                            self.arch, revision=lay.latest_revision)
        ev = self._event("miniport", "status indication", status, code=const.value(status), request=ind,
                         response=buf)
        ev.extra.update({"request_label": f"NDIS_STATUS_INDICATION ({self.arch})",
                         "response_label": "StatusBuffer: NDIS_OFFLOAD", "reason": reason})
        ev.notes.append(reason)
        if status == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG":
            ev.findings.extend(validate(offload, {"hardware": self.hardware, "role": "current"}))
            self.ndis_current = offload
            view, masked = ndis_mask(offload, resolve_keywords(self.ndis_keywords))
            ev.notes += [f"NDIS masks before passing it up (R76): {c}" for c in masked]
            ev.extra["protocol_view"] = offload_bytes(view)
        else:
            ev.findings.extend(validate(offload, {"role": "hardware"}))
            self.ndis_hardware = offload
        return ev

    def _indicate_current(self, before: NdisOffload, reason: str) -> Event | None:
        """Indicate the current configuration after a change, honouring the faults."""
        if "skip_current_config_indication" in self.faults:
            return None
        if "indicate_hardware_as_current" in self.faults:
            return self._indicate("NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG", self.hardware, reason)
        if "stale_current_config_indication" in self.faults:
            return self._indicate("NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG", before, reason)
        return self._indicate("NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG", self.current, reason)

    # ----------------------------------------------------------------------------------------------
    # OID_TCP_OFFLOAD_PARAMETERS

    @_enforces("R58", "R59", "R62", "R63", "R64", "R66", "R69", place="OID_TCP_OFFLOAD_PARAMETERS set")
    def set_offload_parameters(self, params, *, buffer_length: int | None = None) -> Event:
        """A protocol sets OID_TCP_OFFLOAD_PARAMETERS. ``params``: bytes, an OffloadParameters or a dict
        (a dict without ``Header.Revision`` uses the revision of the simulated NDIS version). NDIS checks the
        request (R59, R62–R65; wrong → real NDIS_STATUS code), writes the keyword back (R66), the miniport
        updates its current configuration (R67, R69) and indicates CURRENT_CONFIG (R72, R73)."""
        name = "OID_TCP_OFFLOAD_PARAMETERS"
        if buffer_length is not None:
            check_value(buffer_length, ULONG, key="buffer_length")
        data = self._parameters_bytes(params)
        length = len(data) if buffer_length is None else buffer_length
        ev = self._event("protocol → NDIS", "OID set", name, code=_oid(name), request=data[:length],
                         buffer_length=length)
        ev.extra["request_label"] = "InformationBuffer: NDIS_OFFLOAD_PARAMETERS"
        if self._not_ready(ev):
            return ev
        lay = layout(PARAMETERS)
        declared = int.from_bytes(data[2:4], "little") if len(data) >= 4 else 0
        minimum = lay.revision_size(lay.revisions[0].revision)
        if length < max(minimum, min(declared, len(data))):
            ev.bytes_needed = max(minimum, declared)
            ev.notes.append(f"InformationBufferLength {length} is shorter than the NDIS_OFFLOAD_PARAMETERS it "
                            f"carries ({ev.bytes_needed} bytes); NDIS_STATUS_INVALID_LENGTH with BytesNeeded is the "
                            "usual answer for a short set buffer (the page does not name the code).")
            return self._finish(ev, "NDIS_STATUS_INVALID_LENGTH")
        s = as_parameters(data[:length], self.arch)
        verdict = parameters_verdict(s, self.hardware)
        ev.findings.extend(verdict.findings)
        if not verdict.accepted:
            ev.notes.append(f"NDIS rejects the request before the miniport sees it: {verdict.status}.")
            return self._finish(ev, verdict.status)
        if not self.supports_offload_parameters:
            ev.findings.append(finding("R58", "This miniport does not support OID_TCP_OFFLOAD_PARAMETERS, so it "
                                              "returns NDIS_STATUS_NOT_SUPPORTED (miniports with task offload "
                                              "are required to handle it).", (), structure=PARAMETERS))
            return self._finish(ev, "NDIS_STATUS_NOT_SUPPORTED")
        before = self.current
        new, registry, memory, changes = apply_offload_parameters(
            self.current, self.hardware, s, self.registry, ndis_state=self.ndis_keywords,
            encapsulation=self.enabled_encapsulation)
        writes = [c for c in changes if c.stage == "keyword write-back"]
        ev.notes.append("NDIS accepts the request and hands it to the miniport"
                        + ("; first it writes the keywords back (R66)." if writes else "."))
        if writes:
            wr = self._event("NDIS", "registry write", ", ".join(sorted({c.member for c in writes})))
            wr.notes += [str(c) for c in writes]
        self.registry, self.ndis_keywords = registry, memory
        self.current = new
        done = self._event("miniport", "OID set", name, code=_oid(name), request=data[:length],
                           bytes_read=s.size if s.size is not None else length)
        done.extra["request_label"] = "InformationBuffer: NDIS_OFFLOAD_PARAMETERS"
        mini = [c for c in changes if c.stage == "miniport"]
        done.notes += _change_notes(mini) or ["The request changes nothing in the current configuration."]
        done.extra["current_before"] = offload_bytes(before)
        done.extra["current_after"] = offload_bytes(new)
        done.extra["changed"] = new.to_dict() != before.to_dict()
        self._finish(done, "NDIS_STATUS_SUCCESS")
        self._indicate_current(before, "The miniport reports its new current configuration after "
                                       "OID_TCP_OFFLOAD_PARAMETERS (R67, R72).")
        return done

    def _parameters_bytes(self, params) -> bytes:
        if isinstance(params, (bytes, bytearray, memoryview)):
            return bytes(params)
        if isinstance(params, Mapping):
            vals = parse_values(params, PARAMETERS)
            lay = layout(PARAMETERS)
            # "is None", not "or": a Header.Revision of 0 was written, so it is judged, not replaced
            rev = vals.pop("Header.Revision", None)
            if rev is None:
                rev = _revision_for(PARAMETERS, self.ndis)
            known = [r.revision for r in lay.revisions]
            if rev not in known:
                # no NDIS_SIZEOF exists for it, so the member form cannot say how many bytes to send; the
                # hex form sends any header as it stands (and NDIS answers it, R59)
                raise InputError(f"Header.Revision {rev} is no {PARAMETERS} revision ({known[0]}..{known[-1]}), so "
                                 "the simulator cannot tell how long the buffer is; give 'parameters' as hex text "
                                 "to send a malformed header as it stands", structure=PARAMETERS,
                                 path="Header.Revision", expected=f"{known[0]}..{known[-1]}", actual=rev)
            hdr = {k: vals.pop(k) for k in ("Header.Type", "Header.Size") if k in vals}
            try:
                data = bytearray(encode_struct(PARAMETERS, vals, revision=rev))
            except EncodeError:
                # members beyond the revision (e.g. IPsecV2 in a revision-1 request): the buffer up to the
                # last member set, header as declared — what such a caller really sends
                data = bytearray(encode_struct(PARAMETERS, vals, revision=lay.latest_revision))
                data[lay.field("Header.Revision").offset] = rev
                so = lay.field("Header.Size").offset
                data[so:so + 2] = lay.revision_size(rev).to_bytes(2, "little")
                end = max([lay.revision_size(rev)] + [lay.field(p).end for p, v in vals.items() if v])
                data = data[:end]
            for k, v in hdr.items():
                m = lay.field(k)
                data[m.offset:m.offset + m.size] = int(v).to_bytes(m.size, "little")
            return bytes(data)
        if hasattr(params, "encode"):
            return params.encode()
        raise InputError(f"cannot send a {type(params).__name__} as NDIS_OFFLOAD_PARAMETERS")

    # ----------------------------------------------------------------------------------------------
    # OID_OFFLOAD_ENCAPSULATION

    @_enforces("R56", "R68", place="OID_OFFLOAD_ENCAPSULATION set")
    def set_offload_encapsulation(self, encapsulation=None, *, ipv4: Mapping | None = None,
                                  ipv6: Mapping | None = None) -> Event:
        """A protocol sets OID_OFFLOAD_ENCAPSULATION (NDIS_OFFLOAD_ENCAPSULATION bytes or dict, or ``ipv4``/
        ``ipv6`` dicts of Enabled/EncapsulationType/HeaderSize). Receive-side IPsec starts only now (R68); the
        miniport indicates its current configuration (R72)."""
        name = "OID_OFFLOAD_ENCAPSULATION"
        lay = layout(ENCAPSULATION)
        if encapsulation is None:
            vals = {}
            for ver, part in (("IPv4", ipv4), ("IPv6", ipv6)):
                for k, v in (part or {}).items():
                    vals[f"{ver}.{k}"] = v
            encapsulation = vals
        if isinstance(encapsulation, Mapping):
            vals = parse_values(encapsulation, ENCAPSULATION)
            hdr = {k: vals.pop(k) for k in list(vals) if k.startswith("Header.")}
            data = bytearray(encode_struct(ENCAPSULATION, vals, revision=lay.latest_revision))
            for k, v in hdr.items():
                m = lay.field(k)
                data[m.offset:m.offset + m.size] = int(v).to_bytes(m.size, "little")
            data = bytes(data)
        else:
            data = bytes(encapsulation)
        ev = self._event("protocol → NDIS", "OID set", name, code=_oid(name), request=data, buffer_length=len(data))
        ev.extra["request_label"] = "InformationBuffer: NDIS_OFFLOAD_ENCAPSULATION"
        if self.disable_task_offload:
            ev.findings.append(finding("R56", "The registry disables task offload (DisableTaskOffload = 1), so "
                                              "protocol drivers must not send OID_OFFLOAD_ENCAPSULATION.",
                                       (), structure=ENCAPSULATION))
        if self._not_ready(ev):
            return ev
        v, problems = _encapsulation_problems(data, lay)
        if problems:
            ev.notes += problems
            ev.notes.append("The miniport refuses the request; NDIS_STATUS_INVALID_PARAMETER is the simulator's "
                            "choice (the page names no code).")
            return self._finish(ev, "NDIS_STATUS_INVALID_PARAMETER")
        before = self.current
        ev.notes.append(self._take_encapsulation(v))
        ev.extra["current_before"] = offload_bytes(before)
        ev.extra["current_after"] = offload_bytes(self.current)
        ev.extra["changed"] = True
        ev.actor = "protocol → miniport"
        self._finish(ev, "NDIS_STATUS_SUCCESS")
        ev.bytes_read = len(data)
        self._indicate_current(before, "The miniport reports its current configuration after "
                                       "OID_OFFLOAD_ENCAPSULATION (R72); Encapsulation members carry the OR of the "
                                       "framings enabled now (R73).")
        return ev

    def _take_encapsulation(self, v: Mapping) -> str:
        """Merge an accepted NDIS_OFFLOAD_ENCAPSULATION into the miniport's state (NO_CHANGE halves keep
        theirs) and start or stop receive-side IPsec (R68); the event note saying which."""
        on, off = const.value("NDIS_OFFLOAD_SET_ON"), const.value("NDIS_OFFLOAD_SET_OFF")
        merged = dict(self.encapsulation or {})
        for ver in ("IPv4", "IPv6"):
            if v[f"{ver}.Enabled"] != const.value("NDIS_OFFLOAD_SET_NO_CHANGE"):
                for k in ("Enabled", "EncapsulationType", "HeaderSize"):
                    merged[f"{ver}.{k}"] = v[f"{ver}.{k}"]
        self.encapsulation = merged
        enabled = 0
        for ver in ("IPv4", "IPv6"):
            if merged.get(f"{ver}.Enabled") == on:
                enabled |= merged.get(f"{ver}.EncapsulationType", 0)
        if enabled:
            self.enabled_encapsulation = enabled
            self.receive_active = True
            self.current = self._apply_encapsulation(self.current, enabled)
            return (f"Encapsulation enabled: {const.name_of('NDIS_ENCAPSULATION', enabled)}. Receive-side "
                    "IPsec offload becomes active now (R68).")
        self.receive_active = False
        return ("No encapsulation is on (" + ", ".join(
            f"{ver}.Enabled = {merged.get(f'{ver}.Enabled', 0)}" for ver in ("IPv4", "IPv6"))
            + f"; NDIS_OFFLOAD_SET_OFF = {off}): receive-side IPsec offload is not active (R68).")

    def _apply_encapsulation(self, off: NdisOffload, enabled: int) -> NdisOffload:
        """Every Encapsulation member of the current configuration = hardware framings ∩ enabled ones."""
        hw = self.hardware.to_dict()
        vals = off.to_dict(raw=True)
        for m in off.layout.leaves:
            if m.name == "Encapsulation" and m.domain == "NDIS_ENCAPSULATION" and m.path in vals and vals[m.path]:
                vals[m.path] = hw.get(m.path, 0) & enabled
        return NdisOffload.from_dict(vals, revision=off.revision)

    # ----------------------------------------------------------------------------------------------
    # hardware change

    def hardware_change(self, hardware=None, *, changes: Mapping | None = None) -> Event:
        """The hardware capabilities change (e.g. a NIC under a MUX driver is removed): the miniport
        indicates NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES (R74); the current configuration shrinks to
        the new hardware (a lost capability can no longer be configured) and, when it changed, is indicated
        too (R72). ``changes``: member values to change in the present hardware object (one of the two is
        required; ``changes`` holds no Header.* — give a whole ``hardware`` object for another revision)."""
        if hardware is None and changes is None:
            raise InputError("a hardware change needs the new hardware capabilities or the changes to them",
                             path="changes")
        if hardware is None:
            if isinstance(changes, Mapping):
                hdr = sorted(str(k) for k in changes if str(k).startswith("Header."))
                if hdr:
                    # the revision of the present object would silently win over a Header.* given here
                    raise InputError("changes holds member values of the present hardware object; give a whole "
                                     "'hardware' object to change its header", structure=OFFLOAD, path=hdr[0])
            vals = self.hardware.to_dict(raw=True)
            vals.update(parse_values(changes or {}, OFFLOAD))
            hardware = NdisOffload.from_dict(vals, revision=self.hardware.revision)
        new_hw = offload_object(hardware)
        ev = self._event("miniport", "miniport action", "hardware capabilities change",
                         request=offload_bytes(new_hw))
        ev.extra["request_label"] = "new hardware capabilities: NDIS_OFFLOAD"
        if self._not_ready(ev):
            return ev
        old_hw, before = self.hardware, self.current
        self.hardware = new_hw
        lost = [p for p, v in old_hw.to_dict().items() if not p.startswith("Header.")
                and v and not new_hw.to_dict().get(p)]
        ev.notes.append("Lost: " + (", ".join(lost) if lost else "nothing") + ".")
        cur = self.current.to_dict(raw=True)
        if subject_of(self.current).ipsecv2_reported:
            cur.update(derive_ipsecv2(new_hw, bool(cur.get("IPsecV2.Ah")), bool(cur.get("IPsecV2.Esp")),
                                      encapsulation=self.enabled_encapsulation))
        hw_vals = new_hw.to_dict(raw=True)
        for m in self.current.layout.leaves:  # everything else: current ∩ new hardware
            p = m.path
            if p.startswith(("Header.", "IPsecV2.")) or p not in cur or p not in hw_vals:
                continue
            if m.domain == "NDIS_ENCAPSULATION" or m.is_boolean or m.domain == "NDIS_OFFLOAD_SUPPORT":
                cur[p] = cur[p] & hw_vals[p] if m.domain == "NDIS_ENCAPSULATION" else min(cur[p], hw_vals[p])
        self.current = NdisOffload.from_dict(cur, revision=before.revision)
        ev.extra["current_before"] = offload_bytes(before)
        ev.extra["current_after"] = offload_bytes(self.current)
        ev.extra["changed"] = self.current.to_dict() != before.to_dict()
        self._finish(ev, "NDIS_STATUS_SUCCESS")
        if "skip_hardware_indication" not in self.faults:
            self._indicate("NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES", new_hw,
                           "The hardware capabilities changed; the miniport (a MUX driver here) must say so (R74).")
        if ev.extra["changed"]:
            self._indicate_current(before, "The current configuration lost what the hardware lost (R72).")
        cap = self.current.to_dict().get("IPsecV2.SaOffloadCapacity", 0)
        if self.live_bundles() > cap:
            ev.findings.append(finding("R88", f"{self.live_bundles()} SA bundles are offloaded but the new "
                                              f"SaOffloadCapacity is {cap}.", ("IPsecV2.SaOffloadCapacity",),
                                       structure=OFFLOAD))
        return ev

    # ----------------------------------------------------------------------------------------------
    # queries (NDIS answers them from what the miniport reported)

    @_enforces("R78", "R79", "R80", place="query")
    def query(self, oid: str, length: int) -> Event:
        """Query ``oid`` into an InformationBuffer of ``length`` bytes (R78–R80)."""
        check_value(oid, STRING, key="oid")
        check_value(length, ULONG, key="length")
        code = self._oid_code(oid)
        ev = self._event("protocol → NDIS", "OID query", oid, code=code, buffer_length=length)
        if oid == "OID_TCP_OFFLOAD_PARAMETERS":
            ev.findings.append(finding("R58", "OID_TCP_OFFLOAD_PARAMETERS is set-only; a query is not supported.",
                                       (), structure=PARAMETERS))
            return self._finish(ev, "NDIS_STATUS_NOT_SUPPORTED")
        if oid in SA_OIDS:
            ev.notes.append("The IPsecOV2 SA OIDs are set requests on the direct OID path; a query is not "
                            "supported (simulator's choice of code).")
            return self._finish(ev, "NDIS_STATUS_NOT_SUPPORTED")
        if oid not in QUERY_OIDS:
            ev.notes.append("The simulated NDIS does not know this OID.")
            return self._finish(ev, "NDIS_STATUS_INVALID_OID")
        if self._not_ready(ev):
            return ev
        if oid == "OID_TCP_OFFLOAD_CURRENT_CONFIG":
            obj = self.protocol_view()
            data = offload_bytes(obj)
            needed = obj.size
            ev.notes.append("NDIS answers on the miniport's behalf with the current configuration it recorded, "
                            "after keyword masking (R79, R51).")
        elif oid == "OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES":
            obj = self.ndis_hardware
            data = offload_bytes(obj)
            needed = obj.size
            ev.notes.append("NDIS answers with the hardware capabilities the miniport reported (R79).")
        else:
            lay = layout(ENCAPSULATION)
            vals = dict(self.encapsulation or {})
            if not vals:
                off = const.value("NDIS_OFFLOAD_SET_OFF")
                vals = {"IPv4.Enabled": off, "IPv6.Enabled": off}
                ev.notes.append("No OID_OFFLOAD_ENCAPSULATION was set yet; the simulator answers with both "
                                "versions NDIS_OFFLOAD_SET_OFF (inferred).")
            data = encode_struct(ENCAPSULATION, vals, revision=lay.latest_revision)
            needed = len(data)
        if length < needed:
            ev.bytes_needed = needed
            ev.findings.append(finding("R80", f"InformationBufferLength {length} is smaller than the {needed}-byte "
                                              f"object (its Header.Size): NDIS_STATUS_BUFFER_TOO_SHORT, BytesNeeded "
                                              f"= {needed}, nothing copied.", (), structure=OFFLOAD))
            return self._finish(ev, "NDIS_STATUS_BUFFER_TOO_SHORT")
        ev.response = data[:needed]
        ev.extra["response_label"] = "InformationBuffer"
        ev.bytes_written = needed
        return self._finish(ev, "NDIS_STATUS_SUCCESS")

    def bind(self) -> Event:
        """What a protocol driver is given when it binds to the adapter (ProtocolBindAdapterEx).

        NDIS passes the offload hardware capabilities and the current configuration in NDIS_BIND_PARAMETERS,
        and overlying drivers should take them from there rather than query OIDs (R75). The simulator gives
        the protocol the same objects it answers the two query OIDs with: the hardware capabilities the
        miniport reported and the current configuration after the keyword masking (R51, RE). ``response`` is
        that current configuration; ``extra["HardwareOffloadCapabilities"]`` the hardware capabilities."""
        ev = self._event("NDIS → protocol", "bind", "ProtocolBindAdapterEx (NDIS_BIND_PARAMETERS)")
        if self._not_ready(ev):
            return ev
        current = offload_bytes(self.protocol_view())
        ev.response = current
        ev.extra.update({"response_label": "current configuration (NDIS_OFFLOAD)",
                         "HardwareOffloadCapabilities": offload_bytes(self.ndis_hardware)})
        ev.notes.append("NDIS gives the protocol the adapter's offload hardware capabilities and current "
                        "configuration in NDIS_BIND_PARAMETERS; a protocol should use them instead of querying "
                        "OIDs, and follow later NDIS_STATUS_TASK_OFFLOAD_* indications (R75).")
        ev.notes.append("The current configuration here is the one OID_TCP_OFFLOAD_CURRENT_CONFIG returns: after "
                        "the keyword masking observed in ndis.sys (R51, RE).")
        return self._finish(ev, "NDIS_STATUS_SUCCESS")

    def oid_set(self, oid: str, buffer: bytes) -> Event:
        """A raw set request: dispatches to the handlers; query-only OIDs answer NOT_SUPPORTED (R78)."""
        if oid == "OID_TCP_OFFLOAD_PARAMETERS":
            return self.set_offload_parameters(buffer)
        if oid == "OID_OFFLOAD_ENCAPSULATION":
            return self.set_offload_encapsulation(bytes(buffer))
        code = self._oid_code(oid)
        ev = self._event("protocol → NDIS", "OID set", oid, code=code, request=bytes(buffer),
                         buffer_length=len(buffer))
        if oid in QUERY_OIDS:
            ev.notes.append("This OID is query-only and answered by NDIS; the simulator answers a set with "
                            "NDIS_STATUS_NOT_SUPPORTED (the exact code is not documented, R78).")
            return self._finish(ev, "NDIS_STATUS_NOT_SUPPORTED")
        ev.notes.append("Use offload_sa/add_sa/delete_sa/update_sa for the SA OIDs."
                        if oid in SA_OIDS else "The simulated NDIS does not know this OID.")
        return self._finish(ev, "NDIS_STATUS_INVALID_OID")

    @staticmethod
    def _oid_code(oid: str) -> int | None:
        try:
            return _oid(oid)
        except KeyError:
            return None

    # ----------------------------------------------------------------------------------------------
    # SA management (direct OID path)

    def sa_oid(self) -> str:
        """The add OID for this NDIS version (R84): ADD_SA for 6.1/6.20, ADD_SA_EX from 6.30."""
        return "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX" if _ndis_ge(self.ndis, "6.30") else \
            "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA"

    def offload_sa(self, spec: Mapping) -> Event:
        """Offload one SA bundle with the add OID the simulated NDIS version uses (R84)."""
        if self.sa_oid().endswith("_EX"):
            return self.add_sa_ex(spec)
        return self.add_sa([spec])

    def add_sa(self, specs: Iterable[Mapping] | Mapping, *, header: Mapping | None = None) -> Event:
        """OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA with a linked list of SAs (through ``Next``)."""
        if isinstance(specs, Mapping):
            specs = [specs]
        return self._add("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA", ADD_SA, list(specs), header)

    def add_sa_ex(self, spec: Mapping, *, header: Mapping | None = None) -> Event:
        """OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX: exactly one SA."""
        return self._add("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX", ADD_SA_EX, [spec], header)

    @_enforces("R84", place="SA OIDs")
    @_enforces("R86", "R87", place="ADD_SA")
    @_enforces("R88", place="ADD_SA / audit")
    def _add(self, oid: str, structure: str, specs: list, header) -> Event:
        if not specs:
            raise InputError("an ADD_SA request needs at least one SA")
        ev, reqs = self._add_event(oid, structure, specs, header)
        if self._not_ready(ev) or self._add_oid_refused(ev, structure):
            return ev
        cap = self.current.to_dict().get("IPsecV2.SaOffloadCapacity", 0)
        response = []
        added = []
        first_failure = None
        for i, req in enumerate(reqs):
            parsed = parse_add_sa(req.data, structure, self.arch)
            label = f"SA #{i + 1}: " if len(reqs) > 1 else ""
            status = self._sa_refusal(ev, req, parsed, structure, label, self.live_bundles() + len(added), cap)
            out, entry = self._sa_answer(ev, req, parsed, structure, label, status)
            if entry is not None:
                added.append(entry)
            else:
                first_failure = first_failure or status
            response.append(out)
        for e in added:
            self.sas[e.handle] = e
        ev.response = b"".join(response)
        ev.extra["response_label"] = "same buffer, OffloadHandle filled (NULL where not added)"
        ev.extra["live_after"] = self.live_bundles()
        ev.extra["capacity"] = cap
        if self.live_bundles() > cap:
            ev.findings.append(finding("R88", f"{self.live_bundles()} bundles are offloaded but SaOffloadCapacity is "
                                              f"{cap}.", ("IPsecV2.SaOffloadCapacity",), structure=structure))
        if added:
            if first_failure:
                ev.notes.append("The request succeeds because at least one SA was offloaded; failed entries have "
                                "OffloadHandle NULL (R86).")
            return self._finish(ev, "NDIS_STATUS_SUCCESS")
        ev.notes.append("No SA was offloaded, so the request fails (R86).")
        return self._finish(ev, first_failure)

    def _add_event(self, oid: str, structure: str, specs: list, header) -> tuple[Event, list[SaRequest]]:
        """The direct OID set event of an ADD_SA(_EX) request and its SA structures (ADD_SA ones linked by
        Next, each at an address of the simulated memory)."""
        addrs = [self.alloc.alloc() for _ in specs]
        reqs: list[SaRequest] = []
        for i, spec in enumerate(specs):
            nxt = addrs[i + 1] if structure == ADD_SA and i + 1 < len(specs) else 0
            reqs.append(build_add_sa(spec, structure, self.arch, next_address=nxt, header=header))
        data = b"".join(r.data for r in reqs)
        ev = self._event("transport → miniport", "direct OID set", oid, code=_oid(oid), request=data,
                         buffer_length=len(reqs[0].data))
        ev.extra["request_label"] = f"{structure} ({self.arch})" + (f" ×{len(reqs)} linked by Next"
                                                                   if len(reqs) > 1 else "")
        ev.extra["entries"] = [{"address": f"0x{a:X}", "bytes": r.data} for a, r in zip(addrs, reqs)]
        ev.notes.append("SA OIDs travel on the direct OID path: not serialized with other OIDs, handled at "
                        "IRQL ≤ DISPATCH_LEVEL (R82, R83).")
        return ev, reqs

    def _add_oid_refused(self, ev: Event, structure: str) -> bool:
        """R84: ADD_SA_EX before NDIS 6.30 fails the OID; ADD_SA from 6.30 on is handled with a warning."""
        if structure == ADD_SA_EX and not _ndis_ge(self.ndis, "6.30"):
            ev.findings.append(finding("R84", f"ADD_SA_EX exists from NDIS 6.30; this miniport is NDIS {self.ndis} "
                                              "and supports ADD_SA.", (), severity="warning", basis="DOC/HDR",
                                       structure=structure))
            self._finish(ev, "NDIS_STATUS_INVALID_OID")
            return True
        if structure == ADD_SA and _ndis_ge(self.ndis, "6.30"):
            ev.findings.append(finding("R84", f"An NDIS {self.ndis} transport uses ADD_SA_EX; ADD_SA is the NDIS "
                                              "6.1/6.20 OID. The simulated miniport still handles it.", (),
                                       severity="warning", structure=structure))
        return False

    def _sa_refusal(self, ev: Event, req: SaRequest, parsed: SaRequest, structure: str, label: str, live: int,
                    cap: int) -> str | None:
        """The status that fails one SA of the request (broken structure, no room, not enabled — R87), with
        its findings on ``ev``; None when the miniport takes it."""
        found = validate(req.data, {"structure": structure, "current": self.current, "arch": self.arch})
        for f in found:
            ev.findings.append(f)
        if found.has_errors:
            ev.notes.append(f"{label}refused: the structure breaks an error rule "
                            "(NDIS_STATUS_INVALID_PARAMETER, the simulator's choice).")
            return "NDIS_STATUS_INVALID_PARAMETER"
        if live >= cap and "ignore_sa_capacity" not in self.faults:
            ev.findings.append(finding("R87", f"{label}no room: {live} bundles are "
                                              f"offloaded and SaOffloadCapacity is {cap}; the miniport fails "
                                              "the SA (NDIS_STATUS_RESOURCES, the simulator's choice).",
                                       ("IPsecV2.SaOffloadCapacity",), structure=structure))
            return "NDIS_STATUS_RESOURCES"
        why = self._not_enabled(parsed)
        if why:
            ev.findings.append(finding("R87", f"{label}{why}; the miniport fails the SA "
                                              "(NDIS_STATUS_NOT_SUPPORTED, the simulator's choice).",
                                       (), structure=structure))
            return "NDIS_STATUS_NOT_SUPPORTED"
        return None

    def _sa_answer(self, ev: Event, req: SaRequest, parsed: SaRequest, structure: str, label: str,
                   status: str | None) -> tuple[bytes, SaEntry | None]:
        """The SA's bytes as the miniport returns them — OffloadHandle filled, or NULL when not added (R86) —
        and the new :class:`SaEntry` (None when refused)."""
        hm = layout(structure, self.arch).field("OffloadHandle")
        out = bytearray(req.data)
        if status is not None:
            out[hm.offset:hm.offset + hm.size] = bytes(hm.size)  # R86: NULL for an SA not added
            return bytes(out), None
        handle = self.alloc.alloc()
        out[hm.offset:hm.offset + hm.size] = handle.to_bytes(hm.size, "little")
        entry = SaEntry(handle, structure, parsed.values, parsed.keys, parsed.inbound)
        ev.notes.append(f"{label}offloaded, OffloadHandle = 0x{handle:X}"
                        + (" (inbound)" if parsed.inbound else " (outbound)"))
        if parsed.inbound and not self.receive_active:
            ev.notes.append(f"{label}receive-side processing starts only after OID_OFFLOAD_ENCAPSULATION "
                            "(R68).")
        return bytes(out), entry

    def _not_enabled(self, req: SaRequest) -> str | None:
        """Why the current configuration cannot take this SA (R87), or None."""
        cur = self.current.to_dict()
        if not subject_of(self.current).ipsecv2_reported:
            return "the current configuration carries no IPsecV2 block"
        names = {const.value("IPsecOffloadV2Ah"): "Ah", const.value("IPsecOffloadV2Esp"): "Esp"}
        v = req.values
        for i in used_elements(subject_of(v, req.structure, arch=self.arch)):
            proto = names.get(v.get(f"SecAssoc[{i}].Operation"))
            if proto and not cur.get(f"IPsecV2.{proto}"):
                return f"SecAssoc[{i}] is {proto.upper()} but {proto} is disabled in the current configuration"
            for algo, mask in (("AuthenticationAlgorithm", "AuthenticationAlgorithms"),
                               ("EncryptionAlgorithm", "EncryptionAlgorithms")):
                ident = v.get(f"SecAssoc[{i}].{algo}.Identifier", 0)
                if ident and not ident & cur.get(f"IPsecV2.{mask}", 0):
                    return f"SecAssoc[{i}].{algo}.Identifier 0x{ident:X} is not in the current {mask}"
            if v.get(f"SecAssoc[{i}].Flags", 0) & const.value("IPSEC_OFFLOAD_V2_ESN_SA") and not cur.get(
                    "IPsecV2.ExtendedSequenceNumbers"):
                return f"SecAssoc[{i}] uses ESN but ExtendedSequenceNumbers is FALSE"
        u = v.get("UdpEspEncapsulation", 0)
        if u & ~cur.get("IPsecV2.UdpEsp", 0):
            return f"UdpEspEncapsulation 0x{u:X} is not in the current UdpEsp"
        if v.get("Flags", 0) & const.value("IPSEC_OFFLOAD_V2_IPv6") and not cur.get("IPsecV2.IPv6Supported"):
            return "an IPv6 SA but IPv6Supported is FALSE"
        return None

    @_enforces("R100", place="DELETE_SA")
    def delete_sa(self, handles: Iterable[int] | int) -> Event:
        """OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA with a linked list of handles (R100). An unknown handle
        makes the simulator refuse the whole request with NDIS_STATUS_INVALID_PARAMETER (its choice; the
        documented codes are SUCCESS, PENDING, NOT_ACCEPTED and REQUEST_ABORTED)."""
        if isinstance(handles, int):
            handles = [handles]
        handles = list(handles)
        name = "OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA"
        addrs = [self.alloc.alloc() for _ in handles]
        entries = [build_delete_sa(h, self.arch, addrs[i + 1] if i + 1 < len(handles) else 0)
                   for i, h in enumerate(handles)]
        ev = self._event("transport → miniport", "direct OID set", name, code=_oid(name), request=b"".join(entries),
                         buffer_length=len(entries[0]) if entries else 0)
        ev.extra["request_label"] = f"{DELETE_SA} ({self.arch})" + (f" ×{len(entries)} linked by Next"
                                                                    if len(entries) > 1 else "")
        if self._not_ready(ev):
            return ev
        for e in entries:
            ev.findings.extend(validate(e, {"structure": DELETE_SA, "arch": self.arch}))
        unknown = [h for h in handles if h not in self.sas]
        if unknown:
            ev.findings.append(finding("R100", "Unknown OffloadHandle " + ", ".join(f"0x{h:X}" for h in unknown)
                                       + "; nothing is deleted. The documented return codes are SUCCESS, PENDING, "
                                         "NOT_ACCEPTED and REQUEST_ABORTED; the simulator refuses with "
                                         "NDIS_STATUS_INVALID_PARAMETER as UPDATE_SA does for an unknown SA (R102).",
                                       ("OffloadHandle",), basis="DOC/INF", structure=DELETE_SA))
            return self._finish(ev, "NDIS_STATUS_INVALID_PARAMETER")
        for h in handles:
            e = self.sas.pop(h)
            ev.notes.append(f"SA bundle 0x{h:X} deleted and its resources freed"
                            + (" (the NIC had asked for it with SaDeleteReq)" if e.delete_requested else "") + ".")
        ev.extra["live_after"] = self.live_bundles()
        return self._finish(ev, "NDIS_STATUS_SUCCESS")

    @_enforces("R102", "R114", place="UPDATE_SA")
    def update_sa(self, handle: int, operation, spi: int, sequence_number_high_order: int) -> Event:
        """OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA: new ESN high-order bits for one SA and operation (R102,
        R114). Unknown SA, no ESN support, or no matching ESN element → NDIS_STATUS_INVALID_PARAMETER."""
        name = "OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA"
        op = int(parse_values({"Operation": operation}, UPDATE_SA)["Operation"])
        data = build_update_sa(handle, op, spi, sequence_number_high_order, self.arch)
        ev = self._event("transport → miniport", "direct OID set", name, code=_oid(name), request=data,
                         buffer_length=len(data))
        ev.extra["request_label"] = f"{UPDATE_SA} ({self.arch})"
        ev.notes.append("UPDATE_SA has no Next member: one SA per request (R103).")
        if self._not_ready(ev):
            return ev
        found = validate(data, {"structure": UPDATE_SA, "arch": self.arch})
        ev.findings.extend(found)
        problem = None
        entry = self.sas.get(handle)
        if found.has_errors:
            problem = "the structure breaks an error rule"
        elif entry is None:
            problem = f"OffloadHandle 0x{handle:X} names no offloaded SA"
        elif not self.current.to_dict().get("IPsecV2.ExtendedSequenceNumbers"):
            problem = "the adapter does not support extended sequence numbers (ExtendedSequenceNumbers = FALSE)"
        else:
            esn = const.value("IPSEC_OFFLOAD_V2_ESN_SA")
            match = [i for i in range(entry.values.get("NumExtHdrs", 0))
                     if entry.values.get(f"SecAssoc[{i}].Operation") == op
                     and entry.values.get(f"SecAssoc[{i}].Spi") == spi]
            if not match:
                problem = f"the SA has no element with Operation {op} and SPI 0x{spi:X} (inferred check)"
            elif not entry.values.get(f"SecAssoc[{match[0]}].Flags", 0) & esn:
                problem = "that SA element was not added with IPSEC_OFFLOAD_V2_ESN_SA (inferred check)"
            else:
                i = match[0]
                old = entry.values.get(f"SecAssoc[{i}].SequenceNumberHighOrder", 0)
                entry.values[f"SecAssoc[{i}].SequenceNumberHighOrder"] = sequence_number_high_order
                entry.history.append(("UPDATE_SA", old, sequence_number_high_order))
                ev.notes.append(f"SecAssoc[{i}].SequenceNumberHighOrder 0x{old:X} → 0x{sequence_number_high_order:X}: "
                                "the NIC loads the new high-order ESN bits (R114).")
                return self._finish(ev, "NDIS_STATUS_SUCCESS")
        ev.findings.append(finding("R102", f"UPDATE_SA fails: {problem}; the status is NDIS_STATUS_INVALID_PARAMETER.",
                                   ("OffloadHandle",), structure=UPDATE_SA))
        return self._finish(ev, "NDIS_STATUS_INVALID_PARAMETER")

    def nic_request_sa_delete(self, handle: int) -> Event:
        """The NIC wants an SA removed: it sets SaDeleteReq in a received packet's OOB data (R101). The SA
        stays until the transport's DELETE_SA requests (inbound and matching outbound) arrive."""
        ev = self._event("miniport", "receive indication", "SaDeleteReq")
        if handle not in self.sas:
            ev.notes.append(f"0x{handle:X} names no offloaded SA; nothing to request.")
            return ev
        entry = self.sas[handle]
        entry.delete_requested = True
        lay = layout("NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO", self.arch)
        oob = encode_struct("NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO", {"Receive.SaDeleteReq": 1}, self.arch)
        ev.request = oob
        ev.extra["request_label"] = f"NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO ({self.arch}, {lay.sizeof} B)"
        ev.notes.append(f"SaDeleteReq set on a packet of SA 0x{handle:X}. The transport now sends DELETE_SA for this "
                        "inbound SA and for the matching outbound SA; the NIC keeps both until then (R101).")
        return ev

    @_enforces("R101", place="SA removal")
    def nic_drop_sa(self, handle: int, *, reason: str | None = None) -> Event:
        """The miniport removes an SA on its own. Allowed only before the NIC is removed (R104); otherwise
        the simulator refuses and keeps the SA (R101)."""
        ev = self._event("miniport", "miniport action", "drop SA")
        if reason == "nic-removal":
            return self.remove_nic(_event=ev)
        ev.findings.append(finding("R101", f"The NIC must not drop SA 0x{handle:X} before the matching DELETE_SA "
                                           "arrives; the simulator keeps it. (Set SaDeleteReq to ask the transport.)",
                                   ("OffloadHandle",), structure=DELETE_SA))
        return self._finish(ev, "NDIS_STATUS_NOT_ACCEPTED")

    @_enforces("R104", place="NIC removal")
    def remove_nic(self, _event: Event | None = None) -> Event:
        """Before the NIC is removed, the miniport deletes all its SAs without asking the transport (R104)."""
        ev = _event or self._event("miniport", "miniport action", "NIC removal")
        n = self.live_bundles()
        self.sas.clear()
        ev.notes.append(f"Before removal the miniport deleted all {n} SA bundle(s) itself (R104); the transport "
                        "does IPsec in software until it adds SAs to another NIC.")
        return self._finish(ev, "NDIS_STATUS_SUCCESS")

    # ----------------------------------------------------------------------------------------------
    # audit

    @_enforces("R67", "R72", "R73", "R74", place="audit")
    def audit(self) -> Findings:
        """Rules that concern the order of events (R67, R72, R73, R74, R88), checked over the timeline."""
        out = Findings()
        evs = list(self.timeline)
        for i, ev in enumerate(evs):
            trigger = (ev.kind == "OID set" and ev.actor.endswith("miniport") and ev.status == "NDIS_STATUS_SUCCESS"
                       and ev.name in ("OID_TCP_OFFLOAD_PARAMETERS", "OID_OFFLOAD_ENCAPSULATION"))
            hw_change = ev.name == "hardware capabilities change" and ev.status == "NDIS_STATUS_SUCCESS"
            if not (trigger or hw_change):
                continue
            following = []
            for nxt in evs[i + 1:]:
                if nxt.kind in ("OID set", "OID query", "direct OID set", "call") or nxt.name == \
                        "hardware capabilities change":
                    break
                following.append(nxt)
            cur_ind = [e for e in following if e.name == "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG"]
            expected = ev.extra.get("current_after")
            rule = "R67" if ev.name == "OID_TCP_OFFLOAD_PARAMETERS" else "R72"
            if trigger or ev.extra.get("changed"):
                if len(cur_ind) != 1:
                    out.append(finding(rule, f"Event {ev.seq} ({ev.name}) is followed by {len(cur_ind)} "
                                             "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG indications; exactly one is "
                                             "required.", (), structure=OFFLOAD))
                    if rule == "R67":
                        out.append(finding("R72", f"The configuration change of event {ev.seq} was not announced "
                                                  "to protocol drivers.", (), structure=OFFLOAD))
                elif expected is not None and cur_ind[0].response != expected:
                    got = cur_ind[0].response
                    if got == ev.extra.get("current_before"):
                        out.append(finding("R67", f"The indication after event {ev.seq} still shows the configuration "
                                                  "from before the change.", (), structure=OFFLOAD))
                    elif self._is_hardware_bytes(got, expected):
                        out.append(finding("R73", f"The indication after event {ev.seq} carries the hardware "
                                                  "capabilities, not the current configuration.", (),
                                           structure=OFFLOAD))
                    else:
                        out.append(finding("R67", f"The indication after event {ev.seq} does not reflect the new "
                                                  "current configuration.", (), structure=OFFLOAD))
            if hw_change:
                hw_ind = [e for e in following if e.name == "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES"]
                if len(hw_ind) != 1:
                    out.append(finding("R74", f"The hardware change of event {ev.seq} is followed by {len(hw_ind)} "
                                              "NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES indications; one is "
                                              "required.", (), structure=OFFLOAD))
        for ev in evs:
            live, cap = ev.extra.get("live_after"), ev.extra.get("capacity")
            if live is not None and cap is not None and live > cap and not ev.findings.by_rule("R88"):
                out.append(finding("R88", f"After event {ev.seq}, {live} bundles are offloaded with "
                                          f"SaOffloadCapacity {cap}.", ("IPsecV2.SaOffloadCapacity",),
                                   structure=OFFLOAD))
        return out

    def _is_hardware_bytes(self, data: bytes | None, expected: bytes) -> bool:
        return data is not None and data == offload_bytes(self.hardware) and data != expected

    @property
    def findings(self) -> Findings:
        """Every finding of every event, plus :meth:`audit`."""
        out = self.timeline.findings
        out.extend(self.audit())
        return out

    def _repr_html_(self) -> str:
        return self.timeline._repr_html_()

    def __str__(self) -> str:
        return str(self.timeline)
