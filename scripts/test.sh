#!/usr/bin/env bash
# Runs every test: the Rust tests, then the search script's unit tests (Node's test runner)
# and its end-to-end test in headless Chromium. Installs what the JavaScript tests need
# when it is missing: npm packages (npm ci) and Debian's chromium (as root, with apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test"
cargo test ${CI:+--locked}

echo "== search script: unit tests and end-to-end test"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node (20 or later) and npm are needed for the search tests: https://nodejs.org/" >&2
  exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "node $(node --version) is too old for the search tests: 20 or later is needed" >&2
  exit 1
fi
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund
fi

if [ -n "${CHROMIUM:-}" ]; then
  if [ ! -x "$CHROMIUM" ]; then
    echo "CHROMIUM=$CHROMIUM is not an executable" >&2
    exit 1
  fi
elif [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the end-to-end test"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  else
    echo "the end-to-end test needs Chromium at /usr/bin/chromium: install Debian's package as" >&2
    echo "root ('apt-get install chromium'), or set CHROMIUM to a Chromium or Chrome executable" >&2
    exit 1
  fi
fi

# Test files are listed rather than given as a folder: Node 21 and later read folder
# arguments as file names.
node --test tests/js/*.test.mjs
node --test tests/e2e/search.e2e.mjs tests/e2e/pages.e2e.mjs
