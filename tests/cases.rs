//! Data-driven table tests: one JSON file per detector or concern in
//! `tests/data/cases/`, each an array of records
//!
//! ```json
//! {"name": "…", "input": "…", "expected": "…", "config": "…"}
//! ```
//!
//! `config` (optional) is a TOML config, or a JSON one when it starts
//! with `{`; without it the record runs on `Engine::default()`. Every
//! record of a file is run and all failures are reported together, by
//! record name. Expected outputs were worked out from the documented
//! behaviour (issue text, module docs, `patterns/`), not copied from the
//! engine's output.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use logredact::{Config, Engine};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) input: String,
    expected: String,
    #[serde(default)]
    config: Option<String>,
    /// Why the expectation holds (for readers; not checked).
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

fn engine_for(config: Option<&str>) -> Result<Engine, String> {
    let Some(src) = config else { return Ok(Engine::default()) };
    let cfg = if src.trim_start().starts_with('{') {
        Config::from_json(src)
    } else {
        Config::from_toml(src)
    };
    cfg.and_then(|c| c.build()).map_err(|e| format!("bad config: {e}"))
}

pub(crate) fn is_json(b: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(b).is_ok()
}

/// Runs every record of one table through [`Engine::redact`];
/// panics with the list of failures. Shared with `formats.rs`.
pub(crate) fn run(file: &str, data: &str) {
    let cases: Vec<Case> = serde_json::from_str(data)
        .unwrap_or_else(|e| panic!("{file}: not a case table: {e}"));
    assert!(!cases.is_empty(), "{file}: no records");
    let mut names = BTreeSet::new();
    let mut engines: HashMap<Option<String>, Result<Engine, String>> =
        HashMap::new();
    let mut failures = Vec::new();
    let mut json_inputs = 0;
    for c in &cases {
        if !names.insert(c.name.as_str()) {
            failures.push(format!("{}: duplicate record name", c.name));
            continue;
        }
        let engine = engines
            .entry(c.config.clone())
            .or_insert_with(|| engine_for(c.config.as_deref()));
        let engine = match engine {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{}: {e}", c.name));
                continue;
            }
        };
        let out = engine.redact(c.input.as_bytes());
        let got = String::from_utf8_lossy(&out);
        if got != c.expected {
            failures.push(format!(
                "{}:\n      input:    {:?}\n      expected: {:?}\n      \
                 actual:   {:?}",
                c.name, c.input, c.expected, got
            ));
        }
        // Nothing to mask: the line comes back borrowed, unchanged.
        if got == c.input && matches!(out, Cow::Owned(_)) {
            failures.push(format!(
                "{}: nothing to mask, yet the output was allocated",
                c.name
            ));
        }
        // One line in, one line out.
        if out.contains(&b'\n') {
            failures.push(format!("{}: output holds a newline", c.name));
        }
        // Valid JSON in gives valid JSON out.
        if is_json(c.input.as_bytes()) {
            json_inputs += 1;
            if !is_json(&out) {
                failures.push(format!(
                    "{}: JSON input gave invalid JSON: {:?}",
                    c.name, got
                ));
            }
        }
    }
    println!(
        "{file}: {} records ({json_inputs} valid-JSON inputs), {} failures",
        cases.len(),
        failures.len()
    );
    if !failures.is_empty() {
        panic!(
            "{file}: {} of {} records failed:\n  - {}",
            failures.len(),
            cases.len(),
            failures.join("\n  - ")
        );
    }
}

macro_rules! table {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            run($file, include_str!(concat!("data/cases/", $file)));
        }
    };
}

table!(card_numbers_masked_and_lookalikes_kept, "card.json");
table!(cvv_only_right_after_a_keyword, "cvv.json");
table!(tokens_by_format_and_by_secret_key, "token.json");
table!(iban_account_and_routing_numbers, "bank.json");
table!(names_by_key_context_and_word_lists, "name.json");
table!(masks_follow_the_config, "mask.json");
table!(keyword_spellings_and_last_key_component, "keys.json");
table!(user_regex_detectors_from_config, "regex.json");
table!(precision_rules_and_their_counterparts, "precision.json");
table!(phone_numbers_by_plus_and_by_context, "phone.json");
table!(encoded_secrets_redacted_in_their_encoding, "decode.json");
table!(passwords_on_command_lines_and_in_sql, "command.json");
table!(ip_addresses_when_turned_on, "ip.json");
table!(national_ids_by_keyword_and_check, "national_id.json");
table!(dates_of_birth_after_a_keyword, "dob.json");
