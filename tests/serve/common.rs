//! Helpers: the sidecar as a child process, a test sink, metrics, RSS.
//! Every wait has a timeout; every child is killed when dropped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const CARD: &str = "4111111111111111";
pub const CARD_MASKED: &str = "************1111";
pub const TOKEN: &str = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";
pub const TOKEN_MASKED: &str = "sk_live_****W3yZ";

pub fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("logredact")
}

/// A running `logredact serve`, killed on drop.
pub struct Sidecar {
    pub child: Child,
    pub addr: SocketAddr,
    pub metrics: Option<SocketAddr>,
    stderr: Arc<Mutex<String>>,
}

impl Sidecar {
    /// Starts `logredact serve --listen 127.0.0.1:0 ARGS` and waits (10 s
    /// at most) until it says where it listens.
    pub fn start(args: &[&str]) -> Sidecar {
        let mut child = Command::new(bin_path())
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("LOGREDACT_HMAC_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("logredact runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel::<String>();
        let err = child.stderr.take().unwrap();
        let log = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                log.lock().unwrap().push_str(&line);
                log.lock().unwrap().push('\n');
                let _ = tx.send(line);
            }
        });
        let want_metrics = args.contains(&"--metrics");
        let mut addr = None;
        let mut metrics = None;
        let deadline = Instant::now() + Duration::from_secs(10);
        while addr.is_none() || (want_metrics && metrics.is_none()) {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match rx.recv_timeout(left) {
                Ok(l) => l,
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "sidecar did not start within 10 s: {}",
                        stderr.lock().unwrap()
                    );
                }
            };
            if let Some(a) = line.strip_prefix("logredact: listening on ") {
                addr = Some(a.parse().unwrap());
            }
            if let Some(m) = line.strip_prefix("logredact: metrics on http://")
            {
                metrics =
                    Some(m.trim_end_matches("/metrics").parse().unwrap());
            }
        }
        Sidecar { child, addr: addr.unwrap(), metrics, stderr }
    }

    /// What it wrote on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).expect("connect to sidecar");
        s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
        s
    }

    /// Sends SIGTERM and waits for the exit (at most `secs`).
    pub fn terminate(&mut self, secs: u64) -> ExitStatus {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(ok.success());
        self.wait(secs)
    }

    pub fn wait(&mut self, secs: u64) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "sidecar did not exit within {secs} s: {}",
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// GET `path` on the metrics address: (status line, body).
    pub fn http_get(&self, path: &str) -> (String, String) {
        http_get(self.metrics.expect("started with --metrics"), path)
    }

    /// The value of one metric line (`name` with its labels, as
    /// printed), 0 when absent.
    pub fn metric(&self, name: &str) -> f64 {
        let (_, body) = self.http_get("/metrics");
        metric(&body, name)
    }

    /// Waits (at most `secs`) until metric `name` equals `want`.
    pub fn wait_metric(&self, name: &str, want: f64, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let v = self.metric(name);
            if v == want {
                return;
            }
            assert!(Instant::now() < deadline, "{name} = {v}, not {want}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Peak and current resident set size, KiB.
    pub fn rss_kib(&self) -> (u64, u64) {
        rss_kib(self.child.id())
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http_get(addr: SocketAddr, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    (head.lines().next().unwrap_or("").to_string(), body.to_string())
}

pub fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

pub fn rss_kib(pid: u32) -> (u64, u64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let get = |k: &str| {
        s.lines()
            .find_map(|l| l.strip_prefix(k))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (get("VmHWM:"), get("VmRSS:"))
}

/// A downstream: a listener on 127.0.0.1 that collects lines.
pub struct Sink {
    pub listener: TcpListener,
}

impl Sink {
    pub fn bind() -> Sink {
        Sink { listener: TcpListener::bind("127.0.0.1:0").unwrap() }
    }

    /// A sidecar forwarding here, with metrics on, and `extra` flags.
    pub fn sidecar(&self, extra: &[&str]) -> Sidecar {
        let addr = self.addr();
        let mut args = vec!["--forward", &addr, "--metrics", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        Sidecar::start(&args)
    }

    pub fn addr(&self) -> String {
        self.listener.local_addr().unwrap().to_string()
    }

    /// The next connection, within `secs`.
    pub fn accept(&self, secs: u64) -> TcpStream {
        accept(&self.listener, secs)
    }

    /// Accepts one connection and reads `n` lines from it (at most `secs`
    /// in all); returns them and the stream.
    pub fn lines(&self, n: usize, secs: u64) -> (Vec<String>, LineReader) {
        let mut r = LineReader::new(self.accept(secs));
        let lines = r.lines(n, secs);
        (lines, r)
    }
}

pub fn accept(l: &TcpListener, secs: u64) -> TcpStream {
    l.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        match l.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false).unwrap();
                return s;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    Instant::now() < deadline,
                    "no connection in {secs} s"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

/// Reads newline-terminated lines with a deadline.
pub struct LineReader {
    pub stream: TcpStream,
    buf: Vec<u8>,
    pub eof: bool,
}

impl LineReader {
    pub fn new(stream: TcpStream) -> LineReader {
        LineReader { stream, buf: Vec::new(), eof: false }
    }

    /// Up to `n` lines, stopping at EOF or after `secs`.
    pub fn lines(&mut self, n: usize, secs: u64) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut out = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        while out.len() < n {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = self.buf.drain(..=i).collect();
                out.push(String::from_utf8_lossy(&line[..i]).into_owned());
                continue;
            }
            if self.eof {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            self.stream.set_read_timeout(Some(left)).unwrap();
            match self.stream.read(&mut chunk) {
                Ok(0) => self.eof = true,
                Ok(k) => self.buf.extend_from_slice(&chunk[..k]),
                Err(_) => break,
            }
        }
        out
    }

    /// Every line until EOF (at most `secs`); bytes after the last
    /// newline are returned as a last line.
    pub fn read_to_end(&mut self, secs: u64) -> Vec<String> {
        let mut out = self.lines(usize::MAX, secs);
        if self.eof && !self.buf.is_empty() {
            out.push(String::from_utf8_lossy(&self.buf).into_owned());
            self.buf.clear();
        }
        out
    }
}

/// Lines arriving on a channel from a thread that reads `stream`.
pub fn read_in_background(stream: TcpStream) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stream);
        let mut line = Vec::new();
        loop {
            line.clear();
            match r.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let s = String::from_utf8_lossy(&line).into_owned();
                    if tx.send(s).is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}

/// True when `name` is on the PATH or an absolute path that exists; else
/// prints a skip note, or panics when `LOGREDACT_REQUIRE_SHIPPERS=1`.
pub fn have(name: &str) -> bool {
    let found = if name.starts_with('/') {
        std::path::Path::new(name).exists()
    } else {
        Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !found {
        if std::env::var("LOGREDACT_REQUIRE_SHIPPERS").as_deref() == Ok("1") {
            panic!("{name} is required (LOGREDACT_REQUIRE_SHIPPERS=1)");
        }
        println!("note: {name} not found; test skipped");
    }
    found
}
