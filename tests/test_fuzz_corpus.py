"""Replay every input the fuzz harness (``make fuzz``, tests/fuzz/run.py) ever kept, and the examples of
issue 16, through the same promise checks: only the library's errors, accounting per file, round trips, no
control character shown raw (tests/fuzz/harness.py). Time and memory are checked by the harness only (no
timed unit tests); the inputs that were slow or large are still replayed here, so a regression to a hang or a
crash shows."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fuzz"))
from harness import CORPUS, TARGETS, corpus_entries, run_target  # noqa: E402

ENTRIES = list(corpus_entries())


def test_corpus_is_there():
    """Every target has kept inputs (the corpus is not silently empty)."""
    assert CORPUS.is_dir()
    kept = {t for t, *_ in ENTRIES}
    assert {"import", "hex", "json", "decode", "cli", "zip", "report", "builder"} <= kept <= set(TARGETS)


@pytest.mark.parametrize("target,name,data,path", ENTRIES, ids=[f"{t}/{p.name}" for t, _, _, p in ENTRIES])
def test_replay(target, name, data, path):
    run_target(target, data, name)
