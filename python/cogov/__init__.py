"""cogov from Python: an agent-based simulator of community co-governance (共建共治共享) and
its linkage mechanisms (联动机制).

The engine is the same Rust library as the ``cogov`` command line, compiled into this
package: a run from Python gives exactly the numbers ``cogov run`` writes, for the same
scenario and seed.

>>> import cogov
>>> s = cogov.Scenario.load("scenarios/policies.toml")
>>> r = cogov.run(s.with_overrides({"mechanisms.grid.enabled": True}), seed=7)
>>> r.timeseries[["tick", "active_share"]].tail(2)          # pandas  # doctest: +SKIP
>>> r.to_arrow("timeseries")                                 # pyarrow, no copy  # doctest: +SKIP
>>> e = cogov.experiment(s, jobs=2)                          # policies x sweeps x replicates
>>> e.contrasts                                              # doctest: +SKIP

Tables have the columns and types of the command line's files (``float64`` metrics,
``int64`` ticks and counts, ``uint64`` seeds, ``string`` ids and names; a missing value is
``NaN`` (numbers) or ``None`` (text) in pandas and null in Arrow). The engine runs without holding the GIL; Ctrl-C
raises :class:`KeyboardInterrupt` promptly and leaves no half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, Mapping, Union

from . import _cogov
from ._cogov import Scenario
from ._errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "Scenario",
    "ScenarioError",
    "RunResult",
    "ExperimentResult",
    "run",
    "experiment",
    "metrics",
    "__version__",
]

__version__: str = _cogov.__version__

ScenarioLike = Union[Scenario, str, "os.PathLike[str]"]
Format = Literal["csv", "parquet"]


def _scenario(s: ScenarioLike) -> Scenario:
    if isinstance(s, Scenario):
        return s
    if isinstance(s, (str, os.PathLike)):
        return Scenario.load(os.fspath(s))
    raise TypeError(f"expected a cogov.Scenario or a path to a scenario file, not {type(s).__name__}")


def metrics() -> "pd.DataFrame":
    """The metric registry: one row per ``timeseries`` column after ``tick``, with its
    ``unit``, ``kind`` (``flow``: per day; ``stock``: end-of-day level) and ``doc``."""
    import pandas as pd

    return pd.DataFrame(_cogov.metrics(), columns=["name", "unit", "kind", "doc"])


class RunResult:
    """The tables of one run, in memory.

    ``timeseries`` (one row per recorded day: ``tick``, then every metric), ``summary``
    (one row: each metric's ``_final``, ``_mean`` and ``_total``) and ``communities`` (the
    final state of each community) are pandas DataFrames, built anew on each access;
    :meth:`to_arrow` gives ``pyarrow.Table`` objects that share the engine's memory.
    Every table the run produced is listed in :attr:`tables` and is also an attribute
    (``result.ledger``; ``result.issues`` and ``result.panel`` when the run kept those
    records).
    """

    def __init__(self, native: _cogov.RunResult) -> None:
        self._native = native

    @property
    def tables(self) -> list[str]:
        """Names of the tables the run produced, in order."""
        return list(self._native.tables)

    def to_arrow(self, name: str | None = None) -> "pa.Table | dict[str, pa.Table]":
        """Table ``name`` as a ``pyarrow.Table`` (zero-copy, through the Arrow C data
        interface), or every table by name when ``name`` is ``None``."""
        if name is None:
            return {n: self._native.to_arrow(n) for n in self._native.tables}
        return self._native.to_arrow(name)

    def table(self, name: str) -> "pd.DataFrame":
        """Table ``name`` as a pandas DataFrame (``KeyError`` if the run has no such table)."""
        return self._native.to_arrow(name).to_pandas()

    @property
    def timeseries(self) -> "pd.DataFrame":
        """One row per recorded day: ``tick``, then every metric (see :func:`metrics`)."""
        return self.table("timeseries")

    @property
    def summary(self) -> "pd.DataFrame":
        """One row: each metric's ``<name>_final``, ``<name>_mean`` and ``<name>_total``."""
        return self.table("summary")

    @property
    def communities(self) -> "pd.DataFrame":
        """One row per community: its final state."""
        return self.table("communities")

    @property
    def ledger(self) -> "pd.DataFrame":
        """The money ledger: each pool's flows by ``direction`` and ``counterpart`` per
        recorded day (``tick``, ``pool``, ``direction``, ``counterpart``, ``amount``,
        ``balance``); money is yuan to the cent as exact ``decimal.Decimal`` values
        (Arrow ``decimal128(18, 2)``)."""
        return self.table("ledger")

    @property
    def issues(self) -> "pd.DataFrame | None":
        """One row per issue closed after the warm-up or open at the end, with the tick of
        each stage change (``NA`` ticks: never reached); ``None`` unless the run was asked
        for it (``run(..., issues=True)`` or ``[output] issues = true``)."""
        return self.table("issues") if "issues" in self._native.tables else None

    @property
    def panel(self) -> "pd.DataFrame | None":
        """A fixed random sample of residents every few days; ``None`` unless the run was
        asked for it (``run(..., panel={"sample": 100, "every": 7})`` or ``[output] panel``)."""
        return self.table("panel") if "panel" in self._native.tables else None

    @property
    def manifest(self) -> dict[str, Any]:
        """What ran: the resolved scenario and its hash, the seed, each table's columns with
        their types, and ``provenance`` (cogov's version and the commit it was built from,
        the start time, cores, threads, wall time, peak memory), as ``cogov run`` writes it."""
        return json.loads(self._native.manifest_json)

    def save(self, out: "str | os.PathLike[str]", format: Format = "csv") -> Path:
        """Writes the tables, the codebook ``metrics.csv`` and ``manifest.json`` into ``out``
        as ``cogov run --out OUT --format FORMAT`` does (without figures; draw them with
        ``cogov plot OUT``). Each file is written atomically; a directory holding an
        experiment is refused (``ValueError``). Returns the directory."""
        self._native.save(os.fspath(out), format)
        return Path(out)

    def __getattr__(self, name: str) -> "pd.DataFrame":
        # Tables added to the engine later are attributes too.
        if not name.startswith("_") and name in self._native.tables:
            return self.table(name)
        raise AttributeError(name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._native.tables))

    def __repr__(self) -> str:
        m = self.manifest
        return f"RunResult(scenario={m['scenario_name']!r}, seed={m['seed']}, tables={self.tables})"


def _nulls_from_text(table: "pa.Table", columns: list[str]) -> "pa.Table":
    """``table`` with ``NA`` cells of the text ``columns`` as nulls (in CSV a missing text
    value is written ``NA``; pyarrow keeps other text columns' cells as they are)."""
    import pyarrow.compute as pc

    for name in columns:
        i = table.schema.get_field_index(name)
        col = table.column(i)
        table = table.set_column(i, name, pc.if_else(pc.equal(col, "NA"), None, col))
    return table


def _arrow_type(name: str) -> "pa.DataType":
    """The Arrow type of a column type named in the manifest."""
    import pyarrow as pa

    simple = {"float64": pa.float64, "int64": pa.int64, "uint64": pa.uint64, "bool": pa.bool_, "string": pa.string}
    if name in simple:
        return simple[name]()
    if name.startswith("decimal(") and name.endswith(")"):
        precision, scale = (int(x) for x in name[len("decimal(") : -1].split(","))
        return pa.decimal128(precision, scale)
    raise ValueError(f"unknown column type {name!r} in the manifest")


class ExperimentResult:
    """The tables of an experiment, read from its output directory on first use (the same
    files ``cogov experiment`` writes): ``runs`` (one row per run), ``timeseries`` and
    ``communities`` (keyed by ``run_id``), ``aggregate`` (mean, sd and 95% CI per policy x
    sweep point x summary column), ``contrasts`` (paired against the baseline), and
    ``sensitivity`` for a ``morris``/``sobol`` design. Tables are pandas DataFrames;
    :meth:`to_arrow` gives ``pyarrow.Table`` objects. Memory holds only what you read.
    """

    def __init__(self, out: Path, tmp: "tempfile.TemporaryDirectory[str] | None" = None) -> None:
        self._out = out
        self._tmp = tmp  # kept alive as long as this result: the temporary outputs live here

    @property
    def out(self) -> Path:
        """The output directory (a temporary one, removed with this object, when
        :func:`experiment` was given ``out=None``)."""
        return self._out

    @property
    def manifest(self) -> dict[str, Any]:
        """The experiment's ``manifest.json``."""
        return json.loads((self._out / "manifest.json").read_text(encoding="utf-8"))

    @property
    def complete(self) -> bool:
        """Whether every run is in (only then are the final tables written)."""
        return bool(self.manifest.get("complete"))

    def _described(self) -> dict[str, dict[str, Any]]:
        return {t["name"]: t for t in self.manifest.get("tables", [])}

    @property
    def tables(self) -> list[str]:
        """Names of the tables written, in order."""
        return [
            n for n, d in self._described().items() if d.get("file") and (self._out / d["file"]).is_file()
        ]

    def to_arrow(self, name: str | None = None) -> "pa.Table | dict[str, pa.Table]":
        """Table ``name`` as a ``pyarrow.Table``, or every table by name when ``name`` is
        ``None``. CSV files are read with the column types the manifest records, so both
        formats give the same table."""
        if name is None:
            return {n: self._read(n) for n in self.tables}
        return self._read(name)

    def table(self, name: str) -> "pd.DataFrame":
        """Table ``name`` as a pandas DataFrame."""
        return self._read(name).to_pandas()

    def _read(self, name: str) -> "pa.Table":
        manifest = self.manifest
        described = {t["name"]: t for t in manifest.get("tables", [])}.get(name)
        path = self._out / described["file"] if described and described.get("file") else None
        if path is None or not path.is_file():
            if not manifest.get("complete"):
                raise KeyError(
                    f"{name}: the experiment in {self._out} is not complete "
                    f"({manifest.get('runs_done')} of {manifest.get('runs_total')} runs); "
                    "run it again with resume=True"
                )
            raise KeyError(f"this experiment has no table {name!r}; its tables: {', '.join(self.tables)}")
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_table(path)
        import pyarrow.csv as pacsv

        types = {c["name"]: _arrow_type(c["type"]) for c in described["columns"]}
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=["NA"],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        missing_text = [
            c["name"] for c in described["columns"] if c["type"] == "string" and c.get("nullable")
        ]
        return _nulls_from_text(table, missing_text)

    @property
    def runs(self) -> "pd.DataFrame":
        """One row per run: ``run_id``, ``policy``, the sweep columns, ``replicate``,
        ``seed``, then every summary column."""
        return self.table("runs")

    @property
    def timeseries(self) -> "pd.DataFrame":
        """Every run's time series, keyed by ``run_id``."""
        return self.table("timeseries")

    @property
    def communities(self) -> "pd.DataFrame":
        """Every run's final community table, keyed by ``run_id`` and ``community``."""
        return self.table("communities")

    @property
    def aggregate(self) -> "pd.DataFrame":
        """Mean, sd and Student-t 95% CI per policy x sweep point x summary column."""
        return self.table("aggregate")

    @property
    def contrasts(self) -> "pd.DataFrame":
        """Paired differences against the baseline, with CI, Cohen's d and A12."""
        return self.table("contrasts")

    @property
    def sensitivity(self) -> "pd.DataFrame":
        """Morris or Sobol' indices (``morris``/``sobol`` designs only)."""
        return self.table("sensitivity")

    @property
    def issues(self) -> "pd.DataFrame | None":
        """Every issue of the runs that kept issue records (``[output] issues = true``),
        keyed by ``run_id``; ``None`` when no run kept them."""
        return self.table("issues") if "issues" in self.tables else None

    @property
    def panel(self) -> "pd.DataFrame | None":
        """The resident panels of the runs that kept one (``[output] panel``), keyed by
        ``run_id``; ``None`` when no run kept one."""
        return self.table("panel") if "panel" in self.tables else None

    def __getattr__(self, name: str) -> "pd.DataFrame":
        if not name.startswith("_") and name in self.tables:
            return self.table(name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"ExperimentResult(out={str(self._out)!r}, tables={self.tables})"


def run(
    scenario: ScenarioLike,
    seed: int | None = None,
    *,
    record_every: int = 1,
    issues: bool | None = None,
    panel: "Mapping[str, int] | None" = None,
) -> RunResult:
    """Runs ``scenario`` once (as written: ``[[policy]]`` overrides are for experiments)
    with ``seed`` (default: the scenario's ``seed``), recording every ``record_every``-th
    day, and returns its tables in memory. Same scenario and seed, same numbers as
    ``cogov run``.

    Args:
        issues: Keep the issue records (:attr:`RunResult.issues`), as ``[output] issues =
            true``; ``None`` leaves the scenario's setting.
        panel: Keep a resident panel (:attr:`RunResult.panel`), e.g. ``{"sample": 100,
            "every": 7}``, as ``[output] panel``; ``None`` leaves the scenario's setting.
            Records never change the run's numbers.

    The engine runs without holding the GIL, so other Python threads go on meanwhile.
    Ctrl-C raises :class:`KeyboardInterrupt` within a fraction of a second.

    Raises:
        ScenarioError: ``scenario`` is a path to a file that is not a valid scenario, or a
            record setting is out of range.
    """
    s = _scenario(scenario)
    if issues is not None or panel is not None:
        s = s.with_records(issues=issues, panel=None if panel is None else dict(panel))
    return RunResult(_cogov.run(s, seed, record_every))


def experiment(
    scenario: ScenarioLike,
    jobs: int | None = None,
    out: "str | os.PathLike[str] | None" = None,
    *,
    format: Format | None = None,
    resume: bool = False,
    force: bool = False,
    keep_parts: bool = True,
    progress: bool | Callable[[int, int], object] = True,
) -> ExperimentResult:
    """Runs the experiment of ``scenario``: every policy x sweep point x replicate, on
    ``jobs`` threads (default: every core; results do not depend on it), as
    ``cogov experiment`` does, and returns its tables.

    Args:
        out: Output directory, as ``cogov experiment --out``. ``None`` keeps the outputs in
            a temporary directory (Parquet) that lives as long as the result.
        format: ``"csv"`` or ``"parquet"``; default ``"csv"`` when ``out`` is given (the
            CLI's default) and ``"parquet"`` otherwise.
        resume: Skip runs already complete in ``out`` (after Ctrl-C or a crash).
        force: Allow more than ``experiment.max_runs`` runs; overwrite another scenario's
            output (never more runs than fit in memory).
        keep_parts: Keep ``parts/`` once the final tables are written (``False`` drops it
            after a complete experiment, as ``--keep-parts=false``; ``resume`` needs it).
        progress: ``True`` shows a progress bar (a widget in notebooks, text in
            terminals); a callable is called as ``progress(done, total)``; ``False``: quiet.

    Ctrl-C stops the runs in flight, keeps the finished ones (continue with
    ``resume=True``) and raises :class:`KeyboardInterrupt`; no file is ever half-written.

    Raises:
        ScenarioError: the scenario or its experiment cannot run (with the place in the file).
    """
    s = _scenario(scenario)
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="cogov-")
        out = tmp.name
        format = format or "parquet"
    path = Path(out)
    bar = None

    def tick(done: int, total: int) -> None:
        nonlocal bar
        if callable(progress):
            progress(done, total)
            return
        if bar is None:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, initial=done, unit="run", desc=s.name, dynamic_ncols=True)
        else:
            bar.update(done - bar.n)

    try:
        _cogov.experiment(
            s,
            os.fspath(path),
            jobs,
            format or "csv",
            resume,
            force,
            tick if progress else None,
            keep_parts,
        )
    finally:
        if bar is not None:
            bar.close()
    return ExperimentResult(path, tmp)
