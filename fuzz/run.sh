#!/usr/bin/env bash
# Runs every fuzz target (or those named) for SECONDS (default 60) each, seeded
# with samples/.
#   bash fuzz/run.sh [SECONDS [TARGET...]]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); libFuzzer's flags need a nightly
# compiler, or RUSTC_BOOTSTRAP=1 on a stable one, as here. A crash leaves its input
# in fuzz/artifacts/<target>/ and fails the run: after the fix, add it as a row of
# tests/bad_input.rs (or of the target's own tests) so that it is replayed for ever.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(convert validate diff)
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

# Seeds: every sample and expected output; for diff, pairs cut by a NUL byte.
rm -rf corpus/seed && mkdir -p corpus/seed/one corpus/seed/pairs corpus/convert corpus/validate corpus/diff
n=0
for file in ../samples/*/*.json ../samples/*/*.form ../tests/fixtures/*/*.json; do
  n=$((n + 1))
  cp "$file" "corpus/seed/one/$n.json"
  expected="${file%.*}.expected.json"
  if [ -f "$expected" ]; then
    { cat "$file"; printf '\0'; cat "$expected"; } > "corpus/seed/pairs/$n"
  fi
done

# Nesting at and past the 127-level limit, where the mutator rarely goes alone:
# form names and Eduzz's legacy bracket keys, in a field nothing reads and at
# the top, and JSON arrays.
brackets() { local out="" i; for ((i = 0; i < $1; i++)); do out+="[a]"; done; printf '%s' "$out"; }
cakto_form='secret=s&event=purchase_approved&data[id]=o1&data[status]=paid&data[amount]=10.5'
for levels in 126 127 128 300 20000; do
  n=$((n + 1))
  printf '%s&data[extra]%s=1' "$cakto_form" "$(brackets $((levels - 2)))" > "corpus/seed/one/$n.form"
  n=$((n + 1))
  printf 'a%s=1' "$(brackets $((levels - 1)))" > "corpus/seed/one/$n.form"
  n=$((n + 1))
  sed "1s/{/{\"x$(brackets $((levels - 1)))\": 1,/" \
    ../samples/eduzz/legacy.invoice_paid.credit_card.CONSTRUCTED.json > "corpus/seed/one/$n.json"
done
n=$((n + 1))
{ printf '{"secret":"s","event":"purchase_approved","data":{"id":"o1","x":'
  for ((i = 0; i < 124; i++)); do printf '['; done
  printf '{"token":"t"}'
  for ((i = 0; i < 124; i++)); do printf ']'; done
  printf '}}'; } > "corpus/seed/one/$n.json"

cargo fuzz build -O
for target in "${targets[@]}"; do
  seeds=corpus/seed/one
  [ "$target" = diff ] && seeds=corpus/seed/pairs
  echo "== fuzz $target for ${seconds}s"
  log="corpus/$target.log"
  status=0
  cargo fuzz run -O "$target" "corpus/$target" "$seeds" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 > "$log" 2>&1 || status=$?
  grep -E '^Done|stat::number_of_executed_units|panicked|SUMMARY|Test unit written' "$log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$log"
    echo "fuzz: $target failed (status $status); the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
