"""Deprecated alias of :mod:`ipsecexplore.rules.const` (kept for one release; import ``rules.const``)."""

import warnings

from .const import group, group_mask, members_named, name_of, names, value

__all__ = ["value", "group", "group_mask", "names", "name_of", "members_named"]

warnings.warn("ipsecexplore.rules._const is deprecated; use ipsecexplore.rules.const", DeprecationWarning,
              stacklevel=2)
