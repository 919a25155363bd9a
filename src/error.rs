//! The crate's one error type.

use std::fmt;

/// An error building an engine from configuration, or reading a config.
///
/// Its message names the configuration path at fault (for example
/// `detectors.cards.mask: unknown mask "last5"`). It never contains a
/// value that the engine would redact at run time.
#[derive(Debug)]
pub struct Error {
    path: String,
    msg: String,
}

impl Error {
    /// An error at configuration path `path`.
    pub fn new(path: impl Into<String>, msg: impl fmt::Display) -> Error {
        Error { path: path.into(), msg: msg.to_string() }
    }

    /// The same error under a parent path (`detectors.cards` + `mask`).
    pub fn within(mut self, parent: &str) -> Error {
        self.path = match (parent.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => parent.to_string(),
            (false, false) => format!("{parent}.{}", self.path),
        };
        self
    }

    /// The configuration path at fault, empty for the whole config.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.msg)
        } else {
            write!(f, "{}: {}", self.path, self.msg)
        }
    }
}

impl std::error::Error for Error {}
