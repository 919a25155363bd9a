//! Line formats: each line is parsed (JSON, logfmt, syslog) so that
//! redaction is key-aware and the line keeps its syntax; a line that does
//! not parse as its format is redacted as plain text, never passed
//! through unscanned.

use serde::Deserialize;
use std::ops::Range;

use crate::detect::Input;
use crate::engine::Engine;
use crate::keyrules::KeyRule;
use crate::span::{Finding, Match, Span};

pub(crate) mod json;
pub(crate) mod logfmt;
pub(crate) mod syslog;
mod value;

/// How lines are parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// Decide per line: JSON if it starts with `{`, syslog if it starts
    /// with `<PRI>`, logfmt if it is all `key=value` pairs, else plain.
    #[default]
    Auto,
    /// Text with key and keyword context, no parsing.
    Plain,
    /// One JSON value per line.
    Json,
    /// `key=value` pairs.
    Logfmt,
    /// RFC 5424 or RFC 3164 syslog.
    Syslog,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Ok(match s {
            "auto" => Format::Auto,
            "plain" => Format::Plain,
            "json" => Format::Json,
            "logfmt" => Format::Logfmt,
            "syslog" => Format::Syslog,
            _ => return Err(format!("unknown format {s:?}; expected auto, plain, json, logfmt or syslog")),
        })
    }
}

/// How a field's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A JSON string (content between the quotes).
    Str { escaped: bool },
    /// A JSON number.
    Num,
    /// A quoted logfmt or syslog SD value.
    Quoted { escaped: bool },
    /// An unquoted logfmt value.
    Bare,
}

/// One value of a structured line.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// The key path, in the scratch `paths` buffer.
    pub(crate) path: Span,
    /// The value in the line (inside quotes when quoted).
    pub(crate) value: Span,
    pub(crate) kind: Kind,
}

/// Deepest JSON-in-a-string nesting that is parsed (`"body":"{\"a\":…}"`);
/// deeper text is redacted as plain text.
const MAX_DEPTH: usize = 4;

/// Reusable buffers for structured redaction.
#[derive(Debug, Default)]
pub struct Scratch {
    fields: Vec<Field>,
    paths: Vec<u8>,
    stack: Vec<json::Frame>,
    edits: Vec<(Span, Range<usize>)>,
    arena: Vec<u8>,
    text: Vec<u8>,
    masked: Vec<u8>,
    matches: Vec<Match>,
    findings: Vec<Finding>,
    /// (detector, rule) of every secret masked, for statistics.
    pub(crate) found: Vec<(u16, u16)>,
    /// Detectors the prefilter lets run on the current line.
    mask: crate::prefilter::DetectorSet,
}

impl Scratch {
    /// Appends `text` with the collected edits applied to `out`; false
    /// (and nothing appended) when there are none.
    fn apply(&self, text: &[u8], out: &mut Vec<u8>) -> bool {
        if self.edits.is_empty() {
            return false;
        }
        let mut at = 0;
        for (span, r) in &self.edits {
            out.extend_from_slice(&text[at..span.start]);
            out.extend_from_slice(&self.arena[r.clone()]);
            at = span.end;
        }
        out.extend_from_slice(&text[at..]);
        true
    }
}

impl Engine {
    /// Redacts one line parsed as `format` into `dst` (cleared first);
    /// true when something was masked, else `dst` is left empty.
    pub fn redact_format(
        &self,
        line: &[u8],
        format: Format,
        s: &mut Scratch,
        dst: &mut Vec<u8>,
    ) -> bool {
        dst.clear();
        s.found.clear();
        s.edits.clear();
        s.arena.clear();
        // The prefilter over the whole line (keys included): a line in
        // which no detector and no key rule can apply is not parsed.
        s.mask = self.triggered(line);
        // Escapes can hide a secret from the raw bytes (`4111\u00201111…`):
        // such lines are parsed, and each decoded value is filtered again.
        if s.mask == 0 {
            // A line read as plain text has no keys for rules and no
            // escapes to decode: nothing can be found in it.
            let plain = match format {
                Format::Auto => sniff(line) == Format::Plain,
                f => f == Format::Plain,
            };
            if plain || memchr::memchr(b'\\', line).is_none() {
                return false;
            }
        }
        self.edits(line, 0, format, s, 0);
        s.apply(line, dst)
    }

    /// Appends to `s.edits` the replacements for `text`, which sits at
    /// `base` in the line.
    fn edits(
        &self,
        text: &[u8],
        base: usize,
        format: Format,
        s: &mut Scratch,
        depth: usize,
    ) {
        let format = match format {
            Format::Auto => sniff(text),
            f => f,
        };
        let mark = (s.fields.len(), s.paths.len());
        let ok = match format {
            Format::Json => {
                let r = json::fields(
                    text,
                    &mut s.paths,
                    &mut s.stack,
                    &mut s.fields,
                );
                if r.is_err() {
                    s.fields.truncate(mark.0);
                }
                r.is_ok()
            }
            Format::Logfmt => {
                logfmt::fields(text, &mut s.paths, &mut s.fields)
            }
            Format::Syslog => {
                match syslog::parse(text, &mut s.paths, &mut s.fields) {
                    Some(parts) => {
                        self.fields(text, base, mark.0, s, depth);
                        let msg = &text[parts.msg..];
                        if !msg.is_empty() {
                            self.edits(
                                msg,
                                base + parts.msg,
                                Format::Auto,
                                s,
                                depth,
                            );
                        }
                        s.fields.truncate(mark.0);
                        s.paths.truncate(mark.1);
                        return;
                    }
                    None => false,
                }
            }
            _ => false,
        };
        if ok {
            self.fields(text, base, mark.0, s, depth);
        } else {
            self.plain(text, base, None, s);
        }
        s.fields.truncate(mark.0);
        s.paths.truncate(mark.1);
    }

    /// Edits for the fields `s.fields[first..]` of `text`.
    fn fields(
        &self,
        text: &[u8],
        base: usize,
        first: usize,
        s: &mut Scratch,
        depth: usize,
    ) {
        // Taken out of the scratch so the path can be borrowed while the
        // other buffers are written; put back below.
        let paths = std::mem::take(&mut s.paths);
        for fi in first..s.fields.len() {
            let f = s.fields[fi];
            let raw = &text[f.value];
            if raw.is_empty() {
                continue;
            }
            let path = &paths[f.path];
            let rule = self.key_rules().lookup(path);
            if rule == Some(KeyRule::Never) {
                continue;
            }
            let escaped = matches!(
                f.kind,
                Kind::Str { escaped: true } | Kind::Quoted { escaped: true }
            );
            // The value as text.
            let mut value = std::mem::take(&mut s.text);
            value.clear();
            match f.kind {
                Kind::Str { escaped: true } => json::unescape(raw, &mut value),
                Kind::Quoted { escaped: true } => {
                    logfmt::unescape(raw, &mut value)
                }
                _ => value.extend_from_slice(raw),
            }
            let mut masked = std::mem::take(&mut s.masked);
            masked.clear();
            let changed = self.mask_value(
                path,
                rule,
                &value,
                escaped,
                depth,
                s,
                &mut masked,
            );
            if changed {
                let start = s.arena.len();
                match f.kind {
                    Kind::Str { .. } => json::escape(&masked, &mut s.arena),
                    Kind::Quoted { .. } => {
                        logfmt::escape(&masked, &mut s.arena)
                    }
                    Kind::Num => {
                        s.arena.push(b'"');
                        json::escape(&masked, &mut s.arena);
                        s.arena.push(b'"');
                    }
                    Kind::Bare => {
                        let quote =
                            masked.iter().any(|&b| b == b' ' || b == b'"');
                        if quote {
                            s.arena.push(b'"');
                            logfmt::escape(&masked, &mut s.arena);
                            s.arena.push(b'"');
                        } else {
                            s.arena.extend_from_slice(&masked);
                        }
                    }
                }
                s.edits.push((f.value.offset(base), start..s.arena.len()));
            }
            s.text = value;
            s.masked = masked;
        }
        s.paths = paths;
    }

    /// Masks `value`, found under key path `path` with key rule `rule`
    /// (not `Never`), into `masked`; true when anything was masked. When
    /// `nest` is set, a value that starts as JSON is parsed as JSON.
    #[allow(clippy::too_many_arguments)]
    fn mask_value(
        &self,
        path: &[u8],
        rule: Option<KeyRule>,
        value: &[u8],
        nest: bool,
        depth: usize,
        s: &mut Scratch,
        masked: &mut Vec<u8>,
    ) -> bool {
        if let Some(KeyRule::Always(d)) = rule {
            let done = self.mask_whole(d, value, masked);
            if done {
                s.found.push((d, 0));
            }
            done
        } else if nest
            && depth < MAX_DEPTH
            && matches!(value.first(), Some(b'{' | b'['))
        {
            // JSON inside a string (`"body":"{\"cvc\":\"123\"}"`).
            // Unescaped, the text may hold triggers the line did not.
            let mask = self.triggered(value);
            let mut inner = Scratch { mask, ..Scratch::default() };
            let mut out = Vec::new();
            let found = self.nested(value, &mut inner, &mut out, depth + 1);
            s.found.extend_from_slice(&inner.found);
            if found {
                masked.extend_from_slice(&out);
            }
            found
        } else {
            // Unescaped, the value may hold what the line did not.
            let line =
                if nest { crate::prefilter::DetectorSet::MAX } else { s.mask };
            self.find_within(
                &Input::new(value).key(path),
                line,
                &mut s.matches,
                &mut s.findings,
            );
            if s.findings.is_empty() {
                false
            } else {
                s.found
                    .extend(s.findings.iter().map(|f| (f.detector, f.m.rule)));
                self.write_masked(value, &s.findings, masked);
                true
            }
        }
    }

    /// Redacts JSON (or text) held in a string value; true if changed.
    fn nested(
        &self,
        text: &[u8],
        s: &mut Scratch,
        out: &mut Vec<u8>,
        depth: usize,
    ) -> bool {
        self.edits(text, 0, Format::Json, s, depth);
        s.apply(text, out)
    }

    /// One edit for the whole of `text` when anything is found in it.
    fn plain(
        &self,
        text: &[u8],
        base: usize,
        key: Option<&[u8]>,
        s: &mut Scratch,
    ) {
        let mut input = Input::new(text);
        input.key = key;
        self.find_masked(&input, s.mask, &mut s.matches, &mut s.findings);
        if s.findings.is_empty() {
            return;
        }
        s.found.extend(s.findings.iter().map(|f| (f.detector, f.m.rule)));
        let start = s.arena.len();
        self.write_masked(text, &s.findings, &mut s.arena);
        s.edits
            .push((Span::new(base, base + text.len()), start..s.arena.len()));
    }
}

/// Number of scalar fields in a JSON line, `None` if it is not JSON. For
/// benchmarks: the scanner the JSON format uses, on its own.
#[doc(hidden)]
pub fn json_field_count(line: &[u8], s: &mut Scratch) -> Option<usize> {
    s.fields.clear();
    s.paths.clear();
    json::fields(line, &mut s.paths, &mut s.stack, &mut s.fields).ok()?;
    Some(s.fields.len())
}

/// The format of a line under `auto`.
pub(crate) fn sniff(line: &[u8]) -> Format {
    let first = line.iter().position(|b| !b.is_ascii_whitespace());
    match first.map(|i| line[i]) {
        Some(b'{') | Some(b'[') => Format::Json,
        Some(b'<') if line.get(1).is_some_and(u8::is_ascii_digit) => {
            Format::Syslog
        }
        Some(b) if b.is_ascii_alphabetic() && looks_like_logfmt(line) => {
            Format::Logfmt
        }
        _ => Format::Plain,
    }
}

/// The first word is `key=`: worth trying logfmt.
fn looks_like_logfmt(line: &[u8]) -> bool {
    // One pass over the word: on most lines it is short, and a search for
    // its end followed by a `memchr` for `=` costs more than it.
    line.iter().take_while(|&&b| b != b' ').any(|&b| b == b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Logfmt is sniffed from an `=` in the first word only.
    #[test]
    fn sniff_logfmt_by_first_word() {
        for (line, f) in [
            ("a=b c", Format::Logfmt),
            ("ab=c", Format::Logfmt),
            ("  level=info", Format::Plain),
            ("ab c=d", Format::Plain),
            ("abc", Format::Plain),
            ("abc ", Format::Plain),
            ("abc =d", Format::Plain),
            ("1=2 a", Format::Plain),
            (" {\"a\":1}", Format::Json),
            ("<13>x", Format::Syslog),
            ("", Format::Plain),
        ] {
            assert_eq!(sniff(line.as_bytes()), f, "{line:?}");
        }
    }
}
