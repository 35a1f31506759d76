//! Embeds every `schemas/*.json` in the binary: adding a schema file is enough.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("schemas/ exists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    let mut code =
        String::from("/// Every schema file, by name (its file stem), embedded at build time.\n");
    code.push_str("pub static EMBEDDED: &[(&str, &str)] = &[\n");
    for file in &names {
        let name = file.trim_end_matches(".json");
        let path = dir.join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set")).join("schemas.rs");
    std::fs::write(out, code).expect("write schemas.rs");
}
