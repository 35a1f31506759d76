//! `hooknorm verify`: one captured request, authentic or not.

use crate::cli::VerifyArgs;
use hooknorm::exit::Exit;
use hooknorm::input::Source;
use hooknorm::output::{Painter, Reporter, write_failed};
use hooknorm::verify::{Options, verify};
use std::io::Write;

pub fn run(args: &VerifyArgs, painter: Painter, out: &mut impl Write, reporter: &Reporter) -> Exit {
    if args.secret.is_empty() {
        reporter.usage("the secret is empty: give it with --secret or HOOKNORM_SECRET");
        return Exit::Usage;
    }
    let source = Source::from_args(args.file.as_slice()).remove(0);
    let name = source.name();
    let bytes = match source.read() {
        Ok(bytes) => bytes,
        Err(error) => {
            reporter.io_error(&name, &error);
            return Exit::of_read_error(&error);
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let options = Options {
        provider: args.provider,
        headers: args.headers.clone(),
        query: args.query.clone(),
        tolerance: args.tolerance,
        now,
        allow_echoed_secret: args.allow_echoed_secret,
    };
    let verdict = match verify(&bytes, args.secret.as_bytes(), &options) {
        Ok(verdict) => verdict,
        Err(error) => {
            reporter.convert_error(&name, 1, false, &error);
            return error.exit();
        }
    };
    let (word, status) = if verdict.authentic {
        (painter.good("authentic"), Exit::Success)
    } else {
        (painter.error("not authentic"), Exit::Failed)
    };
    let written = writeln!(
        out,
        "{}: {word}: {} {} ({})",
        painter.strong(&name),
        verdict.provider,
        verdict.scheme,
        verdict.detail
    )
    .and_then(|()| out.flush());
    match written {
        Ok(()) => status,
        Err(error) => write_failed(&error, reporter),
    }
}
