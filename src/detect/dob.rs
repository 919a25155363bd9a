//! Dates of birth, after a keyword that names one (`dob=`, `"dob":`,
//! `date of birth`, `birthDate`, `born on`; `[dob]` in
//! `patterns/keywords.toml`). The date may be written `1985-07-14`,
//! `14/07/1985`, `07/14/1985`, `14.07.1985`, `19850714`, `14 Jul 1985`
//! or `July 14, 1985`, and must be a real one (a month's days, leap
//! years) in a year from 1900 to the current one. A date without such
//! a keyword (a timestamp, an expiry, a `date=` field) is left alone.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::keys::KeyScanner;
use super::{Detector, DetectorConfig, Input, Triggers};
use crate::error::Error;
use crate::mask::MaskKind;
use crate::patterns;
use crate::span::Match;

/// Earliest year of birth taken for one.
const FIRST_YEAR: u32 = 1900;

/// Config of the `dob` detector.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DobConfig {
    /// Keywords added to the shipped list.
    #[serde(default)]
    pub extra_keywords: Vec<String>,
}

impl DetectorConfig for DobConfig {
    const TYPE: &'static str = "dob";
    fn default_mask() -> MaskKind {
        MaskKind::Year
    }
    fn build(self) -> Result<Box<dyn Detector>, Error> {
        let f = patterns::family("dob");
        let mut words = f.words;
        words.extend(self.extra_keywords);
        let keys = KeyScanner::new(&[words, f.keys])
            .map_err(|e| Error::config("extra_keywords", e))?
            .keys_only(1);
        let last_year = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(u32::MAX, |d| year_of_day(d.as_secs() / 86_400));
        Ok(Box::new(Dob { keys, last_year }))
    }
}

/// The `dob` detector.
#[derive(Debug)]
pub struct Dob {
    keys: KeyScanner,
    /// The current year, when the detector was built: no one is born
    /// later.
    last_year: u32,
}

impl Detector for Dob {
    fn kind(&self) -> &str {
        "dob"
    }

    fn triggers(&self) -> Triggers {
        Triggers::literals(self.keys.literals())
    }

    fn find(&self, input: &Input<'_>, out: &mut Vec<Match>) {
        let hay = input.hay;
        self.keys.scan_input(input, |h| {
            // The value as the scanner cut it, or a spaced date after it
            // (`14 Jul 1985`, `July 14, 1985`).
            let s = h.value.start;
            if let Some(end) = date_at(hay, s, self.last_year) {
                out.push(Match::new(s..end));
            }
        });
    }
}

/// The year of the day `days` after 1970-01-01 (the proleptic
/// Gregorian calendar: Howard Hinnant's `civil_from_days`).
fn year_of_day(days: u64) -> u32 {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // Years start in March here: January and February end the year.
    let y = yoe + era * 400 + u64::from(mp >= 10);
    u32::try_from(y).unwrap_or(u32::MAX)
}

/// Whether `day`.`month`.`year` is a real date in a year of birth.
fn real_date(year: u32, month: u32, day: u32, last_year: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (FIRST_YEAR..=last_year).contains(&year) && (1..=days).contains(&day)
}

/// The run of digits at `i`: its value and end.
fn digits(hay: &[u8], i: usize) -> (u32, usize) {
    let i = i.min(hay.len());
    let n = hay[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let v = hay[i..i + n].iter().fold(0u32, |v, &b| {
        v.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    });
    (v, i + n)
}

/// A number of `min..=max` digits at `i`: its value and end.
fn number(
    hay: &[u8],
    i: usize,
    min: usize,
    max: usize,
) -> Option<(u32, usize)> {
    let (v, end) = digits(hay, i);
    (min..=max).contains(&(end - i)).then_some((v, end))
}

/// The month whose English name (or its abbreviation, with an optional
/// `.`) is at `i`: its number and end.
fn month_name(hay: &[u8], i: usize) -> Option<(u32, usize)> {
    const MONTHS: [&[u8]; 12] = [
        b"january",
        b"february",
        b"march",
        b"april",
        b"may",
        b"june",
        b"july",
        b"august",
        b"september",
        b"october",
        b"november",
        b"december",
    ];
    let i = i.min(hay.len());
    let word = hay[i..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let w = &hay[i..i + word];
    let m = MONTHS.iter().position(|name| {
        w.eq_ignore_ascii_case(name)
            || (w.len() == 3 && w.eq_ignore_ascii_case(&name[..3]))
            || (w.eq_ignore_ascii_case(b"sept") && name.starts_with(b"sept"))
    })?;
    let mut end = i + word;
    if word < MONTHS[m].len() && hay.get(end) == Some(&b'.') {
        end += 1;
    }
    Some((m as u32 + 1, end))
}

/// The end of a date of birth written at `s`, if it is one and stands
/// alone (no letter or digit around it, no further `-`, `/` or `.` and
/// digit after it). An ISO date may go on with a time (`1985-07-14T00:00:00Z`):
/// the date is still found.
fn date_at(hay: &[u8], s: usize, last_year: u32) -> Option<usize> {
    if s > 0 && hay[s - 1].is_ascii_alphanumeric() {
        return None;
    }
    let ok = |y, m, d| real_date(y, m, d, last_year);
    let (a, a_end) = digits(hay, s);
    let (end, iso) = match a_end - s {
        // 1985-07-14, 1985/07/14, 1985.07.14
        4 => {
            let sep = *hay.get(a_end).filter(|c| b"-/.".contains(c))?;
            let (m, e) = number(hay, a_end + 1, 1, 2)?;
            (hay.get(e) == Some(&sep)).then_some(())?;
            let (d, e) = number(hay, e + 1, 1, 2)?;
            (ok(a, m, d).then_some(e)?, true)
        }
        // 19850714
        8 => {
            let (y, m, d) = (a / 10_000, a / 100 % 100, a % 100);
            (ok(y, m, d).then_some(a_end)?, false)
        }
        // 14/07/1985, 07/14/1985, 14.07.1985, 14 Jul 1985, 14-Jul-1985
        1 | 2 => {
            let sep = *hay.get(a_end).filter(|c| b"-/. ".contains(c))?;
            let (b, e, named) = match month_name(hay, a_end + 1) {
                Some((m, e)) if matches!(sep, b' ' | b'-') => (m, e, true),
                _ => {
                    let (b, e) = number(hay, a_end + 1, 1, 2)?;
                    (b, e, false)
                }
            };
            (sep != b' ' || named).then_some(())?;
            (hay.get(e) == Some(&sep)).then_some(())?;
            let (y, e) = number(hay, e + 1, 4, 4)?;
            let valid =
                if named { ok(y, b, a) } else { ok(y, b, a) || ok(y, a, b) };
            (valid.then_some(e)?, false)
        }
        // July 14, 1985; Jul 14 1985
        0 => {
            let (m, e) = month_name(hay, s)?;
            (hay.get(e) == Some(&b' ')).then_some(())?;
            let (d, mut e) = number(hay, e + 1, 1, 2)?;
            if hay.get(e) == Some(&b',') {
                e += 1;
            }
            (hay.get(e) == Some(&b' ')).then_some(())?;
            let (y, e) = number(hay, e + 1, 4, 4)?;
            (ok(y, m, d).then_some(e)?, false)
        }
        _ => return None,
    };
    let next = hay.get(end).copied();
    let time = iso
        && next == Some(b'T')
        && hay.get(end + 1).is_some_and(u8::is_ascii_digit);
    let joined = matches!(next, Some(b'-' | b'/' | b'.'))
        && hay.get(end + 1).is_some_and(u8::is_ascii_digit);
    let free = next.is_none_or(|c| !c.is_ascii_alphanumeric());
    ((free || time) && !joined).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str) -> Vec<String> {
        let d = DobConfig::default().build().unwrap();
        let mut out = vec![];
        d.find(&Input::new(hay.as_bytes()), &mut out);
        out.sort_by_key(|m| m.span.start);
        out.iter().map(|m| hay[m.span.start..m.span.end].to_string()).collect()
    }

    #[test]
    fn dates_of_birth_after_a_keyword() {
        for (hay, want) in [
            ("dob=1985-07-14", "1985-07-14"),
            (r#"{"dob":"1985-07-14"}"#, "1985-07-14"),
            (r#"{\"dob\":\"1985-07-14\"}"#, "1985-07-14"),
            ("DOB: 14/07/1985", "14/07/1985"),
            ("date_of_birth=07/14/1985", "07/14/1985"),
            ("dateOfBirth: 14.07.1985", "14.07.1985"),
            ("birthdate=19850714", "19850714"),
            ("Date of birth: 14 Jul 1985", "14 Jul 1985"),
            ("date of birth July 14, 1985 verified", "July 14, 1985"),
            ("born on Jul 14 1985", "Jul 14 1985"),
            ("birth_date='14-Jul-1985'", "14-Jul-1985"),
            ("birthday: 29 February 2000", "29 February 2000"),
            ("customer_dob=1984-02-29", "1984-02-29"),
            ("dob: 1985/7/4", "1985/7/4"),
            ("dob: 1.2.1985.", "1.2.1985"),
            ("\"birthDate\": \"1900-01-01\"", "1900-01-01"),
            ("dob=1985-07-14T00:00:00Z", "1985-07-14"),
            ("geburtsdatum: 14.07.1985", "14.07.1985"),
            ("fecha_de_nacimiento=14/07/1985", "14/07/1985"),
            ("patient dob: Sept. 3, 1971", "Sept. 3, 1971"),
            ("patientDob=\"2001-12-31\"", "2001-12-31"),
        ] {
            assert_eq!(found(hay), vec![want], "{hay}");
        }
    }

    #[test]
    fn no_date_of_birth() {
        for hay in [
            // No keyword: timestamps, expiries, other dates.
            "2024-03-04T07:58:11Z GET /health 200",
            "exp=12/26",
            "date=1985-07-14",
            "created_at: 14/07/1985",
            "card expiry 07/1985",
            // Not a real date, or no year of birth.
            "dob=2024-13-40",
            "dob=1985-02-29",
            "dob=1900-02-29",
            "dob=1985-04-31",
            "dob=1899-12-31",
            "dob=2999-01-01",
            "dob=31/31/1985",
            "dob=00/00/0000",
            // Versions, short years, longer runs.
            "dob=1.2.3",
            "dob=14/07/85",
            "dob: 1985.07.14.3",
            "dob=198507141",
            "dob=1985071",
            "dob=14 Jux 1985",
            "dob=14/Jul/1985x",
            // The keyword in prose, or ending another key.
            "dob 1985-07-14",
            "Adobe 1985-07-14",
            "dob_version=1985-07-14",
            "born 1985-07-14",
        ] {
            assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
        }
    }

    #[test]
    fn years_of_days() {
        assert_eq!(year_of_day(0), 1970);
        // 2023-12-31 and 2024-01-01; 2024-02-29 and 2024-12-31.
        assert_eq!(year_of_day(19_722), 2023);
        assert_eq!(year_of_day(19_723), 2024);
        assert_eq!(year_of_day(19_782), 2024);
        assert_eq!(year_of_day(20_088), 2024);
        assert_eq!(year_of_day(20_089), 2025);
    }
}
