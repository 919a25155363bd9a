//! The checks that decide a candidate, shared by the detectors and the
//! prefilter so that the two cannot drift apart: the Luhn check and
//! where a card number may start, an IBAN's start and length by country
//! and its mod-97 check, the ABA routing-number checksum, and where an
//! encoded run starts (the decoding layers').

use std::sync::OnceLock;

use super::is_word;
use crate::patterns;

/// Largest number of digits in a card number.
pub(crate) const CARD_MAX: usize = 19;
/// Smallest number of digits in a card number.
pub(crate) const CARD_MIN: usize = 13;

/// Whether a card number may start at `s`. A card may not continue an
/// identifier (`blk_-1608…`, `id42…`), a
/// decimal or version number (`1.2.4111…`) or a longer run of groups.
pub(crate) fn card_may_start(hay: &[u8], s: usize) -> bool {
    if s == 0 {
        return true;
    }
    let p = hay[s - 1];
    if is_word(p) {
        return false;
    }
    // `v1.4111…`, `id-4111…`, `blk_-4111…`; but `/cards/4111…/`,
    // `card:4111…` and `4111…,5555…` are separate numbers.
    if matches!(p, b'.' | b'-' | b'+') && s >= 2 {
        let pp = hay[s - 2];
        if is_word(pp) {
            return false;
        }
    }
    true
}

/// True when a structured field's key path names an identifier, a
/// counter or a time by its last word (`uniqQualifier`, `event_id`,
/// `timeUsec`, `seq`): a number under it is not a card number, however
/// its digits check.
pub(crate) fn identifier_key(path: &[u8]) -> bool {
    const WORDS: [&[u8]; 19] = [
        b"id",
        b"ids",
        b"uuid",
        b"guid",
        b"qualifier",
        b"nonce",
        b"seq",
        b"sequence",
        b"offset",
        b"usec",
        b"nsec",
        b"msec",
        b"timestamp",
        b"ts",
        b"epoch",
        b"count",
        b"version",
        b"checksum",
        b"serial",
    ];
    let seg = path.rsplit(|&b| b == b'.').next().unwrap_or(path);
    // The last word: after the last `_`/`-`, or its last capital
    // (`uniqQualifier`).
    let start = seg
        .iter()
        .enumerate()
        .rev()
        .find(|&(i, &b)| {
            b == b'_'
                || b == b'-'
                || (b.is_ascii_uppercase()
                    && i > 0
                    && seg[i - 1].is_ascii_lowercase())
        })
        .map_or(0, |(i, &b)| if b.is_ascii_uppercase() { i } else { i + 1 });
    let word = &seg[start..];
    WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// The Luhn check over decimal digit values (0–9).
///
/// Hand-written over a digit slice rather than the `luhn` crate's
/// `&str` API so that separated numbers need no allocation; the test
/// suite checks it against that crate.
pub fn luhn(d: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = x as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// The Luhn check over ASCII digits (at most [`CARD_MAX`]).
pub(crate) fn luhn_ascii(digits: &[u8]) -> bool {
    let mut d = [0u8; CARD_MAX];
    for (k, &b) in digits.iter().enumerate() {
        d[k] = b - b'0';
    }
    luhn(&d[..digits.len()])
}

/// Whether an IBAN may start at `s`: the code of a country that has
/// IBANs and two check digits, not inside a word. The prefilter wakes
/// the detector on the same test.
pub(crate) fn iban_start(hay: &[u8], s: usize) -> bool {
    iban_length(hay, s).is_some()
}

/// The length of the IBAN that may start at `s` (see [`iban_start`]),
/// from its country code.
// Inlined: out of line, the prefilter's candidate loops cost ~1M
// instructions more on 5 MB of the mix.
#[inline]
pub(crate) fn iban_length(hay: &[u8], s: usize) -> Option<usize> {
    // By country code, letters from `A`: its IBANs' length, 0 for none.
    static LENGTHS: OnceLock<[[u8; 26]; 26]> = OnceLock::new();
    let &[a, b, c, d] = hay.get(s..s + 4)? else { return None };
    if !(a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && c.is_ascii_digit()
        && d.is_ascii_digit())
        || (s > 0 && is_word(hay[s - 1]))
    {
        return None;
    }
    let lengths = LENGTHS.get_or_init(|| {
        let mut t = [[0u8; 26]; 26];
        for ([a, b], len) in patterns::iban_lengths() {
            t[usize::from(a - b'A')][usize::from(b - b'A')] =
                u8::try_from(len).expect("an IBAN has at most 34 characters");
        }
        t
    });
    match lengths[usize::from(a - b'A')][usize::from(b - b'A')] {
        0 => None,
        len => Some(usize::from(len)),
    }
}

/// ISO 7064 mod 97-10 over an IBAN (country, check digits, BBAN).
pub fn mod97(iban: &[u8]) -> bool {
    if iban.len() < 5 {
        return false;
    }
    let mut r: u32 = 0;
    for &b in iban[4..].iter().chain(&iban[..4]) {
        let v = match b {
            b'0'..=b'9' => (b - b'0') as u32,
            b'A'..=b'Z' => (b - b'A') as u32 + 10,
            _ => return false,
        };
        r = if v >= 10 { (r * 100 + v) % 97 } else { (r * 10 + v) % 97 };
    }
    r == 1
}

/// The ABA routing-number checksum over 9 digits (separators skipped).
pub fn aba(v: &[u8]) -> bool {
    let d: Vec<u32> = v
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|&b| (b - b'0') as u32)
        .collect();
    d.len() == 9
        && (3 * (d[0] + d[3] + d[6])
            + 7 * (d[1] + d[4] + d[7])
            + (d[2] + d[5] + d[8]))
            % 10
            == 0
}

/// Whether an encoded run worth decoding starts at `p`: a percent escape
/// of a character that structure or a secret's key is written with
/// (quote, colon, equals, ampersand, comma, at-sign, brace, or the
/// percent sign of an escape escaped again), a `\xNN` or `\u00NN`
/// escape of one of them, or base64 of `{"`, `{ "` or `[{"` at a word's
/// start. Shared by the prefilter and the
/// decoding layers (`engine/decode.rs`).
pub(crate) fn encoded_at(hay: &[u8], p: usize) -> bool {
    match hay[p] {
        b'%' => matches!(
            escape_at(hay, p),
            Some(
                b'"' | b'\'' | b':' | b'=' | b'&' | b',' | b'@' | b'{' | b'%'
            )
        ),
        b'\\' => matches!(
            backslash_escape_at(hay, p),
            Some((b'"' | b'\'' | b':' | b'=' | b'&' | b',' | b'@' | b'{', _))
        ),
        b'e' | b'W' => base64_json_at(hay, p),
        _ => false,
    }
}

/// The byte of the escape `\xNN` or `\u00NN` at `i` (an ASCII byte: a
/// secret's structure is ASCII), with the escape's length.
pub(crate) fn backslash_escape_at(
    text: &[u8],
    i: usize,
) -> Option<(u8, usize)> {
    let hex = |j: usize| (*text.get(j)? as char).to_digit(16);
    match text.get(i..i + 2)? {
        b"\\x" => Some(((hex(i + 2)? * 16 + hex(i + 3)?) as u8, 4)),
        b"\\u" if text.get(i + 2..i + 4) == Some(b"00") => {
            let b = hex(i + 4)? * 16 + hex(i + 5)?;
            (b < 0x80).then_some((b as u8, 6))
        }
        _ => None,
    }
}

/// `eyJ`, `eyAi` or `W3si` (base64 of `{"`, `{ "`, `[{"`) starting a
/// run of base64.
pub(crate) fn base64_json_at(text: &[u8], i: usize) -> bool {
    let rest = &text[i..];
    (rest.starts_with(b"eyJ")
        || rest.starts_with(b"eyAi")
        || rest.starts_with(b"W3si"))
        && (i == 0
            || !(text[i - 1].is_ascii_alphanumeric()
                || matches!(text[i - 1], b'+' | b'-' | b'_')))
}

/// The byte of the escape `%XX` at `i`, if one is there.
pub(crate) fn escape_at(text: &[u8], i: usize) -> Option<u8> {
    if text.get(i) != Some(&b'%') {
        return None;
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let hi = hex(*text.get(i + 1)?)?;
    let lo = hex(*text.get(i + 2)?)?;
    Some((hi * 16 + lo) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_keys_by_last_word() {
        for k in [
            "uniqQualifier",
            "event_id",
            "a.b.timeUsec",
            "seq",
            "ID",
            "traceIds",
        ] {
            assert!(identifier_key(k.as_bytes()), "{k}");
        }
        for k in [
            "card_number",
            "pan",
            "cardNumber",
            "idea",
            "valid",
            "payment.card",
        ] {
            assert!(!identifier_key(k.as_bytes()), "{k}");
        }
    }
}
