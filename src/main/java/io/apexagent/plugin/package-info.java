/**
 * The ApexAgent plugin SDK: the only host API a plugin sees. It depends on the JDK and Mutiny alone.
 *
 * <p>A plugin implements {@link io.apexagent.plugin.BasePlugin} (usually by extending
 * {@link io.apexagent.plugin.AbstractPlugin}) and optionally {@link io.apexagent.plugin.StreamingPlugin},
 * {@link io.apexagent.plugin.StatefulPlugin}, {@link io.apexagent.plugin.EventDrivenPlugin} and
 * {@link io.apexagent.plugin.SecurityAwarePlugin}. Everything it may do outside its own code — files,
 * events, other plugins, credentials, state, HTTP — goes through the {@link io.apexagent.plugin.PluginContext}
 * it receives in {@code initialize}, which checks the plugin's granted permissions.
 */
package io.apexagent.plugin;
