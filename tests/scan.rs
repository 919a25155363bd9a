//! `logredact scan` end to end: findings are exactly the lines the filter
//! changes, the JSON lines schema, the table, exit codes, gzip, the
//! progress bar only on a terminal, `--find` over raw and redacted logs
//! (default, sha256 and hmac masks), and that a sought value never
//! leaves the process.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const TOKEN: &str = "sk_live_51Qz8RtYuIoPaSdFgHjKlZx7c";
const HMAC_KEY: &str = "scan-test-hmac-key-of-at-least-32-bytes";

/// The binary, with no HMAC key from the caller's environment.
fn bin() -> Command {
    let mut c = Command::cargo_bin("logredact").unwrap();
    c.env_remove("LOGREDACT_HMAC_KEY");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(c: &mut Command) -> Run {
    let o = c.output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn records(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))
        })
        .collect()
}

/// The project's own fixtures as one log: the sample log, every table
/// case's input that runs on the default config, and a private key
/// printed over lines.
fn fixture_log() -> Vec<u8> {
    let mut log = fs::read(root().join("examples/sample.log")).unwrap();
    let mut dirs = vec![];
    for d in ["tests/data/cases", "tests/data/formats"] {
        for e in fs::read_dir(root().join(d)).unwrap() {
            dirs.push(e.unwrap().path());
        }
    }
    dirs.sort();
    for p in dirs.iter().filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let v: Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        for case in v.as_array().into_iter().flatten() {
            let Some(input) = case["input"].as_str() else { continue };
            if case.get("config").is_some() || input.contains('\n') {
                continue;
            }
            log.extend_from_slice(input.as_bytes());
            log.push(b'\n');
        }
    }
    log.extend_from_slice(
        b"2024-03-04T07:58:10Z app[1]: -----BEGIN RSA PRIVATE KEY-----\n\
          2024-03-04T07:58:11Z app[1]: MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n\
          2024-03-04T07:58:11Z app[1]: VQjlwHnKvNEWh6kU3r+QIDAQABAoIBAH8Z\n\
          2024-03-04T07:58:11Z app[1]: -----END RSA PRIVATE KEY-----\n\
          done\n",
    );
    log
}

/// Lines (from 1) that the filter changes in `path`.
fn changed_lines(path: &Path) -> BTreeSet<u64> {
    let input = fs::read(path).unwrap();
    let out = bin().arg(path).output().unwrap();
    assert!(out.status.success());
    let a: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    let b: Vec<&[u8]> = out.stdout.split(|&b| b == b'\n').collect();
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).map(|i| i as u64 + 1).collect()
}

/// Lines with findings, from `scan --format jsonl`.
fn finding_lines(path: &Path, threads: &str) -> (BTreeSet<u64>, Vec<Value>) {
    let r = run(bin()
        .args(["scan", "--format", "jsonl", "-j", threads])
        .arg(path));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let recs = records(&r.stdout);
    let lines = recs
        .iter()
        .filter(|r| r["type"] == "finding")
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    (lines, recs)
}

#[test]
fn findings_are_the_lines_the_filter_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = vec![write(dir.path(), "fixtures.log", &fixture_log())];
    let pii = root().join("../shared/corpus/pii-dev.log");
    if pii.exists() {
        paths.push(pii);
    } else {
        eprintln!("../shared/corpus/pii-dev.log absent: fixtures only");
    }
    for p in &paths {
        let changed = changed_lines(p);
        assert!(changed.len() > 50, "{}: {}", p.display(), changed.len());
        let (one, recs) = finding_lines(p, "1");
        let missing: Vec<_> = changed.difference(&one).collect();
        let extra: Vec<_> = one.difference(&changed).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?} extra {extra:?}",
            p.display()
        );
        // In input order, the same on several threads.
        let (_, recs2) = finding_lines(p, "2");
        assert_eq!(recs, recs2);
        let body: BTreeSet<u64> = recs
            .iter()
            .filter(|r| r["detector"] == "private_key_block")
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        if p.ends_with("fixtures.log") {
            // The block appended last: BEGIN, two body lines, END, done.
            let n = fixture_log().split(|&b| b == b'\n').count() as u64 - 1;
            assert!(
                body.contains(&(n - 3)) && body.contains(&(n - 2)),
                "{body:?} {n}"
            );
            assert!(!body.contains(&(n - 4)) && !body.contains(&(n - 1)));
        }
    }
}

#[test]
fn jsonl_schema() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.log",
        format!(
            "ok\nkey {TOKEN}\n{{\"password\":\"hunter2\",\"card\":\"4111 1111 1111 1111\"}}\n"
        )
        .as_bytes(),
    );
    let r = run(bin().args(["scan", "--format", "jsonl"]).arg(&p));
    assert_eq!(r.code, 1);
    let recs = records(&r.stdout);
    assert_eq!(recs.len(), 4);
    let file = p.display().to_string();
    let str_fields =
        ["type", "file", "kind", "detector", "rule", "masked", "fingerprint"];
    for f in &recs[..3] {
        let o = f.as_object().unwrap();
        let mut keys: Vec<_> = o.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "column",
                "detector",
                "file",
                "fingerprint",
                "key",
                "kind",
                "line",
                "masked",
                "rule",
                "type"
            ]
        );
        for k in str_fields {
            assert!(o[k].is_string(), "{k} in {f}");
        }
        assert!(o["line"].as_u64().unwrap() >= 1);
        assert!(o["column"].as_u64().unwrap() >= 1);
        assert!(o["key"].is_null() || o["key"].is_string());
        assert_eq!(o["file"], file.as_str());
        let fp = o["fingerprint"].as_str().unwrap();
        let hex = fp.strip_prefix("sha256:").unwrap();
        assert!(hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert_eq!(recs[0]["type"], "finding");
    assert_eq!(
        (recs[0]["line"].as_u64(), recs[0]["column"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(recs[0]["masked"], "sk_live_****Zx7c");
    assert_eq!(recs[0]["key"], Value::Null);
    assert_eq!(recs[1]["key"], "password");
    assert_eq!(recs[1]["rule"], "key_rule");
    assert_eq!(recs[2]["kind"], "card");
    assert_eq!(recs[2]["masked"], "**** **** **** 1111");
    // The summary: last, counts per kind and rule and per file.
    let s = recs[3].as_object().unwrap();
    let mut keys: Vec<_> = s.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "by_file", "by_kind", "bytes", "errors", "files", "findings",
            "lines", "mode", "type"
        ]
    );
    assert_eq!(s["type"], "summary");
    assert_eq!(s["mode"], "scan");
    assert_eq!(s["files"], 1);
    assert_eq!(s["errors"], 0);
    assert_eq!(s["lines"], 3);
    assert_eq!(s["bytes"].as_u64(), Some(fs::metadata(&p).unwrap().len()));
    assert_eq!(s["findings"], 3);
    let kinds = s["by_kind"].as_array().unwrap();
    assert_eq!(kinds.len(), 3);
    for g in kinds {
        assert!(g["kind"].is_string() && g["rule"].is_string());
        assert!(g["count"].as_u64().unwrap() >= 1);
    }
    assert_eq!(s["by_file"], serde_json::json!([{"file": file, "count": 3}]));
    // No secret anywhere in it.
    for secret in [TOKEN, "hunter2", "4111 1111 1111 1111"] {
        assert!(!r.stdout.contains(secret));
    }

    // --find: hit records, and the find summary.
    let needle = write(dir.path(), "needle", TOKEN.as_bytes());
    let r = run(bin()
        .args(["scan", "--format", "jsonl", "--find-file"])
        .arg(&needle)
        .arg(&p));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let recs = records(&r.stdout);
    assert_eq!(recs.len(), 2);
    let h = recs[0].as_object().unwrap();
    let mut keys: Vec<_> = h.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "column",
            "detector",
            "file",
            "form",
            "line",
            "match",
            "sought",
            "sought_fingerprint",
            "type"
        ]
    );
    assert_eq!(h["type"], "hit");
    assert_eq!(h["match"], "exact");
    assert_eq!(h["sought"], 1);
    assert_eq!(h["form"], Value::Null);
    assert_eq!(h["detector"], Value::Null);
    assert!(h["sought_fingerprint"].as_str().unwrap().starts_with("sha256:"));
    let s = &recs[1];
    assert_eq!(s["mode"], "find");
    assert_eq!(s["hits"], 1);
    assert_eq!(
        s["by_match"],
        serde_json::json!([{"match": "exact", "count": 1}])
    );
    assert!(s.get("findings").is_none() && s.get("by_kind").is_none());
}

#[test]
fn table_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.log",
        format!("x\nkey {TOKEN} and cvv=123\n").as_bytes(),
    );
    let r = run(bin()
        .current_dir(dir.path())
        .args(["scan", "--format", "table", "a.log"]));
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("LOCATION"), "{}", r.stdout);
    // Columns line up: each field starts where its header does.
    let col = lines[0].find("KIND").unwrap();
    let masked = lines[0].find("MASKED").unwrap();
    for l in &lines[1..3] {
        assert_eq!(&l[col - 1..col], " ", "{l}");
        assert_ne!(&l[col..col + 1], " ", "{l}");
        assert_ne!(&l[masked..masked + 1], " ", "{l}");
    }
    assert!(
        lines[1].contains(":2:5") && lines[1].contains("sk_live_****Zx7c")
    );
    assert!(lines[2].contains("cvv") && lines[2].contains("[REDACTED:cvv]"));
    assert!(r.stdout.contains("COUNT    KIND"));
    let len = fs::metadata(&p).unwrap().len();
    let last = format!(
        "2 findings in 2 lines ({len} bytes) of 1 files, 0 unreadable"
    );
    assert!(r.stdout.trim_end().ends_with(&last), "{}", r.stdout);
    assert!(
        r.stdout.contains("COUNT    FILE\n2        a.log\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(TOKEN));
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let clean =
        write(dir.path(), "clean.log", b"GET /healthz 200\nall good\n");
    let dirty = write(dir.path(), "dirty.log", b"password=hunter2\n");
    let r = run(bin().arg("scan").arg(&clean));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(records(&r.stdout).len(), 1, "only the summary");
    assert_eq!(run(bin().arg("scan").arg(&dirty)).code, 1);
    // Stdin, and `-`.
    let r = run(bin().args(["scan", "-"]).write_stdin("cvv=123\n"));
    assert_eq!(r.code, 1);
    assert_eq!(records(&r.stdout)[0]["file"], "-");
    // An unreadable file: named, the others scanned, findings kept, 2.
    let missing = dir.path().join("missing.log");
    let r = run(bin().arg("scan").arg(&dirty).arg(&missing).arg(&clean));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.log"), "{}", r.stderr);
    let recs = records(&r.stdout);
    assert_eq!(recs[0]["type"], "finding");
    assert_eq!(recs.last().unwrap()["files"], 3);
    assert_eq!(recs.last().unwrap()["errors"], 1);
    // A corrupt gzip file after good data: an error naming it.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Default::default());
    gz.write_all(&b"password=hunter2\n".repeat(2000)).unwrap();
    let mut bytes = gz.finish().unwrap();
    let n = bytes.len();
    bytes.truncate(n - 20);
    let bad = write(dir.path(), "cut.log.gz", &bytes);
    let r = run(bin().arg("scan").arg(&bad).arg(&dirty));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cut.log.gz"), "{}", r.stderr);
    let s = records(&r.stdout).pop().unwrap();
    assert_eq!(
        s["by_file"][1],
        serde_json::json!({"file": dirty.display().to_string(), "count": 1})
    );
    assert_eq!(s["by_file"][0]["file"], bad.display().to_string());
    // What was read before the damage was scanned and kept.
    assert!(s["by_file"][0]["count"].as_u64().unwrap() > 1000, "{s}");
    // A bad config: 2 before any input.
    let cfg =
        write(dir.path(), "bad.toml", b"[detectors.card]\nmask = \"nope\"\n");
    let r = run(bin().args(["scan", "--config"]).arg(&cfg).arg(&dirty));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
}

#[test]
fn gzip_by_content_multi_member() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture_log();
    let (a, b) = text.split_at(text.len() / 2);
    let mut gz = Vec::new();
    for part in [a, b] {
        let mut e =
            flate2::write::GzEncoder::new(Vec::new(), Default::default());
        e.write_all(part).unwrap();
        gz.extend(e.finish().unwrap());
    }
    // Named as plain text: found by its magic bytes.
    let zipped = write(dir.path(), "rotated.log", &gz);
    let plain = write(dir.path(), "plain.log", &text);
    let strip = |s: &str| -> Vec<Value> {
        records(s)
            .into_iter()
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("file");
                r.as_object_mut().unwrap().remove("by_file");
                r
            })
            .collect()
    };
    let z = run(bin().args(["scan", "--format", "jsonl"]).arg(&zipped));
    let p = run(bin().args(["scan", "--format", "jsonl"]).arg(&plain));
    assert_eq!(z.code, 1, "{}", z.stderr);
    assert_eq!(strip(&z.stdout), strip(&p.stdout));
}

/// `script` (util-linux, installed by `.ci/run` with bsdutils) runs a
/// command under a pseudo-terminal.
fn script() -> &'static str {
    assert!(
        Path::new("/usr/bin/script").exists(),
        "util-linux `script` is needed (apt-get install bsdutils)"
    );
    "/usr/bin/script"
}

#[test]
fn progress_bar_only_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "big.log",
        &b"GET /index.html 200 ok\npassword=x1\n".repeat(20000),
    );
    let bin = assert_cmd::cargo::cargo_bin("logredact");
    let cmd = format!("{} scan {}", bin.display(), p.display());
    let out = std::process::Command::new(script())
        .args(["-qfec", &cmd, "/dev/null"])
        .env_remove("LOGREDACT_HMAC_KEY")
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("ETA"), "no bar on a terminal: {tty}");
    assert!(tty.contains("B/s"), "{tty}");
    // A terminal gets the table.
    assert!(tty.contains("LOCATION"), "{tty}");
    // Piped: no bar, JSON lines.
    let r = run(bin_cmd().arg("scan").arg(&p));
    assert!(!r.stderr.contains("ETA") && r.stderr.is_empty(), "{}", r.stderr);
    assert!(r.stdout.starts_with("{\"type\":\"finding\""));
}

fn bin_cmd() -> Command {
    bin()
}

/// ~200 synthetic lines, and a loghub sample when ../shared has it, with
/// the token seeded into every seventh line (in varied places and
/// syntaxes); returns the log and the seeded line numbers.
fn seeded_log() -> (Vec<u8>, BTreeSet<u64>) {
    let mut lines: Vec<String> = (0..200)
        .map(|i| match i % 4 {
            0 => format!("2024-05-01T10:{:02}:00Z INFO worker {i} done in {i}ms", i % 60),
            1 => format!("{{\"level\":\"info\",\"req\":{i},\"path\":\"/v1/items/{i}\"}}"),
            2 => format!("level=warn msg=\"retry\" attempt={i} token=sk_live_51Qz8RtYuIoPaSdFgHjKlOTHER{i:02}"),
            _ => format!("GET /api/orders/{i} 200 {} bytes", i * 17),
        })
        .collect();
    let loghub = root().join("../shared/corpus/loghub/OpenSSH_2k.log");
    if let Ok(t) = fs::read_to_string(&loghub) {
        lines.extend(t.lines().take(300).map(str::to_string));
    } else {
        eprintln!("../shared/corpus/loghub absent: synthetic lines only");
    }
    let mut seeded = BTreeSet::new();
    for (k, i) in (0..lines.len()).step_by(7).enumerate() {
        let l = &mut lines[i];
        *l = match k % 4 {
            0 => format!("{l} key {TOKEN}"),
            1 => format!(
                "{{\"event\":\"charge\",\"api_key\":\"{TOKEN}\",\"n\":{k}}}"
            ),
            2 => format!("level=info msg=\"call\" token={TOKEN} n={k}"),
            _ => format!("Authorization: Bearer {TOKEN} ({l})"),
        };
        seeded.insert(i as u64 + 1);
    }
    let mut log = lines.join("\n").into_bytes();
    log.push(b'\n');
    (log, seeded)
}

#[test]
fn find_a_token_in_raw_and_redacted_logs() {
    let dir = tempfile::tempdir().unwrap();
    let (log, seeded) = seeded_log();
    let raw = write(dir.path(), "raw.log", &log);
    let needle =
        write(dir.path(), "leaked.txt", format!("{TOKEN}\n").as_bytes());
    let configs = [
        ("default", String::new(), "last4-candidate"),
        ("sha256", "[detectors.token]\ntype = \"token\"\nmask = \"sha256\"\n".to_string(), "hash"),
        (
            "hmac",
            "[detectors.token]\ntype = \"token\"\nmask = { type = \"hmac\", hash_len = 24 }\n".to_string(),
            "hash",
        ),
    ];
    for (name, cfg, kind) in configs {
        let cfg_path =
            write(dir.path(), &format!("{name}.toml"), cfg.as_bytes());
        let with = |c: &mut Command| {
            c.arg("--config").arg(&cfg_path);
            if name == "hmac" {
                c.env("LOGREDACT_HMAC_KEY", HMAC_KEY);
            }
        };
        let mut filter = bin();
        with(&mut filter);
        let out = filter.arg(&raw).output().unwrap();
        assert!(out.status.success(), "{name}");
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(TOKEN),
            "{name}"
        );
        let redacted = write(dir.path(), &format!("{name}.log"), &out.stdout);
        for (file, want) in [(&raw, "exact"), (&redacted, kind)] {
            let mut c = bin();
            c.args(["scan", "--format", "jsonl", "--find-file"]).arg(&needle);
            with(&mut c);
            let r = run(c.arg(file));
            assert_eq!(r.code, 1, "{name} {}: {}", file.display(), r.stderr);
            let hits: Vec<Value> = records(&r.stdout)
                .into_iter()
                .filter(|h| h["type"] == "hit")
                .collect();
            let lines: BTreeSet<u64> =
                hits.iter().map(|h| h["line"].as_u64().unwrap()).collect();
            assert_eq!(lines, seeded, "{name} {}", file.display());
            assert_eq!(
                hits.len(),
                seeded.len(),
                "{name}: one hit a seeded line"
            );
            for h in &hits {
                assert_eq!(h["match"], want, "{name} {}: {h}", file.display());
            }
            assert!(!r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN));
        }
    }
    // The fingerprints in scan's own findings are found too.
    let r = run(bin().args(["scan", "--format", "jsonl"]).arg(&raw));
    let findings = write(dir.path(), "findings.jsonl", r.stdout.as_bytes());
    let r = run(bin()
        .args(["scan", "--format", "jsonl", "--find-file"])
        .arg(&needle)
        .arg(&findings));
    let hits: Vec<Value> = records(&r.stdout)
        .into_iter()
        .filter(|h| h["type"] == "hit")
        .collect();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["match"] == "fingerprint"
                || h["match"] == "last4-candidate"),
        "{hits:?}"
    );
    assert_eq!(
        hits.iter().filter(|h| h["match"] == "fingerprint").count(),
        seeded.len()
    );
}

#[test]
fn find_a_card_by_its_mask() {
    let dir = tempfile::tempdir().unwrap();
    let raw = write(
        dir.path(),
        "raw.log",
        b"charge 4111 1111 1111 1111 ok\ncharge 5555555555554444 ok\nno card\npan=4111-1111-1111-1111\n",
    );
    let out = bin().arg(&raw).output().unwrap();
    let red = write(dir.path(), "red.log", &out.stdout);
    let r = run(bin()
        .args(["scan", "--format", "jsonl", "--find-env", "CARD"])
        .env("CARD", "4111111111111111")
        .arg(&raw)
        .arg(&red));
    let hits: Vec<(String, u64, String)> = records(&r.stdout)
        .into_iter()
        .filter(|h| h["type"] == "hit")
        .map(|h| {
            let f = h["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (
                f,
                h["line"].as_u64().unwrap(),
                h["match"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // Its digits however grouped are the card; masked, a candidate.
    let h = |f: &str, l, m: &str| (f.to_string(), l, m.to_string());
    assert_eq!(
        hits,
        [
            h("raw.log", 1, "exact"),
            h("raw.log", 4, "exact"),
            h("red.log", 1, "card-candidate"),
            h("red.log", 4, "card-candidate"),
        ]
    );
}

#[test]
fn the_sought_value_never_leaves_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let (log, _) = seeded_log();
    let raw = write(dir.path(), "raw.log", &log);
    let leaked = write(dir.path(), "leaked.txt", TOKEN.as_bytes());
    let mut outputs = Vec::new();
    for format in ["jsonl", "table"] {
        // Each way of giving it; none through argv.
        outputs.push(run(bin()
            .args(["scan", "--format", format, "--find", "-"])
            .arg(&raw)
            .write_stdin(TOKEN)));
        outputs.push(run(bin()
            .args(["scan", "--format", format, "--find-stdin"])
            .arg(&raw)
            .write_stdin(TOKEN)));
        outputs.push(run(bin()
            .args(["scan", "--format", format, "--find-file"])
            .arg(&leaked)
            .arg(&raw)));
        outputs.push(run(bin()
            .args(["scan", "--format", format, "--find-env", "LEAKED"])
            .env("LEAKED", TOKEN)
            .arg(&raw)));
    }
    for r in &outputs {
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    // Errors do not echo it either: a value on the command line, a
    // missing file after it, stdin asked for twice.
    let errors = [
        run(bin().args(["scan", "--find", TOKEN]).arg(&raw)),
        run(bin().args(["scan", "--find", "-", "-"]).write_stdin(TOKEN)),
        run(bin()
            .args(["scan", "--find-stdin"])
            .arg(&raw)
            .arg(dir.path().join("nope"))
            .write_stdin(TOKEN)),
        run(bin()
            .args(["scan", "--find-env", "UNSET_VAR_FOR_TEST"])
            .arg(&raw)),
        run(bin()
            .args(["scan", "--find-stdin"])
            .arg(&raw)
            .write_stdin("short")),
    ];
    assert_eq!(errors[0].code, 2);
    assert!(
        errors[0].stderr.contains("--find takes only"),
        "{}",
        errors[0].stderr
    );
    assert_eq!(errors[1].code, 2);
    assert_eq!(errors[2].code, 2);
    assert!(errors[2].stderr.contains("nope"));
    assert_eq!(errors[3].code, 2);
    assert_eq!(errors[4].code, 2);
    assert!(errors[4].stderr.contains("shorter"), "{}", errors[4].stderr);
    for r in outputs.iter().chain(&errors) {
        assert!(!r.stdout.contains(TOKEN), "{}", r.stdout);
        assert!(!r.stderr.contains(TOKEN), "{}", r.stderr);
        // Nor its secret part without the public prefix.
        assert!(
            !r.stdout.contains(&TOKEN[8..]) && !r.stderr.contains(&TOKEN[8..])
        );
    }

    // A running scan fed slowly: its command line holds no value.
    let mut child =
        std::process::Command::new(assert_cmd::cargo::cargo_bin("logredact"))
            .args(["scan", "--find", "-"])
            .arg(&raw)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&TOKEN.as_bytes()[..10]).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let cmdline = fs::read(format!("/proc/{}/cmdline", child.id())).unwrap();
    assert!(!cmdline.is_empty());
    assert!(!String::from_utf8_lossy(&cmdline).contains(&TOKEN[..10]));
    stdin.write_all(&TOKEN.as_bytes()[10..]).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(TOKEN));
}

#[test]
fn scanning_its_own_output_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = write(dir.path(), "fixtures.log", &fixture_log());
    let (log, _) = seeded_log();
    let seeded = write(dir.path(), "seeded.log", &log);
    let leaked = write(dir.path(), "leaked.txt", TOKEN.as_bytes());
    let missing = dir.path().join("missing.log");
    let mut own = String::new();
    for format in ["jsonl", "table"] {
        for r in [
            run(bin()
                .args(["scan", "--format", format])
                .arg(&fixtures)
                .arg(&missing)),
            run(bin()
                .args(["scan", "--format", format, "--find-file"])
                .arg(&leaked)
                .arg(&seeded)),
        ] {
            assert!(r.stdout.lines().count() > 10);
            own += &r.stdout;
            own += &r.stderr;
        }
    }
    let out = write(dir.path(), "own.log", own.as_bytes());
    let r = run(bin().args(["scan", "--format", "jsonl"]).arg(&out));
    let findings: Vec<Value> = records(&r.stdout)
        .into_iter()
        .filter(|f| f["type"] == "finding")
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    assert_eq!(r.code, 0);
}

#[test]
fn help_is_clear() {
    let r = run(bin().args(["scan", "--help"]));
    assert_eq!(r.code, 0);
    for want in [
        "--find-file",
        "--find-env",
        "--parse",
        "jsonl",
        "Exit status",
        "never",
    ] {
        assert!(r.stdout.contains(want), "{want}: {}", r.stdout);
    }
}
