//! Writes a synthetic experiment directory: `cargo run --example plot_fixture -- DIR [sweep]`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("/tmp/cogov_fixture"),
    );
    let mut spec = cogov::plot::fixture::Spec {
        sensitivity: true,
        ..Default::default()
    };
    match args.get(2).map(String::as_str) {
        Some("sweep1") => {
            spec.sweep = vec![(
                "mechanisms.grid.patrol_probability".into(),
                vec![0.1, 0.2, 0.4, 0.8],
            )]
        }
        Some("sweep2") => {
            spec.sweep = vec![
                (
                    "mechanisms.grid.patrol_probability".into(),
                    vec![0.1, 0.2, 0.4],
                ),
                ("residents.threshold_mean".into(), vec![0.2, 0.3, 0.4, 0.5]),
            ];
            spec.policies = 3;
            spec.replicates = 5;
            spec.every = 30;
        }
        Some("run") => return Ok(cogov::plot::fixture::write_run(&dir, 1095, 1)?),
        _ => {}
    }
    cogov::plot::fixture::write_experiment(&dir, &spec)?;
    Ok(())
}
