#!/usr/bin/env bash
# The Python package and the Spark example, as CI runs them: installs a JDK (from
# Debian's packages, when `java` is missing), PySpark, pyarrow and pytest (from
# PyPI), builds and installs the package from this clone, and runs its tests
# against the command line's release build. From the repository root:
#
#   bash python/ci.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! java -version >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "python/ci.sh: needs a JDK 17 (e.g. sudo apt-get install openjdk-17-jre-headless)" >&2
    exit 1
  fi
fi
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
  "pyspark==4.0.1" "pyarrow>=15" "pytest>=7"
cargo fmt --check --manifest-path python/Cargo.toml
cargo clippy --quiet --manifest-path python/Cargo.toml -- -D warnings
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore ./python
cargo build --release --quiet
HOOKNORM_SPARK_TEST=1 python3 -m pytest -q python/tests
