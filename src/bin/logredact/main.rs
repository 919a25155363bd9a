//! The `logredact` command: a thin layer over [`logredact::Filter`].

mod args;
mod scan;
#[cfg(feature = "serve")]
mod serve;

use anyhow::Context;
use clap::Parser;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use logredact::audit::{Audit, AuditConfig, Source};
use logredact::{Config, Engine, Filter, Stats};

fn main() -> ExitCode {
    let args = args::Args::parse();
    match args.command {
        // A sidecar whose output is gone has lost lines: a broken pipe
        // there is an error, which the quiet exit below would hide now
        // that serve's errors carry their `io::Error` as the source.
        #[cfg(feature = "serve")]
        Some(args::Command::Serve(a)) => report(serve::run(*a), false),
        Some(args::Command::Scan(a)) => report(scan::run(a), false),
        None => report(run(args), true),
    }
}

/// The exit status of `r`, after printing its error; a broken pipe is
/// a success when `quiet_pipe` (`logredact … | head`).
fn report(r: anyhow::Result<ExitCode>, quiet_pipe: bool) -> ExitCode {
    match r {
        Ok(code) => code,
        Err(e) => {
            if quiet_pipe && is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("logredact: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The filter: redacts the files (or standard input) to standard output.
fn run(args: args::Args) -> anyhow::Result<ExitCode> {
    if args.print_default_config {
        io::stdout()
            .write_all(logredact::config::DEFAULT_CONFIG.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    // The config is checked before any input is read.
    let (engine, audit_cfg) =
        load_engine(args.config.as_deref(), args.format)?;
    if args.check_config {
        eprintln!("logredact: configuration ok ({} detectors)", engine.len());
        return Ok(ExitCode::SUCCESS);
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    });
    let stdout = io::stdout();
    let mut out = LastByte {
        // Smaller than a read (256 KiB): a run of unchanged lines that
        // long bypasses the buffer and is written from the read buffer,
        // not copied; redacted lines and short runs are gathered.
        inner: io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        last: b'\n',
    };
    let audit = start_audit(&engine, audit_cfg, args.audit.as_deref())?;
    let mut stats = Stats::default();
    let mut failed = false;
    let files = if args.files.is_empty() {
        vec![Path::new("-").to_path_buf()]
    } else {
        args.files.clone()
    };
    for path in &files {
        let input: Box<dyn io::Read + Send> = if path.as_os_str() == "-" {
            Box::new(io::stdin())
        } else {
            match File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    eprintln!("logredact: {}: {e}", path.display());
                    failed = true;
                    continue;
                }
            }
        };
        if out.last != b'\n' {
            // Keep the last line of one file from running into the next.
            out.write_all(b"\n")?;
        }
        if args.explain {
            explain(&engine, path, input, &mut out)?;
            continue;
        }
        let mut filter = Filter::new(engine.clone());
        if let Some(a) = &audit {
            filter
                .audit(Some(a.sink(Source::file(path.display().to_string()))));
        }
        match filter.run_threads(input, &mut out, threads) {
            Ok(()) => stats.merge(filter.stats()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                return Err(e.into())
            }
            Err(e) => {
                // A read error: name the file, go on with the next.
                out.flush()?;
                eprintln!("logredact: {}: {e}", path.display());
                failed = true;
            }
        }
    }
    out.flush()?;
    let report = audit.map(Audit::finish);
    if args.stats {
        print_stats(&stats, &engine);
    }
    if let Some(r) = report {
        if args.stats || r.dropped > 0 {
            eprintln!(
                "logredact: audit: {} events written, {} dropped, {} leak \
                 alerts",
                r.written, r.dropped, r.alerts
            );
        }
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

/// `--explain`: redacts `input` line by line to `out`, and says on
/// standard error why each span was masked. A line is read up to the
/// engine's longest line, the rest of it as further lines, so memory
/// stays bounded.
fn explain(
    engine: &Engine,
    path: &Path,
    input: Box<dyn io::Read + Send>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use std::io::BufRead;
    let mut r = io::BufReader::new(input);
    let mut line = Vec::new();
    let mut err = io::stderr().lock();
    let max = engine.max_line_len() as u64;
    for n in 1.. {
        line.clear();
        let got = io::Read::take(&mut r, max).read_until(b'\n', &mut line)?;
        if got == 0 {
            break;
        }
        let nl = line.last() == Some(&b'\n');
        if nl {
            line.pop();
        }
        out.write_all(&engine.redact(&line))?;
        out.write_all(b"\n")?;
        let why = engine.explain(&line);
        for i in 0..why.len() {
            writeln!(
                err,
                "{}:{n}: {}",
                path.display(),
                engine.describe(&line, &why, i)
            )?;
        }
    }
    Ok(())
}

/// A writer that remembers the last byte written, so files can be kept
/// from running into each other.
struct LastByte<W> {
    inner: W,
    last: u8,
}

impl<W: Write> Write for LastByte<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = buf[n - 1];
        }
        Ok(n)
    }

    // The filter writes a read's output as slices: passed on whole, so
    // the `BufWriter` can write them in one call without copying.
    fn write_vectored(
        &mut self,
        bufs: &[io::IoSlice<'_>],
    ) -> io::Result<usize> {
        let n = self.inner.write_vectored(bufs)?;
        let mut left = n;
        for b in bufs {
            if left <= b.len() {
                if left > 0 {
                    self.last = b[left - 1];
                }
                break;
            }
            left -= b.len();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The audit, when `--audit` or the config's `[audit] file` names a
/// file (the flag wins).
fn start_audit(
    engine: &Engine,
    cfg: Option<AuditConfig>,
    flag: Option<&Path>,
) -> anyhow::Result<Option<Audit>> {
    let mut cfg = cfg.unwrap_or_default();
    if let Some(f) = flag {
        cfg.file = Some(f.to_path_buf());
    }
    if cfg.file.is_none() {
        return Ok(None);
    }
    Ok(Some(Audit::start(engine, &cfg)?))
}

fn load_engine(
    path: Option<&Path>,
    format: Option<logredact::Format>,
) -> anyhow::Result<(Engine, Option<AuditConfig>)> {
    let mut config = match path {
        Some(p) => Config::from_path(p)
            .with_context(|| format!("config {}", p.display()))?,
        None => Config::default(),
    };
    if let Some(f) = format {
        config.format = f;
    }
    let engine = config.build().with_context(|| match path {
        Some(p) => format!("config {}", p.display()),
        None => "default config".to_string(),
    })?;
    if let Some(a) = &config.audit {
        a.validate().with_context(|| match path {
            Some(p) => format!("config {}", p.display()),
            None => "default config".to_string(),
        })?;
    }
    Ok((engine, config.audit))
}

fn print_stats(s: &Stats, engine: &Engine) {
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "lines {}  changed {}  bytes {}",
        s.lines, s.lines_changed, s.bytes
    );
    for (kind, rule, n) in s.rows(engine) {
        let _ = writeln!(err, "{kind:<8} {rule:<28} {n}");
    }
    if s.block_lines > 0 || s.blocks_unterminated > 0 {
        let _ = writeln!(
            err,
            "private key block lines {}  blocks without an END line {}",
            s.block_lines, s.blocks_unterminated
        );
    }
}
