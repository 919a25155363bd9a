//! `logredact scan`: findings (never secrets) in logs, or with `--find`
//! the places a compromised value appeared; rendered as a table or as
//! JSON lines, with a progress bar on a terminal.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use logredact::scan::find::{self, Hit, Needles};
use logredact::scan::{self as lib, Finding};
use logredact::Engine;

const AFTER_HELP: &str = "\
Output: one record per finding (file, line, byte column, kind, detector,
rule, the masked form the filter writes, the secret's fingerprint), then
a summary per kind and rule and per file. `--format table` (the default
when standard output is a terminal) aligns them for people; `--format
jsonl` (the default otherwise) writes one JSON object a line, the last
one {\"type\":\"summary\",…} (schema in the README). The secret itself is
never written.

--find: the values to look for come from standard input (`--find -`),
a file (`--find-file FILE`, one value a line) or an environment variable
(`--find-env VAR`), never from the command line, where shell history and
`ps` would keep them. A hit is the raw value (exact), a sha256/hmac mask
of it (hash), its fingerprint (fingerprint), or its last4 or card mask
(last4-candidate, card-candidate: other values can mask the same). Only
hits are written.

Gzip is recognised by its content, whatever the file's name
(multi-member files too). A progress bar is drawn on standard error when
it is a terminal.

Examples:
  logredact scan /var/log/app/*.log.gz
  logredact scan --format jsonl app.log | jq 'select(.type==\"finding\")'
  logredact scan --find-file leaked.txt /var/log/app/*.log*
  printf '%s' \"$TOKEN\" | logredact scan --find - app.log

Exit status: 0 nothing found, 1 findings (or hits), 2 an error (a bad
config, or a file that could not be read: named on standard error, the
other files still scanned).";

/// Scan logs for secrets and write where they are, never the secrets.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct ScanArgs {
    /// Files to scan, in order; `-` or none for standard input. Gzip is
    /// read transparently.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// Configuration file (TOML, or JSON if it ends in .json), as for
    /// the filter.
    #[arg(short, long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// How input lines are parsed (the filter's --format): auto, plain,
    /// json, logfmt, syslog, xml. Overrides the config.
    #[arg(long, value_name = "FORMAT")]
    parse: Option<logredact::Format>,

    /// Output: `table` (default on a terminal) or `jsonl` (default
    /// otherwise).
    #[arg(long, value_name = "OUTPUT")]
    format: Option<Output>,

    /// Worker threads (chunks of lines scanned in parallel); output
    /// stays in input order. Default: the number of cores.
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,

    /// Look for compromised values read from standard input (`-`, the
    /// only value accepted here), one a line, instead of all findings.
    #[arg(long, value_name = "-", group = "needle")]
    find: Option<String>,

    /// The same as `--find -`.
    #[arg(long, group = "needle")]
    find_stdin: bool,

    /// Look for the compromised values in FILE, one a line.
    #[arg(long, value_name = "FILE", group = "needle")]
    find_file: Option<PathBuf>,

    /// Look for the compromised value in the environment variable VAR.
    #[arg(long, value_name = "VAR", group = "needle")]
    find_env: Option<String>,

    /// No progress bar, even on a terminal.
    #[arg(long)]
    no_progress: bool,
}

/// How findings are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Output {
    /// Aligned columns, then the summary.
    Table,
    /// One JSON object a line, then a summary object.
    Jsonl,
}

/// Runs `logredact scan`.
pub(crate) fn run(a: ScanArgs) -> anyhow::Result<ExitCode> {
    // A scan writes no audit events: its findings are its report.
    let (engine, _) = crate::load_engine(a.config.as_deref(), a.parse)?;
    let files = if a.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        a.files.clone()
    };
    let needles = match needle_source(&a, &files)? {
        Some(values) => Some(
            Needles::new(&engine, &values).context("the values to find")?,
        ),
        None => None,
    };
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let output =
        a.format.unwrap_or(if tty { Output::Table } else { Output::Jsonl });
    let progress = !a.no_progress && io::stderr().is_terminal();
    let threads = a.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    });
    let mut out = Report {
        out: io::BufWriter::with_capacity(64 * 1024, stdout.lock()),
        output,
        find: needles.is_some(),
        bar: None,
        flush_each: tty && progress,
        summary: Summary::default(),
        header: false,
    };
    for path in &files {
        let name = path.display().to_string();
        out.summary.files += 1;
        out.summary.by_file.push((name.clone(), 0));
        let r = match &needles {
            Some(n) => {
                find_file(&engine, n, path, &name, threads, progress, &mut out)
            }
            None => {
                scan_file(&engine, path, &name, threads, progress, &mut out)
            }
        };
        if let Some(bar) = out.bar.take() {
            bar.finish();
        }
        match r {
            Ok(()) => {}
            Err(Failure::Write(e)) => {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    // The reader went away (`| head`): what was found
                    // is its answer.
                    return Ok(out.status());
                }
                return Err(e).context("writing the findings");
            }
            Err(Failure::Read(e)) => {
                out.flush().context("writing the findings")?;
                // `{:#}` shows the cause, which names no secret (the
                // error is a read error, or a config's).
                eprintln!("logredact: scan: {name}: {e:#}");
                out.summary.errors += 1;
            }
        }
    }
    match out.finish() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        r => r.context("writing the findings")?,
    }
    Ok(if out.summary.errors > 0 { ExitCode::from(2) } else { out.status() })
}

/// The values to find, from where the flags say; `None` without one.
fn needle_source(
    a: &ScanArgs,
    files: &[PathBuf],
) -> anyhow::Result<Option<Vec<Vec<u8>>>> {
    let raw = if a.find_stdin || a.find.is_some() {
        if a.find.as_deref().is_some_and(|v| v != "-") {
            // Never echo it: it may be the secret itself.
            bail!(
                "--find takes only `-` (standard input): a value on the \
                 command line stays in shell history and `ps`; use \
                 --find -, --find-file FILE or --find-env VAR"
            );
        }
        if files.iter().any(|f| f.as_os_str() == "-") {
            bail!(
                "--find - reads the values from standard input: give the \
                 files to scan as arguments"
            );
        }
        let mut v = Vec::new();
        io::stdin().read_to_end(&mut v).context("reading --find -")?;
        v
    } else if let Some(p) = &a.find_file {
        std::fs::read(p)
            .with_context(|| format!("--find-file {}", p.display()))?
    } else if let Some(var) = &a.find_env {
        match std::env::var_os(var) {
            Some(v) => v.into_encoded_bytes(),
            None => bail!("--find-env: the variable {var} is not set"),
        }
    } else {
        return Ok(None);
    };
    Ok(Some(find::values(&raw)))
}

/// Why a file's scan stopped.
enum Failure {
    /// Reading it (named on standard error; the scan goes on).
    Read(anyhow::Error),
    /// Writing the output (the scan stops).
    Write(io::Error),
}

/// Opens `path` (`-`: standard input) for reading, gunzipped if it is
/// gzip; with `progress`, a bar counts the bytes read from it
/// (compressed).
fn open(
    path: &Path,
    name: &str,
    progress: bool,
    report: &mut Report<impl Write>,
) -> Result<Box<dyn Read + Send>, Failure> {
    let (raw, len): (Box<dyn Read + Send>, Option<u64>) =
        if path.as_os_str() == "-" {
            (Box::new(io::stdin()), None)
        } else {
            let f = File::open(path)
                .map_err(|e| Failure::Read(anyhow::Error::new(e)))?;
            let len = f.metadata().ok().map(|m| m.len());
            (Box::new(f), len)
        };
    let raw: Box<dyn Read + Send> = if progress {
        let bar = new_bar(name, len);
        let r = Box::new(bar.wrap_read(raw));
        report.bar = Some(bar);
        r
    } else {
        raw
    };
    lib::open(raw).map_err(|e| Failure::Read(e.into()))
}

/// A bar with bytes/s and an ETA for a file of known size, a spinner
/// with bytes/s for a stream.
fn new_bar(name: &str, len: Option<u64>) -> ProgressBar {
    let (bar, template) = match len {
        Some(n) => (
            ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
            "{prefix} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta})",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{prefix} {spinner} {bytes} ({bytes_per_sec})",
        ),
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(name.to_string());
    bar.tick();
    bar
}

fn scan_file(
    engine: &Engine,
    path: &Path,
    name: &str,
    threads: usize,
    progress: bool,
    out: &mut Report<impl Write>,
) -> Result<(), Failure> {
    let rdr = open(path, name, progress, out)?;
    let mut write_err = None;
    let r = lib::scan(engine, rdr, threads, |f| {
        out.finding(name, &f).inspect_err(|e| {
            write_err = Some(io::Error::new(e.kind(), e.to_string()));
        })
    });
    if let Some(e) = write_err {
        return Err(Failure::Write(e));
    }
    let stats = r.map_err(|e| Failure::Read(e.into()))?;
    out.summary.lines += stats.lines;
    out.summary.bytes += stats.bytes;
    Ok(())
}

fn find_file(
    engine: &Engine,
    needles: &Needles,
    path: &Path,
    name: &str,
    threads: usize,
    progress: bool,
    out: &mut Report<impl Write>,
) -> Result<(), Failure> {
    let rdr = open(path, name, progress, out)?;
    let mut write_err = None;
    let r = needles.find_in(rdr, threads, engine.max_line_len(), |h| {
        out.hit(name, needles, &h).inspect_err(|e| {
            write_err = Some(io::Error::new(e.kind(), e.to_string()));
        })
    });
    if let Some(e) = write_err {
        return Err(Failure::Write(e));
    }
    let (lines, bytes) = r.map_err(|e| Failure::Read(e.into()))?;
    out.summary.lines += lines;
    out.summary.bytes += bytes;
    Ok(())
}

/// Counts for the summary.
#[derive(Debug, Default)]
struct Summary {
    files: u64,
    errors: u64,
    lines: u64,
    bytes: u64,
    total: u64,
    /// Findings by (kind, rule), or hits by match kind (rule empty).
    by_kind: BTreeMap<(String, String), u64>,
    /// Findings or hits per file, in the order given (every file).
    by_file: Vec<(String, u64)>,
}

impl Summary {
    /// One more finding or hit, of the file scanned last.
    fn count(&mut self, kind: &str, rule: &str) {
        self.total += 1;
        *self
            .by_kind
            .entry((kind.to_string(), rule.to_string()))
            .or_default() += 1;
        if let Some((_, n)) = self.by_file.last_mut() {
            *n += 1;
        }
    }
}

/// The output: records as they come, the summary at the end.
struct Report<W: Write> {
    out: W,
    output: Output,
    find: bool,
    /// The current file's progress bar: output to the same terminal is
    /// written with it hidden.
    bar: Option<ProgressBar>,
    /// Flush each record (the output is a terminal, with a bar).
    flush_each: bool,
    summary: Summary,
    header: bool,
}

/// Table column widths: location, kind, rule, detector, masked.
const WIDTHS: &[usize] = &[28, 12, 22, 14, 26];
/// With --find: location, match, secret, detector.
const FIND_WIDTHS: &[usize] = &[28, 16, 27, 14];

/// The summary record (JSON lines); `findings`/`by_kind` when scanning,
/// `hits`/`by_match` with --find.
#[derive(Serialize)]
struct SummaryRecord {
    r#type: &'static str,
    mode: &'static str,
    files: u64,
    errors: u64,
    lines: u64,
    bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hits: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_kind: Option<Vec<Group>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_match: Option<Vec<MatchGroup>>,
    by_file: Vec<FileGroup>,
}

#[derive(Serialize)]
struct Group {
    kind: String,
    rule: String,
    count: u64,
}

#[derive(Serialize)]
struct MatchGroup {
    r#match: String,
    count: u64,
}

#[derive(Serialize)]
struct FileGroup {
    file: String,
    count: u64,
}

#[derive(Serialize)]
struct FindingRecord<'a> {
    r#type: &'static str,
    file: &'a str,
    line: u64,
    column: usize,
    kind: &'a str,
    detector: &'a str,
    rule: &'a str,
    key: Option<&'a str>,
    masked: &'a str,
    fingerprint: String,
}

#[derive(Serialize)]
struct HitRecord<'a> {
    r#type: &'static str,
    file: &'a str,
    line: u64,
    column: usize,
    r#match: &'static str,
    sought: usize,
    sought_fingerprint: String,
    detector: Option<&'a str>,
    form: Option<&'a str>,
}

impl<W: Write> Report<W> {
    fn status(&self) -> ExitCode {
        ExitCode::from(u8::from(self.summary.total > 0))
    }

    fn emit(&mut self, line: &[u8]) -> io::Result<()> {
        let (out, flush) = (&mut self.out, self.flush_each);
        let mut write = || {
            out.write_all(line)?;
            if flush {
                out.flush()?;
            }
            Ok(())
        };
        match &self.bar {
            Some(bar) if flush => bar.suspend(write),
            _ => write(),
        }
    }

    fn table_header(&mut self) -> io::Result<()> {
        if self.header || self.output != Output::Table {
            return Ok(());
        }
        self.header = true;
        let row = if self.find {
            row(
                FIND_WIDTHS,
                &["LOCATION", "MATCH", "SOUGHT", "DETECTOR", "FORM"],
            )
        } else {
            let cols = [
                "LOCATION",
                "KIND",
                "RULE",
                "DETECTOR",
                "MASKED",
                "FINGERPRINT",
            ];
            row(WIDTHS, &cols)
        };
        self.emit(row.as_bytes())
    }

    fn finding(&mut self, file: &str, f: &Finding) -> io::Result<()> {
        self.summary.count(&f.kind, &f.rule);
        self.table_header()?;
        let line = match self.output {
            Output::Jsonl => json_line(&FindingRecord {
                r#type: "finding",
                file,
                line: f.line,
                column: f.column,
                kind: &f.kind,
                detector: &f.detector,
                rule: &f.rule,
                key: f.key.as_deref(),
                masked: &f.masked,
                fingerprint: f.fingerprint.to_string(),
            }),
            Output::Table => row(
                WIDTHS,
                &[
                    &format!("{file}:{}:{}", f.line, f.column),
                    &f.kind,
                    &f.rule,
                    &f.detector,
                    &f.masked,
                    &f.fingerprint.to_string(),
                ],
            ),
        };
        self.emit(line.as_bytes())
    }

    fn hit(&mut self, file: &str, n: &Needles, h: &Hit) -> io::Result<()> {
        self.summary.count(h.kind.as_str(), "");
        self.table_header()?;
        let line = match self.output {
            Output::Jsonl => json_line(&HitRecord {
                r#type: "hit",
                file,
                line: h.line,
                column: h.column,
                r#match: h.kind.as_str(),
                sought: h.secret + 1,
                sought_fingerprint: n.fingerprint(h.secret).to_string(),
                detector: h.detector.as_deref(),
                form: h.form.as_deref(),
            }),
            Output::Table => row(
                FIND_WIDTHS,
                &[
                    &format!("{file}:{}:{}", h.line, h.column),
                    h.kind.as_str(),
                    &format!("#{} {}", h.secret + 1, n.fingerprint(h.secret)),
                    h.detector.as_deref().unwrap_or("-"),
                    h.form.as_deref().unwrap_or("(the value)"),
                ],
            ),
        };
        self.emit(line.as_bytes())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// The summary, then a flush.
    fn finish(&mut self) -> io::Result<()> {
        let s = &self.summary;
        let text = match self.output {
            Output::Jsonl => {
                let count = |((k, r), &count): (&(String, String), &u64)| {
                    Group { kind: k.clone(), rule: r.clone(), count }
                };
                let rec = SummaryRecord {
                    r#type: "summary",
                    mode: if self.find { "find" } else { "scan" },
                    files: s.files,
                    errors: s.errors,
                    lines: s.lines,
                    bytes: s.bytes,
                    findings: (!self.find).then_some(s.total),
                    hits: self.find.then_some(s.total),
                    by_kind: (!self.find)
                        .then(|| s.by_kind.iter().map(count).collect()),
                    by_match: self.find.then(|| {
                        s.by_kind
                            .iter()
                            .map(|((k, _), &count)| MatchGroup {
                                r#match: k.clone(),
                                count,
                            })
                            .collect()
                    }),
                    by_file: s
                        .by_file
                        .iter()
                        .map(|(f, count)| FileGroup {
                            file: f.clone(),
                            count: *count,
                        })
                        .collect(),
                };
                json_line(&rec)
            }
            Output::Table => {
                let mut t = String::new();
                let what = if self.find { "hits" } else { "findings" };
                if s.total > 0 {
                    let w = &[8, 16];
                    t.push('\n');
                    if self.find {
                        t += &row(w, &["COUNT", "MATCH"]);
                    } else {
                        t += &row(w, &["COUNT", "KIND", "RULE"]);
                    }
                    for ((k, r), n) in &s.by_kind {
                        t += &row(w, &[&n.to_string(), k, r]);
                    }
                    t.push('\n');
                    t += &row(w, &["COUNT", "FILE"]);
                    for (f, n) in &s.by_file {
                        t += &row(w, &[&n.to_string(), f]);
                    }
                    t.push('\n');
                }
                t += &format!(
                    "{} {what} in {} lines ({} bytes) of {} files, {} \
                     unreadable\n",
                    s.total, s.lines, s.bytes, s.files, s.errors
                );
                t
            }
        };
        self.emit(text.as_bytes())?;
        self.out.flush()
    }
}

fn json_line(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string(v).unwrap_or_default();
    s.push('\n');
    s
}

/// One table row, columns padded to `widths` (a longer value pushes the
/// rest on), the last one as it is.
fn row(widths: &[usize], cols: &[&str]) -> String {
    let mut s = String::new();
    for (i, c) in cols.iter().enumerate() {
        if i + 1 == cols.len() {
            s.push_str(c);
        } else {
            let w = widths.get(i).copied().unwrap_or(12);
            s += &format!("{c:<w$} ");
        }
    }
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s.push('\n');
    s
}
