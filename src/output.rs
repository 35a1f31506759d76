//! Output: colour decided per stream, diagnostics on stderr, events on stdout.

use crate::error::ConvertError;
use colored::Colorize;
use std::io::{self, IsTerminal, Write};

/// Whether one stream gets colour. `colored` itself decides from stdout alone,
/// so it is told to always colour and each stream asks its own `Painter`.
/// What a batch did: documents that gave an output, documents that failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub succeeded: usize,
    pub failed: usize,
    /// Whether `--fail-fast` ended the batch early.
    pub stopped: bool,
    /// Whether the output could not be written (a closed pipe included): the
    /// batch stopped, and so should its caller.
    pub closed: bool,
}

impl Tally {
    pub fn documents(&self) -> usize {
        self.succeeded + self.failed
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Painter {
    pub enabled: bool,
}

impl Painter {
    /// Colour when `forced` says so (`--color always`/`never`), else on a
    /// terminal unless NO_COLOR is set.
    pub fn new(forced: Option<bool>, is_terminal: bool) -> Painter {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let enabled = forced.unwrap_or(is_terminal && !no_color);
        colored::control::set_override(true);
        Painter { enabled }
    }

    pub fn stdout(forced: Option<bool>) -> Painter {
        Painter::new(forced, io::stdout().is_terminal())
    }

    pub fn stderr(forced: Option<bool>) -> Painter {
        Painter::new(forced, io::stderr().is_terminal())
    }

    fn paint(&self, text: &str, style: fn(&str) -> colored::ColoredString) -> String {
        if self.enabled {
            style(text).to_string()
        } else {
            text.to_owned()
        }
    }

    pub fn error(&self, text: &str) -> String {
        self.paint(text, |t| t.red().bold())
    }

    pub fn warning(&self, text: &str) -> String {
        self.paint(text, |t| t.yellow().bold())
    }

    pub fn strong(&self, text: &str) -> String {
        self.paint(text, |t| t.bold())
    }

    pub fn good(&self, text: &str) -> String {
        self.paint(text, |t| t.green())
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(text, |t| t.dimmed())
    }
}

/// Writes diagnostics to stderr: `error: INPUT:LINE:COLUMN: POINTER: expected …, found …`.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    pub painter: Painter,
    /// `--verbose`: an unknown provider's error lists every provider's keys.
    pub verbose: bool,
}

impl Reporter {
    /// An error of the document that starts at `first_line` of `input`; `in_lines`
    /// when it is one line of NDJSON (the line is then always named).
    pub fn convert_error(
        &self,
        input: &str,
        first_line: usize,
        in_lines: bool,
        error: &ConvertError,
    ) {
        let mut location = input.to_owned();
        match error.position {
            Some((line, column)) => {
                location.push_str(&format!(":{}:{column}", first_line + line - 1))
            }
            None if in_lines => location.push_str(&format!(":{first_line}")),
            None => {}
        }
        self.line(&format!(
            "{}: {}: {}",
            self.painter.error("error"),
            self.painter.strong(&location),
            error.reason()
        ));
        if error.kind == crate::error::ErrorKind::UnknownProvider
            && error.expected.starts_with(crate::providers::NEAREST)
        {
            self.every_provider();
        }
    }

    /// After an unknown provider's error: what every provider sends with
    /// `--verbose`, else how to see it.
    fn every_provider(&self) {
        let line = match self.verbose {
            true => format!("  every provider: {}", crate::providers::looked_for()),
            false => {
                "  (`--provider NAME` skips detection; `--verbose` lists what every provider sends)"
                    .to_owned()
            }
        };
        self.line(&self.painter.dim(&line));
    }

    pub fn io_error(&self, input: &str, error: &io::Error) {
        let reason = io_reason(error);
        self.line(&format!(
            "{}: {}: {reason}",
            self.painter.error("error"),
            self.painter.strong(input)
        ));
    }

    pub fn usage(&self, message: &str) {
        self.line(&format!("{}: {message}", self.painter.error("error")));
    }

    pub fn summary(&self, tally: &Tally, verb: &str) {
        let failed_text = format!("{} failed", tally.failed);
        let failed_text = if tally.failed > 0 {
            self.painter.error(&failed_text)
        } else {
            failed_text
        };
        let stopped = if tally.stopped {
            " (stopped at the first failure: --fail-fast)"
        } else {
            ""
        };
        self.line(&format!(
            "hooknorm: {} {verb}, {failed_text}{stopped}",
            tally.succeeded
        ));
    }

    /// A line on stderr as it is.
    pub fn line(&self, text: &str) {
        let mut stderr = io::stderr().lock();
        let _ = writeln!(stderr, "{text}");
    }
}

/// An I/O error as messages word it.
pub fn io_reason(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::IsADirectory => {
            "a folder: this command reads files (give the folder's files, e.g. DIR/*.json; `validate` searches folders)".to_owned()
        }
        _ => error.to_string(),
    }
}

/// Ends a command after an output error: a closed pipe (`| head`) is a normal end.
/// The error is reported once: the buffered output that could not be written
/// fails again when the command flushes it at its end (a full device).
pub fn write_failed(error: &io::Error, reporter: &Reporter) -> crate::Exit {
    use std::sync::atomic::{AtomicBool, Ordering};
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if error.kind() == io::ErrorKind::BrokenPipe {
        return crate::Exit::Success;
    }
    if !REPORTED.swap(true, Ordering::Relaxed) {
        reporter.io_error("<stdout>", error);
    }
    crate::Exit::IoError
}
