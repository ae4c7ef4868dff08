//! `cogov serve`: live exploration in the browser.
//!
//! Each browser tab gets a session ([`session`]): its own worlds, R replicates of the
//! configuration the user explores and R of a reference with the same seeds, stepped in
//! lockstep on a thread of their own. The page steers the explored arm through the JSON API
//! ([`api`]); changes take effect at the next tick as `[[change]]` entries of the scenario
//! (see `crate::engine::steering`), so [`export`] writes a file that `cogov run` and
//! `cogov experiment` reproduce byte for byte. The page reads the session through an event
//! stream ([`stream`]) of aggregates at a throttled rate: per-day means, intervals and
//! paired differences ([`compare`]), and district and pipeline snapshots
//! (`crate::snapshot`), never per-resident data.
//!
//! The server only reads the library (scenario, engine, observer, snapshot, stats); nothing
//! in the library knows it. The page and the shipped scenarios are embedded ([`assets`]);
//! [`security`] decides who may connect.

pub mod api;
pub mod assets;
pub mod compare;
pub mod export;
pub mod security;
pub mod session;
pub mod setup;
pub mod stream;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::{Error, Result};
use api::ApiError;
pub use api::App;
pub use api::Limits;
use setup::Setup;

/// The page's content security policy: everything from this server, nothing from elsewhere.
const CSP: &str = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to bind (port 0: any free port).
    pub addr: SocketAddr,
    /// What a new session loads.
    pub default: Setup,
    /// Limits.
    pub limits: Limits,
}

/// A bound server, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    router: Router,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The token requests need (bound beyond loopback), else None.
    pub token: Option<String>,
}

impl Server {
    /// Binds the address; call [`Server::run`] to serve.
    pub async fn bind(opts: Options) -> Result<Server> {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| Error::input(format!("cannot listen on {}: {e}", opts.addr)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::input(format!("cannot listen on {}: {e}", opts.addr)))?;
        let guard = security::Guard::for_address(addr)
            .map_err(|e| Error::input(format!("cannot make a token: {e}")))?;
        let token = guard.token.clone();
        let app = Arc::new(App {
            sessions: Mutex::new(Default::default()),
            limits: opts.limits.clone(),
            shipped: assets::shipped(),
            default: opts.default,
            token_required: token.is_some(),
        });
        let router = router(app.clone(), Arc::new(guard), opts.limits.body_bytes);
        Ok(Server {
            listener,
            app,
            router,
            addr,
            token,
        })
    }

    /// The URL to open (with the token, when one is needed).
    pub fn url(&self) -> String {
        let host = if self.addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            match self.addr.ip() {
                std::net::IpAddr::V6(v6) => format!("[{v6}]"),
                v4 => v4.to_string(),
            }
        };
        match &self.token {
            Some(t) => format!("http://{host}:{}/?token={t}", self.addr.port()),
            None => format!("http://{host}:{}/", self.addr.port()),
        }
    }

    /// The server's shared state (sessions, limits).
    pub fn app(&self) -> Arc<App> {
        self.app.clone()
    }

    /// Serves until the process is interrupted.
    pub async fn run(self) -> Result<()> {
        security::contain_panics();
        let app = self.app.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                app.reap();
            }
        });
        let serve = axum::serve(self.listener, self.router);
        tokio::select! {
            r = serve => r.map_err(|e| Error::input(format!("server stopped: {e}"))),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    }
}

fn router(app: Arc<App>, guard: Arc<security::Guard>, body_bytes: usize) -> Router {
    Router::new()
        .route("/", get(api::page))
        .route("/assets/{*path}", get(api::asset))
        .route("/api/info", get(api::info))
        .route("/api/sessions", post(api::create))
        .route("/api/sessions/{id}", get(api::state).delete(api::close))
        .route("/api/sessions/{id}/close", post(api::close))
        .route("/api/sessions/{id}/events", get(stream::events))
        .route("/api/sessions/{id}/control", post(api::control))
        .route("/api/sessions/{id}/reset", post(api::reset))
        .route("/api/sessions/{id}/steer", post(api::steer))
        .route("/api/sessions/{id}/export", get(api::export))
        .route("/api/sessions/{id}/file", get(api::file))
        .route("/api/sessions/{id}/community", get(api::community))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(app)
        .layer(DefaultBodyLimit::max(body_bytes))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                // Refuse a declared oversize body before reading any of it.
                let declared = req
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                match declared {
                    Some(n) if n > body_bytes as u64 => {
                        use axum::response::IntoResponse;
                        ApiError::too_large(format!(
                            "the request body of {n} bytes is larger than the {body_bytes} allowed"
                        ))
                        .into_response()
                    }
                    _ => next.run(req).await,
                }
            },
        ))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            use axum::response::IntoResponse;
            ApiError::internal(
                "internal error: this is a bug in cogov; the request failed, the server and other sessions go on",
            )
            .into_response()
        }))
        .layer(axum::middleware::map_response(
            |mut resp: axum::response::Response| async move {
                let h = resp.headers_mut();
                h.insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                );
                h.insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                resp
            },
        ))
        .layer(axum::middleware::from_fn_with_state(guard, security::check))
}
