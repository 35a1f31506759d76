"""Writes one benchmark's section of docs/benchmarks.md, between
`<!-- NAME:start -->` and `<!-- NAME:end -->`, leaving the rest of the page as it is."""

import json
import os
import re

PAGE = os.environ.get("BENCH_PAGE", "docs/benchmarks.md")
HEADER = "# Benchmarks\n\nMeasured on this project's machines; each section says how to reproduce it.\n"


def write_section(name, body):
    section = f"<!-- {name}:start -->\n{body.strip()}\n<!-- {name}:end -->"
    text = open(PAGE, encoding="utf-8").read() if os.path.exists(PAGE) else HEADER
    pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*<!-- {re.escape(name)}:end -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    os.makedirs(os.path.dirname(PAGE) or ".", exist_ok=True)
    with open(PAGE, "w", encoding="utf-8") as out:
        out.write(text)
    print(section)


def criterion_ns(benchmark):
    """Criterion's median estimate, in ns, of `target/criterion/<benchmark>`, or None."""
    path = f"target/criterion/{benchmark}/new/estimates.json"
    try:
        return json.load(open(path))["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


def cell(ns):
    """A duration in ns as a table shows it."""
    return "—" if ns is None else (f"{ns / 1000:,.2f} µs" if ns >= 1000 else f"{ns:,.0f} ns")
