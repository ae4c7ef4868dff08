//! The HTTP API: JSON in and out. Every request body is size-limited and parsed into a
//! typed request; anything malformed is answered with a 4xx and `{"error": "..."}`, never a
//! panic, and never touches another session.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::assets::{self, Shipped};
use super::export;
use super::security;
use super::session::{Arm, Command, RunFile, Session};
use super::setup::{Reference, Setup, session_wide};
use crate::mechanisms;
use crate::metrics::{Kind, METRICS};
use crate::scenario::Scenario;
use crate::scenario::change::{self, Change};
use crate::scenario::schema::Bounds;
use crate::snapshot::PLACE_METRICS;

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// 400: the request is wrong; the message says how.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
    /// 401: no token or a wrong one.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: message.into(),
        }
    }
    /// 403: not allowed from here.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::FORBIDDEN,
            message: message.into(),
        }
    }
    /// 404: no such thing.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
    /// 409: not possible in the session's current state.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::CONFLICT,
            message: message.into(),
        }
    }
    /// 413: over a size limit (body, world, replicates).
    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: message.into(),
        }
    }
    /// 429: the session cap is reached.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: message.into(),
        }
    }
    /// 500: a bug.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(json!({ "error": self.message }))).into_response()
    }
}

/// A JSON body whose rejection (wrong type, bad JSON, too large) is an [`ApiError`].
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(rej) => Err(ApiError {
                status: rej.status(),
                message: rej.body_text(),
            }),
        }
    }
}

/// Query parameters whose rejection is an [`ApiError`].
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(QueryParams(v)),
            Err(rej) => Err(ApiError {
                status: rej.status(),
                message: rej.body_text(),
            }),
        }
    }
}

/// The server's limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Sessions (browser tabs) at once.
    pub max_sessions: usize,
    /// Residents a session may simulate at once, over all its worlds.
    pub max_residents: u64,
    /// Replicates per arm.
    pub max_replicates: u32,
    /// Largest request body in bytes.
    pub body_bytes: usize,
    /// A session with no open page is freed after this long.
    pub session_timeout: Duration,
}

impl Limits {
    /// Whether a session of `setup` fits: replicates, residents, memory.
    pub fn check(&self, setup: &Setup, explored: &Scenario) -> Result<(), ApiError> {
        if setup.replicates == 0 || setup.replicates > self.max_replicates {
            return Err(ApiError::too_large(format!(
                "replicates = {}: allowed 1 to {} per arm on this server (--max-replicates)",
                setup.replicates, self.max_replicates
            )));
        }
        let worlds = setup.worlds() as u64;
        let residents = explored.world.residents as u64;
        let total = residents * worlds;
        let arms = worlds / setup.replicates as u64;
        if total > self.max_residents {
            return Err(ApiError::too_large(format!(
                "world too large for this server: {worlds} worlds ({} replicates × {arms} arm{}) of {residents} residents = {total} residents, more than the {} a session may run (--max-residents); lower the residents or the replicates, or compare with no reference",
                setup.replicates,
                if arms == 1 { "" } else { "s" },
                self.max_residents
            )));
        }
        let need = crate::footprint::run(explored)
            .bytes()
            .saturating_mul(worlds);
        if let Some(avail) = crate::footprint::machine_memory().map(|m| m.bytes)
            && need > avail
        {
            let gib = |b: u64| b as f64 / (1u64 << 30) as f64;
            return Err(ApiError::too_large(format!(
                "not enough memory: {worlds} worlds of {residents} residents need about {:.1} GiB, more than the {:.1} GiB available; lower the residents or the replicates",
                gib(need),
                gib(avail)
            )));
        }
        Ok(())
    }
}

/// Everything the handlers share.
pub struct App {
    /// Open sessions by id.
    pub sessions: Mutex<HashMap<String, Arc<Session>>>,
    /// Limits.
    pub limits: Limits,
    /// Shipped scenarios.
    pub shipped: Vec<Shipped>,
    /// What a new session loads.
    pub default: Setup,
    /// Whether requests need the token.
    pub token_required: bool,
}

impl App {
    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Arc<Session>>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn session(&self, id: &str) -> Result<Arc<Session>, ApiError> {
        let s = self.sessions().get(id).cloned().ok_or_else(|| {
            ApiError::not_found(format!(
                "no session \"{}\": it was closed or timed out; reload the page",
                id.chars().take(40).collect::<String>()
            ))
        })?;
        s.touch();
        Ok(s)
    }

    fn shipped(&self, name: &str) -> Result<&Shipped, ApiError> {
        self.shipped.iter().find(|s| s.name == name).ok_or_else(|| {
            let names: Vec<&str> = self.shipped.iter().map(|s| s.name.as_str()).collect();
            ApiError::bad(format!(
                "no shipped scenario \"{}\"; shipped: {}",
                name.chars().take(60).collect::<String>(),
                names.join(", ")
            ))
        })
    }

    /// Frees sessions whose pages have been gone for longer than the timeout.
    pub fn reap(&self) {
        let timeout = self.limits.session_timeout;
        self.sessions().retain(|_, s| {
            s.streams.load(std::sync::atomic::Ordering::Relaxed) > 0 || s.idle() < timeout
        });
    }
}

type AppState = State<Arc<App>>;

/// `GET /api/info`: scenarios, metrics, controls and limits.
pub async fn info(State(app): AppState) -> Response {
    let defaults = Scenario::default();
    let rules = mechanisms::rules();
    let params = defaults.params();
    let controls: Vec<Value> = crate::scenario::mechanisms::KEYS
        .iter()
        .map(|key| {
            let rule = rules.iter().find(|r| r.key == *key);
            let title = rule
                .and_then(|r| r.rule.lines().next())
                .map(|l| l.trim_start_matches('#').trim().to_string())
                .unwrap_or_else(|| key.to_string());
            let prefix = format!("mechanisms.{key}.");
            let ps: Vec<Value> = params
                .iter()
                .filter(|p| p.path.starts_with(&prefix))
                .map(|p| {
                    let (min, max) = match p.meta.bounds {
                        Bounds::Unit => (Some(0.0), Some(1.0)),
                        Bounds::Range(lo, hi) => (Some(lo), Some(hi)),
                        Bounds::AtLeast(lo) => (Some(lo), None),
                        Bounds::Positive => (Some(0.0), None),
                        _ => (None, None),
                    };
                    json!({
                        "path": p.path,
                        "name": &p.path[prefix.len()..],
                        "type": p.default.type_str(),
                        "unit": p.meta.unit,
                        "doc": p.meta.doc,
                        "min": min,
                        "max": max,
                    })
                })
                .collect();
            json!({ "key": key, "title": title, "params": ps })
        })
        .collect();
    let scenarios: Vec<Value> = app
        .shipped
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "description": s.scenario.description,
                "residents": s.scenario.world.residents,
                "ticks": s.scenario.ticks,
                "warmup": s.scenario.init.warmup,
            })
        })
        .collect();
    let metrics: Vec<Value> = METRICS
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "unit": m.unit,
                "kind": if m.kind == Kind::Flow { "flow" } else { "stock" },
                "doc": m.doc,
            })
        })
        .collect();
    axum::Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "default_scenario": app.default.label,
        "scenarios": scenarios,
        "metrics": metrics,
        "place_metrics": PLACE_METRICS,
        "mechanisms": controls,
        "steerable": change::steerable_paths(&defaults),
        "limits": {
            "max_sessions": app.limits.max_sessions,
            "max_residents": app.limits.max_residents,
            "max_replicates": app.limits.max_replicates,
            "body_bytes": app.limits.body_bytes,
        },
        "sessions": app.sessions().len(),
        "token_required": app.token_required,
    }))
    .into_response()
}

/// Body of `POST /api/sessions`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// A shipped scenario (default: the one the server was started with).
    #[serde(default)]
    pub scenario: Option<String>,
}

/// `POST /api/sessions`: a new session (one per browser tab), within the cap.
pub async fn create(
    State(app): AppState,
    JsonBody(req): JsonBody<CreateRequest>,
) -> Result<Response, ApiError> {
    let setup = match &req.scenario {
        Some(name) => {
            let s = app.shipped(name)?;
            Setup::new(s.name.clone(), s.scenario.clone())
        }
        None => app.default.clone(),
    };
    let explored = setup.explored().map_err(|e| ApiError::bad(e.to_string()))?;
    // A default too large for this server still opens a session, which says why and
    // waits for a smaller world.
    let refusal = app.limits.check(&setup, &explored).err();
    let mut sessions = app.sessions();
    if sessions.len() >= app.limits.max_sessions {
        return Err(ApiError::busy(format!(
            "all {} sessions of this server are in use (--max-sessions {}): close another cogov tab (its session is freed within {} s), or restart the server with a higher --max-sessions",
            sessions.len(),
            app.limits.max_sessions,
            app.limits.session_timeout.as_secs()
        )));
    }
    let id = security::random_hex().map_err(|e| ApiError::internal(e.to_string()))?;
    let session = Session::start(id.clone(), setup, refusal.map(|e| e.message));
    sessions.insert(id.clone(), session);
    Ok((StatusCode::CREATED, axum::Json(json!({ "id": id }))).into_response())
}

/// `DELETE /api/sessions/{id}` (and `POST …/close`, for `navigator.sendBeacon`): frees the
/// session now.
pub async fn close(State(app): AppState, Path(id): Path<String>) -> Result<Response, ApiError> {
    let session = app.sessions().remove(&id);
    match session {
        Some(s) => {
            s.send(Command::Close);
            Ok(axum::Json(json!({ "closed": id })).into_response())
        }
        None => Err(app
            .session(&id)
            .err()
            .unwrap_or_else(|| ApiError::not_found("no session"))),
    }
}

/// `GET /api/sessions/{id}`: setup and status.
pub async fn state(State(app): AppState, Path(id): Path<String>) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    let p = s.shared.lock();
    Ok(axum::Json(json!({
        "id": s.id,
        "generation": p.generation,
        "status": p.status,
        "info": p.info.as_deref(),
        "changes": p.setup.changes,
        "days": p.days.len(),
    }))
    .into_response())
}

/// Body of `POST /api/sessions/{id}/control`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRequest {
    /// `play`, `pause`, `step` or `speed`.
    pub action: String,
    /// Ticks to step (`step`, default 1).
    #[serde(default)]
    pub steps: Option<u32>,
    /// Ticks per second (`speed`; 0 for as fast as possible).
    #[serde(default)]
    pub speed: Option<f64>,
}

/// `POST /api/sessions/{id}/control`: play, pause, step, speed.
pub async fn control(
    State(app): AppState,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ControlRequest>,
) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    let cmd = match req.action.as_str() {
        "play" => Command::Play,
        "pause" => Command::Pause,
        "step" => match req.steps.unwrap_or(1) {
            n @ 1..=100_000 => Command::Step(n),
            n => return Err(ApiError::bad(format!("steps = {n}: allowed 1 to 100000"))),
        },
        "speed" => match req.speed {
            Some(v) if v.is_finite() && (0.0..=10_000.0).contains(&v) => Command::Speed(v),
            Some(v) => {
                return Err(ApiError::bad(format!(
                    "speed = {v}: allowed 0 (as fast as possible) to 10000 ticks per second"
                )));
            }
            None => return Err(ApiError::bad("`speed` needs a value in ticks per second")),
        },
        other => {
            return Err(ApiError::bad(format!(
                "unknown action \"{}\"; allowed: play, pause, step, speed",
                other.chars().take(40).collect::<String>()
            )));
        }
    };
    if !s.send(cmd) {
        return Err(ApiError::conflict("the session has ended; reload the page"));
    }
    Ok(axum::Json(json!({ "ok": true })).into_response())
}

/// An uploaded scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// The file's name (used in messages only; never opened).
    pub name: String,
    /// Its TOML text.
    pub text: String,
}

/// Body of `POST /api/sessions/{id}/reset`; fields left out keep their values.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Load this shipped scenario.
    #[serde(default)]
    pub scenario: Option<String>,
    /// Load this uploaded scenario.
    #[serde(default)]
    pub upload: Option<Upload>,
    /// Session-wide settings, both arms: `world.*`, `init.warmup`, `ticks` (null removes
    /// one).
    #[serde(default)]
    pub world: Option<BTreeMap<String, Value>>,
    /// Master seed: a whole number, or a string of digits (page scripts lose digits of
    /// large numbers).
    #[serde(default)]
    pub seed: Option<Value>,
    /// Replicates per arm.
    #[serde(default)]
    pub replicates: Option<u32>,
    /// The reference arm.
    #[serde(default)]
    pub reference: Option<Reference>,
    /// The explored arm's settings from the start (replaces them all).
    #[serde(default)]
    pub settings: Option<BTreeMap<String, Value>>,
    /// Keep the live changes (replayed at their days) instead of starting without them.
    #[serde(default)]
    pub keep_changes: bool,
}

/// A JSON value as a TOML value (numbers keep integer or float type).
pub fn toml_value(v: &Value, path: &str) -> Result<toml::Value, ApiError> {
    Ok(match v {
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => toml::Value::Integer(i),
            (None, Some(f)) if f.is_finite() => toml::Value::Float(f),
            _ => {
                return Err(ApiError::bad(format!(
                    "`{path}`: {n} is not a usable number"
                )));
            }
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(a) => toml::Value::Array(
            a.iter()
                .map(|x| toml_value(x, path))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(o) => toml::Value::Table(
            o.iter()
                .map(|(k, x)| Ok((k.clone(), toml_value(x, &format!("{path}.{k}"))?)))
                .collect::<Result<_, ApiError>>()?,
        ),
        Value::Null => return Err(ApiError::bad(format!("`{path}`: null is not a value"))),
    })
}

fn toml_map(m: &BTreeMap<String, Value>) -> Result<BTreeMap<String, toml::Value>, ApiError> {
    m.iter()
        .map(|(k, v)| Ok((k.clone(), toml_value(v, k)?)))
        .collect()
}

/// A file name safe to show in messages: its last component, printable, at most 80 chars.
fn label(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(80).collect();
    if clean.trim().is_empty() {
        "upload.toml".into()
    } else {
        clean
    }
}

/// Validates `setup` and checks it against the limits.
fn admit(app: &App, setup: &Setup) -> Result<(), ApiError> {
    let explored = setup.explored().map_err(|e| ApiError::bad(e.to_string()))?;
    setup
        .reference()
        .map_err(|e| ApiError::bad(e.to_string()))?;
    app.limits.check(setup, &explored)
}

/// `POST /api/sessions/{id}/reset`: load a scenario, change the world, seed, replicates or
/// reference, and start over.
pub async fn reset(
    State(app): AppState,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<ResetRequest>,
) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    let current = s.shared.lock().setup.clone();
    let mut next = match (&req.scenario, &req.upload) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad(
                "give either `scenario` or `upload`, not both",
            ));
        }
        (Some(name), None) => {
            let shipped = app.shipped(name)?;
            let mut n = Setup::new(shipped.name.clone(), shipped.scenario.clone());
            n.replicates = current.replicates;
            n.reference = current.reference;
            n
        }
        (None, Some(up)) => {
            let name = label(&up.name);
            // The same validation as `cogov check`: file:line:column, key path, allowed values.
            let loaded =
                Scenario::from_toml(&up.text, &name).map_err(|e| ApiError::bad(e.to_string()))?;
            let mut n = Setup::new(format!("upload: {name}"), loaded);
            n.replicates = current.replicates;
            n.reference = current.reference;
            n
        }
        (None, None) => {
            let mut n = current.clone();
            if !req.keep_changes {
                n.changes = n.loaded.change.clone();
            }
            n
        }
    };
    if let Some(world) = &req.world {
        for (k, v) in world {
            if !session_wide(k) {
                return Err(ApiError::bad(format!(
                    "`{k}` is not a session-wide setting; allowed: world.*, init.warmup, ticks"
                )));
            }
            if v.is_null() {
                next.world.remove(k);
            } else {
                next.world.insert(k.clone(), toml_value(v, k)?);
            }
        }
    }
    if let Some(seed) = &req.seed {
        let parsed = match seed {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        next.seed = parsed.ok_or_else(|| {
            ApiError::bad(format!(
                "seed {seed}: allowed a whole number from 0 to {}",
                i64::MAX
            ))
        })?;
    }
    if let Some(r) = req.replicates {
        next.replicates = r;
    }
    if let Some(r) = req.reference {
        next.reference = r;
    }
    if let Some(settings) = &req.settings {
        next.settings.clear();
        for (path, value) in toml_map(settings)? {
            next.set(path, value);
        }
    }
    admit(&app, &next)?;
    if !s.send(Command::Reset(Box::new(next))) {
        return Err(ApiError::conflict("the session has ended; reload the page"));
    }
    Ok(axum::Json(json!({ "ok": true })).into_response())
}

/// Body of `POST /api/sessions/{id}/steer`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SteerRequest {
    /// Dotted parameter path → value.
    pub set: BTreeMap<String, Value>,
    /// `next_tick` (a `[[change]]` at the next recorded day) or `reset` (from the start).
    pub when: String,
    /// What the change stands for.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/sessions/{id}/steer`: change the explored arm at the next tick or on reset.
pub async fn steer(
    State(app): AppState,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<SteerRequest>,
) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    if req.set.is_empty() {
        return Err(ApiError::bad(
            "`set` is empty: give at least one \"path\": value",
        ));
    }
    let set = toml_map(&req.set)?;
    let current = s.shared.lock().setup.clone();
    match req.when.as_str() {
        "reset" => {
            let mut next = current.clone();
            for (path, value) in set {
                next.set(path, value);
            }
            next.changes = next.loaded.change.clone();
            admit(&app, &next)?;
            if !s.send(Command::Reset(Box::new(next))) {
                return Err(ApiError::conflict("the session has ended; reload the page"));
            }
            Ok(axum::Json(json!({ "applied": "reset" })).into_response())
        }
        "next_tick" => {
            let note: String = req.note.chars().take(200).collect();
            let change = Change { day: 0, note, set };
            // The session validates the change at its day; this answers the common
            // mistake with a hint.
            for path in change.set.keys() {
                if let Some(why) = change::fixed_reason(path) {
                    return Err(ApiError::bad(format!(
                        "`{path}` cannot change during a run: {why}; apply it on reset instead"
                    )));
                }
            }
            let (tx, rx) = oneshot::channel();
            if !s.send(Command::Steer(change, tx)) {
                return Err(ApiError::conflict("the session has ended; reload the page"));
            }
            match rx.await {
                Ok(Ok(day)) => {
                    Ok(axum::Json(json!({ "applied": "next_tick", "day": day })).into_response())
                }
                Ok(Err(msg)) if msg.contains("horizon") || msg.contains("no worlds") => {
                    Err(ApiError::conflict(msg))
                }
                Ok(Err(msg)) => Err(ApiError::bad(msg)),
                Err(_) => Err(ApiError::conflict("the session has ended; reload the page")),
            }
        }
        other => Err(ApiError::bad(format!(
            "when = \"{}\": allowed \"next_tick\" or \"reset\"",
            other.chars().take(40).collect::<String>()
        ))),
    }
}

/// `GET /api/sessions/{id}/export`: the scenario file that reproduces the session.
pub async fn export(State(app): AppState, Path(id): Path<String>) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    let (setup, days) = {
        let p = s.shared.lock();
        (p.setup.clone(), p.status.days)
    };
    let (scenario, text) =
        export::export(&setup, days).map_err(|e| ApiError::bad(e.to_string()))?;
    let file = format!(
        "{}.toml",
        scenario
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            })
            .collect::<String>()
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// Query of `GET /api/sessions/{id}/file`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// `explored` or `reference`.
    pub arm: Arm,
    /// Replicate, from 0.
    pub replicate: usize,
    /// `timeseries`, `summary` or `communities`.
    pub file: RunFile,
}

/// `GET /api/sessions/{id}/file`: a replicate's `timeseries.csv`, `summary.csv` or
/// `communities.csv` so far, byte for byte as `cogov run` writes them.
pub async fn file(
    State(app): AppState,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<FileQuery>,
) -> Result<Response, ApiError> {
    let s = app.session(&id)?;
    let (tx, rx) = oneshot::channel();
    if !s.send(Command::File(q.arm, q.replicate, q.file, tx)) {
        return Err(ApiError::conflict("the session has ended; reload the page"));
    }
    let bytes = match rx.await {
        Ok(Ok(b)) => b,
        Ok(Err(msg)) => return Err(ApiError::bad(msg)),
        Err(_) => return Err(ApiError::conflict("the session has ended; reload the page")),
    };
    let name = match q.file {
        RunFile::Timeseries => "timeseries.csv",
        RunFile::Summary => "summary.csv",
        RunFile::Communities => "communities.csv",
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Query of `GET /api/sessions/{id}/community`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityQuery {
    /// Community index.
    pub c: usize,
}

/// `GET /api/sessions/{id}/community?c=N`: one community's daily series of every place
/// metric, each arm's mean and 95% interval.
pub async fn community(
    State(app): AppState,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<CommunityQuery>,
) -> Result<Response, ApiError> {
    use super::compare::PER_PLACE_METRIC;
    use crate::snapshot::N_PLACE_METRICS;
    let s = app.session(&id)?;
    let p = s.shared.lock();
    let nc = p
        .info
        .as_ref()
        .map_or(0, |i| i.layout.community_residents.len());
    if q.c >= nc {
        return Err(ApiError::bad(format!(
            "community {} does not exist; allowed: 0 to {}",
            q.c,
            nc.saturating_sub(1)
        )));
    }
    let width = N_PLACE_METRICS * PER_PLACE_METRIC;
    let values: Vec<&[f32]> = p
        .community
        .values
        .iter()
        .map(|v| &v[q.c * width..(q.c + 1) * width])
        .collect();
    Ok(axum::Json(json!({
        "community": q.c,
        "generation": p.generation,
        "days": p.community.days,
        "stride": p.community.stride,
        "values": values,
    }))
    .into_response())
}

/// `GET /`: the page.
pub async fn page() -> Response {
    asset_response("index.html")
}

/// `GET /assets/{*path}`: an embedded asset (the path is a key, never a file name).
pub async fn asset(Path(path): Path<String>) -> Response {
    asset_response(&path)
}

fn asset_response(path: &str) -> Response {
    match assets::asset(path) {
        Some((bytes, kind)) => ([(header::CONTENT_TYPE, kind)], bytes).into_response(),
        None => ApiError::not_found(format!(
            "no asset \"{}\"",
            path.chars().take(80).collect::<String>()
        ))
        .into_response(),
    }
}

/// Any other path.
pub async fn not_found(req: Request) -> Response {
    ApiError::not_found(format!(
        "no such path: {}",
        req.uri().path().chars().take(120).collect::<String>()
    ))
    .into_response()
}

/// A path that exists, with another method.
pub async fn method_not_allowed(req: Request) -> Response {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!(
            "{} is not allowed on {}",
            req.method(),
            req.uri().path().chars().take(120).collect::<String>()
        ),
    }
    .into_response()
}
