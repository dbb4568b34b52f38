"""What the JSON objects people write may hold: one place that states, per object, its keys and the kind of
value each key takes.

``validate`` envelopes and flow scenarios are read through :func:`check_object`, so a value of the wrong
JSON type (``"length": "x"``, ``"faults": 5``, ``"ndis": 6.3``) is an :class:`~ipsecexplore.errors.InputError`
naming the file, the record (scenario step) and the key, instead of a crash deep inside or — worse — a
silent misreading (a string iterated per character, ``"false"`` counted as true, a float truncated).

>>> check_object({"length": 5}, {"length": UINT}, what="step")
{'length': 5}
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError

__all__ = ["Kind", "STRING", "BOOLEAN", "OBJECT", "UINT", "ULONG", "ANY", "uint_max", "list_of", "one_of",
           "choice", "describe", "check_value", "check_object", "ndis_versions", "NDIS_VERSION", "ARCH"]


@dataclass(frozen=True)
class Kind:
    """A kind of JSON value: ``what`` it is in words (for messages) and the ``test`` a value must pass.
    A list kind also names the kind of its ``item`` (so a message can point at the bad item)."""

    what: str
    test: Callable[[Any], bool]
    item: Kind | None = None
    parts: tuple = ()


def _is_int(v) -> bool:
    # JSON true/false arrive as bool, which Python counts as int: a count or length is never a boolean
    return isinstance(v, int) and not isinstance(v, bool)


STRING = Kind("a string", lambda v: isinstance(v, str))
BOOLEAN = Kind("true or false", lambda v: isinstance(v, bool))
OBJECT = Kind("a JSON object", lambda v: isinstance(v, Mapping))
UINT = Kind("a non-negative integer", lambda v: _is_int(v) and v >= 0)
ANY = Kind("any value", lambda v: True)


def uint_max(top: int, what: str | None = None) -> Kind:
    """A non-negative integer up to ``top`` (e.g. a ULONG buffer length)."""
    return Kind(what or f"an integer 0..{top}", lambda v: _is_int(v) and 0 <= v <= top)


ULONG = uint_max(0xFFFFFFFF, "an integer 0..4294967295 (a ULONG)")


def list_of(kind: Kind, *, nonempty: bool = False, what: str | None = None) -> Kind:
    """A JSON list whose every item is ``kind`` (a string is not a list of characters). ``what`` names
    the items in messages ("fault names"); by default the item kind's words."""
    return Kind(f"a {'non-empty ' if nonempty else ''}list of {what or _plural(kind.what)}",
                lambda v: isinstance(v, list) and (bool(v) or not nonempty) and all(kind.test(x) for x in v),
                kind)


def one_of(*kinds: Kind) -> Kind:
    """Any of ``kinds``."""
    return Kind(" or ".join(k.what for k in kinds), lambda v: any(k.test(v) for k in kinds), parts=kinds)


def choice(values: Iterable[str], what: str | None = None) -> Kind:
    """A string from a fixed set (compared exactly: C names and versions are case-sensitive)."""
    allowed = tuple(values)
    known = frozenset(allowed)
    return Kind(what or f"one of {', '.join(allowed)}", lambda v: isinstance(v, str) and v in known)


def _plural(what: str) -> str:
    for art in ("a ", "an "):
        if what.startswith(art):
            what = what[len(art):]
            break
    return what if what.endswith("s") else what + "s"


def ndis_versions() -> tuple[str, ...]:
    """The NDIS versions the spec's version table knows ("6.0" … "6.89"), as strings."""
    from ..constants import NDIS_VERSIONS

    return tuple(v.ndis for v in NDIS_VERSIONS)


# A version is text: 6.3 as a JSON number would read as "6.3", which is not NDIS 6.30 (it sorts below 6.20).
NDIS_VERSION = choice(ndis_versions(), "an NDIS version string: " + ", ".join(f'"{v}"' for v in ndis_versions()))


def _arches() -> tuple[str, ...]:
    from ..layouts import ARCHES

    return tuple(ARCHES)


ARCH = choice(_arches(), " or ".join(f'"{a}"' for a in _arches()))


def describe(v: Any) -> str:
    """A value as the user wrote it in JSON, short: ``"x"``, ``5``, ``true``, ``null``, ``a list``."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and not math.isfinite(v):
        return "a number too large for a double" if math.isinf(v) else "NaN"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        text = json.dumps(v, ensure_ascii=False)
        return text if len(text) <= 42 else text[:40] + '…"'
    if isinstance(v, Mapping):
        return "an object"
    if isinstance(v, (list, tuple)):
        return "a list"
    return type(v).__name__


def check_value(value: Any, kind: Kind, *, key: str, source: str | None = None, index: int | None = None,
                structure: str | None = None) -> Any:
    """``value`` when it is ``kind``, else :class:`InputError` naming ``key`` (and file, record)."""
    if not kind.test(value):
        listed = next((k for k in (kind, *kind.parts) if k.item is not None), None)
        if listed is not None and isinstance(value, list) and value:
            bad = next((n for n, x in enumerate(value) if not listed.item.test(x)), None)
            if bad is not None:  # point at the item, not at the whole list
                raise InputError(f"must be {kind.what}; item {bad} is {describe(value[bad])}, not "
                                 f"{listed.item.what}", source=source, index=index, path=key, structure=structure)
        raise InputError(f"must be {kind.what}, not {describe(value)}", source=source, index=index, path=key,
                         structure=structure)
    return value


def check_object(obj: Any, schema: Mapping[str, Kind], *, required: Iterable[str] = (), what: str = "object",
                 source: str | None = None, index: int | None = None, ignore: Iterable[str] = ()) -> Mapping:
    """Check one JSON object: it is an object, it has every ``required`` key, it has no key outside
    ``schema`` (keys in ``ignore`` are allowed unchecked), and each value is of its kind. Returns ``obj``.

    Every refusal is an :class:`InputError` with ``source`` (file) and ``index`` (record, e.g. the scenario
    step) and the offending key as ``path``."""
    if not isinstance(obj, Mapping):
        raise InputError(f"{what} must be a JSON object, not {describe(obj)}", source=source, index=index)
    allowed = set(schema) | set(ignore)
    unknown = sorted(str(k) for k in obj if k not in allowed)
    if unknown:
        raise InputError(f"{what} does not take {', '.join(unknown)}; known: {', '.join(sorted(allowed))}",
                         source=source, index=index, path=unknown[0])
    missing = [k for k in required if k not in obj]
    if missing:
        raise InputError(f"{what} needs {', '.join(missing)}", source=source, index=index, path=missing[0])
    for k, v in obj.items():
        if k in schema:
            check_value(v, schema[k], key=k, source=source, index=index)
    return obj
