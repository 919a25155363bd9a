//! The stream filter's newline search, 64 bytes a step with AVX2.

use super::vector::{bits, eq, load};

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
}
