#!/usr/bin/env bash
# Starts the local production stack's servers (Kafka, then Elasticsearch) on loopback, each only
# if it is not already running. One after the other on purpose: on a 2-core machine starting
# both JVMs at once was slower (27 s) than in turn (23 s).
# Settings: see kafka.sh and elasticsearch.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
"$here/kafka.sh" start
"$here/elasticsearch.sh" start
