//! `cogov._cogov`: the native half of the Python package, a thin layer over the `cogov`
//! library. It converts arguments and errors, releases the GIL while the engine runs, and
//! hands tables to pyarrow through the Arrow C data interface (no copy). The Python half
//! (`cogov/__init__.py`) adds pandas, progress bars and reading experiment outputs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use arrow_array::RecordBatch;
use arrow_pyarrow::{IntoPyArrow, ToPyArrow};
use cogov::tables::{Format, Table};
use pyo3::exceptions::{PyKeyError, PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// How often the waiting thread takes the GIL to look for Ctrl-C and report progress.
const POLL: Duration = Duration::from_millis(50);

/// A library error as the Python exception the package documents: `ScenarioError` (with
/// `file`, `line`, `column`, `key_path`) for bad scenarios, `ValueError` for other bad
/// input, `OSError` for files, `KeyboardInterrupt` for an interruption.
fn py_err(py: Python<'_>, e: cogov::Error) -> PyErr {
    let message = e.to_string();
    match &e {
        cogov::Error::Scenario { at, .. } => scenario_error(py, &message, at),
        cogov::Error::Input(_) => PyValueError::new_err(message),
        cogov::Error::Io { .. } | cogov::Error::Csv { .. } => PyOSError::new_err(message),
        cogov::Error::Interrupted => pyo3::exceptions::PyKeyboardInterrupt::new_err(message),
    }
}

fn scenario_error(py: Python<'_>, message: &str, at: &cogov::error::Location) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let class = py.import("cogov._errors")?.getattr("ScenarioError")?;
        let e = class.call1((
            message,
            &at.file,
            at.line,
            at.column,
            at.key_path.as_deref(),
        ))?;
        Ok(PyErr::from_value(e))
    })();
    made.unwrap_or_else(|e| e)
}

/// A scenario error the library could not place (it had no scenario text: `(scenario)`),
/// placed in `text`, the scenario the caller gave, named `file`. Other errors unchanged.
fn relocate(e: cogov::Error, file: &str, text: &str) -> cogov::Error {
    match e {
        cogov::Error::Scenario { message, at } if at.file == "(scenario)" && at.line.is_none() => {
            let Some(key) = at.key_path.clone() else {
                return cogov::Error::Scenario { message, at };
            };
            let at = cogov::scenario::locate::location(file, text, &key);
            let rest = message.strip_prefix("(scenario)").unwrap_or(&message);
            cogov::Error::Scenario {
                message: format!("{}{rest}", cogov::scenario::locate::place(&at)),
                at,
            }
        }
        other => cogov::scenario::locate::locate_input(other, file, text),
    }
}

/// A Python value as a TOML value for a scenario override.
fn to_toml(v: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if v.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() {
        return Ok(toml::Value::Integer(v.extract()?));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(v.extract()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(v.extract()?));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, x) in d.iter() {
            t.insert(k.extract()?, to_toml(&x)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let items: PyResult<Vec<toml::Value>> = v.try_iter()?.map(|x| to_toml(&x?)).collect();
        return Ok(toml::Value::Array(items?));
    }
    Err(PyTypeError::new_err(format!(
        "cannot use a {} as a scenario value; use bool, int, float, str, list or dict",
        v.get_type().name()?
    )))
}

/// Runs `work` on its own thread without the GIL. Every [`POLL`] the calling thread takes
/// the GIL to run Python's signal handlers (so Ctrl-C raises `KeyboardInterrupt` promptly)
/// and `poll`; an exception from either sets the cancel flag `work` watches, waits for it to
/// stop, and is raised.
fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&AtomicBool) -> T + Send,
    mut poll: impl FnMut(Python<'_>) -> PyResult<()>,
) -> PyResult<T> {
    let cancel = AtomicBool::new(false);
    // Set by the worker when it ends (normally or by a panic, via the guard's drop).
    let finished = (Mutex::new(false), Condvar::new());
    struct Done<'a>(&'a (Mutex<bool>, Condvar));
    impl Drop for Done<'_> {
        fn drop(&mut self) {
            let (lock, cv) = self.0;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = true;
            cv.notify_all();
        }
    }
    std::thread::scope(|scope| {
        let (cancel, finished) = (&cancel, &finished);
        let handle = scope.spawn(move || {
            let _done = Done(finished);
            work(cancel)
        });
        loop {
            let over = py.detach(|| {
                let (lock, cv) = finished;
                let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
                let (guard, _) = cv
                    .wait_timeout_while(guard, POLL, |done| !*done)
                    .unwrap_or_else(|e| e.into_inner());
                *guard
            });
            let checked = py.check_signals().and_then(|()| poll(py));
            if let Err(e) = checked {
                cancel.store(true, Ordering::Relaxed);
                let _ = py.detach(|| handle.join());
                return Err(e);
            }
            if over {
                break;
            }
        }
        py.detach(|| handle.join()).map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            PyRuntimeError::new_err(format!(
                "internal error in cogov: {what}; this is a bug, please report it with the scenario"
            ))
        })
    })
}

/// A validated scenario (immutable). Build one with `Scenario.load`, `Scenario.from_toml`
/// or `Scenario.with_overrides`.
#[pyclass(frozen, module = "cogov._cogov")]
struct Scenario {
    inner: Arc<cogov::scenario::Scenario>,
    /// Where it came from, to locate problems found later (`check`, `experiment`).
    file: String,
    text: String,
}

impl Scenario {
    /// Options of an experiment of this scenario; its file (when it came from one) places
    /// the library's errors.
    fn options(
        &self,
        out: PathBuf,
        jobs: usize,
        format: Format,
        resume: bool,
        force: bool,
        keep_parts: bool,
    ) -> cogov::experiment::Options {
        let file = PathBuf::from(&self.file);
        cogov::experiment::Options {
            out,
            jobs,
            resume,
            shard: None,
            force,
            format,
            scenario_file: file.is_file().then_some(file),
            keep_parts,
            share_warmups: true,
        }
    }
}

#[pymethods]
impl Scenario {
    /// Loads, resolves and validates a scenario file.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Scenario> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let at = cogov::error::Location {
                file: file.clone(),
                ..Default::default()
            };
            scenario_error(py, &format!("{file}: cannot read scenario file: {e}"), &at)
        })?;
        Scenario::from_toml(py, &text, &file)
    }

    /// Resolves and validates scenario text; `file` names it in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, file = "<string>"))]
    fn from_toml(py: Python<'_>, text: &str, file: &str) -> PyResult<Scenario> {
        let inner = cogov::scenario::Scenario::from_toml(text, file).map_err(|e| py_err(py, e))?;
        Ok(Scenario {
            inner: Arc::new(inner),
            file: file.to_string(),
            text: text.to_string(),
        })
    }

    /// This scenario with parameters set by dotted path, validated again.
    fn with_overrides(&self, py: Python<'_>, overrides: &Bound<'_, PyDict>) -> PyResult<Scenario> {
        let mut set = BTreeMap::new();
        for (k, v) in overrides.iter() {
            let key: String = k
                .extract()
                .map_err(|_| PyTypeError::new_err("override keys are dotted paths (str)"))?;
            set.insert(key, to_toml(&v)?);
        }
        let inner = self.inner.with_overrides(&set).map_err(|e| py_err(py, e))?;
        Ok(Scenario {
            inner: Arc::new(inner),
            file: "(overrides)".into(),
            text: String::new(),
        })
    }

    /// This scenario with its `[output]` records set: `issues` (a bool) and `panel` (a
    /// dict such as `{"sample": 100, "every": 7}`, or `False` for none); `None` leaves a
    /// setting as it is. Validated again (a panel is a table, which dotted overrides cannot
    /// add).
    #[pyo3(signature = (issues = None, panel = None))]
    fn with_records(
        &self,
        py: Python<'_>,
        issues: Option<bool>,
        panel: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Scenario> {
        let mut table: toml::Table = toml::from_str(&self.inner.to_toml())
            .map_err(|e| PyRuntimeError::new_err(format!("resolved scenario: {e}")))?;
        let output = table
            .entry("output")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let toml::Value::Table(output) = output else {
            return Err(PyRuntimeError::new_err(
                "resolved scenario: [output] is not a table",
            ));
        };
        if let Some(on) = issues {
            output.insert("issues".into(), toml::Value::Boolean(on));
        }
        match panel {
            None => {}
            Some(p) if p.is_instance_of::<PyBool>() && !p.extract::<bool>()? => {
                output.remove("panel");
            }
            Some(p) if p.cast::<PyDict>().is_ok() => {
                output.insert("panel".into(), to_toml(p)?);
            }
            Some(p) => {
                return Err(PyTypeError::new_err(format!(
                    "panel: a dict such as {{\"sample\": 100, \"every\": 7}} or False, not a {}",
                    p.get_type().name()?
                )));
            }
        }
        let text = toml::to_string(&table)
            .map_err(|e| PyRuntimeError::new_err(format!("resolved scenario: {e}")))?;
        Scenario::from_toml(py, &text, "(overrides)")
    }

    /// The resolved scenario (every parameter) as TOML text, as `cogov check` prints it.
    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// Checks everything `cogov check` and `cogov experiment` check before running: the
    /// figure settings, that a run fits in memory, and the experiment plan (its run count
    /// and its memory on one thread).
    fn check(&self, py: Python<'_>) -> PyResult<()> {
        let locate = |e| relocate(e, &self.file, &self.text);
        let s = &self.inner;
        s.check(&self.file, &self.text).map_err(|e| py_err(py, e))?;
        let memory = cogov::footprint::machine_memory();
        cogov::footprint::check_fits_in(
            &cogov::footprint::run(s),
            memory.as_ref(),
            &self.file,
            &self.text,
        )
        .map_err(|e| py_err(py, e))?;
        let opts = self.options(PathBuf::new(), 1, Format::Csv, false, false, true);
        cogov::experiment::runner::prepare(s, &opts).map_err(|e| py_err(py, locate(e)))?;
        Ok(())
    }

    /// The scenario's name (outputs go to `results/<name>/` on the command line).
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The seed of a single run.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// The horizon in days (after the warm-up).
    #[getter]
    fn ticks(&self) -> u32 {
        self.inner.ticks
    }

    /// The file it was loaded from (`<string>` for text, `(overrides)` after overrides).
    #[getter]
    fn file(&self) -> String {
        self.file.clone()
    }

    /// SHA-256 of the resolved scenario, as in `manifest.json`.
    #[getter]
    fn hash(&self) -> String {
        cogov::run::scenario_hash(&self.inner)
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario(name={:?}, ticks={}, file={:?})",
            self.inner.name, self.inner.ticks, self.file
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Scenario>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }

    /// Pickles as its resolved TOML, so scenarios can go to worker processes.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        let from_toml = slf.get_type().getattr("from_toml")?;
        let me = slf.get();
        Ok((from_toml, (me.inner.to_toml(), me.file.clone())))
    }
}

/// One run's tables, held as Arrow record batches, and its manifest.
#[pyclass(frozen, module = "cogov._cogov")]
struct RunResult {
    tables: Vec<RecordBatch>,
    names: Vec<String>,
    manifest: serde_json::Value,
}

#[pymethods]
impl RunResult {
    /// Names of the tables the run produced, in order.
    #[getter]
    fn tables(&self) -> Vec<String> {
        self.names.clone()
    }

    /// Table `name` as a `pyarrow.Table`, sharing the run's memory (Arrow C data interface).
    fn to_arrow<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let i = self.names.iter().position(|n| n == name).ok_or_else(|| {
            PyKeyError::new_err(format!(
                "this run produced no table {name:?}; its tables: {}",
                self.names.join(", ")
            ))
        })?;
        let batch = &self.tables[i];
        let table = arrow_pyarrow::Table::try_new(vec![batch.clone()], batch.schema())
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        table.into_pyarrow(py)
    }

    /// The manifest as JSON text.
    #[getter]
    fn manifest_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.manifest).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// Writes the tables and `manifest.json` into `out` as `cogov run --out` does.
    fn save(&self, py: Python<'_>, out: PathBuf, format: &str) -> PyResult<()> {
        let format: Format = format.parse().map_err(|e| py_err(py, e))?;
        let tables: Vec<Table> = self
            .names
            .iter()
            .zip(&self.tables)
            .map(|(n, b)| Table::from_record_batch(n, b))
            .collect::<cogov::Result<_>>()
            .map_err(|e| py_err(py, e))?;
        let mut manifest = self.manifest.clone();
        cogov::run::set_format(&mut manifest, &tables, Some(format));
        py.detach(|| cogov::run::write_tables(&out, &tables, &manifest, format))
            .map_err(|e| py_err(py, e))
    }

    /// One table's schema as a `pyarrow.Schema` (for type checks without reading).
    fn schema<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let i = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| PyKeyError::new_err(name.to_string()))?;
        self.tables[i].schema().to_pyarrow(py)
    }
}

/// Runs `scenario` once with `seed` (default: the scenario's), recording every
/// `record_every`-th day. The engine runs without the GIL; Ctrl-C stops it and raises
/// `KeyboardInterrupt`.
#[pyfunction]
#[pyo3(signature = (scenario, seed = None, record_every = 1))]
fn run(
    py: Python<'_>,
    scenario: &Scenario,
    seed: Option<u64>,
    record_every: u32,
) -> PyResult<RunResult> {
    if record_every == 0 {
        return Err(PyValueError::new_err(
            "record_every: 0; allowed: 1 or more (days between recorded rows)",
        ));
    }
    let s = scenario.inner.clone();
    let seed = seed.unwrap_or(s.seed);
    let clock = cogov::provenance::Clock::start();
    let out = detached(
        py,
        |cancel| cogov::run::simulate(s.clone(), seed, record_every, cancel, |_| {}),
        |_| Ok(()),
    )?;
    if out.cancelled {
        return Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(
            "the run was interrupted",
        ));
    }
    let tables = out.tables(&s);
    let manifest =
        cogov::run::manifest(&s, seed, true, &tables, None, &clock).map_err(|e| py_err(py, e))?;
    let names = tables.iter().map(|t| t.name.clone()).collect();
    let tables = tables
        .into_iter()
        .map(Table::into_record_batch)
        .collect::<cogov::Result<_>>()
        .map_err(|e| py_err(py, e))?;
    Ok(RunResult {
        tables,
        names,
        manifest,
    })
}

/// Runs the experiment of `scenario` into `out` (policies × sweep points × replicates, as
/// `cogov experiment`), with `jobs` threads. `progress(done, total)` is called with the
/// GIL from this thread as runs finish. Returns `(runs_total, runs_done, complete)`.
/// Ctrl-C stops the runs in flight, keeps the finished ones (resume with `resume=True`) and
/// raises `KeyboardInterrupt`; the final tables are written only when every run is in.
#[pyfunction]
#[pyo3(signature = (scenario, out, jobs = None, format = "csv", resume = false, force = false, progress = None, keep_parts = true))]
#[allow(clippy::too_many_arguments)]
fn experiment(
    py: Python<'_>,
    scenario: &Scenario,
    out: PathBuf,
    jobs: Option<usize>,
    format: &str,
    resume: bool,
    force: bool,
    progress: Option<Bound<'_, PyAny>>,
    keep_parts: bool,
) -> PyResult<(usize, usize, bool)> {
    let format: Format = format.parse().map_err(|e| py_err(py, e))?;
    let jobs = jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    if jobs == 0 {
        return Err(PyValueError::new_err("jobs: 0 threads; allowed: 1 or more"));
    }
    let s = scenario.inner.clone();
    let locate = |e| relocate(e, &scenario.file, &scenario.text);
    // The library checks the plan and its memory before any world is built (`prepare`).
    let opts = scenario.options(out, jobs, format, resume, force, keep_parts);
    let (done, total) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut shown = (usize::MAX, usize::MAX);
    let outcome = detached(
        py,
        |cancel| {
            cogov::experiment::run_experiment(&s, &opts, cancel, &|d, t| {
                total.store(t, Ordering::Relaxed);
                done.fetch_max(d, Ordering::Relaxed);
            })
        },
        |_| {
            let now = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
            match &progress {
                Some(f) if now != shown && now.1 > 0 => {
                    shown = now;
                    f.call1((now.0, now.1)).map(|_| ())
                }
                _ => Ok(()),
            }
        },
    )
    .map_err(|e| {
        // Ctrl-C: say what was kept and how to go on.
        if e.is_instance_of::<pyo3::exceptions::PyKeyboardInterrupt>(py) {
            pyo3::exceptions::PyKeyboardInterrupt::new_err(format!(
                "interrupted after {} of {} runs; finished runs are kept in {}; run again with resume=True to continue",
                done.load(Ordering::Relaxed),
                total.load(Ordering::Relaxed),
                opts.out.display()
            ))
        } else {
            e
        }
    })?
    .map_err(|e| py_err(py, locate(e)))?;
    if outcome.cancelled {
        return Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(format!(
            "interrupted after {} of {} runs; finished runs are kept in {}; run again with resume=True to continue",
            outcome.runs_done,
            outcome.runs_total,
            opts.out.display()
        )));
    }
    Ok((outcome.runs_total, outcome.runs_done, outcome.complete))
}

/// The metric registry: `(name, unit, kind, doc)` for every column of `timeseries`.
#[pyfunction]
fn metrics() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    cogov::metrics::METRICS
        .iter()
        .map(|m| {
            let kind = match m.kind {
                cogov::metrics::Kind::Flow => "flow",
                cogov::metrics::Kind::Stock => "stock",
            };
            (m.name, m.unit, kind, m.doc)
        })
        .collect()
}

#[pymodule]
fn _cogov(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<Scenario>()?;
    m.add_class::<RunResult>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(experiment, m)?)?;
    m.add_function(wrap_pyfunction!(metrics, m)?)?;
    Ok(())
}
