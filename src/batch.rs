//! Batches: every document of every input through one function, in input order,
//! in bounded memory, on one thread or several.
//!
//! An input is read in blocks of whole lines. A single JSON document (a pretty
//! file) is read whole; an NDJSON stream never is: memory holds two blocks and
//! their outputs, whatever the length of the stream. With several jobs a block is
//! cut at line boundaries into one part per job; while the workers convert it, the
//! main thread writes the previous block's output and reads the next block.
//! Each document yields its output or one error record, in input order.

use crate::error::ConvertError;
use crate::exit::Exit;
use crate::input::{Document, Source, decode, has_lines_extension, looks_like_lines};
pub use crate::output::Tally;
use crate::output::{Reporter, write_failed};
use std::io::{self, Read, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes of input handed out at once. Large enough that starting workers costs
/// little against the work, small enough that memory stays a few times this.
const BLOCK: usize = 1 << 20;

/// Lines of input handed out at once, at most.
const MAX_LINES: usize = 4096;

/// Below this many bytes a block is not worth splitting across threads.
const PARALLEL_FROM: usize = 64 << 10;

/// The smallest slice of a block worth handing to a worker: `--jobs 256` on a
/// 1 MiB block would otherwise start 256 threads for 1 KiB each.
const MIN_SLICE: usize = 16 << 10;

/// Slices per worker in a block: bodies differ in cost (a Hotmart body takes twice
/// a Troquecommerce one), so workers take small slices in turn rather than one
/// half each, and none waits long for the other at the end of a block (16
/// against 4: --jobs 2 at 1.64-1.80x --jobs 1 against 1.62-1.71x, within noise).
const SLICES_PER_JOB: usize = 16;

/// The most worker threads a batch starts, whatever `--jobs` asks for: more only
/// costs memory and start-up (each block is cut into slices per job).
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

    /// Runs `work` on `bytes`, one JSON document.
    fn whole(&mut self, input: &str, bytes: &[u8], work: &impl Work) {
        match decode(bytes) {
            Ok(text) => {
                let document = Document {
                    text,
                    line: 1,
                    in_lines: false,
                };
                self.one(input, &document, work);
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

/// Where a batch's results go: outputs to `out`, errors to the reporter.
struct Sink<'a, W: Write> {
    out: &'a mut W,
    reporter: &'a Reporter,
    settings: Settings,
    tally: Tally,
    exit: Exit,
}

impl<W: Write> Sink<'_, W> {
    /// Writes the parts of one block in order. `Err` ends the batch: the output
    /// is gone, or `--fail-fast` met a failure.
    fn flush_parts(&mut self, input: &str, parts: &[Part], work: &impl Work) -> Result<(), Exit> {
        for part in parts {
            if let Err(error) = self.out.write_all(&part.out) {
                self.tally.closed = true;
                self.tally.closed = true;
                return Err(write_failed(&error, self.reporter));
            }
            self.tally.succeeded += part.succeeded;
            for failure in &part.failures {
                self.fail(input, failure, work);
            }
            if self.settings.fail_fast && !part.failures.is_empty() {
                self.tally.stopped = true;
                return Err(Exit::Success);
            }
        }
        Ok(())
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
    };
    let mut buffers = Buffers::default();
    let mut progress = Progress::new(settings.progress, sources.len());
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
        progress.show(done);
    }
    progress.clear();
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
    next: Vec<u8>,
    parts: Vec<Part>,
    previous: Vec<Part>,
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

/// A progress line on stderr, for long runs on a terminal only.
struct Progress {
    verb: Option<&'static str>,
    total: usize,
    started: std::time::Instant,
    last: std::time::Instant,
    shown: bool,
}

impl Progress {
    fn new(verb: Option<&'static str>, total: usize) -> Progress {
        use std::io::IsTerminal;
        let now = std::time::Instant::now();
        Progress {
            verb: verb.filter(|_| total > 1 && io::stderr().is_terminal()),
            total,
            started: now,
            last: now,
            shown: false,
        }
    }

    fn show(&mut self, done: usize) {
        let Some(verb) = self.verb else {
            return;
        };
        let tick = std::time::Duration::from_millis(100);
        if self.started.elapsed() < 5 * tick || self.last.elapsed() < tick {
            return;
        }
        self.last = std::time::Instant::now();
        self.shown = true;
        eprint!("\r{verb}: {done}/{} files", self.total);
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
    let mut reader = match source.open() {
        Ok(reader) => reader,
        Err(error) => return sink.io_error(&input, &error, work),
    };
    let buffer = &mut buffers.current;
    buffer.clear();
    let mut eof = match fill(&mut reader, buffer, BLOCK) {
        Ok(eof) => eof,
        Err(error) => return sink.io_error(&input, &error, work),
    };
    // Judge the input on a whole first line, however long: read on until one ends.
    while !eof && memchr::memchr(b'\n', buffer).is_none() {
        let want = buffer.len() + BLOCK;
        eof = match fill(&mut reader, buffer, want) {
            Ok(eof) => eof,
            Err(error) => return sink.io_error(&input, &error, work),
        };
    }
    if buffer.starts_with(b"\xEF\xBB\xBF") {
        buffer.drain(..3);
    }
    if !is_ndjson(source, buffer, eof) {
        if !eof && let Err(error) = reader.read_to_end(buffer) {
            return sink.io_error(&input, &error, work);
        }
        return whole_document(&input, &buffers.current, &mut buffers.parts, work, sink);
    }
    lines(&input, &mut reader, eof, buffers, work, sink)
}

/// An NDJSON input, block by block. `buffers.current` holds its first block.
fn lines<W: Write>(
    input: &str,
    reader: &mut impl Read,
    mut eof: bool,
    buffers: &mut Buffers,
    work: &impl Work,
    sink: &mut Sink<W>,
) -> Result<(), Exit> {
    let Buffers {
        current,
        next,
        parts,
        previous,
        ..
    } = buffers;
    let settings = sink.settings;
    let mut first_line = 1;
    let mut pending = false;
    loop {
        let end = if eof {
            current.len()
        } else if let Some(newline) = memchr::memrchr(b'\n', current) {
            newline + 1
        } else {
            // A line longer than a block: read on until it ends.
            let want = current.len() + BLOCK;
            match fill(reader, current, want) {
                Ok(at_end) => eof = at_end,
                Err(error) => {
                    if pending {
                        sink.flush_parts(input, previous, work)?;
                    }
                    return sink.io_error(input, &error, work);
                }
            }
            continue;
        };
        // A tiny body gives an event many times its size: a block is bounded by
        // lines too, so that its outputs stay a few megabytes.
        let end = memchr::memchr_iter(b'\n', &current[..end])
            .nth(MAX_LINES - 1)
            .map_or(end, |newline| newline + 1);
        let block = &current[..end];
        next.clear();
        next.extend_from_slice(&current[end..]);
        let pieces = if block.len() < PARALLEL_FROM || settings.jobs < 2 {
            1
        } else {
            (settings.jobs * SLICES_PER_JOB).min(block.len() / MIN_SLICE)
        };
        let slices = split(block, pieces);
        parts.resize_with(slices.len(), Part::default);
        let mut flushed = Ok(());
        let mut read = Ok(true);
        if slices.len() == 1 {
            parts[0].lines(input, block, first_line, settings, work);
            if pending {
                flushed = sink.flush_parts(input, previous, work);
            }
            if flushed.is_ok() && !eof {
                read = fill(reader, next, BLOCK);
            }
        } else {
            let queue = Mutex::new(parts.iter_mut().zip(&slices));
            let take = || queue.lock().ok().and_then(|mut queue| queue.next());
            let drain = || {
                while let Some((part, (slice, line))) = take() {
                    part.lines(input, slice, first_line + line, settings, work);
                }
            };
            std::thread::scope(|scope| {
                // `jobs` threads in all: this one writes the previous block's
                // events and reads the next block, then converts beside the
                // others, so no core waits while another has two threads.
                // A thread the system refuses (ulimit -u) is one worker fewer.
                for _ in 1..settings.jobs.min(slices.len()) {
                    let _ = std::thread::Builder::new().spawn_scoped(scope, drain);
                }
                if pending {
                    flushed = sink.flush_parts(input, previous, work);
                }
                if flushed.is_ok() && !eof {
                    read = fill(reader, next, BLOCK);
                }
                drain();
            });
        }
        flushed?;
        first_line += memchr::memchr_iter(b'\n', block).count();
        std::mem::swap(current, next);
        std::mem::swap(parts, previous);
        pending = true;
        if eof {
            // All is read; lines left over from a block cut by its line count remain.
            if current.is_empty() {
                break;
            }
            continue;
        }
        eof = match read {
            Ok(at_end) => at_end,
            Err(error) => {
                sink.flush_parts(input, previous, work)?;
                return sink.io_error(input, &error, work);
            }
        };
        if eof && current.is_empty() {
            break;
        }
    }
    if pending {
        sink.flush_parts(input, previous, work)?;
    }
    Ok(())
}

/// Cuts `block` (whole lines) into at most `jobs` slices of about equal size at
/// line ends; each comes with the number of lines before it.
fn split(block: &[u8], jobs: usize) -> Vec<(&[u8], usize)> {
    let mut slices = Vec::with_capacity(jobs);
    let (mut start, mut lines_before) = (0, 0);
    let size = block.len().div_ceil(jobs.max(1));
    while start < block.len() && slices.len() + 1 < jobs {
        let Some(newline) = block
            .get(start + size..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        else {
            break;
        };
        let end = start + size + newline + 1;
        let slice = &block[start..end];
        slices.push((slice, lines_before));
        lines_before += memchr::memchr_iter(b'\n', slice).count();
        start = end;
    }
    slices.push((&block[start..], lines_before));
    slices
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

/// Reads until `buffer` holds at least `want` bytes or the input ends; true at the end.
fn fill(reader: &mut impl Read, buffer: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let missing = want.saturating_sub(buffer.len());
    if missing == 0 {
        return Ok(false);
    }
    let read = reader.take(missing as u64).read_to_end(buffer)?;
    Ok(read < missing)
}
