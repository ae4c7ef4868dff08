//! What the binary carries: the page with its scripts, styles and the vendored uPlot
//! (`assets/`), and the shipped scenarios (`scenarios/`). Both are embedded at build time,
//! so the server works offline and no request path ever reaches the disk: a path is only a
//! key into these tables.

use rust_embed::RustEmbed;

use crate::scenario::Scenario;

#[derive(RustEmbed)]
#[folder = "src/serve/assets/"]
struct Assets;

#[derive(RustEmbed)]
#[folder = "scenarios/"]
struct Scenarios;

/// An embedded asset's bytes and content type, by its path under `assets/`.
pub fn asset(path: &str) -> Option<(Vec<u8>, &'static str)> {
    let file = Assets::get(path)?;
    let kind = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "text/plain; charset=utf-8",
    };
    Some((file.data.into_owned(), kind))
}

/// A shipped scenario as it loads (the name is the file's stem).
#[derive(Debug, Clone)]
pub struct Shipped {
    /// File stem, e.g. `shangcheng`.
    pub name: String,
    /// The file's text.
    pub text: String,
    /// The validated scenario.
    pub scenario: Scenario,
}

/// Every shipped scenario, by name. A file that fails to load is left out (the tests load
/// every one).
pub fn shipped() -> Vec<Shipped> {
    let mut out: Vec<Shipped> = Scenarios::iter()
        // The top level only: scenarios/patterns/ are `cogov validate`'s designs.
        .filter(|file| !file.contains('/'))
        .filter_map(|file| {
            let name = file.strip_suffix(".toml")?.to_string();
            let data = Scenarios::get(&file)?;
            let text = String::from_utf8(data.data.into_owned()).ok()?;
            let scenario = Scenario::from_toml(&text, &format!("scenarios/{file}")).ok()?;
            Some(Shipped {
                name,
                text,
                scenario,
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_file_is_shipped_and_loads() {
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_suffix(".toml").map(str::to_string)
            })
            .count();
        assert_eq!(shipped().len(), on_disk);
        assert!(shipped().iter().any(|s| s.name == "shangcheng"));
    }

    #[test]
    fn assets_are_embedded_with_their_types() {
        let (page, kind) = asset("index.html").unwrap();
        assert!(kind.starts_with("text/html"));
        assert!(String::from_utf8(page).unwrap().contains("uPlot"));
        assert!(asset("vendor/uplot/uPlot.iife.min.js").is_some());
        assert!(asset("vendor/uplot/LICENSE").is_some());
        assert!(asset("../Cargo.toml").is_none());
        assert!(asset("/etc/passwd").is_none());
    }
}
