//! Headless Chromium through chromedriver (WebDriver's JSON over HTTP, with std only), for the
//! tests of lamport's pages: open a page, click, read its text, run a script, take a
//! screenshot. `Browser::start` returns `None`, after one line on stderr, where Chromium or
//! chromedriver is not installed (Debian: `apt-get install chromium chromium-driver`).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Kills the child when the test ends, however it ends.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 exchange with a local server; the JSON body of the answer.
pub fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
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
pub fn wait_for<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
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

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.exists())
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A headless Chromium session; ended (and chromedriver stopped) when dropped.
pub struct Browser {
    port: u16,
    id: String,
    _driver: Reaped,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a window of `width` × `height`.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let chromium = std::env::var_os("CHROMIUM")
            .map(PathBuf::from)
            .or_else(|| on_path("chromium"));
        let found = match (chromium, on_path("chromedriver")) {
            (Some(chromium), Some(driver)) => Ok((chromium, driver)),
            _ => Err("Debian: apt-get install chromium chromium-driver".to_string()),
        };
        // Under CI=true the browser tests must run.
        let (chromium, driver) = lamport::tla::tools::require("Chromium and chromedriver", found)?;
        let port = free_port();
        let driver = Reaped(
            Command::new(driver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_for(30, "chromedriver", || {
            http(port, "GET", "/status", None)
                .ok()
                .filter(|s| s["value"]["ready"] == json!(true))
        });
        let session = http(
            port,
            "POST",
            "/session",
            Some(&json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         format!("--window-size={width},{height}"), "--allow-file-access-from-files"],
            }}}})),
        )
        .unwrap();
        let id = session["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {session}"))
            .to_string();
        Some(Browser {
            port,
            id,
            _driver: driver,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let r = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        r["value"].clone()
    }

    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(&json!({ "url": url })));
    }

    /// The first element matching `xpath`, waiting for it up to 60 s.
    pub fn find(&self, xpath: &str) -> String {
        wait_for(60, xpath, || {
            let r = http(
                self.port,
                "POST",
                &format!("/session/{}/element", self.id),
                Some(&json!({"using": "xpath", "value": xpath})),
            )
            .ok()?;
            r["value"][ELEMENT].as_str().map(str::to_string)
        })
    }

    pub fn click(&self, xpath: &str) {
        let e = self.find(xpath);
        self.call("POST", &format!("/element/{e}/click"), Some(&json!({})));
    }

    /// The rendered text of the first element matching `xpath`.
    pub fn text(&self, xpath: &str) -> String {
        let e = self.find(xpath);
        self.call("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs `script` (a function body) in the page; its return value.
    pub fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": []})),
        )
    }

    /// The page's visible text.
    pub fn page_text(&self) -> String {
        self.run("return document.body.innerText;")
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits until the page's text contains `needle`; the text.
    pub fn wait_for_text(&self, needle: &str) -> String {
        wait_for(60, needle, || {
            let t = self.page_text();
            t.contains(needle).then_some(t)
        })
    }

    /// Takes a screenshot of the whole page (the window grown to the page's height), writes it
    /// to `path`, and returns the page's visible text at that moment.
    pub fn screenshot(&self, path: &Path) -> String {
        let height = self
            .run("return Math.ceil(document.documentElement.scrollHeight);")
            .as_u64()
            .unwrap_or(1000)
            .clamp(400, 8000);
        let width = self
            .run("return Math.ceil(document.documentElement.scrollWidth);")
            .as_u64()
            .unwrap_or(1200)
            .clamp(800, 4000);
        self.call(
            "POST",
            "/window/rect",
            Some(&json!({"width": width, "height": height + 120})),
        );
        let png = self.call("GET", "/screenshot", None);
        let bytes = base64(png.as_str().expect("base64 PNG"));
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "the screenshot is not a PNG"
        );
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, &bytes).unwrap();
        self.page_text()
    }
}

/// Decodes standard base64.
fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// The size of a PNG image, from its header.
pub fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (be(16), be(20))
}
