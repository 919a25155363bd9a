//! [`RedactingFields`]: a field formatter that masks each field's value
//! knowing the field's name, so key rules apply (`password`, `cvv`,
//! `card_number` are masked whatever their values look like).

use std::borrow::Cow;
use std::cell::Cell;
use std::error::Error;
use std::fmt::{self, Write as _};

use ::tracing::field::{Field, Visit};
use ::tracing::span::Record;
use ::tracing_subscriber::field::{RecordFields, VisitOutput};
use ::tracing_subscriber::fmt::format::{
    DefaultFields, DefaultVisitor, JsonFields, JsonVisitor, Pretty,
    PrettyVisitor, Writer,
};
use ::tracing_subscriber::fmt::{FormatFields, FormattedFields};

use crate::engine::Engine;

/// A [`FormatFields`] that masks the values of event and span fields
/// before the wrapped formatter writes them: each value is redacted with
/// its field's name as key ([`Engine::redact_value`]), so
/// `info!(password = %pw, "login")` is masked by the `password` key rule
/// even when `pw` matches no pattern, and a secret inside the message's
/// format arguments (`info!("token {}", tok)`) is found by the detectors.
///
/// `N` is the `tracing-subscriber` field formatter whose output it keeps:
/// [`DefaultFields`] (the full and compact formats), [`JsonFields`] (JSON)
/// or [`Pretty`] (see [`FieldFormat`]).
///
/// The event formatters of the JSON and pretty formats write an event's
/// own fields themselves and use the field formatter for span fields only;
/// there, [`RedactingMakeWriter`](super::RedactingMakeWriter) redacts the
/// event (JSON key-aware, pretty as text).
///
/// # Example
/// ```
/// use logredact::tracing::Redactor;
///
/// let r = Redactor::default();
/// let subscriber = tracing_subscriber::fmt()
///     .fmt_fields(r.fields())
///     .with_writer(r.make_writer(std::io::stdout))
///     .finish();
/// tracing::subscriber::with_default(subscriber, || {
///     tracing::info!(password = "hunter2", "login");
///     // stdout: "… INFO rust_out: login password=\"****\""
/// });
/// ```
#[derive(Debug)]
pub struct RedactingFields<N = DefaultFields> {
    inner: N,
    engine: Engine,
}

impl<N: FieldFormat> RedactingFields<N> {
    /// Masks with `engine` the fields that `inner` formats.
    pub fn new(inner: N, engine: Engine) -> RedactingFields<N> {
        RedactingFields { inner, engine }
    }

    /// The engine that redacts.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::DefaultFields {}
    impl Sealed for super::JsonFields {}
    impl Sealed for super::Pretty {}
}

/// The `tracing-subscriber` field formatters that [`RedactingFields`] can
/// wrap: [`DefaultFields`], [`JsonFields`] and [`Pretty`]. Sealed: its
/// methods are details of this crate.
pub trait FieldFormat: sealed::Sealed + Send + Sync + 'static {
    /// Formats `fields` to `w`, each value passed through `redact`.
    #[doc(hidden)]
    fn format_redacted<R: RecordFields>(
        &self,
        engine: &Engine,
        w: Writer<'_>,
        fields: R,
    ) -> fmt::Result;

    /// Adds `fields` (recorded on a span later) to the span's `current`
    /// formatted fields.
    #[doc(hidden)]
    fn add_redacted<F>(
        &self,
        engine: &Engine,
        current: &mut FormattedFields<F>,
        fields: &Record<'_>,
    ) -> fmt::Result;
}

/// The text formats' field formatters: one visitor over the writer, which
/// puts a space before each field but the first (`is_empty`).
macro_rules! text_fields {
    ($fields:ty, $visitor:ident) => {
        impl FieldFormat for $fields {
            fn format_redacted<R: RecordFields>(
                &self,
                engine: &Engine,
                w: Writer<'_>,
                fields: R,
            ) -> fmt::Result {
                let v = $visitor::new(w, true);
                redacting(engine, v, |v| fields.record(v))
            }

            fn add_redacted<F>(
                &self,
                engine: &Engine,
                current: &mut FormattedFields<F>,
                fields: &Record<'_>,
            ) -> fmt::Result {
                // Fields recorded on a span later follow the others.
                let empty = current.fields.is_empty();
                let v = $visitor::new(current.as_writer(), empty);
                redacting(engine, v, |v| fields.record(v))
            }
        }
    };
}

text_fields!(DefaultFields, DefaultVisitor);
text_fields!(Pretty, PrettyVisitor);

impl FieldFormat for JsonFields {
    fn format_redacted<R: RecordFields>(
        &self,
        engine: &Engine,
        mut w: Writer<'_>,
        fields: R,
    ) -> fmt::Result {
        redacting(engine, JsonVisitor::new(&mut w), |v| fields.record(v))
    }

    fn add_redacted<F>(
        &self,
        engine: &Engine,
        current: &mut FormattedFields<F>,
        fields: &Record<'_>,
    ) -> fmt::Result {
        if current.fields.is_empty() {
            let mut w = current.as_writer();
            return redacting(engine, JsonVisitor::new(&mut w), |v| {
                fields.record(v)
            });
        }
        // Fields recorded on a span later join its JSON object (the new
        // value of a field wins), as `JsonFields::add_fields` does.
        let mut new = String::new();
        self.format_redacted(engine, Writer::new(&mut new), fields)?;
        let object = |s: &str| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(
                s,
            )
            .map_err(|_| fmt::Error)
        };
        let mut all = object(&current.fields)?;
        all.extend(object(&new)?);
        current.fields =
            serde_json::to_string(&all).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

impl<'w, N: FieldFormat> FormatFields<'w> for RedactingFields<N> {
    fn format_fields<R: RecordFields>(
        &self,
        w: Writer<'w>,
        fields: R,
    ) -> fmt::Result {
        self.inner.format_redacted(&self.engine, w, fields)
    }

    fn add_fields(
        &self,
        current: &'w mut FormattedFields<Self>,
        fields: &Record<'_>,
    ) -> fmt::Result {
        self.inner.add_redacted(&self.engine, current, fields)
    }
}

thread_local! {
    /// A value's text, reused from field to field.
    static TEXT: Cell<String> = const { Cell::new(String::new()) };
}

/// Records fields through `inner` wrapped in a [`Redacting`] visitor.
fn redacting<V: VisitOutput<fmt::Result>>(
    engine: &Engine,
    inner: V,
    record: impl FnOnce(&mut dyn Visit),
) -> fmt::Result {
    // Taken out while in use: a field whose `Debug` logs gets a fresh one.
    let text = TEXT.try_with(Cell::take).unwrap_or_default();
    let mut v = Redacting { engine, inner, text };
    record(&mut v);
    let Redacting { inner, mut text, .. } = v;
    if text.capacity() <= 4096 {
        text.clear();
        let _ = TEXT.try_with(|t| t.set(text));
    }
    inner.finish()
}

/// A visitor that redacts each value, keyed by its field's name, before
/// `inner` records it. Values that need no mask reach `inner` as they
/// were (numbers stay numbers).
struct Redacting<'e, V> {
    engine: &'e Engine,
    inner: V,
    text: String,
}

/// The key a field's value is judged under (`r#type` → `type`).
fn key(field: &Field) -> &str {
    let name = field.name();
    name.strip_prefix("r#").unwrap_or(name)
}

/// Masked bytes as text (masks are ASCII, so valid UTF-8 stays valid).
fn text(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

impl<V: Visit> Redacting<'_, V> {
    /// Redacts `self.text`, the value of `field`; when anything was
    /// masked, records the masked text and returns true.
    fn masked(&mut self, field: &Field) -> bool {
        match self.engine.redact_value(key(field), self.text.as_bytes()) {
            Cow::Borrowed(_) => false,
            Cow::Owned(m) => {
                self.inner.record_debug(field, &format_args!("{}", text(&m)));
                true
            }
        }
    }

    /// A number or other value formatted by `Display`: recorded as it
    /// was unless masked.
    fn display(
        &mut self,
        field: &Field,
        value: &dyn fmt::Display,
        plain: impl FnOnce(&mut V),
    ) {
        self.text.clear();
        let _ = write!(self.text, "{value}");
        if !self.masked(field) {
            plain(&mut self.inner);
        }
    }
}

impl<V: Visit> Visit for Redacting<'_, V> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.text.clear();
        if write!(self.text, "{value:?}").is_err() {
            // A `Debug` impl that fails: what it wrote is not shown.
            self.inner.record_debug(field, &format_args!("<unformattable>"));
            return;
        }
        if !self.masked(field) {
            // The text already formatted, not `value` again.
            let Redacting { inner, text, .. } = self;
            inner.record_debug(field, &format_args!("{text}"));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match self.engine.redact_value(key(field), value.as_bytes()) {
            Cow::Borrowed(_) => self.inner.record_str(field, value),
            Cow::Owned(m) => self.inner.record_str(field, &text(&m)),
        }
    }

    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        match self.engine.redact_value(key(field), value) {
            Cow::Borrowed(_) => self.inner.record_bytes(field, value),
            Cow::Owned(m) => {
                self.inner.record_debug(field, &format_args!("{}", text(&m)))
            }
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn Error + 'static)) {
        // The error and its sources, as one text.
        self.text.clear();
        let mut e: Option<&(dyn Error + 'static)> = Some(value);
        while let Some(err) = e {
            if !self.text.is_empty() {
                self.text.push_str(": ");
            }
            let _ = write!(self.text, "{err}");
            e = err.source();
        }
        if !self.masked(field) {
            self.inner.record_error(field, value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.display(field, &value, |v| v.record_i64(field, value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.display(field, &value, |v| v.record_u64(field, value));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.display(field, &value, |v| v.record_i128(field, value));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.display(field, &value, |v| v.record_u128(field, value));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.display(field, &value, |v| v.record_f64(field, value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        // `true` and `false` hide nothing.
        self.inner.record_bool(field, value);
    }
}
