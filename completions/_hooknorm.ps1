
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hooknorm' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hooknorm'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hooknorm' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert raw webhook bodies (or captured requests) into normalized events')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Tell which provider sent each body, its raw event, the normalized event, and why')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate normalized events, payloads or raw bodies against the documented schemas')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'List the embedded JSON Schemas, or print one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a captured request''s authenticity with the provider''s scheme: exit 0 authentic, 1 not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooknorm;convert' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Skip detection: the bodies come from this provider')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, as ''Name: value'' (repeatable); added to those of a captured request')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first input or line that fails (the count on stderr says so)')
            [CompletionResult]::new('--payload-only', '--payload-only', [CompletionResultType]::ParameterName, 'Print only the payload, without the {event, provider, idempotency_key} envelope')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'One line per event (the default for NDJSON input)')
            [CompletionResult]::new('--pretty', '--pretty', [CompletionResultType]::ParameterName, 'Indented output (the default for a single document)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Replace personal data (names, e-mails, documents, phones, street addresses, IPs) with placeholders: the same value gets the same placeholder within a run, and across runs when HOOKNORM_REDACT_KEY holds a key')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooknorm;detect' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Skip detection: the bodies come from this provider')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, as ''Name: value'' (repeatable); added to those of a captured request')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first input or line that fails (the count on stderr says so)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooknorm;explain' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Skip detection: the bodies come from this provider')
            [CompletionResult]::new('--event', '--event', [CompletionResultType]::ParameterName, 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body''s')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, as ''Name: value'' (repeatable); added to those of a captured request')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input''s order')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: a table per component, or one JSON record per input')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop at the first input or line that fails (the count on stderr says so)')
            [CompletionResult]::new('--set-only', '--set-only', [CompletionResultType]::ParameterName, 'Leave out the fields that are null')
            [CompletionResult]::new('--unread', '--unread', [CompletionResultType]::ParameterName, 'List instead the values of the body that no normalized field read (pointer and value, secrets masked)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'With --unread: replace personal data in the values shown as `convert --redact` does (the event''s person wherever it appears; e-mails, documents, phones and IPs by pattern; another person''s name is not recognised)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooknorm;validate' {
            [CompletionResult]::new('--schema', '--schema', [CompletionResultType]::ParameterName, 'Validate every document against this schema (see `hooknorm schema`), e.g. for bare payloads')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Worker threads for many files (default: all cores; at most four per core)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Report the checks a schema cannot make (CPF/CNPJ check digits, phones, totals) as errors, not warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooknorm;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Leave out this JSON pointer and everything below it (repeatable); `*` matches any one key or array index: --ignore ''/payload/products/*/image_url''')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Match array items by the value at this pointer inside each item (default `/id`)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'Numbers that differ by at most N are equal (money in cents, times in seconds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--docs', '--docs', [CompletionResultType]::ParameterName, 'Compare FILE with the documented schema of its provider and family: missing, undocumented, wrongly typed and always-null fields')
            [CompletionResult]::new('--parse-strings', '--parse-strings', [CompletionResultType]::ParameterName, 'Compare strings that hold JSON objects or arrays as JSON')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Compare the documents as they are: never convert raw provider bodies')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hooknorm;schema' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'Print the schema self-contained: every schema it references embedded under `$defs` with its own `$id`, for validators that cannot be given several files')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooknorm;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooknorm;verify' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'The receiver''s secret (each provider''s is listed in `hooknorm verify --help`). Prefer the environment variable: a flag shows in `ps`')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Skip detection: the request comes from this provider')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A request header, as ''Name: value'' (repeatable), e.g. ''X-Api-Key: …''')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'A query parameter of the request URL, as ''name=value'' (a ''signature=…'' a provider appends to the URL)')
            [CompletionResult]::new('--tolerance', '--tolerance', [CompletionResultType]::ParameterName, 'The largest age of a signed timestamp, as 300, 300s, 5m or 1h')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never')
            [CompletionResult]::new('--allow-echoed-secret', '--allow-echoed-secret', [CompletionResultType]::ParameterName, 'Accept a legacy scheme — the secret echoed in the body — for a request without its signature headers. Weak: no replay protection')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more in messages: an unknown provider''s message lists what every provider sends, not only the nearest one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hooknorm;help' {
            [CompletionResult]::new('convert', 'convert', [CompletionResultType]::ParameterValue, 'Convert raw webhook bodies (or captured requests) into normalized events')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Tell which provider sent each body, its raw event, the normalized event, and why')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Validate normalized events, payloads or raw bodies against the documented schemas')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'List the embedded JSON Schemas, or print one')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a captured request''s authenticity with the provider''s scheme: exit 0 authentic, 1 not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hooknorm;help;convert' {
            break
        }
        'hooknorm;help;detect' {
            break
        }
        'hooknorm;help;explain' {
            break
        }
        'hooknorm;help;validate' {
            break
        }
        'hooknorm;help;diff' {
            break
        }
        'hooknorm;help;schema' {
            break
        }
        'hooknorm;help;completions' {
            break
        }
        'hooknorm;help;verify' {
            break
        }
        'hooknorm;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
