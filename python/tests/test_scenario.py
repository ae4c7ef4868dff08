"""Scenario: load, from_toml, with_overrides, to_toml, check; ScenarioError carries the
CLI's message and the place of the problem as data."""

from __future__ import annotations

import pickle

import pytest

import cogov
from conftest import EXPERIMENT, REPO, tiny


def test_load_from_toml_and_round_trip(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(tiny(), encoding="utf-8")
    s = cogov.Scenario.load(path)
    assert (s.name, s.ticks, s.seed, s.file) == ("tiny", 60, 5, str(path))
    again = cogov.Scenario.from_toml(s.to_toml())
    assert again == s and again.hash == s.hash
    assert "residents = 600" in s.to_toml()
    assert pickle.loads(pickle.dumps(s)) == s


def test_with_overrides_sets_values_of_every_type_and_validates():
    s = cogov.Scenario.from_toml(tiny())
    o = s.with_overrides(
        {
            "mechanisms.grid.enabled": False,
            "world.residents": 800,
            "residents.report_probability": 0.4,
            "name": "renamed",
        }
    )
    assert o != s and o.name == "renamed"
    text = o.to_toml()
    assert "residents = 800" in text and "report_probability = 0.4" in text
    assert s.with_overrides({}) == s
    with pytest.raises(cogov.ScenarioError) as e:
        s.with_overrides({"mechanisms.grid.enabeld": True})
    assert e.value.key_path == "mechanisms.grid.enabeld"
    assert "mechanisms.grid.enabled" in str(e.value)  # the nearest valid path
    with pytest.raises(cogov.ScenarioError) as e:
        s.with_overrides({"world.party_share": 1.5})
    assert e.value.key_path == "world.party_share" and "[0, 1]" in str(e.value)
    with pytest.raises(TypeError):
        s.with_overrides({"world.residents": object()})


def cli_message(cli, path) -> str:
    p = cli("check", path, check=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("error: ")
    return p.stderr[len("error: ") :].rstrip("\n")


@pytest.mark.parametrize(
    "case",
    ["out_of_range.toml", "unknown_key.toml", "wrong_type.toml", "syntax_error.toml", "shares_sum.toml"],
)
def test_bad_input_raises_scenario_error_with_the_cli_message(cli, case):
    path = REPO / "tests" / "bad_inputs" / case
    at = next(l.split(":", 1)[1].strip() for l in path.read_text().splitlines() if l.startswith("# at:"))
    with pytest.raises(cogov.ScenarioError) as e:
        cogov.Scenario.load(path)
    err = e.value
    assert str(err) == cli_message(cli, path)
    assert isinstance(err, ValueError)
    assert err.file == str(path)
    if at != "-":
        line, col = map(int, at.split(":"))
        assert (err.line, err.column) == (line, col)
    if case != "syntax_error.toml":
        assert err.key_path and f"`{err.key_path}`" in str(err)
    else:
        assert err.key_path is None
    assert pickle.loads(pickle.dumps(err)).key_path == err.key_path


def test_missing_file_is_a_scenario_error(tmp_path):
    with pytest.raises(cogov.ScenarioError) as e:
        cogov.Scenario.load(tmp_path / "nope.toml")
    assert e.value.file.endswith("nope.toml") and e.value.line is None


def test_check_finds_experiment_problems_with_their_place(tmp_path):
    path = tmp_path / "e.toml"
    text = tiny(extra=EXPERIMENT.replace("record_every = 5", "record_every = 5\nmax_runs = 3"))
    path.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("max_runs"))
    s = cogov.Scenario.load(path)  # loads: max_runs is checked against the plan, not the file
    with pytest.raises(cogov.ScenarioError) as e:
        s.check()
    assert e.value.key_path == "experiment.max_runs"
    assert (e.value.file, e.value.line, e.value.column) == (str(path), line, 12)
    with pytest.raises(cogov.ScenarioError):
        cogov.experiment(s, out=tmp_path / "o", progress=False)
    assert not (tmp_path / "o").exists()
    cogov.Scenario.from_toml(tiny()).check()
