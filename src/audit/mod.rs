//! The audit log: one JSON line per redaction event (time, source, line
//! number, kind, detector, rule and the secret's [`Fingerprint`], never
//! the value or the line), and leak alerts on standard error.
//!
//! The work is kept off the log stream: a filter with an [`AuditSink`]
//! does nothing more for a clean line, and for a changed one sends small
//! events into a bounded channel (`std::sync::mpsc::sync_channel`). One
//! writer thread appends them to the file (buffered, flushed at least
//! once a second and at the end) and runs the leak [`alert`] tracker; it
//! polls the queue every 5 ms when it is empty rather than waiting in
//! `recv`, so a send never has to wake it.
//! When the channel is full an event is counted as dropped: the stream
//! never waits for the audit file.
//!
//! # Example
//! ```no_run
//! # fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use logredact::audit::{Audit, AuditConfig, Source};
//! let engine = logredact::Engine::default();
//! let cfg = AuditConfig { file: Some("audit.jsonl".into()), ..Default::default() };
//! let audit = Audit::start(&engine, &cfg)?;
//! let mut filter = logredact::Filter::new(engine);
//! filter.audit(Some(audit.sink(Source::file("-"))));
//! filter.run(std::io::stdin().lock(), &mut std::io::stdout().lock())?;
//! drop(filter);
//! let report = audit.finish();
//! eprintln!("{} events, {} dropped", report.written, report.dropped);
//! # Ok(()) }
//! ```

pub mod alert;
mod time;
mod writer;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::SystemTime;

use serde::Deserialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::fingerprint::Fingerprint;
pub use alert::AlertConfig;

/// Default number of events the channel holds before it drops.
pub const DEFAULT_QUEUE: usize = 16_384;
/// The rule index of an event whose value a key rule (`[[keys.always]]`,
/// `password` …) masked whole: named `key_rule`, as `--explain` does.
pub(crate) const KEY_RULE: u16 = u16::MAX;
/// `kind` and `rule` of an event for a private key block's body line.
pub const BLOCK_KIND: &str = "private_key";
/// See [`BLOCK_KIND`].
pub const BLOCK_RULE: &str = "block_body";

/// The `[audit]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// File the events are appended to (created `0600`); `--audit FILE`
    /// sets it. Without one, nothing is audited.
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// Events held between the stream and the writer thread (default
    /// 16384); more are dropped and counted.
    #[serde(default = "default_queue")]
    pub queue: usize,
    /// Leak alerts (`[audit.alert]`).
    #[serde(default)]
    pub alert: AlertConfig,
}

fn default_queue() -> usize {
    DEFAULT_QUEUE
}

impl Default for AuditConfig {
    fn default() -> AuditConfig {
        AuditConfig {
            file: None,
            queue: DEFAULT_QUEUE,
            alert: AlertConfig::default(),
        }
    }
}

impl AuditConfig {
    /// Checks the values serde cannot.
    ///
    /// # Errors
    /// The first bad value, naming its key (`audit.queue: …`).
    pub fn validate(&self) -> Result<(), Error> {
        if self.queue == 0 {
            return Err(Error::config("audit.queue", "must be at least 1"));
        }
        self.alert.validate()
    }
}

/// Where events come from: a file of the filter (`-` for standard
/// input), or a sidecar connection's peer address and id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Source {
    name: String,
    conn: Option<u64>,
}

impl Source {
    /// An input file of the filter, by the name it was given (`-`:
    /// standard input).
    pub fn file(name: impl Into<String>) -> Source {
        Source { name: name.into(), conn: None }
    }

    /// A connection of `logredact serve`: the peer (`ip:port`) and the
    /// connection's number.
    pub fn connection(peer: std::net::SocketAddr, id: u64) -> Source {
        Source { name: peer.to_string(), conn: Some(id) }
    }

    /// The file name or peer address.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The connection's number, for a sidecar connection.
    pub fn conn(&self) -> Option<u64> {
        self.conn
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.conn {
            Some(c) => write!(f, "{} (connection {c})", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// One redaction, as it travels to the writer: indices, not names, and
/// the fingerprint, never the value.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub(crate) time: SystemTime,
    pub(crate) source: Arc<Source>,
    /// 1-based, per source.
    pub(crate) line: u64,
    /// `None`: a private key block's body line.
    pub(crate) detector: Option<u16>,
    pub(crate) rule: u16,
    /// `None` where the value cannot be pointed at (a block body line, a
    /// secret inside a decoding layer).
    pub(crate) fingerprint: Option<Fingerprint>,
}

/// Messages to the writer thread.
enum Msg {
    Event(Event),
    Stop,
}

/// Counts shared by the sinks, the writer and whoever reports them (the
/// sidecar's metrics read them when scraped).
#[derive(Debug, Default)]
pub struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    alerts: AtomicU64,
    leaking: AtomicU64,
    tracked: AtomicU64,
}

impl Counters {
    /// Events written to the audit file.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }
    /// Events dropped: the channel was full, or the file could not be
    /// written.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
    /// Leak alerts written to standard error.
    pub fn alerts(&self) -> u64 {
        self.alerts.load(Ordering::Relaxed)
    }
    /// Sources with a redaction within the last alert window (updated
    /// once a second).
    pub fn leaking_sources(&self) -> u64 {
        self.leaking.load(Ordering::Relaxed)
    }
    /// Sources the alert tracker holds (at most `max_sources`).
    pub fn tracked_sources(&self) -> u64 {
        self.tracked.load(Ordering::Relaxed)
    }
}

/// The sending end for one source: give it to
/// [`Filter::audit`](crate::Filter::audit). Cheap to clone; never blocks.
#[derive(Clone, Debug)]
pub struct AuditSink {
    tx: SyncSender<Msg>,
    source: Arc<Source>,
    counters: Arc<Counters>,
}

impl AuditSink {
    /// A sink to the same audit file for another source.
    pub fn with_source(&self, source: Source) -> AuditSink {
        AuditSink { source: Arc::new(source), ..self.clone() }
    }

    /// The source its events are from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Queues `e`, or counts it as dropped when the channel is full.
    pub(crate) fn send(&self, e: Event) {
        if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
            self.tx.try_send(Msg::Event(e))
        {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn event(
        &self,
        line: u64,
        detector: Option<u16>,
        rule: u16,
        fingerprint: Option<Fingerprint>,
    ) -> Event {
        Event {
            time: SystemTime::now(),
            source: Arc::clone(&self.source),
            line,
            detector,
            rule,
            fingerprint,
        }
    }
}

/// What an audit did, at its end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Events written.
    pub written: u64,
    /// Events dropped (the channel was full, or a write failed).
    pub dropped: u64,
    /// Leak alerts written.
    pub alerts: u64,
}

/// A running audit: the file and its writer thread. End it with
/// [`Audit::finish`], after the filters that send to it.
#[derive(Debug)]
pub struct Audit {
    tx: SyncSender<Msg>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

impl Audit {
    /// Opens (appends to, or creates with mode `0600`) `cfg.file` and
    /// starts the writer thread.
    ///
    /// # Errors
    /// A bad setting (naming its key), no `file`, or a file that cannot
    /// be opened (the I/O error as the source).
    pub fn start(engine: &Engine, cfg: &AuditConfig) -> Result<Audit, Error> {
        cfg.validate()?;
        let Some(path) = &cfg.file else {
            return Err(Error::config("audit.file", "no audit file given"));
        };
        let file = writer::open(path).map_err(|e| {
            Error::io(format!("cannot open audit file {}", path.display()), e)
        })?;
        let (tx, rx) = sync_channel(cfg.queue);
        let counters = Arc::new(Counters::default());
        let writer = writer::Writer::new(
            engine.clone(),
            file,
            path.display().to_string(),
            Arc::clone(&counters),
            &cfg.alert,
        );
        let thread = std::thread::Builder::new()
            .name("logredact-audit".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| Error::io("cannot start the audit writer", e))?;
        Ok(Audit { tx, counters, thread: Some(thread) })
    }

    /// A sink for events from `source`.
    pub fn sink(&self, source: Source) -> AuditSink {
        AuditSink {
            tx: self.tx.clone(),
            source: Arc::new(source),
            counters: Arc::clone(&self.counters),
        }
    }

    /// The counts so far.
    pub fn counters(&self) -> Arc<Counters> {
        Arc::clone(&self.counters)
    }

    /// Writes what is queued, flushes the file and stops the writer:
    /// events sent after this are dropped. Waits for the writer.
    pub fn finish(mut self) -> Report {
        self.stop();
        Report {
            written: self.counters.written(),
            dropped: self.counters.dropped(),
            alerts: self.counters.alerts(),
        }
    }

    fn stop(&mut self) {
        if let Some(t) = self.thread.take() {
            // Blocks while the queue is full: the writer is draining it.
            let _ = self.tx.send(Msg::Stop);
            let _ = t.join();
        }
    }
}

impl Drop for Audit {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A filter's audit state: where its events go and how its line count
/// maps to line numbers of its source.
#[derive(Debug)]
pub(crate) struct Tap {
    pub(crate) sink: AuditSink,
    /// Added (wrapping) to the filter's count of lines to give the
    /// 1-based number of the line just counted.
    pub(crate) offset: u64,
    /// In a parallel worker: the chunk's events, held for the writer,
    /// which numbers them in input order.
    pub(crate) chunk: Option<Chunk>,
    /// Scratch: explanations already matched to a finding.
    pub(crate) used: Vec<bool>,
}

/// The audit events of one chunk, numbered from its first line.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// Lines the chunk held.
    pub(crate) lines: u64,
    pub(crate) events: Vec<Event>,
}

impl Tap {
    /// A tap whose next line is line 1, for a filter that has counted
    /// `lines` so far.
    pub(crate) fn new(sink: AuditSink, lines: u64) -> Tap {
        Tap {
            sink,
            offset: 0u64.wrapping_sub(lines),
            chunk: None,
            used: Vec::new(),
        }
    }

    /// The number of the line that made the filter's count `lines`.
    pub(crate) fn line_no(&self, lines: u64) -> u64 {
        lines.wrapping_add(self.offset)
    }

    /// Sends (or, in a worker, holds) one event.
    pub(crate) fn emit(
        &mut self,
        line: u64,
        detector: Option<u16>,
        rule: u16,
        fingerprint: Option<Fingerprint>,
    ) {
        let e = self.sink.event(line, detector, rule, fingerprint);
        match &mut self.chunk {
            Some(c) => c.events.push(e),
            None => self.sink.send(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_name_their_key() {
        let c = AuditConfig { queue: 0, ..Default::default() };
        assert_eq!(c.validate().unwrap_err().path(), Some("audit.queue"));
        let e = Audit::start(&Engine::default(), &AuditConfig::default())
            .unwrap_err();
        assert_eq!(e.path(), Some("audit.file"));
    }

    #[test]
    fn a_full_queue_drops_and_counts() {
        let (tx, _rx) = sync_channel(1);
        let sink = AuditSink {
            tx,
            source: Arc::new(Source::file("-")),
            counters: Arc::default(),
        };
        for _ in 0..3 {
            sink.send(sink.event(1, Some(0), 0, None));
        }
        assert_eq!(sink.counters.dropped(), 2);
    }
}
