"""The scale benchmark: 1,000 / 10,000 / 50,000 holders and up to 1,000,000 ledger events written in
bulk on a throwaway PostgreSQL, then every page, export, the register, the sweep and a locust load
measured against floors taken in the same run (benchmarks/README.md, Scale).

    make bench                                  # all three sizes (scripts/bench.sh starts PostgreSQL and Redis)
    make bench BENCH_ARGS="--quick"             # 1,000 holders, locust 10 s
    scripts/bench.sh --holders 10000            # one size

Run by path (the parts are the package benchmarks/scale/, which this name would otherwise shadow).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scale.run import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
