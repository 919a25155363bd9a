//! Scanning logs for secrets without writing them: where each secret is
//! (line, byte column), what found it, the masked form the filter would
//! write and a fingerprint, for an audit of logs already on disk.
//!
//! A scan runs the [`Filter`] itself, on as many threads, and compares
//! each output line with its input line: only a line the filter changed
//! is looked at again ([`Engine::explain`] names its spans). So a scan
//! finds exactly the lines the filter would change, multi-line private
//! key bodies included, at the filter's speed: a clean line costs the
//! prefilter's pass and one comparison.
//!
//! [`find`] answers the other question of an incident: where did this
//! compromised value appear, raw or already masked.
//!
//! [`Engine::explain`]: crate::Engine::explain

use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::mpsc::{channel, Receiver, Sender};

use crate::fingerprint::Fingerprint;
use crate::{Engine, Filter, Stats};

pub mod find;

/// What a multi-line private key's body line is reported as: masked by
/// the stream's block state (`stream/block.rs`), not by a detector.
pub const BLOCK_DETECTOR: &str = "private_key_block";

/// One secret found, as written: no byte of the secret itself.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// Line number, from 1.
    pub line: u64,
    /// Byte column where the masked span starts, from 1: the secret for
    /// plain text, the whole value for a structured field.
    pub column: usize,
    /// The detector's kind (`token`, `card`, …; `private_key` for a key
    /// block's body line).
    pub kind: String,
    /// The detector's id in the config ([`BLOCK_DETECTOR`] for a key
    /// block's body line).
    pub detector: String,
    /// The rule that fired (`key_rule` when a key rule masked the value).
    pub rule: String,
    /// The key path a structured value was judged under.
    pub key: Option<String>,
    /// What the filter writes for the secret (`tok_****1234`).
    pub masked: String,
    /// The secret's fingerprint ([`Engine::fingerprint`]).
    pub fingerprint: Fingerprint,
}

/// Opens `rdr` for reading, gunzipped when it starts with gzip's magic
/// bytes (`1f 8b`), whatever its name; every member of a multi-member
/// file (`cat a.gz b.gz`, rotated logs appended) is read.
///
/// # Errors
/// A read error while looking at the first bytes.
pub fn open<'r, R: Read + Send + 'r>(
    rdr: R,
) -> io::Result<Box<dyn Read + Send + 'r>> {
    let mut buf = BufReader::with_capacity(256 * 1024, rdr);
    let head = loop {
        match buf.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => break r?,
        }
    };
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(buf)))
    } else {
        Ok(Box::new(buf))
    }
}

/// Scans `rdr` as [`Filter::run_threads`] redacts it, calling
/// `found` with each finding in input order; returns the filter's
/// counts.
///
/// # Errors
/// Read errors, and the first error `found` returns (a write error of
/// the caller's output); findings before it were given.
pub fn scan<R: Read + Send>(
    engine: &Engine,
    rdr: R,
    threads: usize,
    mut found: impl FnMut(Finding) -> io::Result<()>,
) -> io::Result<Stats> {
    let (tx, rx) = channel();
    let tee = Tee { inner: rdr, tx };
    let mut cmp = Compare {
        engine,
        rx,
        input: Vec::new(),
        at: 0,
        line_start: 0,
        line: 0,
        changed: None,
        found: &mut found,
        error: None,
    };
    let mut filter = Filter::new(engine.clone());
    let r = filter.run_threads(tee, &mut cmp, threads.max(1));
    if let Some(e) = cmp.error.take() {
        return Err(e);
    }
    r?;
    cmp.finish()?;
    Ok(filter.stats().clone())
}

/// Gives every byte read to the comparison too. The channel is not
/// bounded, but the filter is: it reads only as far ahead as its chunks
/// in flight, and the comparison drops each line once it has its output.
struct Tee<R> {
    inner: R,
    tx: Sender<Vec<u8>>,
}

impl<R: Read> Read for Tee<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            // The comparison outlives the filter: a send cannot fail
            // while the filter reads.
            let _ = self.tx.send(buf[..n].to_vec());
        }
        Ok(n)
    }
}

/// The filter's output, compared with its input as it comes: runs of
/// equal bytes by `memcmp`, their lines counted with `memchr`; only a
/// line that differs is gathered whole, both ways, and explained.
struct Compare<'a, F> {
    engine: &'a Engine,
    rx: Receiver<Vec<u8>>,
    /// Input from the start of the current line on.
    input: Vec<u8>,
    /// How far the output has been matched in `input`.
    at: usize,
    /// Where the current line starts in `input`.
    line_start: usize,
    /// Lines done.
    line: u64,
    /// The current line differs: its output so far (else empty).
    changed: Option<Vec<u8>>,
    found: &'a mut F,
    /// An error of `found`: the filter sees a failed write and stops.
    error: Option<io::Error>,
}

impl<F: FnMut(Finding) -> io::Result<()>> Compare<'_, F> {
    /// Receives more input, dropping what is before the current line;
    /// false at the end of the input.
    fn more(&mut self) -> bool {
        let Ok(next) = self.rx.recv() else { return false };
        self.input.drain(..self.line_start);
        self.at -= self.line_start;
        self.line_start = 0;
        self.input.extend_from_slice(&next);
        true
    }

    /// The current (changed) line's output is complete: finds the end of
    /// its input line, reports it, and goes on after it.
    fn end_changed(&mut self, out: Vec<u8>) -> io::Result<()> {
        let nl = loop {
            if let Some(i) = memchr::memchr(b'\n', &self.input[self.at..]) {
                break Some(self.at + i);
            }
            self.at = self.input.len();
            if !self.more() {
                break None;
            }
        };
        let end = nl.unwrap_or(self.input.len());
        self.line += 1;
        let inp = &self.input[self.line_start..end];
        let inp = inp.strip_suffix(b"\r").unwrap_or(inp);
        let o = out.strip_suffix(b"\r").unwrap_or(&out);
        report(self.engine, self.line, inp, o, &mut *self.found)?;
        self.at = nl.map_or(end, |n| n + 1);
        self.line_start = self.at;
        Ok(())
    }

    /// The last line, when the output ended without a newline.
    fn finish(&mut self) -> io::Result<()> {
        match self.changed.take() {
            Some(out) => self.end_changed(out),
            None => Ok(()),
        }
    }

    fn write_inner(&mut self, mut b: &[u8]) -> io::Result<()> {
        while !b.is_empty() {
            if let Some(out) = &mut self.changed {
                match memchr::memchr(b'\n', b) {
                    Some(i) => {
                        out.extend_from_slice(&b[..i]);
                        b = &b[i + 1..];
                        let out = self.changed.take().unwrap_or_default();
                        self.end_changed(out)?;
                    }
                    None => {
                        out.extend_from_slice(b);
                        return Ok(());
                    }
                }
                continue;
            }
            // Output is never ahead of the input read: more has come.
            if self.at == self.input.len() && !self.more() {
                return Err(io::Error::other("output past the input"));
            }
            let n = b.len().min(self.input.len() - self.at);
            let same = mismatch(&b[..n], &self.input[self.at..self.at + n]);
            let run = &b[..same];
            if let Some(last) = memchr::memrchr(b'\n', run) {
                self.line += memchr::memchr_iter(b'\n', run).count() as u64;
                self.line_start = self.at + last + 1;
            }
            self.at += same;
            b = &b[same..];
            if same < n {
                let so_far = self.input[self.line_start..self.at].to_vec();
                self.changed = Some(so_far);
            }
        }
        Ok(())
    }
}

/// Length of the common prefix of `a` and `b` (as long as each other),
/// compared a block at a time.
fn mismatch(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let mut i = 0;
    while i + BLOCK <= a.len() && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + common_prefix(&a[i..], &b[i..])
}

impl<F: FnMut(Finding) -> io::Result<()>> Write for Compare<'_, F> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Err(e) = self.write_inner(buf) {
            let kind = e.kind();
            self.error = Some(e);
            return Err(io::Error::new(kind, "scan output failed"));
        }
        Ok(buf.len())
    }

    // The filter writes a read's output as many slices: all taken.
    fn write_vectored(
        &mut self,
        bufs: &[io::IoSlice<'_>],
    ) -> io::Result<usize> {
        let mut n = 0;
        for b in bufs {
            n += self.write(b)?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The findings of one line that the filter changed from `inp` to
/// `out`.
fn report(
    engine: &Engine,
    line: u64,
    inp: &[u8],
    out: &[u8],
    found: &mut impl FnMut(Finding) -> io::Result<()>,
) -> io::Result<()> {
    for w in engine.explain(inp) {
        let d = engine.detector(w.detector as usize);
        let rule = if w.key_rule { "key_rule" } else { d.rule_name(w.rule) };
        found(Finding {
            line,
            column: w.span.start + 1,
            kind: d.kind().to_string(),
            detector: engine.detector_id(w.detector as usize).to_string(),
            rule: rule.to_string(),
            key: w.key,
            masked: String::from_utf8_lossy(&w.masked).into_owned(),
            fingerprint: w.fingerprint,
        })?;
    }
    // What the line's detectors wrote, against what the filter wrote:
    // the rest is a private key block's body, masked by the stream.
    let red = engine.redact(inp);
    if *red != *out {
        let pre = common_prefix(&red, out);
        let suf = common_suffix(&red[pre..], &out[pre..]);
        // Columns are the input's: the detectors' edits are before it
        // only when the input and their output differ there.
        let column = common_prefix(inp, out).min(pre) + 1;
        let secret = &red[pre..red.len() - suf];
        found(Finding {
            line,
            column,
            kind: "private_key".to_string(),
            detector: BLOCK_DETECTOR.to_string(),
            rule: "block_body".to_string(),
            key: None,
            masked: String::from_utf8_lossy(&out[pre..out.len() - suf])
                .into_owned(),
            fingerprint: engine.fingerprint(secret),
        })?;
    }
    Ok(())
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(input: &[u8], threads: usize) -> Vec<Finding> {
        let engine = Engine::default();
        let mut got = Vec::new();
        scan(&engine, input, threads, |f| {
            got.push(f);
            Ok(())
        })
        .unwrap();
        got
    }

    #[test]
    fn lines_and_columns() {
        let got = findings(
            b"ok\nkey sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ\nfine\r\ncvv=737",
            1,
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].line, got[0].column), (2, 5));
        assert_eq!(got[0].kind, "token");
        assert_eq!(got[0].masked, "sk_live_****W3yZ");
        assert_eq!(
            got[0].fingerprint,
            Engine::default()
                .fingerprint(b"sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ")
        );
        assert_eq!((got[1].line, got[1].column), (4, 5));
        assert_eq!(got[1].kind, "cvv");
        assert_eq!(got[1].masked, "[REDACTED:cvv]");
    }

    #[test]
    fn key_block_bodies_are_findings() {
        let got = findings(
            b"-----BEGIN RSA PRIVATE KEY-----\n\
              MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n\
              -----END RSA PRIVATE KEY-----\nafter\n",
            2,
        );
        let body: Vec<_> =
            got.iter().filter(|f| f.detector == BLOCK_DETECTOR).collect();
        assert_eq!(body.len(), 1, "{got:?}");
        assert_eq!((body[0].line, body[0].column), (2, 1));
        assert_eq!(body[0].masked, "[REDACTED:private_key]");
    }

    #[test]
    fn structured_field_and_threads_agree() {
        let mut input = Vec::new();
        for i in 0..5000 {
            input.extend_from_slice(
                format!("{{\"i\":{i},\"password\":\"hunter{i}\"}}\n")
                    .as_bytes(),
            );
            input.extend_from_slice(b"GET /healthz 200\n");
        }
        let one = findings(&input, 1);
        assert_eq!(one.len(), 5000);
        assert_eq!(one[1].line, 3);
        assert_eq!(one[1].key.as_deref(), Some("password"));
        assert_eq!(findings(&input, 3), one);
    }

    #[test]
    fn gzip_is_read_by_its_magic() {
        use flate2::write::GzEncoder;
        let mut gz = Vec::new();
        for part in [&b"a\npassword=x1"[..], b"\nb\n"] {
            let mut e = GzEncoder::new(Vec::new(), Default::default());
            e.write_all(part).unwrap();
            gz.extend(e.finish().unwrap());
        }
        let mut text = Vec::new();
        open(&gz[..]).unwrap().read_to_end(&mut text).unwrap();
        assert_eq!(text, b"a\npassword=x1\nb\n");
        let mut plain = Vec::new();
        open(&b"\x1fplain"[..]).unwrap().read_to_end(&mut plain).unwrap();
        assert_eq!(plain, b"\x1fplain");
    }
}
