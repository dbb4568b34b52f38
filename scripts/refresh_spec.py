"""Copy the project's spec pack into tests/spec/, the only place the tests read spec facts from.

    python scripts/refresh_spec.py PATH/TO/spec   # e.g. the spec folder of the team's shared checkout

The tests never need the pack itself: its files are copied here verbatim, each stamped with one line that
says where it came from, so a clone of this repository anywhere carries every fact its tests compare with.
Run it when the spec changes, then run `make test` and commit tests/spec/ with the code that follows it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from pathlib import Path

FILES = ("layouts.json", "layouts.md", "constants.md", "ipsecov2-rules.md", "capture-formats.md",
         "adapters.md", "seed-reporting-ipsecov2-capabilities.md")
DEST = Path(__file__).resolve().parents[1] / "tests" / "spec"


def stamp(name: str, day: str) -> str:
    """The one line of provenance each copy carries."""
    return (f"source: spec pack file {name} (ipsecexplore project spec, checked against the WDK headers, "
            f"compilers and Microsoft Learn), copied {day} by scripts/refresh_spec.py")


def copy_one(src: Path, dest: Path, day: str) -> None:
    text = src.read_text(encoding="utf-8")
    if src.suffix == ".json":
        # JSON has no comments: the provenance line is a leading "_source" key the tests ignore.
        data = json.loads(text)
        data = {"_source": stamp(src.name, day), **{k: v for k, v in data.items() if k != "_source"}}
        dest.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        dest.write_text(f"<!-- {stamp(src.name, day)} -->\n{text}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spec", type=Path, help="folder holding the spec pack (layouts.json, constants.md, …)")
    args = ap.parse_args(argv)
    missing = [n for n in FILES if not (args.spec / n).is_file()]
    if missing:
        print(f"error: {args.spec} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    DEST.mkdir(parents=True, exist_ok=True)
    day = _dt.date.today().isoformat()
    for n in FILES:
        copy_one(args.spec / n, DEST / n, day)
        print(f"{DEST / n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
