#!/usr/bin/env python3
"""Deterministic corpus of raw webhook bodies for the benchmarks.

Writes, from a fixed seed, realistic raw bodies for every provider and all their
mapped events, using the bundled samples (JSON bodies, captured requests and
form-encoded bodies) as templates. The first five providers vary ids, names
(Unicode included), e-mails, phones, documents, amounts, dates, optional blocks
(present, null or absent) and grouped Cakto deliveries; the others vary their ids,
e-mails, phones and the names of people, read by shape (`vary_generic`), and a form
body keeps its `json` copy in step with its fields:

    bench/corpus.py --out DIR [--lines 200000] [--files 10000] [--seed 42] [--json-only]

DIR/raw.ndjson holds --lines bodies, one per line; DIR/raw/ holds --files bodies,
one per file. The same arguments always give the same bytes.
"""

import argparse
import copy
import re
import json
import random
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = ["João", "Maria", "José", "Ana", "Zoë", "Ünal", "Björn", "Léa", "Chiara", "Thiago", "Luíza", "Kenji", "Noémie", "Çağrı", "Amélie", "Raúl"]
LAST = ["Silva", "Santos", "Oliveira", "Souza", "Conceição", "Müller", "Ferreira", "Gonçalves", "Núñez", "Åberg", "Pereira", "Lima", "Araújo", "Castelo Branco"]
PRODUCTS = ["Curso de Fotografia", "Mentoria Mensal", "E-book de Receitas Veganas", "Açaí 500 ml", "Plano Anual Premium", "Workshop de Cerâmica — Turma 3", "Camiseta Básica (Preta, M)", "Guia prático: finanças 💰"]
DDDS = ["11", "21", "31", "41", "51", "61", "71", "81", "85", "34", "19", "47"]


def is_form(body):
    inner = body.get("body") if isinstance(body, dict) and "headers" in body else body
    return isinstance(body, Form) or (isinstance(inner, str) and not inner.lstrip().startswith("{"))


def templates(json_only=False):
    """The bundled raw samples by provider: parsed JSON, or a `Form` (left out with
    `json_only`, for peers that read JSON lines only)."""
    by_provider = {}
    for provider in WEIGHTS:
        folder = ROOT / "samples" / provider
        bodies = []
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".expected.json") or path.suffix not in (".json", ".form"):
                continue
            text = path.read_text(encoding="utf-8")
            body = json.loads(text) if path.suffix == ".json" else Form(text.strip())
            if not (json_only and is_form(body)):
                bodies.append(body)
        by_provider[provider] = bodies
    return by_provider


class Form:
    """A form-encoded body: its fields in order, written back as one line."""

    def __init__(self, text):
        self.fields = urllib.parse.parse_qsl(text, keep_blank_values=True)

    def text(self):
        return urllib.parse.urlencode(self.fields)


class Faker:
    def __init__(self, rng):
        self.rng = rng

    def name(self):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def email(self, name):
        local = name.split()[0].lower().encode("ascii", "ignore").decode() or "cliente"
        return f"{local}.{self.rng.randrange(10**6)}@example.com"

    def phone(self):
        ddd = self.rng.choice(DDDS)
        number = f"9{self.rng.randrange(10**8):08d}"
        style = self.rng.randrange(4)
        if style == 0:
            return f"{ddd}{number}"
        if style == 1:
            return f"55{ddd}{number}"
        if style == 2:
            return f"({ddd}) {number[:5]}-{number[5:]}"
        return f"+55{ddd}{number}"

    def cpf(self):
        digits = [self.rng.randrange(10) for _ in range(9)]
        for length in (9, 10):
            total = sum(d * w for d, w in zip(digits, range(length + 1, 1, -1)))
            digits.append(total * 10 % 11 % 10)
        return "".join(map(str, digits))

    def reais(self, low=5, high=2000):
        return round(self.rng.uniform(low, high), 2)

    def uuid(self):
        return "%08x-%04x-4%03x-8%03x-%012x" % (self.rng.getrandbits(32), self.rng.getrandbits(16), self.rng.getrandbits(12), self.rng.getrandbits(12), self.rng.getrandbits(48))

    def epoch(self):
        return self.rng.randrange(1_704_067_200, 1_798_761_600)  # 2024–2026

    def iso(self, seconds):
        import datetime
        offset = self.rng.choice([-3, 0])
        moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone(datetime.timedelta(hours=offset)))
        return moment.isoformat(timespec="microseconds")

    def brasilia(self, seconds):
        import datetime
        moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone(datetime.timedelta(hours=-3)))
        return moment.strftime("%Y-%m-%d %H:%M")

    def maybe(self, value, absent_key=False):
        """The value, or null, sometimes."""
        return value if self.rng.random() < 0.8 else None


def vary_cakto(body, f):
    items = body["data"] if isinstance(body["data"], list) else [body["data"]]
    name, created = f.name(), f.epoch()
    for item in items:
        item["id"] = f.uuid()
        customer = item.get("customer")
        if isinstance(customer, dict):
            customer.update(name=name, email=f.email(name), phone=f.phone())
            customer["docNumber"] = f.maybe(f.cpf())
        elif "customerName" in item:
            item.update(customerName=name, customerEmail=f.email(name), customerCellphone=f.phone())
        price = f.reais()
        if "offer" in item:
            item["offer"]["price"] = price if f.rng.random() < 0.8 else f"{price:.2f}"
        if "product" in item:
            item["product"]["name"] = f.rng.choice(PRODUCTS)
        if "amount" in item:
            item["baseAmount"] = price
            item["amount"] = round(price * f.rng.choice([1, 1, 1.0599]), 2)
            item["discount"] = f.rng.choice([None, "0.00", 0, round(price * 0.1, 2)])
        item["createdAt"] = f.iso(created)
        if item.get("paidAt"):
            item["paidAt"] = f.iso(created + 120)
        for key in ("utm_source", "utm_campaign", "sck"):
            if key in item or f.rng.random() < 0.3:
                item[key] = f.rng.choice([None, "facebook", "google", "instagram", "newsletter_nov"])
    if isinstance(body["data"], list) and f.rng.random() < 0.5:
        body["data"] = body["data"][: f.rng.randrange(1, len(body["data"]) + 1)]
    return body


def vary_kiwify(body, f):
    order = body.get("order", body)
    name, created = f.name(), f.epoch()
    if "order_id" in order:
        order["order_id"] = f.uuid()
        order["created_at"] = order["updated_at"] = f.brasilia(created)
        if order.get("approved_date"):
            order["approved_date"] = f.brasilia(created + 60)
        cents = f.rng.randrange(500, 200000)
        order["Commissions"]["charge_amount"] = cents
        order["Commissions"]["product_base_price"] = cents
        customer = order["Customer"]
        customer.update(full_name=name, email=f.email(name), mobile="+" + f.phone().lstrip("+").replace("(", "").replace(")", "").replace(" ", "").replace("-", "") if f.rng.random() < 0.5 else f"+55{f.rng.choice(DDDS)}9{f.rng.randrange(10**8):08d}")
        customer.pop("cnpj", None)
        customer["CPF"] = f.cpf()
        order["Product"]["product_name"] = f.rng.choice(PRODUCTS)
    else:
        order.update(id=f"{f.rng.getrandbits(64):016x}", name=name, email=f.email(name), phone=f.phone(), product_name=f.rng.choice(PRODUCTS))
    return body


def vary_hotmart(body, f):
    body["id"] = f.uuid()
    created = f.epoch()
    body["creation_date"] = created * 1000 + f.rng.randrange(1000)
    data = body["data"]
    name = f.name()
    buyer = data.get("buyer")
    if isinstance(buyer, dict):
        buyer.update(name=name, email=f.email(name))
        if "document" in buyer:
            buyer["document"] = f.cpf()
        if "phone" in buyer:
            buyer["phone"] = f.phone()
    if "product" in data:
        data["product"]["name"] = f.rng.choice(PRODUCTS)
    purchase = data.get("purchase")
    if isinstance(purchase, dict):
        purchase["transaction"] = f"HP{f.rng.randrange(10**13):013d}"
        price = f.reais()
        purchase["price"]["value"] = price
        purchase["full_price"]["value"] = round(price * f.rng.choice([1, 1.1]), 2)
        purchase["order_date"] = (created - 600) * 1000 if f.rng.random() < 0.9 else str((created - 600) * 1000)
        if "approved_date" in purchase:
            purchase["approved_date"] = created * 1000
    return body


def vary_opabox(body, f):
    order = body
    order["id"] = f.uuid()
    order["transaction_date"] = f.epoch() * 1000 + f.rng.randrange(1000)
    name = f.name()
    order["customer"].update(name=name, cpf=f.cpf(), phone="+55" + f.rng.choice(DDDS) + "9" + f"{f.rng.randrange(10**8):08d}", id=f.uuid())
    total = 0
    for line in order["product_list"]:
        line["name"] = f.rng.choice(PRODUCTS)
        line["price"] = f.reais(3, 80)
        line["shopper_price"] = f.maybe(round(line["price"] * 1.1, 2))
        unit = line["shopper_price"] if line["shopper_price"] is not None else line["price"] + sum(
            c.get("price", 0) * c.get("quantity", 1) for g in (line.get("options_chosen") or []) for c in (g.get("choices") or []))
        total += unit * line.get("purchased_quantity", 1)
    order["purchased_products_value"] = round(total, 2)
    order["service_fee"] = f.rng.choice([0, 1.99, 5.78])
    fee = order.get("delivery_fee") or 0
    order["total_price"] = round(total + fee + order["service_fee"] - (order.get("voucher_discount") or 0), 2)
    return body


def vary_troquecommerce(body, f):
    reversa = body
    reversa["id"] = str(f.rng.randrange(100000, 999999))
    reversa["ecommerce_number"] = f"#{f.rng.randrange(10**6)}"
    total = 0
    for item in reversa.get("items") or []:
        item["price"] = f.reais(20, 900)
        item["description"] = f.rng.choice(PRODUCTS)
        total += item["price"] * item.get("quantity", 1)
    reversa["price"] = round(total, 2)
    if reversa.get("client"):
        name = f.name()
        reversa["client"].update(name=name, email=f.email(name), document=f.cpf(), phone=f.phone())
    return body


ID_KEY = re.compile(r"(^|_)(id|cod|code|codigo|transaction|key|chave|hash|uuid)$|Id$|Code$", re.IGNORECASE)
PHONE_KEY = re.compile(r"phone|fone|cel|mobile", re.IGNORECASE)
PERSON = re.compile(r"customer|buyer|client|cliente|comprador|contact|subscriber|cus_|student|aluno|lead", re.IGNORECASE)
NAME_KEY = re.compile(r"^(name|nome|full_name|first_name|last_name|cus_name|customer_name|nome_completo)$", re.IGNORECASE)


def vary_generic(body, f):
    """Varies a body by the shape of its values, the same old value always to the same
    new one (an id cited twice stays one id); returns the map of what changed."""
    changed = {}

    def same_shape(text):
        out = []
        for char in text:
            if char.isdigit():
                out.append(str(f.rng.randrange(10)))
            elif char in "abcdef":
                out.append(f.rng.choice("0123456789abcdef"))
            elif char in "ABCDEF":
                out.append(f.rng.choice("0123456789ABCDEF"))
            elif char.isascii() and char.isupper():
                out.append(chr(f.rng.randrange(65, 91)))
            elif char.isascii() and char.islower():
                out.append(chr(f.rng.randrange(97, 123)))
            else:
                out.append(char)
        return "".join(out)

    def new_value(key, value, person):
        if isinstance(value, bool) or value is None or value == "":
            return value
        old = str(value)
        key = key.rsplit("[", 1)[-1].rstrip("]")  # a form field's own name
        if old in changed:
            new = changed[old]
        elif isinstance(value, str) and "@" in value and "." in value.split("@")[-1]:
            new = f.email(f.name())
        elif ID_KEY.search(key) and re.fullmatch(r"[0-9A-Za-z_-]{4,}", old) and re.search(r"[0-9]", old):
            # A prefix of letters (TOC…, HP…) or up to an underscore (sub_…) stays.
            keep = len(re.match(r"[A-Za-z]*_|[A-Z]{0,3}", old).group())
            new = old[:keep] + same_shape(old[keep:])
            if isinstance(value, int):
                new = str(f.rng.randrange(1, 10)) + new[1:]
        elif PHONE_KEY.search(key) and re.fullmatch(r"[0-9()+ -]{8,}", old):
            new = old[:4] + same_shape(old[4:])
        elif person and NAME_KEY.match(key) and isinstance(value, str):
            new = f.name()
        else:
            return value
        changed[old] = new
        return int(new) if isinstance(value, int) else new

    def walk(node, person):
        if isinstance(node, dict):
            for key, value in node.items():
                inner = person or bool(PERSON.search(key))
                if isinstance(value, (dict, list)):
                    walk(value, inner)
                elif isinstance(value, str) and key == "json" and value.startswith("{"):
                    copy_ = json.loads(value)
                    walk(copy_, person)
                    node[key] = json.dumps(copy_, ensure_ascii=False, separators=(",", ":"))
                else:
                    node[key] = new_value(key, value, inner or NAME_KEY.match(key) and key != "name")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    walk(value, person)
    walk(body, False)
    return changed


def flatten(node, prefix=""):
    """A JSON tree as form field names (`a[b][0]`) and their text."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return {prefix: "" if node is None else str(node).lower() if isinstance(node, bool) else str(node)}
    fields = {}
    for key, value in items:
        fields.update(flatten(value, f"{prefix}[{key}]" if prefix else str(key)))
    return fields


def vary_form(form, f):
    """A form's `json` copy varies like a JSON body and its fields follow the copy;
    a form without one varies field by field."""
    fields = dict(form.fields)
    if fields.get("json", "").startswith("{"):
        copy_ = json.loads(fields["json"])
        before = flatten(copy_)
        vary_generic(copy_, f)
        after = flatten(copy_)
        fields["json"] = json.dumps(copy_, ensure_ascii=False, separators=(",", ":"))
        new = {name: after[name] for name, value in fields.items() if before.get(name) == value and name in after}
        fields.update(new)
    else:
        vary_generic(fields, f)
    form.fields = [(name, fields[name]) for name, _ in form.fields]
    return form


VARY = {"cakto": vary_cakto, "kiwify": vary_kiwify, "hotmart": vary_hotmart, "opabox": vary_opabox, "troquecommerce": vary_troquecommerce}
# Shares of the corpus, roughly as the providers' traffic would mix.
WEIGHTS = {"cakto": 20, "kiwify": 20, "hotmart": 18, "opabox": 6, "troquecommerce": 4,
           "monetizze": 8, "appmax": 6, "digital_manager_guru": 6, "ticto": 6, "eduzz": 6}


def bodies(seed, count, by_provider):
    rng = random.Random(seed)
    faker = Faker(rng)
    providers = list(WEIGHTS)
    weights = [WEIGHTS[p] for p in providers]
    for _ in range(count):
        provider = rng.choices(providers, weights)[0]
        body = copy.deepcopy(rng.choice(by_provider[provider]))
        if isinstance(body, Form):
            yield vary_form(body, faker).text()
            continue
        # Captured requests ({"headers", "body"}) keep their headers; the body varies.
        inner = body["body"] if "headers" in body and "body" in body else body
        if isinstance(inner, str):  # a captured form
            if inner.startswith("{"):
                yield body
                continue
            body["body"] = vary_form(Form(inner), faker).text()
        else:
            VARY.get(provider, vary_generic)(inner, faker)
        yield body


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json-only", action="store_true", help="JSON bodies only (no form-encoded ones): for peers that read JSON")
    args = parser.parse_args()
    by_provider = templates(args.json_only)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "raw.ndjson", "w", encoding="utf-8") as out:
        for body in bodies(args.seed, args.lines, by_provider):
            out.write(body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
    folder = args.out / "raw"
    folder.mkdir(exist_ok=True)
    for index, body in enumerate(bodies(args.seed + 1, args.files, by_provider)):
        if isinstance(body, str):
            (folder / f"{index:05d}.form").write_text(body + "\n", encoding="utf-8")
        else:
            (folder / f"{index:05d}.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
