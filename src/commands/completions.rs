//! `hooknorm completions SHELL`.

use clap_complete::Shell;
use hooknorm::exit::Exit;
use hooknorm::output::{Reporter, write_failed};
use std::io::Write;

/// The completion script of `shell`, as bytes.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "hooknorm", &mut buffer);
    buffer
}

pub fn run(shell: Shell, out: &mut impl Write, reporter: &Reporter) -> Exit {
    match out.write_all(&script(shell)).and_then(|()| out.flush()) {
        Ok(()) => Exit::Success,
        Err(error) => write_failed(&error, reporter),
    }
}
