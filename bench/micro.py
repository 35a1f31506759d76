"""Writes the `micro` section of docs/benchmarks.md from criterion's estimates
(target/criterion/<provider>/<what>/<step>/new/estimates.json)."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from report import cell, criterion_ns, write_section  # noqa: E402

PROVIDERS = ["cakto", "kiwify", "hotmart", "opabox", "troquecommerce", "monetizze", "appmax", "digital_manager_guru", "ticto", "eduzz"]
COLUMNS = [
    ("hooknorm", "convert+write", "convert + write"),
    ("hooknorm", "convert", "convert"),
    ("hooknorm", "detect", "detect (probe)"),
    ("hooknorm", "write", "write"),
    ("floor", "Value+write", "floor"),
    ("ceiling", "IgnoredAny", "ceiling"),
]


def median_ns(provider, what, step):
    return criterion_ns(f"{provider}/{what}/{step}")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "cargo bench --bench convert"
    header = "| provider | " + " | ".join(label for _, _, label in COLUMNS) + " | floor ÷ convert+write |"
    rows = [header, "|" + "---|" * (len(COLUMNS) + 2)]
    for provider in PROVIDERS:
        # The Troquecommerce sample is a captured request: no probe of a body to time.
        values = [
            None if (provider, step) == ("troquecommerce", "detect") else median_ns(provider, what, step)
            for what, step, _ in COLUMNS
        ]
        ours, floor = values[0], values[4]
        ratio = f"{floor / ours:.2f}×" if ours and floor else "—"
        rows.append(f"| {provider} | " + " | ".join(cell(v) for v in values) + f" | {ratio} |")
    body = f"""## micro: one event of each provider, in ns

`{command}` (criterion, median; `benches/convert.rs`). One documented body
per provider (`samples/`), converted and written compactly, next to the floor (parse into
`serde_json::Value`, write back) and the ceiling (`IgnoredAny`) on the same body.
`detect` is the top-level probe of the general path alone: what the one-pass parse saves
when it applies (the Troquecommerce sample is a captured request, which takes the
general path, so it has none). A regression shows as a ratio that moves.

{chr(10).join(rows)}
"""
    write_section("micro", body)


if __name__ == "__main__":
    main()
