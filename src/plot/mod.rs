//! Publication figures and a one-page HTML report, drawn from a run's or an experiment's
//! CSV files alone (nothing is re-run).
//!
//! Chart types: [`timeseries`], [`contrasts`], [`sweep`], [`community`], [`sensitivity`],
//! [`flow`], [`synergy`];
//! all are built from the shared helpers in [`chart`] and styled by [`style`]. [`export`]
//! writes SVG, PDF and PNG; [`report`] writes `report.html`. Call [`plot_dir`].

pub mod chart;
pub mod community;
pub mod config;
pub mod contrasts;
pub mod data;
pub mod export;
pub mod fixture;
pub mod flow;
pub mod fonts;
pub mod interval;
pub mod report;
pub mod sensitivity;
pub mod style;
pub mod sweep;
pub mod synergy;
pub mod timeseries;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use config::{Format, PlotConfig};
use data::{Dataset, DirKind, Table};

use crate::{Error, Result};

/// One drawn figure, before it is written.
#[derive(Debug, Clone)]
pub struct Figure {
    /// File stem, e.g. `timeseries_active_share`.
    pub name: String,
    /// Heading in the report.
    pub title: String,
    /// Caption: what is shown and how the intervals are computed.
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

/// A figure and the files written for it.
#[derive(Debug, Clone)]
pub struct WrittenFigure {
    /// The figure (its SVG is inlined in the report).
    pub figure: Figure,
    /// One file per format.
    pub files: Vec<PathBuf>,
}

/// What [`plot_dir`] produced.
#[derive(Debug, Clone)]
pub struct PlotReport {
    /// Figures in report order.
    pub figures: Vec<WrittenFigure>,
    /// `report.html`, when written.
    pub report: Option<PathBuf>,
    /// Things left out and why (e.g. a missing optional file or metric column).
    pub notes: Vec<String>,
}

/// The axis label of a metric or summary column, with its unit: `active share, final (share)`.
pub fn axis_label(column: &str) -> String {
    match config::base_metric(column) {
        Ok(info) => {
            let what = match &column[info.name.len()..] {
                "_final" => ", final",
                "_mean" => ", mean over days",
                "_total" => ", total",
                _ => "",
            };
            format!("{}{what} ({})", info.name.replace('_', " "), info.unit)
        }
        Err(_) => column.replace('_', " "),
    }
}

/// The `[plot]` section stored in `dir/manifest.json`, or the defaults when there is none.
pub fn config_from_manifest(dir: &Path) -> Result<PlotConfig> {
    let path = dir.join("manifest.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(PlotConfig::default());
    };
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Error::input(format!("{}: not valid JSON: {e}", path.display())))?;
    match v.get("plot") {
        None | Some(serde_json::Value::Null) => Ok(PlotConfig::default()),
        Some(p) => serde_json::from_value(p.clone())
            .map_err(|e| Error::input(format!("{}: bad `plot` section: {e}", path.display()))),
    }
}

/// Draws every figure for the run or experiment in `dir` into `dir/figures/` and writes
/// `dir/report.html`.
pub fn plot_dir(dir: &Path, cfg: &PlotConfig) -> Result<PlotReport> {
    plot_dir_to(dir, dir, cfg)
}

/// File-name prefixes of the figures `cogov plot` draws: the files it removes before
/// writing new ones, so a folder never mixes two drawings (say, two widths).
pub const FIGURE_PREFIXES: &[&str] = &[
    "timeseries_",
    "contrasts",
    "sweep_",
    "scatter_",
    "communities_",
    "sensitivity_",
    "morris_",
    "sobol_",
    "issues_flow",
    "interactions_",
    "shapley",
    "main_effects",
];

/// Removes the figure files an earlier `cogov plot` wrote into `fig_dir` (SVG, PDF and PNG
/// files whose names start with one of [`FIGURE_PREFIXES`]); other files are left alone.
pub fn remove_old_figures(fig_dir: &Path) -> Result<usize> {
    let Ok(entries) = std::fs::read_dir(fig_dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = FIGURE_PREFIXES.iter().any(|p| name.starts_with(p))
            && ["svg", "pdf", "png"]
                .iter()
                .any(|x| path.extension().is_some_and(|e| e == *x));
        if ours && path.is_file() {
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Like [`plot_dir`], writing into `out` (figures in `out/figures/`, report in `out`).
pub fn plot_dir_to(dir: &Path, out: &Path, cfg: &PlotConfig) -> Result<PlotReport> {
    cfg.validate()?;
    fonts::register()?;
    let columns: Vec<String> = cfg
        .metrics
        .iter()
        .map(|m| config::summary_column(m))
        .collect::<Result<_>>()?;
    let ds = Dataset::load(dir, &cfg.policies, &columns)?;
    // Community and flow figures show one distribution per policy; a sweep's points are pooled,
    // and the caption says so.
    let pooled = if ds.sweep_cols.is_empty() {
        ds.clone()
    } else {
        ds.pooled_by_policy()
    };
    let s = style::Scale::new(cfg);
    let mut notes = Vec::new();
    let mut figs: Vec<Figure> = Vec::new();

    let mut base: Vec<String> = Vec::new();
    for m in &cfg.metrics {
        let b = config::base_metric(m)?.name.to_string();
        if !base.contains(&b) {
            base.push(b);
        }
    }

    if let Some((ts_path, _)) = crate::tables::find(dir, "timeseries") {
        let (f, missing) = timeseries::figures(&ds, cfg, &base, &s)?;
        let file = ts_path.file_name().unwrap_or_default().to_string_lossy();
        for m in missing {
            notes.push(format!(
                "{file} has no column `{m}`; its time series is left out"
            ));
        }
        figs.extend(f);
    } else {
        notes.push("no timeseries.csv: time-series figures left out".into());
    }

    let mut contrast_rows = Vec::new();
    let mut aggregate = None;
    if ds.kind == DirKind::Experiment {
        // With one policy there is nothing to contrast: the table has columns but no rows.
        let table = Table::read_maybe_empty(dir, "contrasts")?;
        let header_only = table.as_ref().is_some_and(|t| t.rows.is_empty());
        let table = table.filter(|t| !t.rows.is_empty());
        let one_policy_by_design =
            matches!(ds.design(), "morris" | "sobol") || !ds.declares_policies();
        match table {
            None if header_only && one_policy_by_design => {}
            None if header_only => {
                notes.push("one policy: nothing to contrast, so no contrast figure".into())
            }
            Some(t) => {
                contrast_rows = contrasts::rows(&ds, &t, &columns)?;
                match contrasts::figure(&ds, &contrast_rows, &columns, &s)? {
                    Some(f) => figs.push(f),
                    None => notes.push(
                        "contrasts.csv has no rows for the chosen metrics and policies".into(),
                    ),
                }
            }
            None => notes.push("no contrasts.csv: contrast figure left out".into()),
        }
        figs.extend(sweep::figures(&ds, &columns, &s, cfg.titles)?);
        // The outcome table shows the summary columns drawn: only their rows are held.
        aggregate = Table::read_part(dir, "aggregate", &|_| true, Some(("metric", &columns)))?;
        if aggregate.is_none() {
            notes.push("no aggregate.csv: outcome table left out".into());
        }
    }

    let community_columns = |c: &str| ["run_id", "community", &cfg.community_metric].contains(&c);
    match Table::read_part(dir, "communities", &community_columns, None)? {
        Some(t) if t.col(&cfg.community_metric).is_some() => {
            let vals = community::values(&pooled, &t, &cfg.community_metric)?;
            let over = (!ds.sweep_cols.is_empty()).then(|| ds.sweep_cols.join(", "));
            if let Some(f) = community::figure(
                &pooled,
                &vals,
                &cfg.community_metric,
                &s,
                cfg.titles,
                over.as_deref(),
            )? {
                figs.push(f);
            }
        }
        Some(t) => notes.push(format!(
            "communities.csv has no column `{}` (plot.community_metric); its columns are: {}",
            cfg.community_metric,
            t.columns_in_file().join(", ")
        )),
        None => notes.push("no communities.csv: community figure left out".into()),
    }

    if let Some((issues, format)) = crate::tables::find(dir, "issues")
        && let Some(paths) = flow::paths(&pooled, &issues, format)?
    {
        let runs = ds
            .runs
            .as_ref()
            .map_or(1, |r| r.rows.len() / pooled.groups.len().max(1));
        if let Some(f) = flow::figure(&pooled, &paths, runs, &s)? {
            figs.push(f);
        }
    }

    let sensitivity = Table::read(dir, "sensitivity")?;
    if let Some(t) = &sensitivity {
        figs.extend(sensitivity::figures(t, &columns, &s)?);
    }
    let factorial = synergy::Tables::read(dir)?;
    if let Some(t) = &factorial {
        figs.extend(synergy::figures(&ds, t, &columns, &s)?);
    }

    if figs.is_empty() {
        return Err(Error::input(format!(
            "nothing to plot in {}: {}",
            dir.display(),
            notes.join("; ")
        )));
    }
    let fig_dir = out.join("figures");
    std::fs::create_dir_all(&fig_dir).map_err(|e| Error::io(&fig_dir, e))?;
    // Drawn without error: now replace the earlier drawing.
    remove_old_figures(&fig_dir)?;
    // One task per figure: each output depends only on its own figure, so files are the
    // same whatever the thread count.
    let files: Vec<Vec<PathBuf>> = figs
        .par_iter()
        .map(|f| export::write(f, &fig_dir, cfg))
        .collect::<Result<_>>()?;
    let figures: Vec<WrittenFigure> = figs
        .into_iter()
        .zip(files)
        .map(|(figure, files)| WrittenFigure { figure, files })
        .collect();
    let report = if cfg.report {
        let path = out.join("report.html");
        let html = report::html(&report::Inputs {
            ds: &ds,
            cfg,
            columns: &columns,
            aggregate: aggregate.as_ref(),
            contrasts: &contrast_rows,
            sensitivity: sensitivity.as_ref(),
            factorial: factorial
                .as_ref()
                .map(|t| synergy::report_section(t, &columns)),
            figures: &figures,
            notes: &notes,
        })?;
        crate::output::write_atomic(&path, |w| w.write_all(html.as_bytes()))?;
        Some(path)
    } else {
        None
    };
    Ok(PlotReport {
        figures,
        report,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_carry_units() {
        assert_eq!(
            axis_label("active_share_final"),
            "active share, final (share)"
        );
        assert_eq!(
            axis_label("public_spending_total"),
            "public spending, total (yuan)"
        );
        assert_eq!(
            axis_label("resolution_days_mean"),
            "resolution days mean (days)"
        );
        assert_eq!(axis_label("world.residents"), "world.residents");
    }
}
