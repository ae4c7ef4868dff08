//! Fixes cogov's own commit at build time, so that a manifest records the code that ran,
//! never the repository a user happens to run cogov from. Without git, or when the source
//! is not the top of a git work tree (a packaged crate, a vendored copy inside another
//! repository), the commit is `unknown`.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=src");
    // Only the repository whose top level is this crate counts.
    let top = git(&dir, &["rev-parse", "--show-toplevel"]).map(std::path::PathBuf::from);
    let ours = match (&top, dir.canonicalize()) {
        (Some(t), Ok(d)) => t.canonicalize().is_ok_and(|t| t == d),
        _ => false,
    };
    let commit = if ours {
        git(&dir, &["rev-parse", "HEAD"])
    } else {
        None
    };
    let dirty = match &commit {
        Some(_) => git(&dir, &["status", "--porcelain", "--untracked-files=no"])
            .map(|s| if s.is_empty() { "false" } else { "true" }),
        None => None,
    };
    if ours {
        if let Some(g) = git(&dir, &["rev-parse", "--absolute-git-dir"]) {
            println!("cargo:rerun-if-changed={g}/HEAD");
            println!("cargo:rerun-if-changed={g}/index");
        }
        if let Some(c) = git(
            &dir,
            &["rev-parse", "--path-format=absolute", "--git-common-dir"],
        ) {
            println!("cargo:rerun-if-changed={c}/refs");
            println!("cargo:rerun-if-changed={c}/packed-refs");
        }
    }
    println!(
        "cargo:rustc-env=COGOV_GIT_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
    println!(
        "cargo:rustc-env=COGOV_GIT_DIRTY={}",
        dirty.unwrap_or("unknown")
    );
}
