//! `hooknorm._native`: the Rust library behind the `hooknorm` Python package.
//!
//! Every function takes the document as `bytes` or `str`, releases the GIL while
//! it works, and answers with JSON text the package turns into Python values
//! (so a `dict` equals what the command line prints, key for key). A failure is
//! a `hooknorm.HooknormError` subclass carrying the command line's fields —
//! `kind`, `pointer`, `line`, `column`, `message`, `exit_code` — never a panic:
//! a panic inside the library becomes `hooknorm.InternalError`.

use hooknorm::convert::{Writing, write_event};
use hooknorm::error::ConvertError;
use hooknorm::input::decode;
use hooknorm::providers::Provider;
use hooknorm::redact::Redactor;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::{Value, json};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The command line's allocator (Rust's allocations only; Python keeps its own).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _native,
    HooknormError,
    PyException,
    "A document hooknorm could not handle."
);
create_exception!(
    _native,
    ConvertError_,
    HooknormError,
    "A body that could not be converted."
);
create_exception!(
    _native,
    DetectError,
    HooknormError,
    "A body whose provider could not be told."
);
create_exception!(
    _native,
    ValidateError,
    HooknormError,
    "A document that could not be judged."
);
create_exception!(
    _native,
    DiffError,
    HooknormError,
    "A side of a diff that could not be read."
);
create_exception!(
    _native,
    ExplainError,
    HooknormError,
    "A body that could not be explained."
);
create_exception!(
    _native,
    VerifyError,
    HooknormError,
    "A request whose authenticity could not be checked."
);
create_exception!(
    _native,
    InternalError,
    HooknormError,
    "A defect of hooknorm: please report it."
);

/// A document given as `bytes` (decoded as the command line decodes a file:
/// UTF-8, a byte-order mark allowed) or as `str`.
fn document(value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "expected the document as bytes or str, found {}",
        value.get_type().name()?
    )))
}

/// Request headers from a mapping or pairs; names in lower case, values trimmed,
/// as `--header 'Name: value'` gives them.
fn headers(value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(value) = value.filter(|value| !value.is_none()) else {
        return Ok(Vec::new());
    };
    let pairs: Vec<(String, String)> = match value.cast::<PyDict>() {
        Ok(dict) => dict
            .iter()
            .map(|(name, value)| Ok((name.extract()?, value.extract()?)))
            .collect::<PyResult<_>>()?,
        Err(_) => value
            .try_iter()?
            .map(|pair| pair?.extract::<(String, String)>())
            .collect::<PyResult<_>>()
            .map_err(|_| {
                PyTypeError::new_err("expected headers as a dict or (name, value) pairs of str")
            })?,
    };
    Ok(pairs
        .into_iter()
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect())
}

fn provider(name: Option<&str>) -> PyResult<Option<Provider>> {
    match name {
        None => Ok(None),
        Some(name) => Provider::named(name).map(Some).ok_or_else(|| {
            let known: Vec<&str> = Provider::all().map(Provider::as_str).collect();
            PyValueError::new_err(format!(
                "unknown provider {name:?} (known: {})",
                known.join(", ")
            ))
        }),
    }
}

/// A failure as the command line's JSON records carry it.
struct Failure {
    kind: String,
    pointer: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    exit_code: u8,
}

impl Failure {
    fn of(error: &ConvertError) -> Failure {
        Failure {
            kind: error.kind.as_str().to_owned(),
            pointer: Some(error.pointer.clone()),
            line: error.position.map(|(line, _)| line),
            column: error.position.map(|(_, column)| column),
            message: error.reason().to_string(),
            exit_code: error.exit().code(),
        }
    }

    fn internal(what: &str) -> Failure {
        Failure {
            kind: "internal".to_owned(),
            pointer: None,
            line: None,
            column: None,
            message: format!("hooknorm failed inside {what}: this is a defect, please report it"),
            exit_code: 70,
        }
    }

    /// The exception of class `class`, its fields as attributes.
    fn into_exception(self, class: &Bound<'_, pyo3::types::PyType>) -> PyErr {
        let exception = match class.call1((self.message.clone(),)) {
            Ok(exception) => exception,
            Err(error) => return error,
        };
        let set = || -> PyResult<()> {
            exception.setattr("kind", &self.kind)?;
            exception.setattr("pointer", &self.pointer)?;
            exception.setattr("line", self.line)?;
            exception.setattr("column", self.column)?;
            exception.setattr("message", &self.message)?;
            exception.setattr("exit_code", self.exit_code)?;
            Ok(())
        };
        match set() {
            Ok(()) => PyErr::from_value(exception),
            Err(error) => error,
        }
    }
}

/// Runs `work` without the GIL; a panic inside the library is an `InternalError`.
fn detached<T: Send>(
    py: Python<'_>,
    what: &str,
    work: impl FnOnce() -> Result<T, Failure> + Send,
) -> Result<T, Failure> {
    py.detach(|| catch_unwind(AssertUnwindSafe(work)))
        .unwrap_or_else(|_| Err(Failure::internal(what)))
}

fn raise<T>(
    py: Python<'_>,
    class: &Bound<'_, pyo3::types::PyType>,
    result: Result<T, Failure>,
) -> PyResult<T> {
    result.map_err(|failure| {
        let class = if failure.kind == "internal" {
            py.get_type::<InternalError>()
        } else {
            class.clone()
        };
        failure.into_exception(&class)
    })
}

fn options(
    headers: Vec<(String, String)>,
    provider: Option<Provider>,
    event: Option<&str>,
) -> hooknorm::Options {
    hooknorm::Options {
        provider,
        event: event.map(str::to_owned),
        headers,
    }
}

/// One body converted and written as `hooknorm convert` prints it.
fn convert_one(
    bytes: &[u8],
    options: &hooknorm::Options,
    writing: &Writing,
    scratch: &mut String,
    out: &mut Vec<u8>,
) -> Result<(), ConvertError> {
    let text = decode(bytes)?;
    let conversion = hooknorm::convert(text, scratch, options)?;
    write_event(&conversion.event, writing, out)
}

/// The event of one body, as the JSON text `hooknorm convert FILE` prints
/// (pretty, with a final newline; `pretty=False`: one line, as for NDJSON).
#[pyfunction]
#[pyo3(signature = (body, headers=None, provider=None, event=None, payload_only=false, redact=false, pretty=true))]
#[allow(clippy::too_many_arguments)]
fn convert_json(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
    provider: Option<&str>,
    event: Option<&str>,
    payload_only: bool,
    redact: bool,
    pretty: bool,
) -> PyResult<String> {
    let bytes = document(body)?;
    let options = options(self::headers(headers)?, self::provider(provider)?, event);
    let result = detached(py, "convert", || {
        let redactor = redact.then(Redactor::from_env);
        let writing = Writing {
            pretty,
            payload_only,
            redactor: redactor.as_ref(),
        };
        let mut out = Vec::new();
        convert_one(&bytes, &options, &writing, &mut String::new(), &mut out)
            .map_err(|error| Failure::of(&error))?;
        String::from_utf8(out).map_err(|_| Failure::internal("convert's writer"))
    });
    raise(py, &py.get_type::<ConvertError_>(), result)
}

/// Many bodies, each converted as one line of NDJSON is: a list, in order, of
/// the event's JSON text (one line, no newline) or the exception of its failure
/// (not raised: nothing of a batch is lost).
#[pyfunction]
#[pyo3(signature = (bodies, headers=None, provider=None, event=None, payload_only=false, redact=false, redact_key=None))]
#[allow(clippy::too_many_arguments)]
fn convert_batch<'py>(
    py: Python<'py>,
    bodies: &Bound<'py, PyList>,
    headers: Option<&Bound<'py, PyAny>>,
    provider: Option<&str>,
    event: Option<&str>,
    payload_only: bool,
    redact: bool,
    redact_key: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    let redact_key = redact_key.map(document).transpose()?;
    let documents: Vec<Vec<u8>> = bodies
        .iter()
        .map(|body| document(&body))
        .collect::<PyResult<_>>()?;
    let options = options(self::headers(headers)?, self::provider(provider)?, event);
    let results = detached(py, "convert", || {
        // The caller's key when it gives one: a call of many batches must not
        // draw a new key for each (one value, one placeholder).
        let redactor = redact.then(|| match &redact_key {
            Some(key) => Redactor::with_key(key),
            None => Redactor::from_env(),
        });
        let writing = Writing {
            pretty: false,
            payload_only,
            redactor: redactor.as_ref(),
        };
        let (mut scratch, mut last_length) = (String::new(), 0);
        Ok(documents
            .iter()
            .map(|bytes| {
                // Each event is written into the buffer it is handed over in;
                // the last one's length is a good guess at this one's.
                let mut out = Vec::with_capacity(last_length + 64);
                match catch_unwind(AssertUnwindSafe(|| {
                    convert_one(bytes, &options, &writing, &mut scratch, &mut out)
                })) {
                    Ok(Ok(())) => {
                        out.pop(); // the newline
                        last_length = out.len();
                        String::from_utf8(out).map_err(|_| Failure::internal("convert's writer"))
                    }
                    Ok(Err(error)) => Err(Failure::of(&error)),
                    Err(_) => Err(Failure::internal("convert")),
                }
            })
            .collect::<Vec<_>>())
    });
    let results = raise(py, &py.get_type::<ConvertError_>(), results)?;
    let list = PyList::empty(py);
    for result in results {
        match result {
            Ok(text) => list.append(text)?,
            Err(failure) => {
                let class = match failure.kind.as_str() {
                    "internal" => py.get_type::<InternalError>(),
                    _ => py.get_type::<ConvertError_>(),
                };
                list.append(failure.into_exception(&class).into_value(py))?
            }
        }
    }
    Ok(list)
}

/// What `hooknorm detect --format json` records of one body (without `input`).
#[pyfunction]
#[pyo3(signature = (body, headers=None, provider=None, event=None))]
fn detect_json(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
    provider: Option<&str>,
    event: Option<&str>,
) -> PyResult<String> {
    let bytes = document(body)?;
    let options = options(self::headers(headers)?, self::provider(provider)?, event);
    let result = detached(py, "detect", || {
        let text = decode(&bytes).map_err(|error| Failure::of(&error))?;
        let detected = hooknorm::convert::detect(text, &mut String::new(), &options)
            .map_err(|error| Failure::of(&error))?;
        let mut record = detected.record("");
        if let Value::Object(map) = &mut record {
            map.shift_remove("input");
        }
        Ok(record.to_string())
    });
    raise(py, &py.get_type::<DetectError>(), result)
}

/// What `hooknorm validate --format json` records of one document (without
/// `file` and `line`); `strict`: the semantic checks are errors, not warnings.
#[pyfunction]
#[pyo3(signature = (document, strict=false))]
fn validate_json(py: Python<'_>, document: &Bound<'_, PyAny>, strict: bool) -> PyResult<String> {
    let bytes = self::document(document)?;
    let result = detached(py, "validate", || {
        let text = decode(&bytes).map_err(|error| Failure::of(&error))?;
        let report = hooknorm::validate::validate(
            text,
            &hooknorm::validate::Options {
                strict,
                ..Default::default()
            },
        )
        .map_err(|error| Failure::of(&error))?;
        let mut record = report.record("", 1);
        if let Value::Object(map) = &mut record {
            map.shift_remove("file");
            map.shift_remove("line");
        }
        Ok(record.to_string())
    });
    raise(py, &py.get_type::<ValidateError>(), result)
}

/// What `hooknorm diff --format json LEFT RIGHT` prints: raw bodies converted
/// first (unless `raw`), the values of documents compared as they are masked.
#[pyfunction]
#[pyo3(signature = (left, right, raw=false, ignore=Vec::new(), key=None, tolerance=0.0, parse_strings=false))]
#[allow(clippy::too_many_arguments)]
fn diff_json(
    py: Python<'_>,
    left: &Bound<'_, PyAny>,
    right: &Bound<'_, PyAny>,
    raw: bool,
    ignore: Vec<String>,
    key: Option<String>,
    tolerance: f64,
    parse_strings: bool,
) -> PyResult<String> {
    let (left, right) = (document(left)?, document(right)?);
    for pointer in ignore.iter().chain(&key) {
        if !(pointer.is_empty() || pointer.starts_with('/')) {
            return Err(PyValueError::new_err(format!(
                "{pointer:?} is not a JSON pointer: it must start with `/`"
            )));
        }
    }
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(PyValueError::new_err(
            "tolerance: expected a finite number, zero or more",
        ));
    }
    let result = detached(py, "diff", || {
        let (left, right) = (
            diff_side(&left, "left", raw)?,
            diff_side(&right, "right", raw)?,
        );
        let options = hooknorm::diff::Options {
            ignore,
            key,
            tolerance,
            parse_strings,
        };
        let mut result = hooknorm::diff::diff(&left.value, &right.value, &options);
        let masked = hooknorm::diff::masked_values(&result, &left, &right);
        result.show(&masked);
        serde_json::to_string_pretty(&hooknorm::diff::records(&result))
            .map_err(|_| Failure::internal("diff's writer"))
    });
    raise(py, &py.get_type::<DiffError>(), result)
}

/// One side of `diff_json`, its tree borrowing `bytes`.
fn diff_side<'a>(
    bytes: &'a [u8],
    name: &str,
    raw: bool,
) -> Result<hooknorm::diff::Side<'a>, Failure> {
    decode(bytes)
        .and_then(|text| hooknorm::diff::Side::load(text, raw))
        .map_err(|error| {
            let mut failure = Failure::of(&error);
            failure.message = format!("{name}: {}", failure.message);
            failure
        })
}

/// What `hooknorm explain --format json` records of one body (without `input`).
#[pyfunction]
#[pyo3(signature = (body, headers=None, provider=None, event=None, set_only=false))]
fn explain_json(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
    provider: Option<&str>,
    event: Option<&str>,
    set_only: bool,
) -> PyResult<String> {
    let bytes = document(body)?;
    let options = options(self::headers(headers)?, self::provider(provider)?, event);
    let result = detached(py, "explain", || {
        let text = decode(&bytes).map_err(|error| Failure::of(&error))?;
        let mut explanation =
            hooknorm::explain::explain(text, &options).map_err(|error| Failure::of(&error))?;
        if set_only {
            explanation.fields.retain(|field| !field.value.is_null());
        }
        serde_json::to_string(&explanation).map_err(|_| Failure::internal("explain's writer"))
    });
    raise(py, &py.get_type::<ExplainError>(), result)
}

/// Whether a request is authentic, as `hooknorm verify` judges it: the body's
/// bytes as received, its headers, the receiver's secret.
#[pyfunction]
#[pyo3(signature = (body, headers, secret, provider=None, query=None, tolerance=None, allow_echoed_secret=false, now=None))]
#[allow(clippy::too_many_arguments)]
fn verify_json(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    provider: Option<&str>,
    query: Option<&Bound<'_, PyAny>>,
    tolerance: Option<&Bound<'_, PyAny>>,
    allow_echoed_secret: bool,
    now: Option<i64>,
) -> PyResult<String> {
    let tolerance = self::tolerance(tolerance)?;
    let secret = document(secret)?;
    if secret.is_empty() {
        return Err(PyValueError::new_err("the secret is empty"));
    }
    let body = document(body)?;
    let headers = self::headers(Some(headers))?;
    let query: Vec<(String, String)> = self::headers(query)?;
    let provider = self::provider(provider)?;
    let now = now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    let result = detached(py, "verify", || {
        let options = hooknorm::verify::Options {
            provider,
            headers,
            query,
            tolerance,
            now,
            allow_echoed_secret,
        };
        let verdict = hooknorm::verify::verify(&body, &secret, &options)
            .map_err(|error| Failure::of(&error))?;
        Ok(json!({
            "authentic": verdict.authentic,
            "provider": verdict.provider.as_str(),
            "scheme": verdict.scheme,
            "detail": verdict.detail,
        })
        .to_string())
    });
    raise(py, &py.get_type::<VerifyError>(), result)
}

/// `verify`'s replay window in seconds (300 when not given): an int, zero or
/// more. A negative or huge one is a `ValueError` (pyo3 would raise
/// `OverflowError` for an int that does not fit), another type a `TypeError`.
fn tolerance(value: Option<&Bound<'_, PyAny>>) -> PyResult<u64> {
    let Some(value) = value.filter(|value| !value.is_none()) else {
        return Ok(300);
    };
    if value.cast::<pyo3::types::PyInt>().is_err() || value.cast::<pyo3::types::PyBool>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "tolerance: expected an int of seconds, found {}",
            value.get_type().name()?
        )));
    }
    value.extract::<u64>().map_err(|_| {
        PyValueError::new_err("tolerance: expected a whole number of seconds, zero or more")
    })
}

/// The providers hooknorm knows, in the order messages list them.
#[pyfunction]
fn providers(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(
        py,
        Provider::all().map(Provider::as_str).collect::<Vec<_>>(),
    )
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("HooknormError", py.get_type::<HooknormError>())?;
    module.add("ConvertError", py.get_type::<ConvertError_>())?;
    module.add("DetectError", py.get_type::<DetectError>())?;
    module.add("ValidateError", py.get_type::<ValidateError>())?;
    module.add("DiffError", py.get_type::<DiffError>())?;
    module.add("ExplainError", py.get_type::<ExplainError>())?;
    module.add("VerifyError", py.get_type::<VerifyError>())?;
    module.add("InternalError", py.get_type::<InternalError>())?;
    module.add_function(wrap_pyfunction!(convert_json, module)?)?;
    module.add_function(wrap_pyfunction!(convert_batch, module)?)?;
    module.add_function(wrap_pyfunction!(detect_json, module)?)?;
    module.add_function(wrap_pyfunction!(validate_json, module)?)?;
    module.add_function(wrap_pyfunction!(diff_json, module)?)?;
    module.add_function(wrap_pyfunction!(explain_json, module)?)?;
    module.add_function(wrap_pyfunction!(verify_json, module)?)?;
    module.add_function(wrap_pyfunction!(providers, module)?)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
