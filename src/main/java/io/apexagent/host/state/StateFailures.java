package io.apexagent.host.state;

import java.net.ConnectException;

import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;

import io.apexagent.plugin.PluginStateException;
import io.quarkus.vault.client.VaultClientException;

/** Turns database and Vault failures into {@link PluginStateException}s that say what failed and what to do. */
final class StateFailures {

    private StateFailures() {
    }

    /** @return a failure of a Transit call, "unavailable" unless Vault refused the request itself */
    static PluginStateException vault(String pluginId, String operation, String key, Throwable e) {
        if (e instanceof PluginStateException known) {
            return known;
        }
        VaultClientException refused = find(e, VaultClientException.class);
        if (refused != null && refused.getStatus() != null && refused.getStatus() >= 400 && refused.getStatus() < 500
                && refused.getStatus() != 429) {
            return new PluginStateException(pluginId, "Vault refused to " + operation + " the state of plugin " + pluginId
                    + " with Transit key " + key + " (HTTP " + refused.getStatus() + "): " + rootMessage(e)
                    + "; check the key exists and policy apex-host allows transit/" + operation + "/" + key, e);
        }
        return new StateUnavailableException(pluginId, "Vault (OpenBao) could not " + operation + " the state of plugin "
                + pluginId + ": " + rootMessage(e) + "; is Vault running and unsealed (quarkus.vault.url)?", e);
    }

    /** @return a failure of a database call: a conflict is reported as such, anything else as "unavailable" */
    static PluginStateException database(String pluginId, String operation, Throwable e) {
        if (e instanceof PluginStateException known) {
            return known;
        }
        String where = find(e, ConnectException.class) != null ? "PostgreSQL is unreachable" : "PostgreSQL failed";
        return new StateUnavailableException(pluginId, "could not " + operation + " the state of plugin " + pluginId
                + ": " + where + " (" + rootMessage(e) + "); quarkus.datasource.reactive.url", e);
    }

    /** @return whether {@code e} says another writer changed or created the row first */
    static boolean isConflict(Throwable e) {
        return find(e, OptimisticLockException.class) != null || find(e, StaleStateException.class) != null
                || find(e, ConstraintViolationException.class) != null
                || String.valueOf(rootMessage(e)).contains("duplicate key value");
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
