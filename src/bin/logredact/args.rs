//! Command-line arguments.

use clap::Parser;
use std::path::PathBuf;

pub(crate) use crate::scan::ScanArgs;
#[cfg(feature = "serve")]
pub(crate) use crate::serve::ServeArgs;

const AFTER_HELP: &str = "\
Examples:
  app | logredact > app.log              redact a stream
  logredact /var/log/app/*.log > out.log  redact files (stdout)
  logredact --config redact.toml --stats app.log
  logredact --explain app.log > /dev/null     # why each span was masked
  logredact --audit audit.jsonl app.log > out.log  # where secrets were
  logredact --print-default-config > redact.toml
  logredact serve --listen 127.0.0.1:5140 --forward logs.internal:514
                                          redact lines sent over TCP (see
                                          logredact serve --help)

  logredact scan /var/log/app/*.log.gz    report secrets in logs, never
                                          writing them (logredact scan --help)
  logredact scan --find-file leaked.txt /var/log/app/*
                                          where a compromised token appeared

Files literally named `serve` or `scan` are given as `./serve`, `./scan`.

Masks (per detector, in the config): last4 (****1234, keeps a public
prefix such as tok_), card (****-****-****-1111), sha256 (sha256:<hex>),
hmac (hmac:<hex>), name (John D***), email (j***@example.com), year
(1985-**-**, a date's year kept), full ([REDACTED:kind]). CVVs are
always masked in full.

Why hmac: a card or account number has few unknown digits, so a plain
sha256 of it can be reversed by trying them all. With a key (at least 32
bytes, from LOGREDACT_HMAC_KEY or [hmac] key_env / key_file in the config,
never the config itself) a sha256 mask on cards and bank accounts becomes
HMAC-SHA256, which cannot be reversed without the key.

Exit status: 0 on success (also when the reader of the output goes away),
2 on a bad config or an unreadable file (the other files are still
processed).";

/// Masks secrets (tokens, card numbers, CVVs, bank accounts, names) in
/// logs, line by line: every input line gives exactly one output line.
#[derive(Debug, Parser)]
#[command(
    name = "logredact",
    version,
    after_help = AFTER_HELP,
    args_conflicts_with_subcommands = true
)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Files to redact, in order, to standard output; `-` or none for
    /// standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// Configuration file (TOML, or JSON if it ends in .json). Without
    /// one, the shipped defaults.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// How lines are parsed: auto (per line: JSON, syslog, XML, logfmt or
    /// plain), plain, json, logfmt, syslog, xml. A line that does not
    /// parse as its format is redacted as plain text. Overrides the
    /// config.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<logredact::Format>,

    /// Worker threads: the input is cut into chunks at line boundaries,
    /// redacted in parallel and written in input order. Default: the
    /// number of cores; 1 runs fully sequentially.
    #[arg(short = 'j', long, value_name = "N")]
    pub(crate) threads: Option<usize>,

    /// Print the default configuration and exit.
    #[arg(long)]
    pub(crate) print_default_config: bool,

    /// Check the configuration and exit.
    #[arg(long)]
    pub(crate) check_config: bool,

    /// At the end, print counts of masked secrets per kind and rule to
    /// standard error.
    #[arg(long)]
    pub(crate) stats: bool,

    /// For each masked span, print to standard error the file, line, byte
    /// range, detector, rule, key and the unmasked words before it (never
    /// the secret), to tell which rule made a false positive. Reads line
    /// by line on one thread: a diagnostic, not for production volumes.
    #[arg(long)]
    pub(crate) explain: bool,

    /// Append one JSON line per masked span to FILE (created 0600): time,
    /// source file, line number, kind, detector, rule and a fingerprint
    /// of the secret, never the secret or the line. Written by a thread of
    /// its own; events that do not fit its queue are dropped and counted
    /// (--stats). Also warns on stderr when a file starts leaking a kind
    /// of secret. Overrides `[audit] file`; not with --explain.
    #[arg(long, value_name = "FILE", conflicts_with = "explain")]
    pub(crate) audit: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Run as a TCP sidecar: redact the lines that log shippers send
    /// (newline or RFC 6587 octet-counted frames, optionally over TLS)
    /// and forward them to the next hop, a file or standard output.
    #[cfg(feature = "serve")]
    Serve(Box<ServeArgs>),
    /// Scan logs for secrets and write where they are (file, line,
    /// column, kind, rule, masked form, fingerprint), never the secrets;
    /// or with --find, where a compromised value appeared, raw or masked.
    Scan(ScanArgs),
}
