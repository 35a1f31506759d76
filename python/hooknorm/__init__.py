"""hooknorm, in-process: Brazilian sales webhooks to one normalized event format.

The same converter as the `hooknorm` command line, compiled into this module:
what a function returns is what the command prints, parsed (`convert`) or as
text (`convert_json`). The GIL is released while a document is worked on, so
threads convert in parallel. Failures raise a `HooknormError` subclass carrying
the command line's fields: `kind`, `pointer`, `line`, `column`, `message`,
`exit_code`.

    >>> import hooknorm
    >>> event = hooknorm.convert(request_body, headers=request_headers)
    >>> event["event"], event["idempotency_key"]
"""

import json
import os
from itertools import islice
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from ._native import (
    ConvertError,
    DetectError,
    DiffError,
    ExplainError,
    HooknormError,
    InternalError,
    ValidateError,
    VerifyError,
)

__version__ = _native.__version__
__all__ = [
    "convert",
    "convert_json",
    "convert_lines",
    "detect",
    "validate",
    "diff",
    "explain",
    "verify",
    "providers",
    "HooknormError",
    "ConvertError",
    "DetectError",
    "ValidateError",
    "DiffError",
    "ExplainError",
    "VerifyError",
    "InternalError",
]

Document = Union[bytes, str]
Headers = Optional[Union[Mapping[str, str], Iterable[Tuple[str, str]]]]

# Bodies handed to the library at once by `convert_lines`: large enough that the
# GIL is released for real work, small enough that results flow as they come.
BATCH = 512


def _loads(text: str) -> Any:
    # Python's own reading of the JSON: amounts become floats, as with
    # `json.loads` of the command's output. For the exact decimal text, use
    # `convert_json` (or `json.loads(..., parse_float=decimal.Decimal)`).
    return json.loads(text)


def convert_json(
    body: Document,
    headers: Headers = None,
    provider: Optional[str] = None,
    event: Optional[str] = None,
    payload_only: bool = False,
    redact: bool = False,
    pretty: bool = True,
) -> str:
    """The normalized event of one raw body (JSON, form-encoded, or a captured
    request `{"headers": ..., "body": ...}`), as the JSON text `hooknorm convert`
    prints for a file, byte for byte (`pretty=False`: one line, as for NDJSON)."""
    return _native.convert_json(body, headers, provider, event, payload_only, redact, pretty)


def convert(
    body: Document,
    headers: Headers = None,
    provider: Optional[str] = None,
    event: Optional[str] = None,
    payload_only: bool = False,
    redact: bool = False,
) -> Dict[str, Any]:
    """The normalized event of one raw body, as a dict (its keys in the
    documented order). Raises `ConvertError`."""
    return _loads(_native.convert_json(body, headers, provider, event, payload_only, redact, False))


def convert_lines(
    bodies: Iterable[Document],
    headers: Headers = None,
    provider: Optional[str] = None,
    event: Optional[str] = None,
    payload_only: bool = False,
    redact: bool = False,
    as_text: bool = False,
    redact_key: Optional[Document] = None,
) -> Iterator[Union[Dict[str, Any], str, ConvertError]]:
    """Converts many bodies (an iterable of bytes or str: the lines of an NDJSON
    file, rows of a table), yielding one result per body, in order: the event
    (a dict, or its one-line JSON text with `as_text=True`), or the
    `ConvertError` that body failed with — yielded, not raised, so that nothing
    of a batch is lost. A blank body (an empty line of a file) gives no result,
    as the command line skips blank lines.

    With `redact=True` the whole call uses one key: `redact_key` when given,
    else `HOOKNORM_REDACT_KEY`, else one drawn for this call (a value has one
    placeholder throughout the call; calls of their own draw their own keys)."""
    if redact and redact_key is None and not os.environ.get("HOOKNORM_REDACT_KEY"):
        redact_key = os.urandom(32)
    iterator = (body for body in bodies if not _is_blank(body))
    while True:
        chunk = list(islice(iterator, BATCH))
        if not chunk:
            return
        for result in _native.convert_batch(chunk, headers, provider, event, payload_only, redact, redact_key):
            if isinstance(result, str) and not as_text:
                yield _loads(result)
            else:
                yield result


def _is_blank(body: Any) -> bool:
    # Only text and bytes can be blank; anything else is left to the library's
    # TypeError.
    return isinstance(body, (str, bytes, bytearray)) and not body.strip()


def detect(
    body: Document,
    headers: Headers = None,
    provider: Optional[str] = None,
    event: Optional[str] = None,
) -> Dict[str, Any]:
    """Which provider and event a body is, as `hooknorm detect --format json`
    records it (`provider`, `raw_event`, `event`, `mapped`, `normalized`, `by`,
    `schema`, `error`). Raises `DetectError`."""
    return _loads(_native.detect_json(body, headers, provider, event))


def validate(document: Document, strict: bool = False) -> Dict[str, Any]:
    """A document judged against its documented schema, as `hooknorm validate
    --format json` records it (`valid`, `schema`, `converted_from`, `errors`,
    `warnings`). A raw body is converted first. Raises `ValidateError` when the
    document cannot be judged (not JSON, a raw body that does not convert).
    `strict`: the semantic checks (check digits, totals) are errors, not warnings."""
    return _loads(_native.validate_json(document, strict))


def diff(
    left: Document,
    right: Document,
    raw: bool = False,
    ignore: Sequence[str] = (),
    key: Optional[str] = None,
    tolerance: float = 0.0,
    parse_strings: bool = False,
) -> List[Dict[str, Any]]:
    """What changed from `left` to `right`, as `hooknorm diff --format json`
    lists it (raw bodies converted first unless `raw`; credentials and card
    numbers of documents compared as they are masked). Empty when equal."""
    return _loads(_native.diff_json(left, right, raw, list(ignore), key, tolerance, parse_strings))


def explain(
    body: Document,
    headers: Headers = None,
    provider: Optional[str] = None,
    event: Optional[str] = None,
    set_only: bool = False,
) -> Dict[str, Any]:
    """Where every field of the event comes from, as `hooknorm explain --format
    json` records it. Raises `ExplainError`."""
    return _loads(_native.explain_json(body, headers, provider, event, set_only))


def verify(
    body: bytes,
    headers: Headers,
    secret: Document,
    provider: Optional[str] = None,
    query: Headers = None,
    tolerance: int = 300,
    allow_echoed_secret: bool = False,
    now: Optional[int] = None,
) -> Dict[str, Any]:
    """Whether a request is authentic: the body's bytes as received, its
    headers, the receiver's secret. Returns `{"authentic", "provider", "scheme",
    "detail"}`; raises `VerifyError` when it cannot be checked (no scheme for the
    provider, no signature, an unknown provider)."""
    return _loads(
        _native.verify_json(body, headers or {}, secret, provider, query, tolerance, allow_echoed_secret, now)
    )


def providers() -> Tuple[str, ...]:
    """The providers hooknorm knows."""
    return _native.providers()
