"""What issue 30 found in the Python package: `convert_lines(redact=True)` drew
a new redaction key every 512 bodies (one buyer, several placeholders); a blank
line of a file raised where the command line skips it; a negative `tolerance`
raised `OverflowError`, not `ValueError`."""

import json
from pathlib import Path

import pytest

import hooknorm

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples/cakto/purchase_approved.pix.unique.notion-doc.json"


def one_line(path):
    return json.dumps(json.loads(path.read_text(encoding="utf-8")))


def test_one_call_redacts_with_one_key(monkeypatch):
    monkeypatch.delenv("HOOKNORM_REDACT_KEY", raising=False)
    body = one_line(SAMPLE)
    # More than two of the batches the bodies are handed over in.
    results = list(hooknorm.convert_lines([body] * 1200, redact=True, as_text=True))
    assert len(results) == 1200
    assert all(isinstance(result, str) for result in results)
    assert len(set(results)) == 1
    name = json.loads(results[0])["payload"]["customer"]["name"]
    assert name.startswith("Redacted")
    # Another call draws its own key.
    again = list(hooknorm.convert_lines([body], redact=True, as_text=True))
    assert again != results[:1]


def test_a_blank_line_of_a_file_is_skipped_as_the_command_line_skips_it(tmp_path):
    line = one_line(SAMPLE)
    path = tmp_path / "bodies.ndjson"
    path.write_text(f"{line}\n\n   \n{line}\r\n", encoding="utf-8")
    with open(path, encoding="utf-8") as lines:
        results = list(hooknorm.convert_lines(lines))
    assert [type(result) for result in results] == [dict, dict]
    with open(path, "rb") as lines:
        results = list(hooknorm.convert_lines(lines, as_text=True))
    assert [type(result) for result in results] == [str, str]


def test_a_negative_tolerance_is_a_value_error():
    body = (ROOT / "samples/eduzz/v3.myeduzz.invoice_paid.docs-example.json").read_bytes()
    for tolerance in (-1, -(2**70)):
        with pytest.raises(ValueError) as caught:
            hooknorm.verify(body, {"X-Signature": "00"}, "secret", tolerance=tolerance)
        assert not isinstance(caught.value, OverflowError)
        assert "tolerance" in str(caught.value)
    with pytest.raises(TypeError):
        hooknorm.verify(body, {"X-Signature": "00"}, "secret", tolerance="300")
