#!/usr/bin/env bash
# Stops the servers that infra/up.sh started (data is kept for the next start).
#
#   infra/down.sh [--nodes N]
#
# Without options: the single nodes, and the clusters up.sh last started, if any. With --nodes N:
# the N-node clusters from KAFKA_PORT and ES_HTTP_PORT up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cluster_args "$@"
on_servers stop
rm -f "$CLUSTER_RECORD"
