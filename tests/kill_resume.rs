//! An experiment killed with SIGKILL at five different moments (after k finished runs,
//! found by polling the parts folder) and then resumed with `--resume` produces final CSVs
//! byte-identical to an uninterrupted run; a killed experiment's manifest never says
//! complete.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{EXPERIMENT_FILES, TINY_WORLD, cogov, tmp};

const RUNS: usize = 16;

fn scenario() -> String {
    [
        "name = \"killed\"\nticks = 120\n",
        TINY_WORLD,
        r#"[experiment]
replicates = 4
seed = 9
record_every = 10
[[policy]]
name = "off"
[[policy]]
name = "on"
set = { "mechanisms.grid.enabled" = true, "mechanisms.online.enabled" = true }
[sweep]
"init.seed_active_share" = [0.01, 0.05]
"#,
    ]
    .concat()
}

fn done_count(out: &Path) -> usize {
    std::fs::read_dir(out.join("parts"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".done"))
                .count()
        })
        .unwrap_or(0)
}

fn run(s: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "experiment",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
    ];
    args.extend(extra);
    let o = cogov(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn sigkill_then_resume_is_byte_identical() {
    let d = tmp("kill");
    let s = d.join("s.toml");
    std::fs::write(&s, scenario()).unwrap();
    let reference = d.join("reference");
    run(&s, &reference, &["-j", "1"]);
    for k in [0, 1, 3, 7, 12] {
        let out = d.join(format!("killed_after_{k}"));
        let mut child = common::bin()
            .args([
                "experiment",
                s.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--no-plot",
                "-j",
                "1",
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        while !(out.join("parts").is_dir() && done_count(&out) >= k) {
            assert!(Instant::now() < deadline, "k = {k}: never reached");
            std::thread::sleep(Duration::from_millis(1));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap_or_default();
        let killed = done_count(&out);
        assert!(killed < RUNS, "k = {k}: finished before the kill");
        assert!(
            !manifest.contains("\"complete\": true"),
            "k = {k}: killed, yet complete:\n{manifest}"
        );
        for f in EXPERIMENT_FILES {
            assert!(!out.join(f).exists(), "k = {k}: {f} exists after a kill");
        }
        run(&s, &out, &["--resume", "-j", "2"]);
        let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(manifest.contains("\"complete\": true"), "{manifest}");
        for f in EXPERIMENT_FILES {
            let want = std::fs::read(reference.join(f)).unwrap();
            let got = std::fs::read(out.join(f)).unwrap();
            assert!(want == got, "k = {k}: {f} differs after kill and resume");
        }
        let litter: Vec<_> = std::fs::read_dir(out.join("parts"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(
            litter.is_empty(),
            "k = {k}: temporary files left: {litter:?}"
        );
    }
    std::fs::remove_dir_all(&d).unwrap();
}
