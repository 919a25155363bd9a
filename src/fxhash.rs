//! FxHash (as in rustc) for the crate's fixed tables: rotate, xor and
//! multiply a word at a time. The tables (word lists, key-rule names)
//! are built from shipped data and config, not from keys an
//! attacker chooses, and a lookup of any text costs at most a walk of the
//! fixed table; so a keyed hash (SipHash, `std`'s default) buys nothing
//! and costs several times more per lookup.

use std::hash::{BuildHasherDefault, Hasher};

/// The hasher.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

/// Builds [`FxHasher`]s, for `HashMap`/`HashSet`.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, x: u64) {
        self.0 = mix(self.0, x);
    }
}

/// One step of the hash: `h` with the word `x` added.
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}
