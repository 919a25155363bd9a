//! The prefilter's literals (keywords and token prefixes of all
//! detectors) as one table-driven DFA, ASCII case-insensitive.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::noncontiguous::NFA;

use aho_corasick::{Anchored, MatchKind};

use super::DetectorSet;

/// The literals worth looking for: a literal holding another literal with
/// at least its detectors adds nothing, since wherever it occurs, the other
/// one does too.
pub(super) fn needed_literals(
    pats: &[String],
    pattern_mask: &[DetectorSet],
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
/// Built from aho-corasick's automaton by walking its states (its NFA,
/// every transition asked through failure links): the crate's own DFA
/// search loop re-checks for special states, prefilters and match
/// bookkeeping on every byte, where this scan only needs the union of the
/// matched patterns' detector sets, so its loop is about three times
/// shorter.
#[derive(Clone, Debug)]
pub(super) struct KeywordDfa {
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
    masks: Vec<DetectorSet>,
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
    pub(super) fn new(
        pats: &[String],
        pattern_mask: &[DetectorSet],
        keep: &[usize],
    ) -> Option<KeywordDfa> {
        // The table is walked out of the automaton's states below, so the
        // automaton need not be a DFA itself: the NFA, its transitions
        // followed through failure links, builds in a quarter of the
        // DFA's time (which filled a table of its own first).
        let nfa = NFA::builder()
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
        let start = nfa.start_state(Anchored::No).ok()?;
        // Our number of each aho-corasick state, by its (small, dense)
        // id: a vector, not a hash map, for a quicker start-up.
        let mut ids: Vec<usize> = Vec::new();
        let id_of = |ids: &[usize], sid: StateID| {
            ids.get(sid.as_usize()).copied().filter(|&i| i != usize::MAX)
        };
        let mut order = vec![start];
        ids.resize(start.as_usize() + 1, usize::MAX);
        ids[start.as_usize()] = 0;
        // Each state's next states, by our numbers, class by class: asked
        // of the automaton once (each answer may walk failure links).
        let mut next_of: Vec<usize> = Vec::new();
        let mut k = 0;
        while k < order.len() {
            let sid = order[k];
            for &b in &reps {
                let next = nfa.next_state(Anchored::No, sid, b);
                let id = match id_of(&ids, next) {
                    Some(id) => id,
                    None => {
                        if order.len() == MAX_KEYWORD_STATES {
                            return None;
                        }
                        if ids.len() <= next.as_usize() {
                            ids.resize(next.as_usize() + 1, usize::MAX);
                        }
                        ids[next.as_usize()] = order.len();
                        order.push(next);
                        order.len() - 1
                    }
                };
                next_of.push(id);
            }
            k += 1;
        }
        let state_mask = |sid| {
            if !nfa.is_match(sid) {
                return 0;
            }
            (0..nfa.match_len(sid)).fold(0, |m, i| {
                m | pattern_mask[keep[nfa.match_pattern(sid, i).as_usize()]]
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
        for (k, next) in next_of.chunks_exact(reps.len()).enumerate() {
            for (c, &next) in next.iter().enumerate() {
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
    pub(super) fn scan(&self, hay: &[u8]) -> DetectorSet {
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

    /// The detectors of every literal occurring in a field's key, read
    /// as `key=`: a key is followed by its value, and the literals of
    /// keys-only keywords (`dob=`) must match the key `dob`.
    #[inline]
    pub(super) fn scan_key(&self, key: &[u8]) -> DetectorSet {
        let (s, m) = self.scan_one(key, self.start);
        let s = self.step(s, b'=');
        m | if s >= self.first_match { self.mask_of(s) } else { 0 }
    }

    /// Scans `hay` from state `s`: the state after it and the detectors
    /// of the literals ending in it.
    #[inline(always)]
    fn scan_one(&self, hay: &[u8], mut s: u32) -> (u32, DetectorSet) {
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
    fn mask_of(&self, s: u32) -> DetectorSet {
        self.masks[(s - self.first_match) as usize / self.stride]
    }
}
