//! The prefilter's pass for x86-64 CPUs with AVX2: 32 bytes a step.
//!
//! Literals come from Teddy's candidates ([`Literals`], shared with the
//! key scanner's [`Finder`](crate::simd::Finder)). The shapes' byte
//! classes (digits, capitals, letters) come from the same loads as bit
//! masks; they only pick the places to look, and the rules that decide a
//! shape are the scalar pass's own (`card_in_run`, `pair_at`), so both
//! passes report the same detectors for every line. The unit tests below
//! check it.
//!
//! Its `unsafe` is the call into AVX2 code: a [`Pass`] is made only once
//! the CPU is known to have AVX2. `benches/README.md` has the
//! measurements that justify it.

use std::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_max_epu8,
    _mm256_or_si256, _mm256_set1_epi8,
};

use super::scalar::{card_in_run, DigitRun};
use super::{at_sign_at, DetectorSet, Needs, Prefilter};
use crate::detect::checks::encoded_at;
use crate::detect::checks::{iban_start, CARD_MIN};
use crate::detect::phone::plus_number_at;
use crate::simd::vector::{bits, eq, in_range, load, valid_bits, window};
use crate::simd::Literals;

/// Inputs shorter than this (a structured field's value or key) go to the
/// scalar pass, whose set-up costs less.
const SHORT: usize = 24;

/// The AVX2 pass of a prefilter, made only on a CPU that has AVX2.
#[derive(Clone, Debug)]
pub(super) struct Pass {
    /// The literals, unless one is too short for this pass.
    lits: Option<Literals>,
}

impl Pass {
    /// The pass for the literals `pats` (lowercase) with their
    /// detectors, if this CPU has AVX2.
    pub(super) fn new(pats: &[(&str, DetectorSet)]) -> Option<Pass> {
        std::is_x86_feature_detected!("avx2")
            .then(|| Pass { lits: Literals::new(pats) })
    }

    /// [`Prefilter::scan_within`] with this pass, not looking in `hay`
    /// for the detectors in `skip`.
    pub(super) fn scan(
        &self,
        pf: &Prefilter,
        hay: &[u8],
        key: Option<&[u8]>,
        skip: DetectorSet,
    ) -> DetectorSet {
        if hay.len() < SHORT && key.is_none_or(|k| k.len() < SHORT) {
            return pf.scan_scalar(hay, key, skip);
        }
        self.scan_wide(pf, hay, key, skip)
    }

    /// [`Pass::scan`] with AVX2 whatever the input's length.
    fn scan_wide(
        &self,
        pf: &Prefilter,
        hay: &[u8],
        key: Option<&[u8]>,
        skip: DetectorSet,
    ) -> DetectorSet {
        let mut m = pf.always;
        if m == pf.all {
            return m;
        }
        let lits = self.lits.as_ref();
        if let Some(k) = &pf.keywords {
            // A key is read as `key=` (`KeywordDfa::scan_key`): the
            // automaton's pass, as keys are short.
            m |= key.map_or(0, |key| k.scan_key(key));
            if lits.is_none() {
                m |= k.scan(hay) & !skip;
            }
        }
        // SAFETY: a `Pass` is only made on a CPU with AVX2 (`Pass::new`).
        unsafe {
            // The skipped detectors count as found while `hay` is scanned,
            // and are taken out again after.
            let have = m | skip;
            m | pf.scan_avx2(lits, hay, have, pf.shaped & !have != 0) & !skip
        }
    }
}

impl Prefilter {
    /// [`Prefilter::scan`]'s work on `hay` from the detectors `m` already
    /// triggered: literals (when `lits` is given) and, if `shapes`, the
    /// shapes.
    #[target_feature(enable = "avx2")]
    pub(super) fn scan_avx2(
        &self,
        lits: Option<&Literals>,
        hay: &[u8],
        mut m: DetectorSet,
        shapes: bool,
    ) -> DetectorSet {
        let len = hay.len();
        let mut needs = self.needs(m);
        // Whether one of the shapes with a rare byte is looked for (kept
        // beside `needs`: the test on the struct's fields, per block,
        // compiles to a vector of its flags rebuilt each time).
        let rare_shapes = |n: &Needs| n.at_sign || n.plus || n.encoded;
        let mut any_rare = rare_shapes(&needs);
        let mut seen = m;
        // Whether the byte before the block is a letter or digit.
        let mut prev_alnum = 0u32;
        // Digit runs by their joined bytes, when no run asked for is
        // longer than two blocks can show (else the scalar pass walks the
        // digits after the loop); the last block's joined bytes and digit,
        // and where the walked runs end.
        let shortest =
            needs.shortest.min(if needs.card { CARD_MIN } else { usize::MAX });
        let long_runs = shortest <= 32;
        let (mut prev_joined, mut prev_digits, mut done) = (0u64, 0u64, 0);
        let mut pad = [0u8; 70];
        let mut at = 0;
        while at < len {
            if m != seen {
                if m == self.all {
                    return m;
                }
                needs = self.needs(m);
                any_rare = rare_shapes(&needs);
                seen = m;
            }
            // A whole block and the three bytes after it, but at the
            // line's end, where the window pads it.
            let (w, valid) = match hay.get(at..at + 35) {
                Some(w) => (w, u32::MAX),
                None => (window(hay, at, &mut pad), valid_bits(len - at)),
            };
            let v0 = load(w, 0);
            if let Some(l) = lits.filter(|l| l.all & !m != 0) {
                let mut c = l.candidates(w) & valid;
                // The candidates' cheap test without a branch each (one in
                // eight passes, at random): the few that pass are checked.
                let mut pass = 0u32;
                while c != 0 {
                    let k = c.trailing_zeros();
                    c &= c - 1;
                    pass |= u32::from(l.may_start(w, k as usize)) << k;
                }
                while pass != 0 {
                    let k = pass.trailing_zeros() as usize;
                    pass &= pass - 1;
                    m |= l.at(hay, at + k, m);
                }
            }
            if shapes && long_runs {
                // Digits, and single spaces or dashes between two digits:
                // the runs the scalar pass walks digit group by digit
                // group. Only a run at least `shortest` bytes long can
                // hold that many digits: its digits are counted, and it is
                // walked only for a card.
                let v1 = load(w, 1);
                let d = bits(digit(v0)) & valid;
                let sep = bits(_mm256_or_si256(eq(v0, b' '), eq(v0, b'-')));
                let prev_digit = (prev_digits >> 31) as u32;
                let joined = d | sep & (d << 1 | prev_digit) & bits(digit(v1));
                // This block and the last, bit 0 being byte `at - 32`.
                let window = u64::from(joined) << 32 | prev_joined;
                let digits = u64::from(d) << 32 | prev_digits;
                prev_joined = u64::from(joined);
                prev_digits = u64::from(d);
                let mut y = at_least(window, shortest);
                while y != 0 {
                    let k = y.trailing_zeros();
                    y &= y - 1;
                    let p = at + k as usize - 32;
                    if p < done {
                        continue;
                    }
                    // A run inside the two blocks is counted from the bit
                    // masks, and one with a card's digits checked where
                    // the masks put it, as the scalar pass checks it;
                    // only a run that may go on beyond them is walked.
                    if let Some((s, e)) = run_through(window, k) {
                        let n = (digits & ((1 << e) - (1 << s))).count_ones();
                        let (start, end) =
                            (at + s as usize - 32, at + e as usize - 32);
                        done = end;
                        m |= self.digit_run_bits(n as usize);
                        if needs.card
                            && n as usize >= CARD_MIN
                            && card_in_run(hay, start, end - 1)
                        {
                            m |= self.card;
                        }
                        continue;
                    }
                    let (t, end) = self.joined_run(hay, p, &needs);
                    m |= t;
                    done = end + 1;
                }
            }
            // `@`, `+`, `%` and `\`, where an address, a `+` number or an
            // escape may start, are in few blocks (3% of LogHub's): one
            // test for the three shapes.
            let rare = if shapes && any_rare {
                bits(_mm256_or_si256(
                    _mm256_or_si256(eq(v0, b'@'), eq(v0, b'+')),
                    _mm256_or_si256(eq(v0, b'%'), eq(v0, b'\\')),
                )) & valid
            } else {
                0
            };
            if rare != 0 {
                m |= self.rare_at(hay, at, v0, rare, &needs);
            }
            if shapes {
                if needs.iban {
                    let (v1, v2, v3) = (load(w, 1), load(w, 2), load(w, 3));
                    let iban = _mm256_and_si256(
                        _mm256_and_si256(upper(v0), upper(v1)),
                        _mm256_and_si256(digit(v2), digit(v3)),
                    );
                    let mut c = bits(iban) & valid;
                    while c != 0 {
                        let k = c.trailing_zeros() as usize;
                        c &= c - 1;
                        if iban_start(hay, at + k) {
                            m |= self.iban;
                            break;
                        }
                    }
                }
                if needs.pair {
                    // A capital (or a non-ASCII letter's first byte) that
                    // starts a word; `pair_at` decides.
                    let alnum = bits(_mm256_or_si256(
                        _mm256_or_si256(lower(v0), upper(v0)),
                        digit(v0),
                    ));
                    let cap = bits(_mm256_or_si256(upper(v0), high(v0)));
                    let mut s = cap & !(alnum << 1 | prev_alnum) & valid;
                    prev_alnum = alnum >> 31;
                    if s != 0 {
                        s = self.pair_starts(w, v0, s);
                    }
                    while s != 0 {
                        let i = at + s.trailing_zeros() as usize;
                        s &= s - 1;
                        m |= self.pair_at(hay, i, m);
                        if self.pair & !m == 0 {
                            break;
                        }
                    }
                }
            }
            at += 32;
        }
        if shapes && !long_runs && self.needs(m).shortest != usize::MAX {
            // Only digit runs longer than 32 are asked for (no card): the
            // scalar pass, told the other shapes are done.
            m |= self.shapes(
                hay,
                m | self.iban
                    | self.at_sign
                    | self.plus
                    | self.encoded
                    | self.pair,
            );
        }
        m
    }

    /// What the rare bytes `rare` of the block at `at` (`v0`) wake: `@`
    /// of an address, `+` of a number, `%` or `\` of an escape. Out of
    /// the block loop, which it would bloat for 3% of blocks.
    #[target_feature(enable = "avx2")]
    #[inline(never)]
    #[cold]
    fn rare_at(
        &self,
        hay: &[u8],
        at: usize,
        v0: __m256i,
        rare: u32,
        needs: &Needs,
    ) -> DetectorSet {
        // Whether `check` passes at one of the bytes of `c`.
        let any = |mut c: u32, check: fn(&[u8], usize) -> bool| {
            while c != 0 {
                let k = c.trailing_zeros() as usize;
                c &= c - 1;
                if check(hay, at + k) {
                    return true;
                }
            }
            false
        };
        let mut m = 0;
        if needs.at_sign && any(bits(eq(v0, b'@')) & rare, at_sign_at) {
            m |= self.at_sign;
        }
        if needs.plus && any(bits(eq(v0, b'+')) & rare, plus_number_at) {
            m |= self.plus;
        }
        // Where an escape may start: `%` and `\`.
        let at_plus = _mm256_or_si256(eq(v0, b'@'), eq(v0, b'+'));
        if needs.encoded && any(!bits(at_plus) & rare, encoded_at) {
            m |= self.encoded;
        }
        m
    }

    /// Those of `starts` (bits of the block `w` starting at `v0`) whose
    /// word may end in a space and a letter, as a capitalised pair's
    /// first word must (a capital, or a particle's first letter): it ends
    /// at the first byte past it that cannot go on with a word, or runs
    /// past the block.
    #[target_feature(enable = "avx2")]
    fn pair_starts(&self, w: &[u8], v0: __m256i, starts: u32) -> u32 {
        let v1 = load(w, 1);
        let word = bits(_mm256_or_si256(
            _mm256_or_si256(lower(v0), upper(v0)),
            _mm256_or_si256(
                high(v0),
                _mm256_or_si256(eq(v0, b'\''), eq(v0, b'-')),
            ),
        ));
        // A space then a capital, or then the first letter of a particle
        // the prefilter knows (`Lana van Berg`, `da Paz`), which `pair_at`
        // checks.
        let particle = _mm256_or_si256(
            _mm256_or_si256(eq(v1, b'd'), eq(v1, b'l')),
            _mm256_or_si256(eq(v1, b'v'), eq(v1, b'z')),
        );
        let space_cap = bits(_mm256_and_si256(
            eq(v0, b' '),
            _mm256_or_si256(_mm256_or_si256(upper(v1), high(v1)), particle),
        ));
        // The byte after a non-ASCII first letter is skipped whatever it
        // is: such a start stays a candidate.
        let mut keep = starts & bits(high(v0));
        // Past the block, words go on.
        let x = u64::from(word) | !0xFFFF_FFFF;
        let mut rest = starts & !keep;
        while rest != 0 {
            let i = rest.trailing_zeros();
            rest &= rest - 1;
            let end = i + (!(x >> i)).trailing_zeros();
            if end >= 32 || space_cap >> end & 1 == 1 {
                keep |= 1 << i;
            }
        }
        keep
    }

    /// The triggers of the joined digit run through `p` (digits, with
    /// single spaces or dashes between them), decided as the scalar pass
    /// decides them, and where it ends.
    fn joined_run(
        &self,
        hay: &[u8],
        p: usize,
        needs: &Needs,
    ) -> (DetectorSet, usize) {
        let digit = |i: usize| hay[i].is_ascii_digit();
        let joined = |i: usize| {
            digit(i)
                || (matches!(hay[i], b' ' | b'-')
                    && i >= 1
                    && i + 1 < hay.len()
                    && digit(i - 1)
                    && digit(i + 1))
        };
        let (mut start, mut end) = (p, p);
        while start > 0 && joined(start - 1) {
            start -= 1;
        }
        while end + 1 < hay.len() && joined(end + 1) {
            end += 1;
        }
        let digits =
            hay[start..=end].iter().filter(|b| b.is_ascii_digit()).count();
        let mut m = self.digit_run_bits(digits);
        if needs.card {
            m |= self.digit_end(hay, &DigitRun { digits, start, last: end });
        }
        (m, end)
    }
}

/// Bits `k` of `x` with bits `k..k + n` all set (`n` ≥ 1).
#[inline(always)]
fn at_least(x: u64, n: usize) -> u64 {
    // Doubling: bit `k` of `xN` says bits `k..k + N` are set, and two
    // overlapping spans of N cover any length up to 2N. The branches on
    // `n` go the same way block after block.
    let x2 = x & x >> 1;
    if n <= 2 {
        return if n <= 1 { x } else { x2 };
    }
    let x4 = x2 & x2 >> 2;
    if n <= 4 {
        return x2 & x2 >> (n - 2);
    }
    let x8 = x4 & x4 >> 4;
    if n <= 8 {
        return x4 & x4 >> (n - 4);
    }
    let x16 = x8 & x8 >> 8;
    if n <= 16 {
        return x8 & x8 >> (n - 8);
    }
    let x32 = x16 & x16 >> 16;
    if n <= 32 {
        return x16 & x16 >> (n - 16);
    }
    x32 & x32 >> (n - 32).min(63)
}

/// The run of set bits of `x` through bit `k`, as the bits `s..e`, when
/// it lies inside `x`: neither from bit 0 nor to bit 63, where it may go
/// on beyond.
fn run_through(x: u64, k: u32) -> Option<(u32, u32)> {
    let below = !x & ((1 << k) - 1);
    if below == 0 {
        return None;
    }
    let s = 64 - below.leading_zeros();
    let e = k + (!(x >> k)).trailing_zeros();
    (e < 64).then_some((s, e))
}

#[target_feature(enable = "avx2")]
fn digit(v: __m256i) -> __m256i {
    in_range(v, b'0', b'9')
}

#[target_feature(enable = "avx2")]
fn upper(v: __m256i) -> __m256i {
    in_range(v, b'A', b'Z')
}

/// Lowercase ASCII letters and UTF-8 continuation bytes: what the scalar
/// pass counts as continuing a word.
#[target_feature(enable = "avx2")]
fn lower(v: __m256i) -> __m256i {
    _mm256_or_si256(in_range(v, b'a', b'z'), in_range(v, 0x80, 0xBF))
}

/// The first byte of a multi-byte UTF-8 character (0xC0 and up).
#[target_feature(enable = "avx2")]
fn high(v: __m256i) -> __m256i {
    let c = _mm256_set1_epi8(0xC0u8 as i8);
    _mm256_cmpeq_epi8(_mm256_max_epu8(v, c), v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::Triggers;
    use proptest::prelude::*;

    /// A prefilter with every kind of trigger, with and without AVX2.
    fn both() -> Option<Prefilter> {
        let p = Prefilter::new(
            &[
                Triggers::literals([
                    "cvv", "password", "Bearer ", "sk_live_", "api-key",
                ]),
                Triggers::default().digit_run(9),
                Triggers::default().card_number(true),
                Triggers::literals(["iban", "account"]).iban_shape(true),
                Triggers::literals(["customer", "name", "mr"])
                    .capitalised_pair(true),
                Triggers::default().at_sign(true),
                Triggers::default().plus_number(true),
                Triggers::default().encoded(true),
            ],
            None,
            None,
        );
        p.avx2.is_some().then_some(p)
    }

    /// Prefilters to compare: [`both`], and one whose only digit run is
    /// longer than the AVX2 pass's two-block window (with no card), which
    /// the scalar pass walks.
    fn fixtures() -> Vec<Prefilter> {
        let long = Prefilter::new(
            &[
                Triggers::default().digit_run(40),
                Triggers::literals(["cvv"]).capitalised_pair(true),
            ],
            None,
            None,
        );
        both().into_iter().chain(long.avx2.is_some().then_some(long)).collect()
    }

    fn same(p: &Prefilter, hay: &[u8], key: Option<&[u8]>) {
        let pass = p.avx2.as_ref().expect("AVX2");
        for skip in [0, 0b1, 0b10, 0b101, 0b1010, p.all] {
            assert_eq!(
                pass.scan_wide(p, hay, key, skip),
                p.scan_scalar(hay, key, skip),
                "{} key {:?} skip {skip:b}",
                hay.escape_ascii(),
                key.map(|k| k.escape_ascii().to_string())
            );
        }
    }

    #[test]
    fn at_least_matches_bitwise() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200 {
            // Long runs of ones as well as scattered bits.
            x = x.rotate_left(7) ^ x.wrapping_mul(0x2545_F491_4F6C_DD1D);
            for v in [x, x | x >> 1 | x >> 2, !0 >> (x % 64), !0] {
                for n in 1..=70 {
                    let want = (0..64)
                        .filter(|&k| {
                            (k..k + n).all(|i| i < 64 && v >> i & 1 == 1)
                        })
                        .fold(0u64, |m, k| m | 1 << k);
                    assert_eq!(at_least(v, n), want, "{v:b} n {n}");
                }
            }
        }
    }

    #[test]
    fn same_as_scalar_on_examples() {
        for p in fixtures() {
            same_on_examples(&p);
        }
    }

    fn same_on_examples(p: &Prefilter) {
        for l in [
            "",
            "x",
            "CVV",
            "cv",
            "PassWord=1 and pan 4111 1111 1111 1111 for Jane Roe",
            "iban DE89370400440532013000 Authorization: Bearer abc",
            "81109 203615 148 INFO dfs.DataNode$PacketResponder: 1 blk_-1608",
            "\u{e9}lodie Durand paid 4111-1111-1111-1111",
            "SK_LIVE_abc 123456789 McDonald Smith",
            "id 4111 1111 1111 1111 4111 1111 1111 1111 4111 1111 ok",
            "id 4111 1111 1111 1111 4111 1111 1111 1111 4111 111 ok",
            "mail to jane.doe@example.com from RecvWorker@679 ok",
            "local@tbird-admin1 src@tbird-sm1 and a long line of text after it: x@y.io",
            "at 07:58:11+00:00 sms to +44 20 7946 0018 and a+12345678901 ok",
            "offset +0100 then +1 (415) 555-2671 past the first block of 32",
            "GET /cb?q=caf%C3%A9%20x&d=%7B%22a%22%3A1%7D and eyJhbGciOi W3siYSI6MX0 ok",
            "no escapes here: 100% sure, hey yes, Wow W3C eyes",
        ] {
            for pad in 0..40 {
                let l = format!("{}{l}", " ".repeat(pad));
                same(p, l.as_bytes(), None);
                same(p, b"x", Some(l.as_bytes()));
            }
        }
    }

    fn dense_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            4 => prop::sample::select(
                b"0123456789 -'_:=AaBbCcDdEeIiJjKkMmNnPpRrSsVvWwYy".to_vec()
            ),
            1 => any::<u8>(),
        ]
    }

    fn dense_line() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            prop::collection::vec(dense_byte(), 0..12),
            prop::sample::select(vec![
                b"password".to_vec(),
                b"CVV".to_vec(),
                b"Bearer ".to_vec(),
                b"api-KEY".to_vec(),
                b"4111 1111 1111 1111".to_vec(),
                b"4111-1111-1111-1111".to_vec(),
                b"4111111111111111".to_vec(),
                b"DE89370400440532013000".to_vec(),
                b"Jane Roe".to_vec(),
                b" +44 20 7946 0018".to_vec(),
                b"+1415".to_vec(),
                "\u{c9}lodie Durand".as_bytes().to_vec(),
                b"McDonald Smith".to_vec(),
                b" 2015-10-18 18:01:47,123 ".to_vec(),
                b"1111-2222-3333-4444-5555-6666-7777-8888-9999-0000".to_vec(),
            ]),
        ];
        prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn same_as_scalar(hay in dense_line(), key in dense_line()) {
            for p in fixtures() {
                same(&p, &hay, None);
                same(&p, &hay, Some(&key));
            }
        }
    }
}
