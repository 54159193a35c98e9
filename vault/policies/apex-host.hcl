# Policy of the ApexAgent Plugin Host: its plugins' credentials, its own config, and the
# Transit key that encrypts plugin state. Nothing else: other secret paths answer 403.

# Plugin credentials (KV v2 mounted at secret/): secret/apex/plugins/<pluginId>/<name>
path "secret/data/apex/plugins/*" {
  capabilities = ["create", "read", "update", "delete"]
}
path "secret/metadata/apex/plugins/*" {
  capabilities = ["read", "list", "delete"]
}
path "secret/delete/apex/plugins/*" {
  capabilities = ["update"]
}

# Host-level settings that must not live in config files.
path "secret/data/apex/host/*" {
  capabilities = ["read"]
}

# Plugin state encryption (Transit key apex-plugin-state). Rotating the key is an operator task.
path "transit/encrypt/apex-plugin-state" {
  capabilities = ["update"]
}
path "transit/decrypt/apex-plugin-state" {
  capabilities = ["update"]
}
path "transit/rewrap/apex-plugin-state" {
  capabilities = ["update"]
}
path "transit/keys/apex-plugin-state" {
  capabilities = ["read"]
}

# Token housekeeping.
path "auth/token/lookup-self" {
  capabilities = ["read"]
}
path "auth/token/renew-self" {
  capabilities = ["update"]
}
