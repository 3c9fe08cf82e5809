#!/usr/bin/env bash
# Installs schemathesis (PyPI) for the API contract test into a virtualenv under tmp/ (ignored by
# git) and prints the path of its `schemathesis` command. Idempotent: a venv that already has the
# pinned version is reused; any other state is replaced. Needs Python 3.10+ with its venv module
# (Debian/Ubuntu: apt-get install python3-venv).
set -euo pipefail
VERSION=4.32.5
cd "$(dirname "$0")/../.."
VENV="tmp/schemathesis-$VERSION"
BIN="$VENV/bin/schemathesis"

if [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null)" = "schemathesis, version $VERSION" ]; then
  echo "$PWD/$BIN"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "install-schemathesis: $PYTHON not found; install Python 3.10+ (apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "install-schemathesis: schemathesis $VERSION needs Python 3.10+, $PYTHON is $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi
rm -rf "$VENV"
if ! "$PYTHON" -m venv "$VENV" >&2; then
  echo "install-schemathesis: '$PYTHON -m venv' failed; install the venv module (apt-get install python3-venv)" >&2
  rm -rf "$VENV"
  exit 1
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$VERSION" >&2
"$BIN" --version >&2
echo "$PWD/$BIN"
