//! The shape of the code, kept by tests: modules import each other in one
//! direction only, and only `src/providers/` knows which providers there are.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level module a file of `src/` belongs to (`src/commands/diff.rs` →
/// `commands`); `None` for the crate roots.
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root().join("src")).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib" && name != "main").then_some(name)
}

/// The code of a file without its tests module and comments (what it imports
/// for its own work).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `crate::a` paths, also inside grouped imports (`use crate::{a, b::c}`).
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(&root().join("src")) {
        let Some(module) = module_of(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        let imports = graph.entry(module.clone()).or_default();
        for imported in crate_modules(&code_of(&text)) {
            if imported != module {
                imports.insert(imported);
            }
        }
    }
    graph
}

/// A path from `from` back to `to` through the graph, if there is one.
fn path_between(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if from == to {
        return Some(vec![to.to_owned()]);
    }
    if !seen.insert(from.to_owned()) {
        return None;
    }
    for next in graph.get(from).into_iter().flatten() {
        if let Some(mut rest) = path_between(graph, next, to, seen) {
            rest.insert(0, from.to_owned());
            return Some(rest);
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = import_graph();
    assert!(graph.len() > 10, "modules found: {:?}", graph.keys());
    let mut circles = Vec::new();
    for (module, imports) in &graph {
        for imported in imports {
            if let Some(back) = path_between(&graph, imported, module, &mut BTreeSet::new()) {
                circles.push(format!("{module} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_circle_finder_finds_circles() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(
        path_between(&graph, "b", "a", &mut BTreeSet::new()),
        Some(vec!["b".to_owned(), "c".to_owned(), "a".to_owned()])
    );
    assert_eq!(path_between(&graph, "a", "d", &mut BTreeSet::new()), None);
    assert_eq!(
        crate_modules("use crate::{a::X, b};\nlet y = crate::c::f();"),
        ["a", "b", "c"].into_iter().map(str::to_owned).collect()
    );
}

/// No line of code names a provider outside its own file (comments and tests
/// may), but its line of the `registry!`: whatever lists providers reads the
/// registry, so a new provider is one file and one registry line.
#[test]
fn only_the_providers_folder_names_providers() {
    let providers = root().join("src").join("providers");
    let own_files: Vec<PathBuf> = hooknorm::providers::Provider::all()
        .map(|p| providers.join(format!("{}.rs", p.spec().name)))
        .collect();
    let names: Vec<String> = hooknorm::providers::Provider::all()
        .flat_map(|p| [p.spec().name.to_lowercase(), p.spec().title.to_lowercase()])
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    let mut found = Vec::new();
    for file in rust_files(&root().join("src")) {
        // A provider's own file names it; the shared files of the folder name
        // none but in the registry.
        if own_files.contains(&file) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        // The registry: `registry!(…);`, on one line or one name per line.
        let mut in_registry = false;
        for (number, line) in code_of(&text).lines().enumerate() {
            if file.starts_with(&providers) && line.trim_start().starts_with("registry!(") {
                in_registry = !line.contains(");");
                continue;
            }
            if in_registry {
                in_registry = !line.contains(");");
                continue;
            }
            let lower = line.to_lowercase();
            if let Some(name) = names.iter().find(|name| lower.contains(name.as_str())) {
                found.push(format!(
                    "{}:{}: {name}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "provider names outside src/providers:\n{}",
        found.join("\n")
    );
}

/// Everything a provider needs besides its file: samples, a docs page, an event
/// schema, and a README row naming each documented raw event it maps. Checked
/// from the registry, so a provider added without them fails here.
#[test]
fn every_registered_provider_is_complete() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    for provider in hooknorm::providers::Provider::all() {
        let spec = provider.spec();
        let name = spec.name;
        let samples = std::fs::read_dir(root().join("samples").join(name))
            .map(|dir| dir.count())
            .unwrap_or(0);
        assert!(samples > 0, "samples/{name}/ is missing or empty");
        assert!(
            root()
                .join("docs/providers")
                .join(format!("{name}.md"))
                .is_file(),
            "docs/providers/{name}.md is missing"
        );
        assert!(
            hooknorm::schema::text(&format!("{name}.event")).is_some(),
            "schemas/{name}.event.json is missing"
        );
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| {} |", spec.title)))
            .unwrap_or_else(|| panic!("README has no provider row for {}", spec.title));
        assert!(!spec.events.is_empty(), "{name} maps no event");
        let missing: Vec<&str> = spec
            .events
            .iter()
            .map(|(raw, _)| *raw)
            .filter(|raw| {
                ![
                    format!("`{raw}`"),
                    format!(" {raw} "),
                    format!(" {raw}/"),
                    format!("/{raw} "),
                ]
                .iter()
                .any(|spelling| row.contains(spelling.as_str()))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "README's {} row does not name the raw events {missing:?}",
            spec.title
        );
    }
}

/// clap stays at the edge: the command line (`main.rs`, `cli.rs`, `commands/`)
/// belongs to the binary, and no module of the library names clap.
#[test]
fn the_library_does_not_know_the_command_line() {
    let src = root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    assert!(
        !lib.contains("mod cli") && !lib.contains("mod commands"),
        "lib.rs declares the CLI"
    );
    let binary = [
        src.join("main.rs"),
        src.join("cli.rs"),
        src.join("commands"),
    ];
    let mut found = Vec::new();
    for file in rust_files(&src) {
        if binary.iter().any(|edge| file.starts_with(edge)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        if code_of(&text).contains("clap") {
            found.push(file.display().to_string());
        }
    }
    assert!(found.is_empty(), "library modules naming clap: {found:?}");
}
