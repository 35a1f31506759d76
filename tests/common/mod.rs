//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The built binary, with the caller's NO_COLOR removed so tests decide colour.
pub fn hooknorm() -> Command {
    let mut command = Command::cargo_bin("hooknorm").expect("binary is built");
    command.env_remove("NO_COLOR");
    command
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample(path: &str) -> PathBuf {
    root().join("samples").join(path)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).expect("JSON")
}

/// The peak resident memory of a running process, in kB (Linux's /proc).
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A fresh folder for one test's files, under Cargo's target tmpdir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}
