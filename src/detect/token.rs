//! Tokens and API keys: known formats from `patterns/tokens.toml`, and the
//! value of any secret-ish key or header whatever its shape.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::Regex;
use serde::Deserialize;

use super::keys::{is_delim, left_boundary, KeyScanner, Sep};
use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
/// A token rule, as in `patterns/tokens.toml` and `extra_rules`.
pub use crate::patterns::TokenRule;
use crate::span::{Match, Span};

/// Config of the `token` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenConfig {
    /// Rules added to the shipped `patterns/tokens.toml`.
    #[serde(default)]
    pub extra_rules: Vec<TokenRule>,
    /// Secret keys added to the shipped list.
    #[serde(default)]
    pub extra_keys: Vec<String>,
    /// Leave out the shipped rules with these names.
    #[serde(default)]
    pub disable_rules: Vec<String>,
    /// Do not mask values by their key alone, only known formats.
    #[serde(default)]
    pub formats_only: bool,
}

impl DetectorConfig for TokenConfig {
    const TYPE: &'static str = "token";
    fn default_mask() -> MaskKind {
        MaskKind::Last4
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut rules = Vec::new();
        let mut prefixes = Vec::new();
        let mut prefix_rule = Vec::new();
        // Each rule with its index in its own list, for errors.
        let all = patterns::token_rules()
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i, r, "rule"));
        let extra = self
            .extra_rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i, r, "extra_rules"));
        for (i, r, path) in all.chain(extra) {
            if self.disable_rules.contains(&r.name) {
                continue;
            }
            let re = regex::bytes::RegexBuilder::new(&format!(
                "^(?:{})",
                r.pattern
            ))
            .size_limit(1 << 22)
            .build()
            .map_err(|e| Error::config(format!("{path}[{i}].pattern"), e))?;
            if r.prefixes.is_empty() {
                return Err(Error::config(
                    format!("{path}[{i}].prefixes"),
                    "at least one literal prefix is needed",
                ));
            }
            for p in &r.prefixes {
                prefixes.push(p.clone());
                prefix_rule.push(rules.len());
            }
            let end = r
                .end
                .as_deref()
                .map(|e| {
                    regex::bytes::RegexBuilder::new(e)
                        .size_limit(1 << 22)
                        .build()
                })
                .transpose()
                .map_err(|e| Error::config(format!("{path}[{i}].end"), e))?;
            let secret_group = re.capture_names().any(|n| n == Some("secret"));
            if end.is_some() && secret_group {
                return Err(Error::config(
                    format!("{path}[{i}].end"),
                    "a rule with `end` cannot have a `secret` group: its \
                     secret runs from the pattern's end",
                ));
            }
            rules.push(Rule {
                name: r.name,
                end,
                secret_group,
                re,
                keep: r.keep,
                min_len: r.min_len.max(8),
                credential: r.credential,
            });
        }
        let ac = AhoCorasickBuilder::new()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&prefixes)
            .map_err(|e| Error::config("rule", e))?;
        let secret = patterns::family("secret");
        let mut words = secret.words;
        words.extend(self.extra_keys);
        let keys = KeyScanner::new(&[
            words,
            secret.session,
            secret.ambiguous,
            secret.not_keys,
        ])
        .map_err(|e| Error::config("extra_keys", e))?
        .loose_suffixes(SECRET, 6);
        let key_rule = rules.len() as u16;
        #[cfg(target_arch = "x86_64")]
        let first_prefix = crate::simd::Finder::new(
            &prefixes
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect::<Vec<_>>(),
        );
        Ok(Box::new(Token {
            prefixes,
            ac,
            #[cfg(target_arch = "x86_64")]
            first_prefix,
            prefix_rule,
            rules,
            keys: (!self.formats_only).then_some(keys),
            not_secret: by_length(&secret.not_secret),
            key_rule,
        }))
    }
}

#[derive(Debug)]
struct Rule {
    name: String,
    re: Regex,
    /// A block secret's end (see `TokenRule::end`).
    end: Option<Regex>,
    secret_group: bool,
    keep: usize,
    min_len: usize,
    credential: bool,
}

/// The `token` detector.
#[derive(Debug)]
pub struct Token {
    prefixes: Vec<String>,
    ac: AhoCorasick,
    /// Where the first prefix starts, found 32 bytes a step: the
    /// automaton starts there, and a line with none (woken by a key)
    /// skips it.
    #[cfg(target_arch = "x86_64")]
    first_prefix: Option<crate::simd::Finder>,
    prefix_rule: Vec<usize>,
    rules: Vec<Rule>,
    keys: Option<KeyScanner>,
    /// The values that are flags, not secrets, lower case, by length
    /// (a value is compared with those of its length only).
    not_secret: Vec<Vec<Vec<u8>>>,
    /// Rule index reported for values found by their key.
    key_rule: u16,
}

// Keyword families of the key scanner (see `patterns/keywords.toml`).
/// Secret keys.
const SECRET: usize = 0;
/// Session keys: a secret when credential-shaped.
const SESSION: usize = 1;
/// Short secret words: a secret unless the value reads as something else.
const AMBIGUOUS: usize = 2;
/// Keys that end in a secret word but hold none (`ClientToken`).
const NOT_SECRET_KEY: usize = 3;

/// A value that reads as something other than a secret: a filesystem
/// path (`/home/deploy`, `~/x`, `./x`, `C:\x`), a URL without
/// credentials (`https://host/x`, not `https://u:p@host`) or a duration
/// (`30s`, `1.5ms`).
fn reads_as_other(v: &[u8]) -> bool {
    let path = (v.starts_with(b"/") && v.len() > 1 && v[1] != b'/')
        || v.starts_with(b"~/")
        || v.starts_with(b"./")
        || v.starts_with(b"../")
        || (v.len() > 2
            && v[0].is_ascii_alphabetic()
            && v[1] == b':'
            && v[2] == b'\\');
    if path {
        return !v.iter().any(|&b| b == b' ' || b == b'@');
    }
    if let Some(p) = memchr::memmem::find(v, b"://") {
        let rest = &v[p + 3..];
        let host_end =
            rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        return p > 0
            && v[..p].iter().all(u8::is_ascii_alphabetic)
            && !rest[..host_end].contains(&b'@');
    }
    let digits = v.iter().take_while(|b| b.is_ascii_digit() || **b == b'.');
    let n = digits.count();
    n > 0
        && v[0].is_ascii_digit()
        && matches!(&v[n..], b"ms" | b"s" | b"m" | b"h" | b"us" | b"ns")
}

/// At least 16 characters, letters and digits, not a `0x…` number nor
/// a Windows security identifier (`S-1-5-21-…` under `UserSid`): the
/// shape of a session id or cookie value rather than a counter or a name.
fn credential_like(v: &[u8]) -> bool {
    let windows_sid = v.starts_with(b"S-1-")
        && v[4..].iter().all(|&b| b.is_ascii_digit() || b == b'-');
    v.len() >= 16
        && !v.starts_with(b"0x")
        && !windows_sid
        && !resource_id(v)
        && v.iter().any(u8::is_ascii_alphabetic)
        && v.iter().any(u8::is_ascii_digit)
}

/// True when the unquoted word at `v` reads as a random credential: 20
/// characters or more of a token's alphabet, with digits and both letter
/// cases (so no word, number, hex digest, UUID, path or host name), ending
/// its field.
fn random_credential(hay: &[u8], v: Span) -> bool {
    let w = &hay[v];
    w.len() >= 20
        && hay.get(v.end).is_none_or(|&b| is_delim(b))
        && w.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"_-+=~".contains(&b))
        && w.iter().any(u8::is_ascii_digit)
        && w.iter().any(u8::is_ascii_lowercase)
        && w.iter().any(u8::is_ascii_uppercase)
        && !placeholder(w)
}

/// A cloud resource's id: a short lower-case type, `-`, hex digits
/// (`tms-05e1e21760419`, `sg-0a1b2c3d`): it names a thing, it opens none.
fn resource_id(v: &[u8]) -> bool {
    match v.iter().position(|&b| b == b'-') {
        Some(p) => {
            (1..=8).contains(&p)
                && v[..p].iter().all(u8::is_ascii_lowercase)
                && v.len() - p > 8
                && v[p + 1..]
                    .iter()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        }
        None => false,
    }
}

/// HTTP authorization schemes: after `Authorization:`, the credential is
/// the word that follows the scheme.
pub(crate) const SCHEMES: [&str; 7] =
    ["bearer", "basic", "token", "digest", "negotiate", "apikey", "hmac"];

/// The length of the scheme word and its space when `value` starts with
/// one of [`SCHEMES`] (any case) then a space: 7 for `Bearer abc…`, the
/// part a masked `Authorization` value keeps. `None` otherwise.
pub(crate) fn scheme_len(value: &[u8]) -> Option<usize> {
    let n = value.iter().position(|&b| b == b' ')?;
    let word = &value[..n];
    SCHEMES
        .iter()
        .any(|s| word.eq_ignore_ascii_case(s.as_bytes()))
        .then_some(n + 1)
}

impl Detector for Token {
    fn kind(&self) -> &str {
        "token"
    }

    fn triggers(&self) -> Triggers {
        let mut literals: Vec<String> = self.prefixes.clone();
        if let Some(k) = &self.keys {
            literals.extend(k.literals());
        }
        Triggers::literals(literals)
    }

    fn rule_name(&self, rule: u16) -> &str {
        match self.rules.get(rule as usize) {
            Some(r) => &r.name,
            None if rule == self.key_rule => "secret_key",
            None => "secret_word_in_prose",
        }
    }

    fn may_mask_whole(&self, value: &[u8]) -> bool {
        !self.withheld(value)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        let mut last_end = 0;
        // Where the next search starts: past the last token found.
        let mut at = 0;
        'search: loop {
            #[cfg(target_arch = "x86_64")]
            let from = match &self.first_prefix {
                Some(f) => match f.find(hay, at) {
                    Some((s, ..)) => s,
                    None => break,
                },
                None => at,
            };
            #[cfg(not(target_arch = "x86_64"))]
            let from = at;
            let matches = self.ac.find_overlapping_iter(
                aho_corasick::Input::new(hay).span(from..hay.len()),
            );
            for m in matches {
                let s = m.start();
                // A prefix that starts with a letter or digit must start a
                // word (`task_test_…` holds no `sk_test_` key); `://` need
                // not.
                let starts_word = hay[s].is_ascii_alphanumeric();
                if s < last_end
                    || (starts_word
                        && s > 0
                        && hay[s - 1].is_ascii_alphanumeric())
                {
                    continue;
                }
                let ri = self.prefix_rule[m.pattern().as_usize()];
                if let Some(found) = self.rules[ri].at(hay, s) {
                    last_end = found.span.end;
                    out.push(found.rule(ri as u16));
                    // Every prefix seen so far ends by `m`'s end; when the
                    // token runs past it, those still to come that start
                    // inside it are skipped anyway, so search again from
                    // its end rather than walk it with the automaton.
                    if last_end >= m.end() {
                        at = last_end;
                        continue 'search;
                    }
                }
            }
            break;
        }
        if let Some(keys) = &self.keys {
            keys.scan_input(input, |h| {
                if h.sep == Sep::Space && !h.flag {
                    // `using static token W9O4oiAV…`: in prose, a secret
                    // word is followed by a secret only when the word
                    // after it reads as a random credential.
                    if h.family == SECRET && random_credential(hay, h.value) {
                        out.push(Match::new(h.value).rule(self.key_rule + 1));
                    }
                    return;
                }
                if h.family == NOT_SECRET_KEY {
                    return;
                }
                if h.family == SESSION && !credential_like(&hay[h.value]) {
                    return;
                }
                if h.family == AMBIGUOUS && reads_as_other(&hay[h.value]) {
                    return;
                }
                // `pam_unix(chpasswd:chauthtok)`: a keyword glued to the
                // end of a longer word (`dbpassword=`) is a key only when
                // its `:` reads as one, followed by a blank or a quote.
                let glued = !left_boundary(hay, h.key.start);
                // `arn:…:secret:name`: a keyword between colons is a
                // part of an identifier's path.
                let in_path = h.key.start > 0
                    && hay[h.key.start - 1] == b':'
                    && hay.get(h.key.end) == Some(&b':');
                if (glued || in_path)
                    && hay.get(h.key.end) == Some(&b':')
                    && !matches!(
                        hay.get(h.key.end + 1),
                        Some(b' ' | b'\t' | b'"' | b'\'')
                    )
                {
                    return;
                }
                let mut value = h.value;
                if h.family == SESSION {
                    // `Set-Cookie: session=…`: keep the cookie's name.
                    let v = &hay[value];
                    if let Some(eq) = v.iter().position(|&b| b == b'=') {
                        if v[..eq].iter().all(|&b| is_word(b) || b == b'.') {
                            value.start += eq + 1;
                        }
                    }
                }
                if let Some(v) = self.key_value(hay, value, h.quoted) {
                    out.push(Match::new(v).rule(self.key_rule));
                }
            });
        }
    }
}

impl Rule {
    fn at(&self, hay: &[u8], s: usize) -> Option<Match> {
        let (span, whole_end) = if let Some(end) = &self.end {
            let from = s + self.re.find(&hay[s..])?.end();
            match end.find(&hay[from..]) {
                Some(e) => (Span::new(from, from + e.start()), from + e.end()),
                None => (Span::new(from, hay.len()), hay.len()),
            }
        } else if self.secret_group {
            let c = self.re.captures(&hay[s..])?;
            let g = c.name("secret")?;
            (Span::new(s + g.start(), s + g.end()), s + c.get(0)?.end())
        } else {
            let m = self.re.find(&hay[s..])?;
            (Span::new(s, s + m.end()), s + m.end())
        };
        // A token cut short by the pattern is still part of a longer word
        // (a UTF-8 letter continues it too), or a `####` placeholder.
        if !self.secret_group
            && self.end.is_none()
            && hay
                .get(whole_end)
                .is_some_and(|&b| is_word(b) || b >= 0x80 || b == b'#')
        {
            return None;
        }
        let body = &hay[span.start + self.keep.min(span.len())..span.end];
        if body.len() < self.min_len.min(span.len()) || placeholder(body) {
            return None;
        }
        if self.credential && !credential_shaped(hay, span) {
            return None;
        }
        Some(Match::new(span).prefix(self.keep))
    }
}

/// A credential ends its field (`Bearer abc123 ` but not
/// `bearer expires_in=3600`) and is not a plain word (`basic
/// authentication`): it holds a digit, both letter cases or `=` padding.
fn credential_shaped(hay: &[u8], span: Span) -> bool {
    let v = &hay[span];
    let ends_field = hay.get(span.end).is_none_or(|&b| is_delim(b));
    let digit = v.iter().any(u8::is_ascii_digit);
    let mixed = v.iter().any(u8::is_ascii_uppercase)
        && v.iter().any(u8::is_ascii_lowercase);
    ends_field && (digit || mixed || v.ends_with(b"="))
}

/// Placeholders written where a real token would be: `xxxx…`,
/// `AKIAIOSFODNN7EXAMPLE`, `abcdef-abcdef`.
fn placeholder(body: &[u8]) -> bool {
    // A bit a byte value: no table to clear per call. Counted 16 bytes
    // a step, up to the sixth distinct byte (a token has it early).
    let mut seen = [0u64; 4];
    let mut distinct = 0;
    for chunk in body.chunks(16) {
        for &b in chunk {
            seen[usize::from(b >> 6)] |= 1 << (b & 63);
        }
        distinct = seen.iter().map(|w| w.count_ones()).sum();
        if distinct >= 6 {
            break;
        }
    }
    distinct < 6 || has_placeholder_word(body)
}

/// Bodies at least this long are searched for the placeholder words 32
/// bytes a step; shorter ones a byte at a time (the test covers 15, 16).
#[cfg(target_arch = "x86_64")]
const LONG_BODY: usize = 16;

/// Whether one of [`PLACEHOLDER_WORDS`] occurs in `body`.
fn has_placeholder_word(body: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if body.len() >= LONG_BODY {
        // Made on first use: most inputs have no long token.
        static WORDS: std::sync::OnceLock<Option<crate::simd::Finder>> =
            std::sync::OnceLock::new();
        let words = WORDS.get_or_init(|| {
            crate::simd::Finder::new(
                &PLACEHOLDER_WORDS
                    .iter()
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect::<Vec<_>>(),
            )
        });
        if let Some(f) = words {
            return f.find(body, 0).is_some();
        }
    }
    placeholder_word_scan(body)
}

/// [`has_placeholder_word`] a byte at a time: one pass, comparing only
/// where a word's first byte is.
fn placeholder_word_scan(body: &[u8]) -> bool {
    (0..body.len()).any(|i| {
        let w = PLACEHOLDER_BY_FIRST[usize::from(body[i] | 0x20)];
        w != 0 && {
            let w = PLACEHOLDER_WORDS[usize::from(w - 1)];
            body.get(i..i + w.len()).is_some_and(|t| t.eq_ignore_ascii_case(w))
        }
    })
}

/// The placeholder word (index + 1) starting with a byte (folded as
/// `| 0x20`), 0 for none; the words' first bytes are distinct.
const PLACEHOLDER_BY_FIRST: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < PLACEHOLDER_WORDS.len() {
        let first = PLACEHOLDER_WORDS[i][0] as usize;
        assert!(first == first | 0x20, "a first byte that folds to itself");
        assert!(t[first] == 0, "placeholder words' first bytes are distinct");
        t[first] = i as u8 + 1;
        i += 1;
    }
    t
};

/// Words that mark a documentation placeholder rather than a token
/// (`…-YOUR_TOKEN_HERE`, `…EXAMPLE`); each is unlikely (< 1e-4) to occur
/// by chance in a random token. Matched ASCII case-insensitively,
/// anywhere in a token's body.
pub const PLACEHOLDER_WORDS: [&[u8]; 9] = [
    b"xxxx",
    b"****",
    b"example",
    b"here",
    b"your",
    b"dummy",
    b"sample",
    b"placeholder",
    b"changeme",
];

/// `words` lower-cased and grouped by length: entry `n` holds those of
/// `n` bytes.
fn by_length(words: &[String]) -> Vec<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<Vec<u8>>> = Vec::new();
    for w in words {
        let w = w.to_ascii_lowercase().into_bytes();
        if out.len() <= w.len() {
            out.resize(w.len() + 1, Vec::new());
        }
        out[w.len()].push(w);
    }
    out
}

impl Token {
    /// True when `val` is a flag rather than a secret (`null`, `true`,
    /// `redacted`, …): as `val.to_ascii_lowercase() == n`, with no copy of
    /// a long value.
    fn is_flag(&self, val: &[u8]) -> bool {
        self.not_secret.get(val.len()).is_some_and(|same| {
            same.iter().any(|n| val.eq_ignore_ascii_case(n))
        })
    }

    /// True when `val` stands where a secret was left out: a flag
    /// (`null`, `redacted`) or a notice in capitals and underscores
    /// (`HIDDEN_DUE_TO_SECURITY_REASONS`) that holds one.
    fn withheld(&self, val: &[u8]) -> bool {
        // `[FILTERED]` (Rails), `<redacted>`, `(hidden)`, `{MASKED}`.
        let val = match (val.first(), val.last()) {
            (Some(b'['), Some(b']'))
            | (Some(b'<'), Some(b'>'))
            | (Some(b'('), Some(b')'))
            | (Some(b'{'), Some(b'}'))
                if val.len() > 2 =>
            {
                &val[1..val.len() - 1]
            }
            _ => val,
        };
        let notice = val.len() >= 5
            && val.iter().all(|&b| b.is_ascii_uppercase() || b == b'_')
            && val
                .split(|&b| b == b'_')
                .any(|w| w.len() >= 5 && self.is_flag(w));
        notice || self.is_flag(val)
    }

    /// The secret part of a value found under a secret key, if it is one.
    fn key_value(&self, hay: &[u8], v: Span, quoted: bool) -> Option<Span> {
        let val = &hay[v];
        // `Authorization: Bearer abc…`: the credential follows the scheme.
        let word_end = memchr::memchr(b' ', val).unwrap_or(val.len());
        let scheme = &val[..word_end];
        if SCHEMES.iter().any(|s| scheme.eq_ignore_ascii_case(s.as_bytes())) {
            let mut s = v.start + word_end;
            while s < hay.len() && hay[s] == b' ' {
                s += 1;
            }
            let e = if quoted {
                v.end
            } else {
                hay[s..]
                    .iter()
                    .position(|&b| is_delim(b))
                    .map_or(hay.len(), |p| s + p)
            };
            // `Token: Token { kind: … }` is a printout, not a credential.
            let cred = &hay[s..e.max(s)];
            let shaped = cred.len() >= 6
                && cred.iter().all(|&b| {
                    b.is_ascii_alphanumeric() || b"._~+/=-".contains(&b)
                });
            return shaped.then(|| Span::new(s, e));
        }
        // `android.os.BinderProxy@2bd79ce`: Java's default printout of an
        // object (class name, `@`, hash), not a secret.
        if let Some(at) = memchr::memchr(b'@', val) {
            let (class, hash) = (&val[..at], &val[at + 1..]);
            if class.iter().filter(|&&b| b == b'.').count() >= 2
                && class.iter().all(|&b| is_word(b) || b == b'.' || b == b'$')
                && !hash.is_empty()
                && hash.iter().all(u8::is_ascii_hexdigit)
            {
                return None;
            }
        }
        // `token=Token{a64f992 …}`: an object's printout, not a secret.
        if let Some(p) = memchr::memchr3(b'{', b'(', b'[', val) {
            if p > 0
                && val[0].is_ascii_uppercase()
                && val[..p].iter().all(u8::is_ascii_alphanumeric)
            {
                return None;
            }
        }
        let is_flag = self.withheld(val);
        // Already masked, also with a kept public prefix
        // (`sk_live_****W3yZ`), so a second pass leaves it as it is.
        let masked = val.iter().all(|&b| b == b'*' || b == b'x' || b == b'X')
            || memchr::memmem::find(val, b"****").is_some()
            || val.starts_with(b"[REDACTED")
            || val.starts_with(b"sha256:")
            || val.starts_with(b"hmac:")
            || val.starts_with(b"${")
            || val.starts_with(b"{{")
            // `--password=$DB_PASS`, `password=%s`: it stands for one.
            || super::command::stands_for_secret(val);
        (!is_flag && !masked).then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = TokenConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| (m.span.start, m.span.end));
        out.dedup_by_key(|m| m.span);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn known_formats() {
        for t in [
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "tok_1JkLmNoPqRsTuVwX1234",
            "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",
            "xoxb-263594206564-FGqddMF8t08v8N7Oq4i57vs1",
            "AKIAPZBRLPA3IFTLTQL6",
            "AIzaSyZGxOPrcxL5wTBBFRNTUWrAonaGVisAonW",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abcDEF123_-",
        ] {
            assert_eq!(found(&format!("created {t} ok")), vec![t], "{t}");
        }
        assert_eq!(
            found("Authorization: Bearer abcdefgh12345678"),
            vec!["abcdefgh12345678"]
        );
        assert_eq!(
            found("https://bob:hunter22@db.example.com/x"),
            vec!["hunter22"]
        );
    }

    #[test]
    fn secret_keys() {
        assert_eq!(found("password=hunter2 user=x"), vec!["hunter2"]);
        assert_eq!(found(r#"{"client_secret":"abc def"}"#), vec!["abc def"]);
        assert_eq!(found("x-revolv3-token: 0a1b2c3d"), vec!["0a1b2c3d"]);
        assert_eq!(
            found("rotate --token deadbeef99 --quiet"),
            vec!["deadbeef99"]
        );
        assert_eq!(found("GET /x?api_key=abc123&limit=7"), vec!["abc123"]);
        // Past the line's last `:`, a flag; before it, assignments.
        assert_eq!(
            found("12:00:01 rotate --password hunter22 now"),
            vec!["hunter22"]
        );
        assert_eq!(found("a: password: hunter2 b:c"), vec!["hunter2"]);
        assert_eq!(
            found("Set-Cookie: session=ab12cd34ef56gh78ij; Path=/"),
            vec!["ab12cd34ef56gh78ij"]
        );
        assert_eq!(
            found("t=1 session=ab12cd34ef56gh78ij90"),
            vec!["ab12cd34ef56gh78ij90"]
        );
    }

    #[test]
    fn placeholder_words_anywhere_in_long_bodies() {
        let base: Vec<u8> =
            b"aB3dE5gH7jK9mN1pQ".iter().copied().cycle().take(130).collect();
        assert!(!has_placeholder_word(&base));
        for w in PLACEHOLDER_WORDS {
            for word in [w.to_vec(), w.to_ascii_uppercase()] {
                for len in [15, 16, 100, 130] {
                    for at in 0..=len - word.len() {
                        let mut b = base[..len].to_vec();
                        b[at..at + word.len()].copy_from_slice(&word);
                        assert!(has_placeholder_word(&b), "{b:?}");
                        assert!(placeholder_word_scan(&b), "{b:?}");
                    }
                    // Cut short by the body's end: no word.
                    let mut b = base[..len].to_vec();
                    let cut = &word[..word.len() - 1];
                    b[len - cut.len()..].copy_from_slice(cut);
                    assert!(!has_placeholder_word(&b), "{b:?}");
                }
            }
        }
    }

    #[test]
    fn not_tokens() {
        for h in [
            "token_type=bearer",
            "Failed password for invalid user bob",
            "sshd[24]: Failed password for root from 10.0.0.1",
            "Expiring session 0x34edfaa9c220022, timeout of 10000ms",
            "pam_unix(sshd:session): session closed for user test",
            "Session: 30546354_2953481110 initialized",
            "commit 4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "AKIAIOSFODNN7EXAMPLE",
            "task_test_6fw5rvqdsq3lpslnwmnkqqzxlcghfp",
            "password=null",
            "password=****",
            "api_key=sk_live_****W3yZ",
            "cus_4wo0069uB1stkh req_JgVcFTJ91fhQ2P",
        ] {
            assert!(found(h).is_empty(), "{h}: {:?}", found(h));
        }
    }
}
