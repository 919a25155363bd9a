//! Syslog headers: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID
//! [SD] MSG`) and RFC 3164 (`<PRI>Mmm dd hh:mm:ss HOST TAG: MSG`). The
//! header is never altered; structured-data params become fields and the
//! MSG is redacted as JSON, logfmt or text.

use super::{Field, Kind};
use crate::span::Span;

/// Where the parts of a syslog line are.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    /// Where MSG starts (may be the line's end).
    pub(crate) msg: usize,
}

/// Splits a syslog line; SD params are appended to `out` as fields with
/// `SD-ID.name` paths. `None` when the line has no `<PRI>` header.
pub(crate) fn parse(
    s: &[u8],
    paths: &mut Vec<u8>,
    out: &mut Vec<Field>,
) -> Option<Parts> {
    if s.first() != Some(&b'<') {
        return None;
    }
    let close = s.iter().take(5).position(|&b| b == b'>')?;
    if close < 2 || !s[1..close].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut i = close + 1;
    // RFC 5424: version digit and a space.
    if s.get(i).is_some_and(u8::is_ascii_digit) && s.get(i + 1) == Some(&b' ')
    {
        i += 2;
        // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID
        for _ in 0..5 {
            i = token_end(s, i)?;
            i = space(s, i)?;
        }
        i = structured_data(s, i, paths, out)?;
        if s.get(i) == Some(&b' ') {
            i += 1;
        }
        return Some(Parts { msg: i });
    }
    // RFC 3164: `Mmm dd hh:mm:ss HOST TAG[pid]: MSG`; the tag ends at the
    // first `: ` after the host. Without it, MSG is the rest after host.
    let ts_end = i + 15;
    if s.len() < ts_end + 1 || s[ts_end] != b' ' {
        return Some(Parts { msg: i });
    }
    let host_end = token_end(s, ts_end + 1)?;
    let rest = &s[host_end..];
    let msg = match memchr::memmem::find(rest, b": ") {
        Some(p) if p < 64 => host_end + p + 2,
        _ => (host_end + 1).min(s.len()),
    };
    Some(Parts { msg })
}

fn token_end(s: &[u8], i: usize) -> Option<usize> {
    let n = s[i.min(s.len())..].iter().position(|&b| b == b' ')?;
    (n > 0).then_some(i + n)
}

fn space(s: &[u8], i: usize) -> Option<usize> {
    (s.get(i) == Some(&b' ')).then_some(i + 1)
}

/// Parses `-` or `[id k="v" …]…` at `i`; returns where it ends.
fn structured_data(
    s: &[u8],
    mut i: usize,
    paths: &mut Vec<u8>,
    out: &mut Vec<Field>,
) -> Option<usize> {
    if s.get(i) == Some(&b'-') {
        return Some(i + 1);
    }
    while s.get(i) == Some(&b'[') {
        let id0 = i + 1;
        let mut j = id0;
        while j < s.len() && !matches!(s[j], b' ' | b']') {
            j += 1;
        }
        let id = id0..j;
        loop {
            match s.get(j)? {
                b']' => {
                    j += 1;
                    break;
                }
                b' ' => j += 1,
                _ => {
                    let k0 = j;
                    while j < s.len()
                        && s[j] != b'='
                        && s[j] != b' '
                        && s[j] != b']'
                    {
                        j += 1;
                    }
                    if s.get(j) != Some(&b'=') || s.get(j + 1) != Some(&b'"') {
                        return None;
                    }
                    let p0 = paths.len();
                    paths.extend_from_slice(&s[id.clone()]);
                    paths.push(b'.');
                    paths.extend_from_slice(&s[k0..j]);
                    let v0 = j + 2;
                    let mut k = v0;
                    let mut escaped = false;
                    loop {
                        match s.get(k)? {
                            b'\\' => {
                                escaped = true;
                                k += 2;
                            }
                            b'"' => break,
                            _ => k += 1,
                        }
                    }
                    out.push(Field {
                        path: Span::new(p0, paths.len()),
                        value: Span::new(v0, k),
                        kind: Kind::Quoted { escaped },
                    });
                    j = k + 1;
                }
            }
        }
        i = j;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(s: &str) -> (String, Vec<String>) {
        let (mut p, mut o) = (vec![], vec![]);
        let parts = parse(s.as_bytes(), &mut p, &mut o).unwrap();
        let vals = o
            .iter()
            .map(|f| s[f.value.start..f.value.end].to_string())
            .collect();
        (s[parts.msg..].to_string(), vals)
    }

    #[test]
    fn rfc5424() {
        let (m, v) = msg(
            r#"<131>1 2024-03-04T07:58:19.329299Z edge-9 payments 52538 CHARGE [meta@32473 order="111" card="4111 1111"] charge for X"#,
        );
        assert_eq!(m, "charge for X");
        assert_eq!(v, vec!["111", "4111 1111"]);
        let (m, v) = msg(
            "<30>1 2024-03-04T13:08:07Z edge-11 sshd 35608 - - Accepted key",
        );
        assert_eq!((m.as_str(), v.len()), ("Accepted key", 0));
    }

    #[test]
    fn rfc3164() {
        let (m, _) = msg(
            "<86>Mar  4 07:59:00 pay-api-10 charge[32299]: declined card 4111",
        );
        assert_eq!(m, "declined card 4111");
    }
}
