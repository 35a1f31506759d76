//! `hooknorm validate`: files, folders (recursive) or stdin against the embedded
//! schemas. Schemas are compiled once per run; every input goes through the batch
//! engine (`batch.rs`): many files and long streams on all cores, in bounded
//! memory, reported in the order given.

use crate::cli::{ValidateArgs, ValidateFormat};
use hooknorm::error::ConvertError;
use hooknorm::exit::Exit;
use hooknorm::input::Source;
use hooknorm::output::{Painter, Reporter, write_failed};
use hooknorm::schema;
use hooknorm::validate::{Detail, Options, Problem, Report, Severity, validate};
use serde_json::json;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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
    /// Files whose name does not end in `.json`, `.ndjson`, `.jsonl` or `.form`.
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
                "{} without a .json, .ndjson, .jsonl or .form name",
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

#[derive(Default)]
struct Tally {
    files: usize,
    documents: usize,
    valid: usize,
    invalid: usize,
    unjudged: usize,
    /// What the folder search left out that a reader would not expect.
    skipped: Vec<String>,
    /// The worst status of the documents judged.
    exit: Exit,
}

impl Tally {
    /// Adds the document counts of `other` (files and skips are counted apart).
    fn add(&mut self, other: &Tally) {
        self.documents += other.documents;
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.unjudged += other.unjudged;
        self.exit = self.exit.worst(other.exit);
    }
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
    let judge = Judge {
        options: &options,
        format: args.format,
        painter,
        counts: std::sync::Mutex::new(Tally::default()),
    };
    let settings = hooknorm::batch::Settings {
        jobs: crate::cli::jobs(args.jobs),
        fail_fast: false,
        progress: Some("validating"),
    };
    let mut tally = Tally {
        skipped: skipped.unexpected(),
        ..Tally::default()
    };
    let mut exit = Exit::Success;
    let mut rest = targets.as_slice();
    while let Some((target, after)) = rest.split_first() {
        // A run of inputs goes through the batch engine; a folder with nothing in
        // it, or a path that cannot be read, is reported in its place.
        let sources: Vec<Source> = rest
            .iter()
            .map_while(|target| match target {
                Target::Source(source) => Some(source.clone()),
                _ => None,
            })
            .collect();
        if sources.is_empty() {
            let mut emitter = Emitter {
                out: &mut *out,
                format: args.format,
                painter,
            };
            match emitter.target(target, &mut tally) {
                Ok(status) => exit = exit.worst(status),
                Err(error) => return exit.worst(write_failed(&error, reporter)),
            }
            rest = after;
            continue;
        }
        let (batch, status) = hooknorm::batch::run(&sources, settings, &judge, &mut *out, reporter);
        tally.files += sources.len();
        exit = exit.worst(status);
        if batch.closed {
            return exit;
        }
        rest = &rest[sources.len()..];
    }
    let counts = judge
        .counts
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tally.add(&counts);
    exit = exit.worst(tally.exit);
    let mut emitter = Emitter {
        out,
        format: args.format,
        painter,
    };
    if let Err(error) = emitter
        .summary(&tally, reporter)
        .and_then(|()| emitter.out.flush())
    {
        return exit.worst(write_failed(&error, reporter));
    }
    exit
}

/// Judges each document the batch hands over, and writes what there is to say
/// of it (failures included: validate reports every input on stdout).
struct Judge<'o> {
    options: &'o Options,
    format: ValidateFormat,
    painter: Painter,
    counts: std::sync::Mutex<Tally>,
}

impl Judge<'_> {
    fn emitter<'b>(&self, out: &'b mut Vec<u8>) -> Emitter<'b, Vec<u8>> {
        Emitter {
            out,
            format: self.format,
            painter: self.painter,
        }
    }

    fn count(&self, counts: &Tally) {
        if let Ok(mut total) = self.counts.lock() {
            total.add(counts);
        }
    }
}

impl hooknorm::batch::Work for Judge<'_> {
    fn run(
        &self,
        input: &str,
        document: &hooknorm::input::Document,
        _: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        let checked = Checked {
            line: document.line,
            in_lines: document.in_lines,
            result: validate(document.text, self.options),
        };
        let mut counts = Tally::default();
        // Writing to memory cannot fail.
        counts.exit = self
            .emitter(out)
            .document(input, &checked, &mut counts)
            .unwrap_or(Exit::IoError);
        self.count(&counts);
        Ok(())
    }

    fn failure(
        &self,
        input: &str,
        line: Option<usize>,
        failed: hooknorm::batch::Failed,
        out: &mut Vec<u8>,
    ) {
        let mut counts = Tally::default();
        let mut emitter = self.emitter(out);
        // Writing to memory cannot fail; the batch counts the failure's status.
        let _ = match failed {
            hooknorm::batch::Failed::Convert(error) => {
                let checked = Checked {
                    line: line.unwrap_or(1),
                    in_lines: line.is_some(),
                    result: Err(error.clone()),
                };
                emitter.document(input, &checked, &mut counts).map(drop)
            }
            hooknorm::batch::Failed::Read(error) => {
                counts.unjudged += 1;
                emitter.unjudged(input, None, &hooknorm::output::io_reason(error))
            }
        };
        self.count(&counts);
    }

    fn reports_failures(&self) -> bool {
        true
    }
}

/// Files and folders to sources; folders are searched recursively (hidden entries
/// skipped) for `*.json`, `*.ndjson`, `*.jsonl` and `*.form`, in name order.
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
        .is_some_and(|e| e == "json" || e == "ndjson" || e == "jsonl" || e == "form")
}

struct Emitter<'o, W: Write> {
    out: &'o mut W,
    format: ValidateFormat,
    painter: Painter,
}

impl<W: Write> Emitter<'_, W> {
    /// Reports a target the batch engine is not given: an unreadable path or a
    /// folder with nothing to check; returns its exit status.
    fn target(&mut self, target: &Target, tally: &mut Tally) -> io::Result<Exit> {
        match target {
            Target::Source(_) => Ok(Exit::Success),
            Target::Unreadable(path, error) => {
                tally.files += 1;
                tally.unjudged += 1;
                let name = hooknorm::input::escape_controls(&path.display().to_string());
                self.unjudged(&name, None, &hooknorm::output::io_reason(error))?;
                Ok(Exit::of_read_error(error))
            }
            Target::Empty(folder, skipped) => {
                tally.unjudged += 1;
                self.unjudged(&folder.display().to_string(), None, &skipped.explain())?;
                Ok(Exit::NoInput)
            }
        }
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
                self.unjudged(name, line, &error.reason().to_string())?;
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
                let record = report.record(name, document.line);
                writeln!(self.out, "{record}")
            }
            ValidateFormat::Human => {
                for problem in &said_once(&report.problems) {
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
                for problem in &said_once(&report.problems) {
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

/// The problems as a person reads them: the properties one object lacks, each a
/// `required` error of the same schema at the same place, are one problem that
/// names them all and says what the schema wants (one object of another shape
/// was seven errors). Records (`--format json`) keep one per property.
fn said_once(problems: &[Problem]) -> Vec<Problem> {
    let mut said: Vec<Problem> = Vec::new();
    for problem in problems {
        let Detail::Missing(name) = &problem.detail else {
            said.push(problem.clone());
            continue;
        };
        match said.last_mut() {
            Some(last)
                if last.keyword == "required"
                    && last.pointer == problem.pointer
                    && last.schema_path == problem.schema_path =>
            {
                if let Detail::Missing(names) = &mut last.detail {
                    names.push_str(&format!(", {name:?}"));
                }
            }
            _ => {
                let mut first = problem.clone();
                first.detail = Detail::Missing(format!("{name:?}"));
                said.push(first);
            }
        }
    }
    for problem in &mut said {
        if let Detail::Missing(names) = &problem.detail
            && names.contains(", ")
        {
            problem.message = lacks_message(names, &problem.schema_path);
        }
    }
    said
}

/// "lacks 7 required properties ("a", …) — what the schema describes".
fn lacks_message(names: &str, schema_path: &str) -> String {
    let count = names.matches(", \"").count() + 1;
    let name = schema_path.split(".json").next().unwrap_or_default();
    let wanted = schema::summary(name)
        .map(|(_, description)| description)
        .filter(|description| !description.is_empty())
        .map(|description| format!(" — {description}"))
        .unwrap_or_default();
    format!("lacks {count} required properties ({names}){wanted}")
}
