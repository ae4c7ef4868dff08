//! What an output directory holds, so that a single run never writes into an experiment's
//! directory or the reverse (their files share names: `timeseries.csv`, `manifest.json`,
//! `communities.csv`; mixing them loses data and leaves files that no longer agree).

use std::path::Path;

use crate::error::{Error, Result};

/// The two kinds of output directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutKind {
    /// `cogov run`: one run.
    Run,
    /// `cogov experiment` (also a shard, and `cogov merge`'s output).
    Experiment,
}

impl OutKind {
    /// The manifest's `kind` value.
    pub fn name(self) -> &'static str {
        match self {
            OutKind::Run => "run",
            OutKind::Experiment => "experiment",
        }
    }

    fn described(self) -> &'static str {
        match self {
            OutKind::Run => "a single run (`cogov run`)",
            OutKind::Experiment => "an experiment (`cogov experiment` or `cogov merge`)",
        }
    }
}

/// The kind of results `dir` holds: the manifest's `kind`, else what its files show
/// (`runs.csv`/`.parquet` or `parts/`: an experiment; `summary.csv`/`.parquet`: a run). None for an empty or
/// missing directory, or one that holds neither.
pub fn kind_of(dir: &Path) -> Option<OutKind> {
    let manifest = std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    match manifest
        .as_ref()
        .and_then(|m| m.get("kind"))
        .and_then(|k| k.as_str())
    {
        Some("run") => return Some(OutKind::Run),
        Some("experiment") => return Some(OutKind::Experiment),
        _ => {}
    }
    if crate::tables::find(dir, "runs").is_some() || dir.join("parts").is_dir() {
        Some(OutKind::Experiment)
    } else if crate::tables::find(dir, "summary").is_some() {
        Some(OutKind::Run)
    } else {
        None
    }
}

/// Refuses (as bad input) to write results of kind `want` into `dir` when it holds the
/// other kind; the message says why and how to go on.
pub fn guard(dir: &Path, want: OutKind) -> Result<()> {
    let Some(have) = kind_of(dir) else {
        return Ok(());
    };
    if have == want {
        return Ok(());
    }
    let clobbered = "timeseries.csv, communities.csv and manifest.json";
    let suggestion = dir.join(match want {
        OutKind::Run => "run",
        OutKind::Experiment => "experiment",
    });
    Err(Error::input(format!(
        "{}: holds the results of {}; writing {} there would overwrite its {clobbered} and leave \
         files that no longer belong together. Choose another output directory (e.g. --out {}), \
         or remove {} first if you no longer need it",
        dir.display(),
        have.described(),
        want.described(),
        suggestion.display(),
        dir.display()
    )))
}

/// Removes `names` from `dir` where they exist: optional outputs of an earlier run that this
/// one did not write, so that the directory's files all come from one run.
pub fn remove_stale(dir: &Path, names: &[&str]) -> Result<()> {
    for n in names {
        let p = dir.join(n);
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_and_mixing_is_refused() {
        let d = std::env::temp_dir().join(format!("cogov-outdir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        assert_eq!(kind_of(&d), None);
        guard(&d, OutKind::Run).unwrap();
        std::fs::write(d.join("runs.csv"), "run_id\n").unwrap();
        assert_eq!(kind_of(&d), Some(OutKind::Experiment));
        let e = guard(&d, OutKind::Run).unwrap_err().to_string();
        assert!(e.contains("an experiment") && e.contains("--out"), "{e}");
        guard(&d, OutKind::Experiment).unwrap();
        std::fs::write(d.join("manifest.json"), r#"{"kind": "run"}"#).unwrap();
        assert_eq!(kind_of(&d), Some(OutKind::Run));
        std::fs::remove_dir_all(&d).unwrap();
    }
}
