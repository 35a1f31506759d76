//! The command line (clap derive). Kept in the library so that tests and the
//! completion generator see exactly what the binary parses.

use crate::model::Provider;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hooknorm",
    version,
    about = "Brazilian sales webhooks (Cakto, Kiwify, Hotmart, OPABOX, Troquecommerce) to one normalized event format",
    after_help = "Exit status: 0 success, 1 invalid or different, 2 usage error, 65 input that cannot be converted, 66 no such input, 74 I/O error."
)]
pub struct Cli {
    /// When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert raw webhook bodies (or captured requests) into normalized events.
    Convert(ConvertArgs),
    /// Tell which provider sent each body, its raw event, the normalized event, and why.
    Detect(DetectArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files to read; `-` or none reads stdin. NDJSON input (one JSON value per
    /// line) gives one result per line.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Skip detection: the bodies come from this provider.
    #[arg(long, value_enum)]
    pub provider: Option<ProviderArg>,

    /// The raw event, for bodies that carry none (Troquecommerce's `event` header
    /// code, OPABOX) or to override the body's.
    #[arg(long, value_name = "EVENT")]
    pub event: Option<String>,

    /// A request header, as 'Name: value' (repeatable); added to those of a captured request.
    #[arg(long = "header", value_name = "'Name: value'", value_parser = crate::parse_header)]
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Print only the payload, without the {event, provider, idempotency_key} envelope.
    #[arg(long)]
    pub payload_only: bool,

    /// One line per event (the default for NDJSON input).
    #[arg(long, conflicts_with = "pretty")]
    pub compact: bool,

    /// Indented output (the default for a single document).
    #[arg(long)]
    pub pretty: bool,
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DetectFormat::Human)]
    pub format: DetectFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetectFormat {
    /// Aligned lines for people.
    Human,
    /// One JSON object per input (NDJSON).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    Cakto,
    Kiwify,
    Hotmart,
    Opabox,
    Troquecommerce,
}

impl From<ProviderArg> for Provider {
    fn from(value: ProviderArg) -> Self {
        match value {
            ProviderArg::Cakto => Provider::Cakto,
            ProviderArg::Kiwify => Provider::Kiwify,
            ProviderArg::Hotmart => Provider::Hotmart,
            ProviderArg::Opabox => Provider::Opabox,
            ProviderArg::Troquecommerce => Provider::Troquecommerce,
        }
    }
}

impl InputArgs {
    pub fn options(&self) -> crate::Options {
        crate::Options {
            provider: self.provider.map(Provider::from),
            event: self.event.clone(),
            headers: self.headers.clone(),
        }
    }
}
