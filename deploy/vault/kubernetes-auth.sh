#!/usr/bin/env bash
# Sets up Vault (or OpenBao) so that the host logs in with its Kubernetes service account instead of a
# stored token: enables the kubernetes auth method, writes policy apex-host from
# vault/policies/apex-host.hcl (the same file the dev server uses) and binds role apex-host to
# service account apex-plugin-host in the host's namespace. Idempotent. Run it with an operator's
# Vault login (VAULT_ADDR and VAULT_TOKEN, or `vault login`) from a machine that reaches the cluster.
#
#   deploy/vault/kubernetes-auth.sh                       # namespace apex, API server from kubectl
#   APEX_NAMESPACE=apex-staging deploy/vault/kubernetes-auth.sh
#
# Vault running inside the cluster: set KUBERNETES_HOST=https://kubernetes.default.svc and leave
# KUBERNETES_CA_FILE unset; Vault then uses its own pod's service-account CA and token. Vault outside
# the cluster: leave both unset to take them from the current kubectl context, or set both.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NAMESPACE="${APEX_NAMESPACE:-apex}"
SERVICE_ACCOUNT="${APEX_SERVICE_ACCOUNT:-apex-plugin-host}"
ROLE="${VAULT_KUBERNETES_ROLE:-apex-host}"
MOUNT="${VAULT_KUBERNETES_MOUNT:-kubernetes}"
TOKEN_TTL="${APEX_VAULT_TOKEN_TTL:-1h}"
CLI="${VAULT_CLI:-$(command -v vault || command -v bao || true)}"
[[ -n "$CLI" ]] || { echo "neither vault nor bao on PATH (set VAULT_CLI)" >&2; exit 1; }

auth_methods="$("$CLI" auth list -format=json)"
if ! grep -q "\"$MOUNT/\"" <<< "$auth_methods"; then
  "$CLI" auth enable -path="$MOUNT" kubernetes
fi

if [[ -z "${KUBERNETES_HOST:-}" ]]; then
  # Vault outside the cluster: API server and its CA from the current kubectl context.
  KUBERNETES_HOST="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')"
  if [[ -z "${KUBERNETES_CA_FILE:-}" ]]; then
    KUBERNETES_CA_FILE="$(mktemp)"
    trap 'rm -f "$KUBERNETES_CA_FILE"' EXIT
    kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' \
      | base64 -d > "$KUBERNETES_CA_FILE"
  fi
fi
config_args=(kubernetes_host="$KUBERNETES_HOST")
if [[ -n "${KUBERNETES_CA_FILE:-}" ]]; then
  config_args+=(kubernetes_ca_cert=@"$KUBERNETES_CA_FILE")
fi
"$CLI" write "auth/$MOUNT/config" "${config_args[@]}"

"$CLI" policy write apex-host "$ROOT/vault/policies/apex-host.hcl"

# Tokens live for TOKEN_TTL and are renewed by the host; a pod that dies leaves a token that expires.
role_args=(
  bound_service_account_names="$SERVICE_ACCOUNT"
  bound_service_account_namespaces="$NAMESPACE"
  token_policies=apex-host
  token_ttl="$TOKEN_TTL"
  token_max_ttl=24h
)
if [[ -n "${VAULT_KUBERNETES_AUDIENCE:-}" ]]; then
  role_args+=(audience="$VAULT_KUBERNETES_AUDIENCE")
fi
"$CLI" write "auth/$MOUNT/role/$ROLE" "${role_args[@]}"

echo "[vault] auth/$MOUNT/role/$ROLE: service account $NAMESPACE/$SERVICE_ACCOUNT -> policy apex-host"
