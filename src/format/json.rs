//! A JSON scanner that lists the scalar values of one line with their
//! key paths, without building a tree: keys, order and whitespace stay as
//! they are, and only values that change are rewritten.
//!
//! Iterative (an explicit stack), so 10,000 levels of nesting cost memory
//! for the stack, not the thread's call stack.

use super::{Field, Kind};
use crate::span::Span;

/// The error of a line that is not one JSON value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotJson;

/// What the scanner is inside of.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Frame {
    /// Inside an object with this path.
    Object(Span),
    /// Inside an array with this path.
    Array(Span),
}

/// Appends the scalar fields of the JSON text `s` to `out`, their dotted
/// key paths to `paths` (array items take their array's path). `paths`
/// only grows: each field's path stays valid until the caller clears it.
///
/// # Errors
/// When `s` is not exactly one JSON value (with surrounding whitespace).
pub(crate) fn fields(
    s: &[u8],
    paths: &mut Vec<u8>,
    stack: &mut Vec<Frame>,
    out: &mut Vec<Field>,
) -> Result<(), NotJson> {
    stack.clear();
    let mut i = ws(s, 0);
    // The path of the value about to be read.
    let mut path = Span::new(paths.len(), paths.len());
    loop {
        // A value.
        let Some(&b) = s.get(i) else { return Err(NotJson) };
        match b {
            b'{' => {
                i = ws(s, i + 1);
                if s.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    stack.push(Frame::Object(path));
                    i = key(s, i, paths, path, &mut path)?;
                    continue;
                }
            }
            b'[' => {
                i = ws(s, i + 1);
                if s.get(i) == Some(&b']') {
                    i += 1;
                } else {
                    stack.push(Frame::Array(path));
                    continue;
                }
            }
            b'"' => {
                let (end, escaped) = string(s, i + 1)?;
                let kind = Kind::Str { escaped };
                out.push(Field { path, value: Span::new(i + 1, end), kind });
                i = end + 1;
            }
            b'-' | b'0'..=b'9' => {
                let end = number(s, i)?;
                out.push(Field {
                    path,
                    value: Span::new(i, end),
                    kind: Kind::Num,
                });
                i = end;
            }
            b't' | b'f' | b'n' => {
                let lit: &[u8] = match b {
                    b't' => b"true",
                    b'f' => b"false",
                    _ => b"null",
                };
                if !s[i..].starts_with(lit) {
                    return Err(NotJson);
                }
                i += lit.len();
            }
            _ => return Err(NotJson),
        }
        // After a value: `,` or the end of containers.
        loop {
            i = ws(s, i);
            let Some(&frame) = stack.last() else {
                return if i == s.len() { Ok(()) } else { Err(NotJson) };
            };
            match (frame, s.get(i)) {
                (Frame::Object(parent), Some(b',')) => {
                    i = key(s, ws(s, i + 1), paths, parent, &mut path)?;
                    break;
                }
                (Frame::Array(p), Some(b',')) => {
                    path = p;
                    i = ws(s, i + 1);
                    break;
                }
                (Frame::Object(_), Some(b'}'))
                | (Frame::Array(_), Some(b']')) => {
                    stack.pop();
                    i += 1;
                }
                _ => return Err(NotJson),
            }
        }
    }
}

/// Reads `"key":` at `i`, sets `path` to `parent.key`, returns where the
/// value starts.
fn key(
    s: &[u8],
    i: usize,
    paths: &mut Vec<u8>,
    parent: Span,
    path: &mut Span,
) -> Result<usize, NotJson> {
    if s.get(i) != Some(&b'"') {
        return Err(NotJson);
    }
    let (end, _) = string(s, i + 1)?;
    let start = paths.len();
    paths.extend_from_within(parent.start..parent.end);
    if !parent.is_empty() {
        paths.push(b'.');
    }
    paths.extend_from_slice(&s[i + 1..end]);
    *path = Span::new(start, paths.len());
    let j = ws(s, end + 1);
    if s.get(j) != Some(&b':') {
        return Err(NotJson);
    }
    Ok(ws(s, j + 1))
}

/// The end (closing quote) of a string whose content starts at `i`, and
/// whether it holds escapes.
fn string(s: &[u8], mut i: usize) -> Result<(usize, bool), NotJson> {
    let mut escaped = false;
    loop {
        let rest = s.get(i..).ok_or(NotJson)?;
        let off = memchr::memchr3(b'"', b'\\', b'\n', rest).ok_or(NotJson)?;
        i += off;
        match s[i] {
            b'"' => return Ok((i, escaped)),
            b'\\' => {
                escaped = true;
                match s.get(i + 1) {
                    Some(
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't',
                    ) => i += 2,
                    Some(b'u') => {
                        let hex = s.get(i + 2..i + 6).ok_or(NotJson)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err(NotJson);
                        }
                        i += 6;
                    }
                    _ => return Err(NotJson),
                }
            }
            _ => return Err(NotJson),
        }
    }
}

fn number(s: &[u8], i: usize) -> Result<usize, NotJson> {
    let mut j = i;
    if s.get(j) == Some(&b'-') {
        j += 1;
    }
    let digits =
        |j: usize| s[j..].iter().take_while(|b| b.is_ascii_digit()).count();
    let n = digits(j);
    if n == 0 {
        return Err(NotJson);
    }
    j += n;
    if s.get(j) == Some(&b'.') {
        let n = digits(j + 1);
        if n == 0 {
            return Err(NotJson);
        }
        j += 1 + n;
    }
    if matches!(s.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(s.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = digits(j);
        if n == 0 {
            return Err(NotJson);
        }
        j += n;
    }
    Ok(j)
}

fn ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Decodes the JSON string content `s` (between its quotes) into `out`.
/// Invalid surrogates become U+FFFD.
pub(crate) fn unescape(s: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let e = s.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let c = match e {
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hex = |at: usize| {
                    s.get(at..at + 4)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                };
                let mut cp = hex(i).unwrap_or(0xFFFD);
                i += 4;
                if (0xD800..0xDC00).contains(&cp)
                    && s.get(i..i + 2) == Some(b"\\u")
                {
                    if let Some(lo @ 0xDC00..=0xDFFF) = hex(i + 2) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                let mut buf = [0; 4];
                out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            other => other,
        };
        out.push(c);
    }
}

/// Appends `s` escaped as JSON string content (no quotes).
pub(crate) fn escape(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
            }
            _ => out.push(b),
        }
    }
}

/// True when `line[s..e]` is an unquoted JSON number: after `"key":` in
/// any line, or in an array of a line that starts as JSON. A mask is
/// text, so such a value must be quoted when it is masked in a line
/// redacted as plain text (`"card": 4111…`, `[-4111…]`).
pub(crate) fn bare_number(line: &[u8], s: usize, e: usize) -> bool {
    let not_ws = |b: &&u8| !b.is_ascii_whitespace();
    if !(line[s].is_ascii_digit() || line[s] == b'-') {
        return false;
    }
    let after = line[e..].iter().find(not_ws);
    if !matches!(after, None | Some(b',' | b'}' | b']')) {
        return false;
    }
    let before = line[..s].iter().rposition(|b| !b.is_ascii_whitespace());
    match before.map(|i| (i, line[i])) {
        Some((i, b':')) => line[..i].iter().rev().find(not_ws) == Some(&b'"'),
        Some((_, b'[' | b',')) => {
            matches!(line.iter().find(not_ws), Some(b'{' | b'['))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Vec<(String, String)> {
        let (mut paths, mut stack, mut out) = (vec![], vec![], vec![]);
        fields(s.as_bytes(), &mut paths, &mut stack, &mut out).unwrap();
        out.iter()
            .map(|f| {
                (
                    String::from_utf8_lossy(&paths[f.path]).into_owned(),
                    s[f.value.start..f.value.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn paths_and_values() {
        assert_eq!(
            list(r#"{"a":1,"b":{"c":"x","d":[2,{"e":"y"}]},"f":null}"#),
            vec![
                ("a".into(), "1".into()),
                ("b.c".into(), "x".into()),
                ("b.d".into(), "2".into()),
                ("b.d.e".into(), "y".into()),
            ]
        );
        assert_eq!(list(r#" [ "q" , -1.5e3 ] "#).len(), 2);
    }

    #[test]
    fn rejects_broken_json() {
        for s in [
            r#"{"a":1"#,
            r#"{"a" 1}"#,
            r#"{"a":"x}"#,
            r#"{"a":tru}"#,
            "{} x",
            r#"{"a":"\q"}"#,
            "[1,]",
        ] {
            let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
            assert!(
                fields(s.as_bytes(), &mut p, &mut st, &mut o).is_err(),
                "{s}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_iterative() {
        let s = "[".repeat(10_000) + "1" + &"]".repeat(10_000);
        assert_eq!(list(&s).len(), 1);
    }

    #[test]
    fn escapes_round_trip() {
        let mut u = vec![];
        unescape(br#"a\"b\\c\u0041\ud83d\ude00\n"#, &mut u);
        assert_eq!(String::from_utf8(u.clone()).unwrap(), "a\"b\\cA😀\n");
        let mut e = vec![];
        escape(&u, &mut e);
        assert_eq!(e, r#"a\"b\\cA😀\n"#.as_bytes());
    }
}
