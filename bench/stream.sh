#!/usr/bin/env bash
# A long NDJSON stream (default 1 GB) with one broken line in the middle: every
# other line must convert, the broken one must be named by its line number, and
# memory must stay bounded — from a file and from a pipe, on one thread and on
# all cores. Writes the `stream` section of docs/benchmarks.md.
#
#   bench/stream.sh [MEGABYTES]      (default 1024; bench/run.sh QUICK=1 uses 20)
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes=${1:-1024}
work=target/bench/stream
mkdir -p "$work"
cargo build --profile profiling --quiet
hooknorm=target/profiling/hooknorm
cores=$(nproc)

# The corpus runs at about 1,725 bytes a line: enough lines for the size asked.
lines=$((megabytes * 1000000 / 1725 + 1))
python3 bench/corpus.py --out "$work" --lines "$lines" --files 0 >/dev/null
middle=$((lines / 2))
python3 - "$work/raw.ndjson" "$work/stream.ndjson" "$middle" <<'PY'
import sys
source, target, middle = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, "rb") as lines, open(target, "wb") as out:
    for number, line in enumerate(lines, 1):
        if number == middle:
            body = line.rstrip(b"\n")
            line = body[: len(body) // 2].decode("utf-8", "ignore").encode() + b"\n"
        out.write(line)
PY
rm -f "$work/raw.ndjson"
input="$work/stream.ndjson"
bytes=$(wc -c < "$input")

# One run of each: exit status, events out, the error line, peak RSS, wall time.
measure() {
  local name=$1; shift
  local status=0
  /usr/bin/time -o "$work/time" -f '%M %e' "$@" 2> "$work/stderr" | wc -l > "$work/count" || status=$?
  # `time` writes the child's status into its own; pipefail gives it to us.
  local stats errors
  stats=$(tail -1 "$work/time")
  errors=$(grep -c '^error: ' "$work/stderr" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$status" "$(cat "$work/count")" "$errors" "$stats" \
    "$(grep -m1 '^error: ' "$work/stderr" | cut -c1-160)" >> "$work/results.tsv"
}
rm -f "$work/results.tsv"
measure "file, --jobs 1" "$hooknorm" convert --jobs 1 "$input"
measure "file, --jobs $cores" "$hooknorm" convert --jobs "$cores" "$input"
measure "stdin (piped from cat), --jobs $cores" sh -c "cat '$input' | '$hooknorm' convert --jobs $cores -"
# validate streams too: one JSON record per line, the broken one's included.
measure "validate --format json, file, --jobs $cores" "$hooknorm" validate --format json --jobs "$cores" "$input"

python3 - "$work/results.tsv" "$bytes" "$lines" "$middle" "$megabytes" <<'PY'
import sys
sys.path.insert(0, "bench")
from report import write_section
path, size, lines, middle, megabytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rows, checks = [], []
for record in open(path, encoding="utf-8"):
    name, status, count, errors, stats, first_error = record.rstrip("\n").split("\t")
    peak_kb, seconds = stats.split()
    seconds = float(seconds)
    if name.startswith("validate"):
        # Its records go to stdout, one per line: the broken line has one too.
        ok = status == "65" and int(count) == lines
        named_text = "in its record"
    else:
        named = f":{middle}:" in first_error
        ok = status == "65" and int(count) == lines - 1 and errors == "1" and named
        named_text = "yes" if named else "no"
    checks.append(ok)
    rows.append(f"| {name} | {status} | {int(count):,} | {errors} | {named_text} | {int(peak_kb)/1024:.1f} MB | {seconds:.1f} s | {size/seconds/1e6:,.0f} MB/s |")
if not all(checks):
    sys.exit(f"stream: a run did not convert every other line or did not name line {middle}: see {path}")
first = open(path, encoding="utf-8").readline().rstrip("\n").split("\t")[5]
# The convert rows' check is the one the first line describes; validate's is its own.
write_section("stream", f"""## stream: {size/1e9:.2f} GB of NDJSON with one broken line

`bench/stream.sh {megabytes}` — {lines:,} raw bodies (`bench/corpus.py`, seed 42), line {middle:,}
cut in half. Each run must exit 65, write {lines - 1:,} events, report exactly one error and
name line {middle:,}; the script fails otherwise. One run each (`/usr/bin/time`).

| input | exit | lines out | errors on stderr | line named | peak RSS | wall | throughput |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

The error as printed: `{first}`

Memory does not grow with the stream, whatever its length (`src/batch.rs`): on one thread
it is read and converted in runs of whole lines of 1 MB (at most 4,096 lines); with
`--jobs`, about 1 MB of runs is in flight between the reader, the workers and the writer,
with their outputs. `validate` reads streams through the same engine.
""")
PY
rm -f "$input"
