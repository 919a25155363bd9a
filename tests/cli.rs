//! The `logredact` binary end to end: framing (one output line per input
//! line, bytes kept as they are), several files, errors and exit codes,
//! configuration checks, bounded memory on a huge line, broken pipes and
//! the keyed hash.

use assert_cmd::Command;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// The binary, with no HMAC key from the caller's environment.
fn bin() -> Command {
    let mut c = Command::cargo_bin("logredact").unwrap();
    c.env_remove("LOGREDACT_HMAC_KEY");
    c
}

fn bin_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("logredact")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

/// Runs the binary over `input` on stdin; returns (status, stdout, stderr).
fn run_stdin(args: &[&str], input: &[u8]) -> (i32, Vec<u8>, String) {
    let out = bin().args(args).write_stdin(input.to_vec()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Redacts `input` from stdin with the default config; asserts success.
fn redact(input: &[u8]) -> Vec<u8> {
    let (code, out, err) = run_stdin(&[], input);
    assert_eq!(code, 0, "stderr: {err}");
    assert_eq!(err, "");
    out
}

fn count_nl(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---- framing --------------------------------------------------------

#[test]
fn stdin_to_stdout() {
    let out = redact(b"GET /healthz 200\npassword=hunter2abc ok\n");
    assert_eq!(show(&out), "GET /healthz 200\npassword=**** ok\n");
}

#[test]
fn files_in_order_and_dash_for_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.log", b"a1\ncard 4111111111111111\n");
    let b = write(dir.path(), "b.log", b"b1 password=hunter2abc\nb2\n");
    let out = bin()
        .arg(&a)
        .arg("-")
        .arg(&b)
        .write_stdin("stdin1\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        show(&out),
        "a1\ncard ************1111\nstdin1\nb1 password=****\nb2\n"
    );
}

#[test]
fn invalid_utf8_is_kept_byte_for_byte() {
    let input = b"\xff\xfe pre \xc3\x28 card 4111111111111111 \x80\xbf x\n\
                  \xed\xa0\x80 password=hunter2abc \xf8\x88\x80\x80\x80\n";
    let want = b"\xff\xfe pre \xc3\x28 card ************1111 \x80\xbf x\n\
                 \xed\xa0\x80 password=**** \xf8\x88\x80\x80\x80\n";
    assert_eq!(show(&redact(input)), show(want));
    assert_eq!(redact(input), want.to_vec());
}

#[test]
fn nul_bytes() {
    let input = b"\0\0 card 4111111111111111 \0 x\0\n\0\na\0b\n";
    let want = b"\0\0 card ************1111 \0 x\0\n\0\na\0b\n";
    assert_eq!(redact(input), want.to_vec());
    // A NUL right after a secret value: the value must still be masked.
    let out = redact(b"x password=hunter2abc\0tail\n");
    assert!(!contains(&out, b"hunter2abc"), "{:?}", show(&out));
    assert_eq!(count_nl(&out), 1);
}

#[test]
fn crlf_is_preserved() {
    let input = b"password=hunter2abc\r\nok\r\ncard 4111111111111111\r\n\r\n";
    let want = b"password=****\r\nok\r\ncard ************1111\r\n\r\n";
    assert_eq!(show(&redact(input)), show(want));
}

#[test]
fn missing_final_newline_is_not_added() {
    assert_eq!(show(&redact(b"a\nb")), "a\nb");
    assert_eq!(show(&redact(b"a\npassword=hunter2abc")), "a\npassword=****");
    assert_eq!(
        show(&redact(b"card 4111111111111111\r")),
        "card ************1111\r"
    );
    assert_eq!(redact(b""), b"");
}

#[test]
fn empty_lines() {
    let input = b"\n\n\npassword=hunter2abc\n\n\r\n\n";
    let out = redact(input);
    assert_eq!(show(&out), "\n\n\npassword=****\n\n\r\n\n");
}

#[test]
fn unterminated_file_does_not_merge_with_next() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.log", b"a1\ncard 4111111111111111");
    let b = write(dir.path(), "b.log", b"password=hunter2abc\nb2");
    let out =
        bin().arg(&a).arg(&b).assert().success().get_output().stdout.clone();
    assert_eq!(show(&out), "a1\ncard ************1111\npassword=****\nb2");
    // The same with stdin in between.
    let out = bin()
        .arg(&a)
        .arg("-")
        .arg(&b)
        .write_stdin("mid")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        show(&out),
        "a1\ncard ************1111\nmid\npassword=****\nb2"
    );
}

// ---- one huge line --------------------------------------------------

/// Peak RSS in KiB from `/usr/bin/time -v` output.
fn max_rss_kib(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|v| v.trim().parse().ok())
}

#[test]
fn fifty_megabyte_line_bounded_memory() {
    const LEN: usize = 50 * 1024 * 1024;
    let head = b"card 4111 1111 1111 1111 password=StartPass01 ";
    let mid = b" card 5555555555554444 password=MiddlePass2 ";
    let tail = b" card 378282246310005 password=EndPass0003";
    let filler = b"lorem ipsum dolor sit amet consectetur adipiscing ";
    let mut line = Vec::with_capacity(LEN + 1);
    line.extend_from_slice(head);
    while line.len() < LEN / 2 {
        line.extend_from_slice(filler);
    }
    line.extend_from_slice(mid);
    while line.len() < LEN - tail.len() {
        line.extend_from_slice(filler);
    }
    line.extend_from_slice(tail);
    line.push(b'\n');
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.log", &line);
    let size = line.len();
    drop(line);

    let time = Path::new("/usr/bin/time");
    let have_time = time.exists();
    let mut cmd = if have_time {
        let mut c = std::process::Command::new(time);
        c.arg("-v").arg(bin_path());
        c
    } else {
        std::process::Command::new(bin_path())
    };
    cmd.arg(&path).env_remove("LOGREDACT_HMAC_KEY");
    let started = std::time::Instant::now();
    let out = cmd.output().unwrap();
    let elapsed = started.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {err}");
    let o = &out.stdout;
    assert_eq!(count_nl(o), 1, "one line in, one line out");
    assert_eq!(o.last(), Some(&b'\n'));
    for secret in [
        &b"4111 1111 1111"[..],
        b"StartPass01",
        b"555555555555",
        b"MiddlePass2",
        b"37828224631",
        b"EndPass0003",
    ] {
        assert!(!contains(o, secret), "{} survived", show(secret));
    }
    assert!(o.starts_with(b"card **** **** **** 1111 password=**** "));
    assert!(
        o.ends_with(b" card ***********0005 password=****\n"),
        "{:?}",
        show(&o[o.len() - 60..])
    );
    assert!(contains(o, b" card ************4444 password=**** "));
    // Nothing else changed: the filler is all there.
    assert!(o.len() + 64 > size && o.len() < size + 64);
    if have_time {
        let rss = max_rss_kib(&err).expect("time -v reports max RSS");
        // The same binary over one short line: what the engine itself
        // costs (automata, name lists), whatever the input.
        let base = std::process::Command::new(time)
            .arg("-v")
            .arg(bin_path())
            .env_remove("LOGREDACT_HMAC_KEY")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let base = max_rss_kib(&show(&base.stderr)).unwrap();
        eprintln!(
            "50 MB line: peak RSS {rss} KiB (baseline {base} KiB on empty \
             input) for {} KiB of input, {elapsed:?}",
            size / 1024
        );
        assert!(
            (rss as usize) * 1024 < size / 2,
            "peak RSS {rss} KiB is not well below the input size"
        );
        // Buffers: at most max_line_len (1 MiB) + overlap + one read,
        // plus the output buffers.
        assert!(
            rss.saturating_sub(base) < 8 * 1024,
            "peak RSS {rss} KiB grew by more than 8 MiB over {base} KiB"
        );
    } else {
        eprintln!("/usr/bin/time not found: RSS not measured");
    }
}

/// One long line with a secret at `at`, under `max_line_len = 4096`,
/// through a file (deterministic reads) and, if `stdin`, through a pipe
/// too. Returns a description of what went wrong, if anything.
fn straddle_case(
    cfg: &Path,
    dir: &Path,
    at: usize,
    (secret, masked): (&[u8], &[u8]),
    stdin: bool,
) -> Option<String> {
    let total = at + 8192;
    let mut line = vec![b'x'; at];
    line.push(b' ');
    line.extend_from_slice(secret);
    line.push(b' ');
    line.resize(total, b'y');
    line.push(b'\n');
    let mut want = vec![b'x'; at];
    want.push(b' ');
    want.extend_from_slice(masked);
    want.push(b' ');
    want.extend_from_slice(&line[at + 2 + secret.len()..]);
    let path = write(dir, "long.log", &line);
    let mut runs = vec![(
        "file",
        bin().arg("--config").arg(cfg).arg(&path).output().unwrap(),
    )];
    if stdin {
        let out = bin()
            .arg("--config")
            .arg(cfg)
            .write_stdin(line.clone())
            .output()
            .unwrap();
        runs.push(("stdin", out));
    }
    let mut bad = Vec::new();
    for (how, out) in runs {
        if !out.status.success() || out.stdout != want {
            let o = &out.stdout;
            let leaked = contains(o, &secret[..secret.len() - 4]);
            bad.push(format!(
                "{} at {at} via {how}: status {:?}, {} bytes out \
                 (want {}), {} newlines, secret {}",
                show(secret),
                out.status.code(),
                o.len(),
                want.len(),
                count_nl(o),
                if leaked { "LEAKED" } else { "masked" },
            ));
        }
    }
    (!bad.is_empty()).then(|| bad.join("\n"))
}

/// A secret in a line longer than `max_line_len`, at offsets around the
/// places where the stream filter cuts its windows: the secret must be
/// masked and every other byte kept.
///
/// With `max_line_len = 4096` the overlap is 2048 bytes; reading a file
/// in 256 KiB blocks, windows are cut every 256 KiB - 2 KiB = 260096
/// bytes. Offsets around multiples of 4096, of the 64 KiB pipe size and
/// of 256 KiB are tried too.
#[test]
fn long_line_secret_straddling_windows() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "c.toml", b"max_line_len = 4096\n");
    let bases = [4096, 65536, 260096, 262144];
    let secrets: [(&[u8], &[u8]); 3] = [
        (b"4111111111111111", b"************1111"),
        (b"password=hunter2abc", b"password=****"),
        (b"sk_live_4eC39HqLyjWDarjtT1zdp7dc", b"sk_live_****p7dc"),
    ];
    let mut failures = Vec::new();
    for base in bases {
        for k in 1..=2 {
            for d in (-36i64..=3).step_by(3) {
                let at = ((base * k) as i64 + d) as usize;
                for s in secrets {
                    let stdin = k == 1 && base == 65536;
                    if let Some(f) =
                        straddle_case(&cfg, dir.path(), at, s, stdin)
                    {
                        failures.push(f);
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---- errors -----------------------------------------------------------

#[test]
fn missing_and_unreadable_files_exit_2_others_processed() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.log", b"a password=hunter2abc\n");
    let b = write(dir.path(), "b.log", b"b\n");
    let missing = dir.path().join("no-such-file.log");
    let sub = dir.path().join("a-directory");
    fs::create_dir(&sub).unwrap();
    let out = bin().arg(&a).arg(&missing).arg(&sub).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(show(&out.stdout), "a password=****\nb\n");
    let err = show(&out.stderr);
    assert!(err.contains("no-such-file.log"), "{err}");
    assert!(err.contains("a-directory"), "{err}");
    assert!(!err.contains("hunter2abc"));
    assert_eq!(err.lines().count(), 2, "{err}");
}

#[cfg(unix)]
#[test]
fn permission_denied_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "secret.log", b"x\n");
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&p).is_ok() {
        return; // running as root: the file is readable anyway
    }
    let b = write(dir.path(), "b.log", b"b\n");
    let out = bin().arg(&p).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(show(&out.stdout), "b\n");
    assert!(show(&out.stderr).contains("secret.log"));
}

/// A file that ends without a newline, then a missing file, then another
/// file: one newline goes between the two files' lines, not two.
#[test]
fn missing_file_after_unterminated_file_adds_no_empty_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.log", b"a1\na2");
    let b = write(dir.path(), "b.log", b"b1\n");
    let missing = dir.path().join("missing.log");
    let out = bin().arg(&a).arg(&missing).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(show(&out.stdout), "a1\na2\nb1\n");
}

/// A bad config: exit 2 before any input is read, the key path named,
/// the input never echoed.
fn bad_config(toml: &str, path: &str) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "bad.toml", toml.as_bytes());
    let (code, out, err) = run_stdin(
        &["--config", cfg.to_str().unwrap()],
        b"password=TopSecretInput9 4111111111111111\n",
    );
    assert_eq!(code, 2, "{toml}: {err}");
    assert!(out.is_empty(), "{toml}: wrote {:?}", show(&out));
    assert!(err.contains(path), "{toml}: {err:?} does not name {path}");
    assert!(!err.contains("TopSecretInput9") && !err.contains("41111111"));
    // --check-config reports the same.
    let (code, _, err2) =
        run_stdin(&["--check-config", "--config", cfg.to_str().unwrap()], b"");
    assert_eq!(code, 2);
    assert!(err2.contains(path), "{err2}");
}

#[test]
fn bad_configs_name_the_key() {
    bad_config("[detectors.x]\ntype = \"nope\"\n", "detectors.x.type");
    bad_config(
        "[detectors.x]\ntype = \"card\"\nmask = \"last5\"\n",
        "detectors.x.mask",
    );
    bad_config(
        "[detectors.card]\ntype = \"card\"\nmask = { type = \"card\", x = 1 }\n",
        "detectors.card.mask.x",
    );
    bad_config(
        "[detectors.x]\ntype = \"card\"\nbogus = 1\n",
        "detectors.x.bogus",
    );
    bad_config("colour = 1\n", "colour");
    bad_config(
        "[detectors.x]\ntype = \"regex\"\nname = \"r\"\npattern = \"((\"\n",
        "detectors.x.pattern",
    );
    bad_config("max_line_len = 10\n", "max_line_len");
    // A user's token rule is named by its index in `extra_rules`.
    bad_config(
        "[detectors.t]\ntype = \"token\"\nextra_rules = [{ name = \"v\", \
         prefixes = [\"BEGIN V\"], pattern = \"BEGIN V\", end = \"((\" }]\n",
        "detectors.t.extra_rules[0].end",
    );
    bad_config(
        "[detectors.t]\ntype = \"token\"\nextra_rules = [{ name = \"v\", \
         prefixes = [\"V\"], pattern = \"V(?P<secret>.)\", end = \";\" }]\n",
        "detectors.t.extra_rules[0].end",
    );
    bad_config(
        "[detectors.x]\ntype = \"card\"\nenabled = \"maybe\"\n",
        "detectors.x.enabled",
    );
}

#[test]
fn bad_config_does_not_read_stdin() {
    // A stdin that never ends: the process must still exit promptly.
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "bad.toml", b"[detectors.x]\ntype = \"no\"\n");
    let mut child = std::process::Command::new(bin_path())
        .arg("--config")
        .arg(&cfg)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _stdin = child.stdin.take(); // kept open, never written
    let deadline =
        std::time::Instant::now() + std::time::Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("a bad config waited for input");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(status.code(), Some(2));
}

#[test]
fn missing_config_file_exits_2() {
    let (code, out, err) =
        run_stdin(&["--config", "/nonexistent/redact.toml"], b"x\n");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("/nonexistent/redact.toml"), "{err}");
}

// ---- config and flags ---------------------------------------------------

#[test]
fn default_config_round_trips() {
    let out = bin().arg("--print-default-config").output().unwrap();
    assert!(out.status.success());
    assert!(!out.stdout.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "default.toml", &out.stdout);
    let check = bin()
        .arg("--config")
        .arg(&cfg)
        .arg("--check-config")
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", show(&check.stderr));
    assert!(check.stdout.is_empty());
    // And redacts the same as no config at all.
    let input = b"card 4111 1111 1111 1111 cvv=123 password=hunter2abc\n\
                  sk_live_4eC39HqLyjWDarjtT1zdp7dc IBAN DE89370400440532013000\n";
    let (code, with_cfg, _) =
        run_stdin(&["--config", cfg.to_str().unwrap()], input);
    assert_eq!(code, 0);
    assert_eq!(show(&with_cfg), show(&redact(input)));
    // Also as JSON detection by extension is not involved: `.toml`.
}

#[test]
fn check_config_ok() {
    let (code, out, err) = run_stdin(&["--check-config"], b"never read\n");
    assert_eq!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("ok"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "c.json",
        br#"{"max_line_len": 8192, "detectors": {"order": {"type": "regex",
            "name": "order", "pattern": "ORD-[0-9]{6}"}}}"#,
    );
    let (code, _, err) =
        run_stdin(&["--check-config", "-c", cfg.to_str().unwrap()], b"");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn stats_per_kind_on_stderr() {
    let input = b"card 4111111111111111 cvv=123\n\
                  card 5555 5555 5555 4444\nclean line\n\
                  password=hunter2abc\n";
    let (code, out, err) = run_stdin(&["--stats"], input);
    assert_eq!(code, 0);
    assert_eq!(count_nl(&out), 4);
    assert!(!show(&out).contains("lines"), "stats went to stdout");
    let row = |kind: &str| -> u64 {
        err.lines()
            .filter(|l| l.split_whitespace().next() == Some(kind))
            .map(|l| {
                l.split_whitespace().last().unwrap().parse::<u64>().unwrap()
            })
            .sum()
    };
    assert_eq!(row("card"), 2, "{err}");
    assert_eq!(row("cvv"), 1, "{err}");
    assert_eq!(row("token"), 1, "{err}");
    assert!(err.contains("lines 4"), "{err}");
    assert!(err.contains("changed 3"), "{err}");
    // Without --stats, nothing on stderr.
    assert_eq!(run_stdin(&[], input).2, "");
}

#[test]
fn explain_names_detector_rule_and_key_never_the_secret() {
    let input = b"refund for cardholder Jane Roe\n\
                  {\"user\":{\"password\":\"hunter2abc\"}}\n\
                  clean line\n\
                  charge card 4111111111111111 ok\n";
    let (code, out, err) = run_stdin(&["--explain"], input);
    assert_eq!(code, 0, "{err}");
    // The output is the filter's, a line per line.
    assert_eq!(show(&out), show(&run_stdin(&[], input).1));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("-:1: bytes 22-30 name/context_word"),
        "{err}"
    );
    assert!(lines[0].ends_with("context=\"refund for cardholder \""), "{err}");
    assert!(lines[1].starts_with("-:2: "), "{err}");
    assert!(lines[1].contains("token/key_rule"), "{err}");
    assert!(lines[1].contains("key=\"user.password\""), "{err}");
    assert!(lines[2].starts_with("-:4: bytes 12-28 card/"), "{err}");
    // Nothing masked is printed.
    for secret in ["Jane Roe", "hunter2abc", "4111111111111111"] {
        assert!(!err.contains(secret), "{secret} in {err}");
    }
}

#[test]
fn help_mentions_hmac_and_examples() {
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    let h = show(&out.stdout);
    assert!(h.to_lowercase().contains("hmac"), "{h}");
    assert!(h.contains("Examples"), "{h}");
    assert!(h.contains("LOGREDACT_HMAC_KEY"), "{h}");
}

// ---- broken pipe --------------------------------------------------------

fn many_lines() -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..400_000 {
        writeln!(v, "line {i} card 4111111111111111 password=hunter2abc")
            .unwrap();
    }
    v
}

#[test]
fn closed_stdout_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.log", &many_lines());
    let mut child = std::process::Command::new(bin_path())
        .arg(&p)
        .env_remove("LOGREDACT_HMAC_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"line 0 card ************1111"));
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stderr));
    assert_eq!(show(&out.stderr), "");
}

#[test]
fn closed_stdout_via_head() {
    if !Path::new("/bin/bash").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.log", &many_lines());
    let out = std::process::Command::new("/bin/bash")
        .arg("-c")
        .arg(r#""$0" "$1" | head -c 1000 >/dev/null; exit "${PIPESTATUS[0]}""#)
        .arg(bin_path())
        .arg(&p)
        .env_remove("LOGREDACT_HMAC_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stderr));
    assert_eq!(show(&out.stderr), "");
    // From stdin too.
    let out = std::process::Command::new("/bin/bash")
        .arg("-c")
        .arg(r#""$0" < "$1" | head -c 10 >/dev/null; exit "${PIPESTATUS[0]}""#)
        .arg(bin_path())
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", show(&out.stderr));
    assert_eq!(show(&out.stderr), "");
}

// ---- HMAC ---------------------------------------------------------------

const SHA_CARD: &str =
    "[detectors.card]\ntype = \"card\"\nmask = \"sha256\"\n";

fn hmac_run(
    key: Option<&str>,
    cfg: &Path,
    input: &[u8],
) -> (i32, String, String) {
    let mut c = bin();
    c.arg("--config").arg(cfg).write_stdin(input.to_vec());
    if let Some(k) = key {
        c.env("LOGREDACT_HMAC_KEY", k);
    }
    let out = c.output().unwrap();
    (out.status.code().unwrap_or(-1), show(&out.stdout), show(&out.stderr))
}

#[test]
fn hmac_key_turns_sha256_into_stable_hmac() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "h.toml", SHA_CARD.as_bytes());
    let key = "0123456789abcdef0123456789abcdef-k1";
    let input = b"card 4111111111111111\ncard 4111111111111111 again\n";
    let (code, a, err) = hmac_run(Some(key), &cfg, input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = a.lines().collect();
    assert_eq!(lines.len(), 2);
    let h = lines[0].strip_prefix("card hmac:").expect(&a);
    assert_eq!(h.len(), 64);
    assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(lines[1], format!("card hmac:{h} again"));
    assert!(!a.contains("41111111"));
    // Stable across runs, different under another key, not a plain hash.
    assert_eq!(hmac_run(Some(key), &cfg, input).1, a);
    let other =
        hmac_run(Some("another-key-of-at-least-32-bytes!!"), &cfg, input);
    assert_eq!(other.0, 0);
    assert_ne!(other.1, a);
    let plain = hmac_run(None, &cfg, input);
    assert_eq!(plain.0, 0);
    assert!(plain.1.starts_with("card sha256:"), "{}", plain.1);
    assert!(!plain.1.contains(h));
}

#[test]
fn short_hmac_key_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "h.toml", SHA_CARD.as_bytes());
    let key = "too-short-key-31-bytes-long-xxx";
    assert_eq!(key.len(), 31);
    let (code, out, err) =
        hmac_run(Some(key), &cfg, b"card 4111111111111111\n");
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.to_lowercase().contains("hmac"), "{err}");
    assert!(!err.contains(key), "the key is echoed: {err}");
    // Even with the default config: a bad key is a bad setup.
    let out = bin()
        .env("LOGREDACT_HMAC_KEY", "short")
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
