//! The `logredact` command: a thin layer over [`logredact::Filter`].

mod args;

use anyhow::Context;
use clap::Parser;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use logredact::{Config, Engine, Filter};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
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

fn run() -> anyhow::Result<ExitCode> {
    let args = args::Args::parse();
    if args.print_default_config {
        io::stdout()
            .write_all(logredact::patterns::DEFAULT_CONFIG.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    // The config is checked before any input is read.
    let engine = load_engine(args.config.as_deref(), args.format)?;
    if args.check_config {
        eprintln!("logredact: configuration ok ({} detectors)", engine.len());
        return Ok(ExitCode::SUCCESS);
    }
    let mut filter = Filter::new(engine);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut failed = false;
    let files = if args.files.is_empty() {
        vec![Path::new("-").to_path_buf()]
    } else {
        args.files.clone()
    };
    for path in &files {
        let input: Box<dyn io::Read> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
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
        if filter.ended_unterminated() {
            // Keep the last line of one file from running into the next.
            out.write_all(b"\n")?;
        }
        let res = filter.run(input, &mut out);
        if let Err(e) = res {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Err(e.into());
            }
            // A read error: name the file, go on with the next.
            out.flush()?;
            eprintln!("logredact: {}: {e}", path.display());
            failed = true;
        }
    }
    out.flush()?;
    if args.stats {
        print_stats(&filter);
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn load_engine(
    path: Option<&Path>,
    format: Option<logredact::Format>,
) -> anyhow::Result<Engine> {
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
    Ok(engine)
}

fn print_stats(filter: &Filter) {
    let s = filter.stats();
    let mut err = io::stderr().lock();
    let _ = writeln!(
        err,
        "lines {}  changed {}  bytes {}",
        s.lines, s.lines_changed, s.bytes
    );
    let rows = s.rows(filter.engine());
    for (kind, rule, n) in rows {
        let _ = writeln!(err, "{kind:<8} {rule:<28} {n}");
    }
}
