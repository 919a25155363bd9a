//! logredact: a log redaction filter.
//!
//! Application logs leak secrets: API tokens in headers, card numbers in
//! payment errors, CVVs in debug dumps, IBANs and customer names in JSON.
//! logredact masks them on the log stream itself, line by line, so a leak
//! in application code never reaches disk or a log shipper.
//!
//! # Overview
//!
//! The data flows `input → framing → parse → detect → mask → output`:
//!
//! - [`stream`]: the [`Filter`] reads any `io::Read` in large blocks and
//!   frames lines (over-long lines in overlapping windows);
//! - [`format`](mod@format): each line is parsed as JSON, logfmt or syslog ([`Format`],
//!   `auto` per line) so values are judged with their key paths and the
//!   line keeps its syntax; [`keyrules`] says which keys are always masked
//!   or never touched; unparsable lines are redacted as plain text;
//! - [`detect`]: each [`Detector`] finds secrets of one kind in a line
//!   (cards, CVVs, tokens, bank accounts, names, user regexes); a key
//!   scanner gives them key and keyword context;
//! - [`mask`]: each detector's [`Mask`] writes the replacement
//!   (`****1234`, `****-****-****-1111`, `sha256:…`, `John D***`, …);
//! - [`Engine`] ties detectors and masks together and writes each line
//!   once; [`Config`] builds an engine from TOML or JSON.
//!
//! `serve` (feature `serve`) runs the same framing and engine as a TCP
//! sidecar for log shippers: framing per connection, a bounded buffer,
//! forwarding with reconnects, TLS and metrics.
//!
//! # Example
//!
//! ```
//! let engine = logredact::Engine::default();
//! let line = br#"{"msg":"declined","card":"4242424242424242","cvv":"123"}"#;
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
//! straight from its read buffer. Build the [`Engine`] once (it compiles
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
//! - `serve` (default): [`serve`], the TCP sidecar behind
//!   `logredact serve` (tokio, rustls, hyper, prometheus-client). Implies
//!   `cli`; without it the crate pulls in no async runtime.
// Only the AVX2 code may use `unsafe`: `simd/` and `prefilter/avx2.rs`
// (SIMD loads and the calls into AVX2 code once the CPU is known to have
// it), each file allowed on its `mod` line.
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]

pub mod config;
pub mod detect;
mod engine;
mod error;
pub mod format;
mod fxhash;
pub mod keyrules;
pub mod mask;
pub mod parallel;
pub mod patterns;
pub mod prefilter;
#[cfg(feature = "serve")]
pub mod serve;
mod simd;
mod span;
pub mod stream;
#[cfg(feature = "tracing")]
pub mod tracing;

pub use config::Config;
pub use detect::{Detector, DetectorConfig, Input, Registry};
pub use engine::{Engine, EngineBuilder, DEFAULT_MAX_LINE_LEN};
pub use error::Error;
pub use format::Format;
pub use mask::Mask;
pub use span::{Finding, Match, Span};
pub use stream::{Filter, Stats};
