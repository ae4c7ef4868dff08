//! `cogov plot DIR`: redraws the figures and `report.html` of a run or experiment
//! directory from its CSV files.

use std::path::PathBuf;

use crate::plot::{self, Format};
use anyhow::Context as _;

/// Arguments of `cogov plot`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov plot results/policies                       all figures and report.html, as in [plot]
  cogov plot results/policies --formats svg,pdf     vector files only
  cogov plot results/policies --width 3.5           single-column figures
  cogov plot results/policies --formats png --dpi 150   lighter PNGs for a web page
  cogov plot results/run1 --metrics active_share,complaints --out /tmp/figs
  cogov plot results/policies --smooth 7                 7-day means of daily counts
  cogov plot results/my_sweep --split-by integrated_delay  one panel per value

Earlier figures of cogov plot in the figures folder are replaced (other files are kept).")]
pub struct Args {
    /// A `cogov run` or `cogov experiment` output directory.
    pub dir: PathBuf,
    /// Where to write `figures/` and `report.html` (default: DIR).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Figure formats, comma-separated: svg, pdf, png (default: from [plot], else all three).
    #[arg(long, value_delimiter = ',')]
    pub formats: Option<Vec<String>>,
    /// Metrics to draw, comma-separated (default: from [plot]).
    #[arg(long, value_delimiter = ',')]
    pub metrics: Option<Vec<String>>,
    /// Policies to show, comma-separated, in this order (default: all).
    #[arg(long, value_delimiter = ',')]
    pub policies: Option<Vec<String>>,
    /// Figure width in inches (3.5 single column, 7 double column).
    #[arg(long)]
    pub width: Option<f64>,
    /// Height of single-panel figures in inches.
    #[arg(long)]
    pub height: Option<f64>,
    /// PNG resolution in dots per inch (default: from [plot], else 300).
    #[arg(long)]
    pub dpi: Option<u32>,
    /// Put titles on the figures.
    #[arg(long)]
    pub titles: bool,
    /// Do not write report.html.
    #[arg(long)]
    pub no_report: bool,
    /// Rolling mean over this many days for time series of flows (0 or 1: none).
    #[arg(long, value_name = "DAYS")]
    pub smooth: Option<u32>,
    /// Swept parameter whose values split a swept experiment's time series into panels.
    #[arg(long, value_name = "PARAMETER")]
    pub split_by: Option<String>,
}

/// Draws the figures; prints what was written and what was left out.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let mut cfg = plot::config_from_manifest(&args.dir)?;
    if let Some(f) = &args.formats {
        cfg.formats = f
            .iter()
            .map(|s| Format::parse(s))
            .collect::<Result<_, _>>()?;
    }
    if let Some(m) = &args.metrics {
        cfg.metrics = m.clone();
    }
    if let Some(p) = &args.policies {
        cfg.policies = p.clone();
    }
    if let Some(w) = args.width {
        cfg.width_in = w;
    }
    if let Some(h) = args.height {
        cfg.height_in = h;
    }
    if let Some(d) = args.dpi {
        cfg.dpi = d;
    }
    if let Some(d) = args.smooth {
        cfg.smooth = d;
    }
    if let Some(p) = &args.split_by {
        cfg.split_by = p.clone();
    }
    cfg.titles |= args.titles;
    cfg.report &= !args.no_report;
    let out = args.out.clone().unwrap_or_else(|| args.dir.clone());
    let rep = plot::plot_dir_to(&args.dir, &out, &cfg)
        .with_context(|| format!("plotting {}", args.dir.display()))?;
    let files: usize = rep.figures.iter().map(|f| f.files.len()).sum();
    println!(
        "{} figures ({files} files) in {}",
        rep.figures.len(),
        out.join("figures").display()
    );
    if let Some(r) = &rep.report {
        println!("report: {}", r.display());
    }
    for n in &rep.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}

/// Draws the figures and report of a finished run or experiment (`cogov run`, `experiment`,
/// `merge`), and says on stderr what was written and how long it took.
pub fn draw_and_tell(dir: &std::path::Path, cfg: &plot::PlotConfig) -> anyhow::Result<()> {
    let start = std::time::Instant::now();
    let rep = plot::plot_dir(dir, cfg).with_context(|| {
        format!(
            "drawing figures in {} (the results are written; retry with `cogov plot {}`)",
            dir.display(),
            dir.display()
        )
    })?;
    eprintln!(
        "{} figures in {:.2} s → {}{}",
        rep.figures.len(),
        start.elapsed().as_secs_f64(),
        dir.join("figures").display(),
        rep.report
            .as_ref()
            .map(|r| format!(", {}", r.display()))
            .unwrap_or_default()
    );
    for n in &rep.notes {
        eprintln!("note: {n}");
    }
    Ok(())
}
