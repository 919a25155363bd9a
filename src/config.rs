//! Configuration: serde types read from TOML or JSON, turned into an
//! [`Engine`] by [`Config::build`]. All validation happens
//! here; a built engine cannot fail.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::detect::Registry;
use crate::engine::{Engine, EngineBuilder};
use crate::error::Error;
use crate::format::Format;
use crate::keyrules::{KeyRules, KeysConfig};
use crate::mask::{HmacKey, Mask, MaskKind, MaskSpec};
use crate::patterns;

/// Environment variable read for the HMAC key when the config names none.
pub const HMAC_KEY_ENV: &str = "LOGREDACT_HMAC_KEY";

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Start from the shipped default detectors (default `true`).
    #[serde(default = "yes")]
    pub defaults: bool,
    /// Detectors by id. Each is a table with `type`, optional `mask` and
    /// `enabled`, and the type's own keys.
    #[serde(default)]
    pub detectors: BTreeMap<String, serde_json::Value>,
    /// Where the HMAC key comes from.
    #[serde(default)]
    pub hmac: HmacConfig,
    /// Longest line held whole, in bytes; longer lines are scanned in
    /// overlapping windows (default 1 MiB).
    #[serde(default)]
    pub max_line_len: Option<usize>,
    /// How lines are parsed: auto (default), plain, json, logfmt, syslog.
    #[serde(default)]
    pub format: Format,
    /// Key rules for structured fields.
    #[serde(default)]
    pub keys: KeysConfig,
    /// The `[serve]` table: settings of `logredact serve` (feature
    /// `serve`), kept raw here and read by `serve::ServeConfig`.
    #[serde(default)]
    pub serve: Option<serde_json::Value>,
}

/// Serde default for flags that are on unless turned off.
pub(crate) fn yes() -> bool {
    true
}

/// Where the key of the `hmac` mask comes from. Never the config file
/// itself: configs get committed and shared.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HmacConfig {
    /// Environment variable holding the key (default
    /// `LOGREDACT_HMAC_KEY`).
    #[serde(default)]
    pub key_env: Option<String>,
    /// File holding the key (trailing newline ignored).
    #[serde(default)]
    pub key_file: Option<PathBuf>,
}

impl Default for Config {
    /// The shipped defaults (`patterns/default.toml`).
    fn default() -> Config {
        Config::from_toml(patterns::DEFAULT_CONFIG)
            .expect("patterns/default.toml is valid")
    }
}

impl Config {
    /// Parses a TOML config.
    ///
    /// # Errors
    /// Syntax errors and unknown keys, naming the key.
    pub fn from_toml(s: &str) -> Result<Config, Error> {
        let de = toml::Deserializer::new(s);
        serde_path_to_error::deserialize(de).map_err(path_error)
    }

    /// Parses a JSON config.
    ///
    /// # Errors
    /// Syntax errors and unknown keys, naming the key.
    pub fn from_json(s: &str) -> Result<Config, Error> {
        let mut de = serde_json::Deserializer::from_str(s);
        serde_path_to_error::deserialize(&mut de).map_err(path_error)
    }

    /// Reads a config file: JSON if it ends in `.json` or starts with `{`,
    /// else TOML.
    ///
    /// # Errors
    /// An unreadable file, or a config that does not parse.
    pub fn from_path(path: &Path) -> Result<Config, Error> {
        let s = std::fs::read_to_string(path).map_err(|e| {
            Error::io(format!("cannot read {}", path.display()), e)
        })?;
        let json = path.extension().is_some_and(|e| e == "json")
            || s.trim_start().starts_with('{');
        if json {
            Config::from_json(&s)
        } else {
            Config::from_toml(&s)
        }
    }

    /// Builds an engine with the built-in detector types.
    ///
    /// # Errors
    /// See [`Config::build_with`].
    pub fn build(&self) -> Result<Engine, Error> {
        self.build_with(&Registry::default())
    }

    /// Builds an engine, looking detector types up in `registry`.
    ///
    /// # Errors
    /// An unknown detector type or mask, a bad option, an invalid regex,
    /// an `hmac` mask without a usable key. The message names the key.
    pub fn build_with(&self, registry: &Registry) -> Result<Engine, Error> {
        Ok(self.builder_with(registry)?.build())
    }

    /// [`Config::build`] with no prefilter: every detector runs on every
    /// line and field. The reference the prefilter is tested against.
    ///
    /// # Errors
    /// See [`Config::build_with`].
    #[doc(hidden)]
    pub fn build_unfiltered(&self) -> Result<Engine, Error> {
        let mut b = self.builder_with(&Registry::default())?;
        b.prefilter(false);
        Ok(b.build())
    }

    fn builder_with(
        &self,
        registry: &Registry,
    ) -> Result<EngineBuilder, Error> {
        let key = self.hmac_key()?;
        let mut detectors = if self.defaults {
            Config::default().detectors
        } else {
            BTreeMap::new()
        };
        for (id, v) in &self.detectors {
            detectors.insert(id.clone(), v.clone());
        }
        let mut b = EngineBuilder::new();
        if let Some(n) = self.max_line_len {
            if n < 4096 {
                return Err(Error::config(
                    "max_line_len",
                    "must be at least 4096",
                ));
            }
            b.max_line_len(n);
        }
        for (id, v) in detectors {
            let path = format!("detectors.{id}");
            if let Some(built) = build_one(registry, v, key.clone())
                .map_err(|e| e.within(&path))?
            {
                b.detector_with_mask(id, built.0, built.1);
            }
        }
        b.format(self.format);
        b.key_rules(self.key_rules(&b)?);
        Ok(b)
    }

    /// The shipped key rules (`patterns/keys.toml`) plus the config's.
    fn key_rules(&self, b: &EngineBuilder) -> Result<KeyRules, Error> {
        let shipped: KeysConfig = toml::from_str(patterns::KEY_RULES)
            .expect("patterns/keys.toml is valid");
        let mut never: Vec<&str> =
            self.keys.never.iter().map(String::as_str).collect();
        let mut always = Vec::new();
        for (i, r) in self.keys.always.iter().enumerate() {
            let d = b.index_of(&r.detector).ok_or_else(|| {
                Error::config(
                    format!("keys.always[{i}].detector"),
                    format!("no enabled detector {:?}", r.detector),
                )
            })?;
            always.extend(r.paths.iter().map(|p| (p.as_str(), d)));
        }
        let mut shipped_always = Vec::new();
        if self.keys.defaults {
            never.extend(shipped.never.iter().map(String::as_str));
            // A shipped rule whose detector is disabled is left out.
            for r in &shipped.always {
                if let Some(d) = b.index_of(&r.detector) {
                    shipped_always
                        .extend(r.paths.iter().map(|p| (p.clone(), d)));
                }
            }
        }
        always.extend(shipped_always.iter().map(|(p, d)| (p.as_str(), *d)));
        Ok(KeyRules::new(never, always))
    }

    fn hmac_key(&self) -> Result<Option<Arc<HmacKey>>, Error> {
        let raw = if let Some(f) = &self.hmac.key_file {
            let bytes = std::fs::read(f).map_err(|e| {
                Error::io(format!("cannot read {}", f.display()), e)
                    .within("hmac.key_file")
            })?;
            Some(trim_newline(bytes))
        } else {
            let var = self.hmac.key_env.as_deref().unwrap_or(HMAC_KEY_ENV);
            match std::env::var_os(var) {
                Some(v) => Some(v.into_encoded_bytes()),
                None if self.hmac.key_env.is_some() => {
                    return Err(Error::config(
                        "hmac.key_env",
                        format!("environment variable {var} is not set"),
                    ))
                }
                None => None,
            }
        };
        raw.map(|k| HmacKey::new(k).map(Arc::new).map_err(|e| e.within("")))
            .transpose()
    }
}

fn trim_newline(mut v: Vec<u8>) -> Vec<u8> {
    while v.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        v.pop();
    }
    v
}

type Built = (Box<dyn crate::Detector>, Mask);

/// Builds one detector table; `None` when it is disabled.
fn build_one(
    registry: &Registry,
    v: serde_json::Value,
    key: Option<Arc<HmacKey>>,
) -> Result<Option<Built>, Error> {
    let serde_json::Value::Object(mut table) = v else {
        return Err(Error::config("", "must be a table"));
    };
    let enabled = match table.remove("enabled") {
        None => true,
        Some(serde_json::Value::Bool(b)) => b,
        Some(_) => {
            return Err(Error::config("enabled", "must be true or false"))
        }
    };
    let ty = match table.remove("type") {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(Error::config("type", "must be a string")),
        None => return Err(Error::config("type", "missing")),
    };
    let mask = table
        .remove("mask")
        .map(|m| {
            serde_path_to_error::deserialize::<_, MaskSpec>(m).map_err(|_| {
                Error::config(
                    "mask",
                    "expected one of last4, card, sha256, hmac, name, \
                         full, or a table { type = …, … }",
                )
            })
        })
        .transpose()?;
    let (det, default_mask) =
        registry.build(&ty, serde_json::Value::Object(table))?;
    if !enabled {
        return Ok(None);
    }
    let mut t = mask.unwrap_or(MaskSpec::Kind(default_mask)).table();
    let kind = det.kind().to_string();
    // A CVV is never shown in part, whatever the config says.
    if ty == "cvv" {
        t.kind = MaskKind::Full;
    }
    // A plain hash of a card or account number can be reversed by trying
    // every number (few digits are unknown): with a key, use HMAC.
    if (ty == "card" || ty == "bank")
        && t.kind == MaskKind::Sha256
        && key.is_some()
    {
        t.kind = MaskKind::Hmac;
    }
    let mask = Mask::new(&t, &kind, key)?;
    Ok(Some((det, mask)))
}

fn path_error<E: std::fmt::Display>(
    e: serde_path_to_error::Error<E>,
) -> Error {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let msg = e.into_inner().to_string();
    // toml's messages carry a source excerpt; keep the first line.
    let msg = msg.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Error::config(path, msg.trim())
}
