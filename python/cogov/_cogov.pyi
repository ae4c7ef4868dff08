"""Type stubs of the native module ``cogov._cogov`` (Rust, PyO3)."""

from collections.abc import Callable, Mapping
from os import PathLike
from typing import Any, final

import pyarrow as pa

__version__: str

_Value = bool | int | float | str | list[Any] | dict[str, Any]

@final
class Scenario:
    """A validated, immutable scenario."""

    @staticmethod
    def load(path: str | PathLike[str]) -> Scenario:
        """Loads, resolves and validates a scenario file (raises ``ScenarioError``)."""
    @staticmethod
    def from_toml(text: str, file: str = "<string>") -> Scenario:
        """Resolves and validates scenario text; ``file`` names it in error messages."""
    def with_overrides(self, overrides: Mapping[str, _Value]) -> Scenario:
        """This scenario with parameters set by dotted path (``{"mechanisms.grid.enabled":
        True}``), validated again (raises ``ScenarioError`` naming the key path)."""
    def with_records(self, issues: bool | None = None, panel: Mapping[str, int] | bool | None = None) -> Scenario:
        """This scenario with its ``[output]`` records set (``issues``; ``panel`` as
        ``{"sample": N, "every": K}`` or ``False``); ``None`` leaves a setting. Validated
        again (raises ``ScenarioError``)."""
    def to_toml(self) -> str:
        """The resolved scenario (every parameter) as TOML text, as ``cogov check`` prints it."""
    def check(self) -> None:
        """Checks what ``cogov check`` and ``cogov experiment`` check before running: the
        experiment plan, the figure settings, that a world fits in memory."""
    @property
    def name(self) -> str:
        """The scenario's name."""
    @property
    def seed(self) -> int:
        """The seed of a single run."""
    @property
    def ticks(self) -> int:
        """The horizon in days (after the warm-up)."""
    @property
    def file(self) -> str:
        """The file it came from (``<string>``, ``(overrides)``)."""
    @property
    def hash(self) -> str:
        """SHA-256 of the resolved scenario, as in ``manifest.json``."""
    def __eq__(self, other: object) -> bool: ...

@final
class RunResult:
    """One run's tables (Arrow record batches) and manifest."""

    @property
    def tables(self) -> list[str]:
        """Names of the tables, in order."""
    def to_arrow(self, name: str) -> pa.Table:
        """Table ``name`` as a ``pyarrow.Table`` sharing the run's memory."""
    @property
    def manifest_json(self) -> str:
        """The manifest as JSON text."""
    def save(self, out: str, format: str) -> None:
        """Writes the tables, ``metrics.csv`` and ``manifest.json`` into ``out`` (``csv`` or
        ``parquet``); a directory holding an experiment is refused."""
    def schema(self, name: str) -> pa.Schema:
        """Table ``name``'s schema."""

def run(scenario: Scenario, seed: int | None = None, record_every: int = 1) -> RunResult:
    """Runs ``scenario`` once; the engine runs without the GIL; Ctrl-C raises
    ``KeyboardInterrupt``."""

def experiment(
    scenario: Scenario,
    out: str,
    jobs: int | None = None,
    format: str = "csv",
    resume: bool = False,
    force: bool = False,
    progress: Callable[[int, int], object] | None = None,
    keep_parts: bool = True,
) -> tuple[int, int, bool]:
    """Runs the experiment into ``out``; returns ``(runs_total, runs_done, complete)``."""

def metrics() -> list[tuple[str, str, str, str]]:
    """``(name, unit, kind, doc)`` of every metric."""
