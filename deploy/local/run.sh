#!/usr/bin/env bash
# The run command: starts a real Kafka broker, OpenBao and PostgreSQL (each only if not already running),
# then the plugin host in Quarkus dev mode with plugins/ loaded. Ctrl-C stops everything it started.
#
#   deploy/local/run.sh
#
# Ports: Kafka 9092 (controller 9093), OpenBao 8200, PostgreSQL 15432, the host 8080.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="$ROOT/deploy/local/.data"
PG_PORT="${PG_PORT:-15432}"
mkdir -p "$DATA"
cd "$ROOT"

started=()
pg_pid=""

cleanup() {
  trap - EXIT INT TERM
  trap '' PIPE   # the terminal or a pipe may be gone already: stopping the servers matters more than messages
  echo
  if [[ -n "$pg_pid" ]] && kill -0 "$pg_pid" 2>/dev/null; then
    kill "$pg_pid"; wait "$pg_pid" 2>/dev/null || true
  fi
  for s in "${started[@]}"; do "$ROOT/$s/stop.sh" || true; done
}
trap cleanup EXIT INT TERM

running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

running kafka/.data/kafka.pid || started+=(kafka)
running vault/.data/bao.pid || started+=(vault)

kafka/start.sh &
kafka_job=$!
vault/start.sh &
vault_job=$!

if (echo > "/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
  echo "[postgres] something already listens on $PG_PORT; using it"
else
  if [[ ! -s "$DATA/pg.classpath" || pom.xml -nt "$DATA/pg.classpath" ]]; then
    ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$DATA/pg.classpath"
  fi
  java -cp "$(cat "$DATA/pg.classpath")" deploy/local/PostgresServer.java "$PG_PORT" "$DATA/postgres" \
    > "$DATA/postgres.log" 2>&1 &
  pg_pid=$!
  until grep -q "ready on" "$DATA/postgres.log" 2>/dev/null; do
    kill -0 "$pg_pid" 2>/dev/null || { cat "$DATA/postgres.log"; exit 1; }
    sleep 0.3
  done
  echo "[postgres] ready on 127.0.0.1:$PG_PORT (pid $pg_pid)"
fi
wait "$kafka_job" "$vault_job"

export VAULT_TOKEN="$(cat vault/.data/host-token)"
cat <<INFO

  ApexAgent Plugin Host (dev mode) — starting on http://localhost:8080
    API        http://localhost:8080/plugins
    Health     http://localhost:8080/q/health
    Metrics    http://localhost:8080/q/metrics
    OpenAPI    http://localhost:8080/q/openapi   (UI: http://localhost:8080/q/swagger-ui)
  The API needs a user (dev users: viewer/viewer-dev, operator/operator-dev, admin/admin-dev).
  Try an action over REST:
    curl -s -u operator:operator-dev -XPOST localhost:8080/plugins/echo/actions/echo -H 'content-type: application/json' -d '{"text":"hi"}'
  Ctrl-C stops the host and the servers this command started.

INFO
./mvnw -B -q quarkus:dev -Dquarkus.console.enabled=false -Dquarkus.analytics.disabled=true -Ddebug=false
