//! `explore`: stateright's Explorer web UI on a lamport model, driven in headless Chromium
//! through chromedriver (WebDriver's JSON over HTTP): load the page, follow the initial state and
//! one action, and find the next state shown in lamport's trace notation. Skipped, with one
//! line, where Chromium or chromedriver is not installed.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use example::two_phase_commit;
use serde_json::{json, Value};

fn run(args: &str) -> ExitCode {
    let args = std::iter::once("two_phase_commit").chain(args.split(' '));
    lamport::cli::run_from(two_phase_commit::definition(), args)
}

#[test]
fn bad_ports_are_usage_errors() {
    for bad in ["70000", "0", "-1", "http"] {
        assert_eq!(
            run(&format!("explore --port {bad}")),
            ExitCode::from(2),
            "{bad}"
        );
    }
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    assert_eq!(run(&format!("explore --port {port}")), ExitCode::from(2));
    assert_eq!(
        run("explore --config nope --port 3000"),
        ExitCode::from(2),
        "an unknown configuration"
    );
}

/// The child process of the browser test: serves the Explorer on `LAMPORT_EXPLORE_PORT`.
#[test]
#[ignore = "the child process of another test, run by it with --ignored"]
fn explorer_child() {
    let Ok(port) = std::env::var("LAMPORT_EXPLORE_PORT") else {
        return;
    };
    run(&format!("explore --config rm3 --port {port}"));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the child when the test ends, however it ends.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 exchange with a local server; the JSON body of the answer.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )
    .map_err(|e| e.to_string())?;
    // Read the header, then as many bytes as it announces (chromedriver keeps the connection
    // open whatever the request says).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "connection closed: {}",
                String::from_utf8_lossy(&raw)
            ));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..header_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let have = raw.len() - header_end;
        let done = match length {
            Some(n) => have >= n,
            None if chunked => raw.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if done {
            break;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[header_end..]).into_owned();
    let body = if chunked { dechunk(&rest) } else { rest };
    serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Polls `f` until it gives a value, for at most `secs` seconds.
fn wait_for<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn on_path(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.exists())
}

/// Ends the browser session when the test ends, however it ends (chromedriver would otherwise
/// leave Chromium running after it is killed).
struct Session {
    driver_port: u16,
    id: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = http(
            self.driver_port,
            "DELETE",
            &format!("/session/{}", self.id),
            None,
        );
    }
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

#[test]
fn the_explorer_follows_an_action_in_headless_chromium() {
    let chromium = std::env::var_os("CHROMIUM")
        .map(std::path::PathBuf::from)
        .or_else(|| on_path("chromium"));
    let found = match (chromium, on_path("chromedriver")) {
        (Some(chromium), Some(driver)) => Ok((chromium, driver)),
        _ => Err("Debian: apt-get install chromium chromium-driver".to_string()),
    };
    let Some((chromium, driver)) = lamport::tla::tools::require("Chromium and chromedriver", found)
    else {
        return;
    };

    let explorer_port = free_port();
    let _explorer = Reaped(
        Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "explorer_child", "--nocapture"])
            .env("LAMPORT_EXPLORE_PORT", explorer_port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let driver_port = free_port();
    let _driver = Reaped(
        Command::new(driver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(30, "chromedriver", || {
        http(driver_port, "GET", "/status", None)
            .ok()
            .filter(|s| s["value"]["ready"] == json!(true))
    });
    wait_for(60, "the Explorer", || {
        TcpStream::connect(("127.0.0.1", explorer_port)).ok()
    });

    let session = http(
        driver_port,
        "POST",
        "/session",
        Some(&json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": chromium.display().to_string(),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        }}}})),
    )
    .unwrap();
    let session = Session {
        driver_port,
        id: session["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"))
            .to_string(),
    };
    let id = session.id.clone();
    let s = |p: &str| format!("/session/{id}{p}");
    let find = |xpath: &str| -> String {
        wait_for(30, xpath, || {
            let r = http(
                driver_port,
                "POST",
                &s("/element"),
                Some(&json!({"using": "xpath", "value": xpath})),
            )
            .ok()?;
            r["value"][ELEMENT].as_str().map(str::to_string)
        })
    };
    let click = |xpath: &str| {
        let e = find(xpath);
        http(
            driver_port,
            "POST",
            &s(&format!("/element/{e}/click")),
            Some(&json!({})),
        )
        .unwrap();
    };

    http(
        driver_port,
        "POST",
        &s("/url"),
        Some(&json!({"url": format!("http://127.0.0.1:{explorer_port}/")})),
    )
    .unwrap();
    click("//a[normalize-space(.)='Init 0']");
    click("//a[normalize-space(.)='RMPrepare(r1)']");
    // The "Current State" pane shows the step as a trace does.
    let pane = "//section[contains(@class, 'main-flex-right')]/div[contains(@class, 'font-small')]";
    let shown = wait_for(30, "the next state", || {
        let e = find(pane);
        let r = http(driver_port, "GET", &s(&format!("/element/{e}/text")), None).ok()?;
        let text = r["value"].as_str()?.to_string();
        text.starts_with("RMPrepare(r1)").then_some(text)
    });
    drop(session);
    for line in [
        r#"/\ rmState = (r1 :> "prepared" @@ r2 :> "working" @@ r3 :> "working")    (was (r1 :> "working" @@ r2 :> "working" @@ r3 :> "working"))"#,
        r#"/\ tmState = "init""#,
        r#"/\ msgs = {[type |-> "prepared", rm |-> r1]}    (was {})"#,
    ] {
        assert!(shown.contains(line), "`{line}` is not shown:\n{shown}");
    }
}
