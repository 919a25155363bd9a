//! National identity numbers, after a keyword that names one (`ssn`,
//! `national insurance`, …): US Social Security numbers with the SSA's
//! rules (no area 000, 666 or 900–999, no group 00, no serial 0000, not
//! the numbers the SSA voided after they were printed in ads), written
//! `123-45-6789` or `123456789`; and UK National Insurance numbers with
//! HMRC's prefix rules (`QQ 12 34 56 C`, `QQ123456C`). A line that holds
//! such a keyword is also searched for SSNs written with dashes.

use serde::Deserialize;

use super::keys::KeyScanner;
use super::{Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::{Match, Span};

/// Config of the `national_id` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalIdConfig {
    /// Keywords added to the shipped list.
    #[serde(default)]
    pub extra_keywords: Vec<String>,
}

impl DetectorConfig for NationalIdConfig {
    const TYPE: &'static str = "national_id";
    fn default_mask() -> MaskKind {
        MaskKind::Last4
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut words = patterns::family("national_id").words;
        words.extend(self.extra_keywords);
        let keys = KeyScanner::new(&[words])
            .map_err(|e| Error::config("extra_keywords", e))?;
        Ok(Box::new(NationalId { keys }))
    }
}

/// The `national_id` detector.
#[derive(Debug)]
pub struct NationalId {
    keys: KeyScanner,
}

const SSN: u16 = 0;
const NINO: u16 = 1;

impl Detector for NationalId {
    fn kind(&self) -> &str {
        "national_id"
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals())
    }

    fn rule_name(&self, rule: u16) -> &str {
        match rule {
            SSN => "us_ssn",
            _ => "uk_nino",
        }
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let mut keyed = false;
        self.keys.scan_input(input, |h| {
            keyed = true;
            // The value as the scanner cut it, or a spaced NINO after it.
            let v = h.value;
            if let Some(end) = ssn_at(hay, v.start) {
                out.push(Match::new(v.start..end).rule(SSN));
            } else if let Some(end) = nino_at(hay, v.start) {
                out.push(Match::new(v.start..end).rule(NINO));
            }
        });
        if !keyed {
            return;
        }
        // `123-45-6789` anywhere on a line that speaks of one.
        for p in memchr::memchr_iter(b'-', hay) {
            if p >= 3 {
                let s = p - 3;
                if let Some(end) = ssn_at(hay, s).filter(|&e| e - s == 11) {
                    out.push(Match::new(Span::new(s, end)).rule(SSN));
                }
            }
        }
    }
}

/// The end of a valid SSN starting at `s` (`123-45-6789` or
/// `123456789`), standing alone (no digit or dash around it).
fn ssn_at(hay: &[u8], s: usize) -> Option<usize> {
    let digit = |i: usize| hay.get(i).is_some_and(u8::is_ascii_digit);
    let digits = |from: usize, n: usize| (from..from + n).all(digit);
    let alone_before = s == 0 || !(digit(s - 1) || hay[s - 1] == b'-');
    let (end, d) = if digits(s, 3)
        && hay.get(s + 3) == Some(&b'-')
        && digits(s + 4, 2)
        && hay.get(s + 6) == Some(&b'-')
        && digits(s + 7, 4)
    {
        let b = &hay[s..s + 11];
        (s + 11, [&b[0..3], &b[4..6], &b[7..11]])
    } else if digits(s, 9) {
        let b = &hay[s..s + 9];
        (s + 9, [&b[0..3], &b[3..5], &b[5..9]])
    } else {
        return None;
    };
    let alone_after = !(digit(end) || hay.get(end) == Some(&b'-'));
    (alone_before && alone_after && ssn_valid(d[0], d[1], d[2])).then_some(end)
}

/// The SSA's rules for an SSN's area, group and serial.
fn ssn_valid(area: &[u8], group: &[u8], serial: &[u8]) -> bool {
    // Numbers the SSA voided after they were printed as examples.
    const VOIDED: [[&[u8]; 3]; 2] =
        [[b"078", b"05", b"1120"], [b"219", b"09", b"9999"]];
    area != b"000"
        && area != b"666"
        && area[0] != b'9'
        && group != b"00"
        && serial != b"0000"
        && !VOIDED.contains(&[area, group, serial])
}

/// The end of a valid National Insurance number at `s`: two prefix
/// letters, six digits (optionally in pairs split by spaces), a suffix
/// letter A–D; HMRC never issues the prefixes with D, F, I, Q, U or V,
/// O second, or BG, GB, KN, NK, NT, TN, ZZ.
fn nino_at(hay: &[u8], s: usize) -> Option<usize> {
    let up = |i: usize| hay.get(i).map(u8::to_ascii_uppercase);
    let (a, b) = (up(s)?, up(s + 1)?);
    let bad_first = b"DFIQUV";
    let bad_second = b"DFIQUVO";
    if !a.is_ascii_uppercase()
        || !b.is_ascii_uppercase()
        || bad_first.contains(&a)
        || bad_second.contains(&b)
        || [*b"BG", *b"GB", *b"KN", *b"NK", *b"NT", *b"TN", *b"ZZ"]
            .contains(&[a, b])
    {
        return None;
    }
    let mut i = s + 2;
    let spaced = hay.get(i) == Some(&b' ');
    for _ in 0..3 {
        if spaced {
            if hay.get(i) != Some(&b' ') {
                return None;
            }
            i += 1;
        }
        if !(hay.get(i).is_some_and(u8::is_ascii_digit)
            && hay.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            return None;
        }
        i += 2;
    }
    if spaced && hay.get(i) == Some(&b' ') {
        i += 1;
    }
    let suffix = up(i)?;
    let end = i + 1;
    let alone = hay.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
    (matches!(suffix, b'A'..=b'D') && alone).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = NationalIdConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.dedup_by_key(|m| m.span);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn ssns_after_a_keyword() {
        for (hay, want) in [
            ("phone +1 415 555 2671; SSN 123-45-6789", "123-45-6789"),
            ("ssn=123456789", "123456789"),
            (r#"{"ssn":"001-01-0001"}"#, "001-01-0001"),
            ("Social Security Number: 772-01-2345.", "772-01-2345"),
            ("taxpayer_id=665-99-9999", "665-99-9999"),
            ("customer_ssn: 899-99-9998", "899-99-9998"),
        ] {
            assert_eq!(found(hay), vec![want], "{hay}");
        }
        // A line that names one: the dashed SSN anywhere in it.
        assert_eq!(
            found("ssn check failed for applicant, input was 123-45-6789"),
            vec!["123-45-6789"]
        );
    }

    #[test]
    fn invalid_ssns_by_the_ssa_rules() {
        for v in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "999-99-9999",
            "123-00-4567",
            "123-45-0000",
            "078-05-1120",
            "219-09-9999",
            "12345678",
            "1234567890",
            "123-45-67890",
            "0123-45-6789",
        ] {
            assert!(found(&format!("ssn {v}")).is_empty(), "{v}");
        }
        // No keyword: a dashed number is left alone.
        assert!(found("order 123-45-6789 shipped").is_empty());
        // Digits in a longer run or a date are no SSN.
        assert!(found("ssn lookup at 2024-03-04").is_empty());
    }

    #[test]
    fn ninos_after_a_keyword() {
        for (hay, want) in [
            ("NINO: QQ 12 34 56 C", "QQ 12 34 56 C"),
            ("national_insurance_number=AB123456A", "AB123456A"),
            ("ni number jk 12 34 56 d", "jk 12 34 56 d"),
        ] {
            // `QQ` is HMRC's own example prefix: it is invalid for people.
            let got = found(hay);
            if want.starts_with("QQ") {
                assert!(got.is_empty(), "{hay}: {got:?}");
            } else {
                assert_eq!(got, vec![want], "{hay}");
            }
        }
        for v in [
            "BG123456A",
            "GB123456A",
            "NK123456A",
            "DA123456A",
            "AO123456A",
            "AB123456E",
            "AB12345A",
            "AB1234567A",
            "AB123456AX",
        ] {
            assert!(found(&format!("nino {v}")).is_empty(), "{v}");
        }
    }
}
