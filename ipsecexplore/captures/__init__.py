"""Importers for captured adapter configurations (tests/spec/capture-formats.md), one module per source format.

- :mod:`.formatlist` — ``Format-List -Property *`` text (also inside Get-NetView files);
- :mod:`.jsoncap` — ``ConvertTo-Json``; :mod:`.csvcap` — ``Export-Csv``;
- :mod:`.advprop` — ``Get-NetAdapterAdvancedProperty`` rows (list, table, CSV, JSON) for ``*IPsecOffload*``;
- :mod:`.raw` — raw ``NDIS_OFFLOAD`` bytes (binary or hex text, one or many records);
- :mod:`.getnetview` — Get-NetView bundle files; :mod:`.importer` — files, folders and zip files.

All of them produce the types of :mod:`.record`. ``import_paths`` is the entry point;
:func:`ipsecexplore.fleet.load_fleet` turns its result into a DataFrame.
"""

from .importer import PROGRESS_MIN_FILES, import_bytes, import_paths
from .record import CAPTURED, VIEWS, AdapterRecord, ImportResult, KeywordRecord, Rejected, Remark
from .textio import DEFAULT_SIZE_LIMIT

__all__ = ["import_paths", "import_bytes", "AdapterRecord", "KeywordRecord", "Rejected", "Remark", "ImportResult",
           "VIEWS", "CAPTURED", "DEFAULT_SIZE_LIMIT", "PROGRESS_MIN_FILES"]
