//! User-defined patterns from configuration:
//! `{"type": "regex", "name": "order_secret", "pattern": "…"}`.

use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use super::{Detector, DetectorConfig, Input};
use crate::error::Error;
use crate::span::Match;

/// Config of the `regex` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegexConfig {
    /// Name of the rule, for statistics and `full` masks.
    pub name: String,
    /// The pattern (Rust `regex` syntax, matched on bytes). A group named
    /// `secret` narrows the masked part to that group.
    pub pattern: String,
    /// Match letters case-insensitively.
    #[serde(default)]
    pub case_insensitive: bool,
}

impl DetectorConfig for RegexConfig {
    const TYPE: &'static str = "regex";
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let re = RegexBuilder::new(&self.pattern)
            .case_insensitive(self.case_insensitive)
            .size_limit(1 << 22)
            .build()
            .map_err(|e| Error::config("pattern", e))?;
        if re.is_match(b"") {
            return Err(Error::config("pattern", "matches the empty string"));
        }
        let group = re.capture_names().position(|n| n == Some("secret"));
        Ok(Box::new(RegexDetector { name: self.name, re, group }))
    }
}

/// The `regex` detector.
#[derive(Debug)]
pub struct RegexDetector {
    name: String,
    re: Regex,
    group: Option<usize>,
}

impl Detector for RegexDetector {
    fn kind(&self) -> &str {
        &self.name
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        match self.group {
            None => {
                for m in self.re.find_iter(input.hay) {
                    out.push(Match::new(m.range()));
                }
            }
            Some(g) => {
                for c in self.re.captures_iter(input.hay) {
                    if let Some(m) = c.get(g).filter(|m| !m.is_empty()) {
                        out.push(Match::new(m.range()));
                    }
                }
            }
        }
    }
}
