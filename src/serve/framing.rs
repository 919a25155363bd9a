//! Framing of one connection: bytes in, redacted whole lines out.
//!
//! Frames are newline-terminated lines (`\r\n` tolerated) or RFC 6587
//! octet-counted frames (`LEN SP MSG`), told apart per frame as rsyslog's
//! imtcp does: a frame that starts `LEN SP <` is octet-counted. Every
//! frame is redacted by the stream [`Filter`] (so a frame longer than the
//! engine's `max_line_len` is redacted in windows, memory stays bounded
//! and nothing passes unscanned) and leaves as one line ending in `\n`:
//! an LF inside an octet-counted frame is written `#012`, as rsyslog
//! escapes control characters, and the windows of an over-long frame
//! leave as consecutive lines. The output therefore only ever holds whole
//! lines, and lines of different connections cannot interleave.

use crate::audit::AuditSink;
use crate::engine::Engine;
use crate::stream::{Filter, Stats};

use super::config::Framing;

/// Bytes a connection's filter buffers before it grows for a long line.
const BLOCK: usize = 16 * 1024;
/// Longest octet count: 9 digits (< 1 GB).
const MAX_DIGITS: usize = 9;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the first byte of a frame.
    Start,
    /// Reading the digits of what may be an octet count (in `head`).
    Count,
    /// After `LEN SP`, waiting for the `<` that confirms octet counting
    /// (`auto` only).
    CountSpace,
    /// Inside an octet-counted frame, with this many bytes to go.
    Octets(usize),
    /// Inside a newline-terminated line.
    Line,
}

/// One connection's framing and redaction state.
#[derive(Debug)]
pub(crate) struct Framer {
    filter: Filter,
    framing: Framing,
    state: State,
    /// The possible octet count read so far (`LEN` and its space).
    head: Vec<u8>,
    /// The previous frame was octet-counted: a newline right after it is
    /// a trailer some senders add, not an empty line.
    after_octets: bool,
}

/// Writes into a `Vec` cannot fail.
fn vec_ok<T>(r: std::io::Result<T>) -> T {
    match r {
        Ok(v) => v,
        Err(_) => unreachable!("writing to a Vec<u8> cannot fail"),
    }
}

impl Framer {
    /// A connection's framer; with `audit`, its redactions are audited
    /// under the connection's source.
    pub(crate) fn new(
        engine: Engine,
        framing: Framing,
        audit: Option<AuditSink>,
    ) -> Framer {
        let mut filter = Filter::with_block_size(engine, BLOCK);
        filter.split_long_lines(true).strip_cr(true).audit(audit);
        Framer {
            filter,
            framing,
            state: State::Start,
            head: Vec::with_capacity(MAX_DIGITS + 1),
            after_octets: false,
        }
    }

    /// Counts since the last call.
    pub(crate) fn take_stats(&mut self) -> Stats {
        self.filter.take_stats()
    }

    /// Redacts `data`, the next bytes of the connection, appending whole
    /// redacted lines (each ending in `\n`) to `out`; a partial frame is
    /// held.
    pub(crate) fn push(&mut self, mut data: &[u8], out: &mut Vec<u8>) {
        while !data.is_empty() {
            let b = data[0];
            match self.state {
                State::Start => {
                    if self.after_octets && matches!(b, b'\n' | b'\r' | 0) {
                        data = &data[1..];
                        continue;
                    }
                    self.after_octets = false;
                    if self.framing != Framing::Newline
                        && (b'1'..=b'9').contains(&b)
                    {
                        self.state = State::Count;
                    } else {
                        self.state = State::Line;
                    }
                }
                State::Count => {
                    if b.is_ascii_digit() && self.head.len() < MAX_DIGITS {
                        self.head.push(b);
                        data = &data[1..];
                    } else if b == b' ' {
                        data = &data[1..];
                        if self.framing == Framing::OctetCounting {
                            self.begin_octets();
                        } else {
                            self.head.push(b);
                            self.state = State::CountSpace;
                        }
                    } else {
                        self.not_a_count(out);
                    }
                }
                State::CountSpace => {
                    if b == b'<' {
                        self.head.pop();
                        self.begin_octets();
                    } else {
                        self.not_a_count(out);
                    }
                }
                State::Octets(left) => {
                    let take = left.min(data.len());
                    let last = take == left;
                    self.octets(&data[..take], last, out);
                    data = &data[take..];
                    if last {
                        self.end_frame(out);
                        self.after_octets = true;
                        self.state = State::Start;
                    } else {
                        self.state = State::Octets(left - take);
                    }
                }
                State::Line => {
                    let cut = self.line_end(data);
                    match cut {
                        Some(nl) => {
                            vec_ok(self.filter.feed(&data[..=nl], out));
                            data = &data[nl + 1..];
                            self.state = State::Start;
                        }
                        None => {
                            vec_ok(self.filter.feed(data, out));
                            data = &[];
                        }
                    }
                }
            }
        }
    }

    /// The connection ended: the partial frame (a half line, a short
    /// octet-counted frame, a count without its frame) is redacted and
    /// written as a line.
    pub(crate) fn finish(&mut self, out: &mut Vec<u8>) {
        if matches!(self.state, State::Count | State::CountSpace) {
            let head = std::mem::take(&mut self.head);
            vec_ok(self.filter.feed(&head, out));
            self.head = head;
            self.head.clear();
        }
        self.end_frame(out);
        self.state = State::Start;
        self.after_octets = false;
    }

    /// Gives back memory grown for a long frame.
    pub(crate) fn shrink(&mut self) {
        self.filter.shrink();
    }

    /// Where the current line's run of lines ends: the first newline that
    /// is followed by what may be an octet count, or by nothing yet (so
    /// the next frame is looked at). `None`: no newline in `data`.
    fn line_end(&self, data: &[u8]) -> Option<usize> {
        if self.framing == Framing::Newline {
            return memchr::memrchr(b'\n', data);
        }
        let mut from = 0;
        while let Some(p) = memchr::memchr(b'\n', &data[from..]) {
            let nl = from + p;
            match data.get(nl + 1) {
                None => return Some(nl),
                Some(b) if (b'1'..=b'9').contains(b) => return Some(nl),
                Some(_) => from = nl + 1,
            }
        }
        if from > 0 {
            Some(from - 1)
        } else {
            None
        }
    }

    /// The digits read were not an octet count: they start a line.
    fn not_a_count(&mut self, out: &mut Vec<u8>) {
        vec_ok(self.filter.feed(&self.head, out));
        self.head.clear();
        self.state = State::Line;
    }

    fn begin_octets(&mut self) {
        let len = self
            .head
            .iter()
            .filter(|b| b.is_ascii_digit())
            .fold(0usize, |n, &b| n * 10 + usize::from(b - b'0'));
        self.head.clear();
        self.state = if len == 0 { State::Start } else { State::Octets(len) };
    }

    /// Feeds part of an octet-counted frame: an LF inside it becomes
    /// `#012`; an LF as the frame's last byte ends the line.
    fn octets(&mut self, mut chunk: &[u8], last: bool, out: &mut Vec<u8>) {
        while let Some(p) = memchr::memchr(b'\n', chunk) {
            if last && p + 1 == chunk.len() {
                break;
            }
            vec_ok(self.filter.feed(&chunk[..p], out));
            vec_ok(self.filter.feed(b"#012", out));
            chunk = &chunk[p + 1..];
        }
        vec_ok(self.filter.feed(chunk, out));
    }

    /// Ends the frame held by the filter with a newline.
    fn end_frame(&mut self, out: &mut Vec<u8>) {
        if vec_ok(self.filter.end_line(out)) {
            out.push(b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(framing: Framing, pieces: &[&[u8]]) -> String {
        let mut f = Framer::new(Engine::default(), framing, None);
        let mut out = Vec::new();
        for p in pieces {
            f.push(p, &mut out);
        }
        f.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    /// The same bytes split at every position give the same output.
    fn every_split(framing: Framing, input: &[u8], want: &str) {
        for i in 0..=input.len() {
            let (a, b) = input.split_at(i);
            assert_eq!(frame(framing, &[a, b]), want, "split at {i}");
        }
    }

    #[test]
    fn newline_lines_crlf_and_half_line() {
        every_split(
            Framing::Auto,
            b"a password=hunter2\r\n2024-01-01 ok\nhalf 4111111111111111",
            "a password=****\n2024-01-01 ok\nhalf ************1111\n",
        );
    }

    #[test]
    fn octet_counted_frames_with_lf_inside_and_trailer() {
        let m1 = b"<13>1 - h app - - - cvv=123";
        let m2 = b"<13>1 - h app - - - a\nb";
        let mut input = format!("{} ", m1.len()).into_bytes();
        input.extend_from_slice(m1);
        input.extend_from_slice(format!("{} ", m2.len()).as_bytes());
        input.extend_from_slice(m2);
        input.push(b'\n');
        every_split(
            Framing::Auto,
            &input,
            "<13>1 - h app - - - cvv=[REDACTED:cvv]\n\
             <13>1 - h app - - - a#012b\n",
        );
    }

    #[test]
    fn digits_that_are_not_a_count_start_a_line() {
        every_split(
            Framing::Auto,
            b"12 apples\n12 <b>x</b\n",
            // `12 <b>x</b` does look like a 12-byte frame: `<b>x</b\n` is
            // 8 bytes, so the rest of the stream is its frame.
            "12 apples\n<b>x</b#012\n",
        );
        assert_eq!(
            frame(Framing::Newline, &[b"12 <b>x</b\n"]),
            "12 <b>x</b\n"
        );
    }

    #[test]
    fn short_count_at_disconnect_is_still_redacted() {
        assert_eq!(
            frame(Framing::Auto, &[b"500 <13>card 4111111111111111"]),
            "<13>card ************1111\n"
        );
    }
}
