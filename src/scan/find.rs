//! `--find`: where did a compromised value appear? In logs that were
//! never redacted (the raw value) and in logs that were (every form
//! this config's masks write for it), so one search answers for both.
//!
//! The forms of a value, most certain first:
//!
//! - `exact`: the value itself;
//! - `hash`: a `sha256:`/`hmac:` mask's form of it (each detector's mask
//!   with its `hash_len`, and the full `sha256:` form): certain;
//! - `fingerprint`: its fingerprint, as scan findings and audit events
//!   write it;
//! - `last4-candidate`: a `last4` mask's form (`tok_****1234`, the public
//!   prefix a detector finds kept, also when this config hashes that
//!   detector's values: an older log may have been masked so): another
//!   value with the same prefix and last four characters writes the same;
//! - `card-candidate`: a `card` mask's form (`****-****-****-1111`), as
//!   given and grouped by fours: the same for every card ending so.
//!
//! Forms are searched together (one Aho-Corasick automaton over chunks
//! of whole lines, on several threads), so the cost is one pass over
//! the input whatever the number of values.

use std::fmt;
use std::io::{self, Read};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcKind};
use sha2::{Digest, Sha256};

use crate::detect::Input;
use crate::fingerprint::Fingerprint;
use crate::mask::{Mask, MaskKind, MaskSpec};
use crate::Engine;

/// Shortest value searched: a shorter one matches all over a log.
pub const MIN_LEN: usize = 6;

/// How a hit matched the sought value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum MatchKind {
    /// The raw value.
    Exact,
    /// A hash mask's form of it (`sha256:…`, `hmac:…`): certain.
    Hash,
    /// Its fingerprint (`sha256:<16 hex>`, `hmac:<16 hex>`).
    Fingerprint,
    /// A `last4` mask's form: this value or another one like it.
    Last4Candidate,
    /// A `card` mask's form: this card or another one ending so.
    CardCandidate,
}

impl MatchKind {
    /// The name written in findings: `exact`, `hash`, `fingerprint`,
    /// `last4-candidate`, `card-candidate`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Hash => "hash",
            MatchKind::Fingerprint => "fingerprint",
            MatchKind::Last4Candidate => "last4-candidate",
            MatchKind::CardCandidate => "card-candidate",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One form searched for.
#[derive(Clone)]
struct Form {
    /// Index of the value among those sought.
    secret: usize,
    kind: MatchKind,
    /// Id of the detector whose mask writes it.
    detector: Option<String>,
    text: Vec<u8>,
}

/// Where a sought value appeared.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hit {
    /// Line number, from 1.
    pub line: u64,
    /// Byte column where the match starts, from 1.
    pub column: usize,
    /// Index of the value among those sought, from 0.
    pub secret: usize,
    /// How it matched.
    pub kind: MatchKind,
    /// The detector whose mask writes the form that matched.
    pub detector: Option<String>,
    /// The text that matched, for every kind but `exact` (a masked form:
    /// what the log holds); `None` for `exact`, never the value.
    pub form: Option<String>,
}

/// The values sought, and every form of them, ready to search.
pub struct Needles {
    forms: Vec<Form>,
    fingerprints: Vec<Fingerprint>,
    ac: AhoCorasick,
}

impl fmt::Debug for Needles {
    // Never the values, nor their forms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Needles")
            .field("secrets", &self.fingerprints.len())
            .field("forms", &self.forms.len())
            .finish()
    }
}

/// Why values cannot be sought. Its message never holds a value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NeedleError {
    /// No value was given.
    Empty,
    /// Value number `.0` (from 1) is shorter than [`MIN_LEN`] bytes.
    TooShort(usize),
}

impl fmt::Display for NeedleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NeedleError::Empty => f.write_str("no value to find was given"),
            NeedleError::TooShort(i) => write!(
                f,
                "value {i} to find is shorter than {MIN_LEN} bytes: it \
                 would match all over the logs"
            ),
        }
    }
}

impl std::error::Error for NeedleError {}

/// The values in `text`, one a line (the way a leaked-credentials file
/// lists them): line ends (`\n`, `\r\n`) and surrounding spaces and tabs
/// dropped, empty lines skipped.
pub fn values(text: &[u8]) -> Vec<Vec<u8>> {
    text.split(|&b| b == b'\n')
        .map(|l| l.trim_ascii())
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

impl Needles {
    /// Every form of each of `secrets` that `engine`'s masks write.
    ///
    /// # Errors
    /// No value, or one shorter than [`MIN_LEN`] bytes.
    pub fn new(
        engine: &Engine,
        secrets: &[Vec<u8>],
    ) -> Result<Needles, NeedleError> {
        if secrets.is_empty() {
            return Err(NeedleError::Empty);
        }
        let mut forms = Vec::new();
        let mut fingerprints = Vec::new();
        for (i, s) in secrets.iter().enumerate() {
            if s.len() < MIN_LEN {
                return Err(NeedleError::TooShort(i + 1));
            }
            let fp = engine.fingerprint(s);
            fingerprints.push(fp);
            forms_of(engine, i, s, fp, &mut forms);
        }
        // One form per text, the most certain kind kept (a fingerprint
        // is a `hash_len = 16` sha256 mask's form when there is no key).
        // A form with its detector's name says more than one without.
        forms.sort_by(|a, b| {
            (&a.text, a.kind, a.detector.is_none()).cmp(&(
                &b.text,
                b.kind,
                b.detector.is_none(),
            ))
        });
        forms.dedup_by(|a, b| a.text == b.text);
        let ac = AhoCorasickBuilder::new()
            .match_kind(AcKind::LeftmostLongest)
            .build(forms.iter().map(|f| &f.text))
            .expect("a few short patterns always build");
        Ok(Needles { forms, fingerprints, ac })
    }

    /// The fingerprint of sought value `i` (to name it in reports).
    pub fn fingerprint(&self, i: usize) -> Fingerprint {
        self.fingerprints[i]
    }

    /// Number of values sought.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// True when no value is sought (never, once built).
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }

    /// The hits in one line numbered `line`.
    pub fn find_line(&self, line: u64, text: &[u8], mut hit: impl FnMut(Hit)) {
        for m in self.ac.find_iter(text) {
            let f = &self.forms[m.pattern().as_usize()];
            hit(Hit {
                line,
                column: m.start() + 1,
                secret: f.secret,
                kind: f.kind,
                detector: f.detector.clone(),
                form: (f.kind != MatchKind::Exact)
                    .then(|| String::from_utf8_lossy(&f.text).into_owned()),
            });
        }
    }

    /// Searches `rdr` a chunk of whole lines at a time on `threads`
    /// threads (a line longer than a chunk is searched in pieces that
    /// overlap, so a value a piece's end cuts is found in the next),
    /// calling `hit` for each hit in input order;
    /// returns the lines and bytes read.
    ///
    /// # Errors
    /// Read errors, and the first error `hit` returns.
    pub fn find_in<R: Read + Send>(
        &self,
        rdr: R,
        threads: usize,
        max_line: usize,
        mut hit: impl FnMut(Hit) -> io::Result<()>,
    ) -> io::Result<(u64, u64)> {
        let mut at = super::chunks::Position::new();
        let mut bytes = 0u64;
        super::chunks::run(
            rdr,
            threads,
            super::CHUNK.max(max_line),
            |c| {
                // Hits with lines counted from 0 in the chunk.
                let mut hits = Vec::new();
                let (mut at, mut n, mut start) = (0, 0u64, 0);
                for m in self.ac.find_iter(&c.data) {
                    let before = &c.data[at..m.start()];
                    if let Some(i) = memchr::memrchr(b'\n', before) {
                        n += memchr::memchr_iter(b'\n', before).count() as u64;
                        start = at + i + 1;
                    }
                    at = m.start();
                    if m.start() >= c.data.len() - c.tail {
                        // The next chunk starts here again and sees this
                        // one whole (the tail is in the cut last line).
                        continue;
                    }
                    let f = &self.forms[m.pattern().as_usize()];
                    hits.push(Hit {
                        line: n,
                        column: m.start() - start + 1,
                        secret: f.secret,
                        kind: f.kind,
                        detector: f.detector.clone(),
                        form: (f.kind != MatchKind::Exact).then(|| {
                            String::from_utf8_lossy(&f.text).into_owned()
                        }),
                    });
                }
                hits
            },
            |c, hits| {
                for mut h in hits {
                    (h.line, h.column) = at.of(c, h.line, h.column);
                    hit(h)?;
                }
                bytes += (c.data.len() - c.lead) as u64;
                at.advance(c);
                Ok(())
            },
        )?;
        Ok((at.lines(), bytes))
    }
}

/// Pushes the forms of `secret` (value number `i`) to `out`.
fn forms_of(
    engine: &Engine,
    i: usize,
    secret: &[u8],
    fp: Fingerprint,
    out: &mut Vec<Form>,
) {
    let mut push = |kind, detector: Option<&str>, text: Vec<u8>| {
        out.push(Form {
            secret: i,
            kind,
            detector: detector.map(str::to_string),
            text,
        })
    };
    push(MatchKind::Exact, None, secret.to_vec());
    // A card's digits are the card however they are grouped.
    for layout in card_layouts(secret) {
        push(MatchKind::Exact, None, layout);
    }
    push(MatchKind::Fingerprint, None, fp.to_string().into_bytes());
    // A sha256 mask's full form, whatever this config's hash_len: a
    // shorter one is its prefix.
    let mut full = b"sha256:".to_vec();
    for b in Sha256::digest(secret) {
        full.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    push(MatchKind::Hash, None, full);
    for d in 0..engine.len() {
        let mask = engine.mask(d);
        let id = Some(engine.detector_id(d));
        let mut text = Vec::new();
        match mask.kind() {
            MaskKind::Sha256 | MaskKind::Hmac => {
                mask.apply(secret, 0, &mut text);
                push(MatchKind::Hash, id, text);
            }
            MaskKind::Last4 => {
                let prefix = public_prefix(engine, d, secret).unwrap_or(0);
                mask.apply(secret, prefix, &mut text);
                if shows_last4(&text) {
                    push(MatchKind::Last4Candidate, id, text);
                }
            }
            MaskKind::Card => {
                for layout in card_layouts(secret) {
                    let mut text = Vec::new();
                    mask.apply(&layout, 0, &mut text);
                    if shows_last4(&text) {
                        push(MatchKind::CardCandidate, id, text);
                    }
                }
            }
            _ => {}
        }
        // A value a detector knows by its prefix (`sk_live_…`) was
        // written `sk_live_****…` by a last4 mask of an earlier config.
        if let Some(prefix) = public_prefix(engine, d, secret) {
            if prefix > 0 {
                let mut text = Vec::new();
                LAST4.apply(secret, prefix, &mut text);
                push(MatchKind::Last4Candidate, id, text);
            }
        }
    }
}

/// A `last4` mask, for the prefixed forms.
static LAST4: std::sync::LazyLock<Mask> = std::sync::LazyLock::new(|| {
    Mask::new(&MaskSpec::Kind(MaskKind::Last4).table(), "last4", None)
        .expect("last4 needs no key")
});

/// The public prefix detector `d` finds in `secret` as a whole (`tok_`),
/// as the filter would keep it; `None` when it does not find the whole
/// value.
fn public_prefix(engine: &Engine, d: usize, secret: &[u8]) -> Option<usize> {
    let mut ms = Vec::new();
    engine.detector(d).find(&Input::new(secret), &mut ms);
    ms.iter()
        .find(|m| m.span.start == 0 && m.span.end == secret.len())
        .map(|m| m.prefix as usize)
}

/// A candidate form worth searching: something starred and four
/// characters shown at the end (a short value's `****` alone would
/// match every masked value).
fn shows_last4(form: &[u8]) -> bool {
    form.contains(&b'*')
        && form.len() >= 8
        && form[form.len() - 4..].iter().all(|&b| b != b'*')
}

/// A card number as given, its digits alone, and its digits grouped by
/// fours with spaces and with dashes; nothing when it is no card-shaped
/// number (12 to 19 digits, spaces and dashes).
fn card_layouts(secret: &[u8]) -> Vec<Vec<u8>> {
    let digits: Vec<u8> =
        secret.iter().copied().filter(u8::is_ascii_digit).collect();
    let shaped =
        secret.iter().all(|b| b.is_ascii_digit() || b" -".contains(b));
    if !shaped || !(12..=19).contains(&digits.len()) {
        return Vec::new();
    }
    let mut out = vec![secret.to_vec(), digits.clone()];
    for sep in [b' ', b'-'] {
        let mut g = Vec::new();
        for (k, c) in digits.chunks(4).enumerate() {
            if k > 0 {
                g.push(sep);
            }
            g.extend_from_slice(c);
        }
        out.push(g);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &[u8] = b"sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ";

    fn hits(engine: &Engine, secret: &[u8], text: &[u8]) -> Vec<Hit> {
        let n = Needles::new(engine, &[secret.to_vec()]).unwrap();
        let mut got = Vec::new();
        n.find_in(text, 1, 1 << 20, |h| {
            got.push(h);
            Ok(())
        })
        .unwrap();
        got
    }

    #[test]
    fn raw_and_masked_forms() {
        let e = Engine::default();
        let redacted = e.redact(b"key sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ");
        let mut text = b"a\nkey sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ\n".to_vec();
        text.extend_from_slice(&redacted);
        text.extend_from_slice(b"\nfp ");
        text.extend_from_slice(e.fingerprint(TOKEN).to_string().as_bytes());
        let got = hits(&e, TOKEN, &text);
        let kinds: Vec<_> =
            got.iter().map(|h| (h.line, h.column, h.kind)).collect();
        assert_eq!(
            kinds,
            [
                (2, 5, MatchKind::Exact),
                (3, 5, MatchKind::Last4Candidate),
                (4, 4, MatchKind::Fingerprint),
            ]
        );
        assert_eq!(got[0].form, None);
        assert_eq!(got[1].form.as_deref(), Some("sk_live_****W3yZ"));
    }

    #[test]
    fn card_forms_and_guards() {
        let e = Engine::default();
        let got =
            hits(&e, b"4111111111111111", b"paid **** **** **** 1111 ok");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].kind, MatchKind::CardCandidate);
        // A bare `****` is no form; a short value is refused.
        assert!(hits(&e, b"hunter2x", b"password=****").is_empty());
        assert_eq!(
            Needles::new(&e, &[b"abc".to_vec()]).unwrap_err(),
            NeedleError::TooShort(1)
        );
        assert!(!format!("{:?}", Needles::new(&e, &[TOKEN.to_vec()]))
            .contains("sk_live"));
    }

    /// Over several chunks (3 MB) and threads: lines and columns hold.
    #[test]
    fn hits_over_chunks_in_order() {
        let e = Engine::default();
        let n = Needles::new(&e, &[TOKEN.to_vec()]).unwrap();
        let mut text = Vec::new();
        let mut want = Vec::new();
        for i in 0..90_000u64 {
            if i % 997 == 0 {
                let pad = " ".repeat((i % 13) as usize);
                text.extend_from_slice(format!("x{pad}").as_bytes());
                text.extend_from_slice(TOKEN);
                want.push((i + 1, pad.len() + 2));
            }
            text.extend_from_slice(b" GET /index.html 200 in 12ms\n");
        }
        assert!(text.len() > 1 << 21);
        for threads in [1, 2] {
            let mut got = Vec::new();
            let (lines, bytes) = n
                .find_in(&text[..], threads, 1 << 20, |h| {
                    got.push((h.line, h.column));
                    Ok(())
                })
                .unwrap();
            assert_eq!(got, want, "{threads}");
            assert_eq!((lines, bytes), (90_000, text.len() as u64));
        }
    }

    #[test]
    fn values_one_a_line() {
        assert_eq!(
            values(b" tok_aaaaaaaa\r\n\n\ttok_bbbbbbbb \n"),
            [b"tok_aaaaaaaa".to_vec(), b"tok_bbbbbbbb".to_vec()]
        );
    }
}
