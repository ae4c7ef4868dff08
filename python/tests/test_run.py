"""cogov.run: the tables and their types, bit-identical numbers to the CLI's CSV for the
same scenario and seed, zero-copy Arrow, the GIL released while the engine runs."""

from __future__ import annotations

import threading
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import cogov
from conftest import read_csv_exact, tiny


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("run") / "tiny.toml"
    path.write_text(tiny(ticks=80), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(scenario_file):
    return cogov.run(cogov.Scenario.load(scenario_file), seed=11)


def test_tables_and_types(result):
    assert result.tables[:3] == ["timeseries", "summary", "communities"]
    ts = result.timeseries
    assert isinstance(ts, pd.DataFrame)
    assert len(ts) == 80 and list(ts.tick) == list(range(80))
    assert ts.tick.dtype == np.int64
    metrics = cogov.metrics()
    assert list(ts.columns[1:]) == list(metrics.name)
    assert all(ts[m].dtype == np.float64 for m in metrics.name)
    assert len(result.summary) == 1 and "issues_resolved_total" in result.summary
    assert len(result.communities) == 4 and result.communities.community.tolist() == [0, 1, 2, 3]
    m = result.manifest
    assert (m["seed"], m["complete"], m["format"]) == (11, True, None)
    assert [t["name"] for t in m["tables"]] == result.tables
    described = {c["name"]: c["type"] for c in m["tables"][0]["columns"]}
    assert described["tick"] == "int64" and described["active_share"] == "float64"
    assert result.communities.equals(result.table("communities"))
    # The ledger: money as exact decimals (yuan to the cent).
    assert result.tables == ["timeseries", "summary", "communities", "ledger"]
    ledger = result.ledger
    assert list(ledger.columns) == ["tick", "pool", "direction", "counterpart", "amount", "balance"]
    assert len(ledger) > 0 and ledger.tick.dtype == np.int64
    money = result.to_arrow("ledger").schema.field("amount").type
    assert money == pa.decimal128(18, 2)
    assert all(isinstance(x, Decimal) for x in ledger.amount.head())
    with pytest.raises(KeyError, match='no table "nope"'):
        result.table("nope")
    with pytest.raises(AttributeError):
        result.no_such_table


def test_same_numbers_as_the_cli(cli, scenario_file, result, tmp_path):
    out = tmp_path / "cli"
    cli("run", scenario_file, "--seed", 11, "--out", out, "--no-plot")
    for name in result.tables:
        # Bit-identical values: CSV numbers are shortest round-trip, parsed back exactly.
        theirs = read_csv_exact(out / f"{name}.csv")
        ours = result.table(name)
        assert list(theirs.columns) == list(ours.columns), name
        for c in ours.columns:
            if theirs[c].dtype.kind == "f":  # numbers: compare the values exactly
                a, b = ours[c].to_numpy(dtype=float), theirs[c].to_numpy(dtype=float)
                assert np.array_equal(a, b, equal_nan=True), (name, c)
            else:
                assert ours[c].astype(str).tolist() == theirs[c].tolist(), (name, c)
    # And the same bytes when Python writes the files.
    mine = result.save(tmp_path / "py", format="csv")
    for name in result.tables:
        assert (mine / f"{name}.csv").read_bytes() == (out / f"{name}.csv").read_bytes(), name


def test_to_arrow_shares_the_run_memory(result):
    a, b = result.to_arrow("timeseries"), result.to_arrow("timeseries")
    assert isinstance(a, pa.Table) and a.schema.field("tick").type == pa.int64()
    addr = lambda t: t.column("active_share").chunks[0].buffers()[1].address  # noqa: E731
    assert addr(a) == addr(b), "each call exports the same buffers, no copy"
    everything = result.to_arrow()
    assert set(everything) == set(result.tables)
    assert everything["summary"].num_rows == 1


def test_seed_defaults_to_the_scenario_and_runs_are_reproducible(scenario_file):
    s = cogov.Scenario.load(scenario_file)
    one = cogov.run(s)
    assert one.manifest["seed"] == s.seed
    assert one.timeseries.equals(cogov.run(s, seed=s.seed).timeseries)
    other = cogov.run(s, seed=s.seed + 1).timeseries
    assert not one.timeseries.equals(other)
    coarse = cogov.run(s, record_every=10).timeseries
    assert coarse.tick.tolist() == [0, 10, 20, 30, 40, 50, 60, 70, 79]


def test_the_gil_is_released_while_the_engine_runs(scenario_file):
    s = cogov.Scenario.load(scenario_file).with_overrides({"ticks": 400})
    count = 0
    stop = threading.Event()

    def spin():
        nonlocal count
        while not stop.is_set():
            count += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        before = count
        cogov.run(s, seed=1)
        during = count - before
    finally:
        stop.set()
        t.join()
    # Holding the GIL for the whole run would leave the other thread at (almost) zero.
    assert during > 1000, during


def test_save_parquet_reads_back_with_the_same_values(result, tmp_path):
    import pyarrow.parquet as pq

    out = result.save(tmp_path / "pq", format="parquet")
    for name in result.tables:
        back = pq.read_table(out / f"{name}.parquet")
        assert back.to_pandas().equals(result.table(name)), name
    assert not (out / "timeseries.csv").exists()
    with pytest.raises(ValueError, match="allowed: csv, parquet"):
        result.save(tmp_path / "x", format="xlsx")


def test_records_when_asked_are_the_cli_files(cli, scenario_file, result, tmp_path):
    s = cogov.Scenario.load(scenario_file)
    assert result.issues is None and result.panel is None, "records only when asked"
    r = cogov.run(s, seed=11, issues=True, panel={"sample": 30, "every": 10})
    assert r.tables == ["timeseries", "summary", "communities", "ledger", "issues", "panel"]
    # Records never change the run.
    assert r.timeseries.equals(result.timeseries)
    issues, panel = r.issues, r.panel
    assert len(issues) > 0 and len(panel) == 30 * 8
    arrow = r.to_arrow("issues")
    assert arrow.schema.field("detected").type == pa.int64()
    assert arrow.column("funded").null_count > 0, "an issue never funded is null, not a number"
    assert arrow.column("routed_to").null_count == arrow.column("routed").null_count
    # The CLI with the same records in [output] writes the same files.
    text = scenario_file.read_text(encoding="utf-8")
    with_records = tmp_path / "records.toml"
    with_records.write_text(text + "[output]\nissues = true\npanel = { sample = 30, every = 10 }\n", encoding="utf-8")
    out = tmp_path / "cli"
    cli("run", with_records, "--seed", 11, "--out", out, "--no-plot")
    for name in ["issues", "panel"]:
        theirs = read_csv_exact(out / f"{name}.csv")
        ours = r.table(name)
        assert list(theirs.columns) == list(ours.columns), name
        for c in ours.columns:
            if theirs[c].dtype.kind == "f":
                a, b = ours[c].to_numpy(dtype=float), theirs[c].to_numpy(dtype=float)
                assert np.array_equal(a, b, equal_nan=True), (name, c)
            else:
                assert ours[c].fillna("NA").astype(str).tolist() == theirs[c].tolist(), (name, c)
    mine = r.save(tmp_path / "py", format="csv")
    for f in ["issues.csv", "panel.csv", "metrics.csv"]:
        assert (mine / f).read_bytes() == (out / f).read_bytes(), f
    # Saving a run without records removes those an earlier run left there.
    result.save(mine, format="csv")
    assert not (mine / "issues.csv").exists() and not (mine / "panel.csv").exists()
    with pytest.raises(cogov.ScenarioError, match="output.panel.every"):
        cogov.run(s, panel={"sample": 10, "every": 0})


def test_manifest_has_the_provenance_block(result, tmp_path):
    m = result.manifest
    assert m["kind"] == "run" and "git_commit" not in m
    p = m["provenance"]
    assert p["cogov_version"] == cogov.__version__ and p["seed"] == 11
    assert p["scenario_hash"] == m["scenario_hash"] and p["wall_seconds"] >= 0
    for key in ["cogov_commit", "started", "host_cores", "threads", "peak_rss_bytes"]:
        assert key in p, key
    assert m["files"] == [], "nothing written yet"
    out = result.save(tmp_path / "saved", format="parquet")
    import json

    saved = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert saved["files"] == [f"{t}.parquet" for t in result.tables] + ["metrics.csv"]
    assert saved["provenance"] == p
    assert (out / "metrics.csv").read_text(encoding="utf-8").startswith("name,")
