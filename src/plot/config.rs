//! The `[plot]` section of a scenario: which metrics, policies and formats the figures show.

use serde::{Deserialize, Serialize};

use crate::{Error, Result, metrics};

/// A figure file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Scalable vector graphics; text is kept as text.
    Svg,
    /// PDF (vector), converted from the SVG with svg2pdf.
    Pdf,
    /// PNG rendered from the SVG with resvg at [`PlotConfig::dpi`].
    Png,
}

impl Format {
    /// File extension (also the name used in the config and on the command line).
    pub fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Png => "png",
        }
    }

    /// Parses `svg`, `pdf` or `png`.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "svg" => Ok(Format::Svg),
            "pdf" => Ok(Format::Pdf),
            "png" => Ok(Format::Png),
            other => Err(Error::input(format!(
                "unknown figure format `{other}`; allowed: svg, pdf, png"
            ))),
        }
    }
}

/// Figure settings: the `[plot]` section of a scenario, copied into `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlotConfig {
    /// Metrics to draw (names from `crate::metrics::METRICS`; a summary column such as
    /// `complaints_total` picks that summary for the outcome charts). Time series use the
    /// metric itself; outcome charts use `_final` for stocks and `_total` for flows.
    pub metrics: Vec<String>,
    /// Figure width in inches: 3.5 for a single journal column, 7 for a full page width.
    pub width_in: f64,
    /// Height in inches of single-panel figures; multi-panel figures grow to fit their panels.
    pub height_in: f64,
    /// Base font size in points (axis labels; tick labels are one point smaller).
    pub font_pt: f64,
    /// Resolution of PNG files in dots per inch (also written into the PNG pHYs chunk).
    pub dpi: u32,
    /// File formats to write; each figure is written once per format.
    pub formats: Vec<Format>,
    /// Policies to show, in this order (empty: all, in the order of the data).
    pub policies: Vec<String>,
    /// Whether figures carry a title (papers usually put it in the caption instead).
    pub titles: bool,
    /// Community-level column whose distribution across communities is drawn per policy.
    pub community_metric: String,
    /// Whether to write `report.html` beside the figures.
    pub report: bool,
}

impl Default for PlotConfig {
    fn default() -> Self {
        PlotConfig {
            metrics: [
                "active_share",
                "trust_institutional_mean",
                "satisfaction_mean",
                "grievance_mean",
                "complaints",
                "resolution_days_mean",
            ]
            .map(String::from)
            .to_vec(),
            width_in: 7.0,
            height_in: 3.2,
            font_pt: 8.0,
            dpi: 300,
            formats: vec![Format::Svg, Format::Pdf, Format::Png],
            policies: Vec::new(),
            titles: false,
            community_metric: "active_share".into(),
            report: true,
        }
    }
}

impl PlotConfig {
    /// Checks sizes and metric names; the message names the offending key and what is allowed.
    pub fn validate(&self) -> Result<()> {
        if !(1.0..=20.0).contains(&self.width_in) {
            return Err(Error::input(format!(
                "plot.width_in = {} must be between 1 and 20 inches",
                self.width_in
            )));
        }
        if !(1.0..=20.0).contains(&self.height_in) {
            return Err(Error::input(format!(
                "plot.height_in = {} must be between 1 and 20 inches",
                self.height_in
            )));
        }
        if !(4.0..=24.0).contains(&self.font_pt) {
            return Err(Error::input(format!(
                "plot.font_pt = {} must be between 4 and 24 points",
                self.font_pt
            )));
        }
        if !(50..=1200).contains(&self.dpi) {
            return Err(Error::input(format!(
                "plot.dpi = {} must be between 50 and 1200",
                self.dpi
            )));
        }
        if self.metrics.is_empty() {
            return Err(Error::input(
                "plot.metrics is empty; name at least one metric",
            ));
        }
        for m in &self.metrics {
            base_metric(m)?;
        }
        Ok(())
    }
}

/// The registry entry of a metric or of a summary column (`<metric>_final|_mean|_total`).
pub fn base_metric(name: &str) -> Result<&'static metrics::MetricInfo> {
    if let Some(info) = metrics::by_name(name) {
        return Ok(info);
    }
    for suffix in ["_final", "_mean", "_total"] {
        if let Some(info) = name.strip_suffix(suffix).and_then(metrics::by_name) {
            return Ok(info);
        }
    }
    let close: Vec<&str> = metrics::METRICS
        .iter()
        .map(|m| m.name)
        .filter(|n| strsim::jaro_winkler(n, name) > 0.85)
        .collect();
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    Err(Error::input(format!(
        "unknown metric `{name}` in plot.metrics{hint}; allowed: a metric name from `crate::metrics` \
         (e.g. active_share) or a summary column (e.g. complaints_total)"
    )))
}

/// The summary column drawn for `name` in outcome charts: the name itself when it is a
/// summary column, else `_final` for a stock and `_total` for a flow.
pub fn summary_column(name: &str) -> Result<String> {
    let info = base_metric(name)?;
    if info.name != name {
        return Ok(name.to_string());
    }
    Ok(match info.kind {
        metrics::Kind::Stock => format!("{name}_final"),
        metrics::Kind::Flow => format!("{name}_total"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let cfg = PlotConfig::default();
        cfg.validate().unwrap();
        let text = toml::to_string(&cfg).unwrap();
        let back: PlotConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, cfg);
    }

    #[test]
    fn unknown_keys_and_metrics_are_rejected() {
        assert!(toml::from_str::<PlotConfig>("colour = 1").is_err());
        let cfg: PlotConfig = toml::from_str("metrics = [\"activ_share\"]").unwrap();
        let err = cfg.validate().unwrap_err().to_string();
        assert!(err.contains("active_share"), "{err}");
    }

    #[test]
    fn summary_columns_follow_kind() {
        assert_eq!(
            summary_column("active_share").unwrap(),
            "active_share_final"
        );
        assert_eq!(summary_column("complaints").unwrap(), "complaints_total");
        assert_eq!(
            summary_column("complaints_mean").unwrap(),
            "complaints_mean"
        );
        assert!(Format::parse("gif").is_err());
    }
}
