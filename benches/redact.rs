//! Throughput of the engine and the stream filter, by line shape and
//! secret density (memchr's never/rare/common buckets).
//!
//! `cargo bench --bench redact`; CI only compiles it.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::io;

use logredact::{Config, Engine, Filter, Input};

const CLEAN_PLAIN: &[&str] = &[
    "2026-11-02 09:14:03,118 INFO  [http-nio-8080-exec-4] c.e.payments.ChargeController - POST /v1/charges order_id=ord_8Hq2LmP0 amount=42.50 currency=EUR took 184ms",
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
    "Nov  2 09:14:10 web-3 sshd[4121]: Accepted publickey for deploy from 10.22.1.9 port 52144 ssh2",
    "2026-11-02 09:14:14,880 WARN  [main] c.e.http.RetryingClient - Connection Reset by peer, retrying request 0b6e3f1c-2a9d-4c7e-8b5f-1d2e3f4a5b6c (attempt 2)",
    "10.22.1.9 - - [02/Nov/2026:09:14:08 +0000] \"GET /v1/customers?limit=10 HTTP/1.1\" 200 5123 \"-\" \"okhttp/4.12.0\"",
];
const CLEAN_JSON: &[&str] = &[
    r#"{"ts":"2026-11-02T09:14:06.205Z","level":"info","msg":"charge created","charge_id":"ch_3NfR8sLq","amount":4250,"currency":"eur","duration_ms":212}"#,
    r#"{"ts":"2026-11-02T09:14:07.002Z","level":"debug","msg":"cache stats","hits":733,"misses":197,"node":"fe80::ce05:f7a0:8db9:b52d","port":24220}"#,
];
const DIRTY_PLAIN: &[&str] = &[
    "2026-11-02 09:14:03,402 WARN  [exec-4] c.e.payments.ChargeService - card declined: 4242 4242 4242 4242 (cvv=737) issuer response 51",
    "2026-11-02 09:14:04,010 DEBUG [exec-7] c.e.payments.StripeClient - using key sk_live_51Hx9QeLkJ2mN4pR7sT0vW3yZ for customer cus_Q8wErT5yU1",
    "Nov  2 09:14:11 web-3 notifier[918]: Dear Eleanor Whitfield, your refund of 18.40 EUR has been issued",
    "ts=2026-11-02T09:14:07.512Z level=info msg=\"ach debit\" routing=021000021 acct=000123456789 amount=118.20",
];
const DIRTY_JSON: &[&str] = &[
    r#"{"ts":"2026-11-02T09:14:06.205Z","level":"info","msg":"charge created","card":{"number":"5555555555554444","cvv":"123"},"amount":4250}"#,
    r#"{"ts":"2026-11-02T09:14:06.931Z","level":"error","msg":"login failed","user":"ops-bot","password":"correct-horse-battery","ip":"10.4.7.21"}"#,
];

/// About 1 MiB of lines: `dirty_every` = 0 for clean only, else one dirty
/// line every `dirty_every` lines.
fn corpus(clean: &[&str], dirty: &[&str], dirty_every: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < 1 << 20 {
        let line = if dirty_every > 0 && i % dirty_every == 0 {
            dirty[i / dirty_every % dirty.len()]
        } else {
            clean[i % clean.len()]
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
        i += 1;
    }
    out
}

fn filter(c: &mut Criterion) {
    let engine = Engine::default();
    let mut g = c.benchmark_group("filter");
    for (shape, clean, dirty) in
        [("plain", CLEAN_PLAIN, DIRTY_PLAIN), ("json", CLEAN_JSON, DIRTY_JSON)]
    {
        for (density, every) in [("clean", 0), ("rare", 20), ("dense", 1)] {
            let data = corpus(clean, dirty, every);
            g.throughput(Throughput::Bytes(data.len() as u64));
            let mut f = Filter::new(engine.clone());
            g.bench_function(format!("{shape}/{density}"), |b| {
                b.iter(|| f.run(&data[..], &mut io::sink()).unwrap())
            });
        }
    }
    g.finish();
}

fn detectors(c: &mut Criterion) {
    let data = corpus(CLEAN_PLAIN, DIRTY_PLAIN, 5);
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let mut g = c.benchmark_group("detector");
    g.throughput(Throughput::Bytes(data.len() as u64));
    for ty in ["card", "cvv", "token", "bank", "name"] {
        let cfg =
            format!("defaults = false\n[detectors.x]\ntype = \"{ty}\"\n");
        let engine = Config::from_toml(&cfg).unwrap().build().unwrap();
        let det = engine.detector(0);
        let mut out = Vec::new();
        g.bench_function(ty, |b| {
            b.iter(|| {
                for l in &lines {
                    out.clear();
                    det.find(&Input::new(l), &mut out);
                }
            })
        });
    }
    g.finish();
}

/// One JSON line, clean and with secrets, through the format-aware path.
fn json_line(c: &mut Criterion) {
    let engine = Engine::default();
    let mut out = Vec::new();
    let mut g = c.benchmark_group("json_line");
    for (name, line) in [("clean", CLEAN_JSON[0]), ("dirty", DIRTY_JSON[0])] {
        g.throughput(Throughput::Bytes(line.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                engine.redact_into(line.as_bytes(), &mut out)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, filter, detectors, json_line);
criterion_main!(benches);
