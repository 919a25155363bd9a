//! AVX2 vector helpers shared by the literal finder, the newline scan
//! and the prefilter's pass: 32-byte loads, byte compares and bit masks.
//! Every function needs AVX2, and is called only from code that does.

use std::arch::x86_64::{
    __m256i, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_min_epu8,
    _mm256_movemask_epi8, _mm256_set1_epi8, _mm256_sub_epi8,
};

/// Bytes `at..at + 32` of `w`.
#[target_feature(enable = "avx2")]
pub(crate) fn load(w: &[u8], at: usize) -> __m256i {
    let b: &[u8; 32] = w[at..at + 32].try_into().expect("32 bytes");
    // SAFETY: `b` is 32 readable bytes, and `loadu` needs no alignment.
    unsafe { _mm256_loadu_si256(b.as_ptr().cast()) }
}

/// The top bit of each byte as a bit mask.
#[target_feature(enable = "avx2")]
pub(crate) fn bits(v: __m256i) -> u32 {
    _mm256_movemask_epi8(v) as u32
}

/// The bits of a block's positions that lie in the text, `rest` bytes
/// of it being left.
#[inline(always)]
pub(crate) fn valid_bits(rest: usize) -> u32 {
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
pub(crate) fn window<'a>(
    hay: &'a [u8],
    at: usize,
    pad: &'a mut [u8; 70],
) -> &'a [u8] {
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
pub(crate) fn eq(v: __m256i, b: u8) -> __m256i {
    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8))
}

/// Bytes in `lo..=hi` (unsigned).
#[target_feature(enable = "avx2")]
pub(crate) fn in_range(v: __m256i, lo: u8, hi: u8) -> __m256i {
    let s = _mm256_sub_epi8(v, _mm256_set1_epi8(lo as i8));
    _mm256_cmpeq_epi8(_mm256_min_epu8(s, _mm256_set1_epi8((hi - lo) as i8)), s)
}
