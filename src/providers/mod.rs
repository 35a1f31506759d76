//! One file per provider, each with the same two functions: `detect` (does this
//! body look like mine, and by which keys?) and `convert` (raw body → event).
//!
//! Detection reads only the top level of the body, once (`TopLevel` keeps each
//! key's raw text without building a tree); the provider then parses the parts it
//! needs into typed, borrowing structs.

pub mod cakto;
mod common;
pub mod hotmart;
pub mod kiwify;
pub mod opabox;
pub mod troquecommerce;

use crate::error::{ConvertError, ErrorKind};
use crate::model::{Event, Provider};
use crate::raw::Doc;
use serde::Deserialize;
use serde_json::value::RawValue;

/// The top-level keys of every provider's body that detection looks at, as raw
/// JSON text. Keys of no interest are skipped without being stored.
#[derive(Debug, Default, Deserialize)]
#[allow(non_snake_case)]
pub struct TopLevel<'a> {
    // Captured request.
    #[serde(borrow)]
    pub headers: Option<&'a RawValue>,
    #[serde(borrow)]
    pub body: Option<&'a RawValue>,
    // Cakto and Hotmart.
    #[serde(borrow)]
    pub event: Option<&'a RawValue>,
    #[serde(borrow)]
    pub data: Option<&'a RawValue>,
    #[serde(borrow)]
    pub secret: Option<&'a RawValue>,
    #[serde(borrow)]
    pub version: Option<&'a RawValue>,
    #[serde(borrow)]
    pub creation_date: Option<&'a RawValue>,
    #[serde(borrow)]
    pub creationDate: Option<&'a RawValue>,
    #[serde(borrow)]
    pub hottok: Option<&'a RawValue>,
    #[serde(borrow)]
    pub id: Option<&'a RawValue>,
    // Kiwify.
    #[serde(borrow)]
    pub order_id: Option<&'a RawValue>,
    #[serde(borrow)]
    pub webhook_event_type: Option<&'a RawValue>,
    #[serde(borrow)]
    pub Customer: Option<&'a RawValue>,
    #[serde(borrow)]
    pub Commissions: Option<&'a RawValue>,
    #[serde(borrow)]
    pub order: Option<&'a RawValue>,
    #[serde(borrow)]
    pub status: Option<&'a RawValue>,
    #[serde(borrow)]
    pub checkout_link: Option<&'a RawValue>,
    // OPABOX.
    #[serde(borrow)]
    pub product_list: Option<&'a RawValue>,
    #[serde(borrow)]
    pub total_price: Option<&'a RawValue>,
    #[serde(borrow)]
    pub company_external_id: Option<&'a RawValue>,
    // Troquecommerce.
    #[serde(borrow)]
    pub ecommerce_number: Option<&'a RawValue>,
    #[serde(borrow)]
    pub reverse_type: Option<&'a RawValue>,
}

/// What a provider's conversion needs besides the body's top level.
pub struct Context<'a, 'h> {
    pub doc: Doc<'a>,
    /// The body: the whole input, or the `body` of a captured request.
    pub body: &'a str,
    /// Where the body sits in the input, as a pointer ("" or "/body").
    pub body_pointer: &'static str,
    pub top: TopLevel<'a>,
    /// Request headers, names in lower case (captured request and `--header`).
    pub headers: &'h [(String, String)],
    /// The raw event given with `--event`, overriding the body's.
    pub event: Option<&'h str>,
}

impl<'a> Context<'a, '_> {
    /// A pointer to `path` inside the body.
    pub fn pointer(&self, path: &str) -> String {
        format!("{}{}", self.body_pointer, path)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The raw event: `--event` if given, else the body's top-level `event`.
    pub fn raw_event(&self) -> Result<Option<std::borrow::Cow<'a, str>>, ConvertError> {
        if let Some(event) = self.event {
            return Ok(Some(std::borrow::Cow::Owned(event.to_owned())));
        }
        match self.top.event {
            Some(raw) => self.doc.parse(raw.get(), &self.pointer("/event")).map(Some),
            None => Ok(None),
        }
    }
}

/// A converted event and the raw event it came from (for `detect`).
pub struct Conversion<'a> {
    pub event: Event<'a>,
    pub raw_event: String,
    /// The keys that identified the provider; empty when `--provider` forced it.
    pub evidence: Vec<&'static str>,
}

/// Which provider sent a body, and the keys that said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub provider: Provider,
    pub evidence: Vec<&'static str>,
}

/// Recognises the provider from the top level of the body and the headers. Each
/// rule uses keys the other providers never send; more than one match is refused.
pub fn detect(top: &TopLevel, headers: &[(String, String)]) -> Result<Detection, ConvertError> {
    let candidates: Vec<Detection> = [
        (Provider::Hotmart, hotmart::detect(top)),
        (Provider::Cakto, cakto::detect(top)),
        (Provider::Kiwify, kiwify::detect(top)),
        (Provider::Opabox, opabox::detect(top)),
        (
            Provider::Troquecommerce,
            troquecommerce::detect(top, headers),
        ),
    ]
    .into_iter()
    .filter_map(|(provider, evidence)| evidence.map(|evidence| Detection { provider, evidence }))
    .collect();
    match candidates.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ConvertError::new(
            ErrorKind::UnknownProvider,
            "",
            format!("unknown provider: {LOOKED_FOR}"),
        )),
        _ => {
            let names: Vec<String> = candidates
                .iter()
                .map(|c| format!("{} (by {})", c.provider, c.evidence.join(", ")))
                .collect();
            Err(ConvertError::new(
                ErrorKind::UnknownProvider,
                "",
                format!(
                    "ambiguous provider: the body looks like {}; choose one with --provider",
                    names.join(" and ")
                ),
            ))
        }
    }
}

/// What detection looks for, for the message when nothing matched.
pub const LOOKED_FOR: &str = "looked for Hotmart {version, creation_date, event}, \
Cakto {secret, event, data}, Kiwify {order_id, webhook_event_type} or its abandoned cart \
{status: \"abandoned\", checkout_link}, OPABOX {product_list, total_price, company_external_id}, \
Troquecommerce {ecommerce_number, reverse_type} or an `event` header";

/// Converts a body whose provider is known.
pub fn convert<'a>(
    provider: Provider,
    ctx: &Context<'a, '_>,
) -> Result<Conversion<'a>, ConvertError> {
    match provider {
        Provider::Cakto => cakto::convert(ctx),
        Provider::Kiwify => kiwify::convert(ctx),
        Provider::Hotmart => hotmart::convert(ctx),
        Provider::Opabox => opabox::convert(ctx),
        Provider::Troquecommerce => troquecommerce::convert(ctx),
    }
}
