//! The prefilter's pass a byte (or eight) at a time, on any CPU: the
//! keyword automaton, then one pass over the bytes for the shapes (digit
//! runs and card numbers, IBAN starts, capitalised pairs).

// The card and bank detectors' own candidate rules, so the two cannot
// drift apart.
use crate::detect::checks::encoded_at;
use crate::detect::checks::{
    card_may_start, iban_start, luhn_ascii, CARD_MAX, CARD_MIN,
};
use crate::detect::name::mc_part;
use crate::detect::phone::plus_number_at;
use crate::simd::load8;

use super::{at_sign_at, DetectorSet, Needs, Prefilter};

impl Prefilter {
    /// [`Prefilter::scan_within`] a byte (or eight) at a time, on any
    /// CPU, not looking in `hay` for the detectors in `skip`.
    pub(super) fn scan_scalar(
        &self,
        hay: &[u8],
        key: Option<&[u8]>,
        skip: DetectorSet,
    ) -> DetectorSet {
        let mut m = self.always;
        if let Some(k) = &self.keywords {
            m |= k.scan(hay) & !skip;
            if let Some(key) = key {
                m |= k.scan_key(key);
            }
            if m == self.all {
                return m;
            }
        }
        if self.shaped & !(m | skip) != 0 {
            m |= self.shapes(hay, m | skip) & !skip;
        }
        m
    }

    /// One byte pass for digit runs, IBAN starts and capitalised pairs,
    /// for the detectors not yet triggered.
    pub(super) fn shapes(&self, hay: &[u8], have: DetectorSet) -> DetectorSet {
        let Needs {
            iban: need_iban,
            at_sign: need_at,
            plus: need_plus,
            encoded: need_encoded,
            pair: need_pair,
            card: need_card,
            shortest,
        } = self.needs(have);
        let need_digits = shortest != usize::MAX || need_card;
        let need_upper = need_iban || need_pair;
        let mut m = 0;
        if need_at
            && memchr::memchr_iter(b'@', hay).any(|p| at_sign_at(hay, p))
        {
            m |= self.at_sign;
        }
        if need_plus
            && memchr::memchr_iter(b'+', hay).any(|p| plus_number_at(hay, p))
        {
            m |= self.plus;
        }
        if need_encoded
            && memchr::memchr2_iter(b'%', b'\\', hay)
                .any(|p| encoded_at(hay, p))
        {
            m |= self.encoded;
        }
        let mut run = DigitRun::new();
        // Eight bytes at a time, visiting only the bytes a shape can start
        // or go on with: digits, and uppercase or non-ASCII letters.
        let mut at = 0;
        while at < hay.len() {
            let x = load8(hay, at);
            if need_digits {
                let d = gather(in_range(x, b'0', b'9'));
                m |= self
                    .digit_block(hay, at, d, &mut run, need_card, shortest);
            }
            let mut u = if need_upper {
                in_range(x, b'A', b'Z') | (x & (x << 1) & HIGH)
            } else {
                0
            };
            while u != 0 {
                let i = at + u.trailing_zeros() as usize / 8;
                u &= u - 1;
                if need_iban && iban_start(hay, i) {
                    m |= self.iban;
                }
                let prev = if i == 0 {
                    CLASS_OTHER
                } else {
                    CLASS[hay[i - 1] as usize]
                };
                if need_pair
                    && !matches!(prev, CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)
                {
                    m |= self.pair_at(hay, i, have | m);
                }
            }
            at += 8;
        }
        if need_card {
            m |= self.digit_end(hay, &run);
        }
        m
    }

    /// The detectors, beyond `have`, that a capitalised pair starting at
    /// the word start `i` wakes.
    pub(super) fn pair_at(
        &self,
        hay: &[u8],
        i: usize,
        have: DetectorSet,
    ) -> DetectorSet {
        if self.pair & !have == 0 || !capitalised_pair_at(hay, i) {
            return 0;
        }
        let mut m = self.pair_free & !have;
        for (bit, check) in &self.pair_checks {
            if bit & !(have | m) != 0 && (check.0)(hay, i) {
                m |= bit;
            }
        }
        m
    }

    /// What the digits of the block at `at` (bit `k` set: `hay[at + k]`
    /// is a digit, blocks in order) trigger: a run a step, not a digit.
    #[inline(always)]
    fn digit_block(
        &self,
        hay: &[u8],
        at: usize,
        mut d: u64,
        run: &mut DigitRun,
        need_card: bool,
        shortest: usize,
    ) -> DetectorSet {
        let mut m = 0;
        while d != 0 {
            let k = d.trailing_zeros() as usize;
            let len = (!(d >> k)).trailing_zeros() as usize;
            d &= !(((1 << len) - 1) << k);
            let i = at + k;
            let adjacent = i > 0 && run.last == i - 1;
            let joined = adjacent
                || (i > 1
                    && run.last == i - 2
                    && matches!(hay[i - 1], b' ' | b'-'));
            if !joined {
                // A run of 13 digits or more has ended: the card number's
                // layout is checked on it alone.
                if need_card {
                    m |= self.digit_end(hay, run);
                }
                run.digits = 0;
                run.start = i;
            }
            run.digits += len;
            run.last = i + len - 1;
            if run.digits >= shortest {
                m |= self.digit_run_bits(run.digits);
            }
        }
        m
    }

    /// The card trigger of a run that has ended.
    #[inline(always)]
    pub(super) fn digit_end(&self, hay: &[u8], run: &DigitRun) -> DetectorSet {
        if run.digits >= CARD_MIN && card_in_run(hay, run.start, run.last) {
            self.card
        } else {
            0
        }
    }
}

/// Digits in the current run (groups joined by one space or dash), where
/// it starts, and where its last digit was.
#[derive(Debug)]
pub(super) struct DigitRun {
    pub(super) digits: usize,
    pub(super) start: usize,
    pub(super) last: usize,
}

impl DigitRun {
    fn new() -> DigitRun {
        DigitRun { digits: 0, start: 0, last: usize::MAX }
    }
}

/// Whether a card number's layout occurs in the run of digits
/// `hay[start..=end]` (groups joined by single spaces or dashes): 13–19
/// digits in a row, Luhn-valid, or groups from a group of four holding 13
/// or more, starting where a number may start.
pub(super) fn card_in_run(hay: &[u8], start: usize, end: usize) -> bool {
    // The number that may start in the run so far: its digits, and
    // whether its first group has closed at four digits.
    let mut card: Option<(usize, bool)> = None;
    let mut group = 0;
    let mut i = start;
    while i <= end {
        let g = i;
        while i <= end && hay[i].is_ascii_digit() {
            i += 1;
        }
        let len = i - g;
        card = match card {
            _ if g == start => card_may_start(hay, g).then_some((len, false)),
            // A grouped number's first group has four digits.
            Some((n, grouped)) if grouped || group == 4 => {
                Some((n + len, true))
            }
            // After a space a new number may start; after a dash it would
            // continue the one before.
            _ => (hay[g - 1] == b' ').then_some((len, false)),
        };
        group = len;
        match card {
            Some((n, true)) if n >= CARD_MIN => return true,
            Some((n, false))
                if (CARD_MIN..=CARD_MAX).contains(&n)
                    && luhn_ascii(&hay[g..i]) =>
            {
                return true
            }
            _ => {}
        }
        // Past the separator.
        i += 1;
    }
    false
}

/// The high bits of the bytes of `h` (all other bits clear) as 8 bits,
/// byte `k` to bit `k`: one multiply moves each to its place in the top
/// byte, and no two partial products overlap.
fn gather(h: u64) -> u64 {
    (h >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` that lies in `lo..=hi` (both < 0x80):
/// SWAR compares, no carry crosses a byte.
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let low7 = x & !HIGH;
    let ge_lo = low7 + ONES * u64::from(0x80 - lo);
    let gt_hi = low7 + ONES * u64::from(0x7F - hi);
    ge_lo & !gt_hi & !x & HIGH
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
///
/// The word may hold capitals where the name detector's words may: at
/// the start of a part (`O'Brien`, `Jean-Luc`) or after `Mc`/`Mac`
/// (`McDonald`); and it needs a lowercase letter (`INFO Foo` is no pair,
/// nor is `HotSpot VM`).
fn capitalised_pair_at(hay: &[u8], i: usize) -> bool {
    // Skip the first letter (1–2 bytes), then letters, `'` and `-`.
    let mut j = i + if hay[i] >= 0xC0 { 2 } else { 1 };
    let mut lower = false;
    while j < hay.len() {
        match hay[j] {
            b'a'..=b'z' | 0x80.. => lower = true,
            b'\'' | b'-' => {}
            b'A'..=b'Z' => {
                // As the name detector's words: a capital starts a part,
                // or follows a part's `Mc`/`Mac` (`O'Rourke-McBride`).
                if !(matches!(hay[j - 1], b'\'' | b'-') || mc_part(&hay[i..j]))
                {
                    return false;
                }
            }
            _ => break,
        }
        j += 1;
    }
    let cap = |k: usize| {
        hay.get(k).is_some_and(|&c| c.is_ascii_uppercase() || c >= 0xC0)
    };
    lower
        && hay.get(j) == Some(&b' ')
        && (cap(j + 1) || particles_then_cap(hay, j + 1, cap))
}

/// One or two particle-shaped words at `k` (2–7 lower-case ASCII letters
/// then a space, the first starting with `d`, `l`, `v` or `z`), then a
/// capital (`van Berg`, `van der Berg`, `da Paz`, `le Goff`): by shape,
/// the name detector's particles that English seldom puts between a
/// capitalised word and another (`to`, `in`, `of` start no particle);
/// the detector checks the words themselves. Names with other particles
/// (`bin`, `ten`) wake it by a capitalised pair of their own.
fn particles_then_cap(
    hay: &[u8],
    mut k: usize,
    cap: impl Fn(usize) -> bool,
) -> bool {
    if !hay.get(k).is_some_and(|b| matches!(b, b'd' | b'l' | b'v' | b'z')) {
        return false;
    }
    for _ in 0..2 {
        let n = hay
            .get(k..)
            .unwrap_or_default()
            .iter()
            .take(8)
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        if !(2..=7).contains(&n) || hay.get(k + n) != Some(&b' ') {
            return false;
        }
        k += n + 1;
        if cap(k) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_matches_bytewise() {
        for x in 0..=255u64 {
            let mut h = 0;
            for k in 0..8 {
                if x >> k & 1 == 1 {
                    h |= 0x80 << (k * 8);
                }
            }
            assert_eq!(gather(h), x);
        }
    }

    #[test]
    fn in_range_matches_bytewise() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let x = u64::from(b) << (pos * 8)
                    | 0x2020_2020_2020_2020 & !(0xFF << (pos * 8));
                let got = in_range(x, b'0', b'9') >> (pos * 8 + 7) & 1;
                assert_eq!(got == 1, b.is_ascii_digit(), "{b:#x} at {pos}");
                assert_eq!(
                    in_range(x, b'A', b'Z') >> (pos * 8 + 7) & 1 == 1,
                    b.is_ascii_uppercase()
                );
            }
        }
    }
}
