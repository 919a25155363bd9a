//! Public test vectors (`../shared/corpus/vectors/*.jsonl`, see its
//! README): card numbers, IBANs, routing numbers and API tokens labelled
//! `secret` or `not_secret` by Presidio, Datadog SDS, gitleaks and the
//! payment providers' test-card pages.
//!
//! Each value is embedded in several line shapes:
//!
//! - neutral: plain text `ref VALUE ok`, JSON `{"ref":"VALUE"}`, logfmt
//!   `ref=VALUE` (quoted when the value has blanks);
//! - keyed: JSON and logfmt under the key the value means (`card_number`,
//!   `iban`, `account_number`, `routing_number`, `api_key`).
//!
//! A `secret` is caught in a shape when it is no longer in the output
//! (as written in that shape: JSON-escaped in JSON). A `not_secret` is
//! kept when it survives verbatim. Secrets are counted in the shapes
//! where the engine is meant to find them: cards, IBANs and tokens in
//! every shape; routing numbers and US account numbers only under their
//! key (by design they need a keyword). Not_secrets are judged in the
//! neutral shapes only: a key-aware tool may rightly mask anything under
//! `api_key`.
//!
//! Records the README marks `debatable` are reported but left out of
//! the thresholds. Run with `--nocapture` for the per-family table and
//! the list of misses.
//!
//! Without the corpus directory the test prints a note and passes: the
//! crate's own fixtures live in `tests/data/cases`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use logredact::Engine;

#[derive(Debug)]
struct Vector {
    value: String,
    secret: bool,
    kind: String,
    family: String,
    debatable: bool,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/vectors")
}

fn load(dir: &Path) -> Vec<Vector> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable vectors directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable vector file");
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), i + 1));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            out.push(Vector {
                value: s("value"),
                secret: s("expect") == "secret",
                kind: s("kind"),
                family: s("family"),
                debatable: v["debatable"].as_bool().unwrap_or(false),
            });
        }
    }
    out
}

/// The key a value means, for the keyed shapes.
fn meaningful_key(v: &Vector) -> &'static str {
    match (v.kind.as_str(), v.family.as_str()) {
        ("card", _) => "card_number",
        ("bank", "us_account") => "account_number",
        ("bank", _) => "iban",
        ("routing", _) => "routing_number",
        _ => "api_key",
    }
}

/// True when the engine is meant to find this kind of secret without a
/// keyword.
fn found_anywhere(v: &Vector) -> bool {
    !(v.kind == "routing" || v.family == "us_account")
}

/// One line shape: the line and the form the value takes in it.
struct Shape {
    line: String,
    needle: String,
}

fn json_escaped(v: &str) -> String {
    let q = serde_json::to_string(v).expect("strings serialise");
    q[1..q.len() - 1].to_string()
}

fn logfmt_value(v: &str) -> String {
    if v.contains([' ', '\t', '"', '=']) || v.contains('\n') {
        format!("\"{}\"", json_escaped(v))
    } else {
        v.to_string()
    }
}

fn neutral_shapes(value: &str) -> Vec<Shape> {
    let j = json_escaped(value);
    let l = logfmt_value(value);
    vec![
        Shape { line: format!("ref {value} ok"), needle: value.to_string() },
        Shape { line: format!("{{\"ref\":\"{j}\"}}"), needle: j.clone() },
        Shape {
            line: format!("level=info ref={l} msg=ok"),
            needle: if l.starts_with('"') { j } else { l.clone() },
        },
    ]
}

fn keyed_shapes(key: &str, value: &str) -> Vec<Shape> {
    let j = json_escaped(value);
    let l = logfmt_value(value);
    vec![
        Shape { line: format!("{{\"{key}\":\"{j}\"}}"), needle: j.clone() },
        Shape {
            line: format!("level=info {key}={l} msg=ok"),
            needle: if l.starts_with('"') { j } else { l.clone() },
        },
    ]
}

/// Share of `shapes` in which `needle` no longer appears in the output.
fn gone(engine: &Engine, shapes: &[Shape]) -> (usize, usize) {
    let mut n = 0;
    for s in shapes {
        let out = engine.redact_plain(s.line.as_bytes());
        if !contains(&out, s.needle.as_bytes()) {
            n += 1;
        }
    }
    (n, shapes.len())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    /// Secrets: (caught shapes, shapes) over the shapes where expected.
    caught: (usize, usize),
    /// Secrets: caught in the neutral shapes / in the keyed shapes.
    caught_neutral: (usize, usize),
    caught_keyed: (usize, usize),
    /// Not_secrets: kept in the neutral shapes, and under the key.
    kept_neutral: (usize, usize),
    kept_keyed: (usize, usize),
    /// Debatable records left out of the figures above.
    debatable: usize,
}

fn add(a: &mut (usize, usize), b: (usize, usize)) {
    a.0 += b.0;
    a.1 += b.1;
}

fn rate(r: (usize, usize)) -> Option<f64> {
    (r.1 > 0).then(|| r.0 as f64 / r.1 as f64)
}

fn cell(r: (usize, usize)) -> String {
    match rate(r) {
        Some(x) => format!("{:>5.1}% {:>4}/{:<4}", 100.0 * x, r.0, r.1),
        None => format!("{:>16}", "-"),
    }
}

/// The measurement over the whole corpus.
struct Measure {
    /// Per (kind, family), debatable records left out.
    fam: BTreeMap<(String, String), Tally>,
    /// Per kind, debatable records left out.
    kind: BTreeMap<String, Tally>,
    /// Per kind, debatable records included.
    with_debatable: BTreeMap<String, Tally>,
    /// Not_secrets kept in the neutral shapes, all kinds.
    all_kept: (usize, usize),
    /// Secrets missed and not_secrets masked, one line each.
    misses: Vec<String>,
}

/// Measures the corpus once (`None` without the corpus) and prints the
/// table the first time.
fn measure() -> Option<&'static Measure> {
    static M: OnceLock<Option<Measure>> = OnceLock::new();
    M.get_or_init(|| {
        let dir = corpus_dir();
        if !dir.is_dir() {
            println!(
                "note: {} not found; public-vector measurement skipped",
                dir.display()
            );
            return None;
        }
        let m = run_corpus(&dir);
        print_table(&m, &dir);
        Some(m)
    })
    .as_ref()
}

fn run_corpus(dir: &Path) -> Measure {
    let vectors = load(dir);
    assert!(!vectors.is_empty(), "no vectors in {}", dir.display());
    let engine = Engine::default();
    let mut m = Measure {
        fam: BTreeMap::new(),
        kind: BTreeMap::new(),
        with_debatable: BTreeMap::new(),
        all_kept: (0, 0),
        misses: Vec::new(),
    };
    for v in &vectors {
        let neutral = neutral_shapes(&v.value);
        let keyed = keyed_shapes(meaningful_key(v), &v.value);
        let n = gone(&engine, &neutral);
        let k = gone(&engine, &keyed);
        let mut t = Tally::default();
        let deb = if v.debatable { " (debatable)" } else { "" };
        if v.secret {
            t.caught_neutral = n;
            t.caught_keyed = k;
            t.caught = k;
            if found_anywhere(v) {
                add(&mut t.caught, n);
            }
            if t.caught.0 < t.caught.1 {
                m.misses.push(format!(
                    "  missed  {:<8} {:<11} in {}/{} shapes{deb}: {:?}",
                    v.kind,
                    v.family,
                    t.caught.1 - t.caught.0,
                    t.caught.1,
                    v.value
                ));
            }
        } else {
            t.kept_neutral = (n.1 - n.0, n.1);
            t.kept_keyed = (k.1 - k.0, k.1);
            if n.0 > 0 {
                m.misses.push(format!(
                    "  masked  {:<8} {:<11} in {}/{} neutral shapes{deb}: {:?}",
                    v.kind, v.family, n.0, n.1, v.value
                ));
            }
        }
        let fold = |into: &mut Tally| {
            add(&mut into.caught, t.caught);
            add(&mut into.caught_neutral, t.caught_neutral);
            add(&mut into.caught_keyed, t.caught_keyed);
            add(&mut into.kept_neutral, t.kept_neutral);
            add(&mut into.kept_keyed, t.kept_keyed);
        };
        fold(m.with_debatable.entry(v.kind.clone()).or_default());
        let f = m.fam.entry((v.kind.clone(), v.family.clone())).or_default();
        if v.debatable {
            f.debatable += 1;
            m.kind.entry(v.kind.clone()).or_default().debatable += 1;
        } else {
            fold(f);
            fold(m.kind.entry(v.kind.clone()).or_default());
            add(&mut m.all_kept, t.kept_neutral);
        }
    }
    m
}

fn print_table(m: &Measure, dir: &Path) {
    println!(
        "\npublic vectors from {}\n(secret caught: in the shapes where \
         the engine is meant to find it; kept: not_secret survives \
         verbatim; debatable records counted apart, in `deb`)",
        dir.display()
    );
    println!(
        "{:<8} {:<11} {:>16} {:>16} {:>16} {:>16} {:>16} {:>4}",
        "kind",
        "family",
        "secret caught",
        "caught neutral",
        "caught keyed",
        "kept neutral",
        "kept keyed",
        "deb"
    );
    let row = |k: &str, f: &str, t: &Tally| {
        println!(
            "{:<8} {:<11} {} {} {} {} {} {:>4}",
            k,
            f,
            cell(t.caught),
            cell(t.caught_neutral),
            cell(t.caught_keyed),
            cell(t.kept_neutral),
            cell(t.kept_keyed),
            t.debatable
        );
    };
    for ((k, f), t) in &m.fam {
        row(k, f, t);
    }
    println!("{}", "-".repeat(112));
    for (k, t) in &m.kind {
        row(k, "ALL", t);
    }
    for (k, t) in &m.with_debatable {
        row(k, "+debatable", t);
    }
    println!(
        "not_secret kept in neutral shapes, all kinds: {}",
        cell(m.all_kept)
    );
    if !m.misses.is_empty() {
        println!("\nmisses ({}):", m.misses.len());
        for x in &m.misses {
            println!("{x}");
        }
    }
}

/// Checks `(what, measured, minimum)` triples; panics listing misses.
fn assert_thresholds(checks: &[(&str, Option<f64>, f64)]) {
    let failed: Vec<String> = checks
        .iter()
        .filter_map(|&(what, got, min)| {
            let x = got?;
            (x < min).then(|| format!("{what}: {x:.3} < {min}"))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "thresholds missed:\n  {}",
        failed.join("\n  ")
    );
}

// Thresholds are set from the measurement (rounded down), never below
// the floors of the acceptance brief (cards 0.95, IBAN 0.97, ABA under
// its key 0.9, tokens 0.9, not_secret kept 0.85). Debatable records
// (the 11-digit Luhn-invalid Dankort, the US account numbers, the
// all-zero routing number, gitleaks placeholders …) are left out; no
// other card family needed leaving out.

#[test]
fn public_vectors_secrets_are_caught() {
    let Some(m) = measure() else { return };
    let kind = |k: &str| m.kind.get(k).copied().unwrap_or_default();
    let iban = m
        .fam
        .get(&("bank".to_string(), "iban".to_string()))
        .copied()
        .unwrap_or_default();
    assert_thresholds(&[
        ("card secrets caught (all shapes)", rate(kind("card").caught), 0.97),
        ("iban secrets caught (all shapes)", rate(iban.caught), 0.99),
        (
            "aba secrets caught under routing_number",
            rate(kind("routing").caught_keyed),
            1.0,
        ),
        (
            "token secrets caught (all shapes)",
            rate(kind("token").caught),
            0.99,
        ),
        (
            "token secrets caught under api_key",
            rate(kind("token").caught_keyed),
            0.99,
        ),
    ]);
}

#[test]
fn public_vectors_not_secrets_survive_in_neutral_shapes() {
    let Some(m) = measure() else { return };
    let kind = |k: &str| {
        rate(m.kind.get(k).copied().unwrap_or_default().kept_neutral)
    };
    assert_thresholds(&[
        ("not_secret kept, all kinds", rate(m.all_kept), 0.95),
        ("card not_secret kept", kind("card"), 0.99),
        ("bank not_secret kept", kind("bank"), 0.99),
        ("routing not_secret kept", kind("routing"), 0.99),
        // Measured 0.656: gitleaks' Slack false-positive samples and
        // `ghp_` look-alikes are masked (see the report); the floor
        // stays.
        ("token not_secret kept", kind("token"), 0.93),
    ]);
}
