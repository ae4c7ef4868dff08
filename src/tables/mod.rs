//! Tables: what a run or an experiment produces, held in memory as named, typed columns.
//!
//! The engine's outputs become [`Table`]s once (`run::RunOutput::tables`); everything
//! downstream works on tables: the CLI writes them as CSV or Parquet ([`write()`],
//! [`TableWriter`]), experiments stream them into part files and concatenate those, and the
//! Python package hands them to pyarrow through the Arrow C data interface
//! ([`Table::into_record_batch`]). A new output is one more table; nothing here names one.
//!
//! Column types are the same in every format: `float64` (a missing value, i.e. one that is
//! not finite, is `NA` in CSV and null in Arrow/Parquet), `int64`, `uint64` (seeds), `bool`,
//! `string`, and `decimal(18,2)` for money (yuan to the cent, exact: whole cents inside).
//! `int64` and `string` columns may also allow missing values (`NA` in CSV, null in
//! Arrow/Parquet: a tick that never came, a handler never assigned); the manifest marks
//! those columns `"nullable": true`.

pub mod arrow;
pub mod csv_format;
pub mod parquet_format;
pub mod writer;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::{num, yuan};

pub use writer::{TableWriter, write, write_part};

/// A column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers; a value that is not finite is missing.
    F64(Vec<f64>),
    /// Whole numbers (ticks, counts of runs, indices).
    I64(Vec<i64>),
    /// Unsigned whole numbers (seeds use the whole 64-bit range).
    U64(Vec<u64>),
    /// Switches.
    Bool(Vec<bool>),
    /// Text (names, ids).
    Str(Vec<String>),
    /// Whole numbers that may be missing (`None`: `NA`, null).
    OptI64(Vec<Option<i64>>),
    /// Text that may be missing (`None`: `NA`, null).
    OptStr(Vec<Option<String>>),
    /// Money in whole cents, shown as yuan with two decimals (`decimal(18,2)`).
    Cents(Vec<i64>),
}

impl Column {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::F64(v) => v.len(),
            Column::I64(v) => v.len(),
            Column::U64(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Str(v) => v.len(),
            Column::OptI64(v) => v.len(),
            Column::OptStr(v) => v.len(),
            Column::Cents(v) => v.len(),
        }
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The type's name, as the manifest and the tutorial give it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Column::F64(_) => "float64",
            Column::I64(_) => "int64",
            Column::U64(_) => "uint64",
            Column::Bool(_) => "bool",
            Column::Str(_) | Column::OptStr(_) => "string",
            Column::OptI64(_) => "int64",
            Column::Cents(_) => "decimal(18,2)",
        }
    }

    /// Whether values may be missing (numbers that are not finite, optional ints and text).
    pub fn nullable(&self) -> bool {
        matches!(self, Column::F64(_) | Column::OptI64(_) | Column::OptStr(_))
    }

    /// An empty column of the same type.
    pub fn empty_like(&self) -> Column {
        match self {
            Column::F64(_) => Column::F64(Vec::new()),
            Column::I64(_) => Column::I64(Vec::new()),
            Column::U64(_) => Column::U64(Vec::new()),
            Column::Bool(_) => Column::Bool(Vec::new()),
            Column::Str(_) => Column::Str(Vec::new()),
            Column::OptI64(_) => Column::OptI64(Vec::new()),
            Column::OptStr(_) => Column::OptStr(Vec::new()),
            Column::Cents(_) => Column::Cents(Vec::new()),
        }
    }

    /// Value `i` as CSV text: numbers in shortest round-trip form, `NA` when missing.
    pub fn cell(&self, i: usize) -> String {
        match self {
            Column::F64(v) => num(v[i]),
            Column::I64(v) => v[i].to_string(),
            Column::U64(v) => v[i].to_string(),
            Column::Bool(v) => v[i].to_string(),
            Column::Str(v) => v[i].clone(),
            Column::OptI64(v) => v[i].map_or_else(|| "NA".into(), |x| x.to_string()),
            Column::OptStr(v) => v[i].clone().unwrap_or_else(|| "NA".into()),
            Column::Cents(v) => yuan(v[i]),
        }
    }

    /// `n` copies of value `i`.
    pub fn repeat(&self, i: usize, n: usize) -> Column {
        match self {
            Column::F64(v) => Column::F64(vec![v[i]; n]),
            Column::I64(v) => Column::I64(vec![v[i]; n]),
            Column::U64(v) => Column::U64(vec![v[i]; n]),
            Column::Bool(v) => Column::Bool(vec![v[i]; n]),
            Column::Str(v) => Column::Str(vec![v[i].clone(); n]),
            Column::OptI64(v) => Column::OptI64(vec![v[i]; n]),
            Column::OptStr(v) => Column::OptStr(vec![v[i].clone(); n]),
            Column::Cents(v) => Column::Cents(vec![v[i]; n]),
        }
    }

    /// Appends `other`'s values; both must have the same type.
    pub fn append(&mut self, other: Column) -> std::result::Result<(), String> {
        match (self, other) {
            (Column::F64(a), Column::F64(b)) => a.extend(b),
            (Column::I64(a), Column::I64(b)) => a.extend(b),
            (Column::U64(a), Column::U64(b)) => a.extend(b),
            (Column::Bool(a), Column::Bool(b)) => a.extend(b),
            (Column::Str(a), Column::Str(b)) => a.extend(b),
            (Column::OptI64(a), Column::OptI64(b)) => a.extend(b),
            (Column::OptStr(a), Column::OptStr(b)) => a.extend(b),
            (Column::Cents(a), Column::Cents(b)) => a.extend(b),
            (a, b) => {
                let kind = |c: &Column| {
                    format!(
                        "{}{}",
                        c.type_name(),
                        if c.nullable() {
                            " (may be missing)"
                        } else {
                            ""
                        }
                    )
                };
                return Err(format!(
                    "cannot append {} values to a {} column",
                    kind(&b),
                    kind(a)
                ));
            }
        }
        Ok(())
    }

    /// The values as numbers, if the column holds numbers (whole numbers are converted,
    /// cents to yuan).
    pub fn to_f64(&self) -> Option<Vec<f64>> {
        match self {
            Column::F64(v) => Some(v.clone()),
            Column::I64(v) => Some(v.iter().map(|&x| x as f64).collect()),
            Column::U64(v) => Some(v.iter().map(|&x| x as f64).collect()),
            Column::Cents(v) => Some(v.iter().map(|&x| x as f64 / 100.0).collect()),
            Column::OptI64(v) => Some(v.iter().map(|x| x.map_or(f64::NAN, |x| x as f64)).collect()),
            Column::Bool(_) | Column::Str(_) | Column::OptStr(_) => None,
        }
    }
}

/// A named table of equally long, named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The table's name: the file stem it is written under (`timeseries`, `runs`, ...).
    pub name: String,
    columns: Vec<(String, Column)>,
}

impl Table {
    /// An empty table with no columns.
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
        }
    }

    /// Adds a column at the end (builder form of [`Table::push`]).
    ///
    /// # Panics
    /// If the column's length differs from the table's: tables are built by the library from
    /// its own data, so that is a bug, never bad input.
    pub fn with(mut self, name: impl Into<String>, column: Column) -> Table {
        self.push(name, column);
        self
    }

    /// Adds a column at the end.
    ///
    /// # Panics
    /// As [`Table::with`].
    pub fn push(&mut self, name: impl Into<String>, column: Column) {
        if let Some((first, c)) = self.columns.first() {
            assert_eq!(
                c.len(),
                column.len(),
                "table {}: column lengths differ ({first})",
                self.name
            );
        }
        self.columns.push((name.into(), column));
    }

    /// Puts `columns` (each as long as the table) before the existing ones.
    ///
    /// # Panics
    /// As [`Table::with`].
    pub fn prepend(&mut self, columns: Vec<(String, Column)>) {
        let rest = std::mem::take(&mut self.columns);
        for (name, c) in columns.into_iter().chain(rest) {
            self.push(name, c);
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// The columns with their names, in order.
    pub fn columns(&self) -> &[(String, Column)] {
        &self.columns
    }

    /// The columns, taken out.
    pub fn into_columns(self) -> Vec<(String, Column)> {
        self.columns
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The column called `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Column names with their type names, in order.
    pub fn schema(&self) -> Vec<(String, &'static str)> {
        self.columns
            .iter()
            .map(|(n, c)| (n.clone(), c.type_name()))
            .collect()
    }

    /// Column names with their types and whether they may be missing: what must agree for
    /// rows of two tables to go into one file.
    fn layout(&self) -> Vec<(&str, &'static str, bool)> {
        self.columns
            .iter()
            .map(|(n, c)| (n.as_str(), c.type_name(), c.nullable()))
            .collect()
    }

    /// A table with the same name and columns and no rows.
    pub fn empty_like(&self) -> Table {
        Table {
            name: self.name.clone(),
            columns: self
                .columns
                .iter()
                .map(|(n, c)| (n.clone(), c.empty_like()))
                .collect(),
        }
    }

    /// Appends `other`'s rows; its columns must have the same names and types.
    pub fn append(&mut self, other: Table) -> Result<()> {
        if self.layout() != other.layout() {
            return Err(Error::input(format!(
                "table {}: cannot append rows with different columns",
                self.name
            )));
        }
        for ((_, a), (_, b)) in self.columns.iter_mut().zip(other.columns) {
            a.append(b).map_err(Error::input)?;
        }
        Ok(())
    }

    /// Row `i` as CSV fields.
    pub fn csv_record(&self, i: usize) -> Vec<String> {
        self.columns.iter().map(|(_, c)| c.cell(i)).collect()
    }

    /// The manifest's description of the table: its name, the file it is in (if written)
    /// and its columns with their types; an int64 or string column that may be missing
    /// says `"nullable": true` (a float64 value may always be missing).
    pub fn describe(&self, format: Option<Format>) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "file": format.map(|f| f.file_name(&self.name)),
            "columns": self
                .columns
                .iter()
                .map(|(n, c)| {
                    let mut d = serde_json::json!({ "name": n, "type": c.type_name() });
                    // float64 values may always be missing; other types say so.
                    if c.nullable() && !matches!(c, Column::F64(_)) {
                        d["nullable"] = true.into();
                    }
                    d
                })
                .collect::<Vec<_>>(),
        })
    }
}

/// How tables are written to disk.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated text with a header row, `NA` for missing values.
    #[default]
    Csv,
    /// Apache Parquet, zstd-compressed, with the same columns and types.
    Parquet,
}

impl Format {
    /// Both formats, CSV first.
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    /// The file extension (without the dot).
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// `name.ext`.
    pub fn file_name(self, name: &str) -> String {
        format!("{name}.{}", self.ext())
    }

    /// `dir/name.ext`.
    pub fn path(self, dir: &Path, name: &str) -> PathBuf {
        dir.join(self.file_name(name))
    }

    /// The format a manifest records (`"format"`); CSV when absent (older outputs).
    pub fn of_manifest(manifest: &serde_json::Value) -> Result<Format> {
        match manifest.get("format").and_then(|f| f.as_str()) {
            None => Ok(Format::Csv),
            Some(f) => f.parse(),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.ext())
    }
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        match s {
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            other => Err(Error::input(format!(
                "format: \"{other}\" is not a format; allowed: csv, parquet"
            ))),
        }
    }
}

/// The file holding table `name` in `dir`, in whichever format it was written (CSV first).
pub fn find(dir: &Path, name: &str) -> Option<(PathBuf, Format)> {
    Format::ALL
        .into_iter()
        .map(|f| (f.path(dir, name), f))
        .find(|(p, _)| p.is_file())
}

/// Removes table `name` written in the other format than `keep`, so that a directory never
/// holds two versions of one table.
pub fn remove_other_format(dir: &Path, name: &str, keep: Format) {
    for f in Format::ALL.into_iter().filter(|&f| f != keep) {
        let _ = std::fs::remove_file(f.path(dir, name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Table {
        Table::new("t")
            .with(
                "id",
                Column::Str(vec!["a".into(), "b,c".into(), "d".into()]),
            )
            .with("tick", Column::I64(vec![0, 1, -2]))
            .with("seed", Column::U64(vec![u64::MAX, 0, 7]))
            .with("on", Column::Bool(vec![true, false, true]))
            .with("x", Column::F64(vec![0.1, f64::NAN, 1.0 / 3.0]))
            .with("yuan", Column::Cents(vec![-5, 120_000, i64::MAX / 1000]))
    }

    #[test]
    fn cells_are_csv_text() {
        let t = sample();
        assert_eq!(t.rows(), 3);
        assert_eq!(
            t.csv_record(1),
            ["b,c", "1", "0", "false", "NA", "1200.00"].map(String::from)
        );
        assert_eq!(t.csv_record(0)[5], "-0.05");
        assert_eq!(t.csv_record(0)[2], u64::MAX.to_string());
        assert_eq!(t.csv_record(2)[4].parse::<f64>().unwrap(), 1.0 / 3.0);
    }

    #[test]
    fn append_and_prepend_keep_columns_aligned() {
        let mut t = sample();
        t.append(sample()).unwrap();
        assert_eq!(t.rows(), 6);
        t.prepend(vec![("run_id".into(), Column::Str(vec!["7".into(); 6]))]);
        assert_eq!(t.names()[0], "run_id");
        let mut other = Table::new("t").with("x", Column::I64(vec![1]));
        assert!(other.append(sample()).is_err());
        assert!(
            Column::F64(vec![])
                .append(Column::I64(vec![1]))
                .unwrap_err()
                .contains("int64")
        );
    }

    #[test]
    #[should_panic(expected = "column lengths differ")]
    fn unequal_columns_are_a_bug() {
        let _ = Table::new("t")
            .with("a", Column::I64(vec![1]))
            .with("b", Column::I64(vec![]));
    }

    #[test]
    fn formats_parse_and_name_files() {
        assert_eq!("parquet".parse::<Format>().unwrap(), Format::Parquet);
        assert!("xlsx".parse::<Format>().is_err());
        assert_eq!(Format::Csv.file_name("runs"), "runs.csv");
        let m = serde_json::json!({});
        assert_eq!(Format::of_manifest(&m).unwrap(), Format::Csv);
        let m = serde_json::json!({ "format": "parquet" });
        assert_eq!(Format::of_manifest(&m).unwrap(), Format::Parquet);
    }
}
