"""Every public function, class, method and property of the library has a docstring (``help()`` is useful)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ipsecexplore


def _public_objects():
    for info in pkgutil.walk_packages(ipsecexplore.__path__, "ipsecexplore."):
        if info.name.endswith("__main__"):
            continue  # running it is the CLI
        mod = importlib.import_module(info.name)
        for name, obj in vars(mod).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{mod.__name__}.{name}", obj
            elif inspect.isclass(obj):
                yield f"{mod.__name__}.{name}", obj
                for attr, member in vars(obj).items():
                    fn = member.fget if isinstance(member, property) else member
                    if not attr.startswith("_") and inspect.isfunction(fn):
                        yield f"{mod.__name__}.{name}.{attr}", fn


def test_public_api_has_docstrings():
    objects = dict(_public_objects())
    assert len(objects) > 300  # the walk really found the library
    missing = sorted(name for name, obj in objects.items() if not (obj.__doc__ or "").strip())
    assert not missing, "no docstring: " + ", ".join(missing)
