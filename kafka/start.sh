#!/usr/bin/env bash
# Starts a real single-node Apache Kafka broker (KRaft) in the background and creates the topics of
# kafka/topics.txt. Fetches the broker jars through Maven on first use (into kafka/.broker, ignored).
#
#   kafka/start.sh                      # 127.0.0.1:9092, data in kafka/.data
#   KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 KAFKA_DATA_DIR=/tmp/k kafka/start.sh
#
# Idempotent: if the broker of this data directory is already running, it only (re)creates topics.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
DATA_DIR="${KAFKA_DATA_DIR:-$HERE/.data}"
HEAP="${KAFKA_HEAP:-512m}"
LIB="$HERE/.broker/lib"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-90}"

log() { echo "[kafka] $*"; }

fetch_broker() {
  if [[ -f "$HERE/.broker/fetched" ]]; then return; fi
  log "fetching the Kafka 4.4.0 broker jars through Maven into $LIB (first run only) ..."
  mkdir -p "$LIB"
  "$ROOT/mvnw" -B -q -f "$HERE/broker-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$LIB" -DincludeScope=runtime
  touch "$HERE/.broker/fetched"
}

is_running() {
  [[ -f "$DATA_DIR/kafka.pid" ]] && kill -0 "$(cat "$DATA_DIR/kafka.pid")" 2>/dev/null
}

render_config() {
  sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
    "$HERE/server.properties" > "$DATA_DIR/server.properties"
}

format_storage() {
  if [[ -f "$DATA_DIR/logs/meta.properties" ]]; then return; fi
  local cluster_id
  cluster_id="$(java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  log "formatting storage in $DATA_DIR/logs (cluster $cluster_id)"
  java -cp "$LIB/*" -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$DATA_DIR" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$DATA_DIR/server.properties" > "$DATA_DIR/format.log" 2>&1
}

start_broker() {
  : > "$DATA_DIR/server.log"
  # setsid: the broker gets its own session so Ctrl-C in the caller's terminal is handled by the caller.
  setsid java -Xms128m -Xmx"$HEAP" -XX:+UseG1GC -cp "$LIB/*" \
    -Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dkafka.logs.dir="$DATA_DIR" \
    kafka.Kafka "$DATA_DIR/server.properties" > "$DATA_DIR/stdout.log" 2>&1 < /dev/null &
  echo $! > "$DATA_DIR/kafka.pid"
  local pid deadline
  pid="$(cat "$DATA_DIR/kafka.pid")"
  deadline=$((SECONDS + START_TIMEOUT_S))
  # The port opens before the broker can serve; the log line is the real readiness signal.
  until grep -q "Kafka Server started" "$DATA_DIR/server.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during start-up; last lines of $DATA_DIR/server.log and stdout.log:"
      tail -n 20 "$DATA_DIR/server.log" "$DATA_DIR/stdout.log" >&2 || true
      rm -f "$DATA_DIR/kafka.pid"
      exit 1
    fi
    if (( SECONDS > deadline )); then
      log "broker not ready after ${START_TIMEOUT_S}s; see $DATA_DIR/server.log" >&2
      exit 1
    fi
    sleep 0.3
  done
  log "broker ready on 127.0.0.1:$PORT (pid $pid, data $DATA_DIR)"
}

create_topics() {
  java -cp "$LIB/*" "$HERE/CreateTopics.java" "127.0.0.1:$PORT" "$HERE/topics.txt"
}

fetch_broker
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
if is_running; then
  log "already running (pid $(cat "$DATA_DIR/kafka.pid"))"
else
  render_config
  format_storage
  start_broker
fi
create_topics
