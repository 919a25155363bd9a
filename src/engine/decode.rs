//! Decoding layers: secrets hidden by an encoding that the detectors
//! cannot see through. Percent-encoded text (`payload=%7B%22card%22%3A…`,
//! where `%224111…` glues the card to a `2` and hides its key) and
//! base64 or base64url runs that start as JSON does (`eyJ` is `{"`) are
//! decoded, redacted as a line of their own (so JSON stays key-aware),
//! and, when something was masked, written back **in their encoding**: a
//! percent-encoded run stays percent-encoded (its unchanged parts byte
//! for byte), a base64 run stays valid base64 of the redacted text.
//!
//! Bounded: [`MAX_DEPTH`] layers (an encoding inside an encoding is
//! decoded once more), and runs over [`MAX_RUN`] bytes are left to the
//! plain detectors. A line holds no decoding work unless the prefilter
//! saw an escape or a JSON-shaped base64 start in it
//! (the prefilter's `DECODE` bit); the buffers are the scratch's, so a run that
//! decodes to nothing to mask allocates nothing.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, Engine as _};
use base64::{alphabet, DecodeError};

use super::structured::Scratch;
use super::Engine;
use crate::detect::checks::{backslash_escape_at, base64_json_at, escape_at};
use crate::detect::Triggers;
use crate::format::Format;
use crate::prefilter::DECODE;

/// Layers of encoding decoded at most.
pub(crate) const MAX_DEPTH: u8 = 2;
/// Longest encoded run decoded.
pub(crate) const MAX_RUN: usize = 64 * 1024;
/// Shortest base64 run decoded: room for `{"cvv":"123"}`.
const MIN_BASE64: usize = 16;

/// What wakes the decoding layers (`checks::encoded_at`): an escape, a
/// shape the prefilter checks byte by byte, not literals (short literals
/// that start with `%` made its pass a sixth slower); base64 JSON by its
/// first bytes as literals (`eyJ` is a token literal already, and a
/// literal costs the AVX2 pass less than two more byte pairs a block).
pub(crate) fn triggers() -> Triggers {
    Triggers::literals(["eyj", "eyai", "w3si"]).encoded(true)
}

/// An encoded run: its kind and span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Percent(usize, usize),
    Base64(usize, usize),
    /// `\xNN` or `\uNNNN` escapes outside JSON (nginx's `\x22`, a
    /// program's printout of bytes).
    Escaped(usize, usize),
}

impl Engine {
    /// `text` with its encoded runs redacted in their encoding, when the
    /// prefilter saw one and any held something to mask; `None`
    /// otherwise.
    pub(super) fn decode_layers(
        &self,
        text: &[u8],
        s: &mut Scratch,
    ) -> Option<Vec<u8>> {
        if s.line_mask() & DECODE == 0 || s.decode_depth >= MAX_DEPTH {
            return None;
        }
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        let mut at = 0;
        while let Some(run) = next_run(text, at) {
            let (start, end) = match run {
                Run::Percent(s, e)
                | Run::Base64(s, e)
                | Run::Escaped(s, e) => (s, e),
            };
            at = end;
            if end - start > MAX_RUN {
                continue;
            }
            let replaced = match run {
                Run::Percent(..) => {
                    self.escaped(&text[start..end], Escapes::Percent, s)
                }
                Run::Escaped(..) => {
                    self.escaped(&text[start..end], Escapes::Backslash, s)
                }
                Run::Base64(..) => self.base64(&text[start..end], s),
            };
            if let Some(r) = replaced {
                let o =
                    out.get_or_insert_with(|| Vec::with_capacity(text.len()));
                o.extend_from_slice(&text[copied..start]);
                o.extend_from_slice(&r);
                copied = end;
            }
        }
        let mut o = out?;
        o.extend_from_slice(&text[copied..]);
        Some(o)
    }

    /// A run of escapes, redacted and escaped again: the bytes before and
    /// after the first and last change as they were.
    fn escaped(
        &self,
        run: &[u8],
        kind: Escapes,
        s: &mut Scratch,
    ) -> Option<Vec<u8>> {
        let mut dec = std::mem::take(&mut s.decoded);
        let mut pos = std::mem::take(&mut s.decoded_at);
        dec.clear();
        pos.clear();
        let mut i = 0;
        while i < run.len() {
            pos.push(i);
            let esc = match kind {
                Escapes::Percent => escape_at(run, i).map(|b| (b, 3)),
                Escapes::Backslash => backslash_escape_at(run, i),
            };
            match esc {
                Some((b, n)) => {
                    dec.push(b);
                    i += n;
                }
                None => {
                    dec.push(run[i]);
                    i += 1;
                }
            }
        }
        pos.push(run.len());
        let red = self.redact_decoded(&dec, s);
        let out = red.map(|red| {
            let p = common_prefix(&dec, &red);
            let q = common_prefix_rev(&dec[p..], &red[p..]);
            let mut out = Vec::with_capacity(run.len());
            out.extend_from_slice(&run[..pos[p]]);
            let middle = &red[p..red.len() - q];
            match kind {
                Escapes::Percent => percent_encode(middle, &mut out),
                Escapes::Backslash => {
                    let u = run.windows(2).any(|w| w == b"\\u");
                    backslash_encode(middle, u, &mut out);
                }
            }
            out.extend_from_slice(&run[pos[dec.len() - q]..]);
            out
        });
        s.decoded = dec;
        s.decoded_at = pos;
        out
    }

    /// A base64 run that decodes to text, redacted and encoded again in
    /// its alphabet and padding.
    fn base64(&self, run: &[u8], s: &mut Scratch) -> Option<Vec<u8>> {
        let url = run.iter().any(|&b| b == b'-' || b == b'_');
        let b64 = codec(url, run.ends_with(b"="));
        let mut dec = std::mem::take(&mut s.decoded);
        dec.clear();
        let ok: Result<(), DecodeError> = b64.decode_vec(run, &mut dec);
        // Only text is worth a look: binary that happens to start `{"`
        // is left alone.
        let text = ok.is_ok()
            && dec
                .iter()
                .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'));
        let out = if text { self.redact_decoded(&dec, s) } else { None };
        s.decoded = dec;
        out.map(|red| b64.encode(red).into_bytes())
    }

    /// `dec` redacted as a line of its own, one layer deeper; `None` when
    /// nothing in it was masked.
    fn redact_decoded(&self, dec: &[u8], s: &mut Scratch) -> Option<Vec<u8>> {
        let mut inner = s.inner.take().unwrap_or_default();
        inner.decode_depth = s.decode_depth + 1;
        inner.secrets = s.secrets.as_ref().map(|_| Vec::new());
        let mut red = Vec::new();
        let changed =
            self.redact_with(dec, Format::Auto, &mut inner, &mut red);
        s.found.extend_from_slice(&inner.found);
        if let (Some(v), Some(i)) = (&mut s.secrets, &mut inner.secrets) {
            v.append(i);
        }
        s.inner = Some(inner);
        changed.then_some(red)
    }
}

/// The base64 codec of a run: standard or URL-safe alphabet, padded on
/// output when the run was.
fn codec(url: bool, padded: bool) -> GeneralPurpose {
    let cfg = GeneralPurposeConfig::new()
        .with_encode_padding(padded)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let a = if url { &alphabet::URL_SAFE } else { &alphabet::STANDARD };
    GeneralPurpose::new(a, cfg)
}

/// How a run writes its escapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escapes {
    /// `%22`.
    Percent,
    /// `\x22` or `\u0022`.
    Backslash,
}

/// The next encoded run at or after `at`.
fn next_run(text: &[u8], at: usize) -> Option<Run> {
    let mut i = at;
    while i < text.len() {
        let b = text[i];
        if b == b'\\' && backslash_escape_at(text, i).is_some() {
            // From the word of the first escape to the word of the last
            // one: a key and its value may sit in two words
            // (`{\x22cvv\x22: \x22123\x22}`).
            let s = text[at..i]
                .iter()
                .rposition(u8::is_ascii_whitespace)
                .map_or(at, |p| at + p + 1);
            let mut e = i;
            let mut j = i;
            while j < text.len() {
                if text[j] == b'\\' && backslash_escape_at(text, j).is_some() {
                    e = text[j..]
                        .iter()
                        .position(u8::is_ascii_whitespace)
                        .map_or(text.len(), |p| j + p);
                    j = e;
                } else {
                    j += 1;
                }
            }
            return Some(Run::Escaped(s, e));
        }
        if b == b'%' && escape_at(text, i).is_some() {
            let s = text[at..i]
                .iter()
                .rposition(|&c| !url_byte(c))
                .map_or(at, |p| at + p + 1);
            let e = text[i..]
                .iter()
                .position(|&c| !url_byte(c))
                .map_or(text.len(), |p| i + p);
            return Some(Run::Percent(s, e));
        }
        if (b == b'e' || b == b'W') && base64_json_at(text, i) {
            let e = text[i..]
                .iter()
                .position(|&c| !base64_byte(c))
                .map_or(text.len(), |p| i + p);
            if e - i >= MIN_BASE64 {
                return Some(Run::Base64(i, e));
            }
            i = e;
            continue;
        }
        i += 1;
    }
    None
}

fn base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=')
}

/// A byte a URL or form body holds unescaped: not a blank, a quote, an
/// angle bracket or a backslash (which end it in a log line).
fn url_byte(b: u8) -> bool {
    b > b' '
        && b < 0x7f
        && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`')
}

/// Writes `text` into `out` with every byte but letters, digits, blanks
/// and the masks' `*`, `-`, `.`, `_` escaped as `\xNN` (or `\u00NN`
/// when the run wrote its escapes so).
fn backslash_encode(text: &[u8], u: bool, out: &mut Vec<u8>) {
    let keep = |b: u8| matches!(b, b' ' | b'*' | b'-' | b'.' | b'_');
    let prefix: &[u8] = if u { b"\\u00" } else { b"\\x" };
    escape(text, keep, prefix, b"0123456789abcdef", out);
}

/// Percent-encodes `text` into `out`: all but RFC 3986's unreserved
/// characters and the masks' `*`.
fn percent_encode(text: &[u8], out: &mut Vec<u8>) {
    let keep = |b: u8| matches!(b, b'-' | b'.' | b'_' | b'~' | b'*');
    escape(text, keep, b"%", b"0123456789ABCDEF", out);
}

/// Writes `text` into `out`, letters, digits and the bytes `keep` takes
/// as they are, every other byte as `prefix` and two digits of `hex`.
fn escape(
    text: &[u8],
    keep: impl Fn(u8) -> bool,
    prefix: &[u8],
    hex: &[u8; 16],
    out: &mut Vec<u8>,
) {
    for &b in text {
        if b.is_ascii_alphanumeric() || keep(b) {
            out.push(b);
        } else {
            out.extend_from_slice(prefix);
            out.extend_from_slice(&[
                hex[usize::from(b >> 4)],
                hex[usize::from(b & 15)],
            ]);
        }
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_prefix_rev(a: &[u8], b: &[u8]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(line: &str) -> String {
        let e = Engine::default();
        String::from_utf8(e.redact(line.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn percent_encoded_json_is_redacted_in_its_encoding() {
        let out = redact("payload=%7B%22card%22%3A%224111111111111111%22%7D");
        assert_eq!(out, "payload=%7B%22card%22%3A%22************1111%22%7D");
        let out = redact(
            "GET /cb?data=%7B%22cvv%22%3A%22123%22%2C%22ok%22%3A1%7D 200",
        );
        assert!(!out.contains("123%22"), "{out}");
        assert!(out.starts_with("GET /cb?data=%7B%22cvv%22%3A%22"), "{out}");
        assert!(out.ends_with("%2C%22ok%22%3A1%7D 200"), "{out}");
    }

    #[test]
    fn percent_encoded_form_and_email() {
        let out = redact(
            "body=email%3Djane.doe%40example.com%26password%3Dhunter22",
        );
        assert!(!out.contains("jane.doe"), "{out}");
        assert!(!out.contains("hunter22"), "{out}");
        assert!(out.starts_with("body=email%3D"), "{out}");
    }

    #[test]
    fn base64_json_is_redacted_and_stays_base64() {
        use base64::engine::general_purpose::STANDARD;
        let body =
            STANDARD.encode(br#"{"card":"4111111111111111","amount":12}"#);
        let out = redact(&format!("body={body} ok"));
        let enc =
            out.strip_prefix("body=").unwrap().strip_suffix(" ok").unwrap();
        let dec = String::from_utf8(STANDARD.decode(enc).unwrap()).unwrap();
        assert_eq!(dec, r#"{"card":"************1111","amount":12}"#);
    }

    #[test]
    fn clean_encodings_stay_byte_for_byte() {
        for line in [
            "GET /search?q=caf%C3%A9%20menu&page=2 200",
            "redirect=https%3A%2F%2Fexample.com%2Fhome%3Fa%3D1",
            "jwt header eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 seen",
            "%22just a quote%22 in text",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn backslash_escapes_outside_json() {
        // nginx writes a request's quotes as `\x22`.
        let out = redact(r#"GET /pay?b={\x22cvv\x22: \x22123\x22} HTTP/1.1"#);
        assert!(!out.contains("123"), "{out}");
        assert!(out.starts_with(r#"GET /pay?b={\x22cvv\x22: \x22"#), "{out}");
        let out =
            redact(r#"js: {\u0022card\u0022:\u00224111111111111111\u0022}"#);
        assert!(out.contains("************1111"), "{out}");
        assert!(out.contains(r#"\u0022card\u0022"#), "{out}");
        let clean = r#"GET /?q={\x22page\x22: 2} HTTP/1.1"#;
        assert_eq!(redact(clean), clean);
    }

    #[test]
    fn layers_are_bounded() {
        // Encoded three times: the third layer is not decoded.
        let once = "%22cvv%22%3A%22123%22";
        let twice = once.replace('%', "%25");
        let thrice = twice.replace('%', "%25");
        assert!(!redact(&format!("x={once}")).contains("%22123%22"));
        assert!(!redact(&format!("x={twice}")).contains("123"));
        assert_eq!(redact(&format!("x={thrice}")), format!("x={thrice}"));
    }
}
