//! The reference points of `bench/run.sh`, on NDJSON read from a file or stdin:
//!
//! - `floor`: parse each line into `serde_json::Value` and write it back compactly,
//!   the cost of touching the data at all;
//! - `ceiling`: check each line's syntax with `IgnoredAny` and build nothing, the
//!   practical limit of any serde_json path.
//!
//! Both read the input as hooknorm does — blocks of whole lines, UTF-8 checked
//! once per block, `from_str` per line — and write through one locked, buffered
//! stdout, so that the comparison is of the work per line alone.

use serde::de::IgnoredAny;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let each: fn(&str, &mut Output) -> io::Result<()> = match mode.as_str() {
        "floor" => floor,
        "ceiling" => ceiling,
        _ => {
            eprintln!("usage: hooknorm-floor floor|ceiling [FILE]");
            return ExitCode::from(2);
        }
    };
    let input: io::Result<Box<dyn Read>> = match args.next() {
        Some(path) => std::fs::File::open(path).map(|f| Box::new(f) as Box<dyn Read>),
        None => Ok(Box::new(io::stdin().lock())),
    };
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    match input.and_then(|input| run(input, each, &mut out)).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hooknorm-floor: {error}");
            ExitCode::from(65)
        }
    }
}

type Output<'a> = BufWriter<io::StdoutLock<'a>>;

/// Reads blocks of whole lines (as hooknorm does: bounded memory, one UTF-8
/// check per block) and hands each non-blank line to `each`.
fn run(
    mut input: Box<dyn Read>,
    each: fn(&str, &mut Output) -> io::Result<()>,
    out: &mut Output,
) -> io::Result<()> {
    const BLOCK: usize = 4 << 20;
    let mut buffer: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    loop {
        let want = BLOCK.saturating_sub(buffer.len()).max(BLOCK / 2);
        let read = (&mut input).take(want as u64).read_to_end(&mut buffer)?;
        let eof = read < want;
        let end = if eof {
            buffer.len()
        } else {
            match buffer.iter().rposition(|&b| b == b'\n') {
                Some(newline) => newline + 1,
                None => continue,
            }
        };
        let text = std::str::from_utf8(&buffer[..end])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            each(line, out)?;
        }
        buffer.drain(..end);
        if eof {
            return Ok(());
        }
    }
}

fn floor(line: &str, out: &mut Output) -> io::Result<()> {
    let value: serde_json::Value = serde_json::from_str(line)?;
    serde_json::to_writer(&mut *out, &value)?;
    out.write_all(b"\n")
}

fn ceiling(line: &str, _: &mut Output) -> io::Result<()> {
    serde_json::from_str::<IgnoredAny>(line)?;
    Ok(())
}
