"""One HTML table builder (ipsecexplore/htmltable.py): every table in the package is made by it, and every
cell is escaped once, with control characters and bidirectional overrides left visible (ipsecexplore/text.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ipsecexplore.htmltable import Cell, Markup, cell_text, html_table, join

PACKAGE = Path(__file__).resolve().parents[1] / "ipsecexplore"


def test_no_module_but_the_helper_writes_a_table_tag():
    writers = [p.relative_to(PACKAGE.parent).as_posix() for p in PACKAGE.rglob("*.py")
               if p.name != "htmltable.py" and re.search(r"<(table|tr|td|th)\b", p.read_text(encoding="utf-8"))]
    assert writers == []


def test_cells_are_escaped_and_control_characters_stay_visible():
    out = html_table([["<script>", "eth0\x1b[2J\u202eexe", Cell('a"b', code=True)]], ["x&y", "n", "c"])
    assert "<script>" not in out and "&lt;script&gt;" in out and "<th>x&amp;y</th>" in out
    assert "\x1b" not in out and "\u202e" not in out and "eth0\\x1b[2J\\u202eexe" in out
    assert "<td><code>a&quot;b</code></td>" in out


def test_unknown_is_an_empty_cell_and_markup_is_kept():
    out = html_table([[None, pd.NA, float("nan"), Markup("<b>x</b>")]])
    assert out == "<table><tbody><tr><td></td><td></td><td></td><td><b>x</b></td></tr></tbody></table>"


def test_cell_attributes_are_escaped_too():
    out = html_table([[Cell("v", css='a" onmouseover="x', style="color:red", span=2)]], css="t<")
    assert 'class="a&quot; onmouseover=&quot;x"' in out and 'style="color:red"' in out and 'colspan="2"' in out
    assert out.startswith('<table class="t&lt;">')


def test_an_empty_table_says_so_across_all_columns():
    assert '<td colspan="3"><i>No rows.</i></td>' in html_table([], ["a", "b", "c"], empty="No rows.")


def test_join_escapes_each_value():
    assert join(["<a>", "b"], code=True) == "<code>&lt;a&gt;</code><br><code>b</code>"


@given(st.text())
def test_any_text_cell_has_no_markup_and_no_control_character(s):
    out = cell_text(s)
    assert "<" not in out and ">" not in out and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out)
