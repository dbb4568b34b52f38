"""Exercises that check themselves, easy to hard (notebook ``05-exercises.ipynb``).

>>> from ipsecexplore.exercises import EXERCISES, get
>>> ex = get("e01")
>>> print(ex.check(None))
… not attempted yet
>>> ex.check(ex.reference()).passed
True

Each :class:`~ipsecexplore.exercises.base.Exercise` has ``id``, ``title``, ``check(answer)`` →
:class:`~ipsecexplore.exercises.base.Feedback` (``.passed``, ``.message``), ``hint(level)``, ``solution()`` and
``reference()``.
"""

from __future__ import annotations

from .base import NOT_ATTEMPTED, Exercise, Feedback
from .fleetex import fleet_exercise
from .flowex import (
    encapsulation_missing,
    keyword_exercise,
    keyword_write_exercise,
    keyword_zero_exercise,
    rule_fix_exercise,
    sa_exercise,
    too_short_exercise,
    tunnel_missing,
)
from .structures import (
    build_exercise,
    dump_algorithms_exercise,
    dump_sa_exercise,
    header_exercise,
    offset_exercise,
)

__all__ = ["EXERCISES", "Exercise", "Feedback", "NOT_ATTEMPTED", "get"]

#: Every exercise, easy to hard.
EXERCISES: tuple[Exercise, ...] = (
    header_exercise("e01", 2, 1),
    offset_exercise("e02", "IPsecV2.Esp", 1),
    dump_sa_exercise("e03", 1),
    dump_algorithms_exercise("e04", 2),
    header_exercise("e05", 3, 2),
    keyword_exercise("e06", 2),
    build_exercise("e07", 2),
    too_short_exercise("e08", 2),
    rule_fix_exercise("e09", "The rule a driver's attributes break: encapsulation", encapsulation_missing, "R14",
                      {"IPsecV2.Encapsulation": 2},
                      "A miniport reports AH and ESP in transport and tunnel mode, but its Encapsulation is 0.", 2),
    rule_fix_exercise("e10", "The rule a driver's attributes break: modes", tunnel_missing, "R34",
                      {"IPsecV2.Tunnel": True},
                      "A miniport whose hardware, like the Intel ixgbe family on Linux, does ESP in transport mode "
                      "only reports exactly that.", 3),
    sa_exercise("e11", "fits", "Does the SA add fit? (1)",
                "An NDIS 6.30 adapter offers AH and ESP with AES-GCM-128 and room for 64 bundles; the registry "
                "holds *IPsecOffloadV2 = \"2\", and one ESP SA is already offloaded.", 2),
    sa_exercise("e12", "full", "Does the SA add fit? (2)",
                "An NDIS 6.30 adapter offers AH and ESP with AES-GCM-128, has SaOffloadCapacity = 1 and already "
                "holds one offloaded ESP SA.", 3),
    sa_exercise("e13", "algorithm", "Does the SA add fit? (3)",
                "An NDIS 6.30 adapter offers AH and ESP with AES-GCM-128 only, with room for 64 bundles and none "
                "in use.", 3),
    keyword_zero_exercise("e14", 3),
    keyword_write_exercise("e15", 3),
    fleet_exercise("e16", 3),
)

_BY_ID = {e.id: e for e in EXERCISES}


def get(ex_id: str) -> Exercise:
    """The exercise with id ``ex_id`` ('e01'); ``KeyError`` naming the known ids otherwise."""
    try:
        return _BY_ID[str(ex_id).strip().lower()]
    except KeyError:
        raise KeyError(f"no exercise {ex_id!r}; known: {', '.join(_BY_ID)}") from None
