//! Name words: capitalised words as names are written (`Jane`,
//! `O'Brien`, `Smith-Jones`, `McDonald`, `Agnès`), ASCII fast and any
//! script as Unicode defines letters.

use crate::span::Span;

/// Most capitalised words of one name (`María Del Carmen Hoz Buendía`;
/// `Lana van den Berg` has two, with two particles between them).
pub(super) const MAX_WORDS: usize = 5;

/// Most particles in a row (`van der`, `de la`).
const MAX_PARTICLES: usize = 2;

/// Up to [`MAX_WORDS`] capitalised words separated by single spaces, from
/// `at`, with up to two `particles` (lower-case words of up to 7 letters,
/// `van`, `de`, each [`pack`]ed, sorted)
/// before each word but the first; returns how many capitalised words
/// were found. The particles are not listed: the name runs from the
/// first word's start to the last word's end.
#[inline]
pub(super) fn name_words(
    hay: &[u8],
    at: usize,
    particles: &[u64],
    out: &mut [Span; MAX_WORDS],
) -> usize {
    let mut n = 0;
    let mut i = at;
    while n < MAX_WORDS {
        let Some(end) = name_word(hay, i) else { break };
        out[n] = Span::new(i, end);
        n += 1;
        if hay.get(end) != Some(&b' ') {
            break;
        }
        i = end + 1;
        if hay.get(i).is_some_and(u8::is_ascii_lowercase) {
            if let Some(j) = after_particles(hay, i, particles) {
                i = j;
            }
        }
    }
    n
}

/// A word of up to 8 bytes as one number, for a search without
/// byte-slice compares.
pub(super) fn pack(w: &[u8]) -> u64 {
    w.iter()
        .take(8)
        .enumerate()
        .fold(0, |x, (k, &b)| x | u64::from(b) << (8 * k))
}

/// Where the capitalised word after one or two `particles` at `i` starts
/// (`van der Berg` gives `Berg`'s start); `None` when no particle is
/// there or no capitalised word follows them.
pub(super) fn after_particles(
    hay: &[u8],
    i: usize,
    particles: &[u64],
) -> Option<usize> {
    let mut j = i;
    let mut k = 0;
    while k < MAX_PARTICLES {
        let rest = hay.get(j..)?;
        let len =
            rest.iter().take(7).take_while(|b| b.is_ascii_lowercase()).count();
        if len == 0
            || rest.get(len) != Some(&b' ')
            || particles.binary_search(&pack(&rest[..len])).is_err()
        {
            break;
        }
        j += len + 1;
        k += 1;
    }
    (k > 0 && name_word(hay, j).is_some()).then_some(j)
}

/// The end of a capitalised name word at `i` (`Jane`, `O'Brien`,
/// `Smith-Jones`, `McDonald`, `Agnès`), if one starts there.
fn name_word(hay: &[u8], i: usize) -> Option<usize> {
    match ascii_name_word(hay, i) {
        Ok(end) => end,
        Err(NotAscii) => unicode_name_word(hay, i),
    }
}

/// Met a byte that is not ASCII.
struct NotAscii;

/// [`name_word`] a byte at a time, for words of ASCII text (most are;
/// decoding every letter as a `char` cost ~15 instructions a byte). At
/// the first byte that is not ASCII it gives up, and
/// [`unicode_name_word`] scans the word again from its start.
fn ascii_name_word(hay: &[u8], i: usize) -> Result<Option<usize>, NotAscii> {
    let first = hay.get(i).copied().unwrap_or(0);
    if !first.is_ascii() {
        return Err(NotAscii);
    }
    if !first.is_ascii_uppercase() {
        return Ok(None);
    }
    let mut j = i + 1;
    let mut lower = false;
    while let Some(&b) = hay.get(j) {
        if b.is_ascii_lowercase() {
            lower = true;
        } else if b.is_ascii_uppercase() {
            // As in `unicode_name_word`.
            let part_start = matches!(hay[j - 1], b'\'' | b'-');
            if !(part_start || mc_part(&hay[i..j])) {
                return Ok(None);
            }
        } else if b == b'\'' || b == b'-' {
            match hay.get(j + 1) {
                Some(n) if n.is_ascii_alphabetic() => {}
                Some(n) if !n.is_ascii() => return Err(NotAscii),
                _ => break,
            }
        } else if !b.is_ascii() {
            return Err(NotAscii);
        } else {
            break;
        }
        j += 1;
    }
    let ok_end =
        hay.get(j).is_none_or(|&b| !(b.is_ascii_digit() || b == b'_'));
    Ok((lower && ok_end).then_some(j))
}

/// [`name_word`] for any text: letters as Unicode defines them.
fn unicode_name_word(hay: &[u8], i: usize) -> Option<usize> {
    let (c, len) = char_at(hay, i)?;
    if !c.is_uppercase() {
        return None;
    }
    let mut j = i + len;
    let mut lower = 0;
    while let Some((c, len)) = char_at(hay, j) {
        if c.is_lowercase() {
            lower += 1;
        } else if c.is_uppercase() {
            // Only at the start of a part (`Karl-Georg`, `O'Brien`) or
            // after a part's `Mc`/`Mac` (`O'Rourke-McBride`): `HotSpot`
            // is no name.
            let word = &hay[i..j];
            let part_start = word.ends_with(b"'") || word.ends_with(b"-");
            if !(part_start || mc_part(word)) {
                return None;
            }
        } else if (c == '\'' || c == '-')
            && char_at(hay, j + 1).is_some_and(|(c, _)| c.is_alphabetic())
        {
            // O'Brien, Smith-Jones
        } else {
            break;
        }
        j += len;
    }
    // Followed by a digit or `_` it is an identifier, not a name.
    let ok_end =
        hay.get(j).is_none_or(|&b| !(b.is_ascii_digit() || b == b'_'));
    (lower >= 1 && ok_end).then_some(j)
}

/// True when the last part of `word` (after its last `'` or `-`) is
/// `Mc` or `Mac`, after which a capital may follow (`McBride`).
pub(crate) fn mc_part(word: &[u8]) -> bool {
    let part = match word.iter().rposition(|&b| b == b'\'' || b == b'-') {
        Some(p) => &word[p + 1..],
        None => word,
    };
    part == b"Mc" || part == b"Mac"
}

pub(super) fn is_letter_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'_'
}

/// The UTF-8 character starting at `i`, with its length in bytes.
fn char_at(hay: &[u8], i: usize) -> Option<(char, usize)> {
    let b = *hay.get(i)?;
    let len = match b {
        0x00..=0x7F => return Some((b as char, 1)),
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let s = std::str::from_utf8(hay.get(i..i + len)?).ok()?;
    s.chars().next().map(|c| (c, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_name_word_agrees_with_unicode() {
        // Every text of up to 4 of these pieces, at every offset: the
        // fast path must say what the general scan says, or leave it to
        // it.
        let pieces: [&[u8]; 17] = [
            b"J",
            b"ane",
            b"O",
            b"'",
            b"-",
            b"Mc",
            b"Mac",
            b"D",
            b"0",
            b"_",
            b" ",
            b"\xC3\x89",
            b"\xC3\xA9",
            b"\xE2\x84\xAA",
            b"\x80",
            b"lodie",
            b".",
        ];
        let mut checked = 0;
        let mut text = Vec::new();
        for len in 0..=4u32 {
            for mut n in 0..pieces.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.extend_from_slice(pieces[n % pieces.len()]);
                    n /= pieces.len();
                }
                for i in 0..=text.len() {
                    assert_eq!(
                        name_word(&text, i),
                        unicode_name_word(&text, i),
                        "{:?} at {i}",
                        String::from_utf8_lossy(&text)
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 500_000, "{checked}");
        for w in [
            "Élodie",
            "O'Brien",
            "McDonald",
            "Smith-Jones",
            "MacKenzie",
            "O'Rourke-McBride",
            "Nic-MacAodh",
        ] {
            assert_eq!(name_word(w.as_bytes(), 0), Some(w.len()), "{w}");
        }
        for w in ["HotSpot", "JANE", "Jane2", "Jane_x", "McDOnald"] {
            assert_eq!(name_word(w.as_bytes(), 0), None, "{w}");
        }
    }
}
