//! The payload components of the normalized format (docs/format.md).

use super::{
    OfferType, OrderStatus, PaymentMethodType, ProductType, ShippingStatus, SubscriptionStatus,
    Text,
};
use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Customer<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    pub email: Text<'a>,
    pub document: Text<'a>,
    pub phone_numbers: Vec<Phone<'a>>,
    pub address: Option<Address<'a>>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Phone<'a> {
    pub formatted_phone: Text<'a>,
    #[serde(rename = "type")]
    pub kind: Text<'a>,
    pub raw_number: Text<'a>,
    pub area_code: Text<'a>,
    pub international_dialing_code: Text<'a>,
}

/// Which keys an address carries: the 8 of the format, or the 6 of Hotmart's
/// `shipping.delivery_address` (no neighborhood, no country; the published Hotmart checkout).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AddressLayout {
    #[default]
    Full,
    WithoutNeighborhoodAndCountry,
}

#[derive(Debug, Clone, Default)]
pub struct Address<'a> {
    pub layout: AddressLayout,
    pub street: Text<'a>,
    pub number: Text<'a>,
    pub complement: Text<'a>,
    pub neighborhood: Text<'a>,
    pub city: Text<'a>,
    pub state: Text<'a>,
    pub country: Text<'a>,
    pub postal_code: Text<'a>,
}

impl Address<'_> {
    /// An address of the given layout whose every field is null.
    pub fn empty(layout: AddressLayout) -> Self {
        Address {
            layout,
            ..Address::default()
        }
    }
}

impl Serialize for Address<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let full = self.layout == AddressLayout::Full;
        let mut s = serializer.serialize_struct("Address", if full { 8 } else { 6 })?;
        s.serialize_field("street", &self.street)?;
        s.serialize_field("number", &self.number)?;
        s.serialize_field("complement", &self.complement)?;
        if full {
            s.serialize_field("neighborhood", &self.neighborhood)?;
        }
        s.serialize_field("city", &self.city)?;
        s.serialize_field("state", &self.state)?;
        if full {
            s.serialize_field("country", &self.country)?;
        }
        s.serialize_field("postal_code", &self.postal_code)?;
        s.end()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Order<'a> {
    pub id: Text<'a>,
    pub status: Option<OrderStatus>,
    pub raw_status: Text<'a>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub warranty_until: Option<i64>,
    pub canceled_at: Option<i64>,
    pub refunded_at: Option<i64>,
}

/// A subscription charge as the `transaction` of `subscription_transaction.*`: the
/// order component in the key order of the published examples (`warranty_until` last).
#[derive(Debug, Clone, Default)]
pub struct Transaction<'a>(pub Order<'a>);

impl Serialize for Transaction<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let order = &self.0;
        let mut s = serializer.serialize_struct("Transaction", 9)?;
        s.serialize_field("id", &order.id)?;
        s.serialize_field("status", &order.status)?;
        s.serialize_field("raw_status", &order.raw_status)?;
        s.serialize_field("created_at", &order.created_at)?;
        s.serialize_field("updated_at", &order.updated_at)?;
        s.serialize_field("paid_at", &order.paid_at)?;
        s.serialize_field("canceled_at", &order.canceled_at)?;
        s.serialize_field("refunded_at", &order.refunded_at)?;
        s.serialize_field("warranty_until", &order.warranty_until)?;
        s.end()
    }
}

/// The subscription of `subscription.*` and `subscription_transaction.*`;
/// timestamps are unix seconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Subscription<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    pub status: Option<SubscriptionStatus>,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub canceled_at: Option<i64>,
    pub charged_times: Option<i64>,
    pub cancellation_reason: Text<'a>,
    pub current_cycle: Option<i64>,
    pub current_cycle_start: Option<i64>,
    pub current_cycle_end: Option<i64>,
}

/// `charge`: `{id, created_at, status, type, value}`, every field null in every
/// published example of the subscription families, so always null here.
#[derive(Debug, Clone, Copy, Default)]
pub struct Charge;

impl Serialize for Charge {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Charge", 5)?;
        for key in ["id", "created_at", "status", "type", "value"] {
            s.serialize_field(key, &None::<()>)?;
        }
        s.end()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Checkout<'a> {
    pub id: Text<'a>,
    pub url: Text<'a>,
}

/// Where `total_products_value` stands in `payment`: right after `total` (Cakto)
/// or last before `payment_method` (Kiwify, Hotmart, OPABOX); see docs/format.md.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PaymentLayout {
    ProductsValueFirst,
    #[default]
    ProductsValueLast,
}

#[derive(Debug, Clone, Default)]
pub struct Payment<'a> {
    pub layout: PaymentLayout,
    pub currency: Text<'a>,
    pub total: Option<i64>,
    pub total_products_value: Option<i64>,
    pub discount_value: Option<i64>,
    pub shipping_value: Option<i64>,
    pub payment_method: Option<PaymentMethod<'a>>,
    pub coupons: Vec<Coupon<'a>>,
}

impl Serialize for Payment<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Payment", 7)?;
        s.serialize_field("currency", &self.currency)?;
        s.serialize_field("total", &self.total)?;
        match self.layout {
            PaymentLayout::ProductsValueFirst => {
                s.serialize_field("total_products_value", &self.total_products_value)?;
                s.serialize_field("discount_value", &self.discount_value)?;
                s.serialize_field("shipping_value", &self.shipping_value)?;
            }
            PaymentLayout::ProductsValueLast => {
                s.serialize_field("discount_value", &self.discount_value)?;
                s.serialize_field("shipping_value", &self.shipping_value)?;
                s.serialize_field("total_products_value", &self.total_products_value)?;
            }
        }
        s.serialize_field("payment_method", &self.payment_method)?;
        s.serialize_field("coupons", &self.coupons)?;
        s.end()
    }
}

/// The keys a payment method carries: only those of its type (Cakto and
/// most), or the 12-key union of every type with the others null (Kiwify).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MethodShape {
    #[default]
    PerType,
    Union,
}

#[derive(Debug, Clone)]
pub struct PaymentMethod<'a> {
    pub shape: MethodShape,
    pub kind: PaymentMethodType,
    // credit card
    pub brand: Text<'a>,
    pub last_digits: Text<'a>,
    pub expiration_month: Text<'a>,
    pub expiration_year: Text<'a>,
    // pix
    pub qrcode_url: Text<'a>,
    pub qrcode_signature: Text<'a>,
    /// Pix or boleto expiry, unix seconds.
    pub expiration_date: Option<i64>,
    pub pix_key: Text<'a>,
    pub pix_key_type: Text<'a>,
    // boleto
    pub digitable_line: Text<'a>,
    pub url: Text<'a>,
}

impl<'a> PaymentMethod<'a> {
    /// A method of `kind` whose every detail is null.
    pub fn new(shape: MethodShape, kind: PaymentMethodType) -> Self {
        PaymentMethod {
            shape,
            kind,
            brand: None,
            last_digits: None,
            expiration_month: None,
            expiration_year: None,
            qrcode_url: None,
            qrcode_signature: None,
            expiration_date: None,
            pix_key: None,
            pix_key_type: None,
            digitable_line: None,
            url: None,
        }
    }
}

impl Serialize for PaymentMethod<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use PaymentMethodType::*;
        let union = self.shape == MethodShape::Union;
        let card = union || self.kind == CreditCard;
        let pix = union || self.kind == Pix;
        let boleto = union || self.kind == Boleto;
        let mut s = serializer.serialize_struct("PaymentMethod", 12)?;
        s.serialize_field("type", &self.kind)?;
        if card {
            s.serialize_field("brand", &self.brand)?;
            s.serialize_field("last_digits", &self.last_digits)?;
            s.serialize_field("expiration_month", &self.expiration_month)?;
            s.serialize_field("expiration_year", &self.expiration_year)?;
        }
        if pix {
            s.serialize_field("qrcode_url", &self.qrcode_url)?;
            s.serialize_field("qrcode_signature", &self.qrcode_signature)?;
            s.serialize_field("expiration_date", &self.expiration_date)?;
            s.serialize_field("pix_key", &self.pix_key)?;
            s.serialize_field("pix_key_type", &self.pix_key_type)?;
        }
        if boleto {
            s.serialize_field("digitable_line", &self.digitable_line)?;
            s.serialize_field("url", &self.url)?;
            if !union {
                s.serialize_field("expiration_date", &self.expiration_date)?;
            }
        }
        s.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Coupon<'a> {
    pub code: Text<'a>,
    pub value: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Shipping<'a> {
    pub carrier: Text<'a>,
    pub total_value: Option<i64>,
    pub tracking_url: Text<'a>,
    pub tracking_code: Text<'a>,
    pub method: Text<'a>,
    pub delivery_address: Option<Address<'a>>,
    pub estimated_delivery_date: Option<i64>,
    pub estimated_delivery_time_in_days: Option<i64>,
    pub status: Option<ShippingStatus>,
    pub raw_status: Text<'a>,
}

/// Where `offer_type` stands in a product: last (Cakto, OPABOX, reverse-logistic
/// items) or right after `type` (Kiwify and Hotmart); see docs/format.md.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProductLayout {
    OfferTypeLast,
    #[default]
    OfferTypeAfterType,
}

#[derive(Debug, Clone)]
pub struct Product<'a> {
    pub layout: ProductLayout,
    pub id: Text<'a>,
    pub name: Text<'a>,
    pub kind: ProductType,
    pub quantity: Option<i64>,
    pub unit_value: Option<i64>,
    pub total_value: Option<i64>,
    pub image_url: Text<'a>,
    pub offer_type: OfferType,
}

impl Serialize for Product<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let after_type = self.layout == ProductLayout::OfferTypeAfterType;
        let mut s = serializer.serialize_struct("Product", 8)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("type", &self.kind)?;
        if after_type {
            s.serialize_field("offer_type", &self.offer_type)?;
        }
        s.serialize_field("quantity", &self.quantity)?;
        s.serialize_field("unit_value", &self.unit_value)?;
        s.serialize_field("total_value", &self.total_value)?;
        s.serialize_field("image_url", &self.image_url)?;
        if !after_type {
            s.serialize_field("offer_type", &self.offer_type)?;
        }
        s.end()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LeadTracking<'a> {
    pub src: Text<'a>,
    pub sck: Text<'a>,
    pub utm_source: Text<'a>,
    pub utm_campaign: Text<'a>,
    pub utm_medium: Text<'a>,
    pub utm_content: Text<'a>,
    pub utm_term: Text<'a>,
    pub utm_id: Text<'a>,
    pub meta_fbp: Text<'a>,
    pub google_ga_id: Text<'a>,
    pub google_gclid: Text<'a>,
    pub google_gclsrc: Text<'a>,
    pub google_dclid: Text<'a>,
    pub google_gbraid: Text<'a>,
    pub google_wbraid: Text<'a>,
    pub tiktok_ttlid: Text<'a>,
    pub ip: Text<'a>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReversePayment<'a> {
    pub currency: Text<'a>,
    pub total: Option<i64>,
    pub refund: Option<i64>,
    pub exchange: Option<i64>,
    pub reverse_payment_method: Option<PaymentMethod<'a>>,
    pub coupons: Vec<Coupon<'a>>,
}
