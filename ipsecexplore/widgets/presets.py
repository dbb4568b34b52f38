"""Presets for the builder: every adapter view the fleet loader finds, as member values with their origin.

A preset keeps what the capture said and what it did not: PowerShell captures never carry
``IPsecV2.Encapsulation``, ``TransportTunnelCombined`` and ``ExtendedSequenceNumbers`` (tests/spec/capture-formats.md
§2.2), so :attr:`Preset.missing` lists them and the builder says that it left them zero. The provenance
string of the sample data (sourced or illustrative) travels with the preset, so a guessed value is never
shown as a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..layouts import layout
from ..text import visible

__all__ = ["Preset", "fleet_presets", "default_data_paths", "presets_from_records", "indexed_presets"]


@dataclass(frozen=True)
class Preset:
    """One adapter view: ``values`` ({dotted path: value}, only what the capture carried), where it came from,
    and which view of the adapter it is (``view``: 'hardware', 'current', 'unknown', or '' when not from a
    capture) — read that, never the display ``label``."""

    label: str
    values: dict
    source: str = ""
    provenance: str = ""
    missing: tuple = ()
    view: str = ""

    def notes(self) -> list[str]:
        """Plain-words notes about this preset (where it came from, what was unusual)."""
        out = []
        if self.source:
            out.append(f"source: {self.source}")
        if self.provenance:
            out.append(f"provenance: {self.provenance}")
        if self.missing:
            out.append("the capture does not carry " + ", ".join(self.missing) + " (left 0 in the builder)")
        return out


def default_data_paths() -> list[str]:
    """The sample captures shipped beside the package (``data/sample``), when this is a source checkout."""
    root = Path(__file__).resolve().parents[2] / "data" / "sample"
    return [str(root)] if root.is_dir() else []


def indexed_presets(records, arch: str = "x64") -> list[tuple[int, str, Preset]]:
    """``(record index, unique label, Preset)`` for every record that carries at least one IPsecV2 member.

    The index is the record's position, which is also its row in the fleet frame."""
    v2 = [m.path for m in layout("NDIS_OFFLOAD", arch).leaves if m.path.startswith("IPsecV2.")]
    out, seen = [], set()
    for i, r in enumerate(records):
        values = {k: v for k, v in r.values.items() if v is not None}
        if not any(k.startswith("IPsecV2.") for k in values):
            continue  # e.g. an adapter without IPsec offload (revision 1 or no PowerShell object)
        label = visible(f"{r.host} / {r.adapter} — {r.view}")  # shown in option lists: controls as escapes
        if label in seen:
            label = f"{label} ({visible(r.source)})"
        seen.add(label)
        missing = tuple(p for p in v2 if p not in values)
        out.append((i, label, Preset(label, values, r.source, r.provenance, missing, view=r.view)))
    return out


def presets_from_records(records, arch: str = "x64") -> dict:
    """``label -> Preset`` for every record that carries at least one IPsecV2 member."""
    return {label: p for _, label, p in indexed_presets(records, arch)}


def fleet_presets(fleet=None, paths=None, arch: str = "x64") -> dict:
    """Presets of ``fleet`` (a :class:`~ipsecexplore.fleet.Fleet`), else of a fleet loaded from ``paths``
    (default: :func:`default_data_paths`). {} when there is no data."""
    if fleet is None:
        from ..fleet import load_fleet

        paths = list(paths) if paths is not None else default_data_paths()
        if not paths:
            return {}
        fleet = load_fleet(paths, progress=False)
    result = getattr(fleet, "result", None)
    return presets_from_records(getattr(result, "records", ()), arch=arch)
