#!/usr/bin/env bash
# A real Kafka in KRaft mode on loopback, without Docker: the broker's jars come from Maven Central
# through the machine's `mvn` and run on the machine's Java. One node by default; with --nodes N a
# cluster of N nodes, each both broker and controller.
#
#   infra/kafka.sh install | start | stop | purge | status | kill  [cluster options]
#
# Cluster options: --nodes N (1), --base-port P (KAFKA_PORT; node i listens on P+i-1),
# --controller-base-port C (P+100; node i's controller on C+i-1), --node I (start, stop, kill or
# report only node I, e.g. to restart the one a fault test killed). `kill` sends SIGKILL.
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093, one node only),
# KAFKA_HEAP (512m; 256m per node of a cluster), KAFKA_VERSION_RANGE ([4.1,4.5)), INFRA_CACHE
# (~/.cache/drug-monitor/infra). Each port gets its own data directory, so a test can run a second
# broker or a whole cluster beside the first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ACTION="${1:-}"
shift || true
parse_cluster_options "$@"

KAFKA_PORT="${BASE_PORT:-${KAFKA_PORT:-9092}}"
KAFKA_VERSION_RANGE="${KAFKA_VERSION_RANGE:-[4.1,4.5)}"

KAFKA_HOME="$INFRA_CACHE/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
if ((NODES == 1)); then
  KAFKA_CONTROLLER_PORT="${SECOND_BASE_PORT:-${KAFKA_CONTROLLER_PORT:-9093}}"
  KAFKA_HEAP="${KAFKA_HEAP:-512m}"
  NODE_ID=1
  NODE_DIR="$KAFKA_HOME/node-$KAFKA_PORT"
  PIDFILE="$NODE_DIR/kafka.pid"
else
  BROKER_BASE_PORT="$KAFKA_PORT"
  CONTROLLER_BASE_PORT="${SECOND_BASE_PORT:-$((KAFKA_PORT + 100))}"
  KAFKA_HEAP="${KAFKA_HEAP:-256m}"
  CLUSTER_DIR="$KAFKA_HOME/cluster-$BROKER_BASE_PORT"
fi

# select_node I: points the per-node variables (ports, directory, pid file) at node I of the
# cluster; a single node has them from the start.
select_node() {
  if ((NODES == 1)); then return 0; fi
  NODE_ID="$1"
  KAFKA_PORT=$((BROKER_BASE_PORT + NODE_ID - 1))
  KAFKA_CONTROLLER_PORT=$((CONTROLLER_BASE_PORT + NODE_ID - 1))
  NODE_DIR="$CLUSTER_DIR/node-$NODE_ID"
  PIDFILE="$NODE_DIR/kafka.pid"
  NODE_PORTS=("$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT")
}

node_label() {
  if ((NODES == 1)); then echo "Kafka on port $KAFKA_PORT"; else echo "Kafka node $NODE_ID on port $KAFKA_PORT"; fi
}

# The bootstrap list clients get, and the static controller quorum every node is given.
brokers_list() {
  local i list=()
  for ((i = 1; i <= NODES; i++)); do list+=("127.0.0.1:$((BROKER_BASE_PORT + i - 1))"); done
  (IFS=,; echo "${list[*]}")
}

voters_list() {
  local i list=()
  for ((i = 1; i <= NODES; i++)); do list+=("$i@127.0.0.1:$((CONTROLLER_BASE_PORT + i - 1))"); done
  (IFS=,; echo "${list[*]}")
}

kafka_version() {
  local jar
  jar="$(ls "$KAFKA_LIBS"/kafka_2.13-*.jar 2>/dev/null | grep -v -e sources -e test | head -n1)"
  [[ -n "$jar" ]] && basename "$jar" .jar | sed 's/^kafka_2.13-//'
}

install() {
  if [[ -f "$KAFKA_LIBS/.complete" ]]; then
    return 0
  fi
  log "fetching Kafka $KAFKA_VERSION_RANGE and log4j from Maven into $KAFKA_LIBS"
  local work
  work="$(mktemp -d)"
  # A throwaway pom: copy-dependencies resolves the version range and the whole runtime classpath.
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>drug-monitor.infra</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>$KAFKA_VERSION_RANGE</version>
    </dependency>
    <!-- Kafka logs through slf4j; without a binding it says nothing, even when it fails to start.
         slf4j-api 2 is declared here so that it wins over Kafka's 1.7 and finds log4j's provider.
         The upper bounds keep log4j 3 and slf4j 2.1 pre-releases out. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>[2.0,2.1)</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j2-impl</artifactId>
      <version>[2.24,2.99)</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>[2.24,2.99)</version>
    </dependency>
  </dependencies>
</project>
EOF
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$KAFKA_LIBS"
  maven_fetch "$work" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS"
  rm -rf "$work"
  [[ -n "$(kafka_version)" ]] || die "Maven did not deliver kafka_2.13"
  touch "$KAFKA_LIBS/.complete"
  log "Kafka $(kafka_version): $(ls "$KAFKA_LIBS" | wc -l) jars"
}

write_config() {
  mkdir -p "$NODE_DIR/data"
  local quorum replication
  if ((NODES == 1)); then
    quorum="controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT"
    replication='# One node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1'
  else
    # A fixed set of voters: every node knows the whole quorum from the start, nothing to bootstrap.
    quorum="controller.quorum.voters=$(voters_list)"
    # Three copies of everything, and a write needs two of them: any one node may die unnoticed.
    replication='offsets.topic.replication.factor=3
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
default.replication.factor=3
min.insync.replicas=2'
  fi
  cat >"$NODE_DIR/server.properties" <<EOF
# Written by infra/kafka.sh: one process is both broker and KRaft controller, on loopback only.
process.roles=broker,controller
node.id=$NODE_ID
$quorum
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$NODE_DIR/data
$replication
# The default 3 s pause before a group's first rebalance only slows tests and restarts down.
group.initial.rebalance.delay.ms=0
# The project creates its topics itself with partitions from config; a typo should not create one.
auto.create.topics.enable=false
num.partitions=3
EOF
  cat >"$NODE_DIR/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
# Keep the start and stop lines, which say when the broker is up.
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = info
EOF
}

# Fills the array JAVA with the command line that runs a class from Kafka's jars.
set_java_cmd() {
  JAVA=("$(find_java_home)/bin/java" -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$NODE_DIR/log4j2.properties" -cp "$KAFKA_LIBS/*")
}

format_storage() {
  if [[ -f "$NODE_DIR/data/meta.properties" ]]; then
    return 0
  fi
  log "formatting KRaft storage in $NODE_DIR/data"
  local cluster_id standalone=(--standalone)
  set_java_cmd
  if ((NODES == 1)); then
    cluster_id="$("${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  else
    # All nodes of a cluster share one id; --standalone would make each its own one-voter quorum.
    if [[ ! -s "$CLUSTER_DIR/cluster.id" ]]; then
      "${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 >"$CLUSTER_DIR/cluster.id"
    fi
    cluster_id="$(cat "$CLUSTER_DIR/cluster.id")"
    standalone=()
  fi
  "${JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$NODE_DIR/server.properties" "${standalone[@]}" >>"$NODE_DIR/kafka.log" 2>&1 ||
    die "formatting storage failed; see $NODE_DIR/kafka.log"
}

# Starts the JVM in the background with the written config; LAUNCHED is the pid of the broker.
launch() {
  # setsid: the broker must outlive the shell or test runner that started it. The inner shell
  # writes its own pid and then becomes java, so the pid file names the broker itself. `9>&-`: the
  # broker must not inherit (and hold forever) the lock taken below.
  set_java_cmd
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" "${JAVA[@]}" kafka.Kafka "$NODE_DIR/server.properties" \
    >>"$NODE_DIR/kafka.log" 2>&1 </dev/null 9>&- &
  LAUNCHED=$!
}

start() {
  install
  if ((NODES > 1)); then
    start_cluster
    return
  fi
  if pid_alive "$PIDFILE" && port_open "$KAFKA_PORT"; then
    log "Kafka already running on 127.0.0.1:$KAFKA_PORT (pid $(cat "$PIDFILE"))"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    log "something else already listens on 127.0.0.1:$KAFKA_PORT; not starting a second broker"
    return 0
  fi
  write_config
  format_storage
  log "starting Kafka $(kafka_version) on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  launch
  local started=$SECONDS launched=$LAUNCHED
  if ! wait_until 90 "Kafka on port $KAFKA_PORT" listening_or_dead "$KAFKA_PORT" "$launched" || ! port_open "$KAFKA_PORT"; then
    tail -n 30 "$NODE_DIR/kafka.log" >&2 || true
    die "Kafka did not start; log: $NODE_DIR/kafka.log"
  fi
  log "Kafka listening on 127.0.0.1:$KAFKA_PORT after $((SECONDS - started))s (pid $(cat "$PIDFILE"), log $NODE_DIR/kafka.log)"
}

# started_or_dead LOG_OFFSET PID: a broker's port opens before it has caught up with the metadata
# and been unfenced; the log line past LOG_OFFSET says when it has.
# Not `tail | grep -q`: under pipefail, grep -q leaving at the first match can kill tail with
# SIGPIPE while it still writes, and the pipeline then says "not started" of a started node.
node_started() { grep -q 'Kafka Server started' < <(tail -c +"$(($1 + 1))" "$NODE_DIR/kafka.log" 2>/dev/null); }
started_or_dead() { node_started "$1" || ! kill -0 "$2" 2>/dev/null; }

node_failed() {
  tail -n 30 "$NODE_DIR/kafka.log" >&2 || true
  die "Kafka node $NODE_ID did not start; log: $NODE_DIR/kafka.log"
}

start_cluster() {
  mkdir -p "$CLUSTER_DIR"
  local i offsets=() pids=()
  pending_nodes
  local started=$SECONDS
  for i in "${PENDING[@]}"; do
    select_node "$i"
    write_config
    format_storage
    offsets[i]="$(stat -c %s "$NODE_DIR/kafka.log" 2>/dev/null || echo 0)"
    log "starting Kafka $(kafka_version) node $i of $NODES on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
    launch
    pids[i]=$LAUNCHED
    # One JVM at a time (2 cores), but no node finishes starting before a majority of the voters
    # runs: the next one starts as soon as this one's controller listens.
    wait_until 90 "Kafka node $i's controller on port $KAFKA_CONTROLLER_PORT" listening_or_dead "$KAFKA_CONTROLLER_PORT" "${pids[i]}" || true
    kill -0 "${pids[i]}" 2>/dev/null || node_failed
  done
  for i in "${PENDING[@]}"; do
    select_node "$i"
    wait_until 120 "Kafka node $i to join the cluster" started_or_dead "${offsets[i]}" "${pids[i]}" || true
    node_started "${offsets[i]}" || node_failed
  done
  ((${#PENDING[@]} == 0)) || log "Kafka node(s) ${PENDING[*]} of $NODES up after $((SECONDS - started))s (logs $CLUSTER_DIR/node-*/kafka.log)"
  echo "KAFKA_BROKERS=$(brokers_list)"
}

node_status() {
  if ! port_open "$KAFKA_PORT"; then
    if ((NODES == 1)); then echo "kafka: down (port $KAFKA_PORT)"; else echo "kafka node $NODE_ID: down (port $KAFKA_PORT)"; fi
    return 1
  fi
  local pid=""
  pid_alive "$PIDFILE" && pid=" (pid $(cat "$PIDFILE"))"
  if ((NODES == 1)); then
    echo "kafka: up on 127.0.0.1:$KAFKA_PORT$pid"
  else
    echo "kafka node $NODE_ID: up on 127.0.0.1:$KAFKA_PORT, controller $KAFKA_CONTROLLER_PORT$pid"
  fi
}

cluster_summary() {
  echo "kafka cluster: $1 of $2 nodes up; KAFKA_BROKERS=$(brokers_list)"
}

mkdir -p "$KAFKA_HOME"
dispatch "$KAFKA_HOME"
