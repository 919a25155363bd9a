//! Key rules for structured fields: keys whose values are always masked by
//! a given detector, and keys never touched (an allow-list), matched on
//! dotted key paths with `*` wildcards.

use crate::detect::Triggers;
use crate::fxhash::FxBuild;
use serde::Deserialize;

/// Key rules as written in configuration (`[keys]`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysConfig {
    /// Start from the shipped rules in `patterns/keys.toml` (default true).
    #[serde(default = "crate::detect::yes")]
    pub defaults: bool,
    /// Paths whose values are never touched.
    #[serde(default)]
    pub never: Vec<String>,
    /// Paths whose values are always masked.
    #[serde(default)]
    pub always: Vec<AlwaysRule>,
}

impl Default for KeysConfig {
    /// The shipped rules and nothing else.
    fn default() -> KeysConfig {
        KeysConfig { defaults: true, never: Vec::new(), always: Vec::new() }
    }
}

/// Values under `paths` are masked with detector `detector`'s mask.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlwaysRule {
    /// The id of a configured detector.
    pub detector: String,
    /// Key paths.
    pub paths: Vec<String>,
}

/// A compiled path pattern: normalised segments, `None` for `*`.
#[derive(Clone, Debug)]
struct Pattern(Vec<Option<Vec<u8>>>);

impl Pattern {
    fn new(p: &str) -> Pattern {
        Pattern(
            p.split('.')
                .map(
                    |s| if s == "*" { None } else { Some(norm(s.as_bytes())) },
                )
                .collect(),
        )
    }

    /// True when the pattern matches `path` (a pattern of one segment
    /// matches the last segment at any depth).
    fn matches(&self, path: &[u8]) -> bool {
        let mut segs = path.rsplit(|&b| b == b'.');
        let n = self.0.len();
        for want in self.0.iter().rev() {
            let Some(seg) = segs.next() else { return false };
            if let Some(w) = want {
                if !norm_eq(seg, w) {
                    return false;
                }
            }
        }
        n == 1 || segs.next().is_none()
    }
}

/// `cardNumber`, `card_number`, `card-number` → `card number`.
fn split_words(seg: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in seg.chars() {
        if c == '_' || c == '-' || c == ' ' {
            out.push(' ');
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Lower-case letters and digits only: `Card_Number` → `cardnumber`.
fn norm(s: &[u8]) -> Vec<u8> {
    s.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect()
}

fn norm_eq(seg: &[u8], want: &[u8]) -> bool {
    let mut it = seg
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase);
    for &w in want {
        if it.next() != Some(w) {
            return false;
        }
    }
    it.next().is_none()
}

/// What a key rule says about a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRule {
    /// Leave the value alone.
    Never,
    /// Mask the whole value with this detector's mask.
    Always(u16),
}

/// Compiled key rules.
#[derive(Clone, Debug, Default)]
pub struct KeyRules {
    never: Vec<Pattern>,
    always: Vec<(Pattern, u16)>,
    /// Rules by their normalised last segment, so a lookup tries only
    /// the rules that can match (it is done for every field of every
    /// structured line).
    never_by_last: ByLast,
    always_by_last: ByLast,
    /// The spellings of the always-rules' last segments: a line without
    /// any of them needs no key rule (`None`: a rule ends in `*`).
    literals: Option<Vec<String>>,
}

impl KeyRules {
    /// Rules from `never` paths and `(path, detector index)` pairs.
    pub fn new<'a>(
        never: impl IntoIterator<Item = &'a str>,
        always: impl IntoIterator<Item = (&'a str, u16)>,
    ) -> KeyRules {
        let always: Vec<(&str, u16)> = always.into_iter().collect();
        let mut lits = Vec::new();
        let mut wild = false;
        for (p, _) in &always {
            let last = p.rsplit('.').next().unwrap_or(p);
            if last == "*" {
                wild = true;
            }
            lits.extend(crate::detect::keys::spellings(&split_words(last)));
            lits.push(
                String::from_utf8(norm(last.as_bytes())).unwrap_or_default(),
            );
        }
        lits.retain(|l| !l.is_empty());
        let literals = if wild { None } else { Some(lits) };
        let never: Vec<Pattern> =
            never.into_iter().map(Pattern::new).collect();
        let always: Vec<(Pattern, u16)> =
            always.iter().map(|&(p, d)| (Pattern::new(p), d)).collect();
        KeyRules {
            never_by_last: ByLast::new(never.iter()),
            always_by_last: ByLast::new(always.iter().map(|(p, _)| p)),
            never,
            always,
            literals,
        }
    }

    /// What must occur in a line for an always-rule to apply to one of
    /// its fields (the rules' key names), for the engine's prefilter;
    /// `None` when there are no always-rules.
    pub(crate) fn triggers(&self) -> Option<Triggers> {
        match &self.literals {
            _ if self.always.is_empty() => None,
            Some(l) => {
                Some(Triggers { literals: l.clone(), ..Triggers::default() })
            }
            None => Some(Triggers::always()),
        }
    }

    /// The detector indices the always-rules mask with.
    pub(crate) fn detectors(&self) -> impl Iterator<Item = u16> + '_ {
        self.always.iter().map(|&(_, d)| d)
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.never.is_empty() && self.always.is_empty()
    }

    /// The rule for `path`, if any; `never` wins, then the first
    /// always-rule that matches.
    pub fn lookup(&self, path: &[u8]) -> Option<KeyRule> {
        if self.is_empty() {
            return None;
        }
        let last = path.rsplit(|&b| b == b'.').next().unwrap_or(path);
        let mut buf = [0u8; 64];
        let mut n = 0;
        for &b in last.iter().filter(|b| b.is_ascii_alphanumeric()) {
            if n == buf.len() {
                // Longer than any rule's segment: only `*` rules apply.
                n = usize::MAX;
                break;
            }
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
        let last = buf.get(..n);
        if self
            .never_by_last
            .candidates(last)
            .any(|i| self.never[i].matches(path))
        {
            return Some(KeyRule::Never);
        }
        self.always_by_last
            .candidates(last)
            .filter(|&i| self.always[i].0.matches(path))
            .min()
            .map(|i| KeyRule::Always(self.always[i].1))
    }
}

/// Indices of rules by normalised last segment, and of the rules whose
/// last segment is `*`.
#[derive(Clone, Debug, Default)]
struct ByLast {
    named: std::collections::HashMap<Vec<u8>, Vec<usize>, FxBuild>,
    wild: Vec<usize>,
}

impl ByLast {
    fn new<'a>(patterns: impl Iterator<Item = &'a Pattern>) -> ByLast {
        let mut b = ByLast::default();
        for (i, p) in patterns.enumerate() {
            match p.0.last() {
                Some(Some(seg)) => {
                    b.named.entry(seg.clone()).or_default().push(i)
                }
                _ => b.wild.push(i),
            }
        }
        b
    }

    /// The rules that may match a path whose normalised last segment is
    /// `last` (`None`: too long to be any rule's).
    fn candidates(
        &self,
        last: Option<&[u8]>,
    ) -> impl Iterator<Item = usize> + '_ {
        let named = last.and_then(|l| self.named.get(l));
        named.into_iter().flatten().chain(&self.wild).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns() {
        let r = KeyRules::new(
            ["trace_id", "meta.*.ref"],
            [("card_number", 0), ("payment.card.*", 1), ("*.token", 2)],
        );
        assert_eq!(r.lookup(b"traceId"), Some(KeyRule::Never));
        assert_eq!(r.lookup(b"a.b.trace-id"), Some(KeyRule::Never));
        assert_eq!(r.lookup(b"meta.x.ref"), Some(KeyRule::Never));
        assert_eq!(r.lookup(b"meta.ref"), None);
        assert_eq!(r.lookup(b"body.cardNumber"), Some(KeyRule::Always(0)));
        assert_eq!(r.lookup(b"payment.card.exp"), Some(KeyRule::Always(1)));
        assert_eq!(r.lookup(b"x.payment.card.exp"), None);
        assert_eq!(r.lookup(b"auth.token"), Some(KeyRule::Always(2)));
        assert_eq!(r.lookup(b"token"), None);
        assert_eq!(r.lookup(b"cvc_check"), None);
    }
}
