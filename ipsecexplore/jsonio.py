"""Reading JSON that people write: a repeated key is an error, not a silent overwrite."""

from __future__ import annotations

import json
import re
import sys

from .errors import InputError

__all__ = ["loads", "number_error", "DuplicateKey", "reject_duplicates", "first_duplicate", "first_duplicate_key",
           "too_deep_reason"]

# Python refuses to read an int of more digits than this (a guard against quadratic conversion) with a plain
# ValueError from inside the JSON parser; the run of digits is found again to say where it is.
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_LONG_NUMBER = re.compile(rf"(?<![0-9])[0-9]{{{_MAX_DIGITS + 1}}}")
# JSON strings and the punctuation that structures objects; numbers, literals, commas and blanks between
# them are skipped (they never contain a quote or a bracket).
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:]')


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


def reject_duplicates(pairs):
    """An ``object_pairs_hook`` for :mod:`json` that raises :class:`DuplicateKey` for a key seen twice in one
    object (``json`` would keep the last silently).

    >>> json.loads('{"a": 1, "a": 2}', object_pairs_hook=reject_duplicates)
    Traceback (most recent call last):
    ...
    ipsecexplore.jsonio.DuplicateKey: 'a'
    """
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise DuplicateKey(k)
        seen[k] = v
    return seen


class DuplicateKey(Exception):
    """Raised by :func:`reject_duplicates`: ``key`` appears twice in one JSON object. Not a ``ValueError``, so
    that a caller tells it from a syntax error; readers turn it into :class:`~ipsecexplore.errors.InputError`."""

    def __init__(self, key):
        super().__init__(key)
        self.key = key


def too_deep_reason(line: int | None = None) -> str:
    """The reason given for JSON nested deeper than Python's parser can follow (it recurses per level)."""
    where = f"the value starting on line {line}" if line is not None else "the JSON text"
    return (f"JSON nested too deeply to read: {where} has more levels of [ and {{ than the parser's limit "
            f"(about {sys.getrecursionlimit()})")


def first_duplicate(text: str, start: int, end: int, depth: int | None = None):
    """``(key, position of its second occurrence)`` of the first key repeated in one object of the valid
    JSON ``text[start:end]``, or None. ``depth``: only objects at that nesting level (1 = outermost).

    Iterative (a stack of key sets), so any nesting the parser accepted is walked without recursion."""
    stack: list = []
    last = None
    for m in _TOKEN.finditer(text, start, end):
        c = text[m.start()]
        if c == '"':
            last = m
            continue
        if c == "{":
            stack.append(set())
        elif c == "[":
            stack.append(None)
        elif c == "}" or c == "]":
            stack.pop()
        elif (c == ":" and last is not None and stack and stack[-1] is not None
              and (depth is None or len(stack) == depth)):
            key = json.loads(last.group())  # "\u004eame" and "Name" are the same key
            if key in stack[-1]:
                return key, last.start()
            stack[-1].add(key)
        last = None
    return None


def first_duplicate_key(text: str) -> tuple[str, int] | None:
    """``(key, line)`` of the first key repeated in one object of the JSON document ``text``, or None.

    ``text`` must be valid JSON (as a permissive parser reads it)."""
    dup = first_duplicate(text, 0, len(text))
    if dup is None:
        return None
    return dup[0], text.count("\n", 0, dup[1]) + 1


def _syntax_error(text: str, err: ValueError, source: str, line: int | None) -> InputError:
    exc = number_error(text, err)
    if not isinstance(exc, json.JSONDecodeError):
        raise err
    return InputError(f"invalid JSON: {exc.msg} at column {exc.colno}", source=source,
                      line=line if line is not None else exc.lineno)


def loads(text: str, source: str = "<input>", line: int | None = None):
    """The one strict JSON reader: ``json.loads`` that refuses repeated keys. Errors are :class:`InputError`
    naming ``source`` and the line (``line`` when the text is one line of a larger file, else the line in
    ``text``); a syntax error is reported before a repeated key that comes earlier in the text.

    >>> loads('{"a": 1}')
    {'a': 1}
    """
    if not isinstance(text, str):
        raise InputError(f"loads() takes text (str), not {type(text).__name__}", source=source, line=line)
    try:
        return json.loads(text, object_pairs_hook=reject_duplicates)
    except DuplicateKey as exc:
        try:
            json.loads(text)  # the repeat may come before a syntax error: report that error then
        except ValueError as err:
            raise _syntax_error(text, err, source, line) from None
        key, at = first_duplicate_key(text) or (exc.key, None)
        raise InputError(f"key {key!r} appears twice in one JSON object", source=source,
                         line=line if line is not None else at) from None
    except ValueError as err:  # json.JSONDecodeError, or a number of too many digits
        raise _syntax_error(text, err, source, line) from None
    except RecursionError:
        raise InputError(too_deep_reason(), source=source, line=line) from None
