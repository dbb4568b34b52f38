"""One owner per fleet fact (issue 11 point 4): adapter identity keys, fleet column names, the adapter pivot and
the fleet-row findings live in the fleet layer; the names they had elsewhere are deprecated aliases."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipsecexplore import columns, diff, fleet, pivot, questions, report
from ipsecexplore.captures.record import AdapterRecord
from ipsecexplore.identity import adapter_key, host_key

PACKAGE = Path(__file__).resolve().parent.parent / "ipsecexplore"


def _sources():
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def _frame():
    hw = {"IPsecV2.Esp": True, "IPsecV2.Ah": False, "IPsecV2.EncryptionAlgorithms": 8}
    cur = {"IPsecV2.Esp": False, "IPsecV2.Ah": False, "IPsecV2.EncryptionAlgorithms": 0}
    recs = [AdapterRecord("Host1", "Ethernet 1", "X550", "hardware", "a.txt", 1, hw, {"*IPsecOffloadV2": 0}),
            AdapterRecord("HOST1", "ETHERNET 1", "X550", "current", "a.txt", 2, cur, {"*IPsecOffloadV2": 0}),
            AdapterRecord("host1", "Ethernet 2", None, "hardware", "b.txt", 1, hw, {}),
            AdapterRecord("host1", "Ethernet 2", None, "hardware", "c.txt", 1, hw, {})]  # a second record
    return fleet.fleet_frame(recs)


def test_adapter_key_folds_case_and_is_the_same_for_scalars_and_columns():
    assert adapter_key("Host1", "Ethernet 1") == adapter_key("HOST1", "ETHERNET 1") != adapter_key("Host1", "Ethernet")
    assert host_key("ÄBC") == host_key("äbc")
    col = adapter_key(pd.Series(["Host1", None], dtype="string"), pd.Series(["Ethernet 1", "x"], dtype="string"))
    assert col.tolist() == [adapter_key("host1", "ethernet 1"), adapter_key("", "x")]
    assert adapter_key("a", "bc") != adapter_key("ab", "c")  # the separator keeps host and name apart


def test_pivot_and_questions_pair_rows_with_the_same_adapters():
    f = _frame()
    t = pivot.adapter_table(f)
    codes = questions.adapter_of_rows(f)
    assert questions.adapter_of_rows is pivot.adapter_of_rows
    assert len(t) == codes.max() + 1 == 3  # Ethernet 1 in two views, Ethernet 2 twice (a further record)
    for view, rows in t.rows.items():
        assert all(codes[r] == i for i, r in enumerate(rows) if r >= 0), view
    assert t.adapters["record"].tolist() == [1, 1, 2]
    assert t.adapters["keywords"].iloc[0] == "*IPsecOffloadV2=0"


def test_fleet_counts_use_the_identity_keys():
    f = _frame()
    fl = fleet.Fleet(f, f.iloc[0:0], f.iloc[0:0], pd.DataFrame(), pd.DataFrame(), None, pd.DataFrame())
    assert fl.adapters == 2 and fl.hosts == 1


def test_flag_columns_come_from_columns_and_are_na_with_their_mask():
    f = _frame()
    for flag in columns.all_flag_columns():
        mask = f[flag.member]
        want = pd.array([None if pd.isna(v) else bool(int(v) & flag.bit) for v in mask], dtype="boolean")
        assert f[flag.column].array.equals(want), flag.column


def test_deprecated_aliases_warn_and_answer_as_the_new_home():
    f = _frame()
    row = f.iloc[0]
    with pytest.warns(DeprecationWarning):
        assert diff.row_values(row) == questions.row_values(row)
    vals = questions.row_values(row)
    with pytest.warns(DeprecationWarning):
        old, old_note = diff.findings_for(vals)
    new, new_note = questions.view_findings(vals)
    assert old_note == new_note and [x.rule for x in old] == [x.rule for x in new]
    with pytest.warns(DeprecationWarning):
        assert report.adapter_findings(f).equals(questions.adapter_findings(f))
    with pytest.warns(DeprecationWarning):
        assert fleet.flag_columns() == tuple((c.column, c.member, c.bit) for c in columns.all_flag_columns())
    from ipsecexplore import charts

    cap = pivot.capabilities()[0]
    with pytest.warns(DeprecationWarning):
        assert cap.colour == charts.FAMILY_COLOURS[cap.family]
    assert charts.adapter_table is pivot.adapter_table and charts.AdapterTable is pivot.AdapterTable


def test_identity_keys_and_column_names_have_one_owner():
    """No module but identity.py builds a host + adapter key by hand; no module but columns.py spells the keyword
    column prefix; nothing reads pandas' private array attributes."""
    hand_key = re.compile(r"casefold\(\)\s*\+\s*\"\\x00\"|\"\\x00\"\s*\+\s*[\w\[\]\"'.()]*casefold")
    for name, text in _sources().items():
        if name != "identity.py":
            assert not hand_key.search(text), name
        if name != "columns.py":
            assert '"keyword.' not in text and "'keyword.'" not in text, name
        assert not re.search(r"\._(data|mask)\b", text), name
    assert np.array_equal(pivot.adapter_of_rows(_frame()), [0, 0, 1, 2])
