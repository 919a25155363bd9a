//! The `[serve]` table of the config file, and its command-line
//! overrides: where to listen, where to send, how much to buffer, TLS.
//! All validation happens in [`ServeConfig::validate`].

use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;

/// Default listen address: loopback only, so a sidecar is not reachable
/// from the network unless asked to be.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:5140";
/// Default longest frame held whole (64 KiB); longer frames are redacted
/// in windows and leave as several lines.
pub const DEFAULT_MAX_FRAME: usize = 64 * 1024;
/// Default bytes of redacted lines held between clients and the output.
pub const DEFAULT_BUFFER_BYTES: usize = 8 << 20;
/// Default most clients served at once; more wait in the accept queue.
pub const DEFAULT_MAX_CONNECTIONS: usize = 16_384;
/// Default time from SIGTERM to exit.
pub const DEFAULT_SHUTDOWN_DEADLINE: f64 = 10.0;

/// How a connection's bytes are cut into frames.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Framing {
    /// Per frame: `LEN SP <PRI>…` is an RFC 6587 octet-counted frame,
    /// anything else a newline-terminated line (as rsyslog's imtcp does).
    #[default]
    Auto,
    /// Newline-terminated lines only (`\r\n` tolerated).
    Newline,
    /// RFC 6587 octet counting (`LEN SP MSG`); a frame without a count
    /// is read as a line.
    OctetCounting,
}

impl std::str::FromStr for Framing {
    type Err = String;
    fn from_str(s: &str) -> Result<Framing, String> {
        match s {
            "auto" => Ok(Framing::Auto),
            "newline" => Ok(Framing::Newline),
            "octet-counting" => Ok(Framing::OctetCounting),
            _ => Err("expected auto, newline or octet-counting".into()),
        }
    }
}

/// What to do with new lines when the buffer is full (as Vector's
/// buffers' `when_full`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WhenFull {
    /// Stop reading from clients until there is room: TCP backpressure,
    /// nothing is dropped.
    #[default]
    Block,
    /// Drop the lines that do not fit, and count them
    /// (`logredact_dropped_lines_total`).
    DropNewest,
}

impl std::str::FromStr for WhenFull {
    type Err = String;
    fn from_str(s: &str) -> Result<WhenFull, String> {
        match s {
            "block" => Ok(WhenFull::Block),
            "drop_newest" | "drop-newest" => Ok(WhenFull::DropNewest),
            _ => Err("expected block or drop_newest".into()),
        }
    }
}

/// TLS on the listener.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenTls {
    /// Certificate chain, PEM.
    pub cert: PathBuf,
    /// Private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// CA certificates, PEM: when set, clients must present a
    /// certificate signed by one of them (mutual TLS).
    #[serde(default)]
    pub client_ca: Option<PathBuf>,
}

/// TLS on the forward connection.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardTls {
    /// CA certificates that sign the downstream's certificate, PEM.
    pub ca: PathBuf,
    /// Name checked against the downstream's certificate (default: the
    /// host of `forward`).
    #[serde(default)]
    pub server_name: Option<String>,
    /// Client certificate chain for a downstream that asks for one, PEM.
    #[serde(default)]
    pub cert: Option<PathBuf>,
    /// The client certificate's key, PEM.
    #[serde(default)]
    pub key: Option<PathBuf>,
}

/// The sidecar's settings: the `[serve]` table, then flags over it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServeConfig {
    /// Address to listen on (default `127.0.0.1:5140`).
    #[serde(default = "default_listen")]
    pub listen: String,
    /// `HOST:PORT` to forward redacted lines to over TCP.
    #[serde(default)]
    pub forward: Option<String>,
    /// File to append redacted lines to (`-`: standard output, the
    /// default when `forward` is not set).
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// How frames are cut (default `auto`).
    #[serde(default)]
    pub framing: Framing,
    /// Longest frame held whole, in bytes (at least 4096, default 64 KiB).
    #[serde(default = "default_max_frame")]
    pub max_frame: usize,
    /// Bytes of redacted lines held between the clients and the output
    /// (default 8 MiB).
    #[serde(default = "default_buffer_bytes")]
    pub buffer_bytes: usize,
    /// What to do when the buffer is full (default `block`).
    #[serde(default)]
    pub when_full: WhenFull,
    /// Most clients served at once (default 16384).
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Seconds from SIGTERM/SIGINT to exit (default 10).
    #[serde(default = "default_shutdown_deadline")]
    pub shutdown_deadline: f64,
    /// Longest wait between two reconnects to the downstream, seconds
    /// (default 5; the first wait is 0.1 s, doubling).
    #[serde(default = "default_reconnect_max")]
    pub reconnect_max: f64,
    /// Address of the Prometheus `/metrics` and `/health` endpoint.
    #[serde(default)]
    pub metrics: Option<String>,
    /// TLS on the listener.
    #[serde(default)]
    pub tls: Option<ListenTls>,
    /// TLS on the forward connection.
    #[serde(default)]
    pub forward_tls: Option<ForwardTls>,
    /// The audit log and leak alerts: the config's top-level `[audit]`
    /// table (not a key of `[serve]`), and `--audit FILE`. On when it
    /// names a `file`.
    #[serde(skip)]
    pub audit: Option<crate::audit::AuditConfig>,
}

fn default_listen() -> String {
    DEFAULT_LISTEN.to_string()
}
fn default_max_frame() -> usize {
    DEFAULT_MAX_FRAME
}
fn default_buffer_bytes() -> usize {
    DEFAULT_BUFFER_BYTES
}
fn default_max_connections() -> usize {
    DEFAULT_MAX_CONNECTIONS
}
fn default_shutdown_deadline() -> f64 {
    DEFAULT_SHUTDOWN_DEADLINE
}
fn default_reconnect_max() -> f64 {
    5.0
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            listen: default_listen(),
            forward: None,
            output: None,
            framing: Framing::Auto,
            max_frame: DEFAULT_MAX_FRAME,
            buffer_bytes: DEFAULT_BUFFER_BYTES,
            when_full: WhenFull::Block,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            shutdown_deadline: DEFAULT_SHUTDOWN_DEADLINE,
            reconnect_max: default_reconnect_max(),
            metrics: None,
            tls: None,
            forward_tls: None,
            audit: None,
        }
    }
}

/// Where redacted lines go.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Output {
    /// Standard output.
    Stdout,
    /// A file, appended to.
    File(PathBuf),
    /// A TCP (or TLS) peer, `HOST:PORT`.
    Forward(String),
}

impl ServeConfig {
    /// Reads the `[serve]` table of a config (`None`: the defaults).
    ///
    /// # Errors
    /// An unknown key or a value of the wrong type, naming the key
    /// (`serve.when_full: unknown variant …`).
    pub fn from_table(
        table: Option<&serde_json::Value>,
    ) -> Result<ServeConfig, Error> {
        let Some(v) = table else { return Ok(ServeConfig::default()) };
        serde_path_to_error::deserialize::<_, ServeConfig>(v.clone()).map_err(
            |e| {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                let path = if path == "." { String::new() } else { path };
                Error::config(path, msg).within("serve")
            },
        )
    }

    /// Where redacted lines go.
    pub fn output(&self) -> Output {
        match (&self.forward, &self.output) {
            (Some(f), _) => Output::Forward(f.clone()),
            (None, Some(p)) if p.as_os_str() != "-" => Output::File(p.clone()),
            _ => Output::Stdout,
        }
    }

    /// Builds the engine for serving from `config`: its detectors, with
    /// `max_frame` as the longest line held whole.
    ///
    /// # Errors
    /// As [`Config::build`](crate::Config::build).
    pub fn engine(
        &self,
        config: &crate::Config,
    ) -> Result<crate::Engine, Error> {
        let mut c = config.clone();
        c.max_line_len = Some(self.max_frame);
        c.build()
    }

    /// Time from SIGTERM to exit.
    pub fn shutdown_deadline(&self) -> Duration {
        Duration::from_secs_f64(self.shutdown_deadline)
    }

    /// Checks the values that serde cannot.
    ///
    /// # Errors
    /// The first bad value, naming its key.
    pub fn validate(&self) -> Result<(), Error> {
        let bad =
            |k: &str, m: &str| Err(Error::config(format!("serve.{k}"), m));
        if self.forward.is_some() && self.output.is_some() {
            return bad("output", "set either forward or output, not both");
        }
        if let Some(f) = &self.forward {
            if host_port(f).is_none() {
                return bad("forward", "expected HOST:PORT");
            }
        }
        if self.max_frame < 4096 {
            return bad("max_frame", "must be at least 4096");
        }
        if self.buffer_bytes < 4096 || self.buffer_bytes > u32::MAX as usize {
            return bad("buffer_bytes", "must be from 4096 to 4294967295");
        }
        if self.max_connections == 0 {
            return bad("max_connections", "must be at least 1");
        }
        let secs = |v: f64| v.is_finite() && v > 0.0 && v < 86_400.0;
        if !secs(self.shutdown_deadline) {
            return bad("shutdown_deadline", "must be seconds, above 0");
        }
        if !secs(self.reconnect_max) {
            return bad("reconnect_max", "must be seconds, above 0");
        }
        if self.forward_tls.is_some() && self.forward.is_none() {
            return bad("forward_tls", "needs forward");
        }
        if let Some(a) = &self.audit {
            a.validate()?;
        }
        if let Some(t) = &self.forward_tls {
            if t.cert.is_some() != t.key.is_some() {
                return bad(
                    "forward_tls",
                    "set both cert and key, or neither",
                );
            }
        }
        Ok(())
    }
}

/// Splits `HOST:PORT` (`[::1]:514` too) into host and port.
pub(crate) fn host_port(s: &str) -> Option<(&str, u16)> {
    let (host, port) = s.rsplit_once(':')?;
    let port = port.parse().ok()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (!host.is_empty()).then_some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_with_unknown_key_names_it() {
        let v = serde_json::json!({"listen": "127.0.0.1:1", "buffr": 1});
        let e = ServeConfig::from_table(Some(&v)).unwrap_err();
        assert!(e.to_string().starts_with("serve"), "{e}");
        assert!(e.to_string().contains("buffr"), "{e}");
    }

    #[test]
    fn example_config_is_valid() {
        let c = crate::Config::from_toml(include_str!(
            "../../examples/serve/redact.toml"
        ))
        .unwrap();
        let s = ServeConfig::from_table(c.serve.as_ref()).unwrap();
        s.validate().unwrap();
        assert_eq!(s.output(), Output::Forward("127.0.0.1:6000".into()));
        assert_eq!(s.metrics.as_deref(), Some("127.0.0.1:9140"));
    }

    #[test]
    fn when_full_and_output() {
        let v = serde_json::json!({"when_full": "drop_newest",
            "forward": "[::1]:514"});
        let c = ServeConfig::from_table(Some(&v)).unwrap();
        assert_eq!(c.when_full, WhenFull::DropNewest);
        assert_eq!(c.output(), Output::Forward("[::1]:514".into()));
        assert_eq!(host_port("[::1]:514"), Some(("::1", 514)));
        c.validate().unwrap();
        let mut c = c;
        c.output = Some("x.log".into());
        assert!(c.validate().unwrap_err().to_string().contains("output"));
    }
}
