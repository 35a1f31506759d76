"""The Python package against the command line: for every sample and fixture,
what `hooknorm.<function>` returns is what `hooknorm <command>` prints, errors
included; and calls from many threads at once give what one thread gives.

The command line is `$HOOKNORM_BIN`, else the repository's release build, else
its debug build (`cargo build --release` makes one)."""

import concurrent.futures
import hashlib
import hmac
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import hooknorm

ROOT = Path(__file__).resolve().parents[2]


def cli_binary():
    for candidate in (os.environ.get("HOOKNORM_BIN"), ROOT / "target/release/hooknorm", ROOT / "target/debug/hooknorm"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("no hooknorm binary: run `cargo build --release` first, or set HOOKNORM_BIN")


BIN = cli_binary()
# Redaction's placeholders are keyed; both sides use the same key.
os.environ["HOOKNORM_REDACT_KEY"] = "python parity test key"


def cli(*args, stdin=None):
    return subprocess.run([BIN, *args], capture_output=True, input=stdin, env=os.environ)


def raw_samples():
    found = []
    for path in sorted((ROOT / "samples").rglob("*")):
        if path.suffix in (".json", ".form") and not path.name.endswith(".expected.json"):
            found.append(path)
    return found


def failing_documents():
    return sorted((ROOT / "tests/fixtures/unsupported").glob("*.json")) + [ROOT / "tests/fixtures/not-json.json"]


SAMPLES = raw_samples()
FAILING = failing_documents()
ids = lambda paths: [str(p.relative_to(ROOT)) for p in paths]  # noqa: E731


def error_line(path, error):
    """The line `hooknorm convert FILE` writes on stderr for `error`."""
    place = f":{error.line}:{error.column}" if error.line is not None else ""
    return f"error: {path}{place}: {error.message}"


def test_the_samples_are_there():
    assert len(SAMPLES) > 150
    assert set(hooknorm.providers()) == {p.parent.name for p in SAMPLES}


@pytest.mark.parametrize("path", SAMPLES, ids=ids(SAMPLES))
@pytest.mark.parametrize("flags", [(), ("--payload-only",), ("--redact",), ("--compact",)], ids=["plain", "payload", "redact", "compact"])
def test_convert_prints_what_the_cli_prints(path, flags):
    expected = cli("convert", *flags, str(path))
    assert expected.returncode == 0, expected.stderr
    text = hooknorm.convert_json(
        path.read_bytes(),
        payload_only="--payload-only" in flags,
        redact="--redact" in flags,
        pretty="--compact" not in flags,
    )
    assert text.encode() == expected.stdout
    if not flags:
        assert hooknorm.convert(path.read_text(encoding="utf-8")) == json.loads(expected.stdout)


@pytest.mark.parametrize("path", FAILING, ids=ids(FAILING))
def test_convert_fails_as_the_cli_fails(path):
    expected = cli("convert", str(path))
    assert expected.returncode != 0
    with pytest.raises(hooknorm.ConvertError) as caught:
        hooknorm.convert(path.read_bytes())
    error = caught.value
    assert isinstance(error, hooknorm.HooknormError)
    assert error.exit_code == expected.returncode
    assert error_line(path, error) == expected.stderr.decode().strip()
    assert error.kind in {"not_json", "unsupported_event", "unknown_provider", "missing_field", "wrong_type", "invalid_value"}
    assert str(error) == error.message


def test_a_batch_converts_line_for_line_as_the_cli_and_keeps_its_failures(tmp_path):
    lines = [json.dumps(json.loads(p.read_text(encoding="utf-8"))) for p in SAMPLES if p.suffix == ".json"]
    lines += [p.read_text(encoding="utf-8").strip() for p in SAMPLES if p.suffix == ".form"]
    lines.insert(7, '{"truncated": ')
    lines.insert(20, "not json at all")
    lines.insert(33, json.dumps(json.loads((ROOT / "tests/fixtures/unsupported/cakto.initiate_checkout.json").read_text())))
    ndjson = tmp_path / "batch.ndjson"
    ndjson.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = cli("convert", str(ndjson))
    events = expected.stdout.decode().splitlines()
    errors = [line for line in expected.stderr.decode().splitlines() if line.startswith("error:")]
    results = list(hooknorm.convert_lines(line.encode() for line in lines))
    assert len(results) == len(lines)
    converted = [r for r in results if isinstance(r, dict)]
    failed = [(i, r) for i, r in enumerate(results) if isinstance(r, hooknorm.ConvertError)]
    assert converted == [json.loads(e) for e in events]
    assert [i for i, _ in failed] == [7, 20, 33]
    # The CLI names the line of the file; each body of a batch is its own first line.
    for (index, error), line in zip(failed, errors):
        assert line == f"error: {ndjson}:{index + 1}:{error.column}: {error.message}" or line == f"error: {ndjson}:{index + 1}: {error.message}"
    texts = list(hooknorm.convert_lines(lines, as_text=True))
    assert [t for t in texts if isinstance(t, str)] == events


def test_calls_from_many_threads_give_what_one_thread_gives():
    bodies = [p.read_bytes() for p in SAMPLES] * 8
    alone = [hooknorm.convert_json(b, redact=True) for b in bodies]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda b: hooknorm.convert_json(b, redact=True), bodies))
        batches = list(pool.map(lambda chunk: list(hooknorm.convert_lines(chunk, as_text=True)), [bodies[i::8] for i in range(8)]))
    assert together == alone
    assert [len(b) for b in batches] == [len(bodies[i::8]) for i in range(8)]


@pytest.mark.parametrize("path", SAMPLES[::7], ids=ids(SAMPLES[::7]))
def test_detect_explain_and_validate_record_what_the_cli_records(path):
    detected = json.loads(cli("detect", "--format", "json", str(path)).stdout)
    detected.pop("input")
    assert hooknorm.detect(path.read_bytes()) == detected
    explained = json.loads(cli("explain", "--format", "json", str(path)).stdout)
    explained.pop("input")
    assert hooknorm.explain(path.read_bytes()) == explained
    validated = json.loads(cli("validate", "--format", "json", str(path)).stdout.decode().splitlines()[0])
    for key in ("file", "line"):
        validated.pop(key)
    assert hooknorm.validate(path.read_bytes()) == validated


@pytest.mark.parametrize("path", sorted((ROOT / "tests/fixtures/invalid").glob("*.json")), ids=lambda p: p.name)
def test_validate_reports_the_departures_the_cli_reports(path):
    validated = json.loads(cli("validate", "--format", "json", str(path)).stdout.decode().splitlines()[0])
    for key in ("file", "line"):
        validated.pop(key)
    report = hooknorm.validate(path.read_text(encoding="utf-8"))
    assert report == validated
    assert report["errors"] or report["warnings"]
    strict = json.loads(cli("validate", "--strict", "--format", "json", str(path)).stdout.decode().splitlines()[0])
    assert hooknorm.validate(path.read_bytes(), strict=True)["valid"] is strict["valid"] is False


def test_diff_lists_what_the_cli_lists(tmp_path):
    left = ROOT / "samples/cakto/purchase_approved.pix.unique.notion-doc.json"
    body = json.loads(left.read_text(encoding="utf-8"))
    body["data"]["amount"] = 1234.5
    body["secret"] = "a-different-secret"
    right = tmp_path / "right.json"
    right.write_text(json.dumps(body), encoding="utf-8")
    for raw in (False, True):
        args = ["diff", "--format", "json"] + (["--raw"] if raw else []) + [str(left), str(right)]
        expected = json.loads(cli(*args).stdout)
        changes = hooknorm.diff(left.read_bytes(), right.read_bytes(), raw=raw)
        # Masks are keyed per run: compare them as masks.
        unkeyed = lambda records: json.loads(re.sub(r"\[secret [0-9a-f]+\]", "[secret]", json.dumps(records)))  # noqa: E731
        assert unkeyed(changes) == unkeyed(expected)
        assert any(c["pointer"] == "/data/amount" for c in changes) if raw else changes
        assert "a-different-secret" not in json.dumps(changes)
    assert hooknorm.diff(left.read_bytes(), left.read_bytes()) == []


def test_verify_judges_as_the_cli_judges(tmp_path):
    body = (ROOT / "samples/eduzz/v3.myeduzz.invoice_paid.docs-example.json").read_bytes()
    secret = "the receiver's secret"
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    for given, authentic in [(signature, True), ("0" * 64, False)]:
        headers = {"X-Signature": given, "Content-Type": "application/json"}
        verdict = hooknorm.verify(body, headers, secret)
        assert verdict["authentic"] is authentic and verdict["provider"] == "eduzz"
        expected = cli("verify", "--secret", secret, "--header", f"X-Signature: {given}", "-", stdin=body)
        assert expected.returncode == (0 if authentic else 1)
        assert f"eduzz {verdict['scheme']} ({verdict['detail']})" in expected.stdout.decode()
        assert signature not in json.dumps(verdict) and secret not in json.dumps(verdict)
    # A provider with no documented scheme cannot be checked: an error, as the CLI's.
    appmax = (ROOT / "samples/appmax/OrderPaid.credit_card.CONSTRUCTED.json").read_bytes()
    with pytest.raises(hooknorm.VerifyError) as caught:
        hooknorm.verify(appmax, {}, secret)
    expected = cli("verify", "--secret", secret, "-", stdin=appmax)
    assert caught.value.exit_code == expected.returncode == 65
    assert secret not in str(caught.value)


def test_bad_arguments_are_python_errors_not_crashes():
    with pytest.raises(TypeError):
        hooknorm.convert(12345)
    with pytest.raises(ValueError):
        hooknorm.convert(b"{}", provider="nobody")
    with pytest.raises(hooknorm.ConvertError) as caught:
        hooknorm.convert(b"\xff\xfe not utf-8")
    assert caught.value.kind == "not_json"
    with pytest.raises(hooknorm.ConvertError) as caught:
        hooknorm.convert(b'{"a": ')
    assert (caught.value.line, caught.value.kind) == (1, "not_json")
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(hooknorm.ConvertError):
        hooknorm.convert(deep)
