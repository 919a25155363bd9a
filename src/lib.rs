//! logredact: a log redaction filter.
//!
//! Application logs leak secrets: API tokens in headers, card numbers in
//! payment errors, CVVs in debug dumps, IBANs and customer names in JSON.
//! logredact masks them on the log stream itself, line by line, so a leak
//! in application code never reaches disk or a log shipper.
//!
//! # Overview
//!
//! The data flows `input → framing → parse → detect → mask → output`, and
//! `src/` is laid out the same way:
//!
//! - `stream/` (input, framing, output): the [`Filter`] reads any
//!   `io::Read` in large blocks, frames lines (over-long lines in
//!   overlapping windows), writes unchanged lines straight from its read
//!   buffer, and runs on several threads when asked
//!   ([`Filter::run_threads`]);
//! - `format/` (parse): JSON, logfmt, syslog and XML parsers that list a
//!   line's values with their key paths ([`Format`], `auto` per line);
//!   they know nothing of detectors or masks;
//! - [`detect`] (detect): each [`Detector`] finds secrets of one kind in
//!   a line or value (cards, CVVs, tokens, bank accounts, names, user
//!   regexes), with the validators (`detect/checks.rs`) and the key and
//!   keyword scanner (`detect/keys.rs`) they share, and the
//!   [`Triggers`](detect::Triggers) each states for the prefilter;
//!   [`Registry`] builds them by `type` name;
//! - `prefilter/`: one cheap pass over a line decides which detectors
//!   can find anything in it (AVX2 where the CPU has it, with the SIMD
//!   literal search in `simd/`);
//! - [`mask`] (mask): each detector's [`Mask`] writes the replacement
//!   (`****1234`, `****-****-****-1111`, `sha256:…`, `John D***`, …);
//! - `engine/`: the [`Engine`] ties them together: it runs the detectors
//!   the prefilter wakes, merges their findings, applies [`keyrules`]
//!   (keys always masked or never touched) to structured fields, and
//!   writes each line once;
//! - [`config`]: [`Config`] builds an engine from TOML or JSON, with all
//!   validation; [`Error`] names the setting at fault.
//!
//! [`audit`]: an audit log of redaction events (JSON lines, never a
//! value) and leak alerts, written off the hot path by a thread of its
//! own ([`Filter::audit`]). `scan` (feature `scan`, on with the CLI)
//! finds the same secrets in logs already written and reports them
//! without their values, and finds a compromised value again, raw or in
//! any form the masks write for it (`logredact scan --find`).
//!
//! `serve` (feature `serve`) runs the same framing and engine as a TCP
//! sidecar for log shippers: framing per connection, a bounded buffer,
//! forwarding with reconnects, TLS and metrics. `tracing` (feature
//! `tracing`) redacts a program's own `tracing` output in-process.
//!
//! # Example
//!
//! ```
//! let engine = logredact::Engine::default();
//! let line = br#"{"msg":"declined","card":"4242424242424242","cvv":"123"}"#;
//! // Format-aware: the JSON line is parsed and stays valid JSON.
//! let out = engine.redact(line);
//! assert_eq!(
//!     &out[..],
//!     &br#"{"msg":"declined","card":"************4242","cvv":"[REDACTED:cvv]"}"#[..]
//! );
//! ```
//!
//! # Performance
//!
//! The hot path works on bytes and never requires UTF-8. A line with
//! nothing to mask costs no allocation and no copy: [`Engine::redact`]
//! returns `Cow::Borrowed`, and [`Filter`] writes runs of unchanged lines
//! straight from its read buffer. [`Engine::redact_into`] appends to a
//! buffer the caller reuses. Build the [`Engine`] once (it compiles
//! automata and regexes) and share it: it is `Send + Sync` and clones are
//! cheap.
//!
//! # Untrusted input
//!
//! Logs are untrusted. Invalid UTF-8, NUL bytes and CRLF are handled as
//! bytes; every input line gives exactly one output line; memory is
//! bounded by `max_line_len` (over-long lines are scanned in overlapping
//! windows, never passed through unscanned). User regexes run on the
//! `regex` crate (linear time) with a size limit.
//!
//! # Crate features
//!
//! - `cli` (default): the `logredact` binary (clap, anyhow). The library
//!   itself needs neither.
//! - `tracing`: the `logredact::tracing` module, redaction of a program's own
//!   `tracing` output in-process (a redacting `MakeWriter`, field
//!   formatter and `fmt` layer; `tracing` and `tracing-subscriber`, no
//!   tokio, no CLI).
//! - `serve` (default): `logredact::serve`, the TCP sidecar (tokio,
//!   rustls, hyper, prometheus-client), and with `cli` the
//!   `logredact serve` subcommand. The library feature needs no clap;
//!   without it the crate pulls in no async runtime.
//! - `scan` (default, with `cli`): `logredact::scan`, findings (never
//!   secrets) over logs at the filter's speed, and `--find` for a
//!   compromised value in raw and already-redacted logs; gzip read
//!   transparently (flate2). No CLI, no async runtime.
//! - `internals`: hooks for this crate's own benchmarks and tests; not a
//!   stable API.
// Only the AVX2 code may use `unsafe`: `simd/` and `prefilter/avx2.rs`
// (SIMD loads and the calls into AVX2 code once the CPU is known to have
// it), each file allowed on its `mod` line.
#![deny(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]

pub mod audit;
pub mod config;
pub mod detect;
mod engine;
mod error;
pub mod fingerprint;
mod format;
mod fxhash;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
pub mod keyrules;
pub mod mask;
mod patterns;
mod prefilter;
#[cfg(feature = "scan")]
#[cfg_attr(docsrs, doc(cfg(feature = "scan")))]
pub mod scan;
#[cfg(feature = "serve")]
#[cfg_attr(docsrs, doc(cfg(feature = "serve")))]
pub mod serve;
mod simd;
mod span;
pub mod stream;
#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod tracing;

pub use config::Config;
pub use detect::{Detector, DetectorConfig, Registry};
pub use engine::{Engine, EngineBuilder, Explanation, DEFAULT_MAX_LINE_LEN};
pub use error::Error;
pub use fingerprint::Fingerprint;
pub use format::Format;
pub use mask::Mask;
pub use span::{Finding, Input, Match, Span};
pub use stream::{Filter, Stats, MAX_BLOCK_LINES};
