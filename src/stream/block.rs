//! Private keys logged over several lines: a PEM, PGP or OpenSSH key
//! printed as it is stored, `-----BEGIN … PRIVATE KEY-----`, then its
//! base64 body lines, then `-----END …-----`.
//!
//! Each line is judged alone by the detectors, and a body line alone is
//! only base64. So a stream keeps this small state across lines: a line
//! that begins a private key and does not end it opens a block, and every
//! line after it has its body masked until the `-----END` line, or until
//! [`MAX_BLOCK_LINES`] lines have passed (a block that never ends stops
//! being masked, and [`Stats::blocks_unterminated`] counts it).
//!
//! The state belongs to a stream: the filter holds one (a connection of
//! `logredact serve` has its own filter), the `tracing` writer one per
//! event.
//!
//! [`Stats::blocks_unterminated`]: super::Stats::blocks_unterminated

use std::sync::OnceLock;

use memchr::memmem;

/// Lines after the opening one that a block masks at most. A PEM key's
/// body has 64 base64 characters a line: an 8192-bit RSA key is about
/// 100 lines, a PGP key with subkeys a few hundred.
pub const MAX_BLOCK_LINES: u32 = 512;

/// What a masked body run is written as.
const MASK: &[u8] = b"[REDACTED:private_key]";

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const PRIVATE: &[u8] = b"PRIVATE KEY";

/// A run of base64 this long is body wherever it is in a line.
const LONG_RUN: usize = 16;

/// The block state of one stream.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyBlock {
    /// Lines masked since the block opened; `None` when none is open.
    open: Option<u32>,
}

/// What [`KeyBlock::line`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// Body was masked: the line is in `out`.
    pub(crate) masked: bool,
    /// The block reached [`MAX_BLOCK_LINES`] without an end and closed.
    pub(crate) gave_up: bool,
}

impl KeyBlock {
    /// True while a block is open: every line goes to [`KeyBlock::line`].
    pub(crate) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Opens a block if `line` (outside one) begins a private key that it
    /// does not end; true if it did.
    pub(crate) fn begins(&mut self, line: &[u8]) -> bool {
        let opens = opens(line);
        if opens {
            self.open = Some(0);
        }
        opens
    }

    /// A line inside the open block (as redacted so far): when it holds
    /// body, appends it with the body masked to `out`. Closes the block
    /// at its `-----END` line or after [`MAX_BLOCK_LINES`] lines.
    pub(crate) fn line(&mut self, line: &[u8], out: &mut Vec<u8>) -> Outcome {
        let Some(n) = self.open else { return Outcome::default() };
        let mut r = Outcome::default();
        // The body ends where the END marker starts; a new BEGIN (a second
        // key right after) starts the count again.
        let end = memmem::find(line, END);
        let body = &line[..end.unwrap_or(line.len())];
        let tail = &line[body.len()..];
        if mask_body(body, out) {
            out.extend_from_slice(tail);
            r.masked = true;
        }
        self.open = if end.is_some() {
            opens(tail).then_some(0)
        } else if opens(line) {
            Some(0)
        } else if n + 1 >= MAX_BLOCK_LINES {
            r.gave_up = true;
            None
        } else {
            Some(n + 1)
        };
        r
    }
}

/// True when `line` begins a private key (`-----BEGIN … PRIVATE
/// KEY-----`, `… PRIVATE KEY BLOCK-----`) that it does not end.
pub(crate) fn opens(line: &[u8]) -> bool {
    // Built once (a searcher made per call costs more than the search of
    // a short line), and forward: its SIMD prefilter makes a line without
    // the marker cheap, which the reverse searcher's is not.
    static FIND: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    let find = FIND.get_or_init(|| memmem::Finder::new(BEGIN));
    let Some(b) = find.find_iter(line).last() else { return false };
    let label = &line[b + BEGIN.len()..];
    let Some(close) = memmem::find(label, b"-----") else { return false };
    memmem::find(&label[..close], PRIVATE).is_some()
        && memmem::find(&label[close..], END).is_none()
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// Appends `body` to `out` with its key material masked; false (and
/// nothing appended) when it holds none. Key material: every base64 run
/// of [`LONG_RUN`] or more characters, and the line's last word when it
/// reads as base64 rather than as a word (a digit, `+`, `/` or `=` in
/// it, or a capital after a small letter): a key's last body line is
/// short (`Yw==`).
fn mask_body(body: &[u8], out: &mut Vec<u8>) -> bool {
    let start = out.len();
    let last = last_word(body);
    let mut at = 0;
    let mut i = 0;
    let mut any = false;
    while i < body.len() {
        if !is_b64(body[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < body.len() && is_b64(body[i]) {
            i += 1;
        }
        let run = &body[s..i];
        if run.len() >= LONG_RUN || (last == Some((s, i)) && base64ish(run)) {
            out.extend_from_slice(&body[at..s]);
            out.extend_from_slice(MASK);
            at = i;
            any = true;
        }
    }
    if any {
        out.extend_from_slice(&body[at..]);
    } else {
        out.truncate(start);
    }
    any
}

/// The span of the last whitespace-separated word of `body`, if it is a
/// single base64 run.
fn last_word(body: &[u8]) -> Option<(usize, usize)> {
    let e = body.iter().rposition(|b| !b.is_ascii_whitespace())? + 1;
    let s = body[..e]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |p| p + 1);
    body[s..e].iter().all(|&b| is_b64(b)).then_some((s, e))
}

fn base64ish(w: &[u8]) -> bool {
    w.iter().any(|&b| b.is_ascii_digit() || matches!(b, b'+' | b'/' | b'='))
        || w.windows(2)
            .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> Vec<String> {
        let mut b = KeyBlock::default();
        let mut out = Vec::new();
        lines
            .iter()
            .map(|l| {
                if b.is_open() {
                    out.clear();
                    if b.line(l.as_bytes(), &mut out).masked {
                        return String::from_utf8(out.clone()).unwrap();
                    }
                } else {
                    b.begins(l.as_bytes());
                }
                l.to_string()
            })
            .collect()
    }

    #[test]
    fn body_lines_are_masked_until_the_end() {
        let got = run(&[
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
            "2024-03-04T07:58:11Z app[1]: VQjlwHnKvNEWh6kU3r+QIDAQABAoIBAH8Z",
            "Yw==",
            "-----END RSA PRIVATE KEY-----",
            "after the key: done",
        ]);
        assert_eq!(got[0], "-----BEGIN RSA PRIVATE KEY-----");
        assert_eq!(got[1], "[REDACTED:private_key]");
        assert_eq!(
            got[2],
            "2024-03-04T07:58:11Z app[1]: [REDACTED:private_key]"
        );
        assert_eq!(got[3], "[REDACTED:private_key]");
        assert_eq!(got[4], "-----END RSA PRIVATE KEY-----");
        assert_eq!(got[5], "after the key: done");
    }

    #[test]
    fn kinds_of_private_key_blocks() {
        for begin in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "key loaded: -----BEGIN DSA PRIVATE KEY-----",
        ] {
            assert!(opens(begin.as_bytes()), "{begin}");
        }
        for not in [
            "-----BEGIN CERTIFICATE-----",
            "-----BEGIN PUBLIC KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----MIIE…-----END RSA PRIVATE KEY-----",
            "mentions PRIVATE KEY but no marker",
        ] {
            assert!(!opens(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn words_inside_a_block_stay() {
        let got = run(&[
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "worker 3 finished",
            "Proc-Type: 4,ENCRYPTED",
            "-----END ENCRYPTED PRIVATE KEY-----",
        ]);
        assert_eq!(got[1], "worker 3 finished");
        assert_eq!(got[2], "Proc-Type: 4,ENCRYPTED");
    }

    #[test]
    fn body_before_the_end_marker_on_one_line() {
        let got = run(&[
            "-----BEGIN PRIVATE KEY-----",
            "AAAABBBBCCCCDDDDEEEE-----END PRIVATE KEY----- ok",
            "AAAABBBBCCCCDDDDEEEE",
        ]);
        assert_eq!(
            got[1],
            "[REDACTED:private_key]-----END PRIVATE KEY----- ok"
        );
        assert_eq!(got[2], "AAAABBBBCCCCDDDDEEEE");
    }

    #[test]
    fn a_block_that_never_ends_gives_up() {
        let mut b = KeyBlock::default();
        assert!(b.begins(b"-----BEGIN PRIVATE KEY-----"));
        let mut out = Vec::new();
        let mut gave_up = 0;
        for _ in 0..MAX_BLOCK_LINES + 10 {
            out.clear();
            let r = b.line(
                b"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t",
                &mut out,
            );
            gave_up += u32::from(r.gave_up);
        }
        assert_eq!(gave_up, 1);
        assert!(!b.is_open());
    }
}
