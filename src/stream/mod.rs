//! The stream filter: reads lines from a reader, redacts them and writes
//! them to a writer, one output line for every input line.
//!
//! Line framing follows ripgrep's line buffer: one reusable buffer, read
//! in large blocks, lines found with `memchr`. Unchanged lines are written
//! straight from the read buffer (`gather.rs`: a read's runs of them and
//! its redacted lines in vectored writes); only a line with something to
//! mask is copied. A line longer than the engine's
//! `max_line_len` is scanned in overlapping windows, so memory stays
//! bounded and no byte of it leaves unscanned.
//!
//! `parallel.rs`: the same on several threads ([`Filter::run_threads`]),
//! chunks cut at line boundaries and written back in input order.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use crate::audit::{AuditSink, Tap, KEY_RULE};
use crate::detect::Input;
use crate::engine::{Engine, Scratch};
use crate::format::Format;
use crate::span::{Finding, Match};

mod block;
mod gather;
mod parallel;

use crate::prefilter::DetectorSet;
pub(crate) use block::KeyBlock;
pub use block::MAX_BLOCK_LINES;
use gather::Gather;

/// Size of one read.
const READ_SIZE: usize = 256 * 1024;
/// Bytes a window of an over-long line shares with the next window: more
/// than the longest secret the detectors look for (a PEM key block).
const OVERLAP: usize = 16 * 1024;
/// Bytes before a window cut that the next window scans again, but does
/// not write again: room for a key before its value.
const CONTEXT: usize = 1024;
/// Bytes searched for newlines at a time: bounds the offsets kept.
const NL_CHUNK: usize = 64 * 1024;

/// Counts of what a filter saw and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines read (a final line without a newline counts).
    pub lines: u64,
    /// Lines written with at least one secret masked.
    pub lines_changed: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Secrets masked, by (detector index, rule index).
    pub by_rule: BTreeMap<(u16, u16), u64>,
    /// Lines of multi-line private keys whose body was masked.
    pub block_lines: u64,
    /// Private key blocks that had no `-----END` line within
    /// [`MAX_BLOCK_LINES`] lines: masking stopped there.
    pub blocks_unterminated: u64,
}

impl Stats {
    /// Adds another's counts to these.
    pub fn merge(&mut self, o: &Stats) {
        self.lines += o.lines;
        self.lines_changed += o.lines_changed;
        self.bytes += o.bytes;
        self.block_lines += o.block_lines;
        self.blocks_unterminated += o.blocks_unterminated;
        for (k, v) in &o.by_rule {
            *self.by_rule.entry(*k).or_default() += v;
        }
    }

    /// `kind rule count` rows, named with `engine`'s detectors.
    pub fn rows(&self, engine: &Engine) -> Vec<(String, String, u64)> {
        self.by_rule
            .iter()
            .map(|(&(d, r), &n)| {
                let det = engine.detector(d as usize);
                (det.kind().to_string(), det.rule_name(r).to_string(), n)
            })
            .collect()
    }
}

/// Redacts a byte stream line by line. Owns its buffers: reuse one filter
/// for many inputs and no allocation happens per line.
///
/// Two ways to drive it: pull ([`Filter::run`] reads an `io::Read` to its
/// end) and push ([`Filter::feed`] takes bytes as they come, in any
/// split, and [`Filter::end_line`] ends a line that has no newline: a
/// frame of a framed protocol, or a connection that closed). Both frame
/// lines and window over-long lines the same way.
///
/// # Example
/// ```
/// let engine = logredact::Engine::default();
/// let mut filter = logredact::Filter::new(engine);
/// let mut out = Vec::new();
/// filter.run(&b"ok\npassword=hunter2\n"[..], &mut out).unwrap();
/// assert_eq!(out, b"ok\npassword=****\n");
///
/// // The same, pushed in pieces.
/// let mut out = Vec::new();
/// filter.feed(b"ok\npass", &mut out).unwrap();
/// filter.feed(b"word=hunter2", &mut out).unwrap();
/// assert!(filter.end_line(&mut out).unwrap()); // no newline was seen
/// assert_eq!(out, b"ok\npassword=****");
/// ```
#[derive(Debug)]
pub struct Filter {
    engine: Engine,
    buf: Vec<u8>,
    out: Vec<u8>,
    findings: Vec<Finding>,
    scratch: Vec<Match>,
    structured: Scratch,
    /// Offsets of the newlines in the chunk being framed.
    nls: Vec<u32>,
    stats: Stats,
    /// The last line written had no newline (end of input).
    unterminated: bool,
    /// Size of one read, and of the buffer when no long line is held.
    block: usize,
    /// Where the partial line starts in `buf`.
    start: usize,
    /// End of the bytes in `buf`.
    end: usize,
    /// Bytes before `start` that belong to the current over-long line,
    /// already written but kept so that detectors see the key before a
    /// value (`password=` | `hunter2`) across a window cut.
    carry: usize,
    /// A window of the current over-long line masked something: the line
    /// counts as changed when it ends, whatever its last part holds
    /// (where windows are cut depends on how the input was read).
    window_changed: bool,
    /// End each window of an over-long line with a newline.
    split_long: bool,
    /// Write `\n` for a `\r\n` line end.
    strip_cr: bool,
    /// A private key printed over several lines, while one is open.
    key_block: KeyBlock,
    /// A block line with its body masked.
    block_out: Vec<u8>,
    /// The prefilter's answer for the line being redacted.
    line_mask: DetectorSet,
    /// The output of the lines framed in one read, until it is written.
    gather: Gather,
    /// Where redaction events go ([`Filter::audit`]); only a changed line
    /// looks at it.
    audit: Option<Box<Tap>>,
}

impl Filter {
    /// A filter over `engine`.
    pub fn new(engine: Engine) -> Filter {
        Filter::with_block_size(engine, READ_SIZE)
    }

    /// A filter whose buffer starts at `block` bytes (at least 4 KiB) and
    /// grows only while a line longer than that is held: for many
    /// filters at once, one per connection. [`Filter::new`] uses 256 KiB.
    pub fn with_block_size(engine: Engine, block: usize) -> Filter {
        let block = block.max(4096);
        Filter {
            engine,
            buf: vec![0; block],
            out: Vec::new(),
            findings: Vec::new(),
            scratch: Vec::new(),
            structured: Scratch::default(),
            nls: Vec::new(),
            stats: Stats::default(),
            unterminated: false,
            block,
            start: 0,
            end: 0,
            carry: 0,
            window_changed: false,
            split_long: false,
            strip_cr: false,
            key_block: KeyBlock::default(),
            block_out: Vec::new(),
            line_mask: 0,
            gather: Gather::default(),
            audit: None,
        }
    }

    /// End each window of an over-long line with a newline, so the line
    /// leaves as several lines of at most `max_line_len` bytes, each
    /// complete (a relay's output can then never be interleaved inside a
    /// line). Off by default: the windows make up one line, as read.
    pub fn split_long_lines(&mut self, yes: bool) -> &mut Filter {
        self.split_long = yes;
        self
    }

    /// Write a `\r\n` line end as `\n`. Off by default: bytes are kept
    /// as they are.
    pub fn strip_cr(&mut self, yes: bool) -> &mut Filter {
        self.strip_cr = yes;
        self
    }

    /// Sends one audit event per masked span to `sink` (`None`: stops),
    /// numbering lines from 1 at the next line: see [`crate::audit`]. A
    /// clean line costs nothing more; a changed one a fingerprint per
    /// span and a send that never blocks.
    pub fn audit(&mut self, sink: Option<AuditSink>) -> &mut Filter {
        self.audit =
            sink.map(|sink| Box::new(Tap::new(sink, self.stats.lines)));
        // The structured path says where each masked value is, and
        // each secret's own fingerprint.
        self.structured.explain(self.audit.is_some());
        self
    }

    /// Counts so far, over every input run through this filter.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Counts since the last call (or the start), leaving zeros: for a
    /// long-lived filter that reports as it goes.
    pub fn take_stats(&mut self) -> Stats {
        if let Some(t) = &mut self.audit {
            // Line numbers go on from the lines taken.
            t.offset = t.offset.wrapping_add(self.stats.lines);
        }
        std::mem::take(&mut self.stats)
    }

    /// True when the last input ended with a line that had no newline.
    pub fn ended_unterminated(&self) -> bool {
        self.unterminated
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Bytes of a partial line held, waiting for its end.
    pub fn pending(&self) -> usize {
        self.end - self.start
    }

    /// Redacts everything `rdr` yields into `wtr`.
    ///
    /// # Errors
    /// Read and write errors, as they come.
    pub fn run<R: Read, W: Write>(
        &mut self,
        rdr: R,
        wtr: &mut W,
    ) -> io::Result<()> {
        // A new input: no key block goes on from the last one.
        self.key_block = KeyBlock::default();
        self.run_on(rdr, wtr)
    }

    /// [`Filter::run`], an open key block going on into `rdr`.
    fn run_on<R: Read, W: Write>(
        &mut self,
        mut rdr: R,
        wtr: &mut W,
    ) -> io::Result<()> {
        self.start = 0;
        self.end = 0;
        self.carry = 0;
        self.window_changed = false;
        self.unterminated = false;
        loop {
            let n = read_some(&mut rdr, self.room())?;
            if n == 0 {
                self.unterminated = self.finish_line(wtr)?;
                return Ok(());
            }
            self.commit(n, wtr)?;
        }
    }

    /// [`Filter::run`] on `threads` worker threads: the input is cut into
    /// chunks at line boundaries, each redacted by a clone of this
    /// filter's engine, and written in input order. The counts are added
    /// to this filter's [`Stats`]. One thread runs [`Filter::run`] here.
    ///
    /// Memory stays bounded (a fixed number of chunks in flight). A line
    /// longer than a chunk (1 MiB) sends the rest of the stream through
    /// one filter, which scans over-long lines in windows.
    ///
    /// # Errors
    /// Read and write errors.
    pub fn run_threads<R: Read + Send, W: Write>(
        &mut self,
        rdr: R,
        wtr: &mut W,
        threads: usize,
    ) -> io::Result<()> {
        if threads <= 1 {
            return self.run(rdr, wtr);
        }
        let audit = self
            .audit
            .as_deref()
            .map(|t| (&t.sink, t.line_no(self.stats.lines)));
        let stats = parallel::run(&self.engine, rdr, wtr, threads, audit)?;
        self.stats.merge(&stats);
        Ok(())
    }

    /// Redacts `data`, the next bytes of a stream, into `wtr`: complete
    /// lines are written, a partial line is held (over-long ones are
    /// written in windows) until more bytes or [`Filter::end_line`].
    ///
    /// # Errors
    /// Write errors.
    pub fn feed<W: Write>(
        &mut self,
        mut data: &[u8],
        wtr: &mut W,
    ) -> io::Result<()> {
        while !data.is_empty() {
            let room = self.room();
            let n = room.len().min(data.len());
            room[..n].copy_from_slice(&data[..n]);
            data = &data[n..];
            self.commit(n, wtr)?;
        }
        Ok(())
    }

    /// Ends the line held by [`Filter::feed`], if any: it is redacted and
    /// written without a newline. Returns true when what was written last
    /// has no newline (the caller may add one).
    ///
    /// # Errors
    /// Write errors.
    pub fn end_line<W: Write>(&mut self, wtr: &mut W) -> io::Result<bool> {
        let unterminated = self.finish_line(wtr)?;
        self.start = 0;
        self.end = 0;
        Ok(unterminated)
    }

    /// Gives back memory grown for a long line once it is no longer held.
    pub fn shrink(&mut self) {
        let keep = self.start - self.carry;
        if self.buf.len() > 2 * self.block && self.end - keep <= self.block / 2
        {
            self.buf.copy_within(keep..self.end, 0);
            self.end -= keep;
            self.start -= keep;
            self.buf.truncate(self.block);
            self.buf.shrink_to_fit();
            self.structured = Scratch::default();
            self.structured.explain(self.audit.is_some());
        }
        if self.out.capacity() > 2 * self.block {
            self.out = Vec::new();
        }
    }

    /// Room for the next read: moves the partial line to the front, grows
    /// the buffer only while a line is shorter than `max_line_len`.
    fn room(&mut self) -> &mut [u8] {
        if self.buf.len() - self.end < self.block / 4 {
            let keep = self.start - self.carry;
            if keep > 0 {
                self.buf.copy_within(keep..self.end, 0);
                self.end -= keep;
                self.start -= keep;
            }
            if self.buf.len() - self.end < self.block / 4 {
                let max = self.engine.max_line_len();
                let overlap = OVERLAP.min(max / 2);
                let want =
                    (self.end + self.block).min(max + overlap + self.block);
                self.buf.resize(want.max(self.buf.len()), 0);
            }
        }
        &mut self.buf[self.end..]
    }

    /// Takes `n` new bytes at the end of the buffer: writes the complete
    /// lines, and a window of a partial line that reached `max_line_len`.
    fn commit<W: Write>(&mut self, n: usize, wtr: &mut W) -> io::Result<()> {
        self.stats.bytes += n as u64;
        self.end += n;
        let next = self.lines(self.start, self.carry, self.end, wtr)?;
        if next > self.start {
            self.carry = 0;
        }
        self.start = next;
        let max = self.engine.max_line_len();
        if self.end - self.start >= max {
            let overlap = OVERLAP.min(max / 2);
            let (start, carry) = (self.start, self.carry);
            let cut = self.window(start, carry, self.end, overlap, wtr)?;
            self.carry = CONTEXT.min(cut - (start - carry));
            self.start = cut;
        }
        Ok(())
    }

    /// Writes the partial line, which has no newline; true when what was
    /// written last has none.
    fn finish_line<W: Write>(&mut self, wtr: &mut W) -> io::Result<bool> {
        let (start, end, carry) = (self.start, self.end, self.carry);
        self.start = end;
        self.carry = 0;
        if start < end {
            self.stats.lines += 1;
            if self.redact_in_block(start - carry, start, end) {
                wtr.write_all(&self.out)?;
            } else {
                wtr.write_all(&self.buf[start..end])?;
            }
            Ok(true)
        } else {
            // The end of an over-long line whose last window was written.
            if std::mem::take(&mut self.window_changed) {
                self.stats.lines_changed += 1;
            }
            Ok(carry > 0 && !self.split_long)
        }
    }

    /// Writes every complete line in `buf[start..end]`; returns where the
    /// incomplete rest begins. The first line has `carry` bytes of context
    /// before `start`.
    fn lines<W: Write>(
        &mut self,
        start: usize,
        carry: usize,
        end: usize,
        wtr: &mut W,
    ) -> io::Result<usize> {
        let pos = self.gather_lines(start, carry, end, usize::MAX);
        self.gather.write_to(&self.buf, wtr)?;
        Ok(pos)
    }

    /// [`Filter::lines`] without the write: the output stays gathered. It
    /// stops before a line of `max` bytes or more.
    fn gather_lines(
        &mut self,
        start: usize,
        carry: usize,
        end: usize,
        max: usize,
    ) -> usize {
        let mut pos = start;
        let mut ctx = start - carry;
        // Start of the run of unchanged lines not yet written.
        let mut clean = start;
        // Newlines are found a chunk at a time, then each line redacted.
        let mut from = start;
        'chunks: while from < end {
            let to = end.min(from + NL_CHUNK);
            self.nls.clear();
            newlines(&self.buf[from..to], &mut self.nls);
            for k in 0..self.nls.len() {
                let nl = from + self.nls[k] as usize;
                if nl - pos >= max {
                    break 'chunks;
                }
                pos = self.line(ctx, pos, nl, &mut clean);
                ctx = pos;
            }
            from = to;
        }
        self.gather.input(clean, pos);
        pos
    }

    /// Redacts `chunk`, whole lines of one input (the last may lack its
    /// newline where the input ends), as [`Filter::run`] would, where it
    /// lies: not copied into the filter's buffer. Returns the chunk and
    /// `out` (empty when given) holding the output, ranges of the chunk
    /// and redacted lines, for [`Gather::write_to`].
    ///
    /// # Errors
    /// [`Filter::run`]'s, which reads on a line of `max_line_len` or more:
    /// none, as it reads a slice into a `Vec`.
    fn redact_chunk(
        &mut self,
        chunk: Vec<u8>,
        out: Gather,
    ) -> io::Result<(Vec<u8>, Gather)> {
        self.key_block = KeyBlock::default();
        self.carry = 0;
        self.window_changed = false;
        self.unterminated = false;
        if let Some(t) = &mut self.audit {
            // Numbered from the chunk's first line; the writer adds the
            // lines before it.
            t.offset = 0u64.wrapping_sub(self.stats.lines);
            t.chunk = Some(Default::default());
        }
        let len = chunk.len();
        let own = std::mem::replace(&mut self.buf, chunk);
        let own_gather = std::mem::replace(&mut self.gather, out);
        let max = self.engine.max_line_len();
        let mut pos = self.gather_lines(0, 0, len, max);
        if pos < len
            && len - pos < max
            && memchr::memchr(b'\n', &self.buf[pos..]).is_none()
        {
            // The input's last line, with no newline.
            self.stats.lines += 1;
            if self.redact_in_block(pos, pos, len) {
                self.gather.owned(&self.out);
            } else {
                self.gather.input(pos, len);
            }
            self.unterminated = true;
            pos = len;
        }
        self.stats.bytes += pos as u64;
        let chunk = std::mem::replace(&mut self.buf, own);
        let mut out = std::mem::replace(&mut self.gather, own_gather);
        if pos < len {
            // A line too long to be redacted whole: the rest of the chunk
            // read as `run` reads it, in windows, the key block going on.
            let mut rest = Vec::new();
            self.run_on(&chunk[pos..], &mut rest)?;
            out.owned(&rest);
        }
        self.start = 0;
        self.end = 0;
        Ok((chunk, out))
    }

    /// Redacts the line `buf[pos..nl]` (context from `ctx`) that ends
    /// with the newline at `nl`, gathering it, with the unchanged lines
    /// from `clean` before it, if it changed; returns where the next line
    /// starts.
    #[inline(always)]
    fn line(
        &mut self,
        ctx: usize,
        pos: usize,
        nl: usize,
        clean: &mut usize,
    ) -> usize {
        let content_end =
            if nl > pos && self.buf[nl - 1] == b'\r' { nl - 1 } else { nl };
        self.stats.lines += 1;
        if self.redact_in_block(ctx, pos, content_end) {
            self.gather.input(*clean, pos);
            self.gather.owned(&self.out);
            if self.strip_cr {
                self.gather.owned(b"\n");
            } else {
                self.gather.owned(&self.buf[content_end..=nl]);
            }
            *clean = nl + 1;
        } else if self.strip_cr && content_end < nl {
            self.gather.input(*clean, content_end);
            self.gather.owned(b"\n");
            *clean = nl + 1;
        }
        nl + 1
    }

    /// [`Filter::redact_line`], then the line's part in a private key
    /// block: it may open one, or be one's body. The line is the one
    /// [`Stats::lines`] counted last.
    fn redact_in_block(&mut self, ctx: usize, s: usize, e: usize) -> bool {
        let changed = self.redact_line(ctx, s, e);
        let (changed, body) = if self.key_block.is_open() {
            self.block_line(s, e, changed)
        } else {
            if self.engine.may_begin_block(self.line_mask) {
                self.key_block.begins(&self.buf[s..e]);
            }
            (changed, false)
        };
        // The line ends here: changed if this part or a window was.
        if changed || std::mem::take(&mut self.window_changed) {
            self.stats.lines_changed += 1;
        }
        if changed && self.audit.is_some() {
            self.audit_line(ctx, s, e, body);
        }
        changed
    }

    /// A line of an open private key block, `buf[s..e]`, redacted into
    /// `out` if `changed`: masks its body; true if it is now changed, and
    /// true if body was masked.
    fn block_line(
        &mut self,
        s: usize,
        e: usize,
        changed: bool,
    ) -> (bool, bool) {
        let line = if changed { &self.out[..] } else { &self.buf[s..e] };
        self.block_out.clear();
        let r = self.key_block.line(line, &mut self.block_out);
        if r.gave_up {
            self.stats.blocks_unterminated += 1;
        }
        if !r.masked {
            return (changed, false);
        }
        std::mem::swap(&mut self.out, &mut self.block_out);
        self.stats.block_lines += 1;
        (true, true)
    }

    /// The audit events of the changed line `buf[s..e]` (context from
    /// `ctx`), one per masked span, as [`Stats::by_rule`] counts them,
    /// and one for a masked private key `body` line.
    #[cold]
    fn audit_line(&mut self, ctx: usize, s: usize, e: usize, body: bool) {
        let Some(tap) = self.audit.as_deref_mut() else { return };
        let n = tap.line_no(self.stats.lines);
        let line = &self.buf[s..e];
        if ctx < s || self.engine.format() == Format::Plain {
            // The plain path: its findings, relative to `s`.
            for f in &self.findings {
                let fp = self.engine.fingerprint(&line[f.span()]);
                tap.emit(n, Some(f.detector), f.m.rule, Some(fp));
            }
        } else {
            // The structured path: what it counted, each with its
            // explanation's fingerprint, the secret's own (a field's or
            // an encoded run's part, not its whole value).
            let why = self.structured.why.get_or_insert_with(Vec::new);
            tap.used.clear();
            tap.used.resize(why.len(), false);
            for &(d, r) in &self.structured.found {
                let at = why.iter().enumerate().position(|(i, w)| {
                    !tap.used[i] && w.detector == d && w.rule == r
                });
                let mut rule = r;
                let fp = at.map(|i| {
                    tap.used[i] = true;
                    if why[i].key_rule {
                        rule = KEY_RULE;
                    }
                    why[i].fingerprint
                });
                tap.emit(n, Some(d), rule, fp);
            }
            why.clear();
        }
        if body {
            tap.emit(n, None, 0, None);
        }
    }

    /// Writes the first part of an over-long line and returns where the
    /// next window starts: `overlap` bytes before the end, or before a
    /// secret that straddles that point, so it is seen whole next time.
    fn window<W: Write>(
        &mut self,
        start: usize,
        carry: usize,
        end: usize,
        overlap: usize,
        wtr: &mut W,
    ) -> io::Result<usize> {
        self.detect(start - carry, start, end);
        let mut cut = end - overlap;
        for f in &self.findings {
            let s = f.span();
            if start + s.start < cut && start + s.end > cut {
                // Keep at least half the window: a secret as long as the
                // window is cut, each part masked.
                if s.start > (end - start) / 2 {
                    cut = start + s.start;
                }
                break;
            }
        }
        let rel_cut = cut - start;
        self.findings.retain(|f| f.span().start < rel_cut);
        for f in &mut self.findings {
            f.m.span.end = f.m.span.end.min(rel_cut);
        }
        self.out.clear();
        self.engine.write_masked(
            &self.buf[start..cut],
            &self.findings,
            &mut self.out,
        );
        self.count();
        self.window_changed |= !self.findings.is_empty();
        if let Some(tap) = self.audit.as_deref_mut() {
            // A window of a line not counted yet.
            let n = tap.line_no(self.stats.lines + 1);
            for f in &self.findings {
                let v = &self.buf[start..cut][f.span()];
                tap.emit(
                    n,
                    Some(f.detector),
                    f.m.rule,
                    Some(self.engine.fingerprint(v)),
                );
            }
        }
        wtr.write_all(&self.out)?;
        if self.split_long {
            wtr.write_all(b"\n")?;
        }
        Ok(cut)
    }

    /// Runs the detectors over `buf[ctx..e]` and keeps the findings in
    /// `buf[s..e]`, relative to `s` (cut at `s` if they start before it);
    /// true if any.
    fn detect(&mut self, ctx: usize, s: usize, e: usize) -> bool {
        let input = Input::new(&self.buf[ctx..e]);
        self.line_mask = self.engine.triggered(input.hay);
        self.engine.find_masked(
            &input,
            self.line_mask,
            &mut self.scratch,
            &mut self.findings,
        );
        if ctx < s {
            let skip = s - ctx;
            self.findings.retain(|f| f.span().end > skip);
            for f in &mut self.findings {
                if f.m.span.start < skip {
                    f.m.span.start = skip;
                    f.m.prefix = 0;
                }
                f.m.span = f.m.span.offset_back(skip);
            }
        }
        !self.findings.is_empty()
    }

    /// Redacts the line `buf[s..e]` (with context from `ctx`) into
    /// `self.out`; true when anything was masked.
    fn redact_line(&mut self, ctx: usize, s: usize, e: usize) -> bool {
        let format = self.engine.format();
        let changed = if ctx < s || format == Format::Plain {
            // Plain text, or the end of an over-long line (scanned as text
            // with the context before it).
            if !self.detect(ctx, s, e) {
                return false;
            }
            self.out.clear();
            self.engine.write_masked(
                &self.buf[s..e],
                &self.findings,
                &mut self.out,
            );
            self.count();
            true
        } else {
            self.out.clear();
            let changed = self.engine.redact_with(
                &self.buf[s..e],
                format,
                &mut self.structured,
                &mut self.out,
            );
            self.line_mask = self.structured.line_mask();
            for &k in &self.structured.found {
                *self.stats.by_rule.entry(k).or_default() += 1;
            }
            changed
        };
        changed
    }

    fn count(&mut self) {
        for f in &self.findings {
            *self.stats.by_rule.entry((f.detector, f.m.rule)).or_default() +=
                1;
        }
    }
}

/// Appends the offset of every `\n` in `hay` to `out`.
fn newlines(hay: &[u8], out: &mut Vec<u32>) {
    #[cfg(target_arch = "x86_64")]
    if crate::simd::newlines(hay, out) {
        return;
    }
    out.extend(memchr::memchr_iter(b'\n', hay).map(|i| i as u32));
}

/// One read, retried on `Interrupted`.
fn read_some<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            res => return res,
        }
    }
}
