//! A session: one browser tab's live comparison.
//!
//! A dedicated thread owns the engines: R replicates of the explored arm, then R of the
//! reference, with the same seeds (common random numbers). It steps them all in lockstep
//! on rayon and takes commands only between ticks, so timing never changes a number: the
//! engines see exactly the scenario (with its `[[change]]` timeline) that the export
//! writes. After each recorded day it publishes, into [`Shared`], the day's summaries and
//! each community's, and at most every [`SNAPSHOT_EVERY`] a district and pipeline
//! snapshot; the event streams read [`Shared`] at their own pace.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tokio::sync::oneshot;

use super::compare;
use super::setup::{Reference, Setup};
use crate::engine::{Engine, steering};
use crate::metrics::{METRICS, Row, summary_columns};
use crate::observer::Observer;
use crate::output;
use crate::run::{self, COMMUNITY_COLUMNS};
use crate::scenario::Scenario;
use crate::scenario::change::Change;
use crate::snapshot::{self, District, Layout, N_PLACE_METRICS, Pipeline};

/// Least wall time between two district and pipeline snapshots.
pub const SNAPSHOT_EVERY: Duration = Duration::from_millis(250);

/// Community series keep at most this many days; beyond, every other day is dropped and
/// the stride doubles (always the same days for the same run).
pub const COMMUNITY_DAYS: usize = 2048;

/// An arm of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arm {
    /// The configuration the user explores and steers.
    Explored,
    /// The reference it is compared with.
    Reference,
}

/// A run's output file, as `cogov run` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunFile {
    /// `timeseries.csv`.
    Timeseries,
    /// `summary.csv`.
    Summary,
    /// `communities.csv`.
    Communities,
}

/// What a session's thread is asked to do.
pub enum Command {
    /// Run until paused or finished.
    Play,
    /// Stop after the current tick.
    Pause,
    /// Run this many ticks, then pause.
    Step(u32),
    /// Ticks per second once recording (0: as fast as possible).
    Speed(f64),
    /// Rebuild every world from this setup (validated and within the limits).
    Reset(Box<Setup>),
    /// Apply these settings to the explored arm at the start of the next recorded day;
    /// answers with that day.
    Steer(Change, oneshot::Sender<Result<u32, String>>),
    /// One replicate's output file so far.
    File(
        Arm,
        usize,
        RunFile,
        oneshot::Sender<Result<Vec<u8>, String>>,
    ),
    /// End the session.
    Close,
}

/// What a session is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Building its worlds.
    Building,
    /// Waiting for play or step.
    Paused,
    /// Running the warm-up (no recorded days yet).
    WarmingUp,
    /// Running recorded days.
    Running,
    /// Reached the horizon.
    Finished,
    /// Stopped by an error (a bug: other sessions go on).
    Failed,
}

/// A session's status, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// What it is doing.
    pub state: State,
    /// Ticks done, warm-up included.
    pub tick: u32,
    /// Recorded days done.
    pub days: u32,
    /// Warm-up ticks.
    pub warmup: u32,
    /// Recorded days in the horizon.
    pub horizon: u32,
    /// Worlds built so far and in all (while building).
    pub built: [usize; 2],
    /// Speed limit in ticks per second (0: none).
    pub speed: f64,
    /// Ticks per second over the last second.
    pub ticks_per_second: f64,
    /// An error or notice.
    pub message: String,
}

/// The description of a session's run that the page needs once per reset.
#[derive(Debug, Clone, Serialize)]
pub struct Info {
    /// Where the scenario came from.
    pub label: String,
    /// The scenario's name.
    pub name: String,
    /// The scenario's question.
    pub description: String,
    /// Residents per world.
    pub residents: u32,
    /// Recorded days.
    pub ticks: u32,
    /// Warm-up ticks.
    pub warmup: u32,
    /// Replicates per arm.
    pub replicates: u32,
    /// The reference arm.
    pub reference: Reference,
    /// Master seed (a string: page scripts lose digits of large integers).
    pub seed: String,
    /// Seed of each replicate, as strings.
    pub seeds: Vec<String>,
    /// Session-wide settings.
    pub world: std::collections::BTreeMap<String, toml::Value>,
    /// The explored arm's settings from the start.
    pub settings: std::collections::BTreeMap<String, toml::Value>,
    /// Every mechanism parameter of the explored arm at the start.
    pub mechanisms: std::collections::BTreeMap<String, toml::Value>,
    /// Metrics the scenario plots (the page's first charts).
    pub plot_metrics: Vec<String>,
    /// The district's structure (replicate 0's; replicates differ in community sizes).
    pub layout: Layout,
}

/// District and pipeline, averaged over each arm's replicates.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// Recorded days done.
    pub days: u32,
    /// Per arm (explored, then reference if any).
    pub arms: Vec<ArmSnapshot>,
}

/// One arm's snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct ArmSnapshot {
    /// Mean per grid of each place metric.
    pub grids: Vec<[f32; N_PLACE_METRICS]>,
    /// Mean per community of each place metric.
    pub communities: Vec<[f32; N_PLACE_METRICS]>,
    /// Mean issue counts by stage (closed and escalated: since day 0).
    pub pipeline: PipelineMean,
}

/// [`Pipeline`] averaged over replicates.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PipelineMean {
    /// Latent.
    pub latent: f64,
    /// Known.
    pub known: f64,
    /// Routed.
    pub routed: f64,
    /// Deliberation.
    pub deliberation: f64,
    /// Funding.
    pub funding: f64,
    /// Working.
    pub working: f64,
    /// Resolved since day 0.
    pub resolved: f64,
    /// Failed since day 0.
    pub failed: f64,
    /// Escalated since day 0.
    pub escalated: f64,
}

/// Community series: one entry per kept day.
#[derive(Debug, Clone, Default)]
pub struct CommunitySeries {
    /// Kept days.
    pub days: Vec<u32>,
    /// Per kept day: communities × place metrics × [`compare::PER_PLACE_METRIC`].
    pub values: Vec<Vec<f32>>,
    /// Days between kept days.
    pub stride: u32,
}

impl CommunitySeries {
    fn push(&mut self, day: u32, values: Vec<f32>) {
        if self.stride == 0 {
            self.stride = 1;
        }
        if day % self.stride != 0 {
            return;
        }
        self.days.push(day);
        self.values.push(values);
        if self.days.len() >= COMMUNITY_DAYS {
            self.stride *= 2;
            let keep: Vec<bool> = self.days.iter().map(|d| d % self.stride == 0).collect();
            let mut k = keep.iter();
            self.days.retain(|_| *k.next().unwrap_or(&false));
            let mut k = keep.iter();
            self.values.retain(|_| *k.next().unwrap_or(&false));
        }
    }
}

/// Everything a session publishes; the streams and handlers read it under the lock.
pub struct Published {
    /// Counts resets: a stream that sees it change starts over.
    pub generation: u64,
    /// The current setup (the export reads it).
    pub setup: Setup,
    /// Set once the worlds are built.
    pub info: Option<Arc<Info>>,
    /// Status.
    pub status: Status,
    /// Bumped on every status change.
    pub status_seq: u64,
    /// One summary per recorded day ([`compare::day`]).
    pub days: Vec<Vec<f32>>,
    /// Per-community summaries.
    pub community: CommunitySeries,
    /// The latest snapshot.
    pub snapshot: Option<Arc<Snapshot>>,
    /// Bumped on every snapshot.
    pub snapshot_seq: u64,
}

/// A session's published state, shared between its thread and the server.
pub struct Shared {
    state: Mutex<Published>,
}

impl Shared {
    /// Locks the published state (a panic elsewhere never makes it unreadable).
    pub fn lock(&self) -> MutexGuard<'_, Published> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The server's handle on a session.
pub struct Session {
    /// Its id (random, in the URL).
    pub id: String,
    /// Published state.
    pub shared: Arc<Shared>,
    commands: Mutex<Sender<Command>>,
    /// Open event streams.
    pub streams: AtomicUsize,
    /// Last request or stream end.
    pub last_seen: Mutex<Instant>,
}

impl Session {
    /// Starts a session's thread, which builds the worlds of `setup` (validated and within
    /// the limits) and then waits for play.
    /// With a `refusal` (the setup is over the server's limits), it builds nothing and
    /// shows the refusal until a reset.
    pub fn start(id: String, setup: Setup, refusal: Option<String>) -> Arc<Session> {
        let (tx, rx) = mpsc::channel();
        let status = Status {
            state: State::Building,
            tick: 0,
            days: 0,
            warmup: 0,
            horizon: 0,
            built: [0, setup.worlds()],
            speed: 0.0,
            ticks_per_second: 0.0,
            message: String::new(),
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(Published {
                generation: 0,
                setup: setup.clone(),
                info: None,
                status,
                status_seq: 0,
                days: Vec::new(),
                community: CommunitySeries::default(),
                snapshot: None,
                snapshot_seq: 0,
            }),
        });
        let thread_shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("cogov-session-{}", &id[..id.len().min(8)]))
            .spawn(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    let mut sim = Sim::new(thread_shared.clone());
                    match refusal {
                        Some(why) => sim.fail(why),
                        None => sim.reset(setup),
                    }
                    sim.run(rx);
                }));
                if let Err(payload) = outcome {
                    let what = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    let mut p = thread_shared.lock();
                    p.status.state = State::Failed;
                    p.status.message = format!(
                        "internal error: {what}. This is a bug in cogov; this session stopped, other sessions go on. Reset to start again."
                    );
                    p.status_seq += 1;
                }
            });
        if let Err(e) = spawned {
            let mut p = shared.lock();
            p.status.state = State::Failed;
            p.status.message = format!("cannot start the session's thread: {e}");
        }
        Arc::new(Session {
            id,
            shared,
            commands: Mutex::new(tx),
            streams: AtomicUsize::new(0),
            last_seen: Mutex::new(Instant::now()),
        })
    }

    /// Sends a command; false when the session's thread has ended.
    pub fn send(&self, cmd: Command) -> bool {
        self.touch();
        self.commands
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(cmd)
            .is_ok()
    }

    /// Records activity (a request, a stream ending).
    pub fn touch(&self) {
        *self.last_seen.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    /// Time since the last activity.
    pub fn idle(&self) -> Duration {
        self.last_seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .elapsed()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Ends the thread, which frees the worlds.
        let _ = self
            .commands
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .send(Command::Close);
    }
}

/// The session's thread: engines, observers and the run control.
struct Sim {
    shared: Arc<Shared>,
    setup: Option<Setup>,
    engines: Vec<Engine>,
    observers: Vec<Observer>,
    /// Replicates per arm.
    r: usize,
    warmup: u32,
    total: u32,
    running: bool,
    steps_left: Option<u32>,
    speed: f64,
    last_tick: Instant,
    last_snapshot: Option<Instant>,
    recent: std::collections::VecDeque<Instant>,
    /// Each engine's cumulative (resolved, failed, escalations) when the reform started.
    day0: Vec<[u64; 3]>,
    districts: Vec<District>,
    pipelines: Vec<Pipeline>,
}

impl Sim {
    fn new(shared: Arc<Shared>) -> Sim {
        Sim {
            shared,
            setup: None,
            engines: Vec::new(),
            observers: Vec::new(),
            r: 0,
            warmup: 0,
            total: 0,
            running: false,
            steps_left: None,
            speed: 0.0,
            last_tick: Instant::now(),
            last_snapshot: None,
            recent: Default::default(),
            day0: Vec::new(),
            districts: Vec::new(),
            pipelines: Vec::new(),
        }
    }

    fn tick_now(&self) -> u32 {
        self.engines.first().map_or(0, |e| e.world.tick)
    }

    fn finished(&self) -> bool {
        !self.engines.is_empty() && self.tick_now() >= self.total
    }

    fn run(&mut self, rx: Receiver<Command>) {
        loop {
            let busy = self.running && !self.finished();
            let cmd = if !busy {
                match rx.recv() {
                    Ok(c) => Some(c),
                    Err(_) => return,
                }
            } else {
                let wait = self.pace();
                let got = if wait.is_zero() {
                    rx.try_recv().map_err(|e| match e {
                        TryRecvError::Empty => RecvTimeoutError::Timeout,
                        TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
                    })
                } else {
                    rx.recv_timeout(wait)
                };
                match got {
                    Ok(c) => Some(c),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            };
            match cmd {
                Some(Command::Close) => return,
                Some(c) => self.handle(c),
                None if self.pace().is_zero() => self.tick(),
                None => {}
            }
        }
    }

    /// How long to wait before the next tick at the speed limit (the warm-up runs at full
    /// speed).
    fn pace(&self) -> Duration {
        if self.speed <= 0.0 || self.tick_now() < self.warmup {
            return Duration::ZERO;
        }
        let gap = Duration::from_secs_f64(1.0 / self.speed);
        gap.saturating_sub(self.last_tick.elapsed())
    }

    fn handle(&mut self, cmd: Command) {
        match cmd {
            Command::Play => {
                self.steps_left = None;
                self.running = !self.engines.is_empty() && !self.finished();
            }
            Command::Pause => {
                self.running = false;
                self.steps_left = None;
            }
            Command::Step(n) => {
                self.steps_left = Some(n.max(1));
                self.running = !self.engines.is_empty() && !self.finished();
            }
            Command::Speed(s) => self.speed = if s.is_finite() { s.max(0.0) } else { 0.0 },
            Command::Reset(setup) => self.reset(*setup),
            Command::Steer(change, reply) => {
                let _ = reply.send(self.steer(change));
            }
            Command::File(arm, replicate, file, reply) => {
                let _ = reply.send(self.file(arm, replicate, file));
            }
            Command::Close => {}
        }
        self.publish_status(String::new());
    }

    fn reset(&mut self, setup: Setup) {
        self.engines.clear();
        self.observers.clear();
        self.running = false;
        self.steps_left = None;
        self.last_snapshot = None;
        self.recent.clear();
        let built = (|| -> crate::Result<(Arc<Scenario>, Option<Arc<Scenario>>)> {
            Ok((
                Arc::new(setup.explored()?),
                setup.reference()?.map(Arc::new),
            ))
        })();
        {
            let mut p = self.shared.lock();
            p.generation += 1;
            p.setup = setup.clone();
            p.info = None;
            p.days.clear();
            p.community = CommunitySeries::default();
            p.snapshot = None;
            p.snapshot_seq += 1;
            p.status.state = State::Building;
            p.status.built = [0, setup.worlds()];
            p.status.tick = 0;
            p.status.days = 0;
            p.status_seq += 1;
        }
        let (explored, reference) = match built {
            Ok(arms) => arms,
            Err(e) => {
                self.fail(e.to_string());
                return;
            }
        };
        let seeds = setup.seeds();
        self.r = seeds.len();
        self.warmup = explored.init.warmup;
        self.total = explored.init.warmup + explored.ticks;
        let mut specs: Vec<(Arc<Scenario>, u64)> =
            seeds.iter().map(|&s| (explored.clone(), s)).collect();
        if let Some(reference) = &reference {
            specs.extend(seeds.iter().map(|&s| (reference.clone(), s)));
        }
        let done = AtomicUsize::new(0);
        let shared = self.shared.clone();
        self.engines = specs
            .par_iter()
            .with_max_len(1)
            .map(|(s, seed)| {
                let e = crate::mechanisms::engine(s.clone(), *seed);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                let mut p = shared.lock();
                p.status.built[0] = n;
                p.status_seq += 1;
                e
            })
            .collect();
        self.observers = (0..self.engines.len())
            .map(|_| Observer::new(1, self.warmup))
            .collect();
        self.day0 = vec![[0; 3]; self.engines.len()];
        let mechanisms = explored
            .params()
            .into_iter()
            .filter(|p| p.path.starts_with("mechanisms."))
            .map(|p| (p.path, p.value))
            .collect();
        let info = Info {
            label: setup.label.clone(),
            name: explored.name.clone(),
            description: explored.description.clone(),
            residents: explored.world.residents,
            ticks: explored.ticks,
            warmup: explored.init.warmup,
            replicates: setup.replicates,
            reference: setup.reference,
            seed: setup.seed.to_string(),
            seeds: seeds.iter().map(u64::to_string).collect(),
            world: setup.world.clone(),
            settings: setup.settings.clone(),
            mechanisms,
            plot_metrics: explored.plot.metrics.clone(),
            layout: snapshot::layout(&self.engines[0]),
        };
        self.setup = Some(setup);
        self.measure_places();
        let mut p = self.shared.lock();
        p.info = Some(Arc::new(info));
        p.status.state = State::Paused;
        p.status.warmup = self.warmup;
        p.status.horizon = self.total - self.warmup;
        p.status_seq += 1;
        drop(p);
        self.publish_snapshot();
    }

    fn fail(&mut self, message: String) {
        self.engines.clear();
        self.observers.clear();
        self.running = false;
        let mut p = self.shared.lock();
        p.status.state = State::Failed;
        p.status.message = message;
        p.status_seq += 1;
    }

    fn steer(&mut self, mut change: Change) -> Result<u32, String> {
        let Some(setup) = self.setup.as_ref().filter(|_| !self.engines.is_empty()) else {
            return Err("the session has no worlds; reset it first".into());
        };
        if self.finished() {
            return Err(format!(
                "the run has reached its horizon of {} days; reset to run again",
                self.total - self.warmup
            ));
        }
        change.day = self.tick_now().saturating_sub(self.warmup);
        let day = change.day;
        let next = setup.with_change(change);
        next.explored().map_err(|e| e.to_string())?;
        for e in &mut self.engines[..self.r] {
            steering::schedule(e, next.changes.clone());
        }
        self.shared.lock().setup = next.clone();
        self.setup = Some(next);
        Ok(day)
    }

    fn file(&self, arm: Arm, replicate: usize, file: RunFile) -> Result<Vec<u8>, String> {
        if self.engines.is_empty() {
            return Err("the session has no worlds; reset it first".into());
        }
        let arms = self.engines.len() / self.r.max(1);
        let offset = match arm {
            Arm::Explored => 0,
            Arm::Reference if arms == 2 => self.r,
            Arm::Reference => return Err("this session has no reference arm".into()),
        };
        if replicate >= self.r {
            return Err(format!(
                "replicate {replicate} does not exist; allowed: 0 to {}",
                self.r.saturating_sub(1)
            ));
        }
        let (e, o) = (
            &self.engines[offset + replicate],
            &self.observers[offset + replicate],
        );
        Ok(match file {
            RunFile::Timeseries => output::csv_bytes(
                &run::timeseries_header(&[]),
                o.rows.iter().map(run::timeseries_record),
            ),
            RunFile::Summary => output::csv_bytes(
                &summary_columns(),
                std::iter::once(run::summary_record(&o.summary())),
            ),
            RunFile::Communities => {
                let header: Vec<String> = std::iter::once("community")
                    .chain(COMMUNITY_COLUMNS.iter().copied())
                    .map(str::to_string)
                    .collect();
                output::csv_bytes(
                    &header,
                    run::communities(e).iter().enumerate().map(|(c, row)| {
                        std::iter::once(c.to_string())
                            .chain(row.iter().map(|&v| output::num(v)))
                            .collect()
                    }),
                )
            }
        })
    }

    fn tick(&mut self) {
        if self.tick_now() == self.warmup {
            for (d, e) in self.day0.iter_mut().zip(&self.engines) {
                let c = &e.record.cumulative;
                *d = [c.resolved, c.failed, c.escalations];
            }
        }
        self.engines
            .par_iter_mut()
            .zip(self.observers.par_iter_mut())
            .with_max_len(1)
            .for_each(|(e, o)| e.step(o));
        let now = Instant::now();
        self.last_tick = now;
        self.recent.push_back(now);
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        let tick = self.tick_now();
        if tick > self.warmup {
            self.measure_places();
            let rows: Vec<&Row> = self
                .observers
                .iter()
                .filter_map(|o| o.rows.last().map(|(_, row)| row))
                .collect();
            let (explored, reference) = rows.split_at(self.r.min(rows.len()));
            let day = compare::day(explored, reference);
            let places: Vec<&[[f64; N_PLACE_METRICS]]> = self
                .districts
                .iter()
                .map(|d| d.communities.as_slice())
                .collect();
            let (pe, pr) = places.split_at(self.r.min(places.len()));
            let community = compare::communities(pe, pr);
            let mut p = self.shared.lock();
            let d = p.days.len() as u32;
            p.days.push(day);
            p.community.push(d, community);
        }
        if let Some(n) = &mut self.steps_left {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.steps_left = None;
                self.running = false;
            }
        }
        if self.finished() {
            self.running = false;
        }
        let due = self
            .last_snapshot
            .is_none_or(|t| t.elapsed() >= SNAPSHOT_EVERY);
        if due || !self.running {
            if tick <= self.warmup {
                self.measure_places();
            }
            self.publish_snapshot();
        }
        self.publish_status(String::new());
    }

    /// Each world's district and pipeline now.
    fn measure_places(&mut self) {
        self.districts = self
            .engines
            .par_iter_mut()
            .map(|e| snapshot::district(e))
            .collect();
        self.pipelines = self.engines.iter().map(snapshot::pipeline).collect();
    }

    fn publish_snapshot(&mut self) {
        self.last_snapshot = Some(Instant::now());
        let arms = (self.engines.len() / self.r.max(1)).max(1);
        let mut out = Vec::new();
        for a in 0..arms {
            let range = a * self.r..((a + 1) * self.r).min(self.districts.len());
            let grids: Vec<&[[f64; N_PLACE_METRICS]]> = self.districts[range.clone()]
                .iter()
                .map(|d| d.grids.as_slice())
                .collect();
            let communities: Vec<&[[f64; N_PLACE_METRICS]]> = self.districts[range.clone()]
                .iter()
                .map(|d| d.communities.as_slice())
                .collect();
            let n = range.len().max(1) as f64;
            let mut pm = PipelineMean::default();
            let started = self.tick_now() > self.warmup;
            for i in range.clone() {
                let (p, d0) = (&self.pipelines[i], self.day0[i]);
                pm.latent += p.latent as f64 / n;
                pm.known += p.known as f64 / n;
                pm.routed += p.routed as f64 / n;
                pm.deliberation += p.deliberation as f64 / n;
                pm.funding += p.funding as f64 / n;
                pm.working += p.working as f64 / n;
                if started {
                    pm.resolved += p.resolved.saturating_sub(d0[0]) as f64 / n;
                    pm.failed += p.failed.saturating_sub(d0[1]) as f64 / n;
                    pm.escalated += p.escalated.saturating_sub(d0[2]) as f64 / n;
                }
            }
            out.push(ArmSnapshot {
                grids: compare::place_means(&grids),
                communities: compare::place_means(&communities),
                pipeline: pm,
            });
        }
        let snap = Arc::new(Snapshot {
            days: self.tick_now().saturating_sub(self.warmup),
            arms: out,
        });
        let mut p = self.shared.lock();
        p.snapshot = Some(snap);
        p.snapshot_seq += 1;
    }

    fn publish_status(&self, message: String) {
        let tick = self.tick_now();
        let state = if self.engines.is_empty() {
            let p = self.shared.lock();
            if p.status.state == State::Failed {
                return;
            }
            State::Building
        } else if self.finished() {
            State::Finished
        } else if !self.running {
            State::Paused
        } else if tick < self.warmup {
            State::WarmingUp
        } else {
            State::Running
        };
        let tps = if self.running {
            self.recent.len() as f64
        } else {
            0.0
        };
        let mut p = self.shared.lock();
        p.status.state = state;
        p.status.tick = tick;
        p.status.days = tick.saturating_sub(self.warmup);
        p.status.speed = self.speed;
        p.status.ticks_per_second = tps;
        p.status.message = message;
        p.status_seq += 1;
    }
}

/// Metric names in the order of a day's summary.
pub fn metric_names() -> Vec<&'static str> {
    METRICS.iter().map(|m| m.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn community_series_thin_out_evenly_and_deterministically() {
        let mut s = CommunitySeries::default();
        for day in 0..5000u32 {
            s.push(day, vec![day as f32]);
        }
        assert!(s.days.len() < COMMUNITY_DAYS);
        assert_eq!(s.stride, 4);
        assert!(s.days.iter().all(|d| d % 4 == 0));
        assert_eq!(s.days.len(), 1250);
        assert!(s.days.iter().zip(&s.values).all(|(d, v)| v[0] == *d as f32));
    }
}
