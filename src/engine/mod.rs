//! The engine: runs the detectors over a line (or each value of a
//! structured line), merges their findings and writes the masked line in
//! one pass.
//!
//! - `mod.rs`: [`Engine`], its plain-text search and the public
//!   redaction calls;
//! - `builder.rs`: [`EngineBuilder`], detectors and masks given in code;
//! - `structured.rs`: key-aware redaction of the fields that
//!   [`format`](crate::format) parses, key rules, JSON inside strings;
//! - `merge.rs`: overlapping findings merged into one.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::detect::{Detector, Input};
use crate::fingerprint::Fingerprint;
use crate::format::{json, Format};
use crate::keyrules::KeyRules;
use crate::mask::{HmacKey, Mask};
use crate::prefilter::{self, DetectorSet, Prefilter};
use crate::span::{Finding, Match};

mod builder;
mod decode;
mod explain;
mod merge;
mod structured;

pub use builder::EngineBuilder;
pub use explain::Explanation;
pub(crate) use structured::Scratch;

/// Default longest line held whole (1 MiB).
pub const DEFAULT_MAX_LINE_LEN: usize = 1 << 20;

/// Detectors with their masks: immutable, `Send + Sync`, cheap to clone.
///
/// Build one from a [`Config`](crate::Config) (`Engine::default()` is the
/// shipped config) or with [`Engine::builder`].
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
    /// Detectors whose waking may mean a private key's BEGIN line.
    block_bits: DetectorSet,
    fingerprint_key: Option<Arc<HmacKey>>,
}

/// One detector with its id and mask.
#[derive(Clone)]
struct Entry {
    id: String,
    detector: Arc<dyn Detector>,
    mask: Mask,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.inner.entries.iter().map(|e| (&e.id, e.mask.kind())))
            .finish()
    }
}

impl Engine {
    /// A builder for an engine configured in code.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// How lines are parsed.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// The key rules for structured fields.
    pub fn key_rules(&self) -> &KeyRules {
        &self.inner.key_rules
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
    ///
    /// # Panics
    /// When `i` is not below [`Engine::len`].
    pub fn detector(&self, i: usize) -> &dyn Detector {
        &*self.inner.entries[i].detector
    }

    /// The mask of detector `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Engine::len`].
    pub fn mask(&self, i: usize) -> &Mask {
        &self.inner.entries[i].mask
    }

    /// The fingerprint of a secret `value`: keyed with the config's HMAC
    /// key when it has one (see [`Fingerprint`]).
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let fp = engine.fingerprint(b"4111111111111111");
    /// assert!(fp.to_string().starts_with("sha256:"));
    /// ```
    pub fn fingerprint(&self, value: &[u8]) -> Fingerprint {
        Fingerprint::of(value, self.inner.fingerprint_key.as_deref())
    }

    /// The id (config key) of detector `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Engine::len`].
    pub fn detector_id(&self, i: usize) -> &str {
        &self.inner.entries[i].id
    }

    /// Redacts one line parsed in the engine's [`Format`]: JSON, logfmt,
    /// syslog and XML lines key by key, keeping their syntax; other lines
    /// as plain text. `Borrowed` (no allocation) exactly when nothing was
    /// masked; then it is the input itself.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let out = engine.redact(br#"{"card_number": 4111111111111111}"#);
    /// assert_eq!(&out[..], br#"{"card_number": "************1111"}"#);
    /// ```
    pub fn redact<'h>(&self, line: &'h [u8]) -> Cow<'h, [u8]> {
        let mut out = Vec::new();
        if structured::with_scratch(|s| {
            self.redact_with(line, self.format(), s, &mut out)
        }) {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(line)
        }
    }

    /// Appends `line`, redacted as [`Engine::redact`] does, to `dst`;
    /// true when anything was masked (else `line` itself was appended).
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let mut out = b"> ".to_vec();
    /// assert!(engine.redact_into(b"token=sk_live_4eC39HqLyjWDarjtT1zdp7dc", &mut out));
    /// assert_eq!(out, b"> token=sk_live_****p7dc");
    /// ```
    ///
    /// # Performance
    /// Its working buffers are kept per thread, so a warm call on a clean
    /// line allocates nothing (beyond `dst` growing).
    pub fn redact_into(&self, line: &[u8], dst: &mut Vec<u8>) -> bool {
        let changed = structured::with_scratch(|s| {
            self.redact_with(line, self.format(), s, dst)
        });
        if !changed {
            dst.extend_from_slice(line);
        }
        changed
    }

    /// Redacts one line as plain text, whatever the engine's format: no
    /// parsing, keys and keywords in the text are its only context.
    /// `Borrowed` (no allocation) exactly when nothing was found.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let out = engine.redact_plain(br#"{"card_number": 4111111111111111}"#);
    /// // Masked as text: the bare number is quoted so JSON stays JSON.
    /// assert_eq!(&out[..], br#"{"card_number": "************1111"}"#);
    /// ```
    pub fn redact_plain<'h>(&self, line: &'h [u8]) -> Cow<'h, [u8]> {
        let mut findings = Vec::new();
        self.find(line, &mut findings);
        if findings.is_empty() {
            return Cow::Borrowed(line);
        }
        let mut out = Vec::with_capacity(line.len());
        self.write_masked(line, &findings, &mut out);
        Cow::Owned(out)
    }

    /// Finds every secret in `line` read as plain text, sorted by
    /// position, with overlapping findings merged into one (the leftmost
    /// one's detector masks the union, so no part of either secret
    /// escapes). `out` is cleared first.
    pub fn find(&self, line: &[u8], out: &mut Vec<Finding>) {
        let mut scratch = Vec::new();
        self.find_with(&Input::new(line), &mut scratch, out);
    }

    /// [`Engine::find`] with a caller-owned scratch buffer.
    pub(crate) fn find_with(
        &self,
        input: &Input<'_>,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        self.find_within(input, DetectorSet::MAX, scratch, out);
    }

    /// [`Engine::find_with`] on a field value that occurs as it is in a
    /// line whose prefilter scan gave `line`.
    pub(crate) fn find_within(
        &self,
        input: &Input<'_>,
        line: DetectorSet,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        let mask =
            self.inner.prefilter.scan_within(input.hay, input.key, line);
        self.find_masked(input, mask, scratch, out);
    }

    /// Whether a line whose prefilter scan gave `mask` may begin a
    /// private key block (see `stream/block.rs`).
    pub(crate) fn may_begin_block(&self, mask: DetectorSet) -> bool {
        mask & self.inner.block_bits != 0
    }

    /// The detectors that may find something in `line` (prefilter).
    pub(crate) fn triggered(&self, line: &[u8]) -> DetectorSet {
        self.inner.prefilter.scan(line, None)
    }

    /// [`Engine::find_with`] running only the detectors in `mask`.
    pub(crate) fn find_masked(
        &self,
        input: &Input<'_>,
        mask: DetectorSet,
        scratch: &mut Vec<Match>,
        out: &mut Vec<Finding>,
    ) {
        out.clear();
        let entries = &self.inner.entries;
        if mask & !(prefilter::KEY_RULES | prefilter::DECODE) == 0
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
        merge::merge(out);
    }

    /// Appends `line` to `dst` with `findings` (from [`Engine::find`])
    /// masked.
    pub(crate) fn write_masked(
        &self,
        line: &[u8],
        findings: &[Finding],
        dst: &mut Vec<u8>,
    ) {
        let mut at = 0;
        for f in findings {
            let s = f.span();
            let mask = self.mask_of(f.detector);
            // A mask is text: a bare JSON number (`"card": 4111…`,
            // `[-4111…]`) becomes a string, so the line stays valid JSON.
            let q = match line[..s.start].last() {
                Some(b'-') => s.start - 1,
                _ => s.start,
            };
            let quote = q >= at && json::bare_number(line, q, s.end);
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

    /// The mask of detector `d`.
    fn mask_of(&self, d: u16) -> &Mask {
        &self.inner.entries[d as usize].mask
    }
}
