//! Redacts a program's own `tracing` output in-process
//! (feature `tracing`), before the bytes leave the process.
//!
//! Two pieces, used together by [`layer()`]:
//!
//! - [`RedactingMakeWriter`] wraps any [`MakeWriter`] and redacts each
//!   formatted event, line by line and format-aware, before the inner
//!   writer sees it: whole events only, in one write, from any number of
//!   threads. It works with every `fmt` format (full, compact, pretty,
//!   JSON); a JSON event stays valid JSON.
//! - [`RedactingFields`] is a field formatter
//!   ([`FormatFields`](::tracing_subscriber::fmt::FormatFields)) that masks
//!   each event and span field knowing its name, so the key rules apply:
//!   `info!(password = %pw, "login")` is masked because of `password`,
//!   whatever `pw` looks like.
//!
//! # Example
//!
//! ```
//! use tracing_subscriber::prelude::*;
//!
//! tracing_subscriber::registry().with(logredact::tracing::layer()).init();
//! tracing::warn!(card_number = %"4242424242424242", cvv = 737, "charge failed");
//! // stdout: "… WARN rust_out: charge failed card_number=************4242 cvv=[REDACTED:cvv]"
//! ```
//!
//! With a configuration (the CLI's, from a file or in code) and another
//! writer:
//!
//! ```no_run
//! use logredact::tracing::Redactor;
//! use tracing_subscriber::prelude::*;
//!
//! let redactor = Redactor::builder().config_file("redact.toml").build()?;
//! tracing_subscriber::registry()
//!     .with(redactor.json_layer(std::io::stderr))
//!     .init();
//! # Ok::<(), logredact::Error>(())
//! ```
//!
//! # What a `Layer` cannot do
//!
//! A [`Layer`](::tracing_subscriber::Layer) is handed each event
//! read-only; it cannot change what the other layers of the same
//! subscriber see or print. Adding [`layer()`] next to an existing
//! `fmt::layer()` gives one redacted output **and** the old, unredacted
//! one. Redaction is guaranteed only when **every** layer that writes
//! events somewhere writes through a [`RedactingMakeWriter`]:
//!
//! - use [`layer()`] (or a [`Redactor`]'s layers) as the only `fmt` layer;
//!   or
//! - give each of your own `fmt` layers `.with_writer(redactor.make_writer(w))`
//!   (and `.fmt_fields(redactor.fields())` for the key rules).
//!
//! Layers that send events elsewhere without a `MakeWriter`
//! (OpenTelemetry exporters, journald, Sentry) are not covered: they see
//! the raw fields.
//!
//! # Which parts do what
//!
//! The writer alone already redacts everything the detectors find in the
//! formatted text, and the JSON format key by key (`"password":"…"` is
//! masked by its key rule). The field formatter adds the key rules to the
//! text formats: without it, `card_number=1234` (no valid card number) is
//! left alone in a full-format line. The JSON and pretty event formatters
//! write an event's own fields without the field formatter, so for their
//! events the writer is what redacts; their span fields go through the
//! field formatter.
//!
//! # Limits
//!
//! - ANSI colours: [`layer()`] turns them off. A layer with colours on
//!   still has its field values masked by [`RedactingFields`], but the
//!   writer sees escape codes between keys and values, so key context in
//!   the text is lost there.
//! - The pretty format splits an event over several lines; each line is
//!   redacted on its own, so a secret spread over two lines is masked only
//!   where a line carries a recognisable part of it.
//! - Each event is held in memory until it is written (the `fmt` layer
//!   does the same). A write error of the inner writer is lost, as the
//!   `fmt` layer's writer returns before it happens.

use std::io;
use std::path::PathBuf;

use ::tracing_subscriber::fmt::format::{
    DefaultFields, Format, Full, Json, JsonFields, Pretty,
};
use ::tracing_subscriber::fmt::{self, MakeWriter};

use crate::config::Config;
use crate::engine::Engine;
use crate::error::Error;

mod fields;
mod writer;

pub use fields::{FieldFormat, RedactingFields};
pub use writer::{RedactingMakeWriter, RedactingWriter};

/// The `fmt` layer of [`layer()`] and [`Redactor::layer_with_writer`]:
/// the full format, redacting fields and writer.
pub type RedactingLayer<S, M = fn() -> io::Stdout> = fmt::Layer<
    S,
    RedactingFields<DefaultFields>,
    Format<Full>,
    RedactingMakeWriter<M>,
>;

/// The `fmt` layer of [`Redactor::json_layer`]: one JSON object per
/// event, redacting fields and writer.
pub type JsonLayer<S, M> = fmt::Layer<
    S,
    RedactingFields<JsonFields>,
    Format<Json>,
    RedactingMakeWriter<M>,
>;

/// A `fmt` layer writing redacted events to stdout, with the shipped
/// default configuration. Add it to a
/// [`registry()`](::tracing_subscriber::registry()).
///
/// The same as `Redactor::default().layer()`: see [`Redactor`] for
/// another configuration, writer or format. To write elsewhere, use
/// [`Redactor::layer_with_writer`]: `.with_writer(w)` on this layer
/// *replaces* the redacting writer, leaving only the field formatter
/// (which masks field values and messages, but not what the event
/// formatter writes itself, such as the JSON and pretty formats' event
/// fields).
///
/// # Example
/// ```
/// use tracing_subscriber::prelude::*;
///
/// let subscriber = tracing_subscriber::registry().with(logredact::tracing::layer());
/// tracing::subscriber::with_default(subscriber, || {
///     tracing::info!(token = "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ", "calling the API");
///     // stdout: "… INFO rust_out: calling the API token=\"sk_live_****W3yZ\""
/// });
/// ```
pub fn layer<S>() -> RedactingLayer<S> {
    Redactor::default().layer()
}

/// Builds the redacting pieces for `tracing` from one [`Engine`]: the
/// layers, the make-writer and the field formatters. Cheap to clone (the
/// engine is shared).
///
/// `Redactor::default()` uses the shipped default configuration;
/// [`Redactor::builder`] takes the CLI's configuration from a file or
/// from code, or a ready engine.
///
/// # Example
/// ```
/// use logredact::tracing::Redactor;
/// use tracing_subscriber::prelude::*;
///
/// let config = logredact::Config::from_toml(r#"
///     [keys]
///     never = ["customer"]
/// "#)?;
/// let redactor = Redactor::builder().config(config).build()?;
/// let subscriber = tracing_subscriber::registry()
///     .with(redactor.layer_with_writer(std::io::stderr));
/// # drop(subscriber);
/// # Ok::<(), logredact::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    engine: Engine,
}

impl Redactor {
    /// A redactor using `engine`.
    pub fn new(engine: Engine) -> Redactor {
        Redactor { engine }
    }

    /// A builder: configuration from a file, from code, or an engine.
    pub fn builder() -> RedactorBuilder {
        RedactorBuilder::default()
    }

    /// The engine that redacts.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Wraps `inner` so that what the `fmt` layer writes to it is
    /// redacted (see [`RedactingMakeWriter`]).
    pub fn make_writer<M>(&self, inner: M) -> RedactingMakeWriter<M>
    where
        M: for<'a> MakeWriter<'a>,
    {
        RedactingMakeWriter::new(inner, self.engine.clone())
    }

    /// The field formatter of the full and compact formats, redacting.
    pub fn fields(&self) -> RedactingFields<DefaultFields> {
        RedactingFields::new(DefaultFields::new(), self.engine.clone())
    }

    /// The field formatter of the JSON format, redacting.
    pub fn json_fields(&self) -> RedactingFields<JsonFields> {
        RedactingFields::new(JsonFields::new(), self.engine.clone())
    }

    /// The field formatter of the pretty format, redacting.
    pub fn pretty_fields(&self) -> RedactingFields<Pretty> {
        RedactingFields::new(Pretty::default(), self.engine.clone())
    }

    /// A `fmt` layer in the full format writing redacted events to stdout,
    /// ANSI colours off.
    pub fn layer<S>(&self) -> RedactingLayer<S> {
        self.layer_with_writer(io::stdout as fn() -> io::Stdout)
    }

    /// A `fmt` layer in the full format writing redacted events to
    /// `make_writer`, ANSI colours off. `.compact()` on it keeps both
    /// redacting parts; for the pretty format use
    /// `.pretty().fmt_fields(redactor.pretty_fields())`, for JSON
    /// [`Redactor::json_layer`].
    pub fn layer_with_writer<S, M>(
        &self,
        make_writer: M,
    ) -> RedactingLayer<S, M>
    where
        M: for<'a> MakeWriter<'a> + 'static,
    {
        fmt::layer()
            .with_ansi(false)
            .fmt_fields(self.fields())
            .with_writer(self.make_writer(make_writer))
    }

    /// A `fmt` layer writing one JSON object per event, redacted, to
    /// `make_writer`. The JSON options of `fmt::Layer` (`flatten_event`,
    /// `with_current_span` …) need its own field formatter; set them on
    /// the event format instead, as below.
    ///
    /// # Example
    /// ```
    /// use logredact::tracing::Redactor;
    /// use tracing_subscriber::{fmt, prelude::*};
    ///
    /// let r = Redactor::default();
    /// let layer = r
    ///     .json_layer(std::io::stderr)
    ///     .event_format(fmt::format().json().flatten_event(true));
    /// let subscriber = tracing_subscriber::registry().with(layer);
    /// tracing::subscriber::with_default(subscriber, || {
    ///     tracing::info!(password = "hunter2", "login");
    ///     // stderr: {"timestamp":"…","level":"INFO","password":"****",…}
    /// });
    /// ```
    pub fn json_layer<S, M>(&self, make_writer: M) -> JsonLayer<S, M>
    where
        M: for<'a> MakeWriter<'a> + 'static,
    {
        fmt::layer()
            .json()
            .with_ansi(false)
            .fmt_fields(self.json_fields())
            .with_writer(self.make_writer(make_writer))
    }
}

/// Builds a [`Redactor`] from the same configuration as the CLI.
///
/// # Example
/// ```
/// let redactor = logredact::tracing::Redactor::builder()
///     .config(logredact::Config::default())
///     .build()?;
/// assert!(!redactor.engine().is_empty());
/// # Ok::<(), logredact::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct RedactorBuilder {
    source: Source,
}

#[derive(Clone, Debug, Default)]
enum Source {
    #[default]
    Defaults,
    Config(Box<Config>),
    File(PathBuf),
    Engine(Engine),
}

impl RedactorBuilder {
    /// Uses `config` (as `--config` would). The last of `config`,
    /// `config_file` and `engine` wins; the shipped defaults by default.
    pub fn config(&mut self, config: Config) -> &mut RedactorBuilder {
        self.source = Source::Config(Box::new(config));
        self
    }

    /// Reads the configuration from `path` when built (TOML, or JSON for
    /// `.json`), as `logredact --config PATH` does.
    pub fn config_file(
        &mut self,
        path: impl Into<PathBuf>,
    ) -> &mut RedactorBuilder {
        self.source = Source::File(path.into());
        self
    }

    /// Uses a ready engine.
    pub fn engine(&mut self, engine: Engine) -> &mut RedactorBuilder {
        self.source = Source::Engine(engine);
        self
    }

    /// The redactor.
    ///
    /// # Errors
    /// An unreadable or invalid configuration, as [`Config::from_path`]
    /// and [`Config::build`] report it (naming the key).
    pub fn build(&self) -> Result<Redactor, Error> {
        let engine = match &self.source {
            Source::Defaults => Engine::default(),
            Source::Config(c) => c.build()?,
            Source::File(p) => Config::from_path(p)?.build()?,
            Source::Engine(e) => e.clone(),
        };
        Ok(Redactor::new(engine))
    }
}
