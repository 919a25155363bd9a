//! The shipped detector data in `patterns/`, compiled into the binary.
//!
//! Defaults are data: keyword lists, token formats, card networks and
//! IBAN lengths live in `patterns/` and are parsed once, on first use.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The default configuration (`--print-default-config`).
pub(crate) const DEFAULT_CONFIG: &str =
    include_str!("../patterns/default.toml");
/// Key rules for structured fields.
pub(crate) const KEY_RULES: &str = include_str!("../patterns/keys.toml");
const KEYWORDS: &str = include_str!("../patterns/keywords.toml");
const TOKENS: &str = include_str!("../patterns/tokens.toml");
const CARDS: &str = include_str!("../patterns/cards.toml");
const COMMANDS: &str = include_str!("../patterns/commands.toml");
const NATIONAL_IDS: &str = include_str!("../patterns/national_ids.toml");
const IBAN: &str = include_str!("../patterns/iban.txt");
/// Generic top-level domains of email addresses, one per line.
pub(crate) const TLDS: &str = include_str!("../patterns/tlds.txt");
/// Domains whose `name@domain` strings name no mailbox, one per line.
pub(crate) const EMAIL_NOT_MAILBOXES: &str =
    include_str!("../patterns/email-not-mailboxes.txt");
/// Country calling codes and number lengths.
pub(crate) const PHONE: &str = include_str!("../patterns/phone.toml");
/// Given names, one per line.
pub(crate) const GIVEN_NAMES: &str =
    include_str!("../patterns/names/given.txt");
/// Family names, one per line.
pub(crate) const SURNAMES: &str =
    include_str!("../patterns/names/surnames.txt");
/// Common words that are not names, one per line.
pub(crate) const COMMON_WORDS: &str =
    include_str!("../patterns/names/common-words.txt");
/// Given names of many countries (Latin script), one per line.
pub(crate) const GIVEN_NAMES_INTL: &str =
    include_str!("../patterns/names/given-intl.txt");
/// Given names of many countries in their own scripts (Cyrillic, Greek,
/// …), one per line.
pub(crate) const GIVEN_NAMES_NATIVE: &str =
    include_str!("../patterns/names/given-intl-native.txt");

/// The `not_person` words of `keywords.toml`, lowercase, one per line, as
/// the name lists are written (the name detector's table points into
/// it, so it lives as long as the program).
pub(crate) fn not_person_words() -> &'static str {
    static W: OnceLock<String> = OnceLock::new();
    W.get_or_init(|| {
        let f = family("name_context");
        let mut w: Vec<String> =
            f.not_person.iter().map(|w| w.to_lowercase()).collect();
        w.sort();
        w.dedup();
        w.join("\n")
    })
}

/// One keyword family of `patterns/keywords.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Family {
    /// Keywords and phrases.
    #[serde(default)]
    pub(crate) words: Vec<String>,
    /// Short keywords matched only as a key (`dob=`, `"dob":`), never in
    /// prose.
    #[serde(default)]
    pub(crate) keys: Vec<String>,
    /// Values that are flags, not secrets (secret family).
    #[serde(default)]
    pub(crate) not_secret: Vec<String>,
    /// Keys whose values are secrets when they look like credentials
    /// (secret family).
    #[serde(default)]
    pub(crate) session: Vec<String>,
    /// Keys that end in a secret word but are no secret's (secret
    /// family).
    #[serde(default)]
    pub(crate) not_keys: Vec<String>,
    /// Short secret words whose values need a secret's shape (secret
    /// family).
    #[serde(default)]
    pub(crate) ambiguous: Vec<String>,
    /// Keys whose value may be a single word (name keys).
    #[serde(default)]
    pub(crate) single: Vec<String>,
    /// Strong context words (names).
    #[serde(default)]
    pub(crate) strong: Vec<String>,
    /// Weak context words (names).
    #[serde(default)]
    pub(crate) weak: Vec<String>,
    /// Titles (names): context only when capitalised.
    #[serde(default)]
    pub(crate) titles: Vec<String>,
    /// Keys that name a person only sometimes (names).
    #[serde(default)]
    pub(crate) vague: Vec<String>,
    /// Lower-case words inside a name (`van`, `de`).
    #[serde(default)]
    pub(crate) particles: Vec<String>,
    /// Words of places, organisations and products: no person's name
    /// holds one.
    #[serde(default)]
    pub(crate) not_person: Vec<String>,
    /// Where values bound to a statement are listed (names).
    #[serde(default)]
    pub(crate) bind_lists: Vec<String>,
    /// Account tools that set a user's full name (names).
    #[serde(default)]
    pub(crate) gecos_commands: Vec<String>,
    /// Their flags whose value is the full name (names).
    #[serde(default)]
    pub(crate) gecos_flags: Vec<String>,
}

/// All keyword families by name.
pub(crate) fn keywords() -> &'static BTreeMap<String, Family> {
    static K: OnceLock<BTreeMap<String, Family>> = OnceLock::new();
    K.get_or_init(|| {
        toml::from_str(KEYWORDS).expect("patterns/keywords.toml is valid")
    })
}

/// The family `name` (empty if absent).
pub(crate) fn family(name: &str) -> Family {
    keywords().get(name).cloned().unwrap_or_default()
}

/// One token format of `patterns/tokens.toml`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TokenRule {
    /// Rule name.
    pub name: String,
    /// Literals that start the token.
    pub prefixes: Vec<String>,
    /// Regex anchored at the prefix.
    pub pattern: String,
    /// For a block secret (a PEM key): a regex that ends it. The secret
    /// then runs from the end of `pattern`'s match to the first match of
    /// `end`, or to the end of the line if there is none; `pattern` has
    /// no `secret` group.
    #[serde(default)]
    pub end: Option<String>,
    /// Length of the public prefix that masks may keep.
    #[serde(default)]
    pub keep: usize,
    /// Shortest secret part accepted.
    #[serde(default)]
    pub min_len: usize,
    /// The secret is a credential after a scheme word (`Bearer …`): it
    /// must end the field and hold a digit or both letter cases, so prose
    /// (`basic authentication failed`) is left alone.
    #[serde(default)]
    pub credential: bool,
}

#[derive(Deserialize)]
struct TokenFile {
    rule: Vec<TokenRule>,
}

/// The shipped token rules.
pub(crate) fn token_rules() -> Vec<TokenRule> {
    let f: TokenFile =
        toml::from_str(TOKENS).expect("patterns/tokens.toml is valid");
    f.rule
}

/// One tool of `patterns/commands.toml`: a command-line program and the
/// flags it takes a password with.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ToolRule {
    /// Command words that name the tool (`mysql`, `mysqldump`).
    pub names: Vec<String>,
    /// Flags whose value is glued to them (`-pSECRET`).
    #[serde(default)]
    pub glued: Vec<String>,
    /// Flags whose value is the next word, after `=`, or glued to a
    /// one-letter flag.
    #[serde(default)]
    pub value: Vec<String>,
    /// Flags whose value is `user<separator>password`.
    #[serde(default)]
    pub user_pass: Vec<String>,
    /// The separator of `user_pass` values (default `:`).
    #[serde(default)]
    pub separator: Option<String>,
    /// Only values that start with it hold a secret, after it.
    #[serde(default)]
    pub value_prefix: Option<String>,
    /// The tool's commands whose last argument is a password (`AUTH`).
    #[serde(default)]
    pub commands: Vec<String>,
    /// Environment variables the tool reads its password from.
    #[serde(default)]
    pub env: Vec<String>,
}

/// The `[set]` table of `patterns/commands.toml`: settings written on
/// a command line (`config set KEY VALUE`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetRule {
    /// Phrases that introduce a key and its value.
    pub(crate) phrases: Vec<String>,
    /// Keys whose value is a secret, beside the secret keywords.
    pub(crate) keys: Vec<String>,
    /// Options before the key that take a value of their own.
    pub(crate) flags_with_value: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CommandFile {
    pub(crate) tool: Vec<ToolRule>,
    pub(crate) set: SetRule,
}

/// The shipped tools and settings.
pub(crate) fn commands() -> CommandFile {
    toml::from_str(COMMANDS).expect("patterns/commands.toml is valid")
}

/// One card network of `patterns/cards.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Network {
    /// Network name: read by people, checked by serde; findings are
    /// reported as kind `card` whatever the network.
    #[allow(dead_code)]
    pub(crate) name: String,
    /// IIN prefixes or inclusive ranges (`"51-55"`).
    pub(crate) iin: Vec<String>,
    /// Valid card lengths.
    pub(crate) lengths: Vec<usize>,
}

#[derive(Deserialize)]
struct CardFile {
    network: Vec<Network>,
}

/// The shipped card networks.
pub(crate) fn card_networks() -> Vec<Network> {
    let f: CardFile =
        toml::from_str(CARDS).expect("patterns/cards.toml is valid");
    f.network
}

/// One national identity number scheme of `patterns/national_ids.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdScheme {
    /// Rule name (`es_dni`).
    pub(crate) name: String,
    /// Name of the check in `detect/national_id/validators.rs`.
    pub(crate) validator: String,
    /// Keywords and phrases, matched in prose too.
    pub(crate) keywords: Vec<String>,
    /// Short keywords matched only as a key.
    #[serde(default)]
    pub(crate) keys: Vec<String>,
    /// Where the validator's rules come from: read by people, checked by
    /// serde.
    #[allow(dead_code)]
    pub(crate) source: String,
}

/// `patterns/national_ids.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NationalIds {
    /// Keywords that name no scheme.
    pub(crate) keywords: Vec<String>,
    /// The schemes, in the order their validators are tried.
    pub(crate) scheme: Vec<IdScheme>,
}

/// The shipped national id schemes.
pub(crate) fn national_ids() -> NationalIds {
    toml::from_str(NATIONAL_IDS).expect("patterns/national_ids.toml is valid")
}

/// IBAN length by two-letter country code.
pub(crate) fn iban_lengths() -> impl Iterator<Item = ([u8; 2], usize)> {
    data_lines(IBAN).filter_map(|l| {
        let (cc, len) = l.split_once(' ')?;
        let cc = cc.as_bytes();
        Some(([cc[0], cc[1]], len.trim().parse().ok()?))
    })
}

/// The non-empty, non-comment lines of a data file.
pub(crate) fn data_lines(s: &str) -> impl Iterator<Item = &str> {
    data_line_bytes(s)
        .map(|l| std::str::from_utf8(l).expect("cut at ASCII bytes"))
}

/// [`data_lines`] as bytes. The name lists are ~105,000 lines, read at
/// every start: split on bytes and trimmed as ASCII, as
/// `str::split('\n')` cost ~160 instructions a line.
pub(crate) fn data_line_bytes(s: &str) -> impl Iterator<Item = &[u8]> {
    s.as_bytes()
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty() && l[0] != b'#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_parses() {
        assert!(keywords().contains_key("secret"));
        assert!(token_rules().len() >= 20);
        assert!(card_networks().iter().any(|n| n.name == "visa"));
        assert!(commands()
            .tool
            .iter()
            .any(|t| t.names.contains(&"curl".into())));
        assert_eq!(iban_lengths().find(|(c, _)| c == b"DE").unwrap().1, 22);
        assert!(national_ids().scheme.iter().any(|s| s.name == "es_dni"));
        assert!(family("dob").keys.contains(&"dob".to_string()));
    }
}
