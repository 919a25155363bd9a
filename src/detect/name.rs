//! Person names: values of name keys (`"cardholder_name":"Jane Roe"`),
//! names after context words (`Dear Jane Roe`, `user Jane Roe logged in`)
//! and, in free text, a known given name followed by a known family name.
//!
//! Capitalised non-names (`Connection Reset`, `Java HotSpot`,
//! `Order Service`) are told apart with the shipped word lists in
//! `patterns/names/`: a common English word is not taken for a name
//! unless the lists know it as one.

use serde::Deserialize;
use std::collections::HashSet;
use std::sync::Arc;

use super::{Detector, DetectorConfig, Input, PairCheck, Triggers};
use crate::error::Error;
use crate::fxhash::FxBuild;
use crate::keys::{value_may_start, KeyScanner, Sep};
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::{Match, Span};

/// Config of the `name` detector.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameConfig {
    /// Look for given + family names in free text, not only after keys
    /// and context words.
    #[serde(default = "crate::config::yes")]
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

const KEY: usize = 0;
const SINGLE: usize = 1;
const STRONG: usize = 2;
const WEAK: usize = 3;

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
            .flat_map(|w| crate::keys::spellings(w))
            .collect();
        let keys = KeyScanner::new(&[words, key.single, ctx.strong, ctx.weak])
            .map_err(|e| Error::new("extra_keys", e))?;
        Ok(Box::new(Name {
            single,
            keys,
            lists: Arc::new(Lists {
                given: word_set(patterns::GIVEN_NAMES),
                surnames: word_set(patterns::SURNAMES),
                common: word_set(patterns::COMMON_WORDS),
            }),
            free_text: self.free_text,
        }))
    }
}

/// A shipped word list as a set. The lists are stored lowercase (a test
/// checks it), so the set borrows their words: no allocation or case
/// check per word at start-up (as a set of owned words this was most of
/// the engine's start-up time).
fn word_set(data: &'static str) -> WordSet {
    // Sized once: growing it rehashed every word several times.
    let lines = memchr::memchr_iter(b'\n', data.as_bytes()).count() + 1;
    let mut set = HashSet::with_capacity_and_hasher(lines, FxBuild::default());
    set.extend(patterns::data_line_bytes(data));
    WordSet(set)
}

/// Lowercase words, hashed with FxHash (`crate::fxhash`): one or two
/// cache lines a lookup, where a binary search of the 88,799 surnames
/// touched ~17.
#[derive(Debug)]
struct WordSet(HashSet<&'static [u8], FxBuild>);

impl WordSet {
    fn contains(&self, w: &[u8]) -> bool {
        self.0.contains(w)
    }

    /// Whether the set holds `w` lowercased, for the words that
    /// [`Lists::has`] does not fold itself (non-ASCII, long).
    // Out of line: inlined into `has`, it cost every lookup a few
    // instructions.
    #[inline(never)]
    fn contains_lowercased(&self, w: &[u8]) -> bool {
        match std::str::from_utf8(w) {
            Ok(s) => self.contains(s.to_lowercase().as_bytes()),
            Err(_) => false,
        }
    }
}

/// The `name` detector.
#[derive(Debug)]
pub struct Name {
    single: Vec<String>,
    keys: KeyScanner,
    lists: Arc<Lists>,
    free_text: bool,
}

/// The shipped word lists, shared by the detector and its prefilter test
/// ([`Lists::may_start`]).
#[derive(Debug)]
struct Lists {
    given: WordSet,
    surnames: WordSet,
    common: WordSet,
}

/// How strongly the text around a candidate says "this is a name".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    None,
    Weak,
    Strong,
    Key,
}

const MAX_WORDS: usize = 3;

impl Detector for Name {
    fn kind(&self) -> &str {
        "name"
    }

    fn triggers(&self) -> Triggers {
        // Names are two capitalised words, except a single word under a
        // first/last-name key.
        let lists = Arc::clone(&self.lists);
        Triggers {
            literals: self.single.clone(),
            capitalised_pair: true,
            pair_check: Some(PairCheck::new(move |hay, i| {
                lists.may_start(hay, i)
            })),
            ..Triggers::default()
        }
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        self.keys.scan_input(input, |h| {
            let ctx = match (h.family, h.sep) {
                (KEY | SINGLE, Sep::Assign) => Context::Key,
                (KEY | SINGLE | STRONG, _) => Context::Strong,
                (WEAK, Sep::Space) => Context::Weak,
                _ => return,
            };
            let mut words = [Span::default(); MAX_WORDS];
            let n = name_words(hay, h.value.start, &mut words);
            if n == 0 {
                return;
            }
            // A quoted value must be the name and nothing else.
            if h.quoted && words[n - 1].end != h.value.end {
                return;
            }
            let single = h.family == SINGLE && h.sep == Sep::Assign;
            if (n >= 2 && self.lists.plausible(hay, &words[..n], ctx))
                || (single && n == 1 && !self.lists.is_common(&hay[words[0]]))
            {
                out.push(Match::new(words[0].start..words[n - 1].end));
            }
        });
        if self.free_text {
            self.free(hay, out);
        }
    }
}

impl Name {
    /// Given name + family name anywhere in the line.
    fn free(&self, hay: &[u8], out: &mut Vec<Match>) {
        let mut i = 0;
        while i < hay.len() {
            let b = hay[i];
            let at_word = i == 0 || !is_letter_byte(hay[i - 1]);
            if !(at_word && (b.is_ascii_uppercase() || b >= 0xC0)) {
                i += 1;
                continue;
            }
            let mut words = [Span::default(); MAX_WORDS];
            let n = name_words(hay, i, &mut words);
            if n >= 2 && self.lists.plausible(hay, &words[..n], Context::None)
            {
                out.push(Match::new(words[0].start..words[n - 1].end));
                i = words[n - 1].end;
            } else {
                i = if n > 0 { words[0].end } else { i + 1 };
            }
        }
    }
}

impl Lists {
    /// Whether [`Name::find`] may find a name starting at the word `i`,
    /// whatever the context: as [`Lists::plausible`] in the most lenient
    /// context the text there allows. Words that are all ordinary make a
    /// name only as the value of a name key or after a strong context
    /// word, and only as a known given + family name; so `[Sun Dec 04`
    /// wakes no name search, `name: Sun Dec` does.
    fn may_start(&self, hay: &[u8], i: usize) -> bool {
        let mut words = [Span::default(); MAX_WORDS];
        let n = name_words(hay, i, &mut words);
        if n < 2 {
            return false;
        }
        let words = &words[..n];
        words.iter().any(|&w| !self.is_common(&hay[w]))
            || (value_may_start(hay, i)
                && self.plausible(hay, words, Context::Key))
    }

    /// True when `words` (2–3 capitalised words) read as a person's name
    /// in context `ctx`.
    fn plausible(&self, hay: &[u8], words: &[Span], ctx: Context) -> bool {
        let first = &hay[words[0]];
        let last = &hay[words[words.len() - 1]];
        // Looked up only as far as the context needs.
        let given = || self.has(&self.given, first);
        let sur = || self.has(&self.surnames, last);
        let common = || words.iter().any(|&w| self.is_common(&hay[w]));
        match ctx {
            // The value of a name key, or words after `Dear`/`user`: a name
            // unless every word is an ordinary word (`"name":"Order
            // Service"`, `Dear Valued Customer`).
            Context::Key | Context::Strong => {
                (given() && sur())
                    || !words.iter().all(|&w| self.is_common(&hay[w]))
            }
            // `… for Jane Roe`: name-shaped words, none an ordinary word.
            Context::Weak => !common(),
            // Free text: both known, and neither an ordinary word
            // (`Sun Dec 04` is a date, not a person).
            Context::None => given() && sur() && !common(),
        }
    }

    fn is_common(&self, w: &[u8]) -> bool {
        self.has(&self.common, w)
    }

    fn has(&self, set: &WordSet, w: &[u8]) -> bool {
        // The lists spell `O'Brien` as `Obrien`.
        let mut buf = [0u8; 32];
        if w.len() <= buf.len() && w.is_ascii() {
            let mut n = 0;
            for &b in w.iter().filter(|&&b| b != b'\'') {
                buf[n] = b.to_ascii_lowercase();
                n += 1;
            }
            return set.contains(&buf[..n]);
        }
        set.contains_lowercased(w)
    }
}

/// Up to 3 capitalised words separated by single spaces, from `at`;
/// returns how many were found.
fn name_words(hay: &[u8], at: usize, out: &mut [Span; MAX_WORDS]) -> usize {
    let mut n = 0;
    let mut i = at;
    while n < MAX_WORDS {
        let Some(end) = name_word(hay, i) else { break };
        out[n] = Span::new(i, end);
        n += 1;
        if hay.get(end) == Some(&b' ') {
            i = end + 1;
        } else {
            break;
        }
    }
    n
}

/// The end of a capitalised name word at `i` (`Jane`, `O'Brien`,
/// `Smith-Jones`, `McDonald`, `Agnès`), if one starts there.
fn name_word(hay: &[u8], i: usize) -> Option<usize> {
    match ascii_name_word(hay, i) {
        Ok(end) => end,
        Err(NotAscii) => unicode_name_word(hay, i),
    }
}

/// Met a byte that is not ASCII.
struct NotAscii;

/// [`name_word`] a byte at a time, for words of ASCII text (most are;
/// decoding every letter as a `char` cost ~15 instructions a byte). At
/// the first byte that is not ASCII it gives up, and
/// [`unicode_name_word`] scans the word again from its start.
fn ascii_name_word(hay: &[u8], i: usize) -> Result<Option<usize>, NotAscii> {
    let first = hay.get(i).copied().unwrap_or(0);
    if !first.is_ascii() {
        return Err(NotAscii);
    }
    if !first.is_ascii_uppercase() {
        return Ok(None);
    }
    let mut j = i + 1;
    let mut lower = false;
    let mut prev_upper_ok = true;
    while let Some(&b) = hay.get(j) {
        if b.is_ascii_lowercase() {
            lower = true;
        } else if b.is_ascii_uppercase() {
            // As in `unicode_name_word`.
            let word = &hay[i..j];
            let part_start = matches!(hay[j - 1], b'\'' | b'-');
            if !(part_start
                || (prev_upper_ok && (word == b"Mc" || word == b"Mac")))
            {
                return Ok(None);
            }
            prev_upper_ok = false;
        } else if b == b'\'' || b == b'-' {
            match hay.get(j + 1) {
                Some(n) if n.is_ascii_alphabetic() => {}
                Some(n) if !n.is_ascii() => return Err(NotAscii),
                _ => break,
            }
        } else if !b.is_ascii() {
            return Err(NotAscii);
        } else {
            break;
        }
        j += 1;
    }
    let ok_end =
        hay.get(j).is_none_or(|&b| !(b.is_ascii_digit() || b == b'_'));
    Ok((lower && ok_end).then_some(j))
}

/// [`name_word`] for any text: letters as Unicode defines them.
fn unicode_name_word(hay: &[u8], i: usize) -> Option<usize> {
    let (c, len) = char_at(hay, i)?;
    if !c.is_uppercase() {
        return None;
    }
    let mut j = i + len;
    let mut lower = 0;
    let mut prev_upper_ok = true;
    while let Some((c, len)) = char_at(hay, j) {
        if c.is_lowercase() {
            lower += 1;
        } else if c.is_uppercase() {
            // Only at the start of a part (`Karl-Georg`, `O'Brien`) or
            // after `Mc`/`Mac`: `HotSpot` is no name.
            let word = &hay[i..j];
            let part_start = word.ends_with(b"'") || word.ends_with(b"-");
            if !(part_start
                || (prev_upper_ok && (word == b"Mc" || word == b"Mac")))
            {
                return None;
            }
            prev_upper_ok = false;
        } else if (c == '\'' || c == '-')
            && char_at(hay, j + 1).is_some_and(|(c, _)| c.is_alphabetic())
        {
            // O'Brien, Smith-Jones
        } else {
            break;
        }
        j += len;
    }
    // Followed by a digit or `_` it is an identifier, not a name.
    let ok_end =
        hay.get(j).is_none_or(|&b| !(b.is_ascii_digit() || b == b'_'));
    (lower >= 1 && ok_end).then_some(j)
}

fn is_letter_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'_'
}

/// The UTF-8 character starting at `i`, with its length in bytes.
fn char_at(hay: &[u8], i: usize) -> Option<(char, usize)> {
    let b = *hay.get(i)?;
    let len = match b {
        0x00..=0x7F => return Some((b as char, 1)),
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(hay.get(i..i + len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = NameConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.dedup();
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn shipped_lists_are_lowercase() {
        // `word_set` borrows the words as they are.
        for list in
            [patterns::GIVEN_NAMES, patterns::SURNAMES, patterns::COMMON_WORDS]
        {
            for w in patterns::data_lines(list) {
                assert_eq!(w, w.to_lowercase());
            }
        }
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
    }

    #[test]
    fn ascii_name_word_agrees_with_unicode() {
        // Every text of up to 4 of these pieces, at every offset: the
        // fast path must say what the general scan says, or leave it to
        // it.
        let pieces: [&[u8]; 17] = [
            b"J",
            b"ane",
            b"O",
            b"'",
            b"-",
            b"Mc",
            b"Mac",
            b"D",
            b"0",
            b"_",
            b" ",
            b"\xC3\x89",
            b"\xC3\xA9",
            b"\xE2\x84\xAA",
            b"\x80",
            b"lodie",
            b".",
        ];
        let mut checked = 0;
        let mut text = Vec::new();
        for len in 0..=4u32 {
            for mut n in 0..pieces.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.extend_from_slice(pieces[n % pieces.len()]);
                    n /= pieces.len();
                }
                for i in 0..=text.len() {
                    assert_eq!(
                        name_word(&text, i),
                        unicode_name_word(&text, i),
                        "{:?} at {i}",
                        String::from_utf8_lossy(&text)
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 500_000, "{checked}");
        for w in ["Élodie", "O'Brien", "McDonald", "Smith-Jones", "MacKenzie"]
        {
            assert_eq!(name_word(w.as_bytes(), 0), Some(w.len()), "{w}");
        }
        for w in ["HotSpot", "JANE", "Jane2", "Jane_x", "McDOnald"] {
            assert_eq!(name_word(w.as_bytes(), 0), None, "{w}");
        }
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
