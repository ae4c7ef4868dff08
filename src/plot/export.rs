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

/// Converts SVG text to PDF bytes; 1 SVG px = 1/96 in, as in CSS. Resource dictionaries
/// come out in one order (`sort_resource_entries`); a figure with two fonts (a bold
/// title) can still differ between conversions in the order and numbering of its font
/// objects, which svg2pdf 0.13 writes from a hash map (SVG and PNG are byte-stable).
pub fn to_pdf(tree: &usvg::Tree) -> Result<Vec<u8>> {
    let mut pdf = svg2pdf::to_pdf(
        tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| {
        Error::io(
            "figure.pdf",
            std::io::Error::other(format!("PDF conversion failed: {e}")),
        )
    })?;
    sort_resource_entries(&mut pdf);
    Ok(pdf)
}

/// Sorts the entries of every resource dictionary in `pdf`. svg2pdf 0.13 writes them in
/// hash-map order, which changes from one conversion to the next, so the same figure came
/// out as different bytes (a figure with one font is now byte-stable). pdf-writer puts
/// each entry on a line of its own (`/xo3 14 0 R`) between a line ending in `<<` and a
/// line `>>`; sorting those lines in place keeps every object's length, so the
/// cross-reference table's offsets stay right. Lines that are not all such entries are
/// left as they are.
fn sort_resource_entries(pdf: &mut [u8]) {
    const OPEN: &[u8] = b"/Resources <<\n";
    let is_entry = |line: &[u8]| {
        let t = line.trim_ascii_start();
        t.starts_with(b"/") && t.ends_with(b" 0 R") && !t.contains(&b'<')
    };
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], OPEN) {
        let mut pos = at + found + OPEN.len();
        // The sub-dictionaries (/XObject, /ExtGState, /Pattern, /Font, ...) until `>>`.
        while let Some(end) = line_end(pdf, pos) {
            let line = &pdf[pos..end];
            if !line.ends_with(b"<<") {
                break;
            }
            let first = end + 1;
            let mut last = first;
            while let Some(e) = line_end(pdf, last) {
                if !is_entry(&pdf[last..e]) {
                    break;
                }
                last = e + 1;
            }
            let mut entries: Vec<Vec<u8>> = pdf[first..last]
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            entries.sort();
            pdf[first..last].copy_from_slice(&entries.concat());
            // Past this sub-dictionary's closing `>>`.
            match line_end(pdf, last) {
                Some(e) if pdf[last..e].trim_ascii() == b">>" => pos = e + 1,
                _ => break,
            }
        }
        at = pos;
    }
}

/// The index of the first `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The end (the newline's index) of the line starting at `from`.
fn line_end(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'\n')
        .map(|k| from + k)
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
    fn a_one_font_figure_converts_to_the_same_pdf_bytes_every_time() {
        let tree = parse_svg(&busy_svg()).unwrap();
        let first = to_pdf(&tree).unwrap();
        for _ in 0..8 {
            assert!(to_pdf(&tree).unwrap() == first, "PDF bytes differ");
        }
    }

    #[test]
    fn sorting_keeps_every_cross_reference_on_its_object() {
        let pdf = to_pdf(&parse_svg(&busy_svg()).unwrap()).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("/XObject <<"),
            "the figure has resources to sort"
        );
        let xref = text.rfind("\nxref\n").expect("a cross-reference table") + 6;
        let mut lines = text[xref..].lines();
        let count: usize = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let mut checked = 0;
        for (id, entry) in lines.take(count).enumerate() {
            if entry.ends_with(" n") {
                let offset: usize = entry[..10].parse().unwrap();
                assert!(
                    pdf[offset..].starts_with(format!("{id} 0 obj").as_bytes()),
                    "object {id} is not at {offset}"
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked} objects");
    }

    #[test]
    fn only_whole_runs_of_entries_are_sorted() {
        let mut pdf = b"1 0 obj\n<<\n  /Resources <<\n    /XObject <<\n      /xo2 5 0 R\n      /xo1 4 0 R\n    >>\n    /ExtGState <<\n      /gs2 7 0 R\n      /gs1 6 0 R\n    >>\n  >>\n  /Kids [3 0 R 2 0 R]\n>>\n".to_vec();
        sort_resource_entries(&mut pdf);
        assert_eq!(
            String::from_utf8(pdf).unwrap(),
            "1 0 obj\n<<\n  /Resources <<\n    /XObject <<\n      /xo1 4 0 R\n      /xo2 5 0 R\n    >>\n    /ExtGState <<\n      /gs1 6 0 R\n      /gs2 7 0 R\n    >>\n  >>\n  /Kids [3 0 R 2 0 R]\n>>\n"
        );
    }
}
