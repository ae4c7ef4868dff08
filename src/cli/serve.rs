//! `cogov serve [SCENARIO]`: live exploration in the browser (see `crate::serve`).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

use crate::serve::{self, Limits, Options, setup::Setup};

/// Arguments of `cogov serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  cogov serve                               the Shangcheng default at http://127.0.0.1:8765/
  cogov serve scenarios/all_on.toml --port 9000
  cogov serve --host 0.0.0.0                reachable from other machines: prints a URL with a token")]
pub struct Args {
    /// Scenario each new tab loads (default: the shipped `shangcheng`); tabs can load any
    /// shipped scenario or upload one.
    pub scenario: Option<PathBuf>,
    /// Port (0: any free port).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Address to listen on. Anything but a loopback address makes every request need the
    /// token printed at start-up.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Sessions (browser tabs) at once.
    #[arg(long, default_value_t = 4)]
    pub max_sessions: usize,
    /// Residents one session may simulate at once, over all its worlds (replicates × arms).
    #[arg(long, default_value_t = 3_400_000)]
    pub max_residents: u64,
    /// Replicates per arm a session may run.
    #[arg(long, default_value_t = 20)]
    pub max_replicates: u32,
    /// A tab's session is freed this many seconds after its page closes.
    #[arg(long, default_value_t = 10)]
    pub session_timeout: u64,
}

/// Largest request body (an uploaded scenario is a few kilobytes).
const BODY_BYTES: usize = 1 << 20;

/// Loads the default scenario, binds, prints the URL and serves until interrupted.
pub fn run(args: &Args) -> anyhow::Result<()> {
    let default = match &args.scenario {
        Some(path) => {
            let s = super::run::load_checked(path)?;
            let label = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| path.display().to_string());
            Setup::new(label, s)
        }
        None => {
            let shipped = serve::assets::shipped();
            let s = shipped
                .into_iter()
                .find(|s| s.name == "shangcheng")
                .context("the shipped scenario shangcheng is missing from this build")?;
            Setup::new(s.name, s.scenario)
        }
    };
    let ip: IpAddr = match args.host.as_str() {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        h => h.parse().map_err(|_| {
            crate::Error::input(format!(
                "--host {h}: not an IP address; use e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"
            ))
        })?,
    };
    if args.max_sessions == 0 || args.max_replicates == 0 || args.max_residents == 0 {
        return Err(crate::Error::input(
            "--max-sessions, --max-residents and --max-replicates must be at least 1",
        )
        .into());
    }
    let opts = Options {
        addr: SocketAddr::new(ip, args.port),
        default,
        limits: Limits {
            max_sessions: args.max_sessions,
            max_residents: args.max_residents,
            max_replicates: args.max_replicates,
            body_bytes: BODY_BYTES,
            session_timeout: Duration::from_secs(args.session_timeout),
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        let server = serve::Server::bind(opts).await?;
        if !server.addr.ip().is_loopback() {
            eprintln!(
                "warning: listening on {}, reachable from other machines. Every request needs the token in the URL below; anyone with it can run simulations here. Use --host 127.0.0.1 to stay local.",
                server.addr
            );
        }
        println!("cogov serve: {}", server.url());
        let _ = std::io::stdout().flush();
        server.run().await
    })?;
    Ok(())
}
