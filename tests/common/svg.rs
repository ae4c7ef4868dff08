//! Reading figures back for structural checks: texts with their laid-out boxes (usvg, with
//! the same embedded fonts the figures use), axis lines, polygons and circles (roxmltree).
#![allow(dead_code)]

use cogov::plot::export::parse_svg;
use resvg::usvg;

/// A text of the figure with its box in the canvas's coordinates.
#[derive(Debug, Clone)]
pub struct TextBox {
    pub text: String,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl TextBox {
    pub fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    pub fn overlaps(&self, o: &TextBox) -> bool {
        // A pixel of tolerance: boxes that merely touch do not overlap.
        self.x0 + 1.0 < o.x1 && o.x0 + 1.0 < self.x1 && self.y0 + 1.0 < o.y1 && o.y0 + 1.0 < self.y1
    }
}

/// The canvas size of an SVG in its own units (its viewBox), as the raw points are.
pub fn canvas(svg: &str) -> (f32, f32) {
    let doc = roxmltree::Document::parse(svg).expect("SVG is XML");
    let vb: Vec<f32> = doc
        .root_element()
        .attribute("viewBox")
        .expect("a viewBox")
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    (vb[2], vb[3])
}

/// Every text with its laid-out box, in viewBox units.
pub fn texts(svg: &str) -> Vec<TextBox> {
    let tree = parse_svg(svg).expect("SVG parses");
    // usvg lays out in the document's physical size; scale back to viewBox units.
    let k = canvas(svg).0 / tree.size().width();
    let mut out = Vec::new();
    walk(tree.root(), &mut out);
    for t in &mut out {
        t.x0 *= k;
        t.x1 *= k;
        t.y0 *= k;
        t.y1 *= k;
    }
    return out;
    fn walk(g: &usvg::Group, out: &mut Vec<TextBox>) {
        for n in g.children() {
            match n {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    out.push(TextBox {
                        text: t
                            .chunks()
                            .iter()
                            .map(|c| c.text())
                            .collect::<String>()
                            .trim()
                            .to_string(),
                        x0: b.left(),
                        y0: b.top(),
                        x1: b.right(),
                        y1: b.bottom(),
                    });
                }
                _ => {}
            }
        }
    }
}

/// Points of every `<polyline>` and `<polygon>` with the given attribute value.
fn shapes(svg: &str, tag: &str, attr: &str, value: Option<&str>) -> Vec<Vec<(f32, f32)>> {
    let doc = roxmltree::Document::parse(svg).expect("SVG is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter(|n| value.is_none_or(|v| n.attribute(attr) == Some(v)))
        .map(|n| {
            n.attribute("points")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

/// Polylines (lines of series, axes, ticks).
pub fn polylines(svg: &str) -> Vec<Vec<(f32, f32)>> {
    shapes(svg, "polyline", "", None)
}

/// Translucent filled polygons: the CI bands (`opacity="0.18"`).
pub fn bands(svg: &str) -> Vec<Vec<(f32, f32)>> {
    shapes(svg, "polygon", "opacity", Some("0.18"))
}

/// Vertical axis lines (grey, longer than 40 units): (x, top, bottom), one per panel.
pub fn y_axes(svg: &str) -> Vec<(f32, f32, f32)> {
    shapes(svg, "polyline", "stroke", Some("#787878"))
        .into_iter()
        .filter(|p| p.len() == 2 && p[0].0 == p[1].0 && (p[1].1 - p[0].1).abs() > 40.0)
        .map(|p| (p[0].0, p[0].1.min(p[1].1), p[0].1.max(p[1].1)))
        .collect()
}

/// Number of `<circle>` elements.
pub fn circles(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("SVG is XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("circle"))
        .count()
}

/// Asserts that every text lies inside the canvas.
pub fn assert_texts_inside(svg: &str, name: &str) {
    let (w, h) = canvas(svg);
    for t in texts(svg) {
        assert!(
            t.x0 >= -1.0 && t.y0 >= -1.0 && t.x1 <= w + 1.0 && t.y1 <= h + 1.0,
            "{name}: `{}` leaves the {w}×{h} canvas: {t:?}",
            t.text
        );
    }
}
