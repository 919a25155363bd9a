//! One value known by its key, outside any line: the fields of a
//! `tracing` event or span, or any key/value record a program holds.

use std::borrow::Cow;

use super::Scratch;
use crate::engine::Engine;
use crate::keyrules::KeyRule;

impl Engine {
    /// Redacts `value`, the value of a field named `key` (a dotted key
    /// path), as a structured line's field is redacted: key rules first
    /// (`password` is masked whatever its value, `trace_id` never), then
    /// every detector with the key as context; a value that starts as
    /// JSON is parsed as JSON. `Borrowed` exactly when nothing was masked.
    ///
    /// # Example
    /// ```
    /// let engine = logredact::Engine::default();
    /// // Masked because of its key, though no pattern matches `hunter2`.
    /// assert_eq!(&engine.redact_value("password", b"hunter2")[..], b"****");
    /// assert_eq!(
    ///     &engine.redact_value("note", b"card 4111 1111 1111 1111")[..],
    ///     b"card **** **** **** 1111"
    /// );
    /// assert!(matches!(
    ///     engine.redact_value("order_id", b"4111111111111111"),
    ///     std::borrow::Cow::Borrowed(_)
    /// ));
    /// ```
    pub fn redact_value<'v>(
        &self,
        key: &str,
        value: &'v [u8],
    ) -> Cow<'v, [u8]> {
        let rules = self.key_rules();
        let key = key.as_bytes();
        if value.is_empty() {
            return Cow::Borrowed(value);
        }
        // Rules are indexed by their last segment: a lookup is cheap.
        let rule = rules.lookup(key);
        if rule == Some(KeyRule::Never) {
            return Cow::Borrowed(value);
        }
        let mut s = Scratch::default();
        if matches!(value.first(), Some(b'{' | b'[')) {
            // Only JSON held in the value is scanned against the prefilter
            // of the whole value; other values are scanned with their key.
            s.mask = self.triggered(value);
        }
        let mut out = Vec::new();
        if !self.mask_value(key, rule, value, true, 0, &mut s, &mut out) {
            return Cow::Borrowed(value);
        }
        Cow::Owned(out)
    }
}
