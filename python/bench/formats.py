"""CSV against Parquet for a large experiment: size on disk, write time, and the time
pandas takes to read `timeseries`. Prints one line per measurement; nothing is asserted
(timings belong in a report, not in a test).

    nice -n 10 python python/bench/formats.py --runs 1000 --out /tmp/cogov-formats

The experiment is one policy x `--runs` replicates of a reduced world (1,000 residents,
1,095 days, every day recorded), run once per format with `cogov experiment -j 2`. Write
time is measured twice: the whole experiment (runs + part files + final tables), and
assembling the final tables alone (`--resume` on the finished output: every run is done,
so only the final tables are written again). Reads run in a fresh Python process per
format, after `sync`, and the spread is printed: on a shared 2-core machine single reads
vary by up to 2x.

Measured on this project's 2-core machine (2026-12-06), 1,000 runs, pandas 3.1.1 and
pyarrow 26.0.1: CSV final tables 527.9 MB, Parquet (zstd level 1) 92.3 MB, 5.7x smaller
(timeseries 526.1 against 91.6 MB). Writing the final tables alone (two runs): CSV 0.61 / 0.56 s,
Parquet 9.3 / 10.0 s; the whole experiment 29.7 / 32.1 s against 40.4 / 41.2 s. Since part
files are written uncompressed (zstd contexts per column chunk were 42% of the final
tables' time): the whole experiment CSV 32.6 s against Parquet 34.3 s, final tables 1.69 s
against 4.73 s, parts 531.5 against 203.9 MB (zstd parts: 173.9 MB). pandas reads timeseries (1,095,000 rows
x 61 columns) in this script (`--reads 9`), two runs: CSV 1.49 / 1.32 s, Parquet 0.30 / 0.28 s
(medians; minima 1.10 / 1.13 and 0.21 / 0.21 s): 5.0x / 4.7x. Read alone afterwards, eight
rounds of 9 reads per format, each format in a fresh process: CSV medians 1.57, 1.35, 1.73,
1.41, 1.58, 1.37, 1.62, 1.61 s; Parquet 0.205, 0.206, 0.209, 0.267, 0.260, 0.239, 0.274,
0.208 s: 7.6x, 6.5x, 8.3x, 5.3x, 6.1x, 5.7x, 5.9x, 7.7x (ratios of the fastest reads
5.5-6.1x). Over all ten rounds the median ratio is 6.0x; the shared VM moves a round's
Parquet median between 0.20 and 0.28 s. Where the Parquet read goes (pyarrow,
same file rewritten): decoding about 0.16 s with zstd, 0.10 s with LZ4 and 0.09 s
uncompressed; pandas' conversion of the decoded table 0.035 s. LZ4 (earlier versions'
codec) was 5.1x smaller and read in 0.14-0.16 s. With pandas 2 (measured 2026-12-05) the
conversion set a floor of about 0.18 s, LZ4 read in 0.19-0.24 s and zstd only 2.8-3.4x
faster than CSV.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCENARIO = """name = "formats"
ticks = 1095
[world]
residents = 1000
streets = 2
communities = 4
grids = 8
departments = 6
department_staff = 10
service_complexes = 1
social_workers = 4
organisations = 6
property_companies = 2
businesses = 6
[mechanisms.grid]
enabled = true
[mechanisms.online]
enabled = true
[experiment]
replicates = {runs}
max_runs = {runs}
seed = 1
record_every = 1
"""


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


READER = """
import sys, time, pandas as pd
path, fmt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
reader = pd.read_csv if fmt == "csv" else pd.read_parquet
df = reader(path)  # warm-up: page cache and lazy imports, not timed
for _ in range(n):
    t = time.perf_counter()
    df = reader(path)
    print(time.perf_counter() - t)
print(len(df), df.shape[1])
"""


def read_times(path: Path, fmt: str, n: int) -> tuple[list[float], list[int]]:
    """`n` timed pandas reads of `path`, in a fresh Python process per format, so that one
    format's reads do not run on a heap the other's left behind."""
    out = subprocess.run(
        [sys.executable, "-c", READER, str(path), fmt, str(n)], check=True, capture_output=True, text=True
    ).stdout.split("\n")
    return [float(x) for x in out[:n]], [int(x) for x in out[n].split()]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=1000)
    p.add_argument("--out", type=Path, default=Path("/tmp/cogov-formats"))
    p.add_argument("--cogov", type=Path, default=REPO / "target" / "release" / "cogov")
    p.add_argument("--reads", type=int, default=5, help="pandas reads per format (median)")
    a = p.parse_args()
    shutil.rmtree(a.out, ignore_errors=True)
    a.out.mkdir(parents=True)
    s = a.out / "formats.toml"
    s.write_text(SCENARIO.format(runs=a.runs))
    print(f"load before: {os.getloadavg()}")
    tables = ["runs", "timeseries", "communities", "aggregate", "contrasts"]
    for fmt in ["csv", "parquet"]:
        d = a.out / fmt
        base = [str(a.cogov), "experiment", str(s), "--out", str(d), "--no-plot", "--format", fmt]
        whole = timed([*base, "-j", "2"])
        final = timed([*base, "--resume"])
        size = sum((d / f"{t}.{fmt}").stat().st_size for t in tables)
        ts = d / f"timeseries.{fmt}"
        os.sync()  # the experiment's writes flush now, not during the timed reads
        reads, shape = read_times(ts, fmt, a.reads)
        print(
            f"{fmt}: experiment {whole:.1f} s; final tables written in {final:.2f} s; "
            f"final tables {size / 1e6:.1f} MB (timeseries {ts.stat().st_size / 1e6:.1f} MB, "
            f"{shape[0]} rows x {shape[1]} columns); parts {du(d / 'parts') / 1e6:.1f} MB; "
            f"pandas reads timeseries in {statistics.median(reads):.3f} s (median of {a.reads}; "
            f"min {min(reads):.3f}, max {max(reads):.3f})"
        )
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
