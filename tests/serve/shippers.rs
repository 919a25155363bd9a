//! Real shippers in front of the sidecar: the rsyslog daemon (Debian's
//! package; imfile → omfwd over TCP, octet-counted and traditional
//! framing) and util-linux `logger --tcp` (RFC 5424, octet-counted and
//! newline). A missing binary skips the test with a note, unless
//! `LOGREDACT_REQUIRE_SHIPPERS=1` (set by `.ci/run`).

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;

const RSYSLOGD: &str = "/usr/sbin/rsyslogd";
const LOGGER: &str = "/usr/bin/logger";

/// An rsyslogd in the foreground with its own config, pid file and work
/// directory; killed on drop.
struct Rsyslog(Child);

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The config of `examples/serve/rsyslog.conf`, pointed at a temp dir
/// and the test's ports.
fn rsyslog_conf(
    dir: &Path,
    port: u16,
    framing: &str,
    template: &str,
) -> String {
    let example = include_str!("../../examples/serve/rsyslog.conf");
    example
        .replace("/var/lib/rsyslog", &dir.join("work").display().to_string())
        .replace(
            "/var/log/app/app.log",
            &dir.join("app.log").display().to_string(),
        )
        .replace("port=\"5140\"", &format!("port=\"{port}\""))
        .replace(
            "TCP_Framing=\"octet-counted\"",
            &format!("TCP_Framing=\"{framing}\""),
        )
        .replace("RSYSLOG_SyslogProtocol23Format", template)
}

fn start_rsyslog(dir: &Path, conf: &str) -> Rsyslog {
    std::fs::create_dir_all(dir.join("work")).unwrap();
    let path = dir.join("rsyslog.conf");
    std::fs::write(&path, conf).unwrap();
    let child = Command::new(RSYSLOGD)
        .arg("-n")
        .arg("-f")
        .arg(&path)
        .arg("-i")
        .arg(dir.join("rsyslogd.pid"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("rsyslogd runs");
    Rsyslog(child)
}

/// The app writes 300 lines with cards and tokens to a file; rsyslog
/// tails it (imfile) and forwards over TCP (omfwd) through the sidecar to
/// a sink: every line arrives once, in order, redacted, with rsyslog's
/// header intact.
fn rsyslog_through_sidecar(framing: &str, template: &str) {
    if !have(RSYSLOGD) {
        return;
    }
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let mut down = LineReader::new(sink.accept(10));
    let conf = rsyslog_conf(dir.path(), side.addr.port(), framing, template);
    let mut app = std::fs::File::create(dir.path().join("app.log")).unwrap();
    let _rsyslog = start_rsyslog(dir.path(), &conf);
    let mut log = String::new();
    for i in 0..N {
        log.push_str(&format!(
            "payment {i} declined card {CARD} key {TOKEN} cvv=737\n"
        ));
    }
    app.write_all(log.as_bytes()).unwrap();
    app.flush().unwrap();
    let lines = down.lines(N, 60);
    assert_eq!(lines.len(), N, "rsyslog delivered {} lines", lines.len());
    for (i, l) in lines.iter().enumerate() {
        let msg = format!(
            "payment {i} declined card {CARD_MASKED} key {TOKEN_MASKED} \
             cvv=[REDACTED:cvv]"
        );
        assert!(l.starts_with("<133>"), "not syslog: {l}");
        assert!(l.contains(" app"), "header lost: {l}");
        assert!(l.ends_with(&msg), "line {i}: {l}");
    }
    // Nothing more: no line twice.
    assert!(down.lines(1, 1).is_empty());
}

#[test]
fn rsyslog_omfwd_octet_counted() {
    rsyslog_through_sidecar("octet-counted", "RSYSLOG_SyslogProtocol23Format");
}

#[test]
fn rsyslog_omfwd_traditional_framing() {
    rsyslog_through_sidecar("traditional", "RSYSLOG_ForwardFormat");
}

/// `logger --tcp --rfc5424`, octet-counted and newline-framed, 100
/// messages each (one per input line): all arrive in order, redacted.
#[test]
fn logger_tcp_rfc5424() {
    if !have(LOGGER) {
        return;
    }
    let sink = Sink::bind();
    let side = sink.sidecar(&[]);
    let mut down = LineReader::new(sink.accept(10));
    for (k, framing) in [&["--octet-count"][..], &[][..]].iter().enumerate() {
        let mut input = String::new();
        for i in 0..100 {
            input.push_str(&format!("run {k} msg {i} card {CARD} cvv=123\n"));
        }
        let mut child = Command::new(LOGGER)
            .args(["--tcp", "--rfc5424", "-n", "127.0.0.1", "-t", "payments"])
            .args(["-P", &side.addr.port().to_string()])
            .args(*framing)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("logger runs");
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let status = wait_child(&mut child, 10);
        assert!(status, "logger failed");
        let lines = down.lines(100, 20);
        assert_eq!(lines.len(), 100);
        for (i, l) in lines.iter().enumerate() {
            assert!(l.starts_with("<13>1 "), "{l}");
            assert!(l.contains(" payments "), "{l}");
            let want = format!(
                "run {k} msg {i} card {CARD_MASKED} cvv=[REDACTED:cvv]"
            );
            assert!(l.ends_with(&want), "{l}");
        }
    }
}

fn wait_child(c: &mut Child, secs: u64) -> bool {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(s) = c.try_wait().unwrap() {
            return s.success();
        }
        if std::time::Instant::now() > deadline {
            let _ = c.kill();
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
