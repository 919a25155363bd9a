//! [`RedactingMakeWriter`]: redacts whole formatted events on their way
//! to any `MakeWriter`.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Write};

use ::tracing::Metadata;
use ::tracing_subscriber::fmt::MakeWriter;

use crate::engine::{Engine, Scratch};
use crate::stream::KeyBlock;

/// Wraps a [`MakeWriter`] so that every event the `fmt` layer writes is
/// redacted, line by line and format-aware (JSON lines stay valid JSON),
/// before the inner writer sees it.
///
/// Each writer it makes (one per event) buffers what it is given and
/// hands it on when it is dropped or flushed, redacted, in **one**
/// `write_all` call of the inner writer: the inner writer only ever gets
/// whole lines, and the whole event at once, so events logged from many
/// threads are neither interleaved nor split (as long as the inner writer
/// itself writes one `write_all` atomically, as `io::stdout`, `File` and
/// `Mutex<W>` do).
///
/// # Example
/// ```
/// use logredact::tracing::RedactingMakeWriter;
///
/// let writer = RedactingMakeWriter::new(std::io::stdout, logredact::Engine::default());
/// let subscriber = tracing_subscriber::fmt().with_writer(writer).finish();
/// tracing::subscriber::with_default(subscriber, || {
///     tracing::warn!("card declined: 4242 4242 4242 4242");
///     // stdout: "… WARN rust_out: card declined: **** **** **** 4242"
/// });
/// ```
#[derive(Clone, Debug)]
pub struct RedactingMakeWriter<M> {
    inner: M,
    engine: Engine,
}

impl<M> RedactingMakeWriter<M> {
    /// Redacts with `engine` what is written to `inner`.
    pub fn new(inner: M, engine: Engine) -> RedactingMakeWriter<M> {
        RedactingMakeWriter { inner, engine }
    }

    /// The wrapped `MakeWriter`.
    pub fn get_ref(&self) -> &M {
        &self.inner
    }

    /// The engine that redacts.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMakeWriter<M> {
    type Writer = RedactingWriter<'a, M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter::new(self.inner.make_writer(), &self.engine)
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        RedactingWriter::new(self.inner.make_writer_for(meta), &self.engine)
    }
}

/// The writer of [`RedactingMakeWriter`]: holds one event and writes it
/// redacted to the inner writer when dropped or flushed.
///
/// `write` never fails and never writes short: it only buffers. `flush`
/// hands on the complete lines buffered so far (a partial line waits for
/// its end) and flushes the inner writer, returning its errors; `drop`
/// hands on everything left, ignoring errors, as nothing could handle
/// them there.
pub struct RedactingWriter<'a, W: Write> {
    inner: W,
    engine: &'a Engine,
    buf: Vec<u8>,
}

impl<W: Write> fmt::Debug for RedactingWriter<'_, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedactingWriter")
            .field("buffered", &self.buf.len())
            .finish_non_exhaustive()
    }
}

impl<'a, W: Write> RedactingWriter<'a, W> {
    /// A writer that redacts with `engine` into `inner`.
    pub fn new(inner: W, engine: &'a Engine) -> RedactingWriter<'a, W> {
        RedactingWriter { inner, engine, buf: Vec::new() }
    }

    /// Redacts `self.buf[..end]` into the inner writer and drops it from
    /// the buffer.
    fn forward(&mut self, end: usize) -> io::Result<()> {
        if end == 0 {
            return Ok(());
        }
        let res = with_spare(|s| {
            write_redacted(self.engine, &self.buf[..end], &mut self.inner, s)
        });
        self.buf.drain(..end);
        res
    }
}

impl<W: Write> Write for RedactingWriter<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.capacity() == 0 {
            self.buf = take_event_buffer();
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let whole = memchr::memrchr(b'\n', &self.buf).map_or(0, |i| i + 1);
        self.forward(whole)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<'_, W> {
    fn drop(&mut self) {
        // An error here has nowhere to go: the fmt layer has already been
        // told the event was written (tracing's own writers do the same).
        let _ = self.forward(self.buf.len());
        give_back_event_buffer(std::mem::take(&mut self.buf));
    }
}

/// Buffers reused by the writers of one thread, so that logging a clean
/// event allocates nothing once they have grown. Each is taken out while
/// in use and put back after, so a writer used inside another (an inner
/// writer that logs) simply gets fresh ones.
#[derive(Default)]
struct Spare {
    scratch: Scratch,
    line: Vec<u8>,
    /// A private key block's line with its body masked.
    block: Vec<u8>,
    out: Vec<u8>,
}

thread_local! {
    static EVENT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    static SPARE: Cell<Spare> = Cell::new(Spare::default());
}

/// A buffer kept for reuse is at most this large.
const SPARE_MAX: usize = 64 << 10;

fn take_event_buffer() -> Vec<u8> {
    EVENT.try_with(Cell::take).unwrap_or_default()
}

fn give_back_event_buffer(mut buf: Vec<u8>) {
    if buf.capacity() > 0 && buf.capacity() <= SPARE_MAX {
        buf.clear();
        let _ = EVENT.try_with(|e| e.set(buf));
    }
}

/// Runs `f` with this thread's spare buffers (fresh ones after the
/// thread's locals are gone).
fn with_spare<T>(f: impl FnOnce(&mut Spare) -> T) -> T {
    let mut spare = SPARE.try_with(Cell::take).unwrap_or_default();
    let t = f(&mut spare);
    if spare.out.capacity() > SPARE_MAX {
        spare.out = Vec::new();
    }
    let _ = SPARE.try_with(|s| s.set(spare));
    t
}

/// Writes `event` to `w` in one `write_all`, each line redacted by
/// `engine` in its configured format. Unchanged events are written as
/// they are, without a copy.
fn write_redacted<W: Write>(
    engine: &Engine,
    event: &[u8],
    w: &mut W,
    s: &mut Spare,
) -> io::Result<()> {
    s.out.clear();
    let mut changed = false;
    // `event[..copied]` is already in `s.out`.
    let mut copied = 0;
    let mut at = 0;
    // An event that prints a private key over several lines: the block
    // state lives as long as the event.
    let mut block = KeyBlock::default();
    for line in event.split_inclusive(|&b| b == b'\n') {
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        s.line.clear();
        let mut redacted = engine.redact_with(
            content,
            engine.format(),
            &mut s.scratch,
            &mut s.line,
        );
        if block.is_open() {
            let src = if redacted { &s.line[..] } else { content };
            s.block.clear();
            if block.line(src, &mut s.block).masked {
                std::mem::swap(&mut s.line, &mut s.block);
                redacted = true;
            }
        } else if engine.may_begin_block(s.scratch.line_mask()) {
            block.begins(content);
        }
        if redacted {
            s.out.extend_from_slice(&event[copied..at]);
            s.out.extend_from_slice(&s.line);
            s.out.extend_from_slice(&line[content.len()..]);
            copied = at + line.len();
            changed = true;
        }
        at += line.len();
    }
    if !changed {
        return w.write_all(event);
    }
    s.out.extend_from_slice(&event[copied..]);
    w.write_all(&s.out)
}
