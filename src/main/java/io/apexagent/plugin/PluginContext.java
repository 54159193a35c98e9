package io.apexagent.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A plugin's only gateway to the host. Each service checks the plugin's effective permissions and
 * throws {@link PluginSecurityException} naming the missing one. One context per loaded plugin version;
 * thread-safe.
 */
public interface PluginContext {

    /** @return the plugin's manifest metadata */
    PluginMetadata metadata();

    /** @return the id of the replica this plugin runs on (for logs and events) */
    String nodeId();

    /** @return a logger whose records carry the plugin id and version */
    PluginLogger logger();

    /** @return operator-supplied configuration for this plugin ({@code apex.plugin-config."<id>".*}) */
    Map<String, String> config();

    /** @return the plugin's private data directory (exists; survives reloads) */
    Path dataDirectory();

    /** @return the permissions the plugin was granted */
    Set<Permission> grantedPermissions();

    /** @return file access inside {@link #dataDirectory()} (file_system_read / file_system_write) */
    PluginFiles files();

    /** @return publishing and subscribing to events (event_publish / event_subscribe) */
    PluginEvents events();

    /** @return calls to actions of declared dependency plugins (plugin_invoke) */
    PluginInvoker plugins();

    /** @return this plugin's credentials in Vault (credential_access) */
    PluginCredentials credentials();

    /** @return saving this plugin's state on demand (state_access) */
    PluginStateStore state();

    /**
     * @return HTTP(S) requests to the hosts the operator allows (network_access); a context that offers none
     *         (e.g. an out-of-process plugin's) throws {@link PluginConfigurationException}
     */
    default PluginHttp http() {
        throw new PluginConfigurationException(metadata().id(), "plugin " + metadata().id()
                + ": this plugin context offers no HTTP client (context.http())", null);
    }
}
