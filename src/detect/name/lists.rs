//! The shipped word lists (given names, surnames, common English words,
//! words of places and organisations) in one hash table: which lists hold
//! a word, and the tests of a candidate's words that the detector and its
//! prefilter test make.

use super::words::{after_particles, name_words, pack, MAX_WORDS};
use super::Context;
use crate::detect::keys::value_may_start;
use crate::fxhash;
use crate::patterns;
use crate::span::Span;

/// The shipped word lists in one hash table, shared by the detector and
/// its prefilter test ([`Lists::may_start`]). A word's slot says which
/// lists hold it, so one lookup answers all three (a set a list, each
/// hashing the word again, cost ~110 instructions a question).
#[derive(Debug)]
pub(super) struct Lists {
    /// Open addressing with linear probing, 0 an empty slot. A slot
    /// packs where its word is in `data` (list, offset, length), the
    /// lists that hold it (`GIVEN`…) and the low 30 bits of its hash (a
    /// tag): most slots of other words are told apart without reading
    /// the word.
    slots: Box<[u64]>,
    /// `64 - log2(slots.len())`: a word's first slot is its hash's top
    /// bits.
    shift: u32,
    data: [&'static [u8]; SOURCES],
    /// Lower-case words inside a name (`van`, `de`), sorted.
    particles: Vec<u64>,
}

/// How many word lists the table holds.
const SOURCES: usize = 6;

/// Which lists hold a word ([`Lists::flags`]).
const GIVEN: u8 = 1;
const SURNAME: u8 = 2;
const COMMON: u8 = 4;
/// A word of a place, organisation or product (`Street`, `Ops`).
const ORG: u8 = 8;

/// The flag each list gives its words, in the order of `Lists::data`.
const FLAG_OF: [u8; SOURCES] = [GIVEN, SURNAME, COMMON, GIVEN, GIVEN, ORG];

// A slot: offset (bits 0..24), length (24..29), list (29..32), flags
// (32..36), tag (36..64).
const LEN_AT: u32 = 24;
const LIST_AT: u32 = 29;
const FLAGS_AT: u32 = 32;
const TAG_AT: u32 = 36;

/// The longest word the fast path of [`Lists::flags`] folds itself.
const FOLD_MAX: usize = 32;

impl Lists {
    /// The table of the shipped lists. They are stored lowercase (a test
    /// checks it), so a slot points into them: no allocation or case
    /// check per word at start-up.
    pub(super) fn new() -> Lists {
        let data = [
            patterns::GIVEN_NAMES.as_bytes(),
            patterns::SURNAMES.as_bytes(),
            patterns::COMMON_WORDS.as_bytes(),
            patterns::GIVEN_NAMES_INTL.as_bytes(),
            patterns::GIVEN_NAMES_NATIVE.as_bytes(),
            patterns::not_person_words().as_bytes(),
        ];
        let mut particles: Vec<u64> = patterns::family("name_context")
            .particles
            .iter()
            .filter(|p| p.len() <= 7)
            .map(|p| pack(p.to_ascii_lowercase().as_bytes()))
            .collect();
        particles.sort_unstable();
        let lines: usize = data.iter().map(|d| lines(d)).sum();
        // At most half full: a lookup of a word not in the lists reads
        // ~2 slots.
        let size = (2 * lines).next_power_of_two();
        let mut lists = Lists {
            slots: vec![0; size].into_boxed_slice(),
            shift: 64 - size.trailing_zeros(),
            data,
            particles,
        };
        for (list, d) in data.iter().enumerate() {
            for_each_word(d, |off, len, h| lists.insert(list, off, len, h));
        }
        lists
    }

    /// Adds the word `data[list][off..off + len]`, of hash `h`.
    #[inline]
    fn insert(&mut self, list: usize, off: usize, len: usize, h: u64) {
        assert!(off < 1 << LEN_AT && len < FOLD_MAX);
        let flag = u64::from(FLAG_OF[list]) << FLAGS_AT;
        let w = &self.data[list][off..off + len];
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        while self.slots[i] != 0 {
            if self.holds(self.slots[i], h, w) {
                self.slots[i] |= flag;
                return;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = h << TAG_AT
            | flag
            | (list as u64) << LIST_AT
            | (len as u64) << LEN_AT
            | off as u64;
    }

    /// Whether `slot` is that of the word `w`, whose hash is `h`.
    fn holds(&self, slot: u64, h: u64, w: &[u8]) -> bool {
        if (slot ^ h << TAG_AT) >> TAG_AT != 0 {
            return false;
        }
        let off = (slot & ((1 << LEN_AT) - 1)) as usize;
        let len = (slot >> LEN_AT & 31) as usize;
        let list = (slot >> LIST_AT & 7) as usize;
        len == w.len() && self.data[list][off..off + len] == *w
    }

    /// The lists (`GIVEN`, `SURNAME`, `COMMON`) that hold `w`, a word
    /// already folded as they spell it, of hash `h`.
    fn get(&self, h: u64, w: &[u8]) -> u8 {
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return 0;
            }
            if self.holds(slot, h, w) {
                return (slot >> FLAGS_AT & 15) as u8;
            }
            i = (i + 1) & mask;
        }
    }

    /// The lists that hold the text word `w`. The lists spell `O'Brien`
    /// as `obrien`; a word that is not ASCII, or longer than
    /// `FOLD_MAX`, is looked up as Unicode lowercases it.
    fn flags(&self, w: &[u8]) -> u8 {
        let mut buf = [0u8; FOLD_MAX];
        if w.len() <= FOLD_MAX {
            buf[..w.len()].copy_from_slice(w);
            if let Some(h) = fold_hash(&mut buf, w.len()) {
                return self.get(h, &buf[..w.len()]);
            }
            if w.is_ascii() {
                let mut n = 0;
                for &b in w.iter().filter(|&&b| b != b'\'') {
                    buf[n] = b.to_ascii_lowercase();
                    n += 1;
                }
                return self.get(hash(&buf[..n]), &buf[..n]);
            }
        }
        self.flags_lowercased(w)
    }

    /// [`Lists::flags`] of a word that is not ASCII, or long.
    // Out of line: inlined, it cost every lookup a few instructions.
    #[inline(never)]
    fn flags_lowercased(&self, w: &[u8]) -> u8 {
        match std::str::from_utf8(w) {
            Ok(s) => {
                let s = s.to_lowercase();
                self.get(hash(s.as_bytes()), s.as_bytes())
            }
            Err(_) => 0,
        }
    }

    /// Whether [`Name::find`](super::Name::find) may find a name
    /// starting at the word `i`, whatever the context: as
    /// [`Lists::plausible`] in the most lenient context the text there
    /// allows. Words that are all ordinary make a name only as the value
    /// of a name key or after a strong context word, and only as a known
    /// given + family name; so `[Sun Dec 04` wakes no name search,
    /// `name: Sun Dec` does.
    pub(super) fn may_start(&self, hay: &[u8], i: usize) -> bool {
        let mut words = [Span::default(); MAX_WORDS];
        let n = self.words(hay, i, &mut words);
        if n < 2 {
            return false;
        }
        // Each word looked up once: `plausible(…, Context::Key)` for the
        // rest.
        let mut flags = [0; MAX_WORDS];
        for (f, &w) in flags.iter_mut().zip(&words[..n]) {
            *f = self.flags(&hay[w]);
            if *f & COMMON == 0 {
                return true;
            }
        }
        value_may_start(hay, i)
            && flags[0] & GIVEN != 0
            && flags[n - 1] & SURNAME != 0
    }

    /// The capitalised words of a name from `at` ([`name_words`] with the
    /// shipped particles).
    #[inline]
    pub(super) fn words(
        &self,
        hay: &[u8],
        at: usize,
        out: &mut [Span; MAX_WORDS],
    ) -> usize {
        name_words(hay, at, &self.particles, out)
    }

    /// Where a name starts that opens with particles at `i`
    /// (`van de Weterink`), if one does.
    pub(super) fn after_particles(
        &self,
        hay: &[u8],
        i: usize,
    ) -> Option<usize> {
        after_particles(hay, i, &self.particles)
    }

    /// True when `words` (2–4 capitalised words) read as a person's name
    /// in context `ctx`.
    pub(super) fn plausible(
        &self,
        hay: &[u8],
        words: &[Span],
        ctx: Context,
    ) -> bool {
        let flags = |k: usize| self.word_flags(&hay[words[k]]);
        let last = words.len() - 1;
        // Each word looked up at most once, and only as far as the
        // context needs. A word of a place or organisation (`Baker
        // Street`, `Finance Ops`) makes no person's name in any context.
        match ctx {
            // The value of a name key, or words after `Dear`/`user`: a name
            // unless every word is an ordinary word (`"name":"Order
            // Service"`, `Dear Valued Customer`), or a known given +
            // family name even then.
            Context::Key | Context::Strong => {
                let mut first = 0;
                let mut uncommon = false;
                for k in 0..=last {
                    let f = flags(k);
                    if f & ORG != 0 {
                        return false;
                    }
                    uncommon |= f & COMMON == 0;
                    if k == 0 {
                        first = f;
                    }
                    if k == last {
                        return uncommon
                            || (first & GIVEN != 0 && f & SURNAME != 0);
                    }
                }
                unreachable!("two or more words")
            }
            // `"name": "Homer Simpson"` but not `"name": "Panther Labs"`:
            // a known given name first, then a family name or a word that
            // is not an ordinary one.
            // Or no word is an ordinary one (`Karel Šmíd`).
            Context::Vague => {
                let fl = flags(last);
                let f0 = flags(0);
                let middle = (1..last).all(|k| flags(k) & ORG == 0);
                let known = fl & ORG == 0
                    && (fl & SURNAME != 0 || fl & COMMON == 0)
                    && self.given(&hay[words[0]]);
                let unknown = (f0 | fl) & (COMMON | ORG) == 0
                    && (1..last).all(|k| flags(k) & COMMON == 0);
                middle && (known || unknown)
            }
            // `… for Jane Roe`: name-shaped words, none an ordinary word
            // (`to Northwind Portal` holds an organisation's word).
            // Or a known given name that is no ordinary word, then a known
            // family name even if it is one (`for Kerry Bull`).
            Context::Weak => {
                let f0 = flags(0);
                let fl = flags(last);
                let middle = (1..last).all(|k| flags(k) & (COMMON | ORG) == 0);
                middle
                    && (f0 | fl) & ORG == 0
                    && ((f0 | fl) & COMMON == 0
                        || (f0 & (GIVEN | COMMON) == GIVEN
                            && fl & SURNAME != 0))
            }
            // A quoted value in free text: no ordinary word, and the
            // lists know the first as a given name or the last as a family
            // name (`'Acme Widgets'` is no person).
            Context::Quoted => {
                let fl = flags(last);
                (0..=last).all(|k| flags(k) & (COMMON | ORG) == 0)
                    && (fl & SURNAME != 0 || self.given(&hay[words[0]]))
            }
            // Free text: both known, and neither an ordinary word
            // (`Sun Dec 04` is a date, not a person).
            Context::None => {
                flags(0) & (GIVEN | COMMON | ORG) == GIVEN
                    && flags(last) & (SURNAME | COMMON | ORG) == SURNAME
                    && (1..last).all(|k| flags(k) & (COMMON | ORG) == 0)
            }
        }
    }

    /// [`Lists::flags`], and for a word the lists do not hold that ends
    /// in `s`, whether its singular is an ordinary word (`Widgets`,
    /// `Payouts`): the common-word list holds no plurals.
    fn word_flags(&self, w: &[u8]) -> u8 {
        let f = self.flags(w);
        match w {
            [.., b's'] if f == 0 && w.len() > 5 => {
                self.flags(&w[..w.len() - 1]) & COMMON
            }
            _ => f,
        }
    }

    /// True when the lists know `w` as a given name, or, hyphenated, its
    /// first part (`Maja-Kristiane`, `Karl-Jürgen`).
    fn given(&self, w: &[u8]) -> bool {
        self.flags(w) & GIVEN != 0
            || memchr::memchr(b'-', w)
                .is_some_and(|h| self.flags(&w[..h]) & GIVEN != 0)
    }

    /// True when `w`, alone under a first- or last-name key, is a name:
    /// the lists know it as one (`Rose`, `Killer`), or it is no ordinary
    /// word (`Zbigniew`); `Unknown` or `None` is not.
    pub(super) fn alone(&self, w: &[u8]) -> bool {
        let f = self.flags(w);
        f & (GIVEN | SURNAME) != 0 || f & COMMON == 0
    }
}

/// How many lines `d` has: a byte compare a byte, summed in `u8`s,
/// which the compiler does 32 bytes a step (~2 instructions a byte
/// counted in `usize`).
fn lines(d: &[u8]) -> usize {
    let count =
        |c: &[u8]| c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
    d.chunks(255).map(|c| usize::from(count(c))).sum::<usize>() + 1
}

const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGH: u64 = ONES << 7;

/// Calls `f(offset, length, hash)` for each word of a data file, the
/// lines of [`patterns::data_line_bytes`]. A line that is a bare word
/// of under 16 bytes (all but a few) is found and hashed 8 bytes a
/// step: read a line at a time with `memchr` and hashed a byte at a
/// time, the lists cost ~90 instructions a word at every start.
fn for_each_word(d: &[u8], mut f: impl FnMut(usize, usize, u64)) {
    let mut at = 0;
    while at < d.len() {
        // One call of `f`, so that it is inlined.
        let word = match bare_word(d, at) {
            Some((len, h)) => {
                at += len + 1;
                Some((at - len - 1, len, h))
            }
            None => {
                let end = memchr::memchr(b'\n', &d[at..])
                    .map_or(d.len(), |k| at + k);
                let line = d[at..end].trim_ascii();
                at = end + 1;
                let off = line.as_ptr() as usize - d.as_ptr() as usize;
                (!line.is_empty() && line[0] != b'#')
                    .then(|| (off, line.len(), hash(line)))
            }
        };
        if let Some((off, len, h)) = word {
            f(off, len, h);
        }
    }
}

/// The length and [`hash`] of the line at `at` if it is a bare word (no
/// space, not a comment, ASCII) of under 16 bytes.
fn bare_word(d: &[u8], at: usize) -> Option<(usize, u64)> {
    if at + 16 > d.len() || d[at] == b'#' {
        return None;
    }
    let load = |at: usize| {
        u64::from_le_bytes(d[at..at + 8].try_into().expect("8 bytes"))
    };
    // The first byte below `!` or not ASCII ends the word; the lowest
    // flagged byte is such a byte (a borrow runs only up from one).
    let stop = |x: u64| ((x.wrapping_sub(ONES * 0x21) & !x) | x) & HIGH;
    let (x, y) = (load(at), load(at + 8));
    let len = if stop(x) != 0 {
        stop(x).trailing_zeros() as usize / 8
    } else {
        8 + stop(y).trailing_zeros() as usize / 8
    };
    if len == 0 || len >= 16 || d[at + len] != b'\n' {
        return None;
    }
    let keep = |x: u64, n: usize| {
        if n >= 8 {
            x
        } else {
            x & ((1 << (8 * n)) - 1)
        }
    };
    let mut h = fxhash::mix(len as u64, keep(x, len));
    if len > 8 {
        h = fxhash::mix(h, keep(y, len - 8));
    }
    Some((len, finish(h)))
}

/// The hash of a folded word: FxHash's step over its bytes 8 at a time,
/// the last 8 padded with zeros.
fn hash(w: &[u8]) -> u64 {
    let mut h = w.len() as u64;
    for c in w.chunks(8) {
        let mut x = 0;
        for (k, &b) in c.iter().enumerate() {
            x |= u64::from(b) << (8 * k);
        }
        h = fxhash::mix(h, x);
    }
    finish(h)
}

/// FxHash's product carries little of a word's last bytes into its low
/// bits, which the tag takes: the top half folded into them.
fn finish(h: u64) -> u64 {
    h ^ h >> 32
}

/// Lowercases the ASCII word in `buf[..n]` (zeros after it) in place,
/// 8 bytes a step, and returns its [`hash`]; `None` if it holds a byte
/// that is not ASCII, or `'`, for the general path to fold.
fn fold_hash(buf: &mut [u8; FOLD_MAX], n: usize) -> Option<u64> {
    let mut h = n as u64;
    for c in buf.chunks_exact_mut(8).take(n.div_ceil(8)) {
        let x = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        let quote = x ^ (ONES * u64::from(b'\''));
        if (x | (quote.wrapping_sub(ONES) & !quote)) & HIGH != 0 {
            return None;
        }
        // No byte exceeds 0x7f, so no sum carries into the next byte:
        // the high bit of a byte is set in the first sum from `A` up,
        // in the second from `[` up.
        let upper = (x + ONES * 0x3f) & !(x + ONES * 0x25) & HIGH;
        let x = x | upper >> 2;
        c.copy_from_slice(&x.to_le_bytes());
        h = fxhash::mix(h, x);
    }
    Some(finish(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The shipped lists, in the order of `Lists::data`.
    fn sources() -> [&'static str; SOURCES] {
        [
            patterns::GIVEN_NAMES,
            patterns::SURNAMES,
            patterns::COMMON_WORDS,
            patterns::GIVEN_NAMES_INTL,
            patterns::GIVEN_NAMES_NATIVE,
            patterns::not_person_words(),
        ]
    }

    #[test]
    fn shipped_lists_are_lowercase() {
        // `Lists` points into the words as they are.
        for list in sources() {
            for w in patterns::data_lines(list) {
                assert_eq!(w, w.to_lowercase());
            }
        }
    }

    /// The lists as sets, looked up as the detector did before the
    /// table: ASCII words up to 32 bytes lowercased without `'`, others
    /// lowercased as Unicode.
    fn flags_of_sets(w: &[u8]) -> u8 {
        let folded = if w.len() <= 32 && w.is_ascii() {
            w.iter()
                .filter(|&&b| b != b'\'')
                .map(u8::to_ascii_lowercase)
                .collect::<Vec<u8>>()
        } else {
            match std::str::from_utf8(w) {
                Ok(s) => s.to_lowercase().into_bytes(),
                Err(_) => return 0,
            }
        };
        let mut flags = 0;
        for (k, list) in sources().into_iter().enumerate() {
            if patterns::data_line_bytes(list).any(|l| l == folded) {
                flags |= FLAG_OF[k];
            }
        }
        flags
    }

    #[test]
    fn lists_hold_the_shipped_words() {
        let lists = Lists::new();
        let sets: Vec<HashSet<&[u8]>> = sources()
            .into_iter()
            .map(|l| patterns::data_line_bytes(l).collect())
            .collect();
        let want = |w: &[u8]| {
            (0..SOURCES)
                .filter(|&k| sets[k].contains(w))
                .fold(0u8, |f, k| f | FLAG_OF[k])
        };
        let mut seen = 0;
        for set in &sets {
            for &w in set {
                let mut cap = w.to_vec();
                cap[0].make_ascii_uppercase();
                let upper = w.to_ascii_uppercase();
                let more = [w, b"x"].concat();
                for v in [w, &cap[..], &upper[..]] {
                    assert_eq!(
                        lists.flags(v),
                        want(w),
                        "{:?}",
                        String::from_utf8_lossy(v)
                    );
                }
                assert_eq!(lists.flags(&more), want(&more));
                assert_eq!(lists.flags(&w[1..]), want(&w[1..]));
                seen += 1;
            }
        }
        assert!(seen > 100_000, "{seen}");
        assert_eq!(lists.flags(b"Mary") & GIVEN, GIVEN);
        assert_eq!(lists.flags(b"Smith") & SURNAME, SURNAME);
        assert_eq!(lists.flags(b"Connection") & COMMON, COMMON);
    }

    #[test]
    fn lists_fold_words_as_the_sets_did() {
        let lists = Lists::new();
        for w in [
            "O'Brien",
            "O'BRIEN",
            "Obrien",
            "D'Angelo",
            "Dangelo",
            "Mc'Donald",
            "McDonald",
            "Smith-Jones",
            "Élodie",
            "ÉLODIE",
            "Agnès",
            "Zoë",
            // The Kelvin sign lowercases to ASCII `k`.
            "\u{212A}im",
            "\u{212A}IM",
            "\u{212A}elly",
            "ΣΊΣΥΦΟΣ",
            "Jane'",
            "'",
            "",
            "A",
            "Mary2",
            "Mary_",
            "Mar\u{0130}a",
            "Abcdefghijklmnopqrstuvwxyzabcdef",
            "Abcdefghijklmnopqrstuvwxyzabcdefg",
            "Smithsmithsmithsmithsmithsmith'",
            "Smithsmithsmithsmithsmithsmith''s",
        ] {
            assert_eq!(
                lists.flags(w.as_bytes()),
                flags_of_sets(w.as_bytes()),
                "{w}"
            );
        }
        assert_eq!(lists.flags(b"O'Brien"), SURNAME);
        assert_ne!(lists.flags("\u{212A}im".as_bytes()) & GIVEN, 0);
        assert_eq!(lists.flags(b"\xC3"), 0);
    }

    #[test]
    fn data_words_are_the_data_lines() {
        let text = "a\n\nbb\r\n  c  \n#x\nabcdefghijklmno\nabcdefghijklmnop\n\
                    abcdefghijklmnopq\n# c d\n\tz\nd\u{e9}j\u{e0}\nx y\n\
                    \u{e9}t\u{e9}\nabcdefgh\nabcdefg\nlast";
        // Every tail, so that each line is met near the end of the data
        // too, where `bare_word` leaves it to the general path.
        for start in 0..text.len() {
            let Some(d) = text.get(start..) else { continue };
            let d = d.as_bytes();
            let mut got = vec![];
            for_each_word(d, |off, len, h| got.push((&d[off..off + len], h)));
            let want: Vec<_> =
                patterns::data_line_bytes(std::str::from_utf8(d).unwrap())
                    .map(|l| (l, hash(l)))
                    .collect();
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(d));
        }
        assert_eq!(lines(b""), 1);
        assert_eq!(lines(&[b'\n'; 1000]), 1001);
    }
}
