//! One file per provider, each with the same two functions: `detect` (does this
//! body look like mine, and by which keys?) and `convert` (raw body → event).
//!
//! Detection reads only the top level of the body (`TopLevel` keeps each key's raw
//! text without building a tree); the provider parses the parts it needs into
//! typed, borrowing structs. Usually both happen in one scan (`one_pass`): the
//! typed body is read straight from the text while `TopLevel` is recorded, and a
//! provider's `convert` receives that parse as its `root`; otherwise `root` is
//! `None` and it parses from `TopLevel`'s raw text itself.

pub mod cakto;
mod common;
pub mod hotmart;
pub mod kiwify;
mod one_pass;
pub mod opabox;
pub mod troquecommerce;

use crate::error::{ConvertError, ErrorKind};
use crate::model::{Event, EventName, Provider};
use crate::raw::Doc;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Declares `TopLevel` and, for the one-pass parse, what to keep of each key.
macro_rules! top_level {
    ($($(#[$doc:meta])* $keep:ident $name:ident,)*) => {
        /// The top-level keys of every provider's body that detection looks at, as raw
        /// JSON text. Keys of no interest are skipped without being stored.
        #[derive(Debug, Default, Deserialize)]
        #[allow(non_snake_case)]
        pub struct TopLevel<'a> {
            $($(#[$doc])* #[serde(borrow)] pub $name: Option<&'a RawValue>,)*
        }

        impl<'a> TopLevel<'a> {
            /// What the one-pass parse keeps of `key`, and where.
            fn slot(key: &str) -> Option<(Keep, Field<'a>)> {
                match key {
                    $(stringify!($name) => Some((Keep::$keep, |top| &mut top.$name)),)*
                    _ => None,
                }
            }
        }
    };
}

/// Where a key's raw text goes in `TopLevel`.
type Field<'a> = for<'t> fn(&'t mut TopLevel<'a>) -> &'t mut Option<&'a RawValue>;

/// What the one-pass parse keeps of a top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Its raw text (a small value that conversion also reads from `TopLevel`).
    Text,
    /// Only that it is there: the value is read straight into the typed body.
    Presence,
    /// Nothing: a body with this key takes the general path.
    Nothing,
}

top_level! {
    /// A captured request's headers.
    Nothing headers,
    /// A captured request's body.
    Nothing body,
    /// Cakto and Hotmart.
    Text event,
    Presence data,
    Text secret,
    Text version,
    Text creation_date,
    Text creationDate,
    Text hottok,
    Text id,
    /// Kiwify.
    Text order_id,
    Text webhook_event_type,
    Presence Customer,
    Presence Commissions,
    /// Kiwify's `{"order": {...}}` wrapper.
    Nothing order,
    Text status,
    Text checkout_link,
    /// OPABOX.
    Presence product_list,
    Text total_price,
    Text company_external_id,
    /// Troquecommerce.
    Text ecommerce_number,
    Text reverse_type,
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
            Some(raw) => self
                .doc
                .parse_at(raw.get(), || self.pointer("/event"))
                .map(Some),
            None => Ok(None),
        }
    }
}

/// A converted event.
pub struct Conversion<'a> {
    pub event: Event<'a>,
    /// The keys that identified the provider; empty when `--provider` forced it.
    pub evidence: Vec<&'static str>,
}

/// What `detect` says of a body once its provider is known, read without
/// converting it: the raw event, and the normalized event it maps to (`None`: the
/// provider's event has no normalized counterpart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    pub raw_event: String,
    pub event: Option<EventName>,
}

/// The raw and normalized event of a body whose provider is known. Only what
/// decides the event is read: a body that lacks a field only conversion needs
/// (an order id, an amount) is still identified.
pub fn identify(provider: Provider, ctx: &Context) -> Result<Identified, ConvertError> {
    match provider {
        Provider::Cakto => cakto::identify(ctx),
        Provider::Kiwify => kiwify::identify(ctx),
        Provider::Hotmart => hotmart::identify(ctx),
        Provider::Opabox => opabox::identify(ctx),
        Provider::Troquecommerce => troquecommerce::identify(ctx),
    }
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

/// A body read by the one-pass parse: the provider's typed body.
pub enum Parsed<'a> {
    Cakto(cakto::Root<'a>),
    Kiwify(kiwify::RawOrder<'a>),
    Hotmart(hotmart::Root<'a>),
    Opabox(opabox::RawOrder<'a>),
    Troquecommerce(troquecommerce::Reversa<'a>),
}

/// Reads `body` as `provider`'s in one scan, with the top level recorded for
/// detection; `None` leaves the body to the general path (see `one_pass`).
pub fn parse_in_one_pass(provider: Provider, body: &str) -> Option<(TopLevel<'_>, Parsed<'_>)> {
    fn with<'a, T: Deserialize<'a>>(
        body: &'a str,
        wrap: fn(T) -> Parsed<'a>,
    ) -> Option<(TopLevel<'a>, Parsed<'a>)> {
        one_pass::parse(body).map(|(top, parsed)| (top, wrap(parsed)))
    }
    match provider {
        Provider::Cakto => with(body, Parsed::Cakto),
        Provider::Kiwify => with(body, Parsed::Kiwify),
        Provider::Hotmart => with(body, Parsed::Hotmart),
        Provider::Opabox => with(body, Parsed::Opabox),
        Provider::Troquecommerce => with(body, Parsed::Troquecommerce),
    }
}

/// Converts a body whose provider is known, from its one-pass parse when it
/// has one (of that provider).
pub fn convert<'a>(
    provider: Provider,
    ctx: &Context<'a, '_>,
    parsed: Option<Parsed<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    match (provider, parsed) {
        (Provider::Cakto, Some(Parsed::Cakto(root))) => cakto::convert(ctx, Some(root)),
        (Provider::Cakto, _) => cakto::convert(ctx, None),
        (Provider::Kiwify, Some(Parsed::Kiwify(root))) => kiwify::convert(ctx, Some(root)),
        (Provider::Kiwify, _) => kiwify::convert(ctx, None),
        (Provider::Hotmart, Some(Parsed::Hotmart(root))) => hotmart::convert(ctx, Some(root)),
        (Provider::Hotmart, _) => hotmart::convert(ctx, None),
        (Provider::Opabox, Some(Parsed::Opabox(root))) => opabox::convert(ctx, Some(root)),
        (Provider::Opabox, _) => opabox::convert(ctx, None),
        (Provider::Troquecommerce, Some(Parsed::Troquecommerce(root))) => {
            troquecommerce::convert(ctx, Some(root))
        }
        (Provider::Troquecommerce, _) => troquecommerce::convert(ctx, None),
    }
}
