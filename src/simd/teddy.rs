//! Teddy: AVX2 candidates for a set of literals, and the literal
//! finder built on them.
//!
//! Literals are found as Teddy finds them (Hyperscan's, and the
//! `aho-corasick` crate's packed searcher): the low and high nibbles of a
//! literal's first four bytes (ASCII letters folded) index two shuffle
//! tables each, whose bits say which of eight buckets of literals a byte
//! may belong to; a position where one bucket survives all eight lookups
//! is a candidate. A large set has sixteen buckets, in two sets of
//! tables looked up with the same nibbles (as Fat Teddy doubles its
//! buckets), so each bucket's literals stay alike. A set of the literals'
//! first four bytes rejects most candidates with one bit test; the rest
//! are checked exactly against the literals with their first four bytes
//! (or three, or two, for shorter ones). The same candidates serve the
//! prefilter's AVX2 pass ([`Literals`], each literal with a set of
//! detector bits) and [`Finder`] (each with its index).

use std::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_or_si256,
    _mm256_set1_epi8, _mm256_setzero_si256, _mm256_shuffle_epi8,
    _mm256_srli_epi16,
};

use super::load8;
use super::vector::{bits, load, valid_bits, window};

/// Leftmost-longest search for literals, ASCII case-insensitive, with
/// the prefilter's AVX2 candidates: the [`KeyScanner`]'s keywords, which
/// it would otherwise search with an Aho-Corasick automaton a byte at a
/// time.
///
/// [`KeyScanner`]: crate::detect::keys::KeyScanner
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
        let pats: Vec<(&str, u64)> = pats
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u64))
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

/// Literals, each with a set of bits (for the prefilter's AVX2 pass,
/// its detectors; for [`Finder`], its index), found with Teddy's
/// candidates.
#[derive(Clone, Debug)]
pub(crate) struct Literals {
    /// Shuffle tables (each 16 bytes twice, one copy a 128-bit lane):
    /// `[lo0, hi0, … lo3, hi3]`, entry `n` of `lo<i>` holding the buckets
    /// of the literals whose byte `i` (folded) has low nibble `n`, of
    /// `hi<i>` those whose byte `i` folded has high nibble `n | 2`; the
    /// second eight, buckets 8 to 15, used when `wide`.
    tables: [[u8; 32]; 16],
    /// Whether the set has sixteen buckets.
    wide: bool,
    /// Literals by their first four bytes (a three- or two-byte literal
    /// by its own): the folded key, the range of `lits` they take, and the
    /// union of their detectors. Four bytes, where the buckets go by
    /// three, so a candidate checks few literals (`acc` starts thirty).
    groups: Vec<(u32, usize, usize, u64)>,
    /// Open addressing over `groups`: index + 1, 0 for an empty slot.
    slots: Vec<u16>,
    /// The literals, by group.
    lits: Vec<Lit>,
    /// Every detector any literal triggers.
    pub(crate) all: u64,
    /// Whether some literals have two bytes only.
    short: bool,
    /// Whether some literals have three bytes only.
    three: bool,
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

/// The key of a four-byte literal's group (or a longer one's), or of the
/// text's first four bytes: apart from every three-byte key by its last
/// byte, which folded is never 0.
fn key4(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0] | 0x20, b[1] | 0x20, b[2] | 0x20, b[3] | 0x20])
}

/// The key of a two-byte literal's group, or of the text's first two
/// bytes: apart from every three-byte key by its last byte.
fn key2(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0] | 0x20, b[1] | 0x20, 0, 1])
}

/// The group key of a literal (two bytes or more).
fn key_of(lit: &[u8]) -> u32 {
    match lit.len() {
        2 => key2(lit),
        3 => key(lit),
        _ => key4(lit),
    }
}

/// The key of a literal's family, the literals the buckets keep
/// together: its first three bytes (two for a two-byte literal).
fn family_of(lit: &[u8]) -> u32 {
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

/// Teddy buckets of a table: one bit of a byte, so each 32-byte load is
/// looked up whole (both lanes hold the same tables).
const BUCKETS: usize = 8;

/// Families (literals by their first three bytes) from which a set has
/// two tables' buckets: with more, eight buckets mix unlike bytes, and the
/// false candidates (a branch each) cost more than the second lookup.
/// `benches/README.md` has the measurements.
const WIDE_FROM: usize = 48;

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
    pub(crate) fn new(pats: &[(&str, u64)]) -> Option<Literals> {
        if pats.is_empty() || pats.iter().any(|(p, _)| p.len() < 2) {
            return None;
        }
        let mut sorted: Vec<(&[u8], u64)> =
            pats.iter().map(|&(p, m)| (p.as_bytes(), m)).collect();
        // By the folded first bytes, so that a group's literals, and a
        // family's, are adjacent, and neighbouring families (sharing a
        // first byte) share a bucket.
        // Longest first within a group, for [`Finder`]'s longest match.
        sorted.sort_by_key(|&(p, _)| {
            let third = p.get(2).map(|b| b | 0x20);
            let fourth = p.get(3).map(|b| b | 0x20);
            let len = std::cmp::Reverse(p.len());
            (p[0] | 0x20, p[1] | 0x20, third, fourth, len)
        });
        let mut groups: Vec<(u32, usize, usize, u64)> = Vec::new();
        let mut families: Vec<(u32, usize, usize, u64)> = Vec::new();
        let mut lits = Vec::new();
        for (p, m) in sorted {
            for (list, k) in
                [(&mut groups, key_of(p)), (&mut families, family_of(p))]
            {
                match list.last_mut() {
                    Some(g) if g.0 == k => {
                        g.2 += 1;
                        g.3 |= m;
                    }
                    _ => list.push((k, lits.len(), lits.len() + 1, m)),
                }
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
        let prints: Vec<Print> = families
            .iter()
            .map(|g| fingerprint(g.0, &lits[g.1..g.2]))
            .collect();
        let mut tables = [[0u8; 32]; 16];
        let wide = families.len() >= WIDE_FROM;
        let n = if wide { 2 * BUCKETS } else { BUCKETS };
        for (k, bucket) in buckets(&families, &prints, n).iter().enumerate() {
            let bit = 1u8 << (k % BUCKETS);
            let first = 8 * (k / BUCKETS);
            for &g in bucket {
                for (i, &(lo, hi)) in prints[g].iter().enumerate() {
                    // The same entries in both lanes. The text is looked up
                    // unfolded: folding (`| 0x20`) leaves a low nibble as
                    // it is and sets bit 1 of a high one, so high nibble
                    // `n` takes the entry of `n | 2`.
                    let (l, h) = (first + 2 * i, first + 2 * i + 1);
                    for (set, table, fold) in [(lo, l, 0), (hi, h, 2)] {
                        for (n, e) in tables[table].iter_mut().enumerate() {
                            if set >> ((n % 16) | fold) & 1 == 1 {
                                *e |= bit;
                            }
                        }
                    }
                }
            }
        }
        let all = groups.iter().fold(0, |a, g| a | g.3);
        let short = groups.iter().any(|g| is_short(g.0));
        let three = lits.iter().any(|l| l.len == 3);
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
            wide,
            groups,
            slots,
            lits,
            all,
            short,
            three,
            starts,
            starts2,
        })
    }

    /// The groups of literals that may start at `p`: those of four
    /// bytes or more, then the three-byte ones, then the two-byte ones (so
    /// longest first).
    #[inline(always)]
    fn groups_at(
        &self,
        hay: &[u8],
        p: usize,
    ) -> impl Iterator<Item = &(u32, usize, usize, u64)> {
        let long = hay.get(p..p + 4).and_then(|b| self.group(key4(b)));
        let three = if self.three {
            hay.get(p..p + 3).and_then(|b| self.group(key(b)))
        } else {
            None
        };
        let short = if self.short {
            hay.get(p..p + 2).and_then(|b| self.group(key2(b)))
        } else {
            None
        };
        long.into_iter().chain(three).chain(short)
    }

    /// The group with key `k`.
    #[inline(always)]
    fn group(&self, k: u32) -> Option<&(u32, usize, usize, u64)> {
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
    pub(crate) fn may_start(&self, w: &[u8], k: usize) -> bool {
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
    pub(crate) fn at(&self, hay: &[u8], p: usize, have: u64) -> u64 {
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
    det: u64,
}

impl Lit {
    /// The literal's first four bytes, folded as the text's are for
    /// [`Literals::may_start`] and the Teddy tables (`| 0x20`; bytes past
    /// a short literal's end read as `0x20`).
    fn head(&self) -> u32 {
        self.want[0] as u32 | 0x2020_2020
    }

    fn new(lit: &[u8], det: u64) -> Lit {
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

/// The families (by index in `groups`, literals by their first three
/// bytes) of each of `n` buckets: greedily, each family (most frequent
/// first byte first) to the bucket whose chance of a false candidate it
/// raises least, judged by [`freq`]; then each family in turn taken out
/// and put back where it adds least, for two rounds or until none moves
/// (it takes a fifth of the false candidates off a large set in eight
/// buckets, more in sixteen). A bucket matches a byte when both its
/// nibbles are among the bucket's, so a bucket of families with like
/// bytes stays selective.
fn buckets(
    groups: &[(u32, usize, usize, u64)],
    prints: &[Print],
    n: usize,
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
            .map(|&(mut lo, hi)| {
                let (a, b) = (usize::from(hi & 0xFF), usize::from(hi >> 8));
                let mut sum = 0.0;
                while lo != 0 {
                    let l = lo.trailing_zeros() as usize;
                    lo &= lo - 1;
                    sum += rows[l][0][a] + rows[l][1][b];
                }
                sum
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
    let mut sets = vec![[(0u16, 0u16); 4]; n];
    let mut now = vec![0.0f64; n];
    let mut out = vec![Vec::new(); n];
    let put = |g: usize, sets: &mut [Print], now: &mut [f64]| {
        let (best, after) = (0..n)
            .map(|k| (k, chance(&add(&sets[k], g))))
            .min_by(|a, b| (a.1 - now[a.0]).total_cmp(&(b.1 - now[b.0])))
            .expect("buckets");
        sets[best] = add(&sets[best], g);
        now[best] = after;
        best
    };
    let mut at = vec![0; groups.len()];
    for &g in &order {
        at[g] = put(g, &mut sets, &mut now);
        out[at[g]].push(g);
    }
    for _ in 0..2 {
        let mut moved = false;
        for &g in &order {
            let from = at[g];
            out[from].retain(|&x| x != g);
            sets[from] =
                out[from].iter().fold([(0, 0); 4], |s, &x| add(&s, x));
            now[from] =
                if out[from].is_empty() { 0.0 } else { chance(&sets[from]) };
            let to = put(g, &mut sets, &mut now);
            at[g] = to;
            out[to].push(g);
            moved |= to != from;
        }
        if !moved {
            break;
        }
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

impl Literals {
    /// Positions (bit `k`: a literal may start at byte `k` of `w`) where
    /// some bucket's literals may start.
    #[target_feature(enable = "avx2")]
    pub(crate) fn candidates(&self, w: &[u8]) -> u32 {
        // The nibbles of the window's four shifted blocks, shared by both
        // sets of tables.
        let n = [0, 1, 2, 3].map(|i| nibbles(load(w, i)));
        let mut r = buckets_of(&self.tables[..8], &n);
        if self.wide {
            r = _mm256_or_si256(r, buckets_of(&self.tables[8..], &n));
        }
        !bits(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()))
    }
}

/// The low and high nibbles of each byte of `v` (the tables fold them).
#[target_feature(enable = "avx2")]
fn nibbles(v: __m256i) -> (__m256i, __m256i) {
    let low = _mm256_set1_epi8(0x0F);
    (_mm256_and_si256(v, low), _mm256_and_si256(_mm256_srli_epi16(v, 4), low))
}

/// The buckets of one set of tables `[lo0, hi0, … lo3, hi3]` that survive
/// at each position, given the nibbles of the four shifted blocks.
#[target_feature(enable = "avx2")]
fn buckets_of(t: &[[u8; 32]], n: &[(__m256i, __m256i); 4]) -> __m256i {
    let at = |i: usize| {
        _mm256_and_si256(
            _mm256_shuffle_epi8(load(&t[2 * i], 0), n[i].0),
            _mm256_shuffle_epi8(load(&t[2 * i + 1], 0), n[i].1),
        )
    };
    _mm256_and_si256(
        _mm256_and_si256(at(0), at(1)),
        _mm256_and_si256(at(2), at(3)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Leftmost-longest, ASCII case-insensitive, by brute force.
    fn naive(
        pats: &[String],
        hay: &[u8],
        from: usize,
    ) -> Option<(usize, usize, usize)> {
        (from..hay.len()).find_map(|p| {
            let mut best: Option<(usize, usize, usize)> = None;
            for (i, pat) in pats.iter().enumerate() {
                let end = p + pat.len();
                let hit = hay
                    .get(p..end)
                    .is_some_and(|h| h.eq_ignore_ascii_case(pat.as_bytes()));
                if hit && best.is_none_or(|b| end > b.1) {
                    best = Some((p, end, i));
                }
            }
            best
        })
    }

    /// Literals with many first bytes: enough groups for two tables.
    fn many() -> Vec<String> {
        let words = [
            "password",
            "passwd",
            "pin",
            "pan",
            "card_number",
            "cvv",
            "secret",
            "session",
            "token",
            "tok_",
            "api-key",
            "bearer ",
            "account",
            "acct",
            "iban",
            "routing",
            "ssn",
            "dob",
            "phone",
            "mobile",
            "msisdn",
            "fax",
            "curl",
            "mysql",
            "config set",
            "eyj",
            "://",
            "-----begin ",
            "\"dni\"",
            "nie=",
            "'sin'",
        ];
        let mut pats: Vec<String> =
            words.iter().map(|w| w.to_string()).collect();
        for (i, a) in "bcdfghjklmnqrtvwxzbcdfghjk".chars().enumerate() {
            pats.push(format!(
                "{a}{}q_{i}",
                char::from(b'a' + (i * 7 % 26) as u8)
            ));
        }
        pats
    }

    #[test]
    fn a_large_set_has_two_tables_and_finds_what_brute_force_finds() {
        let pats = many();
        let Some(f) = Finder::new(&pats) else { return };
        assert!(f.lits.wide, "{} groups", f.lits.groups.len());
        // Text of literals (some upper-cased, some cut short) among
        // filler, from a fixed-seed generator.
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let filler = [" ", "x", "=", "\"", "passe", "tok", "ca", "1234", "Q"];
        for _ in 0..300 {
            let mut hay = Vec::new();
            for _ in 0..next(40) {
                if next(3) == 0 {
                    let p = pats[next(pats.len())].as_bytes();
                    let p = &p[..p.len() - next(2).min(p.len() - 1)];
                    if next(2) == 0 {
                        hay.extend(p.to_ascii_uppercase());
                    } else {
                        hay.extend_from_slice(p);
                    }
                } else {
                    hay.extend(filler[next(filler.len())].bytes());
                }
            }
            for from in 0..=hay.len() {
                assert_eq!(
                    f.find(&hay, from),
                    naive(&pats, &hay, from),
                    "{} from {from}",
                    hay.escape_ascii()
                );
            }
        }
    }
}
