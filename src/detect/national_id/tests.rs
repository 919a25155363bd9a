//! Table tests of the national id schemes. The valid numbers were made
//! for these tests from each scheme's published check (a DNI's letter
//! mod 23, the codice fiscale's tables, the 11-proof, Verhoeff, Luhn),
//! not taken from the detector's output.

use super::validators::*;
use super::*;

fn detector() -> Box<dyn Detector> {
    NationalIdConfig::default().build().unwrap()
}

/// The numbers found in `input`, each with its rule name.
fn found_in(input: &Input<'_>) -> Vec<(String, String)> {
    let d = detector();
    let mut out = vec![];
    d.find(input, &mut out);
    out.sort_by_key(|m| m.span.start);
    out.dedup_by_key(|m| m.span);
    out.iter()
        .map(|m| {
            let v = &input.hay[m.span.start..m.span.end];
            let v = String::from_utf8_lossy(v).into_owned();
            (v, d.rule_name(m.rule).to_string())
        })
        .collect()
}

fn found(hay: &str) -> Vec<(String, String)> {
    found_in(&Input::new(hay.as_bytes()))
}

fn one(v: &str, rule: &str) -> Vec<(String, String)> {
    vec![(v.to_string(), rule.to_string())]
}

#[test]
fn ssns_after_a_keyword() {
    for (hay, want) in [
        ("phone +1 415 555 2671; SSN 123-45-6789", "123-45-6789"),
        ("ssn=123456789", "123456789"),
        (r#"{"ssn":"001-01-0001"}"#, "001-01-0001"),
        ("Social Security Number: 772-01-2345.", "772-01-2345"),
        ("taxpayer_id=665-99-9999", "665-99-9999"),
        ("customer_ssn: 899-99-9998", "899-99-9998"),
    ] {
        assert_eq!(found(hay), one(want, "us_ssn"), "{hay}");
    }
    // A line that names one: the dashed SSN anywhere in it.
    assert_eq!(
        found("ssn check failed for applicant, input was 123-45-6789"),
        one("123-45-6789", "us_ssn")
    );
}

#[test]
fn invalid_ssns_by_the_ssa_rules() {
    for v in [
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "999-99-9999",
        "123-00-4567",
        "123-45-0000",
        "078-05-1120",
        "219-09-9999",
        "12345678",
        "1234567890",
        "123-45-67890",
        "0123-45-6789",
        "123456789Z",
    ] {
        assert!(found(&format!("ssn {v}")).is_empty(), "{v}");
    }
    // No keyword: a dashed number is left alone.
    assert!(found("order 123-45-6789 shipped").is_empty());
    // Digits in a longer run or a date are no SSN.
    assert!(found("ssn lookup at 2024-03-04").is_empty());
}

#[test]
fn ninos_after_a_keyword() {
    for (hay, want) in [
        ("national_insurance_number=AB123456A", "AB123456A"),
        ("ni number jk 12 34 56 d", "jk 12 34 56 d"),
        ("nino: CE 10 20 30 B", "CE 10 20 30 B"),
    ] {
        assert_eq!(found(hay), one(want, "uk_nino"), "{hay}");
    }
    // `QQ` is HMRC's own example prefix: it is invalid for people.
    assert!(found("NINO: QQ 12 34 56 C").is_empty());
    for v in [
        "BG123456A",
        "GB123456A",
        "NK123456A",
        "DA123456A",
        "AO123456A",
        "AB123456E",
        "AB12345A",
        "AB1234567A",
        "AB123456AX",
    ] {
        assert!(found(&format!("nino {v}")).is_empty(), "{v}");
    }
}

/// Valid numbers of every scheme after their keywords: the value and
/// the rule that found it.
#[test]
fn each_scheme_after_its_keywords() {
    for (hay, want, rule) in [
        // 12345678 mod 23 = 14: Z.
        ("dni=12345678Z", "12345678Z", "es_dni"),
        (r#"{"dni":"87654321X"}"#, "87654321X", "es_dni"),
        ("DNI: 12345678-z", "12345678-z", "es_dni"),
        ("numero_dni 50000000R", "50000000R", "es_dni"),
        ("documento: 00000001R", "00000001R", "es_dni"),
        ("nif='11111111H'", "11111111H", "es_dni"),
        // X is 0: 01234567 mod 23 = 19: L.
        ("nie=X1234567L", "X1234567L", "es_nie"),
        ("NIE: Y-7654321-G", "Y-7654321-G", "es_nie"),
        ("numero nie Z1111111D", "Z1111111D", "es_nie"),
        (
            "codice fiscale: RSSMRA85T10A562S",
            "RSSMRA85T10A562S",
            "it_codice_fiscale",
        ),
        // Day 41: a woman born on the 1st.
        (
            r#"{"codiceFiscale":"BNCGLI90A41H501E"}"#,
            "BNCGLI90A41H501E",
            "it_codice_fiscale",
        ),
        (
            "fiscal_code=vrdlcu72e18f205l",
            "vrdlcu72e18f205l",
            "it_codice_fiscale",
        ),
        // Omocodia: the place code's 2 written N.
        (
            "codice fiscale RSSMRA85T10A56NH",
            "RSSMRA85T10A56NH",
            "it_codice_fiscale",
        ),
        // Also a valid SSN: the keyword's scheme is tried first.
        ("bsn=111222333", "111222333", "nl_bsn"),
        ("burgerservicenummer: 999999990", "999999990", "nl_bsn"),
        ("aadhaar 2345 6789 0128", "2345 6789 0128", "in_aadhaar"),
        ("aadhaar_number=987654321096", "987654321096", "in_aadhaar"),
        ("Aadhar: 5000-1234-5673", "5000-1234-5673", "in_aadhaar"),
        ("sin=130692544", "130692544", "ca_sin"),
        ("social insurance number: 271 828 188", "271 828 188", "ca_sin"),
        ("SIN: 712-345-677", "712-345-677", "ca_sin"),
        ("sin_number 900000001", "900000001", "ca_sin"),
    ] {
        assert_eq!(found(hay), one(want, rule), "{hay}");
    }
}

/// A keyword that names no scheme (or another one) is checked against
/// every validator, in the table's order.
#[test]
fn any_keyword_any_validator() {
    assert_eq!(found("national_id: 12345678Z"), one("12345678Z", "es_dni"));
    assert_eq!(
        found("national id number RSSMRA85T10A562S"),
        one("RSSMRA85T10A562S", "it_codice_fiscale")
    );
    // 234567892 is a valid BSN and a valid SSN: the SSN comes first.
    assert_eq!(found("national_id=234567892"), one("234567892", "us_ssn"));
    assert_eq!(found("dni=X1234567L"), one("X1234567L", "es_nie"));
    // A structured field's key names the scheme.
    let input = Input::new(b"314159265").key(b"customer.bsn");
    assert_eq!(found_in(&input), one("314159265", "nl_bsn"));
    // The dashed-SSN search is for lines whose keyword may name an SSN.
    assert!(found("dni=X1234567A order 123-45-6789").is_empty());
}

#[test]
fn invalid_numbers_of_each_scheme() {
    for hay in [
        // Wrong control letter, length, prefix.
        "dni=12345678A",
        "dni=1234567Z",
        "dni=123456789Z",
        "dni=a12345678Z",
        "nie=X1234567A",
        "nie=W1234567L",
        "nie=X12345678L",
        // Wrong check letter; 15 characters; month X; day 35 and 72
        // (each with the check letter it would have).
        "codice_fiscale=RSSMRA85T10A562T",
        "codice fiscale RSSMRA85T10A562",
        "codice fiscale RSSMRA85X10A562D",
        "codice fiscale RSSMRA85T35A562G",
        "codice fiscale RSSMRA85T72A562C",
        "codice fiscale RSSMRA85T10A562SX",
        // Fails the 11-proof, the SSA's rules and Luhn alike.
        "bsn=999999999",
        "bsn=000000000",
        "bsn=1111222333",
        // Wrong check digit; first digit 1; 13 and 14 digits; mixed
        // separators.
        "aadhaar 2345 6789 0129",
        "aadhaar 1234 5678 9017",
        "aadhaar 2345678901281",
        "aadhaar 23456789012812",
        "aadhaar 2345 6789-0128",
        // Fails Luhn; part of a longer run.
        "sin=900000002",
        "sin=900-000-001-5",
        "social insurance number 9000000011",
    ] {
        assert!(found(hay).is_empty(), "{hay}: {:?}", found(hay));
    }
}

/// Short keywords count only as keys: in prose they are words of other
/// things (and the prefilter does not look for them there).
#[test]
fn short_keywords_only_as_keys() {
    for hay in [
        "bsn 314159265",
        "at midnight 12345678Z",
        "Stephanie X1234567L",
        "using sin 130692544",
        "dni = 12345678Z",
    ] {
        assert!(found(hay).is_empty(), "{hay}");
    }
    assert_eq!(found("bsn: 314159265"), one("314159265", "nl_bsn"));
}

/// The validators alone, on the numbers' edges.
#[test]
fn validators_read_whole_numbers() {
    let at =
        |f: fn(&[u8], usize) -> Option<usize>, s: &str| f(s.as_bytes(), 0);
    assert_eq!(at(dni_at, "12345678Z,"), Some(9));
    assert_eq!(at(dni_at, "12345678Z9"), None);
    assert_eq!(at(nie_at, "x1234567l"), Some(9));
    assert_eq!(at(bsn_at, "123456782"), Some(9));
    assert_eq!(at(bsn_at, "123456789"), None);
    assert_eq!(at(bsn_at, "12345678"), None);
    assert_eq!(at(aadhaar_at, "234567890128"), Some(12));
    assert_eq!(at(aadhaar_at, "234567890128 5"), Some(12));
    assert_eq!(at(aadhaar_at, "2345 6789 0128 5"), None);
    assert_eq!(at(aadhaar_at, "2345 6789 01285"), None);
    assert_eq!(at(sin_at, "046454286"), None);
    assert_eq!(at(sin_at, "130 692 544"), Some(11));
    assert_eq!(at(sin_at, "130 692-544"), None);
    assert_eq!(at(codice_fiscale_at, "RSSMRA85T10A562S"), Some(16));
    assert_eq!(at(codice_fiscale_at, "RSSMRA8XT10A562S"), None);
    // A number must not continue one before it either.
    assert_eq!(sin_at(b"1-130692544", 2), None);
    assert_eq!(dni_at(b"912345678Z", 1), None);
}

/// Every keyword of `patterns/national_ids.toml` is a prefilter literal:
/// none shorter than 4 bytes but `ssn` (which no English word holds),
/// shorter ones are keys only.
#[test]
fn shipped_keywords_are_long_enough() {
    let data = patterns::national_ids();
    for k in data
        .keywords
        .iter()
        .chain(data.scheme.iter().flat_map(|s| &s.keywords))
    {
        assert!(k.len() >= 4 || k == "ssn", "{k}");
    }
    let lits = detector().triggers().literals;
    assert!(lits.contains(&"dni=".to_string()));
    assert!(!lits.contains(&"dni".to_string()));
    assert!(!lits.contains(&"sin".to_string()));
}
