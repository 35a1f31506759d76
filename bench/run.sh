#!/usr/bin/env bash
# Every benchmark, in one run: builds the `profiling` profile (the release build
# with line tables), installs what it needs from the package registries (hyperfine, jq, GNU time; the validate and diff peers), runs
# convert (floor, ceiling, jq peer, --jobs), a 1 GB stream with a broken line,
# validate, diff, the criterion micro-benchmarks, the parser ceilings, the Python
# package and Spark (bench/python.py; needs python/ci.sh's installs), and rewrites
# docs/benchmarks.md section by section.
#
#   bash bench/run.sh            full run (about 35 minutes on 2 cores)
#   QUICK=1 bash bench/run.sh    small corpora, few runs: what CI runs so this never rots
#
# BENCH_PAGE=path writes the page elsewhere (CI writes under target/).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${QUICK:-0}" = 1 ]; then
  convert_lines=2000 validate_events=200 diff_events=200 stream_megabytes=20
  python_lines=2000 python_runs=1
  diff_scale="100 200" scale_runs=1 diff_memory=400
  export RUNS=2
  criterion=(--warm-up-time 0.1 --measurement-time 0.3 --sample-size 10)
else
  convert_lines=${CONVERT_LINES:-200000} validate_events=${VALIDATE_EVENTS:-10000} diff_events=${DIFF_EVENTS:-3000}
  diff_scale="500 1000 2000 4000" scale_runs=3 diff_memory=${DIFF_MEMORY:-12000}
  stream_megabytes=${STREAM_MEGABYTES:-1024}
  python_lines=${PYTHON_LINES:-100000} python_runs=2
  criterion=(--warm-up-time 1 --measurement-time 3)
fi

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need jq || [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq hyperfine jq time >/dev/null
  else
    echo "bench/run.sh: needs hyperfine, jq and GNU time (e.g. sudo apt-get install hyperfine jq time)" >&2
    exit 1
  fi
fi

cargo build --profile profiling --quiet

python3 - <<'PY'
import os, platform, subprocess, sys
sys.path.insert(0, "bench")
from report import write_section
def first_line(cmd):
    try: return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception: return "?"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
memory = next((l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME=")), platform.system())
commit = first_line(["git", "rev-parse", "--short", "HEAD"])
write_section("machine", f"""## Machine

Written by `bench/run.sh` at commit `{commit}`: {cpu}, {os.cpu_count()} cores, {memory} of
memory, {os_name}, kernel {platform.release()}; {first_line(['rustc', '--version'])},
{first_line(['hyperfine', '--version'])}, {first_line(['jq', '--version'])}. Every section below
comes from this run, on this machine; a shared VM varies by about ±15 % run to run.
""")
PY

bash bench/convert.sh "$convert_lines"
bash bench/stream.sh "$stream_megabytes"
bash bench/validate.sh "$validate_events"
DIFF_SCALE="${DIFF_SCALE:-$diff_scale}" SCALE_RUNS="${SCALE_RUNS:-$scale_runs}" DIFF_MEMORY="$diff_memory" \
  bash bench/diff.sh "$diff_events"

cargo bench --quiet --bench convert -- "${criterion[@]}" >/dev/null
python3 bench/micro.py "cargo bench --bench convert -- ${criterion[*]}"
cargo bench --quiet --bench parsers -- "${criterion[@]}" >/dev/null
python3 bench/parsers.py "cargo bench --bench parsers -- ${criterion[*]}"
# The Python package and Spark (python/ci.sh installs them); after the micro
# benchmarks, whose figures the per-call table reads.
python3 bench/python.py "$python_lines" "$python_runs"
echo "bench/run.sh: wrote ${BENCH_PAGE:-docs/benchmarks.md}" >&2
