"""One value formatter and one to-JSON converter (ipsecexplore/formatting.py), one strict JSON reader
(ipsecexplore/jsonio.py): the rules they state are written nowhere else in the package."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ipsecexplore.formatting import int_text, to_jsonable, value_text

PACKAGE = Path(__file__).resolve().parents[1] / "ipsecexplore"


def _sources(skip: str):
    for p in PACKAGE.rglob("*.py"):
        if p.name != skip:
            yield p.relative_to(PACKAGE.parent).as_posix(), p.read_text(encoding="utf-8")


def test_the_hex_above_nine_rule_is_written_once():
    assert [path for path, src in _sources("formatting.py") if re.search(r"\b(v|value) > 9\b", src)] == []


def test_no_module_but_jsonio_refuses_repeated_keys_itself():
    assert [path for path, src in _sources("jsonio.py") if "def reject_duplicates" in src or
            re.search(r"object_pairs_hook=(?!reject_duplicates)", src)] == []


@given(st.integers(min_value=0, max_value=2**64))
def test_numbers_up_to_nine_are_decimal_larger_ones_hex(n):
    assert int_text(n) == (str(n) if n <= 9 else f"0x{n:X} ({n})")
    assert int_text(n, decimal=False) == (str(n) if n <= 9 else f"0x{n:X}")
    assert int(int_text(n, decimal=False), 0) == n


def test_booleans_are_never_numbers():
    assert value_text(True) == "True" and value_text(False, booleans=("FALSE", "TRUE")) == "FALSE"


def test_to_jsonable_matches_the_json_forms_the_cli_writes():
    g = uuid.UUID("12345678-9abc-def0-1234-56789abcdef0")
    assert to_jsonable({"a": (1, b"\x01\xff"), 2: [g, None, True, 1.5]}) == \
        {"a": [1, "01ff"], "2": ["{12345678-9ABC-DEF0-1234-56789ABCDEF0}", None, True, 1.5]}
