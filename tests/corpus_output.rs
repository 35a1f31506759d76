//! The benchmark corpus converts byte for byte as it did when its digest was taken:
//! speed work may change how an event is built, never what is printed. The corpus
//! comes from `bench/corpus.py` (fixed seed, every provider), and each way of running
//! `convert` a speed change touches is checked: one thread and two, NDJSON and a
//! folder of files, `--redact`, `--payload-only`. `HOOKNORM_BLESS=1` writes the
//! digests anew — only for a change of output that was meant, reviewed by hand.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

const DIGESTS: &str = "tests/fixtures/corpus-output.sha256";

fn corpus() -> PathBuf {
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-output");
    let status = Command::new("python3")
        .args([
            "bench/corpus.py",
            "--lines",
            "6000",
            "--files",
            "120",
            "--seed",
            "7",
            "--out",
        ])
        .arg(&out)
        .status()
        .expect("python3 runs bench/corpus.py");
    assert!(status.success(), "bench/corpus.py failed");
    out
}

fn convert(args: &[&str], inputs: &[PathBuf]) -> (String, Vec<u8>) {
    let output = Command::new(env!("CARGO_BIN_EXE_hooknorm"))
        .arg("convert")
        .args(args)
        // Redaction's placeholders are keyed; a fixed key makes them repeatable.
        .env("HOOKNORM_REDACT_KEY", "corpus-output test key")
        .args(inputs)
        .output()
        .expect("hooknorm runs");
    assert!(
        output.status.success(),
        "convert {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let digest = Sha256::digest(&output.stdout);
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    (hex, output.stdout)
}

fn files(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("the corpus folder is readable")
        .flatten()
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

#[test]
fn the_corpus_converts_byte_for_byte_as_recorded() {
    let corpus = corpus();
    let lines = vec![corpus.join("raw.ndjson")];
    let folder = files(&corpus.join("raw"));
    let runs: [(&str, &[&str], &[PathBuf]); 5] = [
        ("ndjson --jobs 1", &["--jobs", "1"], &lines),
        ("ndjson --jobs 2", &["--jobs", "2"], &lines),
        ("ndjson --redact", &["--redact"], &lines),
        ("ndjson --payload-only", &["--payload-only"], &lines),
        ("files", &[], &folder),
    ];
    let mut measured = String::new();
    for (name, args, inputs) in runs {
        let (digest, stdout) = convert(args, inputs);
        let count = stdout.iter().filter(|&&b| b == b'\n').count();
        assert!(count >= inputs.len(), "{name}: {count} lines out");
        measured.push_str(&format!("{digest}  {name}\n"));
    }
    if std::env::var_os("HOOKNORM_BLESS").is_some() {
        std::fs::write(DIGESTS, &measured).expect("writes the digests");
        return;
    }
    let recorded = std::fs::read_to_string(DIGESTS).expect("the recorded digests exist");
    assert_eq!(
        recorded, measured,
        "convert's output changed on the benchmark corpus; compare the output of the \
         commit that recorded {DIGESTS} with this one (`bench/corpus.py --seed 7`)"
    );
}
