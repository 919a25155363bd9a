//! Overlapping findings merged into one, so that no part of either
//! secret escapes its mask.

use crate::span::Finding;

/// Sorts findings by position and merges overlapping ones: the leftmost
/// one's detector masks the union.
pub(crate) fn merge(f: &mut Vec<Finding>) {
    if f.len() < 2 {
        return;
    }
    f.sort_by(|a, b| {
        a.m.span
            .start
            .cmp(&b.m.span.start)
            .then(b.m.span.end.cmp(&a.m.span.end))
    });
    let mut w = 0;
    for r in 1..f.len() {
        if f[r].m.span.start < f[w].m.span.end {
            if f[r].m.span.end > f[w].m.span.end {
                f[w].m.span.end = f[r].m.span.end;
            }
        } else {
            w += 1;
            f[w] = f[r];
        }
    }
    f.truncate(w + 1);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Match, Span};

    fn fd(d: u16, s: usize, e: usize) -> Finding {
        Finding { detector: d, m: Match::new(Span::new(s, e)) }
    }

    #[test]
    fn merge_unions_overlaps() {
        let mut v = vec![fd(1, 5, 9), fd(0, 0, 3), fd(2, 2, 4), fd(3, 8, 12)];
        merge(&mut v);
        assert_eq!(v, vec![fd(0, 0, 4), fd(1, 5, 12)]);
    }
}
