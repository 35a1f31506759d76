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
