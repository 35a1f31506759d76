//! The subcommands. Each takes its parsed arguments and an output, and returns
//! the exit status; `main` only parses and dispatches.

pub mod completions;
pub mod convert;
pub mod detect;
pub mod diff;
pub mod explain;
pub mod schema;
pub mod validate;
pub mod verify;

use crate::cli::{Cli, Command};
use hooknorm::exit::Exit;
use hooknorm::output::{Painter, Reporter};
use std::io::Write;

/// Runs a parsed command line, writing results to `out`.
pub fn run(cli: &Cli, out: &mut impl Write) -> Exit {
    let reporter = Reporter {
        painter: Painter::stderr(cli.color.forced()),
        verbose: cli.verbose,
    };
    let inputs = match &cli.command {
        Command::Convert(args) => args.input.files.as_slice(),
        Command::Detect(args) => args.input.files.as_slice(),
        Command::Explain(args) => args.input.files.as_slice(),
        Command::Validate(args) => args.paths.as_slice(),
        _ => &[],
    };
    if inputs.iter().filter(|path| path.as_os_str() == "-").count() > 1 {
        reporter.usage("`-` (stdin) can be given once: it can only be read once");
        return Exit::Usage;
    }
    match &cli.command {
        Command::Convert(args) => convert::run(args, out, &reporter),
        Command::Detect(args) => {
            detect::run(args, Painter::stdout(cli.color.forced()), out, &reporter)
        }
        Command::Explain(args) => {
            explain::run(args, Painter::stdout(cli.color.forced()), out, &reporter)
        }
        Command::Validate(args) => {
            validate::run(args, Painter::stdout(cli.color.forced()), out, &reporter)
        }
        Command::Diff(args) => diff::run(args, Painter::stdout(cli.color.forced()), out, &reporter),
        Command::Verify(args) => {
            verify::run(args, Painter::stdout(cli.color.forced()), out, &reporter)
        }
        Command::Schema { name, bundle } => schema::run(name.as_deref(), *bundle, out, &reporter),
        Command::Completions { shell } => completions::run(*shell, out, &reporter),
    }
}
