"""The examples run on a small world: the EMA Workbench model's outcomes are cogov's
numbers, SALib's Morris indices on cogov's own design points equal cogov's, and the
quickstart notebook executes without a failing cell."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pytest

import cogov
from conftest import REPO

EXAMPLES = REPO / "python" / "examples"
SMALL = ["--residents", "600", "--ticks", "60"]


def load(name: str):
    # Not under its own name: `ema_workbench.py` would hide the ema_workbench package.
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_ema_workbench_latin_hypercube():
    ema = load("ema_workbench")
    experiments, outcomes, paths = ema.main(["--experiments", "5", "--seed", "3", *SMALL])
    assert len(experiments) == 5 and set(outcomes) == set(ema.OUTCOMES)
    names = list(paths)
    ranges = ema.tomllib.loads(ema.SCENARIO.read_text())["sensitivity"]["parameters"]
    # A Latin hypercube: each intensity falls once in each fifth of its range.
    for n in names:
        lo, hi = ranges[paths[n]]
        strata = np.floor((experiments[n].to_numpy(float) - lo) / (hi - lo) * 5)
        assert sorted(strata) == [0, 1, 2, 3, 4], n
    # The outcomes are what cogov.run gives for those intensities.
    base = cogov.Scenario.load(ema.SCENARIO).with_overrides(ema.small_world(600, 60))
    row = experiments.iloc[2]
    s = base.with_overrides({paths[n]: float(row[n]) for n in names})
    summary = cogov.run(s, seed=3).summary
    for o in ema.OUTCOMES:
        assert outcomes[o][2] == summary[o].iloc[0], o
    assert len(set(outcomes["issues_resolved_total"])) > 1, "the intensities change the outcome"


def test_salib_morris_matches_cogov_on_the_same_points():
    sm = load("salib_morris")
    loop, salib, own = sm.main(["--trajectories", "3", "--replicates", "2", "--jobs", "2", *SMALL])
    assert list(loop.index) == list(salib.index) and len(loop) == 10
    assert np.isfinite(loop.to_numpy()).all()
    np.testing.assert_allclose(salib.to_numpy(), own.to_numpy(), rtol=1e-9, atol=1e-9)
    assert (own["mu_star"] > 0).any()


def test_quickstart_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the figure was drawn"
