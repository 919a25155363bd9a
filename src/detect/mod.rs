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
pub use crate::span::Input;
use crate::span::Match;

pub mod bank;
pub mod card;
pub mod checks;
pub mod command;
pub mod cvv;
pub mod dob;
pub mod email;
pub mod ip;
pub(crate) mod keys;
pub mod name;
pub mod national_id;
pub mod phone;
pub mod regex;
pub mod token;
mod triggers;

pub use triggers::{PairCheck, Triggers};

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

    /// Whether a key rule (`[[keys.always]]`) may mask all of `value`
    /// with this detector's mask: false when the value cannot be a
    /// secret of this kind at all (a repository's `owner/repo` under
    /// `full_name`); it is then scanned as any other value. By default,
    /// true.
    fn may_mask_whole(&self, value: &[u8]) -> bool {
        let _ = value;
        true
    }

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

    /// The type's mask policy: adjusts `mask` (the configured one, or the
    /// default) to what secrets of this type allow; `keyed` tells whether
    /// an HMAC key is configured. The built-in `cvv` type forces `full`;
    /// `card` and `bank` turn `sha256` into `hmac` when keyed. By default,
    /// any mask is allowed.
    ///
    /// An associated function rather than a method: the policy belongs to
    /// the type, whatever a table's options say (no option can weaken
    /// it), and the registry keeps it beside `build` and `default_mask`
    /// without holding a deserialised config.
    fn constrain_mask(mask: &mut crate::mask::MaskTable, keyed: bool) {
        let _ = (mask, keyed);
    }

    /// Builds the runtime detector.
    ///
    /// # Errors
    /// When the config is invalid; the path in the error is relative to
    /// the detector's table.
    fn build(self) -> Result<Box<dyn Detector>, Error>;
}

type BuildFn = fn(serde_json::Value) -> Result<Box<dyn Detector>, Error>;

/// What the registry knows of one type: its [`DetectorConfig`]'s
/// functions.
#[derive(Clone, Copy)]
struct Type {
    build: BuildFn,
    default_mask: MaskKind,
    constrain_mask: fn(&mut crate::mask::MaskTable, bool),
}

/// Detector types by `type` name.
#[derive(Clone)]
pub struct Registry {
    types: BTreeMap<String, Type>,
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
            .register::<email::EmailConfig>()
            .register::<national_id::NationalIdConfig>()
            .register::<phone::PhoneConfig>()
            .register::<command::CommandLineConfig>()
            .register::<ip::IpConfig>()
            .register::<dob::DobConfig>()
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
            let cfg: C = serde_path_to_error::deserialize(v)
                .map_err(|e| Error::at_serde_path(e, |e| e.to_string()))?;
            cfg.build()
        }
        let t = Type {
            build: build::<C>,
            default_mask: C::default_mask(),
            constrain_mask: C::constrain_mask,
        };
        self.types.insert(C::TYPE.to_string(), t);
        self
    }

    /// The registered type names.
    pub fn types(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    /// Builds a detector of type `ty` from the type's keys of its table;
    /// returns it with its mask: `mask`, or the type's default, under the
    /// type's policy ([`DetectorConfig::constrain_mask`]).
    pub(crate) fn build(
        &self,
        ty: &str,
        rest: serde_json::Map<String, serde_json::Value>,
        mask: Option<&crate::mask::MaskSpec>,
        keyed: bool,
    ) -> Result<(Box<dyn Detector>, crate::mask::MaskTable), Error> {
        let t = self.types.get(ty).ok_or_else(|| {
            let known: Vec<&str> = self.types().collect();
            Error::config(
                "type",
                format!("unknown detector type {ty:?}; known: {known:?}"),
            )
        })?;
        let det = (t.build)(serde_json::Value::Object(rest))?;
        let mut mask = mask
            .cloned()
            .unwrap_or(crate::mask::MaskSpec::Kind(t.default_mask))
            .table();
        (t.constrain_mask)(&mut mask, keyed);
        Ok((det, mask))
    }
}

/// True when `b` may be part of a word (identifier characters).
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Serde default for the flags of a config that are on unless turned
/// off.
pub(crate) fn yes() -> bool {
    true
}
