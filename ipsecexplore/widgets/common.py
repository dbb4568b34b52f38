"""Helpers shared by the explorer widgets: CSS class names, tooltips, a re-entrancy guard, error boxes,
download links.

Nothing here draws a whole widget; :mod:`.builder`, :mod:`.flow` and :mod:`.fleet` do.
"""

from __future__ import annotations

import base64
import itertools
import re
from contextlib import contextmanager

from ..text import html_text

__all__ = ["css_class", "CTL_PREFIX", "Guard", "error_html", "note_html", "data_uri_link", "member_meaning_text",
           "member_tooltip", "flag_tooltip", "validate_or_none", "try_import", "instance_class", "safe_call"]

CTL_PREFIX = "ipsecexplore-ctl-"
_counter = itertools.count(1)


def css_class(path: str, prefix: str = CTL_PREFIX) -> str:
    """Stable CSS class of the control for dotted ``path``: ``IPsecV2.Esp`` -> ``ipsecexplore-ctl-IPsecV2-Esp``.

    Dots become dashes; brackets and anything else outside ``[A-Za-z0-9_-]`` become dashes too, so the
    result is always a valid class token (a flag column such as ``IPsecV2.EncryptionAlgorithms.3_DES_CBC``
    keeps its underscores)."""
    return prefix + re.sub(r"[^A-Za-z0-9_-]", "-", path)


def instance_class(kind: str) -> str:
    """A class unique to one widget instance, so generated CSS rules stay scoped to that instance."""
    return f"ipsecexplore-{kind}-{next(_counter)}"


class Guard:
    """Re-entrancy guard: while ``with guard:`` runs, ``guard.active`` is true.

    Observers return early when it is active, so that updating controls from the model (after a paste, a
    preset, a revision change) never triggers another encode — no feedback loops."""

    def __init__(self):
        self._depth = 0

    @property
    def active(self) -> bool:
        """True while a programmatic update runs (observers then ignore the change)."""
        return self._depth > 0

    def __enter__(self):
        self._depth += 1
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        return False


def error_html(message: str, cls: str = "ipsecexplore-error") -> str:
    """An escaped, visibly red error line (the element the browser tests look for carries ``cls``)."""
    return (f'<div class="{cls}" style="color:#c92a2a;font-family:ui-monospace,monospace;'
            f'white-space:pre-wrap">{html_text(message)}</div>')


def note_html(lines, cls: str = "ipsecexplore-notes") -> str:
    """A small escaped list of remarks ('' when there are none)."""
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    items = "".join(f"<li>{html_text(str(ln))}</li>" for ln in lines)
    return f'<ul class="{cls}" style="margin:.2em 0;color:#5c5f66;font-size:12px">{items}</ul>'


def data_uri_link(data: bytes | str, filename: str, mime: str, label: str | None = None,
                  cls: str = "ipsecexplore-download") -> str:
    """An ``<a download>`` link carrying ``data`` as a base64 ``data:`` URI (works offline, no server route)."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    b64 = base64.b64encode(raw).decode("ascii")
    return (f'<a class="{cls}" download="{html_text(filename)}" href="data:{mime};base64,{b64}" '
            f'style="margin-right:1em">{html_text(label or filename)}</a>')


def try_import(module: str, name: str | None = None):
    """Deprecated (kept for one release; every layer is always installed: import it).

    ``importlib`` a sibling module of ipsecexplore; None when that module does not exist. Only a missing
    module counts as absent: an error raised *inside* an existing module propagates."""
    import importlib
    import warnings

    warnings.warn("ipsecexplore.widgets.common.try_import is deprecated; import the module", DeprecationWarning,
                  stacklevel=2)

    try:
        mod = importlib.import_module(f"ipsecexplore.{module}")
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == f"ipsecexplore.{module}" or f"ipsecexplore.{module}".startswith(exc.name + ".")):
            return None
        raise
    return getattr(mod, name, None) if name else mod


def validate_or_none():
    """Deprecated (kept for one release): ``ipsecexplore.rules.validate``, which is always there."""
    import warnings

    from ..rules import validate

    warnings.warn("ipsecexplore.widgets.common.validate_or_none is deprecated; use ipsecexplore.rules.validate",
                  DeprecationWarning, stacklevel=2)
    return validate


def _plain(text: str) -> str:
    return text.replace("`", "").replace("**", "").replace("*", "")


_MEANINGS: dict | None = None


def member_meaning_text(name: str) -> str:
    """The rule book's one-line meaning of an NDIS_IPSEC_OFFLOAD_V2 member (``'Esp'``), or ''.

    Derived from the rule table (the §3 rules whose text begins with the member name in backticks), so it
    follows the rule book instead of a second hand-written copy."""
    global _MEANINGS
    if _MEANINGS is None:
        from ..rules.base import RULES

        _MEANINGS = {}
        for rule in RULES.values():
            m = re.match(r"`([A-Za-z0-9_]+)`:\s*(.+)", rule.text, re.S)
            if m and m.group(1) not in _MEANINGS:
                _MEANINGS[m.group(1)] = _plain(m.group(2)).split("\n")[0].strip() + f" ({rule.id})"
    return _MEANINGS.get(name, "")


def member_tooltip(m, meaning: str | None = None) -> str:
    """Tooltip for a member's control: C declaration, offset, first revision and (when known) its meaning."""
    where = f"{m.ctype} {m.name} at offset 0x{m.offset:X} ({m.offset})"
    if m.codec.packed:
        where = f"{m.ctype} {m.name} : {m.bit_width}, bits {m.codec.bits_text(m)} " \
                f"of the word at 0x{m.offset:X} ({m.offset})"
    rev = f"; revision {m.added_in_revision}+" if m.added_in_revision else ""
    meaning = member_meaning_text(m.name) if meaning is None else meaning
    return f"{m.path}: {where}{rev}." + (f"\n{meaning}" if meaning else "")


def flag_tooltip(col, member) -> str:
    """Tooltip for one flag's toggle: macro, value, label, meaning and where the bit sits."""
    from .. import constants

    try:
        meaning = getattr(constants.lookup(col.macro), "meaning", "") or ""
    except (KeyError, LookupError):
        meaning = ""
    byte = member.offset + (col.bit.bit_length() - 1) // 8
    return (f"{col.macro} = 0x{col.bit:X} ({col.label}) in {member.path}, byte 0x{byte:X} ({byte})."
            + (f"\n{meaning}" if meaning else ""))


@contextmanager
def safe_call(show):
    """Run a user action; any failure is shown with ``show(message)`` instead of a traceback.

    Typed errors of the library (which name what and where) are shown as they are; anything else is an
    internal error and says so, still without a traceback in the notebook."""
    from ..errors import IpsecExploreError

    try:
        yield
    except IpsecExploreError as exc:
        show(str(exc))
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        show(str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc))
    except Exception as exc:  # noqa: BLE001 - the UI boundary: never a traceback for the user
        show(f"internal error ({type(exc).__name__}): {exc}")
