//! Reading a stream as chunks of whole lines, worked on by several
//! threads and handed back in input order, as the filter's `-j` does.
//!
//! Memory stays bounded: the channels are bounded (a fixed number of
//! chunks in flight), and a line longer than a chunk is cut where the
//! chunk is full, the rest going on in the next chunk (flagged `cut`),
//! which begins with the cut chunk's last bytes again (`lead`): a
//! secret or a key cut by the chunk's end is seen whole there, as the
//! filter's overlapping windows see it.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::thread;

/// Whole lines of the input (the last may lack its newline at the end
/// of the input, or when `cut`).
pub(crate) struct Chunk {
    pub(crate) data: Vec<u8>,
    /// Ends inside a line, which goes on in the next chunk.
    pub(crate) cut: bool,
    /// Bytes at the start that repeat the end of the chunk before (a cut
    /// line's). They hold no newline.
    pub(crate) lead: usize,
    /// Bytes at the end that the next chunk repeats as its `lead`: what
    /// starts in them is judged there, where it is seen whole.
    pub(crate) tail: usize,
}

/// Where the chunk being emitted starts in the input: the lines before
/// it and, when it goes on with a line cut in the chunk before, how far
/// into that line. Advanced chunk by chunk, in input order.
#[derive(Debug)]
pub(crate) struct Position {
    line: u64,
    col: usize,
    last_nl: bool,
}

impl Position {
    pub(crate) fn new() -> Position {
        Position { line: 0, col: 0, last_nl: true }
    }

    /// The input's line (from 1) and column (from 1) of line `n` (from
    /// 0), column `column` (from 1) of chunk `c`.
    pub(crate) fn of(&self, c: &Chunk, n: u64, column: usize) -> (u64, usize) {
        // The chunk starts `lead` bytes before where the last one ended,
        // `col` bytes into its first line.
        let column = if n == 0 { column + self.col - c.lead } else { column };
        (self.line + n + 1, column)
    }

    /// Past chunk `c`.
    pub(crate) fn advance(&mut self, c: &Chunk) {
        self.line += memchr::memchr_iter(b'\n', &c.data).count() as u64;
        self.col = match (c.cut, memchr::memrchr(b'\n', &c.data)) {
            (false, _) => 0,
            (true, Some(i)) => c.data.len() - i - 1,
            (true, None) => self.col - c.lead + c.data.len(),
        };
        if !c.data.is_empty() {
            self.last_nl = c.data.ends_with(b"\n");
        }
    }

    /// Lines so far: a cut line counts once, a last line without a
    /// newline too.
    pub(crate) fn lines(&self) -> u64 {
        self.line + u64::from(!self.last_nl)
    }
}

/// Most bytes a cut chunk's end is read again at the next one's start
/// (the filter's window overlap), at most a quarter of a chunk.
const OVERLAP: usize = 16 * 1024;

/// Reads `rdr` as chunks of about `size` bytes cut after a newline, runs
/// `work` on each on `threads` threads, and gives `emit` each chunk with
/// its result in input order.
///
/// # Errors
/// A read error (after every chunk before it was emitted), and the first
/// error `emit` returns.
pub(crate) fn run<R, T, W, E>(
    rdr: R,
    threads: usize,
    size: usize,
    work: W,
    mut emit: E,
) -> io::Result<()>
where
    R: Read + Send,
    T: Send,
    W: Fn(&Chunk) -> T + Sync,
    E: FnMut(&Chunk, T) -> io::Result<()>,
{
    let size = size.max(1);
    // Buffers go back to the reader once emitted: no chunk allocates
    // (and faults in) fresh memory again.
    let free = Mutex::new(Vec::new());
    let give_back = |c: Chunk| {
        if let Ok(mut f) = free.lock() {
            f.push(c.data);
        }
    };
    if threads <= 1 {
        let mut r = Reader::new(rdr, size, &free);
        while let Some(c) = r.next()? {
            let t = work(&c);
            emit(&c, t)?;
            give_back(c);
        }
        return Ok(());
    }
    let failed: Mutex<Option<io::Error>> = Mutex::new(None);
    let (work_tx, work_rx) = sync_channel::<(u64, Chunk)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, Chunk, T)>(threads);
    thread::scope(|scope| {
        let failed = &failed;
        let free = &free;
        scope.spawn(move || {
            let mut r = Reader::new(rdr, size, free);
            for seq in 0.. {
                match r.next() {
                    Ok(Some(c)) => {
                        if work_tx.send((seq, c)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        if let Ok(mut f) = failed.lock() {
                            *f = Some(e);
                        }
                        break;
                    }
                }
            }
        });
        for _ in 0..threads {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            let work = &work;
            scope.spawn(move || loop {
                let next = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((seq, c)) = next else { break };
                let t = work(&c);
                if tx.send((seq, c, t)).is_err() {
                    break;
                }
            });
        }
        drop(work_rx);
        drop(done_tx);
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (seq, c, t) in done_rx.iter() {
            waiting.insert(seq, (c, t));
            while let Some((c, t)) = waiting.remove(&next) {
                next += 1;
                // Returning drops the receiver: the workers and the
                // reader stop at their next send.
                emit(&c, t)?;
                give_back(c);
            }
        }
        Ok::<(), io::Error>(())
    })?;
    match failed.into_inner() {
        Ok(Some(e)) => Err(e),
        _ => Ok(()),
    }
}

/// Cuts the input into chunks.
struct Reader<'f, R> {
    rdr: R,
    size: usize,
    /// The start of a line read past the last chunk's end.
    rest: Vec<u8>,
    /// How many bytes of `rest` repeat the last chunk's end.
    lead: usize,
    done: bool,
    /// A read error, given after the bytes read before it.
    err: Option<io::Error>,
    /// Buffers given back.
    free: &'f Mutex<Vec<Vec<u8>>>,
}

impl<'f, R: Read> Reader<'f, R> {
    fn new(rdr: R, size: usize, free: &'f Mutex<Vec<Vec<u8>>>) -> Self {
        Reader {
            rdr,
            size,
            rest: Vec::new(),
            lead: 0,
            done: false,
            err: None,
            free,
        }
    }

    fn buffer(&self) -> Vec<u8> {
        let mut b = self
            .free
            .lock()
            .ok()
            .and_then(|mut f| f.pop())
            .unwrap_or_default();
        b.clear();
        b
    }

    fn next(&mut self) -> io::Result<Option<Chunk>> {
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        let mut data = self.buffer();
        data.extend_from_slice(&self.rest);
        self.rest.clear();
        let lead = std::mem::take(&mut self.lead);
        while !self.done && data.len() < self.size {
            // `read_to_end` reads into the spare capacity, not zeroed
            // first; a read error keeps what was read before it.
            let want = (self.size - data.len()) as u64;
            match (&mut self.rdr).take(want).read_to_end(&mut data) {
                Ok(n) => self.done = (n as u64) < want,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.err = Some(e);
                    self.done = true;
                }
            }
        }
        if data.len() <= lead {
            // Nothing after what the last chunk held.
            return self.err.take().map_or(Ok(None), Err);
        }
        if self.done && data.len() <= self.size {
            return Ok(Some(Chunk { data, cut: false, lead, tail: 0 }));
        }
        // Cut after the last newline in the chunk's size, or, in a line
        // longer than that, at the size.
        let limit = data.len().min(self.size);
        let (end, cut) = match memchr::memrchr(b'\n', &data[..limit]) {
            Some(i) => (i + 1, false),
            None => (limit, true),
        };
        // A cut line's last bytes start the next chunk again.
        self.lead = if cut { OVERLAP.min(self.size / 4).min(end) } else { 0 };
        self.rest.extend_from_slice(&data[end - self.lead..]);
        data.truncate(end);
        Ok(Some(Chunk { data, cut, lead, tail: self.lead }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_in_order_whole_lines() {
        let input: Vec<u8> = (0..2000)
            .flat_map(|i| {
                format!("line {i} {}\n", "x".repeat(i % 37)).into_bytes()
            })
            .collect();
        for threads in [1, 3] {
            let mut got = Vec::new();
            let mut cuts = 0;
            run(
                &input[..],
                threads,
                1000,
                |c| c.data.len(),
                |c, n| {
                    assert_eq!(c.data.len(), n);
                    assert!(c.data.ends_with(b"\n"));
                    cuts += usize::from(c.cut);
                    got.extend_from_slice(&c.data);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(got, input);
            assert_eq!(cuts, 0);
        }
        // A line longer than a chunk is cut, flagged, the next chunk
        // starting with the cut one's last quarter again.
        let long = [vec![b'a'; 2500], b"\nb".to_vec()].concat();
        let mut parts = Vec::new();
        let mut again = Vec::new();
        run(
            &long[..],
            2,
            1000,
            |_| (),
            |c, ()| {
                parts.push((c.data.len(), c.cut, c.lead));
                again.extend_from_slice(&c.data[c.lead..]);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            parts,
            [
                (1000, true, 0),
                (1000, true, 250),
                (1000, true, 250),
                (252, false, 250)
            ]
        );
        assert_eq!(again, long);
    }
}
