//! Shared drawing helpers: the SVG document, axes (numeric or categorical), series with
//! ribbons, markers, and the legend that sits outside the plot area. Every chart type is
//! built from these, so all figures share one look.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::TextStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::fonts;
use super::style::{Dash, GREY, Marker, Scale, SeriesStyle, UNITS_PER_IN};
use crate::{Error, Result};

/// A drawing area in backend units.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// A chart with two numeric axes.
pub type Xy<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Turns a plotters drawing error into a library error (drawing into a string only fails
/// on a bug, e.g. a missing font).
pub fn de<E: std::fmt::Display>(e: E) -> Error {
    Error::io(
        "figure",
        std::io::Error::other(format!("drawing failed: {e}")),
    )
}

/// Draws an SVG document `width`×`height` units big; the root element gets its physical
/// size in inches so that PDF, PNG and the browser all size it alike.
pub fn svg_document(
    width: u32,
    height: u32,
    draw: impl FnOnce(&Area) -> Result<()>,
) -> Result<String> {
    fonts::register()?;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(de)?;
        draw(&root)?;
        root.present().map_err(de)?;
    }
    let (w_in, h_in) = (width as f64 / UNITS_PER_IN, height as f64 / UNITS_PER_IN);
    Ok(buf.replacen(
        &format!("width=\"{width}\" height=\"{height}\""),
        &format!("width=\"{w_in:.4}in\" height=\"{h_in:.4}in\""),
        1,
    ))
}

/// Formats tick values for the axis range `r`: enough decimals to tell ticks apart; the
/// whole axis in thousands (k) or millions (M) when its values are that large.
pub fn tick_formatter(r: &Range<f64>) -> impl Fn(&f64) -> String {
    let span = r.end - r.start;
    let big = r.start.abs().max(r.end.abs());
    let (div, suffix) = if big >= 1e6 {
        (1e6, "M")
    } else if big >= 1e4 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let span = span / div;
    let decimals = if span.is_finite() && span > 0.0 {
        (1.0 - span.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    move |v: &f64| {
        let s = format!("{:.decimals$}", v / div);
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            "0".into()
        } else if suffix.is_empty() {
            s
        } else {
            format!("{}{suffix}", trim(s))
        }
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A range padded by `frac` of its span on each side; a degenerate range gets a unit width.
pub fn padded(lo: f64, hi: f64, frac: f64) -> Range<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0..1.0;
    }
    let span = hi - lo;
    if span <= f64::EPSILON * lo.abs().max(1.0) {
        if lo == 0.0 {
            // All zero (e.g. a count that never happened): show 0 at the bottom, not −1.
            return -0.05..1.0;
        }
        let d = lo.abs() * 0.1;
        return lo - d..hi + d;
    }
    lo - span * frac..hi + span * frac
}

/// Min and max of the finite values, if any.
pub fn extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Width of `text` in `font`, in drawing units.
pub fn text_width(font: &TextStyle, text: &str) -> u32 {
    font.font.box_size(text).map(|(w, _)| w).unwrap_or(0)
}

/// A dotted parameter path that fits `max_w` units in the axis-label font: whole when it
/// fits; else its leading segments become "…" while what is left still tells it apart from
/// every path in `all`; else cut in the middle. Paths stay distinguishable: two
/// `skill_bonus` keys under different mechanisms keep their mechanism.
pub fn fit_path(s: &Scale, path: &str, all: &[String], max_w: u32) -> String {
    fit_in(&s.label_font(), path, all, max_w)
}

/// [`fit_path`] in a given font.
pub fn fit_in(font: &TextStyle, path: &str, all: &[String], max_w: u32) -> String {
    if text_width(font, path) <= max_w {
        return path.to_string();
    }
    let segs: Vec<&str> = path.split('.').collect();
    for drop in 1..segs.len() {
        let tail = segs[drop..].join(".");
        let unique = all
            .iter()
            .filter(|p| p.as_str() != path)
            .all(|p| !p.ends_with(&format!(".{tail}")) && p != &tail);
        if !unique {
            break;
        }
        let cand = format!("…{tail}");
        if text_width(font, &cand) <= max_w {
            return cand;
        }
    }
    // Cut the middle until it fits.
    let chars: Vec<char> = path.chars().collect();
    let mut keep = chars.len();
    while keep > 4 {
        keep -= 1;
        let head = keep / 3;
        let tail = keep - head;
        let cand: String = chars[..head]
            .iter()
            .chain(std::iter::once(&'…'))
            .chain(&chars[chars.len() - tail..])
            .collect();
        if text_width(font, &cand) <= max_w {
            return cand;
        }
    }
    path.chars().take(4).collect()
}

/// An axis label or title that fits `max_w` units: whole when it fits; else without its
/// trailing unit in parentheses; else a dotted path shortened by [`fit_in`]; else cut in
/// the middle.
pub fn fit_label(font: &TextStyle, text: &str, max_w: u32) -> String {
    if text_width(font, text) <= max_w {
        return text.to_string();
    }
    if let Some(i) = text.rfind(" (")
        && text.ends_with(')')
        && text_width(font, &text[..i]) <= max_w
    {
        return text[..i].to_string();
    }
    fit_in(font, text, &[], max_w)
}

/// What the axes of one panel show.
#[derive(Debug, Clone, Default)]
pub struct Axes {
    /// Panel title (drawn above the plot area), if any.
    pub title: Option<String>,
    /// X-axis label with unit.
    pub x_label: String,
    /// Y-axis label with unit.
    pub y_label: String,
    /// X data range.
    pub x: Range<f64>,
    /// Y data range.
    pub y: Range<f64>,
    /// Categorical x axis: label `i` sits at x = i.
    pub x_categories: Option<Vec<String>>,
    /// Categorical y axis: label `i` sits at y = n − 1 − i (first at the top).
    pub y_categories: Option<Vec<String>>,
    /// Texts the y tick-label area must also fit, so that stacked panels line up.
    pub y_fit: Vec<String>,
}

/// Sets up a panel on `area`: margins, axes, ticks, labels and a faint horizontal grid.
pub fn panel<'a, 'b>(area: &'a Area<'b>, s: &Scale, axes: &Axes) -> Result<Xy<'a, 'b>> {
    let tick_font = s.tick_font();
    let label_font = s.label_font();
    let text_w = |t: &str| {
        area.estimate_text_size(t, &tick_font)
            .map(|(w, _)| w)
            .unwrap_or(0)
    };
    let yfmt = tick_formatter(&axes.y);
    let xfmt = tick_formatter(&axes.x);
    let tick_w = match &axes.y_categories {
        Some(cats) => cats.iter().map(|c| text_w(c)).max().unwrap_or(0),
        None => [axes.y.start, axes.y.end, (axes.y.start + axes.y.end) / 2.0]
            .iter()
            .map(|v| text_w(&yfmt(v)))
            .max()
            .unwrap_or(0),
    }
    .max(axes.y_fit.iter().map(|t| text_w(t)).max().unwrap_or(0));
    let gap = s.upt(3.0);
    let line = s.line_height();
    let y_area = tick_w
        + 2 * gap
        + if axes.y_label.is_empty() {
            0
        } else {
            line + gap
        };
    let x_area = line
        + 2 * gap
        + if axes.x_label.is_empty() {
            0
        } else {
            line + gap
        };
    // Labels never leave their panel: a label too long for the room is shortened
    // ([`fit_label`]).
    let (aw, ah) = area.dim_in_pixel();
    let x_room = aw.saturating_sub(y_area + s.upt(10.0));
    let y_room =
        ah.saturating_sub(x_area + s.upt(7.0) + if axes.title.is_some() { 2 * line } else { 0 });
    let x_desc = fit_label(&label_font, &axes.x_label, x_room);
    let y_desc = fit_label(&label_font, &axes.y_label, y_room);
    let mut b = ChartBuilder::on(area);
    b.margin_top(s.upt(6.0))
        .margin_right(s.upt(8.0))
        .margin_left(s.upt(2.0))
        .margin_bottom(s.upt(1.0));
    b.x_label_area_size(x_area).y_label_area_size(y_area);
    if let Some(t) = &axes.title {
        let title_font = s.title_font();
        b.caption(
            fit_label(&title_font, t, aw.saturating_sub(s.upt(4.0))),
            title_font,
        );
    }
    let mut chart = b
        .build_cartesian_2d(axes.x.clone(), axes.y.clone())
        .map_err(de)?;
    let none = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(228, 228, 228).stroke_width(1))
        .axis_style(GREY.stroke_width(2))
        .label_style(tick_font.clone())
        .axis_desc_style(label_font.clone())
        .set_all_tick_mark_size(s.upt(3.0) as i32)
        // Tick count from the panel's own width, so that side-by-side panels do not crowd.
        .x_labels(
            ((area.dim_in_pixel().0 as f64 / UNITS_PER_IN) * 1.6)
                .round()
                .max(3.0) as usize,
        )
        .y_labels(5)
        .x_desc(x_desc)
        .y_desc(y_desc);
    if axes.x_categories.is_some() {
        mesh.x_labels(0).x_label_formatter(&none);
    } else {
        mesh.x_label_formatter(&xfmt);
    }
    if axes.y_categories.is_some() {
        mesh.y_labels(0).y_label_formatter(&none).disable_y_mesh();
    } else {
        mesh.y_label_formatter(&yfmt);
    }
    mesh.draw().map_err(de)?;
    let pos_left = Pos::new(HPos::Right, VPos::Center);
    if let Some(cats) = &axes.y_categories {
        let n = cats.len();
        let f = tick_font.clone().pos(pos_left);
        chart
            .draw_series(cats.iter().enumerate().map(|(i, c)| {
                EmptyElement::at((axes.x.start, (n - 1 - i) as f64))
                    + Text::new(c.clone(), (-(gap as i32), 0), f.clone())
            }))
            .map_err(de)?;
    }
    if let Some(cats) = &axes.x_categories {
        let f = tick_font.clone().pos(Pos::new(HPos::Center, VPos::Top));
        chart
            .draw_series(cats.iter().enumerate().map(|(i, c)| {
                EmptyElement::at((i as f64, axes.y.start))
                    + Text::new(c.clone(), (0, gap as i32), f.clone())
            }))
            .map_err(de)?;
    }
    Ok(chart)
}

/// Draws a vertical or horizontal reference line (e.g. zero) across the panel.
pub fn reference_line(
    chart: &mut Xy,
    vertical_at: Option<f64>,
    horizontal_at: Option<f64>,
) -> Result<()> {
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let style = GREY.stroke_width(2);
    if let Some(x) = vertical_at {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, yr.start), (x, yr.end)],
                style,
            )))
            .map_err(de)?;
    }
    if let Some(y) = horizontal_at {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(xr.start, y), (xr.end, y)],
                style,
            )))
            .map_err(de)?;
    }
    Ok(())
}

/// A 95% CI ribbon: a translucent band between `lo` and `hi` at each `x`. Points without a
/// finite interval break the band.
pub fn ribbon(chart: &mut Xy, style: SeriesStyle, pts: &[(f64, f64, f64)]) -> Result<()> {
    let fill = style.color.mix(0.18).filled();
    for run in pts.split(|(x, lo, hi)| !(x.is_finite() && lo.is_finite() && hi.is_finite())) {
        if run.len() < 2 {
            continue;
        }
        let mut poly: Vec<(f64, f64)> = run.iter().map(|&(x, lo, _)| (x, lo)).collect();
        poly.extend(run.iter().rev().map(|&(x, _, hi)| (x, hi)));
        chart
            .draw_series(std::iter::once(Polygon::new(poly, fill)))
            .map_err(de)?;
    }
    Ok(())
}

/// A line in the series' colour and dash, with about `n_markers` markers spread along it
/// (shifted by `phase` so markers of different series do not sit on top of each other).
/// Non-finite points break the line.
pub fn line(
    chart: &mut Xy,
    s: &Scale,
    style: SeriesStyle,
    pts: &[(f64, f64)],
    n_markers: usize,
    phase: usize,
) -> Result<()> {
    let stroke = ShapeStyle {
        color: style.color.to_rgba(),
        filled: false,
        stroke_width: s.upt(1.1),
    };
    for run in pts.split(|(x, y)| !(x.is_finite() && y.is_finite())) {
        let run = run.to_vec();
        match style.dash {
            Dash::Solid => chart.draw_series(LineSeries::new(run, stroke)).map(|_| ()),
            Dash::Dashed => chart
                .draw_series(DashedLineSeries::new(
                    run,
                    s.upt(4.0) as i32,
                    s.upt(2.0) as i32,
                    stroke,
                ))
                .map(|_| ()),
            Dash::Dotted => chart
                .draw_series(DashedLineSeries::new(
                    run,
                    s.upt(1.2) as i32,
                    s.upt(1.6) as i32,
                    stroke,
                ))
                .map(|_| ()),
        }
        .map_err(de)?;
    }
    let finite: Vec<(f64, f64)> = pts
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if finite.is_empty() || n_markers == 0 {
        return Ok(());
    }
    let step = (finite.len() / n_markers).max(1);
    let offset = (phase * step / 5.max(n_markers)) % step;
    let at: Vec<(f64, f64)> = finite.iter().skip(offset).step_by(step).copied().collect();
    markers(chart, s, style, &at)
}

/// Draws the series' marker at each point.
pub fn markers(chart: &mut Xy, s: &Scale, style: SeriesStyle, at: &[(f64, f64)]) -> Result<()> {
    let area = chart.plotting_area();
    for &p in at {
        let c = chart.backend_coord(&p);
        let (x0, y0) = area.get_base_pixel();
        draw_marker(&area.strip_coord_spec(), s, style, (c.0 - x0, c.1 - y0))?;
    }
    Ok(())
}

/// Draws one marker centred at `c` (in `area`'s own pixel coordinates).
pub fn draw_marker(area: &Area, s: &Scale, style: SeriesStyle, c: (i32, i32)) -> Result<()> {
    let r = s.upt(2.0) as i32;
    let col = style.color;
    let thin = ShapeStyle {
        color: col.to_rgba(),
        filled: false,
        stroke_width: s.upt(0.8),
    };
    match style.marker {
        Marker::Circle => area.draw(&Circle::new(c, r, col.filled())),
        Marker::Triangle => area.draw(&Polygon::new(
            vec![
                (c.0, c.1 - r - 1),
                (c.0 + r + 1, c.1 + r),
                (c.0 - r - 1, c.1 + r),
            ],
            col.filled(),
        )),
        Marker::Square => area.draw(&Rectangle::new(
            [(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)],
            thin,
        )),
        Marker::Cross => area
            .draw(&PathElement::new(
                vec![(c.0 - r, c.1 - r), (c.0 + r, c.1 + r)],
                thin,
            ))
            .and_then(|_| {
                area.draw(&PathElement::new(
                    vec![(c.0 - r, c.1 + r), (c.0 + r, c.1 - r)],
                    thin,
                ))
            }),
        Marker::Diamond => area.draw(&Polygon::new(
            vec![
                (c.0, c.1 - r - 1),
                (c.0 + r + 1, c.1),
                (c.0, c.1 + r + 1),
                (c.0 - r - 1, c.1),
            ],
            col.filled(),
        )),
    }
    .map_err(de)
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    /// The series name.
    pub label: String,
    /// Its look.
    pub style: SeriesStyle,
}

/// How a legend is laid out: columns, rows, item width and total height in units.
#[derive(Debug, Clone, Copy)]
pub struct LegendLayout {
    /// Entries per row.
    pub cols: u32,
    /// Number of rows.
    pub rows: u32,
    /// Width of one entry.
    pub item_w: u32,
    /// Height of the legend strip (0 without entries).
    pub height: u32,
}

/// Lays out `entries` in as many columns as fit in `width`.
pub fn legend_layout(s: &Scale, width: u32, entries: &[LegendEntry]) -> LegendLayout {
    if entries.is_empty() {
        return LegendLayout {
            cols: 1,
            rows: 0,
            item_w: 0,
            height: 0,
        };
    }
    let font = s.tick_font();
    let label_w = entries
        .iter()
        .map(|e| font.font.box_size(&e.label).map(|(w, _)| w).unwrap_or(0))
        .max()
        .unwrap_or(0);
    let gap = s.upt(4.0);
    let item_w = s.upt(20.0) + gap + label_w + 3 * gap;
    let cols = (width.saturating_sub(2 * gap) / item_w.max(1)).clamp(1, entries.len() as u32);
    let rows = (entries.len() as u32).div_ceil(cols);
    LegendLayout {
        cols,
        rows,
        item_w,
        height: rows * s.line_height() + 2 * gap,
    }
}

/// Splits off a legend strip below `area` (never over the data) and draws the legend there.
/// Returns the area left for the plot. No entries: nothing is split off.
pub fn with_legend<'b>(area: &Area<'b>, s: &Scale, entries: &[LegendEntry]) -> Result<Area<'b>> {
    if entries.is_empty() {
        return Ok(area.clone());
    }
    let font = s.tick_font();
    let swatch = s.upt(20.0);
    let gap = s.upt(4.0);
    let (w, h) = area.dim_in_pixel();
    let LegendLayout {
        cols,
        item_w,
        height,
        ..
    } = legend_layout(s, w, entries);
    let lh = s.line_height();
    let (plot, legend) = area.split_vertically(h.saturating_sub(height));
    let x_start = (w.saturating_sub(cols * item_w)) / 2;
    for (i, e) in entries.iter().enumerate() {
        let (col, row) = (i as u32 % cols, i as u32 / cols);
        let x = (x_start + col * item_w) as i32;
        let y = (gap + row * lh + lh / 2) as i32;
        let stroke = ShapeStyle {
            color: e.style.color.to_rgba(),
            filled: false,
            stroke_width: s.upt(1.1),
        };
        let x1 = x + swatch as i32;
        let (on, off) = match e.style.dash {
            Dash::Solid => (swatch, 0),
            Dash::Dashed => (s.upt(4.0), s.upt(2.0)),
            Dash::Dotted => (s.upt(1.2), s.upt(1.6)),
        };
        let mut a = x;
        while a < x1 {
            let b = (a + on as i32).min(x1);
            legend
                .draw(&PathElement::new(vec![(a, y), (b, y)], stroke))
                .map_err(de)?;
            a = b + off as i32;
        }
        draw_marker(&legend, s, e.style, ((x + x1) / 2, y))?;
        legend
            .draw(&Text::new(
                e.label.clone(),
                (x1 + gap as i32, y),
                font.clone().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(de)?;
    }
    Ok(plot)
}

/// Draws the contents of one panel once its axes are set up.
pub type DrawFn<'f> = Box<dyn for<'a, 'b> Fn(&mut Xy<'a, 'b>, &Scale) -> Result<()> + 'f>;

/// One panel of a figure: its axes and what to draw in them.
pub struct Panel<'f> {
    /// Axes of the panel.
    pub axes: Axes,
    /// Draws the data.
    pub draw: DrawFn<'f>,
}

/// A whole figure: panels in a grid of `cols` columns, each `panel_h` units tall, with the
/// legend (if any) in a strip below them. Returns the SVG text.
pub fn grid_figure(
    s: &Scale,
    panels: Vec<Panel>,
    cols: usize,
    panel_h: u32,
    legend: &[LegendEntry],
) -> Result<String> {
    let cols = cols.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(cols).max(1);
    let lay = legend_layout(s, s.width, legend);
    let height = rows as u32 * panel_h + lay.height;
    svg_document(s.width, height, |root| {
        let plot = with_legend(root, s, legend)?;
        let cells = plot.split_evenly((rows, cols));
        for (p, cell) in panels.iter().zip(cells.iter()) {
            let mut chart = panel(cell, s, &p.axes)?;
            (p.draw)(&mut chart, s)?;
        }
        Ok(())
    })
}

/// Height of a panel with a categorical y axis of `n` rows.
pub fn category_panel_height(s: &Scale, n: usize) -> u32 {
    let row = (s.line_height() as f64 * 1.35) as u32;
    n as u32 * row + 3 * s.line_height() + s.upt(14.0)
}

/// A dot (at `v`) with a whisker from `lo` to `hi`, on categorical row `y`.
pub fn dot_whisker(
    chart: &mut Xy,
    s: &Scale,
    style: SeriesStyle,
    y: f64,
    v: f64,
    lo: f64,
    hi: f64,
) -> Result<()> {
    let stroke = ShapeStyle {
        color: style.color.to_rgba(),
        filled: false,
        stroke_width: s.upt(1.0),
    };
    if lo.is_finite() && hi.is_finite() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(lo, y), (hi, y)],
                stroke,
            )))
            .map_err(de)?;
        let cap = 0.18;
        for x in [lo, hi] {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x, y - cap), (x, y + cap)],
                    stroke,
                )))
                .map_err(de)?;
        }
    }
    if v.is_finite() {
        markers(chart, s, style, &[(v, y)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paths_fit_and_stay_distinct() {
        let s = Scale::new(&crate::plot::PlotConfig::default());
        let all = vec![
            "mechanisms.three_society.skill_bonus".to_string(),
            "mechanisms.deliberation.skill_bonus".to_string(),
        ];
        let wide = fit_path(&s, &all[0], &all, 10_000);
        assert_eq!(wide, all[0]);
        let max = text_width(&s.label_font(), "three_society.skill_bonus") + 40;
        let a = fit_path(&s, &all[0], &all, max);
        let b = fit_path(&s, &all[1], &all, max);
        assert_ne!(a, b);
        assert!(
            a.contains("three_society") && a.ends_with("skill_bonus"),
            "{a}"
        );
        assert!(text_width(&s.label_font(), &a) <= max);
        let tiny = fit_path(&s, &all[0], &all, 60);
        assert!(
            text_width(&s.label_font(), &tiny) <= 60 || tiny.chars().count() <= 4,
            "{tiny}"
        );
    }

    #[test]
    fn ticks_are_short_and_readable() {
        let f = tick_formatter(&(0.0..1.0));
        assert_eq!(f(&0.5), "0.5");
        assert_eq!(f(&-0.0), "0");
        let f = tick_formatter(&(0.0..2e6));
        assert_eq!(f(&1_500_000.0), "1.5M");
        let f = tick_formatter(&(0.0..14_000.0));
        assert_eq!(f(&2_000.0), "2k");
        assert_eq!(f(&12_000.0), "12k");
        assert_eq!(padded(1.0, 1.0, 0.05), 0.9..1.1);
        assert_eq!(padded(0.0, 0.0, 0.05), -0.05..1.0);
        assert_eq!(extent([f64::NAN, 2.0, -1.0]), Some((-1.0, 2.0)));
    }
}
