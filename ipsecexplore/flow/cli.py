"""``ipsecexplore simulate SCENARIO.json [--json]``: run a scripted miniport/NDIS flow, print the timeline.

The scenario format is documented in ``data/scenarios/README.md``. Exit status: 0 when every step met its
``expect``, 1 when one did not, 2 when the scenario cannot be read.
"""

from __future__ import annotations

from ..text import visible
from .scenario import run_scenario

__all__ = ["add_simulate_command"]


def _cmd_simulate(args) -> int:
    result = run_scenario(args.scenario)
    print(result.to_json() if args.json else visible(str(result), multiline=True))
    return 0 if result.ok else 1


def add_simulate_command(subparsers) -> None:
    """Register ``simulate SCENARIO.json [--json]`` on an argparse sub-parser collection."""
    p = subparsers.add_parser("simulate", help="run a scripted miniport/NDIS flow (JSON scenario) and print "
                                               "its timeline", description=__doc__.split("\n\n", 1)[1])
    p.add_argument("scenario", help="scenario file (JSON), see data/scenarios/README.md")
    p.add_argument("--json", action="store_true", help="machine output: steps, timeline events (bytes as hex), "
                                                       "audit findings")
    p.set_defaults(func=_cmd_simulate)
