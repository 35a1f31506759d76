# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hooknorm_global_optspecs
    string join \n color= v/verbose h/help V/version
end

function __fish_hooknorm_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hooknorm_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hooknorm_using_subcommand
    set -l cmd (__fish_hooknorm_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hooknorm -n "__fish_hooknorm_needs_command" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_needs_command" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -s h -l help -d 'Print help'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -s V -l version -d 'Print version'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "convert" -d 'Convert raw webhook bodies (or captured requests) into normalized events'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "detect" -d 'Tell which provider sent each body, its raw event, the normalized event, and why'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "explain" -d 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "validate" -d 'Validate normalized events, payloads or raw bodies against the documented schemas'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "diff" -d 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "schema" -d 'List the embedded JSON Schemas, or print one'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "verify" -d 'Check a captured request\'s authenticity with the provider\'s scheme: exit 0 authentic, 1 not'
complete -c hooknorm -n "__fish_hooknorm_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l provider -d 'Skip detection: the bodies come from this provider' -r -f -a "cakto\t''
kiwify\t''
hotmart\t''
opabox\t''
troquecommerce\t''
monetizze\t''
appmax\t''
digital_manager_guru\t''
ticto\t''
eduzz\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l event -d 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body\'s' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l header -d 'A request header, as \'Name: value\' (repeatable); added to those of a captured request' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l jobs -d 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input\'s order' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l fail-fast -d 'Stop at the first input or line that fails (the count on stderr says so)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l payload-only -d 'Print only the payload, without the {event, provider, idempotency_key} envelope'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l compact -d 'One line per event (the default for NDJSON input)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l pretty -d 'Indented output (the default for a single document)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -l redact -d 'Replace personal data (names, e-mails, documents, phones, street addresses, IPs) with placeholders: the same value gets the same placeholder within a run, and across runs when HOOKNORM_REDACT_KEY holds a key'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand convert" -s h -l help -d 'Print help'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l provider -d 'Skip detection: the bodies come from this provider' -r -f -a "cakto\t''
kiwify\t''
hotmart\t''
opabox\t''
troquecommerce\t''
monetizze\t''
appmax\t''
digital_manager_guru\t''
ticto\t''
eduzz\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l event -d 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body\'s' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l header -d 'A request header, as \'Name: value\' (repeatable); added to those of a captured request' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l jobs -d 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input\'s order' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l format -d 'Output format' -r -f -a "human\t'Aligned lines for people'
json\t'One JSON object per input (NDJSON)'"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -l fail-fast -d 'Stop at the first input or line that fails (the count on stderr says so)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand detect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l provider -d 'Skip detection: the bodies come from this provider' -r -f -a "cakto\t''
kiwify\t''
hotmart\t''
opabox\t''
troquecommerce\t''
monetizze\t''
appmax\t''
digital_manager_guru\t''
ticto\t''
eduzz\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l event -d 'The raw event, for bodies that carry none (an event code sent in a header, a status that is the event) or to override the body\'s' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l header -d 'A request header, as \'Name: value\' (repeatable); added to those of a captured request' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l jobs -d 'Worker threads for NDJSON (default: all cores; at most four per core); output keeps the input\'s order' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l format -d 'Output format: a table per component, or one JSON record per input' -r -f -a "human\t'Aligned lines for people'
json\t'One JSON object per input (NDJSON)'"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l fail-fast -d 'Stop at the first input or line that fails (the count on stderr says so)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l set-only -d 'Leave out the fields that are null'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l unread -d 'List instead the values of the body that no normalized field read (pointer and value, secrets masked)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -l redact -d 'With --unread: replace personal data in the values shown as `convert --redact` does (the event\'s person wherever it appears; e-mails, documents, phones and IPs by pattern; another person\'s name is not recognised)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -l schema -d 'Validate every document against this schema (see `hooknorm schema`), e.g. for bare payloads' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -l format -d 'Output format' -r -f -a "human\t'One line per problem, coloured on a terminal, and a summary'
json\t'One JSON record per document (NDJSON); the summary goes to stderr'
github\t'GitHub Actions workflow annotations (::error file=…,line=…,col=…::…)'"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -l jobs -d 'Worker threads for many files (default: all cores; at most four per core)' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -l strict -d 'Report the checks a schema cannot make (CPF/CNPJ check digits, phones, totals) as errors, not warnings'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l format -d 'Output format' -r -f -a "human\t'Grouped by section, coloured, with money and times readable, and a summary'
json-patch\t'RFC 6902 JSON Patch that turns LEFT into RIGHT (jq and any patch library apply it)'
json\t'A list of change records'"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l ignore -d 'Leave out this JSON pointer and everything below it (repeatable); `*` matches any one key or array index: --ignore \'/payload/products/*/image_url\'' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l key -d 'Match array items by the value at this pointer inside each item (default `/id`)' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l tolerance -d 'Numbers that differ by at most N are equal (money in cents, times in seconds)' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l docs -d 'Compare FILE with the documented schema of its provider and family: missing, undocumented, wrongly typed and always-null fields'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l parse-strings -d 'Compare strings that hold JSON objects or arrays as JSON'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -l raw -d 'Compare the documents as they are: never convert raw provider bodies'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand schema" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand schema" -l bundle -d 'Print the schema self-contained: every schema it references embedded under `$defs` with its own `$id`, for validators that cannot be given several files'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand schema" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand schema" -s h -l help -d 'Print help'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand completions" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand completions" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand completions" -s h -l help -d 'Print help'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l secret -d 'The receiver\'s secret (each provider\'s is listed in `hooknorm verify --help`). Prefer the environment variable: a flag shows in `ps`' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l provider -d 'Skip detection: the request comes from this provider' -r -f -a "cakto\t''
kiwify\t''
hotmart\t''
opabox\t''
troquecommerce\t''
monetizze\t''
appmax\t''
digital_manager_guru\t''
ticto\t''
eduzz\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l header -d 'A request header, as \'Name: value\' (repeatable), e.g. \'X-Api-Key: …\'' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l query -d 'A query parameter of the request URL, as \'name=value\' (a \'signature=…\' a provider appends to the URL)' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l tolerance -d 'The largest age of a signed timestamp, as 300, 300s, 5m or 1h' -r
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l color -d 'When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -l allow-echoed-secret -d 'Accept a legacy scheme — the secret echoed in the body — for a request without its signature headers. Weak: no replay protection'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -s v -l verbose -d 'Say more in messages: an unknown provider\'s message lists what every provider sends, not only the nearest one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand verify" -s h -l help -d 'Print help'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "convert" -d 'Convert raw webhook bodies (or captured requests) into normalized events'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "detect" -d 'Tell which provider sent each body, its raw event, the normalized event, and why'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "explain" -d 'Show where each field of the normalized event came from: the raw fields and values, and the rule applied (or why it is null)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "validate" -d 'Validate normalized events, payloads or raw bodies against the documented schemas'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "diff" -d 'Show what changed between two documents (raw bodies are converted first), or how one departs from its documented schema (--docs)'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "schema" -d 'List the embedded JSON Schemas, or print one'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "completions" -d 'Print a shell completion script'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "verify" -d 'Check a captured request\'s authenticity with the provider\'s scheme: exit 0 authentic, 1 not'
complete -c hooknorm -n "__fish_hooknorm_using_subcommand help; and not __fish_seen_subcommand_from convert detect explain validate diff schema completions verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
