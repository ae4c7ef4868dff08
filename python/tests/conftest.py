"""Shared fixtures: the repository, the `cogov` binary the Python results are compared with,
and a tiny world that runs in a fraction of a second."""

from __future__ import annotations

import csv
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]

# The [world] of tests/common/mod.rs: 600 residents.
TINY_WORLD = """[world]
residents = 600
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
"""


def tiny(name: str = "tiny", ticks: int = 60, extra: str = "") -> str:
    """A scenario on the tiny world with two mechanisms on (so money and online flows move)."""
    return (
        f'name = "{name}"\nticks = {ticks}\nseed = 5\n{TINY_WORLD}'
        "[mechanisms.grid]\nenabled = true\n[mechanisms.online]\nenabled = true\n" + extra
    )


EXPERIMENT = """
[experiment]
replicates = 2
seed = 9
record_every = 5
baseline = "off"
[[policy]]
name = "off"
set = { "mechanisms.grid.enabled" = false, "mechanisms.online.enabled" = false }
[[policy]]
name = "on"
[sweep]
"init.seed_active_share" = [0.01, 0.05]
"""


@pytest.fixture(scope="session")
def cogov_bin() -> Path:
    """The release binary built by `cargo build --release` (or $COGOV_BIN)."""
    path = Path(os.environ.get("COGOV_BIN", REPO / "target" / "release" / "cogov"))
    if not path.is_file():
        pytest.fail(f"no cogov binary at {path}: run `cargo build --release` or set COGOV_BIN")
    return path


@pytest.fixture
def cli(cogov_bin):
    """Runs `cogov ARGS`; returns the completed process (text output)."""

    def call(*args: object, check: bool = True) -> subprocess.CompletedProcess[str]:
        p = subprocess.run([str(cogov_bin), *map(str, args)], capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"cogov {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
        return p

    return call


def read_csv_exact(path: Path) -> pd.DataFrame:
    """A cogov CSV file with every number parsed by Python's `float` (exact for the
    shortest round-trip text cogov writes; `NA` is NaN); columns that are not all numbers
    stay text."""
    with open(path, newline="", encoding="utf-8") as f:
        header, *body = list(csv.reader(f))
    cols: dict[str, object] = {}
    for j, name in enumerate(header):
        cells = [r[j] for r in body]
        try:
            cols[name] = np.array([math.nan if c == "NA" else float(c) for c in cells])
        except ValueError:
            cols[name] = cells
    return pd.DataFrame(cols, columns=header)
