#!/usr/bin/env bash
# Prints whether Kafka and Elasticsearch answer on loopback; exits non-zero if either is down.
#
#   infra/status.sh [--nodes N]
#
# Without options: the single nodes, and the clusters up.sh last started, if any, node by node.
# With --nodes N: the N-node clusters from KAFKA_PORT and ES_HTTP_PORT up.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cluster_args "$@"
on_servers status
