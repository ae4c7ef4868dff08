//! Paper style: the Okabe–Ito colour-blind-safe palette, line dashes and markers that keep
//! series apart in greyscale, and the unit scale (drawing units per inch, font sizes).
//!
//! Palette: Okabe, M. & Ito, K. (2008) *Color Universal Design*, <https://jfly.uni-koeln.de/color/>.

use plotters::style::{BLACK, FontStyle, IntoFont, RGBColor, TextStyle};

use super::config::PlotConfig;
use super::fonts::FAMILY;

/// Drawing units per inch. Two units per CSS pixel: plotters draws on an integer grid, and
/// a finer grid keeps lines smooth and stroke widths thin (1 unit = 0.375 pt).
pub const UNITS_PER_IN: f64 = 192.0;

/// Okabe–Ito colours, ordered so that the first series get the most distinct ones
/// (black, orange, sky blue, bluish green, vermilion, blue, reddish purple, yellow).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(0, 114, 178),
    RGBColor(204, 121, 167),
    RGBColor(240, 228, 66),
];

/// Grey for axes, grids and reference lines.
pub const GREY: RGBColor = RGBColor(120, 120, 120);

/// Line dash pattern of a series, so lines differ in greyscale too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    /// A solid line.
    Solid,
    /// Long dashes.
    Dashed,
    /// Short dots.
    Dotted,
}

/// Marker shape of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Filled circle.
    Circle,
    /// Filled triangle.
    Triangle,
    /// Open square.
    Square,
    /// Cross.
    Cross,
    /// Filled diamond.
    Diamond,
}

/// The look of the `i`-th series: colour, dash and marker cycle with coprime periods
/// (8, 3, 5), so that up to 15 series differ in dash+marker even without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesStyle {
    /// Line and marker colour.
    pub color: RGBColor,
    /// Dash pattern.
    pub dash: Dash,
    /// Marker shape.
    pub marker: Marker,
}

/// Style of series number `i`.
pub fn series(i: usize) -> SeriesStyle {
    const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
    const MARKERS: [Marker; 5] = [
        Marker::Circle,
        Marker::Triangle,
        Marker::Square,
        Marker::Cross,
        Marker::Diamond,
    ];
    SeriesStyle {
        color: PALETTE[i % PALETTE.len()],
        dash: DASHES[i % 3],
        marker: MARKERS[i % 5],
    }
}

/// Sizes derived from the configuration, in drawing units.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Figure width in units.
    pub width: u32,
    /// Default (single-panel) figure height in units.
    pub height: u32,
    /// Font size of axis labels in points.
    pub font_pt: f64,
}

impl Scale {
    /// Sizes for `cfg`.
    pub fn new(cfg: &PlotConfig) -> Self {
        Scale {
            width: (cfg.width_in * UNITS_PER_IN).round() as u32,
            height: (cfg.height_in * UNITS_PER_IN).round() as u32,
            font_pt: cfg.font_pt,
        }
    }

    /// Converts points to drawing units.
    pub fn pt(&self, pt: f64) -> f64 {
        pt * UNITS_PER_IN / 72.0
    }

    /// Converts points to whole drawing units (at least 1).
    pub fn upt(&self, pt: f64) -> u32 {
        self.pt(pt).round().max(1.0) as u32
    }

    /// The text font at `pt` points. plotters writes `font-size = size / 1.24` into SVG, so
    /// the size it is given is scaled up by 1.24.
    pub fn font_at(&self, pt: f64) -> TextStyle<'static> {
        // plotters resolves the family when the font is made, so register it first.
        let _ = super::fonts::register();
        TextStyle::from((FAMILY, self.pt(pt) * 1.24).into_font()).color(&BLACK)
    }

    /// Axis-label font.
    pub fn label_font(&self) -> TextStyle<'static> {
        self.font_at(self.font_pt)
    }

    /// Tick-label and legend font (one point smaller).
    pub fn tick_font(&self) -> TextStyle<'static> {
        self.font_at(self.font_pt - 1.0)
    }

    /// Title font (one point larger, bold).
    pub fn title_font(&self) -> TextStyle<'static> {
        let t = self.font_at(self.font_pt + 1.0);
        TextStyle {
            font: t.font.style(FontStyle::Bold),
            ..t
        }
    }

    /// Height of one line of tick-size text with spacing, in units.
    pub fn line_height(&self) -> u32 {
        (self.pt(self.font_pt - 1.0) * 1.45).round() as u32
    }
}

/// Viridis, a perceptually uniform colour-blind-safe sequential scale (van der Walt &
/// Smith 2015), at `t` in \[0, 1\], interpolated between nine reference colours.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let h = t * (STOPS.len() - 1) as f64;
    let i = (h.floor() as usize).min(STOPS.len() - 2);
    let f = h - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(68, 1, 84));
    }

    #[test]
    fn first_fifteen_series_differ_without_colour() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..15 {
            let s = series(i);
            assert!(
                seen.insert((s.dash as u8, s.marker as u8)),
                "series {i} repeats"
            );
        }
    }

    #[test]
    fn single_column_scale() {
        let cfg = PlotConfig {
            width_in: 3.5,
            ..PlotConfig::default()
        };
        let s = Scale::new(&cfg);
        assert_eq!(s.width, 672);
        assert!((s.pt(72.0) - UNITS_PER_IN).abs() < 1e-9);
    }
}
