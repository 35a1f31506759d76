//! `hooknorm completions SHELL`.

use crate::exit::Exit;
use crate::output::{Reporter, write_failed};
use clap_complete::Shell;
use std::io::Write;

/// The completion script of `shell`, as bytes.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "hooknorm", &mut buffer);
    buffer
}

/// The file name under `completions/` of each shell's script.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "hooknorm.bash",
        Shell::Zsh => "_hooknorm",
        Shell::Fish => "hooknorm.fish",
        Shell::PowerShell => "_hooknorm.ps1",
        Shell::Elvish => "hooknorm.elv",
        _ => "hooknorm.completion",
    }
}

pub fn run(shell: Shell, out: &mut impl Write, reporter: &Reporter) -> Exit {
    match out.write_all(&script(shell)).and_then(|()| out.flush()) {
        Ok(()) => Exit::Success,
        Err(error) => write_failed(&error, reporter),
    }
}
