//! Line formats: the parsers that find a structured line's values and
//! their key paths (JSON, logfmt, syslog, XML), so that redaction can be
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
pub(crate) mod xml;

/// How lines are parsed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// Decide per line: JSON if it starts with `{`, syslog if it starts
    /// with `<PRI>`, XML if it starts with a tag or `<?xml`, logfmt if it
    /// is all `key=value` pairs, else plain (XML after a text prefix
    /// included).
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
    /// XML elements, from the line's first tag (a text prefix before it
    /// is plain text).
    Xml,
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
            "xml" => Format::Xml,
            _ => return Err(format!("unknown format {s:?}; expected auto, plain, json, logfmt, syslog or xml")),
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
    /// XML element text or attribute value (between its quotes).
    Xml { escaped: bool },
    /// The content of an XML CDATA section.
    Cdata,
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
            Kind::Str { escaped: true }
                | Kind::Quoted { escaped: true }
                | Kind::Xml { escaped: true }
        )
    }

    /// Appends the text of `raw`, a value of this kind as it stands in
    /// the line, to `out` (escapes decoded).
    pub(crate) fn decode(self, raw: &[u8], out: &mut Vec<u8>) {
        match self {
            Kind::Str { escaped: true } => json::unescape(raw, out),
            Kind::Quoted { escaped: true } => logfmt::unescape(raw, out),
            Kind::Xml { escaped: true } => xml::unescape(raw, out),
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
            Kind::Xml { .. } => xml::escape(text, out),
            Kind::Cdata => xml::escape_cdata(text, out),
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
    /// XML: the values of `text[start..end]` were appended as fields;
    /// the text before and after the markup is plain text.
    Xml {
        /// Where the markup starts (after any prefix).
        start: usize,
        /// Where it ends (may be the text's end).
        end: usize,
    },
    /// Plain text, or not of the format it was parsed as: no fields.
    Text,
}

/// The fields of the texts parsed so far, in buffers reused from line to
/// line: the values, their key paths, and the JSON and XML scanners'
/// stacks.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    list: Vec<Field>,
    paths: Vec<u8>,
    stack: Vec<json::Frame>,
    open: Vec<xml::Open>,
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
        let (format, auto) = match format {
            Format::Auto => (sniff(text), true),
            f => (f, false),
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
            Format::Xml => self.xml(text, xml_start(text), false),
            // Only a line the prefilter let through gets here: the search
            // for a tag costs nothing on clean lines.
            Format::Plain if auto => match embedded_xml(text) {
                Some(at) => self.xml(text, at, true),
                None => Parsed::Text,
            },
            _ => Parsed::Text,
        };
        if parsed == Parsed::Text {
            self.truncate(mark);
        }
        parsed
    }

    /// Parses the XML markup that starts at `text[at]`; `embedded` (after
    /// a text prefix found by search, not by the format) asks for at
    /// least one complete element, so that `List<String> …` stays text.
    fn xml(&mut self, text: &[u8], at: usize, embedded: bool) -> Parsed {
        if text.get(at) != Some(&b'<') {
            return Parsed::Text;
        }
        let m = xml::fields(
            text,
            at,
            &mut self.paths,
            &mut self.open,
            &mut self.list,
        );
        if m.end > at && (m.closed > 0 || !embedded) {
            Parsed::Xml { start: at, end: m.end }
        } else {
            Parsed::Text
        }
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

impl Format {
    /// The byte that starts an escape in this format's values, which can
    /// hide a secret from the prefilter; `None` for plain text.
    pub(crate) fn escape(self) -> Option<u8> {
        match self {
            Format::Plain | Format::Auto => None,
            Format::Xml => Some(b'&'),
            _ => Some(b'\\'),
        }
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
        Some(b'<') if first.is_some_and(|i| is_tag(&line[i..])) => Format::Xml,
        Some(b) if b.is_ascii_alphabetic() && looks_like_logfmt(line) => {
            Format::Logfmt
        }
        _ => Format::Plain,
    }
}

/// Whether `s` starts with a start tag's `<` and name, or `<?xml`.
fn is_tag(s: &[u8]) -> bool {
    match s {
        [b'<', b, ..] if xml::is_name_start(*b) => true,
        _ => s.starts_with(b"<?xml"),
    }
}

/// Where the line's markup starts under `format = "xml"`: its first tag.
fn xml_start(line: &[u8]) -> usize {
    let first = line.iter().position(|b| !b.is_ascii_whitespace());
    match first {
        Some(i) if is_tag(&line[i..]) => i,
        _ => embedded_xml(line).unwrap_or(line.len()),
    }
}

/// Where a tag starts in a line of text (`… request: <PaymentRequest>`):
/// the first `<` followed by a letter or `_`, or `<?xml`.
fn embedded_xml(line: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', line).find(|&i| {
        let rest = &line[i..];
        rest.get(1).is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
            || rest.starts_with(b"<?xml")
    })
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
            ("<a>1</a>", Format::Xml),
            ("  <ns2:Pay x='1'/>", Format::Xml),
            ("<?xml version=\"1.0\"?><a/>", Format::Xml),
            ("<- arrow", Format::Plain),
            ("<?php echo 1; ?>", Format::Plain),
            ("request: <a>1</a>", Format::Plain),
            ("", Format::Plain),
        ] {
            assert_eq!(sniff(line.as_bytes()), f, "{line:?}");
        }
    }

    /// Under `format = "xml"` the markup starts at the first tag, after
    /// blanks or a text prefix.
    #[test]
    fn xml_starts_at_the_first_tag() {
        for (line, at) in [
            ("<a/>", 0),
            ("  <a/>", 2),
            ("request: <a>1</a>", 9),
            ("a <- b <c/>", 7),
            ("x <?xml version='1.0'?><a/>", 2),
            ("no tag", 6),
        ] {
            assert_eq!(xml_start(line.as_bytes()), at, "{line:?}");
        }
    }
}
