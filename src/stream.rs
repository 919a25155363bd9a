//! The stream filter: reads lines from a reader, redacts them and writes
//! them to a writer, one output line for every input line.
//!
//! Line framing follows ripgrep's line buffer: one reusable buffer, read
//! in large blocks, lines found with `memchr`. Unchanged lines are written
//! straight from the read buffer (runs of them in one write); only a line
//! with something to mask is copied. A line longer than the engine's
//! `max_line_len` is scanned in overlapping windows, so memory stays
//! bounded and no byte of it leaves unscanned.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use crate::detect::Input;
use crate::engine::Engine;
use crate::format::{Format, Scratch};
use crate::span::{Finding, Match};

/// Size of one read.
const READ_SIZE: usize = 256 * 1024;
/// Bytes a window of an over-long line shares with the next window: more
/// than the longest secret the detectors look for (a PEM key block).
const OVERLAP: usize = 16 * 1024;
/// Bytes before a window cut that the next window scans again, but does
/// not write again: room for a key before its value.
const CONTEXT: usize = 1024;

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
}

impl Stats {
    /// Adds another's counts to these.
    pub fn merge(&mut self, o: &Stats) {
        self.lines += o.lines;
        self.lines_changed += o.lines_changed;
        self.bytes += o.bytes;
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
/// # Example
/// ```
/// let engine = logredact::Engine::default();
/// let mut filter = logredact::Filter::new(engine);
/// let mut out = Vec::new();
/// filter.run(&b"ok\npassword=hunter2\n"[..], &mut out).unwrap();
/// assert_eq!(out, b"ok\npassword=****\n");
/// ```
#[derive(Debug)]
pub struct Filter {
    engine: Engine,
    buf: Vec<u8>,
    out: Vec<u8>,
    findings: Vec<Finding>,
    scratch: Vec<Match>,
    structured: Scratch,
    stats: Stats,
    /// The last line written had no newline (end of input).
    unterminated: bool,
}

impl Filter {
    /// A filter over `engine`.
    pub fn new(engine: Engine) -> Filter {
        Filter {
            engine,
            buf: vec![0; READ_SIZE],
            out: Vec::new(),
            findings: Vec::new(),
            scratch: Vec::new(),
            structured: Scratch::default(),
            stats: Stats::default(),
            unterminated: false,
        }
    }

    /// Counts so far, over every input run through this filter.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// True when the last input ended with a line that had no newline.
    pub fn ended_unterminated(&self) -> bool {
        self.unterminated
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Redacts everything `rdr` yields into `wtr`.
    ///
    /// # Errors
    /// Read and write errors, as they come.
    pub fn run<R: Read, W: Write>(
        &mut self,
        mut rdr: R,
        wtr: &mut W,
    ) -> io::Result<()> {
        let max = self.engine.max_line_len();
        let overlap = OVERLAP.min(max / 2);
        let (mut start, mut end) = (0, 0);
        // Bytes before `start` that belong to the current over-long line,
        // already written but kept so that detectors see the key before a
        // value (`password=` | `hunter2`) across a window cut.
        let mut carry = 0;
        self.unterminated = false;
        loop {
            // Room for the next read: move the partial line to the front,
            // grow only while a line is shorter than `max`.
            if self.buf.len() - end < READ_SIZE / 4 {
                let keep = start - carry;
                if keep > 0 {
                    self.buf.copy_within(keep..end, 0);
                    end -= keep;
                    start -= keep;
                }
                if self.buf.len() - end < READ_SIZE / 4 {
                    let want =
                        (end + READ_SIZE).min(max + overlap + READ_SIZE);
                    self.buf.resize(want.max(self.buf.len()), 0);
                }
            }
            let n = read_some(&mut rdr, &mut self.buf[end..])?;
            self.stats.bytes += n as u64;
            end += n;
            let eof = n == 0;
            let next = self.lines(start, carry, end, wtr)?;
            if next > start {
                carry = 0;
            }
            start = next;
            if eof {
                if start < end {
                    // The last line, without a newline.
                    if self.redact_line(start - carry, start, end) {
                        wtr.write_all(&self.out)?;
                    } else {
                        wtr.write_all(&self.buf[start..end])?;
                    }
                    self.stats.lines += 1;
                    self.unterminated = true;
                } else if carry > 0 {
                    self.unterminated = true;
                }
                return Ok(());
            }
            if end - start >= max {
                let cut = self.window(start, carry, end, overlap, wtr)?;
                carry = CONTEXT.min(cut - (start - carry));
                start = cut;
            }
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
        let mut pos = start;
        let mut ctx = start - carry;
        // Start of the run of unchanged lines not yet written.
        let mut clean = start;
        while let Some(i) = memchr::memchr(b'\n', &self.buf[pos..end]) {
            let nl = pos + i;
            let content_end = if nl > pos && self.buf[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            self.stats.lines += 1;
            if self.redact_line(ctx, pos, content_end) {
                wtr.write_all(&self.buf[clean..pos])?;
                wtr.write_all(&self.out)?;
                wtr.write_all(&self.buf[content_end..=nl])?;
                clean = nl + 1;
            }
            pos = nl + 1;
            ctx = pos;
        }
        wtr.write_all(&self.buf[clean..pos])?;
        Ok(pos)
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
        wtr.write_all(&self.out)?;
        Ok(cut)
    }

    /// Runs the detectors over `buf[ctx..e]` and keeps the findings in
    /// `buf[s..e]`, relative to `s` (cut at `s` if they start before it);
    /// true if any.
    fn detect(&mut self, ctx: usize, s: usize, e: usize) -> bool {
        let input = Input::new(&self.buf[ctx..e]);
        self.engine.find_with(&input, &mut self.scratch, &mut self.findings);
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
            let changed = self.engine.redact_format(
                &self.buf[s..e],
                format,
                &mut self.structured,
                &mut self.out,
            );
            for &k in &self.structured.found {
                *self.stats.by_rule.entry(k).or_default() += 1;
            }
            changed
        };
        if changed {
            self.stats.lines_changed += 1;
        }
        changed
    }

    fn count(&mut self) {
        for f in &self.findings {
            *self.stats.by_rule.entry((f.detector, f.m.rule)).or_default() +=
                1;
        }
    }
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
