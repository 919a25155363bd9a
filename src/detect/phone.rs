//! Telephone numbers: international ones written with `+` (or `00`) and a
//! country calling code anywhere, national ones by context.
//!
//! A number is one to eight groups of digits joined by single spaces,
//! dashes, dots or an area code's parentheses (`+44 20 7946 0018`,
//! `(415) 555-2671`, `+49 (0)30 3713240`). It is checked against the
//! numbering data in `patterns/phone.toml`: an international number's
//! country code must be assigned and the rest as long as that country's
//! numbers are; a national number must be a North American one (ten
//! digits, area code and exchange not starting with 0 or 1) or start with
//! a trunk `0` and hold 9 to 11 digits, as most other plans write them.
//!
//! Evidence: a `+` number stands on its own shape. A national number must
//! follow a phone keyword (`phone=`, `"mobile":`, `Tel no.`), or be
//! written in groups within a few words after one (`callback requested to
//! (637) 555-0596`). So timestamps, durations, versions, ports and ids,
//! which have neither a `+` nor such a keyword, stay.
//!
//! Mask: the `phone` mask keeps the `+` and country code and the last
//! four digits: `+1 *** *** 2671`.

use serde::Deserialize;

use super::keys::KeyScanner;
use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::Match;

/// Most digits in an E.164 number.
const MAX_DIGITS: usize = 15;
/// Fewest digits in a `+` number: a country code and a short NSN.
const MIN_INTL_DIGITS: usize = 8;
/// How far after a keyword a grouped number may start.
const NEAR: usize = 48;

/// Config of the `phone` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneConfig {
    /// Keywords added to the shipped list.
    #[serde(default)]
    pub extra_keywords: Vec<String>,
    /// Find international (`+`) numbers only after a keyword too.
    #[serde(default)]
    pub require_context: bool,
}

impl DetectorConfig for PhoneConfig {
    const TYPE: &'static str = "phone";
    fn default_mask() -> MaskKind {
        MaskKind::Phone
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut words = patterns::family("phone").words;
        words.extend(self.extra_keywords);
        let keys = KeyScanner::new(&[words])
            .map_err(|e| Error::config("extra_keywords", e))?;
        Ok(Box::new(Phone {
            keys,
            plan: Plan::shipped(),
            require_context: self.require_context,
        }))
    }
}

/// The `phone` detector.
#[derive(Debug)]
pub struct Phone {
    keys: KeyScanner,
    plan: Plan,
    require_context: bool,
}

const INTERNATIONAL: u16 = 0;
const NATIONAL: u16 = 1;

impl Detector for Phone {
    fn kind(&self) -> &str {
        "phone"
    }

    fn rule_name(&self, rule: u16) -> &str {
        match rule {
            INTERNATIONAL => "international",
            _ => "national_in_context",
        }
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals())
            .plus_number(!self.require_context)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let report = |n: Number, out: &mut Vec<Match>| {
            let rule = if n.prefix > 0 { INTERNATIONAL } else { NATIONAL };
            out.push(Match::new(n.start..n.end).rule(rule).prefix(n.prefix));
        };
        // After a keyword: the value itself, whole (`phone=4155552671`),
        // or a grouped number a few words on.
        let mut near_end = 0;
        self.keys.scan_input(input, |h| {
            let v = h.value.start;
            if let Some(n) = self.plan.number(hay, v, Evidence::Keyed) {
                report(n, out);
                near_end = near_end.max(n.end);
                return;
            }
            let to = (h.key.end + NEAR).min(hay.len());
            let mut i = h.key.end.max(near_end);
            while i < to {
                if let Some(n) = self.plan.number(hay, i, Evidence::Near) {
                    report(n, out);
                    i = n.end;
                    near_end = n.end;
                } else {
                    i += 1;
                }
            }
        });
        if self.require_context {
            return;
        }
        for p in memchr::memchr_iter(b'+', hay) {
            if p < near_end {
                continue;
            }
            if let Some(n) = self.plan.number(hay, p, Evidence::Shape) {
                report(n, out);
            }
        }
    }
}

/// What stands behind a candidate number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// It is a keyword's whole value: a national number may be written
    /// without groups.
    Keyed,
    /// It follows a keyword within a few words: a national number must be
    /// written in groups.
    Near,
    /// Nothing but its own shape: only a `+` number.
    Shape,
}

/// A number found.
#[derive(Clone, Copy, Debug)]
struct Number {
    start: usize,
    end: usize,
    /// Bytes of `+CC` (or `00CC`) at the start, kept by the mask.
    prefix: usize,
}

/// The numbering data: NSN lengths by country code.
#[derive(Debug)]
struct Plan {
    /// `(min, max)` NSN digits by code, indexed `[len - 1][code]`; `None`
    /// for a code not assigned.
    codes: [Vec<Option<(u8, u8)>>; 3],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    other_nsn: [u8; 2],
    other_codes: Vec<String>,
    country: Vec<Country>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Country {
    code: String,
    nsn: [u8; 2],
    // Read by people, checked by serde.
    #[allow(dead_code)]
    name: String,
}

impl Plan {
    fn shipped() -> Plan {
        let f: PlanFile = toml::from_str(patterns::PHONE)
            .expect("patterns/phone.toml is valid");
        let mut codes = [vec![None; 10], vec![None; 100], vec![None; 1000]];
        let mut put = |code: &str, nsn: [u8; 2]| {
            let n: usize = code.parse().expect("a numeric code");
            codes[code.len() - 1][n] = Some((nsn[0], nsn[1]));
        };
        for c in &f.country {
            put(&c.code, c.nsn);
        }
        for c in &f.other_codes {
            put(c, f.other_nsn);
        }
        Plan { codes }
    }

    /// The code at the start of `digits` and its NSN lengths.
    fn code(&self, digits: &[u8]) -> Option<(usize, (u8, u8))> {
        let mut n = 0;
        for (l, &d) in digits.iter().take(3).enumerate() {
            n = n * 10 + usize::from(d - b'0');
            if let Some(r) = self.codes[l][n] {
                return Some((l + 1, r));
            }
        }
        None
    }

    /// The valid number that starts at `s`, if one does.
    fn number(&self, hay: &[u8], s: usize, ev: Evidence) -> Option<Number> {
        if !may_start(hay, s) {
            return None;
        }
        let shape = Shape::read(hay, s)?;
        let d = &shape.digits[..shape.n];
        let intl = |digits: &[u8], trunk: bool| {
            let (cl, (lo, hi)) = self.code(digits)?;
            let nsn = &digits[cl..];
            // `+44 (0)20 …`: the trunk 0 shown but not dialled.
            let nsn = if trunk && nsn.first() == Some(&b'0') {
                &nsn[1..]
            } else {
                nsn
            };
            let len = nsn.len() as u8;
            let ok = (lo..=hi).contains(&len)
                && (cl > 1 || digits[0] != b'1' || nanp(nsn));
            ok.then_some(cl)
        };
        let prefix = if shape.plus {
            if shape.n < MIN_INTL_DIGITS {
                return None;
            }
            1 + intl(d, shape.trunk)?
        } else if ev == Evidence::Shape {
            return None;
        } else if d.starts_with(b"00") && shape.groups > 1 {
            // `0044 20 7946 0018`: the international prefix, in groups.
            if shape.n < MIN_INTL_DIGITS + 2 {
                return None;
            }
            2 + intl(&d[2..], shape.trunk)?
        } else {
            let grouped = shape.groups > 1;
            if ev == Evidence::Near && !grouped {
                return None;
            }
            let north_american = match d.len() {
                10 => nanp(d),
                11 => d[0] == b'1' && nanp(&d[1..]),
                _ => false,
            } && (!grouped || shape.nanp_groups());
            let trunk = (9..=11).contains(&d.len())
                && d[0] == b'0'
                && d[1] != b'0'
                && (!grouped || (2..=5).contains(&shape.first));
            if !(north_american || trunk) {
                return None;
            }
            0
        };
        Some(Number { start: s, end: shape.end, prefix })
    }
}

/// Whether a number may start at `s`: a `+`, a digit or an area code's
/// `(`, not inside a word, a decimal, a version, a path or a sum.
fn may_start(hay: &[u8], s: usize) -> bool {
    let Some(&c) = hay.get(s) else { return false };
    if !(c.is_ascii_digit() || c == b'+' || c == b'(') {
        return false;
    }
    s == 0 || {
        let p = hay[s - 1];
        !(is_word(p)
            || matches!(p, b'.' | b'-' | b'+' | b'/' | b'*' | b'#' | b'$'))
    }
}

/// Whether a `+` number's shape starts at `p`: the prefilter's test, a
/// superset of what [`Phone`] finds without a keyword.
pub(crate) fn plus_number_at(hay: &[u8], p: usize) -> bool {
    // The number's first group may be in parentheses (`+(44) 20 …`), as
    // the detector reads it.
    let digit = |i: usize| hay.get(i).is_some_and(u8::is_ascii_digit);
    if !may_start(hay, p)
        || !(digit(p + 1) || hay.get(p + 1) == Some(&b'(') && digit(p + 2))
    {
        return false;
    }
    let mut n = 0;
    for &b in &hay[p + 1..] {
        if b.is_ascii_digit() {
            n += 1;
            if n >= MIN_INTL_DIGITS {
                return true;
            }
        } else if !matches!(b, b' ' | b'-' | b'.' | b'(' | b')') {
            break;
        }
    }
    false
}

/// A number's layout, as read from the text.
struct Shape {
    digits: [u8; MAX_DIGITS + 2],
    n: usize,
    end: usize,
    plus: bool,
    /// A `(0)` trunk digit after the code.
    trunk: bool,
    groups: usize,
    /// Digits in the first group (after any `+`).
    first: usize,
    /// Digits of each of the first four groups.
    lens: [u8; 4],
    /// The first group was in parentheses.
    paren: bool,
}

impl Shape {
    /// Reads groups of digits from `s` (a `+`, `(` or digit).
    fn read(hay: &[u8], s: usize) -> Option<Shape> {
        let mut sh = Shape {
            digits: [0; MAX_DIGITS + 2],
            n: 0,
            end: s,
            plus: false,
            trunk: false,
            groups: 0,
            first: 0,
            lens: [0; 4],
            paren: false,
        };
        let mut i = s;
        if hay[i] == b'+' {
            sh.plus = true;
            i += 1;
        }
        loop {
            // One group: `(digits)` or `digits`.
            let open = hay.get(i) == Some(&b'(');
            let g = i + usize::from(open);
            let len = hay[g.min(hay.len())..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if len == 0 {
                return None;
            }
            let mut e = g + len;
            if open {
                if hay.get(e) != Some(&b')') {
                    return None;
                }
                e += 1;
            }
            if sh.n + len > MAX_DIGITS + 1 {
                return None;
            }
            let zero = open && len == 1 && hay[g] == b'0' && sh.plus;
            if zero {
                sh.trunk = true;
            }
            sh.digits[sh.n..sh.n + len].copy_from_slice(&hay[g..g + len]);
            sh.n += len;
            if sh.groups < 4 {
                sh.lens[sh.groups] = len as u8;
            }
            if sh.groups == 0 {
                sh.first = len;
                sh.paren = open;
            }
            sh.groups += 1;
            sh.end = e;
            // A separator goes on only before another group.
            let sep = match hay.get(e) {
                Some(b' ' | b'-' | b'.') => 1,
                Some(b'(') => 0,
                _ if open => 0,
                _ => break,
            };
            let next = e + sep;
            let more = hay.get(next).is_some_and(|b| {
                b.is_ascii_digit()
                    || (*b == b'('
                        && hay.get(next + 1).is_some_and(u8::is_ascii_digit))
            });
            if !more || sh.groups >= 8 {
                break;
            }
            i = next;
        }
        // Ends where a word, a decimal or another number cannot go on.
        let after = hay.get(sh.end).copied();
        if after.is_some_and(|b| is_word(b) || b == b'+' || b == b'@') {
            return None;
        }
        if matches!(after, Some(b'.' | b',' | b':' | b'/'))
            && hay.get(sh.end + 1).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        Some(sh)
    }

    /// Grouped as North American numbers are: `(415) 555-2671`,
    /// `415-555-2671`, `1-415-555-2671`.
    fn nanp_groups(&self) -> bool {
        match self.groups {
            3 => self.lens[..3] == [3, 3, 4],
            4 => self.lens == [1, 3, 3, 4],
            _ => false,
        }
    }
}

/// A North American number's ten digits: area code and exchange start
/// with 2–9.
fn nanp(d: &[u8]) -> bool {
    d.len() == 10 && d[0] >= b'2' && d[3] >= b'2'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found_with(cfg: PhoneConfig, hay: &str) -> Vec<String> {
        let d = cfg.build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.dedup_by_key(|m| m.span);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    fn found(hay: &str) -> Vec<String> {
        found_with(PhoneConfig::default(), hay)
    }

    #[test]
    fn international_numbers_of_many_countries() {
        for n in [
            "+1 415 555 2671",
            "+1-448-555-1911",
            "+14155552671",
            "+1 (415) 555-2671",
            "+44 20 7946 0018",
            "+44 (0)20 7946 0018",
            "+447700900123",
            "+49 30 3713240",
            "+49 (0)30 3713240",
            "+49 151 23456789",
            "+33 1 79 75 82 97",
            "+33 6 12 34 56 78",
            "+34 612 34 56 78",
            "+39 06 6982 1234",
            "+31 20 123 4567",
            "+61 2 9374 4000",
            "+81 3-1234-5678",
            "+86 138 0013 8000",
            "+91 98765 43210",
            "+55 11 91234-5678",
            "+52 55 1234 5678",
            "+27 21 123 4567",
            "+7 495 123-45-67",
            "+353 1 234 5678",
            "+971 4 123 4567",
            "+234 803 123 4567",
            "+65 6123 4567",
        ] {
            let line = format!("sms sent to {n} ok");
            assert_eq!(found(&line), vec![n], "{line}");
        }
    }

    #[test]
    fn national_numbers_after_a_keyword() {
        for (hay, want) in [
            ("callback requested to (637) 555-0596", "(637) 555-0596"),
            ("phone=4155552671", "4155552671"),
            (r#"{"phone":"415-555-2671"}"#, "415-555-2671"),
            ("Mobile: 415.555.2671", "415.555.2671"),
            ("contact_number=1-800-555-0199", "1-800-555-0199"),
            ("Telephone: 020 7946 0018", "020 7946 0018"),
            ("mobile_number=4155552671", "4155552671"),
            ("telephone: 01 79 75 82 97", "01 79 75 82 97"),
            ("phone 030 3713240", "030 3713240"),
            ("msisdn=07700900123", "07700900123"),
            ("fax: 0044 20 7946 0018", "0044 20 7946 0018"),
            ("customer phone on file is (212) 555-0147.", "(212) 555-0147"),
        ] {
            assert_eq!(found(hay), vec![want], "{hay}");
        }
    }

    #[test]
    fn what_is_not_a_phone_number() {
        for hay in [
            "2024-03-04T07:58:11+00:00 GET / 200",
            "at 2024-03-04 07:59:37,470 took 1234 ms",
            "offset +0100 applied",
            "delta +12.5 ms",
            "total +1234567.89 EUR",
            "version 1.2.3.4 on port 8443",
            "ip 192.168.100.200 connected",
            "trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7",
            "order 415-555-2671 shipped",
            "id 4155552671 created",
            "a+12345678901 in a formula",
            "x=+0 y=+00000000000",
            // No country has code 0 or 28.
            "sms to +28 123 456 789",
            // NANP: area codes and exchanges start with 2-9.
            "sms to +1 115 555 2671",
            "sms to +1 415 155 2671",
            // Too long or too short for the country.
            "sms to +44 20 7946 00181234",
            "sms to +33 1 79 75 82",
            "phone 12345",
            "phone=555-0100",
            "phone: 2024-03-04",
            "phone_verified=true at 1709539091",
            "phone lookup took 123 ms",
            "mobile app build 4155552671x",
            "phone=415-555-2671-99",
            // One or two digits after a keyword (it once read past them).
            "phone=0",
            "mobile 00",
            "phone: 0 calls",
            "fax: 1",
        ] {
            assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
        }
    }

    #[test]
    fn context_can_be_required() {
        let cfg = PhoneConfig { require_context: true, ..Default::default() };
        assert!(found_with(cfg.clone(), "sms sent to +14155552671").is_empty());
        assert_eq!(
            found_with(cfg, "phone: +14155552671"),
            vec!["+14155552671"]
        );
    }

    #[test]
    fn prefix_is_the_country_code() {
        let d = PhoneConfig::default().build().unwrap();
        for (hay, prefix) in [
            ("to +1 415 555 2671", 2),
            ("to +33 1 79 75 82 97", 3),
            ("to +353 1 234 5678", 4),
            ("fax: 0044 20 7946 0018", 4),
            ("phone (415) 555-2671", 0),
        ] {
            let mut out = vec![];
            d.find(&Input::new(hay.as_bytes()), &mut out);
            assert_eq!(out.len(), 1, "{hay}");
            assert_eq!(usize::from(out[0].prefix), prefix, "{hay}");
        }
    }

    #[test]
    fn prefilter_shape_is_a_superset() {
        for n in [
            "+14155552671",
            "+44 20 7946 0018",
            "+1 (415) 555-2671",
            // The first group in parentheses, as the detector reads it
            // (a property test found the prefilter skipping `+(2000000000)`).
            "+(44) 20 7946 0018",
            "+(2000000000)",
        ] {
            let line = format!("to {n}");
            assert!(plus_number_at(line.as_bytes(), 3), "{n}");
        }
        for h in ["a+1234567890", "+12 34", "x +0100"] {
            let p = h.find('+').unwrap();
            assert!(!plus_number_at(h.as_bytes(), p), "{h}");
        }
    }
}
