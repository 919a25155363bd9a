//! `logredact serve`: a TCP sidecar that redacts the lines log shippers
//! send it and forwards them (feature `serve`).
//!
//! # Data flow
//!
//! ```text
//! clients ──TCP/TLS──▶ listen ─▶ framing (Filter) ─▶ buffer ─▶ forward ──▶ downstream
//!   (one task per connection)      redact whole     bounded    one task    TCP/TLS,
//!                                  lines            FIFO       in order    file, stdout
//! ```
//!
//! Each stage is a private module:
//!
//! - listen: accepts clients (at most `max_connections`), one task each;
//!   TLS with optional client certificates ([`ListenTls`]).
//! - framing: newline or RFC 6587 octet-counted frames, redacted by the
//!   same [`Filter`](crate::Filter) as the pipe filter, so over-long
//!   frames are redacted in windows; only whole lines leave.
//! - buffer: a FIFO bounded in bytes between the connections and the
//!   output; when full, connections stop reading (TCP backpressure) or,
//!   with [`WhenFull::DropNewest`], drop and count.
//! - forward: writes records in order, reconnects with backoff, resends
//!   what was not written.
//! - metrics: Prometheus `/metrics` and `/health`; tls: rustls configs.
//!
//! # Delivery guarantee
//!
//! Every line read from a client is redacted and written whole to the
//! output, in the order it was read from its connection, unless (a) the
//! buffer was full with `when_full = drop_newest` (counted in
//! `logredact_dropped_lines_total`), or (b) the shutdown deadline passed
//! first (the count is logged and the exit status is 1), or (c) the
//! process is killed (its buffer is in memory only). Lines are kept
//! until they are written into the downstream socket; lines not yet
//! written when the downstream went away are written after the
//! reconnect, starting with the whole line that was in flight. Plain TCP
//! has no acknowledgements: lines already written into a connection
//! whose peer then crashes or resets (bytes in the kernel's buffers or
//! on the wire) can be lost, and the line in flight can arrive cut at the
//! old peer and whole at the new one. A downstream that closes its side
//! first and reads to the end (a graceful restart) loses and repeats
//! nothing.
//!
//! # Example
//!
//! ```no_run
//! # async fn f() -> Result<(), logredact::Error> {
//! use logredact::serve::{ServeConfig, Server};
//! let mut cfg = ServeConfig::default();
//! cfg.forward = Some("127.0.0.1:6000".into());
//! let engine = cfg.engine(&logredact::Config::default())?;
//! let server = Server::bind(engine, cfg).await?;
//! println!("listening on {}", server.local_addr());
//! let summary = server.run(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! assert_eq!(summary.undelivered, 0);
//! # Ok(()) }
//! ```

mod buffer;
mod config;
mod forward;
mod framing;
mod listen;
mod metrics;
mod tls;

pub use config::{
    ForwardTls, Framing, ListenTls, Output, ServeConfig, WhenFull,
    DEFAULT_BUFFER_BYTES, DEFAULT_LISTEN, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_FRAME, DEFAULT_SHUTDOWN_DEADLINE,
};

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::audit::{Audit, Source};
use crate::engine::Engine;
use crate::error::Error;
use forward::{Sink, Target};
use metrics::Metrics;

/// What a server did, when it stopped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Lines (frames) read from clients.
    pub lines_in: u64,
    /// Lines written to the output.
    pub lines_out: u64,
    /// Lines dropped because the buffer was full (`drop_newest`).
    pub dropped: u64,
    /// Lines still buffered when the shutdown deadline passed.
    pub undelivered: u64,
    /// Audit events written (with an audit).
    pub audit_events: u64,
    /// Audit events dropped: the audit queue was full, or its file could
    /// not be written.
    pub audit_dropped: u64,
}

/// A bound, not yet running sidecar.
pub struct Server {
    engine: Engine,
    cfg: ServeConfig,
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    sink: Sink,
    audit: Option<Audit>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("listen", &self.listener.local_addr().ok())
            .field("tls", &self.tls.is_some())
            .field("output", &self.sink)
            .field("audit", &self.audit.is_some())
            .finish()
    }
}

impl Server {
    /// Checks `cfg`, loads the TLS files and binds the listen and metrics
    /// addresses. The engine's `max_line_len` is the longest frame held
    /// whole: build it with [`ServeConfig::engine`].
    ///
    /// # Errors
    /// A bad setting or an unreadable TLS file, naming the setting; an
    /// address that cannot be bound, naming it, with the I/O error as the
    /// [`source`](std::error::Error::source).
    pub async fn bind(
        engine: Engine,
        cfg: ServeConfig,
    ) -> Result<Server, Error> {
        cfg.validate()?;
        let tls = cfg.tls.as_ref().map(tls::acceptor).transpose()?;
        let sink = match cfg.output() {
            Output::Stdout => Sink::Stdout,
            Output::File(p) => Sink::File(p),
            Output::Forward(addr) => {
                let tls = match &cfg.forward_tls {
                    Some(t) => {
                        let host = config::host_port(&addr)
                            .map_or(addr.as_str(), |(h, _)| h);
                        Some(tls::connector(t, host)?)
                    }
                    None => None,
                };
                Sink::Forward(Target {
                    addr,
                    tls,
                    reconnect_max: Duration::from_secs_f64(cfg.reconnect_max),
                })
            }
        };
        // The address may come from a flag, not the config: these errors
        // say what failed rather than name a key.
        let listener = TcpListener::bind(&cfg.listen).await.map_err(|e| {
            Error::io(format!("cannot listen on {}", cfg.listen), e)
        })?;
        let metrics_listener = match &cfg.metrics {
            Some(a) => Some(TcpListener::bind(a).await.map_err(|e| {
                Error::io(format!("cannot serve metrics on {a}"), e)
            })?),
            None => None,
        };
        // Last: its writer thread starts only once the rest is ready.
        let audit = match &cfg.audit {
            Some(a) if a.file.is_some() => Some(Audit::start(&engine, a)?),
            _ => None,
        };
        Ok(Server {
            engine,
            cfg,
            listener,
            metrics_listener,
            tls,
            sink,
            audit,
        })
    }

    /// The address clients connect to.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The address of `/metrics` and `/health`, if configured.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// Serves until `shutdown` completes, then stops accepting, reads
    /// what clients already sent (until each is idle for 0.2 s, at most a
    /// quarter of the deadline), writes everything buffered and returns,
    /// within the shutdown deadline.
    ///
    /// # Errors
    /// An output file or standard output that cannot be written (`cannot
    /// write to …`, the I/O error as the source).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()>,
    ) -> Result<Summary, Error> {
        let Server {
            engine,
            cfg,
            listener,
            metrics_listener,
            tls,
            sink,
            audit,
        } = self;
        let mut metrics = Metrics::new();
        metrics.audit = audit.as_ref().map(Audit::counters);
        let metrics = Arc::new(metrics);
        let (buffer, rx) = buffer::buffer(
            cfg.buffer_bytes,
            cfg.when_full,
            Arc::clone(&metrics),
        );
        let http = metrics_listener.map(|l| {
            tokio::spawn(metrics::serve_http(l, Arc::clone(&metrics)))
        });
        let output_name = sink.to_string();
        let mut output =
            tokio::spawn(forward::run(sink, rx, Arc::clone(&metrics)));
        let deadline = cfg.shutdown_deadline();
        let shared = Arc::new(listen::Shared {
            engine,
            framing: cfg.framing,
            metrics: Arc::clone(&metrics),
            tls,
            drain_max: deadline / 4,
            tls_errors: std::sync::Mutex::new(RateLimit::default()),
            audit: audit.as_ref().map(|a| a.sink(Source::file("-"))),
            next_conn: std::sync::atomic::AtomicU64::new(0),
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let limit = Arc::new(Semaphore::new(cfg.max_connections));
        let accept = tokio::spawn(listen::accept_loop(
            listener, shared, buffer, limit, stop_rx,
        ));
        // Serve until the signal, or until the output fails for good.
        let failed = tokio::select! {
            () = shutdown => None,
            r = &mut output => Some(r),
        };
        metrics.draining.store(true, Ordering::Relaxed);
        let _ = stop_tx.send(true);
        let mut undelivered = 0;
        let result = match failed {
            Some(r) => {
                accept.abort();
                output_result(r, &output_name)
            }
            None => {
                log(format_args!(
                    "stopping: draining connections and the buffer \
                     (deadline {:.1} s)",
                    deadline.as_secs_f64()
                ));
                // The output ends once every connection has ended (each
                // holds a clone of the buffer) and the buffer is empty.
                match tokio::time::timeout(deadline, &mut output).await {
                    Ok(r) => output_result(r, &output_name),
                    Err(_) => {
                        // Counted before the abort drops the records.
                        undelivered = metrics.buffer_lines.get().max(0) as u64;
                        output.abort();
                        Ok(())
                    }
                }
            }
        };
        if let Some(h) = http {
            h.abort();
        }
        if undelivered > 0 {
            log(format_args!(
                "shutdown deadline passed with {undelivered} lines not \
                 written to the output"
            ));
        }
        // The connections are over (or aborted): what they queued is
        // written and the file flushed.
        let report = match audit {
            Some(a) => {
                tokio::task::spawn_blocking(move || a.finish()).await.ok()
            }
            None => None,
        };
        if let Some(r) = report {
            log(format_args!(
                "audit: {} events written, {} dropped, {} leak alerts",
                r.written, r.dropped, r.alerts
            ));
        }
        result?;
        Ok(Summary {
            lines_in: metrics.lines_in.get(),
            lines_out: metrics.lines_out.get(),
            dropped: metrics.dropped_lines.get(),
            undelivered,
            audit_events: report.map_or(0, |r| r.written),
            audit_dropped: report.map_or(0, |r| r.dropped),
        })
    }
}

/// The output task's end: an error names the output (a file, standard
/// output) and keeps the cause, a panic included (tokio's own
/// conversion of a `JoinError`).
fn output_result(
    r: Result<std::io::Result<()>, tokio::task::JoinError>,
    name: &str,
) -> Result<(), Error> {
    match r.map_err(std::io::Error::from).and_then(|r| r) {
        Ok(()) => Ok(()),
        Err(e) => Err(Error::io(format!("cannot write to {name}"), e)),
    }
}

/// Runs a server on a new multi-threaded runtime until SIGTERM or SIGINT.
/// `ready` is called once it is bound (to print its addresses).
///
/// # Errors
/// As [`Server::bind`] and [`Server::run`]; also a runtime or signal
/// handlers that cannot be set up (I/O errors).
pub fn run_until_signal(
    engine: Engine,
    cfg: ServeConfig,
    ready: impl FnOnce(&Server),
) -> Result<Summary, Error> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the runtime", e))?;
    rt.block_on(async move {
        // Handlers first: a SIGTERM right after `ready` must drain, not
        // kill.
        let signals = signals().map_err(|e| {
            Error::io("cannot install the SIGTERM and SIGINT handlers", e)
        })?;
        let server = Server::bind(engine, cfg).await?;
        ready(&server);
        server.run(signals).await
    })
}

/// Completes on the first SIGTERM or SIGINT.
fn signals() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}

/// Completes once `stop` is true.
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|&v| v).await.is_err() {
        // The sender is gone: nobody can stop us any more.
        std::future::pending::<()>().await;
    }
}

/// One line on standard error. Callers pass addresses, counts and error
/// kinds, never bytes a client sent.
pub(crate) fn log(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "logredact: {args}");
}

/// Lets the first 10 of a run of like errors be logged, then every
/// 1000th, so a flood cannot flood the log.
#[derive(Debug, Default)]
pub(crate) struct RateLimit(u64);

impl RateLimit {
    pub(crate) fn hit(&mut self) -> bool {
        self.0 += 1;
        self.0 <= 10 || self.0 % 1000 == 0
    }
}
