//! What a detector needs to see in a line to find anything there: its
//! [`Triggers`], which the engine's prefilter reads to skip detectors on
//! lines that cannot wake them.

use std::fmt;
use std::sync::Arc;

/// What must occur in a line for a detector to find anything in it.
///
/// Built with [`Triggers::always`], [`Triggers::literals`] or
/// [`Triggers::default`] (nothing: the detector never runs), then the
/// setters for the shapes.
///
/// # Example
///
/// ```
/// use logredact::detect::Triggers;
///
/// // Woken by `iban` or `account`, or by an IBAN's start.
/// let t = Triggers::literals(["iban", "account"]).iban_shape(true);
/// assert_eq!(t.literals, ["iban", "account"]);
/// assert!(t.iban_shape && !t.always);
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Triggers {
    /// Run on every line (user regexes, third-party detectors).
    pub always: bool,
    /// Literals, ASCII case-insensitive.
    pub literals: Vec<String>,
    /// A run of at least this many digits, single spaces or dashes
    /// allowed between them (card numbers).
    pub digit_run: Option<usize>,
    /// Digits laid out as a card number can be: 13 or more in a row, or
    /// groups (single spaces or dashes between them) that start with a
    /// group of four and hold 13 or more, at a place a number may start
    /// (not inside a word, a decimal or an identifier like `blk_-4111…`).
    pub card_number: bool,
    /// An IBAN's start: the code of a country that has IBANs and two
    /// digits, not inside a word (`DE89…`, not `KB3075220`).
    pub iban_shape: bool,
    /// An `@` after a word character and before a letter, as in an email
    /// address (`jane@example.com`).
    pub at_sign: bool,
    /// A `+` that starts a number of eight or more digits, in groups
    /// (`+44 20 7946 0018`), as international phone numbers are written.
    pub plus_number: bool,
    /// An encoded run's start: a percent escape of a quote, colon,
    /// equals, ampersand, comma, at-sign, brace or percent sign, or a
    /// `\xNN`/`\u00NN` escape of one (base64 JSON is woken by literals).
    pub encoded: bool,
    /// Two capitalised words in a row (`Jane Roe`), or with one or two
    /// short lower-case words between them (`Lana van der Berg`).
    pub capitalised_pair: bool,
    /// The detector's own test of such a pair, where it has one: the
    /// pair then triggers only where the test passes.
    pub pair_check: Option<PairCheck>,
}

/// A detector's test of a capitalised pair: called with the text and the
/// start of the pair's first word, it says whether the detector may find
/// something that starts at that word. It may say yes too often, never
/// too seldom: a line whose pairs all fail it is not searched.
#[derive(Clone)]
pub struct PairCheck(pub(crate) Arc<PairFn>);

type PairFn = dyn Fn(&[u8], usize) -> bool + Send + Sync;

impl PairCheck {
    /// The test `f`.
    pub fn new(
        f: impl Fn(&[u8], usize) -> bool + Send + Sync + 'static,
    ) -> PairCheck {
        PairCheck(Arc::new(f))
    }
}

impl fmt::Debug for PairCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairCheck")
    }
}

impl Triggers {
    /// Triggers of a detector that runs on every line.
    pub fn always() -> Triggers {
        Triggers { always: true, ..Triggers::default() }
    }

    /// Triggers of a detector woken by any of `literals` (ASCII
    /// case-insensitive), and by the shapes set after.
    pub fn literals<S: Into<String>>(
        literals: impl IntoIterator<Item = S>,
    ) -> Triggers {
        Triggers {
            literals: literals.into_iter().map(Into::into).collect(),
            ..Triggers::default()
        }
    }

    /// Also woken by a run of at least `n` digits, single spaces or
    /// dashes allowed between them.
    pub fn digit_run(mut self, n: usize) -> Triggers {
        self.digit_run = Some(n);
        self
    }

    /// Also woken by a card number's layout, if `yes`.
    pub fn card_number(mut self, yes: bool) -> Triggers {
        self.card_number = yes;
        self
    }

    /// Also woken by an IBAN's start, if `yes`.
    pub fn iban_shape(mut self, yes: bool) -> Triggers {
        self.iban_shape = yes;
        self
    }

    /// Sets [`Triggers::at_sign`].
    pub fn at_sign(mut self, yes: bool) -> Triggers {
        self.at_sign = yes;
        self
    }

    /// Sets [`Triggers::encoded`].
    pub fn encoded(mut self, yes: bool) -> Triggers {
        self.encoded = yes;
        self
    }

    /// Sets [`Triggers::plus_number`].
    pub fn plus_number(mut self, yes: bool) -> Triggers {
        self.plus_number = yes;
        self
    }

    /// Also woken by two capitalised words in a row, if `yes`.
    pub fn capitalised_pair(mut self, yes: bool) -> Triggers {
        self.capitalised_pair = yes;
        self
    }

    /// Tests each capitalised pair with `check`: only one that passes
    /// wakes the detector.
    pub fn pair_check(mut self, check: PairCheck) -> Triggers {
        self.pair_check = Some(check);
        self
    }
}
