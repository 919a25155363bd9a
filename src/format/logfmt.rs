//! logfmt: `key=value` and `key="quoted value"` pairs separated by
//! blanks. Strict: a line with anything else (a bare word, a stray `=`)
//! is not logfmt and falls back to plain text.

use super::{Field, Kind};
use crate::span::Span;

/// Appends the pairs of `s` as fields (the key is the path, stored in
/// `paths`); false when `s` is not logfmt or has fewer than 2 pairs.
pub(crate) fn fields(
    s: &[u8],
    paths: &mut Vec<u8>,
    out: &mut Vec<Field>,
) -> bool {
    let first = out.len();
    let mut i = 0;
    let mut pairs = 0;
    loop {
        while i < s.len() && matches!(s[i], b' ' | b'\t') {
            i += 1;
        }
        if i == s.len() {
            break;
        }
        let k0 = i;
        while i < s.len() && is_key_byte(s[i]) {
            i += 1;
        }
        if i == k0 || s.get(i) != Some(&b'=') {
            out.truncate(first);
            return false;
        }
        let p0 = paths.len();
        paths.extend_from_slice(&s[k0..i]);
        let path = Span::new(p0, paths.len());
        i += 1;
        if s.get(i) == Some(&b'"') {
            let v0 = i + 1;
            let mut j = v0;
            let mut escaped = false;
            loop {
                match s.get(j) {
                    None => {
                        out.truncate(first);
                        return false;
                    }
                    Some(b'\\') => {
                        escaped = true;
                        j += 2;
                    }
                    Some(b'"') => break,
                    Some(_) => j += 1,
                }
            }
            if j > s.len() {
                out.truncate(first);
                return false;
            }
            out.push(Field {
                path,
                value: Span::new(v0, j),
                kind: Kind::Quoted { escaped },
            });
            i = j + 1;
            if i < s.len() && !matches!(s[i], b' ' | b'\t') {
                out.truncate(first);
                return false;
            }
        } else {
            let v0 = i;
            while i < s.len() && !matches!(s[i], b' ' | b'\t') {
                if s[i] == b'"' || s[i] == b'=' {
                    out.truncate(first);
                    return false;
                }
                i += 1;
            }
            out.push(Field {
                path,
                value: Span::new(v0, i),
                kind: Kind::Bare,
            });
        }
        pairs += 1;
    }
    if pairs < 2 {
        out.truncate(first);
        return false;
    }
    true
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'_' | b'-' | b'.' | b'/' | b'@' | b'[' | b']')
}

/// Decodes a quoted logfmt value (Go `%q` escapes) into `out`.
pub(crate) fn unescape(s: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && i + 1 < s.len() {
            out.push(match s[i + 1] {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                c => c,
            });
            i += 2;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
}

/// Appends `s` escaped for a quoted logfmt value.
pub(crate) fn escape(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(s: &str) -> Option<Vec<(String, String)>> {
        let (mut p, mut o) = (vec![], vec![]);
        if !fields(s.as_bytes(), &mut p, &mut o) {
            return None;
        }
        Some(
            o.iter()
                .map(|f| {
                    (
                        String::from_utf8_lossy(&p[f.path]).into_owned(),
                        s[f.value.start..f.value.end].to_string(),
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn pairs() {
        assert_eq!(
            list(r#"ts=1 msg="a \"b\" c" card=4111"#).unwrap(),
            vec![
                ("ts".into(), "1".into()),
                ("msg".into(), r#"a \"b\" c"#.into()),
                ("card".into(), "4111".into())
            ]
        );
    }

    #[test]
    fn not_logfmt() {
        for s in [
            "hello world",
            "a=1",
            "a=1 b",
            "a=1 =2",
            r#"a=1 b="x"#,
            "a=1 b=c=d",
        ] {
            assert!(list(s).is_none(), "{s}");
        }
    }
}
