//! The one font every figure uses: DejaVu Sans, embedded from the `dejavu` crate, so that no
//! figure depends on the fonts installed on the machine that draws or renders it.

use std::sync::{Arc, OnceLock};

use plotters::style::FontStyle;
use resvg::usvg::fontdb;

use crate::{Error, Result};

/// The family name written into SVG `font-family` attributes (DejaVu Sans's own name, so
/// fontdb matches it when rendering PDF and PNG).
pub const FAMILY: &str = "DejaVu Sans";

/// Registers DejaVu Sans (regular and bold) with plotters' ab_glyph text backend, once per
/// process; plotters uses it to measure labels for layout.
pub fn register() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && plotters::style::register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            "the embedded DejaVu Sans font could not be registered",
        ))
    }
}

/// A font database holding only the embedded DejaVu Sans faces (no system fonts), shared
/// by the PDF and PNG renderers. `sans-serif` maps to DejaVu Sans too.
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_font_registers_and_loads() {
        register().unwrap();
        let db = database();
        assert_eq!(db.len(), 2);
        assert!(
            db.faces()
                .all(|f| f.families.iter().any(|(name, _)| name == FAMILY))
        );
    }
}
