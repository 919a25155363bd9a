//! `logredact serve --audit FILE`: two clients, one clean and one that
//! starts leaking cards. One alert, for the leaking connection only; the
//! metrics count it; the audit file holds its events and no secret.

use std::io::Write;
use std::thread::sleep;
use std::time::Duration;

use logredact::Engine;
use serde_json::Value;

use crate::common::*;

#[test]
fn audit_and_alert_through_serve_for_the_leaking_client_only() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let sink = Sink::bind();
    let mut side = sink.sidecar(&["--audit", audit.to_str().unwrap()]);
    let mut clean = side.connect();
    let mut leaky = side.connect();
    let clean_addr = clean.local_addr().unwrap().to_string();
    let leaky_addr = leaky.local_addr().unwrap().to_string();
    for i in 0..20 {
        writeln!(clean, "INFO request {i} served in 3 ms").unwrap();
    }
    for i in 0..5 {
        writeln!(leaky, "INFO payment {i} accepted").unwrap();
    }
    clean.flush().unwrap();
    leaky.flush().unwrap();
    sleep(Duration::from_millis(100));
    // Lines 6 to 17 of the leaking connection carry a card each.
    for i in 0..12 {
        writeln!(leaky, "WARN payment {i} declined card={CARD}").unwrap();
    }
    leaky.flush().unwrap();
    let (lines, _down) = sink.lines(37, 10);
    assert_eq!(lines.len(), 37);
    assert_eq!(lines.iter().filter(|l| l.contains(CARD_MASKED)).count(), 12);

    let card = "logredact_redactions_total{kind=\"card\",rule=\"card\"}";
    side.wait_metric(card, 12.0, 10);
    side.wait_metric("logredact_audit_events_total", 12.0, 10);
    side.wait_metric("logredact_leak_alerts_total", 1.0, 10);
    // The gauge is updated within a second.
    side.wait_metric("logredact_leak_sources", 1.0, 10);
    assert_eq!(side.metric("logredact_audit_dropped_events_total"), 0.0);

    let err = side.stderr();
    let alerts: Vec<&str> =
        err.lines().filter(|l| l.contains("leaking")).collect();
    assert_eq!(alerts.len(), 1, "{err}");
    assert!(
        alerts[0].starts_with(&format!(
            "logredact: source {leaky_addr} (connection "
        )),
        "{err}"
    );
    assert!(
        alerts[0].ends_with("started leaking kind=card rule=card (1 in 60s)"),
        "{err}"
    );
    assert!(!err.contains(&clean_addr), "{err}");
    assert!(!err.contains(CARD), "{err}");

    drop(clean);
    drop(leaky);
    assert!(side.terminate(15).success());
    let err = side.stderr();
    assert!(
        err.contains(
            "logredact: audit: 12 events written, 0 dropped, 1 leak alerts"
        ),
        "{err}"
    );

    // The file: the leaking connection's 12 events, lines 6 to 17.
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(!text.contains(CARD) && !text.contains("4111"), "{text}");
    let engine = Engine::default();
    let fp = engine.fingerprint(CARD.as_bytes()).to_string();
    let evs: Vec<Value> =
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(evs.len(), 12, "{text}");
    let conn = evs[0]["conn"].as_u64().unwrap();
    for (k, e) in evs.iter().enumerate() {
        assert_eq!(e["source"], leaky_addr.as_str());
        assert_eq!(e["conn"].as_u64(), Some(conn));
        assert_eq!(e["line"].as_u64(), Some(6 + k as u64));
        assert_eq!(e["kind"], "card");
        assert_eq!(e["detector"], "card");
        assert_eq!(e["rule"], "card");
        assert_eq!(e["fingerprint"], fp.as_str());
    }
    // No line of it is anything the engine would mask.
    for l in text.lines() {
        assert_eq!(&engine.redact(l.as_bytes())[..], l.as_bytes(), "{l}");
    }
}

#[test]
fn audit_from_the_config_table_in_serve() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let cfg = dir.path().join("redact.toml");
    std::fs::write(
        &cfg,
        format!(
            "[audit]\nfile = {:?}\nalert = {{ enabled = false }}\n",
            audit
        ),
    )
    .unwrap();
    let sink = Sink::bind();
    let mut side = sink.sidecar(&["--config", cfg.to_str().unwrap()]);
    let mut c = side.connect();
    writeln!(c, "ok\nkey {TOKEN} used").unwrap();
    drop(c);
    let (lines, _down) = sink.lines(2, 10);
    assert_eq!(lines[1], format!("key {TOKEN_MASKED} used"));
    side.wait_metric("logredact_audit_events_total", 1.0, 10);
    assert!(side.terminate(15).success());
    assert!(!side.stderr().contains("leaking"));
    let text = std::fs::read_to_string(&audit).unwrap();
    let e: Value = serde_json::from_str(text.trim_end()).unwrap();
    assert_eq!(e["line"], 2);
    assert_eq!(e["kind"], "token");
    assert!(!text.contains(TOKEN));
}
