//! Bank accounts: IBANs anywhere (per-country length, mod-97 check),
//! account numbers after account keywords, ABA routing numbers (checksum)
//! after routing keywords.

use serde::Deserialize;

use super::checks::{aba, iban_length, mod97};
use super::keys::KeyScanner;
use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::Match;

/// Config of the `bank` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankConfig {
    /// Find IBANs.
    #[serde(default = "crate::detect::yes")]
    pub iban: bool,
    /// Find account numbers after account keywords.
    #[serde(default = "crate::detect::yes")]
    pub account: bool,
    /// Find ABA routing numbers after routing keywords.
    #[serde(default = "crate::detect::yes")]
    pub routing: bool,
    /// Account keywords added to the shipped list.
    #[serde(default)]
    pub extra_account_keywords: Vec<String>,
    /// Routing keywords added to the shipped list.
    #[serde(default)]
    pub extra_routing_keywords: Vec<String>,
}

impl Default for BankConfig {
    fn default() -> BankConfig {
        serde_json::from_str("{}").expect("all fields have defaults")
    }
}

const IBAN: u16 = 0;
const ACCOUNT: u16 = 1;
const ROUTING: u16 = 2;

impl DetectorConfig for BankConfig {
    const TYPE: &'static str = "bank";
    fn default_mask() -> MaskKind {
        MaskKind::Last4
    }
    /// A plain hash of a card or account number can be reversed by trying
    /// every number (few digits are unknown): with a key, use HMAC.
    fn constrain_mask(mask: &mut crate::mask::MaskTable, keyed: bool) {
        if keyed && mask.kind == MaskKind::Sha256 {
            mask.kind = MaskKind::Hmac;
        }
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut acct = patterns::family("account").words;
        acct.extend(self.extra_account_keywords);
        let mut routing = patterns::family("routing").words;
        routing.extend(self.extra_routing_keywords);
        let keys = KeyScanner::new(&[acct, routing])
            .map_err(|e| Error::config("extra_account_keywords", e))?;
        Ok(Box::new(Bank {
            keys,
            iban: self.iban,
            account: self.account,
            routing: self.routing,
        }))
    }
}

/// The `bank` detector.
#[derive(Debug)]
pub struct Bank {
    keys: KeyScanner,
    iban: bool,
    account: bool,
    routing: bool,
}

impl Detector for Bank {
    fn kind(&self) -> &str {
        "bank"
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals()).iban_shape(self.iban)
    }

    fn rule_name(&self, rule: u16) -> &str {
        match rule {
            IBAN => "iban",
            ACCOUNT => "account",
            _ => "routing",
        }
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        if self.iban {
            self.find_ibans(hay, out);
        }
        if !(self.account || self.routing) {
            return;
        }
        self.keys.scan_input(input, |h| {
            let v = &hay[h.value];
            let digits = v.iter().filter(|b| b.is_ascii_digit()).count();
            let only_digits = v
                .iter()
                .all(|&b| b.is_ascii_digit() || b == b'-' || b == b' ');
            if !only_digits || !v[0].is_ascii_digit() {
                return;
            }
            if h.family == 0 && self.account && (6..=17).contains(&digits) {
                // An ABA number after `account` is still masked: a bank
                // number either way.
                out.push(Match::new(h.value).rule(ACCOUNT));
            } else if h.family == 1 && self.routing && digits == 9 && aba(v) {
                out.push(Match::new(h.value).rule(ROUTING));
            }
        });
    }
}

impl Bank {
    fn find_ibans(&self, hay: &[u8], out: &mut Vec<Match>) {
        let n = hay.len();
        let mut i = 0;
        while i + 4 <= n {
            let start = i;
            i += 1;
            let Some(len) = iban_length(hay, start) else { continue };
            if let Some(end) = iban_at(hay, start, len) {
                out.push(Match::new(start..end).rule(IBAN).prefix(2));
                i = end;
            }
        }
    }
}

/// The end of an IBAN of `len` characters starting at `s`, compact or
/// grouped by single spaces or dashes, if its check digits are right.
fn iban_at(hay: &[u8], s: usize, len: usize) -> Option<usize> {
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut i = s;
    let mut sep = None;
    while n < len && i < hay.len() {
        let b = hay[i];
        if b.is_ascii_digit() || b.is_ascii_uppercase() {
            chars[n] = b;
            n += 1;
            i += 1;
        } else if (b == b' ' || b == b'-')
            && sep.is_none_or(|s| s == b)
            && n % 4 == 0
            && hay.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            sep = Some(b);
            i += 1;
        } else {
            return None;
        }
    }
    if n != len || hay.get(i).is_some_and(|&b| is_word(b)) {
        return None;
    }
    mod97(&chars[..n]).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<(u16, String)> {
        let d = BankConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.iter()
            .map(|m| (m.rule, hay[m.span.start..m.span.end].to_string()))
            .collect()
    }

    #[test]
    fn ibans() {
        for v in [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB82WEST12345698765432",
            "NO9386011117947",
        ] {
            assert_eq!(found(&format!("iban {v}.")), vec![(IBAN, v.into())]);
        }
        assert!(found("DE89370400440532013001").is_empty());
        assert!(found("XDE89370400440532013000").is_empty());
    }

    #[test]
    fn accounts_and_routing() {
        assert_eq!(
            found("routing 076123102 acct 65634441633017,"),
            vec![
                (ROUTING, "076123102".into()),
                (ACCOUNT, "65634441633017".into())
            ]
        );
        assert_eq!(
            found(r#"{"account_number":"390041506854"}"#),
            vec![(ACCOUNT, "390041506854".into())]
        );
        assert!(found("routing 123456789").is_empty());
        assert!(found("account_id=12345678").is_empty());
        assert!(found("account 12345 locked").is_empty());
        assert_eq!(found("routing number: 3222-7162-7").len(), 1);
    }
}
