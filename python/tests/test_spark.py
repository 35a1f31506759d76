"""examples/spark_backfill.py on a real Spark standalone cluster (a master and one
worker on 127.0.0.1), checked against the command line on the same corpus: every
event the CLI prints is written once, every failure is kept with its line.

Needs PySpark and a JDK (`.ci/run` installs both through `python/ci.sh`). Without
them the test is skipped — unless HOOKNORM_SPARK_TEST=1, as in CI, where it fails."""

import glob
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("HOOKNORM_SPARK_TEST") == "1"

try:
    import pyspark
except ImportError:  # pragma: no cover
    pyspark = None
try:
    import pyarrow.parquet as parquet
except ImportError:  # pragma: no cover
    parquet = None


def require_spark():
    if pyspark is None:
        if REQUIRED:
            pytest.fail("HOOKNORM_SPARK_TEST=1 but pyspark is not installed")
        pytest.skip("pyspark is not installed")
    if subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
        if REQUIRED:
            pytest.fail("HOOKNORM_SPARK_TEST=1 but no JDK: java -version failed")
        pytest.skip("no JDK")


def cli_binary():
    for candidate in (os.environ.get("HOOKNORM_BIN"), ROOT / "target/release/hooknorm", ROOT / "target/debug/hooknorm"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no hooknorm binary: run `cargo build --release` first")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    require_spark()
    from spark_cluster import Cluster

    tmp = tmp_path_factory.mktemp("spark")
    running = Cluster(tmp)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "bench/corpus.py"), "--out", str(out), "--lines", "3000", "--files", "60", "--seed", "11"], check=True)
    lines = (out / "raw.ndjson").read_text(encoding="utf-8").splitlines()
    unsupported = json.dumps(json.loads((ROOT / "tests/fixtures/unsupported/cakto.initiate_checkout.json").read_text()))
    # Failures the job must keep, and a blank line that is no body.
    for at, line in [(10, '{"truncated": '), (500, "not json"), (1500, unsupported), (2000, "")]:
        lines.insert(at, line)
    encoded = [line.encode("utf-8") for line in lines]
    # A Latin-1 line (issue 30: Spark read it as text, with U+FFFD, and converted
    # it where the command line refuses it).
    named = json.dumps(json.loads(next(line for line in lines if '"name"' in line)))
    encoded.insert(2500, named.replace('"name": "', '"name": "Jo\u00e3o ', 1).encode("latin-1"))
    (out / "raw.ndjson").write_bytes(b"\n".join(encoded) + b"\n")
    (out / "raw" / "99999.json").write_text('{"event": "purchase_approved", "data": ', encoding="utf-8")
    return out


def counts_of(output):
    return json.loads("".join(Path(p).read_text() for p in glob.glob(f"{output}/_counts/part-*")))


def test_ndjson_backfill_writes_what_the_cli_prints_and_keeps_every_failure(cluster, corpus, tmp_path):
    output = tmp_path / "out"
    cluster.submit("--input", str(corpus / "raw.ndjson"), "--output", str(output), "--format", "ndjson", "--partitions", "4")
    expected = subprocess.run([cli_binary(), "convert", "--compact", str(corpus / "raw.ndjson")], capture_output=True)
    cli_events = expected.stdout.decode().splitlines()
    cli_failed_lines = sorted(int(line.split(":")[2]) for line in expected.stderr.decode().splitlines() if line.startswith("error:"))

    written = []
    for path in glob.glob(f"{output}/events/provider=*/event=*/part-*"):
        written += Path(path).read_text(encoding="utf-8").splitlines()
    assert Counter(written) == Counter(cli_events)
    # Partitioned by provider and event: each line lies under its own.
    for path in glob.glob(f"{output}/events/provider=*/event=*/part-*"):
        provider, event = Path(path).parent.parent.name[len("provider="):], Path(path).parent.name[len("event="):]
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            head = json.loads(line)
            assert (head["provider"], head["event"]) == (provider, event)

    failures = [json.loads(line) for path in glob.glob(f"{output}/failures/part-*") for line in Path(path).read_text().splitlines()]
    assert sorted(f["line"] for f in failures) == cli_failed_lines == [11, 501, 1501, 2501]
    assert {f["error"]["kind"] for f in failures} == {"not_json", "unsupported_event"}
    assert all(f["error"]["message"] and "body" not in f for f in failures)

    counts = counts_of(output)
    assert counts == {"inputs": 3004, "events": len(cli_events), "failures": 4, "reconciled": True}
    assert not any("\ufffd" in line for line in written)


def test_a_folder_of_files_to_parquet_matches_the_cli_file_for_file(cluster, corpus, tmp_path):
    if parquet is None:
        (pytest.fail if REQUIRED else pytest.skip)("pyarrow is not installed: the parquet output cannot be read back")
    output = tmp_path / "out"
    cluster.submit("--input", str(corpus / "raw"), "--input-kind", "files", "--output", str(output), "--format", "parquet")
    files = sorted(glob.glob(str(corpus / "raw" / "*")))
    expected = {}
    for path in files:
        done = subprocess.run([cli_binary(), "convert", "--compact", path], capture_output=True)
        expected[Path(path).name] = done.stdout.decode().rstrip("\n") if done.returncode == 0 else None
    table = parquet.read_table(str(output / "events")).to_pylist()
    got = {Path(row["source"]).name: row["json"] for row in table}
    assert got == {name: text for name, text in expected.items() if text is not None}
    failures = [json.loads(line) for path in glob.glob(f"{output}/failures/part-*") for line in Path(path).read_text().splitlines()]
    assert [Path(f["source"]).name for f in failures] == [name for name, text in expected.items() if text is None] == ["99999.json"]
    assert counts_of(output) == {"inputs": len(files), "events": len(files) - 1, "failures": 1, "reconciled": True}
