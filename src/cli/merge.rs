//! `cogov merge DIR... --out DIR`: combines shard outputs of `cogov experiment --shard`.

use std::path::PathBuf;

use anyhow::Context;

/// Arguments of `cogov merge`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov merge results/p_s1 results/p_s2 --out results/policies")]
pub struct Args {
    /// Shard output directories (from `cogov experiment --shard I/N`).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged results.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Do not draw the figures and report.html (draw them later with `cogov plot`).
    #[arg(long)]
    pub no_plot: bool,
    /// Keep the merged parts/ once the final files are written; `--keep-parts=false` drops
    /// them (the shards' own directories are left alone).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub keep_parts: bool,
}

/// Merges the shards and writes the final files.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let m = crate::experiment::merge::merge(&args.dirs, &args.out, args.keep_parts)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    eprintln!(
        "merged {} of {} runs → {}",
        m.runs_done,
        m.runs_total,
        args.out.display()
    );
    if !args.no_plot && m.runs_done == m.runs_total {
        let cfg = crate::plot::config_from_manifest(&args.out)?;
        super::plot::draw_and_tell(&args.out, &cfg)?;
    }
    Ok(())
}
