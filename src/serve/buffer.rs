//! The bounded buffer between the connections and the output.
//!
//! A record is one connection's redacted whole lines from one read. The
//! queue is a FIFO, so one connection's records leave in the order they
//! were read; its size is bounded in bytes by a semaphore whose permits a
//! record holds until the output has written it. When no permits are
//! left, [`Buffer::push`] waits (the connection stops reading, and TCP
//! pushes back on its client) or, with `when_full = drop_newest`, drops
//! the record and counts its lines.

use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use super::config::WhenFull;
use super::metrics::Metrics;

/// Redacted whole lines of one connection, holding their buffer space.
#[derive(Debug)]
pub(crate) struct Record {
    pub(crate) data: Vec<u8>,
    pub(crate) lines: u64,
    _permit: OwnedSemaphorePermit,
    metrics: Arc<Metrics>,
}

impl Drop for Record {
    fn drop(&mut self) {
        self.metrics.buffer_bytes.dec_by(self.data.len() as i64);
        self.metrics.buffer_lines.dec_by(self.lines as i64);
    }
}

/// The sending side, one clone per connection.
#[derive(Clone, Debug)]
pub(crate) struct Buffer {
    tx: mpsc::UnboundedSender<Record>,
    space: Arc<Semaphore>,
    capacity: usize,
    when_full: WhenFull,
    metrics: Arc<Metrics>,
}

/// What became of a pushed record.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pushed {
    Queued,
    Dropped,
    /// The output is gone (shutting down after a fatal output error).
    Closed,
}

/// A buffer of `capacity` bytes and its receiving end.
pub(crate) fn buffer(
    capacity: usize,
    when_full: WhenFull,
    metrics: Arc<Metrics>,
) -> (Buffer, mpsc::UnboundedReceiver<Record>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let space = Arc::new(Semaphore::new(capacity));
    (Buffer { tx, space, capacity, when_full, metrics }, rx)
}

impl Buffer {
    /// Queues `data` (whole lines, `lines` of them), waiting for room or
    /// dropping it as the policy says.
    pub(crate) async fn push(&self, data: Vec<u8>, lines: u64) -> Pushed {
        // A record larger than the whole buffer waits for all of it.
        let need = data.len().clamp(1, self.capacity) as u32;
        let permit = match self.when_full {
            WhenFull::Block => {
                match Arc::clone(&self.space).acquire_many_owned(need).await {
                    Ok(p) => p,
                    Err(_) => return Pushed::Closed,
                }
            }
            WhenFull::DropNewest => {
                match Arc::clone(&self.space).try_acquire_many_owned(need) {
                    Ok(p) => p,
                    Err(_) => {
                        self.metrics.dropped_lines.inc_by(lines);
                        return Pushed::Dropped;
                    }
                }
            }
        };
        self.metrics.buffer_bytes.inc_by(data.len() as i64);
        self.metrics.buffer_lines.inc_by(lines as i64);
        let rec = Record {
            data,
            lines,
            _permit: permit,
            metrics: Arc::clone(&self.metrics),
        };
        match self.tx.send(rec) {
            Ok(()) => Pushed::Queued,
            Err(_) => Pushed::Closed,
        }
    }
}
