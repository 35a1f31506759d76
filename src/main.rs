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

/// Whether descriptor 1 was closed when hooknorm started. Rust's start-up puts
/// `/dev/null` on a closed standard descriptor before `main`, so what `main`
/// sees cannot tell it from a `/dev/null` the caller gave (read-write, as
/// Python's `subprocess.DEVNULL` and service managers open it): the descriptor
/// is looked at by `RECORD_CLOSED_STDOUT`, which runs before that start-up.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
}

#[cfg(unix)]
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes whether descriptor 1 is closed; run by the loader before Rust's
/// start-up (an ELF `.init_array` entry, or Mach-O's `__mod_init_func`).
#[cfg(unix)]
extern "C" fn record_closed_stdout() {
    // SAFETY: fcntl(F_GETFD) only reads the descriptor table.
    let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } < 0
        && io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
    STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
}

#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_CLOSED_STDOUT: extern "C" fn() = record_closed_stdout;

#[cfg(any(target_os = "macos", target_os = "ios"))]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static RECORD_CLOSED_STDOUT: extern "C" fn() = record_closed_stdout;

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
