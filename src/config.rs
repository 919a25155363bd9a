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
use crate::mask::{HmacKey, Mask, MaskSpec};
use crate::patterns;

/// The shipped default configuration (`patterns/default.toml`), as
/// `logredact --print-default-config` writes it.
pub const DEFAULT_CONFIG: &str = patterns::DEFAULT_CONFIG;

/// Environment variable read for the HMAC key when the config names none.
pub const HMAC_KEY_ENV: &str = "LOGREDACT_HMAC_KEY";

/// The whole configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Start from the shipped default detectors (default `true`).
    #[serde(default = "crate::detect::yes")]
    pub defaults: bool,
    /// Detectors by id. A table given here replaces the shipped one of
    /// the same id (unless `defaults = false`, which drops them all).
    #[serde(default)]
    pub detectors: BTreeMap<String, DetectorTable>,
    /// Where the HMAC key comes from.
    #[serde(default)]
    pub hmac: HmacConfig,
    /// Longest line held whole, in bytes; longer lines are scanned in
    /// overlapping windows (default 1 MiB).
    #[serde(default)]
    pub max_line_len: Option<usize>,
    /// How lines are parsed: auto (default), plain, json, logfmt, syslog,
    /// xml.
    #[serde(default)]
    pub format: Format,
    /// Key rules for structured fields.
    #[serde(default)]
    pub keys: KeysConfig,
    /// The `[serve]` table: settings of `logredact serve` (feature
    /// `serve`), kept raw here and read by `serve::ServeConfig`.
    #[serde(default)]
    pub serve: Option<serde_json::Value>,
    /// The `[audit]` table: the audit log and leak alerts of the filter
    /// and of `logredact serve` (see [`crate::audit`]).
    #[serde(default)]
    pub audit: Option<crate::audit::AuditConfig>,
}

/// One `[detectors.<id>]` table, in the shape of Vector's component
/// "outer" configs: the keys every detector has, typed here, and the
/// type's own keys, kept raw for the [`Registry`] to deserialise into the
/// type's [`DetectorConfig`](crate::DetectorConfig).
///
/// There is no `deny_unknown_fields` here (serde does not support it
/// beside `flatten`): every key not named below is the type's, and the
/// type's config rejects the ones it does not know, naming them.
#[derive(Clone, Debug, Deserialize)]
#[serde(expecting = "a detector table { type = …, … }")]
pub struct DetectorTable {
    /// The detector type: a name in the [`Registry`] (`card`, `token` …).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the detector runs (default `true`); `false` turns a
    /// shipped detector off.
    #[serde(default = "crate::detect::yes")]
    pub enabled: bool,
    /// The mask; `None`: the type's default.
    #[serde(default)]
    pub mask: Option<MaskSpec>,
    /// The type's own keys (`any_network`, `pattern` …).
    #[serde(flatten)]
    pub options: serde_json::Map<String, serde_json::Value>,
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

impl Default for Engine {
    /// An engine of the shipped default detectors and masks
    /// ([`Config::default`]).
    fn default() -> Engine {
        Config::default().build().expect("the shipped defaults are valid")
    }
}

impl Config {
    /// Parses a TOML config.
    ///
    /// # Errors
    /// Syntax errors, unknown keys and values of the wrong shape (a
    /// detector's `mask`, `type` or `enabled` included), naming the key,
    /// with serde's message and the line and column.
    pub fn from_toml(s: &str) -> Result<Config, Error> {
        let de = toml::Deserializer::new(s);
        serde_path_to_error::deserialize(de)
            .map_err(|e| Error::at_serde_path(e, |e| toml_message(s, e)))
    }

    /// Parses a JSON config.
    ///
    /// # Errors
    /// As [`Config::from_toml`].
    pub fn from_json(s: &str) -> Result<Config, Error> {
        let mut de = serde_json::Deserializer::from_str(s);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            Error::at_serde_path(e, |e| e.to_string().trim().to_string())
        })
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
    /// An unknown detector type, a bad or unknown option of the type, an
    /// invalid regex, an `hmac` mask without a usable key, a bad mask
    /// option. The message names the key (`detectors.<id>.…`).
    pub fn build_with(&self, registry: &Registry) -> Result<Engine, Error> {
        self.builder_with(registry)?.build()
    }

    /// The builder of [`Config::build_with`].
    pub(crate) fn builder_with(
        &self,
        registry: &Registry,
    ) -> Result<EngineBuilder, Error> {
        let key = self.hmac_key()?;
        let mut detectors = if self.defaults {
            Config::default().detectors
        } else {
            BTreeMap::new()
        };
        for (id, t) in &self.detectors {
            detectors.insert(id.clone(), t.clone());
        }
        let mut b = EngineBuilder::new();
        b.fingerprint_key(key.clone());
        if let Some(n) = self.max_line_len {
            // Checked by the builder: its error names `max_line_len`.
            b.max_line_len(n);
        }
        for (id, t) in detectors {
            let path = format!("detectors.{id}");
            if let Some(built) = build_one(registry, t, key.clone())
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

/// Builds one detector table; `None` when it is disabled. Its type's
/// keys are checked even then, so a typo never waits for the day the
/// detector is turned on.
fn build_one(
    registry: &Registry,
    t: DetectorTable,
    key: Option<Arc<HmacKey>>,
) -> Result<Option<Built>, Error> {
    let keyed = key.is_some();
    let (det, m) = registry.build(&t.ty, t.options, t.mask.as_ref(), keyed)?;
    if !t.enabled {
        return Ok(None);
    }
    let kind = det.kind().to_string();
    let mask = Mask::new(&m, &kind, key)?;
    Ok(Some((det, mask)))
}

/// toml's own message and where it is, on one line: its `Display` puts
/// a source excerpt between the position and the message, over several
/// lines, of which an error can show only one.
fn toml_message(src: &str, e: toml::de::Error) -> String {
    let msg: Vec<&str> =
        e.message().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut msg = msg.join("; ");
    if let Some(at) = e.span().map(|s| s.start.min(src.len())) {
        let before = src.get(..at).unwrap_or(src);
        let line = before.matches('\n').count() + 1;
        let column =
            before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        msg.push_str(&format!(" (line {line}, column {column})"));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(toml: &str) -> Error {
        match Config::from_toml(toml).and_then(|c| c.build()) {
            Ok(_) => panic!("{toml}: no error"),
            Err(e) => e,
        }
    }

    /// Each malformed common key is named by its full path, with serde's
    /// message (not a fixed list of masks) and where it is in the file.
    #[test]
    fn common_keys_are_typed_and_named() {
        let t = |toml: &str, path: &str, msg: &str| {
            let e = err(&format!("[detectors.x]\n{toml}"));
            assert_eq!(e.path(), Some(path), "{toml}: {e}");
            assert_eq!(e.to_string(), format!("{path}: {msg}"), "{toml}");
        };
        t(
            "type = \"card\"\nmask = \"last5\"\n",
            "detectors.x.mask",
            "unknown variant `last5`, expected one of `last4`, `card`, \
             `sha256`, `hmac`, `name`, `email`, `phone`, `year`, `full`, `ip` \
             (line 3, column 8)",
        );
        t(
            "type = \"card\"\nmask = { type = \"card\", x = 1 }\n",
            "detectors.x.mask.x",
            "unknown field `x`, expected one of `type`, `replacement`, \
             `hash_len`, `keep_first6`, `hash_local` (line 3, column 25)",
        );
        t(
            "type = \"card\"\nmask = { type = \"nope\" }\n",
            "detectors.x.mask.type",
            "unknown variant `nope`, expected one of `last4`, `card`, \
             `sha256`, `hmac`, `name`, `email`, `phone`, `year`, `full`, `ip` \
             (line 3, column 17)",
        );
        t(
            "type = \"card\"\nmask = 3\n",
            "detectors.x.mask",
            "invalid type: integer `3`, expected a mask (last4, card, \
             sha256, hmac, name, email, phone, year, full, ip) or a table { type = …, … } \
             (line 3, column 8)",
        );
        t(
            "type = 1\n",
            "detectors.x.type",
            "invalid type: integer `1`, expected a string (line 2, column 8)",
        );
        t(
            "type = \"card\"\nenabled = \"maybe\"\n",
            "detectors.x.enabled",
            "invalid type: string \"maybe\", expected a boolean \
             (line 3, column 11)",
        );
        t(
            "enabled = false\n",
            "detectors.x",
            "missing field `type` (line 1, column 1)",
        );
        t(
            "type = \"card\"\nbogus = 1\n",
            "detectors.x.bogus",
            "unknown field `bogus`, expected `any_network`",
        );
        t(
            "type = \"nope\"\n",
            "detectors.x.type",
            "unknown detector type \"nope\"; known: [\"bank\", \"card\", \
             \"command_line\", \"cvv\", \"dob\", \"email\", \"ip\", \"name\", \
             \"national_id\", \"phone\", \"regex\", \"token\"]",
        );
        let e = err("[detectors]\nx = 1\n");
        assert_eq!(
            e.to_string(),
            "detectors.x: invalid type: integer `1`, expected a detector \
             table { type = …, … } (line 2, column 5)"
        );
    }

    #[test]
    fn json_configs_name_the_path_too() {
        let e = Config::from_json(
            r#"{"detectors": {"x": {"type": "card", "mask": "last5"}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), Some("detectors.x.mask"));
        assert!(e.to_string().contains("unknown variant `last5`"), "{e}");
    }

    #[test]
    fn toml_syntax_errors_keep_their_position() {
        let e = err("defaults = true\nformat = \n");
        assert_eq!(e.path(), Some(""));
        assert!(e.to_string().ends_with("(line 2, column 10)"), "{e}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }

    /// A user table replaces the shipped one of the same id, whole: its
    /// keys are not merged into the shipped ones.
    #[test]
    fn user_tables_replace_shipped_ones_by_id() {
        let line = b"card 4111111111111111 password=hunter2abc";
        let shipped = Config::default().build().unwrap();
        let c = Config::from_toml(
            "[detectors.card]\ntype = \"card\"\nenabled = false\n",
        )
        .unwrap();
        assert!(Config::default().detectors.contains_key("card"));
        let e = c.build().unwrap();
        assert_eq!(e.len(), shipped.len() - 1);
        let out = e.redact(line);
        assert!(out.starts_with(b"card 4111111111111111 "), "{out:?}");
        assert!(!out.ends_with(b"hunter2abc"));
        let c = Config::from_toml(
            "[detectors.card]\ntype = \"card\"\nmask = \"last4\"\n",
        )
        .unwrap();
        assert_eq!(
            &c.build().unwrap().redact(b"card 4111111111111111")[..],
            b"card ****1111"
        );
    }
}
