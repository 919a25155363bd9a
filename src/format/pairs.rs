//! Name/value pairs: JSON objects whose key is held by a sibling field,
//! the way lists of settings are written (`{"name":"DB_PASSWORD",
//! "value":"…"}` in Kubernetes and ECS environments, `{"Key":"Owner",
//! "Value":"…"}` in AWS tags, `{"name":"/prod/routing","type":"String",
//! "value":"…"}` in SSM parameters, HTTP header lists in HAR files). The
//! value's real key is the name's text: [`named_by`] finds it, so the
//! engine can judge the value under it.

use super::{Field, Kind};
use crate::span::Span;

/// Last path segments (letters and digits, lower case) of a pair's name.
const NAMES: [&[u8]; 12] = [
    b"name",
    b"key",
    b"parametername",
    b"parameterkey",
    b"attributename",
    b"attributekey",
    b"fieldname",
    b"headername",
    b"tagkey",
    b"variable",
    b"field",
    b"header",
];

/// Last path segments of a pair's value.
const VALUES: [&[u8]; 6] = [
    b"value",
    b"parametervalue",
    b"attributevalue",
    b"fieldvalue",
    b"headervalue",
    b"tagvalue",
];

/// Longest name taken for a key.
const MAX_NAME: usize = 128;

/// Farthest sibling looked at, in fields.
const REACH: usize = 6;

/// The span in `text` of the name that keys `fields[i]`, when that field
/// is the value of a name/value pair whose name is a plain string in the
/// same object (before or after it, with only plain fields of that object
/// between them).
pub(crate) fn named_by(
    fields: &[Field],
    paths: &[u8],
    text: &[u8],
    i: usize,
) -> Option<Span> {
    let f = &fields[i];
    let path = &paths[f.path];
    // Every value word ends in `value`: most fields are told apart here.
    if path.len() < 5 || !path[path.len() - 5..].eq_ignore_ascii_case(b"value")
    {
        return None;
    }
    let (parent, last) = split(path);
    if !is_one_of(last, &VALUES) {
        return None;
    }
    let sibling = |j: usize| -> Option<Option<Span>> {
        let g = &fields[j];
        let gp = &paths[g.path];
        let (gparent, glast) = split(gp);
        // Another value of the same path: the previous or next pair.
        if gp == path || gparent != parent {
            return None;
        }
        let name = &text[g.value];
        let plain = g.kind == (Kind::Str { escaped: false });
        Some(
            (is_one_of(glast, &NAMES)
                && plain
                && !name.is_empty()
                && name.len() <= MAX_NAME)
                .then_some(g.value),
        )
    };
    // Before the value, then after it; each way up to a field of another
    // object or pair, or a brace between two fields (a nested object).
    // Steps of `k` from 1 to REACH, back (`j = i - k`) then forward.
    for back in [true, false] {
        let mut near = i;
        for k in 1..=REACH {
            let j = if back {
                match i.checked_sub(k) {
                    Some(j) => j,
                    None => break,
                }
            } else if i + k < fields.len() {
                i + k
            } else {
                break;
            };
            let (a, b) = if j < near { (j, near) } else { (near, j) };
            let gap = &text[fields[a].value.end..fields[b].value.start];
            if gap.iter().any(|&c| c == b'{' || c == b'}') {
                break;
            }
            match sibling(j) {
                None => break,
                Some(Some(name)) => return Some(name),
                Some(None) => near = j,
            }
        }
    }
    None
}

/// A key path's parent and last segment.
fn split(path: &[u8]) -> (&[u8], &[u8]) {
    match path.iter().rposition(|&b| b == b'.') {
        Some(p) => (&path[..p], &path[p + 1..]),
        None => (&[], path),
    }
}

/// Whether `seg`, folded to lower-case letters and digits, is one of
/// `words`.
fn is_one_of(seg: &[u8], words: &[&[u8]]) -> bool {
    let folded = || {
        seg.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
    };
    seg.len() <= 32 && words.iter().any(|w| folded().eq(w.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Fields, Format, Parsed};

    /// The key each field is judged under: its pair's name, else none.
    fn names(line: &str) -> Vec<(String, Option<String>)> {
        let mut fields = Fields::default();
        assert_eq!(
            fields.parse(line.as_bytes(), Format::Json),
            Parsed::Fields
        );
        let list = &fields.list;
        (0..list.len())
            .map(|i| {
                let v =
                    String::from_utf8_lossy(&line.as_bytes()[list[i].value]);
                let n = named_by(list, &fields.paths, line.as_bytes(), i).map(
                    |s| String::from_utf8_lossy(&line.as_bytes()[s]).into(),
                );
                (v.into_owned(), n)
            })
            .collect()
    }

    fn named(line: &str, value: &str) -> Option<String> {
        names(line).into_iter().find(|(v, _)| v == value).and_then(|(_, n)| n)
    }

    #[test]
    fn pairs_in_settings_lists() {
        let env = r#"{"env":[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"MODE","value":"live"}]}"#;
        assert_eq!(named(env, "hunter2").as_deref(), Some("DB_PASSWORD"));
        assert_eq!(named(env, "live").as_deref(), Some("MODE"));
        let tags = r#"{"tags":[{"Key":"Owner","Value":"Jane Roe"}]}"#;
        assert_eq!(named(tags, "Jane Roe").as_deref(), Some("Owner"));
        // Other fields between, and the value before its name.
        let ssm = r#"{"p":{"name":"/prod/routing","type":"String","value":"011000015","overwrite":true}}"#;
        assert_eq!(named(ssm, "011000015").as_deref(), Some("/prod/routing"));
        let after =
            r#"[{"value":"x1","name":"token"},{"value":"x2","name":"mode"}]"#;
        assert_eq!(named(after, "x1").as_deref(), Some("token"));
        assert_eq!(named(after, "x2").as_deref(), Some("mode"));
    }

    #[test]
    fn no_pair_across_objects_or_without_a_name() {
        // The name is in another object.
        let nested = r#"{"name":"password","meta":{"value":"x"}}"#;
        assert_eq!(named(nested, "x"), None);
        let split = r#"[{"name":"password"},{"value":"x"}]"#;
        assert_eq!(named(split, "x"), None);
        // A value with no name beside it, or a name that is no string.
        assert_eq!(named(r#"{"value":"x","type":"y"}"#, "x"), None);
        assert_eq!(named(r#"{"name":12,"value":"x"}"#, "x"), None);
        // Only value fields are keyed by a sibling.
        assert_eq!(named(r#"{"name":"a","data":"x"}"#, "x"), None);
    }
}
