#!/usr/bin/env bash
# Stops the broker that kafka/start.sh started for the same KAFKA_DATA_DIR. Data is kept;
# pass --wipe to delete it as well.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_DIR="${KAFKA_DATA_DIR:-$HERE/.data}"
PID_FILE="$DATA_DIR/kafka.pid"

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  pid="$(cat "$PID_FILE")"
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then echo "[kafka] broker $pid did not stop in 20 s; killing"; kill -9 "$pid"; fi
  echo "[kafka] stopped (pid $pid)"
else
  echo "[kafka] not running"
fi
rm -f "$PID_FILE"
if [[ "${1:-}" == "--wipe" ]]; then rm -rf "$DATA_DIR"; echo "[kafka] wiped $DATA_DIR"; fi
