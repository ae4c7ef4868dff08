"""Morris screening of the linkage mechanisms with SALib around cogov, checked against
cogov's own Morris.

    python python/examples/salib_morris.py                        # the screening world, r = 10
    python python/examples/salib_morris.py --trajectories 4 --residents 600 --ticks 60

1. SALib samples Morris trajectories over the mechanisms' intensities (the ranges of
   ``scenarios/sensitivity_mechanisms.toml``), cogov runs every point (replicates with
   common random numbers, averaged), and SALib analyses the outputs: the usual SALib loop,
   with cogov as the model.
2. cogov runs its own Morris design (``cogov.experiment`` on the scenario, ``design =
   "morris"``), and SALib analyses cogov's points and outputs: on the same points, SALib's
   mu, mu* and sigma must equal those in cogov's ``sensitivity`` table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import numpy as np
import pandas as pd

import cogov

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "sensitivity_mechanisms.toml"
METRIC = "issues_resolved_total"


def small_world(residents: int, ticks: int) -> dict[str, object]:
    """Overrides that shrink the screening world (for tests and a quick look)."""
    return {
        "ticks": ticks,
        "world.residents": residents,
        "world.grids": 4,
        "world.organisations": 4,
        "world.social_workers": 3,
        "world.businesses": 6,
        "world.department_staff": 10,
    }


def problem_of(base: cogov.Scenario) -> dict:
    """The SALib problem: the scenario's [sensitivity.parameters], in cogov's (sorted) order."""
    ranges = tomllib.loads(base.to_toml())["sensitivity"]["parameters"]
    names = sorted(ranges)
    return {"num_vars": len(names), "names": names, "bounds": [ranges[n] for n in names]}


def salib_loop(base: cogov.Scenario, trajectories: int, replicates: int, seed: int) -> pd.DataFrame:
    """SALib sample -> cogov runs -> SALib analyze."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = problem_of(base)
    levels = 4
    X = sample.sample(problem, N=trajectories, num_levels=levels, seed=seed)
    Y = np.empty(len(X))
    for i, x in enumerate(X):
        s = base.with_overrides({n: float(v) for n, v in zip(problem["names"], x)})
        Y[i] = np.mean([cogov.run(s, seed=seed + k).summary[METRIC].iloc[0] for k in range(replicates)])
    res = analyze.analyze(problem, X, Y, num_levels=levels, seed=seed)
    return pd.DataFrame({k: res[k] for k in ("mu", "mu_star", "sigma")}, index=problem["names"])


def cogov_morris(base: cogov.Scenario, trajectories: int, replicates: int, jobs: int | None):
    """cogov's own Morris experiment, and SALib's analysis of the same points and outputs."""
    from SALib.analyze import morris as analyze

    s = base.with_overrides(
        {
            "sensitivity.r": trajectories,
            "sensitivity.metrics": [METRIC],
            "sensitivity.bootstrap": 50,
            "experiment.replicates": replicates,
        }
    )
    e = cogov.experiment(s, jobs=jobs, progress=False)
    problem = problem_of(s)
    runs = e.runs
    # Runs are in design order, replicates of a point together: average them per point.
    point = np.arange(len(runs)) // replicates
    X = runs.groupby(point)[problem["names"]].first().to_numpy()
    Y = runs.groupby(point)[METRIC].mean().to_numpy()
    levels = int(tomllib.loads(s.to_toml())["sensitivity"]["levels"])
    res = analyze.analyze(problem, X, Y, num_levels=levels)
    salib = pd.DataFrame({k: res[k] for k in ("mu", "mu_star", "sigma")}, index=problem["names"])
    sens = e.sensitivity
    own = sens[sens.metric == METRIC].pivot(index="parameter", columns="index", values="value")
    return salib, own[["mu", "mu_star", "sigma"]].loc[problem["names"]]


def main(argv: list[str] | None = None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--trajectories", type=int, default=10, help="Morris trajectories r")
    p.add_argument("--replicates", type=int, default=2, help="runs per point, averaged")
    p.add_argument("--residents", type=int, help="shrink the world to this many residents")
    p.add_argument("--ticks", type=int, default=365, help="days per run (with --residents)")
    p.add_argument("--jobs", type=int, help="threads for cogov's own experiment")
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args(argv)

    base = cogov.Scenario.load(SCENARIO)
    if args.residents:
        base = base.with_overrides(small_world(args.residents, args.ticks))

    loop = salib_loop(base, args.trajectories, args.replicates, args.seed)
    print(f"1. SALib sample -> cogov -> SALib analyze ({METRIC}), by mu*:")
    print(loop.sort_values("mu_star", ascending=False).round(3).to_string())

    salib, own = cogov_morris(base, args.trajectories, args.replicates, args.jobs)
    print("\n2. cogov's Morris design: SALib's indices on cogov's points vs cogov's own:")
    print(salib.join(own.add_suffix("_cogov")).round(4).to_string())
    gap = float(np.max(np.abs(salib.to_numpy() - own.to_numpy())))
    print(f"largest difference: {gap:.3g}")
    return loop, salib, own


if __name__ == "__main__":
    main()
