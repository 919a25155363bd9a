//! The prefilter: one cheap pass over a line decides which detectors can
//! find anything in it, so a clean line costs one automaton scan and one
//! byte scan instead of every detector's full search.
//!
//! Each detector states its [`Triggers`]: literals (keywords and token
//! prefixes, matched ASCII case-insensitively by one shared automaton), a
//! card number's layout (checked as the card detector checks it), an
//! IBAN's shape, or two capitalised words (which the detector may check
//! itself, as the name detector does against its word lists). A
//! detector that states none always runs. `tests/prefilter.rs` checks
//! that it only ever skips work.
//!
//! `scalar.rs` has the pass that goes a byte (or eight) at a time and
//! runs on any CPU; `avx2.rs` gives the same answers 32 bytes a step
//! where the CPU has AVX2, and its tests check the two agree.
//! `keywords.rs` has the literals' automaton both passes may use.

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2;
mod keywords;
mod scalar;

use std::collections::HashMap;

use crate::detect::{PairCheck, Triggers};
use crate::fxhash::FxBuild;
use keywords::{needed_literals, KeywordDfa};

/// Set of detector indices (the first 62; later ones always run), a bit
/// for the key rules and one for the decoding layers.
pub(crate) type DetectorSet = u64;

/// Detectors with a bit of their own in a [`DetectorSet`].
pub(crate) const DETECTOR_BITS: usize = 62;

/// The bit of a [`DetectorSet`] set when the line may hold an encoded
/// run worth decoding (`engine/decode.rs`).
pub(crate) const DECODE: DetectorSet = 1 << 62;

/// The bit of a [`DetectorSet`] set when a key named by an always-mask
/// key rule may occur in the line.
pub(crate) const KEY_RULES: DetectorSet = 1 << 63;

/// The combined prefilter of an engine's detectors.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    keywords: Option<KeywordDfa>,
    always: DetectorSet,
    digit_run: Vec<(usize, DetectorSet)>,
    card: DetectorSet,
    iban: DetectorSet,
    /// Detectors woken by an `@` between a word character and a letter.
    at_sign: DetectorSet,
    /// Detectors woken by a `+` that starts a long number.
    plus: DetectorSet,
    /// Detectors woken by an encoded run's start.
    encoded: DetectorSet,
    pair: DetectorSet,
    /// Detectors woken by any capitalised pair (no test of their own).
    pair_free: DetectorSet,
    /// Detectors woken by a capitalised pair that passes their test.
    pair_checks: Vec<(DetectorSet, PairCheck)>,
    all: DetectorSet,
    /// Detectors with any shape trigger (`digit_run`, `iban`, `pair`).
    shaped: DetectorSet,
    /// `needs(always)`: what a scan starts out looking for.
    needs_always: Needs,
    /// The same pass 32 bytes a step, when the CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    avx2: Option<avx2::Pass>,
}

impl Prefilter {
    /// The prefilter of detectors with `triggers`, of the key rules with
    /// `key_rules` (reported as [`KEY_RULES`]) and of the decoding layers
    /// with `decode` ([`DECODE`]).
    pub(crate) fn new(
        triggers: &[Triggers],
        key_rules: Option<Triggers>,
        decode: Option<Triggers>,
    ) -> Prefilter {
        let mut pats: Vec<String> = Vec::new();
        let mut pattern_mask = Vec::new();
        // Each literal's index in `pats`: a detector's literals are
        // thousands (token prefixes), and a search of `pats` for each was
        // most of the start-up.
        let mut index: HashMap<String, usize, FxBuild> = HashMap::default();
        let mut p = Prefilter {
            keywords: None,
            always: 0,
            digit_run: Vec::new(),
            card: 0,
            iban: 0,
            at_sign: 0,
            plus: 0,
            encoded: 0,
            pair: 0,
            pair_free: 0,
            pair_checks: Vec::new(),
            all: 0,
            shaped: 0,
            needs_always: Needs::default(),
            #[cfg(target_arch = "x86_64")]
            avx2: None,
        };
        let bits = (0..triggers.len().min(DETECTOR_BITS)).map(|i| 1 << i);
        let own = bits.zip(triggers.iter().take(DETECTOR_BITS));
        let extra =
            [(KEY_RULES, key_rules.as_ref()), (DECODE, decode.as_ref())];
        let extra = extra.into_iter().filter_map(|(b, t)| Some((b, t?)));
        for (bit, t) in own.chain(extra) {
            p.all |= bit;
            if t.always {
                p.always |= bit;
                continue;
            }
            for l in &t.literals {
                let l = l.to_ascii_lowercase();
                match index.get(&l) {
                    Some(&k) => pattern_mask[k] |= bit,
                    None => {
                        index.insert(l.clone(), pats.len());
                        pats.push(l);
                        pattern_mask.push(bit);
                    }
                }
            }
            if let Some(n) = t.digit_run {
                p.digit_run.push((n, bit));
            }
            if t.card_number {
                p.card |= bit;
            }
            if t.iban_shape {
                p.iban |= bit;
            }
            if t.at_sign {
                p.at_sign |= bit;
            }
            if t.plus_number {
                p.plus |= bit;
            }
            if t.encoded {
                p.encoded |= bit;
            }
            if t.capitalised_pair {
                p.pair |= bit;
                match &t.pair_check {
                    Some(c) => p.pair_checks.push((bit, c.clone())),
                    None => p.pair_free |= bit,
                }
            }
        }
        p.shaped = p.card
            | p.iban
            | p.at_sign
            | p.plus
            | p.encoded
            | p.pair
            | p.digit_run.iter().fold(0, |a, &(_, b)| a | b);
        if triggers.len() > DETECTOR_BITS {
            // Detectors past the mask's bits always run: so must every
            // line's detection.
            p.always = p.all;
        }
        let keep = if pats.is_empty() {
            Some(Vec::new())
        } else {
            needed_literals(&pats, &pattern_mask)
        };
        if !pats.is_empty() {
            p.keywords = keep
                .as_ref()
                .and_then(|k| KeywordDfa::new(&pats, &pattern_mask, k));
            if p.keywords.is_none() {
                // Too many literals for one automaton: run everything.
                p.always = p.all;
            }
        }
        p.needs_always = p.needs_of(p.always);
        #[cfg(target_arch = "x86_64")]
        if let Some(keep) = keep {
            let lits: Vec<(&str, DetectorSet)> = keep
                .iter()
                .map(|&i| (pats[i].as_str(), pattern_mask[i]))
                .collect();

            p.avx2 = avx2::Pass::new(&lits);
        }
        p
    }

    /// The detectors that may find something in `hay` (or in a field
    /// under `key`).
    pub(crate) fn scan(&self, hay: &[u8], key: Option<&[u8]>) -> DetectorSet {
        self.scan_within(hay, key, DetectorSet::MAX)
    }

    /// [`Prefilter::scan`] of a field value `hay` that occurs as it is in
    /// a line whose scan gave `line`: the detectors outside it have no
    /// trigger in `hay` either, so only the others are looked for (the
    /// key, not necessarily in the line as it is, is scanned in full).
    pub(crate) fn scan_within(
        &self,
        hay: &[u8],
        key: Option<&[u8]>,
        line: DetectorSet,
    ) -> DetectorSet {
        let skip = self.all & !line;
        #[cfg(target_arch = "x86_64")]
        if let Some(pass) = &self.avx2 {
            return pass.scan(self, hay, key, skip);
        }
        self.scan_scalar(hay, key, skip)
    }

    /// The shapes still worth looking for, given the detectors already
    /// triggered.
    #[inline]
    fn needs(&self, have: DetectorSet) -> Needs {
        // Most scans start from `always`: worked out once, in `new`.
        if have == self.always {
            self.needs_always
        } else {
            self.needs_of(have)
        }
    }

    /// [`Prefilter::needs`], worked out.
    fn needs_of(&self, have: DetectorSet) -> Needs {
        Needs {
            iban: self.iban & !have != 0,
            at_sign: self.at_sign & !have != 0,
            plus: self.plus & !have != 0,
            encoded: self.encoded & !have != 0,
            pair: self.pair & !have != 0,
            card: self.card & !have != 0,
            shortest: self
                .digit_run
                .iter()
                .filter(|&&(_, b)| b & !have != 0)
                .map(|&(n, _)| n)
                .min()
                .unwrap_or(usize::MAX),
        }
    }

    /// The detectors whose digit run `digits` digits make.
    fn digit_run_bits(&self, digits: usize) -> DetectorSet {
        self.digit_run
            .iter()
            .filter(|&&(n, _)| digits >= n)
            .fold(0, |m, &(_, bit)| m | bit)
    }
}

/// True when `hay` holds an `@` between an address's local part and a
/// dotted domain (`jane@example.com`, `jo@163.com`; not `Worker@679`,
/// `local@tbird-admin1` or `@scope`).
#[cfg(test)]
fn at_sign(hay: &[u8]) -> bool {
    memchr::memchr_iter(b'@', hay).any(|p| at_sign_at(hay, p))
}

/// [`at_sign`] at the `@` at `p`.
pub(super) fn at_sign_at(hay: &[u8], p: usize) -> bool {
    let label = hay[p + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    let dot = p + 1 + label;
    p > 0
        && (hay[p - 1].is_ascii_alphanumeric()
            || matches!(hay[p - 1], b'.' | b'_' | b'%' | b'+' | b'-'))
        && label > 0
        && hay.get(dot) == Some(&b'.')
        && hay.get(dot + 1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Shapes to look for: IBAN starts, capitalised pairs, card numbers, and
/// the shortest digit run any detector not yet triggered asks for.
#[derive(Clone, Copy, Debug, Default)]
struct Needs {
    iban: bool,
    at_sign: bool,
    plus: bool,
    encoded: bool,
    pair: bool,
    card: bool,
    shortest: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_sign_shape() {
        for h in ["jane@example.com", "x jo@163.com", "a.b+c@x-y.io,"] {
            assert!(at_sign(h.as_bytes()), "{h}");
        }
        for h in [
            "Worker@679 x",
            "local@tbird-admin1",
            "@scope/pkg",
            "a@",
            "a@b.",
            "@x.com",
        ] {
            assert!(!at_sign(h.as_bytes()), "{h}");
        }
    }

    fn pf() -> Prefilter {
        Prefilter::new(
            &[
                Triggers::literals(["cvv"]),
                Triggers::default().digit_run(13),
                Triggers::default().capitalised_pair(true),
                Triggers::default().iban_shape(true),
                Triggers::always(),
            ],
            None,
            None,
        )
    }

    #[test]
    fn literal_anywhere_in_a_long_line() {
        let p = pf();
        // Long enough for the two-lane keyword scan: the literal at every
        // offset, across the middle too.
        for at in 0..297 {
            let mut l = vec![b'x'; 300];
            l[at..at + 3].copy_from_slice(b"CvV");
            let l = &l[..(at + 3).max(200)];
            assert_eq!(p.scan(l, None) & 1, 1, "at {at}");
        }
        assert_eq!(p.scan(&[b'x'; 300], None) & 1, 0);
    }

    #[test]
    fn triggers_across_blocks() {
        let p = pf();
        // Shapes that cross an 8-byte block edge, at every offset.
        for pad in 0..9 {
            let sp = " ".repeat(pad);
            let l = format!("{sp}id 4111 1111 1111 1111 ok");
            assert_eq!(p.scan(l.as_bytes(), None) & 0b10, 0b10, "{l}");
            let l = format!("{sp}lowercase words for Jane Roe");
            assert_eq!(p.scan(l.as_bytes(), None) & 0b100, 0b100, "{l}");
            let l = format!("{sp}abcdefgh 4111 1111 1111 abcdefgh");
            assert_eq!(p.scan(l.as_bytes(), None) & 0b10, 0, "{l}");
        }
    }

    #[test]
    fn triggers() {
        let p = pf();
        assert_eq!(p.scan(b"GET /healthz 200 took 12ms", None), 0b10000);
        assert_eq!(p.scan(b"CVV=1", None), 0b10001);
        assert_eq!(p.scan(b"x", Some(b"cvv")), 0b10001);
        // Within a line that woke only the card detector (and the one
        // that always runs): the key is still read in full.
        let line = 0b10010;
        let card_cvv = b"CVV=1 4111 1111 1111 1111";
        assert_eq!(p.scan(card_cvv, None), 0b10011);
        assert_eq!(p.scan_within(card_cvv, None, line), 0b10010);
        assert_eq!(p.scan_within(b"x", Some(b"cvv"), line), 0b10001);
        assert_eq!(p.scan_within(b"for Jane Roe", None, line), 0b10000);
        assert_eq!(p.scan(b"4111 1111 1111 1111", None), 0b10010);
        assert_eq!(p.scan(b"2015-07-29 19:52:16,002", None), 0b10000);
        assert_eq!(p.scan(b"for Jane Roe", None), 0b10100);
        assert_eq!(p.scan("Dear Élodie Durand".as_bytes(), None), 0b10100);
        assert_eq!(
            p.scan(b"iban DE89370400440532013000", None) & 0b1000,
            0b1000
        );
        // No IBAN starts with a country that has none, or inside a word;
        // padded past 32 bytes for the AVX2 pass too.
        for l in [
            "Read out applicability for package: Package_for_KB2928120~31",
            "Read out applicability for package: Package_KB29 and_DE89370400",
            "Read out applicability for package: Package XXDE89370400440532",
        ] {
            assert_eq!(p.scan(l.as_bytes(), None) & 0b1000, 0, "{l}");
        }
        assert_eq!(
            p.scan(b"Read out applicability for package: GB29 NWBK", None)
                & 0b1000,
            0b1000
        );
    }
}
