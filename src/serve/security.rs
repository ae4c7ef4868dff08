//! Who may talk to the server.
//!
//! Bound to a loopback address (the default), the server answers only requests whose
//! `Host` is that loopback address or `localhost`, so a web page elsewhere cannot reach it
//! through DNS rebinding. Bound to any other address, every request must carry the random
//! token made at start-up (printed in the URL, like Jupyter's): in the `token` query
//! parameter, the `x-cogov-token` header, or the cookie the page receives with its first
//! load. Tokens are compared in constant time.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::api::ApiError;

/// Whether panics are contained (a session or a request fails, the server goes on).
static CONTAINED: AtomicBool = AtomicBool::new(false);

/// From now on a panic ends only the request or session it happens in. The binary's panic
/// hook asks [`panics_contained`] before ending the process.
pub fn contain_panics() {
    CONTAINED.store(true, Ordering::SeqCst);
}

/// Whether [`contain_panics`] was called.
pub fn panics_contained() -> bool {
    CONTAINED.load(Ordering::SeqCst)
}

/// 128 random bits from the operating system, as 32 hex digits (tokens, session ids).
pub fn random_hex() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The access rules of a running server.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The token every request must carry, when bound beyond loopback.
    pub token: Option<String>,
    /// Accepted `Host` values, when bound to loopback.
    pub hosts: Option<Vec<String>>,
    /// The cookie that carries the token (per port: cookies ignore ports).
    pub cookie: String,
}

impl Guard {
    /// The rules for a server bound to `addr`: a token unless loopback.
    pub fn for_address(addr: SocketAddr) -> std::io::Result<Guard> {
        let port = addr.port();
        let loopback = addr.ip().is_loopback();
        Ok(Guard {
            token: if loopback { None } else { Some(random_hex()?) },
            hosts: loopback.then(|| {
                let ip = match addr.ip() {
                    std::net::IpAddr::V6(v6) => format!("[{v6}]"),
                    v4 => v4.to_string(),
                };
                vec![format!("{ip}:{port}"), format!("localhost:{port}")]
            }),
            cookie: format!("cogov_token_{port}"),
        })
    }

    fn token_ok(&self, given: &str) -> bool {
        match &self.token {
            None => true,
            Some(t) => t.as_bytes().ct_eq(given.as_bytes()).into(),
        }
    }

    fn given_token(&self, req: &Request) -> (Option<String>, bool) {
        let from_query = req.uri().query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "token")
                .map(|(_, v)| v.to_string())
        });
        if let Some(t) = from_query {
            return (Some(t), true);
        }
        let header = req
            .headers()
            .get("x-cogov-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if header.is_some() {
            return (header, false);
        }
        let cookie = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == self.cookie)
            .map(|(_, v)| v.to_string());
        (cookie, false)
    }
}

/// The middleware: checks `Host` and the token, and gives the page the token's cookie.
pub async fn check(
    State(guard): State<std::sync::Arc<Guard>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(hosts) = &guard.hosts {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !hosts.contains(&host) {
            return ApiError::forbidden(format!(
                "the Host header \"{host}\" is not this server's loopback address; open {}",
                hosts[0]
            ))
            .into_response();
        }
    }
    let (given, in_query) = guard.given_token(&req);
    let ok = match (&guard.token, &given) {
        (None, _) => true,
        (Some(_), Some(t)) => guard.token_ok(t),
        (Some(_), None) => false,
    };
    if !ok {
        return ApiError::unauthorized(if given.is_some() {
            "wrong token: use the URL `cogov serve` printed at start-up (…/?token=…)"
        } else {
            "this server needs the token printed at start-up: open the URL `cogov serve` printed (…/?token=…)"
        })
        .into_response();
    }
    let mut resp = next.run(req).await;
    if let (Some(t), true) = (&guard.token, in_query) {
        let cookie = format!("{}={t}; HttpOnly; SameSite=Strict; Path=/", guard.cookie);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_needs_no_token_and_other_hosts_do() {
        let g = Guard::for_address("127.0.0.1:8080".parse().unwrap()).unwrap();
        assert!(g.token.is_none());
        assert_eq!(
            g.hosts.as_deref().unwrap(),
            ["127.0.0.1:8080", "localhost:8080"]
        );
        let g = Guard::for_address("0.0.0.0:8080".parse().unwrap()).unwrap();
        let t = g.token.clone().unwrap();
        assert_eq!(t.len(), 32);
        assert!(g.token_ok(&t));
        assert!(!g.token_ok(&t[..31]));
        assert!(!g.token_ok(""));
        assert_ne!(random_hex().unwrap(), random_hex().unwrap());
    }
}
