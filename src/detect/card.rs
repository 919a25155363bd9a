//! Payment card numbers: 13–19 digits, plain or in the usual groups
//! separated by single spaces or dashes, Luhn-valid, with a known
//! network's IIN prefix and length.

use serde::Deserialize;

use super::checks::{card_may_start, luhn, CARD_MAX as MAX, CARD_MIN as MIN};
use super::keys::KeyScanner;
use super::{is_word, Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::Match;

/// Config of the `card` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardConfig {
    /// Accept Luhn-valid numbers of any prefix, not only known networks'.
    #[serde(default)]
    pub any_network: bool,
}

impl DetectorConfig for CardConfig {
    const TYPE: &'static str = "card";
    fn default_mask() -> MaskKind {
        MaskKind::Card
    }
    /// A plain hash of a card or account number can be reversed by trying
    /// every number (few digits are unknown): with a key, use HMAC.
    fn constrain_mask(mask: &mut crate::mask::MaskTable, keyed: bool) {
        if keyed && mask.kind == MaskKind::Sha256 {
            mask.kind = MaskKind::Hmac;
        }
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let mut ranges = Vec::new();
        for n in patterns::card_networks() {
            for r in &n.iin {
                let (lo, hi) = r.split_once('-').unwrap_or((r, r));
                ranges.push(Iin {
                    lo: lo.as_bytes().to_vec(),
                    hi: hi.as_bytes().to_vec(),
                    lengths: n.lengths.clone(),
                });
            }
        }
        let keys = KeyScanner::new(&[patterns::family("card").words])
            .map_err(|e| Error::config("", e))?;
        Ok(Box::new(Card { ranges, any_network: self.any_network, keys }))
    }
}

#[derive(Debug)]
struct Iin {
    lo: Vec<u8>,
    hi: Vec<u8>,
    lengths: Vec<usize>,
}

/// The `card` detector.
#[derive(Debug)]
pub struct Card {
    ranges: Vec<Iin>,
    any_network: bool,
    keys: KeyScanner,
}

/// Most card keywords per line whose values are remembered.
const MAX_KEYED: usize = 8;

/// Card layouts as printed on cards and in payment UIs.
const USUAL: [&[usize]; 9] = [
    &[4, 4, 4, 4],
    &[4, 6, 5],
    &[4, 6, 4],
    &[4, 4, 4, 4, 3],
    &[4, 4, 4, 1],
    &[4, 4, 4, 2],
    &[4, 4, 4, 3],
    &[4, 4, 5],
    &[4, 4, 4, 4, 2],
];

impl Detector for Card {
    fn kind(&self) -> &str {
        "card"
    }

    fn triggers(&self) -> Triggers {
        Triggers::default().card_number(true)
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        // `"uniqQualifier": "6051731645161637785"` is an identifier that
        // checks by chance.
        if input.key.is_some_and(super::checks::identifier_key) {
            return;
        }
        // Where values of card keys start: a number there needs no known
        // network prefix. Looked up only when such a number turns up.
        let mut keyed: Option<([usize; MAX_KEYED], usize)> = None;
        let mut is_keyed = |at: usize| {
            let (k, n) = keyed.get_or_insert_with(|| {
                let mut k = [usize::MAX; MAX_KEYED];
                let mut n = 0;
                self.keys.scan_input(input, |h| {
                    if n < MAX_KEYED {
                        k[n] = h.value.start;
                        n += 1;
                    }
                });
                (k, n)
            });
            k[..*n].contains(&at)
        };
        let mut i = 0;
        while i < hay.len() {
            if !hay[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let next = match self.at(hay, i, &mut is_keyed) {
                Some(end) => {
                    out.push(Match::new(i..end));
                    end
                }
                None => skip_run(hay, i),
            };
            i = next.max(i + 1);
        }
    }
}

/// End of the run of digits, letters and separators that starts at `i`,
/// so a rejected candidate is not retried from its middle.
fn skip_run(hay: &[u8], mut i: usize) -> usize {
    while i < hay.len() && hay[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

impl Card {
    /// The end of a card number starting at `s`, if there is one.
    fn at(
        &self,
        hay: &[u8],
        s: usize,
        keyed: &mut impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        if !card_may_start(hay, s) {
            return None;
        }
        // `8383/5863`: numbers in a field split by `/` (timers, ratios,
        // dates) are separate numbers, not parts of a card.
        if s >= 2 && hay[s - 1] == b'/' && hay[s - 2].is_ascii_digit() {
            return None;
        }
        // Groups of digits separated by one space or dash, all the same.
        let mut digits = [0u8; MAX];
        let mut n = 0;
        let mut groups: [(usize, usize); 8] = [(0, 0); 8]; // (end, ndigits)
        let mut ng = 0;
        let mut sep = None;
        let mut i = s;
        loop {
            let g0 = i;
            while i < hay.len() && hay[i].is_ascii_digit() {
                if n == MAX {
                    // A longer run of digits (a trace id) is no card; a
                    // long grouped run may still start with one.
                    if ng == 0 {
                        return None;
                    }
                    break;
                }
                digits[n] = hay[i] - b'0';
                n += 1;
                i += 1;
            }
            if i < hay.len() && hay[i].is_ascii_digit() {
                // Ran past MAX digits inside a group.
                break;
            }
            groups[ng] = (i, i - g0);
            ng += 1;
            if ng == groups.len() || n >= MAX {
                break;
            }
            let Some(&b) = hay.get(i) else { break };
            if !(b == b' ' || b == b'-') || sep.is_some_and(|s| s != b) {
                break;
            }
            if !hay.get(i + 1).is_some_and(u8::is_ascii_digit) {
                break;
            }
            sep = Some(b);
            i += 1;
        }
        // A plain run: alone, or followed by more groups (`4111…1111 2024`).
        if ng == 1 || groups[0].1 >= MIN {
            let (end, len) = groups[0];
            // A column of numbers (`views 1965 4242506965411`: a process
            // id, then a thread id) holds no card unless a card key
            // names it; a small count before one (`qty 2 4111…`) does.
            let column = s >= 4
                && hay[s - 1] == b' '
                && hay[s - 4..s - 1].iter().all(u8::is_ascii_digit);
            return (right_ok(hay, end)
                && (!column || keyed(s))
                && self.valid(&digits[..len], || keyed(s)))
            .then_some(end);
        }
        // Grouped: the first group has 4 digits; try the longest prefix of
        // groups that forms a valid card ("4111 1111 1111 1111 2024").
        if groups[0].1 != 4 {
            return None;
        }
        // Groups split by spaces (`5863 409 172505`, haproxy's byte
        // counts), or after another group of digits (`7024 5015 150454
        // 240`), count only in the usual card layouts; a dashed number
        // is one field whatever its groups.
        let after_group = sep == Some(b' ')
            || (s >= 2
                && matches!(hay[s - 1], b' ' | b'-')
                && hay[s - 2].is_ascii_digit());
        let mut lens = [0usize; 8];
        let mut total = 0;
        let mut best = None;
        for (k, &(end, len)) in groups[..ng].iter().enumerate() {
            lens[k] = len;
            let last = k + 1 == ng;
            if k > 0 && !(2..=6).contains(&len) && !(last && len >= 1) {
                break;
            }
            total += len;
            if total > MAX {
                break;
            }
            if k > 0
                && total >= MIN
                && (!after_group || USUAL.contains(&&lens[..=k]))
                && right_ok(hay, end)
                && self.valid(&digits[..total], || keyed(s))
            {
                best = Some(end);
            }
        }
        best
    }

    fn valid(&self, d: &[u8], keyed: impl FnOnce() -> bool) -> bool {
        (MIN..=MAX).contains(&d.len())
            && luhn(d)
            && (self.any_network || self.known_network(d) || keyed())
    }

    fn known_network(&self, d: &[u8]) -> bool {
        self.ranges.iter().any(|r| {
            r.lengths.contains(&d.len()) && {
                let lead = |n: usize| d[..n].iter().map(|x| x + b'0');
                lead(r.lo.len()).ge(r.lo.iter().copied())
                    && lead(r.hi.len()).le(r.hi.iter().copied())
            }
        })
    }
}

/// A card may not be followed by more of a word, a decimal part
/// (`4111….5`) or another separated group of digits.
fn right_ok(hay: &[u8], e: usize) -> bool {
    match hay.get(e) {
        None => true,
        Some(&b) if is_word(b) => false,
        Some(b'.') => !hay.get(e + 1).is_some_and(u8::is_ascii_digit),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = CardConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn cards_in_all_groupings() {
        for c in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "3782-822463-10005",
            "3056 930902 5904",
            "4222222222222",
            "2223000048400011",
            "6244-7577-1046-5634-142",
        ] {
            assert_eq!(found(&format!("card {c} x")), vec![c], "{c}");
        }
    }

    #[test]
    fn not_cards() {
        for h in [
            "4111111111111112",              // Luhn-invalid
            "blk_-1608999687919862906",      // identifier
            "trace 41111111111111110000123", // longer run
            "ts 1709542705194",              // epoch millis
            "v1.4111111111111111",
            "id=a4111111111111111",
            "x 4111111111111111.25",
        ] {
            assert!(found(h).is_empty(), "{h}");
        }
    }

    #[test]
    fn numbers_before_a_card_do_not_hide_it() {
        assert_eq!(found("qty 2 4111111111111111"), vec!["4111111111111111"]);
        assert_eq!(
            found("x 12 4111 1111 1111 1111"),
            vec!["4111 1111 1111 1111"]
        );
        assert_eq!(
            found("amount 1234 4111 1111 1111 1111"),
            vec!["4111 1111 1111 1111"]
        );
        // A column of numbers: a process id, then a thread id that
        // happens to check.
        assert!(found("INFO views 1965 4242506965411 Transfer").is_empty());
        // Not a usual layout inside a run of numbers (HealthApp).
        assert!(found("REPORT : 7024 5015 150454 240").is_empty());
    }

    #[test]
    fn trailing_group_is_not_swallowed() {
        assert_eq!(
            found("4111 1111 1111 1111 2024"),
            vec!["4111 1111 1111 1111"]
        );
    }
}
