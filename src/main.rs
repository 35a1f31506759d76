//! hooknorm's binary: parse, dispatch, exit with the status of `hooknorm::Exit`.

mod cli;
mod commands;

use hooknorm::Exit;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_worker_start_failures();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(error) if error.use_stderr() => {
            let _ = error.print();
            return ExitCode::from(Exit::Usage.code());
        }
        // Help and version go to stdout, and a failed write is a failure.
        Err(help) => {
            let text = help.render();
            let shown = if io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
                text.ansi().to_string()
            } else {
                text.to_string()
            };
            let written = stdout().and_then(|mut out| {
                out.write_all(shown.as_bytes())?;
                out.flush()
            });
            return ExitCode::from(match written {
                Ok(()) => Exit::Success.code(),
                Err(error) => output_failed(&error).code(),
            });
        }
    };
    let mut out = match stdout() {
        Ok(out) => BufWriter::with_capacity(64 * 1024, out),
        Err(error) => return ExitCode::from(output_failed(&error).code()),
    };
    ExitCode::from(commands::run(&cli, &mut out).code())
}

/// Standard output, as a handle whose every write error is seen. A closed
/// descriptor (`hooknorm convert x >&-`) would lose every event with exit 0:
/// Rust's start-up reopens it on `/dev/null` and `Stdout` reports success.
#[cfg(unix)]
fn stdout() -> io::Result<std::fs::File> {
    use std::os::fd::AsFd;
    if stdout_was_closed() {
        return Err(io::Error::other("standard output is closed"));
    }
    io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
}

/// Whether descriptor 1 was closed when hooknorm started: Rust's start-up puts
/// `/dev/null` opened read-write on a closed standard descriptor, where a shell's
/// `> /dev/null` opens it write-only.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    // SAFETY: fcntl, fstat and stat only read the descriptor table and fill the
    // zeroed `stat` buffers they are given.
    unsafe {
        let flags = libc::fcntl(1, libc::F_GETFL);
        if flags < 0 {
            return true;
        }
        if flags & libc::O_ACCMODE != libc::O_RDWR {
            return false;
        }
        let mut out: libc::stat = std::mem::zeroed();
        let mut null: libc::stat = std::mem::zeroed();
        libc::fstat(1, &mut out) == 0
            && libc::stat(c"/dev/null".as_ptr(), &mut null) == 0
            && out.st_mode & libc::S_IFMT == libc::S_IFCHR
            && out.st_rdev == null.st_rdev
    }
}

#[cfg(not(unix))]
fn stdout() -> io::Result<io::Stdout> {
    Ok(io::stdout())
}

fn output_failed(error: &io::Error) -> Exit {
    let reporter = hooknorm::output::Reporter {
        painter: hooknorm::output::Painter { enabled: false },
        verbose: false,
    };
    hooknorm::output::write_failed(error, &reporter)
}

/// A worker thread that the system lets start but gives no memory for its signal
/// stack dies in the standard library before running anything; the batch takes
/// its share on another thread. Say so in one line instead of a panic report;
/// every other panic is reported as usual.
fn quiet_worker_start_failures() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed to allocate an alternative stack") {
            eprintln!(
                "hooknorm: warning: a worker thread could not start ({message}); going on with fewer"
            );
        } else {
            report(info);
        }
    }));
}

/// mimalloc: documents are parsed into trees of many small allocations, freed
/// soon after; it serves them markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
