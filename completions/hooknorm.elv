
use builtin;
use str;

set edit:completion:arg-completer[hooknorm] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hooknorm'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hooknorm'= {
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand convert 'Convert raw webhook bodies (or captured requests) into normalized events'
            cand detect 'Tell which provider sent each body, its raw event, the normalized event, and why'
            cand explain 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)'
            cand validate 'Validate normalized events, payloads or raw bodies against the documented schemas'
            cand diff 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)'
            cand schema 'List the embedded JSON Schemas, or print one'
            cand completions 'Print a shell completion script'
            cand verify 'Check a captured request''s authenticity with the provider''s scheme: exit 0 authentic, 1 not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooknorm;convert'= {
            cand --provider 'Skip detection: the bodies come from this provider'
            cand --event 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s'
            cand --header 'A request header, as ''Name: value'' (repeatable); added to those of a captured request'
            cand --jobs 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --fail-fast 'Stop at the first input or line that fails (the count on stderr says so)'
            cand --payload-only 'Print only the payload, without the {event, provider, idempotency_key} envelope'
            cand --compact 'One line per event (the default for NDJSON input)'
            cand --pretty 'Indented output (the default for a single document)'
            cand --redact 'Replace personal data (names, e-mails, documents, phones, street addresses, IPs) with placeholders: the same value gets the same placeholder within a run, and across runs when HOOKNORM_REDACT_KEY holds a key'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooknorm;detect'= {
            cand --provider 'Skip detection: the bodies come from this provider'
            cand --event 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s'
            cand --header 'A request header, as ''Name: value'' (repeatable); added to those of a captured request'
            cand --jobs 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order'
            cand --format 'Output format'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --fail-fast 'Stop at the first input or line that fails (the count on stderr says so)'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooknorm;explain'= {
            cand --provider 'Skip detection: the bodies come from this provider'
            cand --event 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s'
            cand --header 'A request header, as ''Name: value'' (repeatable); added to those of a captured request'
            cand --jobs 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order'
            cand --format 'Output format: a table per component, or one JSON record per input'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --fail-fast 'Stop at the first input or line that fails (the count on stderr says so)'
            cand --set-only 'Leave out the fields that are null'
            cand --unread 'List instead the values of the body that no normalized field read (pointer and value, secrets masked)'
            cand --redact 'With --unread: replace personal data in the values shown as `convert --redact` does (the event''s person wherever it appears; e-mails, documents, phones and IPs by pattern; another person''s name is not recognised)'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooknorm;validate'= {
            cand --schema 'Validate every document against this schema (see `hooknorm schema`), e.g. for bare payloads'
            cand --format 'Output format'
            cand --jobs 'Worker threads for many files (default: all cores; at most four per core)'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --strict 'Report the checks a schema cannot make (CPF/CNPJ check digits, phones, totals) as errors, not warnings'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooknorm;diff'= {
            cand --format 'Output format'
            cand --ignore 'Leave out this JSON pointer and everything below it (repeatable); `*` matches any one key or array index: --ignore ''/payload/products/*/image_url'''
            cand --key 'Match array items by the value at this pointer inside each item (default `/id`)'
            cand --tolerance 'Numbers that differ by at most N are equal (money in cents, times in seconds)'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --docs 'Compare FILE with the documented schema of its provider and family: missing, undocumented, wrongly typed and always-null fields'
            cand --parse-strings 'Compare strings that hold JSON objects or arrays as JSON'
            cand --raw 'Compare the documents as they are: never convert raw provider bodies'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hooknorm;schema'= {
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --bundle 'Print the schema self-contained: every schema it references embedded under `$defs` with its own `$id`, for validators that cannot be given several files'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooknorm;completions'= {
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooknorm;verify'= {
            cand --secret 'The receiver''s secret (each provider''s is listed in `hooknorm verify --help`). Prefer the environment variable: a flag shows in `ps`'
            cand --provider 'Skip detection: the request comes from this provider'
            cand --header 'A request header, as ''Name: value'' (repeatable), e.g. ''X-Api-Key: …'''
            cand --query 'A query parameter of the request URL, as ''name=value'' (a ''signature=…'' a provider appends to the URL)'
            cand --tolerance 'The largest age of a signed timestamp, as 300, 300s, 5m or 1h'
            cand --color 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never'
            cand --allow-echoed-secret 'Accept a legacy scheme — the secret echoed in the body — for a request without its signature headers. Weak: no replay protection'
            cand -v 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand --verbose 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hooknorm;help'= {
            cand convert 'Convert raw webhook bodies (or captured requests) into normalized events'
            cand detect 'Tell which provider sent each body, its raw event, the normalized event, and why'
            cand explain 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)'
            cand validate 'Validate normalized events, payloads or raw bodies against the documented schemas'
            cand diff 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)'
            cand schema 'List the embedded JSON Schemas, or print one'
            cand completions 'Print a shell completion script'
            cand verify 'Check a captured request''s authenticity with the provider''s scheme: exit 0 authentic, 1 not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hooknorm;help;convert'= {
        }
        &'hooknorm;help;detect'= {
        }
        &'hooknorm;help;explain'= {
        }
        &'hooknorm;help;validate'= {
        }
        &'hooknorm;help;diff'= {
        }
        &'hooknorm;help;schema'= {
        }
        &'hooknorm;help;completions'= {
        }
        &'hooknorm;help;verify'= {
        }
        &'hooknorm;help;help'= {
        }
    ]
    $completions[$command]
}
