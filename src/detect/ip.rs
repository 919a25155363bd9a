//! IP addresses. Off by default: most logs need them, yet an address is
//! personal data under the GDPR when its holder can be identified with
//! other means, as an access provider can (CJEU, Breyer, C-582/14,
//! 2016). The `ip` mask keeps the network (`10.1.2.***`,
//! `2001:db8:85a3:8d3::****`).
//!
//! - IPv4: a dotted quad, each octet 0–255 without a leading zero
//!   (`010.1.1.1` is octal to `inet_aton`), not part of a longer dotted
//!   run (a version `1.2.3.4.5`, an OID `1.3.6.1.4.1`) nor of a word
//!   (`v1.2.3.4`, a Windows package's `amd64~~6.1.1.0`).
//! - IPv6: every RFC 4291 text form as `std::net::Ipv6Addr` reads it
//!   (full, `::`-compressed, RFC 5952's lower case, an IPv4 tail
//!   `::ffff:1.2.3.4`), also in brackets (`[2001:db8::1]:443`); a zone
//!   id (`fe80::1%eth0`) is left outside the match. Not a time
//!   (`12:34:56`), a MAC address (`aa:bb:cc:dd:ee:ff`), an EUI-64 or
//!   Fibre Channel WWN (eight groups of two hex digits), `::` alone, nor
//!   hex words without a digit (`add::face`, a path in code).

use std::net::Ipv6Addr;

use serde::Deserialize;

use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::span::{Match, Span};

/// Config of the `ip` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpConfig {
    /// Find IPv4 addresses (default true).
    #[serde(default = "super::yes")]
    pub ipv4: bool,
    /// Find IPv6 addresses (default true).
    #[serde(default = "super::yes")]
    pub ipv6: bool,
}

impl Default for IpConfig {
    /// Both families.
    fn default() -> IpConfig {
        IpConfig { ipv4: true, ipv6: true }
    }
}

impl DetectorConfig for IpConfig {
    const TYPE: &'static str = "ip";
    fn default_mask() -> MaskKind {
        MaskKind::Ip
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        if !self.ipv4 && !self.ipv6 {
            return Err(Error::config(
                "ipv4",
                "ipv4 and ipv6 are both off: turn the detector off instead \
                 (enabled = false)",
            ));
        }
        Ok(Box::new(Ip { v4: self.ipv4, v6: self.ipv6 }))
    }
}

/// The `ip` detector.
#[derive(Debug)]
pub struct Ip {
    v4: bool,
    v6: bool,
}

const V4: u16 = 0;
const V6: u16 = 1;

impl Detector for Ip {
    fn kind(&self) -> &str {
        "ip"
    }

    fn rule_name(&self, rule: u16) -> &str {
        match rule {
            V4 => "ipv4",
            _ => "ipv6",
        }
    }

    /// Every line: no literal is in every address, and a shape (a digit,
    /// a dot or a colon) is in nearly every line anyway, so a prefilter
    /// pass would cost what the detector's own `memchr` passes cost. The
    /// detector is off by default, so this costs nothing unless asked.
    fn triggers(&self) -> Triggers {
        Triggers::always()
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let first = out.len();
        if self.v6 {
            let mut at = 0;
            while let Some(p) = memchr::memchr(b':', &hay[at..]) {
                let (found, next) = v6_around(hay, at + p);
                if let Some(s) = found {
                    out.push(Match::new(s).rule(V6));
                }
                at = next;
            }
        }
        if self.v4 {
            let mut at = 0;
            while let Some(p) = memchr::memchr(b'.', &hay[at..]) {
                let dot = at + p;
                at = dot + 1;
                // The octet before the dot: up to three digits.
                let run = hay[..dot]
                    .iter()
                    .rev()
                    .take(4)
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if run == 0 || run > 3 {
                    continue;
                }
                let s = dot - run;
                // The IPv4 tail of an IPv6 address is part of it.
                let inside = out[first..]
                    .iter()
                    .any(|m| m.span.start <= s && s < m.span.end);
                if inside {
                    continue;
                }
                if let Some(e) = v4_at(hay, s) {
                    out.push(Match::new(s..e).rule(V4));
                    at = e;
                }
            }
        }
    }
}

/// The end of an IPv4 address starting at `s`, if one does.
fn v4_at(hay: &[u8], s: usize) -> Option<usize> {
    // `~` joins the parts of an identifier: a Windows package's version
    // (`Package_for_KB3121255~31bf3856ad364e35~amd64~~6.1.1.0`).
    if s > 0 && (is_word(hay[s - 1]) || matches!(hay[s - 1], b'.' | b'~')) {
        return None;
    }
    let mut i = s;
    for k in 0..4 {
        let n =
            hay[i..].iter().take(4).take_while(|b| b.is_ascii_digit()).count();
        let octet = &hay[i..i + n];
        let value =
            octet.iter().fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
        if n == 0 || n > 3 || (n > 1 && octet[0] == b'0') || value > 255 {
            return None;
        }
        i += n;
        if k < 3 {
            if hay.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
    }
    // `1.2.3.4.5`, `1.2.3.4a`; a sentence's full stop is no part of it.
    let more = hay.get(i + 1).is_some_and(u8::is_ascii_digit);
    match hay.get(i) {
        Some(&b) if is_word(b) => None,
        Some(b'.') if more => None,
        _ => Some(i),
    }
}

/// The IPv6 address around the colon at `c`, if there is one, and where
/// to look for the next colon (past this run of hex digits and colons).
fn v6_around(hay: &[u8], c: usize) -> (Option<Span>, usize) {
    let part = |b: u8| b.is_ascii_hexdigit() || b == b':';
    let start = hay[..c].iter().rposition(|&b| !part(b)).map_or(0, |p| p + 1);
    let mut end = hay[c..]
        .iter()
        .position(|&b| !(part(b) || b == b'.'))
        .map_or(hay.len(), |p| c + p);
    let next = end;
    if start > 0 && (is_word(hay[start - 1]) || hay[start - 1] == b'.') {
        return (None, next);
    }
    // A full stop or a colon after the address (`from fe80::1.`,
    // `addr 2001:db8::1: refused`) is punctuation.
    while end > start && hay[end - 1] == b'.' {
        end -= 1;
    }
    if end >= start + 2 && hay[end - 1] == b':' && hay[end - 2] != b':' {
        end -= 1;
    }
    if hay.get(end).is_some_and(|&b| is_word(b)) {
        return (None, next);
    }
    let text = &hay[start..end];
    (is_v6(text).then_some(Span::new(start, end)), next)
}

/// Whether `text` is an IPv6 address worth masking.
fn is_v6(text: &[u8]) -> bool {
    let colons = text.iter().filter(|&&b| b == b':').count();
    if colons < 2 || !text.iter().any(u8::is_ascii_digit) {
        return false;
    }
    // EUI-64s and WWNs (`20:00:00:25:b5:aa:00:01`) parse as IPv6 too.
    let compressed = text.windows(2).any(|w| w == b"::");
    if !compressed && text.split(|&b| b == b':').all(|g| g.len() == 2) {
        return false;
    }
    std::str::from_utf8(text)
        .ok()
        .is_some_and(|t| t.parse::<Ipv6Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = IpConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn addresses() {
        for (hay, want) in [
            ("Accepted password for bob from 10.0.0.1 port 22", "10.0.0.1"),
            ("client=192.168.1.254:8080", "192.168.1.254"),
            ("0.0.0.0 listening", "0.0.0.0"),
            ("peer 255.255.255.255.", "255.255.255.255"),
            ("route 10.20.0.0/16 via", "10.20.0.0"),
            (r#"{"ip":"203.0.113.7"}"#, "203.0.113.7"),
            ("(172.16.5.4)", "172.16.5.4"),
            (
                "src=2001:db8:85a3:8d3:1319:8a2e:370:7348 x",
                "2001:db8:85a3:8d3:1319:8a2e:370:7348",
            ),
            (
                "from 2001:0db8:0000:0000:0000:ff00:0042:8329",
                "2001:0db8:0000:0000:0000:ff00:0042:8329",
            ),
            ("dst 2001:db8::1 ok", "2001:db8::1"),
            ("connect [2001:db8::1]:443", "2001:db8::1"),
            ("loopback ::1 up", "::1"),
            ("mapped ::ffff:192.0.2.128 in", "::ffff:192.0.2.128"),
            ("iface fe80::1%eth0 up", "fe80::1"),
            ("addr FE80::0202:B3FF:FE1E:8329", "FE80::0202:B3FF:FE1E:8329"),
            ("peer 2001:db8::.", "2001:db8::"),
            ("nat64 64:ff9b::192.0.2.33", "64:ff9b::192.0.2.33"),
            ("addr 2001:db8::1: refused", "2001:db8::1"),
            (
                "http://[2001:db8:1::ab9:c0a8:102]/x",
                "2001:db8:1::ab9:c0a8:102",
            ),
            ("ip=100.64.0.1,", "100.64.0.1"),
        ] {
            assert_eq!(found(hay), vec![want], "{hay}");
        }
        assert_eq!(
            found("10.0.0.1 -> 10.0.0.2"),
            vec!["10.0.0.1", "10.0.0.2"]
        );
    }

    #[test]
    fn not_addresses() {
        for hay in [
            "version 1.2.3.4.5 released",
            "oid 1.3.6.1.4.1.2021.10",
            "v1.2.3.4 installed",
            "256.1.1.1 is no address",
            "010.1.1.1 leading zero",
            "1.2.3 three parts",
            "at 12:34:56 the job ran",
            "2024-01-01T12:34:56.789Z started",
            "mac aa:bb:cc:dd:ee:ff seen",
            "mac 00:1a:2b:3c:4d:5e seen",
            "wwn 20:00:00:25:b5:aa:00:01 zoned",
            "only :: here",
            "std::string and Foo::bar",
            "add::face in code",
            "ratio 1.5 and 3.14159",
            "build 10.0.19041.1",
            "id a1.2.3.4",
            "1.2.3.4_x",
            "1:2:3:4:5:6:7:8:9 too long",
            "sha 1234.5678.9012.3456",
            "package Package_for_KB3121255~31bf3856ad364e35~amd64~~6.1.1.0",
        ] {
            assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
        }
    }

    #[test]
    fn one_family_alone() {
        let d = IpConfig { ipv4: false, ipv6: true }.build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(b"10.0.0.1 ::1"), &mut out);
        assert_eq!(out.len(), 1);
        assert!(IpConfig { ipv4: false, ipv6: false }.build().is_err());
    }
}
