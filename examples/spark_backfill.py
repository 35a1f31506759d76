#!/usr/bin/env python3
"""Backfill stored webhooks into normalized events on Apache Spark.

Reads raw bodies or captured requests — NDJSON files (one per line) or a folder
of files (one per file) — converts them with the `hooknorm` Python package inside
`mapPartitions` (the converter runs in each executor's Python process, a batch of
bodies per call; no process per row), and writes:

  OUTPUT/events/provider=…/event=…/   the events, partitioned by provider and event
  OUTPUT/failures/                    one record per body that failed: where it is
                                      (source, line) and the error (kind, pointer,
                                      line, column, message, exit_code); not the body,
                                      which may hold a credential
  OUTPUT/_counts/                     one JSON line: inputs, events, failures, and
                                      whether inputs = events + failures

With `--format ndjson` each event is one line, byte for byte what `hooknorm convert
--compact` prints; with `--format parquet` the events are rows (source, line,
provider, event, idempotency_key, json). Nothing is dropped: the job fails if the
counts do not reconcile.

    spark-submit --master spark://HOST:7077 examples/spark_backfill.py \\
        --input s3a://bucket/webhooks/2025/ --output s3a://bucket/events/2025/

Each executor needs the package: `pip install ./python` on every node, or ship an
environment archive (see docs/spark.md).
"""

import argparse
import json
import os
import secrets
import sys

# Bodies handed to hooknorm per call: the GIL is released for the whole batch.
BATCH = 1024


def convert_partition(rows, redact, redact_key):
    """(source, line, body bytes) → ("event", …) or ("failure", …) rows, in order.
    `redact_key`: the job's one redaction key, so that a value has one
    placeholder in every partition and batch."""
    import hooknorm  # imported on the executor

    def blank(body):
        # `convert_lines` skips blank bodies, as the command line skips blank
        # lines; a blank file is still an input, with the error a blank file gets.
        try:
            return hooknorm.convert_json(body)
        except hooknorm.ConvertError as error:
            return error

    job_key = os.environ.get("HOOKNORM_REDACT_KEY") or redact_key

    def flush(chunk):
        bodies = [body for _, _, body in chunk if body.strip()]
        converted = iter(hooknorm.convert_lines(bodies, redact=redact, redact_key=job_key, as_text=True))
        for source, line, body in chunk:
            result = next(converted) if body.strip() else blank(body)
            if isinstance(result, str):
                head = json.loads(result)
                provider = head.get("provider") if isinstance(head, dict) else None
                event = head.get("event") if isinstance(head, dict) else None
                key = head.get("idempotency_key") if isinstance(head, dict) else None
                yield ("event", source, line, provider, event, key, result)
            else:
                failure = {
                    "kind": result.kind,
                    "pointer": result.pointer,
                    "line": result.line,
                    "column": result.column,
                    "message": result.message,
                    "exit_code": result.exit_code,
                }
                yield ("failure", source, line, None, None, None, json.dumps(failure, ensure_ascii=False))

    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH:
            yield from flush(chunk)
            chunk = []
    if chunk:
        yield from flush(chunk)


def read_inputs(spark, path, kind):
    """(source, line, body bytes) for every body: a line of an NDJSON file (its
    1-based line number), or a whole file (line 1)."""
    sc = spark.sparkContext
    if kind == "files":
        return sc.binaryFiles(path).map(lambda pair: (pair[0], 1, bytes(pair[1])))
    # NDJSON: lines keep their file and number; blank lines are not bodies. A
    # line is taken as the bytes it is (binary): read as a string, a byte that is
    # not UTF-8 (Latin-1) would become U+FFFD, converted where hooknorm refuses it.
    lines = (
        spark.read.format("text").load(path)
        .selectExpr("input_file_name() as source", "cast(value as binary) as value")
        .rdd.zipWithIndex()
    )
    numbered = lines.map(lambda pair: (pair[0]["source"], pair[1], bytes(pair[0]["value"])))
    first = numbered.map(lambda r: (r[0], r[1])).reduceByKey(min).collectAsMap()
    first = sc.broadcast(first)
    return numbered.filter(lambda r: r[2].strip() != b"").map(
        lambda r: (r[0], r[1] - first.value[r[0]] + 1, r[2])
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="NDJSON file(s) or a folder of files (any Hadoop path)")
    parser.add_argument("--input-kind", choices=["ndjson", "files"], default="ndjson")
    parser.add_argument("--output", required=True)
    parser.add_argument("--format", choices=["ndjson", "parquet"], default="ndjson")
    parser.add_argument("--redact", action="store_true", help="leave nothing that identifies a person")
    parser.add_argument("--partitions", type=int, default=0, help="repartition the input (0: as read)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession
    from pyspark.sql.functions import from_json
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    spark = SparkSession.builder.appName("hooknorm-backfill").getOrCreate()
    inputs = read_inputs(spark, args.input, args.input_kind)
    if args.partitions:
        inputs = inputs.repartition(args.partitions)
    redact = args.redact
    # One key for the whole job, drawn here on the driver and shipped with the
    # task (each call would draw its own); the executors' HOOKNORM_REDACT_KEY wins.
    redact_key = secrets.token_hex(32) if redact else None
    schema = StructType([
        StructField("outcome", StringType(), False),
        StructField("source", StringType(), False),
        StructField("line", LongType(), False),
        StructField("provider", StringType(), True),
        StructField("event", StringType(), True),
        StructField("idempotency_key", StringType(), True),
        StructField("json", StringType(), False),
    ])
    results = spark.createDataFrame(inputs.mapPartitions(lambda rows: convert_partition(rows, redact, redact_key)), schema)
    results.persist()

    events = results.where("outcome = 'event'")
    failures = results.where("outcome = 'failure'")
    if args.format == "ndjson":
        events.select("provider", "event", "json").write.mode("overwrite").partitionBy("provider", "event").text(f"{args.output}/events")
    else:
        events.select("source", "line", "provider", "event", "idempotency_key", "json").write.mode("overwrite").partitionBy("provider", "event").parquet(f"{args.output}/events")
    error = "kind string, pointer string, line long, column long, message string, exit_code int"
    failures.select("source", "line", from_json("json", error).alias("error")).write.mode("overwrite").json(f"{args.output}/failures")

    counts = {
        "inputs": inputs.count(),
        "events": events.count(),
        "failures": failures.count(),
    }
    counts["reconciled"] = counts["inputs"] == counts["events"] + counts["failures"]
    text = json.dumps(counts)
    spark.sparkContext.parallelize([text], 1).saveAsTextFile(f"{args.output}/_counts")
    print(f"hooknorm backfill: {text}", file=sys.stderr)
    spark.stop()
    return 0 if counts["reconciled"] else 1


if __name__ == "__main__":
    sys.exit(main())
