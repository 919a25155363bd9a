//! The crate's one error type: opaque, with a private kind (as
//! aho-corasick's `BuildError`), so that what an error carries can grow
//! without breaking callers.

use std::{fmt, io};

/// An error building an engine from configuration, reading a file the
/// configuration names, or running `serve`.
///
/// Two sorts of error exist, told apart by what they say:
///
/// - A bad configuration value. The message names its path, as
///   ``detectors.cards.mask: unknown variant `last5`, expected one of …``,
///   and [`Error::path`] returns it.
/// - A failed I/O operation: a file that cannot be read, an address that
///   cannot be bound, an output that cannot be written. The message says
///   what failed (`cannot read redact.toml`, `cannot listen on
///   127.0.0.1:5140`) and [`source`](std::error::Error::source) is the
///   underlying [`io::Error`]; the message does not repeat it, so print
///   the chain (as `anyhow`'s `{:#}` does) to see both.
///
/// No error contains a value that the engine would redact at run time:
/// messages quote configuration keys and values, file names and
/// addresses, never log data.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Debug)]
enum ErrorKind {
    /// A bad value at configuration path `path` (empty: the configuration
    /// as a whole, as for a syntax error).
    Config { path: String, msg: String },
    /// An I/O operation that failed; `path` is the configuration key that
    /// named the file, if one did.
    Io { path: Option<String>, what: String, source: io::Error },
}

impl Error {
    /// A bad value at configuration path `path`, relative to the table
    /// being built: a [`DetectorConfig`](crate::detect::DetectorConfig)
    /// gives the path of its own key (`digits`), and the engine prefixes
    /// the detector's (`detectors.staff.digits`).
    ///
    /// `msg` must not quote log data: say what is wrong with the
    /// configured value instead.
    ///
    /// # Example
    /// ```
    /// let e = logredact::Error::config("digits", "must be at least 1");
    /// assert_eq!(e.path(), Some("digits"));
    /// assert_eq!(e.to_string(), "digits: must be at least 1");
    /// ```
    pub fn config(path: impl Into<String>, msg: impl fmt::Display) -> Error {
        Error {
            kind: ErrorKind::Config {
                path: path.into(),
                msg: msg.to_string(),
            },
        }
    }

    /// A config error from serde, at the key path that
    /// `serde_path_to_error` tracked (empty for the document as a whole),
    /// with `msg` made from serde's own error.
    pub(crate) fn at_serde_path<E>(
        e: serde_path_to_error::Error<E>,
        msg: impl FnOnce(E) -> String,
    ) -> Error {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Error::config(path, msg(e.into_inner()))
    }

    /// An I/O failure: `what` says what failed (`cannot read x.toml`),
    /// in words a user can act on; `source` is kept as the cause.
    pub(crate) fn io(what: impl Into<String>, source: io::Error) -> Error {
        Error { kind: ErrorKind::Io { path: None, what: what.into(), source } }
    }

    /// The same error under a parent path: `mask` within
    /// `detectors.cards` is `detectors.cards.mask`. An I/O error gets the
    /// parent as the key that named its file.
    ///
    /// # Example
    /// ```
    /// let e = logredact::Error::config("mask", "bad").within("detectors.x");
    /// assert_eq!(e.path(), Some("detectors.x.mask"));
    /// ```
    pub fn within(mut self, parent: &str) -> Error {
        let join = |path: &str| match (parent.is_empty(), path.is_empty()) {
            (true, _) => path.to_string(),
            (false, true) => parent.to_string(),
            (false, false) => format!("{parent}.{path}"),
        };
        match &mut self.kind {
            ErrorKind::Config { path, .. } => *path = join(path),
            ErrorKind::Io { path, .. } => {
                let p = join(path.as_deref().unwrap_or(""));
                *path = (!p.is_empty()).then_some(p);
            }
        }
        self
    }

    /// The configuration path at fault: `Some("")` for the configuration
    /// as a whole (a syntax error), the key that named the file for an
    /// I/O error on it (`hmac.key_file`), `None` for other I/O errors
    /// (an address in use, an output that cannot be written).
    pub fn path(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Config { path, .. } => Some(path),
            ErrorKind::Io { path, .. } => path.as_deref(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, msg) = match &self.kind {
            ErrorKind::Config { path, msg } => (path.as_str(), msg),
            ErrorKind::Io { path, what, .. } => {
                (path.as_deref().unwrap_or(""), what)
            }
        };
        if path.is_empty() {
            write!(f, "{msg}")
        } else {
            write!(f, "{path}: {msg}")
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Config { .. } => None,
            ErrorKind::Io { source, .. } => Some(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn config_errors_read_path_colon_message() {
        let e = Error::config("mask", "bad").within("detectors.x");
        assert_eq!(e.to_string(), "detectors.x.mask: bad");
        assert_eq!(e.path(), Some("detectors.x.mask"));
        assert!(e.source().is_none());
        let e = Error::config("", "whole").within("");
        assert_eq!((e.to_string().as_str(), e.path()), ("whole", Some("")));
    }

    #[test]
    fn io_errors_keep_their_source() {
        let io = io::Error::new(io::ErrorKind::NotFound, "gone");
        let e = Error::io("cannot read /k", io);
        assert_eq!(e.path(), None);
        assert_eq!(e.to_string(), "cannot read /k");
        assert_eq!(e.source().unwrap().to_string(), "gone");
        let e = e.within("hmac.key_file");
        assert_eq!(e.path(), Some("hmac.key_file"));
        assert_eq!(e.to_string(), "hmac.key_file: cannot read /k");
    }

    #[test]
    fn is_send_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<Error>();
    }
}
