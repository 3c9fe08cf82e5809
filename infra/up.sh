#!/usr/bin/env bash
# Starts the local production stack's servers (Kafka, then Elasticsearch) on loopback, each only
# if it is not already running. One after the other on purpose: on a 2-core machine starting
# both JVMs at once was slower (27 s) than in turn (23 s).
#
#   infra/up.sh [--nodes N]
#
# --nodes N (N > 1): an N-node Kafka cluster and an N-node Elasticsearch cluster instead, from
# KAFKA_PORT and ES_HTTP_PORT up. The choice is remembered, so that down.sh and status.sh without
# options act on the clusters too. Settings: see kafka.sh and elasticsearch.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/lib.sh"
cluster_args "$@"
if ((NODES == 1)); then
  "$here/kafka.sh" start
  "$here/elasticsearch.sh" start
  exit 0
fi
cluster_targets
# Recorded first: clusters that start only halfway must still be found by down.sh.
record_cluster
"$here/kafka.sh" start "${KAFKA_CLUSTER[@]}"
"$here/elasticsearch.sh" start "${ES_CLUSTER[@]}"
