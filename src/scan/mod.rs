//! Scanning logs for secrets without writing them: where each secret is
//! (line, byte column), what found it, the masked form the filter would
//! write and a fingerprint, for an audit of logs already on disk.
//!
//! A scan redacts each line as the [`Filter`](crate::Filter) does (the
//! same engine call, format and private key block state across lines),
//! with the engine recording, for each span it masks, the detector, rule,
//! masked form and fingerprint ([`Engine::explain`]'s record, made in the
//! same pass). So a scan finds exactly the lines the filter would change,
//! multi-line private key bodies included; a clean line costs what it
//! costs the filter (the prefilter's pass), and the output is never
//! written. Chunks of whole lines go to `-j` threads (`chunks.rs`) and
//! their findings come back in input order.
//!
//! [`find`] answers the other question of an incident: where did this
//! compromised value appear, raw or already masked.
//!
//! [`Engine::explain`]: crate::Engine::explain

use std::io::{self, BufRead, BufReader, Read};

use crate::detect::Input;
use crate::engine::Scratch;
use crate::fingerprint::Fingerprint;
use crate::format::Format;
use crate::stream::KeyBlock;
use crate::{Engine, Stats};

mod chunks;
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

/// Bytes of input a chunk of work holds (as the filter's `-j`).
const CHUNK: usize = 1 << 20;

/// Scans `rdr` as the filter ([`Filter::run_threads`]) redacts it, on
/// `threads` threads, calling `found` with each finding in input order;
/// returns the counts (`lines`, `bytes`, `lines_changed`,
/// `block_lines`, `by_rule`).
///
/// # Errors
/// Read errors, and the first error `found` returns (a write error of
/// the caller's output); findings before it were given.
///
/// [`Filter::run_threads`]: crate::Filter::run_threads
pub fn scan<R: Read + Send>(
    engine: &Engine,
    rdr: R,
    threads: usize,
    found: impl FnMut(Finding) -> io::Result<()>,
) -> io::Result<Stats> {
    scan_chunks(engine, rdr, threads, CHUNK.max(engine.max_line_len()), found)
}

/// [`scan`] with chunks of `size` bytes.
fn scan_chunks<R: Read + Send>(
    engine: &Engine,
    rdr: R,
    threads: usize,
    size: usize,
    mut found: impl FnMut(Finding) -> io::Result<()>,
) -> io::Result<Stats> {
    let mut stats = Stats::default();
    // In input order: the block state and the position (lines, a cut
    // line's column) go on from chunk to chunk.
    let mut block = KeyBlock::default();
    let mut at = chunks::Position::new();
    let mut redo = Lines::new(engine);
    chunks::run(
        rdr,
        threads,
        size,
        |c| {
            let mut l = Lines::new(engine);
            l.chunk(&c.data, c.lead, c.tail);
            (l.findings, l.block, l.stats)
        },
        |c, (mut fs, end_block, st)| {
            // A block open at the chunk's start was not seen by its
            // worker: its lines are judged again here until it ends.
            let mut inherited = block.is_open();
            if inherited {
                redo.block = std::mem::take(&mut block);
                redo.findings.clear();
                for (i, text) in lines_of(&c.data).enumerate() {
                    if !redo.block.is_open()
                        || KeyBlock::default().begins(text)
                    {
                        // From here the worker's state is the stream's.
                        inherited = false;
                        break;
                    }
                    redo.block_only(i as u64, text);
                }
                fs.append(&mut redo.findings);
                fs.sort_by_key(|f| f.line);
                stats.merge(&redo.stats);
                redo.stats = Stats::default();
            }
            block = if inherited {
                std::mem::take(&mut redo.block)
            } else {
                end_block
            };
            stats.merge(&st);
            for mut f in fs {
                (f.line, f.column) = at.of(c, f.line, f.column);
                found(f)?;
            }
            at.advance(c);
            Ok(())
        },
    )?;
    stats.lines = at.lines();
    Ok(stats)
}

/// One worker's state over a chunk: the engine's scratch (explaining),
/// a private key block, the findings with lines counted from 0.
struct Lines<'e> {
    engine: &'e Engine,
    scratch: Scratch,
    out: Vec<u8>,
    block: KeyBlock,
    block_out: Vec<u8>,
    matches: Vec<crate::span::Match>,
    plain: Vec<crate::span::Finding>,
    findings: Vec<Finding>,
    stats: Stats,
}

impl<'e> Lines<'e> {
    fn new(engine: &'e Engine) -> Lines<'e> {
        Lines {
            engine,
            scratch: Scratch::default(),
            out: Vec::new(),
            block: KeyBlock::default(),
            block_out: Vec::new(),
            matches: Vec::new(),
            plain: Vec::new(),
            findings: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// Judges the lines of `data`, whose first `lead` bytes repeat the
    /// chunk before's end and whose last `tail` bytes the next chunk's
    /// start. A finding belongs to the chunk it starts in, but for one
    /// starting in the tail: the next chunk sees that one whole.
    fn chunk(&mut self, data: &[u8], lead: usize, tail: usize) {
        self.stats.bytes += (data.len() - lead) as u64;
        // The last line's number and where it starts in `data`.
        let (mut last, mut start, mut at) = (0, 0, 0);
        for (i, text) in lines_of(data).enumerate() {
            (last, start) = (i as u64, at);
            self.line(last, text);
            at += text.len();
        }
        if tail > 0 {
            // A chunk with a tail was cut inside its last line.
            let from = data.len() - tail;
            self.findings
                .retain(|f| f.line != last || start + f.column - 1 < from);
        }
    }

    /// The line's content: without its `\n` or `\r\n`.
    fn content(text: &[u8]) -> &[u8] {
        let t = text.strip_suffix(b"\n").unwrap_or(text);
        t.strip_suffix(b"\r").unwrap_or(t)
    }

    /// Redacts line `n` as the filter does, recording why; then its part
    /// in a private key block.
    fn line(&mut self, n: u64, text: &[u8]) {
        let text = Self::content(text);
        let e = self.engine;
        self.out.clear();
        let (changed, mask) = if e.format() == Format::Plain {
            // As the filter reads plain text: the detectors alone.
            let mask = e.triggered(text);
            e.find_masked(
                &Input::new(text),
                mask,
                &mut self.matches,
                &mut self.plain,
            );
            for f in &self.plain {
                let w = e
                    .secret(text, f)
                    .explain(f.span(), (f.detector, f.m.rule));
                self.findings.push(explained(e, n, w));
                *self
                    .stats
                    .by_rule
                    .entry((f.detector, f.m.rule))
                    .or_default() += 1;
            }
            (!self.plain.is_empty(), mask)
        } else {
            let s = &mut self.scratch;
            let why = s.why.get_or_insert_with(Vec::new);
            why.clear();
            s.secrets.get_or_insert_with(Vec::new);
            let changed = e.redact_with(text, e.format(), s, &mut self.out);
            for &k in &s.found {
                *self.stats.by_rule.entry(k).or_default() += 1;
            }
            let mut why = s.why.take().unwrap_or_default();
            why.sort_by_key(|w| (w.span.start, w.span.end));
            for w in why.drain(..) {
                self.findings.push(explained(e, n, w));
            }
            s.why = Some(why);
            (changed, s.line_mask())
        };
        if changed {
            self.stats.lines_changed += 1;
        }
        if self.block.is_open() {
            let mut out = std::mem::take(&mut self.out);
            if changed && e.format() == Format::Plain {
                e.write_masked(text, &self.plain, &mut out);
            }
            let red: &[u8] = if changed { &out } else { text };
            self.block_body(n, text, red, changed);
            self.out = out;
        } else if e.may_begin_block(mask) {
            self.block.begins(text);
        }
    }

    /// Line `n` of a block inherited from the chunk before: only its
    /// block part (its other findings are the worker's).
    fn block_only(&mut self, n: u64, text: &[u8]) {
        let text = Self::content(text);
        let red = self.engine.redact(text);
        let changed = matches!(red, std::borrow::Cow::Owned(_));
        let red = red.into_owned();
        self.block_body(n, text, &red, changed);
    }

    /// Masks the body in `red` (line `n`, `text` as read) if it holds
    /// any: a finding of the block.
    fn block_body(&mut self, n: u64, text: &[u8], red: &[u8], changed: bool) {
        self.block_out.clear();
        let r = self.block.line(red, &mut self.block_out);
        if !r.masked {
            return;
        }
        self.stats.block_lines += 1;
        if !changed {
            self.stats.lines_changed += 1;
        }
        let out = &self.block_out;
        let pre = common_prefix(red, out);
        let suf = common_suffix(&red[pre..], &out[pre..]);
        // Columns are the input's: the detectors' edits are before it
        // only when the input and their output differ there.
        let column = common_prefix(text, out).min(pre) + 1;
        self.findings.push(Finding {
            line: n,
            column,
            kind: "private_key".to_string(),
            detector: BLOCK_DETECTOR.to_string(),
            rule: "block_body".to_string(),
            key: None,
            masked: String::from_utf8_lossy(&out[pre..out.len() - suf])
                .into_owned(),
            fingerprint: self.engine.fingerprint(&red[pre..red.len() - suf]),
        });
    }
}

/// The lines of `data`, each with its newline (the last may have none),
/// found with `memchr`.
fn lines_of(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut at = 0;
    let mut nls = memchr::memchr_iter(b'\n', data);
    std::iter::from_fn(move || {
        let end = match nls.next() {
            Some(i) => i + 1,
            None if at < data.len() => data.len(),
            None => return None,
        };
        let line = &data[at..end];
        at = end;
        Some(line)
    })
}

/// A finding from the engine's explanation of a span of line `n`.
fn explained(engine: &Engine, n: u64, w: crate::Explanation) -> Finding {
    let d = engine.detector(w.detector as usize);
    let rule = if w.key_rule { "key_rule" } else { d.rule_name(w.rule) };
    Finding {
        line: n,
        column: w.span.start + 1,
        kind: d.kind().to_string(),
        detector: engine.detector_id(w.detector as usize).to_string(),
        rule: rule.to_string(),
        key: w.key,
        masked: String::from_utf8_lossy(&w.masked).into_owned(),
        fingerprint: w.fingerprint,
    }
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

    /// Chunks of every size (a line cut in pieces, a key block over
    /// chunk ends) give the findings one chunk gives.
    #[test]
    fn findings_are_independent_of_the_chunks() {
        let engine = Engine::default();
        let input: &[u8] = b"a\npassword=hunter2\r\nok ok\n\ncvv=123\nb\n\
            -----BEGIN RSA PRIVATE KEY-----\n\
            MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n\
            x VQjlwHnKvNEWh6kU3r+QIDAQABAoIBAH8Z\n\
            -----END RSA PRIVATE KEY-----\n\
            token sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ tail\nend cvv=999";
        let run = |threads, size| {
            let mut got = Vec::new();
            let st = scan_chunks(&engine, input, threads, size, |f| {
                got.push((f.line, f.column, f.kind));
                Ok(())
            })
            .unwrap();
            (got, st.lines, st.lines_changed)
        };
        let whole = run(1, 1 << 20);
        let at: Vec<_> = whole.0.iter().map(|f| (f.0, f.1)).collect();
        assert_eq!(at, [(2, 10), (5, 5), (8, 1), (9, 3), (11, 7), (12, 9)]);
        assert_eq!((whole.1, whole.2), (12, 6));
        for size in [1, 7, 16, 40, 70, 100, 150, 333] {
            for threads in [1, 2] {
                let got = run(threads, size);
                if size >= 70 {
                    assert_eq!(got, whole, "{size} {threads}");
                } else {
                    // Lines cut in pieces: each piece is judged alone,
                    // but the lines are counted once.
                    assert_eq!(got.1, 12, "{size}");
                }
            }
        }
    }

    /// A line longer than a chunk, secrets at every distance from the
    /// chunks' ends: each is found once, where a whole-line scan finds
    /// it, as the chunks overlap (judged alone, the pieces lost the
    /// secrets their ends cut).
    #[test]
    fn secrets_cut_by_a_chunk_end_are_found_once() {
        let engine = Engine::default();
        let size = 4096;
        let secret = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";
        let mut line = Vec::new();
        let mut at = Vec::new();
        // Steps that walk the secret's start over each chunk end.
        for k in 0..120 {
            line.extend(std::iter::repeat_n(b'x', 97 + k % 13));
            line.push(b' ');
            at.push(line.len() + 1);
            line.extend_from_slice(secret.as_bytes());
            line.push(b' ');
        }
        let input = [&line[..], b"\nnext password=hunter2\n"].concat();
        let run = |threads, size| {
            let mut got = Vec::new();
            let st = scan_chunks(&engine, &input[..], threads, size, |f| {
                got.push((f.line, f.column));
                Ok(())
            })
            .unwrap();
            (got, st.lines, st.bytes)
        };
        let whole = run(1, 1 << 20);
        let mut want: Vec<_> = at.iter().map(|&c| (1, c)).collect();
        want.push((2, 15));
        assert_eq!(whole.0, want);
        assert_eq!((whole.1, whole.2), (2, input.len() as u64));
        assert!(input.len() > 3 * size);
        for threads in [1, 2] {
            assert_eq!(run(threads, size), whole, "{threads}");
        }
    }

    /// `--find` over a line longer than its chunks (1 MiB): a copy that
    /// a chunk's end cuts is found in the next, every copy once.
    #[test]
    fn find_sees_a_value_cut_by_a_chunk_end() {
        let engine = Engine::default();
        let secret = b"sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";
        let mut line = Vec::new();
        let mut at = Vec::new();
        // Copies across the first two chunk ends, and others between.
        for target in [1000, CHUNK - 10, CHUNK + 5000, 2 * CHUNK - 20] {
            line.resize(target, b'x');
            at.push(line.len() + 1);
            line.extend_from_slice(secret);
        }
        line.resize(2 * CHUNK + 100, b'x');
        let input = [&line[..], b"\n"].concat();
        let n = find::Needles::new(&engine, &[secret.to_vec()]).unwrap();
        for threads in [1, 2] {
            let mut hits = Vec::new();
            let (lines, bytes) = n
                .find_in(&input[..], threads, 0, |h| {
                    if h.kind == find::MatchKind::Exact {
                        hits.push((h.line, h.column));
                    }
                    Ok(())
                })
                .unwrap();
            let want: Vec<_> = at.iter().map(|&c| (1, c)).collect();
            assert_eq!(hits, want, "{threads}");
            assert_eq!((lines, bytes), (1, input.len() as u64));
        }
    }

    /// With the plain format, findings come from the detectors alone, as
    /// the filter reads plain text, with the same fields.
    #[test]
    fn plain_format_findings() {
        let config =
            crate::Config { format: Format::Plain, ..Default::default() };
        let engine = config.build().unwrap();
        let key = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";
        let line = format!("x {{\"token\":\"{key}\"}} y\n");
        let mut got = Vec::new();
        scan(&engine, line.as_bytes(), 1, |f| {
            got.push(f);
            Ok(())
        })
        .unwrap();
        assert_eq!(got.len(), 1);
        let f = &got[0];
        assert_eq!((f.line, f.column), (1, 13));
        assert_eq!((f.kind.as_str(), f.key.as_deref()), ("token", None));
        assert_eq!(f.masked, "sk_live_****W3yZ");
        assert_eq!(f.fingerprint, engine.fingerprint(key.as_bytes()));
    }

    #[test]
    fn gzip_is_read_by_its_magic() {
        use flate2::write::GzEncoder;
        use std::io::Write;
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
