//! `logredact serve`: flags over the config's `[serve]` table, then
//! [`logredact::serve::run_until_signal`].

use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

use logredact::serve::{
    ForwardTls, Framing, ListenTls, ServeConfig, WhenFull,
};
use logredact::Config;

const AFTER_HELP: &str = "\
Examples:
  logredact serve --forward 10.0.0.5:514          loopback:5140 -> next hop
  logredact serve --listen 0.0.0.0:6514 --tls-cert c.pem --tls-key k.pem \\
      --tls-client-ca ca.pem --output /var/log/redacted.log
  logredact serve --config redact.toml --metrics 127.0.0.1:9140
  logredact serve --forward 10.0.0.5:514 --audit /var/log/logredact-audit.jsonl

Settings come from the [serve] table of --config; flags override it.
Frames: newline-terminated lines (CRLF tolerated) and RFC 6587
octet-counted frames (LEN SP <PRI>...), told apart per frame. Every frame
leaves as one redacted line ending in a newline; a frame longer than
--max-frame is redacted in windows and leaves as several lines.

Delivery: lines are kept until written into the downstream socket and
resent after a reconnect; see the README for exactly what can be lost.
SIGTERM or SIGINT: stop accepting, drain, exit 0 (1 if the deadline cut
the drain short). Exit 2 on a bad configuration.";

/// `logredact serve` flags; each overrides the same key of `[serve]`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct ServeArgs {
    /// Configuration file (TOML, or JSON): detectors as for the filter,
    /// and a [serve] table.
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// How lines are parsed (auto, plain, json, logfmt, syslog, xml).
    #[arg(long, value_name = "FORMAT")]
    format: Option<logredact::Format>,
    /// Address to listen on [default: 127.0.0.1:5140].
    #[arg(short, long, value_name = "ADDR")]
    listen: Option<String>,
    /// Forward redacted lines over TCP to HOST:PORT.
    #[arg(short, long, value_name = "HOST:PORT", conflicts_with = "output")]
    forward: Option<String>,
    /// Append redacted lines to FILE instead (`-`: standard output, the
    /// default without --forward).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Framing: auto, newline, octet-counting [default: auto].
    #[arg(long, value_name = "MODE")]
    framing: Option<Framing>,
    /// Longest frame held whole, bytes [default: 65536].
    #[arg(long, value_name = "BYTES")]
    max_frame: Option<usize>,
    /// Bytes of redacted lines buffered for the output [default: 8 MiB].
    #[arg(long, value_name = "BYTES")]
    buffer_bytes: Option<usize>,
    /// When the buffer is full: block (stop reading from clients) or
    /// drop_newest (drop and count) [default: block].
    #[arg(long, value_name = "POLICY")]
    when_full: Option<WhenFull>,
    /// Most clients at once [default: 16384].
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Seconds from SIGTERM to exit [default: 10].
    #[arg(long, value_name = "SECS")]
    shutdown_deadline: Option<f64>,
    /// Longest wait between reconnects to the downstream [default: 5].
    #[arg(long, value_name = "SECS")]
    reconnect_max: Option<f64>,
    /// Serve Prometheus /metrics and /health on ADDR.
    #[arg(long, value_name = "ADDR")]
    metrics: Option<String>,
    /// TLS on the listener: certificate chain (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS on the listener: private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Require client certificates signed by this CA (mutual TLS).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// TLS to the downstream, trusting this CA (PEM).
    #[arg(long, value_name = "FILE")]
    forward_ca: Option<PathBuf>,
    /// Name the downstream's certificate must carry [default: the host
    /// of --forward].
    #[arg(long, value_name = "NAME", requires = "forward_ca")]
    forward_server_name: Option<String>,
    /// Client certificate for a downstream that asks for one (PEM).
    #[arg(long, value_name = "FILE", requires_all = ["forward_ca", "forward_key"])]
    forward_cert: Option<PathBuf>,
    /// The client certificate's key (PEM).
    #[arg(long, value_name = "FILE", requires = "forward_cert")]
    forward_key: Option<PathBuf>,
    /// Append one JSON line per masked span to FILE (created 0600): time,
    /// peer ip:port, connection number, line number in the connection,
    /// kind, detector, rule and a fingerprint, never the secret or the
    /// line; warn on stderr when a connection starts leaking. Overrides
    /// the config's `[audit] file`.
    #[arg(long, value_name = "FILE")]
    audit: Option<PathBuf>,
}

impl ServeArgs {
    /// The `[serve]` table with the flags over it.
    fn apply(self, mut c: ServeConfig) -> ServeConfig {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { c.$f = v; } )* };
        }
        set!(listen, framing, max_frame, buffer_bytes, when_full);
        set!(max_connections, shutdown_deadline, reconnect_max);
        if self.forward.is_some() {
            c.forward = self.forward;
            c.output = None;
        }
        if self.output.is_some() {
            c.output = self.output;
            c.forward = None;
        }
        if self.metrics.is_some() {
            c.metrics = self.metrics;
        }
        if let (Some(cert), Some(key)) = (self.tls_cert, self.tls_key) {
            c.tls =
                Some(ListenTls { cert, key, client_ca: self.tls_client_ca });
        }
        if let Some(f) = self.audit {
            c.audit.get_or_insert_with(Default::default).file = Some(f);
        }
        if let Some(ca) = self.forward_ca {
            c.forward_tls = Some(ForwardTls {
                ca,
                server_name: self.forward_server_name,
                cert: self.forward_cert,
                key: self.forward_key,
            });
        }
        c
    }
}

/// Runs the sidecar until SIGTERM/SIGINT.
pub(crate) fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let path = args.config.clone();
    let mut config = match &path {
        Some(p) => Config::from_path(p)
            .with_context(|| format!("config {}", p.display()))?,
        None => Config::default(),
    };
    if let Some(f) = args.format {
        config.format = f;
    }
    let where_ = || match &path {
        Some(p) => format!("config {}", p.display()),
        None => "flags".to_string(),
    };
    let mut serve =
        ServeConfig::from_table(config.serve.as_ref()).with_context(where_)?;
    serve.audit = config.audit.clone();
    let serve = args.apply(serve);
    serve.validate().with_context(where_)?;
    // The longest frame held whole is the engine's longest line.
    let engine = serve.engine(&config).with_context(where_)?;
    let summary = logredact::serve::run_until_signal(engine, serve, |s| {
        eprintln!("logredact: listening on {}", s.local_addr());
        if let Some(m) = s.metrics_addr() {
            eprintln!("logredact: metrics on http://{m}/metrics");
        }
    })?;
    eprintln!(
        "logredact: stopped: {} lines in, {} out, {} dropped, {} undelivered",
        summary.lines_in,
        summary.lines_out,
        summary.dropped,
        summary.undelivered
    );
    if summary.audit_dropped > 0 {
        eprintln!("logredact: {} audit events dropped", summary.audit_dropped);
    }
    Ok(if summary.undelivered > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
