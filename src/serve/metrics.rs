//! Prometheus metrics (the `prometheus-client` crate) and the HTTP
//! endpoint that serves them (`hyper`): `GET /metrics` in the OpenMetrics
//! text format, `GET /health` (200 `ok` while serving, 503 `draining`
//! after SIGTERM).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;

use crate::audit::Counters;
use crate::engine::Engine;
use crate::stream::Stats;

/// Labels of a redaction count.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Rule {
    kind: String,
    rule: String,
}

/// Everything the sidecar counts. Cheap to update from any task.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    pub(crate) lines_in: Counter,
    pub(crate) bytes_in: Counter,
    pub(crate) lines_out: Counter,
    pub(crate) bytes_out: Counter,
    redactions: Family<Rule, Counter>,
    /// The family's counters by (detector, rule) index: no label strings
    /// built per update.
    by_index: Mutex<HashMap<(u16, u16), Counter>>,
    pub(crate) connections_open: Gauge,
    pub(crate) connections: Counter,
    pub(crate) tls_failures: Counter,
    pub(crate) forward_errors: Counter,
    pub(crate) forward_reconnects: Counter,
    pub(crate) forward_connected: Gauge,
    pub(crate) buffer_bytes: Gauge,
    pub(crate) buffer_lines: Gauge,
    pub(crate) dropped_lines: Counter,
    block_lines: Counter,
    blocks_unterminated: Counter,
    /// The audit's counts, copied into the four below when scraped (the
    /// audit writer is a thread of the library, without prometheus).
    pub(crate) audit: Option<Arc<Counters>>,
    audit_events: Counter,
    audit_dropped: Counter,
    leak_alerts: Counter,
    leak_sources: Gauge,
    /// Set after SIGTERM: `/health` answers 503.
    pub(crate) draining: AtomicBool,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut m = Metrics {
            registry: Registry::with_prefix("logredact"),
            lines_in: Counter::default(),
            bytes_in: Counter::default(),
            lines_out: Counter::default(),
            bytes_out: Counter::default(),
            redactions: Family::default(),
            by_index: Mutex::new(HashMap::new()),
            connections_open: Gauge::default(),
            connections: Counter::default(),
            tls_failures: Counter::default(),
            forward_errors: Counter::default(),
            forward_reconnects: Counter::default(),
            forward_connected: Gauge::default(),
            buffer_bytes: Gauge::default(),
            buffer_lines: Gauge::default(),
            dropped_lines: Counter::default(),
            block_lines: Counter::default(),
            blocks_unterminated: Counter::default(),
            audit: None,
            audit_events: Counter::default(),
            audit_dropped: Counter::default(),
            leak_alerts: Counter::default(),
            leak_sources: Gauge::default(),
            draining: AtomicBool::new(false),
        };
        let r = &mut m.registry;
        r.register(
            "lines_in",
            "Lines (frames) read from clients",
            m.lines_in.clone(),
        );
        r.register("bytes_in", "Bytes read from clients", m.bytes_in.clone());
        r.register(
            "lines_out",
            "Redacted lines written to the output",
            m.lines_out.clone(),
        );
        r.register(
            "bytes_out",
            "Redacted bytes written to the output",
            m.bytes_out.clone(),
        );
        r.register(
            "private_key_block_lines",
            "Lines of multi-line private keys whose body was masked",
            m.block_lines.clone(),
        );
        r.register(
            "private_key_blocks_unterminated",
            "Private key blocks with no END line within the limit: \
             masking stopped there",
            m.blocks_unterminated.clone(),
        );
        r.register(
            "redactions",
            "Secrets masked, by detector kind and rule",
            m.redactions.clone(),
        );
        r.register(
            "connections_open",
            "Client connections open now",
            m.connections_open.clone(),
        );
        r.register(
            "connections",
            "Client connections accepted",
            m.connections.clone(),
        );
        r.register(
            "tls_handshake_failures",
            "Client TLS handshakes that failed (bad or missing certificate, \
             not TLS, timeout)",
            m.tls_failures.clone(),
        );
        r.register(
            "forward_errors",
            "Failed connects and writes to the downstream",
            m.forward_errors.clone(),
        );
        r.register(
            "forward_reconnects",
            "Connections to the downstream made after the first",
            m.forward_reconnects.clone(),
        );
        r.register(
            "forward_connected",
            "1 while connected to the downstream",
            m.forward_connected.clone(),
        );
        r.register(
            "buffer_bytes",
            "Bytes of redacted lines buffered, not yet written",
            m.buffer_bytes.clone(),
        );
        r.register(
            "buffer_lines",
            "Redacted lines buffered, not yet written",
            m.buffer_lines.clone(),
        );
        r.register(
            "dropped_lines",
            "Lines dropped because the buffer was full (when_full = \
             drop_newest)",
            m.dropped_lines.clone(),
        );
        r.register(
            "audit_events",
            "Redaction events written to the audit file",
            m.audit_events.clone(),
        );
        r.register(
            "audit_dropped_events",
            "Audit events dropped: the audit queue was full, or its file \
             could not be written",
            m.audit_dropped.clone(),
        );
        r.register(
            "leak_alerts",
            "Leak alerts written to standard error",
            m.leak_alerts.clone(),
        );
        r.register(
            "leak_sources",
            "Sources (connections) with a redaction within the last alert \
             window",
            m.leak_sources.clone(),
        );
        m
    }

    /// Adds a connection's counts since its last report.
    pub(crate) fn record(&self, s: &Stats, engine: &Engine) {
        self.lines_in.inc_by(s.lines);
        self.bytes_in.inc_by(s.bytes);
        self.block_lines.inc_by(s.block_lines);
        self.blocks_unterminated.inc_by(s.blocks_unterminated);
        if s.by_rule.is_empty() {
            return;
        }
        let Ok(mut by_index) = self.by_index.lock() else { return };
        for (&(d, r), &n) in &s.by_rule {
            let counter = by_index.entry((d, r)).or_insert_with(|| {
                let det = engine.detector(d as usize);
                let rule = Rule {
                    kind: det.kind().to_string(),
                    rule: det.rule_name(r).to_string(),
                };
                self.redactions.get_or_create(&rule).clone()
            });
            counter.inc_by(n);
        }
    }

    /// The metrics in the OpenMetrics text format.
    pub(crate) fn encode(&self) -> String {
        if let Some(a) = &self.audit {
            let set =
                |c: &Counter, v: u64| c.inner().store(v, Ordering::Relaxed);
            set(&self.audit_events, a.written());
            set(&self.audit_dropped, a.dropped());
            set(&self.leak_alerts, a.alerts());
            self.leak_sources.set(a.leaking_sources() as i64);
        }
        let mut s = String::with_capacity(4096);
        // Writing to a String cannot fail.
        let _ =
            prometheus_client::encoding::text::encode(&mut s, &self.registry);
        s
    }
}

/// Serves `/metrics` and `/health` on `listener` until the task is
/// dropped.
pub(crate) async fn serve_http(listener: TcpListener, metrics: Arc<Metrics>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        let m = Arc::clone(&metrics);
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let m = Arc::clone(&m);
                async move { Ok::<_, Infallible>(respond(&req, &m)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

fn respond(req: &Request<Incoming>, m: &Metrics) -> Response<Full<Bytes>> {
    let (status, ctype, body) = match (req.method(), req.uri().path()) {
        (&Method::GET, "/metrics") => (
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            m.encode(),
        ),
        (&Method::GET, "/health") => {
            if m.draining.load(Ordering::Relaxed) {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "text/plain",
                    "draining\n".into(),
                )
            } else {
                (StatusCode::OK, "text/plain", "ok\n".into())
            }
        }
        _ => (StatusCode::NOT_FOUND, "text/plain", "not found\n".into()),
    };
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = status;
    if let Ok(v) = hyper::header::HeaderValue::from_str(ctype) {
        resp.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    resp
}
