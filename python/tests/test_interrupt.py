"""Ctrl-C: SIGINT during a run or an experiment raises KeyboardInterrupt while the engine is
busy (well before the run could finish), and leaves no half-written output; an interrupted
experiment resumes to the full result."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

from conftest import EXPERIMENT, tiny

# The engine would need hours for this run (20,000 residents, 65,000 days): an interrupt
# that waited for the run to end would hit the subprocess timeout instead.
LONG_RUN = tiny(ticks=65000).replace("residents = 600", "residents = 20000")

CHILD = textwrap.dedent(
    """
    import sys, threading, time, cogov
    s = cogov.Scenario.load(sys.argv[1])
    def tell():  # runs while the main thread is inside cogov (the GIL is free)
        time.sleep(0.5)
        print("running", flush=True)
    threading.Thread(target=tell, daemon=True).start()
    try:
        if sys.argv[2] == "run":
            cogov.run(s, seed=1)
        else:
            cogov.experiment(s, jobs=1, out=sys.argv[3], progress=False)
    except KeyboardInterrupt as e:
        print("interrupted:", e, flush=True)
        sys.exit(0)
    print("finished", flush=True)
    """
)


def start(tmp_path, text, *args):
    scenario = tmp_path / "s.toml"
    scenario.write_text(text)
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(scenario), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_ctrl_c_stops_a_run(tmp_path):
    child = start(tmp_path, LONG_RUN, "run")
    assert child.stdout.readline().strip() == "running"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert "interrupted" in out, (out, err)
    assert child.returncode == 0


def test_ctrl_c_stops_an_experiment_and_resume_completes(tmp_path):
    # 80 runs of 1,500 days: seconds of work with one job, so the signal lands mid-experiment
    # on any machine. The first finished part (not a timer) says the engine is busy.
    text = tiny(name="ctrlc", ticks=1500, extra=EXPERIMENT.replace("replicates = 2", "replicates = 20"))
    out = tmp_path / "out"
    child = start(tmp_path, text, "experiment", str(out))
    deadline = time.time() + 120
    while not list((out / "parts").glob("*.done")) and time.time() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    stdout, err = child.communicate(timeout=120)
    assert "interrupted" in stdout and "resume=True" in stdout, (stdout, err)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is False and 0 < manifest["runs_done"] < manifest["runs_total"]
    # No final table, no temporary file, no part without its marker.
    assert not list(out.glob("*.csv"))
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
    done = {p.name.split(".")[0] for p in (out / "parts").glob("*.done")}
    parts = {p.name.split(".")[0] for p in (out / "parts").glob("*.csv")}
    assert parts == done, "every part belongs to a finished run"
    import cogov

    s = cogov.Scenario.load(tmp_path / "s.toml")
    resumed = cogov.experiment(s, jobs=2, out=out, resume=True, progress=False)
    assert resumed.complete
    fresh = cogov.experiment(s, jobs=2, out=tmp_path / "fresh", progress=False)
    for name in ["runs", "timeseries", "communities", "aggregate", "contrasts"]:
        assert (out / f"{name}.csv").read_bytes() == (fresh.out / f"{name}.csv").read_bytes(), name
