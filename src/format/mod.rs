//! Line formats: the parsers that find a structured line's values and
//! their key paths (JSON, logfmt, syslog), so that redaction can be
//! key-aware and the line keeps its syntax. They know nothing of
//! detectors or masks: the engine (`engine/structured.rs`) walks the
//! fields they list and decides what to mask. A line that does not parse
//! as its format is left to the engine to redact as plain text.

use serde::Deserialize;

use crate::span::Span;

pub(crate) mod json;
pub(crate) mod logfmt;
pub(crate) mod pairs;
pub(crate) mod syslog;

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
    /// The key path, in the paths buffer of its [`Fields`].
    pub(crate) path: Span,
    /// The value in the line (inside quotes when quoted).
    pub(crate) value: Span,
    pub(crate) kind: Kind,
}

/// How a value of this kind is read as text and written back.
impl Kind {
    /// True when the value holds escapes, so its text differs from its
    /// bytes in the line.
    pub(crate) fn escaped(self) -> bool {
        matches!(
            self,
            Kind::Str { escaped: true } | Kind::Quoted { escaped: true }
        )
    }

    /// Appends the text of `raw`, a value of this kind as it stands in
    /// the line, to `out` (escapes decoded).
    pub(crate) fn decode(self, raw: &[u8], out: &mut Vec<u8>) {
        match self {
            Kind::Str { escaped: true } => json::unescape(raw, out),
            Kind::Quoted { escaped: true } => logfmt::unescape(raw, out),
            _ => out.extend_from_slice(raw),
        }
    }

    /// Appends `text` written as a value of this kind to `out`, so the
    /// line keeps its syntax: escaped inside quotes, and a JSON number or
    /// a bare logfmt value that is no longer one quoted.
    pub(crate) fn encode(self, text: &[u8], out: &mut Vec<u8>) {
        match self {
            Kind::Str { .. } => json::escape(text, out),
            Kind::Quoted { .. } => logfmt::escape(text, out),
            Kind::Num => {
                out.push(b'"');
                json::escape(text, out);
                out.push(b'"');
            }
            Kind::Bare => {
                if text.iter().any(|&b| b == b' ' || b == b'"') {
                    out.push(b'"');
                    logfmt::escape(text, out);
                    out.push(b'"');
                } else {
                    out.extend_from_slice(text);
                }
            }
        }
    }
}

/// What [`Fields::parse`] made of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// JSON or logfmt: its values were appended as fields.
    Fields,
    /// Syslog: the structured-data params were appended as fields; the
    /// MSG, in any format, starts at `msg`.
    Syslog {
        /// Where MSG starts (may be the text's end).
        msg: usize,
    },
    /// Plain text, or not of the format it was parsed as: no fields.
    Text,
}

/// The fields of the texts parsed so far, in buffers reused from line to
/// line: the values, their key paths, and the JSON scanner's stack.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    list: Vec<Field>,
    paths: Vec<u8>,
    stack: Vec<json::Frame>,
}

/// How many fields and path bytes there were: fields parsed after it are
/// dropped again by [`Fields::truncate`], so nested texts (a syslog MSG,
/// JSON inside a string) can reuse the same buffers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    fields: usize,
    paths: usize,
}

impl Fields {
    /// Parses `text` as `format` (`Auto` is sniffed) and appends its
    /// fields; a text that is not of its format appends none.
    pub(crate) fn parse(&mut self, text: &[u8], format: Format) -> Parsed {
        let format = match format {
            Format::Auto => sniff(text),
            f => f,
        };
        let mark = self.mark();
        let parsed = match format {
            Format::Json => {
                let r = json::fields(
                    text,
                    &mut self.paths,
                    &mut self.stack,
                    &mut self.list,
                );
                if r.is_ok() {
                    Parsed::Fields
                } else {
                    Parsed::Text
                }
            }
            Format::Logfmt => {
                if logfmt::fields(text, &mut self.paths, &mut self.list) {
                    Parsed::Fields
                } else {
                    Parsed::Text
                }
            }
            Format::Syslog => {
                match syslog::parse(text, &mut self.paths, &mut self.list) {
                    Some(parts) => Parsed::Syslog { msg: parts.msg },
                    None => Parsed::Text,
                }
            }
            _ => Parsed::Text,
        };
        if parsed == Parsed::Text {
            self.truncate(mark);
        }
        parsed
    }

    /// The current length, for [`Fields::truncate`] and
    /// [`Fields::since`].
    pub(crate) fn mark(&self) -> Mark {
        Mark { fields: self.list.len(), paths: self.paths.len() }
    }

    /// Drops the fields (and their paths) parsed after `mark`.
    pub(crate) fn truncate(&mut self, mark: Mark) {
        self.list.truncate(mark.fields);
        self.paths.truncate(mark.paths);
    }

    /// The fields parsed after `mark`.
    pub(crate) fn since(&self, mark: Mark) -> &[Field] {
        &self.list[mark.fields..]
    }

    /// The name that keys the `i`th field parsed after `mark`, when it
    /// is the value of a name/value pair ([`pairs::named_by`]): its span
    /// in `text`, the text those fields were parsed from.
    pub(crate) fn pair_name(
        &self,
        mark: Mark,
        i: usize,
        text: &[u8],
    ) -> Option<Span> {
        pairs::named_by(self.since(mark), &self.paths, text, i)
    }

    /// The key path of `f`, a field of these buffers.
    pub(crate) fn path(&self, f: &Field) -> &[u8] {
        &self.paths[f.path]
    }

    /// Forgets every field.
    #[cfg(feature = "internals")]
    pub(crate) fn clear(&mut self) {
        self.list.clear();
        self.paths.clear();
    }
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
