//! Shell words: how the `command_line` detector reads a command's
//! arguments (blanks between words, quotes around them, `;`, `|`, `&`
//! and backquotes ending a command).

use super::super::keys::skip_blanks;
use crate::span::Span;

/// `w` with leading bytes of `lead` and trailing bytes of `tail` cut.
pub(super) fn trim<'a>(mut w: &'a [u8], lead: &[u8], tail: &[u8]) -> &'a [u8] {
    while let [b, rest @ ..] = w {
        if !lead.contains(b) {
            break;
        }
        w = rest;
    }
    while let [rest @ .., b] = w {
        if !tail.contains(b) {
            break;
        }
        w = rest;
    }
    w
}

/// True for a byte that ends a command: the next word is not its
/// argument.
pub(super) fn ends_command(b: u8) -> bool {
    matches!(b, b';' | b'|' | b'&' | b'`' | b'\r' | b'\n')
}

/// The next word of a command, from `i`: its start and end; `None` at
/// the command's end.
pub(super) fn next_word(hay: &[u8], i: usize) -> Option<(usize, usize)> {
    let s = skip_blanks(hay, i);
    if s >= hay.len() || ends_command(hay[s]) {
        return None;
    }
    Some((s, word_end(hay, s)))
}

/// The end of the shell word that starts at `i`: a blank or the end of
/// the command, where a quote inside the word runs to its closing quote.
pub(super) fn word_end(hay: &[u8], mut i: usize) -> usize {
    while i < hay.len() {
        match hay[i] {
            b' ' | b'\t' | b';' | b'|' | b'`' | b'\r' | b'\n' => break,
            q @ (b'"' | b'\'') => match memchr::memchr(q, &hay[i + 1..]) {
                Some(p) => i += p + 2,
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    i
}

/// The value that starts at `i`: inside its quotes when quoted, else up
/// to a blank, a quote or the end of the command. `None` when empty.
pub(super) fn value_at(hay: &[u8], i: usize) -> Option<Span> {
    let q = *hay.get(i)?;
    let v = if q == b'"' || q == b'\'' {
        let e = memchr::memchr(q, &hay[i + 1..])?;
        Span::new(i + 1, i + 1 + e)
    } else {
        let e = hay[i..]
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b' ' | b'\t'
                        | b'"'
                        | b'\''
                        | b';'
                        | b'|'
                        | b'`'
                        | b'\r'
                        | b'\n'
                )
            })
            .map_or(hay.len(), |p| i + p);
        Span::new(i, e)
    };
    (!v.is_empty()).then_some(v)
}

/// The first place at or after `from` where `needle` (lower case)
/// occurs, ASCII case-insensitively.
pub(super) fn find_ci(
    hay: &[u8],
    needle: &[u8],
    from: usize,
) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while at + needle.len() <= hay.len() {
        let p = at
            + memchr::memchr2(first, first.to_ascii_uppercase(), &hay[at..])?;
        if hay
            .get(p..p + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(p);
        }
        at = p + 1;
    }
    None
}
