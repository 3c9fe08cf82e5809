# Shared settings and small functions for the infra scripts (sourced, not run).
#
# Everything downloaded or written at run time lives outside the git tree, under INFRA_CACHE, so a
# second start skips the download and a `git clean` never deletes a broker's data.

INFRA_CACHE="${INFRA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drug-monitor/infra}"
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp: no netcat needed).
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND every half second.
wait_until() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "gave up after ${seconds}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# True when the pid file names a live process.
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# stop_pid PIDFILE NAME [KILL]: asks the process to stop (SIGTERM lets Kafka and Elasticsearch shut
# down cleanly), waits, and only then forces it. KILL: SIGKILL at once, no clean shutdown, as a
# crash would leave it (what the fault tests do to one node of a cluster).
stop_pid() {
  local pidfile="$1" name="$2" signal="${3:-TERM}"
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "$name is not running (no live pid file)"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  if [[ "$signal" == KILL ]]; then log "killing $name (pid $pid) with SIGKILL"; else log "stopping $name (pid $pid)"; fi
  kill -"$signal" "$pid" 2>/dev/null || true
  if ! wait_until 60 "$name to exit" bash -c "! kill -0 $pid 2>/dev/null"; then
    log "$name did not exit; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# A Java 17+ runtime: JAVA17_HOME if set, else the Debian OpenJDK 17, else any JDK under
# /usr/lib/jvm, else whatever `java` on the PATH belongs to.
find_java_home() {
  if [[ -n "${JAVA17_HOME:-}" ]]; then echo "$JAVA17_HOME"; return; fi
  local candidate
  for candidate in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/*17* /usr/lib/jvm/*; do
    if [[ -x "$candidate/bin/java" ]]; then echo "$candidate"; return; fi
  done
  local java
  java="$(command -v java)" || die "no Java found: install openjdk-17-jre-headless"
  dirname "$(dirname "$(readlink -f "$java")")"
}

# maven_fetch POMDIR GOAL ARGS...: runs the machine's Maven on a throwaway pom. Maven's own local
# repository (~/.m2) doubles as a second cache.
maven_fetch() {
  local pomdir="$1"
  shift
  command -v mvn >/dev/null || die "mvn not found: install the Debian package 'maven'"
  # Maven's output matters only when it fails.
  if ! mvn -B -Dstyle.color=never -f "$pomdir/pom.xml" "$@" >"$pomdir/mvn.log" 2>&1; then
    tail -n 40 "$pomdir/mvn.log" >&2
    return 1
  fi
}

# parse_cluster_options ARGS...: the options kafka.sh and elasticsearch.sh share. Sets NODES (1),
# BASE_PORT and SECOND_BASE_PORT (the controller or transport ports; both empty unless given) and
# ONLY_NODE (empty: every node).
parse_cluster_options() {
  NODES=1 BASE_PORT="" SECOND_BASE_PORT="" ONLY_NODE=""
  local name value
  while (($#)); do
    name="${1%%=*}"
    if [[ "$1" == *=* ]]; then
      value="${1#*=}"
      shift
    else
      (($# >= 2)) || die "$1 needs a value"
      value="$2"
      shift 2
    fi
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || die "$name needs a positive number, not '$value'"
    case "$name" in
      --nodes) NODES="$value" ;;
      --base-port) BASE_PORT="$value" ;;
      --controller-base-port | --transport-base-port) SECOND_BASE_PORT="$value" ;;
      --node) ONLY_NODE="$value" ;;
      *) die "unknown option $name (known: --nodes, --base-port, --controller-base-port, --transport-base-port, --node)" ;;
    esac
  done
  if [[ -n "$ONLY_NODE" ]] && ((ONLY_NODE > NODES)); then
    die "--node $ONLY_NODE: the cluster has only $NODES node(s)"
  fi
}

# The node --node names, or every node of the cluster (1 to NODES).
selected_nodes() {
  if [[ -n "$ONLY_NODE" ]]; then echo "$ONLY_NODE"; else seq 1 "$NODES"; fi
}

# in_parallel FUNCTION NODE...: runs FUNCTION NODE for every node at once; fails if any failed.
in_parallel() {
  local fn="$1" node jobs=() failed=0
  shift
  for node in "$@"; do
    "$fn" "$node" &
    jobs+=("$!")
  done
  for node in "${jobs[@]}"; do wait "$node" || failed=1; done
  return "$failed"
}

# listening_or_dead PORT PID: stop waiting as soon as the process has died (a taken port, a bad
# setting): no minutes of waiting for nothing.
listening_or_dead() { port_open "$1" || ! kill -0 "$2" 2>/dev/null; }

# --- What kafka.sh and elasticsearch.sh do alike, one node or a cluster. Each script defines
# select_node I (points NODE_ID, NODE_DIR, PIDFILE and NODE_PORTS, the node's client port first,
# at node I of the cluster), node_label (how the logs name the selected node), install, start,
# node_status (one line; fails when down) and cluster_summary UP TOTAL.

# Sets PENDING to the selected nodes that are not running yet. Dies before anything starts if one
# of their ports is taken: half a cluster beside a stranger's server is of no use.
pending_nodes() {
  local i port
  PENDING=()
  for i in $(selected_nodes); do
    select_node "$i"
    if pid_alive "$PIDFILE" && port_open "${NODE_PORTS[0]}"; then
      log "$(node_label) is already running (pid $(cat "$PIDFILE"))"
      continue
    fi
    for port in "${NODE_PORTS[@]}"; do
      port_open "$port" && die "port $port of $(node_label) is taken by something else; stop it or choose another --base-port"
    done
    PENDING+=("$i")
  done
}

stop_node() {
  select_node "$1"
  stop_pid "$PIDFILE" "$(node_label)" "${2:-TERM}"
}

stop() {
  if ((NODES == 1)); then
    stop_pid "$PIDFILE" "$(node_label)"
    return
  fi
  # All nodes at once: the last node of a Kafka cluster stopped alone would wait in vain for a
  # quorum of controllers to accept its controlled shutdown.
  # shellcheck disable=SC2046 # node numbers, split on purpose
  in_parallel stop_node $(selected_nodes)
}

kill_node() {
  ((NODES == 1)) || [[ -n "$ONLY_NODE" ]] || die "kill takes --node I: which node of the cluster to kill"
  stop_node "${ONLY_NODE:-1}" KILL
}

# Stops the node (or cluster) and deletes its data (the download stays): for throwaway nodes in tests.
purge() {
  stop
  if ((NODES > 1)) && [[ -z "$ONLY_NODE" ]]; then
    rm -rf "$CLUSTER_DIR"
  else
    select_node "${ONLY_NODE:-1}"
    rm -rf "$NODE_DIR"
  fi
}

status() {
  if ((NODES == 1)); then
    node_status
    return
  fi
  local i up=0 total=0
  for i in $(selected_nodes); do
    select_node "$i"
    total=$((total + 1))
    if node_status; then up=$((up + 1)); fi
  done
  cluster_summary "$up" "$total"
  ((up == total))
}

# dispatch HOME: runs the action named on the command line. HOME holds the lock.
dispatch() {
  case "$ACTION" in
    install | start | stop | purge)
      # One caller at a time: parallel test workers may all ask for the server at once.
      exec 9>"$1/.lock"
      flock 9
      if ((NODES > 1)); then
        [[ "$ACTION" == stop || "$ACTION" == purge ]] || install
        # A cluster has a lock of its own: starting it must not hold up tests that want the shared node.
        mkdir -p "$CLUSTER_DIR"
        exec 9>"$CLUSTER_DIR/.lock"
        flock 9
      fi
      "$ACTION"
      ;;
    status) status ;;
    kill) kill_node ;;
    *) die "usage: $0 install|start|stop|purge|status|kill [--nodes N] [--base-port P] [--controller-base-port C | --transport-base-port T] [--node I]" ;;
  esac
}

# What up.sh last started as clusters, so that down.sh and status.sh find them without options.
CLUSTER_RECORD="$INFRA_CACHE/up-cluster.sh"

# cluster_args ARGS...: up.sh, down.sh and status.sh take only --nodes N (sets NODES); the ports
# come from KAFKA_PORT and ES_HTTP_PORT as for one node.
cluster_args() {
  parse_cluster_options "$@"
  [[ -z "$BASE_PORT$SECOND_BASE_PORT$ONLY_NODE" ]] ||
    die "only --nodes is taken here; set KAFKA_PORT and ES_HTTP_PORT to move the clusters' ports"
}

# cluster_targets: sets KAFKA_CLUSTER and ES_CLUSTER, the two scripts' options for the clusters:
# from --nodes and the ports' environment when given, or else as up.sh recorded them.
cluster_targets() {
  if ((NODES > 1)); then
    KAFKA_CLUSTER=(--nodes "$NODES" --base-port "${KAFKA_PORT:-9092}")
    ES_CLUSTER=(--nodes "$NODES" --base-port "${ES_HTTP_PORT:-9200}")
  else
    source "$CLUSTER_RECORD"
  fi
}

record_cluster() {
  mkdir -p "$INFRA_CACHE"
  printf 'KAFKA_CLUSTER=(%s)\nES_CLUSTER=(%s)\n' "${KAFKA_CLUSTER[*]}" "${ES_CLUSTER[*]}" >"$CLUSTER_RECORD"
}

# on_servers ACTION: stop or status of both servers: the single nodes without --nodes, and the
# clusters of --nodes N or the ones up.sh recorded. Fails if any of them failed.
on_servers() {
  local failed=0
  if ((NODES == 1)); then
    "$INFRA_DIR/kafka.sh" "$1" || failed=1
    "$INFRA_DIR/elasticsearch.sh" "$1" || failed=1
  fi
  if ((NODES > 1)) || [[ -f "$CLUSTER_RECORD" ]]; then
    cluster_targets
    "$INFRA_DIR/kafka.sh" "$1" "${KAFKA_CLUSTER[@]}" || failed=1
    "$INFRA_DIR/elasticsearch.sh" "$1" "${ES_CLUSTER[@]}" || failed=1
  fi
  return "$failed"
}
