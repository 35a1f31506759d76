# The peer a user would write instead of hooknorm: Cakto and Kiwify order bodies to
# the normalized order event with jq (money to cents, dates to epoch seconds, the
# same output keys for the fields it maps). Other providers' lines give null.
#   jq -c -f bench/peers/orders.jq raw.ndjson

def cents: if . == null then null else (tonumber * 100 | round) end;
# ISO 8601 with optional fraction and offset (Cakto) to epoch seconds.
def iso:
  if . == null then null else
    capture("^(?<t>[0-9-]{10}[T ][0-9:]{8})(?:\\.[0-9]+)?(?<z>Z|[+-][0-9]{2}:[0-9]{2})?$") as $m
    | ($m.t | sub(" "; "T") + "Z" | fromdateiso8601)
      - (if ($m.z // "Z") == "Z" then 0
         else ($m.z[0:1] + "1" | tonumber) * (($m.z[1:3] | tonumber) * 3600 + ($m.z[4:6] | tonumber) * 60) end)
  end;
# Kiwify's "YYYY-MM-DD HH:MM", Brasília time (UTC-3).
def brasilia: if . == null then null else (strptime("%Y-%m-%d %H:%M") | mktime) + 10800 end;
def phone: if . == null then [] else
  (gsub("[^0-9]"; "")) as $d
  | [{formatted_phone: (if ($d | length) >= 10 and ($d | length) <= 11 then "+55" + $d
                        elif ($d | startswith("55")) and ($d | length) >= 12 then "+" + $d else null end),
      type: null, raw_number: $d}] end;

def cakto_status: {"purchase_approved": "order.paid", "pix_gerado": "order.waiting_payment",
  "boleto_gerado": "order.waiting_payment", "purchase_refused": "order.failed",
  "refund": "order.refunded", "chargeback": "order.chargeback"}[.];
def kiwify_status: {"order_approved": "order.paid", "pix_created": "order.waiting_payment",
  "billet_created": "order.waiting_payment", "order_rejected": "order.failed",
  "order_refunded": "order.refunded", "chargeback": "order.chargeback"}[.];

def cakto_order($event):
  ($event | cakto_status) as $name
  | {event: $name, provider: "cakto", idempotency_key: "cakto:\($name):\(.id)",
     payload: {
       customer: {name: .customer.name, email: .customer.email,
                  document: (.customer.docNumber // null | if . then gsub("[^0-9]"; "") else null end),
                  phone_numbers: (.customer.phone | phone)},
       order: {id: .id, status: .status, raw_status: .status, created_at: (.createdAt | iso),
               paid_at: (.paidAt | iso), canceled_at: (.canceledAt | iso), refunded_at: (.refundedAt | iso)},
       checkout: {id: .checkout, url: .checkoutUrl},
       payment: {currency: "BRL", total: (.amount | cents), total_products_value: (.baseAmount | cents),
                 discount_value: (.discount | cents), payment_method: {type: .paymentMethod}},
       products: [{id: .product.id, name: .product.name, type: .product.type,
                   unit_value: (.baseAmount | cents), offer_type: .offer_type}]}};

def kiwify_order:
  (.webhook_event_type | kiwify_status) as $name
  | {event: $name, provider: "kiwify", idempotency_key: "kiwify:\($name):\(.order_id)",
     payload: {
       customer: {name: .Customer.full_name, email: .Customer.email,
                  document: (.Customer.CPF // .Customer.cnpj // null),
                  phone_numbers: (.Customer.mobile | phone)},
       order: {id: .order_id, status: .order_status, raw_status: .order_status,
               created_at: (.created_at | brasilia), updated_at: (.updated_at | brasilia),
               paid_at: (.approved_date | brasilia), refunded_at: (.refunded_at | brasilia)},
       payment: {currency: (.Commissions.currency // "BRL"), total: .Commissions.charge_amount,
                 total_products_value: .Commissions.product_base_price,
                 payment_method: {type: .payment_method}},
       products: [{id: .Product.product_id, name: .Product.product_name}],
       lead_tracking: .TrackingParameters}};

if (.secret and .event and .data) then
  .event as $event | (.data | if type == "array" then .[0] else . end) | cakto_order($event)
elif .order_id and .webhook_event_type then kiwify_order
elif .order.order_id then .order | kiwify_order
else null end
