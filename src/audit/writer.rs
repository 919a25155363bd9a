//! The writer thread: appends events to the audit file as JSON lines
//! (buffered, flushed at least once a second and at the end) and feeds
//! the alert tracker.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{alert, time, Counters, Event, Msg};
use super::{BLOCK_KIND, BLOCK_RULE, KEY_RULE};
use crate::engine::Engine;
use crate::fingerprint::Fingerprint;

/// The writer looks at the queue this often when it was empty: the
/// queue must hold what comes in meanwhile (the dense bench's lines,
/// all secrets, bring some 1,100 events in 5 ms; the default queue holds
/// 16384).
const POLL: Duration = Duration::from_millis(5);
/// The audit file is flushed at least this often.
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Opens the audit file for appending; a new one readable by its owner
/// only (it names sources and where secrets were).
pub(super) fn open(path: &std::path::Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// The writer thread's state.
pub(super) struct Writer {
    engine: Engine,
    out: BufWriter<File>,
    name: String,
    /// A write failed: events are dropped from then on.
    failed: bool,
    /// Events written since the last flush: counted as written once
    /// flushed.
    unflushed: u64,
    counters: Arc<Counters>,
    alerts: alert::Tracker,
    line: String,
}

/// One line of the audit file. Field order is the schema's.
#[derive(Serialize)]
struct Line<'a> {
    time: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    conn: Option<u64>,
    line: u64,
    kind: &'a str,
    detector: Option<&'a str>,
    rule: &'a str,
    fingerprint: Option<Fp>,
}

/// A fingerprint written as its text, without a `String` of its own.
struct Fp(Fingerprint);

impl Serialize for Fp {
    fn serialize<S: serde::Serializer>(
        &self,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Writer {
    /// A writer appending to `file` (named `name` in messages).
    pub(super) fn new(
        engine: Engine,
        file: File,
        name: String,
        counters: Arc<Counters>,
        alert: &alert::AlertConfig,
    ) -> Writer {
        Writer {
            engine,
            out: BufWriter::with_capacity(64 * 1024, file),
            name,
            failed: false,
            unflushed: 0,
            counters,
            alerts: alert::Tracker::new(alert),
            line: String::with_capacity(256),
        }
    }

    /// Drains the queue, then sleeps [`POLL`] when it was empty. The
    /// writer polls rather than waits in `recv`: a sender then never has
    /// a sleeping receiver to wake (a futex call and a context switch
    /// per event, which cost the stream more than the audit itself).
    pub(super) fn run(mut self, rx: Receiver<Msg>) {
        let mut next = Instant::now() + FLUSH_EVERY;
        'run: loop {
            let mut got = false;
            loop {
                match rx.try_recv() {
                    Ok(Msg::Event(e)) => {
                        got = true;
                        self.event(&e);
                    }
                    Ok(Msg::Stop) | Err(TryRecvError::Disconnected) => {
                        break 'run
                    }
                    Err(TryRecvError::Empty) => break,
                }
            }
            if !got {
                std::thread::sleep(POLL);
            }
            let now = Instant::now();
            if now >= next {
                self.flush();
                self.alerts.tick(now, &self.counters);
                next = now + FLUSH_EVERY;
            }
        }
        self.flush();
        self.alerts.tick(Instant::now(), &self.counters);
    }

    fn event(&mut self, e: &Event) {
        let (kind, id, rule) = match e.detector {
            Some(d) => {
                let det = self.engine.detector(d as usize);
                (
                    det.kind(),
                    Some(self.engine.detector_id(d as usize)),
                    if e.rule == KEY_RULE {
                        "key_rule"
                    } else {
                        det.rule_name(e.rule)
                    },
                )
            }
            None => (BLOCK_KIND, None, BLOCK_RULE),
        };
        self.alerts.event(
            &e.source,
            (e.detector, e.rule),
            kind,
            rule,
            &self.counters,
        );
        if self.failed {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.line.clear();
        time::rfc3339(e.time, &mut self.line);
        let line = Line {
            time: &self.line,
            source: e.source.name(),
            conn: e.source.conn(),
            line: e.line,
            kind,
            detector: id,
            rule,
            fingerprint: e.fingerprint.map(Fp),
        };
        let r = serde_json::to_writer(&mut self.out, &line)
            .map_err(io::Error::from)
            .and_then(|()| self.out.write_all(b"\n"));
        match r {
            Ok(()) => self.unflushed += 1,
            Err(err) => self.fail(&err, 1),
        }
    }

    /// Flushes the file; the events in it count as written from now.
    fn flush(&mut self) {
        if self.unflushed > 0 && !self.failed {
            match self.out.flush() {
                Ok(()) => {
                    let n = std::mem::take(&mut self.unflushed);
                    self.counters.written.fetch_add(n, Ordering::Relaxed);
                }
                Err(e) => self.fail(&e, 0),
            }
        }
    }

    /// A failed write: said once; the `lost` event in hand, those not
    /// flushed yet and every later event count as dropped.
    fn fail(&mut self, e: &io::Error, lost: u64) {
        self.failed = true;
        let n = lost + std::mem::take(&mut self.unflushed);
        self.counters.dropped.fetch_add(n, Ordering::Relaxed);
        let _ = writeln!(
            io::stderr().lock(),
            "logredact: audit file {}: {e}; audit events are dropped from \
             now on",
            self.name
        );
    }
}
