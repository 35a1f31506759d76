//! The command line (clap derive). Kept in the library so that tests and the
//! completion generator see exactly what the binary parses. What the help says
//! of providers is written from the provider registry (`command`).

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use hooknorm::providers::Provider;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hooknorm",
    version,
    after_help = "Exit status: 0 success, 1 invalid, different or not authentic, 2 usage error, 65 input that cannot be converted (or verified), 66 no such input (or a folder with no document), 74 I/O error."
)]
pub struct Cli {
    /// When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Say more in messages: an unknown provider's message lists what every
    /// provider sends, not only the nearest one.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert raw webhook bodies (or captured requests) into normalized events.
    Convert(ConvertArgs),
    /// Tell which provider sent each body, its raw event, the normalized event, and why.
    Detect(DetectArgs),
    /// Show where each field of the normalized event came from: the raw fields and
    /// values, and the rule applied (or why it is null).
    Explain(ExplainArgs),
    /// Validate normalized events, payloads or raw bodies against the documented schemas.
    Validate(ValidateArgs),
    /// Show what changed between two documents (raw bodies are converted first), or
    /// how one departs from its documented schema (--docs).
    Diff(DiffArgs),
    /// Check a captured request's authenticity with the provider's scheme: exit 0
    /// authentic, 1 not.
    Verify(VerifyArgs),
    /// List the embedded JSON Schemas, or print one.
    Schema {
        /// A schema name (`<provider>.order`, `payload.order`, `customer`, …); none lists them.
        name: Option<String>,

        /// Print the schema self-contained: every schema it references embedded
        /// under `$defs` with its own `$id`, for validators that cannot be given several files.
        #[arg(long, requires = "name")]
        bundle: bool,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// The command line, with what it says of providers written from the registry.
pub fn command() -> clap::Command {
    let titles: Vec<&str> = Provider::all().map(|p| p.spec().title).collect();
    let width = titles.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let schemes: Vec<String> = Provider::all()
        .map(|p| {
            let spec = p.spec();
            let text = format!("{}; the secret: {}", spec.scheme, spec.secret);
            let indent = " ".repeat(width + 4);
            let lines = wrap(&text, TABLE_WIDTH.saturating_sub(width + 4));
            format!(
                "  {:width$}  {}",
                spec.title,
                lines.join(&format!("\n{indent}"))
            )
        })
        .collect();
    let mut command = Cli::command().about(format!(
        "Brazilian sales webhooks ({}) to one normalized event format",
        titles.join(", ")
    ));
    for (name, examples) in examples() {
        let examples = format!("Examples:\n{examples}");
        command = command.mut_subcommand(name, |sub| match name {
            "verify" => sub.after_help(format!(
                "Each provider's scheme, and the secret it takes:\n{}\n\n{examples}",
                schemes.join("\n")
            )),
            _ => sub.after_help(examples),
        });
    }
    command
}

/// Two or three examples for each subcommand's `--help`, from a file of plain
/// text (they name samples of the clone, which code must not).
const EXAMPLES: &str = include_str!("help-examples.txt");

/// The examples of each subcommand: `[name]` then its lines, up to a blank one.
fn examples() -> impl Iterator<Item = (&'static str, String)> {
    EXAMPLES.split("\n[").skip(1).filter_map(|section| {
        let (name, rest) = section.split_once("]\n")?;
        let lines: Vec<&str> = rest.lines().take_while(|l| !l.trim().is_empty()).collect();
        Some((name, lines.join("\n")))
    })
}

/// The width `verify --help`'s provider table is wrapped to, its continuation
/// lines under the text they go on (an 80-column terminal shows it whole).
const TABLE_WIDTH: usize = 80;

/// `text` cut at spaces into lines of at most `width` characters (a longer word
/// is a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Parses the process's arguments with `command`.
pub fn parse() -> Result<Cli, clap::Error> {
    let mut matches = command().try_get_matches()?;
    Cli::from_arg_matches_mut(&mut matches)
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files to read; `-` or none reads stdin. NDJSON input (one JSON value per
    /// line) gives one result per line.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Skip detection: the bodies come from this provider.
    #[arg(long, value_parser = provider_value())]
    pub provider: Option<Provider>,

    /// The raw event, for bodies that carry none (an event code sent in a header,
    /// a status that is the event) or to override the body's.
    #[arg(long, value_name = "EVENT")]
    pub event: Option<String>,

    /// A request header, as 'Name: value' (repeatable); added to those of a captured request.
    #[arg(long = "header", value_name = "'Name: value'", value_parser = Pair::HEADER)]
    pub headers: Vec<(String, String)>,

    /// Stop at the first input or line that fails (the count on stderr says so).
    #[arg(long)]
    pub fail_fast: bool,

    /// Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input's order.
    #[arg(long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
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

    /// Replace personal data (names, e-mails, documents, phones, street addresses,
    /// IPs) with placeholders: the same value gets the same placeholder within a
    /// run, and across runs when HOOKNORM_REDACT_KEY holds a key.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The body exactly as received, or a captured request whose `body` is a JSON
    /// string of the raw text; `-` or none reads stdin.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// The receiver's secret (each provider's is listed in `hooknorm verify
    /// --help`). Prefer the environment variable: a flag shows in `ps`.
    #[arg(long, env = "HOOKNORM_SECRET", hide_env_values = true)]
    pub secret: String,

    /// Skip detection: the request comes from this provider.
    #[arg(long, value_parser = provider_value())]
    pub provider: Option<Provider>,

    /// A request header, as 'Name: value' (repeatable), e.g. 'X-Api-Key: …'.
    #[arg(long = "header", value_name = "'Name: value'", value_parser = Pair::HEADER)]
    pub headers: Vec<(String, String)>,

    /// A query parameter of the request URL, as 'name=value' (a 'signature=…' a
    /// provider appends to the URL).
    #[arg(long = "query", value_name = "'name=value'", value_parser = Pair::QUERY)]
    pub query: Vec<(String, String)>,

    /// Accept a legacy scheme — the secret echoed in the body — for a request
    /// without its signature headers. Weak: no replay protection.
    #[arg(long)]
    pub allow_echoed_secret: bool,

    /// The largest age of a signed timestamp, as 300, 300s, 5m or 1h.
    #[arg(long, value_name = "DURATION", default_value = "300s", value_parser = parse_duration)]
    pub tolerance: u64,
}

/// `--header 'Name: value'` and `--query 'name=value'`. A malformed one is a usage
/// error that does not repeat what was given: it is often a secret (a token
/// written without its colon). clap's own errors would quote it twice.
#[derive(Clone, Copy)]
pub struct Pair {
    separator: char,
    shape: &'static str,
}

impl Pair {
    const HEADER: Pair = Pair {
        separator: ':',
        shape: "--header takes 'Name: value' (a colon between the name and the value)",
    };
    const QUERY: Pair = Pair {
        separator: '=',
        shape: "--query takes 'name=value' (an equals sign between the name and the value)",
    };
}

impl clap::builder::TypedValueParser for Pair {
    type Value = (String, String);

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Self::Value, clap::Error> {
        let refused = || {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "{}; the value given is not shown, as it may hold a secret\n",
                    self.shape
                ),
            )
        };
        let text = value.to_str().ok_or_else(refused)?;
        match text.split_once(self.separator) {
            Some((name, value)) if !name.trim().is_empty() => {
                let name = name.trim();
                let name = if self.separator == ':' {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                Ok((name, value.trim().to_owned()))
            }
            _ => Err(refused()),
        }
    }
}

/// Seconds from `300`, `300s`, `5m` or `1h`.
fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "expected a duration such as 300s, 5m or 1h, found {text:?}"
            ));
        }
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("expected a duration such as 300s, 5m or 1h, found {text:?}"))
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DetectFormat::Human)]
    pub format: DetectFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format: a table per component, or one JSON record per input.
    #[arg(long, value_enum, default_value_t = DetectFormat::Human)]
    pub format: DetectFormat,

    /// Leave out the fields that are null.
    #[arg(long, conflicts_with = "unread")]
    pub set_only: bool,

    /// List instead the values of the body that no normalized field read
    /// (pointer and value, secrets masked).
    #[arg(long)]
    pub unread: bool,

    /// With --unread: replace personal data in the values shown as `convert --redact`
    /// does (the event's person wherever it appears; e-mails, documents, phones and
    /// IPs by pattern; another person's name is not recognised).
    #[arg(long, requires = "unread")]
    pub redact: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or folders (searched recursively for *.json, *.ndjson, *.jsonl); `-` or none reads stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Validate every document against this schema (see `hooknorm schema`), e.g. for bare payloads.
    #[arg(long, value_name = "NAME")]
    pub schema: Option<String>,

    /// Report the checks a schema cannot make (CPF/CNPJ check digits, phones, totals) as errors, not warnings.
    #[arg(long)]
    pub strict: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Worker threads for many files (default: all cores; at most four per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// LEFT and RIGHT (one may be `-` for stdin); with --docs, one FILE.
    #[arg(value_name = "FILE", required = true, num_args = 1..=2)]
    pub files: Vec<PathBuf>,

    /// Compare FILE with the documented schema of its provider and family: missing,
    /// undocumented, wrongly typed and always-null fields.
    #[arg(long)]
    pub docs: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,

    /// Leave out this JSON pointer and everything below it (repeatable); `*` matches
    /// any one key or array index: --ignore '/payload/products/*/image_url'.
    #[arg(long = "ignore", value_name = "POINTER")]
    pub ignore: Vec<String>,

    /// Match array items by the value at this pointer inside each item (default `/id`).
    #[arg(long, value_name = "POINTER")]
    pub key: Option<String>,

    /// Numbers that differ by at most N are equal (money in cents, times in seconds).
    #[arg(long, value_name = "N", default_value_t = 0.0, value_parser = tolerance)]
    pub tolerance: f64,

    /// Compare strings that hold JSON objects or arrays as JSON.
    #[arg(long)]
    pub parse_strings: bool,

    /// Compare the documents as they are: never convert raw provider bodies.
    #[arg(long)]
    pub raw: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Grouped by section, coloured, with money and times readable, and a summary.
    Human,
    /// RFC 6902 JSON Patch that turns LEFT into RIGHT (jq and any patch library apply it).
    JsonPatch,
    /// A list of change records.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// One line per problem, coloured on a terminal, and a summary.
    Human,
    /// One JSON record per document (NDJSON); the summary goes to stderr.
    Json,
    /// GitHub Actions workflow annotations (::error file=…,line=…,col=…::…).
    Github,
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

impl ColorChoice {
    /// Colour forced on or off, or `None` to decide from the stream.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// `--provider`: a name of the provider registry.
fn provider_value() -> impl clap::builder::TypedValueParser<Value = Provider> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Provider::all().map(Provider::as_str)).try_map(
        |name: String| Provider::named(&name).ok_or_else(|| format!("no provider named {name}")),
    )
}

impl InputArgs {
    pub fn settings(&self) -> hooknorm::batch::Settings {
        hooknorm::batch::Settings {
            jobs: jobs(self.jobs),
            fail_fast: self.fail_fast,
            progress: None,
        }
    }

    pub fn options(&self) -> hooknorm::Options {
        hooknorm::Options {
            provider: self.provider,
            event: self.event.clone(),
            headers: self.headers.clone(),
        }
    }
}

/// `--jobs`, or all cores; at most four per core and `batch::MAX_JOBS`: the work
/// is computation, so threads beyond the cores only cost memory.
pub fn jobs(asked: Option<std::num::NonZeroUsize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    asked
        .map_or(cores, usize::from)
        .min(cores.saturating_mul(4))
        .min(hooknorm::batch::MAX_JOBS)
}

/// `diff --tolerance`: a finite number, zero or more (`-5`, `NaN` and `inf` would
/// make every comparison, or none, succeed).
fn tolerance(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 => Ok(value),
        _ => Err("expected a finite number, zero or more (such as 0.5 or 100)".to_owned()),
    }
}
