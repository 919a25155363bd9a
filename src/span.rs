//! The values that flow between the stages: the [`Input`] a detector
//! reads, byte ranges in it, and the findings that name them.

use std::ops::{Index, Range};

/// A half-open byte range `start..end` in a line.
///
/// It exists only because `Range<usize>` is not `Copy`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    ///
    /// # Example
    /// ```
    /// let s = logredact::Span::new(2, 5);
    /// assert_eq!(&b"a=123;"[s], b"123");
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The same span moved left by `by` bytes.
    pub fn offset_back(self, by: usize) -> Span {
        Span { start: self.start - by, end: self.end - by }
    }

    /// The same span moved right by `by` bytes.
    pub fn offset(self, by: usize) -> Span {
        Span { start: self.start + by, end: self.end + by }
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span::new(r.start, r.end)
    }
}

impl Index<Span> for [u8] {
    type Output = [u8];
    fn index(&self, s: Span) -> &[u8] {
        &self[s.start..s.end]
    }
}

impl Index<Span> for Vec<u8> {
    type Output = [u8];
    fn index(&self, s: Span) -> &[u8] {
        &self[s.start..s.end]
    }
}

/// One secret that a detector found: where it is and how to mask it.
///
/// Detectors push these into a caller-owned buffer; the engine adds which
/// detector it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Where the secret is in the line.
    pub span: Span,
    /// Index of the rule within the detector (see [`crate::Detector::rule_name`]).
    pub rule: u16,
    /// Leading bytes of the secret that are a public prefix (`tok_`,
    /// `sk_live_`, an IBAN's country code): masks may keep them.
    pub prefix: u16,
}

impl Match {
    /// A match of rule 0 with no public prefix.
    pub fn new(span: impl Into<Span>) -> Match {
        Match { span: span.into(), rule: 0, prefix: 0 }
    }

    /// Sets the rule index.
    pub fn rule(mut self, rule: u16) -> Match {
        self.rule = rule;
        self
    }

    /// Sets the length of the public prefix.
    pub fn prefix(mut self, len: usize) -> Match {
        self.prefix = len.min(self.span.len()).min(u16::MAX as usize) as u16;
        self
    }
}

/// A [`Match`] tagged with the index of the detector that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Index of the detector in the engine.
    pub detector: u16,
    /// The match itself.
    pub m: Match,
}

impl Finding {
    /// Where the secret is in the line.
    pub fn span(&self) -> Span {
        self.m.span
    }
}

/// What a detector looks at: one line (or one value of a structured line)
/// and, when known, the key it sits under.
#[derive(Clone, Copy, Debug)]
pub struct Input<'h> {
    /// The bytes to search; offsets of matches are relative to it.
    pub hay: &'h [u8],
    /// The key of a structured field (`password` in `"password":"…"`).
    pub key: Option<&'h [u8]>,
}

impl<'h> Input<'h> {
    /// Input over `hay` with no key.
    pub fn new(hay: &'h [u8]) -> Input<'h> {
        Input { hay, key: None }
    }

    /// Sets the field key.
    pub fn key(mut self, key: &'h [u8]) -> Input<'h> {
        self.key = Some(key);
        self
    }
}
