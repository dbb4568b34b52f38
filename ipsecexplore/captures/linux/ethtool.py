"""``ethtool -k``, ``ethtool --json -k`` and ``ethtool -i`` output (tests/spec/capture-formats.md §8.1).

The text shapes are those ethtool prints (netlink/features.c ``dump_feature``:
https://git.kernel.org/pub/scm/network/ethtool/ethtool.git/tree/netlink/features.c): ``Features for IFACE:``,
then ``name: on|off`` with sub-features indented by a tab and a suffix `` [fixed]`` (not in ``hw_features`` or
in ``nochange``) or `` [requested on|off]``; ``--json`` prints an array of one object with ``ifname`` and per
feature ``{"active", "fixed", "requested"}`` (``fixed``/``requested`` null for legacy flag groups).
"""

from __future__ import annotations

import json
import re

from ...crossos import FEATURE_NAMES
from ..record import RecordError

__all__ = ["HEADER", "FEATURE_LINE", "Features", "parse_features", "parse_features_json", "parse_driver"]

HEADER = re.compile(r"^Features for (?P<iface>.+):[ \t]*$")
FEATURE_LINE = re.compile(r"^[ \t]*(?P<name>[A-Za-z0-9_-]+): (?P<state>on|off)"
                          r"(?: \[(?P<suffix>fixed|requested on|requested off|not requested)\])?[ \t]*$")


class Features(dict):
    """``{feature: (active, fixed)}`` of the ESP features found (``fixed`` None when ethtool did not say),
    with ``iface`` (None when the header was cut, e.g. by ``| grep``) and ``notes`` (remarks)."""

    iface: str | None = None
    notes: list


def parse_features(lines: list[str], first_line: int) -> Features:
    """Parse ``ethtool -k`` output lines (possibly cut by grep). Raises :class:`RecordError` at the first line
    that is neither the header nor a feature line."""
    out = Features()
    out.notes = []
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        m = HEADER.match(ln)
        if m:
            if out.iface is not None or out:
                raise RecordError("a second 'Features for' header inside one ethtool -k output", first_line + i)
            out.iface = m.group("iface").strip()
            continue
        m = FEATURE_LINE.match(ln)
        if not m:
            raise RecordError(f"not an ethtool -k line ('feature: on|off [fixed]'): {ln.strip()[:80]!r}",
                              first_line + i)
        name = m.group("name")
        if name not in FEATURE_NAMES:
            continue
        suffix = m.group("suffix") or ""
        out[name] = (m.group("state") == "on", suffix == "fixed")
        if suffix.startswith("requested"):
            out.notes.append((first_line + i, f"{name}: {m.group('state')} [{suffix}]: the user asked for the other "
                                              "state and the kernel did not follow (a feature it depends on is off)"))
    return out


def parse_features_json(text: str, first_line: int) -> list[tuple[int, Features | RecordError]]:
    """Parse ``ethtool --json -k`` output: one entry per interface object, each a :class:`Features` or the
    :class:`RecordError` that rejects it. Raises :class:`RecordError` when the text is not such an array."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", 1)
        raise RecordError(f"ethtool --json output is not valid JSON: {getattr(exc, 'msg', exc)}",
                          first_line + line - 1) from None
    if not isinstance(doc, list):
        raise RecordError(f"ethtool --json output is a {type(doc).__name__}, not an array of interface objects",
                          first_line)
    starts = [first_line + text.count("\n", 0, m.start()) for m in re.finditer(r'"ifname"', text)]
    out = []
    for k, obj in enumerate(doc):
        line = starts[k] if k < len(starts) else first_line
        try:
            out.append((line, _json_object(obj, line)))
        except RecordError as exc:
            out.append((line, exc))
    return out


def _json_object(obj, line: int) -> Features:
    if not isinstance(obj, dict) or not isinstance(obj.get("ifname"), str) or not obj["ifname"]:
        raise RecordError("ethtool --json object without an 'ifname' string", line)
    f = Features()
    f.notes = []
    f.iface = obj["ifname"]
    for name in FEATURE_NAMES:
        v = obj.get(name)
        if v is None:
            continue
        if not isinstance(v, dict) or type(v.get("active")) is not bool or \
                not (v.get("fixed") is None or type(v.get("fixed")) is bool):
            raise RecordError(f"{f.iface}: {name} is not {{\"active\": bool, \"fixed\": bool|null, ...}}: "
                              f"{json.dumps(v)[:80]}", line)
        f[name] = (v["active"], v.get("fixed"))
    return f


def parse_driver(lines: list[str], first_line: int) -> dict:
    """Parse ``ethtool -i`` output: ``{key: value}`` of its ``key: value`` lines; ``driver`` is required."""
    out: dict = {}
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        key, sep, value = ln.partition(":")
        if not sep or not re.fullmatch(r"[a-z][a-z-]*", key.strip()):
            raise RecordError(f"not an ethtool -i line ('key: value'): {ln.strip()[:80]!r}", first_line + i)
        out[key.strip()] = value.strip()
    if not out.get("driver"):
        raise RecordError("ethtool -i output without a 'driver:' line", first_line)
    return out
