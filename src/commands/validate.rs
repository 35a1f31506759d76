//! `hooknorm validate`: files, folders (recursive) or stdin against the embedded
//! schemas. Schemas are compiled once per run; many files are validated on all
//! cores, and reported in the order given.

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::error::ConvertError;
use crate::exit::Exit;
use crate::input::{Source, decode, documents};
use crate::output::{Painter, Reporter, write_failed};
use crate::schema;
use crate::validate::{Options, Problem, Report, Severity, validate};
use serde_json::json;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Below this many files, one thread is faster than starting workers.
const PARALLEL_FROM: usize = 16;

/// Files a worker claims (and reports) at once: one wake-up of the collector per
/// block rather than per file.
const BLOCK: usize = 32;

/// NDJSON files with at least this many lines are split across cores.
const PARALLEL_LINES_FROM: usize = 512;

/// One input path after folders are expanded.
enum Target {
    Source(Source),
    /// A path that does not exist, or a folder that cannot be read.
    Unreadable(PathBuf, io::Error),
    /// A folder given on the command line with no document to check in it: a CI
    /// job with a wrong path must not pass as "0 invalid".
    Empty(PathBuf, Skipped),
}

/// What a folder search left out, to say why.
#[derive(Debug, Default, Clone, Copy)]
struct Skipped {
    /// Files whose name does not end in `.json`, `.ndjson` or `.jsonl`.
    other_extension: usize,
    /// Entries whose name starts with a dot (files and folders).
    hidden: usize,
    /// Files and folders reached a second time, through a link.
    repeated: usize,
    /// Links to nothing.
    broken_links: usize,
    /// JSON-named entries that are no regular file (FIFOs, sockets, devices).
    not_regular: usize,
}

impl Skipped {
    fn since(self, before: Skipped) -> Skipped {
        Skipped {
            other_extension: self.other_extension - before.other_extension,
            hidden: self.hidden - before.hidden,
            repeated: self.repeated - before.repeated,
            broken_links: self.broken_links - before.broken_links,
            not_regular: self.not_regular - before.not_regular,
        }
    }

    /// What was left out that a reader would not expect: links visited once,
    /// broken links, entries that are no regular file.
    fn unexpected(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        if self.repeated > 0 {
            reasons.push(format!("{} reached again through a link", self.repeated));
        }
        if self.broken_links > 0 {
            reasons.push(format!("{} broken link(s)", self.broken_links));
        }
        if self.not_regular > 0 {
            reasons.push(format!(
                "{} not a regular file (FIFO, socket or device)",
                self.not_regular
            ));
        }
        reasons
    }

    fn explain(&self) -> String {
        let mut reasons = Vec::new();
        if self.other_extension > 0 {
            reasons.push(format!(
                "{} without a .json, .ndjson or .jsonl name",
                self.other_extension
            ));
        }
        if self.hidden > 0 {
            reasons.push(format!("{} hidden (name starting with a dot)", self.hidden));
        }
        reasons.extend(self.unexpected());
        let total = self.other_extension
            + self.hidden
            + self.repeated
            + self.broken_links
            + self.not_regular;
        match total {
            0 => "no document to check: the folder is empty".to_owned(),
            _ => format!(
                "no document to check: skipped {total} {}: {}",
                if total == 1 { "entry" } else { "entries" },
                reasons.join(", ")
            ),
        }
    }
}

/// The outcome of one document of a file.
struct Checked {
    /// The line the document starts on, and whether it is an NDJSON line.
    line: usize,
    in_lines: bool,
    result: Result<Report, ConvertError>,
}

enum FileOutcome {
    Io(io::Error),
    Documents(Vec<Checked>),
}

#[derive(Default)]
struct Tally {
    files: usize,
    documents: usize,
    valid: usize,
    invalid: usize,
    unjudged: usize,
    /// What the folder search left out that a reader would not expect.
    skipped: Vec<String>,
}

pub fn run(
    args: &ValidateArgs,
    painter: Painter,
    out: &mut impl Write,
    reporter: &Reporter,
) -> Exit {
    let schema = match args
        .schema
        .as_deref()
        .map(|name| (name, schema::canonical(name)))
    {
        None => None,
        Some((_, Some(name))) => Some(name),
        Some((name, None)) => {
            reporter.usage(&format!(
                "no schema named {name:?}; `hooknorm schema` lists them"
            ));
            return Exit::Usage;
        }
    };
    let options = Options {
        schema,
        strict: args.strict,
        ..Options::default()
    };
    let (targets, skipped) = expand(&args.paths);
    let jobs = crate::cli::jobs(args.jobs);
    let mut tally = Tally {
        skipped: skipped.unexpected(),
        ..Tally::default()
    };
    let mut exit = Exit::Success;
    let mut emitter = Emitter {
        out,
        format: args.format,
        painter,
    };
    // Streams (stdin, NDJSON, large files) go through the batch engine, a block at
    // a time; runs of other files are checked on all cores. Order is kept.
    let mut emitted = Ok(());
    let mut start = 0;
    for (index, target) in targets.iter().enumerate() {
        let Some(source) = streamed(target) else {
            continue;
        };
        emitted = emitted.and_then(|()| {
            for_each_outcome(&targets[start..index], &options, jobs, |target, outcome| {
                exit = exit.worst(emitter.file(target, outcome, &mut tally)?);
                Ok(())
            })
        });
        if emitted.is_err() {
            break;
        }
        start = index + 1;
        let status = stream(source, &options, jobs, &mut emitter, &mut tally, reporter);
        exit = exit.worst(status);
        if status == Exit::IoError {
            return exit;
        }
    }
    emitted = emitted.and_then(|()| {
        for_each_outcome(&targets[start..], &options, jobs, |target, outcome| {
            exit = exit.worst(emitter.file(target, outcome, &mut tally)?);
            Ok(())
        })
    });
    if let Err(error) = emitted
        .and_then(|()| emitter.summary(&tally, reporter))
        .and_then(|()| emitter.out.flush())
    {
        return exit.worst(write_failed(&error, reporter));
    }
    exit
}

/// Inputs at least this large are streamed rather than read whole.
const STREAM_FROM: u64 = 8 << 20;

/// The source of a target that is read as a stream: stdin, an NDJSON file, or a
/// large one. Memory then stays bounded whatever its size.
fn streamed(target: &Target) -> Option<&Source> {
    let Target::Source(source) = target else {
        return None;
    };
    let streams = match source {
        Source::Stdin => true,
        Source::File(path) => {
            crate::input::has_lines_extension(path)
                || std::fs::metadata(path).is_ok_and(|m| m.len() >= STREAM_FROM)
        }
    };
    streams.then_some(source)
}

/// Validates one stream through the batch engine; returns its exit status.
fn stream<W: Write>(
    source: &Source,
    options: &Options,
    jobs: usize,
    emitter: &mut Emitter<'_, W>,
    tally: &mut Tally,
    reporter: &Reporter,
) -> Exit {
    let work = StreamWork {
        options,
        format: emitter.format,
        painter: emitter.painter,
        counts: std::sync::Mutex::new((Tally::default(), Exit::Success)),
    };
    let settings = crate::batch::Settings {
        jobs,
        fail_fast: false,
    };
    let (batch, status) = crate::batch::run(
        std::slice::from_ref(source),
        settings,
        &work,
        &mut *emitter.out,
        reporter,
    );
    let (counts, judged) = work
        .counts
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tally.files += 1;
    tally.documents += counts.documents + batch.failed;
    tally.valid += counts.valid;
    tally.invalid += counts.invalid;
    // Lines the engine could not hand over (not UTF-8, unreadable) are reported by it.
    tally.unjudged += counts.unjudged + batch.failed;
    status.worst(judged)
}

/// Each document of a stream: judged and written in the format asked for.
struct StreamWork<'o> {
    options: &'o Options,
    format: ValidateFormat,
    painter: Painter,
    counts: std::sync::Mutex<(Tally, Exit)>,
}

impl crate::batch::Work for StreamWork<'_> {
    fn run(
        &self,
        input: &str,
        document: &crate::input::Document,
        _: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        let checked = Checked {
            line: document.line,
            in_lines: document.in_lines,
            result: validate(document.text, self.options),
        };
        let mut emitter = Emitter {
            out,
            format: self.format,
            painter: self.painter,
        };
        let mut counts = Tally::default();
        // Writing to memory cannot fail.
        let status = emitter
            .document(input, &checked, &mut counts)
            .unwrap_or(Exit::IoError);
        if let Ok(mut total) = self.counts.lock() {
            total.0.documents += counts.documents;
            total.0.valid += counts.valid;
            total.0.invalid += counts.invalid;
            total.0.unjudged += counts.unjudged;
            total.1 = total.1.worst(status);
        }
        Ok(())
    }
}

/// Files and folders to sources; folders are searched recursively (hidden entries
/// skipped) for `*.json`, `*.ndjson` and `*.jsonl`, in name order.
fn expand(paths: &[PathBuf]) -> (Vec<Target>, Skipped) {
    if paths.is_empty() {
        return (vec![Target::Source(Source::Stdin)], Skipped::default());
    }
    let mut targets = Vec::new();
    let mut walk = Walk::default();
    for path in paths {
        if path.as_os_str() == "-" {
            targets.push(Target::Source(Source::Stdin));
        } else if path.is_dir() {
            let found = targets.len();
            let before = walk.skipped;
            walk.folder(path, &mut targets);
            if targets.len() == found {
                targets.push(Target::Empty(path.clone(), walk.skipped.since(before)));
            }
        } else if path.exists() {
            targets.push(Target::Source(Source::File(path.clone())));
        } else {
            targets.push(Target::Unreadable(
                path.clone(),
                io::Error::from(io::ErrorKind::NotFound),
            ));
        }
    }
    (targets, walk.skipped)
}

/// A folder search that visits each real file and folder once, however many
/// links lead to it (a link to `.` would otherwise loop forever), and takes only
/// regular files (a FIFO named `*.json` would block the run).
#[derive(Default)]
struct Walk {
    /// (device, inode) of every folder and file taken.
    seen: std::collections::HashSet<(u64, u64)>,
    skipped: Skipped,
}

impl Walk {
    fn folder(&mut self, dir: &Path, targets: &mut Vec<Target>) {
        let Ok(metadata) = std::fs::metadata(dir) else {
            return targets.push(Target::Unreadable(
                dir.to_path_buf(),
                io::Error::from(io::ErrorKind::NotFound),
            ));
        };
        if !self.seen.insert(file_id(&metadata, dir)) {
            self.skipped.repeated += 1;
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => return targets.push(Target::Unreadable(dir.to_path_buf(), error)),
        };
        let mut found: Vec<_> = entries
            .filter_map(|entry| entry.ok())
            .filter(|entry| {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                self.skipped.hidden += usize::from(hidden);
                !hidden
            })
            .map(|entry| (entry.path(), entry))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, entry) in found {
            // The entry's own type costs no `stat`; a link is followed to its target.
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let (kind, id) = if kind.is_symlink() {
                match std::fs::metadata(&path) {
                    Ok(target) => (target.file_type(), file_id(&target, &path)),
                    Err(_) => {
                        self.skipped.broken_links += 1;
                        continue;
                    }
                }
            } else {
                (kind, entry_id(&entry, &metadata, &path))
            };
            if kind.is_dir() {
                self.folder(&path, targets);
            } else if !has_json_extension(&path) {
                self.skipped.other_extension += 1;
            } else if !kind.is_file() {
                self.skipped.not_regular += 1;
            } else if self.seen.insert(id) {
                targets.push(Target::Source(Source::File(path)));
            } else {
                self.skipped.repeated += 1;
            }
        }
    }
}

#[cfg(unix)]
fn file_id(metadata: &std::fs::Metadata, _: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

/// A directory entry's identity: its folder's device and its own inode, both
/// known without a `stat` of the entry.
#[cfg(unix)]
fn entry_id(entry: &std::fs::DirEntry, folder: &std::fs::Metadata, _: &Path) -> (u64, u64) {
    use std::os::unix::fs::{DirEntryExt, MetadataExt};
    (folder.dev(), entry.ino())
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata, path: &Path) -> (u64, u64) {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let hash = BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(canonical);
    (0, hash)
}

#[cfg(not(unix))]
fn entry_id(_: &std::fs::DirEntry, folder: &std::fs::Metadata, path: &Path) -> (u64, u64) {
    file_id(folder, path)
}

fn has_json_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "json" || e == "ndjson" || e == "jsonl")
}

fn check_source(source: &Source, options: &Options, jobs: usize) -> FileOutcome {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| match source.read_into(buffer) {
        Ok(()) => check_bytes(source, buffer, options, jobs),
        Err(error) => FileOutcome::Io(error),
    })
}

fn check_bytes(source: &Source, bytes: &[u8], options: &Options, jobs: usize) -> FileOutcome {
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(error) => {
            return FileOutcome::Documents(vec![Checked {
                line: 1,
                in_lines: false,
                result: Err(error),
            }]);
        }
    };
    let path = match source {
        Source::File(path) => Some(path.as_path()),
        Source::Stdin => None,
    };
    let documents = documents(path, text);
    let check = |document: &crate::input::Document| Checked {
        line: document.line,
        in_lines: document.in_lines,
        result: validate(document.text, options),
    };
    if jobs < 2 || documents.len() < PARALLEL_LINES_FROM {
        return FileOutcome::Documents(documents.iter().map(check).collect());
    }
    // Contiguous chunks, one per core (of at least PARALLEL_LINES_FROM / 2
    // documents each), joined back in order.
    let chunk = documents.len().div_ceil(jobs).max(PARALLEL_LINES_FROM / 2);
    let checked = std::thread::scope(|scope| {
        let handles: Vec<_> = documents
            .chunks(chunk)
            .map(|part| {
                let thread = std::thread::Builder::new()
                    .spawn_scoped(scope, move || part.iter().map(check).collect::<Vec<_>>());
                (part, thread)
            })
            .collect();
        // A chunk whose thread the system refused, or that died starting (no
        // memory for its signal stack), is checked here: no document is lost.
        handles
            .into_iter()
            .flat_map(|(part, thread)| match thread.map(|t| t.join()) {
                Ok(Ok(checked)) => checked,
                _ => part.iter().map(check).collect(),
            })
            .collect()
    });
    FileOutcome::Documents(checked)
}

/// Checks every target, on `jobs` threads when there are enough, and hands each
/// outcome to `each` in the order of `targets`.
fn for_each_outcome(
    targets: &[Target],
    options: &Options,
    jobs: usize,
    mut each: impl FnMut(&Target, FileOutcome) -> io::Result<()>,
) -> io::Result<()> {
    let lines_jobs = if targets.len() < PARALLEL_FROM {
        jobs
    } else {
        1
    };
    let outcome_of = |target: &Target| match target {
        Target::Source(source) => check_source(source, options, lines_jobs),
        Target::Unreadable(_, error) => {
            FileOutcome::Io(io::Error::new(error.kind(), error.to_string()))
        }
        Target::Empty(..) => FileOutcome::Documents(Vec::new()),
    };
    let mut progress = Progress::new(targets.len());
    if jobs < 2 || targets.len() < PARALLEL_FROM {
        for (index, target) in targets.iter().enumerate() {
            each(target, outcome_of(target))?;
            progress.show(index + 1);
        }
        progress.clear();
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Vec<FileOutcome>)>(jobs * 4);
    std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..jobs.min(targets.len().div_ceil(BLOCK)) {
            let sender = sender.clone();
            let (next, outcome_of) = (&next, &outcome_of);
            // A thread the system refuses is one worker fewer (see below).
            let worker = std::thread::Builder::new().spawn_scoped(scope, move || {
                loop {
                    let start = next.fetch_add(BLOCK, Ordering::Relaxed);
                    let block = targets
                        .get(start..(start + BLOCK).min(targets.len()))
                        .unwrap_or_default();
                    if block.is_empty()
                        || sender
                            .send((start, block.iter().map(outcome_of).collect()))
                            .is_err()
                    {
                        break;
                    }
                }
            });
            workers.extend(worker);
        }
        drop(sender);
        let handed = hand_on(receiver, targets, &mut each, &next, &mut progress);
        // A worker that died starting (no memory for its signal stack) is joined
        // here, so its panic does not end the run; what it left is done below.
        for worker in workers {
            let _ = worker.join();
        }
        // What no worker took, when the system refused every thread: here, in order.
        for (index, target) in targets.iter().enumerate().skip(handed?) {
            each(target, outcome_of(target))?;
            progress.show(index + 1);
        }
        progress.clear();
        Ok(())
    })
}

/// Hands each outcome on in the order of `targets` as blocks arrive in any
/// order; returns how many were handed on.
fn hand_on(
    receiver: std::sync::mpsc::Receiver<(usize, Vec<FileOutcome>)>,
    targets: &[Target],
    each: &mut impl FnMut(&Target, FileOutcome) -> io::Result<()>,
    next: &AtomicUsize,
    progress: &mut Progress,
) -> io::Result<usize> {
    let mut pending = std::collections::BTreeMap::new();
    let mut handed = 0;
    for (start, outcomes) in receiver.iter() {
        pending.extend((start..).zip(outcomes));
        while let Some(outcome) = pending.remove(&handed) {
            if let Err(error) = each(&targets[handed], outcome) {
                next.store(targets.len(), Ordering::Relaxed);
                return Err(error);
            }
            handed += 1;
            progress.show(handed);
        }
    }
    Ok(handed)
}

/// A progress line on stderr, for long runs on a terminal only.
struct Progress {
    total: usize,
    enabled: bool,
    started: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let now = Instant::now();
        Progress {
            total,
            enabled: total > 1 && io::stderr().is_terminal(),
            started: now,
            last: now,
            shown: false,
        }
    }

    fn show(&mut self, done: usize) {
        if !self.enabled
            || self.started.elapsed() < Duration::from_millis(500)
            || self.last.elapsed() < Duration::from_millis(100)
        {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        eprint!("\rvalidating: {done}/{} files", self.total);
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

struct Emitter<'o, W: Write> {
    out: &'o mut W,
    format: ValidateFormat,
    painter: Painter,
}

impl<W: Write> Emitter<'_, W> {
    /// Writes what there is to say about one file; returns its exit status.
    fn file(
        &mut self,
        target: &Target,
        outcome: FileOutcome,
        tally: &mut Tally,
    ) -> io::Result<Exit> {
        let name = match target {
            Target::Source(source) => source.name(),
            Target::Unreadable(path, _) => path.display().to_string(),
            Target::Empty(folder, skipped) => {
                tally.unjudged += 1;
                self.unjudged(&folder.display().to_string(), None, &skipped.explain())?;
                return Ok(Exit::NoInput);
            }
        };
        tally.files += 1;
        let checked = match outcome {
            FileOutcome::Io(error) => {
                let status = Exit::of_read_error(&error);
                let reason = crate::output::io_reason(&error);
                tally.unjudged += 1;
                self.unjudged(&name, None, &reason)?;
                return Ok(status);
            }
            FileOutcome::Documents(checked) => checked,
        };
        let mut status = Exit::Success;
        for document in checked {
            status = status.worst(self.document(&name, &document, tally)?);
        }
        Ok(status)
    }

    /// Writes what there is to say about one document; returns its exit status.
    fn document(&mut self, name: &str, document: &Checked, tally: &mut Tally) -> io::Result<Exit> {
        tally.documents += 1;
        match &document.result {
            Ok(report) => {
                self.report(name, document, report)?;
                if report.is_valid() {
                    tally.valid += 1;
                    Ok(Exit::Success)
                } else {
                    tally.invalid += 1;
                    Ok(Exit::Failed)
                }
            }
            Err(error) => {
                tally.unjudged += 1;
                let line = match error.position {
                    Some((line, column)) => Some((document.line + line - 1, column)),
                    None => document.in_lines.then_some((document.line, 1)),
                };
                let mut message = error.clone();
                message.position = None;
                self.unjudged(name, line, &message.to_string())?;
                Ok(error.exit())
            }
        }
    }

    fn position(document: &Checked, problem: &Problem) -> Option<(usize, usize)> {
        problem
            .position
            .map(|(line, column)| (document.line + line - 1, column))
    }

    fn report(&mut self, name: &str, document: &Checked, report: &Report) -> io::Result<()> {
        match self.format {
            ValidateFormat::Json => {
                let problems = |severity: Severity| -> Vec<serde_json::Value> {
                    report
                        .problems
                        .iter()
                        .filter(|p| p.severity == severity)
                        .map(|p| {
                            let (line, column) = Self::position(document, p).map_or((None, None), |(l, c)| (Some(l), Some(c)));
                            json!({
                                "pointer": p.pointer, "line": line, "column": column, "message": p.message,
                                "found": p.found, "keyword": p.keyword, "schema_path": p.schema_path,
                            })
                        })
                        .collect()
                };
                let record = json!({
                    "file": name, "line": document.line, "valid": report.is_valid(), "schema": report.schema,
                    "converted_from": report.converted_from, "errors": problems(Severity::Error),
                    "warnings": problems(Severity::Warning), "unreadable": null,
                });
                writeln!(self.out, "{record}")
            }
            ValidateFormat::Human => {
                for problem in &report.problems {
                    let location = match Self::position(document, problem) {
                        Some((line, column)) => format!("{name}:{line}:{column}"),
                        None if document.in_lines => format!("{name}:{}", document.line),
                        None => name.to_owned(),
                    };
                    let severity = match problem.severity {
                        Severity::Error => self.painter.error("error"),
                        Severity::Warning => self.painter.warning("warning"),
                    };
                    let converted = match report.converted_from {
                        Some(provider) => {
                            format!(" (in the event converted from this {provider} body)")
                        }
                        None => String::new(),
                    };
                    writeln!(
                        self.out,
                        "{}: {severity}: {}{converted}: {} {}",
                        self.painter.strong(&location),
                        self.painter.strong(if problem.pointer.is_empty() {
                            "/"
                        } else {
                            &problem.pointer
                        }),
                        problem.message,
                        self.painter
                            .dim(&format!("[{} at {}]", problem.keyword, problem.schema_path)),
                    )?;
                }
                Ok(())
            }
            ValidateFormat::Github => {
                for problem in &report.problems {
                    let (line, column) =
                        Self::position(document, problem).unwrap_or((document.line, 1));
                    let level = match problem.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    writeln!(
                        self.out,
                        "::{level} file={},line={line},col={column},title={}::{}",
                        github_property(name),
                        github_property(&format!("hooknorm validate: {}", problem.keyword)),
                        github_message(&format!(
                            "{}: {} [{}]",
                            problem.pointer, problem.message, problem.schema_path
                        )),
                    )?;
                }
                Ok(())
            }
        }
    }

    fn unjudged(
        &mut self,
        name: &str,
        position: Option<(usize, usize)>,
        reason: &str,
    ) -> io::Result<()> {
        match self.format {
            ValidateFormat::Json => {
                let record = json!({
                    "file": name, "line": position.map(|p| p.0), "valid": false, "schema": null, "converted_from": null,
                    "errors": [], "warnings": [], "unreadable": reason,
                });
                writeln!(self.out, "{record}")
            }
            ValidateFormat::Human => {
                let location = match position {
                    Some((line, column)) => format!("{name}:{line}:{column}"),
                    None => name.to_owned(),
                };
                writeln!(
                    self.out,
                    "{}: {}: {reason}",
                    self.painter.strong(&location),
                    self.painter.error("error")
                )
            }
            ValidateFormat::Github => {
                let (line, column) = position.unwrap_or((1, 1));
                writeln!(
                    self.out,
                    "::error file={},line={line},col={column},title=hooknorm validate::{}",
                    github_property(name),
                    github_message(reason)
                )
            }
        }
    }

    fn summary(&mut self, tally: &Tally, reporter: &Reporter) -> io::Result<()> {
        let mut line = format!(
            "{} valid, {} invalid ({} {}, {} {})",
            tally.valid,
            tally.invalid,
            tally.files,
            if tally.files == 1 { "file" } else { "files" },
            tally.documents,
            if tally.documents == 1 {
                "document"
            } else {
                "documents"
            },
        );
        if tally.unjudged > 0 {
            line.push_str(&format!(
                "; {} could not be read or converted",
                tally.unjudged
            ));
        }
        if !tally.skipped.is_empty() {
            line.push_str(&format!("; skipped {}", tally.skipped.join(", ")));
        }
        match self.format {
            ValidateFormat::Json => {
                reporter.line(&line);
                Ok(())
            }
            _ => writeln!(self.out, "{line}"),
        }
    }
}

/// GitHub annotation properties escape `%`, CR, LF, `:` and `,`.
fn github_property(text: &str) -> String {
    github_message(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub annotation messages escape `%`, CR and LF.
fn github_message(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}
