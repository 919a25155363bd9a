//! The prefilter only skips work: on any line, the default engine redacts
//! exactly as the same engine with no prefilter, which runs every
//! detector on every line and field (`internals::build_unfiltered`), both
//! as plain text and format-aware.
//!
//! Checked on the case tables, the format fixtures and the shipped sample,
//! on `../shared/corpus` when it is there (pii-dev, loghub, the public
//! vectors), and on generated lines dense in the shapes the prefilter
//! looks at: digit groups and separators, capitals, keyword fragments.

use std::path::Path;
use std::sync::OnceLock;

use logredact::internals::{build_unfiltered, prefilter_mask};
use logredact::{Config, Engine};
use proptest::prelude::*;
use proptest::test_runner::Config as PtConfig;

use crate::cases::Case;

/// The lines on which the prefilter and the unfiltered engine disagree,
/// shown with both outputs.
fn disagreements<'a>(
    (e, unfiltered): &(Engine, Engine),
    lines: impl Iterator<Item = &'a [u8]>,
) -> Vec<String> {
    let mut bad = Vec::new();
    for l in lines {
        for (a, b) in [
            (e.redact_plain(l), unfiltered.redact_plain(l)),
            (e.redact(l), unfiltered.redact(l)),
        ] {
            if a != b {
                bad.push(format!(
                    "{:?}\n    prefiltered: {:?}\n    unfiltered:  {:?}",
                    String::from_utf8_lossy(l),
                    String::from_utf8_lossy(&a),
                    String::from_utf8_lossy(&b),
                ));
            }
        }
    }
    bad
}

fn engines() -> &'static (Engine, Engine) {
    static E: OnceLock<(Engine, Engine)> = OnceLock::new();
    E.get_or_init(|| {
        let c = Config::default();
        (c.build().unwrap(), build_unfiltered(&c).unwrap())
    })
}

fn assert_agrees<'a>(what: &str, lines: impl Iterator<Item = &'a [u8]>) {
    let bad = disagreements(engines(), lines);
    assert!(
        bad.is_empty(),
        "{what}: the prefilter hides findings on {} lines:\n  {}",
        bad.len(),
        bad.iter().take(10).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn project_fixtures() {
    let mut inputs: Vec<String> = Vec::new();
    for dir in ["tests/data/cases", "tests/data/formats"] {
        for f in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = f.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                let data = std::fs::read_to_string(&path).unwrap();
                if let Ok(cases) = serde_json::from_str::<Vec<Case>>(&data) {
                    inputs.extend(cases.into_iter().map(|c| c.input));
                }
            }
        }
    }
    assert!(inputs.len() > 300, "only {} table inputs", inputs.len());
    assert_agrees("case tables", inputs.iter().map(|s| s.as_bytes()));
    let sample = std::fs::read(root().join("examples/sample.log")).unwrap();
    assert_agrees("examples/sample.log", sample.split(|&b| b == b'\n'));
}

#[test]
fn shared_corpus() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("note: {} not found; skipped", corpus.display());
        return;
    }
    let mut files = vec![corpus.join("pii-dev.log")];
    for dir in ["loghub", "vectors"] {
        if let Ok(rd) = std::fs::read_dir(corpus.join(dir)) {
            files.extend(rd.map(|f| f.unwrap().path()));
        }
    }
    for f in files.iter().filter(|f| f.is_file()) {
        let data = std::fs::read(f).unwrap();
        assert_agrees(&f.display().to_string(), data.split(|&b| b == b'\n'));
    }
}

/// Every name context with every kind of name word: inner capitals,
/// apostrophes, hyphens, accents, and words that are no names.
#[test]
fn name_phrases() {
    // Contexts with each separator a name key's value may follow, and
    // bytes no value follows (`[Sun Dec 04` is a date).
    let contexts = [
        "customer ",
        "for ",
        "Dear ",
        "by ",
        "user ",
        "name=",
        "{\"name\":\"",
        "met ",
        "",
        "[",
        "(",
        "name: ",
        "name\t",
        "name #",
        "name no.",
        "name => ",
        "name=>",
        "name:",
        "name='",
    ];
    // Plain name words, and words the lists hold as ordinary words too:
    // `Sun` (a given name and a surname), `Dec` (a surname), `Order`
    // (neither), `Link` (a surname, no ordinary word).
    let firsts = [
        "Mary",
        "McDonald",
        "MacKenzie",
        "O'Brien",
        "Jean-Luc",
        "Élodie",
        "DeShawn",
        "Anne-Marie",
        "D'Angelo",
        "HotSpot",
        "INFO",
        "Ünal",
        "Sun",
        "Dec",
        "Order",
        "Link",
    ];
    let middles = ["", "Dec ", "Sun ", "Lee "];
    let lasts = [
        "Smith", "Roe", "McDonald", "O'Brien", "Ross", "Dubois", "Øre", "Dec",
        "Mon", "Service", "Link",
    ];
    let mut lines = Vec::new();
    for c in contexts {
        for f in firsts {
            for mid in middles {
                for l in lasts {
                    for end in ["", " paid", ",", "\"}", "."] {
                        lines.push(format!("{c}{f} {mid}{l}{end}"));
                    }
                }
            }
        }
    }
    assert_agrees("name phrases", lines.iter().map(|l| l.as_bytes()));
}

/// Capitalised pairs of ordinary words (dates, log phrases) do not wake
/// the name detector, unless a name key's value may start there: it
/// would run on one line in seven of LogHub's otherwise.
#[test]
fn ordinary_pairs_skip_the_name_search() {
    let e = &engines().0;
    let name = (0..e.len()).find(|&i| e.detector_id(i) == "name").unwrap();
    let woken = |l: &str| prefilter_mask(e, l.as_bytes()) >> name & 1 == 1;
    for l in [
        "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok",
        "connection from 212.65.68.82 () at Sat Jul 16 08:14:04 2005",
        "WARN Connection Reset by peer (Order Service Status Closed)",
    ] {
        assert!(!woken(l), "{l}");
    }
    for l in [
        "name: Sun Dec",
        "{\"name\":\"Sun Dec\"}",
        "refund issued to Jane Roe",
        "Lifecycle Event: ok",
    ] {
        assert!(woken(l), "{l}");
    }
}

/// The command-line detector wakes on its tools' names, its setting
/// phrases and its SQL keywords only (and so the literals it adds leave
/// the prefilter working): a port flag or an ordinary line runs nothing.
#[test]
fn command_line_wakes_on_its_literals_only() {
    let e = &engines().0;
    let cmd =
        (0..e.len()).find(|&i| e.detector_id(i) == "command_line").unwrap();
    let woken = |l: &str| prefilter_mask(e, l.as_bytes()) >> cmd & 1 == 1;
    for l in [
        "ssh -p 2222 deploy@host",
        "081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block",
        "user bob authenticated; auth ok",
        "configuration reloaded from /etc/app.conf",
    ] {
        assert!(!woken(l), "{l}");
    }
    for l in [
        "mysqldump -uroot -pX shop",
        "CONFIG SET requirepass x",
        "CREATE USER 'a'@'%' IDENTIFIED BY 'x'",
        "ALTER ROLE app PASSWORD 'x'",
        "[0 127.0.0.1:1] \"AUTH\" \"x\"",
        "REDISCLI_AUTH=x redis-cli",
        "Curl -u a:b https://x",
    ] {
        assert!(woken(l), "{l}");
    }
}

/// Ordinary words that hold a short national id or date-of-birth word
/// (`dni` in `midnight`, `sin` in `using`, `nie` in `Stephanie`, `dob`
/// in `Adobe`) do not wake those detectors: such words count only as
/// keys, and the prefilter looks for them only as keys.
#[test]
fn ordinary_words_skip_the_id_and_dob_search() {
    let e = &engines().0;
    let bit = |id: &str| (0..e.len()).find(|&i| e.detector_id(i) == id);
    let (id, dob) = (bit("national_id").unwrap(), bit("dob").unwrap());
    let woken = |l: &str| {
        let m = prefilter_mask(e, l.as_bytes());
        (m >> id & 1 == 1, m >> dob & 1 == 1)
    };
    for l in [
        "cron: midnight rollover using single genie for Stephanie",
        "Adobe Acrobat updated since business hours; basin sensor ok",
        "{\"user\":\"Annie\",\"plan\":\"Bonnie and Melanie\"}",
        "tls: using cipher suite; isin check skipped, nif manifest ok",
    ] {
        assert_eq!(woken(l), (false, false), "{l}");
    }
    for (l, want) in [
        ("dni=12345678Z", (true, false)),
        ("{\"bsn\":\"111222333\"}", (true, false)),
        ("SIN: 130-692-544", (true, false)),
        ("aadhaar 2345 6789 0128", (true, false)),
        ("DOB: 14/07/1985", (false, true)),
        ("{\"dob\":\"1985-07-14\"}", (false, true)),
        ("date of birth July 14, 1985", (false, true)),
    ] {
        assert_eq!(woken(l), want, "{l}");
    }
}

/// Pieces of lines the prefilter's shapes and literals are made of.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Digit groups of any length, Luhn-valid or not.
        3 => proptest::collection::vec(b'0'..=b'9', 1..21),
        // Luhn-valid numbers of 12–20 digits in the usual groupings.
        2 => (proptest::collection::vec(0u8..10, 11..19), any::<u8>())
            .prop_map(|(mut d, g)| {
                d.push(luhn_digit(&d));
                group(&d, g)
            }),
        3 => proptest::sample::select(
            b" -._+:,/=\"'|#()[]{}".iter().map(|&b| vec![b]).collect::<Vec<_>>()
        ),
        2 => "[A-Za-z]{1,8}".prop_map(String::into_bytes),
        1 => proptest::sample::select(vec![
            "Jane", "Roe", "Mary", "Smith", "Dear", "for", "card", "cvv",
            "McDonald", "MacKenzie", "O'Brien", "Jean-Luc", "Élodie", "INFO",
            "customer",
            "iban", "DE89", "GB82 WEST", "account", "routing", "password",
            "token", "sk_live_", "pin", "name", "x", "_", "-",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

/// The check digit that makes `d` Luhn-valid.
fn luhn_digit(d: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = u32::from(x);
        if i % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    ((10 - sum % 10) % 10) as u8
}

/// `d` as ASCII in one of the layouts: plain, 4-4-4-…, 4-6-5, with a
/// space or a dash.
fn group(d: &[u8], how: u8) -> Vec<u8> {
    let sep = if how & 1 == 0 { b' ' } else { b'-' };
    let sizes: &[usize] = match how / 2 % 3 {
        0 => &[usize::MAX],
        1 => &[4, 4, 4, 4, 4],
        _ => &[4, 6, 5, 4],
    };
    let mut out = Vec::new();
    let mut rest = d;
    for &n in sizes.iter().cycle() {
        let (g, r) = rest.split_at(n.min(rest.len()));
        out.extend(g.iter().map(|x| x + b'0'));
        rest = r;
        if rest.is_empty() {
            break;
        }
        out.push(sep);
    }
    out
}

proptest! {
    #![proptest_config(PtConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2000),
        failure_persistence: None,
        ..PtConfig::default()
    })]

    #[test]
    fn generated_fields(
        fields in proptest::collection::vec(
            (
                proptest::sample::select(vec![
                    "password", "card", "cvv", "name", "iban", "account",
                    "token", "order_id", "session", "user", "payment.card",
                    "note", "x", "Authorization", "routing_number", "first_name",
                ]),
                proptest::collection::vec(piece(), 0..5),
            ),
            1..6,
        ),
        json in any::<bool>(),
    ) {
        let mut line = String::new();
        for (i, (k, v)) in fields.iter().enumerate() {
            let v = String::from_utf8_lossy(&v.concat()).into_owned();
            if json {
                line.push_str(if i == 0 { "{" } else { "," });
                line.push_str(&serde_json::to_string(k).unwrap());
                line.push(':');
                line.push_str(&serde_json::to_string(&v).unwrap());
            } else {
                line.push_str(&format!("{k}={} ", serde_json::to_string(&v).unwrap()));
            }
        }
        if json {
            line.push('}');
        }
        let bad = disagreements(engines(), std::iter::once(line.as_bytes()));
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn generated_lines(pieces in proptest::collection::vec(piece(), 0..16)) {
        let line = pieces.concat();
        let bad = disagreements(engines(), std::iter::once(&line[..]));
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
