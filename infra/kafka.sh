#!/usr/bin/env bash
# A real single-node Kafka in KRaft mode on loopback, without Docker: the broker's jars come from
# Maven Central through the machine's `mvn` and run on the machine's Java.
#
#   infra/kafka.sh install | start | stop | purge | status
#
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m),
# KAFKA_VERSION_RANGE ([4.1,4.5)), INFRA_CACHE (~/.cache/drug-monitor/infra).
# Each port gets its own data directory, so a test can run a second broker beside the first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_VERSION_RANGE="${KAFKA_VERSION_RANGE:-[4.1,4.5)}"

KAFKA_HOME="$INFRA_CACHE/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
NODE_DIR="$KAFKA_HOME/node-$KAFKA_PORT"
PIDFILE="$NODE_DIR/kafka.pid"

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
  cat >"$NODE_DIR/server.properties" <<EOF
# Written by infra/kafka.sh: one process is both broker and KRaft controller, on loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$NODE_DIR/data
# One node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
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
  local cluster_id
  set_java_cmd
  cluster_id="$("${JAVA[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  "${JAVA[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$NODE_DIR/server.properties" --standalone >>"$NODE_DIR/kafka.log" 2>&1 ||
    die "formatting storage failed; see $NODE_DIR/kafka.log"
}

start() {
  install
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
  # setsid: the broker must outlive the shell or test runner that started it. The inner shell
  # writes its own pid and then becomes java, so the pid file names the broker itself. `9>&-`: the
  # broker must not inherit (and hold forever) the lock taken below.
  set_java_cmd
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" "${JAVA[@]}" kafka.Kafka "$NODE_DIR/server.properties" \
    >>"$NODE_DIR/kafka.log" 2>&1 </dev/null 9>&- &
  local started=$SECONDS launched=$!
  # Stop waiting as soon as the JVM has died (a taken port, a bad setting): no 90 s for nothing.
  listening_or_dead() { port_open "$KAFKA_PORT" || ! kill -0 "$launched" 2>/dev/null; }
  if ! wait_until 90 "Kafka on port $KAFKA_PORT" listening_or_dead || ! port_open "$KAFKA_PORT"; then
    tail -n 30 "$NODE_DIR/kafka.log" >&2 || true
    die "Kafka did not start; log: $NODE_DIR/kafka.log"
  fi
  log "Kafka listening on 127.0.0.1:$KAFKA_PORT after $((SECONDS - started))s (pid $(cat "$PIDFILE"), log $NODE_DIR/kafka.log)"
}

stop() {
  stop_pid "$PIDFILE" "Kafka on port $KAFKA_PORT"
}

status() {
  if port_open "$KAFKA_PORT"; then
    echo "kafka: up on 127.0.0.1:$KAFKA_PORT$(pid_alive "$PIDFILE" && echo " (pid $(cat "$PIDFILE"))")"
  else
    echo "kafka: down (port $KAFKA_PORT)"
    return 1
  fi
}

# Stops the node and deletes its data (the download stays): for throwaway nodes in tests.
purge() {
  stop
  rm -rf "$NODE_DIR"
}

mkdir -p "$KAFKA_HOME"
case "${1:-}" in
  install | start | stop | purge)
    # One caller at a time: parallel test workers may all ask for the broker at once.
    exec 9>"$KAFKA_HOME/.lock"
    flock 9
    "$1"
    ;;
  status) status ;;
  *) die "usage: $0 install|start|stop|purge|status" ;;
esac
