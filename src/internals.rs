//! Hooks for this crate's own benchmarks and tests (feature `internals`):
//! not part of the stable API, and free to change in any release.

use crate::config::Config;
use crate::detect::Registry;
use crate::engine::Engine;
use crate::error::Error;
use crate::format::{Fields, Format, Parsed};

/// The detectors that may find something in `line`, as a bit set of
/// detector indices (bit 63: a key rule may apply).
pub fn prefilter_mask(engine: &Engine, line: &[u8]) -> u64 {
    engine.triggered(line)
}

/// [`Config::build`] with no prefilter: every detector runs on every
/// line and field. The reference the prefilter is tested against.
///
/// # Errors
/// See [`Config::build_with`].
pub fn build_unfiltered(config: &Config) -> Result<Engine, Error> {
    let mut b = config.builder_with(&Registry::default())?;
    b.prefilter(false);
    b.build()
}

/// The scanner the JSON format uses, on its own.
#[derive(Debug, Default)]
pub struct JsonScanner(Fields);

impl JsonScanner {
    /// Number of scalar fields in a JSON line, `None` if it is not JSON.
    pub fn count(&mut self, line: &[u8]) -> Option<usize> {
        self.0.clear();
        let start = self.0.mark();
        match self.0.parse(line, Format::Json) {
            Parsed::Fields => Some(self.0.since(start).len()),
            _ => None,
        }
    }
}
