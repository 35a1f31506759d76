//! A live stream on stdin: events are written as their lines come, the input
//! is judged on its content alone (never on when it comes), documents back to
//! back convert one by one, and a terminal is told that stdin is being read.

mod common;

use common::{hooknorm, read, sample};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const CAKTO_PIX: &str = "cakto/purchase_approved.pix.unique.notion-doc.json";

/// The sample as one NDJSON line, with its order id replaced by `id`.
fn line(id: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(&read(&sample(CAKTO_PIX))).expect("JSON");
    let text = body.to_string();
    format!(
        "{}\n",
        text.replace("81b408ee-2a91-427d-80bd-226cbeae1fa0", id)
    )
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hooknorm"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("hooknorm starts")
}

/// The lines of `stdout`, as they are written, on a channel.
fn lines_of(stdout: ChildStdout) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

/// The next output line within `wait`, if any.
fn next_within(lines: &mpsc::Receiver<String>, wait: Duration) -> Option<String> {
    lines.recv_timeout(wait).ok()
}

#[test]
fn each_event_is_written_when_its_line_comes_while_the_writer_pauses() {
    for jobs in ["1", "2"] {
        let mut child = spawn(&["convert", "--jobs", jobs]);
        let mut stdin = child.stdin.take().expect("stdin");
        let lines = lines_of(child.stdout.take().expect("stdout"));
        // Two lines tell NDJSON; from then on each line is converted as it comes.
        stdin
            .write_all(format!("{}{}", line("first"), line("second")).as_bytes())
            .expect("written");
        for id in ["first", "second", "third", "fourth"] {
            if id == "third" || id == "fourth" {
                stdin.write_all(line(id).as_bytes()).expect("written");
            }
            let started = Instant::now();
            let event = next_within(&lines, Duration::from_secs(20)).unwrap_or_else(|| {
                panic!("--jobs {jobs}: no event for {id} while the writer waits")
            });
            assert!(
                event.contains(&format!("\"cakto:order.paid:{id}\"")),
                "--jobs {jobs}: {event}"
            );
            assert!(started.elapsed() < Duration::from_secs(20));
        }
        drop(stdin);
        assert!(child.wait().expect("exits").success());
    }
}

#[test]
fn one_line_then_a_pause_then_the_end_is_one_document_as_without_the_pause() {
    let body = line("alone");
    let all_at_once = hooknorm()
        .arg("convert")
        .write_stdin(body.clone())
        .output()
        .expect("runs");
    let mut child = spawn(&["convert"]);
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(body.as_bytes()).expect("written");
    std::thread::sleep(Duration::from_millis(500));
    drop(stdin);
    let mut paused = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut paused)
        .expect("read");
    assert!(child.wait().expect("exits").success());
    assert!(paused.starts_with("{\n  \"event\""), "{paused}");
    assert_eq!(paused.as_bytes(), all_at_once.stdout.as_slice());
}

#[test]
fn pretty_documents_back_to_back_convert_one_by_one() {
    let pretty = read(&sample(CAKTO_PIX));
    let one = hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(pretty.clone())
        .output()
        .expect("runs");
    let both = hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(format!("{pretty}{pretty}"))
        .output()
        .expect("runs");
    assert!(both.status.success(), "{both:?}");
    assert_eq!(both.stdout, [one.stdout.clone(), one.stdout].concat());
    assert_eq!(
        String::from_utf8_lossy(&both.stderr),
        "hooknorm: 2 converted, 0 failed\n"
    );
}

#[test]
fn documents_back_to_back_are_each_placed_in_their_errors() {
    let good = line("good");
    let good = good.trim_end();
    let bad_amount =
        r#"{"secret":"s","event":"purchase_approved","data":{"id":"o1","amount":"R$"}}"#;
    // Three values on two lines, as jq reads them, then a truncated one.
    let stdin = format!("{good} {bad_amount}\n  {{\"a\": 1}}\n{{\"b\":");
    let output = hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(stdin)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("cakto:order.paid:good"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let column = good.chars().count() + 1 + 70;
    let want = [
        format!("error: <stdin>:1:{column}: /data/amount: expected a decimal amount"),
        "error: <stdin>:2:3: unknown provider".to_owned(),
        "error: <stdin>:3:5: not JSON: expected more input: the JSON is truncated".to_owned(),
        "hooknorm: 1 converted, 3 failed".to_owned(),
    ];
    let got: Vec<&str> = stderr.lines().collect();
    assert_eq!(got.len(), want.len(), "{stderr}");
    for (got, want) in got.iter().zip(&want) {
        assert!(got.starts_with(want.as_str()), "{got}\nwanted {want}");
    }
}

#[test]
fn empty_stdin_is_empty_from_line_one() {
    for stdin in ["\n", "\n\n  \n"] {
        hooknorm()
            .arg("convert")
            .write_stdin(stdin)
            .assert()
            .code(65)
            .stderr("error: <stdin>:1:1: not JSON: expected a JSON value, found empty input\n");
    }
}

/// A pseudo-terminal: its controlling side, and the terminal a child is given.
#[cfg(target_os = "linux")]
fn pseudo_terminal() -> (std::os::fd::OwnedFd, std::os::fd::OwnedFd) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut controller, mut terminal) = (0, 0);
    // SAFETY: openpty fills the two descriptors it is given; the null pointers
    // ask for no name and default settings.
    let opened = unsafe {
        libc::openpty(
            &mut controller,
            &mut terminal,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(opened, 0, "no pseudo-terminal");
    // SAFETY: both descriptors were just opened and are owned here alone.
    unsafe {
        (
            OwnedFd::from_raw_fd(controller),
            OwnedFd::from_raw_fd(terminal),
        )
    }
}

/// On a terminal with nothing piped in, stderr says that stdin is being read.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_on_stdin_is_told_that_stdin_is_read() {
    let (controller, terminal) = pseudo_terminal();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hooknorm"))
        .arg("convert")
        .stdin(Stdio::from(terminal))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hooknorm starts");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = stderr.read_line(&mut first);
        let _ = send.send(first);
    });
    let hint = receive.recv_timeout(Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    drop(controller);
    let hint = hint.expect("a line on stderr while hooknorm waits");
    assert!(hint.starts_with("hooknorm: reading stdin"), "{hint}");
}

/// A long validation shows its progress on a terminal's stderr, and nothing
/// when stderr is not a terminal.
#[cfg(target_os = "linux")]
#[test]
fn a_long_validation_shows_progress_on_a_terminal_only() {
    let folder = common::temp_dir("progress");
    let lines = folder.join("events.ndjson");
    let body = line("progress");
    std::fs::write(&lines, body.repeat(2_000)).expect("written");
    let (controller, terminal) = pseudo_terminal();
    let status = Command::new(env!("CARGO_BIN_EXE_hooknorm"))
        .arg("validate")
        .arg(&lines)
        .env("HOOKNORM_PROGRESS_DELAY_MS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::from(terminal))
        .status()
        .expect("hooknorm runs");
    assert!(status.success());
    // The terminal side is closed with the child: read what it was shown.
    let mut shown = Vec::new();
    let _ = std::fs::File::from(controller).read_to_end(&mut shown);
    let shown = String::from_utf8_lossy(&shown);
    assert!(shown.contains("\rvalidating: "), "{shown:?}");
    assert!(shown.contains(" documents"), "{shown:?}");
    let piped = hooknorm()
        .arg("validate")
        .arg(&lines)
        .env("HOOKNORM_PROGRESS_DELAY_MS", "0")
        .output()
        .expect("runs");
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}
