//! Person names: values of name keys (`"cardholder_name":"Jane Roe"`),
//! names after context words (`Dear Jane Roe`, `user Jane Roe logged in`)
//! and, in free text, a known given name followed by a known family name.
//!
//! Capitalised non-names (`Connection Reset`, `Java HotSpot`,
//! `Order Service`) are told apart with the shipped word lists in
//! `patterns/names/`: a common English word is not taken for a name
//! unless the lists know it as one.

use serde::Deserialize;
use std::sync::Arc;

use super::keys::{KeyScanner, Sep};
use super::{Detector, DetectorConfig, Input, PairCheck, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::{Match, Span};

mod lists;
mod words;

pub(crate) use words::mc_part;

use lists::Lists;
use words::{is_letter_byte, MAX_WORDS};

/// Config of the `name` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameConfig {
    /// Look for given + family names in free text, not only after keys
    /// and context words.
    #[serde(default = "crate::detect::yes")]
    pub free_text: bool,
    /// Name keys added to the shipped list.
    #[serde(default)]
    pub extra_keys: Vec<String>,
}

impl Default for NameConfig {
    fn default() -> NameConfig {
        NameConfig { free_text: true, extra_keys: Vec::new() }
    }
}

// Rules (`Match::rule`), named by `rule_name` for `--stats` and
// `--explain`: what said the words are a name.
const BY_KEY: u16 = 0;
const BY_CONTEXT: u16 = 1;
const BY_WEAK_CONTEXT: u16 = 2;
const BY_LISTS: u16 = 3;
const BY_QUOTES: u16 = 4;
const BY_BIND_LIST: u16 = 5;
const BY_ACCOUNT_TOOL: u16 = 6;
const RULES: [&str; 7] = [
    "name_key",
    "context_word",
    "weak_context_word",
    "given_and_family_name_lists",
    "quoted_with_list_word",
    "bound_value",
    "account_tool_full_name",
];

// Keyword families, in the order given to the scanner: a word in two
// families counts as the first (`customer` is a key, and strong context
// before a space).
const KEY: usize = 0;
const SINGLE: usize = 1;
const VAGUE: usize = 2;
const STRONG: usize = 3;
const WEAK: usize = 4;
const TITLE: usize = 5;

impl DetectorConfig for NameConfig {
    const TYPE: &'static str = "name";
    fn default_mask() -> MaskKind {
        MaskKind::Name
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let key = patterns::family("name_key");
        let ctx = patterns::family("name_context");
        let mut words = key.words;
        words.extend(self.extra_keys);
        let single: Vec<String> = key
            .single
            .iter()
            .flat_map(|w| super::keys::spellings(w))
            .collect();
        // Folded as a key segment is compared: letters and digits, lower
        // case (`display_name`, `displayName` → `displayname`).
        let vague = key
            .vague
            .iter()
            .map(|w| {
                w.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| b.to_ascii_lowercase())
                    .collect()
            })
            .collect();
        let keys = KeyScanner::new(&[
            words, key.single, key.vague, ctx.strong, ctx.weak, ctx.titles,
        ])
        .map_err(|e| Error::config("extra_keys", e))?
        .comma_values(STRONG);
        let gecos = Gecos {
            commands: ctx
                .gecos_commands
                .iter()
                .map(|c| {
                    memchr::memmem::Finder::new(c.as_bytes()).into_owned()
                })
                .collect(),
            flags: ctx
                .gecos_flags
                .iter()
                .map(|f| format!(" {f} ").into_bytes())
                .collect(),
        };
        let bind_lists = ctx
            .bind_lists
            .iter()
            .map(|m| m.to_ascii_lowercase().into_bytes())
            .collect();
        Ok(Box::new(Name {
            gecos,
            bind_lists,
            single,
            keys,
            vague,
            lists: Arc::new(Lists::new()),
            free_text: self.free_text,
        }))
    }
}

/// Account tools that set a user's full name, and their flags for it.
#[derive(Debug)]
struct Gecos {
    commands: Vec<memchr::memmem::Finder<'static>>,
    /// Each flag between blanks (` -c `).
    flags: Vec<Vec<u8>>,
}

/// The `name` detector.
#[derive(Debug)]
pub struct Name {
    gecos: Gecos,
    /// Lower-case markers of a list of bound values (`args=(`).
    bind_lists: Vec<Vec<u8>>,
    single: Vec<String>,
    keys: KeyScanner,
    /// The vague name keys, folded (see `whole_key`).
    vague: Vec<Vec<u8>>,
    lists: Arc<Lists>,
    free_text: bool,
}

/// How strongly the text around a candidate says "this is a name".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    None,
    /// Quoted words and nothing else in free text (`args=('Jane Roe',
    /// …)`, `- [Jane Roe]`): a value, most often a bound parameter.
    Quoted,
    Weak,
    /// The value of a key that names a person only sometimes: the name
    /// lists must know its first word as a given name.
    Vague,
    Strong,
    Key,
}

impl Detector for Name {
    fn kind(&self) -> &str {
        "name"
    }

    fn triggers(&self) -> Triggers {
        // Names are two capitalised words (particles may stand between
        // them: `Lana van Berg`), except a single word under a
        // first/last-name key.
        let lists = Arc::clone(&self.lists);
        Triggers::literals(self.single.clone())
            .capitalised_pair(true)
            .pair_check(PairCheck::new(move |hay, i| lists.may_start(hay, i)))
    }

    fn rule_name(&self, rule: u16) -> &str {
        RULES.get(rule as usize).copied().unwrap_or("name")
    }

    fn may_mask_whole(&self, value: &[u8]) -> bool {
        // A name has letters, and no digit, path, address or assignment:
        // `"full_name": "octo-org/repo"` names a repository. One word
        // alone must read as a name (`"last_name": "Unknown"` is a
        // placeholder).
        let one_word = !value.contains(&b' ');
        value.iter().any(|b| b.is_ascii_alphabetic() || *b >= 0x80)
            && !value
                .iter()
                .any(|b| b.is_ascii_digit() || b"/@:=\\<>{}[]|#".contains(b))
            && (!one_word || self.lists.alone(value))
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        self.keys.scan_input(input, |h| {
            let ctx = match (h.family, h.sep) {
                (KEY | SINGLE, Sep::Assign) => Context::Key,
                (VAGUE, Sep::Assign) if self.whole_key(input, h.key) => {
                    Context::Vague
                }
                (VAGUE, Sep::Assign) => return,
                (KEY | SINGLE | VAGUE | STRONG, _) => Context::Strong,
                // `Mr Roe`, `Dr. Roe`: a title is capitalised.
                (TITLE, _) if hay[h.key.start].is_ascii_uppercase() => {
                    Context::Strong
                }
                (WEAK, Sep::Space) => Context::Weak,
                _ => return,
            };
            // `the Client Side Caching`: a capitalised keyword after a
            // lower-case word is a word of a title, not context.
            if h.sep == Sep::Space && title_word(hay, h.key.start) {
                return;
            }
            // `Welcome back to Stark Ledger`: a greeting's `to` leads to a
            // place or a product, not a person.
            if ctx == Context::Weak && after_greeting(hay, h.key.start) {
                return;
            }
            let single = h.family == SINGLE && h.sep == Sep::Assign;
            // A family name may open with particles (`van de Weterink`).
            let start = h.value.start;
            let first = match self.lists.after_particles(hay, start) {
                Some(j) if single => j,
                _ => start,
            };
            let mut words = [Span::default(); MAX_WORDS];
            let n = self.lists.words(hay, first, &mut words);
            if n == 0 {
                return;
            }
            // A quoted value must be the name and nothing else.
            if h.quoted && words[n - 1].end != h.value.end {
                return;
            }
            // In text, `Billed Duration: 32 ms` is a field's label; after
            // `cardholder` or `Dear`, `Jane Roe: 4111…` is a name.
            if ctx <= Context::Weak && label(hay, words[n - 1].end) {
                return;
            }
            if (n >= 2 && self.lists.plausible(hay, &words[..n], ctx))
                || (single
                    && (n == 1 || first > start)
                    && self.lists.alone(&hay[words[0]]))
            {
                let rule = match ctx {
                    Context::Key | Context::Vague => BY_KEY,
                    Context::Weak => BY_WEAK_CONTEXT,
                    _ => BY_CONTEXT,
                };
                out.push(Match::new(start..words[n - 1].end).rule(rule));
            }
        });
        self.account_tool(hay, out);
        if self.free_text {
            self.free(hay, out);
        }
    }
}

/// True when `i` starts the value of a distinguished name's place or
/// organisation attribute (`L=Santa Clara`, `O=Example Inc`,
/// `ST=New York` in a certificate subject), which names no person.
fn dn_place(hay: &[u8], i: usize) -> bool {
    if i < 2 || hay[i - 1] != b'=' {
        return false;
    }
    let head = &hay[..i - 1];
    let start = head
        .iter()
        .rposition(|b| !b.is_ascii_uppercase())
        .map_or(0, |p| p + 1);
    let attr = &head[start..];
    let sep_ok = start == 0 || matches!(head[start - 1], b',' | b'/' | b' ');
    sep_ok
        && matches!(
            attr,
            b"L" | b"ST" | b"O" | b"OU" | b"C" | b"STREET" | b"DC"
        )
}

/// True when the word at `k` follows `welcome` or `welcome back`.
fn after_greeting(hay: &[u8], k: usize) -> bool {
    let head = hay[..k].trim_ascii_end();
    let ends = |w: &[u8]| {
        head.len() >= w.len()
            && head[head.len() - w.len()..].eq_ignore_ascii_case(w)
    };
    ends(b"welcome") || ends(b"welcome back")
}

/// True when the word at `k` is capitalised and follows a lower-case
/// word (`the Client Side`).
fn title_word(hay: &[u8], k: usize) -> bool {
    hay[k].is_ascii_uppercase()
        && k >= 2
        && hay[k - 1] == b' '
        && hay[k - 2].is_ascii_lowercase()
}

/// True when the text from `start` to `end` is quoted and holds nothing
/// else: `'Jane Roe'`, `"Jane Roe"`, `[Jane Roe]`.
fn quoted(hay: &[u8], start: usize, end: usize) -> bool {
    let close = match start.checked_sub(1).map(|p| hay[p]) {
        Some(b'\'') => b'\'',
        Some(b'"') => b'"',
        Some(b'[') => b']',
        _ => return false,
    };
    hay.get(end) == Some(&close)
}

/// True when the words ending at `end` are a field's label: followed by
/// `:` and a number (`Billed Duration: 32 ms`, `Max Memory Used: 48 MB`).
fn label(hay: &[u8], end: usize) -> bool {
    if hay.get(end) != Some(&b':') {
        return false;
    }
    let rest = &hay[end + 1..];
    let i = rest.iter().position(|&b| b != b' ' && b != b'\t');
    i.is_some_and(|i| rest[i].is_ascii_digit())
}

impl Name {
    /// True when the keyword at `key` in the text (or, for a structured
    /// field, its key) is the whole key: `name=`, `"name":`,
    /// `owner.name`, but not `serviceName`, `client_name` or `app-name`,
    /// whose first part says what is named.
    fn whole_key(&self, input: &Input<'_>, key: Span) -> bool {
        if key.is_empty() {
            // A structured field: the keyword ends its key, so the key's
            // last segment must be one of the vague words and nothing
            // more (which keyword matched is not known here).
            let Some(k) = input.key else { return false };
            let seg = k.rsplit(|&b| b == b'.').next().unwrap_or(k);
            let folded = seg
                .iter()
                .filter(|b| b.is_ascii_alphanumeric())
                .map(u8::to_ascii_lowercase);
            return self
                .vague
                .iter()
                .any(|w| folded.clone().eq(w.iter().copied()));
        }
        let joined =
            |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        !(key.start > 0 && joined(input.hay[key.start - 1]))
    }

    /// The full name an account tool is given (`useradd -c Jane Roe
    /// jroe`, `chfn -f "Jane Roe"`), read as a name key's value.
    fn account_tool(&self, hay: &[u8], out: &mut Vec<Match>) {
        // Every flag starts ` -`: most lines are told apart by one search.
        if !memchr::memchr_iter(b'-', hay).any(|p| p > 0 && hay[p - 1] == b' ')
        {
            return;
        }
        let Some(cmd) = self
            .gecos
            .commands
            .iter()
            .filter_map(|c| c.find(hay).map(|p| p + c.needle().len()))
            .min()
        else {
            return;
        };
        for flag in &self.gecos.flags {
            let Some(p) = memchr::memmem::find(&hay[cmd..], flag) else {
                continue;
            };
            let mut start = cmd + p + flag.len();
            let quote = matches!(hay.get(start), Some(b'"' | b'\''));
            start += usize::from(quote);
            let mut words = [Span::default(); MAX_WORDS];
            let n = self.lists.words(hay, start, &mut words);
            if n >= 2 && self.lists.plausible(hay, &words[..n], Context::Key) {
                out.push(
                    Match::new(start..words[n - 1].end).rule(BY_ACCOUNT_TOOL),
                );
            }
        }
    }

    /// Where the first list of bound values in `hay` starts (the end of
    /// its marker, `args=(`), if there is one.
    fn bind_list_start(&self, hay: &[u8]) -> Option<usize> {
        self.bind_lists
            .iter()
            .filter_map(|m| {
                hay.windows(m.len())
                    .position(|w| w.eq_ignore_ascii_case(m))
                    .map(|p| p + m.len())
            })
            .min()
    }

    /// Given name + family name anywhere in the line.
    fn free(&self, hay: &[u8], out: &mut Vec<Match>) {
        // Looked for once a line, at its first quoted candidate.
        let mut bind_list: Option<Option<usize>> = None;
        let mut i = 0;
        while i < hay.len() {
            // The next capital (or start of a letter that is not ASCII):
            // a tight loop over the bytes between.
            let cap = |&b: &u8| b.is_ascii_uppercase() || b >= 0xC0;
            match hay[i..].iter().position(cap) {
                Some(k) => i += k,
                None => break,
            }
            if (i > 0 && is_letter_byte(hay[i - 1])) || dn_place(hay, i) {
                i += 1;
                continue;
            }
            let mut words = [Span::default(); MAX_WORDS];
            let n = self.lists.words(hay, i, &mut words);
            let ctx = if n >= 2 && quoted(hay, i, words[n - 1].end) {
                // A value bound to a statement is data, a name or not.
                let from = *bind_list
                    .get_or_insert_with(|| self.bind_list_start(hay));
                if from.is_some_and(|f| f <= i) {
                    Context::Weak
                } else {
                    Context::Quoted
                }
            } else {
                Context::None
            };
            if n >= 2
                && !label(hay, words[n - 1].end)
                && self.lists.plausible(hay, &words[..n], ctx)
            {
                let rule = match ctx {
                    Context::Weak => BY_BIND_LIST,
                    Context::Quoted => BY_QUOTES,
                    _ => BY_LISTS,
                };
                out.push(
                    Match::new(words[0].start..words[n - 1].end).rule(rule),
                );
                i = words[n - 1].end;
            } else {
                i = if n > 0 { words[0].end } else { i + 1 };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = NameConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.dedup_by_key(|m| m.span);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn names_by_key_and_context() {
        assert_eq!(
            found(r#"{"cardholder_name":"Kaitlin Clark"}"#),
            vec!["Kaitlin Clark"]
        );
        assert_eq!(
            found("customer=Tina Vaughn plan=pro"),
            vec!["Tina Vaughn"]
        );
        assert_eq!(
            found("Dear Laura Jensen, your refund"),
            vec!["Laura Jensen"]
        );
        assert_eq!(found("user Agnès Louis logged in"), vec!["Agnès Louis"]);
        assert_eq!(found(r#""first_name":"Zbigniew""#), vec!["Zbigniew"]);
        assert_eq!(
            found("refund for cardholder Wojciech Brzęczyszczykiewicz"),
            vec!["Wojciech Brzęczyszczykiewicz"]
        );
    }

    #[test]
    fn names_in_free_text() {
        assert_eq!(
            found("charge failed for John Smith today"),
            vec!["John Smith"]
        );
        assert_eq!(found("approved: Mary O'Brien"), vec!["Mary O'Brien"]);
        // At the start of the line, after a letter that is not ASCII, not
        // inside a word.
        assert_eq!(found("John Smith paid"), vec!["John Smith"]);
        assert_eq!(found("né: John Smith"), vec!["John Smith"]);
        assert!(found("userJohn Smith paid").is_empty());
        assert!(found("éJohn Smith paid").is_empty());
        assert!(found("_John Smith paid").is_empty());
    }

    #[test]
    fn not_names() {
        for h in [
            "Connection Reset by peer",
            "Java HotSpot(TM) 64-Bit Server VM",
            "Order Service started",
            "Dear Valued Customer,",
            r#"{"name":"payments-api"}"#,
            "Grant Access to role",
        ] {
            assert!(found(h).is_empty(), "{h}: {:?}", found(h));
        }
    }
}
