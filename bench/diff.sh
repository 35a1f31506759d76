#!/usr/bin/env bash
# Benchmark: `hooknorm diff` on two large documents (arrays of thousands of
# normalized events, about 5 MB each) against npm's json-diff (and jd when it can
# be installed). Writes its section of docs/benchmarks.md.
#
#   bench/diff.sh [EVENTS]      (default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3000}
work=target/bench/diff
tools=target/bench-tools
mkdir -p "$work" "$tools"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq hyperfine time >/dev/null; fi
fi
json_diff="$tools/npm-json-diff/node_modules/.bin/json-diff"
[ -x "$json_diff" ] || npm install --silent --prefix "$tools/npm-json-diff" json-diff >/dev/null
jd=""
if need jd; then jd=jd; elif need go && go install github.com/josephburnett/jd/v2/jd@latest >/dev/null 2>&1; then jd="$(go env GOPATH)/bin/jd"; fi

cargo build --profile profiling --quiet
hooknorm=target/profiling/hooknorm
python3 bench/corpus.py --out "$work" --lines "$count" --files 0
"$hooknorm" convert "$work/raw.ndjson" > "$work/events.ndjson"
# LEFT: the events as one array. RIGHT: the same with 2% of events changed, 20
# inserted and 10 removed, at fixed random places.
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
events = [json.loads(line) for line in open(f"{work}/events.ndjson", encoding="utf-8")]
rng = random.Random(7)
right = json.loads(json.dumps(events))
for event in rng.sample(right, len(right) // 50):
    payment = event["payload"].get("payment") or event["payload"].get("reverse_payment")
    payment["total"] = (payment.get("total") or 0) + 100
for _ in range(10):
    right.pop(rng.randrange(len(right)))
for index in range(20):
    extra = json.loads(json.dumps(rng.choice(events)))
    extra["idempotency_key"] += f":inserted-{index}"
    right.insert(rng.randrange(len(right) + 1), extra)
json.dump(events, open(f"{work}/left.json", "w", encoding="utf-8"), ensure_ascii=False)
json.dump(right, open(f"{work}/right.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
left_mb=$(python3 -c "import os;print(f'{os.path.getsize(\"$work/left.json\")/1e6:.1f}')")
right_mb=$(python3 -c "import os;print(f'{os.path.getsize(\"$work/right.json\")/1e6:.1f}')")

# hooknorm's patch must turn LEFT into RIGHT before anything is timed.
"$hooknorm" diff --format json-patch "$work/left.json" "$work/right.json" > "$work/patch.json" || true
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
doc = json.load(open(f"{work}/left.json"))
def walk(doc, tokens):
    for t in tokens[:-1]:
        doc = doc[int(t)] if isinstance(doc, list) else doc[t]
    return doc, tokens[-1]
for op in json.load(open(f"{work}/patch.json")):
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in op["path"].split("/")[1:]]
    parent, last = walk(doc, tokens)
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if op["op"] == "add": parent.insert(index, op["value"])
        elif op["op"] == "remove": parent.pop(index)
        else: parent[index] = op["value"]
    else:
        if op["op"] == "remove": del parent[last]
        else: parent[last] = op["value"]
assert doc == json.load(open(f"{work}/right.json")), "the patch does not turn LEFT into RIGHT"
print("patch verified:", len(json.load(open(f"{work}/patch.json"))), "operations")
PY

# Peak resident memory in KB; diff's own exit status (1: different) is expected.
peak() { /usr/bin/time -f "%M" -o "$work/peak.txt" "$@" >/dev/null 2>&1 || true; tail -n 1 "$work/peak.txt"; }
hyperfine --style basic --warmup 1 --runs "${RUNS:-10}" -i --export-json "$work/hooknorm.json" \
  -n "hooknorm diff (human)" "$hooknorm diff $work/left.json $work/right.json" \
  -n "hooknorm diff --format json-patch" "$hooknorm diff --format json-patch $work/left.json $work/right.json" >/dev/null
hooknorm_kb=$(peak "$hooknorm" diff "$work/left.json" "$work/right.json")
# json-diff takes minutes on such documents: one run tells its speed.
hyperfine --style basic --runs 1 -i --export-json "$work/json-diff.json" \
  -n "npm json-diff $(node -e "console.log(require('./$tools/npm-json-diff/node_modules/json-diff/package.json').version)")" \
  "$json_diff $work/left.json $work/right.json" >/dev/null
json_diff_kb=$(peak "$json_diff" "$work/left.json" "$work/right.json")
jd_row=""
if [ -n "$jd" ]; then
  hyperfine --style basic --runs 3 -i --export-json "$work/jd.json" -n "jd" "$jd $work/left.json $work/right.json" >/dev/null
  jd_kb=$(peak "$jd" "$work/left.json" "$work/right.json")
  jd_row="$work/jd.json:$jd_kb"
fi

# Every value of every event changed: the cost must grow with the documents and
# the changes, never with their square (an edit-distance alignment of arrays is
# O(n·d); hooknorm aligns in O(n log n)).
scale_sizes=${DIFF_SCALE:-"500 1000 2000 4000"}
memory_events=${DIFF_MEMORY:-12000}
largest=$(printf '%s\n' $scale_sizes "$memory_events" | sort -n | tail -1)
python3 bench/corpus.py --out "$work/scale" --lines "$largest" --files 0 --seed 9
"$hooknorm" convert "$work/scale/raw.ndjson" > "$work/scale/events.ndjson"
: > "$work/scale/rows.txt"
# LEFT: the first N events as one array; RIGHT: the same, every value changed.
all_changed() {
  python3 - "$work/scale" "$1" <<'PY'
import json, sys
folder, n = sys.argv[1], int(sys.argv[2])
events = [json.loads(line) for line in open(f"{folder}/events.ndjson", encoding="utf-8")][:n]
def change(value):
    if isinstance(value, dict): return {k: change(v) for k, v in value.items()}
    if isinstance(value, list): return [change(v) for v in value]
    if isinstance(value, bool): return not value
    if isinstance(value, (int, float)): return value + 1
    if isinstance(value, str): return value + "x"
    return value
json.dump(events, open(f"{folder}/left-{n}.json", "w", encoding="utf-8"), ensure_ascii=False)
json.dump([change(e) for e in events], open(f"{folder}/right-{n}.json", "w", encoding="utf-8"), ensure_ascii=False)
PY
}
for n in $scale_sizes; do
  all_changed "$n"
  # At least SCALE_RUNS runs, and as many more as fit in hyperfine's 3 s per command:
  # the smallest size, tens of milliseconds, is the base of the growth ratio.
  hyperfine --style basic --warmup 1 --min-runs "${SCALE_RUNS:-3}" -i --export-json "$work/scale/time-$n.json" \
    -n human "$hooknorm diff $work/scale/left-$n.json $work/scale/right-$n.json" \
    -n json-patch "$hooknorm diff --format json-patch $work/scale/left-$n.json $work/scale/right-$n.json" \
    -n json "$hooknorm diff --format json $work/scale/left-$n.json $work/scale/right-$n.json" >/dev/null
  kb=$(peak "$hooknorm" diff --format json "$work/scale/left-$n.json" "$work/scale/right-$n.json")
  echo "$n $kb" >> "$work/scale/rows.txt"
done
# Bounded memory: the peak of each format on the largest all-changed pair, untimed.
all_changed "$memory_events"
: > "$work/scale/memory.txt"
for format in human json-patch json; do
  echo "$format $(peak "$hooknorm" diff --format "$format" "$work/scale/left-$memory_events.json" "$work/scale/right-$memory_events.json")" >> "$work/scale/memory.txt"
done

python3 - "$work" "$count" "$left_mb" "$right_mb" "$hooknorm_kb" "$json_diff_kb" "$jd_row" "$memory_events" <<'PY'
import json, os, re, sys
work, count, left_mb, right_mb, hooknorm_kb, json_diff_kb, jd_row, memory_events = sys.argv[1:9]
rows = []
def add(path, kb):
    for r in json.load(open(path))["results"]:
        sigma = f"±{r['stddev']*1000:,.0f} ms" if r.get("stddev") is not None else "— (1 run)"
        rows.append((r["command"], r["median"], sigma, kb))
hooknorm = json.load(open(f"{work}/hooknorm.json"))["results"]
for r in hooknorm:
    rows.append((r["command"], r["median"], f"±{r['stddev']*1000:,.0f} ms", hooknorm_kb))
add(f"{work}/json-diff.json", json_diff_kb)
if jd_row:
    path, kb = jd_row.split(":")
    add(path, kb)
ours = hooknorm[0]["median"]
scale, runs = [], []
for line in open(f"{work}/scale/rows.txt"):
    n, kb = line.split()
    results = json.load(open(f"{work}/scale/time-{n}.json"))["results"]
    times = {r["command"]: r["median"] for r in results}
    runs.extend(len(r["times"]) for r in results)
    scale.append((int(n), times, int(kb)))
scale_runs = f"{min(runs)}–{max(runs)}" if min(runs) != max(runs) else f"{runs[0]}"
scale_table = "\n".join(
    f"| {n:,} | {t['human']:.2f} s | {t['json-patch']:.2f} s | {t['json']:.2f} s | {kb/1024:,.0f} MB |"
    for n, t, kb in scale)
(n0, t0, _), (n1, t1, _) = scale[0], scale[-1]
scale_growth = ", ".join(
    f"{name} {t1[name]/t0[name]:.1f}× for {n1/n0:.0f}× the events" for name in ("human", "json-patch", "json"))
memory = {line.split()[0]: int(line.split()[1]) for line in open(f"{work}/scale/memory.txt")}
memory_text = ", ".join(f"{name} {kb/1024:,.0f} MB" for name, kb in memory.items())
mem_left_mb, mem_right_mb = (os.path.getsize(f"{work}/scale/{side}-{memory_events}.json") / 1e6 for side in ("left", "right"))
human_pair = hooknorm[0]["median"]
worst_growth = max(t1[name] / t0[name] for name in ("human", "json-patch", "json"))
def at_most(value, bound, unit):
    return "met" if value <= bound else f"**missed** by {value - bound:.2f}{unit}"
table = "\n".join(f"| {c} | {m*1000:,.0f} ms | {s} | {int(kb)/1024:,.0f} MB | {m/ours:,.0f}× |" for c, m, s, kb in rows)
jd_note = "" if jd_row else "\njd is not in Debian's packages and no Go toolchain is available here, so it is left out."
section = f"""## diff: two arrays of {int(count):,} events

`bench/diff.sh`: LEFT is {int(count):,} normalized events ({left_mb} MB, one JSON array),
RIGHT the same with 2% of the events changed, 20 inserted and 10 removed
({right_mb} MB). hooknorm's JSON Patch is checked to turn LEFT into RIGHT before
anything is timed. Peak memory is the maximum resident set size (`/usr/bin/time`).

| command | median | σ | peak memory | time vs hooknorm |
|---|---|---|---|---|
{table}
{jd_note}
Reproduce: `bench/diff.sh` (installs hyperfine and json-diff from the package registries when missing).

### Every value changed

The same kind of events, every value of every event changed (the worst case for an
edit-distance alignment): medians of {scale_runs} runs (at least {os.environ.get("SCALE_RUNS", "3")}, as many as fit in 3 s), peak memory of the
`json` format.

| events | human | json-patch | json | peak memory |
|---|---|---|---|---|
{scale_table}

Growth from the smallest to the largest ({scale_growth}).

Peak memory of {int(memory_events):,} all-changed events ({mem_left_mb:.1f} + {mem_right_mb:.1f} MB):
{memory_text}.

| target | measured | status |
|---|---|---|
| the {left_mb} MB pair ≤ 0.2 s, masking on (human) | {human_pair:.3f} s | {at_most(human_pair, 0.2, ' s')} |
| {n1:,} all-changed events ≤ 5 s, every format | {max(t1.values()):.2f} s (slowest format) | {at_most(max(t1.values()), 5, ' s')} |
| {n1:,} all-changed events ≤ 8× the time of {n0:,}, every format | {worst_growth:.1f}× (slowest growth) | {at_most(worst_growth, 8, '×')} |
| {int(memory_events):,} all-changed events ≤ 300 MB, every format | {max(memory.values())/1024:,.0f} MB (largest) | {at_most(max(memory.values())/1024, 300, ' MB')} |"""
sys.path.insert(0, "bench")
from report import write_section
write_section("diff", section)
PY
