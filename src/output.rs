//! Writing results safely: every file is written under a temporary name in the same
//! directory and renamed into place, so a reader never sees a half-written file under the
//! final name. Numbers are written in Rust's shortest round-trip form; a missing value is
//! `NA` (read as missing by pandas and readr without options).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Formats a number for CSV: shortest round-trip decimal, `NA` when not finite.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "NA".into()
    }
}

/// Cents as yuan with exactly two decimals (`-12.05`), so that sums of money hold to the
/// cent in the text too.
pub fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let a = cents.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Formats an optional number for CSV.
pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_else(|| "NA".into())
}

/// Creates `dir` and its parents, with a clear error when that is not possible.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Writes `path` atomically: `fill` writes to a temporary file that is synced and renamed.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    fill(&mut file).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// A file written under a temporary name and renamed to its final name by
/// [`AtomicFile::commit`]; dropped uncommitted (an error, a panic, Ctrl-C), it removes its
/// temporary file, so no file under the final name is ever incomplete. For writers that
/// need to own their sink (the Parquet writer) or write over time (experiment tables).
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    w: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Starts writing `path` (under a temporary name beside it).
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let tmp = temp_name(path);
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            w: Some(std::io::BufWriter::new(file)),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn commit(mut self) -> Result<()> {
        let w = self.w.take();
        let result = (|| {
            let w = w.ok_or_else(|| std::io::Error::other("already committed"))?;
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            std::fs::rename(&self.tmp, &self.path)
        })();
        result.map_err(|e| {
            let _ = std::fs::remove_file(&self.tmp);
            Error::io(&self.path, e)
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.w {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("write after commit")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.w {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes CSV rows atomically: a header, then rows of already formatted fields.
pub fn write_csv(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    try_write_csv(path, header, rows.map(Ok))
}

/// CSV text in memory, byte for byte what [`write_csv`] writes to a file (the server
/// sends it; nothing touches the disk).
pub fn csv_bytes(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(header);
    for row in rows {
        let _ = csv.write_record(&row);
    }
    csv.into_inner().unwrap_or_default()
}

/// Writes CSV rows atomically as they are produced; the first failing row aborts the write
/// and leaves no file under `path`.
pub fn try_write_csv(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Result<Vec<String>>>,
) -> Result<()> {
    write_atomic(path, |w| {
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(header).map_err(std::io::Error::other)?;
        for row in rows {
            let row = row.map_err(|e| std::io::Error::other(e.to_string()))?;
            csv.write_record(&row).map_err(std::io::Error::other)?;
        }
        csv.flush()
    })
}

/// Removes temporary files that a killed process left in `dir` (`.NAME.tmp-PID`); they
/// never carry a final name, so this only tidies up.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Peak resident set size of this process in bytes, where the OS reports it (Linux).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_na() {
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(f64::NAN), "NA");
        assert_eq!(opt(None), "NA");
        let x = 1.0 / 3.0;
        assert_eq!(num(x).parse::<f64>().unwrap(), x);
        assert_eq!(
            (yuan(1205), yuan(-5), yuan(0)),
            ("12.05".into(), "-0.05".into(), "0.00".into())
        );
    }

    #[test]
    fn atomic_write_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("cogov-out-{}", std::process::id()));
        ensure_dir(&dir).unwrap();
        let p = dir.join("a.csv");
        write_csv(&p, &["x".into()], vec![vec!["1".into()]].into_iter()).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "x\n1\n");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn uncommitted_atomic_file_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("cogov-atomic-{}", std::process::id()));
        ensure_dir(&dir).unwrap();
        let p = dir.join("t.bin");
        {
            let mut f = AtomicFile::create(&p).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"whole").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"whole");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
