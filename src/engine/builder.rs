//! [`EngineBuilder`]: an engine's detectors, masks and settings given in
//! code. [`Config`](crate::Config) builds engines through it too.

use std::fmt;
use std::sync::Arc;

use super::{Engine, Entry, Inner, DEFAULT_MAX_LINE_LEN};
use crate::detect::{Detector, Triggers};
use crate::error::Error;
use crate::format::Format;
use crate::keyrules::KeyRules;
use crate::mask::{HmacKey, Mask};
use crate::prefilter::{DetectorSet, Prefilter};

/// Shortest `max_line_len` accepted: a window must hold any one secret.
pub(crate) const MIN_LINE_LEN: usize = 4096;

/// Builds an [`Engine`] from detectors given in code. The setters can be
/// chained, and one builder can build many engines.
///
/// # Example
/// ```
/// use logredact::detect::regex::RegexConfig;
/// use logredact::{DetectorConfig, Engine, Mask};
///
/// let tickets = RegexConfig {
///     name: "ticket".into(),
///     pattern: "TKT-[0-9]{6}".into(),
///     case_insensitive: false,
/// };
/// let engine = Engine::builder()
///     .detector_with_mask("tickets", tickets.build()?, Mask::full("ticket"))
///     .max_line_len(64 << 10)
///     .build()?;
/// assert_eq!(
///     &engine.redact(b"see TKT-123456")[..],
///     b"see [REDACTED:ticket]"
/// );
/// # Ok::<(), logredact::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct EngineBuilder {
    entries: Vec<Entry>,
    max_line_len: Option<usize>,
    format: Format,
    key_rules: KeyRules,
    /// Off: every detector runs everywhere (see `prefilter`).
    unfiltered: bool,
    fingerprint_key: Option<Arc<HmacKey>>,
}

impl fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.entries.iter().map(|e| &e.id)).finish()
    }
}

impl EngineBuilder {
    /// A builder with no detectors.
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Adds a detector whose findings are masked in full
    /// (`[REDACTED:kind]`).
    pub fn detector(
        &mut self,
        id: impl Into<String>,
        d: impl Detector + 'static,
    ) -> &mut EngineBuilder {
        let mask = Mask::full(d.kind());
        self.detector_with_mask(id, Box::new(d), mask)
    }

    /// Adds a detector with its mask.
    pub fn detector_with_mask(
        &mut self,
        id: impl Into<String>,
        d: Box<dyn Detector>,
        mask: Mask,
    ) -> &mut EngineBuilder {
        self.entries.push(Entry {
            id: id.into(),
            detector: Arc::from(d),
            mask,
        });
        self
    }

    /// Turns the prefilter off (`false`): every detector then runs on
    /// every line and field. Slower, same findings: the reference the
    /// prefilter is tested against (`internals::build_unfiltered`).
    #[cfg(feature = "internals")]
    pub(crate) fn prefilter(&mut self, on: bool) -> &mut EngineBuilder {
        self.unfiltered = !on;
        self
    }

    /// Longest line held whole; longer lines are scanned in overlapping
    /// windows. 1 MiB by default; at least 4096 (checked by
    /// [`EngineBuilder::build`]).
    pub fn max_line_len(&mut self, n: usize) -> &mut EngineBuilder {
        self.max_line_len = Some(n);
        self
    }

    /// How lines are parsed (default [`Format::Auto`]).
    pub fn format(&mut self, f: Format) -> &mut EngineBuilder {
        self.format = f;
        self
    }

    /// Key rules for structured fields (detector indices in the order the
    /// detectors were added).
    pub fn key_rules(&mut self, r: KeyRules) -> &mut EngineBuilder {
        self.key_rules = r;
        self
    }

    /// The key of [`Engine::fingerprint`] (the `hmac` mask's key, when
    /// the config has one); without it fingerprints are plain SHA-256.
    pub fn fingerprint_key(
        &mut self,
        key: Option<Arc<HmacKey>>,
    ) -> &mut EngineBuilder {
        self.fingerprint_key = key;
        self
    }

    /// Index of the detector with id `id`, if added.
    pub fn index_of(&self, id: &str) -> Option<u16> {
        self.entries.iter().position(|e| e.id == id).map(|i| i as u16)
    }

    /// The engine.
    ///
    /// # Errors
    /// A `max_line_len` under 4096, or a key rule naming a detector index
    /// that was not added. The error's path names the setting.
    pub fn build(&self) -> Result<Engine, Error> {
        let max_line_len = self.max_line_len.unwrap_or(DEFAULT_MAX_LINE_LEN);
        if max_line_len < MIN_LINE_LEN {
            return Err(Error::config(
                "max_line_len",
                format!("must be at least {MIN_LINE_LEN}"),
            ));
        }
        if let Some(d) = self
            .key_rules
            .detectors()
            .find(|&d| d as usize >= self.entries.len())
        {
            return Err(Error::config(
                "keys",
                format!(
                    "a rule masks with detector {d}, but there are only {}",
                    self.entries.len()
                ),
            ));
        }
        let triggers: Vec<Triggers> =
            self.entries.iter().map(|e| e.detector.triggers()).collect();
        // Detectors that may see a private key's BEGIN line: a stream
        // checks such lines for a block that goes on over the next ones.
        let mut block_bits = if self.unfiltered
            || self.entries.len() > crate::prefilter::DETECTOR_BITS
        {
            DetectorSet::MAX
        } else {
            0
        };
        for (i, t) in
            triggers.iter().enumerate().take(crate::prefilter::DETECTOR_BITS)
        {
            let begin = t.literals.iter().any(|l| {
                l.as_bytes()
                    .get(..10)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"-----begin"))
            });
            if t.always || begin {
                block_bits |= 1 << i;
            }
        }
        let prefilter = if self.unfiltered {
            Prefilter::new(
                &vec![Triggers::always(); self.entries.len()],
                Some(Triggers::always()),
                Some(Triggers::always()),
            )
        } else {
            Prefilter::new(
                &triggers,
                self.key_rules.triggers(),
                Some(super::decode::triggers()),
            )
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                prefilter,
                entries: self.entries.clone(),
                max_line_len,
                format: self.format,
                key_rules: self.key_rules.clone(),
                block_bits,
                fingerprint_key: self.fingerprint_key.clone(),
            }),
        })
    }
}
