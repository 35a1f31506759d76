//! Helpers shared by every provider: money, time, phones, documents.

pub mod document;
pub mod money;
pub mod phone;
mod phone_plans;
pub mod time;
