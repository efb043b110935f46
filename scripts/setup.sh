#!/usr/bin/env bash
# Idempotent set-up: system packages the real-server tests need, then the project in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)  # reconcile report browser test (Playwright drives it)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]} with apt-get" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: ${need_apt[*]} missing and not root; the tests that need them will skip" >&2
  fi
fi
if ! python -c "import gateway, core, pyx12, sqlalchemy, paramiko, apscheduler, fastapi, hypothesis" >/dev/null 2>&1 \
   || ! python -c "import importlib.metadata as m; m.version('ordergate')" >/dev/null 2>&1; then
  echo "setup: installing ordergate and its dependencies with pip" >&2
  python -m pip install -q --disable-pip-version-check -e ".[test]"
fi
