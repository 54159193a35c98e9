#!/usr/bin/env bash
# Stops the OpenBao dev server that vault/start.sh started for the same VAULT_DATA_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_DIR="${VAULT_DATA_DIR:-$HERE/.data}"
PID_FILE="$DATA_DIR/bao.pid"
if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  pid="$(cat "$PID_FILE")"
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  echo "[vault] stopped (pid $pid)"
else
  echo "[vault] not running"
fi
rm -f "$PID_FILE" "$DATA_DIR/host-token"
