"""`--format parquet` on the command line: the files read back with pyarrow, pandas and
polars with the CSV files' columns, values and the manifest's types; `cogov plot` and
`cogov merge` read them."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import EXPERIMENT, read_csv_exact, tiny

ARROW = {
    "float64": "double",
    "int64": "int64",
    "uint64": "uint64",
    "bool": "bool",
    "string": "string",
    "decimal(18,2)": "decimal128(18, 2)",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, cogov_bin):
    import subprocess

    d = tmp_path_factory.mktemp("pq")
    (d / "run.toml").write_text(tiny(ticks=50))
    (d / "exp.toml").write_text(tiny(name="exp", ticks=30, extra=EXPERIMENT))
    for fmt in ["csv", "parquet"]:
        for kind, toml in [("run", "run.toml"), ("experiment", "exp.toml")]:
            subprocess.run(
                [str(cogov_bin), kind, str(d / toml), "--out", str(d / f"{kind}_{fmt}"), "--format", fmt, "--no-plot"],
                check=True,
                capture_output=True,
            )
    return d


@pytest.mark.parametrize(
    "kind,tables",
    [
        ("run", ["timeseries", "summary", "communities", "ledger"]),
        ("experiment", ["runs", "timeseries", "communities", "aggregate", "contrasts"]),
    ],
)
def test_parquet_matches_csv_in_every_reader(outputs, kind, tables):
    pdir, cdir = outputs / f"{kind}_parquet", outputs / f"{kind}_csv"
    manifest = json.loads((pdir / "manifest.json").read_text())
    assert manifest["format"] == "parquet"
    for name in tables:
        path = pdir / f"{name}.parquet"
        assert not (pdir / f"{name}.csv").exists()
        meta = pq.ParquetFile(path).metadata
        assert all(
            meta.row_group(g).column(c).compression == "ZSTD"
            for g in range(meta.num_row_groups)
            for c in range(meta.num_columns)
        )
        table = pq.read_table(path)
        described = next(t for t in manifest["tables"] if t["name"] == name)
        assert described["file"] == f"{name}.parquet"
        assert [(f.name, str(f.type)) for f in table.schema] == [
            (c["name"], ARROW[c["type"]]) for c in described["columns"]
        ]
        csv = read_csv_exact(cdir / f"{name}.csv")
        frames = {"pyarrow": table.to_pandas(), "pandas": pd.read_parquet(path), "polars": pl.read_parquet(path).to_pandas()}
        for reader, df in frames.items():
            assert list(df.columns) == list(csv.columns), (name, reader)
            assert len(df) == len(csv), (name, reader)
            for c in df.columns:
                ours = df[c]
                if c == "run_id":  # text in Parquet, as written; CSV readers guess a number
                    assert ours.tolist() == [f"{int(i):06d}" for i in csv[c]], (name, reader)
                elif csv[c].dtype.kind == "f":  # numbers (money too): the same values
                    assert np.array_equal(ours.to_numpy(float), csv[c].to_numpy(float), equal_nan=True), (name, c, reader)
                else:
                    assert ours.astype(str).tolist() == csv[c].astype(str).tolist(), (name, c, reader)


def test_plot_reads_parquet(outputs, cli, tmp_path):
    for kind in ["run", "experiment"]:
        figs = tmp_path / kind
        cli("plot", outputs / f"{kind}_parquet", "--out", figs, "--formats", "svg")
        ref = tmp_path / f"{kind}_csv"
        cli("plot", outputs / f"{kind}_csv", "--out", ref, "--formats", "svg")
        names = sorted(p.name for p in (figs / "figures").iterdir())
        assert names and names == sorted(p.name for p in (ref / "figures").iterdir())
        for n in names:  # drawn from the same numbers: the same pictures
            assert (figs / "figures" / n).read_bytes() == (ref / "figures" / n).read_bytes(), n


def test_merge_reads_parquet_shards(outputs, cli, tmp_path):
    s = outputs / "exp.toml"
    shards = [tmp_path / f"s{i}" for i in (1, 2)]
    for i, d in enumerate(shards, 1):
        cli("experiment", s, "--shard", f"{i}/2", "--out", d, "--format", "parquet")
    merged = tmp_path / "merged"
    cli("merge", *shards, "--out", merged, "--no-plot")
    for name in ["runs", "timeseries", "communities", "aggregate", "contrasts"]:
        f = f"{name}.parquet"
        assert (merged / f).read_bytes() == (outputs / "experiment_parquet" / f).read_bytes(), f
    # Shards of different formats do not mix.
    other = tmp_path / "csv_shard"
    cli("experiment", s, "--shard", "1/2", "--out", other)
    p = cli("merge", other, shards[1], "--out", tmp_path / "mixed", check=False)
    assert p.returncode == 2 and "--format" in p.stderr
