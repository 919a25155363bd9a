//! Key-aware redaction of structured lines: the fields that
//! [`format`](crate::format) lists are judged one by one with their key
//! paths (key rules first, then the detectors with the key as context),
//! and each masked value is written back in its own syntax, so JSON stays
//! JSON, logfmt stays logfmt and XML stays well-formed. JSON held in a
//! string is parsed in turn, and so is what follows XML markup (text after
//! it, or the rest of broken markup); a line that does not parse is
//! redacted as plain text.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use super::explain::Explanation;
use super::Engine;
use crate::detect::{token, Input};
use crate::format::{Field, Fields, Format, Mark, Parsed};
use crate::keyrules::KeyRule;
use crate::mask;
use crate::prefilter::DetectorSet;
use crate::span::{Finding, Match, Span};

pub(crate) use super::explain::Secret;

/// Deepest JSON-in-a-string nesting that is parsed (`"body":"{\"a\":…}"`),
/// and most times the text after XML markup is sniffed again; deeper
/// text is redacted as plain text.
const MAX_DEPTH: usize = 4;

/// Reusable buffers for structured redaction.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    fields: Fields,
    edits: Vec<(Span, Range<usize>)>,
    arena: Vec<u8>,
    text: Vec<u8>,
    masked: Vec<u8>,
    matches: Vec<Match>,
    findings: Vec<Finding>,
    /// (detector, rule) of every secret masked, for statistics.
    pub(crate) found: Vec<(u16, u16)>,
    /// Why each span was masked, when asked ([`Engine::explain`]).
    pub(crate) why: Option<Vec<Explanation>>,
    /// When explaining: what was written for each entry of `found`, at
    /// the same index (inner scratches record too, and are appended).
    pub(crate) secrets: Option<Vec<Secret>>,
    /// Detectors the prefilter lets run on the current line.
    mask: DetectorSet,
    /// Encoding layers around the text (`decode.rs`).
    pub(super) decode_depth: u8,
    /// A run's decoded bytes, and where each starts in the run.
    pub(super) decoded: Vec<u8>,
    pub(super) decoded_at: Vec<usize>,
    /// The scratch of the layer below.
    pub(super) inner: Option<Box<Scratch>>,
}

impl Scratch {
    /// The prefilter's answer for the last line redacted.
    pub(crate) fn line_mask(&self) -> DetectorSet {
        self.mask
    }

    /// Appends `text` with the collected edits applied to `out`; false
    /// (and nothing appended) when there are none.
    fn apply(&self, text: &[u8], out: &mut Vec<u8>) -> bool {
        if self.edits.is_empty() {
            return false;
        }
        let mut at = 0;
        for (span, r) in &self.edits {
            out.extend_from_slice(&text[at..span.start]);
            out.extend_from_slice(&self.arena[r.clone()]);
            at = span.end;
        }
        out.extend_from_slice(&text[at..]);
        true
    }
}

thread_local! {
    /// Buffers for [`Engine::redact`] and [`Engine::redact_into`], so a
    /// warm call allocates nothing.
    static SPARE: Cell<Scratch> = Cell::new(Scratch::default());
}

/// A spare buffer is kept for reuse while it is at most this large.
const SPARE_MAX: usize = 64 << 10;

/// Runs `f` with this thread's spare scratch (a fresh one inside a nested
/// call, or once the thread's locals are gone).
pub(super) fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    let mut s = SPARE.try_with(Cell::take).unwrap_or_default();
    let t = f(&mut s);
    if s.arena.capacity() <= SPARE_MAX && s.text.capacity() <= SPARE_MAX {
        let _ = SPARE.try_with(|c| c.set(s));
    }
    t
}

impl Scratch {
    /// Records (`on`) or not why each span is masked, with each secret's
    /// masked form and fingerprint, as [`Engine::explain`] does: the
    /// audit's stream filter asks for it on every line it redacts.
    pub(crate) fn explain(&mut self, on: bool) {
        self.why = on.then(Vec::new);
        self.secrets = on.then(Vec::new);
    }
}

impl Engine {
    /// Appends `line`, parsed as `format`, to `dst` with its secrets
    /// masked; true when something was masked, else nothing is appended.
    /// The buffers in `s` are reused from line to line.
    pub(crate) fn redact_with(
        &self,
        line: &[u8],
        format: Format,
        s: &mut Scratch,
        dst: &mut Vec<u8>,
    ) -> bool {
        s.found.clear();
        if let Some(v) = &mut s.secrets {
            v.clear();
        }
        s.edits.clear();
        s.arena.clear();
        // The prefilter over the whole line (keys included): a line in
        // which no detector and no key rule can apply is not parsed.
        s.mask = self.triggered(line);
        // Escapes can hide a secret from the raw bytes (`4111\u00201111…`,
        // `4111&#32;1111…`): such lines are parsed, and each decoded value
        // is filtered again.
        if s.mask == 0 {
            // A line read as plain text has no keys for rules and no
            // escapes to decode: nothing can be found in it. (XML after a
            // text prefix is only looked for in lines the prefilter let
            // through, so its entities are not decoded here.)
            let escape = match format {
                Format::Auto => crate::format::sniff(line),
                f => f,
            }
            .escape();
            if escape.is_none_or(|e| memchr::memchr(e, line).is_none()) {
                return false;
            }
        }
        self.edits(line, 0, format, s, 0);
        s.apply(line, dst)
    }

    /// Redacts `value`, the value of a field named `key` (a dotted key
    /// path), as a structured line's field is redacted: key rules first
    /// (`password` is masked whatever its value, `trace_id` never), then
    /// every detector with the key as context; a value that starts as
    /// JSON is parsed as JSON. `Borrowed` exactly when nothing was masked.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// // Masked because of its key, though no pattern matches `hunter2`.
    /// assert_eq!(&engine.redact_value("password", b"hunter2")[..], b"****");
    /// assert_eq!(
    ///     &engine.redact_value("note", b"card 4111 1111 1111 1111")[..],
    ///     b"card **** **** **** 1111"
    /// );
    /// assert!(matches!(
    ///     engine.redact_value("order_id", b"4111111111111111"),
    ///     std::borrow::Cow::Borrowed(_)
    /// ));
    /// ```
    pub fn redact_value<'v>(
        &self,
        key: &str,
        value: &'v [u8],
    ) -> Cow<'v, [u8]> {
        let key = key.as_bytes();
        if value.is_empty() {
            return Cow::Borrowed(value);
        }
        // Rules are indexed by their last segment: a lookup is cheap.
        let rule = self.key_rules().lookup(key);
        if rule == Some(KeyRule::Never) {
            return Cow::Borrowed(value);
        }
        let mut s = Scratch::default();
        if matches!(value.first(), Some(b'{' | b'[')) {
            // Only JSON held in the value is scanned against the prefilter
            // of the whole value; other values are scanned with their key.
            s.mask = self.triggered(value);
        }
        let mut out = Vec::new();
        if !self.mask_value(key, rule, value, true, 0, &mut s, &mut out) {
            return Cow::Borrowed(value);
        }
        Cow::Owned(out)
    }

    /// Appends to `s.edits` the replacements for `text`, which sits at
    /// `base` in the line.
    fn edits(
        &self,
        text: &[u8],
        base: usize,
        format: Format,
        s: &mut Scratch,
        depth: usize,
    ) {
        let mark = s.fields.mark();
        match s.fields.parse(text, format) {
            Parsed::Fields => self.fields(text, base, mark, s, depth),
            Parsed::Syslog { msg } => {
                self.fields(text, base, mark, s, depth);
                if msg < text.len() {
                    self.edits(
                        &text[msg..],
                        base + msg,
                        Format::Auto,
                        s,
                        depth,
                    );
                }
            }
            Parsed::Xml { start, end } => {
                // The text around the markup (`request: <Pay>…`).
                if start > 0 {
                    self.plain(&text[..start], base, None, s);
                }
                self.fields(text, base, mark, s, depth);
                // What follows (text, a cut tag, the rest of broken
                // markup, where more XML may start again) is sniffed anew,
                // a bounded number of times.
                let rest = &text[end..];
                if !rest.is_empty() && depth < MAX_DEPTH {
                    self.edits(rest, base + end, Format::Auto, s, depth + 1);
                } else if !rest.is_empty() {
                    self.plain(rest, base + end, None, s);
                }
            }
            Parsed::Text => self.plain(text, base, None, s),
        }
        s.fields.truncate(mark);
    }

    /// Edits for the fields of `text` parsed after `mark`.
    fn fields(
        &self,
        text: &[u8],
        base: usize,
        mark: Mark,
        s: &mut Scratch,
        depth: usize,
    ) {
        // Taken out of the scratch so a field and its path can be
        // borrowed while the other buffers are written; put back below.
        let fields = std::mem::take(&mut s.fields);
        for (i, f) in fields.since(mark).iter().enumerate() {
            let raw = &text[f.value];
            if raw.is_empty() {
                continue;
            }
            // `{"name":"DB_PASSWORD","value":"…"}`: the value is judged
            // under its pair's name.
            let path = match fields.pair_name(mark, i, text) {
                Some(name) => &text[name],
                None => fields.path(f),
            };
            let rule = self.key_rules().lookup(path);
            if rule == Some(KeyRule::Never) {
                continue;
            }
            self.field(text, base, f, path, rule, s, depth);
        }
        s.fields = fields;
    }

    /// The edit for one field `f` of `text` under key path `path`, if it
    /// holds anything to mask.
    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        text: &[u8],
        base: usize,
        f: &Field,
        path: &[u8],
        rule: Option<KeyRule>,
        s: &mut Scratch,
        depth: usize,
    ) {
        // The value as text.
        let mut value = std::mem::take(&mut s.text);
        value.clear();
        f.kind.decode(&text[f.value], &mut value);
        let mut masked = std::mem::take(&mut s.masked);
        masked.clear();
        let escaped = f.kind.escaped();
        let seen = s.found.len();
        if self.mask_value(path, rule, &value, escaped, depth, s, &mut masked)
        {
            if let Some(why) = &mut s.why {
                let key_rule = matches!(rule, Some(KeyRule::Always(_)));
                let secrets = s.secrets.as_deref_mut().unwrap_or_default();
                why.extend(
                    s.found[seen..].iter().zip(&mut secrets[seen..]).map(
                        |(&(detector, rule), secret)| {
                            let span = f.value.offset(base);
                            let mut w = secret.explain(span, (detector, rule));
                            w.key = Some(
                                String::from_utf8_lossy(path).into_owned(),
                            );
                            w.key_rule = key_rule;
                            w
                        },
                    ),
                );
            }
            let start = s.arena.len();
            f.kind.encode(&masked, &mut s.arena);
            s.edits.push((f.value.offset(base), start..s.arena.len()));
        }
        s.text = value;
        s.masked = masked;
    }

    /// Masks `value`, found under key path `path` with key rule `rule`
    /// (not `Never`), into `masked`; true when anything was masked. An
    /// always-rule masks the whole value, unless its detector says the
    /// value cannot be its kind of secret; then, and without a rule, the
    /// detectors search it. When `nest` is set, a value that starts as
    /// JSON is parsed as JSON.
    #[allow(clippy::too_many_arguments)]
    fn mask_value(
        &self,
        path: &[u8],
        rule: Option<KeyRule>,
        value: &[u8],
        nest: bool,
        depth: usize,
        s: &mut Scratch,
        masked: &mut Vec<u8>,
    ) -> bool {
        let whole = match rule {
            // `"iban": "n/a"`: a placeholder holds nothing to mask.
            Some(KeyRule::Always(d)) => Some(d).filter(|&d| {
                !mask::is_placeholder(value)
                    && self.detector(d as usize).may_mask_whole(value)
            }),
            _ => None,
        };
        if let Some(d) = whole {
            let start = masked.len();
            let done = self.mask_whole(d, value, masked);
            if done {
                s.found.push((d, 0));
                if let Some(v) = &mut s.secrets {
                    // The scheme word (`Bearer `) is kept, not secret.
                    let n = token::scheme_len(value).unwrap_or(0);
                    v.push(Secret {
                        masked: masked[start + n..].to_vec(),
                        fingerprint: self.fingerprint(&value[n..]),
                    });
                }
            }
            done
        } else if nest
            && depth < MAX_DEPTH
            && matches!(value.first(), Some(b'{' | b'['))
        {
            // JSON inside a string (`"body":"{\"cvc\":\"123\"}"`).
            // Unescaped, the text may hold triggers the line did not.
            let mask = self.triggered(value);
            let secrets = s.secrets.as_ref().map(|_| Vec::new());
            let mut inner = Scratch { mask, secrets, ..Scratch::default() };
            let mut out = Vec::new();
            let found = self.nested(value, &mut inner, &mut out, depth + 1);
            s.found.extend_from_slice(&inner.found);
            if let (Some(v), Some(i)) = (&mut s.secrets, inner.secrets) {
                v.extend(i);
            }
            if found {
                masked.extend_from_slice(&out);
            }
            found
        } else {
            // Unescaped, the value may hold what the line did not.
            let line = if nest { DetectorSet::MAX } else { s.mask };
            let decoded = self.decode_layers(value, s);
            let value = decoded.as_deref().unwrap_or(value);
            self.find_within(
                &Input::new(value).key(path),
                line,
                &mut s.matches,
                &mut s.findings,
            );
            if s.findings.is_empty() {
                if decoded.is_some() {
                    masked.extend_from_slice(value);
                }
                decoded.is_some()
            } else {
                s.found
                    .extend(s.findings.iter().map(|f| (f.detector, f.m.rule)));
                self.record_secrets(value, s);
                self.write_masked(value, &s.findings, masked);
                true
            }
        }
    }

    /// Redacts JSON (or text) held in a string value; true if changed.
    fn nested(
        &self,
        text: &[u8],
        s: &mut Scratch,
        out: &mut Vec<u8>,
        depth: usize,
    ) -> bool {
        self.edits(text, 0, Format::Json, s, depth);
        s.apply(text, out)
    }

    /// One edit for the whole of `text` when anything is found in it.
    fn plain(
        &self,
        text: &[u8],
        base: usize,
        key: Option<&[u8]>,
        s: &mut Scratch,
    ) {
        let seen = s.found.len();
        let decoded = self.decode_layers(text, s);
        let whole = text;
        // Secrets masked inside encoded runs: explained as the span of
        // the whole text, which the run's re-encoding replaces.
        if let (Some(why), Some(secrets)) = (&mut s.why, &mut s.secrets) {
            let span = Span::new(base, base + whole.len());
            why.extend(s.found[seen..].iter().zip(&mut secrets[seen..]).map(
                |(&found, secret)| {
                    let mut w = secret.explain(span, found);
                    w.key =
                        key.map(|k| String::from_utf8_lossy(k).into_owned());
                    w
                },
            ));
        }
        let text = decoded.as_deref().unwrap_or(text);
        let mut input = Input::new(text);
        input.key = key;
        self.find_masked(&input, s.mask, &mut s.matches, &mut s.findings);
        if s.findings.is_empty() {
            if decoded.is_some() {
                let start = s.arena.len();
                s.arena.extend_from_slice(text);
                s.edits.push((
                    Span::new(base, base + whole.len()),
                    start..s.arena.len(),
                ));
            }
            return;
        }
        s.found.extend(s.findings.iter().map(|f| (f.detector, f.m.rule)));
        let first = s.secrets.as_ref().map_or(0, Vec::len);
        self.record_secrets(text, s);
        if let Some(why) = &mut s.why {
            let secrets = s.secrets.as_deref_mut().unwrap_or_default();
            why.extend(s.findings.iter().zip(&mut secrets[first..]).map(
                |(f, secret)| {
                    let span = f.span().offset(base);
                    let mut w = secret.explain(span, (f.detector, f.m.rule));
                    w.key =
                        key.map(|k| String::from_utf8_lossy(k).into_owned());
                    w
                },
            ));
        }
        let start = s.arena.len();
        self.write_masked(text, &s.findings, &mut s.arena);
        s.edits
            .push((Span::new(base, base + whole.len()), start..s.arena.len()));
    }

    /// When explaining, records what is written for each of
    /// `s.findings` (found in `text`) and its fingerprint.
    fn record_secrets(&self, text: &[u8], s: &mut Scratch) {
        let Some(v) = &mut s.secrets else { return };
        v.extend(s.findings.iter().map(|f| self.secret(text, f)));
    }

    /// What the mask writes for finding `f` of `text`, and the secret's
    /// fingerprint.
    pub(crate) fn secret(&self, text: &[u8], f: &Finding) -> Secret {
        let secret = &text[f.span()];
        let mut masked = Vec::new();
        self.mask_of(f.detector).apply(
            secret,
            f.m.prefix as usize,
            &mut masked,
        );
        Secret { masked, fingerprint: self.fingerprint(secret) }
    }

    /// Masks all of `value` with detector `d`'s mask (a key rule), keeping
    /// the public prefix the detector reports for it; false when the value
    /// is already masked.
    fn mask_whole(&self, d: u16, value: &[u8], dst: &mut Vec<u8>) -> bool {
        if mask::is_masked(value) {
            return false;
        }
        // `Authorization: Bearer …` under an always-masked key keeps its
        // scheme word, as the token formats do.
        let value = match token::scheme_len(value) {
            Some(n) => {
                dst.extend_from_slice(&value[..n]);
                &value[n..]
            }
            None => value,
        };
        let mut ms = Vec::new();
        self.detector(d as usize).find(&Input::new(value), &mut ms);
        let prefix = ms
            .iter()
            .find(|m| m.span.start == 0 && m.span.end == value.len())
            .map_or(0, |m| m.prefix as usize);
        self.mask_of(d).apply(value, prefix, dst);
        true
    }
}
