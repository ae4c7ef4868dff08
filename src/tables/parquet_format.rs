//! Tables as Parquet: zstd-compressed (level 1), every column dictionary-encoded while its
//! dictionary stays under [`DICTIONARY_PAGE_BYTES`] and plain after (a column of a few distinct
//! values, such as a share of 1,000 residents, stays small; a full-precision mean falls back
//! after a few thousand rows instead of carrying a dictionary as large as itself); row groups
//! of at most [`ROW_GROUP_ROWS`] rows (so that writing a large experiment holds one row group
//! in memory, not the file). Measured on a 1,000-run experiment's timeseries (1,095,000 rows ×
//! 61 columns, `python/bench/formats.py`, pandas 3.1 and pyarrow 26): this is 5.7× smaller than
//! the CSV and pandas reads it about 6× faster (4.7–8.3× in single rounds); LZ4 was 5.1×
//! smaller and read about 30% faster, but files in LZ4_RAW need a recent reader. The bytes
//! depend only on the rows written and their batching, which callers fix, so files are
//! reproducible.

use std::fs::File;
use std::path::Path;

use arrow_array::RecordBatch;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::Table;
use crate::error::{Error, Result};

/// Most rows in one row group.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Rows per batch when reading.
const READ_BATCH_ROWS: usize = 64 * 1024;

/// Largest dictionary page per column chunk before the column falls back to plain encoding.
/// Parquet's default (1 MiB) lets a 128 Ki-row group of distinct floats keep a dictionary
/// as large as the data.
pub const DICTIONARY_PAGE_BYTES: usize = 32 * 1024;

/// The writer settings of every output table cogov writes as Parquet.
pub fn properties() -> WriterProperties {
    with_compression(Compression::ZSTD(ZstdLevel::default()))
}

/// The writer settings of an experiment's part files: those of [`properties`], uncompressed.
/// A part is written once and read back once, and the parquet crate sets up a zstd context
/// for every column chunk it writes or reads: over the thousands of small parts of an
/// experiment that cost more than the disk it saved (a 1,000-run experiment of 1,000
/// residents spent 42% of assembling its final tables creating contexts).
pub fn part_properties() -> WriterProperties {
    with_compression(Compression::UNCOMPRESSED)
}

fn with_compression(c: Compression) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(c)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_dictionary_enabled(true)
        .set_dictionary_page_size_limit(DICTIONARY_PAGE_BYTES)
        .build()
}

fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| not_parquet(path, e))
}

fn not_parquet(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::input(format!(
        "{}: not a readable Parquet file: {e}",
        path.display()
    ))
}

/// The table's name: the file stem.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Column names of the Parquet file at `path`.
pub fn column_names(path: &Path) -> Result<Vec<String>> {
    let b = open(path)?;
    Ok(b.schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect())
}

/// Number of rows of the Parquet file at `path` (from its footer).
pub fn row_count(path: &Path) -> Result<usize> {
    Ok(open(path)?.metadata().file_metadata().num_rows().max(0) as usize)
}

/// Calls `each` with the file's rows as Arrow batches, keeping only `columns` (all when
/// `None`; names the file lacks are an input error). Memory stays at one batch.
pub fn for_each_record_batch(
    path: &Path,
    columns: Option<&[&str]>,
    mut each: impl FnMut(RecordBatch) -> Result<()>,
) -> Result<()> {
    let mut b = open(path)?;
    if let Some(cols) = columns {
        let have: Vec<String> = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        if let Some(missing) = cols.iter().find(|c| !have.iter().any(|h| h == *c)) {
            return Err(Error::input(format!(
                "{} has no column `{missing}`; its columns are: {}",
                path.display(),
                have.join(", ")
            )));
        }
        // By index: `ProjectionMask::columns` reads a name as a dotted path, so it would
        // not find a column named like a scenario key (`init.seed_active_share`).
        let roots = (0..have.len()).filter(|&i| cols.contains(&have[i].as_str()));
        let mask = ProjectionMask::roots(b.parquet_schema(), roots);
        b = b.with_projection(mask);
    }
    let reader = b
        .with_batch_size(READ_BATCH_ROWS)
        .build()
        .map_err(|e| not_parquet(path, e))?;
    for batch in reader {
        each(batch.map_err(|e| not_parquet(path, e))?)?;
    }
    Ok(())
}

/// Like [`for_each_record_batch`], each batch as a [`Table`] named after the file's stem.
pub fn for_each_batch(
    path: &Path,
    columns: Option<&[&str]>,
    mut each: impl FnMut(Table) -> Result<()>,
) -> Result<()> {
    let name = stem(path);
    for_each_record_batch(path, columns, |b| {
        each(Table::from_record_batch(&name, &b)?)
    })
}

/// Reads the whole file (or only `columns`) into one table named after the file's stem.
pub fn read(path: &Path, columns: Option<&[&str]>) -> Result<Table> {
    let mut all: Option<Table> = None;
    for_each_batch(path, columns, |t| {
        match &mut all {
            None => all = Some(t),
            Some(a) => a.append(t)?,
        }
        Ok(())
    })?;
    match all {
        Some(t) => Ok(t),
        // No batch: an empty file still has its schema.
        None => {
            let b = open(path)?;
            let schema = b.schema().clone();
            let empty = RecordBatch::new_empty(schema);
            let t = Table::from_record_batch(&stem(path), &empty)?;
            Ok(match columns {
                None => t,
                Some(cols) => {
                    let mut p = Table::new(stem(path));
                    for c in cols {
                        if let Some(col) = t.column(c) {
                            p.push(*c, col.clone());
                        }
                    }
                    p
                }
            })
        }
    }
}
