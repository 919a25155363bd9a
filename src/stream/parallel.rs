//! Multi-core filtering: the input is cut into chunks at line boundaries,
//! chunks are redacted on worker threads and written in input order.
//!
//! Memory stays bounded: a fixed number of chunks is in flight (the
//! channels are bounded, so the reader waits for the workers and the
//! workers for the writer). A line longer than a chunk's limit switches
//! the rest of the stream to the sequential [`Filter`], which scans
//! over-long lines in windows.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;

use super::gather::Gather;
use super::{Filter, Stats, MAX_BLOCK_LINES};
use crate::audit::{AuditSink, Chunk, Tap};
use crate::engine::Engine;

/// Target size of a chunk.
const CHUNK: usize = 1 << 20;
/// Chunks a private key block may hold the reader back for.
const BLOCK_LIMIT: usize = 4;

/// A chunk's result: its buffer, its output and, when auditing, its
/// events (numbered from its first line).
type Done = (u64, Vec<u8>, Gather, Option<Box<Chunk>>);

/// Redacts `rdr` into `wtr` on `threads` worker threads, output in input
/// order; returns the counts. With `audit`, the sink and the number of
/// the line before the first, events are sent in input order: each
/// worker holds its chunk's, and the writer numbers and sends them as it
/// writes the chunk.
///
/// # Errors
/// Read and write errors.
pub(super) fn run<R: Read + Send, W: Write>(
    engine: &Engine,
    rdr: R,
    wtr: &mut W,
    threads: usize,
    audit: Option<(&AuditSink, u64)>,
) -> io::Result<Stats> {
    // A chunk with no newline at all (a line over 1 MiB) sends the rest
    // of the stream to the sequential filter, which windows long lines.
    let limit = CHUNK;
    let (work_tx, work_rx) = sync_channel::<(u64, Vec<u8>)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done>(threads);
    // Buffers go back to the reader, and gathers to the workers, once
    // written: no chunk allocates or zeroes memory again (fresh pages
    // and their zeroing were a tenth of the time with two threads).
    let (free_tx, free_rx) = sync_channel::<Vec<u8>>(2 * threads + 2);
    let gathers: Mutex<Vec<Gather>> = Mutex::new(Vec::new());
    thread::scope(|scope| {
        let reader =
            scope.spawn(move || read_chunks(rdr, work_tx, free_rx, limit));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = Arc::clone(&work_rx);
                let tx = done_tx.clone();
                let engine = engine.clone();
                let gathers = &gathers;
                let sink = audit.map(|(s, _)| s.clone());
                scope.spawn(move || -> io::Result<Stats> {
                    let mut f = Filter::new(engine);
                    f.audit(sink);
                    loop {
                        let next = rx.lock().map_err(|_| poisoned())?.recv();
                        let Ok((seq, chunk)) = next else { break };
                        let out = gathers
                            .lock()
                            .map_err(|_| poisoned())?
                            .pop()
                            .unwrap_or_default();
                        let (chunk, out) = f.redact_chunk(chunk, out)?;
                        let events = f.audit.as_deref_mut().and_then(|t| {
                            let mut c = t.chunk.take()?;
                            c.lines = t.line_no(f.stats.lines);
                            Some(Box::new(c))
                        });
                        if tx.send((seq, chunk, out, events)).is_err() {
                            break;
                        }
                    }
                    Ok(f.stats().clone())
                })
            })
            .collect();
        // Only the workers hold the queue: when they stop (the writer
        // failed), the reader's next send fails and it stops too.
        drop(work_rx);
        drop(done_tx);
        let mut before = audit.map_or(0, |(_, n)| n);
        let written = write_in_order(
            done_rx,
            wtr,
            &free_tx,
            &gathers,
            audit.map(|(s, _)| s),
            &mut before,
        );
        // The reader may wait for a free buffer no more.
        drop(free_tx);
        let mut stats = Stats::default();
        for w in workers {
            stats.merge(&w.join().map_err(|_| poisoned())??);
        }
        let rest = reader.join().map_err(|_| poisoned())?;
        written?;
        if let Some((head, rdr)) = rest? {
            // An over-long line: the rest of the stream in one filter.
            let mut f = Filter::new(engine.clone());
            if let Some((sink, _)) = audit {
                let mut tap = Tap::new(sink.clone(), 0);
                tap.offset = before;
                f.structured.explain(true);
                f.audit = Some(Box::new(tap));
            }
            f.run(io::Cursor::new(head).chain(rdr), wtr)?;
            stats.merge(f.stats());
        }
        Ok(stats)
    })
}

/// Where to cut a chunk whose last newline is at `nl`: after it, or
/// before a private key block still open there (its lines must go to one
/// filter, which keeps the block's state); `None` when the block opens on
/// the first line.
fn block_cut(buf: &[u8], nl: usize) -> Option<usize> {
    let whole = &buf[..=nl];
    // A block still open at the cut began within its last lines: the
    // filter stops masking one after `MAX_BLOCK_LINES`, so one that began
    // earlier is over by then. Only those lines are searched, on the
    // reader thread that feeds every worker (a search of the whole chunk,
    // `memmem::rfind` a byte at a time or the forward search, was its
    // largest cost: one more pass over all the input).
    let lines = MAX_BLOCK_LINES as usize + 2;
    let from = memchr::memrchr_iter(b'\n', &whole[..nl])
        .nth(lines)
        .map_or(0, |p| p + 1);
    let last = memchr::memmem::find_iter(&whole[from..], b"-----BEGIN ")
        .last()
        .map(|b| from + b);
    let Some(b) = last else {
        return Some(nl + 1);
    };
    if !super::block::opens(&whole[b..]) {
        return Some(nl + 1);
    }
    let line = memchr::memrchr(b'\n', &whole[..b]).map_or(0, |p| p + 1);
    (line > 0).then_some(line)
}

fn poisoned() -> io::Error {
    io::Error::other("a worker thread panicked")
}

/// Reads chunks that end at a newline and sends them in order, in the
/// buffers `free` gives back when it has one; returns the unsent start of
/// an over-long line and the reader, if one was met.
fn read_chunks<R: Read>(
    mut rdr: R,
    tx: SyncSender<(u64, Vec<u8>)>,
    free: Receiver<Vec<u8>>,
    limit: usize,
) -> io::Result<Option<(Vec<u8>, R)>> {
    let mut seq = 0;
    // `buf[..filled]` is input; the rest, room already zeroed once (a
    // buffer given back keeps its length, so it is not zeroed again).
    let mut buf: Vec<u8> = Vec::new();
    let mut filled = 0;
    loop {
        // At least one chunk more than the partial line carried over.
        let target = filled + CHUNK;
        let mut eof = false;
        while filled < target {
            let room = target.max(filled + 64 * 1024);
            if buf.len() < room {
                buf.resize(room, 0);
            }
            let n = loop {
                match rdr.read(&mut buf[filled..room]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    r => break r?,
                }
            };
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        buf.truncate(filled);
        if eof {
            if !buf.is_empty() {
                let _ = tx.send((seq, buf));
            }
            return Ok(None);
        }
        let nl = memchr::memrchr(b'\n', &buf);
        match nl.and_then(|nl| block_cut(&buf, nl)) {
            Some(cut) => {
                let mut next = free.try_recv().unwrap_or_default();
                filled -= cut;
                if next.len() < filled {
                    next.resize(filled, 0);
                }
                next[..filled].copy_from_slice(&buf[cut..]);
                buf.truncate(cut);
                if tx.send((seq, buf)).is_err() {
                    return Ok(None);
                }
                seq += 1;
                buf = next;
            }
            // No line end, or a private key block open since the first
            // line: read on, up to a bound; past it, one filter takes the
            // rest of the stream.
            None if nl.is_none() && buf.len() >= limit => {
                return Ok(Some((buf, rdr)))
            }
            None if buf.len() >= BLOCK_LIMIT * limit => {
                return Ok(Some((buf, rdr)))
            }
            None => {}
        }
    }
}

/// Writes results as their turn comes, and gives their buffers back;
/// sends a chunk's audit events to `audit` once it is written, numbered
/// after the `before` lines of the chunks before it.
fn write_in_order<W: Write>(
    rx: Receiver<Done>,
    wtr: &mut W,
    free: &SyncSender<Vec<u8>>,
    gathers: &Mutex<Vec<Gather>>,
    audit: Option<&AuditSink>,
    before: &mut u64,
) -> io::Result<()> {
    let mut next = 0;
    let mut pending = BTreeMap::new();
    for (seq, chunk, out, events) in rx {
        pending.insert(seq, (chunk, out, events));
        while let Some((chunk, mut out, events)) = pending.remove(&next) {
            out.write_to(&chunk, wtr)?;
            if let (Some(sink), Some(c)) = (audit, events) {
                for mut e in c.events {
                    e.line += *before;
                    sink.send(e);
                }
                *before += c.lines;
            }
            // A full queue (the reader has enough) drops the buffer.
            let _ = free.try_send(chunk);
            gathers.lock().map_err(|_| poisoned())?.push(out);
            next += 1;
        }
    }
    Ok(())
}
