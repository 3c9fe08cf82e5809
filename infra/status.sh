#!/usr/bin/env bash
# Prints whether Kafka and Elasticsearch answer on loopback; exits non-zero if either is down.
set -uo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
failed=0
"$here/kafka.sh" status || failed=1
"$here/elasticsearch.sh" status || failed=1
exit "$failed"
