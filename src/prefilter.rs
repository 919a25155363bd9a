//! The prefilter: one cheap pass over a line decides which detectors can
//! find anything in it, so a clean line costs one automaton scan and one
//! byte scan instead of every detector's full search.
//!
//! Each detector states its [`Triggers`]: literals (keywords and token
//! prefixes, matched ASCII case-insensitively by one shared automaton), a
//! run of digits long enough to be a card, an IBAN's shape, or two
//! capitalised words. A detector that states none always runs.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// What must occur in a line for a detector to find anything in it.
#[derive(Clone, Debug, Default)]
pub struct Triggers {
    /// Run on every line (user regexes, third-party detectors).
    pub always: bool,
    /// Literals, ASCII case-insensitive.
    pub literals: Vec<String>,
    /// A run of at least this many digits, single spaces or dashes
    /// allowed between them (card numbers).
    pub digit_run: Option<usize>,
    /// Two uppercase letters, two digits (an IBAN's start).
    pub iban_shape: bool,
    /// Two capitalised words in a row (`Jane Roe`).
    pub capitalised_pair: bool,
}

impl Triggers {
    /// Triggers of a detector that runs on every line.
    pub fn always() -> Triggers {
        Triggers { always: true, ..Triggers::default() }
    }
}

/// Set of detector indices (up to 64; later ones always run).
pub type Mask = u64;

/// The combined prefilter of an engine's detectors.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    ac: Option<AhoCorasick>,
    /// Detectors of each automaton pattern.
    pattern_mask: Vec<Mask>,
    always: Mask,
    digit_run: Vec<(usize, Mask)>,
    iban: Mask,
    pair: Mask,
    all: Mask,
}

impl Prefilter {
    pub(crate) fn new(triggers: &[Triggers]) -> Prefilter {
        let mut pats: Vec<String> = Vec::new();
        let mut pattern_mask = Vec::new();
        let mut p = Prefilter {
            ac: None,
            pattern_mask: Vec::new(),
            always: 0,
            digit_run: Vec::new(),
            iban: 0,
            pair: 0,
            all: 0,
        };
        for (i, t) in triggers.iter().enumerate() {
            let bit: Mask = if i < 64 { 1 << i } else { 0 };
            p.all |= bit;
            if t.always || i >= 64 {
                p.always |= bit;
                continue;
            }
            for l in &t.literals {
                let l = l.to_ascii_lowercase();
                match pats.iter().position(|x| *x == l) {
                    Some(k) => pattern_mask[k] |= bit,
                    None => {
                        pats.push(l);
                        pattern_mask.push(bit);
                    }
                }
            }
            if let Some(n) = t.digit_run {
                p.digit_run.push((n, bit));
            }
            if t.iban_shape {
                p.iban |= bit;
            }
            if t.capitalised_pair {
                p.pair |= bit;
            }
        }
        if !pats.is_empty() {
            p.ac = AhoCorasickBuilder::new()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&pats)
                .ok();
            if p.ac.is_none() {
                // Too many literals for one automaton: run everything.
                p.always = p.all;
            }
        }
        p.pattern_mask = pattern_mask;
        p
    }

    /// The detectors that may find something in `hay` (or in a field
    /// under `key`).
    pub(crate) fn scan(&self, hay: &[u8], key: Option<&[u8]>) -> Mask {
        let mut m = self.always;
        if let Some(ac) = &self.ac {
            for part in [Some(hay), key].into_iter().flatten() {
                for hit in ac.find_iter(part) {
                    m |= self.pattern_mask[hit.pattern().as_usize()];
                    if m == self.all {
                        return m;
                    }
                }
            }
        }
        let want_shapes = self.iban
            | self.pair
            | self.digit_run.iter().fold(0, |a, &(_, b)| a | b);
        if want_shapes & !m != 0 {
            m |= self.shapes(hay, m);
        }
        m
    }

    /// One byte pass for digit runs, IBAN starts and capitalised pairs,
    /// for the detectors not yet triggered.
    fn shapes(&self, hay: &[u8], have: Mask) -> Mask {
        let mut m = 0;
        let need_iban = self.iban & !have != 0;
        let need_pair = self.pair & !have != 0;
        let shortest = self
            .digit_run
            .iter()
            .filter(|&&(_, b)| b & !have != 0)
            .map(|&(n, _)| n)
            .min()
            .unwrap_or(usize::MAX);
        let mut digits = 0; // digits in the current run
        let mut prev = CLASS_OTHER;
        for (i, &b) in hay.iter().enumerate() {
            let class = CLASS[b as usize];
            match class {
                CLASS_LOWER | CLASS_OTHER => digits = 0,
                CLASS_DIGIT => {
                    digits += 1;
                    if digits >= shortest {
                        for &(k, bit) in &self.digit_run {
                            if digits >= k {
                                m |= bit;
                            }
                        }
                    }
                }
                // One space or dash may separate groups of digits.
                CLASS_SEP => {
                    if prev != CLASS_DIGIT {
                        digits = 0;
                    }
                }
                _ => {
                    // An uppercase letter, or the first byte of a
                    // non-ASCII character.
                    digits = 0;
                    if need_iban
                        && class == CLASS_UPPER
                        && hay.len() >= i + 4
                        && hay[i + 1].is_ascii_uppercase()
                        && hay[i + 2].is_ascii_digit()
                        && hay[i + 3].is_ascii_digit()
                    {
                        m |= self.iban;
                    }
                    if need_pair
                        && !matches!(
                            prev,
                            CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT
                        )
                        && capitalised_pair_at(hay, i)
                    {
                        m |= self.pair;
                    }
                }
            }
            prev = class;
        }
        m
    }
}

const CLASS_OTHER: u8 = 0;
const CLASS_LOWER: u8 = 1;
const CLASS_DIGIT: u8 = 2;
const CLASS_SEP: u8 = 3;
const CLASS_UPPER: u8 = 4;
const CLASS_HIGH: u8 = 5;

/// Byte classes of the shape pass.
static CLASS: [u8; 256] = {
    let mut t = [CLASS_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'a'..=b'z' => CLASS_LOWER,
            b'0'..=b'9' => CLASS_DIGIT,
            b' ' | b'-' => CLASS_SEP,
            b'A'..=b'Z' => CLASS_UPPER,
            0xC0..=0xFF => CLASS_HIGH,
            // UTF-8 continuation bytes continue a word.
            0x80..=0xBF => CLASS_LOWER,
            _ => CLASS_OTHER,
        };
        b += 1;
    }
    t
};

/// `Xx… Yy…` at `i`: a capitalised word, one space, another capital.
fn capitalised_pair_at(hay: &[u8], i: usize) -> bool {
    // Skip the first letter (1–2 bytes), then lowercase letters.
    let mut j = i + if hay[i] >= 0xC0 { 2 } else { 1 };
    let start = j;
    while j < hay.len()
        && (hay[j].is_ascii_lowercase()
            || hay[j] >= 0x80
            || matches!(hay[j], b'\'' | b'-'))
    {
        j += 1;
    }
    j > start
        && hay.get(j) == Some(&b' ')
        && hay.get(j + 1).is_some_and(|&c| c.is_ascii_uppercase() || c >= 0xC0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pf() -> Prefilter {
        Prefilter::new(&[
            Triggers { literals: vec!["cvv".into()], ..Triggers::default() },
            Triggers { digit_run: Some(13), ..Triggers::default() },
            Triggers { capitalised_pair: true, ..Triggers::default() },
            Triggers { iban_shape: true, ..Triggers::default() },
            Triggers::always(),
        ])
    }

    #[test]
    fn triggers() {
        let p = pf();
        assert_eq!(p.scan(b"GET /healthz 200 took 12ms", None), 0b10000);
        assert_eq!(p.scan(b"CVV=1", None), 0b10001);
        assert_eq!(p.scan(b"x", Some(b"cvv")), 0b10001);
        assert_eq!(p.scan(b"4111 1111 1111 1111", None), 0b10010);
        assert_eq!(p.scan(b"2015-07-29 19:52:16,002", None), 0b10000);
        assert_eq!(p.scan(b"for Jane Roe", None), 0b10100);
        assert_eq!(p.scan("Dear Élodie Durand".as_bytes(), None), 0b10100);
        assert_eq!(
            p.scan(b"iban DE89370400440532013000", None) & 0b1000,
            0b1000
        );
    }
}
