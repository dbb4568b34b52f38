"""The notebooks' prose cites rules by id (R30, R51, …); every id cited must exist in the spec's rule book,
so that a reader who looks a rule up finds the statement the notebook leans on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import spec_path

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _rule_ids() -> set[str]:
    text = spec_path("ipsecov2-rules.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| (R\d+) \|", text, flags=re.M))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_rules_cited_in_prose_exist(path):
    ids = _rule_ids()
    assert len(ids) > 100, "the rule book lists its rules as table rows"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    cited = {r for c in cells if c["cell_type"] == "markdown"
             for r in re.findall(r"\bR\d{1,3}\b", "".join(c["source"]))}
    assert cited <= ids, f"{path.name} cites rules the spec does not have: {sorted(cited - ids)}"
