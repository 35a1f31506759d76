//! hooknorm: Brazilian sales webhooks (Cakto, Kiwify, Hotmart, Monetizze, Eduzz,
//! Ticto, Appmax, Digital Manager Guru, OPABOX, Troquecommerce) to one normalized
//! event format.
//!
//! ```
//! let body = r#"{"secret": "s", "event": "purchase_approved", "data": {
//!     "id": "ord_1", "status": "paid", "amount": 19.99, "baseAmount": 19.99,
//!     "paymentMethod": "pix", "createdAt": "2024-01-15T08:43:20-03:00"}}"#;
//! let mut scratch = String::new();
//! let converted = hooknorm::convert(body, &mut scratch, &Default::default()).unwrap();
//! assert_eq!(converted.event.event.as_str(), "order.paid");
//! assert_eq!(converted.event.idempotency_key, "cakto:order.paid:ord_1");
//! ```

pub mod auth;
pub mod batch;
pub mod convert;
pub mod diff;
pub mod error;
pub mod exit;
pub mod explain;
pub mod form;
pub mod input;
pub mod json_writer;
pub mod locate;
pub mod model;
pub mod normalize;
pub mod normalized;
pub mod output;
pub mod providers;
pub mod raw;
pub mod reads;
pub mod redact;
pub mod repeated;
pub mod schema;
pub mod validate;
pub mod verify;

pub use convert::{Options, convert};
pub use error::{ConvertError, ErrorKind};
pub use exit::Exit;
