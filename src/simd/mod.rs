//! Byte search several bytes a step, for the prefilter, the key scanner
//! and the stream filter: AVX2 code for x86-64 CPUs that have it
//! (Teddy's literal candidates and the [`Finder`] built on them, the
//! newline search, and the vector helpers they and the prefilter's pass
//! share), and a word-at-a-time load for the scalar code.
//!
//! The AVX2 code is the crate's only `unsafe`, with the prefilter's pass
//! (`prefilter/avx2.rs`): it is called only through a [`Finder`] or the
//! prefilter's pass, which are made only once the CPU is known to have
//! AVX2, or after [`newlines`] has checked; the loads read 32 bytes from
//! a `&[u8; 32]`. `benches/README.md` has the measurements that justify
//! it.

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod newlines;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod teddy;
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
pub(crate) mod vector;

#[cfg(target_arch = "x86_64")]
pub(crate) use newlines::newlines;
#[cfg(target_arch = "x86_64")]
pub(crate) use teddy::{Finder, Literals};

/// Bytes `at..at + 8` of `hay` as a little-endian word, zero-padded past
/// the end.
#[inline(always)]
pub(crate) fn load8(hay: &[u8], at: usize) -> u64 {
    match hay.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("8 bytes")),
        None => {
            let mut b = [0u8; 8];
            b[..hay.len() - at].copy_from_slice(&hay[at..]);
            u64::from_le_bytes(b)
        }
    }
}
