"""The common result of every capture importer: adapter records, rejected records, skipped files.

One *source record* is one adapter object in a capture (a Format-List object, a JSON object, a CSV row,
one raw ``NDIS_OFFLOAD`` structure) or one ``*IPsecOffload*`` advanced-property row. Each source record is
either loaded or rejected, never dropped: ``ImportResult.loaded + len(ImportResult.rejected) ==
ImportResult.records_seen`` always holds. A file that is refused unread (over the size limit, or it cannot
be read) and a sidecar or provenance file that cannot be used count as *one* record seen and rejected each:
how many records such a file holds is unknown, and counting it once keeps the invariant and makes the
import fail (exit status 1) instead of passing with the file's adapters missing. A loaded adapter object
yields one :class:`AdapterRecord` per view it carries (``hardware`` from the ``*Supported`` properties,
``current`` from the ``*Enabled`` properties; tests/spec/capture-formats.md §2.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["AdapterRecord", "KeywordRecord", "Rejected", "Remark", "ImportResult", "FileTally", "VIEWS", "RecordError",
           "CAPTURED"]

#: ``hardware`` = OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES, ``current`` = OID_TCP_OFFLOAD_CURRENT_CONFIG
#: (after NDIS keyword masking), ``unknown`` = raw bytes whose origin no sidecar names.
VIEWS = ("hardware", "current", "unknown")

#: Provenance of a record that no provenance file annotates: measured on a real system by the user.
CAPTURED = "captured"



def where(source_file: str, line: int | None, offset: int | None) -> str:
    """``file:line`` for text, ``file@0xOFFSET`` for binary, else the file: the place a user should look."""
    if line is not None:
        return f"{source_file}:{line}"
    if offset is not None:
        return f"{source_file}@0x{offset:X}"
    return source_file

class RecordError(Exception):
    """Internal signal: this source record is rejected for ``reason`` (at ``line`` when more precise)."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


_NO_KEYWORDS = MappingProxyType({})


class AdapterRecord(NamedTuple):
    """One adapter in one view, as a capture describes it (immutable; ``._replace`` makes a changed copy).

    ``values`` maps dotted ``NDIS_OFFLOAD`` paths (``IPsecV2.Esp``, ``IPsecV2.EncryptionAlgorithms``,
    ``Flags``, ``Header.Revision``) to ``bool``/``int``; a member the source does not carry is absent
    (missing, never False). Treat it as read-only: records of equal adapters may share one mapping.
    ``keywords`` maps INF keywords (``*IPsecOffloadV2``) to their integer value.
    ``host_from`` says where the host name came from (``SystemName``, ``PSComputerName``,
    ``Get-NetView banner``, ``Get-NetView folder``, ``sidecar``, ``file name``).
    ``line`` is the 1-based line of the object in a text file; ``offset`` the byte offset in a binary file.

    A named tuple rather than a frozen dataclass: an import makes one per adapter and view, and a tuple is
    built several times faster (the import benchmark counts it).
    """

    host: str
    adapter: str
    description: str | None
    view: str
    source_file: str
    line: int | None
    values: Mapping
    keywords: Mapping = _NO_KEYWORDS
    provenance: str = CAPTURED
    fmt: str = ""
    host_from: str = ""
    offset: int | None = None
    enabled: bool | None = None  # the CIM ``Enabled`` property (administrative switch)
    instance_id: str | None = None

    @property
    def source(self) -> str:
        """``file:line`` (text) or ``file@0xOFFSET`` (binary) — where to look."""
        return where(self.source_file, self.line, self.offset)


@dataclass(frozen=True, slots=True)
class KeywordRecord:
    """One ``*IPsecOffload*`` advanced property (INF keyword) of one adapter (tests/spec/capture-formats.md §3)."""

    host: str
    adapter: str
    keyword: str
    value: int
    source_file: str
    line: int | None
    host_from: str = ""
    description: str | None = None
    value_from: str = "RegistryValue"  # or "DisplayValue" when Export-Csv flattened RegistryValue
    label: str | None = None  # the DisplayValue label read (value_from "DisplayValue"), as the file spells it

    @property
    def source(self) -> str:
        """``file:line`` of the keyword row (the file alone when no line is known)."""
        return f"{self.source_file}:{self.line}" if self.line is not None else self.source_file


@dataclass(frozen=True, slots=True)
class Rejected:
    """A source record that was seen but not loaded, with the reason in plain words.

    ``refused`` is empty for a record, or says why a whole file was refused unread: ``"size limit"`` (over
    the limit) or ``"unreadable"`` (the file or zip member could not be read)."""

    source_file: str
    line: int | None
    reason: str
    offset: int | None = None
    refused: str = ""

    @property
    def source(self) -> str:
        """``file:line`` (text) or ``file@0xOFFSET`` (binary) — where to look."""
        return where(self.source_file, self.line, self.offset)

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Remark:
    """Something unusual about a record that *was* loaded (tests/spec/capture-formats.md §7 reader rules: a larger
    Header.Size, bytes past it, non-zero padding or unnamed bits, a BOOLEAN byte other than 0/1, a WMI block
    whose IPsecV2 area is unavailable)."""

    source_file: str
    line: int | None
    text: str
    offset: int | None = None

    @property
    def source(self) -> str:
        """Where to look, as for :class:`Rejected`."""
        return where(self.source_file, self.line, self.offset)

    def __str__(self) -> str:
        return f"{self.source}: note: {self.text}"


@dataclass
class FileTally:
    """What one file gave an import: source records ``seen``, ``loaded`` and ``rejected`` (``seen == loaded +
    rejected``), the reason it was ``skipped`` (None when it was not), or what it was ``used_as``."""

    seen: int = 0
    loaded: int = 0
    rejected: int = 0
    skipped: str | None = None
    used_as: str | None = None  # a sidecar or provenance file: read for the records of other files


@dataclass
class ImportResult:
    """Everything one import produced.

    ``records``: adapter records (one per adapter per view); ``rejected``: records that were seen but not
    loaded (a file refused unread is one of them, see :meth:`refuse_file`); ``skipped_files``:
    ``(path, reason)`` for files that hold no capture (an empty file, notes, other Get-NetView output);
    ``records_seen``/``loaded``: source-record counts with ``loaded + len(rejected) == records_seen``;
    ``unmatched_keywords``: advanced-property rows (loaded) for which no adapter record exists on the same
    host — kept so that nothing is silently dropped; ``remarks``: :class:`Remark` s about loaded records;
    ``files``: a :class:`FileTally` per file (every file is loaded from, rejected or skipped with its reason).
    """

    records: list = field(default_factory=list)
    rejected: list = field(default_factory=list)
    skipped_files: list = field(default_factory=list)
    records_seen: int = 0
    loaded: int = 0
    unmatched_keywords: list = field(default_factory=list)
    files_read: int = 0
    remarks: list = field(default_factory=list)
    files: dict = field(default_factory=dict)

    def tally(self, source: str) -> FileTally:
        """The :class:`FileTally` of file ``source`` (created empty)."""
        t = self.files.get(source)
        if t is None:
            t = self.files[source] = FileTally()
        return t

    def refuse_file(self, source: str, reason: str, why: str) -> None:
        """Count a file refused unread (``why``: ``"size limit"`` or ``"unreadable"``) as one rejected
        record."""
        self.records_seen += 1
        self.rejected.append(Rejected(source, None, reason, None, why))

    def check(self) -> None:
        """Assert the accounting invariant (a bug in an importer if it fails)."""
        if self.loaded + len(self.rejected) != self.records_seen:
            raise AssertionError(f"import accounting broken: loaded {self.loaded} + rejected "
                                 f"{len(self.rejected)} != seen {self.records_seen}")
        for name, t in self.files.items():
            if t.loaded + t.rejected != t.seen:
                raise AssertionError(f"import accounting broken for {name}: loaded {t.loaded} + rejected "
                                     f"{t.rejected} != seen {t.seen}")

    def extend(self, other: ImportResult) -> None:
        """Add ``other``'s content to this result."""
        self.records.extend(other.records)
        self.rejected.extend(other.rejected)
        self.skipped_files.extend(other.skipped_files)
        self.records_seen += other.records_seen
        self.loaded += other.loaded
        self.unmatched_keywords.extend(other.unmatched_keywords)
        self.files_read += other.files_read
        self.remarks.extend(other.remarks)
        for name, t in other.files.items():
            mine = self.tally(name)
            mine.seen += t.seen
            mine.loaded += t.loaded
            mine.rejected += t.rejected
            mine.skipped = mine.skipped or t.skipped
