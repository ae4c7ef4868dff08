//! Writing tables to files atomically, in one go ([`write()`]) or batch by batch
//! ([`TableWriter`], for experiment tables assembled run by run or cell by cell). Until
//! [`TableWriter::finish`] the data goes to a temporary file, so an error, a panic or a
//! kill leaves no file under the final name.

use std::path::Path;

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;

use super::{Format, Table, csv_format, parquet_format};
use crate::error::{Error, Result};
use crate::output::AtomicFile;

/// Writes `table` to `path` in `format`, atomically.
pub fn write(path: &Path, table: &Table, format: Format) -> Result<()> {
    write_with(path, table, format, parquet_format::properties)
}

/// Writes an experiment's part file as [`write()`] does, Parquet uncompressed
/// ([`parquet_format::part_properties`]).
pub fn write_part(path: &Path, table: &Table, format: Format) -> Result<()> {
    write_with(path, table, format, parquet_format::part_properties)
}

fn write_with(path: &Path, table: &Table, format: Format, parquet: Properties) -> Result<()> {
    let mut w = TableWriter::create_with(path, format, table, parquet)?;
    w.write(table)?;
    w.finish()
}

/// The Parquet writer settings of a file ([`parquet_format::properties`] or
/// [`parquet_format::part_properties`]), made only when the file is Parquet.
type Properties = fn() -> WriterProperties;

/// A table file being written, batch by batch; every batch has the columns (names and
/// types) of the table given to [`TableWriter::create`].
pub struct TableWriter {
    schema: Vec<(String, &'static str)>,
    arrow: arrow_schema::SchemaRef,
    sink: Sink,
}

enum Sink {
    Csv(Box<csv::Writer<AtomicFile>>),
    Parquet(Box<ArrowWriter<AtomicFile>>),
}

impl std::fmt::Debug for TableWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("schema", &self.schema)
            .finish()
    }
}

impl TableWriter {
    /// Starts `path` with the columns of `like` (its rows are not written). The header (CSV)
    /// or schema (Parquet) is there even if no batch follows.
    pub fn create(path: &Path, format: Format, like: &Table) -> Result<TableWriter> {
        Self::create_with(path, format, like, parquet_format::properties)
    }

    fn create_with(
        path: &Path,
        format: Format,
        like: &Table,
        parquet_properties: Properties,
    ) -> Result<TableWriter> {
        let file = AtomicFile::create(path)?;
        let sink = match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(file);
                csv_format::write_header(&mut w, like).map_err(|e| csv_err(path, e))?;
                Sink::Csv(Box::new(w))
            }
            Format::Parquet => {
                let schema = like.arrow_schema();
                let props = parquet_properties();
                let w =
                    ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| pq_err(path, e))?;
                Sink::Parquet(Box::new(w))
            }
        };
        Ok(TableWriter {
            schema: like.schema(),
            arrow: like.arrow_schema(),
            sink,
        })
    }

    fn path(&self) -> &Path {
        match &self.sink {
            Sink::Csv(w) => w.get_ref().path(),
            Sink::Parquet(w) => w.inner().path(),
        }
    }

    /// Appends the rows of `t`.
    pub fn write(&mut self, t: &Table) -> Result<()> {
        if t.schema() != self.schema {
            return Err(Error::input(format!(
                "{}: a batch of table {} has other columns than the file",
                self.path().display(),
                t.name
            )));
        }
        match &mut self.sink {
            Sink::Csv(w) => csv_format::write_rows(w, t).map_err(|e| {
                let p = w.get_ref().path().to_path_buf();
                csv_err(&p, e)
            }),
            Sink::Parquet(_) => self.write_batch(&t.clone().into_record_batch()?),
        }
    }

    /// Appends an Arrow batch (Parquet only: parts are copied batch by batch without
    /// converting them).
    pub fn write_batch(&mut self, batch: &RecordBatch) -> Result<()> {
        let path = self.path().to_path_buf();
        match &mut self.sink {
            Sink::Parquet(w) => {
                if batch.schema().fields() != self.arrow.fields() {
                    return Err(Error::input(format!(
                        "{}: a batch has other columns than the file",
                        path.display()
                    )));
                }
                w.write(batch).map_err(|e| pq_err(&path, e))
            }
            Sink::Csv(_) => Err(Error::input(format!(
                "{}: Arrow batches are written to Parquet files only",
                path.display()
            ))),
        }
    }

    /// Finishes the file and moves it to its final name.
    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Csv(w) => {
                let path = w.get_ref().path().to_path_buf();
                let file = w
                    .into_inner()
                    .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
                file.commit()
            }
            Sink::Parquet(w) => {
                let path = w.inner().path().to_path_buf();
                let file = w.into_inner().map_err(|e| pq_err(&path, e))?;
                file.commit()
            }
        }
    }
}

fn csv_err(path: &Path, e: csv::Error) -> Error {
    Error::Csv {
        path: path.to_path_buf(),
        source: e,
    }
}

fn pq_err(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::Column;
    use super::super::tests::sample;
    use super::*;

    fn dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("cogov-tables-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn parquet_round_trips_types_and_missing_values() {
        let d = dir("pq");
        let p = d.join("t.parquet");
        let t = sample();
        write(&p, &t, Format::Parquet).unwrap();
        let back = parquet_format::read(&p, None).unwrap();
        assert_eq!(back.schema(), t.schema());
        for i in 0..t.rows() {
            assert_eq!(back.csv_record(i), t.csv_record(i));
        }
        let x = parquet_format::read(&p, Some(&["x", "id"])).unwrap();
        assert_eq!(x.names(), ["id", "x"], "file order is kept");
        assert!(parquet_format::read(&p, Some(&["nope"])).is_err());
        // A column named like a scenario key (a dotted path) is read by its whole name.
        let dotted = d.join("dotted.parquet");
        let key = Table::new("t")
            .with("init.seed_active_share", Column::F64(vec![0.5]))
            .with("n", Column::I64(vec![1]));
        write(&dotted, &key, Format::Parquet).unwrap();
        let k = parquet_format::read(&dotted, Some(&["init.seed_active_share"])).unwrap();
        assert_eq!(k.names(), ["init.seed_active_share"]);
        // Same rows, same bytes.
        let again = d.join("again.parquet");
        write(&again, &t, Format::Parquet).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), std::fs::read(&again).unwrap());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn parquet_reads_the_lz4_files_of_earlier_versions() {
        use parquet::basic::Compression;
        let d = dir("lz4");
        let p = d.join("old.parquet");
        let t = sample();
        let props = WriterProperties::builder()
            .set_compression(Compression::LZ4_RAW)
            .build();
        let file = std::fs::File::create(&p).unwrap();
        let mut w = ArrowWriter::try_new(file, t.arrow_schema(), Some(props)).unwrap();
        w.write(&t.clone().into_record_batch().unwrap()).unwrap();
        w.close().unwrap();
        let back = parquet_format::read(&p, None).unwrap();
        for i in 0..t.rows() {
            assert_eq!(back.csv_record(i), t.csv_record(i));
        }
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn few_distinct_values_keep_a_dictionary_and_many_fall_back_to_plain() {
        use parquet::basic::{Compression, Encoding, PageType};
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let d = dir("dict");
        let p = d.join("t.parquet");
        let n = 20_000;
        let t = Table::new("t")
            .with(
                "share",
                Column::F64((0..n).map(|i| (i % 1000) as f64 / 1000.0).collect()),
            )
            .with(
                "mean",
                Column::F64((0..n).map(|i| (i as f64).sqrt().fract()).collect()),
            );
        write(&p, &t, Format::Parquet).unwrap();
        let r = SerializedFileReader::new(std::fs::File::open(&p).unwrap()).unwrap();
        let plain_pages = |c: usize| {
            let pages = r
                .get_row_group(0)
                .unwrap()
                .get_column_page_reader(c)
                .unwrap();
            pages
                .map(|p| p.unwrap())
                .filter(|p| p.page_type() != PageType::DICTIONARY_PAGE)
                .filter(|p| p.encoding() == Encoding::PLAIN)
                .count()
        };
        assert_eq!(
            plain_pages(0),
            0,
            "1,000 distinct values fit the dictionary"
        );
        assert!(
            plain_pages(1) > 0,
            "20,000 distinct values fall back to plain"
        );
        let codec = r.metadata().row_group(0).column(0).compression();
        assert!(matches!(codec, Compression::ZSTD(_)), "{codec:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn parts_are_uncompressed_and_output_tables_zstd() {
        use parquet::basic::Compression;
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let d = dir("part");
        let (part, table) = (d.join("part.parquet"), d.join("table.parquet"));
        let t = sample();
        write_part(&part, &t, Format::Parquet).unwrap();
        write(&table, &t, Format::Parquet).unwrap();
        let codec = |p: &Path| {
            let r = SerializedFileReader::new(std::fs::File::open(p).unwrap()).unwrap();
            r.metadata().row_group(0).column(0).compression()
        };
        assert_eq!(codec(&part), Compression::UNCOMPRESSED);
        assert!(matches!(codec(&table), Compression::ZSTD(_)));
        let back = parquet_format::read(&part, None).unwrap();
        for i in 0..t.rows() {
            assert_eq!(back.csv_record(i), t.csv_record(i));
        }
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn parquet_keeps_missing_ints_and_text() {
        let d = dir("opt");
        let p = d.join("r.parquet");
        let t = Table::new("r")
            .with("tick", Column::OptI64(vec![None, Some(4)]))
            .with("who", Column::OptStr(vec![Some("street".into()), None]));
        write(&p, &t, Format::Parquet).unwrap();
        assert_eq!(parquet_format::read(&p, None).unwrap(), t);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn batches_append_and_an_empty_table_keeps_its_header() {
        let d = dir("batches");
        let t = sample();
        for format in Format::ALL {
            let p = format.path(&d, "b");
            let mut w = TableWriter::create(&p, format, &t).unwrap();
            w.write(&t).unwrap();
            w.write(&t).unwrap();
            assert!(!p.exists(), "nothing under the final name before finish");
            w.finish().unwrap();
            let e = format.path(&d, "empty");
            TableWriter::create(&e, format, &t)
                .unwrap()
                .finish()
                .unwrap();
            match format {
                Format::Csv => {
                    let text = std::fs::read_to_string(&p).unwrap();
                    assert_eq!(text.lines().count(), 7);
                    assert_eq!(
                        std::fs::read_to_string(&e).unwrap(),
                        "id,tick,seed,on,x,yuan\n"
                    );
                }
                Format::Parquet => {
                    assert_eq!(parquet_format::read(&p, None).unwrap().rows(), 6);
                    let empty = parquet_format::read(&e, None).unwrap();
                    assert_eq!((empty.rows(), empty.schema()), (0, t.schema()));
                }
            }
        }
        let mut w = TableWriter::create(&d.join("x.csv"), Format::Csv, &t).unwrap();
        assert!(
            w.write(&Table::new("t").with("a", Column::I64(vec![1])))
                .is_err()
        );
        drop(w);
        let left: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        std::fs::remove_dir_all(&d).unwrap();
    }
}
