#!/usr/bin/env bash
# Parses PromQL expressions (the alert rules' `expr`) with Prometheus's own parser; prints those that do
# not parse and exits 1. The checker (deploy/promql-check, pinned by its go.sum) is built on first use from
# the Go module proxy into deploy/.tools (git-ignored), and again when its sources change.
#
#   deploy/check-promql.sh 'sum(rate(apex_actions_requests_total[5m]))' …
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SOURCES="$HERE/promql-check"
TOOLS="$HERE/.tools"
CHECKER="$TOOLS/promql-check"
STAMP="$(cat "$SOURCES/main.go" "$SOURCES/go.mod" "$SOURCES/go.sum" | sha256sum | cut -c1-16)"

if [[ ! -x "$CHECKER" ]] || [[ "$(cat "$TOOLS/promql-check.version" 2>/dev/null)" != "$STAMP" ]]; then
  command -v go > /dev/null || { echo "[check-promql] Go is needed once to build the PromQL checker" >&2; exit 2; }
  echo "[check-promql] building the PromQL checker into $TOOLS" >&2
  mkdir -p "$TOOLS"
  (cd "$SOURCES" && go build -o "$CHECKER" .) >&2
  echo "$STAMP" > "$TOOLS/promql-check.version"
fi

exec "$CHECKER" "$@"
