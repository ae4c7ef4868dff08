//! The event stream of a session (server-sent events): every [`FRAME`] it sends what is
//! new since its last frame: `setup` after a reset, `days` (the recorded days' summaries,
//! in order), `status`, `changes` and `snapshot`. It reads the session's published state
//! at its own pace, so a slow page never slows the model. When the page goes away the
//! stream ends and the session may be freed.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;

use super::api::{ApiError, App};
use super::session::{Published, Session};
use crate::metrics::METRICS;

/// Time between frames: at most ten a second, whatever the model's speed.
pub const FRAME: Duration = Duration::from_millis(100);

/// Recorded days sent in one `days` event at most (a page that reconnects late catches up
/// over a few frames).
pub const DAYS_PER_EVENT: usize = 2_000;

#[derive(Default)]
struct Cursor {
    generation: Option<u64>,
    info_sent: bool,
    days: usize,
    status_seq: Option<u64>,
    changes: Option<usize>,
    snapshot_seq: Option<u64>,
}

impl Cursor {
    /// The events that bring a page from this cursor to `p`, as (name, JSON).
    fn catch_up(&mut self, p: &Published) -> Vec<(&'static str, serde_json::Value)> {
        let mut out = Vec::new();
        if self.generation != Some(p.generation) {
            *self = Cursor {
                generation: Some(p.generation),
                ..Cursor::default()
            };
            out.push(("reset", json!({ "generation": p.generation })));
        }
        if !self.info_sent
            && let Some(info) = &p.info
        {
            self.info_sent = true;
            out.push((
                "setup",
                json!({
                    "generation": p.generation,
                    "info": &**info,
                    "metrics": METRICS.iter().map(|m| m.name).collect::<Vec<_>>(),
                }),
            ));
        }
        if self.status_seq != Some(p.status_seq) {
            self.status_seq = Some(p.status_seq);
            out.push(("status", json!(p.status)));
        }
        if Some(p.setup.changes.len()) != self.changes {
            self.changes = Some(p.setup.changes.len());
            out.push(("changes", json!(p.setup.changes)));
        }
        if self.info_sent && p.days.len() > self.days {
            let end = p.days.len().min(self.days + DAYS_PER_EVENT);
            out.push((
                "days",
                json!({ "from": self.days, "rows": &p.days[self.days..end] }),
            ));
            self.days = end;
        }
        if self.info_sent && self.snapshot_seq != Some(p.snapshot_seq) {
            self.snapshot_seq = Some(p.snapshot_seq);
            if let Some(s) = &p.snapshot {
                out.push(("snapshot", json!(&**s)));
            }
        }
        out
    }
}

/// Counts an open stream; its drop records when the page left.
struct Open(Arc<Session>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// `GET /api/sessions/{id}/events`: the session's event stream.
pub async fn events(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let session = app
        .sessions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&id)
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "no session \"{}\": it was closed or timed out; reload the page",
                id.chars().take(40).collect::<String>()
            ))
        })?;
    session.streams.fetch_add(1, Ordering::Relaxed);
    let open = Open(session);
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(async move {
        let open = open;
        let mut cursor = Cursor::default();
        let mut frames = tokio::time::interval(FRAME);
        frames.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = frames.tick() => {}
                _ = tx.closed() => return,
            }
            let batch = {
                let p = open.0.shared.lock();
                cursor.catch_up(&p)
            };
            for (name, data) in batch {
                let event = Event::default().event(name).data(data.to_string());
                if tx.send(Ok(event)).await.is_err() {
                    return;
                }
            }
        }
    });
    Ok(Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::default()))
}
