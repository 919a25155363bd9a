//! `logredact --audit FILE`: one JSON line per masked span, line numbers
//! per source in input order (`-j1` and `-j2` alike), private key body
//! lines, leak alerts, the drop count, and an output the audit never
//! changes. Fixtures: `tests/data/audit/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use logredact::Engine;
use serde_json::Value;

const FIXTURE: &str = "tests/data/audit/secrets.log";
const CLEAN: &str = "tests/data/audit/clean.log";
/// The secrets seeded in the fixture, which no audit line may hold (not
/// the CVVs: three digits turn up in any timestamp or hex by chance).
const SECRETS: &[&str] = &[
    "4242 4242 4242 4242",
    "4242424242424242",
    "sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ",
    "4111111111111111",
    "hunter2",
    "DE89370400440532013000",
    "jane.roe@example.com",
    "MIIEowIBAAKCAQEA",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "5555555555554444",
    "Jane Roe",
];
/// Lines of the fixture that are a private key's body.
const BODY_LINES: [u64; 3] = [9, 10, 11];

fn bin() -> Command {
    let mut c = Command::cargo_bin("logredact").unwrap();
    c.env_remove("LOGREDACT_HMAC_KEY");
    c
}

/// Runs the filter; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The audit file's events, each without its time.
fn events(path: &Path) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            let t = v.as_object_mut().unwrap().remove("time").unwrap();
            assert!(is_rfc3339_utc(t.as_str().unwrap()), "{t}");
            v
        })
        .collect()
}

fn is_rfc3339_utc(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[19] == b'.'
        && b[23] == b'Z'
        && t[..4].parse::<u32>().is_ok_and(|y| y >= 2024)
}

/// What the events must be: per line, `Engine::explain`'s spans (kind,
/// rule and fingerprint of `line[span]`), and one `private_key` event per
/// body line; sorted within a line.
fn expected(engine: &Engine, input: &[u8], body: &[u64]) -> Vec<Value> {
    let mut want = Vec::new();
    let mut lines: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    if input.ends_with(b"\n") {
        lines.pop();
    }
    for (i, line) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut here = Vec::new();
        if body.contains(&n) {
            here.push(serde_json::json!({
                "line": n, "kind": "private_key", "detector": null,
                "rule": "block_body", "fingerprint": null,
            }));
        } else {
            for w in engine.explain(line) {
                let d = engine.detector(w.detector as usize);
                let rule =
                    if w.key_rule { "key_rule" } else { d.rule_name(w.rule) };
                let fp = engine.fingerprint(&line[w.span.start..w.span.end]);
                here.push(serde_json::json!({
                    "line": n, "kind": d.kind(),
                    "detector": engine.detector_id(w.detector as usize),
                    "rule": rule, "fingerprint": fp.to_string(),
                }));
            }
        }
        want.extend(sorted(here));
    }
    want
}

/// The events without `source`, sorted within each line (the order of
/// one line's events is not part of the schema).
fn normal(evs: &[Value]) -> Vec<Value> {
    let mut by_line: BTreeMap<u64, Vec<Value>> = BTreeMap::new();
    for e in evs {
        let mut e = e.clone();
        e.as_object_mut().unwrap().remove("source");
        by_line.entry(e["line"].as_u64().unwrap()).or_default().push(e);
    }
    by_line.into_values().flat_map(sorted).collect()
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|e| e.to_string());
    v
}

fn assert_holds_no_secret(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    for s in SECRETS {
        assert!(!text.contains(s), "{s:?} is in the audit file");
    }
    // And nothing in it is a secret to the engine.
    let engine = Engine::default();
    for l in text.lines() {
        assert_eq!(
            &engine.redact(l.as_bytes())[..],
            l.as_bytes(),
            "redacting changes {l}"
        );
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn audit_one_event_per_masked_span_with_line_numbers() {
    let dir = tmp();
    let audit = dir.path().join("audit.jsonl");
    let (code, out, err) = run(&["-j1", "--audit", s(&audit), FIXTURE]);
    assert_eq!(code, 0, "{err}");
    let evs = events(&audit);
    let input = fs::read(FIXTURE).unwrap();
    let engine = Engine::default();
    assert_eq!(normal(&evs), expected(&engine, &input, &BODY_LINES));
    // 11 masked spans and 3 body lines, as --stats counts them.
    assert_eq!(evs.len(), 14);
    for e in &evs {
        assert_eq!(e["source"], FIXTURE);
        assert!(e.get("conn").is_none());
    }
    // The CRLF line (14) and the last line, with no newline (16).
    let lines: Vec<u64> =
        evs.iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert!(lines.contains(&14) && lines.contains(&16), "{lines:?}");
    assert_holds_no_secret(&audit);
    // The output is the output without --audit.
    let (_, plain, _) = run(&["-j1", FIXTURE]);
    assert_eq!(out, plain);
}

#[test]
fn audit_file_is_private_and_appended_to() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let audit = dir.path().join("audit.jsonl");
    for _ in 0..2 {
        let (code, _, err) = run(&["--audit", s(&audit), FIXTURE]);
        assert_eq!(code, 0, "{err}");
    }
    let mode = fs::metadata(&audit).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(events(&audit).len(), 28);
}

/// The fixture many times between runs of clean lines: several 1 MiB
/// chunks for `-j2`, with a private key somewhere in each.
fn big_input(dir: &Path) -> (PathBuf, Vec<u8>) {
    let fixture = fs::read(FIXTURE).unwrap();
    let mut data = Vec::new();
    for k in 0..40 {
        for i in 0..2000 {
            data.extend_from_slice(
                format!("2026-01-02T10:00:00Z INFO request {k}-{i} served\n")
                    .as_bytes(),
            );
        }
        data.extend_from_slice(&fixture);
        data.push(b'\n');
    }
    let p = dir.join("big.log");
    fs::write(&p, &data).unwrap();
    (p, data)
}

#[test]
fn audit_j1_and_j2_number_lines_alike() {
    let dir = tmp();
    let (big, data) = big_input(dir.path());
    assert!(data.len() > 3 << 20);
    let mut runs = Vec::new();
    for j in ["-j1", "-j2"] {
        let audit = dir.path().join(format!("audit{j}.jsonl"));
        let (code, out, err) = run(&[j, "--audit", s(&audit), s(&big)]);
        assert_eq!(code, 0, "{err}");
        runs.push((out, events(&audit)));
    }
    let (out1, ev1) = &runs[0];
    let (out2, ev2) = &runs[1];
    assert_eq!(out1, out2);
    // In input order, with the same numbers, in both.
    assert_eq!(ev1, ev2);
    let body: Vec<u64> = (0..40)
        .flat_map(|k| BODY_LINES.map(|b| k * 2016 + 2000 + b))
        .collect();
    assert_eq!(normal(ev1), expected(&Engine::default(), &data, &body));
    assert_eq!(ev1.len(), 40 * 14);
    let (_, plain, _) = run(&["-j2", s(&big)]);
    assert_eq!(out2, &plain);
}

#[test]
fn audit_alerts_once_for_the_leaking_file_only() {
    let dir = tmp();
    let audit = dir.path().join("audit.jsonl");
    let (code, _, err) =
        run(&["--stats", "--audit", s(&audit), CLEAN, FIXTURE]);
    assert_eq!(code, 0, "{err}");
    let alerts: Vec<&str> =
        err.lines().filter(|l| l.contains("leaking")).collect();
    assert_eq!(alerts.len(), 1, "{err}");
    assert_eq!(
        alerts[0],
        format!(
            "logredact: source {FIXTURE} started leaking kind=card \
             rule=card (1 in 60s)"
        )
    );
    assert!(!err.contains(CLEAN), "{err}");
    assert!(
        err.contains(
            "logredact: audit: 14 events written, 0 dropped, 1 leak alerts"
        ),
        "{err}"
    );
    assert!(events(&audit).iter().all(|e| e["source"] == FIXTURE));
}

#[test]
fn audit_rate_alert_and_config_table() {
    let dir = tmp();
    let audit = dir.path().join("from-config.jsonl");
    let cfg = dir.path().join("c.toml");
    // A rate of 1: the second card from the file is over it, but the
    // file already had its one warning in this window.
    fs::write(
        &cfg,
        format!(
            "[audit]\nfile = {:?}\n[audit.alert]\nrate = 1\nwindow = 600\n",
            s(&audit)
        ),
    )
    .unwrap();
    let (code, _, err) = run(&["--config", s(&cfg), FIXTURE]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(events(&audit).len(), 14);
    assert_eq!(err.matches("leaking").count(), 1, "{err}");
    assert!(err.contains("(1 in 600s)"), "{err}");
    // Alerts off.
    fs::write(
        &cfg,
        format!(
            "[audit]\nfile = {:?}\nalert = {{ enabled = false }}\n",
            s(&audit)
        ),
    )
    .unwrap();
    let (code, _, err) = run(&["--config", s(&cfg), FIXTURE]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("leaking"), "{err}");
}

#[test]
fn audit_bad_settings_are_named() {
    let dir = tmp();
    let cfg = dir.path().join("c.toml");
    for (toml, key) in [
        ("[audit]\nqueue = 0\n", "audit.queue"),
        ("[audit.alert]\nwindow = 0\n", "audit.alert.window"),
        ("[audit]\nfiel = \"x\"\n", "audit"),
    ] {
        fs::write(&cfg, toml).unwrap();
        let (code, out, err) = run(&["--config", s(&cfg), FIXTURE]);
        assert_eq!(code, 2, "{toml}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(key), "{toml}: {err}");
    }
    // An audit file that cannot be created: exit 2 before any input.
    let (code, out, err) =
        run(&["--audit", "/nonexistent/dir/a.jsonl", FIXTURE]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("cannot open audit file"), "{err}");
}

#[test]
fn audit_queue_full_drops_and_counts_never_blocks() {
    let dir = tmp();
    let (big, _) = big_input(dir.path());
    let audit = dir.path().join("audit.jsonl");
    let cfg = dir.path().join("c.toml");
    fs::write(&cfg, format!("[audit]\nfile = {:?}\nqueue = 1\n", s(&audit)))
        .unwrap();
    let (code, out, err) =
        run(&["-j2", "--stats", "--config", s(&cfg), s(&big)]);
    assert_eq!(code, 0, "{err}");
    let (_, plain, _) = run(&["-j2", s(&big)]);
    assert_eq!(out, plain);
    // Every event is written or counted as dropped.
    let written = events(&audit).len();
    let line = err
        .lines()
        .find(|l| l.starts_with("logredact: audit: "))
        .unwrap_or_else(|| panic!("{err}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(nums[0], written, "{line}");
    assert_eq!(nums[0] + nums[1], 40 * 14, "{line}");
}

#[test]
fn audit_write_errors_are_said_once_and_counted_as_dropped() {
    // Every write to /dev/full fails (ENOSPC).
    let (code, out, err) = run(&["--audit", "/dev/full", FIXTURE]);
    assert_eq!(code, 0, "{err}");
    let (_, plain, _) = run(&[FIXTURE]);
    assert_eq!(out, plain);
    assert_eq!(err.matches("logredact: audit file /dev/full: ").count(), 1);
    assert!(
        err.contains("logredact: audit: 0 events written, 14 dropped"),
        "{err}"
    );
}
