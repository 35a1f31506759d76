//! hooknorm's binary: parse, dispatch, exit with the status of `hooknorm::Exit`.

use clap::Parser;
use hooknorm::cli::Cli;
use std::io::{self, BufWriter};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version to stdout with status 0, usage errors with 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                hooknorm::Exit::Usage.code()
            } else {
                0
            });
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    ExitCode::from(hooknorm::commands::run(&cli, &mut out).code())
}

/// mimalloc: documents are parsed into trees of many small allocations, freed
/// soon after; it serves them markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
