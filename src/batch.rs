//! Batches: every document of every input through one function, in input order,
//! in bounded memory, on one thread or several.
//!
//! A single JSON document (a pretty file) is read whole; an NDJSON stream never
//! is: it is read in blocks and handed out in runs of whole lines, so memory holds
//! a few megabytes of input and their outputs, whatever the length of the stream.
//! With several jobs, long-lived workers take runs from a queue as they come; the
//! calling thread keeps the queue full, writes finished runs in input order, and
//! converts too whenever it has nothing to read or write. Nobody waits at the end
//! of a block. Each document yields its output or one error record, in input order.

use crate::error::ConvertError;
use crate::exit::Exit;
use crate::input::{
    Document, MAX_DOCUMENT, Source, Stream, decode, has_lines_extension, is_whole_line,
    looks_like_lines,
};
pub use crate::output::Tally;
use crate::output::{Reporter, write_failed};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Bytes of input read at once, and the run one thread converts and writes at
/// once: few system calls, memory a few times this.
const BLOCK: usize = 1 << 20;

/// Lines in a run of `BLOCK` bytes, at most: a tiny body gives an event many
/// times its size, so a run is bounded by lines too (a worker's shorter runs in
/// proportion).
const MAX_LINES: usize = 4096;

/// How long a stream (a pipe, a terminal) may have nothing to read before its
/// writer is taken to have paused: what was read is converted and written, and
/// the output flushed, before waiting for more. Short enough to go unseen, long
/// enough that a fast writer's gaps do not cut its stream into small runs.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(2);

/// Bytes asked of a stream at once: a pipe gives at most its buffer (64 KiB).
const STREAM_READ: usize = 256 << 10;

/// An NDJSON input shorter than this is converted by the calling thread alone:
/// starting workers would cost more than they save.
const PARALLEL_FROM: usize = 64 << 10;

/// Bytes of input in flight with several jobs: read ahead, being converted, or
/// waiting their turn to be written. Cut into tasks, so that memory stays a few
/// times this whatever `--jobs`. Small tasks stay in cache between the thread
/// that reads them and the one that converts them (1, 4 and 12 MiB: --jobs 2 at
/// 1.87x, 1.89x and 1.68x --jobs 1; peak memory 22, 28 and 50 MB).
const IN_FLIGHT: usize = 1 << 20;

/// Tasks in flight per job: bodies differ in cost (a Hotmart body takes twice a
/// Troquecommerce one), and the tasks after a slow one are written only once it
/// is; with several per job in flight, the workers go on with them meanwhile.
const TASKS_PER_JOB: usize = 8;

/// Tasks in flight, at least and at most (`IN_FLIGHT` is cut into this many).
const MIN_TASKS: usize = 16;
const MAX_TASKS: usize = 256;

/// The fewest bytes worth handing to a worker as one task.
const MIN_TASK_BYTES: usize = 16 << 10;

/// The most worker threads a batch starts, whatever `--jobs` asks for: more only
/// costs memory and start-up.
pub const MAX_JOBS: usize = 256;

/// Files handed to the workers at once when a batch has many: each worker reads
/// and runs whole files; outputs are written in input order once the group is
/// done. Few groups, because each starts its threads afresh.
const GROUP_FILES: usize = 1024;

/// The bytes a group reads at most: a file read past it is left, like a large
/// one, to the main thread in its turn, so a group of large files cannot hold
/// more than this (and their outputs) in memory.
const GROUP_BYTES: usize = 16 << 20;

/// The largest file a worker reads whole; a larger one is streamed by the main
/// thread in its turn, block by block, so memory stays bounded.
const WHOLE_UP_TO: usize = 8 << 20;

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Worker threads (1: everything on the calling thread).
    pub jobs: usize,
    /// Stop at the first document that fails.
    pub fail_fast: bool,
    /// Show `"{verb}: n/total files"` on a terminal's stderr during long runs.
    pub progress: Option<&'static str>,
}

/// Why a document (or a whole input) gave no output.
#[derive(Debug, Clone, Copy)]
pub enum Failed<'e> {
    Convert(&'e ConvertError),
    Read(&'e io::Error),
}

/// What a batch does with one document: append its output to `out`, or fail and
/// leave `out` as it found it. `scratch` is the worker's own, reused.
pub trait Work: Sync {
    fn run(
        &self,
        input: &str,
        document: &Document,
        scratch: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError>;

    /// Appends to `out` a record of a document that failed (`line`: its line in
    /// an NDJSON input), for outputs that hold one record per input whatever
    /// happened (`detect --format json`). The error itself goes to stderr too,
    /// unless `reports_failures`; most commands add nothing here.
    fn failure(&self, _input: &str, _line: Option<usize>, _failed: Failed, _out: &mut Vec<u8>) {}

    /// Whether `failure`'s record is the whole report of a failure, so that the
    /// batch says nothing of it on stderr (`validate` reports every input on stdout).
    fn reports_failures(&self) -> bool {
        false
    }
}

impl<F> Work for F
where
    F: Fn(&str, &Document, &mut String, &mut Vec<u8>) -> Result<(), ConvertError> + Sync,
{
    fn run(
        &self,
        input: &str,
        document: &Document,
        scratch: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        self(input, document, scratch, out)
    }
}

/// An error of one document: where it starts, and what went wrong.
struct Failure {
    line: usize,
    in_lines: bool,
    error: ConvertError,
}

/// The result of one part of a block.
#[derive(Default)]
struct Part {
    out: Vec<u8>,
    /// Failures in line order; with `--fail-fast` the part stops at the first.
    failures: Vec<Failure>,
    succeeded: usize,
    scratch: String,
}

impl Part {
    fn reset(&mut self) {
        self.out.clear();
        self.failures.clear();
        self.succeeded = 0;
    }

    /// Records a failure, and the work's record of it in the output.
    fn fail(&mut self, input: &str, failure: Failure, work: &impl Work) {
        let line = failure.in_lines.then_some(failure.line);
        work.failure(input, line, Failed::Convert(&failure.error), &mut self.out);
        self.failures.push(failure);
    }

    /// The failure of a line longer than [`MAX_DOCUMENT`], not read.
    fn too_long(&mut self, input: &str, line: usize, work: &impl Work) {
        self.reset();
        let failure = Failure {
            line,
            in_lines: true,
            error: too_large_error(),
        };
        self.fail(input, failure, work);
    }

    /// Runs `work` on `bytes`, one JSON document — or several back to back, as
    /// jq reads them (`{…}{…}`, pretty or not), each then on its own.
    fn whole(&mut self, input: &str, bytes: &[u8], work: &impl Work) {
        match decode(bytes) {
            Ok(text) => {
                let document = Document {
                    text,
                    line: 1,
                    in_lines: false,
                };
                let mark = self.out.len();
                match work.run(input, &document, &mut self.scratch, &mut self.out) {
                    Ok(()) => self.succeeded += 1,
                    Err(error) => {
                        self.out.truncate(mark);
                        if !(has_trailing_values(&error) && self.concatenated(input, text, work)) {
                            let failure = Failure {
                                line: 1,
                                in_lines: false,
                                error,
                            };
                            self.fail(input, failure, work);
                        }
                    }
                }
            }
            Err(error) => {
                let failure = Failure {
                    line: 1,
                    in_lines: false,
                    error,
                };
                self.fail(input, failure, work);
            }
        }
    }

    /// Runs `work` on each of the JSON values of `text` in turn, placed where
    /// each starts in the input so that its errors are; what cannot be read as a
    /// value is one last document, whose error says where. False when `text`
    /// does not start with two values (`{…} x` is one document and its error).
    fn concatenated(&mut self, input: &str, text: &str, work: &impl Work) -> bool {
        let (pieces, values) = values_of(text);
        if values < 2 {
            return false;
        }
        for piece in pieces {
            let Some(value) = text.get(piece.clone()) else {
                continue;
            };
            let start = piece.start + (value.len() - value.trim_start().len());
            let (line, column) = crate::raw::line_column(text, start);
            // Positions are the document's own: its first line keeps its column.
            let mut placed = " ".repeat(column - 1);
            placed.push_str(value.trim_start());
            let document = Document {
                text: &placed,
                line,
                in_lines: false,
            };
            let mark = self.out.len();
            match work.run(input, &document, &mut self.scratch, &mut self.out) {
                Ok(()) => self.succeeded += 1,
                Err(mut error) => {
                    self.out.truncate(mark);
                    // An error of the whole value is placed where the value starts.
                    error.position.get_or_insert((1, column));
                    let failure = Failure {
                        line,
                        in_lines: false,
                        error,
                    };
                    self.fail(input, failure, work);
                }
            }
        }
        true
    }

    /// Runs `work` on every non-blank line of `bytes`, the first being line `first_line`.
    fn lines(
        &mut self,
        input: &str,
        bytes: &[u8],
        first_line: usize,
        settings: Settings,
        work: &impl Work,
    ) {
        self.reset();
        // One UTF-8 check for the whole part; line by line only when it fails, so
        // that a bad line costs its own conversion and nothing else.
        if let Ok(text) = std::str::from_utf8(bytes) {
            for (index, line) in text.split('\n').enumerate() {
                let line_text = line.strip_suffix('\r').unwrap_or(line);
                if !self.document(input, line_text, first_line + index, settings, work) {
                    return;
                }
            }
            return;
        }
        for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let number = first_line + index;
            match decode(line) {
                Ok(text) => {
                    if !self.document(input, text, number, settings, work) {
                        return;
                    }
                }
                Err(error) => {
                    let failure = Failure {
                        line: number,
                        in_lines: true,
                        error,
                    };
                    self.fail(input, failure, work);
                    if settings.fail_fast {
                        return;
                    }
                }
            }
        }
    }

    /// One NDJSON line; false when the part must stop (`--fail-fast`).
    fn document(
        &mut self,
        input: &str,
        text: &str,
        line: usize,
        settings: Settings,
        work: &impl Work,
    ) -> bool {
        if text.trim().is_empty() {
            return true;
        }
        let document = Document {
            text,
            line,
            in_lines: true,
        };
        self.one(input, &document, work) || !settings.fail_fast
    }

    /// Runs `work` on one document; true when it succeeded.
    fn one(&mut self, input: &str, document: &Document, work: &impl Work) -> bool {
        let mark = self.out.len();
        match work.run(input, document, &mut self.scratch, &mut self.out) {
            Ok(()) => {
                self.succeeded += 1;
                true
            }
            Err(error) => {
                self.out.truncate(mark);
                let failure = Failure {
                    line: document.line,
                    in_lines: document.in_lines,
                    error,
                };
                self.fail(input, failure, work);
                false
            }
        }
    }
}

/// Whether a document failed as JSON followed by more: several documents back to back.
fn has_trailing_values(error: &ConvertError) -> bool {
    error.kind == crate::error::ErrorKind::NotJson
        && error.expected.ends_with("(trailing characters)")
}

/// The byte ranges of the JSON values of `text`, back to back, and how many
/// are whole values: the rest, from where a value cannot be read, is the last range.
fn values_of(text: &str) -> (Vec<std::ops::Range<usize>>, usize) {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let (mut pieces, mut start) = (Vec::new(), 0);
    while let Some(value) = values.next() {
        if value.is_err() {
            let whole = pieces.len();
            pieces.push(start..text.len());
            return (pieces, whole);
        }
        let end = values.byte_offset();
        pieces.push(start..end);
        start = end;
    }
    let whole = pieces.len();
    (pieces, whole)
}

/// Where a batch's results go: outputs to `out`, errors to the reporter.
struct Sink<'a, W: Write> {
    out: &'a mut W,
    reporter: &'a Reporter,
    settings: Settings,
    tally: Tally,
    exit: Exit,
    progress: Progress,
}

impl<W: Write> Sink<'_, W> {
    /// Writes the parts of one block in order. `Err` ends the batch: the output
    /// is gone, or `--fail-fast` met a failure.
    fn flush_parts(&mut self, input: &str, parts: &[Part], work: &impl Work) -> Result<(), Exit> {
        for part in parts {
            if let Err(error) = self.out.write_all(&part.out) {
                self.tally.closed = true;
                return Err(write_failed(&error, self.reporter));
            }
            self.tally.succeeded += part.succeeded;
            for failure in &part.failures {
                self.fail(input, failure, work);
            }
            self.progress
                .documents(part.succeeded + part.failures.len());
            if self.settings.fail_fast && !part.failures.is_empty() {
                self.tally.stopped = true;
                return Err(Exit::Success);
            }
        }
        Ok(())
    }

    /// Flushes the output: the input paused, and what was read is shown now.
    fn flush(&mut self) -> Result<(), Exit> {
        self.out.flush().map_err(|error| {
            self.tally.closed = true;
            write_failed(&error, self.reporter)
        })
    }

    fn fail(&mut self, input: &str, failure: &Failure, work: &impl Work) {
        if !work.reports_failures() {
            self.reporter
                .convert_error(input, failure.line, failure.in_lines, &failure.error);
        }
        self.tally.failed += 1;
        self.exit = self.exit.worst(failure.error.exit());
    }

    fn io_error(&mut self, input: &str, error: &io::Error, work: &impl Work) -> Result<(), Exit> {
        let mut record = Vec::new();
        work.failure(input, None, Failed::Read(error), &mut record);
        if let Err(error) = self.out.write_all(&record) {
            return Err(write_failed(&error, self.reporter));
        }
        let status = Exit::of_read_error(error);
        if !work.reports_failures() {
            self.reporter.io_error(input, error);
        }
        self.tally.failed += 1;
        self.exit = self.exit.worst(status);
        if self.settings.fail_fast {
            self.tally.stopped = true;
            return Err(Exit::Success);
        }
        Ok(())
    }
}

/// Runs `work` on every document of every source, in order, writing outputs to
/// `out` and errors to `reporter`; returns the counts and the worst exit status.
pub fn run(
    sources: &[Source],
    settings: Settings,
    work: &impl Work,
    out: &mut impl Write,
    reporter: &Reporter,
) -> (Tally, Exit) {
    let mut sink = Sink {
        out,
        reporter,
        settings,
        tally: Tally::default(),
        exit: Exit::Success,
        progress: Progress::new(settings.progress, sources.len()),
    };
    let mut buffers = Buffers::default();
    let mut done = 0;
    while let Some(source) = sources.get(done) {
        let files = match settings.jobs {
            0 | 1 => 1,
            _ => sources[done..]
                .iter()
                .take(GROUP_FILES)
                .take_while(|source| read_whole_by_workers(source))
                .count(),
        };
        let ran = match files {
            0 | 1 => run_source(source, &mut buffers, work, &mut sink).map(|()| 1),
            _ => run_files(&sources[done..done + files], &mut buffers, work, &mut sink),
        };
        match ran {
            Ok(count) => done += count,
            Err(stop) => {
                sink.exit = sink.exit.worst(stop);
                break;
            }
        }
        sink.progress.files(done);
    }
    sink.progress.clear();
    let exit = match sink.out.flush() {
        Err(error) => {
            sink.tally.closed = true;
            sink.exit.worst(write_failed(&error, reporter))
        }
        Ok(()) => sink.exit,
    };
    (sink.tally, exit)
}

/// Memory reused from one source and block to the next.
#[derive(Default)]
struct Buffers {
    current: Vec<u8>,
    parts: Vec<Part>,
    tasks: Vec<Task>,
    files: Vec<FilePart>,
}

/// A file that workers may read and run whole: a named file that does not say
/// it is NDJSON (those are streamed block by block).
fn read_whole_by_workers(source: &Source) -> bool {
    source.path().is_some_and(|path| !has_lines_extension(path))
}

/// What a worker made of one file of a group.
#[derive(Default)]
struct FilePart {
    part: Part,
    read: Option<io::Error>,
    /// Not read here (a pipe, larger than a worker reads whole, or past the
    /// group's bytes): run by the main thread in its turn.
    too_large: bool,
}

impl FilePart {
    fn run(
        &mut self,
        source: &Source,
        buffer: &mut Vec<u8>,
        group_bytes: &AtomicUsize,
        settings: Settings,
        work: &impl Work,
    ) {
        self.part.reset();
        self.read = None;
        self.too_large = false;
        buffer.clear();
        // Only a regular file is read here, its size known before it is opened: a
        // pipe or FIFO (`<(…)`) can be read once and its writer must not see its
        // reader come and go, so it is left whole to the main thread, as is a file
        // larger than a worker reads or past the group's budget.
        let Some(path) = source.path() else {
            self.too_large = true;
            return;
        };
        let size = match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() => metadata.len() as usize,
            Ok(_) => usize::MAX,
            Err(error) => {
                self.read = Some(error);
                return;
            }
        };
        let read_before = group_bytes.fetch_add(size.min(WHOLE_UP_TO + 1), Ordering::Relaxed);
        if size > WHOLE_UP_TO || read_before > GROUP_BYTES {
            self.too_large = true;
            return;
        }
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(error) => {
                self.read = Some(error);
                return;
            }
        };
        let eof = fill(&mut file, buffer, WHOLE_UP_TO + 1);
        match eof {
            Err(error) => self.read = Some(error),
            Ok(false) => self.too_large = true,
            Ok(true) => {
                let input = source.name();
                let bytes = buffer.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buffer);
                if is_ndjson(source, bytes, true) {
                    self.part.lines(&input, bytes, 1, settings, work);
                } else {
                    self.part.whole(&input, bytes, work);
                }
            }
        }
    }
}

/// Several files at once: workers each read and run whole files, then the
/// outputs are written in input order. Returns how many sources were done.
fn run_files<W: Write>(
    sources: &[Source],
    buffers: &mut Buffers,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<usize, Exit> {
    let settings = sink.settings;
    buffers.files.resize_with(sources.len(), FilePart::default);
    let files = &mut buffers.files[..sources.len()];
    let queue = Mutex::new(files.iter_mut().zip(sources));
    let take = || queue.lock().ok().and_then(|mut queue| queue.next());
    let group_bytes = AtomicUsize::new(0);
    let drain = || {
        let mut buffer = Vec::new();
        while let Some((file, source)) = take() {
            file.run(source, &mut buffer, &group_bytes, settings, work);
        }
    };
    std::thread::scope(|scope| {
        // The calling thread works too; a thread the system refuses is one fewer.
        for _ in 1..settings.jobs.min(sources.len()) {
            let _ = std::thread::Builder::new().spawn_scoped(scope, drain);
        }
        drain();
    });
    for (index, source) in sources.iter().enumerate() {
        let input = source.name();
        let file = &buffers.files[index];
        if let Some(error) = &file.read {
            sink.io_error(&input, error, work)?;
        } else if file.too_large {
            run_source(source, buffers, work, sink)?;
        } else {
            sink.flush_parts(&input, std::slice::from_ref(&file.part), work)?;
        }
    }
    Ok(sources.len())
}

/// A progress line on stderr, for long runs on a terminal only: files done of
/// many, and documents done (a long NDJSON stream is one file of many lines).
struct Progress {
    verb: Option<&'static str>,
    total: usize,
    files: usize,
    documents: usize,
    started: std::time::Instant,
    last: std::time::Instant,
    /// How long a run goes before its progress is shown.
    delay: std::time::Duration,
    shown: bool,
}

/// A run shorter than this shows no progress; `HOOKNORM_PROGRESS_DELAY_MS`
/// sets it otherwise (the tests show progress at once, whatever the machine).
const PROGRESS_DELAY_MS: u64 = 500;

impl Progress {
    fn new(verb: Option<&'static str>, total: usize) -> Progress {
        use std::io::IsTerminal;
        let now = std::time::Instant::now();
        Progress {
            verb: verb.filter(|_| io::stderr().is_terminal()),
            total,
            files: 0,
            documents: 0,
            started: now,
            last: now,
            delay: std::time::Duration::from_millis(
                std::env::var("HOOKNORM_PROGRESS_DELAY_MS")
                    .ok()
                    .and_then(|ms| ms.parse().ok())
                    .unwrap_or(PROGRESS_DELAY_MS),
            ),
            shown: false,
        }
    }

    fn files(&mut self, done: usize) {
        self.files = done;
        self.show();
    }

    fn documents(&mut self, done: usize) {
        self.documents += done;
        self.show();
    }

    /// Shows the counts after `delay`, then ten times a second at most.
    fn show(&mut self) {
        let Some(verb) = self.verb else {
            return;
        };
        let tick = std::time::Duration::from_millis(100);
        let first = !self.shown && self.started.elapsed() >= self.delay;
        if !first && (self.started.elapsed() < self.delay || self.last.elapsed() < tick) {
            return;
        }
        self.last = std::time::Instant::now();
        self.shown = true;
        let files = match self.total {
            0 | 1 => String::new(),
            total => format!("{}/{total} files, ", self.files),
        };
        eprint!("\r{verb}: {files}{} documents\x1b[K", self.documents);
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

fn run_source<W: Write>(
    source: &Source,
    buffers: &mut Buffers,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let input = source.name();
    let mut reader = match source.open_stream() {
        Ok(reader) => reader,
        Err(error) => return sink.io_error(&input, &error, work),
    };
    let buffer = &mut buffers.current;
    buffer.clear();
    // Judge the input on what it holds, never on when it comes: read on until
    // the verdict cannot change (see `verdict`), or until the first line is
    // longer than any document may be. A line end is looked for in what was
    // just read only.
    let mut filled = Filled::Full;
    let (mut searched, mut has_line_end) = (0, false);
    let ndjson = loop {
        if !has_line_end {
            has_line_end = buffer
                .get(searched..)
                .is_some_and(|new| memchr::memchr(b'\n', new).is_some());
            searched = buffer.len();
        }
        let ended = filled == Filled::End;
        if has_line_end || ended {
            let text = buffer.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buffer);
            if let Some(ndjson) = verdict(source, text, ended) {
                break ndjson;
            }
        }
        if buffer.len() > MAX_DOCUMENT {
            return too_large(&input, &mut buffers.parts, work, sink);
        }
        let want = buffer.len() + BLOCK;
        filled = match fill_input(&mut reader, buffer, want) {
            Ok(filled) => filled,
            Err(error) => return sink.io_error(&input, &error, work),
        };
    };
    if buffer.starts_with(b"\xEF\xBB\xBF") {
        buffer.drain(..3);
    }
    if !ndjson {
        let mut eof = filled == Filled::End;
        if !eof {
            eof = match fill(&mut reader, buffer, MAX_DOCUMENT + 1) {
                Ok(eof) => eof,
                Err(error) => return sink.io_error(&input, &error, work),
            };
        }
        if !eof || buffer.len() > MAX_DOCUMENT {
            return too_large(&input, &mut buffers.parts, work, sink);
        }
        return whole_document(&input, &buffers.current, &mut buffers.parts, work, sink);
    }
    lines(&input, &mut reader, filled, buffers, work, sink)
}

/// An NDJSON input, run after run of whole lines. `buffers.current` holds its
/// first block.
fn lines<W: Write>(
    input: &str,
    reader: &mut impl Input,
    filled: Filled,
    buffers: &mut Buffers,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let Buffers {
        current,
        parts,
        tasks,
        ..
    } = buffers;
    let eof = filled == Filled::End;
    let small = eof && current.len() < PARALLEL_FROM;
    let mut runs = Runs {
        reader,
        buffer: current,
        start: 0,
        eof,
        paused: filled == Filled::Paused,
        line: 1,
        failed: None,
    };
    parts.resize_with(1, Part::default);
    if sink.settings.jobs < 2 || small {
        return lines_in_turn(input, &mut runs, &mut parts[0], work, sink);
    }
    lines_on_workers(input, &mut runs, tasks, &mut parts[0], work, sink)
}

/// Every run converted and written by the calling thread.
fn lines_in_turn<W: Write>(
    input: &str,
    runs: &mut Runs<impl Input>,
    part: &mut Part,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let settings = sink.settings;
    loop {
        match runs.next(BLOCK, MAX_LINES) {
            Ok(Some(Run::Lines(lines, first_line))) => {
                part.lines(input, lines, first_line, settings, work);
                sink.flush_parts(input, std::slice::from_ref(part), work)?;
            }
            Ok(Some(Run::TooLong(line))) => {
                part.too_long(input, line, work);
                sink.flush_parts(input, std::slice::from_ref(part), work)?;
            }
            Ok(Some(Run::Paused)) => sink.flush()?,
            Ok(None) => return Ok(()),
            Err(error) => return sink.io_error(input, &error, work),
        }
    }
}

/// Runs converted by `--jobs` long-lived threads, each taking the next task as it
/// comes, across blocks: none waits for another at the end of a block. The
/// calling thread is one of them: it reads runs ahead and writes finished ones in
/// input order first, and converts when it has nothing else to do.
fn lines_on_workers<W: Write>(
    input: &str,
    runs: &mut Runs<impl Input>,
    spare: &mut Vec<Task>,
    part: &mut Part,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let settings = sink.settings;
    let queue = Queue::default();
    std::thread::scope(|scope| {
        let mut workers = 0;
        // `jobs` threads in all: this one converts too whenever it has nothing
        // to read or write, so no core waits while another has two threads.
        for _ in 1..settings.jobs {
            // A thread the system refuses (ulimit -u) is one worker fewer.
            let serve = || serve(&queue, input, settings, work);
            if std::thread::Builder::new()
                .spawn_scoped(scope, serve)
                .is_ok()
            {
                workers += 1;
            }
        }
        // If this thread panics while it converts, the workers must not wait for
        // tasks forever: the scope would wait for them before the panic goes on.
        let _unblock = UnblockOnPanic(&queue);
        let result = if workers == 0 {
            lines_in_turn(input, runs, part, work, sink)
        } else {
            feed(&queue, input, runs, spare, work, sink)
        };
        queue.close();
        result
    })
}

/// A worker: converts tasks until the queue closes.
fn serve(queue: &Queue, input: &str, settings: Settings, work: &impl Work) {
    let _unblock = UnblockOnPanic(queue);
    while let Some(mut task) = queue.take() {
        task.run(input, settings, work);
        queue.finish(task);
    }
}

/// The calling thread's share of `lines_on_workers`: writes each task's output
/// once it and all before it are done, keeps the queue full of runs read ahead,
/// and converts a waiting run when there is nothing to write or read.
fn feed<W: Write>(
    queue: &Queue,
    input: &str,
    runs: &mut Runs<impl Input>,
    spare: &mut Vec<Task>,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let in_flight = (sink.settings.jobs * TASKS_PER_JOB).clamp(MIN_TASKS, MAX_TASKS);
    let bytes = (IN_FLIGHT / in_flight).max(MIN_TASK_BYTES);
    let lines = (MAX_LINES * bytes / BLOCK).max(1);
    let (mut queued, mut written) = (0, 0);
    let (mut reading, mut read_error) = (true, None);
    // The input paused: everything read is written and flushed before more is read.
    let mut paused = false;
    loop {
        // Finished runs first: they make room and keep the output flowing.
        if let Some(task) = queue.next_done(false)? {
            written += 1;
            write_task(task, input, spare, work, sink)?;
            continue;
        }
        if paused && queued == written {
            sink.flush()?;
            paused = false;
        }
        if reading && !paused && queued - written < in_flight {
            let mut task = spare.pop().unwrap_or_default();
            match runs.next(bytes, lines) {
                Ok(Some(Run::Paused)) => {
                    paused = true;
                    spare.push(task);
                }
                Ok(Some(run)) => {
                    task.lines.clear();
                    (task.first_line, task.too_long) = match run {
                        Run::Lines(run, first_line) => {
                            task.lines.extend_from_slice(run);
                            (first_line, false)
                        }
                        Run::TooLong(line) => (line, true),
                        // Taken by the arm above.
                        Run::Paused => continue,
                    };
                    task.number = queued;
                    queued += 1;
                    queue.push(task);
                }
                Ok(None) => {
                    reading = false;
                    spare.push(task);
                }
                Err(error) => {
                    (reading, read_error) = (false, Some(error));
                    spare.push(task);
                }
            }
            continue;
        }
        if queued == written {
            break;
        }
        // Nothing to read or write yet: convert a waiting run, or wait for the oldest.
        if let Some(mut task) = queue.try_take() {
            task.run(input, sink.settings, work);
            queue.finish(task);
        } else if let Some(task) = queue.next_done(true)? {
            written += 1;
            write_task(task, input, spare, work, sink)?;
        }
    }
    match read_error {
        Some(error) => sink.io_error(input, &error, work),
        None => Ok(()),
    }
}

/// Writes a finished task's output and keeps the task for another run.
fn write_task<W: Write>(
    task: Task,
    input: &str,
    spare: &mut Vec<Task>,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let flushed = sink.flush_parts(input, std::slice::from_ref(&task.part), work);
    spare.push(task);
    flushed
}

/// Whole lines of an NDJSON input, handed out in runs, read block by block.
struct Runs<'a, R> {
    reader: &'a mut R,
    buffer: &'a mut Vec<u8>,
    /// Where the next run starts in `buffer`.
    start: usize,
    eof: bool,
    /// The input paused after the last read: the whole lines read are handed out
    /// at once, however few, and more is read only once none is left.
    paused: bool,
    /// The number of the next run's first line.
    line: usize,
    /// A read that failed: reported once every whole line before it is handed out.
    failed: Option<io::Error>,
}

impl<R: Input> Runs<'_, R> {
    /// The next run of whole lines, with the number of its first line: about
    /// `bytes` at most (a longer line is a run of its own) and `lines` lines at
    /// most; `None` at the end of the input.
    fn next(&mut self, bytes: usize, lines: usize) -> io::Result<Option<Run<'_>>> {
        let end = loop {
            let rest = &self.buffer[self.start..];
            if let Some(end) = run_end(rest, bytes, self.eof) {
                break end;
            }
            if self.paused {
                let whole = memchr::memrchr(b'\n', rest).map_or(0, |end| end + 1);
                if whole == 0 {
                    // Nothing whole left: the caller flushes, then the next call waits.
                    self.paused = false;
                    return Ok(Some(Run::Paused));
                }
                break whole;
            }
            self.buffer.drain(..self.start);
            self.start = 0;
            // More than a document may hold, and no line end yet.
            if self.buffer.len() > MAX_DOCUMENT {
                self.skip_line();
                self.line += 1;
                return Ok(Some(Run::TooLong(self.line - 1)));
            }
            // A line longer than a block is read in ever larger steps, so that
            // looking for its end stays linear in its length; never past the
            // longest line there may be.
            let more = BLOCK.max(bytes).max(self.buffer.len());
            let want = (self.buffer.len() + more).min(MAX_DOCUMENT + 1);
            match fill_input(self.reader, self.buffer, want) {
                Ok(filled) => {
                    self.eof = filled == Filled::End;
                    self.paused = filled == Filled::Paused;
                }
                Err(error) => {
                    // Every whole line read before the failure is still handed
                    // out, whatever the size of the runs; a line it cut is not.
                    let whole = memchr::memrchr(b'\n', self.buffer).map_or(0, |end| end + 1);
                    self.buffer.truncate(whole);
                    self.eof = true;
                    self.failed = Some(error);
                }
            }
        };
        if end == 0 {
            return self.failed.take().map_or(Ok(None), Err);
        }
        let candidate = &self.buffer[self.start..self.start + end];
        // A tiny body gives an event many times its size: a run is bounded by
        // lines too, so that its output stays a few times its size.
        let (mut end, mut newlines) = (end, 0);
        for newline in memchr::memchr_iter(b'\n', candidate) {
            newlines += 1;
            if newlines == lines {
                end = newline + 1;
                break;
            }
        }
        let first_line = self.line;
        self.line += newlines;
        let run = &self.buffer[self.start..self.start + end];
        self.start += end;
        Ok(Some(Run::Lines(run, first_line)))
    }

    /// Drops the line that `buffer` starts, up to its end, reading on block by
    /// block: what follows it stays in `buffer`.
    fn skip_line(&mut self) {
        loop {
            if let Some(newline) = memchr::memchr(b'\n', self.buffer) {
                self.buffer.drain(..=newline);
                return;
            }
            self.buffer.clear();
            if self.eof {
                return;
            }
            match fill_input(self.reader, self.buffer, BLOCK) {
                Ok(filled) => self.eof = filled == Filled::End,
                Err(error) => {
                    self.eof = true;
                    self.failed = Some(error);
                }
            }
        }
    }
}

/// Where a run taken from the front of `rest` ends: at the last line end within
/// `bytes`, or at the end of its first line when that is longer; `None` when
/// more must be read first.
fn run_end(rest: &[u8], bytes: usize, eof: bool) -> Option<usize> {
    if rest.len() <= bytes {
        if eof {
            return Some(rest.len());
        }
        if rest.len() < bytes {
            return None;
        }
    }
    let (window, after) = rest.split_at(bytes);
    if let Some(newline) = memchr::memrchr(b'\n', window) {
        return Some(newline + 1);
    }
    match memchr::memchr(b'\n', after) {
        Some(newline) => Some(bytes + newline + 1),
        None if eof => Some(rest.len()),
        None => None,
    }
}

/// A run of lines for a worker, and what it made of them.
#[derive(Default)]
struct Task {
    /// Its place in the input: tasks are written in this order.
    number: usize,
    first_line: usize,
    lines: Vec<u8>,
    /// The run is one line longer than [`MAX_DOCUMENT`], left unread.
    too_long: bool,
    part: Part,
}

impl Task {
    fn run(&mut self, input: &str, settings: Settings, work: &impl Work) {
        match self.too_long {
            true => self.part.too_long(input, self.first_line, work),
            false => self
                .part
                .lines(input, &self.lines, self.first_line, settings, work),
        }
    }
}

/// What `Runs` hands out: whole lines with the number of the first, the
/// number of a line too long to read, or word that the input paused with
/// nothing whole left (write and flush everything before asking again, which
/// may wait for the writer).
enum Run<'b> {
    Lines(&'b [u8], usize),
    TooLong(usize),
    Paused,
}

/// The tasks of `lines_on_workers`, between the calling thread and the workers.
#[derive(Default)]
struct Queue {
    state: Mutex<Tasks>,
    /// Signalled when a task is queued or the queue closes.
    queued: Condvar,
    /// Signalled when the oldest task not yet written is done, or a worker died.
    done: Condvar,
}

#[derive(Default)]
struct Tasks {
    todo: VecDeque<Task>,
    /// Every task not yet written, oldest first: `None` until done.
    order: VecDeque<Option<Task>>,
    /// The number of the oldest task not yet written.
    oldest: usize,
    closed: bool,
    /// A worker panicked: nobody may wait for its task.
    broken: bool,
}

impl Queue {
    fn state(&self) -> MutexGuard<'_, Tasks> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, task: Task) {
        let mut state = self.state();
        state.order.push_back(None);
        state.todo.push_back(task);
        self.queued.notify_one();
    }

    /// The next task to convert; `None` once the queue is closed.
    fn take(&self) -> Option<Task> {
        let mut state = self.state();
        loop {
            if state.closed {
                return None;
            }
            if let Some(task) = state.todo.pop_front() {
                return Some(task);
            }
            state = self
                .queued
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The next task to convert, if one is waiting.
    fn try_take(&self) -> Option<Task> {
        self.state().todo.pop_front()
    }

    fn finish(&self, task: Task) {
        let mut state = self.state();
        let index = task.number - state.oldest;
        if let Some(slot) = state.order.get_mut(index) {
            *slot = Some(task);
            if index == 0 {
                self.done.notify_one();
            }
        }
    }

    /// The oldest task not yet written, if done; with `wait`, waits for it
    /// while any is left. `Err` when a worker died (its panic follows).
    fn next_done(&self, wait: bool) -> Result<Option<Task>, Exit> {
        let mut state = self.state();
        loop {
            if state.broken {
                return Err(Exit::Success);
            }
            if matches!(state.order.front(), Some(Some(_))) {
                state.oldest += 1;
                return Ok(state.order.pop_front().flatten());
            }
            if !wait || state.order.is_empty() {
                return Ok(None);
            }
            state = self
                .done
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn close(&self) {
        self.state().closed = true;
        self.queued.notify_all();
    }

    fn break_down(&self) {
        let mut state = self.state();
        state.broken = true;
        state.closed = true;
        self.queued.notify_all();
        self.done.notify_all();
    }
}

/// Held by every thread of `lines_on_workers`: if one panics, the queue breaks
/// down so that no other waits for it, and the panic goes on once all are joined.
struct UnblockOnPanic<'q>(&'q Queue);

impl Drop for UnblockOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.break_down();
        }
    }
}

/// Whether an input is NDJSON, judged from its first block.
fn is_ndjson(source: &Source, buffer: &[u8], eof: bool) -> bool {
    if source.path().is_some_and(has_lines_extension) {
        return true;
    }
    // Judge only whole lines of valid UTF-8: a broken line later is one error.
    let valid = match std::str::from_utf8(buffer) {
        Ok(text) => text,
        Err(error) => std::str::from_utf8(&buffer[..error.valid_up_to()]).unwrap_or_default(),
    };
    let whole = if eof {
        valid
    } else {
        valid.rfind('\n').map_or("", |end| &valid[..end])
    };
    looks_like_lines(whole, !eof)
}

/// Whether a streamed input is NDJSON, or `None` while what has been read
/// cannot tell: the answer is the same however the input is cut in time.
/// NDJSON when the first non-blank line is a whole JSON value and anything
/// follows it (a value alone is one document), or when, the first line being
/// broken, a later line is whole; not when the input ends first, or a block
/// holds no whole line after a broken first one (a pretty document).
fn verdict(source: &Source, buffer: &[u8], ended: bool) -> Option<bool> {
    if source.path().is_some_and(has_lines_extension) {
        return Some(true);
    }
    // Judge only whole lines of valid UTF-8: a broken line later is one error.
    let valid = match std::str::from_utf8(buffer) {
        Ok(text) => text,
        Err(error) => std::str::from_utf8(&buffer[..error.valid_up_to()]).unwrap_or_default(),
    };
    let whole = match ended {
        true => valid,
        false => valid.rfind('\n').map_or("", |end| &valid[..end]),
    };
    let mut lines = whole.lines().filter(|line| !line.trim().is_empty());
    let Some(first) = lines.next() else {
        return ended.then_some(false);
    };
    if is_whole_line(first.trim_start()) {
        let first_end = first.as_ptr() as usize - valid.as_ptr() as usize + first.len();
        let follows = valid
            .get(first_end..)
            .is_some_and(|rest| !rest.trim().is_empty());
        return (follows || ended).then_some(follows);
    }
    if lines.any(is_whole_line) {
        return Some(true);
    }
    (ended || buffer.len() >= BLOCK).then_some(false)
}

/// An input read in blocks; a stream also tells when its writer paused.
trait Input: Read {
    fn is_live(&self) -> bool {
        false
    }

    /// Whether nothing more can be read for now (`PAUSE`).
    fn paused(&self) -> bool {
        false
    }
}

impl Input for Stream {
    fn is_live(&self) -> bool {
        Stream::is_live(self)
    }

    fn paused(&self) -> bool {
        Stream::paused(self, PAUSE)
    }
}

impl Input for &[u8] {}

impl Input for Box<dyn Read + '_> {}

/// How a read of an input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filled {
    /// `want` bytes are in the buffer.
    Full,
    /// The input ended.
    End,
    /// A stream paused before `want` bytes came.
    Paused,
}

/// Reads until `buffer` holds at least `want` bytes, the input ends, or — a
/// stream — its writer pauses (the first read waits for it, the others do not).
fn fill_input(reader: &mut impl Input, buffer: &mut Vec<u8>, want: usize) -> io::Result<Filled> {
    if !reader.is_live() {
        return fill(reader, buffer, want).map(|eof| if eof { Filled::End } else { Filled::Full });
    }
    while buffer.len() < want {
        let start = buffer.len();
        buffer.resize(want.min(start + STREAM_READ), 0);
        let read = reader.read(&mut buffer[start..]);
        buffer.truncate(start + *read.as_ref().unwrap_or(&0));
        match read {
            Ok(0) => return Ok(Filled::End),
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
        if buffer.len() < want && reader.paused() {
            return Ok(Filled::Paused);
        }
    }
    Ok(Filled::Full)
}

/// An input that is one JSON document.
fn whole_document<W: Write>(
    input: &str,
    bytes: &[u8],
    parts: &mut Vec<Part>,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    parts.resize_with(1, Part::default);
    parts[0].reset();
    parts[0].whole(input, bytes, work);
    sink.flush_parts(input, &parts[..1], work)
}

/// A document longer than [`MAX_DOCUMENT`]: refused without reading the rest.
fn too_large<W: Write>(
    input: &str,
    parts: &mut Vec<Part>,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    parts.resize_with(1, Part::default);
    parts[0].reset();
    let failure = Failure {
        line: 1,
        in_lines: false,
        error: too_large_error(),
    };
    parts[0].fail(input, failure, work);
    sink.flush_parts(input, &parts[..1], work)
}

fn too_large_error() -> ConvertError {
    ConvertError::new(
        crate::error::ErrorKind::InvalidValue,
        "",
        format!("a document or line of at most {} MiB", MAX_DOCUMENT >> 20),
    )
    .found("a longer one")
}

/// Reads until `buffer` holds at least `want` bytes or the input ends; true at the end.
fn fill(reader: &mut impl Read, buffer: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let missing = want.saturating_sub(buffer.len());
    if missing == 0 {
        return Ok(false);
    }
    let read = reader.take(missing as u64).read_to_end(buffer)?;
    Ok(read < missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Painter, Reporter};

    /// Gives `bytes`, then fails.
    struct FailsAfter<'a>(&'a [u8]);

    impl Read for FailsAfter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("the disk went away"));
            }
            let count = buf.len().min(self.0.len()).min(7_001);
            buf[..count].copy_from_slice(&self.0[..count]);
            self.0 = &self.0[count..];
            Ok(count)
        }
    }

    /// Lines of every length, from empty to several runs long.
    fn ragged_lines(count: usize) -> Vec<u8> {
        let mut text = Vec::new();
        for number in 1..=count {
            if number % 97 == 1 {
                text.extend_from_slice(b"  \n");
                continue;
            }
            let length = match number % 97 {
                0 => 300_000,
                _ => number * 37 % 2_000,
            };
            text.extend_from_slice(format!("{number}:").as_bytes());
            text.resize(text.len() + length, b'x');
            text.extend_from_slice(if number % 5 == 0 { b"\r\n" } else { b"\n" });
        }
        text
    }

    /// Each non-blank line as `line N: its first bytes`.
    fn echo(
        _: &str,
        document: &Document,
        _: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        let start: String = document.text.chars().take(12).collect();
        out.extend_from_slice(format!("line {}: {start}\n", document.line).as_bytes());
        Ok(())
    }

    fn run_lines(text: &[u8], fails: bool, jobs: usize) -> (String, Tally, Exit) {
        run_work(text, fails, jobs, &echo)
    }

    fn run_work(text: &[u8], fails: bool, jobs: usize, work: &impl Work) -> (String, Tally, Exit) {
        let reporter = Reporter {
            painter: Painter { enabled: false },
            verbose: false,
        };
        let mut out = Vec::new();
        let mut sink = Sink {
            out: &mut out,
            reporter: &reporter,
            settings: Settings {
                jobs,
                fail_fast: false,
                progress: None,
            },
            tally: Tally::default(),
            exit: Exit::Success,
            progress: Progress::new(None, 1),
        };
        let mut buffers = Buffers::default();
        let mut reader: Box<dyn Read + '_> = if fails {
            Box::new(FailsAfter(text))
        } else {
            Box::new(text)
        };
        let eof = fill(&mut reader, &mut buffers.current, BLOCK).unwrap_or(true);
        let filled = if eof { Filled::End } else { Filled::Full };
        let result = lines("test", &mut reader, filled, &mut buffers, work, &mut sink);
        let exit = result.err().unwrap_or(sink.exit);
        let tally = sink.tally;
        (String::from_utf8_lossy(&out).into_owned(), tally, exit)
    }

    fn expected(text: &[u8]) -> String {
        let mut expected = String::new();
        for (index, line) in text.split(|&b| b == b'\n').enumerate() {
            let line = String::from_utf8_lossy(line);
            let line = line.strip_suffix('\r').unwrap_or(&line);
            if !line.trim().is_empty() {
                let start: String = line.chars().take(12).collect();
                expected.push_str(&format!("line {}: {start}\n", index + 1));
            }
        }
        expected
    }

    #[test]
    fn every_line_once_in_order_with_its_number_whatever_the_jobs() {
        let text = ragged_lines(6_000);
        let want = expected(&text);
        for jobs in [1, 2, 3, 16] {
            let (out, tally, exit) = run_lines(&text, false, jobs);
            assert!(out == want, "--jobs {jobs}: output differs");
            assert_eq!(
                (tally.succeeded, tally.failed),
                (6_000 - 62, 0),
                "--jobs {jobs}"
            );
            assert_eq!(exit, Exit::Success);
        }
    }

    #[test]
    fn tiny_lines_are_cut_by_count_and_keep_their_numbers() {
        let text: Vec<u8> = (1..=30_000)
            .flat_map(|n| format!("{n}\n").into_bytes())
            .collect();
        let want = expected(&text);
        for jobs in [1, 2, 5] {
            let (out, tally, _) = run_lines(&text, false, jobs);
            assert!(out == want, "--jobs {jobs}: output differs");
            assert_eq!(tally.succeeded, 30_000, "--jobs {jobs}");
        }
    }

    #[test]
    fn a_panic_in_any_thread_goes_on_and_nothing_hangs() {
        let text = ragged_lines(6_000);
        // The calling thread has a name (the test's), the workers have none.
        // Slow workers fill the queue, so the calling thread soon converts too.
        let in_caller = |_: &str, _: &Document, _: &mut String, _: &mut Vec<u8>| {
            if std::thread::current().name().is_none() {
                std::thread::sleep(std::time::Duration::from_micros(200));
                return Ok(());
            }
            panic!("a bug");
        };
        let in_worker = |_: &str, _: &Document, _: &mut String, _: &mut Vec<u8>| {
            assert!(std::thread::current().name().is_some(), "a bug");
            Ok(())
        };
        for jobs in [2, 3] {
            for _ in 0..3 {
                let run = std::panic::catch_unwind(|| run_work(&text, false, jobs, &in_caller));
                assert!(run.is_err(), "--jobs {jobs}: the panic was lost");
                let run = std::panic::catch_unwind(|| run_work(&text, false, jobs, &in_worker));
                assert!(run.is_err(), "--jobs {jobs}: the panic was lost");
            }
        }
    }

    #[test]
    fn a_failed_read_comes_after_every_whole_line_before_it() {
        let mut text = ragged_lines(6_000);
        // The last line is cut by the failure: it is not a line.
        text.extend_from_slice(b"6001:cut short");
        let whole = &text[..text.len() - b"6001:cut short".len()];
        let want = expected(whole);
        for jobs in [1, 2, 3, 16] {
            let (out, tally, exit) = run_lines(&text, true, jobs);
            assert!(out == want, "--jobs {jobs}: output differs");
            assert_eq!(
                (tally.succeeded, tally.failed),
                (6_000 - 62, 1),
                "--jobs {jobs}"
            );
            assert_eq!(exit, Exit::IoError, "--jobs {jobs}");
        }
    }

    /// Whatever part of an input has come when it is judged, the verdict is
    /// either "not yet" or the one on the whole input.
    #[test]
    fn the_verdict_does_not_depend_on_how_much_has_come() {
        let inputs: [(&str, bool); 6] = [
            ("{\"a\": 1}\n", false),
            ("\n\n{\"a\": 1}\n  \n", false),
            ("{\"a\": 1}\n{\"a\": 2}\n", true),
            ("{\n  \"a\": 1\n}\n", false),
            ("{\"a\":\n{\"a\": 2}\n", true),
            ("a=1&b=2\n\nc=3\n", true),
        ];
        let stdin = Source::Stdin;
        for (text, ndjson) in inputs {
            assert_eq!(
                verdict(&stdin, text.as_bytes(), true),
                Some(ndjson),
                "{text:?}"
            );
            for cut in 0..text.len() {
                let so_far = verdict(&stdin, &text.as_bytes()[..cut], false);
                assert!(
                    so_far.is_none() || so_far == Some(ndjson),
                    "{text:?} judged {so_far:?} on its first {cut} bytes"
                );
            }
        }
    }

    #[test]
    fn a_run_ends_at_a_line_end_or_after_a_line_longer_than_it() {
        assert_eq!(run_end(b"ab\ncd\nef", 4, false), Some(3));
        assert_eq!(run_end(b"ab\ncd\nef", 100, false), None);
        assert_eq!(run_end(b"ab\ncd\nef", 100, true), Some(8));
        assert_eq!(run_end(b"abcdef\ngh", 4, false), Some(7));
        assert_eq!(run_end(b"abcdefgh", 4, false), None);
        assert_eq!(run_end(b"abcdefgh", 4, true), Some(8));
        assert_eq!(run_end(b"", 4, true), Some(0));
    }
}
