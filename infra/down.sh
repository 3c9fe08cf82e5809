#!/usr/bin/env bash
# Stops the servers that infra/up.sh started (data is kept for the next start).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
failed=0
"$here/kafka.sh" stop || failed=1
"$here/elasticsearch.sh" stop || failed=1
exit "$failed"
