"""The installed package: one abi3 extension for every CPython >= 3.10, typed (stubs and
py.typed), documented."""

from __future__ import annotations

import importlib.resources
import inspect
from pathlib import Path

import cogov


def test_abi3_extension_stubs_and_py_typed():
    native = Path(cogov._cogov.__file__).name
    assert native.startswith("_cogov.abi3."), native
    files = {p.name for p in importlib.resources.files("cogov").iterdir()}
    assert {"py.typed", "_cogov.pyi", "__init__.py"} <= files
    stub = (importlib.resources.files("cogov") / "_cogov.pyi").read_text()
    for name in ["class Scenario", "def with_overrides", "def run(", "def experiment(", "class RunResult"]:
        assert name in stub, name


def test_public_api_is_documented():
    for name in cogov.__all__:
        obj = getattr(cogov, name)
        if name != "__version__":
            assert inspect.getdoc(obj), name
    for method in ["load", "from_toml", "with_overrides", "to_toml", "check"]:
        assert inspect.getdoc(getattr(cogov.Scenario, method)), method
    for prop in ["timeseries", "summary", "communities", "ledger", "manifest"]:
        assert inspect.getdoc(getattr(cogov.RunResult, prop)), prop
    assert cogov.__version__ == "0.1.0"
