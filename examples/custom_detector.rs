//! A third-party detector type, registered under its own `type` name and
//! configured from TOML like the built-in ones, without touching
//! logredact.
//!
//! Run: `cargo run --example custom_detector`

use logredact::detect::{Detector, DetectorConfig, Input, Registry, Triggers};
use logredact::mask::MaskKind;
use logredact::{Config, Error, Match};
use serde::Deserialize;

/// Config of the `employee_id` detector: `EMP-` followed by digits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeIdConfig {
    /// How many digits follow the prefix.
    digits: usize,
    /// The literal prefix.
    #[serde(default = "default_prefix")]
    prefix: String,
}

fn default_prefix() -> String {
    "EMP-".to_string()
}

impl DetectorConfig for EmployeeIdConfig {
    const TYPE: &'static str = "employee_id";

    fn default_mask() -> MaskKind {
        MaskKind::Sha256
    }

    fn build(self) -> Result<Box<dyn Detector>, Error> {
        if self.digits == 0 {
            return Err(Error::config("digits", "must be at least 1"));
        }
        Ok(Box::new(EmployeeId {
            prefix: self.prefix.into_bytes(),
            digits: self.digits,
        }))
    }
}

#[derive(Debug)]
struct EmployeeId {
    prefix: Vec<u8>,
    digits: usize,
}

impl Detector for EmployeeId {
    fn kind(&self) -> &str {
        "employee_id"
    }

    // Only lines holding the prefix can hold an id: the engine skips the
    // detector on the others.
    fn triggers(&self) -> Triggers {
        Triggers::literals([String::from_utf8_lossy(&self.prefix)])
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let (p, n) = (&self.prefix, self.digits);
        let mut i = 0;
        while let Some(off) = find(&hay[i..], p) {
            let s = i + off;
            let e = s + p.len() + n;
            if hay.len() >= e
                && hay[s + p.len()..e].iter().all(u8::is_ascii_digit)
                && !hay.get(e).is_some_and(u8::is_ascii_digit)
            {
                // Keep the prefix visible; mask the number.
                out.push(Match::new(s + p.len()..e));
            }
            i = s + 1;
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub const CONFIG: &str = r#"
[detectors.staff]
type = "employee_id"
digits = 6
mask = { type = "sha256", hash_len = 12 }
"#;

/// Redacts `lines` with the built-in detectors plus `employee_id`.
pub fn redact(lines: &[&str]) -> Result<Vec<String>, Error> {
    let mut registry = Registry::default();
    registry.register::<EmployeeIdConfig>();
    let engine = Config::from_toml(CONFIG)?.build_with(&registry)?;
    Ok(lines
        .iter()
        .map(|l| {
            String::from_utf8_lossy(&engine.redact_plain(l.as_bytes()))
                .into_owned()
        })
        .collect())
}

#[allow(dead_code)]
fn main() -> Result<(), Error> {
    let lines = [
        "badge scan EMP-004217 at door 3",
        "EMP-004217 refunded card 4111 1111 1111 1111",
        "EMP-12 is not six digits",
    ];
    for l in redact(&lines)? {
        println!("{l}");
    }
    Ok(())
}
