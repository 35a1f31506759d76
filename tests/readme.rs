//! Every command block of README.md runs here, so that the README cannot go
//! stale. A block is a fenced code block whose info string is `sh` or `console`:
//!
//! - Lines starting with `$ ` are commands: each runs with `sh -c` in the
//!   repository root, the `hooknorm` under test first on `PATH`, `NO_COLOR` set,
//!   its stdout and stderr merged. The lines after it, up to the next `$ `, are
//!   its output, compared line by line: `…` alone on a line stands for any lines
//!   (none included), and a line ending in `…` for any line that starts with the
//!   text before it. A command whose output is left out entirely is refused:
//!   write `…` to say so.
//! - A block without `$ ` is a recipe of commands that need more than the binary
//!   (a toolchain, Python, Spark, a peer validator): each of its lines must be one
//!   of `RECIPES` below, which says how that line is kept true.
//!
//! To add an example to the README, write it as `$ hooknorm …` with its output in
//! a `sh` block: it is tested as it is. To show a block that is not a command
//! (a synopsis, a format), give it no info string or another one (`json`, `rust`).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced code block: its info string, its first line in the README, its lines.
struct Block {
    info: String,
    line: usize,
    lines: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        match (open.take(), line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    info: info.trim().to_owned(),
                    line: index + 2,
                    lines: Vec::new(),
                })
            }
            (Some(block), Some(_)) => blocks.push(block),
            (Some(mut block), None) => {
                block.lines.push(line.to_owned());
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "README.md: a code block is never closed");
    blocks
}

fn is_command_block(block: &Block) -> bool {
    let language = block.info.split_whitespace().next().unwrap_or_default();
    matches!(language, "sh" | "console")
}

/// One `$ ` command of a block and the output written under it.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(block: &Block) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for (index, line) in block.lines.iter().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                line: block.line + index,
                command: command.to_owned(),
                expected: Vec::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.expected.push(line.clone());
        }
    }
    // A blank line ends an example's output when another command follows it.
    for example in &mut examples {
        while example.expected.last().is_some_and(|l| l.is_empty()) {
            example.expected.pop();
        }
    }
    examples
}

/// Runs a README command the way a reader would, with the binary under test.
fn run(command: &str) -> String {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_hooknorm"));
    let folder = binary.parent().expect("the binary's folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![folder.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} 2>&1"))
        .current_dir(root())
        .env("PATH", std::env::join_paths(paths).expect("a PATH"))
        .env("NO_COLOR", "1")
        .env_remove("HOOKNORM_REDACT_KEY")
        .env_remove("HOOKNORM_SECRET")
        .env("COLUMNS", "100")
        .output()
        .expect("sh runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether `actual` is what `expected` shows, with `…` as described above.
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual.split_first().is_some_and(|(line, after)| {
            let same = match first.strip_suffix('…') {
                Some(start) => line.starts_with(start),
                None => line == first,
            };
            same && matches(rest, after)
        }),
    }
}

#[test]
fn every_command_of_the_readme_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in blocks(&readme).iter().filter(|b| is_command_block(b)) {
        for example in examples(block) {
            assert!(
                !example.expected.is_empty(),
                "README.md:{}: `{}` shows no output: write its output, or `…`",
                example.line,
                example.command
            );
            let actual = run(&example.command);
            let lines: Vec<&str> = actual.lines().collect();
            ran += 1;
            if !matches(&example.expected, &lines) {
                failures.push(format!(
                    "README.md:{}: $ {}\n--- the README shows:\n{}\n--- it prints:\n{actual}",
                    example.line,
                    example.command,
                    example.expected.join("\n")
                ));
            }
        }
    }
    assert!(ran >= 8, "only {ran} README commands were found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// How a recipe line (a block without `$ `) is kept true.
enum Check {
    /// `cargo run -- ARGS`: `hooknorm ARGS` must print the README's next `json` block.
    PrintsNextJsonBlock,
    /// Run by the test suite itself (`cargo test`).
    IsTheTestSuite,
    /// Run by a CI script, which must hold the given text.
    RunByCi(&'static str, &'static str),
    /// `hooknorm ARGS > FILE`: must print a self-contained JSON Schema.
    PrintsABundle,
    /// `hooknorm completions SHELL > FILE`: must print the script of `completions/`.
    PrintsCompletions,
}

/// The lines allowed in a block without `$ `, by their first words, and how each is checked.
const RECIPES: &[(&str, Check)] = &[
    ("cargo run -- ", Check::PrintsNextJsonBlock),
    ("cargo test", Check::IsTheTestSuite),
    (
        "pip install ./python && python3 -c",
        // python/ci.sh installs the package from the clone and its tests compare
        // `convert_json` with the command line on every sample.
        Check::RunByCi(
            "python/ci.sh",
            "python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore ./python",
        ),
    ),
    (
        "pip install ./python pyspark && python3 bench/corpus.py",
        Check::RunByCi("python/tests/test_spark.py", "spark_backfill.py"),
    ),
    ("hooknorm schema ", Check::PrintsABundle),
    ("hooknorm completions ", Check::PrintsCompletions),
    (
        "check-jsonschema --schemafile ",
        // The peer validators are installed and run on a bundle by the benchmark.
        Check::RunByCi("bench/validate.sh", "check-jsonschema --schemafile"),
    ),
];

#[test]
fn every_recipe_of_the_readme_is_checked() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let all = blocks(&readme);
    let mut checked = 0;
    for (index, block) in all.iter().enumerate() {
        if !is_command_block(block) || block.lines.iter().any(|l| l.starts_with("$ ")) {
            continue;
        }
        for (offset, line) in block.lines.iter().enumerate() {
            let line_number = block.line + offset;
            let command = line.split(" #").next().unwrap_or_default().trim();
            let Some((prefix, check)) = RECIPES.iter().find(|(p, _)| command.starts_with(p)) else {
                panic!(
                    "README.md:{line_number}: `{command}` is neither a `$ ` example nor a known recipe (tests/readme.rs RECIPES)"
                );
            };
            check_recipe(command, prefix, check, &all[index + 1..], line_number);
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} recipe lines were found");
}

fn check_recipe(command: &str, prefix: &str, check: &Check, after: &[Block], line: usize) {
    match check {
        Check::PrintsNextJsonBlock => {
            let args = command.trim_start_matches(prefix);
            let json = after.iter().find(|b| b.info == "json").unwrap_or_else(|| {
                panic!("README.md:{line}: no json block shows what `{command}` prints")
            });
            let actual = run(&format!("hooknorm {args}"));
            assert_eq!(
                actual.trim_end(),
                json.lines.join("\n"),
                "README.md:{}: the output of `{command}`",
                json.line
            );
        }
        Check::IsTheTestSuite => assert_eq!(command, "cargo test", "README.md:{line}"),
        Check::RunByCi(script, text) => {
            let script_text = std::fs::read_to_string(root().join(script)).expect(script);
            assert!(
                script_text.contains(text),
                "README.md:{line}: `{command}` is said to be run by {script}, which no longer holds `{text}`"
            );
        }
        Check::PrintsCompletions => {
            let args = command.split(" >").next().unwrap_or_default();
            let file = match args.trim_start_matches(prefix) {
                "zsh" => "_hooknorm".to_owned(),
                "powershell" => "_hooknorm.ps1".to_owned(),
                "elvish" => "hooknorm.elv".to_owned(),
                shell => format!("hooknorm.{shell}"),
            };
            let script = std::fs::read_to_string(root().join("completions").join(&file));
            assert_eq!(
                Some(run(args)),
                script.ok(),
                "README.md:{line}: `{args}` does not print completions/{file}"
            );
        }
        Check::PrintsABundle => {
            let args = command.split(" >").next().unwrap_or_default();
            let bundle: serde_json::Value =
                serde_json::from_str(&run(args)).expect("the bundle is JSON");
            let text = bundle.to_string();
            assert!(
                bundle.get("$defs").is_some() && !text.contains("\"$ref\":\"https:"),
                "README.md:{line}: `{args}` does not print a self-contained schema"
            );
        }
    }
}

#[test]
fn the_synopsis_names_only_flags_that_exist() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let synopsis = blocks(&readme)
        .into_iter()
        .find(|b| b.info.is_empty() && b.lines.iter().any(|l| l.starts_with("hooknorm convert")))
        .expect("the README's synopsis");
    let mut command = String::new();
    for line in &synopsis.lines {
        if let Some(rest) = line.strip_prefix("hooknorm ") {
            command = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        let help = run(&format!("hooknorm {command} --help"));
        for flag in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            if flag.starts_with("--") && flag.len() > 2 {
                assert!(
                    help.contains(flag),
                    "README.md:{}: `hooknorm {command}` has no {flag}",
                    synopsis.line
                );
            }
        }
    }
}

#[test]
fn the_matcher_reads_ellipses_as_the_readme_means_them() {
    let expected = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&expected(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(matches(&expected(&["a", "…", "b"]), &["a", "b"]));
    assert!(matches(&expected(&["ab…"]), &["abc"]));
    assert!(!matches(&expected(&["ab…"]), &["a"]));
    assert!(!matches(&expected(&["a", "…"]), &["b"]));
    assert!(!matches(&expected(&["a"]), &["a", "b"]));
}
