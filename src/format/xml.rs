//! XML on one line: a hand-written scanner that lists the values of a
//! document or fragment with their key paths, builds no tree and
//! allocates nothing beyond the reused buffers it is given.
//!
//! - Element text is a field under the element's path, its ancestors'
//!   names joined by dots (`PaymentRequest.CardNumber`); an attribute's
//!   value is a field under `Elem.@name`. Namespace prefixes are dropped
//!   from every component (`soap:Body.ns2:CVV` → `Body.CVV`), so key
//!   rules and keywords see `CVV` as they see a JSON key.
//! - Nesting costs the scanner's stack, not the thread's; deeper than
//!   64 levels, a path is the element's own name.
//! - A CDATA section is a value like text. Comments, processing
//!   instructions and DOCTYPE are skipped. Mixed content gives one field
//!   per text run.
//! - Entities (`&amp;`, `&#x34;`) are checked here and decoded by
//!   [`unescape`] only for a value that holds one; [`escape`] writes a
//!   changed value back, so the line stays well-formed.
//! - Markup cut off by the line's end keeps the values of its complete
//!   parts: text left open at the end is a value, and a tag, comment or
//!   CDATA section cut in the middle ends the markup ([`Markup::end`]).
//!   Text after the root elements ends it too, and so does anything not
//!   well-formed (an end tag that does not match, a bad name, an unknown
//!   entity, `<` in an attribute value): the values before it keep their
//!   keys, and the caller scans the rest of the line, from the error on,
//!   as plain text. Fail closed: broken XML loses no secret that plain
//!   text would find, and one whose first tag is broken is plain text.

use super::{Field, Kind};
use crate::span::Span;

/// Deepest element whose path holds its ancestors' names; below it a path
/// is the element's own name, so that paths, stored per element, do not
/// grow with the square of the depth.
const MAX_PATH_DEPTH: usize = 64;

/// An element the scanner is inside of.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Open {
    /// Its name as written, prefix included: the end tag must match.
    name: Span,
    /// Its key path, in the paths buffer.
    path: Span,
}

/// What [`fields`] scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Markup {
    /// Where the markup ends: what follows (text after the root, or a
    /// construct the line's end cut) is not XML.
    pub(crate) end: usize,
    /// Elements closed by an end tag or `/>`.
    pub(crate) closed: usize,
}

/// Appends the values of the markup that starts at `s[start]` (a `<`) to
/// `out` as fields, their key paths to `paths`; says where the markup
/// ends (`start` when its first tag is not XML).
pub(crate) fn fields(
    s: &[u8],
    start: usize,
    paths: &mut Vec<u8>,
    stack: &mut Vec<Open>,
    out: &mut Vec<Field>,
) -> Markup {
    stack.clear();
    let mut i = start;
    let mut closed = 0;
    loop {
        // The markup ends at `i`: the line's end cut what starts there,
        // or it is not XML.
        let end = Markup { end: i, closed };
        let lt = memchr::memchr(b'<', &s[i..]).map(|p| i + p);
        let text = Span::new(i, lt.unwrap_or(s.len()));
        if !s[text].iter().all(|&b| is_ws(b)) {
            // Text after the root elements is not theirs.
            let Some(open) = stack.last() else { return end };
            let Some(escaped) = entities(&s[text]) else { return end };
            let kind = Kind::Xml { escaped };
            out.push(Field { path: open.path, value: text, kind });
        }
        let Some(lt) = lt else { return Markup { end: s.len(), closed } };
        i = lt;
        let end = Markup { end: i, closed };
        let rest = &s[i..];
        // Each construct gives where it ends, or `None` when it is cut or
        // not XML.
        let next = if rest.starts_with(b"<!--") {
            find(s, i + 4, b"-->").map(|e| e + 3)
        } else if rest.starts_with(b"<![CDATA[") {
            let Some(&Open { path, .. }) = stack.last() else { return end };
            let body = i + 9;
            find(s, body, b"]]>").map(|e| {
                if !s[body..e].iter().all(|&b| is_ws(b)) {
                    let value = Span::new(body, e);
                    out.push(Field { path, value, kind: Kind::Cdata });
                }
                e + 3
            })
        } else if rest.starts_with(b"<?") {
            find(s, i + 2, b"?>").map(|e| e + 2)
        } else if rest.starts_with(b"<!") {
            // A DOCTYPE comes before the root.
            if !stack.is_empty() || closed > 0 {
                return end;
            }
            doctype_end(s, i + 2)
        } else if rest.starts_with(b"</") {
            let n = name_end(s, i + 2);
            let j = skip_ws(s, n);
            match (stack.last(), s.get(j)) {
                (Some(open), Some(b'>'))
                    if n > i + 2 && s[open.name] == s[i + 2..n] =>
                {
                    stack.pop();
                    closed += 1;
                    Some(j + 1)
                }
                _ => None,
            }
        } else {
            let mark = out.len();
            match start_tag(s, i, paths, stack, out) {
                Some((e, empty)) => {
                    closed += usize::from(empty);
                    Some(e)
                }
                None => {
                    // The attributes of a cut tag are left to the text
                    // scan of the rest.
                    out.truncate(mark);
                    None
                }
            }
        };
        match next {
            Some(e) => i = e,
            None => return end,
        }
    }
}

/// Reads the start tag at `s[i]` (`<`), pushing its element (unless it is
/// empty, `/>`) and its attributes. Gives where it ends and whether it was
/// empty, or `None` when it is cut or not XML.
fn start_tag(
    s: &[u8],
    i: usize,
    paths: &mut Vec<u8>,
    stack: &mut Vec<Open>,
    out: &mut Vec<Field>,
) -> Option<(usize, bool)> {
    let name = Span::new(i + 1, name_end(s, i + 1));
    if name.is_empty() {
        return None;
    }
    let parent = match stack.last() {
        Some(o) if stack.len() < MAX_PATH_DEPTH => o.path,
        _ => Span::default(),
    };
    let path = push_path(paths, parent, b"", &s[name]);
    let mut j = name.end;
    loop {
        let k = skip_ws(s, j);
        match *s.get(k)? {
            b'>' => {
                stack.push(Open { name, path });
                return Some((k + 1, false));
            }
            b'/' => return (s.get(k + 1)? == &b'>').then_some((k + 2, true)),
            // An attribute, after at least one blank.
            _ if k > j => {
                let attr = Span::new(k, name_end(s, k));
                let eq = skip_ws(s, attr.end);
                if attr.is_empty() || *s.get(eq)? != b'=' {
                    return None;
                }
                let q = skip_ws(s, eq + 1);
                let quote = *s.get(q)?;
                if quote != b'"' && quote != b'\'' {
                    return None;
                }
                let close = memchr::memchr(quote, &s[q + 1..])?;
                let value = Span::new(q + 1, q + 1 + close);
                if memchr::memchr(b'<', &s[value]).is_some() {
                    return None;
                }
                let escaped = entities(&s[value])?;
                let apath = push_path(paths, path, b"@", &s[attr]);
                let kind = Kind::Xml { escaped };
                out.push(Field { path: apath, value, kind });
                j = value.end + 1;
            }
            _ => return None,
        }
    }
}

/// Appends `parent.` + `mark` + `name` without its namespace prefix to
/// `paths`; returns its span.
fn push_path(
    paths: &mut Vec<u8>,
    parent: Span,
    mark: &[u8],
    name: &[u8],
) -> Span {
    let local = match name.iter().rposition(|&b| b == b':') {
        Some(p) if p + 1 < name.len() => &name[p + 1..],
        _ => name,
    };
    let start = paths.len();
    paths.extend_from_within(parent.start..parent.end);
    if !parent.is_empty() {
        paths.push(b'.');
    }
    paths.extend_from_slice(mark);
    paths.extend_from_slice(local);
    Span::new(start, paths.len())
}

/// The end of the DOCTYPE whose body starts at `i` (after `<!`), an
/// internal subset in brackets included.
fn doctype_end(s: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &b) in s[i..].iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return Some(i + k + 1),
            _ => {}
        }
    }
    None
}

/// Where `pat` starts at or after `i`.
fn find(s: &[u8], i: usize, pat: &[u8]) -> Option<usize> {
    memchr::memmem::find(&s[i..], pat).map(|p| i + p)
}

/// The end of the name that starts at `i` (`i` itself when none does).
fn name_end(s: &[u8], i: usize) -> usize {
    match s.get(i) {
        Some(&b) if is_name_start(b) => {
            i + s[i..].iter().take_while(|&&b| is_name_byte(b)).count()
        }
        _ => i,
    }
}

/// A byte that may start a name: a letter, `_`, `:` or any non-ASCII
/// byte (XML allows most of Unicode; the scanner does not check which).
pub(crate) fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'_' | b':') || b >= 0x80
}

fn is_name_byte(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || matches!(b, b'-' | b'.')
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_ws(s[i]) {
        i += 1;
    }
    i
}

/// Whether `text` holds entities (`Some(true)`) or none; `None` when
/// one is not one of XML's five or a character reference.
fn entities(text: &[u8]) -> Option<bool> {
    let mut at = 0;
    let mut any = false;
    while let Some(p) = memchr::memchr(b'&', &text[at..]) {
        any = true;
        let (_, len) = entity(&text[at + p..])?;
        at += p + len;
    }
    Some(any)
}

/// The character of the entity `s` starts with (`&…;`) and its length.
fn entity(s: &[u8]) -> Option<(char, usize)> {
    // `&#x10FFFF;` is the longest there is.
    let semi = s.iter().take(11).position(|&b| b == b';')?;
    let c = match &s[1..semi] {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x', hex @ ..] => char_ref(hex, 16)?,
        [b'#', dec @ ..] => char_ref(dec, 10)?,
        _ => return None,
    };
    Some((c, semi + 1))
}

fn char_ref(digits: &[u8], radix: u32) -> Option<char> {
    // from_str_radix takes a sign: only digits are a reference.
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let n = u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix);
    char::from_u32(n.ok()?).filter(|&c| c != '\0')
}

/// Decodes the text or attribute value `s` (entities checked by the
/// scanner) into `out`.
pub(crate) fn unescape(s: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while let Some(p) = memchr::memchr(b'&', &s[at..]) {
        out.extend_from_slice(&s[at..at + p]);
        at += p;
        match entity(&s[at..]) {
            Some((c, len)) => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                at += len;
            }
            None => {
                out.push(b'&');
                at += 1;
            }
        }
    }
    out.extend_from_slice(&s[at..]);
}

/// Appends `s` escaped for element text or an attribute value in either
/// quote. Control bytes become character references, so a decoded
/// `&#10;` does not end the line.
pub(crate) fn escape(s: &[u8], out: &mut Vec<u8>) {
    for &b in s {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\'' => out.extend_from_slice(b"&apos;"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.extend_from_slice(b"&#x");
                if b >= 0x10 {
                    out.push(b'1');
                }
                out.push(HEX[(b & 15) as usize]);
                out.push(b';');
            }
            _ => out.push(b),
        }
    }
}

/// Appends `s` as CDATA content: a `]]>` in it (a mask's `]` before the
/// value's own `]>`) is split across two sections.
pub(crate) fn escape_cdata(s: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while let Some(p) = memchr::memmem::find(&s[at..], b"]]>") {
        out.extend_from_slice(&s[at..at + p + 2]);
        out.extend_from_slice(b"]]><![CDATA[");
        at += p + 2;
    }
    out.extend_from_slice(&s[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (path, raw value) fields of `s` and where its markup ends.
    fn scan(s: &str) -> (Vec<(String, String)>, usize) {
        let (mut paths, mut stack, mut out) = (vec![], vec![], vec![]);
        let start = s.find('<').unwrap();
        let m = fields(s.as_bytes(), start, &mut paths, &mut stack, &mut out);
        let list = out
            .iter()
            .map(|f| {
                let p = String::from_utf8_lossy(&paths[f.path]).into_owned();
                (p, s[f.value.start..f.value.end].to_string())
            })
            .collect();
        (list, m.end)
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|&(p, v)| (p.into(), v.into())).collect()
    }

    #[test]
    fn nesting_and_mixed_content() {
        let s = "<a><b>x</b><c><d>y</d></c>z</a>";
        let want = pairs(&[("a.b", "x"), ("a.c.d", "y"), ("a", "z")]);
        assert_eq!(scan(s), (want, s.len()));
        // Blank text between elements is no value.
        let s = "<a>\t<b>1</b>  <b>2</b> </a>";
        assert_eq!(scan(s), (pairs(&[("a.b", "1"), ("a.b", "2")]), s.len()));
    }

    #[test]
    fn deep_nesting_keeps_the_last_name() {
        let n = 10_000;
        let s = "<a>".repeat(n) + "<CVV>1</CVV>" + &"</a>".repeat(n);
        let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
        let m = fields(s.as_bytes(), 0, &mut p, &mut st, &mut o);
        assert_eq!(m, Markup { end: s.len(), closed: n + 1 });
        assert_eq!((&p[o[0].path], o.len()), (&b"CVV"[..], 1));
        assert!(p.len() < 200 * n, "{} path bytes", p.len());
        let s = "<a>".repeat(3) + "x";
        assert_eq!(scan(&s), (pairs(&[("a.a.a", "x")]), s.len()));
    }

    #[test]
    fn attributes_in_both_quotes_and_self_closing_tags() {
        let s = r#"<a x="1" y='2 "q"'><b z = "3"/><c/>t</a>"#;
        let want = pairs(&[
            ("a.@x", "1"),
            ("a.@y", "2 \"q\""),
            ("a.b.@z", "3"),
            ("a", "t"),
        ]);
        assert_eq!(scan(s), (want, s.len()));
        let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
        let m = fields(s.as_bytes(), 0, &mut p, &mut st, &mut o);
        assert_eq!(m.closed, 3);
    }

    #[test]
    fn namespace_prefixes_dropped_from_keys() {
        let s = concat!(
            r#"<soap:Envelope xmlns:soap="urn:s"><soap:Body>"#,
            r#"<ns2:Pay ns2:cvv="123"><ns2:CVV>123</ns2:CVV></ns2:Pay>"#,
            "</soap:Body></soap:Envelope>"
        );
        let want = pairs(&[
            ("Envelope.@soap", "urn:s"),
            ("Envelope.Body.Pay.@cvv", "123"),
            ("Envelope.Body.Pay.CVV", "123"),
        ]);
        assert_eq!(scan(s), (want, s.len()));
        // The end tag must match with its prefix.
        let (got, end) = scan("<ns2:CVV>1</CVV>");
        assert_eq!((got, end), (pairs(&[("CVV", "1")]), 10));
    }

    #[test]
    fn entities_checked_decoded_and_encoded() {
        let s = "<a k='&quot;x&quot;'>4111&#32;1111 &amp; &#x34;&lt;</a>";
        let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
        fields(s.as_bytes(), 0, &mut p, &mut st, &mut o);
        assert_eq!(o.len(), 2);
        assert!(o.iter().all(|f| f.kind == Kind::Xml { escaped: true }));
        let mut text = vec![];
        unescape(&s.as_bytes()[o[1].value], &mut text);
        assert_eq!(text, b"4111 1111 & 4<");
        let mut back = vec![];
        escape(b"a&b<c>d\"e'f\ng\t", &mut back);
        assert_eq!(back, b"a&amp;b&lt;c&gt;d&quot;e&apos;f&#xA;g&#x9;");
        // Text without `&` is read in place.
        let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
        fields(b"<a>x</a>", 0, &mut p, &mut st, &mut o);
        assert_eq!(o[0].kind, Kind::Xml { escaped: false });
        // Undeclared, empty, NUL and malformed references end the markup
        // where their text starts.
        for bad in ["&nbsp;", "& x", "&#0;", "&#xZZ;", "&#-1;", "&amp"] {
            let s = format!("<r><a>1</a><b>{bad}</b></r>");
            assert_eq!(scan(&s), (pairs(&[("r.a", "1")]), 14), "{bad}");
        }
    }

    #[test]
    fn cdata_is_a_value() {
        let s = "<a>x<![CDATA[<b>1</b> & ]]>y</a>";
        let (mut p, mut st, mut o) = (vec![], vec![], vec![]);
        let m = fields(s.as_bytes(), 0, &mut p, &mut st, &mut o);
        assert_eq!(m.end, s.len());
        let kinds: Vec<Kind> = o.iter().map(|f| f.kind).collect();
        let cdata = Kind::Cdata;
        let text = Kind::Xml { escaped: false };
        assert_eq!(kinds, [text, cdata, text]);
        assert_eq!(&s.as_bytes()[o[1].value], b"<b>1</b> & ");
        let mut out = vec![];
        escape_cdata(b"[x]]>y]]>", &mut out);
        assert_eq!(out, b"[x]]]]><![CDATA[>y]]]]><![CDATA[>");
    }

    #[test]
    fn comments_instructions_doctype_skipped() {
        let s = concat!(
            r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]>"#,
            "<!-- <b>4111</b> --><a><?pi 1?>t<!--c--></a>"
        );
        assert_eq!(scan(s), (pairs(&[("a", "t")]), s.len()));
    }

    #[test]
    fn malformed_markup_ends_at_the_error() {
        // Mismatched end tag: the values before it keep their keys.
        let s = "<a><b>x</b><c>y</d><e>z</e></a>";
        assert_eq!(scan(s), (pairs(&[("a.b", "x"), ("a.c", "y")]), 15));
        // A broken first tag: nothing is XML.
        for s in [
            "<a x>1</a>",
            "<a x=1>1</a>",
            r#"<a x="<">1</a>"#,
            r#"<a x="1"y="2">1</a>"#,
            "<a/ >",
            "<1a>x</1a>",
            "</a>",
            "<a><!DOCTYPE b></a>",
        ] {
            let (got, end) = scan(s);
            assert!(end <= 3 && got.is_empty(), "{s}: {end} {got:?}");
        }
        // Text after the root, or a stray end tag.
        assert_eq!(scan("<a>1</a> tail"), (pairs(&[("a", "1")]), 8));
        assert_eq!(scan("<a>1</a></b>"), (pairs(&[("a", "1")]), 8));
        // Two roots (a fragment) are fine.
        assert_eq!(scan("<a>1</a><b>2</b>").1, 16);
    }

    #[test]
    fn cut_markup_keeps_complete_parts() {
        // Open text at the line's end is a value.
        let s = "<a><b>1</b><c>23";
        assert_eq!(scan(s), (pairs(&[("a.b", "1"), ("a.c", "23")]), s.len()));
        // A construct cut in the middle ends the markup where it starts;
        // a cut tag's attributes are not fields.
        for (s, end) in [
            (r#"<a><b>1</b><c x="2" y="4111"#, 11),
            ("<a><b>1</b><c x", 11),
            ("<a><b>1</b><!-- c", 11),
            ("<a><b>1</b><![CDATA[x", 11),
            ("<a><b>1</b></a", 11),
            ("<a><b>1</b><?pi", 11),
        ] {
            assert_eq!(scan(s), (pairs(&[("a.b", "1")]), end), "{s}");
        }
        assert_eq!(scan("<a>1 &am"), (vec![], 3));
    }
}
