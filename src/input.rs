//! Inputs: files or stdin, decoded once as UTF-8, split into documents (a single
//! JSON document, or NDJSON: one per line).

use crate::error::{ConvertError, ErrorKind};
use crate::raw::line_column;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// The longest document, or line of a stream, any command reads: a stream
/// with no line end is not held whole, however long.
pub const MAX_DOCUMENT: usize = 64 << 20;

/// Where an input comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    /// The sources of a command line: stdin when no file (or `-`) is given.
    pub fn from_args(files: &[PathBuf]) -> Vec<Source> {
        if files.is_empty() {
            return vec![Source::Stdin];
        }
        files
            .iter()
            .map(|f| {
                if f.as_os_str() == "-" {
                    Source::Stdin
                } else {
                    Source::File(f.clone())
                }
            })
            .collect()
    }

    /// How messages name the input.
    /// The input's name as messages show it: control characters in a file name
    /// are escaped, so that a name cannot move the cursor or split a log line.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(path) => escape_controls(&path.display().to_string()),
        }
    }

    pub fn read(&self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read_into(&mut bytes)?;
        Ok(bytes)
    }

    /// Reads the whole input into `buffer` (cleared first), so that a batch can reuse
    /// one buffer. Unlike `fs::read`, no `stat` is made: a small file costs open, two
    /// reads and close, which counts when a folder holds thousands of them.
    pub fn read_into(&self, buffer: &mut Vec<u8>) -> io::Result<()> {
        buffer.clear();
        match self {
            Source::Stdin => {
                hint_on_a_terminal();
                io::stdin().lock().read_to_end(buffer).map(|_| ())
            }
            // `Take` hides the file's size, so `read_to_end` asks for none.
            Source::File(path) => std::fs::File::open(path)
                .and_then(|file| file.take(u64::MAX).read_to_end(buffer))
                .map(|_| ()),
        }
    }

    /// Opens the input for reading in blocks.
    pub fn open(&self) -> io::Result<Box<dyn Read>> {
        Ok(match self {
            Source::Stdin => Box::new(io::stdin().lock()),
            Source::File(path) => Box::new(std::fs::File::open(path)?),
        })
    }

    /// Opens the input for reading as it comes: a pipe, socket or terminal is a
    /// stream, whose writer may pause, and tells when it has (`Stream::paused`).
    /// Stdin is read without Rust's buffer, so that nothing waits unseen in it.
    pub fn open_stream(&self) -> io::Result<Stream> {
        let file = match self {
            Source::Stdin => {
                hint_on_a_terminal();
                stdin_file()?
            }
            Source::File(path) => std::fs::File::open(path)?,
        };
        let live = !file.metadata()?.is_file();
        Ok(Stream { file, live })
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Stdin => None,
            Source::File(path) => Some(path),
        }
    }
}

/// An opened input: a file, or a stream (pipe, socket, terminal) when `live`.
pub struct Stream {
    file: std::fs::File,
    live: bool,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.file.read(buf)
    }
}

impl Stream {
    /// Whether the input may pause: a pipe, socket or terminal, not a file.
    pub fn is_live(&self) -> bool {
        self.live
    }

    /// Whether a live input has nothing to read for `wait`: its writer paused. A
    /// file never pauses; an input that ended is ready (to read its end).
    pub fn paused(&self, wait: std::time::Duration) -> bool {
        self.live && !readable_within(&self.file, wait)
    }
}

/// Standard input as a file of its own (a duplicate descriptor), unbuffered.
#[cfg(unix)]
fn stdin_file() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    Ok(std::fs::File::from(
        io::stdin().as_fd().try_clone_to_owned()?,
    ))
}

#[cfg(windows)]
fn stdin_file() -> io::Result<std::fs::File> {
    use std::os::windows::io::AsHandle;
    Ok(std::fs::File::from(
        io::stdin().as_handle().try_clone_to_owned()?,
    ))
}

#[cfg(unix)]
fn readable_within(file: &std::fs::File, wait: std::time::Duration) -> bool {
    use std::os::fd::AsRawFd;
    let mut poll = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: poll reads and fills the one `pollfd` it is given, which lives
    // through the call; the descriptor is open while `file` is.
    let ready = unsafe { libc::poll(&mut poll, 1, millis) };
    // An error (EINTR) counts as ready: the read that follows tells.
    ready != 0
}

#[cfg(not(unix))]
fn readable_within(_: &std::fs::File, _: std::time::Duration) -> bool {
    true
}

/// On a terminal, says on stderr that stdin is being read: a command given no
/// file and nothing piped in would otherwise seem to hang.
fn hint_on_a_terminal() {
    use std::io::IsTerminal;
    if io::stdin().is_terminal() {
        eprintln!(
            "hooknorm: reading stdin (a JSON body, or NDJSON one per line; Ctrl-D to end, or give a FILE)"
        );
    }
}

/// The input as text: UTF-8 checked once, a leading byte-order mark dropped.
pub fn decode(bytes: &[u8]) -> Result<&str, ConvertError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        // Safe: everything before `valid` is UTF-8 by definition.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let byte = bytes.get(valid).copied().unwrap_or_default();
        let mut error = ConvertError::new(
            ErrorKind::NotJson,
            "",
            "UTF-8 text (is it Latin-1? convert it with `iconv -f latin1 -t utf-8`)",
        )
        .found(format!("the byte 0x{byte:02X} at offset {valid}"));
        error.position = Some(line_column(before, before.len()));
        error
    })
}

/// One JSON document of an input: its text and the line it starts on.
#[derive(Debug, Clone, Copy)]
pub struct Document<'t> {
    pub text: &'t str,
    /// 1-based line of the input where the document starts.
    pub line: usize,
    /// Whether the document is one line of an NDJSON input.
    pub in_lines: bool,
}

/// Splits an input into documents: NDJSON (`.ndjson`/`.jsonl`, or several JSON
/// values one per line) gives one per non-blank line; anything else is one document.
pub fn documents<'t>(path: Option<&Path>, text: &'t str) -> Vec<Document<'t>> {
    let by_extension = path.is_some_and(has_lines_extension);
    if !(by_extension || looks_like_lines(text, false)) {
        return vec![Document {
            text,
            line: 1,
            in_lines: false,
        }];
    }
    text.split('\n')
        .enumerate()
        .map(|(index, line)| (index + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(line, text)| Document {
            text,
            line,
            in_lines: true,
        })
        .collect()
}

/// `text` with its control characters written as escapes (`\u{1b}`, `\n`).
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Whether a file's name says it holds one JSON value per line.
pub fn has_lines_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ndjson") || e.eq_ignore_ascii_case("jsonl"))
}

/// Whether `text` holds several JSON values, one per line (`more_follows`: the
/// input goes on after `text`, which ends with a whole line): its first non-blank
/// line is a whole JSON value and something follows it, or — the first line being
/// broken — a later line starts a whole JSON value at its first column. A pretty
/// document indents what it nests, so only its opening line starts a value there.
pub fn looks_like_lines(text: &str, more_follows: bool) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if is_whole_line(first.trim_start()) {
        return more_follows || lines.next().is_some();
    }
    lines.any(is_whole_line)
}

/// Whether a line is a whole JSON object or array, or a form-encoded body
/// (forms are one line each): what a line of NDJSON is.
pub fn is_whole_line(line: &str) -> bool {
    let line = line.trim_end();
    ((line.starts_with('{') || line.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(line).is_ok())
        || crate::form::looks_like_form(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_documents_stay_whole() {
        let pretty = "{\n  \"a\": 1\n}\n";
        assert_eq!(documents(None, pretty).len(), 1);
        assert_eq!(documents(None, "{\"a\": 1}\n").len(), 1);
    }

    #[test]
    fn ndjson_gives_one_document_per_line() {
        let docs = documents(None, "{\"a\": 1}\r\n\n{\"a\": 2}\n{\"a\": 3}");
        assert_eq!(
            docs.iter().map(|d| d.line).collect::<Vec<_>>(),
            vec![1, 3, 4]
        );
        assert_eq!(docs[0].text, "{\"a\": 1}");
        assert!(docs[0].in_lines);
    }

    /// Form-encoded bodies stored one per line are a stream of documents, as
    /// NDJSON is (a file of two forms was one "not JSON" error).
    #[test]
    fn forms_one_per_line_are_documents() {
        let docs = documents(None, "a=1&b[c]=2\nsecret=s&event=x\n");
        assert_eq!(docs.iter().map(|d| d.line).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(documents(None, "a=1&b=2\n").len(), 1);
        let mixed = documents(None, "a=1\n{\"a\": 2}\n");
        assert_eq!(mixed.len(), 2);
    }

    #[test]
    fn ndjson_with_a_broken_first_line() {
        let docs = documents(None, "{\"a\": }\n{\"a\": 2}\n");
        assert_eq!(docs.len(), 2);
    }

    #[test]
    fn a_broken_first_line_is_one_line_of_many() {
        // The first line does not even close its object.
        let docs = documents(None, "{\"secret\":\n{\"a\": 2}\n{\"a\": 3}\n");
        assert_eq!(docs.len(), 3);
        assert!(docs.iter().all(|d| d.in_lines));
        // A broken pretty document stays one document: nested values are indented.
        let pretty = "{\n  \"a\": {\"b\": 1}\n  \"c\": 2\n}\n";
        assert_eq!(documents(None, pretty).len(), 1);
    }

    #[test]
    fn extension_decides_for_one_line() {
        let docs = documents(Some(Path::new("x.ndjson")), "{\"a\": 1}\n");
        assert!(docs[0].in_lines);
    }

    #[test]
    fn reads_whole_files_into_a_reused_buffer() {
        let path = std::env::temp_dir().join(format!("hooknorm-read-{}", std::process::id()));
        let content: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        let mut buffer = b"left over".to_vec();
        Source::File(path.clone()).read_into(&mut buffer).unwrap();
        assert_eq!(buffer, content);
        std::fs::write(&path, b"{}").unwrap();
        Source::File(path.clone()).read_into(&mut buffer).unwrap();
        assert_eq!(buffer, b"{}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn bom_is_dropped_and_latin1_refused() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}"), Ok("{}"));
        let error = decode(b"{\"name\": \"Jo\xE3o\"}").unwrap_err();
        assert!(error.to_string().contains("0xE3 at offset 12"), "{error}");
        assert_eq!(error.position, Some((1, 13)));
    }
}
