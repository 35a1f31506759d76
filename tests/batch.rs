//! Batches: NDJSON streams and many files. Each input yields one output or one
//! error record, in order, on one thread or several; `--fail-fast` stops at the
//! first failure; the count closes the run; memory does not grow with the stream.

mod common;

use common::{hooknorm, peak_rss_kb, read, sample};
use predicates::prelude::*;
use predicates::str::contains;
use std::io::Write;
use std::process::{Command, Stdio};

/// Every raw sample as one compact line.
fn sample_lines() -> Vec<String> {
    let mut lines = Vec::new();
    // Every provider's samples: those that convert alone (no event header needed).
    for provider in hooknorm::providers::Provider::all() {
        let dir = common::root().join("samples").join(provider.as_str());
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("samples")
            .map(|e| e.expect("entry").path())
            .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let value: serde_json::Value = serde_json::from_str(&read(&path)).expect("JSON");
            // OPABOX bodies carry no event; those with a status convert alone.
            if hooknorm()
                .arg("convert")
                .arg(&path)
                .output()
                .expect("runs")
                .status
                .success()
            {
                lines.push(value.to_string());
            }
        }
    }
    lines
}

/// `count` lines cycling through the samples, with line `broken` cut short and
/// line `latin1` holding a byte that is not UTF-8 (1-based), and one blank line.
fn stream(count: usize, broken: usize, latin1: usize) -> (Vec<u8>, usize) {
    let lines = sample_lines();
    let mut out = Vec::new();
    let mut good = 0;
    for number in 1..=count {
        let line = &lines[number % lines.len()];
        if number == broken {
            out.extend_from_slice(&line.as_bytes()[..line.len() / 2]);
        } else if number == latin1 {
            out.extend_from_slice(b"{\"name\": \"Jo\xE3o\"}");
        } else if number == count / 3 {
            out.extend_from_slice(b"   ");
        } else {
            out.extend_from_slice(line.as_bytes());
            good += 1;
        }
        out.push(b'\n');
    }
    (out, good)
}

fn run(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    let output = hooknorm()
        .arg("convert")
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_long_stream_reports_its_bad_lines_and_converts_every_other_in_order() {
    // About 8 MB: several blocks, each cut across two workers with --jobs 2.
    let (input, good) = stream(3_000, 1_700, 2_900);
    let (code, one_thread, stderr) = run(&["--jobs", "1"], &input);
    assert_eq!(code, Some(65), "{stderr}");
    assert_eq!(one_thread.lines().count(), good);
    assert!(stderr.contains("error: <stdin>:1700:"), "{stderr}");
    assert!(stderr.contains("truncated"), "{stderr}");
    assert!(
        stderr.contains("error: <stdin>:2900:13: not JSON: expected UTF-8 text"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!("hooknorm: {good} converted, 2 failed\n")),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 3, "{stderr}");

    let (code, two_threads, stderr_two) = run(&["--jobs", "2"], &input);
    assert_eq!(code, Some(65));
    assert!(one_thread == two_threads, "--jobs 2 changed the output");
    assert_eq!(stderr, stderr_two);
}

#[test]
fn fail_fast_stops_at_the_first_failure_with_nothing_after_it() {
    let (input, _) = stream(3_000, 1_700, 2_900);
    for jobs in ["1", "2"] {
        let (code, stdout, stderr) = run(&["--fail-fast", "--jobs", jobs], &input);
        assert_eq!(code, Some(65), "{stderr}");
        // Lines 1..=1699, less the blank one (line 1000).
        assert_eq!(stdout.lines().count(), 1_698, "--jobs {jobs}");
        assert!(stderr.contains("error: <stdin>:1700:"), "{stderr}");
        assert!(!stderr.contains(":2900:"), "{stderr}");
        assert!(
            stderr.ends_with(
                "hooknorm: 1698 converted, 1 failed (stopped at the first failure: --fail-fast)\n"
            ),
            "{stderr}"
        );
    }
}

#[test]
fn many_files_each_give_one_output_or_one_error() {
    let dir = common::temp_dir("batch-files");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"secret\": \"s\", \"event\":").expect("written");
    let missing = dir.join("missing.json");
    let good = sample("cakto/purchase_approved.pix.unique.notion-doc.json");
    let assert = hooknorm()
        .args(["convert", "--compact"])
        .args([&good, &missing, &broken, &good])
        .assert()
        .code(66);
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].contains("missing.json: no such file or directory"));
    assert!(lines[1].contains("broken.json:1:24: not JSON"), "{stderr}");
    assert_eq!(lines[2], "hooknorm: 2 converted, 2 failed");

    hooknorm()
        .args(["convert", "--fail-fast"])
        .args([&good, &missing, &broken])
        .assert()
        .code(66)
        .stderr(predicates::str::contains("broken.json").not())
        .stderr(predicates::str::ends_with(
            "hooknorm: 1 converted, 1 failed (stopped at the first failure: --fail-fast)\n",
        ));
}

/// Many files are read and run by the workers a group at a time and written in
/// input order: the same bytes on stdout and stderr as one thread, whatever mix
/// of good, broken, missing, NDJSON-in-a-.json and larger-than-a-worker-reads files.
#[test]
fn many_files_on_several_threads_match_one_thread() {
    let dir = common::temp_dir("batch-many-files");
    let lines = sample_lines();
    let mut files = Vec::new();
    for (index, line) in lines.iter().cycle().take(150).enumerate() {
        let path = dir.join(format!("{index:03}.json"));
        let text = match index {
            17 => "{\"secret\": \"s\", \"event\":".to_owned(),
            40 => format!("{line}\n{line}\n{line}\n"),
            _ => serde_json::to_string_pretty(
                &serde_json::from_str::<serde_json::Value>(line).expect("JSON"),
            )
            .expect("JSON"),
        };
        std::fs::write(&path, text).expect("written");
        files.push(path);
        if index == 90 {
            files.push(dir.join("missing.json"));
        }
    }
    // Larger than a worker reads whole (8 MiB): streamed in its turn.
    let large = dir.join("large.json");
    let mut text = String::new();
    while text.len() <= 9 << 20 {
        for line in &lines {
            text.push_str(line);
            text.push('\n');
        }
    }
    std::fs::write(&large, &text).expect("written");
    files.insert(120, large);
    let run = |jobs: &str| {
        hooknorm()
            .args(["convert", "--compact", "--jobs", jobs])
            .args(&files)
            .output()
            .expect("runs")
    };
    let one = run("1");
    assert_eq!(one.status.code(), Some(66));
    let stderr = String::from_utf8_lossy(&one.stderr);
    assert!(stderr.contains("017.json:1:24: not JSON"), "{stderr}");
    assert!(
        stderr.contains("missing.json: no such file or directory"),
        "{stderr}"
    );
    for jobs in ["2", "3", "16"] {
        let many = run(jobs);
        assert_eq!(many.status.code(), one.status.code(), "--jobs {jobs}");
        assert!(many.stdout == one.stdout, "--jobs {jobs}: stdout differs");
        assert_eq!(
            String::from_utf8_lossy(&many.stderr),
            stderr,
            "--jobs {jobs}: stderr differs"
        );
    }
}

/// A FIFO among many files (`<(…)` gives one) is read once, whole, in its turn:
/// a worker that read part of it, or opened and closed it, would lose lines or
/// kill its writer.
#[cfg(unix)]
#[test]
fn a_fifo_among_files_is_read_once_and_whole() {
    let dir = common::temp_dir("batch-fifo");
    let fifo = dir.join("stream.json");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let lines = sample_lines();
    let mut text = String::new();
    let mut count = 0;
    while text.len() <= 9 << 20 {
        for line in &lines {
            text.push_str(line);
            text.push('\n');
            count += 1;
        }
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new()
                .write(true)
                .open(&fifo)
                .expect("open the FIFO");
            pipe.write_all(text.as_bytes())
                .expect("the reader reads it all")
        })
    };
    let good = sample("cakto/purchase_approved.pix.unique.notion-doc.json");
    let output = hooknorm()
        .args(["convert", "--compact", "--jobs", "2"])
        .arg(&good)
        .arg(&fifo)
        .arg(&good)
        .output()
        .expect("runs");
    writer.join().expect("the writer finished");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.stdout.iter().filter(|&&b| b == b'\n').count(),
        count + 2
    );
}

#[test]
fn a_successful_batch_still_says_how_many_converted() {
    let line = serde_json::from_str::<serde_json::Value>(&read(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.json",
    )))
    .expect("JSON")
    .to_string();
    let (code, stdout, stderr) = run(&[], format!("{line}\n{line}\n").as_bytes());
    assert_eq!(code, Some(0));
    assert_eq!(stdout.lines().count(), 2);
    assert_eq!(stderr, "hooknorm: 2 converted, 0 failed\n");
    // One document alone needs no count.
    hooknorm()
        .arg("convert")
        .write_stdin(line)
        .assert()
        .success()
        .stderr("");
}

/// Peak resident memory of a process, from Linux's /proc (kB).

#[test]
fn memory_stays_bounded_however_long_the_stream() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // Peak memory is read from Linux's /proc.
    }
    let lines = sample_lines();
    let binary = assert_cmd::cargo::cargo_bin("hooknorm");
    let mut child = Command::new(binary)
        .args(["convert", "--jobs", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("piped");
    let mut written = 0;
    let mut peak_at_half = 0;
    // 64 MB of NDJSON, more than the bound.
    'feed: for round in 0.. {
        for line in &lines {
            if stdin.write_all(line.as_bytes()).is_err() || stdin.write_all(b"\n").is_err() {
                break 'feed;
            }
            written += line.len() + 1;
            if written > 64 << 20 {
                break 'feed;
            }
        }
        if round == 0 {
            continue;
        }
        if peak_at_half == 0 && written > 32 << 20 {
            peak_at_half = peak_rss_kb(pid).unwrap_or_default();
        }
    }
    let peak = peak_rss_kb(pid).unwrap_or_default();
    drop(stdin);
    assert!(child.wait().expect("ends").success());
    // Memory holds a few blocks, not the stream: the second half of the stream
    // adds nothing, and the whole stays under 48 MB (a debug build, two workers).
    assert!(peak > 0 && peak < 48 * 1024, "peak {peak} kB");
    assert!(
        peak <= peak_at_half + 8 * 1024,
        "grew from {peak_at_half} kB to {peak} kB"
    );
}

/// A stream on stdin (or not named `.ndjson`) whose first line is broken was read
/// as one document: every later good line was lost. The first line is judged as a
/// line, for `convert`, `detect` and `validate`.
#[test]
fn a_broken_first_line_loses_nothing() {
    let good = r#"{"secret":"s","event":"purchase_approved","data":{"id":"o1"}}"#;
    let input = format!("{{\"secret\":\n{good}\n{good}\n");
    for (command, counted) in [("convert", "2 converted"), ("detect", "2 detected")] {
        let assert = hooknorm()
            .arg(command)
            .write_stdin(input.clone())
            .assert()
            .code(65)
            .stderr(contains("<stdin>:1:"))
            .stderr(contains(counted));
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert_eq!(stdout.lines().count(), 2, "{command}: {stdout}");
    }
    hooknorm()
        .arg("validate")
        .write_stdin(input)
        .assert()
        .code(65)
        .stdout(contains("2 valid, 0 invalid (1 file, 3 documents)"));
}

/// A first line longer than a block (two 1.1 MB bodies piped in) gave no output
/// and one "trailing characters" error: lines are unbounded in length.
#[test]
fn a_first_line_longer_than_a_block_is_still_a_line() {
    let padding = "x".repeat(1_100_000);
    let body = format!(
        r#"{{"secret":"s","event":"purchase_approved","data":{{"id":"o1","note":"{padding}"}}}}"#
    );
    let input = format!("{body}\n{body}\n");
    let assert = hooknorm()
        .args(["convert", "--jobs", "2"])
        .write_stdin(input)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(stdout.lines().count(), 2);
}

/// A reader that stops early (`hooknorm convert big.ndjson | head`) ends the run
/// quietly with status 0: a closed pipe is not a failure.
#[test]
fn a_closed_pipe_is_a_quiet_end() {
    let (input, _) = stream(20_000, 0, 0);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("hooknorm"))
        .arg("convert")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first).expect("output");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("ends");
    let _ = writer.join();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("<stdout>"));
}

/// Tiny bodies give events many times their size: a 1 MiB block of 50-byte
/// bodies held 70–80 MB of output. Blocks are bounded by lines too.
#[test]
fn memory_stays_bounded_for_tiny_bodies() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // Peak memory is read from Linux's /proc.
    }
    let dir = common::temp_dir("tiny-bodies");
    let path = dir.join("tiny.ndjson");
    let line = "{\"secret\":\"s\",\"event\":\"refund\",\"data\":{\"id\":\"o1\"}}\n";
    std::fs::write(&path, line.repeat(100_000)).expect("write");
    for jobs in ["1", "2"] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("hooknorm"))
            .args(["convert", "--jobs", jobs])
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let pid = child.id();
        let mut out = child.stdout.take().expect("stdout");
        let (mut peak, mut lines, mut reads) = (0, 0, 0u32);
        let mut buffer = vec![0u8; 1 << 16];
        while let Ok(read @ 1..) = std::io::Read::read(&mut out, &mut buffer) {
            lines += memchr::memchr_iter(b'\n', &buffer[..read]).count();
            reads += 1;
            if reads % 16 == 0 {
                peak = peak.max(peak_rss_kb(pid).unwrap_or_default());
            }
        }
        peak = peak.max(peak_rss_kb(pid).unwrap_or_default());
        assert!(child.wait().expect("ends").success());
        assert_eq!(lines, 100_000, "jobs {jobs}");
        // A debug build: realistic bodies stay under 48 MB, tiny ones did not.
        assert!(peak > 0 && peak < 48 * 1024, "jobs {jobs}: peak {peak} kB");
    }
}

/// What a document or line longer than the limit gets.
const TOO_LARGE: &str = "expected a document or line of at most 64 MiB, found a longer one";

/// A stream with no line end was held whole however long (300 MB of NUL bytes:
/// 660 MB of memory): past 64 MiB it is refused, and the rest is not read.
#[test]
fn a_document_longer_than_the_limit_is_refused_unread() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hooknorm"))
        .arg("convert")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let block = vec![0u8; 1 << 20];
        // 256 MiB, unless hooknorm stops reading first (a broken pipe).
        (0..256)
            .take_while(|_| stdin.write_all(&block).is_ok())
            .count()
    });
    let output = child.wait_with_output().expect("ends");
    let written = writer.join().expect("the writer ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(65), "{stderr}");
    assert!(
        stderr.contains(&format!("<stdin>: {TOO_LARGE}")),
        "{stderr}"
    );
    assert!(written < 256, "all {written} MiB were read");
}

/// A line of a stream longer than the limit is one failure; the lines after it
/// are converted, numbered as in the input.
#[test]
fn a_line_longer_than_the_limit_is_one_failure() {
    let line = sample_lines().into_iter().next().expect("a sample line");
    let dir = common::temp_dir("long-line");
    let path = dir.join("long.ndjson");
    let mut file = std::fs::File::create(&path).expect("create");
    writeln!(file, "{line}").expect("write");
    file.write_all(&vec![b' '; 65 << 20]).expect("write");
    write!(file, "\n{line}\n{line}\n").expect("write");
    drop(file);
    for jobs in ["1", "2"] {
        let output = hooknorm()
            .args(["convert", "--jobs", jobs])
            .arg(&path)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(65), "{stderr}");
        assert!(
            stderr.contains(&format!("long.ndjson:2: {TOO_LARGE}")),
            "{stderr}"
        );
        assert!(stderr.contains("3 converted, 1 failed"), "{stderr}");
        assert_eq!(output.stdout.iter().filter(|&&b| b == b'\n').count(), 3);
    }
}
