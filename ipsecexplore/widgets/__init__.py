"""ipywidgets front ends of ipsecexplore: the NDIS_OFFLOAD builder, the driver-flow stepper, the fleet explorer.

>>> from ipsecexplore.widgets import BuilderWidget      # doctest: +SKIP
>>> w = BuilderWidget(revision=2); w                   # doctest: +SKIP

All logic lives in the tested library (model, codec, hexdump, rules, flow, fleet, charts, diff); these
modules only wire controls to it. Each widget is an ``ipywidgets`` container, so it displays in JupyterLab
and in Voilà. Classes are imported lazily so that ``import ipsecexplore.widgets`` stays cheap and so that
one widget keeps working while a layer another one needs is missing.
"""

from __future__ import annotations

__all__ = ["BuilderWidget", "FlowWidget", "FleetWidget", "ExerciseWidget", "LearnerApp"]

_WHERE = {"BuilderWidget": ".builder", "FlowWidget": ".flow", "FleetWidget": ".fleet", "ExerciseWidget": ".exercises",
          "LearnerApp": ".exercises"}


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
