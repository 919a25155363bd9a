//! Detectors: the [`Detector`] trait, the built-in detectors and the
//! [`Registry`] that builds them from configuration by `type` name.
//!
//! Like Vector's components, each detector type has a serde config struct
//! (`#[serde(deny_unknown_fields)]`) whose `build` returns the runtime
//! detector; all validation happens there, so finding is infallible.

use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;

use crate::error::Error;
use crate::mask::MaskKind;
use crate::span::Match;

pub mod bank;
pub mod card;
pub mod checks;
pub mod cvv;
pub(crate) mod keys;
pub mod name;
pub mod regex;
pub mod token;
mod triggers;

pub use triggers::{PairCheck, Triggers};

/// What a detector looks at: one line (or one value of a structured line)
/// and, when known, the key it sits under.
#[derive(Clone, Copy, Debug)]
pub struct Input<'h> {
    /// The bytes to search; offsets of matches are relative to it.
    pub hay: &'h [u8],
    /// The key of a structured field (`password` in `"password":"…"`).
    pub key: Option<&'h [u8]>,
}

impl<'h> Input<'h> {
    /// Input over `hay` with no key.
    pub fn new(hay: &'h [u8]) -> Input<'h> {
        Input { hay, key: None }
    }

    /// Sets the field key.
    pub fn key(mut self, key: &'h [u8]) -> Input<'h> {
        self.key = Some(key);
        self
    }
}

/// Finds secrets of one kind in a line.
///
/// Implementations validate their candidates (Luhn, mod-97, context)
/// before reporting them, and never fail: everything fallible belongs in
/// the config's `build`.
pub trait Detector: Send + Sync + fmt::Debug {
    /// The kind of secret found (`card`, `token` …): the label of `full`
    /// masks and of statistics.
    fn kind(&self) -> &str;

    /// The name of rule `rule` (the [`Match::rule`] values this detector
    /// reports), for statistics. By default, the kind.
    fn rule_name(&self, rule: u16) -> &str {
        let _ = rule;
        self.kind()
    }

    /// Appends the secrets found in `input` to `out`, in any order.
    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>);

    /// What must occur in a line (or a field's key) for this detector to
    /// find anything; the engine skips it on other lines. By default it
    /// always runs.
    fn triggers(&self) -> Triggers {
        Triggers::always()
    }
}

/// The configuration of one detector type.
///
/// Implement it for a serde struct and [`Registry::register`] it to add a
/// detector type, from this crate or another (see
/// `examples/custom_detector.rs`). The engine reads the common keys
/// `type`, `mask` and `enabled` itself; every other key of the detector's
/// table is deserialised into `Self`.
pub trait DetectorConfig: DeserializeOwned + 'static {
    /// The `type` name this config is registered under.
    const TYPE: &'static str;

    /// The mask used when the config names none.
    fn default_mask() -> MaskKind {
        MaskKind::Full
    }

    /// Builds the runtime detector.
    ///
    /// # Errors
    /// When the config is invalid; the path in the error is relative to
    /// the detector's table.
    fn build(self) -> Result<Box<dyn Detector>, Error>;
}

type BuildFn = fn(serde_json::Value) -> Result<Box<dyn Detector>, Error>;

/// Detector types by `type` name.
#[derive(Clone)]
pub struct Registry {
    types: BTreeMap<String, (BuildFn, MaskKind)>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.types.keys()).finish()
    }
}

impl Default for Registry {
    /// The registry of built-in detector types.
    fn default() -> Registry {
        let mut r = Registry::empty();
        r.register::<card::CardConfig>()
            .register::<cvv::CvvConfig>()
            .register::<token::TokenConfig>()
            .register::<bank::BankConfig>()
            .register::<name::NameConfig>()
            .register::<regex::RegexConfig>();
        r
    }
}

impl Registry {
    /// A registry with no types at all.
    pub fn empty() -> Registry {
        Registry { types: BTreeMap::new() }
    }

    /// Adds (or replaces) the detector type `C::TYPE`.
    pub fn register<C: DetectorConfig>(&mut self) -> &mut Registry {
        fn build<C: DetectorConfig>(
            v: serde_json::Value,
        ) -> Result<Box<dyn Detector>, Error> {
            let cfg: C = serde_path_to_error::deserialize(v).map_err(|e| {
                let path = e.path().to_string();
                let path = if path == "." { String::new() } else { path };
                Error::new(path, e.into_inner())
            })?;
            cfg.build()
        }
        self.types
            .insert(C::TYPE.to_string(), (build::<C>, C::default_mask()));
        self
    }

    /// The registered type names.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// Builds a detector of type `ty` from the rest of its table; returns
    /// it with the type's default mask.
    pub(crate) fn build(
        &self,
        ty: &str,
        rest: serde_json::Value,
    ) -> Result<(Box<dyn Detector>, MaskKind), Error> {
        let (f, mask) = self.types.get(ty).ok_or_else(|| {
            let known: Vec<&str> = self.types().collect();
            Error::new(
                "type",
                format!("unknown detector type {ty:?}; known: {known:?}"),
            )
        })?;
        Ok((f(rest)?, *mask))
    }
}

/// True when `b` may be part of a word (identifier characters).
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
