//! Speed of `cogov serve` while a page streams (issue 15's targets), against the engines
//! alone:
//!
//! - `all_on_40k_5x2`: `scenarios/all_on.toml` (40,000 residents, every mechanism on), 5
//!   replicates per arm against the baseline: 10 worlds in lockstep. Target: ≥ 50 ticks/s
//!   while streaming.
//! - `shangcheng_340k_1`: `scenarios/shangcheng.toml` (340,000 residents), one world, no
//!   reference. Target: ≥ 60 ticks/s while streaming.
//!
//! `engines` steps the worlds in lockstep with nothing else (the model's own speed);
//! `session_streaming` runs a real server in this process, opens the session's event stream
//! on a client thread that reads everything it is sent, and times `step` commands until
//! the session reports the tick done. Throughput is in ticks per second ("elem/s"). Both
//! start after the scenario's warm-up, from the first recorded day.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cogov::engine::Engine;
use cogov::observer::Observer;
use cogov::scenario::Scenario;
use cogov::serve::session::{Session, State};
use cogov::serve::setup::{Reference, Setup};
use cogov::serve::{Limits, Options, Server};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// Long enough that no measurement reaches the horizon.
const TICKS: u32 = 20_000;

struct Case {
    name: &'static str,
    file: &'static str,
    replicates: u32,
    reference: Reference,
}

const CASES: &[Case] = &[
    Case {
        name: "all_on_40k_5x2",
        file: "scenarios/all_on.toml",
        replicates: 5,
        reference: Reference::Baseline,
    },
    Case {
        name: "shangcheng_340k_1",
        file: "scenarios/shangcheng.toml",
        replicates: 1,
        reference: Reference::None,
    },
];

fn setup(case: &Case) -> Setup {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(case.file);
    let loaded = Scenario::load(&path).expect("shipped scenario loads");
    let mut s = Setup::new(case.name.into(), loaded);
    s.replicates = case.replicates;
    s.reference = case.reference;
    s.world
        .insert("ticks".into(), toml::Value::Integer(TICKS as i64));
    s
}

/// The worlds of a case, past the warm-up, stepped like a session steps them.
fn engines(case: &Case) -> (Vec<Engine>, Vec<Observer>) {
    let s = setup(case);
    let explored = Arc::new(s.explored().unwrap());
    let mut specs: Vec<Arc<Scenario>> = vec![explored.clone(); s.replicates as usize];
    if let Some(r) = s.reference().unwrap() {
        let r = Arc::new(r);
        specs.extend((0..s.replicates).map(|_| r.clone()));
    }
    let seeds = s.seeds();
    let mut engines: Vec<Engine> = specs
        .par_iter()
        .enumerate()
        .map(|(i, sc)| cogov::mechanisms::engine(sc.clone(), seeds[i % seeds.len()]))
        .collect();
    let warmup = explored.init.warmup;
    let mut observers: Vec<Observer> = engines.iter().map(|_| Observer::new(1, warmup)).collect();
    for _ in 0..warmup {
        step(&mut engines, &mut observers);
    }
    (engines, observers)
}

fn step(engines: &mut [Engine], observers: &mut [Observer]) {
    engines
        .par_iter_mut()
        .zip(observers.par_iter_mut())
        .with_max_len(1)
        .for_each(|(e, o)| e.step(o));
}

fn http(port: u16, method: &str, path: &str, body: &str) -> String {
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        t,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    t.read_to_string(&mut out).unwrap();
    out.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default()
}

/// A server in this process with one session of `case`, past the warm-up, and a client
/// thread reading its event stream until `stop`.
struct Live {
    port: u16,
    id: String,
    session: Arc<Session>,
    stop: Arc<AtomicBool>,
    _runtime: tokio::runtime::Runtime,
}

impl Live {
    fn start(case: &Case) -> Live {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let opts = Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            default: setup(case),
            limits: Limits {
                max_sessions: 1,
                max_residents: 10_000_000,
                max_replicates: 20,
                body_bytes: 1 << 20,
                session_timeout: Duration::from_secs(3600),
            },
        };
        let server = runtime.block_on(Server::bind(opts)).unwrap();
        let port = server.addr.port();
        let app = server.app();
        runtime.spawn(server.run());
        let created = http(port, "POST", "/api/sessions", "{}");
        let id = serde_json::from_str::<serde_json::Value>(&created).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let session = app.sessions.lock().unwrap()[&id].clone();
        let stop = Arc::new(AtomicBool::new(false));
        let (sid, flag) = (id.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
            write!(
                t,
                "GET /api/sessions/{sid}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            )
            .unwrap();
            let mut buf = vec![0u8; 1 << 16];
            while !flag.load(Ordering::Relaxed) {
                if t.read(&mut buf).unwrap_or(0) == 0 {
                    break;
                }
            }
        });
        let live = Live {
            port,
            id,
            session,
            stop,
            _runtime: runtime,
        };
        live.wait(|s, _| s == State::Paused);
        // Past the warm-up: play until the first recorded day, then pause.
        live.post("control", r#"{"action":"play"}"#);
        live.wait(|_, days| days >= 1);
        live.post("control", r#"{"action":"pause"}"#);
        live.wait(|s, _| s == State::Paused);
        live
    }

    fn post(&self, what: &str, body: &str) {
        http(
            self.port,
            "POST",
            &format!("/api/sessions/{}/{what}", self.id),
            body,
        );
    }

    /// Waits until `done(state, days)`; returns the ticks done.
    fn wait(&self, done: impl Fn(State, u32) -> bool) -> u32 {
        loop {
            let (state, days, tick) = {
                let p = self.session.shared.lock();
                (p.status.state, p.status.days, p.status.tick)
            };
            if done(state, days) {
                return tick;
            }
            std::thread::sleep(Duration::from_micros(300));
        }
    }

    /// Time to run `n` ticks at full speed.
    fn run(&self, n: u64) -> Duration {
        let before = self.wait(|s, _| s == State::Paused) as u64;
        let start = Instant::now();
        self.post("control", &format!(r#"{{"action":"step","steps":{n}}}"#));
        let target = before + n;
        loop {
            let (state, tick) = {
                let p = self.session.shared.lock();
                (p.status.state, p.status.tick as u64)
            };
            if tick >= target && state == State::Paused {
                return start.elapsed();
            }
            std::thread::sleep(Duration::from_micros(300));
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("serve");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(1));
    for case in CASES {
        {
            let (mut e, mut o) = engines(case);
            group.bench_function(format!("{}/engines", case.name), |b| {
                b.iter_custom(|iters| {
                    let start = Instant::now();
                    for _ in 0..iters {
                        step(&mut e, &mut o);
                    }
                    start.elapsed()
                })
            });
        }
        {
            let live = Live::start(case);
            group.bench_function(format!("{}/session_streaming", case.name), |b| {
                b.iter_custom(|iters| live.run(iters))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
