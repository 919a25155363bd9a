//! The prefilter's pass for x86-64 CPUs with AVX2: 32 bytes a step.
//!
//! Literals are found as Teddy finds them (Hyperscan's, and the
//! `aho-corasick` crate's packed searcher): the low and high nibbles of a
//! literal's first four bytes (ASCII letters folded) index two shuffle
//! tables each, whose bits say which of eight buckets of literals a byte
//! may belong to; a position where one bucket survives all eight lookups
//! is a candidate. A set of the literals' first four bytes rejects most
//! candidates with one bit test; the rest are checked exactly against the
//! literals with their first three bytes. The same candidates serve
//! [`Finder`], the keyword search of `KeyScanner`. The shapes' byte
//! classes (digits, capitals, letters) come from the same loads as bit
//! masks; they only pick the places to look, and the rules that decide a
//! shape are the scalar pass's own (`card_in_run`, `pair_at`), so both
//! passes report the same detectors for every line. The unit tests below
//! check it.
//!
//! This is the crate's only `unsafe`: AVX2 code is called only through a
//! [`Pass`] or a [`Finder`], which are made only once the CPU is known to
//! have AVX2, and the loads read 32 bytes from a `&[u8; 32]`.
//! `benches/README.md` has the measurements that justify it.

use std::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256,
    _mm256_max_epu8, _mm256_min_epu8, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_set1_epi8, _mm256_setzero_si256, _mm256_shuffle_epi8,
    _mm256_srli_epi16, _mm256_sub_epi8,
};

use super::{
    card_in_run, iban_start, load8, DigitRun, Mask, Needs, Prefilter, CARD_MIN,
};

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
    pub(super) fn new(pats: &[(&str, Mask)]) -> Option<Pass> {
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
        skip: Mask,
    ) -> Mask {
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
        skip: Mask,
    ) -> Mask {
        let mut m = pf.always;
        if m == pf.all {
            return m;
        }
        let lits = self.lits.as_ref();
        if lits.is_none() {
            if let Some(k) = &pf.keywords {
                m |= k.scan(hay) & !skip | key.map_or(0, |key| k.scan(key));
            }
        }
        // SAFETY: a `Pass` is only made on a CPU with AVX2 (`Pass::new`).
        unsafe {
            if let (Some(key), Some(_)) = (key, lits) {
                m = pf.scan_avx2(lits, key, m, false);
            }
            // The skipped detectors count as found while `hay` is scanned,
            // and are taken out again after.
            let have = m | skip;
            m | pf.scan_avx2(lits, hay, have, pf.shaped & !have != 0) & !skip
        }
    }
}

/// Leftmost-longest search for literals, ASCII case-insensitive, with
/// the prefilter's AVX2 candidates: the [`KeyScanner`]'s keywords, which
/// it would otherwise search with an Aho-Corasick automaton a byte at a
/// time.
///
/// [`KeyScanner`]: crate::keys::KeyScanner
#[derive(Clone, Debug)]
pub(crate) struct Finder {
    /// Literals with their index in the list given as their "detectors".
    lits: Literals,
}

impl Finder {
    /// The finder of `pats` (lowercase), if this CPU has AVX2 and every
    /// pattern has two bytes or more.
    pub(crate) fn new(pats: &[String]) -> Option<Finder> {
        if !std::is_x86_feature_detected!("avx2") {
            return None;
        }
        let pats: Vec<(&str, Mask)> = pats
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as Mask))
            .collect();
        Literals::new(&pats).map(|lits| Finder { lits })
    }

    /// The leftmost-longest match starting at or after `from`: its start,
    /// end and pattern (the first given, of equal ones).
    pub(crate) fn find(
        &self,
        hay: &[u8],
        from: usize,
    ) -> Option<(usize, usize, usize)> {
        // SAFETY: a `Finder` is only made on a CPU with AVX2.
        unsafe { self.find_avx2(hay, from) }
    }

    #[target_feature(enable = "avx2")]
    fn find_avx2(
        &self,
        hay: &[u8],
        from: usize,
    ) -> Option<(usize, usize, usize)> {
        let len = hay.len();
        let mut pad = [0u8; 70];
        let mut at = from;
        while at < len {
            let w = window(hay, at, &mut pad);
            let valid = valid_bits(len - at);
            let mut c = self.lits.candidates(w) & valid;
            while c != 0 {
                let k = c.trailing_zeros() as usize;
                c &= c - 1;
                if !self.lits.may_start(w, k) {
                    continue;
                }
                let p = at + k;
                // Longest first: the groups, and the literals in each.
                for g in self.lits.groups_at(hay, p) {
                    for lit in &self.lits.lits[g.1..g.2] {
                        if lit.at(hay, p) {
                            return Some((p, p + lit.len, lit.det as usize));
                        }
                    }
                }
            }
            at += 32;
        }
        None
    }
}

/// The literals of all detectors, for the AVX2 pass.
#[derive(Clone, Debug)]
pub(super) struct Literals {
    /// Shuffle tables (each 16 bytes twice, one copy a 128-bit lane):
    /// `[lo0, hi0, … lo3, hi3]`, entry `n` of `lo<i>` holding the buckets
    /// of the literals whose byte `i` (folded) has low nibble `n`.
    tables: [[u8; 32]; 8],
    /// Literals by their first three bytes: the folded key, the range of
    /// `lits` they take, and the union of their detectors.
    groups: Vec<(u32, usize, usize, Mask)>,
    /// Open addressing over `groups`: index + 1, 0 for an empty slot.
    slots: Vec<u16>,
    /// The literals, by group.
    lits: Vec<Lit>,
    /// Every detector any literal triggers.
    all: Mask,
    /// Whether some literals have two bytes only.
    short: bool,
    /// Bit `hash4(w)` set for each folded four-byte word `w` a literal
    /// may start with (a three-byte literal with any fourth byte): most
    /// of Teddy's candidates fail this one test of a predictable branch,
    /// before any group lookup.
    starts: Box<[u64]>,
    /// Bit `b0 | b1 << 8` set for each two-byte literal (folded), when
    /// there are any.
    starts2: Option<Box<[u64]>>,
}

/// The first three bytes of a literal or of the text, ASCII letters
/// folded (and with them six punctuation bytes, which at worst makes a
/// candidate that the exact check then rejects).
fn key(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0] | 0x20, b[1] | 0x20, b[2] | 0x20, 0])
}

/// The key of a two-byte literal's group, or of the text's first two
/// bytes: apart from every three-byte key by its last byte.
fn key2(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0] | 0x20, b[1] | 0x20, 0, 1])
}

/// The group key of a literal (two bytes or more).
fn key_of(lit: &[u8]) -> u32 {
    if lit.len() == 2 {
        key2(lit)
    } else {
        key(lit)
    }
}

/// Whether a group key is a two-byte literal's.
fn is_short(key: u32) -> bool {
    key >> 24 == 1
}

/// Teddy buckets: one bit of a byte, so each 32-byte load is looked up
/// whole (both lanes hold the same tables).
const BUCKETS: usize = 8;

/// Bits in [`Literals::starts`].
const START_BITS: usize = 1 << 16;

/// A folded four-byte word's bit in [`Literals::starts`] (and, masked,
/// a group key's first slot).
#[inline(always)]
fn hash4(w: u32) -> usize {
    (w.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

#[inline(always)]
fn bit(bits: &[u64], i: usize) -> bool {
    bits[i / 64] >> (i % 64) & 1 == 1
}

fn slot_of(key: u32, slots: usize) -> usize {
    hash4(key) & (slots - 1)
}

impl Literals {
    /// The literals `pats` (lowercase) with their detectors, or `None`
    /// when one is a single byte (the scalar pass then finds the
    /// literals). A two-byte literal's bucket passes any third byte.
    pub(super) fn new(pats: &[(&str, Mask)]) -> Option<Literals> {
        if pats.is_empty() || pats.iter().any(|(p, _)| p.len() < 2) {
            return None;
        }
        let mut sorted: Vec<(&[u8], Mask)> =
            pats.iter().map(|&(p, m)| (p.as_bytes(), m)).collect();
        // By the folded first bytes, so that a group's literals are
        // adjacent and neighbouring groups (sharing a first byte) share a
        // bucket.
        // Longest first within a group, for [`Finder`]'s longest match.
        sorted.sort_by_key(|&(p, _)| {
            let third = p.get(2).map(|b| b | 0x20);
            (p[0] | 0x20, p[1] | 0x20, third, std::cmp::Reverse(p.len()))
        });
        let mut groups: Vec<(u32, usize, usize, Mask)> = Vec::new();
        let mut lits = Vec::new();
        for (p, m) in sorted {
            let k = key_of(p);
            match groups.last_mut() {
                Some(g) if g.0 == k => {
                    g.2 += 1;
                    g.3 |= m;
                }
                _ => groups.push((k, lits.len(), lits.len() + 1, m)),
            }
            lits.push(Lit::new(p, m));
        }
        if groups.len() >= usize::from(u16::MAX) {
            return None;
        }
        let mut slots = vec![0u16; (groups.len() * 4).next_power_of_two()];
        for (g, &(k, ..)) in groups.iter().enumerate() {
            let mut s = slot_of(k, slots.len());
            while slots[s] != 0 {
                s = (s + 1) & (slots.len() - 1);
            }
            slots[s] = g as u16 + 1;
        }
        let prints: Vec<Print> =
            groups.iter().map(|g| fingerprint(g.0, &lits[g.1..g.2])).collect();
        let mut tables = [[0u8; 32]; 8];
        for (k, bucket) in buckets(&groups, &prints).iter().enumerate() {
            let bit = 1u8 << k;
            for &g in bucket {
                for (i, &(lo, hi)) in prints[g].iter().enumerate() {
                    // The same entries in both lanes.
                    for (set, table) in [(lo, 2 * i), (hi, 2 * i + 1)] {
                        for (n, e) in tables[table].iter_mut().enumerate() {
                            if set >> (n % 16) & 1 == 1 {
                                *e |= bit;
                            }
                        }
                    }
                }
            }
        }
        let all = groups.iter().fold(0, |a, g| a | g.3);
        let short = groups.iter().any(|g| is_short(g.0));
        let mut starts = vec![0u64; START_BITS / 64].into_boxed_slice();
        let mut starts2 =
            short.then(|| vec![0u64; 1 << 10].into_boxed_slice());
        for lit in &lits {
            let word = lit.head();
            match (lit.len, starts2.as_mut()) {
                (2, Some(s2)) => set_bit(s2, word as usize & 0xFFFF),
                (3, _) => {
                    for b in 0..=255u32 {
                        let w = word & 0x00FF_FFFF | (b | 0x20) << 24;
                        set_bit(&mut starts, hash4(w));
                    }
                }
                _ => set_bit(&mut starts, hash4(word)),
            }
        }
        Some(Literals {
            tables,
            groups,
            slots,
            lits,
            all,
            short,
            starts,
            starts2,
        })
    }

    /// The groups of literals that may start at `p`: those of three
    /// bytes or more, then the two-byte ones (so longest first).
    #[inline(always)]
    fn groups_at(
        &self,
        hay: &[u8],
        p: usize,
    ) -> impl Iterator<Item = &(u32, usize, usize, Mask)> {
        let long = hay.get(p..p + 3).and_then(|b| self.group(key(b)));
        let short = if self.short {
            hay.get(p..p + 2).and_then(|b| self.group(key2(b)))
        } else {
            None
        };
        long.into_iter().chain(short)
    }

    /// The group with key `k`.
    #[inline(always)]
    fn group(&self, k: u32) -> Option<&(u32, usize, usize, Mask)> {
        let mut s = slot_of(k, self.slots.len());
        loop {
            match self.slots[s] {
                0 => return None,
                g if self.groups[usize::from(g) - 1].0 == k => {
                    return Some(&self.groups[usize::from(g) - 1]);
                }
                _ => s = (s + 1) & (self.slots.len() - 1),
            }
        }
    }

    /// Whether a literal may start at byte `k` of the window `w` (a
    /// block and the three bytes after it, zeros past the text): the
    /// exact test of a Teddy candidate, done by [`Literals::at`], only
    /// where this passes.
    #[inline(always)]
    fn may_start(&self, w: &[u8], k: usize) -> bool {
        let b: [u8; 4] = w[k..k + 4].try_into().expect("4 bytes");
        let word = u32::from_le_bytes(b) | 0x2020_2020;
        bit(&self.starts, hash4(word))
            || self
                .starts2
                .as_ref()
                .is_some_and(|s2| bit(s2, word as usize & 0xFFFF))
    }

    /// The detectors, beyond `have`, of the literals starting at `p`.
    #[inline]
    fn at(&self, hay: &[u8], p: usize, have: Mask) -> Mask {
        let mut m = 0;
        for g in self.groups_at(hay, p) {
            if g.3 & !(have | m) == 0 {
                continue;
            }
            for lit in &self.lits[g.1..g.2] {
                if lit.det & !(have | m) != 0 && lit.at(hay, p) {
                    m |= lit.det;
                }
            }
        }
        m
    }
}

/// A literal, checked eight bytes at a time: each word of the text at
/// its start, with the ASCII-letter bits `fold` set (`A` reads as `a`),
/// then masked to the literal's length, must equal the literal's word.
/// For a letter of the literal the text's byte may be either case; for
/// any other byte it must be the same byte, as `eq_ignore_ascii_case`.
#[derive(Clone, Debug)]
struct Lit {
    want: [u64; 2],
    fold: [u64; 2],
    mask: [u64; 2],
    /// Bytes past the first sixteen, lowercase.
    tail: Box<[u8]>,
    len: usize,
    /// The literal's detectors (for [`Finder`], its index).
    det: Mask,
}

impl Lit {
    /// The literal's first four bytes, folded as the text's are for
    /// [`Literals::may_start`] and the Teddy tables (`| 0x20`; bytes past
    /// a short literal's end read as `0x20`).
    fn head(&self) -> u32 {
        self.want[0] as u32 | 0x2020_2020
    }

    fn new(lit: &[u8], det: Mask) -> Lit {
        let (mut want, mut fold, mut mask) = ([0; 2], [0; 2], [0; 2]);
        for (i, &b) in lit.iter().take(16).enumerate() {
            let shift = 8 * (i % 8);
            want[i / 8] |= u64::from(b.to_ascii_lowercase()) << shift;
            mask[i / 8] |= 0xFF << shift;
            if b.is_ascii_alphabetic() {
                fold[i / 8] |= 0x20 << shift;
            }
        }
        let tail = lit.get(16..).unwrap_or_default().to_ascii_lowercase();
        Lit { want, fold, mask, tail: tail.into(), len: lit.len(), det }
    }

    /// Whether the literal occurs in `hay` at `p` (the length is checked
    /// first, so each word read starts inside `hay`).
    #[inline(always)]
    fn at(&self, hay: &[u8], p: usize) -> bool {
        let word =
            |w: usize| (load8(hay, p + 8 * w) | self.fold[w]) & self.mask[w];
        p + self.len <= hay.len()
            && word(0) == self.want[0]
            && (self.len <= 8 || word(1) == self.want[1])
            && (self.len <= 16
                || hay
                    .get(p + 16..p + self.len)
                    .is_some_and(|t| t.eq_ignore_ascii_case(&self.tail)))
    }
}

/// Nibble sets (bit `n`: nibble `n`), low and high, of a group's first
/// four bytes (folded): a Teddy fingerprint.
type Print = [(u16, u16); 4];

/// The fingerprint of the group with key `key` and literals `lits`: its
/// three key bytes and every fourth byte its literals have; a literal
/// too short to have a byte lets any byte pass there.
fn fingerprint(key: u32, lits: &[Lit]) -> Print {
    let nib = |b: u8| (1u16 << (b & 15), 1u16 << (b >> 4));
    let mut p = [(0, 0); 4];
    for (i, &b) in key.to_le_bytes()[..3].iter().enumerate() {
        p[i] = nib(b);
    }
    if is_short(key) {
        p[2] = (u16::MAX, u16::MAX);
    }
    for lit in lits {
        if lit.len < 4 {
            p[3] = (u16::MAX, u16::MAX);
            break;
        }
        let (lo, hi) = nib((lit.head() >> 24) as u8);
        p[3].0 |= lo;
        p[3].1 |= hi;
    }
    p
}

/// The groups (by index) of each of [`BUCKETS`] buckets: greedily, each
/// group (most frequent first byte first) to the bucket whose chance of a
/// false candidate it raises least, judged by [`freq`]. A bucket matches
/// a byte when both its nibbles are among the bucket's, so a bucket of
/// groups with like bytes stays selective.
fn buckets(
    groups: &[(u32, usize, usize, Mask)],
    prints: &[Print],
) -> Vec<Vec<usize>> {
    // The frequency of each (low nibble, high nibble).
    let mut by_nibbles = [[0.0f64; 16]; 16];
    for b in 0..=255u8 {
        by_nibbles[usize::from(b & 15)][usize::from(b >> 4)] = freq(b);
    }
    // The frequency of a low nibble with any high nibble of a set, by
    // the set's low and high eight bits: a sum of at most 16 a position.
    let mut rows = vec![[[0.0f64; 256]; 2]; 16];
    for (l, row) in rows.iter_mut().enumerate() {
        for (half, sums) in row.iter_mut().enumerate() {
            for (set, sum) in sums.iter_mut().enumerate() {
                *sum = (0..8)
                    .filter(|n| set >> n & 1 == 1)
                    .map(|n| by_nibbles[l][8 * half + n])
                    .sum();
            }
        }
    }
    let chance = |sets: &Print| -> f64 {
        sets.iter()
            .map(|&(lo, hi)| {
                let (a, b) = (usize::from(hi & 0xFF), usize::from(hi >> 8));
                (0..16)
                    .filter(|n| lo >> n & 1 == 1)
                    .map(|l| rows[l][0][a] + rows[l][1][b])
                    .sum::<f64>()
            })
            .product()
    };
    let add = |sets: &Print, g: usize| -> Print {
        let mut s = *sets;
        for (s, p) in s.iter_mut().zip(&prints[g]) {
            s.0 |= p.0;
            s.1 |= p.1;
        }
        s
    };
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        let f = |g: usize| freq(groups[g].0.to_le_bytes()[0]);
        f(b).total_cmp(&f(a))
    });
    let mut sets = [[(0u16, 0u16); 4]; BUCKETS];
    let mut now = [0.0f64; BUCKETS];
    let mut out = vec![Vec::new(); BUCKETS];
    for g in order {
        let (best, after) = (0..BUCKETS)
            .map(|k| (k, chance(&add(&sets[k], g))))
            .min_by(|a, b| (a.1 - now[a.0]).total_cmp(&(b.1 - now[b.0])))
            .expect("buckets");
        sets[best] = add(&sets[best], g);
        now[best] = after;
        out[best].push(g);
    }
    out
}

/// The frequency (percent) of a byte in logs, folded as the tables fold
/// it (`b | 0x20`): measured over the 16 systems' logs of LogHub
/// (4.5 MB), so digits, spaces and `-:.` weigh as they do in logs.
fn freq(b: u8) -> f64 {
    const LETTERS: [f64; 26] = [
        3.88, 1.25, 2.89, 2.64, 5.63, 1.18, 0.9, 1.01, 3.0, 0.25, 0.79, 1.86,
        1.57, 3.48, 3.68, 1.46, 0.13, 3.63, 3.09, 3.69, 1.54, 0.69, 0.53,
        0.44, 0.53, 0.11,
    ];
    const DIGITS: [f64; 10] =
        [5.39, 5.13, 3.34, 2.28, 2.12, 2.32, 1.79, 1.7, 1.59, 1.6];
    match b {
        b'a'..=b'z' => LETTERS[usize::from(b - b'a')],
        b'0'..=b'9' => DIGITS[usize::from(b - b'0')],
        b' ' => 9.79,
        b'-' => 2.92,
        b':' => 2.59,
        b'.' => 2.52,
        b'*' => 0.83,
        b'/' => 0.63,
        // `_` folded.
        0x7F => 0.6,
        b'{' | b'}' => 0.54,
        b',' => 0.46,
        b'=' => 0.43,
        b'(' | b')' => 0.21,
        _ => 0.05,
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
        mut m: Mask,
        shapes: bool,
    ) -> Mask {
        let len = hay.len();
        let mut needs = self.needs(m);
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
                seen = m;
            }
            let w = window(hay, at, &mut pad);
            let valid = valid_bits(len - at);
            let v0 = load(w, 0);
            if let Some(l) = lits.filter(|l| l.all & !m != 0) {
                let mut c = l.candidates(w) & valid;
                while c != 0 {
                    let k = c.trailing_zeros() as usize;
                    c &= c - 1;
                    if l.may_start(w, k) {
                        m |= l.at(hay, at + k, m);
                    }
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
            m |= self.shapes(hay, m | self.iban | self.pair);
        }
        m
    }

    /// Those of `starts` (bits of the block `w` starting at `v0`) whose
    /// word may end in a space and a capital, as a capitalised pair's
    /// first word must: it ends at the first byte past it that cannot go
    /// on with a word, or runs past the block.
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
        let space_cap = bits(_mm256_and_si256(
            eq(v0, b' '),
            _mm256_or_si256(upper(v1), high(v1)),
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
    ) -> (Mask, usize) {
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

impl Literals {
    /// Positions (bit `k`: a literal may start at byte `k` of `w`) where
    /// some bucket's literals may start.
    #[target_feature(enable = "avx2")]
    fn candidates(&self, w: &[u8]) -> u32 {
        let t = &self.tables;
        let (lo0, hi0) = (load(&t[0], 0), load(&t[1], 0));
        let (lo1, hi1) = (load(&t[2], 0), load(&t[3], 0));
        let (lo2, hi2) = (load(&t[4], 0), load(&t[5], 0));
        let (lo3, hi3) = (load(&t[6], 0), load(&t[7], 0));
        let r = _mm256_and_si256(
            _mm256_and_si256(
                nibbles(load(w, 0), lo0, hi0),
                nibbles(load(w, 1), lo1, hi1),
            ),
            _mm256_and_si256(
                nibbles(load(w, 2), lo2, hi2),
                nibbles(load(w, 3), lo3, hi3),
            ),
        );
        !bits(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()))
    }
}

/// The buckets of each byte of `v` (folded) in the tables `lo` and `hi`.
#[target_feature(enable = "avx2")]
fn nibbles(v: __m256i, lo: __m256i, hi: __m256i) -> __m256i {
    let f = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
    let low = _mm256_set1_epi8(0x0F);
    _mm256_and_si256(
        _mm256_shuffle_epi8(lo, _mm256_and_si256(f, low)),
        _mm256_shuffle_epi8(
            hi,
            _mm256_and_si256(_mm256_srli_epi16(f, 4), low),
        ),
    )
}

/// Bytes `at..at + 32` of `w`.
#[target_feature(enable = "avx2")]
fn load(w: &[u8], at: usize) -> __m256i {
    let b: &[u8; 32] = w[at..at + 32].try_into().expect("32 bytes");
    // SAFETY: `b` is 32 readable bytes, and `loadu` needs no alignment.
    unsafe { _mm256_loadu_si256(b.as_ptr().cast()) }
}

/// The top bit of each byte as a bit mask.
#[target_feature(enable = "avx2")]
fn bits(v: __m256i) -> u32 {
    _mm256_movemask_epi8(v) as u32
}

/// The bits of a block's positions that lie in the text, `rest` bytes
/// of it being left.
#[inline(always)]
fn valid_bits(rest: usize) -> u32 {
    if rest >= 32 {
        u32::MAX
    } else {
        (1 << rest) - 1
    }
}

/// The block at `at` and the three bytes after it (the first 35 bytes of
/// `hay[at..]`), zeros past the end.
#[inline(always)]
/// `pad` must start zeroed, and be given again for each `at` of `hay`.
fn window<'a>(hay: &'a [u8], at: usize, pad: &'a mut [u8; 70]) -> &'a [u8] {
    let len = hay.len();
    match hay.get(at..at + 35) {
        Some(w) => w,
        None if len >= 35 => {
            // The text's last 35 bytes, then the zeros `pad` starts with
            // (nothing else writes there while `len` ≥ 35): a copy of
            // fixed size at the end of every line, where the general one
            // below calls `memcpy` and `memset`.
            pad[..35].copy_from_slice(&hay[len - 35..]);
            &pad[35 - (len - at)..][..35]
        }
        None => {
            pad.fill(0);
            pad[..len - at].copy_from_slice(&hay[at..]);
            &pad[..35]
        }
    }
}

/// Bytes equal to `b`.
#[target_feature(enable = "avx2")]
fn eq(v: __m256i, b: u8) -> __m256i {
    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8))
}

/// Bytes in `lo..=hi` (unsigned).
#[target_feature(enable = "avx2")]
fn in_range(v: __m256i, lo: u8, hi: u8) -> __m256i {
    let s = _mm256_sub_epi8(v, _mm256_set1_epi8(lo as i8));
    _mm256_cmpeq_epi8(_mm256_min_epu8(s, _mm256_set1_epi8((hi - lo) as i8)), s)
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

/// Appends the offset of every `\n` in `hay` to `out`, 64 bytes a step;
/// false (and nothing appended) when the CPU has no AVX2. For the stream
/// filter's line framing: one pass over a read block, where a `memchr`
/// call per line costs its set-up on every line.
pub(crate) fn newlines(hay: &[u8], out: &mut Vec<u32>) -> bool {
    if !std::is_x86_feature_detected!("avx2") {
        return false;
    }
    // SAFETY: the CPU has AVX2 (checked above).
    unsafe { newlines_avx2(hay, out) };
    true
}

#[target_feature(enable = "avx2")]
fn newlines_avx2(hay: &[u8], out: &mut Vec<u32>) {
    let mut blocks = hay.chunks_exact(64);
    let mut at = 0u32;
    for b in &mut blocks {
        let lo = bits(eq(load(b, 0), b'\n'));
        let hi = bits(eq(load(b, 32), b'\n'));
        let mut m = u64::from(hi) << 32 | u64::from(lo);
        while m != 0 {
            out.push(at + m.trailing_zeros());
            m &= m - 1;
        }
        at += 64;
    }
    for (i, &b) in blocks.remainder().iter().enumerate() {
        if b == b'\n' {
            out.push(at + i as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefilter::Triggers;
    use proptest::prelude::*;

    /// A prefilter with every kind of trigger, with and without AVX2.
    fn both() -> Option<Prefilter> {
        let p = Prefilter::new(
            &[
                Triggers {
                    literals: vec![
                        "cvv".into(),
                        "password".into(),
                        "Bearer ".into(),
                        "sk_live_".into(),
                        "api-key".into(),
                    ],
                    ..Triggers::default()
                },
                Triggers { digit_run: Some(9), ..Triggers::default() },
                Triggers { card_number: true, ..Triggers::default() },
                Triggers {
                    literals: vec!["iban".into(), "account".into()],
                    iban_shape: true,
                    ..Triggers::default()
                },
                Triggers {
                    literals: vec![
                        "customer".into(),
                        "name".into(),
                        "mr".into(),
                    ],
                    capitalised_pair: true,
                    ..Triggers::default()
                },
            ],
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
                Triggers { digit_run: Some(40), ..Triggers::default() },
                Triggers {
                    literals: vec!["cvv".into()],
                    capitalised_pair: true,
                    ..Triggers::default()
                },
            ],
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

    /// Newline offsets as `memchr` finds them, for a newline at every
    /// offset of every length around the 64-byte step, and for runs.
    #[test]
    fn newlines_match_memchr() {
        let mut got = Vec::new();
        for len in 0..200 {
            for nl in 0..=len {
                for fill in [b'x', b'\n'] {
                    let mut hay = vec![fill; len];
                    if nl < len {
                        hay[nl] = if fill == b'\n' { b'x' } else { b'\n' };
                    }
                    got.clear();
                    if !newlines(&hay, &mut got) {
                        return;
                    }
                    let want: Vec<u32> = memchr::memchr_iter(b'\n', &hay)
                        .map(|i| i as u32)
                        .collect();
                    assert_eq!(got, want, "len {len} at {nl}");
                }
            }
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
