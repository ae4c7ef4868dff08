//! Writing a figure as SVG (text kept as text), PDF (vector, svg2pdf) and PNG (resvg, with
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

/// Converts SVG text to PDF bytes; 1 SVG px = 1/96 in, as in CSS.
pub fn to_pdf(tree: &usvg::Tree) -> Result<Vec<u8>> {
    svg2pdf::to_pdf(
        tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| {
        Error::io(
            "figure.pdf",
            std::io::Error::other(format!("PDF conversion failed: {e}")),
        )
    })
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
