//! Key and keyword context: finds `key=value`, `"key": "value"`,
//! `Key: value` and `keyword value` pairs in a line.
//!
//! Detectors that need context (a CVV is only a CVV after `cvv`, any value
//! under `password` is a secret) share this scanner. A keyword is matched
//! ASCII case-insensitively and in its spellings `card_number`,
//! `cardNumber`, `card-number`, `card.number`, `card number` and
//! `cardnumber`. It must be the *last* component of the key it sits in, so
//! `token_type=bearer` and `"cvc_check":"pass"` are not secrets while
//! `aws_secret_access_key=…` and `x-api-key: …` are.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Input;
use crate::fxhash::FxBuild;
use crate::span::Span;

/// How a value is attached to its keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sep {
    /// `key=value`, `key: value`, `"key":"value"`.
    Assign,
    /// `keyword value` (free text) or `--flag value` (command lines).
    Space,
}

/// One keyword followed by a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyHit {
    /// Index of the keyword family (the order given to [`KeyScanner::new`]).
    pub(crate) family: usize,
    /// The keyword as it appears in the line.
    pub(crate) key: Span,
    /// The value: inside its quotes when quoted, else up to the next
    /// delimiter.
    pub(crate) value: Span,
    /// How the value was attached.
    pub(crate) sep: Sep,
    /// The value was quoted (`"…"`, `\"…\"` or `'…'`).
    pub(crate) quoted: bool,
    /// The keyword was written as a command-line flag (`--token`).
    pub(crate) flag: bool,
}

/// A case-insensitive automaton over keyword families.
#[derive(Clone, Debug)]
pub(crate) struct KeyScanner {
    search: Search,
    /// Family of each pattern.
    family: Vec<u32>,
    /// Patterns that may end a longer word (`PGPASSWORD`, `dbpassword`).
    loose: Vec<bool>,
    /// Length of each pattern.
    lens: Vec<usize>,
    /// Families whose keyword may be followed by a comma and a blank
    /// before its value (`Welcome back, Jane Roe!`).
    commas: Vec<bool>,
    /// Families whose keywords count only as keys ([`KeyScanner::keys_only`]).
    keys_only: Vec<bool>,
    /// The word the prefilter looks for in each pattern's place, if one
    /// ([`anchor`]).
    anchors: Vec<Option<String>>,
    /// The patterns, for the engine's prefilter.
    pats: Vec<String>,
}

/// How a [`KeyScanner`] finds its keywords, and the command-line
/// detector its tool names: leftmost-longest, ASCII case-insensitive.
// The finder stays inline: it is searched on every line, the automaton
// only on CPUs without AVX2.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Search {
    /// The prefilter's AVX2 literal candidates, when the CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    Finder(crate::simd::Finder),
    /// An Aho-Corasick DFA, on any CPU. Built only where there is no
    /// finder: it was most of a scanner's build cost.
    Automaton(AhoCorasick),
}

const JOINERS: [&str; 5] = ["_", "-", ".", " ", ""];

/// Every spelling of a keyword phrase: words joined by `_`, `-`, `.`, a
/// space or nothing (camelCase is the joined form, matched
/// case-insensitively).
pub(crate) fn spellings(phrase: &str) -> Vec<String> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    if words.len() <= 1 {
        return vec![phrase.trim().to_ascii_lowercase()];
    }
    let mut out: Vec<String> =
        JOINERS.iter().map(|j| words.join(j).to_ascii_lowercase()).collect();
    out.dedup();
    out
}

/// Words that start a great many words of logs (`date` in `update`,
/// `cont` in `content`, `container`, `controller`): as a phrase's first
/// word, every one of them is a candidate the prefilter must check.
const LOG_WORDS: [&str; 24] = [
    "date", "data", "time", "type", "name", "user", "code", "value", "card",
    "number", "account", "config", "service", "request", "response", "status",
    "error", "message", "system", "server", "client", "session", "content",
    "contact",
];

/// The word of a phrase of several words that the prefilter looks for
/// in its place, if one does better than all its spellings: the longest
/// of four letters or more that is no ordinary English word
/// (`patterns/names/common-words.txt`: those fill logs and would wake the
/// detector on many lines), as `fiscale` for `codice fiscale`; failing
/// that, when the phrase starts with a word that starts a great many
/// words of logs ([`LOG_WORDS`]), its longest other word (`birth` for
/// `date of birth`). None for a single word or a phrase of ordinary words
/// (`card number`, `consumer key`).
fn anchor(phrase: &str) -> Option<String> {
    static ORDINARY: OnceLock<HashSet<&'static [u8], FxBuild>> =
        OnceLock::new();
    let words: Vec<String> =
        phrase.split_whitespace().map(str::to_ascii_lowercase).collect();
    if words.len() < 2 {
        return None;
    }
    let ordinary = ORDINARY.get_or_init(|| {
        crate::patterns::data_line_bytes(crate::patterns::COMMON_WORDS)
            .collect()
    });
    let log_word = |w: &str| LOG_WORDS.contains(&w);
    let longest = |ok: &dyn Fn(&str) -> bool| {
        words
            .iter()
            .filter(|w| w.len() >= 4 && ok(w))
            .fold(None, |best: Option<&String>, w| match best {
                Some(b) if b.len() >= w.len() => Some(b),
                _ => Some(w),
            })
            .cloned()
    };
    longest(&|w| !ordinary.contains(w.as_bytes())).or_else(|| {
        if log_word(&words[0]) {
            longest(&|w| !log_word(w))
        } else {
            None
        }
    })
}

impl KeyScanner {
    /// Builds a scanner over `families`, each a list of keyword phrases.
    ///
    /// # Errors
    /// When the automaton, made where there is no AVX2 finder, cannot be
    /// built (too many patterns).
    pub(crate) fn new(
        families: &[Vec<String>],
    ) -> Result<KeyScanner, aho_corasick::BuildError> {
        let mut pats = Vec::new();
        let mut family = Vec::new();
        let mut anchors = Vec::new();
        for (i, phrases) in families.iter().enumerate() {
            for p in phrases {
                let a = anchor(p);
                for s in spellings(p) {
                    if !s.is_empty() {
                        pats.push(s);
                        family.push(i as u32);
                        anchors.push(a.clone());
                    }
                }
            }
        }
        let search = Search::new(&pats)?;
        let loose = vec![false; pats.len()];
        let lens = pats.iter().map(String::len).collect();
        let commas = vec![false; families.len()];
        let keys_only = vec![false; families.len()];
        Ok(KeyScanner {
            search,
            family,
            loose,
            lens,
            pats,
            commas,
            keys_only,
            anchors,
        })
    }

    /// Lets the keywords of `family` count only where they are written
    /// as a key: right before `=` or `:`, or quoted (`dob=`, `DOB:`,
    /// `"dob":`, `\"dob\":`, `'dob'`), or ending a structured field's
    /// key; never in prose. For short words that ordinary text holds
    /// (`dob` in `Adobe`): the prefilter then looks for those forms
    /// only ([`KeyScanner::literals`]).
    pub(crate) fn keys_only(mut self, family: usize) -> KeyScanner {
        if let Some(k) = self.keys_only.get_mut(family) {
            *k = true;
        }
        self
    }

    /// Lets the keywords of `family` take a value after a comma and one
    /// blank (`Hello, Jane Roe`), as [`Sep::Space`]: a greeting's
    /// grammar, not an assignment's.
    pub(crate) fn comma_values(mut self, family: usize) -> KeyScanner {
        if let Some(c) = self.commas.get_mut(family) {
            *c = true;
        }
        self
    }

    /// The leftmost-longest keyword starting at or after `at`: start, end
    /// and pattern.
    #[inline]
    fn find_at(&self, hay: &[u8], at: usize) -> Option<(usize, usize, usize)> {
        self.search.find(hay, at)
    }

    /// Lets keywords of `family` that are at least `min_len` bytes long
    /// end a longer word: `PGPASSWORD=`, `dbpassword=`. Short ones
    /// (`pass`) still need a word start, or `bypass=` would match.
    pub(crate) fn loose_suffixes(
        mut self,
        family: usize,
        min_len: usize,
    ) -> Self {
        for (i, l) in self.loose.iter_mut().enumerate() {
            *l = self.family[i] as usize == family && self.lens[i] >= min_len;
        }
        self
    }

    /// The prefilter literals: what every keyword this scanner looks for
    /// holds, in as few literals as will do. A phrase of several words is
    /// looked for by its one distinctive word (`fiscale` for all five
    /// spellings of `codice fiscale`), when it has one; of a keys-only
    /// family, the forms [`key_shaped`] accepts (`dob=`, `dob:`, `"dob"`,
    /// `"dob\`, `'dob'`: with its quotes, so `Annie"` is none). A field's key
    /// is scanned as `key=` by the prefilter, so `dob=` wakes the
    /// detector on the key `dob` too. The prefilter may wake a detector
    /// more often for it, never less; and the fewer its literals, the
    /// faster its pass over every line.
    pub(crate) fn literals(&self) -> impl Iterator<Item = String> + '_ {
        let mut seen = HashSet::new();
        self.pats
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                if self.keys_only[self.family[i] as usize] {
                    vec![
                        format!("{p}="),
                        format!("{p}:"),
                        format!("\"{p}\""),
                        format!("\"{p}\\"),
                        format!("'{p}'"),
                    ]
                } else {
                    let w = self.anchors[i].as_deref().unwrap_or(p);
                    vec![w.to_string()]
                }
            })
            .filter(move |l| seen.insert(l.clone()))
    }

    /// Like [`KeyScanner::scan`] over `input.hay`, and first, when the
    /// input is a structured field whose key (`payment.card.number`) ends
    /// in a keyword, a hit for the whole value.
    pub(crate) fn scan_input(&self, input: &Input<'_>, f: impl FnMut(KeyHit)) {
        self.scan_input_to(input, input.hay.len(), f);
    }

    /// [`KeyScanner::scan_input`] with keywords that end by `end`.
    fn scan_input_to(
        &self,
        input: &Input<'_>,
        end: usize,
        mut f: impl FnMut(KeyHit),
    ) {
        if let Some(family) = input.key.and_then(|k| self.key_family(k)) {
            if !input.hay.is_empty() {
                f(KeyHit {
                    family,
                    key: Span::new(0, 0),
                    value: Span::new(0, input.hay.len()),
                    sep: Sep::Assign,
                    quoted: true,
                    flag: false,
                });
            }
        }
        self.scan_to(input.hay, end, f)
    }

    /// The family of the keyword that ends `key`, if one does.
    pub(crate) fn key_family(&self, key: &[u8]) -> Option<usize> {
        let mut at = 0;
        while at < key.len() {
            let (s, e, p) = self.find_at(key, at)?;
            if e == key.len() && (self.loose[p] || left_boundary(key, s)) {
                return Some(self.family[p] as usize);
            }
            at = s + 1;
        }
        None
    }

    /// Calls `f` for every keyword in `hay` that is followed by a value
    /// (the detectors stop at a bound: [`KeyScanner::scan_to`]).
    #[cfg(test)]
    pub(crate) fn scan(&self, hay: &[u8], f: impl FnMut(KeyHit)) {
        self.scan_to(hay, hay.len(), f);
    }

    /// Calls `f` for every keyword that ends by `end` and is followed by
    /// a value.
    fn scan_to(&self, hay: &[u8], end: usize, mut f: impl FnMut(KeyHit)) {
        // No keyword crosses `end`: at each start the same is longest.
        let head = &hay[..end];
        let mut at = 0;
        while at < end {
            let Some((s, e, p)) = self.find_at(head, at) else { break };
            let loose = self.loose[p];
            if !(loose || left_boundary(hay, s))
                || !key_ends(hay, e)
                || (self.keys_only[self.family[p] as usize]
                    && !key_shaped(hay, s, e))
            {
                // `payment.card.number`: `payment card` is no key here,
                // but `card number` starting inside it may be.
                at = s + 1;
                continue;
            }
            at = e;
            let flag = s >= 2 && &hay[s - 2..s] == b"--";
            let comma = self.commas[self.family[p] as usize];
            if let Some(hit) = value_after(hay, s, e, comma) {
                f(KeyHit {
                    family: self.family[p] as usize,
                    key: Span::new(s, e),
                    flag,
                    ..hit
                });
            }
        }
    }
}

impl Search {
    /// The search for `pats` (lowercase).
    pub(crate) fn new(
        pats: &[String],
    ) -> Result<Search, aho_corasick::BuildError> {
        #[cfg(target_arch = "x86_64")]
        if let Some(f) = crate::simd::Finder::new(pats) {
            return Ok(Search::Finder(f));
        }
        automaton(pats).map(Search::Automaton)
    }

    /// The leftmost-longest pattern starting at or after `at`: start, end
    /// and pattern.
    #[inline]
    pub(crate) fn find(
        &self,
        hay: &[u8],
        at: usize,
    ) -> Option<(usize, usize, usize)> {
        match self {
            #[cfg(target_arch = "x86_64")]
            Search::Finder(f) => f.find(hay, at),
            Search::Automaton(ac) => find_ac(ac, hay, at),
        }
    }
}

/// The automaton of a scanner's patterns.
fn automaton(
    pats: &[String],
) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(pats)
}

/// [`KeyScanner::find_at`] with an automaton.
fn find_ac(
    ac: &AhoCorasick,
    hay: &[u8],
    at: usize,
) -> Option<(usize, usize, usize)> {
    let m = ac.find(aho_corasick::Input::new(hay).range(at..))?;
    Some((m.start(), m.end(), m.pattern().as_usize()))
}

/// True when a keyword may start at `s`: at a non-alphanumeric byte, or at
/// a camelCase hump (`customerName`).
pub(crate) fn left_boundary(hay: &[u8], s: usize) -> bool {
    if s == 0 {
        return true;
    }
    let prev = hay[s - 1];
    !prev.is_ascii_alphanumeric()
        || (prev.is_ascii_lowercase() && hay[s].is_ascii_uppercase())
}

/// True when the keyword at `s..e` is written as a key: right before `=`
/// or `:`, or in quotes (`"dob"`, `\"dob\"`, `'dob'`).
fn key_shaped(hay: &[u8], s: usize, e: usize) -> bool {
    let before = s.checked_sub(1).map(|p| hay[p]);
    matches!(
        (before, hay.get(e)),
        (_, Some(b'=' | b':'))
            | (Some(b'"'), Some(b'"' | b'\\'))
            | (Some(b'\''), Some(b'\''))
    )
}

/// True when a keyword ending at `e` is the last component of its key:
/// `token` in `access_token=` but not in `token_type=` or `tokenCount`.
fn key_ends(hay: &[u8], e: usize) -> bool {
    match hay.get(e) {
        None => true,
        Some(&b) if b.is_ascii_alphanumeric() => false,
        Some(b'_' | b'-' | b'.') => {
            !hay.get(e + 1).is_some_and(|c| c.is_ascii_alphanumeric())
        }
        Some(_) => true,
    }
}

/// Skips the separator after a keyword (from `key` to `i`) and returns
/// the value it introduces. With `comma`, a comma and one blank right
/// after the keyword lead to a value too (`Welcome back, Jane`).
fn value_after(
    hay: &[u8],
    key: usize,
    mut i: usize,
    comma: bool,
) -> Option<KeyHit> {
    let n = hay.len();
    // Closing quotes of a quoted key and blanks: `"key" : `, `\"key\":`.
    let key_end = i;
    while i < n && matches!(hay[i], b'"' | b'\'' | b'\\') {
        i += 1;
    }
    let quoted_key = i > key_end;
    // A pair in a list of pairs: `["owner_name", "Jane Roe"]` (Rails'
    // bind list), `('password', 'x')`. The key is quoted, opens the pair
    // and is followed by a comma.
    if quoted_key
        && i < n
        && hay[i] == b','
        && key >= 2
        && hay[key - 1] == hay[key_end]
        && matches!(hay[key - 2], b'[' | b'(')
    {
        let v = skip_blanks(hay, i + 1);
        if v < n && matches!(hay[v], b'"' | b'\'') {
            let q = &hay[v..v + 1];
            let end = close_quote(hay, v + 1, q)?;
            return (end > v + 1).then_some(KeyHit {
                family: 0,
                key: Span::new(0, 0),
                value: Span::new(v + 1, end),
                sep: Sep::Assign,
                quoted: true,
                flag: false,
            });
        }
    }
    if comma
        && !quoted_key
        && hay.get(i) == Some(&b',')
        && hay.get(i + 1) == Some(&b' ')
        && hay.get(i + 2).is_some_and(|&b| b != b' ')
    {
        return Some(KeyHit {
            family: 0,
            key: Span::new(0, 0),
            value: Span::new(i + 2, value_end(hay, i + 2)),
            sep: Sep::Space,
            quoted: false,
            flag: false,
        });
    }
    let blanks_start = i;
    i = skip_blanks(hay, i);
    let mut filled = false;
    // `acct #123`, `account# 123`, `CVV is 123`, `acct no. 123`.
    if !quoted_key && i < n && hay[i] == b'#' {
        i = skip_blanks(hay, i + 1);
        filled = true;
    } else if !quoted_key && i > blanks_start {
        if let Some(len) = filler(&hay[i..]) {
            i = skip_blanks(hay, i + len);
            if i < n && hay[i] == b'#' {
                i = skip_blanks(hay, i + 1);
            }
            filled = true;
        }
    }
    let mut sep = Sep::Space;
    if i < n && matches!(hay[i], b'=' | b':') {
        sep = Sep::Assign;
        i += 1;
        // `=>` (Ruby hashes), `:=`.
        if i < n && matches!(hay[i], b'>' | b'=') {
            i += 1;
        }
        i = skip_blanks(hay, i);
    } else if !filled
        && (quoted_key || i == blanks_start || i - blanks_start > 2)
    {
        // `keyword value`: one short blank run, no quote on the key.
        return None;
    }
    if i >= n {
        return None;
    }
    // `"password": {…}` or `[…]`: a structure, not a value.
    if matches!(hay[i], b'{' | b'[') {
        return None;
    }
    // The value's own quote.
    let (quote, start) = match hay[i] {
        b'"' => (Some(&b"\""[..]), i + 1),
        b'\'' => (Some(&b"'"[..]), i + 1),
        b'\\' if hay.get(i + 1) == Some(&b'"') => (Some(&b"\\\""[..]), i + 2),
        _ => (None, i),
    };
    let end = match quote {
        Some(q) => close_quote(hay, start, q)?,
        None => value_end(hay, start),
    };
    if end == start {
        return None;
    }
    Some(KeyHit {
        family: 0,
        key: Span::new(0, 0),
        value: Span::new(start, end),
        sep,
        quoted: quote.is_some(),
        flag: false,
    })
}

/// The end of an unquoted value that starts at `start`.
#[inline]
fn value_end(hay: &[u8], start: usize) -> usize {
    hay[start..]
        .iter()
        .position(|&b| is_delim(b))
        .map_or(hay.len(), |p| start + p)
}

/// Whether a value that [`KeyScanner`] reports may start at `s`: at the
/// start of the text (a structured field's value), or after the bytes
/// that [`value_after`] leaves before a value: a blank, `=`, `:`, `>`,
/// `#`, a quote, or a filler's `.` (`no.123`).
pub(crate) fn value_may_start(hay: &[u8], s: usize) -> bool {
    s == 0
        || matches!(
            hay[s - 1],
            b' ' | b'\t' | b'=' | b':' | b'>' | b'#' | b'"' | b'\'' | b'.'
        )
}

/// The first byte at or after `i` that is not a space or a tab.
pub(crate) fn skip_blanks(hay: &[u8], mut i: usize) -> usize {
    while i < hay.len() && matches!(hay[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Words allowed between a keyword and its value: `CVV is 123`,
/// `acct no. 123`. Returns the filler's length with its trailing `.`.
fn filler(rest: &[u8]) -> Option<usize> {
    const FILLERS: [&[u8]; 7] =
        [b"is", b"was", b"of", b"no", b"nr", b"num", b"number"];
    FILLERS.iter().find_map(|f| {
        let l = f.len();
        let word = rest.get(..l)?;
        let next = rest.get(l).copied();
        if !word.eq_ignore_ascii_case(f)
            || !matches!(next, Some(b' ' | b'\t' | b'.' | b'#' | b':'))
        {
            return None;
        }
        Some(if rest.get(l) == Some(&b'.') { l + 1 } else { l })
    })
}

/// End of a quoted value that starts at `start` and is closed by `q`
/// (`"`, `'` or an escaped `\"`). A missing close quote ends the value at
/// the end of the line: a truncated line still gets its value masked.
fn close_quote(hay: &[u8], start: usize, q: &[u8]) -> Option<usize> {
    let mut i = start;
    while i < hay.len() {
        if hay[i..].starts_with(q) {
            return Some(i);
        }
        if hay[i] == b'\\' && q == b"\"" {
            i += 2;
            continue;
        }
        i += 1;
    }
    Some(hay.len())
}

/// Bytes that end an unquoted value.
pub(crate) fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b','
            | b';'
            | b'&'
            | b'"'
            | b'\''
            | b')'
            | b']'
            | b'}'
            | b'<'
            | b'>'
            | b'|'
            | b'\\'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(fams: &[&[&str]], hay: &str) -> Vec<(usize, String, Sep)> {
        let fams: Vec<Vec<String>> = fams
            .iter()
            .map(|f| f.iter().map(|s| s.to_string()).collect())
            .collect();
        let sc = KeyScanner::new(&fams).unwrap();
        let mut out = vec![];
        sc.scan(hay.as_bytes(), |h| {
            out.push((
                h.family,
                String::from_utf8_lossy(&hay.as_bytes()[h.value]).into_owned(),
                h.sep,
            ))
        });
        out
    }

    #[test]
    fn spellings_cover_case_styles() {
        let s = spellings("card number");
        for want in [
            "card_number",
            "card-number",
            "card.number",
            "card number",
            "cardnumber",
        ] {
            assert!(s.contains(&want.to_string()), "{want}");
        }
    }

    #[test]
    fn pairs_and_greeting_commas() {
        let f: &[&[&str]] = &[&["owner name", "password"]];
        let h =
            hits(f, r#"binds [["iban", "x"], ["owner_name", "Jane Roe"]]"#);
        assert_eq!(h, vec![(0, "Jane Roe".into(), Sep::Assign)]);
        let h = hits(f, "args ('password', 'hunter2')");
        assert_eq!(h, vec![(0, "hunter2".into(), Sep::Assign)]);
        // Not a pair: the key does not open one, or the value is bare.
        assert!(hits(f, r#"x "password", "hunter2""#).is_empty());
        assert!(hits(f, r#"["password", 42]"#).is_empty());
        // A comma after a keyword leads to a value only where asked.
        let fams = vec![vec!["welcome back".to_string()]];
        let plain = KeyScanner::new(&fams).unwrap();
        let greet = KeyScanner::new(&fams).unwrap().comma_values(0);
        let hay = b"Welcome back, Jane Roe!";
        let (mut a, mut b) = (vec![], vec![]);
        plain.scan(hay, |h| a.push(h.value));
        greet.scan(hay, |h| b.push(h.value));
        assert!(a.is_empty());
        assert_eq!(b, vec![Span::new(14, 18)]);
    }

    #[test]
    fn values_in_common_shapes() {
        let f: &[&[&str]] = &[&["password", "api key"], &["cvv"]];
        assert_eq!(hits(f, "password=hunter2 x")[0].1, "hunter2");
        assert_eq!(hits(f, r#"{"password": "a b"}"#)[0].1, "a b");
        assert_eq!(hits(f, r#"{\"cvv\":\"123\"}"#)[0].1, "123");
        assert_eq!(hits(f, "X-Api-Key: abc123")[0].1, "abc123");
        assert_eq!(hits(f, "xApiKey=q")[0].1, "q");
        assert_eq!(hits(f, "?apikey=zz&x=1")[0].1, "zz");
        assert_eq!(hits(f, "CVV 123")[0], (1, "123".into(), Sep::Space));
        assert_eq!(hits(f, "'password' => 'x'")[0].1, "x");
    }

    #[test]
    fn keyword_must_end_its_key() {
        let f: &[&[&str]] = &[&["token"], &["cvc"]];
        assert!(hits(f, "token_type=bearer").is_empty());
        assert!(hits(f, r#""cvc_check":"pass""#).is_empty());
        assert!(hits(f, "max_tokens=100").is_empty());
        assert!(hits(f, "tokenCount=3").is_empty());
        assert_eq!(hits(f, "access_token=abc")[0].1, "abc");
        assert_eq!(hits(f, "x-revolv3-token: abc")[0].1, "abc");
    }

    #[test]
    fn fillers_between_keyword_and_value() {
        let f: &[&[&str]] = &[&["cvv", "acct"]];
        assert_eq!(hits(f, "CVV is 123")[0].1, "123");
        assert_eq!(hits(f, "acct #1234567")[0].1, "1234567");
        assert_eq!(hits(f, "acct# 1234567")[0].1, "1234567");
        assert_eq!(hits(f, "acct no. 1234567")[0].1, "1234567");
        // `No` starting a word is no filler.
        assert!(hits(f, "cvv Noémi").iter().all(|h| h.1 == "Noémi"));
        assert!(hits(f, "cvv check passed after 123 tries")
            .iter()
            .all(|h| h.1 == "check"));
    }

    #[test]
    fn loose_suffixes_only_for_long_keywords() {
        let fams = vec![vec!["password".to_string(), "pass".to_string()]];
        let sc = KeyScanner::new(&fams).unwrap().loose_suffixes(0, 6);
        let mut vals = vec![];
        sc.scan(b"PGPASSWORD=a bypass=true", |h| vals.push(h.value));
        assert_eq!(vals, vec![Span::new(11, 12)]);
    }

    #[test]
    fn keys_only_families_need_a_key() {
        let fams = vec![vec!["dob".to_string()], vec!["cvv".to_string()]];
        let sc = KeyScanner::new(&fams).unwrap().keys_only(0);
        let vals = |hay: &str| {
            let mut v = vec![];
            sc.scan(hay.as_bytes(), |h| {
                v.push(hay[h.value.start..h.value.end].to_string())
            });
            v
        };
        for hay in [
            "dob=1985",
            "DOB: 1985",
            r#"{"dob": "1985"}"#,
            r#"{\"dob\":\"1985\"}"#,
            "'dob' => '1985'",
            "customer_dob=1985",
        ] {
            assert_eq!(vals(hay), vec!["1985"], "{hay}");
        }
        // Prose, or a blank before `=`: no key.
        assert!(vals("dob 1985").is_empty());
        assert!(vals("dob = 1985").is_empty());
        // Other families are unchanged.
        assert_eq!(vals("cvv 123"), vec!["123"]);
        // Each accepted form holds one of the prefilter's literals.
        let lits: Vec<String> = sc.literals().collect();
        assert!(lits.contains(&"dob=".to_string()));
        assert!(lits.contains(&"cvv".to_string()));
        assert!(!lits.contains(&"dob".to_string()));
        for hay in ["dob=1", "DOB: 1", r#""dob":1"#, r#"\"dob\":1"#, "'dob'"] {
            let l = hay.to_ascii_lowercase();
            assert!(lits.iter().any(|x| l.contains(x.as_str())), "{hay}");
        }
    }

    #[test]
    fn distance_and_quotes_break_context() {
        let f: &[&[&str]] = &[&["cvv"]];
        assert!(hits(f, "cvv   123").is_empty());
        assert!(hits(f, r#""cvv" 123"#).is_empty());
        assert!(hits(f, "cvv=").is_empty());
    }
}

#[cfg(test)]
mod finder_tests {
    use super::*;
    use proptest::prelude::*;

    /// A scanner with overlapping keywords of several lengths (and
    /// spellings), as the detectors' are.
    fn scanner() -> KeyScanner {
        let fams: Vec<Vec<String>> =
            [
                &[
                    "pass",
                    "password",
                    "passwd",
                    "pin",
                    "secret key",
                    "api key",
                ][..],
                &["card number", "card", "cvv", "cvc", "security code"][..],
                &["account", "account number", "acct", "iban", "routing"][..],
                &["mr", "ms", "to", "dear", "customer"][..],
            ]
            .iter()
            .map(|f| f.iter().map(|s| s.to_string()).collect())
            .collect();
        KeyScanner::new(&fams).unwrap()
    }

    fn line() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            prop::collection::vec(
                prop::sample::select(
                    b"aceimnoprstwdk _-.=:\"'PASCVMT".to_vec()
                ),
                0..6
            ),
            prop::sample::select(vec![
                b"password".to_vec(),
                b"PassWord".to_vec(),
                b"card_number".to_vec(),
                b"cardNumber".to_vec(),
                b"account number".to_vec(),
                b"CVV".to_vec(),
                b"api-key".to_vec(),
                b"secretkey".to_vec(),
                b" no.".to_vec(),
                b" is ".to_vec(),
                b"#".to_vec(),
                b"\t".to_vec(),
                b"=>".to_vec(),
                b"\\\"".to_vec(),
            ]),
            prop::collection::vec(any::<u8>(), 0..3),
        ];
        prop::collection::vec(piece, 0..20).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The AVX2 finder (where the CPU has it) finds exactly what the
        /// automaton finds, from every position.
        #[test]
        fn finder_is_the_automaton(hay in line()) {
            let sc = scanner();
            let ac = automaton(&sc.pats).unwrap();
            for at in 0..=hay.len() {
                prop_assert_eq!(sc.find_at(&hay, at), find_ac(&ac, &hay, at));
            }
        }

        /// Every value the scanner reports starts where
        /// [`value_may_start`] says one may (the name detector's
        /// prefilter test leans on it).
        #[test]
        fn values_start_where_said(hay in line()) {
            let mut starts = Vec::new();
            scanner().scan(&hay, |h| starts.push(h.value.start));
            for s in starts {
                prop_assert!(value_may_start(&hay, s), "value at {}", s);
            }
        }
    }
}
