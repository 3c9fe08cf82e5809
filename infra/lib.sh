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

# stop_pid PIDFILE NAME: asks the process to stop (SIGTERM lets Kafka and Elasticsearch shut down
# cleanly), waits, and only then forces it.
stop_pid() {
  local pidfile="$1" name="$2"
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    log "$name is not running (no live pid file)"
    return 0
  fi
  local pid
  pid="$(cat "$pidfile")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
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
