//! The output: takes records from the buffer in order and writes them to
//! standard output, a file, or a downstream TCP/TLS peer.
//!
//! The forward connection keeps records until they are written into the
//! socket (a record holds its buffer space until then). When the
//! downstream goes away (a write fails, or it closes its side), the
//! records not yet written are kept, the connection is made again with
//! backoff (0.1 s doubling up to `reconnect_max`), and writing resumes at
//! the start of the first line not wholly written. A downstream that
//! closes its side first (a half-close) gets the line in flight finished
//! before the sidecar closes, so a restart that drains loses and repeats
//! nothing.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_rustls::TlsConnector;

use super::buffer::Record;
use super::metrics::Metrics;
use super::{log, RateLimit};

/// First wait before a reconnect.
const BACKOFF_MIN: Duration = Duration::from_millis(100);
/// Longest wait for a TCP connect or a TLS handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Records written in one vectored write.
const BATCH: usize = 64;

/// Where the output goes.
#[derive(Debug)]
pub(crate) enum Sink {
    Stdout,
    File(PathBuf),
    Forward(Target),
}

/// How errors name the output: `cannot write to <this>`.
impl std::fmt::Display for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Sink::Stdout => f.write_str("standard output"),
            Sink::File(p) => write!(f, "{}", p.display()),
            Sink::Forward(t) => f.write_str(&t.addr),
        }
    }
}

/// A downstream peer.
pub(crate) struct Target {
    pub(crate) addr: String,
    pub(crate) tls: Option<(TlsConnector, ServerName<'static>)>,
    pub(crate) reconnect_max: Duration,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("addr", &self.addr)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// Writes every record of `rx` to `sink` until `rx` is closed and empty.
///
/// # Errors
/// A file or standard output that cannot be written. (A downstream that
/// is down is retried, never an error.)
pub(crate) async fn run(
    sink: Sink,
    rx: UnboundedReceiver<Record>,
    metrics: Arc<Metrics>,
) -> io::Result<()> {
    match sink {
        Sink::Stdout => write_all(tokio::io::stdout(), rx, &metrics).await,
        Sink::File(p) => {
            let f = tokio::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&p)
                .await?;
            write_all(f, rx, &metrics).await
        }
        Sink::Forward(t) => {
            forward(&t, rx, &metrics).await;
            Ok(())
        }
    }
}

fn written(metrics: &Metrics, rec: &Record) {
    metrics.lines_out.inc_by(rec.lines);
    metrics.bytes_out.inc_by(rec.data.len() as u64);
}

async fn write_all<W: AsyncWrite + Unpin>(
    w: W,
    mut rx: UnboundedReceiver<Record>,
    metrics: &Metrics,
) -> io::Result<()> {
    let mut w = tokio::io::BufWriter::with_capacity(64 * 1024, w);
    while let Some(rec) = rx.recv().await {
        w.write_all(&rec.data).await?;
        written(metrics, &rec);
        drop(rec);
        if rx.is_empty() {
            w.flush().await?;
        }
    }
    w.flush().await
}

/// How a connection to the downstream ended.
enum End {
    /// Everything was written and the buffer is closed.
    Done,
    /// The downstream closed its side (or sent something we do not
    /// expect and then closed).
    Closed,
    /// A read or write failed.
    Failed(io::Error),
}

/// Records taken from the buffer, the first `off` bytes of the first one
/// already written.
struct Pending {
    recs: VecDeque<Record>,
    off: usize,
}

impl Pending {
    fn slices(&self) -> Vec<IoSlice<'_>> {
        self.recs
            .iter()
            .take(BATCH)
            .enumerate()
            .map(|(i, r)| {
                IoSlice::new(if i == 0 {
                    &r.data[self.off..]
                } else {
                    &r.data
                })
            })
            .collect()
    }

    /// `n` more bytes were written: drops the records done.
    fn advance(&mut self, mut n: usize, metrics: &Metrics) {
        while n > 0 {
            let Some(first) = self.recs.front() else { break };
            let left = first.data.len() - self.off;
            if n < left {
                self.off += n;
                return;
            }
            n -= left;
            self.off = 0;
            if let Some(rec) = self.recs.pop_front() {
                written(metrics, &rec);
            }
        }
    }

    /// The bytes of the line in flight that are still to be written.
    fn rest_of_line(&self) -> &[u8] {
        match self.recs.front() {
            Some(r) if self.off > 0 && r.data[self.off - 1] != b'\n' => {
                let rest = &r.data[self.off..];
                let end =
                    memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
                &rest[..end]
            }
            _ => &[],
        }
    }

    /// After a failed connection: the next write starts at the start of
    /// the line in flight, so that line is sent whole.
    fn rewind_to_line(&mut self) {
        if let Some(r) = self.recs.front() {
            self.off = memchr::memrchr(b'\n', &r.data[..self.off])
                .map_or(0, |i| i + 1);
        }
    }
}

async fn connect(t: &Target) -> io::Result<Box<dyn Stream>> {
    let timed_out = || io::Error::new(io::ErrorKind::TimedOut, "timed out");
    let tcp =
        tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&t.addr))
            .await
            .map_err(|_| timed_out())??;
    tcp.set_nodelay(true)?;
    match &t.tls {
        None => Ok(Box::new(tcp)),
        Some((c, name)) => {
            let s = tokio::time::timeout(
                CONNECT_TIMEOUT,
                c.connect(name.clone(), tcp),
            )
            .await
            .map_err(|_| timed_out())??;
            Ok(Box::new(s))
        }
    }
}

async fn forward(
    t: &Target,
    mut rx: UnboundedReceiver<Record>,
    metrics: &Metrics,
) {
    let mut p = Pending { recs: VecDeque::new(), off: 0 };
    let mut open = true;
    let mut connected_once = false;
    let mut backoff = BACKOFF_MIN;
    let mut errors = RateLimit::default();
    loop {
        if !open && p.recs.is_empty() {
            return;
        }
        let conn = match connect(t).await {
            Ok(c) => c,
            Err(e) => {
                metrics.forward_errors.inc();
                if errors.hit() {
                    log(format_args!(
                        "forward to {}: {e}; retrying (every {:.1} s at most)",
                        t.addr,
                        t.reconnect_max.as_secs_f64()
                    ));
                }
                // Meanwhile the connections fill the buffer; when it is
                // full they stop reading (or drop, as configured). Records
                // taken meanwhile keep their space; once the buffer is
                // closed and empty (shutdown) there is nothing to wait for.
                let wake = tokio::time::sleep(backoff);
                tokio::pin!(wake);
                loop {
                    tokio::select! {
                        () = &mut wake => break,
                        r = rx.recv(), if open => match r {
                            Some(rec) => p.recs.push_back(rec),
                            None if p.recs.is_empty() => return,
                            None => open = false,
                        },
                    }
                }
                backoff = (backoff * 2).min(t.reconnect_max);
                continue;
            }
        };
        if connected_once {
            metrics.forward_reconnects.inc();
            log(format_args!("forward to {}: connected again", t.addr));
        }
        connected_once = true;
        backoff = BACKOFF_MIN;
        errors = RateLimit::default();
        metrics.forward_connected.set(1);
        let (mut rd, mut wr) = tokio::io::split(conn);
        let end =
            session(&mut p, &mut rx, &mut open, &mut rd, &mut wr, metrics)
                .await;
        metrics.forward_connected.set(0);
        match end {
            End::Done => {
                let _ =
                    tokio::time::timeout(CONNECT_TIMEOUT, wr.shutdown()).await;
                return;
            }
            End::Closed => {
                // The downstream closed its side but may still read: the
                // line in flight is finished, so it is neither cut nor
                // sent twice.
                let rest = p.rest_of_line().to_vec();
                if !rest.is_empty() {
                    let done = tokio::time::timeout(CONNECT_TIMEOUT, async {
                        wr.write_all(&rest).await?;
                        wr.flush().await
                    })
                    .await;
                    if matches!(done, Ok(Ok(()))) {
                        p.advance(rest.len(), metrics);
                    }
                }
                p.rewind_to_line();
                let _ =
                    tokio::time::timeout(CONNECT_TIMEOUT, wr.shutdown()).await;
                log(format_args!(
                    "forward to {}: the downstream closed the connection; \
                     reconnecting",
                    t.addr
                ));
            }
            End::Failed(e) => {
                metrics.forward_errors.inc();
                p.rewind_to_line();
                log(format_args!("forward to {}: {e}; reconnecting", t.addr));
            }
        }
    }
}

/// Writes records to one connection until it ends or there is nothing
/// more to write.
async fn session<R, W>(
    p: &mut Pending,
    rx: &mut UnboundedReceiver<Record>,
    open: &mut bool,
    rd: &mut R,
    wr: &mut W,
    metrics: &Metrics,
) -> End
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut scratch = [0u8; 512];
    let mut dirty = false;
    loop {
        if p.recs.is_empty() {
            if dirty {
                // Nothing more queued: push out what TLS holds.
                tokio::select! {
                    r = wr.flush() => if let Err(e) = r { return End::Failed(e) },
                    r = rd.read(&mut scratch) => match r {
                        Ok(0) => return End::Closed,
                        Ok(_) => continue,
                        Err(e) => return End::Failed(e),
                    },
                }
                dirty = false;
            }
            if !*open {
                return End::Done;
            }
            tokio::select! {
                r = rx.recv() => match r {
                    Some(rec) => p.recs.push_back(rec),
                    None => { *open = false; continue }
                },
                r = rd.read(&mut scratch) => match r {
                    Ok(0) => return End::Closed,
                    // A downstream that talks back is ignored.
                    Ok(_) => continue,
                    Err(e) => return End::Failed(e),
                },
            }
        }
        while p.recs.len() < BATCH {
            match rx.try_recv() {
                Ok(rec) => p.recs.push_back(rec),
                Err(_) => break,
            }
        }
        let slices = p.slices();
        let r = tokio::select! {
            r = wr.write_vectored(&slices) => r,
            r = rd.read(&mut scratch) => match r {
                Ok(0) => return End::Closed,
                Ok(_) => continue,
                Err(e) => return End::Failed(e),
            },
        };
        drop(slices);
        match r {
            Ok(0) => {
                return End::Failed(io::ErrorKind::WriteZero.into());
            }
            Ok(n) => {
                p.advance(n, metrics);
                dirty = true;
            }
            Err(e) => return End::Failed(e),
        }
    }
}
