"""Writes one benchmark's section of docs/benchmarks.md, between
`<!-- NAME:start -->` and `<!-- NAME:end -->`, leaving the rest of the page as it is."""

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
