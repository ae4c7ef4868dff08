"""Wall time of `cogov.run` from Python against `cogov run` on the command line, same
scenario and seed, alternating, `--repeats` times each. Prints medians; asserts nothing.

    nice -n 10 python python/bench/overhead.py scenarios/all_on.toml --repeats 5

Three numbers: the CLI process (`cogov run S --no-plot`, which also writes its CSV
files), a Python process that imports cogov and calls `cogov.run` (interpreter start
included), and the `cogov.run` call alone inside one Python process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", type=Path)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--cogov", type=Path, default=REPO / "target" / "release" / "cogov")
    a = p.parse_args()
    import cogov

    s = cogov.Scenario.load(a.scenario)
    out = Path(tempfile.mkdtemp(prefix="cogov-overhead-"))
    script = f"import cogov; cogov.run(cogov.Scenario.load({str(a.scenario)!r}), seed={a.seed})"
    cli, proc, call = [], [], []
    print(f"load before: {os.getloadavg()}")
    for _ in range(a.repeats):
        t = time.perf_counter()
        subprocess.run(
            [str(a.cogov), "run", str(a.scenario), "--seed", str(a.seed), "--out", str(out), "--no-plot", "--force"],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        cli.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", script], check=True)
        proc.append(time.perf_counter() - t)
        t = time.perf_counter()
        cogov.run(s, seed=a.seed)
        call.append(time.perf_counter() - t)
    m = {k: statistics.median(v) for k, v in [("cli", cli), ("proc", proc), ("call", call)]}
    print(f"CLI process {m['cli']:.3f} s; Python process {m['proc']:.3f} s ({m['proc'] / m['cli'] - 1:+.1%}); "
          f"cogov.run call {m['call']:.3f} s ({m['call'] / m['cli'] - 1:+.1%}); medians of {a.repeats}")
    print("all:", {k: [round(x, 3) for x in v] for k, v in [("cli", cli), ("proc", proc), ("call", call)]})
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
