#!/usr/bin/env python3
"""Writes the `python` section of docs/benchmarks.md: what a call from Python costs
over the Rust library, and what Spark costs over the command line.

    python3 bench/python.py LINES RUNS

1. Per call: `hooknorm.convert_json(body, pretty=False)` in a loop, for the body of
   each provider the micro-benchmarks time (`benches/convert.rs`), against their
   `convert + write` figure (criterion's estimate, read from target/criterion).
2. Spark: `examples/spark_backfill.py` on a standalone master and one worker on this
   machine (python/tests/spark_cluster.py), LINES bodies of `bench/corpus.py`, with 1
   and 2 executor cores, against `hooknorm convert --jobs 1` and `--jobs 2` on the
   same file. Wall time of the whole submission (JVM start-up included), best of RUNS.

Needs the package (`pip install ./python`), PySpark and a JDK (`python/ci.sh`)."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "python/tests"))
from report import criterion_ns, write_section  # noqa: E402

import hooknorm  # noqa: E402


def micro_bodies():
    """(provider, sample path) of each body `benches/convert.rs` times."""
    text = (ROOT / "benches/convert.rs").read_text(encoding="utf-8")
    pairs = re.findall(r'\(\s*"([a-z_]+)",\s*include_str!\(\s*"\.\./(samples/[^"]+)"\s*\),?\s*\)', text)
    return [(provider, ROOT / path) for provider, path in pairs]


def per_call(loops):
    rows = []
    for provider, path in micro_bodies():
        body = path.read_bytes()
        hooknorm.convert_json(body, pretty=False)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter_ns()
            for _ in range(loops):
                hooknorm.convert_json(body, pretty=False)
            best = min(best, (time.perf_counter_ns() - started) / loops)
        rows.append((provider, criterion_ns(f"{provider}/hooknorm/convert+write"), best))
    return rows


def timed(command, runs, env=None):
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        best = min(best, time.perf_counter() - started)
    return best


def spark(lines, runs, work):
    from spark_cluster import Cluster

    corpus = work / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench/corpus.py"), "--out", str(corpus), "--lines", str(lines), "--files", "0"], check=True)
    raw = corpus / "raw.ndjson"
    binary = str(ROOT / "target/profiling/hooknorm")
    cli = {jobs: timed(["sh", "-c", f"{binary} convert --jobs {jobs} {raw} > /dev/null"], runs) for jobs in (1, 2)}
    cluster = Cluster(work, cores=2)
    try:
        job = {}
        for cores in (1, 2):
            best = float("inf")
            for run in range(runs):
                output = work / f"out-{cores}-{run}"
                started = time.perf_counter()
                cluster.submit("--input", str(raw), "--output", str(output), "--partitions", str(2 * cores), cores=cores)
                best = min(best, time.perf_counter() - started)
                counts = json.loads("".join(p.read_text() for p in output.glob("_counts/part-*")))
                assert counts["reconciled"] and counts["inputs"] == lines, counts
                shutil.rmtree(output)
            job[cores] = best
    finally:
        cluster.stop()
    return raw.stat().st_size, cli, job


def main():
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    loops = 2_000 if lines < 10_000 else 50_000
    calls = per_call(loops)
    work = ROOT / "target/bench/python"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    size, cli, job = spark(lines, runs, work)

    def us(ns):
        return "—" if ns is None else f"{ns / 1000:,.2f} µs"

    call_rows = "\n".join(
        f"| {p} | {us(rust)} | {us(py)} | {us(py - rust) if rust else '—'} |" for p, rust, py in calls
    )
    overheads = [py - rust for _, rust, py in calls if rust]
    overhead = f"{min(overheads) / 1000:.2f}–{max(overheads) / 1000:.2f} µs" if overheads else "—"
    mb = size / 1e6

    def rate(seconds):
        return f"{seconds:,.1f} s | {mb / seconds:,.1f} MB/s | {lines / seconds:,.0f}"

    body = f"""## python: a call from Python, and Spark against the command line

`bench/python.py {lines} {runs}` (needs `pip install ./python`, PySpark and a JDK:
`python/ci.sh` installs them); {os.cpu_count()} cores.

**Per call.** `hooknorm.convert_json(body, pretty=False)` in a Python loop ({loops:,} calls,
best of 3) against the library's `convert + write` on the same body (criterion, the
micro table above). The difference is what crossing into Python costs: the arguments
checked and copied, the GIL released and taken back, the text made a Python `str`.

| provider | Rust library | from Python | overhead |
|---|---|---|---|
{call_rows}

Overhead per call: {overhead}. `hooknorm.convert` (a `dict`) adds Python's own
`json.loads` of the event on top.

**Spark.** `examples/spark_backfill.py` submitted to a standalone master with one worker
on this machine, {lines:,} bodies of `bench/corpus.py` ({mb:,.0f} MB of NDJSON), events
written as NDJSON partitioned by provider and event, failures and counts beside them
(reconciled in every run); against `hooknorm convert` on the same file, output to
`/dev/null`. Wall time of the whole run, best of {runs}; Spark's includes starting its
JVMs, the Python workers, and writing the datasets.

| command | wall | throughput | bodies/s |
|---|---|---|---|
| hooknorm convert --jobs 1 | {rate(cli[1])} |
| hooknorm convert --jobs 2 | {rate(cli[2])} |
| Spark, 1 executor core | {rate(job[1])} |
| Spark, 2 executor cores | {rate(job[2])} |

The cost of the engine, plainly: on one machine Spark takes {job[1] / cli[1]:,.1f}× the
time of `convert --jobs 1` with one core and {job[2] / cli[2]:,.1f}× that of `--jobs 2` with
two; two cores make the job {job[1] / job[2]:,.2f}× faster. What Spark buys is the
cluster: the same job over many machines and object storage, with its retries and its
partitioned output — not speed on one machine, where `hooknorm convert --jobs N` is
the tool.
"""
    write_section("python", body)


if __name__ == "__main__":
    main()
