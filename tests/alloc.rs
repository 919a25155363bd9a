//! Zero allocations per clean line: a counting global allocator around
//! the stream filter. Its own test binary, so no other test allocates on
//! its thread while it counts.

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

use counting::allocs;

/// Clean lines of the usual shapes, some of which wake a detector up
/// (digit runs, capitalised words, JSON, syslog, XML) without a secret.
const CLEAN: &[&str] = &[
    "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
    "2015-07-29 19:52:16,002 - INFO  [ProcessThread(sid:2 cport:-1)::PrepRequestProcessor@476] - Processed session termination for sessionid: 0x14ede63a5a70005",
    "Nov  2 09:14:10 web-3 sshd[4121]: Accepted publickey for deploy from 10.22.1.9 port 52144 ssh2",
    "2026-11-02 09:14:14,880 WARN  [main] c.e.http.RetryingClient - Connection Reset by peer, retrying request 0b6e3f1c-2a9d-4c7e-8b5f-1d2e3f4a5b6c (attempt 2)",
    r#"{"ts":"2026-11-02T09:14:07.002Z","level":"debug","msg":"cache stats","hits":733,"misses":197,"order_id":"4111111111111112"}"#,
    "ts=2026-11-02T09:14:08.044Z level=warn msg=\"webhook retry\" attempt=3 status=502 latency=1.82s",
    "<30>1 2026-11-02T13:08:07.333784Z edge-11 sshd 35608 - - Accepted publickey for deploy from 203.17.165.59 port 50051",
    "10.22.1.9 - - [02/Nov/2026:09:14:08 +0000] \"GET /v1/customers?limit=10 HTTP/1.1\" 200 5123 \"-\" \"okhttp/4.12.0\"",
    r#"{"tags":[{"Key":"Team","Value":"payments"},{"Key":"Env","Value":"prod"}],"value":"ok"}"#,
    "2015-07-29 19:52:16,002 - WARN [RecvWorker@762:QuorumCnxManager] - relay local@tbird-admin1 refused; shipping to Baker Street depot",
    "Nov  2 09:14:10 web-3 systemd[1]: Started getty@tty1.service - Getty on tty1.",
    // `urn:` namespaces: any `http://` URL allocates today (the token
    // detector's URL-password rule calls `Regex::captures`), XML or not.
    r#"<?xml version="1.0"?><soap:Envelope xmlns:soap="urn:schemas-xmlsoap-org:soap.v1"><soap:Body><ns2:StatusResponse xmlns:ns2="urn:gw"><OrderId>4111111111111112</OrderId><Status code="200">OK</Status><At>2026-11-02T09:14:07Z</At></ns2:StatusResponse></soap:Body></soap:Envelope>"#,
    // Encoded runs the decoding layers decode and find clean.
    "2026-11-02 09:14:14,880 INFO  cb - GET /cb?state=%7B%22page%22%3A2%2C%22sort%22%3A%22asc%22%7D&next=%2Fhome%2Fpage 200",
    "2026-11-02 09:14:14,880 INFO  cb - header eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 body eyJwYWdlIjoyLCJzb3J0IjoiYXNjIn0= seen",
    "2026-11-02 09:14:14,880 DEBUG Gateway - response: <StatusResponse><OrderId>4111111111111112</OrderId><Note>ok &amp; settled</Note></StatusResponse>",
];

#[test]
fn clean_lines_allocate_nothing() {
    let engine = logredact::Engine::default();
    let mut input = Vec::new();
    for i in 0..20_000 {
        input.extend_from_slice(CLEAN[i % CLEAN.len()].as_bytes());
        input.push(b'\n');
    }
    let mut out = Vec::with_capacity(input.len() + 1024);
    let mut filter = logredact::Filter::new(engine);
    // Warm up: buffers reach their working size.
    filter.run(&input[..], &mut out).unwrap();
    assert_eq!(out, input, "a clean line was changed");
    out.clear();
    let before = allocs();
    filter.run(&input[..], &mut out).unwrap();
    let n = allocs() - before;
    assert_eq!(out, input);
    assert_eq!(n, 0, "{n} allocations for 20,000 clean lines");
    // The counter does count.
    let before = allocs();
    let v = std::hint::black_box(vec![1u8; 10]);
    assert!(allocs() > before && v.len() == 10);
}
