#!/usr/bin/env bash
# Benchmark: `hooknorm convert` against the floor (parse each line into a
# serde_json::Value and write it back), the ceiling (a syntax pass with IgnoredAny)
# and the jq program a user would write instead (bench/peers/orders.jq), on the
# same NDJSON of raw bodies, in the same hyperfine run. Also: peak memory, and one
# small file against `jq . file` and a bare process (`/bin/true`). Writes its
# section of docs/benchmarks.md.
#
#   bench/convert.sh [LINES]      (default 200000; CI runs a smoke version)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-200000}
runs=${RUNS:-5}
work=target/bench/convert
mkdir -p "$work"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need jq || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq hyperfine jq time >/dev/null; fi
fi

cargo build --profile profiling --quiet
cargo build --release --quiet --manifest-path bench/floor/Cargo.toml
hooknorm=target/profiling/hooknorm
floor=bench/floor/target/release/hooknorm-floor
# JSON bodies only: the floor, the ceiling and jq read JSON lines (forms are timed
# by the stream benchmark and pinned by tests/corpus_output.rs).
python3 bench/corpus.py --out "$work" --lines "$lines" --files 0 --json-only >/dev/null
input="$work/raw.ndjson"
bytes=$(wc -c < "$input")
cores=$(nproc)
small=samples/cakto/purchase_approved.pix.unique.notion-doc.json

# The same answers first: every line converted, in order, whatever the jobs.
"$hooknorm" convert --jobs 1 "$input" > "$work/one.ndjson" 2>/dev/null
"$hooknorm" convert --jobs "$cores" "$input" > "$work/all.ndjson" 2>/dev/null
cmp "$work/one.ndjson" "$work/all.ndjson"
test "$(wc -l < "$work/one.ndjson")" -eq "$lines"

hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$work/results.json" \
  -n floor "$floor floor $input > /dev/null" \
  -n ceiling "$floor ceiling $input > /dev/null" \
  -n "hooknorm --jobs 1" "$hooknorm convert --jobs 1 $input > /dev/null 2>&1" \
  -n "hooknorm --jobs $cores" "$hooknorm convert --jobs $cores $input > /dev/null 2>&1" \
  -n "jq peer" "jq -c -f bench/peers/orders.jq $input > /dev/null" >&2
hyperfine --style basic --warmup 20 --runs 200 -N --export-json "$work/small.json" \
  -n "hooknorm convert (one file)" "$hooknorm convert $small" \
  -n "jq . (one file)" "jq . $small" \
  -n "/bin/true" "/bin/true" >&2

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
peak_one=$(peak "$hooknorm" convert --jobs 1 "$input")
peak_all=$(peak "$hooknorm" convert --jobs "$cores" "$input")

python3 - "$work" "$bytes" "$lines" "$cores" "$peak_one" "$peak_all" <<'PY'
import json, platform, subprocess, sys
sys.path.insert(0, "bench")
from report import write_section
work, size, lines, cores, peak_one, peak_all = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
results = {r["command"]: r for r in json.load(open(f"{work}/results.json"))["results"]}
small = {r["command"]: r for r in json.load(open(f"{work}/small.json"))["results"]}
median = lambda r: r["median"]
one, many = results["hooknorm --jobs 1"], results[f"hooknorm --jobs {cores}"]
def row(name, r):
    m = median(r)
    return f"| {name} | {m*1000:,.0f} ms ± {r['stddev']*1000:,.0f} | {size/m/1e6:,.0f} MB/s | {lines/m:,.0f} |"
def version(cmd):
    try: return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception: return "?"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
ratio = lambda a, b: median(b) / median(a)
floor_ratio, jobs_ratio, jq_ratio = ratio(one, results['floor']), ratio(many, one), ratio(one, results['jq peer'])
small_ms = median(small['hooknorm convert (one file)']) * 1000
jq_small_ms = median(small['jq . (one file)']) * 1000
bare_ms = median(small['/bin/true']) * 1000
bare_ratio = small_ms / bare_ms
def at_least(value, bound):
    return "met" if value >= bound else f"**missed**: {bound / value:.2f}× short of it"
def at_most(value, bound, unit):
    return "met" if value <= bound else f"**missed** by {value - bound:.2f}{unit}"
body = f"""## convert: throughput against the floor, the ceiling and jq

`bench/convert.sh {lines}` — {lines:,} JSON raw bodies of every provider (`bench/corpus.py --json-only`,
seed 42), {size/1e6:,.0f} MB of NDJSON; {cpu}, {cores} cores; {version(['rustc', '--version'])},
{version(['jq', '--version'])}, {version(['hyperfine', '--version'])}. Median of the runs ± σ.

| command | median | throughput | events/s |
|---|---|---|---|
{row('floor: parse into Value, write back', results['floor'])}
{row('ceiling: IgnoredAny syntax pass', results['ceiling'])}
{row('hooknorm convert --jobs 1', one)}
{row(f'hooknorm convert --jobs {cores}', many)}
{row('jq peer (Cakto and Kiwify orders only)', results['jq peer'])}

| target | measured | status |
|---|---|---|
| single thread ≥ 3× the floor | {floor_ratio:.2f}× | {at_least(floor_ratio, 3)} |
| --jobs 2 ≥ 1.8× single thread | {jobs_ratio:.2f}× (--jobs {cores}) | {at_least(jobs_ratio, 1.8)} |
| ≥ 40× the jq peer | {jq_ratio:.1f}× single thread, {ratio(many, results['jq peer']):.1f}× all cores | {at_least(jq_ratio, 40)} |
| fraction of the ceiling | {median(results['ceiling'])/median(one)*100:.0f}% single thread | — |
| one small file ≤ 2 ms, no slower than `jq .` | {small_ms:.2f} ms; `jq .` {jq_small_ms:.2f} ms | {at_most(small_ms, 2, ' ms')} |
| one small file ≤ 2.5× a bare process | {bare_ratio:.2f}× (`/bin/true` {bare_ms:.2f} ms) | {at_most(bare_ratio, 2.5, '×')} |
| peak memory ≤ 32 MB | {peak_one/1024:.1f} MB (--jobs 1), {peak_all/1024:.1f} MB (--jobs {cores}) | {at_most(max(peak_one, peak_all) / 1024, 32, ' MB')} |
"""
write_section("convert", body)
PY
