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
    let tmp = temp_name(path);
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Writes CSV rows atomically: a header, then rows of already formatted fields.
pub fn write_csv(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    try_write_csv(path, header, rows.map(Ok))
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
}
