//! The output of one read, gathered and written with vectored writes:
//! runs of unchanged lines as ranges of the read buffer, redacted lines
//! copied once into a buffer of their own. The unchanged bytes (most of
//! a log) are never copied in user space, not even into a `BufWriter`,
//! whose buffer a write as large as itself bypasses.

use std::io::{self, IoSlice, Write};

/// Slices handed to one `write_vectored` call: on the stack, so a read's
/// output is written without an allocation.
const BATCH: usize = 64;

/// One piece of output, in order.
#[derive(Clone, Copy, Debug)]
enum Piece {
    /// A range of the read buffer.
    Input(usize, usize),
    /// A range of [`Gather::owned`].
    Owned(usize, usize),
}

/// Output gathered since the last [`Gather::write_to`]. Its buffers keep
/// their capacity, so a filter in its working size allocates nothing.
#[derive(Debug, Default)]
pub(super) struct Gather {
    pieces: Vec<Piece>,
    owned: Vec<u8>,
}

impl Gather {
    /// Adds `input[start..end]` of the read buffer.
    pub(super) fn input(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Input(_, e)) if *e == start => *e = end,
            _ => self.pieces.push(Piece::Input(start, end)),
        }
    }

    /// Adds a copy of `bytes`: consecutive redacted lines make one piece.
    pub(super) fn owned(&mut self, bytes: &[u8]) {
        let start = self.owned.len();
        self.owned.extend_from_slice(bytes);
        let end = self.owned.len();
        match self.pieces.last_mut() {
            Some(Piece::Owned(_, e)) if *e == start => *e = end,
            _ => self.pieces.push(Piece::Owned(start, end)),
        }
    }

    /// Writes everything gathered, the input ranges taken from `input`,
    /// and starts over, also after an error: ranges of a read buffer that
    /// will have moved on must never be written later.
    pub(super) fn write_to<W: Write>(
        &mut self,
        input: &[u8],
        wtr: &mut W,
    ) -> io::Result<()> {
        let res = self.pieces.chunks(BATCH).try_for_each(|batch| {
            let mut slices = [IoSlice::new(&[]); BATCH];
            for (s, p) in slices.iter_mut().zip(batch) {
                *s = IoSlice::new(match *p {
                    Piece::Input(a, b) => &input[a..b],
                    Piece::Owned(a, b) => &self.owned[a..b],
                });
            }
            write_all_vectored(wtr, &mut slices[..batch.len()])
        });
        self.pieces.clear();
        self.owned.clear();
        res
    }
}

/// Writes all of `bufs`, as `Write::write_all` writes one buffer (the
/// standard library's `write_all_vectored` is not stable).
fn write_all_vectored<W: Write>(
    wtr: &mut W,
    mut bufs: &mut [IoSlice<'_>],
) -> io::Result<()> {
    while !bufs.is_empty() {
        match wtr.write_vectored(bufs) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut bufs, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that takes at most `max` bytes a call, from one slice
    /// or several: partial vectored writes must lose nothing.
    struct Trickle {
        out: Vec<u8>,
        max: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.write_vectored(&[IoSlice::new(buf)])
        }

        fn write_vectored(
            &mut self,
            bufs: &[IoSlice<'_>],
        ) -> io::Result<usize> {
            let mut n = 0;
            for b in bufs {
                let take = b.len().min(self.max - n);
                self.out.extend_from_slice(&b[..take]);
                n += take;
                if n == self.max {
                    break;
                }
            }
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn pieces_are_written_in_order_whatever_the_writer_takes() {
        let input = b"aaaa\nbbbb\ncccc\n";
        let mut g = Gather::default();
        // More pieces than one batch, alternating input and owned.
        let mut want = Vec::new();
        for i in 0..150 {
            if i % 2 == 0 {
                let (s, e) = (i % 3 * 5, i % 3 * 5 + 5);
                g.input(s, e);
                want.extend_from_slice(&input[s..e]);
            } else {
                let b = format!("<{i}>");
                g.owned(b.as_bytes());
                want.extend_from_slice(b.as_bytes());
            }
        }
        for max in [1, 3, 7, 1 << 20] {
            let mut g2 =
                Gather { pieces: g.pieces.clone(), owned: g.owned.clone() };
            let mut w = Trickle { out: Vec::new(), max };
            g2.write_to(input, &mut w).unwrap();
            assert_eq!(w.out, want, "max {max}");
            assert!(g2.pieces.is_empty() && g2.owned.is_empty());
        }
    }

    /// A writer that fails.
    struct Broken;

    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_leaves_nothing_to_write_later() {
        let mut g = Gather::default();
        g.input(0, 4);
        g.owned(b"x");
        assert!(g.write_to(b"abcd", &mut Broken).is_err());
        g.input(1, 2);
        let mut out = Vec::new();
        g.write_to(b"efgh", &mut out).unwrap();
        assert_eq!(out, b"f");
    }

    #[test]
    fn adjacent_pieces_merge() {
        let mut g = Gather::default();
        g.input(0, 5);
        g.input(5, 9);
        g.input(9, 9);
        g.owned(b"x");
        g.owned(b"\n");
        g.input(12, 15);
        assert_eq!(g.pieces.len(), 3, "{:?}", g.pieces);
        let mut out = Vec::new();
        g.write_to(b"0123456789abcdef", &mut out).unwrap();
        assert_eq!(out, b"012345678x\ncde");
    }
}
