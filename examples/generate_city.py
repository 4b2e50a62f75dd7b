"""Regenerate the bundled example city: ``examples/city/members.csv`` and ``records.csv``.

Usage (from the repository root)::

    python examples/generate_city.py            # rewrite examples/city/*.csv
    python examples/generate_city.py --out DIR  # write somewhere else (e.g. to compare)

The data come from the seeded generator in ``benchmarks/synthetic.py`` (one generator for the
example and the benchmarks); the output is byte-for-byte deterministic for the constants below.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.synthetic import write_csv  # noqa: E402

N_MEMBERS = 300
N_RECORDS = 6000
SEED = 2024
YEAR = 2024
DEFAULT_OUT = Path(__file__).resolve().parent / "city"


def main(argv: list[str] | None = None) -> int:
    """Write the example city's CSV files and print where they went."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    for path in write_csv(args.out, N_MEMBERS, N_RECORDS, seed=SEED, year=YEAR):
        rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
        print(f"{path}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
