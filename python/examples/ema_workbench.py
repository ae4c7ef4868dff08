"""cogov as an EMA Workbench model: uncertainties over the ten linkage mechanisms'
intensities, outcomes from the run's summary, explored with a Latin hypercube.

    python python/examples/ema_workbench.py                       # 40 experiments, the screening world
    python python/examples/ema_workbench.py --experiments 8 --residents 600 --ticks 60

The base scenario is ``scenarios/sensitivity_mechanisms.toml`` (every mechanism on, a
contested renovation); its ``[sensitivity.parameters]`` ranges are the uncertainties, so
this explores the same space as cogov's own Morris screening. Each experiment is one
``cogov.run`` in this process: no JVM, no files, the same numbers as ``cogov run``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

# This file has the name of the package it drives: when run as a script its folder comes
# first on sys.path, and `import ema_workbench` would find this file. Look elsewhere.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import cogov  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "sensitivity_mechanisms.toml"

# Outcomes: summary columns of a run (see cogov.metrics()).
OUTCOMES = [
    "active_share_mean",
    "trust_institutional_mean_final",
    "collective_petitions_total",
    "issues_resolved_total",
]


def uncertainty_names(ranges: dict[str, list[float]]) -> dict[str, str]:
    """EMA names must be identifiers: `mechanisms.grid.patrol_detection` -> `grid__patrol_detection`."""
    return {path: "__".join(path.split(".")[1:]) for path in ranges}


def build_model(base: cogov.Scenario, ranges: dict[str, list[float]], seed: int):
    """The EMA model: a function of the mechanism intensities returning the outcomes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench import Model, RealParameter, ScalarOutcome

    names = uncertainty_names(ranges)
    paths = {name: path for path, name in names.items()}

    def cogov_model(**intensities: float) -> dict[str, float]:
        scenario = base.with_overrides({paths[n]: float(v) for n, v in intensities.items()})
        summary = cogov.run(scenario, seed=seed).summary
        return {o: float(summary[o].iloc[0]) for o in OUTCOMES}

    model = Model("cogov", function=cogov_model)
    model.uncertainties = [RealParameter(names[p], lo, hi) for p, (lo, hi) in ranges.items()]
    model.outcomes = [ScalarOutcome(o) for o in OUTCOMES]
    return model, paths


def small_world(residents: int, ticks: int) -> dict[str, object]:
    """Overrides that shrink the screening world (for tests and a quick look)."""
    return {
        "ticks": ticks,
        "init.warmup": 0,
        "world.residents": residents,
        "world.grids": 4,
        "world.organisations": 4,
        "world.social_workers": 3,
        "world.businesses": 6,
        "world.department_staff": 10,
    }


def main(argv: list[str] | None = None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--experiments", type=int, default=40, help="Latin hypercube size")
    p.add_argument("--residents", type=int, help="shrink the world to this many residents")
    p.add_argument("--ticks", type=int, default=365, help="days per run (with --residents)")
    p.add_argument("--seed", type=int, default=7, help="seed of every run (common random numbers)")
    args = p.parse_args(argv)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optional EMA back ends (ipyparallel) it does not find
        from ema_workbench import Samplers, perform_experiments

    base = cogov.Scenario.load(SCENARIO)
    if args.residents:
        base = base.with_overrides(small_world(args.residents, args.ticks))
    ranges = tomllib.loads(SCENARIO.read_text(encoding="utf-8"))["sensitivity"]["parameters"]
    model, paths = build_model(base, ranges, args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optional EMA back ends (ipyparallel) it does not find
        experiments, outcomes = perform_experiments(
            model, scenarios=args.experiments, uncertainty_sampling=Samplers.LHS
        )
    names = list(paths)
    table = experiments[names].copy()
    for o in OUTCOMES:
        table[o] = outcomes[o]
    # Which intensity goes with which outcome, across the hypercube (rank correlation).
    corr = table.corr(method="spearman").loc[names, OUTCOMES]
    print(f"{len(table)} experiments on {base.name} (seed {args.seed})")
    print(table[OUTCOMES].describe().loc[["mean", "min", "max"]].to_string())
    print("\nSpearman correlation of each intensity with each outcome:")
    print(corr.round(2).to_string())
    return experiments, outcomes, paths


if __name__ == "__main__":
    main()
