-- Core tables of the plugin host. Later changes go in new V<n>__*.sql files; never edit this one.

-- The cluster's intent per plugin, applied by every replica on start and on apex.plugin.commands.
CREATE TABLE plugin_desired_state (
    plugin_id      VARCHAR(128) PRIMARY KEY,
    enabled        BOOLEAN      NOT NULL,
    paused         BOOLEAN      NOT NULL DEFAULT FALSE,
    pinned_version VARCHAR(64),
    updated_by     VARCHAR(256),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version        BIGINT       NOT NULL DEFAULT 0
);

-- A plugin's persisted state, encrypted with Vault Transit before it is written.
CREATE TABLE plugin_state (
    plugin_id            VARCHAR(128) PRIMARY KEY,
    schema_version       INTEGER      NOT NULL,
    plugin_version       VARCHAR(64)  NOT NULL,
    data                 TEXT         NOT NULL,
    encrypted            BOOLEAN      NOT NULL,
    size_bytes           INTEGER      NOT NULL,
    previous_data        TEXT,
    previous_schema_version INTEGER,
    updated_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version              BIGINT       NOT NULL DEFAULT 0
);

-- Idempotency and audit of action requests; a running row carries a lease.
CREATE TABLE action_execution (
    request_id     VARCHAR(128) PRIMARY KEY,
    plugin_id      VARCHAR(128) NOT NULL,
    action         VARCHAR(128) NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    final_result   TEXT,
    node_id        VARCHAR(256),
    lease_until    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    version        BIGINT       NOT NULL DEFAULT 0
);
CREATE INDEX action_execution_plugin_idx ON action_execution (plugin_id, created_at);
