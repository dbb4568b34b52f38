"""Comparison views of the widgets: a thin call of :func:`ipsecexplore.diff.diff` (N-way, members with
offsets, unknown kept apart, rule findings that differ), rendered with its escaped HTML."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["diff_html"]


def diff_html(objs: Sequence, labels: Sequence[str]) -> str:
    """HTML of the diff of ``objs`` (NdisOffload objects, ``{dotted path: value}`` dicts, fleet-frame rows)."""
    from ..diff import diff

    return diff(*objs, labels=list(labels))._repr_html_()
