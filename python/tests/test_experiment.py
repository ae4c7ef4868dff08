"""cogov.experiment: the CLI's tables (same bytes in the same format), a progress bar or
callback, lazily read tables with the same types from CSV and Parquet."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import cogov
from conftest import EXPERIMENT, tiny

TABLES = ["runs", "timeseries", "communities", "aggregate", "contrasts"]


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("exp") / "e.toml"
    path.write_text(tiny(name="exp", ticks=30, extra=EXPERIMENT), encoding="utf-8")
    return path


def test_same_files_as_the_cli(cli, scenario_file, tmp_path):
    for fmt in ["csv", "parquet"]:
        cli("experiment", scenario_file, "--out", tmp_path / f"cli_{fmt}", "--no-plot", "-j", 2, "--format", fmt)
        seen = []
        e = cogov.experiment(
            scenario_file, jobs=1, out=tmp_path / f"py_{fmt}", format=fmt, progress=lambda d, t: seen.append((d, t))
        )
        assert e.complete and e.tables == TABLES
        assert seen[-1] == (8, 8) and all(t == 8 for _, t in seen)
        for name in TABLES:
            f = f"{name}.{fmt}"
            assert (e.out / f).read_bytes() == (tmp_path / f"cli_{fmt}" / f).read_bytes(), f


def test_in_memory_result_reads_tables_on_demand(scenario_file):
    e = cogov.experiment(cogov.Scenario.load(scenario_file), jobs=2, progress=False)
    out = e.out
    assert out.is_dir() and (out / "runs.parquet").is_file()
    runs = e.runs
    assert len(runs) == 8 and runs.run_id.tolist() == [f"{i:06d}" for i in range(8)]
    assert runs.seed.dtype == np.uint64 and runs.replicate.dtype == np.int64
    assert sorted(set(runs.policy)) == ["off", "on"]
    ts = e.timeseries
    assert set(ts.run_id) == set(runs.run_id) and ts.tick.max() == 29
    assert set(e.contrasts.policy) == {"on"}
    with pytest.raises(KeyError, match="no table"):
        e.sensitivity
    del e
    import gc

    gc.collect()
    assert not out.exists(), "the temporary outputs go with the result"


def test_csv_and_parquet_give_the_same_typed_tables(scenario_file, tmp_path):
    s = cogov.Scenario.load(scenario_file)
    a = cogov.experiment(s, jobs=2, out=tmp_path / "c", format="csv", progress=False)
    b = cogov.experiment(s, jobs=2, out=tmp_path / "p", format="parquet", progress=False)
    for name in TABLES:
        ta, tb = a.to_arrow(name), b.to_arrow(name)
        assert ta.schema.names == tb.schema.names, name
        assert [f.type for f in ta.schema] == [f.type for f in tb.schema], name
        for col in ta.schema.names:
            x, y = ta.column(col).combine_chunks(), tb.column(col).combine_chunks()
            assert x.equals(y), (name, col)
    assert a.runs.run_id.dtype == b.runs.run_id.dtype
    assert b.to_arrow("runs").schema.field("seed").type == pa.uint64()


def test_records_are_experiment_tables_in_either_format(tmp_path):
    # The "on" policy keeps issue records, "off" none: the table holds the runs that kept them.
    text = tiny(name="rec", ticks=30, extra=EXPERIMENT).replace(
        'name = "on"\n', 'name = "on"\nset = { "output.issues" = true }\n'
    )
    s = cogov.Scenario.from_toml(text)
    a = cogov.experiment(s, jobs=2, out=tmp_path / "c", format="csv", progress=False)
    b = cogov.experiment(s, jobs=2, out=tmp_path / "p", format="parquet", progress=False)
    assert "issues" in a.tables and "panel" not in a.tables and b.panel is None
    for name in ["issues"]:
        ta, tb = a.to_arrow(name), b.to_arrow(name)
        assert ta.schema.names == tb.schema.names, name
        assert [f.type for f in ta.schema] == [f.type for f in tb.schema], name
        for col in ta.schema.names:
            assert ta.column(col).combine_chunks().equals(tb.column(col).combine_chunks()), (name, col)
    issues = b.issues
    runs = b.runs
    on = set(runs.run_id[runs.policy == "on"])
    assert issues.columns[0] == "run_id" and set(issues.run_id) == on
    # Missing text is null after reading either format (CSV writes it NA).
    routed_to = a.to_arrow("issues").column("routed_to")
    assert routed_to.null_count == issues.routed.isna().sum()
    assert b.manifest["provenance"]["seed"] == {"master_seed": 9}


def test_progress_bar_runs_in_a_terminal(scenario_file, tmp_path, capsys):
    cogov.experiment(scenario_file, jobs=2, out=tmp_path / "bar")
    err = capsys.readouterr().err
    assert "8/8" in err and "exp" in err
