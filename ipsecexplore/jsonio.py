"""Reading JSON that people write: a repeated key is an error, not a silent overwrite."""

from __future__ import annotations

import json

from .errors import InputError

__all__ = ["loads"]


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
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        raise InputError(f"key {exc.key!r} appears twice in one JSON object", source=source, line=line) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg} at column {exc.colno}", source=source,
                         line=line if line is not None else exc.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", source=source, line=line) from None
