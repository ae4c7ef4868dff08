//! Time series: for each chosen metric, one line per policy (the mean across replicates)
//! with a 95% CI band that stays inside the metric's range ([`interval`]). A single
//! replicate draws the line without a band. A swept experiment is never pooled silently:
//! with few sweep points each is its own series; otherwise the figure is split into panels
//! by one swept parameter (`[plot] split_by`, else the first), and the caption says what
//! each panel pools. Flows may be smoothed by a trailing rolling mean (`[plot] smooth`).

use std::collections::BTreeMap;

use super::chart::{self, Axes, LegendEntry, Panel};
use super::config::PlotConfig;
use super::data::{self, Dataset, TimeSeries, num, short_param};
use super::interval::{self, Band};
use super::style::{self, Scale};
use super::{Figure, axis_label};
use crate::metrics::{self, Kind};
use crate::{Error, Result};

/// Most series a swept experiment's time series show in one panel before splitting.
pub const MAX_SERIES: usize = 8;
/// Most levels of the splitting parameter shown as they are; more are cut into thirds.
pub const MAX_LEVELS: usize = 6;

/// How the runs are grouped into panels and series.
#[derive(Debug, Clone)]
pub struct Split {
    /// The regrouped data: one group per series of a panel.
    pub ds: Dataset,
    /// Each panel's title (None: a single panel) and its groups.
    pub panels: Vec<(Option<String>, Vec<usize>)>,
    /// Style index of each group (its policy's, when panels repeat the policies).
    pub style: Vec<usize>,
    /// Caption sentence saying what a series pools, if anything.
    pub note: String,
}

/// Groups `ds` for the time-series figures (see the module docs).
pub fn split(ds: &Dataset, cfg: &PlotConfig) -> Result<Split> {
    let single = |ds: &Dataset, note: String| Split {
        panels: vec![(None, (0..ds.groups.len()).collect())],
        style: (0..ds.groups.len()).collect(),
        ds: ds.clone(),
        note,
    };
    if ds.sweep_cols.is_empty() {
        return Ok(single(ds, String::new()));
    }
    if cfg.split_by.is_empty() && ds.groups.len() <= MAX_SERIES {
        return Ok(single(
            ds,
            " One series per policy and sweep point (nothing pooled).".into(),
        ));
    }
    let p = if cfg.split_by.is_empty() {
        0
    } else {
        ds.sweep_cols
            .iter()
            .position(|c| c == &cfg.split_by || short_param(c) == cfg.split_by)
            .ok_or_else(|| {
                Error::input(format!(
                    "plot.split_by = \"{}\" is not a swept parameter of this experiment; swept: {}",
                    cfg.split_by,
                    ds.sweep_cols.join(", ")
                ))
            })?
    };
    let param = ds.sweep_cols[p].clone();
    let short = short_param(&param).to_string();
    let values: Vec<String> = ds.groups.iter().map(|g| g.sweep[p].clone()).collect();
    let mut distinct = values.clone();
    distinct.sort_by(|a, b| num(a).total_cmp(&num(b)).then(a.cmp(b)));
    distinct.dedup();
    let numeric = distinct.iter().all(|v| num(v).is_finite());
    // Level label of each group, and the levels in order.
    let (level_of, levels, binned): (Vec<String>, Vec<String>, bool) =
        if numeric && distinct.len() > MAX_LEVELS {
            let x: Vec<f64> = distinct.iter().map(|v| num(v)).collect();
            let n = x.len();
            let cut = [x[n / 3], x[2 * n / 3]];
            let bin = |v: f64| (v >= cut[0]) as usize + (v >= cut[1]) as usize;
            let mut bounds = [(f64::INFINITY, f64::NEG_INFINITY); 3];
            for &v in &x {
                let b = &mut bounds[bin(v)];
                *b = (b.0.min(v), b.1.max(v));
            }
            let label = |b: usize| {
                format!(
                    "{short} {}–{}",
                    short_num(bounds[b].0),
                    short_num(bounds[b].1)
                )
            };
            let level_of = values.iter().map(|v| label(bin(num(v)))).collect();
            let levels = (0..3)
                .filter(|&b| bounds[b].0.is_finite())
                .map(label)
                .collect();
            (level_of, levels, true)
        } else {
            let label = |v: &str| format!("{short} = {v}");
            (
                values.iter().map(|v| label(v)).collect(),
                distinct.iter().map(|v| label(v)).collect(),
                false,
            )
        };
    const SEP: char = '\u{1f}';
    let regrouped = {
        let index: BTreeMap<(String, Vec<String>), usize> = ds
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| ((g.policy.clone(), g.sweep.clone()), i))
            .collect();
        let mut r = ds.regrouped(|g| {
            let i = index[&(g.policy.clone(), g.sweep.clone())];
            format!("{}{SEP}{}", level_of[i], g.policy)
        });
        for g in &mut r.groups {
            g.label = g.policy.clone();
        }
        r
    };
    // Panels in level order; within each, the groups (policies) in display order.
    let keys: Vec<String> = {
        let mut k = Vec::new();
        for (i, g) in ds.groups.iter().enumerate() {
            let key = format!("{}{SEP}{}", level_of[i], g.policy);
            if !k.contains(&key) {
                k.push(key);
            }
        }
        k
    };
    let policies = ds.policies();
    let panels: Vec<(Option<String>, Vec<usize>)> = levels
        .iter()
        .map(|l| {
            let members: Vec<usize> = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| k.split(SEP).next() == Some(l.as_str()))
                .map(|(i, _)| i)
                .collect();
            (Some(l.clone()), members)
        })
        .collect();
    let style = regrouped
        .groups
        .iter()
        .map(|g| policies.iter().position(|p| p == &g.policy).unwrap_or(0))
        .collect();
    let others: Vec<String> = ds
        .sweep_cols
        .iter()
        .filter(|c| **c != param)
        .map(|c| format!("`{c}`"))
        .collect();
    let mut pooled = Vec::new();
    if binned {
        pooled.push(format!(
            "the sweep points whose `{param}` falls in the panel's third"
        ));
    }
    if !others.is_empty() {
        pooled.push(format!(
            "the other swept parameters ({})",
            others.join(", ")
        ));
    }
    let note = format!(
        " One panel per {} of `{param}`{}.",
        if binned {
            "third of the values"
        } else {
            "value"
        },
        if pooled.is_empty() {
            String::new()
        } else {
            format!(
                "; each line pools the runs over {}",
                pooled.join(" and over ")
            )
        }
    );
    Ok(Split {
        ds: regrouped,
        panels,
        style,
        note,
    })
}

/// A number in at most four significant digits, for panel titles.
fn short_num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Replaces each replicate's values of metric `k` by their trailing mean over `days` days
/// (the day itself and the `days − 1` before it, fewer at the start). Values at a tick are
/// in run order, so position `j` is the same run at every tick; when runs miss ticks, the
/// series is left as it is and `false` is returned.
pub fn smooth(ticks: &mut BTreeMap<i64, Vec<Vec<f64>>>, k: usize, days: u32) -> bool {
    let Some(n) = ticks.values().next().map(|v| v[k].len()) else {
        return true;
    };
    if ticks.values().any(|v| v[k].len() != n) {
        return false;
    }
    let keys: Vec<i64> = ticks.keys().copied().collect();
    for j in 0..n {
        let series: Vec<f64> = keys.iter().map(|t| ticks[t][k][j]).collect();
        let mut start = 0;
        let mut out = Vec::with_capacity(series.len());
        for (i, &t) in keys.iter().enumerate() {
            while keys[start] <= t - days as i64 {
                start += 1;
            }
            let w: Vec<f64> = series[start..=i]
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            out.push(if w.is_empty() {
                f64::NAN
            } else {
                w.iter().sum::<f64>() / w.len() as f64
            });
        }
        for (t, v) in keys.iter().zip(out) {
            if let Some(slot) = ticks.get_mut(t) {
                slot[k][j] = v;
            }
        }
    }
    true
}

/// Mean and band at each tick for one group and one metric.
pub fn bands(
    ticks: &BTreeMap<i64, Vec<Vec<f64>>>,
    k: usize,
    range: (f64, f64),
    group: usize,
) -> Vec<(f64, Band)> {
    ticks
        .iter()
        .map(|(&t, vals)| {
            (
                t as f64,
                interval::band(&vals[k], range, (t as u64, (group as u64) << 16 | k as u64)),
            )
        })
        .collect()
}

/// One figure per metric in `metrics` found in `timeseries.csv`; the metrics not found are
/// returned by name.
pub fn figures(
    ds: &Dataset,
    cfg: &PlotConfig,
    metrics_wanted: &[String],
    s: &Scale,
) -> Result<(Vec<Figure>, Vec<String>)> {
    let sp = split(ds, cfg)?;
    let mut ts: TimeSeries = data::read_timeseries(&sp.ds, metrics_wanted)?;
    let missing: Vec<String> = metrics_wanted
        .iter()
        .filter(|m| !ts.metrics.contains(m))
        .cloned()
        .collect();
    let multi = sp.panels.len() > 1;
    let legend: Vec<LegendEntry> = if multi && ds.policies().len() > 1 {
        ds.policies()
            .iter()
            .enumerate()
            .map(|(i, p)| LegendEntry {
                label: p.clone(),
                style: style::series(i),
            })
            .collect()
    } else if !multi && sp.ds.groups.len() > 1 {
        sp.ds
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| LegendEntry {
                label: g.label.clone(),
                style: style::series(sp.style[i]),
            })
            .collect()
    } else {
        Vec::new()
    };
    let cols = if multi {
        ((s.width as f64 / style::UNITS_PER_IN) / 3.0)
            .floor()
            .clamp(1.0, sp.panels.len() as f64) as usize
    } else {
        1
    };
    let panel_w = s.width / cols as u32;
    let x_label = match warmup(ds) {
        Some(w) if w > 0 => format!("time (days after a {w}-day warm-up)"),
        _ => "time (days)".to_string(),
    };
    let mut figs = Vec::new();
    for (k, metric) in ts.metrics.clone().iter().enumerate() {
        let info = metrics::by_name(metric);
        let range = info.map_or((f64::NEG_INFINITY, f64::INFINITY), |m| (m.min, m.max));
        let smoothed = cfg.smooth > 1 && info.is_some_and(|m| m.kind == Kind::Flow);
        let mut smooth_ok = true;
        if smoothed {
            for g in ts.by_group.iter_mut() {
                smooth_ok &= smooth(g, k, cfg.smooth);
            }
        }
        let per_group: Vec<Vec<(f64, Band)>> = ts
            .by_group
            .iter()
            .enumerate()
            .map(|(g, ticks)| bands(ticks, k, range, g))
            .collect();
        let any_ci = per_group.iter().flatten().any(|b| b.1.lo.is_finite());
        let any_boot = per_group.iter().flatten().any(|b| b.1.bootstrap);
        let (x0, x1) = chart::extent(per_group.iter().flatten().map(|b| b.0)).unwrap_or((0.0, 1.0));
        let (y0, y1) = chart::extent(
            per_group
                .iter()
                .flatten()
                .flat_map(|(_, b)| [b.mean, b.lo, b.hi]),
        )
        .unwrap_or((0.0, 1.0));
        let label = axis_label(metric);
        let y_label = if smoothed && smooth_ok {
            label.replacen(" (", &format!(", {}-day mean (", cfg.smooth), 1)
        } else {
            label.clone()
        };
        let y = interval::axis(y0, y1, 0.05, range);
        let x = if x1 > x0 {
            x0..x1
        } else {
            chart::padded(x0, x1, 0.05)
        };
        let per_group = &per_group;
        let mut panels = Vec::new();
        for (title, members) in &sp.panels {
            let axes = Axes {
                title: match title {
                    Some(t) => Some(chart::fit_in(&s.title_font(), t, &[], panel_w * 9 / 10)),
                    None => cfg.titles.then(|| format!("{label} over time")),
                },
                x_label: x_label.clone(),
                y_label: y_label.clone(),
                x: x.clone(),
                y: y.clone(),
                ..Axes::default()
            };
            let members = members.clone();
            let styles = sp.style.clone();
            let draw: chart::DrawFn = Box::new(move |c, s| {
                for &g in &members {
                    let pts: Vec<(f64, f64, f64)> =
                        per_group[g].iter().map(|(t, b)| (*t, b.lo, b.hi)).collect();
                    chart::ribbon(c, style::series(styles[g]), &pts)?;
                }
                for (i, &g) in members.iter().enumerate() {
                    let pts: Vec<(f64, f64)> =
                        per_group[g].iter().map(|(t, b)| (*t, b.mean)).collect();
                    chart::line(c, s, style::series(styles[g]), &pts, 8, i)?;
                }
                Ok(())
            });
            panels.push(Panel { axes, draw });
        }
        let lay = chart::legend_layout(s, s.width, &legend);
        let panel_h = if multi {
            (s.height * 3 / 4).max(s.upt(120.0))
        } else {
            s.height.max(lay.height + s.upt(110.0)) - lay.height
        };
        let svg = chart::grid_figure(s, panels, cols, panel_h, &legend)?;
        let ribbon_note = if any_ci {
            format!("; {}", interval::caption(range, any_boot))
        } else {
            "; no CI band (a single replicate)".to_string()
        };
        let smooth_note = match (smoothed, smooth_ok) {
            (true, true) => format!(
                " Daily values smoothed by a trailing {}-day mean per run before averaging.",
                cfg.smooth
            ),
            (true, false) => " Not smoothed: runs were recorded on different days.".into(),
            _ => String::new(),
        };
        figs.push(Figure {
            name: format!("timeseries_{metric}"),
            title: format!("{label} over time"),
            caption: format!(
                "{label}: mean across replicates per day{ribbon_note}.{}{smooth_note}",
                sp.note
            ),
            svg,
        });
    }
    Ok((figs, missing))
}

/// The warm-up (days simulated before tick 0 of the series) of the scenario stored in the
/// manifest, if there is one.
pub fn warmup(ds: &Dataset) -> Option<u32> {
    let text = ds.manifest.get("scenario_toml")?.as_str()?;
    crate::scenario::Scenario::from_toml(text, "manifest.json")
        .ok()
        .map(|s| s.init.warmup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_means_cover_the_window() {
        let mut ticks: BTreeMap<i64, Vec<Vec<f64>>> = BTreeMap::new();
        for t in 0..6 {
            ticks.insert(t, vec![vec![t as f64, 10.0]]);
        }
        assert!(smooth(&mut ticks, 0, 3));
        let got: Vec<f64> = ticks.values().map(|v| v[0][0]).collect();
        assert_eq!(got, [0.0, 0.5, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(short_num(0.123456), "0.1235");
        assert_eq!(short_num(1234.6), "1235");
    }
}
