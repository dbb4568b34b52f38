"""One home for showing outside strings (adapter, host and file names, values and reasons from captures):
control characters and bidirectional overrides become visible escapes.

An ESC in a name would rewrite a terminal; a NUL or another C0/C1 control hides or garbles text; U+202E
(RIGHT-TO-LEFT OVERRIDE) and its kin reverse what follows it on screen, so ``evil\\u202etxt.exe`` reads as a
different name. :func:`visible` writes each such character as ``\\xNN`` (C0, DEL, C1) or ``\\uNNNN`` (the
bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F,
U+061C and the separators U+2028, U+2029); :func:`html_text` does that and then escapes for HTML, so the
escape shows as text — never as the character, nor as a character reference that a browser would turn back
into it. Everything else (accents, CJK, emoji) is shown as it is.
"""

from __future__ import annotations

import html

__all__ = ["visible", "html_text", "INVISIBLE"]

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
#: Characters :func:`visible` replaces, with their replacement.
INVISIBLE = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {c: f"\\u{c:04x}" for c in _BIDI}
_KEEP_LINES = {k: v for k, v in INVISIBLE.items() if k not in (0x09, 0x0A)}


def visible(s, *, multiline: bool = False) -> str:
    """``str(s)`` with control characters and bidirectional overrides as visible escapes (see the module
    docstring); ``multiline`` keeps tabs and line feeds (text that is meant to span lines).

    >>> visible("eth0\\x1b[2J\\u202e")
    'eth0\\\\x1b[2J\\\\u202e'
    """
    return str(s).translate(_KEEP_LINES if multiline else INVISIBLE)


def html_text(s, quote: bool = True) -> str:
    """``str(s)`` made visible (tabs and line feeds kept: HTML shows them as blanks, ``<pre>`` as lines) and
    then HTML-escaped (``quote``: also ``"`` and ``'``, for attribute values).

    >>> html_text("<b>\\u202eeth0</b>")
    '&lt;b&gt;\\\\u202eeth0&lt;/b&gt;'
    """
    return html.escape(visible(s, multiline=True), quote=quote)
