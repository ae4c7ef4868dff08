//! `cogov serve` through its HTTP API: bad requests, the token, the caps, closed pages, and
//! concurrent sessions whose exports `cogov run` and `cogov experiment` reproduce byte for
//! byte. Each test starts the real binary on a free port with a tiny world.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{TINY_WORLD, bin, cogov, tmp};
use serde_json::{Value, json};

/// A running `cogov serve`, killed when dropped.
struct Serve {
    child: Child,
    base: String,
    url: String,
}

impl Serve {
    /// Starts `cogov serve SCENARIO --port 0 EXTRA`; sessions outlive a quiet minute
    /// unless `extra` sets `--session-timeout`.
    fn start(scenario: &Path, extra: &[&str]) -> Serve {
        let timeout: &[&str] = if extra.contains(&"--session-timeout") {
            &[]
        } else {
            &["--session-timeout", "600"]
        };
        let mut child = bin()
            .arg("serve")
            .arg(scenario)
            .args(["--port", "0"])
            .args(timeout)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cogov serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("cogov serve: ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        let rest = url.strip_prefix("http://").unwrap();
        let host = &rest[..rest.find('/').unwrap()];
        Serve {
            child,
            base: format!("http://{host}"),
            url,
        }
    }

    fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    fn stderr(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut s = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut s);
        }
        s
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// (status, body) of a request; `body` is sent as JSON when given.
fn call(method: &str, url: &str, body: Option<&str>, headers: &[(&str, &str)]) -> (u16, String) {
    let a = agent();
    let mut resp = match (method, body) {
        ("GET", _) => {
            let mut r = a.get(url);
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.call()
        }
        ("DELETE", _) => a.delete(url).call(),
        (_, b) => {
            let mut r = a.post(url);
            if !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
            {
                r = r.header("Content-Type", "application/json");
            }
            for (k, v) in headers {
                r = r.header(*k, *v);
            }
            r.send(b.unwrap_or(""))
        }
    }
    .expect("the server answers");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Checks a 4xx answer with a JSON error naming `fragment`.
fn refused(status: u16, body: &str, code: u16, fragment: &str) {
    assert_eq!(status, code, "{body}");
    let v = json_of(body);
    let msg = v["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"));
    assert!(
        msg.contains(fragment),
        "error {msg:?} does not mention {fragment:?}"
    );
}

fn tiny(name: &str, ticks: u32) -> PathBuf {
    let dir = tmp(name);
    let path = dir.join("tiny.toml");
    std::fs::write(
        &path,
        format!("name = \"tiny\"\nticks = {ticks}\n\n{TINY_WORLD}"),
    )
    .unwrap();
    path
}

fn create(s: &Serve) -> String {
    let (code, body) = call("POST", &format!("{}/api/sessions", s.base), Some("{}"), &[]);
    assert_eq!(code, 201, "{body}");
    json_of(&body)["id"].as_str().unwrap().to_string()
}

fn session(s: &Serve, id: &str, rest: &str) -> String {
    format!("{}/api/sessions/{id}{rest}", s.base)
}

/// Polls the session's state until `done` holds (bounded; not a timing assertion).
fn wait(s: &Serve, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let (code, body) = call("GET", &session(s, id, ""), None, &[]);
        assert_eq!(code, 200, "{body}");
        let v = json_of(&body);
        if done(&v) {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "session never got there: {v}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn state_is(v: &Value, state: &str) -> bool {
    v["status"]["state"] == state && !v["info"].is_null()
}

fn post(s: &Serve, id: &str, rest: &str, body: Value) -> (u16, String) {
    call("POST", &session(s, id, rest), Some(&body.to_string()), &[])
}

#[test]
fn bad_requests_get_a_json_error_and_other_sessions_go_on() {
    let s = Serve::start(&tiny("bad", 30), &[]);
    let a = create(&s);
    let b = create(&s);
    wait(&s, &a, |v| state_is(v, "paused"));
    assert_eq!(
        post(&s, &a, "/control", json!({"action": "step", "steps": 4})).0,
        200
    );
    wait(&s, &a, |v| {
        v["status"]["days"] == 4 && v["status"]["state"] == "paused"
    });

    let url = session(&s, &b, "/control");
    let (c, body) = call("POST", &url, Some("{not json"), &[]);
    assert_eq!(c, 400, "{body}");
    assert!(json_of(&body)["error"].is_string());
    let (c, body) = call("POST", &url, Some(r#"{"action": 3}"#), &[]);
    assert!((400..500).contains(&c) && json_of(&body)["error"].is_string());
    let (c, body) = call("POST", &url, Some(r#"{"action": "play", "bogus": 1}"#), &[]);
    refused(c, &body, 422, "bogus");
    let (c, body) = post(&s, &b, "/control", json!({"action": "fly"}));
    refused(c, &body, 400, "unknown action");
    let (c, body) = post(&s, &b, "/control", json!({"action": "step", "steps": 0}));
    refused(c, &body, 400, "steps");
    let (c, body) = post(&s, &b, "/control", json!({"action": "speed", "speed": -1}));
    refused(c, &body, 400, "speed");
    // Wrong content type.
    let (c, body) = call(
        "POST",
        &url,
        Some(r#"{"action":"play"}"#),
        &[("Content-Type", "text/plain")],
    );
    assert!(c == 415 || c == 400, "{c} {body}");
    assert!(json_of(&body)["error"].is_string());

    // Steering: unknown path, fixed path, wrong type, out of range, unknown `when`.
    let (c, body) = post(
        &s,
        &b,
        "/steer",
        json!({"set": {"mechanisms.grid.enabeld": true}, "when": "next_tick"}),
    );
    refused(c, &body, 400, "mechanisms.grid.enabled");
    let (c, body) = post(
        &s,
        &b,
        "/steer",
        json!({"set": {"world.residents": 900}, "when": "next_tick"}),
    );
    refused(c, &body, 400, "apply it on reset");
    let (c, body) = post(
        &s,
        &b,
        "/steer",
        json!({"set": {"mechanisms.grid.enabled": 0.5}, "when": "next_tick"}),
    );
    refused(c, &body, 400, "boolean");
    let (c, body) = post(
        &s,
        &b,
        "/steer",
        json!({"set": {"residents.lapse_probability": 3.0}, "when": "reset"}),
    );
    refused(c, &body, 400, "residents.lapse_probability");
    let (c, body) = post(
        &s,
        &b,
        "/steer",
        json!({"set": {"mechanisms.grid.enabled": true}, "when": "later"}),
    );
    refused(c, &body, 400, "next_tick");
    let (c, body) = post(&s, &b, "/steer", json!({"set": {}, "when": "reset"}));
    refused(c, &body, 400, "empty");

    // Uploads are validated like `cogov check`: file, line:column, key path.
    let (c, body) = post(
        &s,
        &b,
        "/reset",
        json!({"upload": {"name": "../../etc/mine.toml", "text": "ticks = 10\n[world]\nresidents = \"many\"\n"}}),
    );
    refused(c, &body, 400, "mine.toml:3:13: `world.residents`");
    assert!(!body.contains("etc/"), "{body}");
    let (c, body) = post(
        &s,
        &b,
        "/reset",
        json!({"upload": {"name": "x.toml", "text": "[world\n"}}),
    );
    refused(c, &body, 400, "x.toml:1:");
    let (c, body) = post(&s, &b, "/reset", json!({"scenario": "../README"}));
    refused(c, &body, 400, "no shipped scenario");
    let (c, body) = post(&s, &b, "/reset", json!({"world": {"world.grids": 1}}));
    refused(c, &body, 400, "world.grids");
    let (c, body) = post(
        &s,
        &b,
        "/reset",
        json!({"world": {"residents.lapse_probability": 0.2}}),
    );
    refused(c, &body, 400, "not a session-wide setting");

    // Bodies are bounded: a 2 MiB upload is refused from its length alone.
    let port = s.port();
    let head = raw(
        port,
        &format!(
            "POST /api/sessions/{b}/reset HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"upload\": {{\"name\": \"big.toml\", \"text\": \"####",
            2 << 20
        ),
    );
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains("\"error\""), "{head}");

    // Files and communities that do not exist; paths that would reach the disk.
    let (c, body) = call(
        "GET",
        &session(&s, &b, "/file?arm=sideways&replicate=0&file=timeseries"),
        None,
        &[],
    );
    assert_eq!(c, 400, "{body}");
    let (c, body) = call(
        "GET",
        &session(&s, &b, "/file?arm=explored&replicate=99&file=timeseries"),
        None,
        &[],
    );
    refused(c, &body, 400, "replicate 99");
    let (c, body) = call("GET", &session(&s, &b, "/community?c=999"), None, &[]);
    refused(c, &body, 400, "community 999");
    let (c, body) = call("GET", &session(&s, "nope", ""), None, &[]);
    refused(c, &body, 404, "no session");
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..%2fsrc%2flib.rs",
        "/../../etc/passwd",
        "/scenarios/shangcheng.toml",
    ] {
        let (c, body) = call("GET", &format!("{}{path}", s.base), None, &[]);
        assert_eq!(c, 404, "{path}: {body}");
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{path}"
        );
    }
    let (c, body) = call("DELETE", &format!("{}/api/info", s.base), None, &[]);
    refused(c, &body, 405, "DELETE");

    // The other session was never disturbed.
    assert_eq!(
        post(&s, &a, "/control", json!({"action": "step", "steps": 3})).0,
        200
    );
    wait(&s, &a, |v| {
        v["status"]["days"] == 7 && v["status"]["state"] == "paused"
    });
    let stderr = s.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn beyond_loopback_every_request_needs_the_token() {
    let s = Serve::start(&tiny("token", 10), &["--host", "0.0.0.0"]);
    let token = s.url.rsplit("token=").next().unwrap().to_string();
    assert_eq!(token.len(), 32, "{}", s.url);
    let info = format!("{}/api/info", s.base);
    let (c, body) = call("GET", &info, None, &[]);
    refused(c, &body, 401, "token");
    let (c, body) = call("GET", &format!("{}/", s.base), None, &[]);
    refused(c, &body, 401, "token");
    let wrong: String = token.chars().rev().collect();
    let (c, body) = call("GET", &format!("{info}?token={wrong}"), None, &[]);
    refused(c, &body, 401, "wrong token");
    let (c, _) = call("GET", &format!("{info}?token={token}"), None, &[]);
    assert_eq!(c, 200);
    let (c, _) = call("GET", &info, None, &[("x-cogov-token", &token)]);
    assert_eq!(c, 200);
    // The page's first load sets the cookie that its scripts and streams then carry.
    let mut resp = agent()
        .get(&format!("{}/?token={token}", s.base))
        .call()
        .unwrap();
    let cookie = resp
        .headers()
        .get("set-cookie")
        .expect("a cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains(&token) && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(resp.body_mut().read_to_string().unwrap().contains("cogov"));
    let pair = cookie.split(';').next().unwrap();
    let (c, _) = call("GET", &info, None, &[("Cookie", pair)]);
    assert_eq!(c, 200);
    let stderr = s.stderr();
    assert!(
        stderr.contains("warning") && stderr.contains("token"),
        "{stderr}"
    );
}

/// Sends a raw request and returns the response head and body.
fn raw(port: u16, request: &str) -> String {
    let mut t = TcpStream::connect(("127.0.0.1", port)).unwrap();
    t.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    t.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = t.read_to_string(&mut out);
    out
}

#[test]
fn on_loopback_a_foreign_host_header_is_refused() {
    let s = Serve::start(&tiny("host", 10), &[]);
    let port = s.port();
    let ok = raw(
        port,
        &format!("GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.contains("content-security-policy"), "{ok}");
    let bad = raw(
        port,
        &format!(
            "GET /api/info HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(bad.starts_with("HTTP/1.1 403"), "{bad}");
    assert!(bad.contains("\"error\""), "{bad}");
    // Malformed HTTP is dropped by the server without harm.
    let junk = raw(port, "BLAH\r\n\r\n");
    assert!(!junk.contains("200 OK"));
    let again = raw(
        port,
        &format!("GET /api/info HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
    );
    assert!(again.starts_with("HTTP/1.1 200"), "{again}");
}

#[test]
fn caps_on_sessions_and_world_size_say_what_to_do() {
    let s = Serve::start(
        &tiny("caps", 10),
        &["--max-sessions", "2", "--max-residents", "7000"],
    );
    let a = create(&s);
    let _b = create(&s);
    let (c, body) = call("POST", &format!("{}/api/sessions", s.base), Some("{}"), &[]);
    refused(c, &body, 429, "--max-sessions 2");
    let (c, _) = call("DELETE", &session(&s, &a, ""), None, &[]);
    assert_eq!(c, 200);
    let c3 = create(&s);
    wait(&s, &c3, |v| state_is(v, "paused"));
    // 600 residents × 6 replicates × 2 arms = 7,200 > 7,000.
    let (c, body) = post(&s, &c3, "/reset", json!({"replicates": 6}));
    refused(c, &body, 413, "--max-residents");
    let (c, body) = post(
        &s,
        &c3,
        "/reset",
        json!({"replicates": 6, "reference": "none"}),
    );
    assert_eq!(c, 200, "{body}");
    let (c, body) = post(&s, &c3, "/reset", json!({"replicates": 21}));
    refused(c, &body, 413, "--max-replicates");
    let (c, body) = post(
        &s,
        &c3,
        "/reset",
        json!({"world": {"world.residents": 50000}}),
    );
    refused(c, &body, 413, "world too large");
}

#[test]
fn a_closed_page_frees_its_session() {
    let s = Serve::start(&tiny("close", 10), &["--session-timeout", "1"]);
    let count = || {
        json_of(&call("GET", &format!("{}/api/info", s.base), None, &[]).1)["sessions"]
            .as_u64()
            .unwrap()
    };
    let id = create(&s);
    // An open event stream keeps the session.
    let port = s.port();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            format!("GET /api/sessions/{id}/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: setup") {
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(seen.contains("text/event-stream"), "{seen}");
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(count(), 1, "a session with an open page is kept");
    // Closing the page (the connection) frees it after the timeout (1 s here).
    drop(stream);
    let start = Instant::now();
    while count() != 0 {
        assert!(start.elapsed() < Duration::from_secs(30), "never freed");
        std::thread::sleep(Duration::from_millis(100));
    }
    let (c, body) = call("GET", &session(&s, &id, ""), None, &[]);
    refused(c, &body, 404, "closed or timed out");
    // The page's beacon on close frees it at once.
    let id = create(&s);
    let (c, _) = call(
        "POST",
        &session(&s, &id, "/close"),
        Some(""),
        &[("Content-Type", "text/plain")],
    );
    assert_eq!(c, 200);
    assert_eq!(count(), 0);
}

fn file(s: &Serve, id: &str, arm: &str, r: u32, which: &str) -> Vec<u8> {
    let url = session(
        s,
        id,
        &format!("/file?arm={arm}&replicate={r}&file={which}"),
    );
    let mut resp = agent().get(&url).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    resp.body_mut().read_to_vec().unwrap()
}

fn export(s: &Serve, id: &str, dir: &Path) -> PathBuf {
    let (c, text) = call("GET", &session(s, id, "/export"), None, &[]);
    assert_eq!(c, 200, "{text}");
    let path = dir.join("exported.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `cogov run` of a session's export, with a replicate's seed, gives that replicate's
/// files byte for byte.
fn run_reproduces(s: &Serve, id: &str, dir: &Path, replicate: u32) -> PathBuf {
    let file_path = export(s, id, dir);
    let text = std::fs::read_to_string(&file_path).unwrap();
    let check = cogov(&["check", file_path.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let state = json_of(&call("GET", &session(s, id, ""), None, &[]).1);
    let seed = state["info"]["seeds"][replicate as usize]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains(&format!(
            "replicate {replicate}: cogov run FILE --seed {seed}"
        )),
        "{text}"
    );
    let out = dir.join(format!("run{replicate}"));
    let run = cogov(&[
        "run",
        file_path.to_str().unwrap(),
        "--seed",
        &seed,
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for which in ["timeseries", "summary", "communities"] {
        let live = file(s, id, "explored", replicate, which);
        let batch = std::fs::read(out.join(format!("{which}.csv"))).unwrap();
        assert!(live == batch, "{which}.csv differs from `cogov run`");
    }
    file_path
}

/// Data rows of one run in an experiment's timeseries.csv, without the run id.
fn experiment_rows(dir: &Path, policy: &str, replicate: u32) -> Vec<String> {
    let runs = std::fs::read_to_string(dir.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let id = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[col("policy")] == policy && f[col("replicate")] == replicate.to_string())
        .map(|f| f[0].to_string())
        .unwrap_or_else(|| panic!("no run of {policy} replicate {replicate}"));
    std::fs::read_to_string(dir.join("timeseries.csv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{id},")).map(str::to_string))
        .collect()
}

fn data_rows(csv: &[u8]) -> Vec<String> {
    String::from_utf8(csv.to_vec())
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn concurrent_sessions_are_reproduced_by_run_and_experiment() {
    let scenario = tiny("repro", 24);
    let s = Serve::start(&scenario, &[]);
    let a = create(&s);
    let b = create(&s);
    wait(&s, &a, |v| state_is(v, "paused"));
    wait(&s, &b, |v| state_is(v, "paused"));
    // Session A: baseline reference, the grid switched on live at day 6.
    assert_eq!(
        post(&s, &a, "/reset", json!({"replicates": 2, "seed": 3})).0,
        200
    );
    // Session B: another seed, a setting from the start, the scenario as reference.
    let (c, body) = post(
        &s,
        &b,
        "/reset",
        json!({"replicates": 2, "seed": 11, "reference": "loaded",
               "settings": {"mechanisms.online.enabled": true}}),
    );
    assert_eq!(c, 200, "{body}");
    wait(&s, &a, |v| {
        state_is(v, "paused") && v["info"]["seed"] == "3"
    });
    wait(&s, &b, |v| {
        state_is(v, "paused") && v["info"]["seed"] == "11"
    });
    assert_eq!(post(&s, &b, "/control", json!({"action": "play"})).0, 200);
    assert_eq!(
        post(&s, &a, "/control", json!({"action": "step", "steps": 6})).0,
        200
    );
    wait(&s, &a, |v| {
        v["status"]["days"] == 6 && v["status"]["state"] == "paused"
    });
    let (c, body) = post(
        &s,
        &a,
        "/steer",
        json!({"set": {"mechanisms.grid.enabled": true}, "when": "next_tick", "note": "patrols"}),
    );
    assert_eq!(c, 200, "{body}");
    assert_eq!(json_of(&body)["day"], 6);
    assert_eq!(post(&s, &a, "/control", json!({"action": "play"})).0, 200);
    let va = wait(&s, &a, |v| v["status"]["state"] == "finished");
    wait(&s, &b, |v| v["status"]["state"] == "finished");
    assert_eq!(va["changes"][0]["day"], 6);
    assert_eq!(va["days"], 24);
    let (c, body) = post(
        &s,
        &a,
        "/steer",
        json!({"set": {"mechanisms.grid.enabled": false}, "when": "next_tick"}),
    );
    refused(c, &body, 409, "horizon");

    // Common random numbers: both arms of A are identical until the change, then differ.
    let explored = data_rows(&file(&s, &a, "explored", 0, "timeseries"));
    let reference = data_rows(&file(&s, &a, "reference", 0, "timeseries"));
    assert_eq!(explored[..6], reference[..6]);
    assert_ne!(explored[6..], reference[6..]);

    let dir_a = tmp("repro-a");
    let file_a = run_reproduces(&s, &a, &dir_a, 0);
    run_reproduces(&s, &a, &dir_a, 1);
    let dir_b = tmp("repro-b");
    run_reproduces(&s, &b, &dir_b, 0);
    let text = std::fs::read_to_string(&file_a).unwrap();
    assert!(
        text.contains("[[change]]") && text.contains("day = 6"),
        "{text}"
    );

    // `cogov experiment` reproduces both arms of every replicate.
    let out = dir_a.join("experiment");
    let e = cogov(&[
        "experiment",
        file_a.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-plot",
        "-j",
        "2",
    ]);
    assert!(e.status.success(), "{}", String::from_utf8_lossy(&e.stderr));
    for (policy, arm) in [("explored", "explored"), ("reference", "reference")] {
        for r in 0..2 {
            let live = data_rows(&file(&s, &a, arm, r, "timeseries"));
            assert_eq!(
                experiment_rows(&out, policy, r),
                live,
                "{policy} replicate {r}"
            );
        }
    }
    // The change history as a policy: the grid on from day 0.
    let after = experiment_rows(&out, "after_day_6", 0);
    assert_eq!(after.len(), 24);
    assert_ne!(after, explored);
}

#[test]
fn a_default_over_the_cap_opens_a_session_that_says_why() {
    // 600 residents × 5 replicates × 2 arms = 6,000 > 5,000.
    let s = Serve::start(&tiny("overcap", 10), &["--max-residents", "5000"]);
    let id = create(&s);
    let v = wait(&s, &id, |v| v["status"]["state"] == "failed");
    assert!(
        v["status"]["message"]
            .as_str()
            .unwrap()
            .contains("--max-residents"),
        "{v}"
    );
    // Nothing to run, steer or download until a reset that fits.
    assert_eq!(post(&s, &id, "/control", json!({"action": "play"})).0, 200);
    let (c, body) = post(
        &s,
        &id,
        "/steer",
        json!({"set": {"mechanisms.grid.enabled": true}, "when": "next_tick"}),
    );
    refused(c, &body, 409, "no worlds");
    let (c, body) = call(
        "GET",
        &session(&s, &id, "/file?arm=explored&replicate=0&file=timeseries"),
        None,
        &[],
    );
    refused(c, &body, 400, "no worlds");
    let (c, body) = post(&s, &id, "/reset", json!({"replicates": 4}));
    assert_eq!(c, 200, "{body}");
    wait(&s, &id, |v| state_is(v, "paused"));
    assert_eq!(post(&s, &id, "/control", json!({"action": "play"})).0, 200);
    wait(&s, &id, |v| {
        v["status"]["state"] == "finished" && v["days"] == 10
    });
}
