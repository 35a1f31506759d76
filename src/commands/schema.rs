//! `hooknorm schema [NAME]`: list the embedded schemas, or print one.

use hooknorm::exit::Exit;
use hooknorm::output::{Reporter, write_failed};
use hooknorm::schema;
use std::io::Write;

pub fn run(name: Option<&str>, bundle: bool, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let written = match name {
        None => list(out),
        Some(name) => match (schema::canonical(name), bundle) {
            (Some(name), true) => schema::bundle(name)
                .map_err(std::io::Error::other)
                .and_then(|bundled| {
                    serde_json::to_writer_pretty(&mut *out, &bundled).map_err(std::io::Error::from)
                })
                .and_then(|()| out.write_all(b"\n")),
            (Some(name), false) => out.write_all(schema::text(name).unwrap_or_default().as_bytes()),
            (None, _) => {
                let suggestion = schema::nearest(name)
                    .map(|near| format!(" — did you mean {near:?}?"))
                    .unwrap_or_default();
                reporter.usage(&format!(
                    "no schema named {name:?}{suggestion} (`hooknorm schema` lists them)"
                ));
                return Exit::Usage;
            }
        },
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Exit::Success,
        Err(error) => write_failed(&error, reporter),
    }
}

fn list(out: &mut impl Write) -> std::io::Result<()> {
    let width = schema::names().map(str::len).max().unwrap_or(0);
    for name in schema::names() {
        let (title, description) = schema::summary(name).unwrap_or_default();
        let first_sentence = description.split(". ").next().unwrap_or(description);
        writeln!(
            out,
            "{name:width$}  {title}: {}",
            first_sentence.trim_end_matches('.')
        )?;
    }
    writeln!(
        out,
        "\nEach is `{}<name>.json`; print one with `hooknorm schema NAME`.",
        schema::BASE_URI
    )
}
