//! Masks: what a secret is replaced with.
//!
//! Every mask writes only ASCII that is safe inside a JSON string, a
//! logfmt value and a single line: no quote, no backslash, no control
//! byte. Characters kept from the secret (the last 4, a public prefix,
//! a first name) are checked for that too, and dropped if unsafe.

use hmac::{Hmac, Mac};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

use crate::error::Error;

/// The kinds of mask, as named in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MaskKind {
    /// `****1234`, keeping a known public prefix (`tok_****1234`).
    Last4,
    /// Card layout kept, digits starred but the last 4:
    /// `****-****-****-1111`.
    Card,
    /// `sha256:<hex>`, so one secret can be followed across lines.
    Sha256,
    /// `hmac:<hex>`, HMAC-SHA256 under a key the operator holds.
    Hmac,
    /// `John D***`.
    Name,
    /// `j***@example.com`: the local part's first character and the
    /// domain; with `hash_local`, `sha256:…@example.com`.
    Email,
    /// `+1 *** *** 2671`: the `+` and country code (the match's public
    /// prefix) and the last 4 digits kept, the layout too.
    Phone,
    /// `1985-**-**`, `** *** 1985`: a date's year kept, every other
    /// letter and digit starred.
    Year,
    /// `[REDACTED:kind]`, or the configured replacement text.
    Full,
    /// `10.1.2.***`, `2001:db8:85a3:8d3::****`: an IP address's network
    /// (IPv4's /24, IPv6's /64) kept, its host starred.
    Ip,
}

impl MaskKind {
    /// The name used in configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            MaskKind::Last4 => "last4",
            MaskKind::Card => "card",
            MaskKind::Sha256 => "sha256",
            MaskKind::Hmac => "hmac",
            MaskKind::Name => "name",
            MaskKind::Email => "email",
            MaskKind::Phone => "phone",
            MaskKind::Year => "year",
            MaskKind::Full => "full",
            MaskKind::Ip => "ip",
        }
    }
}

/// A mask as written in configuration: `mask = "sha256"` or
/// `mask = { type = "sha256", hash_len = 16 }`.
#[derive(Clone, Debug)]
pub enum MaskSpec {
    /// Just the kind.
    Kind(MaskKind),
    /// The kind with options.
    Table(MaskTable),
}

/// By hand rather than `#[serde(untagged)]`: an untagged enum buffers the
/// value and, when no variant fits, says only "data did not match any
/// variant". Dispatching on the value's shape keeps serde's own message
/// (``unknown variant `last5`, expected one of …``, ``unknown field `x` ``)
/// and lets `serde_path_to_error` follow the path into a table.
impl<'de> Deserialize<'de> for MaskSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<MaskSpec, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = MaskSpec;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a mask (last4, card, sha256, hmac, name, email, phone, year, \
                     full, ip) or a table { type = …, … }",
                )
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<MaskSpec, E> {
                MaskKind::deserialize(s.into_deserializer())
                    .map(MaskSpec::Kind)
            }

            fn visit_map<A: de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MaskSpec, A::Error> {
                let d = de::value::MapAccessDeserializer::new(map);
                MaskTable::deserialize(d).map(MaskSpec::Table)
            }
        }
        d.deserialize_any(Shape)
    }
}

/// The options of a mask.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskTable {
    /// Which mask.
    #[serde(rename = "type")]
    pub kind: MaskKind,
    /// `full`: the text written instead of `[REDACTED:kind]`.
    #[serde(default)]
    pub replacement: Option<String>,
    /// `sha256`/`hmac`: hex digits kept (1–64; default 64).
    #[serde(default)]
    pub hash_len: Option<usize>,
    /// `card`: keep the first 6 digits too (the IIN), as PCI DSS allows.
    #[serde(default)]
    pub keep_first6: bool,
    /// `email`: write the local part's SHA-256 (`hash_len` hex digits)
    /// instead of its first character, so one address can be followed.
    #[serde(default)]
    pub hash_local: bool,
}

impl MaskSpec {
    /// The options, with defaults filled in.
    pub fn table(&self) -> MaskTable {
        match self {
            MaskSpec::Kind(k) => MaskTable {
                kind: *k,
                replacement: None,
                hash_len: None,
                keep_first6: false,
                hash_local: false,
            },
            MaskSpec::Table(t) => t.clone(),
        }
    }
}

/// A ready mask: kind, options and key.
#[derive(Clone, Debug)]
pub struct Mask {
    kind: MaskKind,
    replacement: String,
    hash_len: usize,
    keep_first6: bool,
    hash_local: bool,
    key: Option<Arc<HmacKey>>,
}

/// A secret key for the `hmac` mask (at least 32 bytes).
#[derive(Clone)]
pub struct HmacKey(Vec<u8>);

impl std::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HmacKey(..)")
    }
}

impl HmacKey {
    /// Shortest key accepted, in bytes.
    pub const MIN_LEN: usize = 32;

    /// Wraps `key`.
    ///
    /// # Errors
    /// When `key` is shorter than [`HmacKey::MIN_LEN`] bytes.
    pub fn new(key: Vec<u8>) -> Result<HmacKey, Error> {
        if key.len() < HmacKey::MIN_LEN {
            return Err(Error::config(
                "hmac",
                format!(
                    "the key is {} bytes; at least {} are needed",
                    key.len(),
                    HmacKey::MIN_LEN
                ),
            ));
        }
        Ok(HmacKey(key))
    }

    /// The key's bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Mask {
    /// Builds a mask from its configuration for secrets of kind `label`.
    ///
    /// # Errors
    /// An `hmac` mask with no key, a replacement text that is not safe
    /// inside JSON or a single line, a `hash_len` out of 1–64.
    pub fn new(
        t: &MaskTable,
        label: &str,
        key: Option<Arc<HmacKey>>,
    ) -> Result<Mask, Error> {
        if t.kind == MaskKind::Hmac && key.is_none() {
            return Err(Error::config(
                "mask",
                "the hmac mask needs a key: set LOGREDACT_HMAC_KEY or \
                 [hmac] key_env / key_file",
            ));
        }
        let replacement = match &t.replacement {
            Some(r) => {
                if r.bytes().any(|b| !is_safe(b)) {
                    return Err(Error::config(
                        "mask.replacement",
                        "must not contain quotes, backslashes or control \
                         characters (they would break JSON and logfmt)",
                    ));
                }
                r.clone()
            }
            None => format!("[REDACTED:{label}]"),
        };
        let hash_len = t.hash_len.unwrap_or(64);
        if !(1..=64).contains(&hash_len) {
            return Err(Error::config("mask.hash_len", "must be 1 to 64"));
        }
        Ok(Mask {
            kind: t.kind,
            replacement,
            hash_len,
            keep_first6: t.keep_first6,
            hash_local: t.hash_local,
            key,
        })
    }

    /// A `full` mask writing `[REDACTED:label]`.
    pub fn full(label: &str) -> Mask {
        Mask {
            kind: MaskKind::Full,
            replacement: format!("[REDACTED:{label}]"),
            hash_len: 64,
            keep_first6: false,
            hash_local: false,
            key: None,
        }
    }

    /// The kind of this mask.
    pub fn kind(&self) -> MaskKind {
        self.kind
    }

    /// Appends the masked form of `secret` to `dst`; its first `prefix`
    /// bytes are a public prefix that `last4` keeps.
    ///
    /// # Example
    /// ```
    /// use logredact::mask::{Mask, MaskKind, MaskSpec};
    /// let m = Mask::new(&MaskSpec::Kind(MaskKind::Last4).table(), "token",
    ///     None).unwrap();
    /// let mut out = Vec::new();
    /// m.apply(b"tok_1JkLmNoPqRsT1234", 4, &mut out);
    /// assert_eq!(out, b"tok_****1234");
    /// ```
    pub fn apply(&self, secret: &[u8], prefix: usize, dst: &mut Vec<u8>) {
        match self.kind {
            MaskKind::Last4 => last4(secret, prefix, dst),
            MaskKind::Card => card(secret, self.keep_first6, dst),
            MaskKind::Sha256 => {
                dst.extend_from_slice(b"sha256:");
                hex(&Sha256::digest(secret), self.hash_len, dst);
            }
            MaskKind::Hmac => {
                // `new` refuses an hmac mask without a key.
                let key = self.key.as_ref().map_or(&[][..], |k| &k.0[..]);
                let mut mac = Hmac::<Sha256>::new_from_slice(key)
                    .expect("HMAC takes keys of any length");
                mac.update(secret);
                dst.extend_from_slice(b"hmac:");
                hex(&mac.finalize().into_bytes(), self.hash_len, dst);
            }
            MaskKind::Name => name(secret, dst),
            MaskKind::Email => self.email(secret, dst),
            MaskKind::Phone => phone(secret, prefix, dst),
            MaskKind::Ip => ip(secret, dst),
            MaskKind::Year => year(secret, dst),
            MaskKind::Full => {
                dst.extend_from_slice(self.replacement.as_bytes())
            }
        }
    }
}

/// True when `value` already looks masked, so that masking a whole value
/// again (a key rule over a line that was redacted before) leaves it
/// as it is. Recognised, by what the masks write:
///
/// - `****` anywhere: `last4` (`****1234`, `tok_****1234`) and `card`
///   (`****-****-****-1111`);
/// - `[REDACTED` at the start: `full`'s default `[REDACTED:kind]`;
/// - `sha256:` or `hmac:` anywhere: the hash masks.
///
/// Not recognised, and so masked again: `name`'s `J***` (three stars),
/// `year`'s `1985-**-**` (which masks to itself) and a `full` mask's
/// configured replacement text.
pub(crate) fn is_masked(value: &[u8]) -> bool {
    // By the bytes the marks hold (`*`, `:`), found with `memchr`: a
    // window compare at every byte cost ~2,400 instructions a value.
    value.starts_with(b"[REDACTED")
        || memchr::memchr_iter(b'*', value)
            .any(|p| value[p..].starts_with(b"****"))
        || memchr::memchr_iter(b':', value).any(|p| {
            value[..p].ends_with(b"sha256") || value[..p].ends_with(b"hmac")
        })
}

/// True when `value` stands where no value was given (`-`, `n/a`,
/// `null`, `none`, `unknown`): a key rule has nothing to mask.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    const WORDS: [&[u8]; 9] = [
        b"-",
        b"n/a",
        b"na",
        b"null",
        b"nil",
        b"none",
        b"undefined",
        b"unknown",
        b"not set",
    ];
    value.len() <= 9 && WORDS.iter().any(|w| value.eq_ignore_ascii_case(w))
}

/// True for bytes a mask may copy from the secret: printable ASCII other
/// than quotes and backslash, or any byte of a multi-byte UTF-8 character.
fn is_safe(b: u8) -> bool {
    (b.is_ascii_graphic() || b == b' ' || b >= 0x80)
        && !matches!(b, b'"' | b'\'' | b'\\')
}

fn keep(bytes: &[u8], dst: &mut Vec<u8>) -> bool {
    if bytes.iter().all(|&b| is_safe(b) && b < 0x80) {
        dst.extend_from_slice(bytes);
        true
    } else {
        false
    }
}

/// Secrets shorter than this (not counting a public prefix) are masked in
/// full: their last 4 would be too large a share of them.
const LAST4_MIN: usize = 12;

fn last4(secret: &[u8], prefix: usize, dst: &mut Vec<u8>) {
    let prefix = prefix.min(secret.len());
    let body = &secret[prefix..];
    if prefix > 0 {
        keep(&secret[..prefix], dst);
    }
    dst.extend_from_slice(b"****");
    // The last 4 characters that are not separators (`DE89 … 0130 00`
    // shows `3000`, not `0 00`).
    let mut tail = [0u8; 4];
    let mut n = 0;
    for &b in body.iter().rev() {
        if n == 4 {
            break;
        }
        if b != b' ' && b != b'-' {
            n += 1;
            tail[4 - n] = b;
        }
    }
    let len = body.iter().filter(|&&b| b != b' ' && b != b'-').count();
    // Account and routing numbers (all digits) show their last 4 from 8
    // digits on, as bank statements do.
    let digits =
        body.iter().all(|b| b.is_ascii_digit() || *b == b' ' || *b == b'-');
    if n == 4 && (len >= LAST4_MIN || (digits && len >= 8)) {
        keep(&tail, dst);
    }
}

/// `10.1.2.***`; `2001:db8:85a3:8d3::****` (the /64, as RFC 5952 writes
/// hextets); an IPv4-mapped or -compatible address as IPv4
/// (`::ffff:10.1.2.***`); `****` for what is no address.
fn ip(secret: &[u8], dst: &mut Vec<u8>) {
    use std::io::Write;
    use std::net::IpAddr;
    let addr = std::str::from_utf8(secret).ok().and_then(|s| s.parse().ok());
    let dot = secret.iter().rposition(|&b| b == b'.');
    match (addr, dot) {
        (Some(IpAddr::V4(_)), Some(d)) => {
            keep(&secret[..=d], dst);
            dst.extend_from_slice(b"***");
        }
        (Some(IpAddr::V6(a)), Some(d)) if a.segments()[..5] == [0; 5] => {
            keep(&secret[..=d], dst);
            dst.extend_from_slice(b"***");
        }
        (Some(IpAddr::V6(a)), _) => {
            let s = a.segments();
            // Writing to a Vec cannot fail.
            let _ = write!(
                dst,
                "{:x}:{:x}:{:x}:{:x}::****",
                s[0], s[1], s[2], s[3]
            );
        }
        _ => dst.extend_from_slice(b"****"),
    }
}

fn card(secret: &[u8], first6: bool, dst: &mut Vec<u8>) {
    // Letters are starred as digits are: a key rule may give this mask a
    // value that is no card (`"card_number": "sk_live_…"`), and its
    // letters must not pass.
    let total = secret.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    for &b in secret {
        if b.is_ascii_alphanumeric() {
            seen += 1;
            let shown = seen + 4 > total || (first6 && seen <= 6);
            dst.push(if shown { b } else { b'*' });
        } else if is_safe(b) && b < 0x80 {
            dst.push(b);
        }
    }
}

/// `+1 *** *** 2671`: the first `prefix` bytes (a `+` and country code)
/// kept, then the layout with every digit but the last 4 starred.
fn phone(secret: &[u8], prefix: usize, dst: &mut Vec<u8>) {
    let prefix = prefix.min(secret.len());
    let (head, rest) = secret.split_at(prefix);
    dst.extend(head.iter().filter(|&&b| is_safe(b) && b < 0x80));
    card(rest, false, dst);
}

impl Mask {
    /// `j***@example.com`, or `sha256:…@example.com` with `hash_local`.
    fn email(&self, secret: &[u8], dst: &mut Vec<u8>) {
        let Some(at) = secret.iter().rposition(|&b| b == b'@') else {
            dst.extend_from_slice(b"***");
            return;
        };
        let (local, domain) = (&secret[..at], &secret[at..]);
        if self.hash_local {
            dst.extend_from_slice(b"sha256:");
            hex(&Sha256::digest(local), self.hash_len, dst);
        } else {
            if let Some(&c) =
                local.first().filter(|c| is_safe(**c) && **c < 0x80)
            {
                dst.push(c);
            }
            dst.extend_from_slice(b"***");
        }
        if !keep(domain, dst) {
            dst.extend_from_slice(b"@***");
        }
    }
}

/// `1985-**-**`: the year kept, letters and digits starred, one star a
/// non-ASCII character, separators kept.
fn year(secret: &[u8], dst: &mut Vec<u8>) {
    let y = year_span(secret);
    for (i, &b) in secret.iter().enumerate() {
        if y.contains(&i) {
            dst.push(b);
        } else if b.is_ascii_alphanumeric() || b >= 0xC0 {
            dst.push(b'*');
        } else if is_safe(b) && b < 0x80 {
            dst.push(b);
        }
    }
}

/// Where a date's year is: the first run of exactly four digits, else
/// the first four of a run of eight (`19850714`); none (everything
/// starred) if neither.
fn year_span(s: &[u8]) -> std::ops::Range<usize> {
    let mut compact = None;
    let mut i = 0;
    while i < s.len() {
        let start = i;
        while i < s.len() && s[i].is_ascii_digit() {
            i += 1;
        }
        match i - start {
            0 => i += 1,
            4 => return start..i,
            8 if compact.is_none() => compact = Some(start..start + 4),
            _ => {}
        }
    }
    compact.unwrap_or(0..0)
}

fn name(secret: &[u8], dst: &mut Vec<u8>) {
    let s = String::from_utf8_lossy(secret);
    let words: Vec<&str> = s.split_whitespace().collect();
    let first_char = |w: &str| w.chars().next().map(String::from);
    match words.as_slice() {
        [] => dst.extend_from_slice(b"***"),
        [one] => {
            if let Some(c) = first_char(one) {
                push_safe_str(&c, dst);
            }
            dst.extend_from_slice(b"***");
        }
        [first, .., last] => {
            push_safe_str(first, dst);
            dst.push(b' ');
            if let Some(c) = first_char(last) {
                push_safe_str(&c, dst);
            }
            dst.extend_from_slice(b"***");
        }
    }
}

fn push_safe_str(s: &str, dst: &mut Vec<u8>) {
    if s.bytes().all(is_safe) && !s.contains('\u{fffd}') {
        dst.extend_from_slice(s.as_bytes());
    } else {
        dst.push(b'*');
    }
}

fn hex(bytes: &[u8], len: usize, dst: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, &b) in bytes.iter().enumerate() {
        if 2 * i >= len {
            break;
        }
        dst.push(HEX[(b >> 4) as usize]);
        if 2 * i + 1 < len {
            dst.push(HEX[(b & 15) as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: MaskKind, secret: &str, prefix: usize) -> String {
        let m = Mask::new(&MaskSpec::Kind(kind).table(), "x", None).unwrap();
        let mut out = Vec::new();
        m.apply(secret.as_bytes(), prefix, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn card_mask_stars_letters_of_a_value_that_is_no_card() {
        let t = MaskSpec::Kind(MaskKind::Card).table();
        let m = Mask::new(&t, "card", None).unwrap();
        let mut out = Vec::new();
        m.apply(b"sk_live_4eC39HqLyjWDarjtT1zdp7dc", 0, &mut out);
        assert_eq!(out, b"**_****_********************p7dc");
        out.clear();
        m.apply(b"4111-1111-1111-1111", 0, &mut out);
        assert_eq!(out, b"****-****-****-1111");
    }

    #[test]
    fn phone_keeps_the_country_code_layout_and_last_4() {
        let t = MaskSpec::Kind(MaskKind::Phone).table();
        let m = Mask::new(&t, "phone", None).unwrap();
        for (secret, prefix, want) in [
            ("+1 415 555 2671", 2, "+1 *** *** 2671"),
            ("+33 1 79 75 82 97", 3, "+33 * ** ** 82 97"),
            ("(415) 555-2671", 0, "(***) ***-2671"),
            ("0044 20 7946 0018", 4, "0044 ** **** 0018"),
        ] {
            let mut out = Vec::new();
            m.apply(secret.as_bytes(), prefix, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn email_hashes_the_local_part_when_asked() {
        let t = MaskTable {
            kind: MaskKind::Email,
            replacement: None,
            hash_len: Some(12),
            keep_first6: false,
            hash_local: true,
        };
        let m = Mask::new(&t, "email", None).unwrap();
        let mut a = Vec::new();
        m.apply(b"jane@example.com", 0, &mut a);
        let a = String::from_utf8(a).unwrap();
        assert!(
            a.starts_with("sha256:") && a.ends_with("@example.com"),
            "{a}"
        );
        assert_eq!(a.len(), "sha256:".len() + 12 + "@example.com".len());
        // The same local part gives the same hash; another, another.
        let mut b = Vec::new();
        m.apply(b"jane@other.org", 0, &mut b);
        assert_eq!(&String::from_utf8(b).unwrap()[..19], &a[..19]);
        let mut c = Vec::new();
        m.apply(b"john@example.com", 0, &mut c);
        assert_ne!(String::from_utf8(c).unwrap(), a);
    }

    #[test]
    fn last4_keeps_prefix_and_tail() {
        assert_eq!(
            run(MaskKind::Last4, "sk_live_abcdefghijkl7dc0", 8),
            "sk_live_****7dc0"
        );
        assert_eq!(run(MaskKind::Last4, "hunter2", 0), "****");
        assert_eq!(run(MaskKind::Last4, "12345678", 0), "****5678");
        assert_eq!(
            run(MaskKind::Last4, "DE89370400440532013000", 2),
            "DE****3000"
        );
    }

    #[test]
    fn ip_keeps_the_network() {
        for (a, want) in [
            ("10.1.2.3", "10.1.2.***"),
            ("255.255.255.255", "255.255.255.***"),
            (
                "2001:db8:85a3:8d3:1319:8a2e:370:7348",
                "2001:db8:85a3:8d3::****",
            ),
            ("2001:0DB8:0000:0000:0000:ff00:0042:8329", "2001:db8:0:0::****"),
            ("fe80::1", "fe80:0:0:0::****"),
            ("::1", "0:0:0:0::****"),
            ("::ffff:192.0.2.128", "::ffff:192.0.2.***"),
            ("64:ff9b::192.0.2.33", "64:ff9b:0:0::****"),
            ("not-an-ip", "****"),
        ] {
            assert_eq!(run(MaskKind::Ip, a, 0), want, "{a}");
        }
    }

    #[test]
    fn card_keeps_layout() {
        assert_eq!(
            run(MaskKind::Card, "4111-1111-1111-1111", 0),
            "****-****-****-1111"
        );
        let t = MaskTable {
            kind: MaskKind::Card,
            replacement: None,
            hash_len: None,
            keep_first6: true,
            hash_local: false,
        };
        let m = Mask::new(&t, "card", None).unwrap();
        let mut out = Vec::new();
        m.apply(b"4111 1111 1111 1111", 0, &mut out);
        assert_eq!(out, b"4111 11** **** 1111");
    }

    #[test]
    fn name_shortens() {
        assert_eq!(run(MaskKind::Name, "John Doe", 0), "John D***");
        assert_eq!(run(MaskKind::Name, "Agnès Louis", 0), "Agnès L***");
        assert_eq!(run(MaskKind::Name, "Mary Ann Smith", 0), "Mary S***");
        assert_eq!(run(MaskKind::Name, "Smith", 0), "S***");
        assert_eq!(
            run(MaskKind::Email, "jane.doe@example.com", 0),
            "j***@example.com"
        );
        assert_eq!(run(MaskKind::Email, "x@a.io", 0), "x***@a.io");
        assert_eq!(run(MaskKind::Email, "no-at-sign", 0), "***");
    }

    #[test]
    fn year_keeps_the_year() {
        for (date, want) in [
            ("1985-07-14", "1985-**-**"),
            ("14/07/1985", "**/**/1985"),
            ("14.07.1985", "**.**.1985"),
            ("19850714", "1985****"),
            ("14 Jul 1985", "** *** 1985"),
            ("July 14, 1985", "**** **, 1985"),
            ("14 mär 1985", "** *** 1985"),
            // No year: everything starred.
            ("14/07/85", "**/**/**"),
            ("1985-**-**", "1985-**-**"),
        ] {
            assert_eq!(run(MaskKind::Year, date, 0), want, "{date}");
        }
    }

    #[test]
    fn hashes() {
        let h = run(MaskKind::Sha256, "abc", 0);
        assert_eq!(
            h,
            "sha256:ba7816bf8f01cfea414140de5dae2223\
            b00361a396177a9cb410ff61f20015ad"
        );
        let key = Arc::new(HmacKey::new(vec![7; 32]).unwrap());
        let t = MaskTable {
            kind: MaskKind::Hmac,
            replacement: None,
            hash_len: Some(16),
            keep_first6: false,
            hash_local: false,
        };
        let m = Mask::new(&t, "card", Some(key)).unwrap();
        let mut out = Vec::new();
        m.apply(b"4111111111111111", 0, &mut out);
        assert!(out.starts_with(b"hmac:") && out.len() == 5 + 16);
    }

    /// What each mask writes is recognised as masked, but `name`'s.
    #[test]
    fn masked_values_are_recognised() {
        let key = Some(Arc::new(HmacKey::new(vec![7; 32]).unwrap()));
        for kind in [
            MaskKind::Last4,
            MaskKind::Card,
            MaskKind::Sha256,
            MaskKind::Hmac,
            MaskKind::Full,
        ] {
            let t = MaskSpec::Kind(kind).table();
            let m = Mask::new(&t, "card", key.clone()).unwrap();
            let mut out = Vec::new();
            m.apply(b"4111111111111111", 0, &mut out);
            assert!(is_masked(&out), "{kind:?}: {out:?}");
        }
        assert!(is_masked(b"tok_****1234 and more"));
        assert!(!is_masked(b"J***"));
        assert!(!is_masked(b"x [REDACTED:card]"));
        assert!(!is_masked(b"hunter2"));
        for p in ["-", "n/a", "N/A", "null", "None", "unknown"] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        for v in ["4111111111111111", "nan", "Jane", "none of it"] {
            assert!(!is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn unsafe_bytes_are_never_copied() {
        assert_eq!(run(MaskKind::Last4, "abcdefghij\"\\\"x", 0), "****");
        let t = MaskTable {
            kind: MaskKind::Full,
            replacement: Some("a\"b".into()),
            hash_len: None,
            keep_first6: false,
            hash_local: false,
        };
        assert!(Mask::new(&t, "x", None).is_err());
        assert!(HmacKey::new(vec![1; 8]).is_err());
    }
}
