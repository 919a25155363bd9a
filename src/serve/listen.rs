//! The listener and one task per client connection: read, frame and
//! redact ([`Framer`]), queue whole lines in the [`Buffer`].
//!
//! A connection holds no buffer until its first byte arrives (plain TCP),
//! then a 16 KiB read buffer and its framer, which grows only while a
//! frame longer than that is held (up to `max_frame` plus a window
//! overlap) and shrinks after. While the buffer is full the task waits
//! in `push` and reads nothing more: the client's sends block on TCP
//! flow control.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsAcceptor;

use super::buffer::{Buffer, Pushed};
use super::config::Framing;
use super::framing::Framer;
use super::metrics::Metrics;
use super::{log, stopped, RateLimit};
use crate::audit::{AuditSink, Source};
use crate::engine::Engine;

/// Size of one read from a client.
const READ: usize = 16 * 1024;
/// Longest wait for a client's TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// After SIGTERM, a connection stops reading once its client has sent
/// nothing for this long (or after `Shared::drain_max` in all).
const DRAIN_IDLE: Duration = Duration::from_millis(200);

/// What every connection shares.
pub(crate) struct Shared {
    pub(crate) engine: Engine,
    pub(crate) framing: Framing,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) tls: Option<TlsAcceptor>,
    /// Longest a connection goes on reading after SIGTERM.
    pub(crate) drain_max: Duration,
    pub(crate) tls_errors: std::sync::Mutex<RateLimit>,
    /// The audit, when on: each connection sends under its own source.
    pub(crate) audit: Option<AuditSink>,
    /// Number of the next connection (from 1), for audit sources.
    pub(crate) next_conn: AtomicU64,
}

/// Accepts clients until `stop` turns true, then those already in the
/// accept queue; at most `limit` at once.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    buffer: Buffer,
    limit: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    let mut errors = RateLimit::default();
    let conn_stop = stop.clone();
    let spawn = |tcp, peer, permit| {
        let stop = conn_stop.clone();
        let task = connection(
            tcp,
            peer,
            Arc::clone(&shared),
            buffer.clone(),
            stop,
            permit,
        );
        tokio::spawn(task);
    };
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&limit).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => return,
            },
            () = stopped(&mut stop) => break,
        };
        let accepted = tokio::select! {
            r = listener.accept() => r,
            () = stopped(&mut stop) => break,
        };
        match accepted {
            Ok((tcp, peer)) => spawn(tcp, peer, permit),
            Err(e) => {
                // Out of file descriptors and the like: wait, do not spin.
                if errors.hit() {
                    log(format_args!("accept: {e}"));
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    // Stopping: clients that connected before the signal, still in the
    // accept queue, are served too (they drain at once), then the
    // listener closes.
    while let Ok(permit) = Arc::clone(&limit).try_acquire_owned() {
        let next = Duration::from_millis(20);
        let Ok(Ok((tcp, peer))) =
            tokio::time::timeout(next, listener.accept()).await
        else {
            break;
        };
        spawn(tcp, peer, permit);
    }
}

/// Counts an open connection while alive.
struct Open(Arc<Metrics>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.connections_open.dec();
    }
}

async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    buffer: Buffer,
    mut stop: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    shared.metrics.connections.inc();
    shared.metrics.connections_open.inc();
    let id = shared.next_conn.fetch_add(1, Ordering::Relaxed) + 1;
    let audit = shared
        .audit
        .as_ref()
        .map(|a| a.with_source(Source::connection(peer, id)));
    let _open = Open(Arc::clone(&shared.metrics));
    match &shared.tls {
        None => {
            // Idle clients cost no buffers.
            // (`readable` can wake without data; `peek` waits for a byte
            // or the end.)
            let mut first = [0u8; 1];
            tokio::select! {
                _ = tcp.peek(&mut first) => {}
                () = stopped(&mut stop) => {}
            }
            // Boxed: an idle connection's task stays small.
            Box::pin(serve(tcp, &shared, &buffer, stop, audit)).await;
        }
        Some(acceptor) => {
            let hs =
                tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp));
            // A handshake still going on at SIGTERM is given up: nothing
            // was read from it yet.
            let hs = tokio::select! {
                r = hs => r,
                () = stopped(&mut stop) => return,
            };
            let failed = match hs {
                Ok(Ok(s)) => {
                    return Box::pin(serve(s, &shared, &buffer, stop, audit))
                        .await
                }
                Ok(Err(e)) => e.to_string(),
                Err(_) => "handshake timed out".to_string(),
            };
            shared.metrics.tls_failures.inc();
            let log_it = shared.tls_errors.lock().map(|mut r| r.hit());
            if log_it.unwrap_or(true) {
                // rustls' messages name the failure (an unknown issuer, no
                // certificate, not TLS), never the bytes received.
                log(format_args!("TLS handshake from {peer}: {failed}"));
            }
        }
    }
}

/// Reads one client to its end (or to the end of the drain after
/// SIGTERM).
async fn serve<S: AsyncRead + Unpin>(
    mut s: S,
    shared: &Shared,
    buffer: &Buffer,
    mut stop: watch::Receiver<bool>,
    audit: Option<AuditSink>,
) {
    let mut framer = Framer::new(shared.engine.clone(), shared.framing, audit);
    let mut buf = vec![0u8; READ];
    let mut out = Vec::new();
    let mut drain_until = None;
    loop {
        let r = match drain_until {
            None => tokio::select! {
                r = s.read(&mut buf) => r,
                () = stopped(&mut stop) => {
                    drain_until =
                        Some(tokio::time::Instant::now() + shared.drain_max);
                    continue;
                }
            },
            Some(until) => {
                let idle = tokio::time::Instant::now() + DRAIN_IDLE;
                let read = s.read(&mut buf);
                match tokio::time::timeout_at(idle.min(until), read).await {
                    Ok(r) => r,
                    Err(_) => break,
                }
            }
        };
        // A reset connection ends like a closed one: what was read is
        // redacted and sent.
        let n = match r {
            Ok(n) if n > 0 => n,
            _ => break,
        };
        framer.push(&buf[..n], &mut out);
        shared.metrics.record(&framer.take_stats(), &shared.engine);
        framer.shrink();
        if !out.is_empty() && !send(buffer, &mut out).await {
            return;
        }
    }
    framer.finish(&mut out);
    shared.metrics.record(&framer.take_stats(), &shared.engine);
    if !out.is_empty() {
        send(buffer, &mut out).await;
    }
}

/// Queues `out`'s whole lines; false when the output is gone.
async fn send(buffer: &Buffer, out: &mut Vec<u8>) -> bool {
    let data = std::mem::take(out);
    let lines = memchr::memchr_iter(b'\n', &data).count() as u64;
    buffer.push(data, lines).await != Pushed::Closed
}
