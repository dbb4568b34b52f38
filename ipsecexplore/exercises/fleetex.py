"""An exercise on the sample fleet in ``data/sample`` (the repository's sample captures)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ..errors import InputError
from .answers import as_int
from .base import Exercise, Wrong

__all__ = ["SAMPLE", "fleet_exercise", "sample_counts"]

#: The sample fleet of the repository (``data/sample``), next to the package in a source checkout.
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
COLUMN = "IPsecV2.Tunnel"


@cache
def sample_counts() -> dict[str, int]:
    """Adapters whose hardware view has Tunnel (the answer), and the counts of the usual slips: rows of every
    view, adapters of the current view, adapters of the hardware and unknown views together."""
    from ..fleet import load_fleet  # the fleet layer is loaded only when this exercise is used

    if not SAMPLE.is_dir():
        raise InputError(f"the sample fleet is not here: {SAMPLE} (this exercise needs a source checkout)")
    f = load_fleet([SAMPLE], progress=False).frame
    has = f[COLUMN].fillna(False).astype(bool)

    def adapters(mask) -> int:
        return len(f.loc[has & mask, ["host", "adapter"]].drop_duplicates())

    view = f["view"]
    return {"answer": adapters(view == "hardware"), "rows": int(has.sum()), "current": adapters(view == "current"),
            "with unknown": adapters(view.isin(["hardware", "unknown"]))}


def _check(answer) -> str:
    counts = sample_counts()
    got = as_int(answer, "adapters")
    if got == counts["answer"]:
        return f"{got} adapters can do tunnel mode according to their hardware view"
    if got == counts["rows"] and counts["rows"] != counts["answer"]:
        raise Wrong("you counted rows of every view; an adapter has a hardware row and a current row")
    if got == counts["current"]:
        raise Wrong("that is the current view (what is switched on); the question asks what the hardware can do")
    if got == counts["with unknown"]:
        raise Wrong("you also counted the 'unknown' view: raw bytes whose capture does not say whether they are "
                    "hardware capabilities")
    raise Wrong("filter the fleet frame to the hardware view, then count adapters (host and adapter) whose "
                f"{COLUMN} is True; <NA> means unknown, not True")


def fleet_exercise(ex_id: str, level: int) -> Exercise:
    """How many sample adapters' hardware can do tunnel mode."""
    return Exercise(
        ex_id, "A fleet question on the sample data", level,
        "Load the sample fleet: fleet = load_fleet([SAMPLE]) with SAMPLE = Path('..') / 'data' / 'sample' "
        "(from notebooks/). How many adapters can do IPsec offload in tunnel mode according to their hardware "
        "view? Answer a number. (The sample is partly guessed; see data/README.md.)",
        (f"Each capability is a column of fleet.frame: {COLUMN}.",
         "fleet.frame['view'] is 'hardware' or 'current' (or 'unknown'); one adapter has a row per view.",
         "Filter on the view and the column, then count distinct (host, adapter) pairs."),
        "f = fleet.frame\n"
        f"hw = f[(f['view'] == 'hardware') & f['{COLUMN}'].fillna(False).astype(bool)]\n"
        "len(hw[['host', 'adapter']].drop_duplicates())",
        lambda: sample_counts()["answer"], _check, ("fleet",))
