"""Per-file bookkeeping shared by the importers: host resolution, loaded/rejected accounting.

An importer calls :meth:`FileContext.cim_object` for every adapter object it finds (whatever its syntax),
:meth:`FileContext.keyword` for every ``*IPsecOffload*`` advanced-property row and
:meth:`FileContext.reject` for a source record it cannot use. Each call counts exactly one source record,
which is what keeps ``loaded + rejected == records_seen``.
"""

from __future__ import annotations

from . import cim
from .record import CAPTURED, AdapterRecord, ImportResult, KeywordRecord, RecordError, Rejected, Remark
from .textio import ascii_loss_remark, fallback_remark

__all__ = ["FileContext"]

_NOKW = AdapterRecord._field_defaults["keywords"]
_new = tuple.__new__
_HW = frozenset(cim.HARDWARE)
_CUR = frozenset(cim.CURRENT)


_BOOL = {"True": True, "False": False}


def _text(v) -> str | None:
    if v is None:
        return None
    if type(v) is str:
        v = v.strip()
        return v or None
    if isinstance(v, (list, dict, bool)):
        return None
    return str(v)


class FileContext:
    """State for one file being imported.

    ``fallback_host``/``fallback_from`` is the host when the content names none: the Get-NetView folder
    (``msdbg.<HOST>``) or the file name up to its first dot. ``banner_host`` is the ``<USER> @ <HOST>:``
    line of a Get-NetView block. ``guessed`` is True when the file's text was decoded by the Windows-1252
    guess (no BOM, not UTF-8, no encoding given): every record with non-ASCII names then gets a remark."""

    __slots__ = ("source", "fmt", "result", "fallback_host", "fallback_from", "banner_host", "guessed")

    def __init__(self, source: str, fmt: str, result: ImportResult, fallback_host: str, fallback_from: str):
        self.source = source
        self.fmt = fmt
        self.result = result
        self.fallback_host = fallback_host
        self.fallback_from = fallback_from
        self.banner_host = None
        self.guessed = False

    # ------------------------------------------------------------------ accounting
    def reject(self, line: int | None, reason: str, offset: int | None = None) -> None:
        """Count one source record as seen and rejected."""
        self.result.records_seen += 1
        self.result.rejected.append(Rejected(self.source, line, reason, offset))

    def remark(self, line: int | None, text: str, offset: int | None = None) -> None:
        """Note something unusual about a record that is loaded (it is not counted again)."""
        self.result.remarks.append(Remark(self.source, line, text, offset))

    def text_remarks(self, line: int | None, name: str, desc: str | None, host: str | None) -> None:
        """Remarks on a loaded record's names: decoded by the Windows-1252 guess, or ``?`` where an ascii
        capture lost letters (cheap checks first: called for every record)."""
        if self.guessed and not (name + (desc or "") + (host or "")).isascii():
            self.remark(line, fallback_remark(self.source))
        for what, v in (("adapter name", name), ("description", desc)):
            if v and "?" in v:
                self.remark(line, ascii_loss_remark(what, v))

    def _loaded(self) -> None:
        self.result.records_seen += 1
        self.result.loaded += 1

    def host_of(self, props: dict) -> tuple[str, str]:
        """Host name and where it came from: SystemName, PSComputerName, banner, folder, file name."""
        h = _text(props.get("SystemName"))
        if h:
            return h, "SystemName"
        h = _text(props.get("PSComputerName"))
        if h:
            return h, "PSComputerName"
        if self.banner_host:
            return self.banner_host, "Get-NetView banner"
        return self.fallback_host, self.fallback_from

    # ------------------------------------------------------------------ records
    def cim_object(self, props: dict, line: int | None, texts: bool = False) -> None:
        """One ``MSFT_NetAdapterIPsecOffloadV2SettingData`` object (property name → raw value);
        ``texts``: every value is a ``str`` (Format-List, Export-Csv), see :func:`cim.convert`.

        Written for speed (the import benchmark runs through here once per adapter): the common case —
        clean text values — is handled inline, anything else goes through the general helpers."""
        get = props.get
        name = get("Name")
        if type(name) is not str or not name or name[0] == " " or name[-1] == " ":
            name = _text(name) or _text(get("ifAlias")) or _text(get("InterfaceAlias"))
            if not name:
                self.reject(line, "adapter object has no Name (nor ifAlias/InterfaceAlias) property")
                return
        try:
            hw, cur = cim.convert(props, texts)
            enabled = get("Enabled")
            if enabled is not None:
                enabled = _BOOL[enabled] if type(enabled) is str and enabled in _BOOL else \
                    cim.to_bool(enabled, "Enabled")
        except RecordError as exc:
            self.reject(exc.line or line, f"adapter {name!r}: {exc.reason}")
            return
        has_hw = bool(hw) or not _HW.isdisjoint(props)
        has_cur = bool(cur) or not _CUR.isdisjoint(props)
        if not (has_hw or has_cur):
            self.reject(line, f"adapter {name!r}: none of the IPsec offload properties "
                              "(EspSupported, EspEnabled, ...) is present")
            return
        host = get("SystemName")
        if host and type(host) is str and host.strip() == host:
            host_from = "SystemName"
        else:
            host, host_from = self.host_of(props)
        desc = get("InterfaceDescription")
        if type(desc) is not str or not desc or desc[0] == " " or desc[-1] == " ":
            desc = _text(desc) or _text(get("ifDesc")) or _text(get("Description"))
        iid = get("InstanceID")
        if type(iid) is not str or not iid or iid[0] == " " or iid[-1] == " ":
            iid = _text(iid)
        recs = self.result.records
        src, fmt = self.source, self.fmt
        # tuple.__new__ directly: the named tuple's generated __new__ is a Python function (import speed).
        if has_hw:
            recs.append(_new(AdapterRecord, (host, name, desc, "hardware", src, line, hw, _NOKW, CAPTURED, fmt,
                                             host_from, None, enabled, iid)))
        if has_cur:
            recs.append(_new(AdapterRecord, (host, name, desc, "current", src, line, cur, _NOKW, CAPTURED, fmt,
                                             host_from, None, enabled, iid)))
        result = self.result
        result.records_seen += 1
        result.loaded += 1
        if self.guessed or "?" in name or (desc and "?" in desc):
            self.text_remarks(line, name, desc, host)

    def raw_record(self, host: str, host_from: str, adapter: str, description: str | None, view: str,
                   values: dict, line: int | None, offset: int | None, provenance: str | None) -> None:
        """One decoded raw ``NDIS_OFFLOAD`` structure."""
        self.result.records.append(AdapterRecord(host, adapter, description, view, self.source, line, values,
                                                 _NOKW, provenance or CAPTURED, self.fmt, host_from,
                                                 offset, None, None))
        self._loaded()

    def keyword(self, props: dict, keyword: str, value: int, line: int | None, value_from: str,
                label: str | None = None) -> None:
        """One ``*IPsecOffload*`` advanced property row (already validated); ``label``: the
        ``DisplayValue`` text the value was read from, when it was (kept on the record)."""
        name = _text(props.get("Name")) or _text(props.get("ifAlias"))
        host, host_from = self.host_of(props)
        self.result.unmatched_keywords.append(KeywordRecord(
            host, name, keyword, value, self.source, line, host_from,
            _text(props.get("InterfaceDescription")), value_from, label))
        self._loaded()
        if self.guessed or (name and "?" in name):
            self.text_remarks(line, name or "", None, host)

