//! Card verification values: 3 or 4 digits, only right after a CVV
//! keyword (`cvv=123`, `"cvc":"123"`, `"cvv": 123`, `CVC: 123`,
//! `cvv 123`). `status=404`, `took 123ms` and `port 8443` have no such
//! keyword; `cvv check passed after 123 tries` has it at a distance.

use serde::Deserialize;

use super::keys::KeyScanner;
use super::{Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::patterns;
use crate::span::Match;

/// Config of the `cvv` detector. Its mask is always `full`: no digit of a
/// CVV is ever kept, whatever the config says.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CvvConfig {
    /// Keywords added to the shipped list.
    #[serde(default)]
    pub extra_keywords: Vec<String>,
}

impl DetectorConfig for CvvConfig {
    const TYPE: &'static str = "cvv";
    /// A CVV is never shown in part, whatever the config says.
    fn constrain_mask(mask: &mut crate::mask::MaskTable, _keyed: bool) {
        mask.kind = crate::mask::MaskKind::Full;
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut words = patterns::family("cvv").words;
        words.extend(self.extra_keywords);
        let keys = KeyScanner::new(&[words])
            .map_err(|e| Error::config("extra_keywords", e))?;
        Ok(Box::new(Cvv { keys }))
    }
}

/// The `cvv` detector.
#[derive(Debug)]
pub struct Cvv {
    keys: KeyScanner,
}

impl Detector for Cvv {
    fn kind(&self) -> &str {
        "cvv"
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals())
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        self.keys.scan_input(input, |h| {
            let v = &hay[h.value];
            if (3..=4).contains(&v.len()) && v.iter().all(u8::is_ascii_digit) {
                out.push(Match::new(h.value));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = CvvConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn cvv_forms() {
        for h in [
            "cvv=123",
            r#""cvv":"123""#,
            r#""cvv": 123,"#,
            "CVC: 123",
            "cvv 123",
            "card verification value 123 accepted",
            r#"{\"cvc\":\"123\"}"#,
            "securityCode=123",
            "cvv2=123",
        ] {
            assert_eq!(found(h), vec!["123"], "{h}");
        }
        assert_eq!(found("cvc 1234 ok"), vec!["1234"]);
    }

    #[test]
    fn not_cvvs() {
        for h in [
            "status=404",
            "took 123ms",
            "port 8443",
            "cvv check passed after 123 tries",
            "cvv=12345",
            r#""cvc_check":"pass""#,
            "cvv=***",
            "cvv=12a",
        ] {
            assert!(found(h).is_empty(), "{h}");
        }
    }
}
