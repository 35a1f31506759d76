//! Monetizze's postback: form-encoded (`venda[codigo]=…`, read as the JSON it
//! stands for; its `json` copy of the whole payload is read too), the event in
//! `tipoEvento.codigo`, money as reais text, times `Y-m-d H:i:s` in Brasília.
//! Field by field: `docs/providers/monetizze.md`.

use super::common::{AddressParts, PhoneParts, conversion, conversion_keyed_by_buyer, order_status_of, phones, synthetic_id};
use super::{Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, in_one_pass};
use crate::auth::{Checked, Policy, Request, echoed_in_body};
use crate::error::{ConvertError, ErrorKind, quoted};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::time::parse_brazil_local;
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// The postback (the form's fields, or its `json` copy); also what the
/// one-pass parse of a JSON body reads.
/// The typed body this provider reads.
pub type Root<'a> = Postback<'a>;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Postback<'a> {
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    venda: Option<Venda<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    tipo_evento: Option<TipoEvento<'a>>,
    #[serde(borrow, rename = "postback_evento")]
    postback_evento: Option<Scalar<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    produto: Option<Produto<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    produtos: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, rename = "venda_item_order_bump", deserialize_with = "crate::raw::list_or_empty")]
    order_bumps: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    plano: Option<Plano<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    comprador: Option<Comprador<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    assinatura: Option<Assinatura<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    rastreio: Option<Rastreio<'a>>,
    #[serde(borrow, rename = "url_recuperacao")]
    url_recuperacao: Str<'a>,
    #[serde(borrow, rename = "pix_imagem_qrcode")]
    pix_imagem_qrcode: Str<'a>,
    #[serde(borrow, rename = "pix_codigo_qrcode")]
    pix_codigo_qrcode: Str<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Venda<'a> {
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    codigo: Option<Scalar<'a>>,
    #[serde(borrow)]
    data_inicio: Str<'a>,
    #[serde(borrow)]
    data_finalizada: Str<'a>,
    #[serde(borrow)]
    forma_pagamento: Str<'a>,
    #[serde(borrow)]
    valor: Option<&'a RawValue>,
    #[serde(borrow)]
    quantidade: Option<&'a RawValue>,
    #[serde(borrow)]
    frete: Option<&'a RawValue>,
    #[serde(borrow, rename = "descr_tipo_frete")]
    descr_tipo_frete: Option<Scalar<'a>>,
    #[serde(borrow)]
    cupom: Option<Scalar<'a>>,
    #[serde(borrow)]
    src: Str<'a>,
    #[serde(borrow, rename = "utm_source")]
    utm_source: Str<'a>,
    #[serde(borrow, rename = "utm_medium")]
    utm_medium: Str<'a>,
    #[serde(borrow, rename = "utm_content")]
    utm_content: Str<'a>,
    #[serde(borrow, rename = "utm_campaign")]
    utm_campaign: Str<'a>,
    #[serde(borrow)]
    link_boleto: Str<'a>,
    #[serde(borrow, rename = "linha_digitavel")]
    linha_digitavel: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct TipoEvento<'a> {
    #[serde(borrow)]
    codigo: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Produto<'a> {
    #[serde(borrow)]
    codigo: Option<Scalar<'a>>,
    #[serde(borrow)]
    nome: Str<'a>,
}

/// One of `produtos` or `venda_item_order_bump`.
#[derive(Debug, Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    produto: Option<Scalar<'a>>,
    #[serde(borrow)]
    nome: Str<'a>,
    #[serde(borrow)]
    valor: Option<&'a RawValue>,
    #[serde(borrow)]
    quantidade: Option<&'a RawValue>,
    #[serde(borrow)]
    principal: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Plano<'a> {
    #[serde(borrow)]
    nome: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Comprador<'a> {
    #[serde(borrow)]
    nome: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow, rename = "cnpj_cpf")]
    cnpj_cpf: Option<Scalar<'a>>,
    #[serde(borrow)]
    telefone: Option<Scalar<'a>>,
    #[serde(borrow)]
    cep: Option<Scalar<'a>>,
    #[serde(borrow)]
    endereco: Str<'a>,
    #[serde(borrow)]
    numero: Option<Scalar<'a>>,
    #[serde(borrow)]
    complemento: Str<'a>,
    #[serde(borrow)]
    bairro: Str<'a>,
    #[serde(borrow)]
    cidade: Str<'a>,
    #[serde(borrow)]
    estado: Str<'a>,
    #[serde(borrow)]
    pais: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Assinatura<'a> {
    #[serde(borrow)]
    codigo: Option<Scalar<'a>>,
    #[serde(borrow, rename = "data_assinatura")]
    data_assinatura: Str<'a>,
    #[serde(borrow)]
    parcela: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct Rastreio<'a> {
    #[serde(borrow)]
    codigo: Str<'a>,
    #[serde(borrow)]
    descricao: Str<'a>,
}

/// Everything about Monetizze.
pub static SPEC: Spec = Spec {
    name: "monetizze",
    title: "Monetizze",
    looked_for: "{venda, tipoEvento or postback_evento} or the older {venda, chave_unica} (a form: venda[codigo]=…)",
    first_keys: &["venda"],
    events: EVENTS,
    top_keys: &[
        ("venda", Keep::Presence),
        ("tipoEvento", Keep::Presence),
        ("postback_evento", Keep::Presence),
        ("chave_unica", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/monetizze.md"),
    scheme: "the chave_unica echoed in the body (weak: with --allow-echoed-secret)",
    secret: "the postback's chave única",
    secret_headers: &[],
    secret_fields: &["chave_unica", "chave"],
    total_may_hold_unlisted_fees: false,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// `tipoEvento.codigo` (or `postback_evento`) → normalized event. The other codes
/// (5 Bloqueada, 8 Oculto, 98 Cartão, 99 Boleto, 105/106 Recuperação Parcelada,
/// 120 Rastreio) have no normalized counterpart.
const EVENTS: EventTable = &[
    ("1", EventName::OrderWaitingPayment),
    ("2", EventName::OrderPaid),
    ("3", EventName::OrderCanceled),
    ("4", EventName::OrderRefunded),
    ("6", EventName::OrderFinalized),
    ("7", EventName::CheckoutAbandoned),
    ("101", EventName::SubscriptionActive),
    ("102", EventName::SubscriptionPastDue),
    ("103", EventName::SubscriptionCanceled),
    ("104", EventName::SubscriptionPastDue),
    // The older postback, from before the event codes: `venda.status` names it.
    ("Aguardando pagamento", EventName::OrderWaitingPayment),
    ("Finalizada", EventName::OrderPaid),
    ("Aprovada", EventName::OrderPaid),
    ("Cancelada", EventName::OrderCanceled),
    ("Devolvida", EventName::OrderRefunded),
    ("Completa", EventName::OrderFinalized),
];

/// The sale statuses of the older postback (no event code), as its event table
/// writes them; `Bloqueada` has no normalized counterpart.
const SALE_STATUSES: &[&str] = &[
    "Aguardando pagamento",
    "Finalizada",
    "Aprovada",
    "Cancelada",
    "Devolvida",
    "Bloqueada",
    "Completa",
];

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let venda = top.get("venda").is_some();
    let event = match (top.get("tipoEvento"), top.get("postback_evento")) {
        (Some(_), _) => "tipoEvento",
        (None, Some(_)) => "postback_evento",
        (None, None) if top.get("chave_unica").is_some() => "chave_unica",
        (None, None) => return None,
    };
    venda.then(|| vec!["venda", event])
}

/// The raw event: `--event`, else `tipoEvento.codigo`, else `postback_evento`,
/// with where it was read.
fn raw_event<'a>(ctx: &Context<'a, '_>, body: &Postback<'a>) -> Result<(String, String), ConvertError> {
    if let Some(event) = ctx.event {
        return Ok((event.trim().to_owned(), ctx.pointer("/tipoEvento/codigo")));
    }
    let from_type = body
        .tipo_evento
        .as_ref()
        .and_then(|t| scalar_text(t.codigo.clone()));
    let status = body.venda.as_ref().and_then(|v| text(v.status.clone()));
    match (from_type, scalar_text(body.postback_evento.clone()), status) {
        (Some(code), _, _) => Ok((code.trim().to_owned(), ctx.pointer("/tipoEvento/codigo"))),
        (None, Some(code), _) => Ok((code.trim().to_owned(), ctx.pointer("/postback_evento"))),
        (None, None, Some(status)) => {
            let named = SALE_STATUSES
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&status))
                .map_or(status.as_ref(), |known| known);
            Ok((named.to_owned(), ctx.pointer("/venda/status")))
        }
        (None, None, None) => Err(ConvertError::missing(
            ctx.pointer("/tipoEvento/codigo"),
            "the Monetizze event code (tipoEvento.codigo or postback_evento; an older postback: venda.status)",
        )),
    }
}

fn parse<'a>(ctx: &Context<'a, '_>) -> Result<Postback<'a>, ConvertError> {
    ctx.doc.parse(ctx.body, ctx.body_pointer)
}

fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let body = parse(ctx)?;
    let (raw_event, _) = raw_event(ctx, &body)?;
    Ok(Identified {
        event: super::event_in(EVENTS, &raw_event),
        raw_event,
    })
}

/// Converts a postback; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Postback<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let body = match root {
        Some(body) => body,
        None => parse(ctx)?,
    };
    let (raw_event, event_at) = raw_event(ctx, &body)?;
    let name = SPEC.event_of(&raw_event, || event_at.clone())?;
    let at = |field: &str| ctx.pointer(field);
    let venda = body.venda.as_ref();
    let customer = customer(body.comprador.as_ref());
    let products = products(ctx, &body, &at)?;
    let payment = payment(ctx, &body, &at)?;
    let checkout = Checkout {
        id: None,
        url: text(body.url_recuperacao.clone()),
    };
    let lead_tracking = LeadTracking {
        src: text(venda.and_then(|v| v.src.clone())),
        utm_source: text(venda.and_then(|v| v.utm_source.clone())),
        utm_campaign: text(venda.and_then(|v| v.utm_campaign.clone())),
        utm_medium: text(venda.and_then(|v| v.utm_medium.clone())),
        utm_content: text(venda.and_then(|v| v.utm_content.clone())),
        ..LeadTracking::default()
    };
    let sale = scalar_text(venda.and_then(|v| v.codigo.clone()));

    if name == EventName::CheckoutAbandoned {
        let keyed_by_buyer = sale.is_none();
        let id = sale.map(Cow::into_owned).unwrap_or_else(|| {
            let email = customer.email.as_deref().unwrap_or_default();
            let product = products.first().and_then(|p| p.id.as_deref()).unwrap_or_default();
            synthetic_id(&[email, product, checkout.url.as_deref().unwrap_or_default()])
        });
        let payload = Payload::Checkout(Box::new(CheckoutPayload {
            customer,
            checkout,
            payment,
            shipping: Shipping::default(),
            products,
            lead_tracking,
        }));
        return Ok(match keyed_by_buyer {
            true => conversion_keyed_by_buyer(SPEC.name, name, &id, payload),
            false => conversion(SPEC.name, name, &id, payload),
        });
    }

    let sale = sale.ok_or_else(|| ConvertError::missing(at("/venda/codigo"), "the sale code (a string)"))?;
    if let Some(status) = name.subscription_status() {
        let raw = body.assinatura.as_ref();
        let id = scalar_text(raw.and_then(|a| a.codigo.clone())).ok_or_else(|| {
            ConvertError::missing(at("/assinatura/codigo"), "the subscription code (a string)")
        })?;
        let subscription = Subscription {
            id: Some(id.clone()),
            name: text(body.plano.as_ref().and_then(|p| p.nome.clone())),
            status: Some(status),
            created_at: ctx.doc.time(
                raw.and_then(|a| a.data_assinatura.as_ref()),
                || at("/assinatura/data_assinatura"),
                parse_brazil_local,
            )?,
            current_cycle: ctx
                .doc
                .count(raw.and_then(|a| a.parcela), || at("/assinatura/parcela"))?,
            ..Subscription::default()
        };
        let payload = Payload::Subscription(Box::new(SubscriptionPayload {
            customer,
            subscription,
            products: plans(products),
            charge: Charge,
            payment,
        }));
        return Ok(conversion(SPEC.name, name, &format!("{id}:{sale}"), payload));
    }

    let status = order_status_of(name).ok_or_else(|| {
        ConvertError::new(
            ErrorKind::UnsupportedEvent,
            event_at.clone(),
            format!("Monetizze event {} has no order status", quoted(&raw_event)),
        )
    })?;
    let time = |value: Option<&Cow<'a, str>>, field: &str| {
        ctx.doc.time(value, || at(field), parse_brazil_local)
    };
    let was_paid = matches!(
        status,
        OrderStatus::Paid | OrderStatus::Finalized | OrderStatus::Refunded
    );
    let order = Order {
        id: Some(sale.clone()),
        status: Some(status),
        raw_status: Some(Cow::Owned(raw_event.clone())),
        created_at: time(venda.and_then(|v| v.data_inicio.as_ref()), "/venda/dataInicio")?,
        updated_at: None,
        paid_at: time(venda.and_then(|v| v.data_finalizada.as_ref()), "/venda/dataFinalizada")?
            .filter(|_| was_paid),
        warranty_until: None,
        canceled_at: None,
        refunded_at: None,
    };
    let rastreio = body.rastreio.as_ref();
    let shipping = Shipping {
        total_value: payment.shipping_value,
        method: scalar_text(venda.and_then(|v| v.descr_tipo_frete.clone()))
            .filter(|method| method.trim() != "0"),
        tracking_code: text(rastreio.and_then(|r| r.codigo.clone())),
        raw_status: text(rastreio.and_then(|r| r.descricao.clone())),
        ..Shipping::default()
    };
    let payload = Payload::Order(Box::new(OrderPayload {
        customer,
        order,
        checkout,
        payment,
        shipping,
        products,
        lead_tracking,
    }));
    Ok(conversion(SPEC.name, name, &sale, payload))
}

fn customer<'a>(raw: Option<&Comprador<'a>>) -> Customer<'a> {
    let Some(raw) = raw else {
        return Customer {
            address: Some(Address::empty(AddressLayout::Full)),
            ..Customer::default()
        };
    };
    Customer {
        id: None,
        name: text(raw.nome.clone()),
        email: text(raw.email.clone()),
        document: raw
            .cnpj_cpf
            .as_ref()
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[raw.telefone.as_ref().map(|p| p.0.as_ref())],
            raw.pais.as_deref(),
            PhoneParts::default(),
        ),
        address: Some(
            AddressParts {
                street: raw.endereco.clone(),
                number: raw.numero.clone(),
                complement: raw.complemento.clone(),
                neighborhood: raw.bairro.clone(),
                city: raw.cidade.clone(),
                state: raw.estado.clone(),
                country: raw.pais.clone(),
                postal_code: raw.cep.clone(),
            }
            .build(AddressLayout::Full),
        ),
    }
}

/// `produtos` (each with its `principal` flag), else `produto` with the sale's
/// value; then the order bumps of `venda_item_order_bump` not already listed.
fn products<'a>(
    ctx: &Context<'a, '_>,
    body: &Postback<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Product<'a>>, ConvertError> {
    let kind = match body.assinatura.as_ref().and_then(|a| a.codigo.as_ref()) {
        Some(_) => ProductType::SubscriptionPlan,
        None => ProductType::Product,
    };
    let item = |item: &Item<'a>, list: &str, index: usize, bump: bool| {
        let field = |name: &str| at(&format!("/{list}/{index}/{name}"));
        let unit = ctx.doc.reais(item.valor, || field("valor"))?;
        let quantity = ctx.doc.count(item.quantidade, || field("quantidade"))?;
        let main = item.principal.as_ref().is_some_and(|p| p.0.trim() == "1");
        Ok::<_, ConvertError>(Product {
            layout: ProductLayout::OfferTypeLast,
            id: scalar_text(item.produto.clone()),
            name: text(item.nome.clone()),
            kind,
            quantity,
            unit_value: unit,
            total_value: unit.and_then(|unit| unit.checked_mul(quantity.unwrap_or(1))),
            image_url: None,
            offer_type: if main && !bump { OfferType::Main } else { OfferType::OrderBump },
        })
    };
    let mut products = Vec::new();
    match body.produtos.as_deref() {
        Some(items) if !items.is_empty() => {
            for (index, raw) in items.iter().enumerate() {
                products.push(item(raw, "produtos", index, false)?);
            }
        }
        _ => {
            let produto = body.produto.as_ref();
            let venda = body.venda.as_ref();
            let value = ctx.doc.reais(venda.and_then(|v| v.valor), || at("/venda/valor"))?;
            let quantity = ctx
                .doc
                .count(venda.and_then(|v| v.quantidade), || at("/venda/quantidade"))?;
            if produto.is_some() {
                products.push(Product {
                    layout: ProductLayout::OfferTypeLast,
                    id: scalar_text(produto.and_then(|p| p.codigo.clone())),
                    name: text(produto.and_then(|p| p.nome.clone())),
                    kind,
                    quantity,
                    unit_value: value,
                    total_value: value,
                    image_url: None,
                    offer_type: OfferType::Main,
                });
            }
        }
    }
    for (index, raw) in body.order_bumps.iter().flatten().enumerate() {
        let listed = products
            .iter()
            .any(|p| p.id.is_some() && p.id == scalar_text(raw.produto.clone()));
        if !listed {
            products.push(item(raw, "venda_item_order_bump", index, true)?);
        }
    }
    Ok(products)
}

fn payment<'a>(
    ctx: &Context<'a, '_>,
    body: &Postback<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Payment<'a>, ConvertError> {
    let venda = body.venda.as_ref();
    let total = ctx.doc.reais(venda.and_then(|v| v.valor), || at("/venda/valor"))?;
    let shipping = ctx
        .doc
        .reais(venda.and_then(|v| v.frete), || at("/venda/frete"))?;
    let method = payment_method(body);
    Ok(Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: Some(Cow::Borrowed("BRL")),
        total,
        // The sale's value holds the shipping: the products are the rest.
        total_products_value: total.map(|total| total - shipping.unwrap_or(0)).filter(|v| *v >= 0),
        discount_value: None,
        shipping_value: shipping,
        payment_method: method,
        coupons: scalar_text(venda.and_then(|v| v.cupom.clone()))
            .map(|code| {
                vec![Coupon {
                    code: Some(code),
                    value: None,
                }]
            })
            .unwrap_or_default(),
    })
}

/// `venda.formaPagamento`, as Monetizze writes it in Portuguese.
fn payment_method<'a>(body: &Postback<'a>) -> Option<PaymentMethod<'a>> {
    let venda = body.venda.as_ref()?;
    let written = venda.forma_pagamento.as_deref()?.trim().to_lowercase();
    let kind = if written.contains("cart") {
        PaymentMethodType::CreditCard
    } else if written.contains("boleto") {
        PaymentMethodType::Boleto
    } else if written.contains("pix") {
        PaymentMethodType::Pix
    } else if written.is_empty() {
        return None;
    } else {
        PaymentMethodType::Other
    };
    let mut method = PaymentMethod::new(MethodShape::PerType, kind);
    match kind {
        PaymentMethodType::Boleto => {
            method.digitable_line = text(venda.linha_digitavel.clone());
            method.url = text(venda.link_boleto.clone());
        }
        PaymentMethodType::Pix => {
            method.qrcode_url = text(body.pix_imagem_qrcode.clone());
            method.qrcode_signature = text(body.pix_codigo_qrcode.clone());
        }
        _ => {}
    }
    Some(method)
}

/// Monetizze signs nothing: the postback echoes the account's `chave_unica`.
fn verify(request: &Request, secret: &[u8], policy: &Policy) -> Result<Checked, ConvertError> {
    echoed_in_body(
        request,
        &["chave_unica"],
        secret,
        policy,
        "chave_unica echoed in the body (weak: no replay protection)",
    )
}
