//! The `[plot]` section of a scenario: which metrics, policies and formats the figures show.

use serde::{Deserialize, Serialize};

use crate::scenario::schema::KeyDoc;
use crate::{Error, Result, metrics};

/// A figure file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Scalable vector graphics; text is kept as text.
    Svg,
    /// PDF (vector), converted from the SVG with krilla.
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
    /// Metrics to draw (names from the codebook `metrics.csv`; a summary column such as
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
    /// Rolling mean over this many days for the time series of flows (daily counts and
    /// amounts), e.g. 7; 0 or 1: none. Stocks are never smoothed.
    pub smooth: u32,
    /// Swept parameter (dotted path) that splits the time series of a swept experiment
    /// into panels; empty: every sweep point is its own series when few, else the first
    /// swept parameter.
    pub split_by: String,
}

/// The `[plot]` keys for the ODD (kept in step with the struct by a test).
pub const PLOT_KEYS: &[KeyDoc] = &[
    KeyDoc {
        path: "plot.metrics",
        default: "",
        doc: "Metrics drawn: metric names (time series; outcome charts use `_final` for a stock, `_total` for a flow) or summary columns.",
    },
    KeyDoc {
        path: "plot.width_in",
        default: "",
        doc: "Figure width in inches (3.5 one journal column, 7 the page), 1 to 20.",
    },
    KeyDoc {
        path: "plot.height_in",
        default: "",
        doc: "Height of single-panel figures in inches, 1 to 20; multi-panel figures grow to fit.",
    },
    KeyDoc {
        path: "plot.font_pt",
        default: "",
        doc: "Axis-label font size in points, 4 to 24 (tick labels one point smaller).",
    },
    KeyDoc {
        path: "plot.dpi",
        default: "",
        doc: "PNG resolution in dots per inch, 50 to 1200.",
    },
    KeyDoc {
        path: "plot.formats",
        default: "",
        doc: "Files written per figure: any of \"svg\", \"pdf\", \"png\".",
    },
    KeyDoc {
        path: "plot.policies",
        default: "",
        doc: "Policies shown, in this order (empty: all).",
    },
    KeyDoc {
        path: "plot.titles",
        default: "",
        doc: "Whether figures carry a title (papers put it in the caption).",
    },
    KeyDoc {
        path: "plot.community_metric",
        default: "",
        doc: "Column of communities.csv whose spread across communities is drawn.",
    },
    KeyDoc {
        path: "plot.report",
        default: "",
        doc: "Whether to write report.html.",
    },
    KeyDoc {
        path: "plot.smooth",
        default: "",
        doc: "Rolling mean over this many days for time series of flows (e.g. 7); 0 or 1: none.",
    },
    KeyDoc {
        path: "plot.split_by",
        default: "",
        doc: "Swept parameter that splits a swept experiment's time series into panels (empty: automatic).",
    },
];

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
            smooth: 0,
            split_by: String::new(),
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
        if self.smooth > 365 {
            return Err(Error::input(format!(
                "plot.smooth = {} days is longer than a year; allowed 0 to 365 (0 or 1: no smoothing)",
                self.smooth
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

/// The registry entry of a metric or of a summary column (`<metric>_final|_mean|_total`,
/// as the metric's kind allows; see the codebook `metrics.csv`).
pub fn base_metric(name: &str) -> Result<&'static metrics::MetricInfo> {
    if let Some(info) = metrics::by_name(name) {
        return Ok(info);
    }
    if let Some((info, _)) = metrics::summary_of(name) {
        return Ok(info);
    }
    let mut candidates: Vec<String> = metrics::METRICS
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    candidates.extend(metrics::summary_columns());
    let close: Vec<String> = crate::scenario::overrides::nearest(name, &candidates, 3)
        .into_iter()
        .filter(|n| strsim::jaro_winkler(n, name) > 0.85)
        .collect();
    let hint = if close.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", close.join(", "))
    };
    Err(Error::input(format!(
        "unknown metric `{name}` in plot.metrics{hint}; allowed: a metric listed in metrics.csv \
         (e.g. active_share) or one of its summary columns (e.g. complaints_total; flows have \
         `_total`, stocks `_final` and `_mean`)"
    )))
}

/// The summary column drawn for `name` in outcome charts: the name itself when it is a
/// summary column, else `_final` for a stock and `_total` for a flow.
pub fn summary_column(name: &str) -> Result<String> {
    base_metric(name)?;
    metrics::summary_column(name).ok_or_else(|| Error::input(format!("unknown metric `{name}`")))
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
    fn key_docs_list_every_field() {
        let v = toml::Value::try_from(PlotConfig::default()).unwrap();
        let fields: std::collections::BTreeSet<String> =
            v.as_table().unwrap().keys().cloned().collect();
        assert_eq!(crate::scenario::schema::top_keys("plot", PLOT_KEYS), fields);
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
            summary_column("active_share_mean").unwrap(),
            "active_share_mean"
        );
        assert!(summary_column("complaints_mean").is_err());
        assert!(Format::parse("gif").is_err());
    }
}
