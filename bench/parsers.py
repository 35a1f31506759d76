"""Writes the `parsers` section of docs/benchmarks.md from criterion's estimates of
`benches/parsers.rs` (target/criterion/parse_<provider>/<what>/<parser>/new/estimates.json)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from report import cell, criterion_ns, write_section  # noqa: E402

PARSERS = ["serde_json", "sonic-rs", "simd-json"]
KINDS = [("typed", "typed body"), ("skip", "syntax pass (IgnoredAny)"), ("tree", "own Value tree")]


def median_ns(provider, kind, parser):
    return criterion_ns(f"parse_{provider}/{kind}/{parser}")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "cargo bench --bench parsers"
    providers = sorted(name[len("parse_"):] for name in os.listdir("target/criterion") if name.startswith("parse_"))
    header = "| provider | " + " | ".join(f"{label}: {parser}" for kind, label in KINDS for parser in PARSERS) + " |"
    rows = [header, "|" + "---|" * (len(KINDS) * len(PARSERS) + 1)]
    totals = {(kind, parser): [] for kind, _ in KINDS for parser in PARSERS}
    for provider in providers:
        values = []
        for kind, _ in KINDS:
            for parser in PARSERS:
                ns = median_ns(provider, kind, parser)
                values.append(ns)
                totals[(kind, parser)].append(ns)
        rows.append(f"| {provider} | " + " | ".join(cell(v) for v in values) + " |")

    def ratio(kind, parser):
        pairs = [(a, b) for a, b in zip(totals[(kind, "serde_json")], totals[(kind, parser)]) if a and b]
        if not pairs:
            return "no body of ours"
        return f"{sum(a for a, _ in pairs) / sum(b for _, b in pairs):.2f}× serde_json's speed"

    typed_read = [p for p in providers if median_ns(p, "typed", "sonic-rs")]
    body = f"""## parsers: the ceilings of serde_json, sonic-rs and simd-json on each provider's body

`{command}` (criterion, median; `benches/parsers.rs`). One body per provider (a paid
order where it has one), read three ways by each parser: into the provider's own typed
body (`Root`, what `convert` parses), a syntax pass that keeps nothing, and the parser's
own tree. "—": the parser cannot read the provider's types — they keep amounts as
serde_json's `RawValue` (the decimal text exact money is read from), which only
serde_json understands; sonic-rs and simd-json read typed bodies of ours only where
the provider reads a tree ({", ".join(typed_read) or "none"}).

{chr(10).join(rows)}

Summed over the providers: syntax pass, sonic-rs {ratio("skip", "sonic-rs")}, simd-json
{ratio("skip", "simd-json")}; own tree, sonic-rs {ratio("tree", "sonic-rs")}, simd-json
{ratio("tree", "simd-json")}.
"""
    write_section("parsers", body)


if __name__ == "__main__":
    main()
