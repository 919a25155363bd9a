//! The engine: runs every detector over a line, merges their findings and
//! writes the masked line in one pass.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::config::Config;
use crate::detect::{Detector, Input, Triggers};
use crate::format::Format;
use crate::keyrules::KeyRules;
use crate::mask::Mask;
use crate::prefilter::{self, Prefilter};
use crate::span::{Finding, Match};

/// Default longest line held whole (1 MiB).
pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;

/// Detectors with their masks: immutable, `Send + Sync`, cheap to clone.
///
/// # Example
/// ```
/// let engine = logredact::Engine::default();
/// let out = engine.redact(b"charge 4111 1111 1111 1111 cvv=123");
/// assert_eq!(&out[..], b"charge **** **** **** 1111 cvv=[REDACTED:cvv]");
/// // Nothing found: the input comes back borrowed, nothing allocated.
/// assert!(matches!(engine.redact(b"GET /healthz 200"),
///     std::borrow::Cow::Borrowed(_)));
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    entries: Vec<Entry>,
    prefilter: Prefilter,
    max_line_len: usize,
    format: Format,
    key_rules: KeyRules,
}

struct Entry {
    id: String,
    detector: Box<dyn Detector>,
    mask: Mask,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.inner.entries.iter().map(|e| (&e.id, e.mask.kind())))
            .finish()
    }
}

impl Default for Engine {
    /// The shipped default detectors and masks.
    fn default() -> Engine {
        Config::default().build().expect("the shipped defaults are valid")
    }
}

/// Builds an [`Engine`] from detectors given in code.
#[derive(Default)]
pub struct EngineBuilder {
    entries: Vec<Entry>,
    max_line_len: Option<usize>,
    format: Format,
    key_rules: KeyRules,
    /// Off: every detector runs everywhere (see `prefilter`).
    unfiltered: bool,
}

impl fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|e| &e.id)).finish()
    }
}

impl EngineBuilder {
    /// A builder with no detectors.
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Adds a detector whose findings are masked in full
    /// (`[REDACTED:kind]`).
    pub fn detector(
        &mut self,
        id: impl Into<String>,
        d: impl Detector + 'static,
    ) -> &mut EngineBuilder {
        let mask = Mask::full(d.kind());
        self.detector_with_mask(id, Box::new(d), mask)
    }

    /// Adds a detector with its mask.
    pub fn detector_with_mask(
        &mut self,
        id: impl Into<String>,
        d: Box<dyn Detector>,
        mask: Mask,
    ) -> &mut EngineBuilder {
        self.entries.push(Entry { id: id.into(), detector: d, mask });
        self
    }

    /// Turns the prefilter off (`false`): every detector then runs on
    /// every line and field. Slower, same findings: for tests.
    #[doc(hidden)]
    pub fn prefilter(&mut self, on: bool) -> &mut EngineBuilder {
        self.unfiltered = !on;
        self
    }

    /// Longest line held whole; longer lines are scanned in windows.
    /// 1 MiB by default.
    pub fn max_line_len(&mut self, n: usize) -> &mut EngineBuilder {
        self.max_line_len = Some(n.max(4096));
        self
    }

    /// The engine.
    pub fn build(self) -> Engine {
        Engine {
            inner: Arc::new(Inner {
                prefilter: if self.unfiltered {
                    Prefilter::new(
                        &vec![Triggers::always(); self.entries.len()],
                        Some(Triggers::always()),
                    )
                } else {
                    Prefilter::new(
                        &self
                            .entries
                            .iter()
                            .map(|e| e.detector.triggers())
                            .collect::<Vec<_>>(),
                        self.key_rules.triggers(),
                    )
                },
                entries: self.entries,
                max_line_len: self
                    .max_line_len
                    .unwrap_or(DEFAULT_MAX_LINE_LEN),
                format: self.format,
                key_rules: self.key_rules,
            }),
        }
    }

    /// How lines are parsed (default [`Format::Auto`]).
    pub fn format(&mut self, f: Format) -> &mut EngineBuilder {
        self.format = f;
        self
    }

    /// Key rules for structured fields (detector indices in the order the
    /// detectors were added).
    pub fn key_rules(&mut self, r: KeyRules) -> &mut EngineBuilder {
        self.key_rules = r;
        self
    }

    /// Index of the detector with id `id`, if added.
    pub fn index_of(&self, id: &str) -> Option<u16> {
        self.entries.iter().position(|e| e.id == id).map(|i| i as u16)
    }
}

impl Engine {
    /// A builder for an engine configured in code.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// Builds an engine from a config with the built-in detector types.
    ///
    /// # Errors
    /// See [`Config::build`].
    pub fn from_config(c: &Config) -> Result<Engine, crate::Error> {
        c.build()
    }

    /// How lines are parsed.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The key rules for structured fields.
    pub fn key_rules(&self) -> &KeyRules {
        &self.inner.key_rules
    }

    /// Masks all of `value` with detector `d`'s mask (a key rule), keeping
    /// the public prefix the detector reports for it; false when the value
    /// is already masked.
    pub(crate) fn mask_whole(
        &self,
        d: u16,
        value: &[u8],
        dst: &mut Vec<u8>,
    ) -> bool {
        let has = |w: &[u8]| value.windows(w.len()).any(|x| x == w);
        if has(b"****")
            || value.starts_with(b"[REDACTED")
            || has(b"sha256:")
            || has(b"hmac:")
        {
            return false;
        }
        // `Authorization: Bearer …` under an always-masked key keeps its
        // scheme word, as the token formats do.
        let scheme = value.iter().position(|&b| b == b' ').filter(|&n| {
            crate::detect::token::SCHEMES
                .iter()
                .any(|s| value[..n].eq_ignore_ascii_case(s.as_bytes()))
        });
        let value = match scheme {
            Some(n) => {
                dst.extend_from_slice(&value[..=n]);
                &value[n + 1..]
            }
            None => value,
        };
        let e = &self.inner.entries[d as usize];
        let mut ms = Vec::new();
        e.detector.find(&Input::new(value), &mut ms);
        let prefix = ms
            .iter()
            .find(|m| m.span.start == 0 && m.span.end == value.len())
            .map_or(0, |m| m.prefix as usize);
        e.mask.apply(value, prefix, dst);
        true
    }

    /// Longest line held whole by the stream filter.
    pub fn max_line_len(&self) -> usize {
        self.inner.max_line_len
    }

    /// Number of detectors.
    pub fn len(&self) -> usize {
        self.inner.entries.len()
    }

    /// True when the engine has no detector.
    pub fn is_empty(&self) -> bool {
        self.inner.entries.is_empty()
    }

    /// The detector at index `i` (as in [`Finding::detector`]).
    pub fn detector(&self, i: usize) -> &dyn Detector {
        &*self.inner.entries[i].detector
    }

    /// The id (config key) of detector `i`.
    pub fn detector_id(&self, i: usize) -> &str {
        &self.inner.entries[i].id
    }

    /// Finds every secret in `line`, sorted by position, with overlapping
    /// findings merged into one (the leftmost one's detector masks the
    /// union, so no part of either secret escapes).
    pub fn find(&self, line: &[u8], out: &mut Vec<Finding>) {
        let mut scratch = Vec::new();
        self.find_with(&Input::new(line), &mut scratch, out);
    }

    /// [`Engine::find`] with a caller-owned scratch buffer.
    pub fn find_with(
        &self,
        input: &Input<'_>,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        self.find_within(input, prefilter::DetectorSet::MAX, scratch, out);
    }

    /// [`Engine::find_with`] on a field value that occurs as it is in a
    /// line whose prefilter scan gave `line`.
    pub(crate) fn find_within(
        &self,
        input: &Input<'_>,
        line: prefilter::DetectorSet,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        let mask =
            self.inner.prefilter.scan_within(input.hay, input.key, line);
        self.find_masked(input, mask, scratch, out);
    }

    /// The detectors that may find something in `line`, as a bit set of
    /// detector indices (for benchmarks and diagnostics).
    #[doc(hidden)]
    pub fn prefilter_mask(&self, line: &[u8]) -> u64 {
        self.triggered(line)
    }

    /// The detectors that may find something in `line` (prefilter).
    pub(crate) fn triggered(&self, line: &[u8]) -> prefilter::DetectorSet {
        self.inner.prefilter.scan(line, None)
    }

    /// [`Engine::find_with`] running only the detectors in `mask`.
    pub(crate) fn find_masked(
        &self,
        input: &Input<'_>,
        mask: prefilter::DetectorSet,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        out.clear();
        let entries = &self.inner.entries;
        if mask & !prefilter::KEY_RULES == 0
            && entries.len() <= prefilter::DETECTOR_BITS
        {
            return;
        }
        for (i, e) in entries.iter().enumerate() {
            if i < prefilter::DETECTOR_BITS && mask & (1 << i) == 0 {
                continue;
            }
            scratch.clear();
            e.detector.find(input, scratch);
            out.extend(
                scratch
                    .iter()
                    .filter(|m| !m.span.is_empty())
                    .map(|&m| Finding { detector: i as u16, m }),
            );
        }
        merge(out);
    }

    /// Redacts one line scanned as plain text (see
    /// [`Engine::redact_line`] for format-aware redaction). `Borrowed` (no
    /// allocation) exactly when nothing was found; then it is the input
    /// itself.
    pub fn redact<'h>(&self, line: &'h [u8]) -> Cow<'h, [u8]> {
        let mut findings = Vec::new();
        self.find(line, &mut findings);
        if findings.is_empty() {
            return Cow::Borrowed(line);
        }
        let mut out = Vec::with_capacity(line.len());
        self.write_masked(line, &findings, &mut out);
        Cow::Owned(out)
    }

    /// Redacts one line parsed in the engine's [`Format`] (JSON, logfmt
    /// and syslog lines key by key, keeping their syntax). `Borrowed`
    /// exactly when nothing was masked.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let out = engine.redact_line(br#"{"card_number": 4111111111111111}"#);
    /// assert_eq!(&out[..], br#"{"card_number": "************1111"}"#);
    /// ```
    pub fn redact_line<'h>(&self, line: &'h [u8]) -> Cow<'h, [u8]> {
        let mut s = crate::format::Scratch::default();
        let mut out = Vec::new();
        if self.redact_format(line, self.format(), &mut s, &mut out) {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(line)
        }
    }

    /// Appends `line` to `dst` with `findings` (from [`Engine::find`])
    /// masked.
    pub fn write_masked(
        &self,
        line: &[u8],
        findings: &[Finding],
        dst: &mut Vec<u8>,
    ) {
        let mut at = 0;
        for f in findings {
            let s = f.span();
            let mask = &self.inner.entries[f.detector as usize].mask;
            // A mask is text: a bare JSON number (`"card": 4111…`,
            // `[-4111…]`) becomes a string, so the line stays valid JSON.
            let q = match line[..s.start].last() {
                Some(b'-') => s.start - 1,
                _ => s.start,
            };
            let quote = q >= at && bare_json_value(line, q, s.end);
            if quote {
                dst.extend_from_slice(&line[at..q]);
                dst.push(b'"');
                dst.extend_from_slice(&line[q..s.start]);
            } else {
                dst.extend_from_slice(&line[at..s.start]);
            }
            mask.apply(&line[s.start..s.end], f.m.prefix as usize, dst);
            if quote {
                dst.push(b'"');
            }
            at = s.end;
        }
        dst.extend_from_slice(&line[at..]);
    }
}

/// True when `line[s..e]` is an unquoted JSON number: after `"key":` in
/// any line, or in an array of a line that starts as JSON.
fn bare_json_value(line: &[u8], s: usize, e: usize) -> bool {
    let not_ws = |b: &&u8| !b.is_ascii_whitespace();
    if !(line[s].is_ascii_digit() || line[s] == b'-') {
        return false;
    }
    let after = line[e..].iter().find(not_ws);
    if !matches!(after, None | Some(b',' | b'}' | b']')) {
        return false;
    }
    let before = line[..s].iter().rposition(|b| !b.is_ascii_whitespace());
    match before.map(|i| (i, line[i])) {
        Some((i, b':')) => line[..i].iter().rev().find(not_ws) == Some(&b'"'),
        Some((_, b'[' | b',')) => {
            matches!(line.iter().find(not_ws), Some(b'{' | b'['))
        }
        _ => false,
    }
}

/// Sorts findings and merges overlapping ones.
fn merge(f: &mut Vec<Finding>) {
    if f.len() < 2 {
        return;
    }
    f.sort_by(|a, b| {
        a.m.span
            .start
            .cmp(&b.m.span.start)
            .then(b.m.span.end.cmp(&a.m.span.end))
    });
    let mut w = 0;
    for r in 1..f.len() {
        if f[r].m.span.start < f[w].m.span.end {
            if f[r].m.span.end > f[w].m.span.end {
                f[w].m.span.end = f[r].m.span.end;
            }
        } else {
            w += 1;
            f[w] = f[r];
        }
    }
    f.truncate(w + 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn fd(d: u16, s: usize, e: usize) -> Finding {
        Finding { detector: d, m: Match::new(Span::new(s, e)) }
    }

    #[test]
    fn merge_unions_overlaps() {
        let mut v = vec![fd(1, 5, 9), fd(0, 0, 3), fd(2, 2, 4), fd(3, 8, 12)];
        merge(&mut v);
        assert_eq!(v, vec![fd(0, 0, 4), fd(1, 5, 12)]);
    }
}
