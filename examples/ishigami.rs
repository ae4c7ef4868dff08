//! Prints the Ishigami validation as JSON: `cargo run --example ishigami -- [n] [seed]`.
//! (Until `cogov verify ishigami` exists.)

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n = args.next().map(|s| s.parse()).transpose()?.unwrap_or(8192);
    let seed = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    let sobol = cogov::sensitivity::ishigami::run_sobol(n, seed)?;
    let morris = cogov::sensitivity::ishigami::run_morris(50, 4, seed)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "sobol": sobol, "morris": morris }))?
    );
    Ok(())
}
