#!/usr/bin/env bash
# A real Elasticsearch on loopback, without Docker: the integration-test zip of the real server,
# fetched from Maven Central through the machine's `mvn`, run on the machine's Java. One node by
# default; with --nodes N a cluster of N master-eligible data nodes.
#
#   infra/elasticsearch.sh install | start | stop | purge | status | kill  [cluster options]
#
# Cluster options: --nodes N (1), --base-port P (ES_HTTP_PORT; node i answers HTTP on P+i-1),
# --transport-base-port T (P+100; node i's transport port is T+i-1), --node I (start, stop, kill
# or report only node I). `kill` sends SIGKILL.
#
# Settings (environment): ES_HTTP_PORT (9200), ES_TRANSPORT_PORT (9300, one node only), ES_HEAP
# (512m; 384m per node of a cluster), ES_VERSION_RANGE ([8.19,8.20)), ES_USER (monitor-es, used
# when run as root), ES_ROOT (where the server is unpacked and keeps its data), ES_ENGINE (auto |
# elasticsearch | opensearch).
#
# Elasticsearch refuses to run as root. Run as root (as CI does), this script creates the
# unprivileged user ES_USER and keeps the server under that user's home, because root's own cache
# (~root is mode 700) is out of its reach. Run as anyone else, the server runs as that user from
# INFRA_CACHE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ACTION="${1:-}"
shift || true
parse_cluster_options "$@"

ES_HTTP_PORT="${BASE_PORT:-${ES_HTTP_PORT:-9200}}"
ES_VERSION_RANGE="${ES_VERSION_RANGE:-[8.19,8.20)}"
# OpenSearch 2.x is the nearest engine that still runs on Java 17 (3.x needs 21).
OS_VERSION_RANGE="${OS_VERSION_RANGE:-[2.11,3)}"
ES_ENGINE="${ES_ENGINE:-auto}"

if [[ $EUID -eq 0 ]]; then
  ES_USER="${ES_USER:-monitor-es}"
  ensure_user() {
    if ! id -u "$ES_USER" >/dev/null 2>&1; then
      log "creating the unprivileged user $ES_USER to run Elasticsearch"
      useradd --system --create-home --home-dir "/var/lib/$ES_USER" --shell /usr/sbin/nologin "$ES_USER"
    fi
  }
  ensure_user
  ES_ROOT="${ES_ROOT:-$(getent passwd "$ES_USER" | cut -d: -f6)/drug-monitor}"
  RUN_AS=(runuser -u "$ES_USER" -- env HOME="$ES_ROOT")
  give_to_es_user() { chown -R "$ES_USER:" "$@"; }
else
  ES_USER="$(id -un)"
  ES_ROOT="${ES_ROOT:-$INFRA_CACHE/elasticsearch}"
  RUN_AS=(env)
  give_to_es_user() { :; }
fi

if ((NODES == 1)); then
  ES_TRANSPORT_PORT="${SECOND_BASE_PORT:-${ES_TRANSPORT_PORT:-9300}}"
  ES_HEAP="${ES_HEAP:-512m}"
  NODE_ID=1
  NODE_DIR="$ES_ROOT/node-$ES_HTTP_PORT"
  PIDFILE="$NODE_DIR/server.pid"
else
  HTTP_BASE_PORT="$ES_HTTP_PORT"
  TRANSPORT_BASE_PORT="${SECOND_BASE_PORT:-$((ES_HTTP_PORT + 100))}"
  ES_HEAP="${ES_HEAP:-384m}"
  CLUSTER_DIR="$ES_ROOT/cluster-$HTTP_BASE_PORT"
fi

# select_node I: points the per-node variables (ports, directory, pid file) at node I of the
# cluster; a single node has them from the start.
select_node() {
  if ((NODES == 1)); then return 0; fi
  NODE_ID="$1"
  ES_HTTP_PORT=$((HTTP_BASE_PORT + NODE_ID - 1))
  ES_TRANSPORT_PORT=$((TRANSPORT_BASE_PORT + NODE_ID - 1))
  NODE_DIR="$CLUSTER_DIR/node-$NODE_ID"
  PIDFILE="$NODE_DIR/server.pid"
  NODE_PORTS=("$ES_HTTP_PORT" "$ES_TRANSPORT_PORT")
}

node_label() {
  if ((NODES == 1)); then echo "search server on port $ES_HTTP_PORT"; else echo "search server node $NODE_ID on port $ES_HTTP_PORT"; fi
}

# cluster_list seeds | names | urls: the cluster's nodes as a comma-separated list of transport
# addresses, node names or HTTP URLs.
cluster_list() {
  local i list=()
  for ((i = 0; i < NODES; i++)); do
    case "$1" in
      seeds) list+=("127.0.0.1:$((TRANSPORT_BASE_PORT + i))") ;;
      names) list+=("$(engine)-$((HTTP_BASE_PORT + i))") ;;
      urls) list+=("http://127.0.0.1:$((HTTP_BASE_PORT + i))") ;;
    esac
  done
  (IFS=,; echo "${list[*]}")
}

# fetch GROUP ARTIFACT RANGE: unpacks the zip into $ES_ROOT/dist; fails if Maven does not serve it.
fetch() {
  local work
  work="$(mktemp -d)"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>drug-monitor.infra</groupId>
  <artifactId>search-server</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>$1</groupId>
      <artifactId>$2</artifactId>
      <version>$3</version>
      <type>zip</type>
    </dependency>
  </dependencies>
</project>
EOF
  # unpack-dependencies (not `unzip`, which a fresh machine may lack) keeps the zip's exec bits.
  local status=0
  maven_fetch "$work" dependency:unpack-dependencies -DoutputDirectory="$ES_ROOT/dist" || status=$?
  rm -rf "$work"
  return $status
}

install() {
  if [[ -f "$ES_ROOT/dist/.complete" ]]; then
    return 0
  fi
  rm -rf "$ES_ROOT/dist"
  mkdir -p "$ES_ROOT/dist"
  local engine="$ES_ENGINE"
  if [[ "$engine" != opensearch ]]; then
    log "fetching Elasticsearch $ES_VERSION_RANGE (integ-test-zip) from Maven into $ES_ROOT/dist"
    if fetch org.elasticsearch.distribution.integ-test-zip elasticsearch "$ES_VERSION_RANGE"; then
      engine=elasticsearch
    elif [[ "$engine" == auto ]]; then
      log "Elasticsearch $ES_VERSION_RANGE is not served; falling back to OpenSearch $OS_VERSION_RANGE"
      engine=opensearch
    else
      die "Maven did not serve Elasticsearch $ES_VERSION_RANGE"
    fi
  fi
  if [[ "$engine" == opensearch ]]; then
    fetch org.opensearch.distribution.integ-test-zip opensearch "$OS_VERSION_RANGE" ||
      die "Maven served neither Elasticsearch $ES_VERSION_RANGE nor OpenSearch $OS_VERSION_RANGE"
  fi
  local home
  home="$(ls -d "$ES_ROOT/dist/$engine"-*/ | head -n1)"
  [[ -x "$home/bin/$engine" ]] || die "unpacked $engine has no bin/$engine"
  echo "$engine" >"$ES_ROOT/dist/engine"
  basename "$home" >"$ES_ROOT/dist/home"
  touch "$ES_ROOT/dist/.complete"
  give_to_es_user "$ES_ROOT"
  log "installed $(basename "$home") in $ES_ROOT/dist"
}

engine() { cat "$ES_ROOT/dist/engine"; }
server_home() { echo "$ES_ROOT/dist/$(cat "$ES_ROOT/dist/home")"; }

# Status code of a GET on loopback, through bash's /dev/tcp so that no curl is needed.
http_status() {
  local port="$1" path="$2" code
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  read -r -t 10 _ code _ <&3 || code=""
  exec 3>&-
  echo "$code"
}

# GET / answers 405 on this distribution (no root handler in its modules): ask the cluster instead.
ready() {
  [[ "$(http_status "$ES_HTTP_PORT" '/_cluster/health?wait_for_status=yellow&timeout=1s' 2>/dev/null)" == 200 ]]
}

prepare_node() {
  mkdir -p "$NODE_DIR/data" "$NODE_DIR/logs"
  if [[ ! -d "$NODE_DIR/config" ]]; then
    # Each node gets its own copy of config/ (the server writes its keystore there).
    cp -r "$(server_home)/config" "$NODE_DIR/config"
    mkdir -p "$NODE_DIR/config/jvm.options.d"
    # The stock options keep up to 2 GB of GC logs; a test server does not need them.
    printf '%s\n' '-Xlog:disable' '-Xlog:all=warning:stderr:utctime,level,tags' \
      >"$NODE_DIR/config/jvm.options.d/drug-monitor.options"
  fi
  give_to_es_user "$NODE_DIR"
}

# Runs the server's launcher for the selected node. -d: it returns once the node has started (or
# failed to); a node of a cluster that has no majority of masters yet takes up to 30 s for that.
launch() {
  local engine java_home prefix
  engine="$(engine)"
  java_home="$(find_java_home)"
  # Same server, different names for the same knobs.
  if [[ "$engine" == elasticsearch ]]; then prefix=ES; else prefix=OPENSEARCH; fi
  local settings=(
    -E node.name="$engine-$ES_HTTP_PORT"
    -E path.data="$NODE_DIR/data"
    -E path.logs="$NODE_DIR/logs"
    -E network.host=127.0.0.1
    -E http.port="$ES_HTTP_PORT"
    -E transport.port="$ES_TRANSPORT_PORT"
    # A nearly full disk would otherwise turn every index read-only in the middle of a test.
    -E cluster.routing.allocation.disk.threshold_enabled=false
  )
  if ((NODES == 1)); then
    settings+=(-E cluster.name=drug-monitor -E discovery.type=single-node)
  else
    # Its own name per cluster, so that no node ever joins a cluster on other ports by mistake.
    # The initial masters only matter on the very first start, when the cluster elects its first.
    settings+=(-E cluster.name="drug-monitor-$HTTP_BASE_PORT"
      -E discovery.seed_hosts="$(cluster_list seeds)"
      -E cluster.initial_master_nodes="$(cluster_list names)")
  fi
  # Loopback only, so no TLS or users: the integ-test zip still carries x-pack security.
  [[ "$engine" == elasticsearch ]] && settings+=(-E xpack.security.enabled=false)
  rm -f "$PIDFILE"
  # setsid keeps the server out of the caller's process group (a test runner's Ctrl-C must not
  # take it down); 9>&- releases the lock held below.
  (cd "$NODE_DIR" && setsid "${RUN_AS[@]}" "${prefix}_JAVA_HOME=$java_home" "${prefix}_JAVA_OPTS=-Xms$ES_HEAP -Xmx$ES_HEAP" \
    "${prefix}_PATH_CONF=$NODE_DIR/config" "$(server_home)/bin/$engine" -d -p "$PIDFILE" "${settings[@]}" \
    >"$NODE_DIR/logs/console.log" 2>&1 </dev/null 9>&-)
}

start() {
  install
  if ((NODES > 1)); then
    start_cluster
    return
  fi
  if ready; then
    log "$(engine) already running on 127.0.0.1:$ES_HTTP_PORT"
    return 0
  fi
  if port_open "$ES_HTTP_PORT"; then
    if pid_alive "$PIDFILE"; then
      log "$(engine) is starting on 127.0.0.1:$ES_HTTP_PORT; waiting for it"
      wait_until 120 "$(engine) health" ready || die "$(engine) on $ES_HTTP_PORT listens but is not healthy"
      return 0
    fi
    die "something else listens on 127.0.0.1:$ES_HTTP_PORT and does not answer /_cluster/health"
  fi
  prepare_node
  local engine
  engine="$(engine)"
  log "starting $(cat "$ES_ROOT/dist/home") on 127.0.0.1:$ES_HTTP_PORT as $ES_USER"
  local started=$SECONDS
  launch || node_failed
  if ! wait_until 120 "$engine health on port $ES_HTTP_PORT" ready; then
    tail -n 40 "$NODE_DIR/logs/console.log" >&2 || true
    die "$engine did not become healthy; see $NODE_DIR/logs"
  fi
  log "$engine healthy on 127.0.0.1:$ES_HTTP_PORT after $((SECONDS - started))s (pid $(cat "$PIDFILE"), logs $NODE_DIR/logs)"
}

node_failed() {
  tail -n 40 "$NODE_DIR/logs/console.log" >&2 || true
  die "$(engine) on port $ES_HTTP_PORT did not start; see $NODE_DIR/logs"
}

# The selected node is part of a cluster of all NODES nodes (not just listening on its own).
joined() {
  [[ "$(http_status "$ES_HTTP_PORT" "/_cluster/health?wait_for_nodes=$NODES&timeout=1s" 2>/dev/null)" == 200 ]]
}

# Readiness of the whole cluster: every node in, every shard (replicas too) allocated.
green() {
  [[ "$(http_status "$ES_HTTP_PORT" "/_cluster/health?wait_for_status=green&wait_for_nodes=$NODES&timeout=1s" 2>/dev/null)" == 200 ]]
}

start_cluster() {
  mkdir -p "$CLUSTER_DIR"
  local i launchers=()
  pending_nodes
  local started=$SECONDS
  for i in "${PENDING[@]}"; do
    select_node "$i"
    prepare_node
    log "starting $(cat "$ES_ROOT/dist/home") node $i of $NODES on 127.0.0.1:$ES_HTTP_PORT (transport $ES_TRANSPORT_PORT) as $ES_USER"
    # In the background: the first node's launcher returns only once a majority of masters runs.
    launch &
    launchers[i]=$!
    # One JVM at a time (2 cores): the next starts once this one can be discovered.
    wait_until 120 "$(engine) node $i's transport port $ES_TRANSPORT_PORT" listening_or_dead "$ES_TRANSPORT_PORT" "${launchers[i]}" || true
    port_open "$ES_TRANSPORT_PORT" || node_failed
  done
  for i in "${PENDING[@]}"; do
    select_node "$i"
    wait "${launchers[i]}" || node_failed
  done
  if [[ -n "$ONLY_NODE" ]]; then
    wait_until 180 "$(engine) node $ONLY_NODE to join the cluster" joined || node_failed
  else
    select_node 1
    wait_until 180 "$(engine) cluster of $NODES nodes to turn green" green || die "the cluster did not turn green; logs: $CLUSTER_DIR/node-*/logs"
  fi
  ((${#PENDING[@]} == 0)) || log "$(engine) node(s) ${PENDING[*]} of $NODES up after $((SECONDS - started))s (logs $CLUSTER_DIR/node-*/logs)"
  echo "ELASTICSEARCH_URL=http://127.0.0.1:$HTTP_BASE_PORT"
  echo "ELASTICSEARCH_NODES=$(cluster_list urls)"
}

# Body of a GET on loopback; HTTP/1.0, so the server closes the connection after it.
http_body() {
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  while IFS= read -r -t 10 line <&3 && [[ -n "${line%$'\r'}" ]]; do :; done
  timeout 10 cat <&3
  exec 3>&-
}

node_status() {
  if ! ready; then
    if ((NODES == 1)); then echo "elasticsearch: down (port $ES_HTTP_PORT)"; else echo "elasticsearch node $NODE_ID: down (port $ES_HTTP_PORT)"; fi
    return 1
  fi
  if ((NODES == 1)); then
    echo "elasticsearch: up on 127.0.0.1:$ES_HTTP_PORT ($(cat "$ES_ROOT/dist/home" 2>/dev/null || echo 'not ours'))"
    return 0
  fi
  echo "elasticsearch node $NODE_ID: up on 127.0.0.1:$ES_HTTP_PORT, transport $ES_TRANSPORT_PORT$(pid_alive "$PIDFILE" && echo " (pid $(cat "$PIDFILE"))")"
  # The cluster's own view, from the first node that answers.
  [[ -n "${HEALTH:-}" ]] || HEALTH="$(http_body "$ES_HTTP_PORT" '/_cluster/health?filter_path=status,number_of_nodes' 2>/dev/null || true)"
}

cluster_summary() {
  echo "elasticsearch cluster: $1 of $2 nodes up${HEALTH:+, health $HEALTH}; ELASTICSEARCH_URL=http://127.0.0.1:$HTTP_BASE_PORT"
}

mkdir -p "$ES_ROOT"
dispatch "$ES_ROOT"
