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
//! The pass here goes a byte (or eight) at a time and runs on any CPU;
//! `avx2.rs` gives the same answers 32 bytes a step where the CPU has
//! AVX2, and its tests check the two agree.

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod avx2;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;

use aho_corasick::{Anchored, MatchKind};

// The card and bank detectors' own candidate rules, so the two cannot
// drift apart.
use crate::detect::checks::{
    card_may_start, iban_start, luhn_ascii, CARD_MAX, CARD_MIN,
};
use crate::detect::{PairCheck, Triggers};
use crate::simd::load8;

/// Set of detector indices (the first 63; later ones always run), and a
/// bit for the key rules.
pub type Mask = u64;

/// Detectors with a bit of their own in a [`Mask`].
pub(crate) const DETECTOR_BITS: usize = 63;

/// The bit of a [`Mask`] set when a key named by an always-mask key rule
/// may occur in the line.
pub(crate) const KEY_RULES: Mask = 1 << 63;

/// The combined prefilter of an engine's detectors.
#[derive(Clone, Debug)]
pub(crate) struct Prefilter {
    keywords: Option<KeywordDfa>,
    always: Mask,
    digit_run: Vec<(usize, Mask)>,
    card: Mask,
    iban: Mask,
    pair: Mask,
    /// Detectors woken by any capitalised pair (no test of their own).
    pair_free: Mask,
    /// Detectors woken by a capitalised pair that passes their test.
    pair_checks: Vec<(Mask, PairCheck)>,
    all: Mask,
    /// Detectors with any shape trigger (`digit_run`, `iban`, `pair`).
    shaped: Mask,
    /// `needs(always)`: what a scan starts out looking for.
    needs_always: Needs,
    /// The same pass 32 bytes a step, when the CPU has AVX2.
    #[cfg(target_arch = "x86_64")]
    avx2: Option<avx2::Pass>,
}

impl Prefilter {
    /// The prefilter of detectors with `triggers`, and of the key rules
    /// with `key_rules` (reported as [`KEY_RULES`]).
    pub(crate) fn new(
        triggers: &[Triggers],
        key_rules: Option<Triggers>,
    ) -> Prefilter {
        let mut pats: Vec<String> = Vec::new();
        let mut pattern_mask = Vec::new();
        let mut p = Prefilter {
            keywords: None,
            always: 0,
            digit_run: Vec::new(),
            card: 0,
            iban: 0,
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
        for (bit, t) in bits
            .chain([KEY_RULES])
            .zip(triggers.iter().take(DETECTOR_BITS).chain(key_rules.as_ref()))
        {
            p.all |= bit;
            if t.always {
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
            if t.card_number {
                p.card |= bit;
            }
            if t.iban_shape {
                p.iban |= bit;
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
            let lits: Vec<(&str, Mask)> = keep
                .iter()
                .map(|&i| (pats[i].as_str(), pattern_mask[i]))
                .collect();
            p.avx2 = avx2::Pass::new(&lits);
        }
        p
    }

    /// The detectors that may find something in `hay` (or in a field
    /// under `key`).
    pub(crate) fn scan(&self, hay: &[u8], key: Option<&[u8]>) -> Mask {
        self.scan_within(hay, key, Mask::MAX)
    }

    /// [`Prefilter::scan`] of a field value `hay` that occurs as it is in
    /// a line whose scan gave `line`: the detectors outside it have no
    /// trigger in `hay` either, so only the others are looked for (the
    /// key, not necessarily in the line as it is, is scanned in full).
    pub(crate) fn scan_within(
        &self,
        hay: &[u8],
        key: Option<&[u8]>,
        line: Mask,
    ) -> Mask {
        let skip = self.all & !line;
        #[cfg(target_arch = "x86_64")]
        if let Some(pass) = &self.avx2 {
            return pass.scan(self, hay, key, skip);
        }
        self.scan_scalar(hay, key, skip)
    }

    /// [`Prefilter::scan_within`] a byte (or eight) at a time, on any
    /// CPU, not looking in `hay` for the detectors in `skip`.
    fn scan_scalar(&self, hay: &[u8], key: Option<&[u8]>, skip: Mask) -> Mask {
        let mut m = self.always;
        if let Some(k) = &self.keywords {
            m |= k.scan(hay) & !skip;
            if let Some(key) = key {
                m |= k.scan(key);
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
    fn shapes(&self, hay: &[u8], have: Mask) -> Mask {
        let Needs {
            iban: need_iban,
            pair: need_pair,
            card: need_card,
            shortest,
        } = self.needs(have);
        let need_digits = shortest != usize::MAX || need_card;
        let need_upper = need_iban || need_pair;
        let mut m = 0;
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
    fn pair_at(&self, hay: &[u8], i: usize, have: Mask) -> Mask {
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

    /// The shapes still worth looking for, given the detectors already
    /// triggered.
    #[inline]
    fn needs(&self, have: Mask) -> Needs {
        // Most scans start from `always`: worked out once, in `new`.
        if have == self.always {
            self.needs_always
        } else {
            self.needs_of(have)
        }
    }

    /// [`Prefilter::needs`], worked out.
    fn needs_of(&self, have: Mask) -> Needs {
        Needs {
            iban: self.iban & !have != 0,
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
    ) -> Mask {
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

    /// The detectors whose digit run `digits` digits make.
    fn digit_run_bits(&self, digits: usize) -> Mask {
        self.digit_run
            .iter()
            .filter(|&&(n, _)| digits >= n)
            .fold(0, |m, &(_, bit)| m | bit)
    }

    /// The card trigger of a run that has ended.
    #[inline(always)]
    fn digit_end(&self, hay: &[u8], run: &DigitRun) -> Mask {
        if run.digits >= CARD_MIN && card_in_run(hay, run.start, run.last) {
            self.card
        } else {
            0
        }
    }
}

/// Shapes to look for: IBAN starts, capitalised pairs, card numbers, and
/// the shortest digit run any detector not yet triggered asks for.
#[derive(Clone, Copy, Debug, Default)]
struct Needs {
    iban: bool,
    pair: bool,
    card: bool,
    shortest: usize,
}

/// Digits in the current run (groups joined by one space or dash), where
/// it starts, and where its last digit was.
#[derive(Debug)]
struct DigitRun {
    digits: usize,
    start: usize,
    last: usize,
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
fn card_in_run(hay: &[u8], start: usize, end: usize) -> bool {
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

/// The literals worth looking for: a literal holding another literal with
/// at least its detectors adds nothing, since wherever it occurs, the other
/// one does too.
fn needed_literals(
    pats: &[String],
    pattern_mask: &[Mask],
) -> Option<Vec<usize>> {
    let inner = aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(pats)
        .ok()?;
    Some(
        (0..pats.len())
            .filter(|&i| {
                !inner.find_overlapping_iter(&pats[i]).any(|h| {
                    let j = h.pattern().as_usize();
                    j != i && pattern_mask[i] & !pattern_mask[j] == 0
                })
            })
            .collect(),
    )
}

/// All literals of all detectors as one table-driven DFA, ASCII
/// case-insensitive: one table load per byte, and the detectors a state
/// matches for when it ends a literal.
///
/// Built from aho-corasick's DFA by walking its states: its own search
/// loop re-checks for special states, prefilters and match bookkeeping
/// on every byte, where this scan only needs the union of the matched
/// patterns' detector sets, so its loop is about three times shorter.
#[derive(Clone, Debug)]
struct KeywordDfa {
    /// Byte → equivalence class.
    class: [u8; 256],
    /// Number of classes: the row length of `trans`.
    stride: usize,
    /// `trans[s + class]`: the next state, premultiplied by `stride`.
    /// States at or past `first_match` end a literal.
    trans: Vec<u32>,
    first_match: u32,
    /// Detectors of each matching state, indexed by
    /// `(s - first_match) / stride`.
    masks: Vec<Mask>,
    start: u32,
    /// Length of the longest literal, less one.
    overlap: usize,
}

/// Most states the keyword DFA may have (a larger literal set makes the
/// prefilter give up and run every detector).
const MAX_KEYWORD_STATES: usize = 1 << 16;

impl KeywordDfa {
    /// The DFA of literals `pats[i]` for `i` in `keep` (lowercase), each
    /// reporting the detectors `pattern_mask[i]`.
    fn new(
        pats: &[String],
        pattern_mask: &[Mask],
        keep: &[usize],
    ) -> Option<KeywordDfa> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(keep.iter().map(|&i| &pats[i]))
            .ok()?;
        // Classes: bytes of the literals (both cases) each their own,
        // every other byte class 0.
        let mut class = [0u8; 256];
        let mut reps = vec![0u8];
        for &i in keep {
            for b in pats[i].bytes() {
                let b = b.to_ascii_lowercase();
                if class[b as usize] == 0 {
                    if reps.len() == 256 {
                        return None;
                    }
                    class[b as usize] = reps.len() as u8;
                    class[b.to_ascii_uppercase() as usize] = reps.len() as u8;
                    reps.push(b);
                }
            }
        }
        if let Some(other) = (0..=255u8).find(|&b| class[b as usize] == 0) {
            reps[0] = other;
        }
        let stride = reps.len();
        // Walk the states breadth first, then number the non-matching
        // ones before the matching ones.
        let start = dfa.start_state(Anchored::No).ok()?;
        // Our number of each aho-corasick state, by its (small, dense)
        // id: a vector, not a hash map, for a quicker start-up.
        let mut ids: Vec<usize> = Vec::new();
        let id_of = |ids: &[usize], sid: StateID| {
            ids.get(sid.as_usize()).copied().filter(|&i| i != usize::MAX)
        };
        let mut order = vec![start];
        ids.resize(start.as_usize() + 1, usize::MAX);
        ids[start.as_usize()] = 0;
        let mut k = 0;
        while k < order.len() {
            let sid = order[k];
            for &b in &reps {
                let next = dfa.next_state(Anchored::No, sid, b);
                if id_of(&ids, next).is_none() {
                    if order.len() == MAX_KEYWORD_STATES {
                        return None;
                    }
                    if ids.len() <= next.as_usize() {
                        ids.resize(next.as_usize() + 1, usize::MAX);
                    }
                    ids[next.as_usize()] = order.len();
                    order.push(next);
                }
            }
            k += 1;
        }
        let state_mask = |sid| {
            if !dfa.is_match(sid) {
                return 0;
            }
            (0..dfa.match_len(sid)).fold(0, |m, i| {
                m | pattern_mask[keep[dfa.match_pattern(sid, i).as_usize()]]
            })
        };
        let mut number = vec![0u32; order.len()];
        let mut masks = Vec::new();
        let mut n = 0u32;
        for (k, &sid) in order.iter().enumerate() {
            if state_mask(sid) == 0 {
                number[k] = n * stride as u32;
                n += 1;
            }
        }
        let first_match = n * stride as u32;
        for (k, &sid) in order.iter().enumerate() {
            let m = state_mask(sid);
            if m != 0 {
                number[k] = n * stride as u32;
                n += 1;
                masks.push(m);
            }
        }
        let mut trans = vec![0u32; order.len() * stride];
        for (k, &sid) in order.iter().enumerate() {
            for (c, &b) in reps.iter().enumerate() {
                let next = id_of(&ids, dfa.next_state(Anchored::No, sid, b))
                    .expect("every state was numbered");
                trans[number[k] as usize + c] = number[next];
            }
        }
        Some(KeywordDfa {
            class,
            stride,
            trans,
            first_match,
            masks,
            start: number[0],
            overlap: keep.iter().map(|&i| pats[i].len()).max().unwrap_or(1)
                - 1,
        })
    }

    /// The detectors of every literal occurring in `hay`.
    ///
    /// A DFA scan is bound by the latency of one table load after
    /// another, so a longer text is scanned as two halves side by side
    /// (two independent chains of loads); the second half starts
    /// `overlap` bytes early so that no literal across the middle is
    /// missed.
    #[inline]
    fn scan(&self, hay: &[u8]) -> Mask {
        if hay.len() < 4 * self.overlap {
            return self.scan_one(hay, self.start).1;
        }
        let mid = hay.len() / 2;
        let (a, b) = (&hay[..mid], &hay[mid - self.overlap..]);
        let (mut sa, mut sb) = (self.start, self.start);
        let mut m = 0;
        for (&x, &y) in a.iter().zip(b) {
            sa = self.step(sa, x);
            sb = self.step(sb, y);
            // One well-predicted branch a step: matches are rare.
            if sa.max(sb) >= self.first_match {
                if sa >= self.first_match {
                    m |= self.mask_of(sa);
                }
                if sb >= self.first_match {
                    m |= self.mask_of(sb);
                }
            }
        }
        // `b` is the longer: finish it.
        m | self.scan_one(&b[a.len()..], sb).1
    }

    /// Scans `hay` from state `s`: the state after it and the detectors
    /// of the literals ending in it.
    #[inline(always)]
    fn scan_one(&self, hay: &[u8], mut s: u32) -> (u32, Mask) {
        let mut m = 0;
        for &b in hay {
            s = self.step(s, b);
            if s >= self.first_match {
                m |= self.mask_of(s);
            }
        }
        (s, m)
    }

    #[inline(always)]
    fn step(&self, s: u32, b: u8) -> u32 {
        self.trans[s as usize + self.class[b as usize] as usize]
    }

    #[inline(always)]
    fn mask_of(&self, s: u32) -> Mask {
        self.masks[(s - self.first_match) as usize / self.stride]
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
                let word = &hay[i..j];
                if !(matches!(hay[j - 1], b'\'' | b'-')
                    || word == b"Mc"
                    || word == b"Mac")
                {
                    return false;
                }
            }
            _ => break,
        }
        j += 1;
    }
    lower
        && hay.get(j) == Some(&b' ')
        && hay.get(j + 1).is_some_and(|&c| c.is_ascii_uppercase() || c >= 0xC0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        )
    }

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
