//! Merging shard outputs: copies every shard's finished parts into one directory and
//! assembles the final files, byte-identical to a single-machine run.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::experiment::design::Plan;
use crate::experiment::runner::{self, parts_dir};
use crate::outdir::{self, OutKind};
use crate::output;
use crate::provenance::Clock;
use crate::run;
use crate::scenario::Scenario;
use crate::tables::Format;

/// What a merge did.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Runs in the plan.
    pub runs_total: usize,
    /// Runs found in the shards.
    pub runs_done: usize,
}

/// Merges the shard directories `dirs` into `out`. All shards must come from the same
/// scenario (same hash); runs missing from every shard leave the result incomplete (no final
/// CSVs, `complete: false`), which is reported as an input error naming the count.
pub fn merge(dirs: &[PathBuf], out: &Path, keep_parts: bool) -> Result<Merged> {
    let clock = Clock::start();
    let first = dirs
        .first()
        .ok_or_else(|| Error::input("merge: give at least one shard directory"))?;
    let (scenario, format) = load_manifest_scenario(first)?;
    let hash = run::scenario_hash(&scenario);
    for d in dirs {
        let (_, f) = load_manifest_scenario(d)?;
        if f != format {
            return Err(Error::input(format!(
                "{}: its tables are {f}, those of {} are {format}; run every shard with the same --format",
                d.display(),
                first.display()
            )));
        }
        let h = runner::recorded_hash(d).ok_or_else(|| {
            Error::input(format!(
                "{}: no manifest.json with a scenario_hash; not an experiment output",
                d.display()
            ))
        })?;
        if h != hash {
            return Err(Error::input(format!(
                "{}: comes from a different scenario than {} (hashes differ)",
                d.display(),
                first.display()
            )));
        }
    }
    let plan = Plan::new(&scenario, true)?;
    outdir::guard(out, OutKind::Experiment)?;
    output::ensure_dir(&parts_dir(out))?;
    let mut done = 0;
    for i in 0..plan.len() {
        let id = plan.run_id(i);
        if runner::is_done(out, &id, &hash, format) {
            done += 1;
            continue;
        }
        if let Some(src) = dirs.iter().find(|d| runner::is_done(d, &id, &hash, format)) {
            // The marker last: a merge killed midway leaves no run that looks done.
            let names = runner::run_tables()
                .into_iter()
                .map(|t| runner::part_name(&id, t, format))
                .chain(std::iter::once(runner::marker_name(&id)));
            for name in names {
                let from = parts_dir(src).join(&name);
                if !from.is_file() && !name.ends_with(".done") {
                    continue; // a table this run does not produce
                }
                let to = parts_dir(out).join(&name);
                let bytes = std::fs::read(&from).map_err(|e| Error::io(&from, e))?;
                output::write_atomic(&to, |w| w.write_all(&bytes))?;
            }
            done += 1;
        }
    }
    if done == plan.len() {
        runner::finalize(out, &plan, format)?;
    }
    let shards = dirs
        .iter()
        .map(|d| {
            let provenance = std::fs::read_to_string(d.join("manifest.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|m| m.get("provenance").cloned())
                .unwrap_or(serde_json::Value::Null);
            serde_json::json!({"dir": d.display().to_string(), "provenance": provenance})
        })
        .collect();
    runner::write_merged_manifest(out, &scenario, &plan, done, &clock, shards, format)?;
    let parts_dropped = done == plan.len() && !keep_parts;
    if parts_dropped {
        runner::drop_parts(out)?;
    }
    if done < plan.len() {
        return Err(Error::input(format!(
            "merge: {} of {} runs are missing from the shards; run the missing shards (or --resume them) and merge again",
            plan.len() - done,
            plan.len()
        )));
    }
    Ok(Merged {
        runs_total: plan.len(),
        runs_done: done,
    })
}

/// The scenario and table format a shard's manifest records.
fn load_manifest_scenario(dir: &Path) -> Result<(Scenario, Format)> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
    let toml = v
        .get("scenario_toml")
        .and_then(|t| t.as_str())
        .ok_or_else(|| Error::input(format!("{}: no scenario_toml", path.display())))?;
    let format =
        Format::of_manifest(&v).map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
    Ok((
        Scenario::from_toml(toml, &path.display().to_string())?,
        format,
    ))
}
