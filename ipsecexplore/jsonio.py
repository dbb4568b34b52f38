"""Reading JSON that people write: a repeated key is an error, not a silent overwrite."""

from __future__ import annotations

import json
import re
import sys

from .errors import InputError

__all__ = ["loads", "number_error"]

# Python refuses to read an int of more digits than this (a guard against quadratic conversion) with a plain
# ValueError from inside the JSON parser; the run of digits is found again to say where it is.
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_LONG_NUMBER = re.compile(rf"(?<![0-9])[0-9]{{{_MAX_DIGITS + 1}}}")


def number_error(text: str, exc: ValueError, start: int = 0) -> json.JSONDecodeError:
    """The ``ValueError`` the JSON parser raises for a number of too many digits, as a
    :class:`json.JSONDecodeError` at that number (found from ``start`` on), so that callers report it as any
    other syntax error with its line and column. Any other ``ValueError`` is returned unchanged."""
    if isinstance(exc, json.JSONDecodeError):
        return exc
    m = _LONG_NUMBER.search(text, start)
    if m is None:
        return exc
    digits = len(m.group()) + len(re.match(r"[0-9]*", text[m.end():m.end() + 10**6]).group())
    return json.JSONDecodeError(f"a number of {digits} digits (at most {_MAX_DIGITS} are read)", text, m.start())


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise _Duplicate(k)
        seen[k] = v
    return seen


class _Duplicate(Exception):
    def __init__(self, key):
        self.key = key


def loads(text: str, source: str = "<input>", line: int | None = None):
    """``json.loads`` that refuses repeated keys; errors are :class:`InputError` naming file and line.

    >>> loads('{"a": 1}')
    {'a': 1}
    """
    if not isinstance(text, str):
        raise InputError(f"loads() takes text (str), not {type(text).__name__}", source=source, line=line)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        raise InputError(f"key {exc.key!r} appears twice in one JSON object", source=source, line=line) from None
    except ValueError as err:  # json.JSONDecodeError, or a number of too many digits
        exc = number_error(text, err)
        if not isinstance(exc, json.JSONDecodeError):
            raise
        raise InputError(f"invalid JSON: {exc.msg} at column {exc.colno}", source=source,
                         line=line if line is not None else exc.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", source=source, line=line) from None
