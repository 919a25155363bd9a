//! Why a line was masked: for each masked span, the detector, its rule,
//! the key it was judged under and the words before it, so a user who
//! sees a false positive can tell which rule to switch off. An
//! explanation holds positions and names, never the secret itself.

use std::fmt;

use super::structured::Scratch;
use super::Engine;
use crate::fingerprint::Fingerprint;
use crate::span::Span;

/// Why one span of a line was masked ([`Engine::explain`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// Where the masked text is in the input line: the span a detector
    /// found, or for a structured field the field's whole value.
    pub span: Span,
    /// Index of the detector (see [`Engine::detector`]).
    pub detector: u16,
    /// The detector's rule (see [`crate::Detector::rule_name`]).
    pub rule: u16,
    /// The key path the value was judged under, for a field of a
    /// structured line (the sibling's name for a `{"name":…,"value":…}`
    /// pair).
    pub key: Option<String>,
    /// A key rule (`[[keys.always]]`) masked the whole value.
    pub key_rule: bool,
    /// What the detector's mask wrote for the secret (`tok_****1234`,
    /// `sha256:…`), before a field's or an encoded run's own escaping.
    pub masked: Vec<u8>,
    /// The secret's fingerprint ([`Engine::fingerprint`]), so findings of
    /// one value can be grouped without the value being written.
    pub fingerprint: Fingerprint,
}

/// What was written for one secret, recorded while explaining.
#[derive(Clone, Debug)]
pub(crate) struct Secret {
    /// The mask's output for it.
    pub(crate) masked: Vec<u8>,
    /// Its fingerprint.
    pub(crate) fingerprint: Fingerprint,
}

impl Secret {
    /// The explanation of this secret, masked at `span` by `(detector,
    /// rule)`, with no key; its masked form is moved into it (each is
    /// explained once).
    pub(crate) fn explain(
        &mut self,
        span: Span,
        (detector, rule): (u16, u16),
    ) -> Explanation {
        Explanation {
            span,
            detector,
            rule,
            key: None,
            key_rule: false,
            masked: std::mem::take(&mut self.masked),
            fingerprint: self.fingerprint,
        }
    }
}

impl Engine {
    /// Redacts `line` as [`Engine::redact`] does and says why each span
    /// was masked; empty when nothing was.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// let why = engine.explain(b"refund for cardholder Jane Roe");
    /// assert_eq!(why.len(), 1);
    /// let w = &why[0];
    /// assert_eq!(engine.detector(w.detector as usize).kind(), "name");
    /// assert_eq!(engine.detector(w.detector as usize).rule_name(w.rule), "context_word");
    /// assert_eq!((w.span.start, w.span.end), (22, 30));
    /// ```
    pub fn explain(&self, line: &[u8]) -> Vec<Explanation> {
        let mut s = Scratch::default();
        s.why = Some(Vec::new());
        s.secrets = Some(Vec::new());
        let mut out = Vec::new();
        self.redact_with(line, self.format(), &mut s, &mut out);
        let mut why = s.why.take().unwrap_or_default();
        why.sort_by_key(|w| (w.span.start, w.span.end));
        why
    }

    /// One explanation as a line of text: position, detector, rule, key,
    /// and the text of `line` just before the span (`context`), cut so
    /// that it holds no other masked span, so nothing printed was masked.
    pub fn describe<'a>(
        &'a self,
        line: &'a [u8],
        why: &'a [Explanation],
        i: usize,
    ) -> impl fmt::Display + 'a {
        Describe { engine: self, line, why, i }
    }
}

/// See [`Engine::describe`].
struct Describe<'a> {
    engine: &'a Engine,
    line: &'a [u8],
    why: &'a [Explanation],
    i: usize,
}

/// Most bytes of context shown before a span.
const CONTEXT: usize = 32;

impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.why[self.i];
        let d = self.engine.detector(w.detector as usize);
        // A key rule masks a value whatever the detector's rules say.
        let rule = if w.key_rule { "key_rule" } else { d.rule_name(w.rule) };
        write!(
            f,
            "bytes {}-{} {}/{} (detector {:?})",
            w.span.start,
            w.span.end,
            d.kind(),
            rule,
            self.engine.detector_id(w.detector as usize)
        )?;
        if let Some(k) = &w.key {
            write!(f, " key={k:?}")?;
        }
        // The context ends at the span and starts past every masked span
        // before it, so it shows only text left as it was.
        let end = w.span.start.min(self.line.len());
        let floor = self
            .why
            .iter()
            .filter(|o| o.span.end <= end)
            .map(|o| o.span.end)
            .chain(self.why.iter().filter(|o| o.span.start < end).map(|o| {
                // A span that covers the start of this one (a field whose
                // value holds it) leaves no context before it.
                if o.span.end > end {
                    end
                } else {
                    0
                }
            }))
            .max()
            .unwrap_or(0);
        let mut start = end.saturating_sub(CONTEXT).max(floor);
        while start < end && (self.line[start] & 0xC0) == 0x80 {
            start += 1;
        }
        let ctx = String::from_utf8_lossy(&self.line[start..end]);
        write!(f, " context={ctx:?}")
    }
}
