//! Reading a run or experiment directory's tables, CSV or Parquet (the figures never re-run
//! anything). Parquet cells are turned into the text the CSV file would hold, so the
//! figures do not depend on the format.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::tables::{self, Format};
use crate::{Error, Result};

/// Parses a CSV cell; `NA`, empty and unparsable cells are NaN.
pub fn num(cell: &str) -> f64 {
    cell.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// A small CSV file held in memory.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file it came from.
    pub path: PathBuf,
    /// Names of the columns held.
    pub headers: Vec<String>,
    /// Data rows (of the columns held).
    pub rows: Vec<csv::StringRecord>,
    /// Every column the file has (error messages list them).
    columns_in_file: Vec<String>,
    /// Rows in the file, held or not.
    rows_in_file: usize,
}

impl Table {
    /// Reads table `name` (a file stem such as `runs`) from `dir`, in whichever format it
    /// was written; `Ok(None)` if there is no such file, an input error if it has no rows.
    pub fn read(dir: &Path, name: &str) -> Result<Option<Table>> {
        Table::read_part(dir, name, &|_| true, None)
    }

    /// The table, or an input error if its file has a header but no rows.
    fn with_rows(self) -> Result<Table> {
        if self.rows_in_file == 0 {
            return Err(Error::input(format!(
                "{} has a header but no rows",
                self.path.display()
            )));
        }
        Ok(self)
    }

    /// Like [`Table::read`], but a table with columns and no rows is returned as such.
    pub fn read_maybe_empty(dir: &Path, name: &str) -> Result<Option<Table>> {
        Table::read_part_maybe_empty(dir, name, &|_| true, None)
    }

    /// Reads the part of table `name` the figures use: the columns `column` accepts and,
    /// with `rows = Some((c, values))`, the rows whose column `c` holds one of `values`.
    /// An experiment's tables grow with its runs and cells; holding only this part keeps
    /// `cogov plot`'s memory a small multiple of what it draws. Like [`Table::read`], a
    /// file with a header but no rows is an input error (choosing no rows is not).
    pub fn read_part(
        dir: &Path,
        name: &str,
        column: &dyn Fn(&str) -> bool,
        rows: Option<(&str, &[String])>,
    ) -> Result<Option<Table>> {
        Table::read_part_maybe_empty(dir, name, column, rows)?
            .map(Table::with_rows)
            .transpose()
    }

    /// Like [`Table::read_part`], but a file with no rows gives an empty table.
    pub fn read_part_maybe_empty(
        dir: &Path,
        name: &str,
        column: &dyn Fn(&str) -> bool,
        rows: Option<(&str, &[String])>,
    ) -> Result<Option<Table>> {
        let Some((path, format)) = tables::find(dir, name) else {
            return Ok(None);
        };
        let all = column_names(&path, format)?;
        let keep: Vec<usize> = (0..all.len())
            .filter(|&i| column(&all[i]) || rows.is_some_and(|(c, _)| c == all[i]))
            .collect();
        let headers: Vec<String> = keep.iter().map(|&i| all[i].clone()).collect();
        // The row filter's column, as an index into the kept columns.
        let filter =
            rows.and_then(|(c, values)| Some((headers.iter().position(|h| h == c)?, values)));
        let wanted = |record: &csv::StringRecord| {
            filter.is_none_or(|(c, values)| values.iter().any(|v| v == &record[c]))
        };
        let mut kept = Vec::new();
        let mut in_file = 0usize;
        match format {
            Format::Csv => {
                let mut rdr = open(&path)?;
                let mut rec = csv::StringRecord::new();
                while rdr.read_record(&mut rec).map_err(|e| Error::Csv {
                    path: path.clone(),
                    source: e,
                })? {
                    in_file += 1;
                    let part: csv::StringRecord = keep.iter().map(|&i| &rec[i]).collect();
                    if wanted(&part) {
                        kept.push(part);
                    }
                }
            }
            Format::Parquet => {
                in_file = tables::parquet_format::row_count(&path)?;
                let names: Vec<&str> = headers.iter().map(String::as_str).collect();
                if !names.is_empty() {
                    tables::parquet_format::for_each_batch(&path, Some(&names), |t| {
                        kept.extend(
                            (0..t.rows())
                                .map(|i| csv::StringRecord::from(t.csv_record(i)))
                                .filter(|r| wanted(r)),
                        );
                        Ok(())
                    })?;
                }
            }
        }
        Ok(Some(Table {
            path,
            headers,
            columns_in_file: all,
            rows_in_file: in_file,
            rows: kept,
        }))
    }

    /// A table of `headers` and no rows, read from `path` (to look columns up in a file
    /// that is read as a stream).
    pub fn header(path: &Path, headers: Vec<String>) -> Table {
        Table {
            path: path.to_path_buf(),
            columns_in_file: headers.clone(),
            headers,
            rows: Vec::new(),
            rows_in_file: 0,
        }
    }

    /// Every column the file has, held or not.
    pub fn columns_in_file(&self) -> &[String] {
        &self.columns_in_file
    }

    /// Index of column `name`, if present.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Index of column `name`, or an input error naming the file and the columns it has.
    pub fn require(&self, name: &str) -> Result<usize> {
        self.col(name).ok_or_else(|| {
            Error::input(format!(
                "{} has no column `{name}`; its columns are: {}",
                self.path.display(),
                self.columns_in_file().join(", ")
            ))
        })
    }
}

/// The column names of a table file.
pub fn column_names(path: &Path, format: Format) -> Result<Vec<String>> {
    match format {
        Format::Csv => headers(&mut open(path)?, path),
        Format::Parquet => tables::parquet_format::column_names(path),
    }
}

/// Opens a CSV file for reading.
pub fn open(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file))
}

/// The header row, or an input error if the file is empty.
pub fn headers<R: std::io::Read>(rdr: &mut csv::Reader<R>, path: &Path) -> Result<Vec<String>> {
    let h = rdr.headers().map_err(|e| Error::Csv {
        path: path.to_path_buf(),
        source: e,
    })?;
    if h.is_empty() || (h.len() == 1 && h[0].is_empty()) {
        return Err(Error::input(format!(
            "{} is empty; expected a CSV header row",
            path.display()
        )));
    }
    Ok(h.iter().map(str::to_string).collect())
}

/// One series group: a policy, and the sweep point when parameters were swept.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Label in legends and tables, e.g. `grid` or `grid (patrol_probability=0.2)`.
    pub label: String,
    /// The policy name.
    pub policy: String,
    /// Sweep values, in the order of [`Dataset::sweep_cols`].
    pub sweep: Vec<String>,
}

/// What kind of directory was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirKind {
    /// A `cogov run` directory (one run).
    Run,
    /// A `cogov experiment` directory.
    Experiment,
}

/// A run or experiment directory's tables and its series groups.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The directory.
    pub dir: PathBuf,
    /// Run or experiment.
    pub kind: DirKind,
    /// `manifest.json` (Null when absent).
    pub manifest: serde_json::Value,
    /// Swept parameters (dotted paths): the columns between `policy` and `replicate`.
    pub sweep_cols: Vec<String>,
    /// `runs.csv` (experiments only), shared by the regrouped views of the dataset.
    pub runs: Option<Arc<Table>>,
    /// Groups to draw, in display order (filtered by `PlotConfig::policies`).
    pub groups: Vec<Group>,
    /// Group index of each run id (runs of filtered-out policies are absent).
    pub run_group: HashMap<String, usize>,
}

/// Short name of a dotted parameter path: its last segment, or the mechanism's key for a
/// mechanism's switch (`mechanisms.grid.enabled` → `grid`).
pub fn short_param(path: &str) -> &str {
    if let Some(key) = path
        .strip_prefix("mechanisms.")
        .and_then(|r| r.strip_suffix(".enabled"))
    {
        return key;
    }
    path.rsplit('.').next().unwrap_or(path)
}

impl Dataset {
    /// Reads `dir`: an experiment if it has a `runs` table, a single run if it has a
    /// `timeseries` table (CSV or Parquet), else an input error. `policies` filters and
    /// orders the groups; of the runs' summary columns, `columns` are held.
    pub fn load(dir: &Path, policies: &[String], columns: &[String]) -> Result<Dataset> {
        if !dir.is_dir() {
            return Err(Error::input(format!(
                "{} is not a directory; give a `cogov run` or `cogov experiment` output directory",
                dir.display()
            )));
        }
        let manifest = match std::fs::read_to_string(dir.join("manifest.json")) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::input(format!(
                    "{}: not valid JSON: {e}",
                    dir.join("manifest.json").display()
                ))
            })?,
            Err(_) => serde_json::Value::Null,
        };
        // Of `runs`, the figures read the run's identity and design columns (up to
        // `replicate`) and the summary columns they show.
        let design: Vec<String> = match tables::find(dir, "runs") {
            Some((path, format)) => {
                let all = column_names(&path, format)?;
                let end = all
                    .iter()
                    .position(|c| c == "replicate")
                    .map_or(0, |i| i + 1);
                all[..end].to_vec()
            }
            None => Vec::new(),
        };
        let runs = Table::read_part(
            dir,
            "runs",
            &|c| design.iter().chain(columns).any(|d| d == c),
            None,
        )?;
        let Some(runs) = runs else {
            if tables::find(dir, "timeseries").is_none() {
                return Err(Error::input(format!(
                    "{} holds neither runs.csv/.parquet (an experiment) nor timeseries.csv/.parquet (a single run); nothing to plot",
                    dir.display()
                )));
            }
            let name = manifest
                .get("scenario_name")
                .and_then(|v| v.as_str())
                .unwrap_or("run")
                .to_string();
            let group = Group {
                label: name.clone(),
                policy: name,
                sweep: vec![],
            };
            return Ok(Dataset {
                dir: dir.to_path_buf(),
                kind: DirKind::Run,
                manifest,
                sweep_cols: vec![],
                runs: None,
                groups: vec![group],
                run_group: HashMap::new(),
            });
        };
        let (c_id, c_pol, c_rep) = (
            runs.require("run_id")?,
            runs.require("policy")?,
            runs.require("replicate")?,
        );
        if c_rep < c_pol {
            return Err(Error::input(format!(
                "{}: column `replicate` must come after `policy`",
                runs.path.display()
            )));
        }
        let sweep_idx: Vec<usize> = (c_pol + 1..c_rep).collect();
        let sweep_cols: Vec<String> = sweep_idx.iter().map(|&i| runs.headers[i].clone()).collect();
        let mut all: Vec<Group> = Vec::new();
        let mut of_run = Vec::with_capacity(runs.rows.len());
        for row in &runs.rows {
            let policy = row[c_pol].to_string();
            let sweep: Vec<String> = sweep_idx.iter().map(|&i| row[i].to_string()).collect();
            let idx = match all
                .iter()
                .position(|g| g.policy == policy && g.sweep == sweep)
            {
                Some(i) => i,
                None => {
                    let label = if sweep.is_empty() {
                        policy.clone()
                    } else {
                        let pts: Vec<String> = sweep_cols
                            .iter()
                            .zip(&sweep)
                            .map(|(c, v)| format!("{}={v}", short_param(c)))
                            .collect();
                        format!("{policy} ({})", pts.join(", "))
                    };
                    all.push(Group {
                        label,
                        policy,
                        sweep,
                    });
                    all.len() - 1
                }
            };
            of_run.push((row[c_id].to_string(), idx));
        }
        // Filter and order by the configured policies.
        let order: Vec<usize> = if policies.is_empty() {
            (0..all.len()).collect()
        } else {
            let mut order = Vec::new();
            for p in policies {
                let found: Vec<usize> = (0..all.len()).filter(|&i| &all[i].policy == p).collect();
                if found.is_empty() {
                    let mut names: Vec<&str> = all.iter().map(|g| g.policy.as_str()).collect();
                    names.dedup();
                    return Err(Error::input(format!(
                        "plot.policies names `{p}`, which is not in {}; policies there: {}",
                        runs.path.display(),
                        names.join(", ")
                    )));
                }
                order.extend(found);
            }
            order
        };
        let new_index: HashMap<usize, usize> = order
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        let groups = order.iter().map(|&i| all[i].clone()).collect();
        let run_group = of_run
            .into_iter()
            .filter_map(|(id, g)| new_index.get(&g).map(|&n| (id, n)))
            .collect();
        Ok(Dataset {
            dir: dir.to_path_buf(),
            kind: DirKind::Experiment,
            manifest,
            sweep_cols,
            runs: Some(Arc::new(runs)),
            groups,
            run_group,
        })
    }

    /// The same data regrouped: `key(group)` names each group's new group (groups with the
    /// same key are pooled), in order of first appearance; the new group takes `key`'s label
    /// and the old group's policy.
    pub fn regrouped(&self, key: impl Fn(&Group) -> String) -> Dataset {
        let mut groups: Vec<Group> = Vec::new();
        let mut map = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            let k = key(g);
            let i = groups.iter().position(|p| p.label == k).unwrap_or_else(|| {
                groups.push(Group {
                    label: k.clone(),
                    policy: g.policy.clone(),
                    sweep: vec![],
                });
                groups.len() - 1
            });
            map.push(i);
        }
        let run_group = self
            .run_group
            .iter()
            .map(|(id, &g)| (id.clone(), map[g]))
            .collect();
        Dataset {
            groups,
            run_group,
            ..self.clone()
        }
    }

    /// Distinct policies among the groups, in display order.
    pub fn policies(&self) -> Vec<String> {
        let mut p: Vec<String> = Vec::new();
        for g in &self.groups {
            if !p.contains(&g.policy) {
                p.push(g.policy.clone());
            }
        }
        p
    }

    /// Whether the experiment's scenario declares `[[policy]]` sections (without them there
    /// is one implicit policy and nothing to contrast).
    pub fn declares_policies(&self) -> bool {
        self.manifest_str("scenario_toml")
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| {
                t.get("policy")
                    .and_then(|p| p.as_array())
                    .map(|a| !a.is_empty())
            })
            .unwrap_or(true)
    }

    /// The experiment's design from the manifest (`factorial` when not recorded).
    pub fn design(&self) -> &str {
        self.manifest_str("design").unwrap_or("factorial")
    }

    /// The same data with one group per policy: runs at different sweep points pooled.
    pub fn pooled_by_policy(&self) -> Dataset {
        let mut groups: Vec<Group> = Vec::new();
        let mut map = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            let i = groups
                .iter()
                .position(|p| p.policy == g.policy)
                .unwrap_or_else(|| {
                    groups.push(Group {
                        label: g.policy.clone(),
                        policy: g.policy.clone(),
                        sweep: vec![],
                    });
                    groups.len() - 1
                });
            map.push(i);
        }
        let run_group = self
            .run_group
            .iter()
            .map(|(id, &g)| (id.clone(), map[g]))
            .collect();
        Dataset {
            groups,
            run_group,
            ..self.clone()
        }
    }

    /// The manifest's string field `key`, if any.
    pub fn manifest_str(&self, key: &str) -> Option<&str> {
        self.manifest.get(key).and_then(|v| v.as_str())
    }

    /// Group index of a row of a table with an optional `run_id` column (single runs: group 0).
    pub fn group_of(&self, run_id: Option<&str>) -> Option<usize> {
        match (self.kind, run_id) {
            (DirKind::Run, _) => Some(0),
            (DirKind::Experiment, Some(id)) => self.run_group.get(id).copied(),
            (DirKind::Experiment, None) => None,
        }
    }

    /// Group index of a row of `aggregate.csv`/`contrasts.csv` given its policy and sweep cells.
    pub fn group_by_key(&self, policy: &str, sweep: &[&str]) -> Option<usize> {
        self.groups.iter().position(|g| {
            g.policy == policy && g.sweep.iter().map(String::as_str).eq(sweep.iter().copied())
        })
    }
}

/// Per-group, per-tick values of some metrics, gathered from `timeseries.csv`.
#[derive(Debug, Clone)]
pub struct TimeSeries {
    /// The metrics read, in the order asked for.
    pub metrics: Vec<String>,
    /// For each group: tick → for each metric, the values across replicates.
    pub by_group: Vec<std::collections::BTreeMap<i64, Vec<Vec<f64>>>>,
}

/// Reads the chosen metric columns of the `timeseries` table (CSV: parsing only those
/// cells; Parquet: reading only those columns). Metrics missing from the file are left out
/// (the caller reports them).
pub fn read_timeseries(ds: &Dataset, metrics: &[String]) -> Result<TimeSeries> {
    let Some((path, format)) = tables::find(&ds.dir, "timeseries") else {
        return Err(Error::input(format!(
            "{} is missing; the time-series figures need it",
            ds.dir.join("timeseries.csv").display()
        )));
    };
    let headers = match format {
        Format::Csv => headers(&mut open(&path)?, &path)?,
        Format::Parquet => tables::parquet_format::column_names(&path)?,
    };
    let col = |n: &str| headers.iter().position(|h| h == n);
    let c_tick = col("tick")
        .ok_or_else(|| Error::input(format!("{} has no `tick` column", path.display())))?;
    let c_run = col("run_id");
    if ds.kind == DirKind::Experiment && c_run.is_none() {
        return Err(Error::input(format!(
            "{} has no `run_id` column (needed in an experiment directory)",
            path.display()
        )));
    }
    let present: Vec<(String, usize)> = metrics
        .iter()
        .filter_map(|m| col(m).map(|c| (m.clone(), c)))
        .collect();
    let mut acc = Accumulator {
        ds,
        by_group: vec![std::collections::BTreeMap::new(); ds.groups.len()],
        width: present.len(),
        rows: 0,
        last_run: None,
    };
    match format {
        Format::Csv => {
            let mut rdr = open(&path)?;
            let mut rec = csv::ByteRecord::new();
            while rdr.read_byte_record(&mut rec).map_err(|e| Error::Csv {
                path: path.clone(),
                source: e,
            })? {
                let run = c_run.map(|c| &rec[c]);
                let tick = num(std::str::from_utf8(&rec[c_tick]).unwrap_or("NA"));
                let values = present
                    .iter()
                    .map(|(_, c)| num(std::str::from_utf8(&rec[*c]).unwrap_or("NA")));
                acc.add(run, tick, values, &path)?;
            }
        }
        Format::Parquet => {
            let mut wanted: Vec<&str> = vec!["tick"];
            wanted.extend(c_run.map(|_| "run_id"));
            wanted.extend(present.iter().map(|(m, _)| m.as_str()));
            tables::parquet_format::for_each_batch(&path, Some(&wanted), |t| {
                let tick = t.column("tick").and_then(|c| c.to_f64()).ok_or_else(|| {
                    Error::input(format!("{}: `tick` is not a number column", path.display()))
                })?;
                let runs = match t.column("run_id") {
                    Some(tables::Column::Str(v)) => Some(v),
                    _ => None,
                };
                let cols: Vec<Vec<f64>> = present
                    .iter()
                    .map(|(m, _)| t.column(m).and_then(|c| c.to_f64()).unwrap_or_default())
                    .collect();
                for (i, &tick) in tick.iter().enumerate() {
                    let run = runs.map(|r| r[i].as_bytes());
                    let values = cols.iter().map(|c| c.get(i).copied().unwrap_or(f64::NAN));
                    acc.add(run, tick, values, &path)?;
                }
                Ok(())
            })?;
        }
    }
    if acc.rows == 0 {
        return Err(Error::input(format!(
            "{} has a header but no rows",
            path.display()
        )));
    }
    Ok(TimeSeries {
        metrics: present.into_iter().map(|(m, _)| m).collect(),
        by_group: acc.by_group,
    })
}

/// Gathers time-series rows into groups, whatever file they come from.
struct Accumulator<'a> {
    ds: &'a Dataset,
    by_group: Vec<std::collections::BTreeMap<i64, Vec<Vec<f64>>>>,
    width: usize,
    rows: usize,
    last_run: Option<(Vec<u8>, Option<usize>)>,
}

impl Accumulator<'_> {
    fn add(
        &mut self,
        run: Option<&[u8]>,
        tick: f64,
        values: impl Iterator<Item = f64>,
        path: &Path,
    ) -> Result<()> {
        self.rows += 1;
        let g = match run {
            None => Some(0),
            Some(id) => match &self.last_run {
                Some((prev, g)) if prev.as_slice() == id => *g,
                _ => {
                    let g = self.ds.group_of(std::str::from_utf8(id).ok());
                    self.last_run = Some((id.to_vec(), g));
                    g
                }
            },
        };
        let Some(g) = g else { return Ok(()) };
        if !tick.is_finite() {
            return Err(Error::input(format!(
                "{}: row {} has a non-numeric tick",
                path.display(),
                self.rows
            )));
        }
        let width = self.width;
        let slot = self.by_group[g]
            .entry(tick as i64)
            .or_insert_with(|| vec![Vec::new(); width]);
        for (k, v) in values.enumerate() {
            slot[k].push(v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn na_is_nan() {
        assert!(num("NA").is_nan());
        assert!(num("").is_nan());
        assert_eq!(num(" 1.5"), 1.5);
        assert_eq!(
            short_param("mechanisms.grid.patrol_probability"),
            "patrol_probability"
        );
    }

    /// A part of a table holds the chosen columns and rows, and still knows the file's.
    #[test]
    fn a_part_holds_the_chosen_columns_and_rows() {
        let d = std::env::temp_dir().join(format!("cogov-table-part-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let csv = "policy,metric,n,mean\na,x,2,1.5\na,y,2,2.5\nb,x,2,3.5\n";
        std::fs::write(d.as_path().join("aggregate.csv"), csv).unwrap();
        let wanted = ["x".to_string()];
        let t = Table::read_part(
            d.as_path(),
            "aggregate",
            &|c| c == "policy" || c == "mean",
            Some(("metric", &wanted)),
        )
        .unwrap()
        .unwrap();
        assert_eq!(t.headers, ["policy", "metric", "mean"]);
        let rows: Vec<Vec<&str>> = t.rows.iter().map(|r| r.iter().collect()).collect();
        assert_eq!(rows, [["a", "x", "1.5"], ["b", "x", "3.5"]]);
        let all = Table::read(d.as_path(), "aggregate").unwrap().unwrap();
        assert_eq!((all.headers.len(), all.rows.len()), (4, 3));
        // A missing column is reported with every column of the file.
        let err = t.require("n_runs").unwrap_err().to_string();
        assert!(err.contains("policy, metric, n, mean"), "{err}");
        // No row chosen is not an empty file; a header alone is.
        let none = ["z".to_string()];
        let t = Table::read_part_maybe_empty(
            d.as_path(),
            "aggregate",
            &|_| true,
            Some(("metric", &none)),
        );
        assert!(
            t.unwrap()
                .unwrap()
                .with_rows()
                .is_ok_and(|t| t.rows.is_empty())
        );
        std::fs::write(d.as_path().join("aggregate.csv"), "policy,metric\n").unwrap();
        assert!(Table::read(d.as_path(), "aggregate").is_err());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
