//! National identity numbers, after a keyword that names one (`ssn`,
//! `national insurance`, `dni=`, `codice fiscale`, …). The schemes are
//! data (`patterns/national_ids.toml`): each has keywords, a validator
//! (`validators.rs`) and a rule name. A value after any scheme's keyword
//! is checked by every validator, the keyword's own scheme first, so
//! `national_id: 12345678Z` is found as a DNI: the keywords say a
//! national id follows, the validators say which one it is.
//!
//! The schemes: US Social Security numbers by the SSA's rules
//! (`123-45-6789`, `123456789`), UK National Insurance numbers by
//! HMRC's prefix rules (`QQ 12 34 56 C`), Spanish DNI and NIE numbers
//! (control letter mod 23), Italian codici fiscali (check letter),
//! Dutch BSNs (11-proof), Indian Aadhaar numbers (Verhoeff) and
//! Canadian SINs (Luhn). A line whose keyword names an SSN (or no
//! scheme) is also searched for SSNs written with dashes.

mod validators;

use serde::Deserialize;

use super::keys::KeyScanner;
use super::{Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::{Match, Span};
use validators::{ssn_at, Validator};

/// Config of the `national_id` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalIdConfig {
    /// Keywords added to the shipped list (naming no scheme: every
    /// validator is tried in the table's order).
    #[serde(default)]
    pub extra_keywords: Vec<String>,
}

impl DetectorConfig for NationalIdConfig {
    const TYPE: &'static str = "national_id";
    fn default_mask() -> MaskKind {
        MaskKind::Last4
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let data = patterns::national_ids();
        let mut generic = data.keywords;
        generic.extend(self.extra_keywords);
        // Families: the generic words, then each scheme's keywords and
        // its keys-only words.
        let mut families = vec![generic];
        let mut schemes = Vec::new();
        for s in data.scheme {
            let validator =
                Validator::from_name(&s.validator).ok_or_else(|| {
                    Error::config(
                        "type",
                        format!(
                            "patterns/national_ids.toml: scheme {:?} names \
                             an unknown validator {:?}",
                            s.name, s.validator
                        ),
                    )
                })?;
            families.push(s.keywords);
            families.push(s.keys);
            schemes.push(Scheme { name: s.name, validator });
        }
        let mut keys = KeyScanner::new(&families)
            .map_err(|e| Error::config("extra_keywords", e))?;
        for k in 0..schemes.len() {
            keys = keys.keys_only(2 + 2 * k);
        }
        Ok(Box::new(NationalId { keys, schemes }))
    }
}

/// One scheme: its rule name and check.
#[derive(Debug)]
struct Scheme {
    name: String,
    validator: Validator,
}

/// The `national_id` detector.
#[derive(Debug)]
pub struct NationalId {
    keys: KeyScanner,
    /// In the data's order; a finding's rule is its scheme's index.
    schemes: Vec<Scheme>,
}

impl NationalId {
    /// The scheme a keyword family names, if any.
    fn scheme_of(family: usize) -> Option<usize> {
        family.checked_sub(1).map(|f| f / 2)
    }

    /// The first scheme whose validator takes the number at `s` (the
    /// named one first): its index and the number's end.
    fn check(
        &self,
        hay: &[u8],
        s: usize,
        named: Option<usize>,
    ) -> Option<(usize, usize)> {
        let first = named.into_iter();
        let rest = (0..self.schemes.len()).filter(|&i| Some(i) != named);
        first.chain(rest).find_map(|i| {
            self.schemes[i].validator.end_at(hay, s).map(|end| (i, end))
        })
    }
}

impl Detector for NationalId {
    fn kind(&self) -> &str {
        "national_id"
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals())
    }

    fn rule_name(&self, rule: u16) -> &str {
        self.schemes.get(usize::from(rule)).map_or("national_id", |s| &s.name)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let mut ssn_line = false;
        self.keys.scan_input(input, |h| {
            let named = Self::scheme_of(h.family);
            // The value as the scanner cut it, or a spaced number after
            // it (`QQ 12 34 56 C`, `2345 6789 0128`).
            let v = h.value;
            if let Some((i, end)) = self.check(hay, v.start, named) {
                out.push(Match::new(v.start..end).rule(i as u16));
            }
            ssn_line |= named
                .is_none_or(|i| self.schemes[i].validator == Validator::UsSsn);
        });
        if !ssn_line {
            return;
        }
        let Some(ssn) =
            self.schemes.iter().position(|s| s.validator == Validator::UsSsn)
        else {
            return;
        };
        // `123-45-6789` anywhere on a line that speaks of one.
        for p in memchr::memchr_iter(b'-', hay) {
            if p >= 3 {
                let s = p - 3;
                if let Some(end) = ssn_at(hay, s).filter(|&e| e - s == 11) {
                    out.push(Match::new(Span::new(s, end)).rule(ssn as u16));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
