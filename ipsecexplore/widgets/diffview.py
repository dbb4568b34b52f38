"""Member-by-member comparison of two adapter states for the widgets.

Uses :mod:`ipsecexplore.diff` when it is installed; until then (or for inputs it does not take) a plain
table of the members whose values differ. Inputs: :class:`~ipsecexplore.model.NdisOffload` objects or
``{dotted path: value}`` dicts (a captured adapter; a member the capture lacks shows as "not captured").
"""

from __future__ import annotations

import html

from .common import try_import

__all__ = ["diff_html", "member_diff_rows"]

_MISSING = "not captured"


def _values(x) -> dict:
    return x.to_dict() if hasattr(x, "to_dict") and not isinstance(x, dict) else dict(x)


def _order(path: str):
    from ..layouts import layout

    lay = layout("NDIS_OFFLOAD")
    return (lay.field(path).offset if path in lay else 1 << 30, path)


def member_diff_rows(a, b) -> list[tuple[str, object, object]]:
    """``(path, value in a, value in b)`` for every member whose values differ, in structure order."""
    da, db = _values(a), _values(b)
    out = []
    for p in sorted(set(da) | set(db), key=_order):
        va, vb = da.get(p, _MISSING), db.get(p, _MISSING)
        if va is None:
            va = _MISSING
        if vb is None:
            vb = _MISSING
        if va != vb:
            out.append((p, va, vb))
    return out


def _fmt(v) -> str:
    if isinstance(v, bool) or not isinstance(v, int):
        return str(v)
    return f"0x{v:X} ({v})" if v > 9 else str(v)


def diff_html(a, b, label_a: str, label_b: str) -> str:
    """HTML diff of ``a`` and ``b`` (escaped); see the module docstring."""
    diff = try_import("diff")
    fn = None
    if diff is not None:
        fn = getattr(diff, "diff_offloads", None) or getattr(diff, "diff", None)
    if fn is not None and not isinstance(a, dict) and not isinstance(b, dict):
        result = fn(a, b)
        if hasattr(result, "_repr_html_"):
            return result._repr_html_()
        return f"<pre>{html.escape(str(result))}</pre>"
    rows = member_diff_rows(a, b)
    ea, eb = html.escape(label_a), html.escape(label_b)
    if not rows:
        return f'<i class="ipsecexplore-diff-equal">{ea} and {eb} are equal.</i>'
    body = "".join(f"<tr><td><code>{html.escape(p)}</code></td><td>{html.escape(_fmt(va))}</td>"
                   f"<td>{html.escape(_fmt(vb))}</td></tr>" for p, va, vb in rows)
    return (f'<table class="ipsecexplore-member-diff"><thead><tr><th>member</th><th>{ea}</th><th>{eb}</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")
