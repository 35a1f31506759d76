from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

Document = Union[bytes, str]
Headers = Optional[Union[Mapping[str, str], Iterable[Tuple[str, str]]]]

__version__: str

class HooknormError(Exception):
    kind: str
    pointer: Optional[str]
    line: Optional[int]
    column: Optional[int]
    message: str
    exit_code: int

class ConvertError(HooknormError): ...
class DetectError(HooknormError): ...
class ValidateError(HooknormError): ...
class DiffError(HooknormError): ...
class ExplainError(HooknormError): ...
class VerifyError(HooknormError): ...
class InternalError(HooknormError): ...

def convert_json(
    body: Document,
    headers: Headers = ...,
    provider: Optional[str] = ...,
    event: Optional[str] = ...,
    payload_only: bool = ...,
    redact: bool = ...,
    pretty: bool = ...,
) -> str: ...
def convert(
    body: Document,
    headers: Headers = ...,
    provider: Optional[str] = ...,
    event: Optional[str] = ...,
    payload_only: bool = ...,
    redact: bool = ...,
) -> Dict[str, Any]: ...
def convert_lines(
    bodies: Iterable[Document],
    headers: Headers = ...,
    provider: Optional[str] = ...,
    event: Optional[str] = ...,
    payload_only: bool = ...,
    redact: bool = ...,
    as_text: bool = ...,
    redact_key: Optional[Document] = ...,
) -> Iterator[Union[Dict[str, Any], str, ConvertError]]: ...
def detect(
    body: Document, headers: Headers = ..., provider: Optional[str] = ..., event: Optional[str] = ...
) -> Dict[str, Any]: ...
def validate(document: Document, strict: bool = ...) -> Dict[str, Any]: ...
def diff(
    left: Document,
    right: Document,
    raw: bool = ...,
    ignore: Sequence[str] = ...,
    key: Optional[str] = ...,
    tolerance: float = ...,
    parse_strings: bool = ...,
) -> List[Dict[str, Any]]: ...
def explain(
    body: Document,
    headers: Headers = ...,
    provider: Optional[str] = ...,
    event: Optional[str] = ...,
    set_only: bool = ...,
) -> Dict[str, Any]: ...
def verify(
    body: bytes,
    headers: Headers,
    secret: Document,
    provider: Optional[str] = ...,
    query: Headers = ...,
    tolerance: int = ...,
    allow_echoed_secret: bool = ...,
    now: Optional[int] = ...,
) -> Dict[str, Any]: ...
def providers() -> Tuple[str, ...]: ...
