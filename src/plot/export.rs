//! Writing a figure as SVG (text kept as text), PDF (vector, krilla) and PNG (resvg, with
//! the resolution in the pHYs chunk). PDF and PNG use the embedded font database only.

use std::path::{Path, PathBuf};

use resvg::{tiny_skia, usvg};

use super::Figure;
use super::config::{Format, PlotConfig};
use super::fonts;
use crate::{Error, Result};

/// Parses SVG text with the embedded fonts.
pub fn parse_svg(svg: &str) -> Result<usvg::Tree> {
    let opt = usvg::Options {
        fontdb: fonts::database(),
        font_family: fonts::FAMILY.into(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &opt).map_err(|e| {
        Error::io(
            "figure.svg",
            std::io::Error::other(format!("SVG did not parse: {e}")),
        )
    })
}

/// Converts SVG text to PDF bytes with krilla; 1 SVG px = 1/96 in, as in CSS. Text stays
/// text (the embedded fonts, subset). krilla writes objects in the order they are drawn,
/// so the same figure gives the same bytes (svg2pdf 0.13 wrote a figure with two fonts,
/// a bold title, in hash-map order).
pub fn to_pdf(tree: &usvg::Tree) -> Result<Vec<u8>> {
    use krilla::geom::Size;
    use krilla_svg::{SurfaceExt, SvgSettings};
    let fail = |m: String| Error::io("figure.pdf", std::io::Error::other(m));
    let pt = |px: f32| px * 72.0 / 96.0;
    let size = Size::from_wh(pt(tree.size().width()), pt(tree.size().height()))
        .ok_or_else(|| fail("the figure has no area".into()))?;
    let mut doc = krilla::Document::new();
    let mut page = doc.start_page_with(krilla::page::PageSettings::new(size));
    let mut surface = page.surface();
    surface
        .draw_svg(tree, size, SvgSettings::default())
        .ok_or_else(|| fail("PDF conversion failed".into()))?;
    surface.finish();
    page.finish();
    doc.finish()
        .map_err(|e| fail(format!("PDF conversion failed: {e:?}")))
}

/// Renders the SVG at `dpi` on white and encodes it as PNG with a pHYs chunk.
pub fn to_png(tree: &usvg::Tree, dpi: u32) -> Result<Vec<u8>> {
    let scale = dpi as f32 / 96.0;
    let (w, h) = (
        (tree.size().width() * scale).round() as u32,
        (tree.size().height() * scale).round() as u32,
    );
    let fail = |m: String| Error::io("figure.png", std::io::Error::other(m));
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| fail(format!("cannot allocate a {w}×{h} image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque white background: premultiplied equals straight RGBA, so no demultiplying.
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let ppm = (dpi as f64 / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut wr = enc.write_header().map_err(|e| fail(e.to_string()))?;
        wr.write_image_data(pixmap.data())
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(out)
}

/// Writes `fig` into `dir` in each configured format; returns the files written.
pub fn write(fig: &Figure, dir: &Path, cfg: &PlotConfig) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let tree = if cfg.formats.iter().any(|f| *f != Format::Svg) {
        Some(parse_svg(&fig.svg)?)
    } else {
        None
    };
    for &f in &cfg.formats {
        let path = dir.join(format!("{}.{}", fig.name, f.ext()));
        let bytes = match (f, &tree) {
            (Format::Svg, _) => fig.svg.as_bytes().to_vec(),
            (Format::Pdf, Some(t)) => to_pdf(t)?,
            (Format::Png, Some(t)) => to_png(t, cfg.dpi)?,
            (_, None) => continue,
        };
        crate::output::write_atomic(&path, |w| w.write_all(&bytes))?;
        files.push(path);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure with many resources: each group with its own opacity becomes an XObject
    /// and a graphics state.
    fn busy_svg() -> String {
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200">"#,
        );
        for k in 0..40 {
            svg.push_str(&format!(
                r#"<g opacity="0.{o}"><rect x="{x}" y="{y}" width="9" height="9" fill="rgb({k},80,160)"/></g>"#,
                o = 1 + k % 9,
                x = (k % 8) * 20,
                y = (k / 8) * 20,
            ));
        }
        svg.push_str("</svg>");
        svg
    }

    #[test]
    fn a_two_font_figure_converts_to_the_same_pdf_bytes_every_time() {
        // A bold title and regular text: two fonts, the case svg2pdf 0.13 wrote in
        // hash-map order.
        let svg = busy_svg().replace(
            "</svg>",
            r#"<text x="10" y="190" font-family="DejaVu Sans" font-weight="bold">Title</text><text x="10" y="170" font-family="DejaVu Sans">label 0.5</text></svg>"#,
        );
        let tree = parse_svg(&svg).unwrap();
        let first = to_pdf(&tree).unwrap();
        let text = String::from_utf8_lossy(&first);
        assert!(text.contains("DejaVuSans-Bold") && text.contains("DejaVuSans"));
        for _ in 0..8 {
            assert!(to_pdf(&tree).unwrap() == first, "PDF bytes differ");
        }
    }

    #[test]
    fn the_pdf_page_has_the_figure_size_in_points() {
        // 200 px at 96 px per inch = 150 pt.
        let pdf = to_pdf(&parse_svg(&busy_svg()).unwrap()).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/MediaBox[0 0 150 150]"));
    }
}
